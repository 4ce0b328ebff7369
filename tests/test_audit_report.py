"""The HTML audit report: ``audit_report`` on hand-made records, and ``clean --removed`` → ``audit`` end to end."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from conftest import SeedParts, flat, read_fixture
from spamguard.audit_report import (
    DOCUMENT,
    KEPT_EDGE,
    MAX_DOC_BLOCKS,
    MAX_FREQUENT,
    MAX_SAMPLE,
    MAX_TEXT,
    build_report,
    compact_blocks,
    document_record,
)
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
SAMPLE_SECTION = re.compile(r'<section id="sample">.*?</section>', re.DOTALL)


def _record(number: int, label: str = "spam", score: float = 0.95, text: str = SPAM, url: str = "") -> dict:
    return {"file": f"doc{number}.txt", "record": None, "id": None, "url": url, "label": label,
            "score": score, "reasons": ["spam vocabulary (7 hits)", HOSTILE], "text": text}


def _block(text: str, label: str = "content", score: float = 0.1, removed: bool = False) -> dict:
    reasons = ["spam vocabulary (7 hits)", HOSTILE] if removed else ["reads like prose"]
    return {"text": text, "label": label, "score": score, "removed": removed, "reasons": reasons}


def _document(number: int, kept: tuple[str, ...] = ARTICLE, spam: str = SPAM, url: str = "") -> list[dict]:
    """The records ``clean --removed`` writes for one document: its removed blocks, then its document record."""
    blocks = [*(_block(text) for text in kept), _block(spam, "spam", 0.9731, removed=True)]
    where = {"file": f"doc{number}.txt", "record": "", "id": None, "url": url}
    removed = [{**where, **{k: v for k, v in block.items() if k != "removed"}} for block in blocks if block["removed"]]
    return [*removed, document_record(where, blocks)]


def _run_of(documents: list[list[dict]]) -> list[dict]:
    """Records in the order of an audit file: every removed block, then the document records."""
    records = [record for document in documents for record in document]
    return [r for r in records if r.get("type") != DOCUMENT] + [r for r in records if r.get("type") == DOCUMENT]


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


def _clip(text: str) -> str:
    """A text as the page shows it: cut to ``MAX_TEXT`` characters, the last an ellipsis."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _counts(page: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r'data-label="([^"]*)" data-count="blocks">(\d+)<', page)}


@dataclass
class _Shown:
    """One block of a sampled document as the page shows it."""

    text: str = ""
    struck: bool = False  # inside <del>
    title: str = ""
    note: str = ""


@dataclass
class _Doc:
    where: str = ""
    blocks: list[_Shown] = field(default_factory=list)


class _Sample(HTMLParser):
    """The sampled documents of a page: where each came from and its blocks in order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.documents: list[_Doc] = []
        self._article = False
        self._in: list[str] = []  # what the current text belongs to
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = dict(attrs)
        classes = (names.get("class") or "").split()
        if tag == "article" and "doc" in classes:
            self.documents.append(_Doc())
            self._article = True
        elif not self._article:
            return
        elif tag == "div" and "block" in classes:
            self.documents[-1].blocks.append(_Shown())
        elif tag == "del":
            self.documents[-1].blocks[-1].struck = True
            self.documents[-1].blocks[-1].title = names.get("title") or ""
        if "where" in classes or "note" in classes or (tag == "p" and self.documents[-1].blocks):
            self._in.append("where" if "where" in classes else "note" if "note" in classes else "text")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article = False
            self._in.clear()
        elif tag in ("p", "small") and self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if not self._in or not self._article:
            return
        document = self.documents[-1]
        if self._in[-1] == "where":
            document.where += data
        elif self._in[-1] == "note":
            document.blocks[-1].note += data
        else:
            document.blocks[-1].text += data


# ---------------------------------------------------------------- the pure builder


def test_content_is_escaped_and_never_markup() -> None:
    records = [_record(1, text=HOSTILE, url="https://evil.example/<script>"), _record(2, url="https://spam.example/")]
    records += _document(3, kept=(HOSTILE, "A kept line"), spam=HOSTILE, url="https://evil.example/<img>")
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


def test_size_is_bounded_with_many_large_documents() -> None:
    words = " ".join(["escort"] * 2000)
    reasons = [f"reason {n} " + "y" * 400 for n in range(20)]
    documents = []
    for n in range(3 * MAX_SAMPLE):
        # Many documents of alternating kept and removed blocks, every text and reason far too long.
        blocks = [_block(f"{n}.{b} {words}", removed=b % 2 == 1) | {"reasons": reasons} for b in range(200)]
        where = {"file": f"doc{n}.txt", "record": "", "id": None, "url": f"https://s{n}.example/"}
        documents.append([document_record(where, blocks)])
    page = build_report(_run_of(documents), sample=MAX_SAMPLE)
    sample = _Sample(page).documents
    assert len(sample) == MAX_SAMPLE
    assert all(len(document.blocks) <= MAX_DOC_BLOCKS for document in sample)
    assert "escort " * (MAX_TEXT // 7 + 1) not in page and "y" * MAX_TEXT not in page
    assert len(page.encode("utf-8")) < 2_000_000  # the bound the docstring and the README state


def test_counts_ignore_the_document_records() -> None:
    documents = [_document(n, url=f"https://site{n}.example/") for n in range(4)]
    records = _run_of(documents)
    without = [record for record in records if record.get("type") != DOCUMENT]
    page, page_without = build_report(records), build_report(without)
    assert _counts(page) == _counts(page_without) == {"spam": 4}
    assert SAMPLE_SECTION.sub("", page) == SAMPLE_SECTION.sub("", page_without)


def test_sampled_document_is_shown_in_place() -> None:
    page = build_report(_run_of([_document(1, url="https://news.example/bridge")]))
    (document,) = _Sample(page).documents
    assert "doc1.txt" in document.where and "https://news.example/bridge" in document.where
    assert [(shown.text, shown.struck) for shown in document.blocks] == [*((p, False) for p in ARTICLE), (SPAM, True)]
    footer = document.blocks[-1]
    assert footer.title.startswith("spam 0.973: spam vocabulary (7 hits); " + HOSTILE)
    # The same facts are on the page, not only on hover (touch screens, print).
    assert "spam 0.973" in footer.note and "spam vocabulary (7 hits)" in footer.note and HOSTILE in footer.note
    assert "background:#f8d0d0" in page.split("<del ", 1)[1].split(">", 1)[0]  # tinted as spam


def test_boilerplate_is_tinted_apart_from_spam() -> None:
    blocks = [_block(ARTICLE[0]), _block("Share this article", "boilerplate", 0.8, removed=True)]
    page = build_report([document_record({"file": "d.txt"}, blocks)])
    assert "background:#fbe9b7" in page.split("<del ", 1)[1].split(">", 1)[0]


@pytest.mark.parametrize(("kept", "shown"), [
    (0, []),
    (2 * KEPT_EDGE + 1, list(range(2 * KEPT_EDGE + 1))),
    (2 * KEPT_EDGE + 2, [*range(KEPT_EDGE), "… 2 …", *range(KEPT_EDGE + 2, 2 * KEPT_EDGE + 2)]),
    (40, [*range(KEPT_EDGE), f"… {40 - 2 * KEPT_EDGE} …", *range(40 - KEPT_EDGE, 40)]),
])
def test_long_kept_runs_keep_their_edges(kept: int, shown: list) -> None:
    blocks = [_block(str(n)) for n in range(kept)] + [_block("spam", "spam", 0.99, removed=True)]
    entries = compact_blocks(blocks)
    assert [f"… {e['elided']} …" if "elided" in e else int(e["text"]) for e in entries[:-1]] == shown
    assert entries[-1]["removed"] and entries[-1]["text"] == "spam"


def test_elided_runs_are_named_on_the_page() -> None:
    kept = tuple(f"Paragraph {n} of a long article about the bridge." for n in range(12))
    (document,) = _Sample(build_report(_run_of([_document(1, kept=kept)]))).documents
    texts = [shown.text for shown in document.blocks]
    assert texts == [*kept[:KEPT_EDGE], f"… {12 - 2 * KEPT_EDGE} kept blocks …", *kept[-KEPT_EDGE:], SPAM]


def test_sample_is_seeded() -> None:
    records = _run_of([_document(n, kept=(f"Article {n} opens here.",)) for n in range(200)])
    assert build_report(records, sample=7, seed=3) == build_report(records, sample=7, seed=3)
    assert build_report(records, sample=7, seed=3) != build_report(records, sample=7, seed=4)
    assert len(_Sample(build_report(records, sample=7)).documents) == 7
    # Document records are what is sampled: the order of the file does not matter.
    assert SAMPLE_SECTION.findall(build_report(records[::-1], sample=7, seed=3)) == (
        SAMPLE_SECTION.findall(build_report(records, sample=7, seed=3))
    )


def test_sample_without_document_records_shows_removed_blocks_per_document() -> None:
    # An audit file from before document records existed, or made by hand.
    records = [_record(n, text=f"block number {n} escort escort") for n in range(200)]
    assert build_report(records, sample=7, seed=3) == build_report(records, sample=7, seed=3)
    assert build_report(records, sample=7, seed=3) != build_report(records, sample=7, seed=4)
    documents = _Sample(build_report(records, sample=MAX_SAMPLE)).documents
    assert len(documents) == MAX_SAMPLE and all(shown.struck for d in documents for shown in d.blocks)
    assert "no kept text" in build_report(records)


# ---------------------------------------------------------------- end to end through main


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("audit")
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("\n\n".join(ARTICLE), encoding="utf-8")
    (inputs / "b.txt").write_text("\n\n".join((*ARTICLE[1:], "1,204 reads", SPAM)), encoding="utf-8")
    (inputs / "c.txt").write_text("\n\n".join(("Home | News | Sport | Weather", *ARTICLE[:2])), encoding="utf-8")
    (inputs / "seed_like.txt").write_text(read_fixture("seed_like.txt"), encoding="utf-8")
    paths = {name: root / name for name in ("removed.jsonl", "report.json", "report.html")}
    assert main(["clean", str(inputs), "-o", str(root / "out"), "--removed", str(paths["removed.jsonl"]),
                 "--report", str(paths["report.json"]), "-q", "-j", "1"]) == 0
    assert main(["audit", str(paths["removed.jsonl"]), "-o", str(paths["report.html"]),
                 "--report", str(paths["report.json"])]) == 0
    # The same pass with clean --audit and no --removed file: the same page.
    paths["direct.html"] = root / "direct.html"
    assert main(["clean", str(inputs), "-o", str(root / "out2"), "--audit", str(paths["direct.html"]),
                 "-q", "-j", "1"]) == 0
    paths["one.html"] = root / "one.html"
    assert main(["clean", str(inputs), "-o", str(root / "out3"), "--audit", str(paths["one.html"]), "--sample", "1",
                 "-q", "-j", "1"]) == 0
    for name, seed in (("seed1.html", 1), ("seed1-again.html", 1), ("seed2.html", 2)):
        paths[name] = root / name
        assert main(["audit", str(paths["removed.jsonl"]), "-o", str(paths[name]), "--sample", "1", "--seed", str(seed)]) == 0
    return paths


def _removed_records(run) -> list[dict]:
    lines = run["removed.jsonl"].read_text(encoding="utf-8").splitlines()
    return [record for record in map(json.loads, lines) if record.get("type") != DOCUMENT]


def test_clean_audit_writes_the_same_report(run) -> None:
    assert run["direct.html"].read_text(encoding="utf-8") == run["report.html"].read_text(encoding="utf-8")


def test_clean_sample_sets_the_documents_of_the_audit_report(run, tmp_path) -> None:
    assert len(_Sample(run["one.html"].read_text(encoding="utf-8")).documents) == 1
    assert len(_Sample(run["direct.html"].read_text(encoding="utf-8")).documents) > 1
    # --sample without --audit, or out of range, is a usage error before any work.
    clean = ["clean", str(run["removed.jsonl"]), "-o", str(tmp_path / "out")]
    too_many = str(MAX_SAMPLE + 1)
    assert main([*clean, "--sample", "5"]) == 2
    assert main([*clean, "--audit", str(tmp_path / "a.html"), "--sample", too_many]) == 2
    assert main(["audit", str(run["removed.jsonl"]), "-o", str(tmp_path / "a.html"), "--sample", too_many]) == 2
    assert not (tmp_path / "out").exists() and not (tmp_path / "a.html").exists()


def test_report_exists_with_a_histogram(run) -> None:
    page = run["report.html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<del " in page


def test_counts_match_the_removed_records_and_the_run_report(run) -> None:
    expected = Counter(record["label"] for record in _removed_records(run))
    assert expected["spam"] >= 1
    page = run["report.html"].read_text(encoding="utf-8")
    assert _counts(page) == dict(expected)
    report = json.loads(run["report.json"].read_text(encoding="utf-8"))
    assert _counts(page) == report["blocks"]["removed"]
    assert f"of {report['documents']['read']} read" in page


def test_seed_shaped_document_is_shown_in_place(run) -> None:
    parts = SeedParts.of(read_fixture("seed_like.txt"))
    (seed_doc,) = [d for d in _Sample(run["report.html"].read_text(encoding="utf-8")).documents
                   if "seed_like.txt" in d.where]
    kept = [shown.text for shown in seed_doc.blocks if not shown.struck]
    struck = [shown for shown in seed_doc.blocks if shown.struck]
    # The article's title and its first paragraphs are plain text; the middle of the long kept run is elided.
    for paragraph in (parts.title, *parts.paragraphs[:KEPT_EDGE]):
        assert _clip(flat(paragraph)) in kept
    assert [text for text in kept if re.fullmatch(r"… \d+ kept blocks …", text)]
    # What is struck is exactly what the run removed from this document.
    removed = [r for r in _removed_records(run) if r["file"].endswith("seed_like.txt")]
    assert [shown.text for shown in struck] == [_clip(flat(r["text"])) for r in removed]
    # The spam footer is among it, with its score from the audit records.
    (footer,) = [r for r in removed if r["label"] == "spam"]
    (shown,) = [s for s in struck if s.text.startswith(flat(parts.footer)[:60])]
    assert shown.title.startswith(f"spam {footer['score']:.3f}") and f"spam {footer['score']:.3f}" in shown.note
    # The chrome around it is struck too, and sits where it was: before the title.
    texts = [s.text for s in seed_doc.blocks]
    assert texts.index(flat(parts.nav)) < texts.index(flat(parts.title)) < texts.index(shown.text)


def test_seeded_sample_from_the_removed_file_is_reproducible(run) -> None:
    one, again, other = (run[name].read_text(encoding="utf-8") for name in ("seed1.html", "seed1-again.html", "seed2.html"))
    assert one == again
    assert len(_Sample(one).documents) == len(_Sample(other).documents) == 1


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
