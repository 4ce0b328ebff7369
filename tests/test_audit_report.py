"""The HTML audit report: ``audit_report`` on hand-made records, and ``clean --removed`` → ``audit`` end to end."""
from __future__ import annotations

import json
import re
from collections import Counter

from html.parser import HTMLParser

import pytest

from spamguard.audit_report import MAX_FREQUENT, MAX_TEXT, build_report
from spamguard.cli import main

ARTICLE = (
    "The council voted on Tuesday to rebuild the old footbridge over the river, ending a debate that has "
    "lasted for almost three years and divided the two halves of the town.",
    "Engineers say the new structure will be wider and will carry bicycles as well as people walking to "
    "the station in the morning, and that it will stand for at least a century.",
    "Work is expected to begin in the spring and to last about eight months, during which a small ferry "
    "will run between the two banks every twenty minutes from dawn until late evening.",
)
SPAM = (
    "ankara escort çankaya escort kızılay escort escort bayan ankara etimesgut escort sincan escort "
    "ankara escort bayan çankaya escort kızılay escort bayan ankara vip escort keçiören escort"
)
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
TEXT_NODE = re.compile(r">[^<]*<")


def _record(number: int, label: str = "spam", score: float = 0.95, text: str = SPAM, url: str = "") -> dict:
    return {"file": f"doc{number}.txt", "record": None, "id": None, "url": url, "label": label,
            "score": score, "reasons": ["spam vocabulary (7 hits)", HOSTILE], "text": text}


class _Parsed(HTMLParser):
    """What a browser would see: the tags, their attributes and the text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _markup(page: str) -> str:
    """The page without its text nodes: tags and attributes only."""
    return TEXT_NODE.sub("><", page)


def _counts(page: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r'data-label="([^"]*)" data-count="blocks">(\d+)<', page)}


# ---------------------------------------------------------------- the pure builder


def test_content_is_escaped_and_never_markup() -> None:
    records = [_record(1, text=HOSTILE, url="https://evil.example/<script>"), _record(2, url="https://spam.example/")]
    page = build_report(records)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parsed = _Parsed(page)
    assert not parsed.tags & {"script", "img", "iframe", "object"}
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    assert HOSTILE in "".join(parsed.text)  # shown to the reader as text
    assert any(HOSTILE in value for name, value in parsed.attributes if name == "title")


def test_counts_histogram_hosts_and_documents() -> None:
    records = [_record(n, url=f"https://site{n % 2}.example/p{n}") for n in range(5)]
    records += [_record(9, "boilerplate", 0.81, "Share this article"), _record(9, "boilerplate", 0.75, "1,204 reads")]
    page = build_report(records)
    assert _counts(page) == {"spam": 5, "boilerplate": 2}
    assert page.count("<svg") == 2 and "6 documents" in page
    assert "site0.example" in page and "site1.example" in page
    # The spam text was removed from 5 documents: blocks and documents columns both say so.
    assert re.search(r'<td class="n">5</td><td class="n">5</td><td>spam</td>', page)


def test_size_is_bounded() -> None:
    records = [_record(n, text=f"{n} " + "x" * 5000) for n in range(MAX_FREQUENT + 30)]
    page = build_report(records, sample=5)
    assert page.count("<tr>") <= MAX_FREQUENT + 1 + 1 + 1 + 1  # frequent + headers + one label + no hosts
    assert "x" * (MAX_TEXT + 1) not in page
    assert len(page) < 100_000


def test_sample_is_seeded() -> None:
    records = [_record(n, text=f"block number {n} escort escort") for n in range(200)]
    assert build_report(records, sample=7, seed=3) == build_report(records, sample=7, seed=3)
    assert build_report(records, sample=7, seed=3) != build_report(records, sample=7, seed=4)
    assert build_report(records, sample=7).count("<del ") == 7


# ---------------------------------------------------------------- end to end through main


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("audit")
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("\n\n".join(ARTICLE), encoding="utf-8")
    (inputs / "b.txt").write_text("\n\n".join((*ARTICLE[1:], "1,204 reads", SPAM)), encoding="utf-8")
    (inputs / "c.txt").write_text("\n\n".join(("Home | News | Sport | Weather", *ARTICLE[:2])), encoding="utf-8")
    paths = {name: root / name for name in ("removed.jsonl", "report.json", "report.html")}
    assert main(["clean", str(inputs), "-o", str(root / "out"), "--removed", str(paths["removed.jsonl"]),
                 "--report", str(paths["report.json"]), "-q", "-j", "1"]) == 0
    assert main(["audit", str(paths["removed.jsonl"]), "-o", str(paths["report.html"]),
                 "--report", str(paths["report.json"])]) == 0
    # The same pass with clean --audit and no --removed file: the same page.
    paths["direct.html"] = root / "direct.html"
    assert main(["clean", str(inputs), "-o", str(root / "out2"), "--audit", str(paths["direct.html"]),
                 "-q", "-j", "1"]) == 0
    return paths


def test_clean_audit_writes_the_same_report(run) -> None:
    assert run["direct.html"].read_text(encoding="utf-8") == run["report.html"].read_text(encoding="utf-8")


def test_report_exists_with_a_histogram(run) -> None:
    page = run["report.html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<del " in page


def test_counts_match_the_removed_records_and_the_run_report(run) -> None:
    lines = run["removed.jsonl"].read_text(encoding="utf-8").splitlines()
    expected = Counter(json.loads(line)["label"] for line in lines)
    assert expected["spam"] >= 1
    page = run["report.html"].read_text(encoding="utf-8")
    assert _counts(page) == dict(expected)
    report = json.loads(run["report.json"].read_text(encoding="utf-8"))
    assert _counts(page) == report["blocks"]["removed"]
    assert f"of {report['documents']['read']} read" in page


def test_nothing_runs_and_nothing_is_fetched(run) -> None:
    page = run["report.html"].read_text(encoding="utf-8")
    parsed = _Parsed(page)
    assert "script" not in parsed.tags and "<script" not in page.lower()
    assert not [name for name, _ in parsed.attributes if name in ("src", "href") or name.startswith("on")]
    # "http" only as escaped text (and the http-equiv of the Content-Security-Policy).
    markup = _markup(page).replace("http-equiv", "").lower()
    assert "http" not in markup and "url(" not in markup and "@import" not in markup


def test_bad_input_is_a_usage_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["audit", str(bad), "-o", str(tmp_path / "r.html")]) == 2
    assert main(["audit", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "r.html")]) == 2
    assert "line 1" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
