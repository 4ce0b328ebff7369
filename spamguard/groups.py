"""Which blocks of a document belong together: the entries of a list, the contents of a box, a run of lines.

A spam box (a "sponsored links" widget, an injected anchor list) is judged
entry by entry, and the model is unsure of its title and of an entry or two;
the rest of the box says what they are. These groups are how the cleaning
rules look at a box as a whole.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import groupby

from spamguard.types import Kind, Segment

# Markup steps that only hold list entries: a box's title and its list share the box.
_LIST_TAGS = frozenset({"ul", "ol", "dl", "menu"})


def block_groups(segments: Sequence[Segment], kind: Kind, source: str) -> Iterator[list[int]]:
    """Runs of two or more consecutive block indices that belong together.

    HTML: the blocks of one box (the same markup path above the block, list
    steps left out), and the items of one list. Plain text and Markdown: lines
    with no blank line between them. A block may be in more than one group.
    """
    if kind is Kind.HTML:
        yield from _runs(segments, box_of)
        yield from list_runs(segments)
    else:
        yield from _line_runs(segments, source)


def box_of(segment: Segment) -> int | None:
    """The number of the element that is an HTML block's box: its parent, above any list it is an item of.

    Element numbers, not markup paths: a path keeps only its nearest steps, so
    on a deep page a box's title and its list items, one step deeper, would
    show different paths for the same box.
    """
    steps = segment.tag_path.split(">")
    up = 1
    while up < len(steps) and _tag_of(steps[-1 - up]) in _LIST_TAGS:
        up += 1
    return segment.ancestors[-1 - up] if len(segment.ancestors) > up else None


def list_runs(segments: Sequence[Segment]) -> Iterator[list[int]]:
    """Runs of two or more consecutive list items under one markup path (in Markdown, any list items)."""
    return _runs(segments, _list_path)


def _list_path(segment: Segment) -> str | None:
    """The markup path of a list item (``""`` in Markdown), ``None`` for any other block."""
    return segment.tag_path if segment.tag == "li" else None


def _tag_of(step: str) -> str:
    """``ul`` of ``ul.menu#top``."""
    return step.split(".", 1)[0].split("#", 1)[0]


def _runs(segments: Sequence[Segment], key: Callable[[Segment], object | None]) -> Iterator[list[int]]:
    for value, run in groupby(range(len(segments)), key=lambda index: key(segments[index])):
        indices = list(run)
        if value is not None and len(indices) > 1:
            yield indices


def _line_runs(segments: Sequence[Segment], source: str) -> Iterator[list[int]]:
    run: list[int] = []
    for index, segment in enumerate(segments):
        # One line break between two blocks: they are neighbouring lines; two or more: a blank line parts them.
        if run and source.count("\n", segments[run[-1]].end, segment.start) <= 1:
            run.append(index)
            continue
        if len(run) > 1:
            yield run
        run = [index]
    if len(run) > 1:
        yield run
