"""Baseline keys, file format and counting."""

from __future__ import annotations

from collections import Counter

import pytest

from spamguard import baseline
from spamguard.hook import Code, Finding
from spamguard.types import Label


def _finding(text: str, line: int = 1) -> Finding:
    return Finding("a.md", line, 1, Code.SENTENCE, Label.SPAM, 0.9, text, 0, len(text))


def test_fingerprint_folds_whitespace_and_case_but_not_path() -> None:
    key = baseline.fingerprint("a.md", "Best casino bonus")
    assert baseline.fingerprint("a.md", "best  CASINO\nbonus ") == key
    assert baseline.fingerprint("b.md", "Best casino bonus") != key
    assert baseline.fingerprint("a.md", "Best casino bonuses") != key


def test_round_trip_is_stable_and_sorted() -> None:
    rows = baseline.entries([("b.md", _finding("two")), ("a.md", _finding("one")), ("a.md", _finding("one", 9))])
    assert [row["path"] for row in rows] == ["a.md", "a.md", "b.md"]
    text = baseline.dumps(rows)
    assert (
        baseline.dumps(
            baseline.entries([("a.md", _finding("one")), ("b.md", _finding("two")), ("a.md", _finding("one"))])
        )
        == text
    )
    accepted = baseline.loads(text, "x.json")
    assert accepted == Counter({baseline.fingerprint("a.md", "one"): 2, baseline.fingerprint("b.md", "two"): 1})


def test_each_entry_covers_one_finding() -> None:
    accepted = Counter({baseline.fingerprint("a.md", "one"): 1})
    findings = [("a.md", _finding("one", 1)), ("a.md", _finding("one", 5)), ("a.md", _finding("new", 7))]
    assert [finding.line for finding in baseline.new_findings(findings, accepted)] == [5, 7]


@pytest.mark.parametrize("text", ["[]", "{}", '{"version": 1}', '{"version": 1, "findings": [{}]}', "not json"])
def test_invalid_baseline_names_the_file(text: str) -> None:
    with pytest.raises(baseline.BaselineError, match=r"^x\.json: not a spamguard baseline"):
        baseline.loads(text, "x.json")


def test_unknown_version_is_refused() -> None:
    with pytest.raises(baseline.BaselineError, match="unsupported baseline version 2"):
        baseline.loads('{"version": 2, "findings": []}', "x.json")
