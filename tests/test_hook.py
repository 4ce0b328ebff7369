"""The hook's pure functions and ``spamguard check`` driven by one table of cases.

A keyword cleaner stands in for the model (real segmentation, verdicts by
keyword), so these tables pin what the hook does with a verdict, whatever the
shipped model decides; tests/test_hook_model.py runs the real one.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from bad_inputs import too_deep_html
from spamguard import exitcodes
from spamguard.commands import check
from spamguard.hook import (
    STUFFED_TOP_WORD_SHARE,
    BlockFacts,
    Code,
    Finding,
    block_facts,
    find,
    finding_code,
    is_allowed,
    is_ignored,
    position,
)
from spamguard.hookconfig import HookConfig
from spamguard.segment import readable, segment
from spamguard.spans import remove_spans
from spamguard.types import Block, CleanResult, Kind, Label

SPAM_WORDS = ("casino", "escort", "viagra")


class KeywordCleaner:
    """Spam when a block names a spam word (0.6 when it also says "maybe"),
    boilerplate when it says "subscribe", content otherwise."""

    def clean_many(self, texts: Sequence[str], kind: str = "auto") -> list[CleanResult]:
        return [self.clean(text, Kind(kind)) for text in texts]

    def clean(self, text: str, kind: Kind) -> CleanResult:
        blocks = []
        for seg in segment(text, kind):
            lowered = seg.text.lower()
            if any(word in lowered for word in SPAM_WORDS):
                label, score = Label.SPAM, 0.6 if "maybe" in lowered else 0.97
            elif "subscribe" in lowered:
                label, score = Label.BOILERPLATE, 0.9
            else:
                label, score = Label.CONTENT, 0.99
            reasons = ("hidden from readers by markup",) if seg.hidden else ()
            blocks.append(
                Block(seg.text, seg.start, seg.end, seg.line, label, score, label is not Label.CONTENT, reasons)
            )
        return CleanResult(text, tuple(blocks), kind)


def main(argv: list[str]) -> int:
    """``spamguard check`` as the CLI wires it, with the keyword cleaner."""
    parser = argparse.ArgumentParser(prog="spamguard")
    check.register(parser.add_subparsers(required=True))
    args = parser.parse_args(["check", *argv])
    return check.run(args, make_cleaner=lambda config: KeywordCleaner())


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    source: bytes
    lines: tuple[str, ...]  # the report
    fixed: bytes  # the file after --fix


CASES = (
    Case(
        "clean markdown",
        "post.md",
        b"# Gardens\n\nA paragraph about gardens.\n",
        (),
        b"# Gardens\n\nA paragraph about gardens.\n",
    ),
    Case(
        "sentence spam at the end",
        "post.md",
        b"# Gardens\n\nTomatoes like sun.\n\nGreat post! Try the best [online casino](https://casino.example) today.\n",
        ('post.md:5:1: SG103 spam (0.97) "Great post! Try the best online casino today."',),
        b"# Gardens\n\nTomatoes like sun.\n",
    ),
    Case(
        "link list between paragraphs",
        "post.md",
        b"Intro.\n\n[casino](https://a.example) [slots](https://b.example) [bonus](https://c.example)\n\nOutro.\n",
        ('post.md:3:1: SG102 spam (0.97) "casino slots bonus"',),
        b"Intro.\n\nOutro.\n",
    ),
    Case(
        "keyword stuffing",
        "notes.txt",
        b"Volha Charnysh\n\nankara escort cankaya escort istanbul escort ankara escort izmir escort ankara escort\n",
        ('notes.txt:3:1: SG101 spam (0.97) "ankara escort cankaya escort istanbul escort ankara escort…"',),
        b"Volha Charnysh\n",
    ),
    Case(
        "CRLF stays CRLF",
        "post.md",
        b"Intro para.\r\n\r\nCheap viagra here.\r\n\r\nOutro para.\r\n",
        ('post.md:3:1: SG103 spam (0.97) "Cheap viagra here."',),
        b"Intro para.\r\n\r\nOutro para.\r\n",
    ),
    Case(
        "front matter and code are never judged",
        "post.md",
        b"---\ntitle: casino night\n---\n\nText.\n\n```\ncasino = 1\n```\n\n    escort = 2\n",
        (),
        b"---\ntitle: casino night\n---\n\nText.\n\n```\ncasino = 1\n```\n\n    escort = 2\n",
    ),
    Case(
        "list item",
        "post.md",
        b"- one\n- casino [here](https://casino.example)\n- two\n",
        ('post.md:2:1: SG103 spam (0.97) "casino here"',),
        b"- one\n- two\n",
    ),
    Case(
        "pragma on the line before",
        "post.md",
        b"<!-- spamguard: ignore -->\nOur casino review.\n\nVisit my casino.\n",
        ('post.md:4:1: SG103 spam (0.97) "Visit my casino."',),
        b"<!-- spamguard: ignore -->\nOur casino review.\n",
    ),
    Case(
        "pragma at the end of a line",
        "notes.txt",
        b"Our casino review. spamguard: ignore\n\nVisit my casino.\n",
        ('notes.txt:3:1: SG103 spam (0.97) "Visit my casino."',),
        b"Our casino review. spamguard: ignore\n",
    ),
    Case(
        "hidden link block in HTML",
        "page.html",
        b'<html><body>\n<p>Real text.</p>\n  <div style="display:none"><a href="https://casino.example">casino</a></div>\n</body></html>\n',
        ('page.html:3:3: SG104 spam (0.97) "casino"',),
        b"<html><body>\n<p>Real text.</p>\n</body></html>\n",
    ),
    Case(
        "HTML block in the middle of a line",
        "page.html",
        b"<html><body>\n<p>Real text.</p><p>Cheap viagra.</p>\n<p>More text.</p>\n</body></html>\n",
        ('page.html:2:18: SG103 spam (0.97) "Cheap viagra."',),
        b"<html><body>\n<p>Real text.</p>\n<p>More text.</p>\n</body></html>\n",
    ),
    Case(
        "bytes that are not UTF-8 survive",
        "notes.txt",
        b"Caf\xe9 au lait.\n\nescort ads\n",
        ('notes.txt:3:1: SG103 spam (0.97) "escort ads"',),
        b"Caf\xe9 au lait.\n",
    ),
    Case(
        "boilerplate is not reported by default",
        "post.md",
        b"Text.\n\nSubscribe to our newsletter.\n",
        (),
        b"Text.\n\nSubscribe to our newsletter.\n",
    ),
    Case(
        "below the minimum score",
        "post.md",
        b"Text.\n\nMaybe a casino.\n",
        (),
        b"Text.\n\nMaybe a casino.\n",
    ),
)


def _ids(cases: Sequence[Case]) -> list[str]:
    return [case.name for case in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_find_and_remove(case: Case) -> None:
    source = case.source.decode("utf-8", "surrogateescape")
    text = readable(source)
    result = KeywordCleaner().clean(text, check.kind_of(case.path))
    findings = find(case.path, text, result, HookConfig())
    assert tuple(finding.format() for finding in findings) == case.lines
    fixed = remove_spans(source, [(f.start, f.end) for f in findings if f.fixable])
    assert fixed.encode("utf-8", "surrogateescape") == case.fixed


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_main_check(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(case.path).write_bytes(case.source)
    assert main([case.path]) == (exitcodes.FINDINGS if case.lines else exitcodes.OK)
    assert tuple(capsys.readouterr().out.splitlines()) == case.lines
    assert Path(case.path).read_bytes() == case.source


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_main_fix(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(case.path).write_bytes(case.source)
    changed = case.fixed != case.source
    assert main(["--fix", case.path]) == (exitcodes.FINDINGS if changed else exitcodes.OK)
    assert Path(case.path).read_bytes() == case.fixed
    expected = case.lines + ((f"Fixed {case.path}",) if changed else ())
    assert tuple(capsys.readouterr().out.splitlines()) == expected
    # A second run finds nothing and changes nothing.
    assert main(["--fix", case.path]) == exitcodes.OK
    assert Path(case.path).read_bytes() == case.fixed


@pytest.mark.parametrize(
    ("facts", "label", "code"),
    [
        (BlockFacts(links=0, hidden=False, top_word_share=0.1), Label.SPAM, Code.SENTENCE),
        (BlockFacts(links=2, hidden=False, top_word_share=0.1), Label.SPAM, Code.SENTENCE),
        (BlockFacts(links=3, hidden=False, top_word_share=0.1), Label.SPAM, Code.LINK_LIST),
        (BlockFacts(links=0, hidden=False, top_word_share=0.25), Label.SPAM, Code.STUFFED),
        (BlockFacts(links=9, hidden=False, top_word_share=0.6), Label.SPAM, Code.LINK_LIST),
        (BlockFacts(links=9, hidden=True, top_word_share=0.6), Label.SPAM, Code.HIDDEN),
        (BlockFacts(links=9, hidden=True, top_word_share=0.6), Label.BOILERPLATE, Code.BOILERPLATE),
    ],
)
def test_finding_code(facts: BlockFacts, label: Label, code: Code) -> None:
    assert finding_code(label, facts) == code


SEED_FOOTER = (
    "ankara escort çankaya escort çankaya escort escort bayan çankaya istanbul rus escort eryaman escort "
    "ankara escort kızılay escort istanbul escort ankara escort ankara escort escort ankara istanbul rus "
    "Escort atasehir Escort beylikduzu Escort Ankara Escort malatya Escort kuşadası Escort gaziantep Escort "
    "izmir Escort"
)


def test_prose_is_not_stuffed_and_the_seed_footer_is() -> None:
    """Paragraphs of the hard negatives (articles about casinos, escorts, loans) stay under the bar."""
    folder = Path(__file__).resolve().parents[1] / "data" / "hard_negatives"
    paragraphs = [
        p for path in folder.glob("*.txt") for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 20
    ]
    assert len(paragraphs) >= 50
    assert max(block_facts(_block(p), p).top_word_share for p in paragraphs) < STUFFED_TOP_WORD_SHARE
    assert block_facts(_block(SEED_FOOTER), SEED_FOOTER).top_word_share >= STUFFED_TOP_WORD_SHARE


def _block(text: str, reasons: tuple[str, ...] = ()) -> Block:
    return Block(text, 0, len(text), 1, Label.SPAM, 0.9, True, reasons)


@pytest.mark.parametrize(
    ("span", "links", "hidden"),
    [
        ("plain words", 0, False),
        ("see https://a.example/x and <https://b.example>", 2, False),
        ("[a](https://a.example) [b][ref] [c](/local 'title')", 3, False),
        ('<a href="https://a.example">a</a><A HREF="/b">b</A>', 2, False),
        ('<div style="display: none">x</div>', 0, True),
        ('<span style="font-size:0px">x</span>', 0, True),
        ('<span style="font-size:0.9em">x</span>', 0, False),
        ('<div style="position:absolute;left:-9999px">x</div>', 0, True),
        ("<p hidden>x</p>", 0, True),
        ("<p class=visually-hidden-not>x</p>", 0, False),
    ],
)
def test_block_facts(span: str, links: int, hidden: bool) -> None:
    facts = block_facts(_block("x"), span)
    assert (facts.links, facts.hidden) == (links, hidden)


def test_hidden_from_reasons() -> None:
    assert block_facts(_block("x", ("hidden from readers by markup",)), "<p>x</p>").hidden


@pytest.mark.parametrize(
    ("source", "ignored"),
    [
        ("<!-- spamguard: ignore -->\nSPAM\n", True),
        ("<!--spamguard:ignore-->\r\nSPAM\r\n", True),
        ("<!-- spamguard: ignore -->\n\nSPAM\n", False),  # only the line right before
        ("text <!-- spamguard: ignore -->\nSPAM\n", False),  # that line belongs to other text
        ("<p>x</p><!-- spamguard: ignore -->SPAM\n", True),
        ("SPAM spamguard: ignore\n", True),
        ("SPAM <!-- spamguard: ignore -->\n", True),
        ("SPAM\nmore SPAM # spamguard: ignore\n", True),  # any line of the block
        ("SPAM spamguard: ignore this please\n", False),
        ("SPAM\n", False),
    ],
)
def test_is_ignored(source: str, ignored: bool) -> None:
    start = source.index("SPAM")
    end = source.rindex("SPAM") + len("SPAM")
    assert is_ignored(source, start, end) is ignored


@pytest.mark.parametrize(
    ("text", "span", "allowed"),
    [
        ("Play at casino", "[Play at casino](https://www.casino.example/x)", True),
        ("Play", "[Play](https://games.casino.example)", True),  # subdomain
        ("Play", "[Play](https://notcasino.example)", False),
        ("Play here and there", "[here](https://casino.example) [there](https://spam.example)", False),
        ("No links at all", "No links at all", False),
        ("Our Sponsor:  Acme Bets", "Our Sponsor: Acme Bets", True),  # phrase, whitespace and case folded
    ],
)
def test_is_allowed(text: str, span: str, allowed: bool) -> None:
    config = HookConfig(allowed_domains=("casino.example",), allowed_phrases=("our sponsor: acme",))
    assert is_allowed(text, span, config) is allowed


@pytest.mark.parametrize(
    ("source", "cut", "expected"),
    [
        ("a\n\nX\n\nb\n", "X", "a\n\nb\n"),
        ("X\n\nb\n", "X", "b\n"),
        ("a\n\nX\n", "X", "a\n"),
        ("a\n\nX", "X", "a\n"),
        ("a\nX\nb\n", "X", "a\nb\n"),
        ("a\r\n\r\nX\r\n\r\nb\r\n", "X", "a\r\n\r\nb\r\n"),
        ("  X  \nb\n", "X", "b\n"),  # indentation and trailing spaces go with the line
        ("<p>a</p>X<p>b</p>\n", "X", "<p>a</p><p>b</p>\n"),  # shares its line: the span only
        ("a\n\nX\nY\n\nb\n", "X\nY", "a\n\nb\n"),
        ("X", "X", ""),
    ],
)
def test_remove_spans(source: str, cut: str, expected: str) -> None:
    start = source.index(cut)
    assert remove_spans(source, [(start, start + len(cut))]) == expected


def test_remove_spans_several_and_overlapping() -> None:
    source = "a\n\nX\n\nY\n\nb\n"
    x, y = source.index("X"), source.index("Y")
    assert remove_spans(source, [(y, y + 1), (x, x + 1), (x, x + 1)]) == "a\n\nb\n"


def test_position_counts_columns_from_one() -> None:
    assert position("ab\ncd", 0) == (1, 1)
    assert position("ab\ncd", 4) == (2, 2)
    assert position("ab\r\ncd", 5) == (2, 2)


def test_snippet_is_one_short_line() -> None:
    finding = Finding("a.md", 1, 1, Code.SENTENCE, Label.SPAM, 0.9, 'say "hi"\n' + "word " * 40, 0, 1)
    assert finding.snippet.endswith("…") and len(finding.snippet) <= 60
    assert '\\"hi\\"' in finding.format()


def test_html_span_with_more_than_its_text_is_not_cut() -> None:
    source = "<div>casino <p>Real text.</p></div>"
    block = Block("casino", 0, len(source), 1, Label.SPAM, 0.97, True)
    content = Block("Real text.", 11, 28, 1, Label.CONTENT, 0.99, False)
    findings = find("a.html", source, CleanResult("", (block, content), Kind.HTML), HookConfig())
    assert [finding.fixable for finding in findings] == [False]


# Options of `spamguard check`, through main.


def _write(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the project root
    _write("a.md", "Intro.\n\nBest casino bonus.\n\nSubscribe to our newsletter.\n\nMaybe a casino.\n")
    return tmp_path


def test_labels_and_min_score(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--labels", "spam,boilerplate", "--min-score", "0.5", "a.md"]) == exitcodes.FINDINGS
    codes = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert codes == ["SG103", "SG201", "SG103"]


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "json", "a.md"]) == exitcodes.FINDINGS
    report = json.loads(capsys.readouterr().out)
    assert report["fixed"] == []
    assert [(f["path"], f["line"], f["col"], f["code"], f["label"]) for f in report["findings"]] == [
        ("a.md", 3, 1, "SG103", "spam")
    ]
    assert report["findings"][0]["description"] == Code.SENTENCE.description


def test_a_file_the_parser_cannot_read_is_named_and_the_others_still_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write("deep.html", too_deep_html("Best casino bonus."))
    _write("b.html", "<html><body><p>Intro.</p><p>Best casino bonus.</p></body></html>")
    assert main(["--format", "json", "--fix", "deep.html", "b.html"]) == exitcodes.FINDINGS
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["fixed"] == ["b.html"]
    assert [entry["path"] for entry in report["unreadable"]] == ["deep.html"]
    assert "deep.html: cannot check: HTML the parser cannot read whole" in out.err
    assert "casino" in Path("deep.html").read_text()
    # Alone, the unreadable file still fails the hook: nothing was checked.
    assert main(["deep.html"]) == exitcodes.FINDINGS


def test_config_file_sets_options(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write("pyproject.toml", '[tool.spamguard]\nlabels = ["spam", "boilerplate"]\nmin-score = 0.5\n')
    assert main(["a.md"]) == exitcodes.FINDINGS
    assert len(capsys.readouterr().out.splitlines()) == 3
    # Command-line options win over the file.
    assert main(["--min-score", "0.95", "--labels", "spam", "a.md"]) == exitcodes.FINDINGS
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_exclude_globs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write("legacy/old.md", "Best casino bonus.\n")
    _write(".spamguard.toml", 'exclude = ["legacy/**", "a.md"]\n')
    assert main(["a.md", "legacy/old.md"]) == exitcodes.OK
    assert capsys.readouterr().out == ""


def test_allowed_domains_and_phrases(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        "b.md",
        "[Our casino partner](https://casino.example)\n\n"
        "[Other casino](https://casino.example) [spam](https://spam.example)\n\n"
        "Casino night at the club, sponsored by Acme.\n\n"
        "Casino night elsewhere.\n",
    )
    _write(".spamguard.toml", 'allowed-domains = ["casino.example"]\nallowed-phrases = ["sponsored by acme"]\n')
    assert main(["b.md"]) == exitcodes.FINDINGS
    assert [line.split(":")[1] for line in capsys.readouterr().out.splitlines()] == ["3", "7"]


def test_baseline_lets_only_new_findings_fail(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--write-baseline", "a.md"]) == exitcodes.OK
    assert "Wrote 1 findings" in capsys.readouterr().out
    assert main(["a.md"]) == exitcodes.OK
    # Lines move and the block is re-wrapped: still accepted.
    _write("a.md", "New intro.\n\nMore.\n\nBest   casino\nbonus.\n")
    assert main(["a.md"]) == exitcodes.OK
    # A second copy and a new block are new findings.
    _write("a.md", "Best casino bonus.\n\nBest casino bonus.\n\nFree escort ads.\n")
    assert main(["a.md"]) == exitcodes.FINDINGS
    assert [line.split(":")[1] for line in capsys.readouterr().out.splitlines()] == ["3", "5"]
    # --fix leaves accepted blocks alone.
    assert main(["--fix", "a.md"]) == exitcodes.FINDINGS
    assert Path("a.md").read_text(encoding="utf-8") == "Best casino bonus.\n"


def test_baseline_path_option(project: Path) -> None:
    assert main(["--write-baseline", "--baseline", "custom.json", "a.md"]) == exitcodes.OK
    assert json.loads(Path("custom.json").read_text(encoding="utf-8"))["findings"][0]["path"] == "a.md"
    assert main(["a.md"]) == exitcodes.FINDINGS
    assert main(["--baseline", "custom.json", "a.md"]) == exitcodes.OK


def test_paths_are_keyed_from_the_project_root(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write("docs/b.md", "Best casino bonus.\n")
    assert main(["--write-baseline", "docs/b.md"]) == exitcodes.OK
    monkeypatch.chdir(project / "docs")
    assert main(["b.md"]) == exitcodes.OK


@pytest.mark.parametrize(
    ("argv", "config", "message"),
    [
        (["--min-score", "high", "a.md"], "", "--min-score"),
        (["--min-score", "1.5", "a.md"], "", "--min-score"),
        (["--labels", "spam,content", "a.md"], "", "--labels"),
        (["--format", "xml", "a.md"], "", "--format"),
        (["missing.md"], "", "missing.md"),
        (["a.md"], "[tool.spamguard]\nmin_score = 0.5\n", "pyproject.toml: [tool.spamguard]: unknown key 'min_score'"),
        (["a.md"], "[tool.spamguard]\nlabels = 'spam'\n", "pyproject.toml: [tool.spamguard]: labels"),
        (["a.md"], "[tool.spamguard\n", "pyproject.toml: invalid TOML"),
    ],
)
def test_usage_errors_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], config: str, message: str
) -> None:
    if config:
        _write("pyproject.toml", config)
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse
        code = exit_.code
    assert code == exitcodes.USAGE
    assert message in capsys.readouterr().err


def test_bad_baseline_file_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(".spamguard-baseline.json", "[1, 2]")
    assert main(["a.md"]) == exitcodes.USAGE
    assert ".spamguard-baseline.json: not a spamguard baseline" in capsys.readouterr().err


def test_config_and_baseline_files_are_not_checked(project: Path) -> None:
    _write(".spamguard.toml", 'allowed-phrases = ["casino night"]\n')
    assert main(["--write-baseline", "a.md"]) == exitcodes.OK
    assert main([".spamguard.toml", ".spamguard-baseline.json"]) == exitcodes.OK


def test_large_batches_split_across_processes_give_the_same_results() -> None:
    texts = [f"Post {n}.\n\nBest casino bonus {n}.\n" for n in range(4 * check.PARALLEL_MIN_DOCUMENTS + 3)]
    cleaner = KeywordCleaner()
    assert check._clean_many(cleaner, texts, Kind.MARKDOWN) == cleaner.clean_many(texts, kind="markdown")


def test_no_files_is_clean(project: Path) -> None:
    assert main([]) == exitcodes.OK
