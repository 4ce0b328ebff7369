"""Markdown segmentation: headings, paragraphs, list items and table rows with their links; never code or front matter."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from spamguard.segment import segment_markdown

CASES = [
    # (id, source, expected (tag, text) pairs)
    ("heading and paragraph", "# Title\n\nSome text here.\n", [("h", "Title"), ("p", "Some text here.")]),
    ("closing hashes dropped", "## Section ##\n", [("h", "Section")]),
    ("closing hashes before trailing spaces", "## Section ##   \n", [("h", "Section")]),
    ("a hash inside a word stays", "# C# in a week\n", [("h", "C# in a week")]),
    ("paragraph lines join", "One line\nand the next.\n", [("p", "One line and the next.")]),
    ("heading interrupts paragraph", "Some text.\n# Head\nMore.\n", [("p", "Some text."), ("h", "Head"), ("p", "More.")]),
    ("list items", "- one\n- two\n* three\n+ four\n", [("li", "one"), ("li", "two"), ("li", "three"), ("li", "four")]),
    ("ordered list items", "1. first\n2) second\n", [("li", "first"), ("li", "second")]),
    ("list item continuation", "- item one\n  continued here\n- item two\n", [("li", "item one continued here"), ("li", "item two")]),
    ("emphasis removed", "Some **bold** and _italic_ and `code`.\n", [("p", "Some bold and italic and code.")]),
    ("escaped marks are the marks", "\\* Subject to change, see snake\\_case.\n", [("p", "* Subject to change, see snake_case.")]),
    ("link reduced to its text", "Read [the report](https://example.org/r).\n", [("p", "Read the report.")]),
    ("image reduced to its alt", "![A bridge](img.png) at dusk.\n", [("p", "A bridge at dusk.")]),
    ("link text ends at a bracket", "See [notes [here](https://example.org/n).\n", [("p", "See [notes here.")]),
    ("quote markers dropped", "> Quoted words.\n", [("p", "Quoted words.")]),
    ("thematic break splits", "Above.\n\n***\n\nBelow.\n", [("p", "Above."), ("p", "Below.")]),
    ("html comment line skipped", "Text.\n<!-- note to self -->\nMore.\n", [("p", "Text."), ("p", "More.")]),
    ("yaml front matter", "---\ntitle: Casino escort viagra\ntags: [a, b]\n---\n\nBody.\n", [("p", "Body.")]),
    ("yaml front matter ended by dots", "---\ntitle: x\n...\nBody.\n", [("p", "Body.")]),
    ("toml front matter", '+++\ntitle = "Casino"\n+++\nBody.\n', [("p", "Body.")]),
    ("dashes later are not front matter", "Body.\n\n---\n\nMore.\n", [("p", "Body."), ("p", "More.")]),
    ("fenced code skipped", "Before.\n\n```python\nbuy = 'cheap viagra'\n```\n\nAfter.\n", [("p", "Before."), ("p", "After.")]),
    ("tilde fence skipped", "~~~\nslot gacor\n~~~\nAfter.\n", [("p", "After.")]),
    ("longer fence needs longer close", "````\n```\nstill code\n````\nAfter.\n", [("p", "After.")]),
    ("unclosed fence swallows the rest", "Text.\n```\ncode\nmore code\n", [("p", "Text.")]),
    ("indented code skipped", "Before.\n\n    x = 1\n    y = 2\n\nAfter.\n", [("p", "Before."), ("p", "After.")]),
    ("crlf", "# T\r\n\r\nA para\r\nline two.\r\n", [("h", "T"), ("p", "A para line two.")]),
    ("a definition under its term", "Promise()\n:   Creates a new promise.\n", [("p", "Promise()"), ("p", "Creates a new promise.")]),
    ("a definition's indented lines continue it", "Term\n:   Defined here.\n\n    More of it, no code.\n\n    x = 1\n",
     [("p", "Term"), ("p", "Defined here."), ("p", "More of it, no code."), ("p", "x = 1")]),
    ("indented code after a paragraph stays code", "Text.\n\n    x = 1\n", [("p", "Text.")]),
    ("table rows each a block", "Standings:\n\n| Pos | Driver |\n| --- | :---: |\n| 1 | Kyle Busch |\n| 2 | Truex |\n\nAfter.\n",
     [("p", "Standings:"), ("p", "Pos Driver"), ("p", "1 Kyle Busch"), ("p", "2 Truex"), ("p", "After.")]),
    ("table without outer pipes", "a | b\n--- | ---\n1 | 2\n", [("p", "a b"), ("p", "1 2")]),
    ("table with an empty header", "|  |  |\n| --- | --- |\n| x | y |\n", [("p", "x y")]),
    ("escaped pipe stays in its cell", "| a \\| b | c |\n|---|---|\n", [("p", "a | b c")]),
    ("a table interrupts a paragraph", "Text.\n| a | b |\n|---|---|\n", [("p", "Text."), ("p", "a b")]),
    ("a pipe without a delimiter row is text", "Red | green | blue.\n---\n", [("p", "Red | green | blue.")]),
]


@pytest.mark.parametrize(("source", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_blocks(source: str, expected: list[tuple[str, str]]) -> None:
    assert [(segment.tag, segment.text) for segment in segment_markdown(source)] == expected


@pytest.mark.parametrize("source", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_span_covers_the_source_lines(source: str) -> None:
    segments = segment_markdown(source)
    previous_end = 0
    for segment in segments:
        span = source[segment.start:segment.end]
        assert segment.start >= previous_end
        assert span == span.strip()
        # Every word the block shows comes from its own span.
        for word in segment.text.split():
            assert word.strip(".,") in re.sub(r"\\(.)", r"\1", span)  # a backslash escape shows its mark
        assert source.count("\n", 0, segment.start) + 1 == segment.line
        previous_end = segment.end


def test_a_table_header_takes_its_delimiter_row_and_a_linked_cell_links() -> None:
    source = "| Name | Site |\n| --- | --- |\n| Ana | [home](https://ana.example/) |\n"
    header, row = segment_markdown(source)
    assert source[header.start:header.end] == "| Name | Site |\n| --- | --- |"
    assert (header.line, row.line) == (1, 3)
    assert source[row.start:row.end] == "| Ana | [home](https://ana.example/) |"
    assert (row.text, row.links.count, row.links.domains) == ("Ana home", 1, ("ana.example",))


def test_flags_and_lines() -> None:
    source = "---\ntitle: t\n---\n# Head\n\nPara.\n\n- item\n"
    segments = segment_markdown(source)
    assert [(segment.line, segment.heading, segment.list_item) for segment in segments] == [
        (4, True, False), (6, False, False), (8, False, True),
    ]
    assert source[segments[0].start:segments[0].end] == "# Head"
    assert source[segments[2].start:segments[2].end] == "- item"


def test_multi_line_span() -> None:
    source = "Intro.\n\nFirst line of it\nsecond line of it.\n\nOutro.\n"
    segment = segment_markdown(source)[1]
    assert source[segment.start:segment.end] == "First line of it\nsecond line of it."
    assert segment.line == 3


def test_links_collected_with_domains() -> None:
    source = (
        "See [one](https://www.Example.com/a), [two](http://news.example.org/b \"title\"), "
        "[local](/about) and <https://other.net/c>.\n"
    )
    (segment,) = segment_markdown(source)
    assert segment.text == "See one, two, local and https://other.net/c."
    links = segment.links
    assert links.count == 4
    assert links.domains == ("example.com", "news.example.org", "other.net")
    assert links.external == 3
    assert links.anchor_texts == ("one", "two", "local", "https://other.net/c")
    assert links.chars_in_links == len("one") + len("two") + len("local") + len("https://other.net/c")


def test_anchor_list_items_each_carry_their_link() -> None:
    source = "- [casino bonus](https://spin.example/a)\n- [free spins](https://spin.example/b)\n"
    segments = segment_markdown(source)
    assert [(segment.text, segment.links.count, segment.links.domains) for segment in segments] == [
        ("casino bonus", 1, ("spin.example",)), ("free spins", 1, ("spin.example",)),
    ]


def test_an_image_is_no_link_but_a_linked_image_links_to_its_target() -> None:
    source = "Our chart ![Sales by month](https://cdn.example.com/chart.png) and [![CI](https://img.example/b.svg)](https://ci.example.org)\n"
    (segment,) = segment_markdown(source)
    assert segment.text == "Our chart Sales by month and CI"
    assert (segment.links.count, segment.links.domains, segment.links.anchor_texts) == (1, ("ci.example.org",), ("CI",))


def test_code_and_front_matter_text_never_appears() -> None:
    source = (
        "---\nsecret: frontmatter-token\n---\n\nProse one.\n\n```\nfenced-token\n```\n\n"
        "    indented-token\n\nProse two.\n"
    )
    texts = " ".join(segment.text for segment in segment_markdown(source))
    assert texts == "Prose one. Prose two."


NOISE = "Residents raised concerns about noise, and the council promised two weeks of night work."
RIDERS = "[payday loans](https://loans.example/) | [bad credit loans](https://loans.example/b)"


def test_links_to_other_sites_after_a_paragraphs_last_sentence_become_a_block_of_their_own() -> None:
    source = f"# Tram\n\n{NOISE} {RIDERS}\n\n- {NOISE} [cheap pills](https://rx.example/)\n"
    heading, paragraph, riders, item, item_riders = segment_markdown(source)
    assert (paragraph.text, paragraph.links.count, source[paragraph.start:paragraph.end]) == (NOISE, 0, NOISE)
    assert (riders.text, riders.links.external, riders.line) == ("payday loans | bad credit loans", 2, 3)
    assert source[riders.start:riders.end] == f" {RIDERS}"  # cutting it leaves the paragraph as written
    assert (item.tag, item.text, item_riders.tag, item_riders.text) == ("li", NOISE, "li", "cheap pills")


@pytest.mark.parametrize("tail, why", [
    ("[the plan](/plan)", "a link to the same site"),
    ("<https://region.example/report>", "a link that shows its address"),
    ("[region.example/report](https://region.example/report)", "an anchor that is an address"),
    ("![a chart](https://cdn.example/c.png)", "an image"),
    (f"{RIDERS} and more.", "text after the links"),
])
def test_a_paragraph_keeps_its_last_links_when(tail: str, why: str) -> None:
    assert len(segment_markdown(f"{NOISE} {tail}\n")) == 1, why


def test_links_after_a_short_line_are_no_riders() -> None:
    assert len(segment_markdown(f"Too short. {RIDERS}\n")) == 1


LONG_NOISE = (f"{NOISE} Shops along the route will get help with their rent while the street is closed, "
              "the council said.")


def test_last_sentences_that_carry_links_to_other_sites_become_a_block_of_their_own() -> None:
    riders = "For the best rates, visit [payday loans](https://loans.example/) today."
    paragraph, cut = segment_markdown(f"{LONG_NOISE} {riders}\n")
    assert (paragraph.text, cut.text, cut.links.external) == (LONG_NOISE, "For the best rates, visit payday loans today.", 1)


def test_a_short_paragraph_keeps_its_last_sentence_with_a_link() -> None:
    assert len(segment_markdown(f"{NOISE} For the best rates, visit [payday loans](https://loans.example/) today.\n")) == 1


def test_a_long_line_under_a_table_header_is_read_in_linear_time() -> None:
    code = ("from spamguard.segment import segment_markdown; "
            "segment_markdown('| a | b |\\n|- ' + ' ' * 200_000 + 'x|\\n')")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
