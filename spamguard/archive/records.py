"""Records that flow from readers through workers to writers."""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Union

from spamguard.archive.stats import Stats


class Severity(str, enum.Enum):
    """How a problem counts: a failed record (exit 1), a skip, or a warning."""

    FAILED = "failed"
    SKIPPED = "skipped"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, named by file, record and reason."""

    file: str
    record: str
    code: str
    detail: str
    severity: Severity

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "record": self.record,
            "severity": self.severity.value,
            "reason": self.code,
            "detail": self.detail,
        }

    def stats(self) -> Stats:
        """What this problem adds to the counts (a warning is counted by the worker)."""
        if self.severity is Severity.FAILED:
            return Stats(read=1, failed=1, failed_reasons={self.code: 1})
        if self.severity is Severity.SKIPPED:
            return Stats(read=1, skipped=1, skipped_reasons={self.code: 1})
        return Stats()


class Payload(str, enum.Enum):
    """What a task's bytes are."""

    DOCUMENT = "document"  # one document's raw bytes (loose file, WARC payload)
    JSON_LINE = "json_line"  # one raw JSON Lines line


class Output(str, enum.Enum):
    """What the worker writes for one task."""

    TEXT = "text"  # the cleaned text itself
    JSON = "json"  # {"text": ..., "blocks": [...]} for one document
    JSONL = "jsonl"  # one JSON line: passed-through fields, cleaned text, spamguard


@dataclass(frozen=True)
class DocTask:
    """One document for a worker to clean: raw bytes plus where they came from."""

    file: str
    record: str
    data: bytes
    payload: Payload
    output: Output
    kind: str = "auto"
    charset: str | None = None
    fields: dict = field(default_factory=dict)  # base JSONL record for WARC and loose documents
    url: str | None = None


Item = Union[DocTask, Problem, Stats]


@dataclass
class Unit:
    """One output file and the items that fill it, consumed in order.

    ``single`` marks a loose document: when it fails there is no output at all.
    ``close`` releases the input; call it whether or not the items were read.
    """

    display: str
    output: PurePosixPath
    compression: str
    items: Iterator[Item]
    single: bool = False
    close: Callable[[], None] = lambda: None
