"""Which blocks belong together: boxes and lists in HTML, runs of lines in text."""
from __future__ import annotations

import pytest

from spamguard.groups import block_groups, box_path
from spamguard.segment import segment
from spamguard.types import Kind


def _groups(source: str, kind: Kind) -> list[list[str]]:
    segments = segment(source, kind)
    return [[segments[index].text for index in group] for group in block_groups(segments, kind, source)]


@pytest.mark.parametrize(("tag_path", "box"), [
    ("html>body>div.ads>h3", "html>body>div.ads"),
    ("html>body>div.ads>ul>li", "html>body>div.ads"),
    ("html>body>div.ads>ul.links#top>li", "html>body>div.ads"),
    ("html>body>div.ads>ol>li>ul>li", "html>body>div.ads>ol>li"),
    ("html>body>p", "html>body"),
])
def test_a_box_is_the_parent_above_any_list(tag_path: str, box: str) -> None:
    assert box_path(tag_path) == box


def test_a_sponsored_box_is_one_group_and_its_list_another() -> None:
    html = (
        "<html><body><article><p>The council met on Tuesday to approve the new budget for the library.</p>"
        "<p>It passed by seven votes to two after a long debate about opening hours.</p></article>"
        '<div class="ads"><h4>Sponsored links</h4><ul><li><a href="https://a.example">slot gacor</a></li>'
        '<li><a href="https://b.example">judi online</a></li></ul></div></body></html>'
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
