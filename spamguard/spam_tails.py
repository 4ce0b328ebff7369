"""Spam written onto the end of a real paragraph of plain text: where it may begin.

A plain-text dump has no links to show where a paragraph ends and a spam
sentence appended to it begins, so the model reads the two as one block and
removing it as spam loses the paragraph. ``Cleaner`` asks the model again about
such a block cut where the first sentence with a web address or a spam term
begins, and keeps the head when the model then keeps it and removes the rest.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from spamguard.lexicon import spam_lexicon
from spamguard.segment.links import HEAD_OF_RIDING_SENTENCES, ends_a_paragraph, sentence_starts
from spamguard.types import Segment

_WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)


def spam_tails(source: str, segments: Sequence[Segment]) -> dict[int, int]:
    """For each of the plain-text ``segments`` of ``source`` that may end in spam: where in it that begins."""
    found = {}
    for index, segment in enumerate(segments):
        cut = spam_tail_start(source[segment.start:segment.end])
        if cut is not None:
            found[index] = cut
    return found


def spam_tail_start(text: str) -> int | None:
    """Where in ``text`` the first sentence that carries a web address or a spam term begins,
    after a paragraph of ``HEAD_OF_RIDING_SENTENCES`` characters that ends a sentence; None if none."""
    if len(text) <= HEAD_OF_RIDING_SENTENCES:  # most blocks, told without looking for sentences
        return None
    starts = sentence_starts(text)
    for start, end in zip(starts, [*starts[1:], len(text)]):
        if ends_a_paragraph(text[:start], HEAD_OF_RIDING_SENTENCES) and _carries_spam_signal(text[start:end]):
            return start
    return None


def _carries_spam_signal(sentence: str) -> bool:
    return bool(_WEB_ADDRESS.search(sentence)) or bool(spam_lexicon().families_in(sentence))


def cut_segments(segments: Sequence[Segment], source: str, cuts: dict[int, int]) -> tuple[Segment, ...]:
    """``segments`` with each one named in ``cuts`` split in two at its offset there (``spam_tails``)."""
    result: list[Segment] = []
    for index, segment in enumerate(segments):
        result.extend(_split(segment, source, cuts[index]) if index in cuts else (segment,))
    return tuple(result)


def _split(segment: Segment, source: str, cut: int) -> tuple[Segment, Segment]:
    """A plain-text ``segment`` as two, at ``cut`` characters into ``source[segment.start:segment.end]``.

    The white space between goes with the second, so that removing it leaves the first as written.
    """
    raw = source[segment.start:segment.end]
    split = segment.start + len(raw[:cut].rstrip())
    head = dataclasses.replace(segment, text=" ".join(source[segment.start:split].split()), end=split)
    tail = dataclasses.replace(segment, text=" ".join(source[split:segment.end].split()), start=split,
                               line=segment.line + source.count("\n", segment.start, segment.start + cut))
    return head, tail
