"""Accepted findings, so that only new ones fail.

An entry is keyed by a hash of the file's path and the block's text with its
whitespace and case folded, never by line number: the baseline survives lines
moving and paragraphs being re-wrapped. Entries count, so a second copy of an
accepted block is still a new finding.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spamguard.hook import Finding

BASELINE_FILE = ".spamguard-baseline.json"
_VERSION = 1


class BaselineError(ValueError):
    """An unreadable baseline file; the message names it."""


def fingerprint(path: str, text: str) -> str:
    """The key of a finding: ``path`` is relative to the project root, in POSIX form."""
    normalized = " ".join(text.split()).casefold()
    return hashlib.sha256(f"{path}\0{normalized}".encode("utf-8", "surrogatepass")).hexdigest()


def entries(findings: Iterable[tuple[str, Finding]]) -> list[dict[str, str]]:
    """Baseline entries for ``(root-relative path, finding)`` pairs, in a stable order."""
    rows = [
        {
            "path": path,
            "fingerprint": fingerprint(path, finding.text),
            "code": finding.code.value,
            "snippet": finding.snippet,
        }
        for path, finding in findings
    ]
    return sorted(rows, key=lambda row: (row["path"], row["fingerprint"]))


def dumps(rows: list[dict[str, str]]) -> str:
    return json.dumps({"version": _VERSION, "findings": rows}, ensure_ascii=False, indent=2) + "\n"


def loads(text: str, source: str) -> Counter[str]:
    """The accepted fingerprints and how many of each; ``source`` names the file in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{source}: not a spamguard baseline ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{source}: not a spamguard baseline (no findings list)")
    if data.get("version") != _VERSION:
        raise BaselineError(f"{source}: unsupported baseline version {data.get('version')!r}")
    try:
        return Counter(str(row["fingerprint"]) for row in data["findings"])
    except (KeyError, TypeError) as error:
        raise BaselineError(f"{source}: not a spamguard baseline (an entry without fingerprint)") from error


def load(path: Path) -> Counter[str]:
    """Fingerprints accepted by the baseline at ``path``; none when it does not exist."""
    if not path.is_file():
        return Counter()
    return loads(path.read_text(encoding="utf-8"), str(path))


def new_findings(findings: Iterable[tuple[str, Finding]], accepted: Counter[str]) -> list[Finding]:
    """The findings the baseline does not cover; each entry covers one finding."""
    remaining = accepted.copy()
    fresh = []
    for path, finding in findings:
        key = fingerprint(path, finding.text)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh
