"""Plain-text segmentation: one block per line, continuation lines joined, offsets exact."""
from __future__ import annotations

import pytest

from spamguard.segment import segment_text

LONG = "The committee met on Thursday to discuss the budget for the coming year and"  # 76 chars, no end mark

CASES = [
    # (id, source, expected block texts)
    ("one line", "Hello world.", ["Hello world."]),
    ("one block per line", "Home News Sport\nWhy Support Us?\n412 reads", ["Home News Sport", "Why Support Us?", "412 reads"]),
    ("blank lines split", "First.\n\nSecond.\n\n\n\nThird.", ["First.", "Second.", "Third."]),
    ("space continuation joins", "Six out of seven came.\n Isolated, Belarus was keen.", ["Six out of seven came. Isolated, Belarus was keen."]),
    ("tab continuation joins", "A sentence.\n\tmore of it.", ["A sentence. more of it."]),
    ("four-space indent is not a continuation", "A line.\n    code here", ["A line.", "code here"]),
    ("hard-wrapped lower-case continuation joins", f"{LONG}\nthe one after it.", [f"{LONG} the one after it."]),
    ("short line then lower-case line stays split", "370 reads\nankara escort", ["370 reads", "ankara escort"]),
    ("sentence end then lower-case line stays split", LONG + ".\nlower case start", [LONG + ".", "lower case start"]),
    ("a line ending in a web address is not wrapped into the next",
     "The full ruling is published on the court's website at https://court.example/ruling\nslot gacor maxwin",
     ["The full ruling is published on the court's website at https://court.example/ruling", "slot gacor maxwin"]),
    ("upper-case line after long line stays split", f"{LONG}\nThe next one.", [LONG, "The next one."]),
    ("inner whitespace collapsed", "a  lot\u00a0of   space  ", ["a lot of space"]),
    ("crlf", "One.\r\nTwo.\r\n\r\nThree.\r\n", ["One.", "Two.", "Three."]),
    ("crlf continuation", "One.\r\n more.\r\n", ["One. more."]),
    ("bare cr", "One.\rTwo.", ["One.", "Two."]),
    ("empty", "", []),
    ("only whitespace", " \n\t\n\r\n  ", []),
]


@pytest.mark.parametrize(("source", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_blocks(source: str, expected: list[str]) -> None:
    assert [segment.text for segment in segment_text(source)] == expected


@pytest.mark.parametrize("source", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_offsets_round_trip(source: str) -> None:
    for segment in segment_text(source):
        assert " ".join(source[segment.start:segment.end].split()) == segment.text
        # The span starts and ends on the text, not on surrounding whitespace.
        assert source[segment.start:segment.end] == source[segment.start:segment.end].strip()


def test_line_numbers_are_one_based_and_count_crlf_once() -> None:
    source = "Title\r\n\r\nFirst paragraph.\r\n continued.\r\nNext.\r\n"
    segments = segment_text(source)
    assert [(segment.text, segment.line) for segment in segments] == [
        ("Title", 1), ("First paragraph. continued.", 3), ("Next.", 5),
    ]
    for segment in segments:
        assert source.count("\n", 0, segment.start) + 1 == segment.line


def test_seed_shape() -> None:
    source = (
        "Tag one tag two tag three\n"
        "Why Support The Digest?\n"
        "\n"
        "A Title Here\n"
        "\n"
        "First sentence of the story.\n"
        " Second sentence, cut...\n"
        "\n"
        "\n"
        "First sentence of the story.\n"
        " Second sentence, complete.\n"
        "\n"
        "Author Name\n"
        "370 reads\n"
        "stuffed escort line escort\n"
    )
    assert [(segment.line, segment.text) for segment in segment_text(source)] == [
        (1, "Tag one tag two tag three"),
        (2, "Why Support The Digest?"),
        (4, "A Title Here"),
        (6, "First sentence of the story. Second sentence, cut..."),
        (10, "First sentence of the story. Second sentence, complete."),
        (13, "Author Name"),
        (14, "370 reads"),
        (15, "stuffed escort line escort"),
    ]


def test_plain_text_blocks_carry_no_markup_facts() -> None:
    (segment,) = segment_text("Visit [this](https://example.com) <a href='https://x.org'>now</a>")
    assert segment.links.count == 0
    assert segment.hidden == ""
    assert not segment.heading and not segment.list_item


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\x0c"])
def test_line_numbers_count_only_newlines(separator: str) -> None:
    source = f"First line with a{separator}separator inside.\nSecond line."
    last = segment_text(source)[-1]
    assert last.text == "Second line."
    assert last.line == 2
