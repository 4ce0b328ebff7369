"""Counters for a cleaning pass that add up: workers return them, the parent sums."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields

# Removed-block texts and hosts are counted in Counters that would grow with the
# archive; past this many keys only the most frequent are kept (counts become
# lower bounds for the tail, exact for anything that stays frequent).
_MAX_KEYS = 50_000
_KEEP_KEYS = 10_000
_BLOCK_KEY_CHARS = 200


@dataclass(frozen=True)
class Stats:
    """What happened to documents, blocks and outputs. ``a + b`` sums everything."""

    read: int = 0
    cleaned: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    invalid_utf8: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    blocks: int = 0
    outputs_written: int = 0
    outputs_existing: int = 0
    blocks_removed: Counter = field(default_factory=Counter)
    bytes_removed: Counter = field(default_factory=Counter)
    skipped_reasons: Counter = field(default_factory=Counter)
    failed_reasons: Counter = field(default_factory=Counter)
    removed_texts: Counter = field(default_factory=Counter)  # "label\ttext" -> count
    spam_hosts: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict) and not isinstance(value, Counter):
                object.__setattr__(self, f.name, Counter(value))

    def __add__(self, other: Stats) -> Stats:
        merged = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = _bounded(a + b) if isinstance(a, Counter) else a + b
        return Stats(**merged)


def block_key(label: str, text: str) -> str:
    """The key under which a removed block is counted in ``removed_texts``."""
    return f"{label}\t{' '.join(text.split())[:_BLOCK_KEY_CHARS]}"


def _bounded(counter: Counter) -> Counter:
    if len(counter) <= _MAX_KEYS:
        return counter
    return Counter(dict(counter.most_common(_KEEP_KEYS)))
