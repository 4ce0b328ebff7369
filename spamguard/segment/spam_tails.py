"""Spam appended to a real paragraph: where it may begin, so the paragraph can stay.

Read as one block, a paragraph and the spam sentences written onto its end are
removed together, or kept together. Where the signs are missing that cut such
spam off at segmentation (links after the last sentence, sentences that all
carry links: ``segment.links.riders_start``), the segmenters propose a cut
(``Segment.spam_tail``) at the first sentence with a link to another site, a
web address or a spam term, and ``Cleaner`` asks the model about the two parts:
the cut stands only when it keeps the head and removes the tail as spam.
"""
from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence

from spamguard.lexicon import spam_lexicon
from spamguard.segment._lines import split_point
from spamguard.segment.links import HEAD_OF_RIDING_SENTENCES, WEB_ADDRESS, ends_a_paragraph, is_external, sentence_starts
from spamguard.types import Segment


def spam_tail_start(text: str, links: Sequence[tuple[int, int, str]] = (), page_host: str = "") -> int | None:
    """Where in ``text`` appended spam may begin; None if nowhere.

    At the first sentence that follows a paragraph of ``HEAD_OF_RIDING_SENTENCES``
    characters and holds a web address, a spam term or one of ``links``
    (``(start, end, href)`` in ``text``) that goes to another site, if a web
    address or a spam term is written from there on. (Links alone, most often a
    paragraph's sources, had 556 blocks of the corpus pages' HTML judged twice
    rather than 98, for 3 more of benchmarks.riding_links' 292 sentences cut off.)
    """
    if len(text) <= HEAD_OF_RIDING_SENTENCES:  # most blocks, told without looking for sentences
        return None
    starts = sentence_starts(text)
    # Every sentence start after the first that ends a long enough paragraph does too.
    head = HEAD_OF_RIDING_SENTENCES
    first = next((index for index, start in enumerate(starts)
                  if start > head and ends_a_paragraph(text[:start], head)), None)
    if first is None or not _spam_written(text[starts[first]:]):
        return None
    linked = sorted(start for start, _, href in links if is_external(href, page_host))
    for start, end in zip(starts[first:], [*starts[first + 1:], len(text)]):
        link = bisect.bisect_left(linked, start)
        if (link < len(linked) and linked[link] < end) or _spam_written(text[start:end]):
            return start if _spam_written(text[start:]) else None
    return None


def _spam_written(text: str) -> bool:
    return bool(WEB_ADDRESS.search(text)) or bool(spam_lexicon().families_in(text))


def with_text_tail(segment: Segment, source: str) -> Segment:
    """A plain-text ``segment`` of ``source`` with its ``spam_tail``, if it may have one.

    The parts are cut at ``split_point``: removing the tail leaves the head as
    written; the tail's line is where its sentence starts.
    """
    cut = spam_tail_start(source[segment.start:segment.end])
    if cut is None:
        return segment
    split, lines_down = split_point(source, segment.start, cut)
    head = dataclasses.replace(segment, text=" ".join(source[segment.start:split].split()), end=split)
    tail = dataclasses.replace(segment, text=" ".join(source[split:segment.end].split()), start=split,
                               line=segment.line + lines_down)
    return dataclasses.replace(segment, spam_tail=(head, tail))


def with_tails_cut(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """``segments`` with each that has a ``spam_tail`` replaced by its two parts."""
    return tuple(part for segment in segments for part in (segment.spam_tail or (segment,)))
