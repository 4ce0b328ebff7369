"""Where spam appended to a plain-text paragraph may begin, and the paragraph cut there."""
from __future__ import annotations

import pytest

from spamguard.segment import segment_text
from spamguard.segment.links import HEAD_OF_RIDING_SENTENCES
from spamguard.spam_tails import cut_segments, spam_tail_start, spam_tails

PARAGRAPH = ("Residents raised concerns about noise during construction, and the council promised night work would be "
             "limited to two weeks. Shops along the route will get help with their rent.")


@pytest.mark.parametrize("tail", [
    "Get cheap loans at https://fast-loans-247.top today.",
    "More on www.fast-loans-247.top/apply",
    "Situs slot gacor hari ini gampang menang!",
    "Great post. Buy viagra online now!",
])
def test_the_first_sentence_with_an_address_or_a_spam_term_begins_the_tail(tail: str) -> None:
    text = f"{PARAGRAPH} {tail}"
    start = spam_tail_start(text)
    assert start is not None
    assert text[start:] in (tail, tail.removeprefix("Great post. "))


@pytest.mark.parametrize("text", [
    f"{PARAGRAPH} The line opens in 2027.",  # no address, no spam term
    "Short intro. Get cheap loans at https://fast-loans-247.top today.",  # too little paragraph before it
    "Get cheap loans at https://fast-loans-247.top today, " + "x " * 100,  # the spam is the first sentence
])
def test_no_tail(text: str) -> None:
    assert spam_tail_start(text) is None


def test_the_head_must_be_long_enough() -> None:
    head = "a" * (HEAD_OF_RIDING_SENTENCES - 2) + "."
    assert spam_tail_start(f"{head} Buy viagra online now!") is None
    assert spam_tail_start(f"a{head} Buy viagra online now!") is not None


def test_cut_segments_keep_offsets_and_lines() -> None:
    wrapped = PARAGRAPH.replace(" and the council", "\nand the council", 1)  # a hard-wrapped paragraph
    source = f"Title\n\n{wrapped}  Buy viagra online at https://pills.example now!\nEnd.\n"
    segments = segment_text(source)
    cuts = spam_tails(source, segments)
    assert list(cuts) == [1]
    cut = cut_segments(segments, source, cuts)
    assert [segment.text for segment in cut] == [
        "Title", PARAGRAPH, "Buy viagra online at https://pills.example now!", "End."]
    head, tail = cut[1], cut[2]
    assert source[head.start:head.end].endswith("rent.")
    assert source[tail.start:tail.end] == "  Buy viagra online at https://pills.example now!"
    assert (head.line, tail.line) == (3, 4)  # the tail's line is where its sentence starts
    assert head.end == tail.start
