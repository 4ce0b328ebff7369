"""Which blocks belong together: boxes and lists in HTML, runs of lines in text."""
from __future__ import annotations

import pytest

from spamguard.groups import block_groups, box_of
from spamguard.segment import segment
from spamguard.types import Kind


def _groups(source: str, kind: Kind) -> list[list[str]]:
    segments = segment(source, kind)
    return [[segments[index].text for index in group] for group in block_groups(segments, kind, source)]


SPONSORED_BOX = ('<div class="ads"><h4>Sponsored links</h4><ul><li><a href="https://a.example">slot gacor</a></li>'
                 '<li><a href="https://b.example">judi online</a></li></ul></div>')


@pytest.mark.parametrize("depth", [0, 20])
def test_a_box_is_the_parent_above_any_list_however_deep_the_page(depth: int) -> None:
    html = f"<html><body>{'<div>' * depth}{SPONSORED_BOX}<p>After the box.</p>{'</div>' * depth}</body></html>"
    title, first, second, after = segment(html, Kind.HTML)
    assert box_of(title) == box_of(first) == box_of(second) == title.ancestors[-2]
    assert box_of(after) == after.ancestors[-2] != box_of(title)


def test_a_nested_list_item_is_boxed_by_the_item_around_its_list() -> None:
    html = "<html><body><ol><li>Outer item<ul><li>Inner item</li></ul></li></ol></body></html>"
    outer, inner = segment(html, Kind.HTML)
    assert box_of(inner) == outer.ancestors[-1]


def test_a_sponsored_box_is_one_group_and_its_list_another() -> None:
    html = (
        "<html><body><article><p>The council met on Tuesday to approve the new budget for the library.</p>"
        "<p>It passed by seven votes to two after a long debate about opening hours.</p></article>"
        f"{SPONSORED_BOX}</body></html>"
    )
    assert _groups(html, Kind.HTML) == [
        ["The council met on Tuesday to approve the new budget for the library.",
         "It passed by seven votes to two after a long debate about opening hours."],
        ["Sponsored links", "slot gacor", "judi online"],
        ["slot gacor", "judi online"],
    ]


def test_text_lines_group_until_a_blank_line() -> None:
    text = "Library reopens\n\nThe library reopened on Monday.\n\nSponsored\nslot gacor\njudi online\n\n370 reads\n"
    assert _groups(text, Kind.TEXT) == [["Sponsored", "slot gacor", "judi online"]]


def test_a_blank_line_of_spaces_still_parts_two_runs() -> None:
    assert _groups("one line\ntwo line\n   \nthree line\nfour line\n", Kind.TEXT) == [
        ["one line", "two line"], ["three line", "four line"],
    ]
