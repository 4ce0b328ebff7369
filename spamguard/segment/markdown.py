"""Markdown: headings, paragraphs, list items and table rows with their links.

Front matter, fenced and indented code, and HTML comments are never blocks:
they are not prose to judge and must never be removed.
"""
from __future__ import annotations

import dataclasses
import re

from spamguard.segment._lines import Line, split_lines, split_point
from spamguard.segment.links import link_facts, riders_start
from spamguard.segment.spam_tails import spam_tail_start
from spamguard.types import LinkFacts, Segment

_FRONT_MATTER_FENCES = ("---", "+++")
_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
# A definition under its term (": text", the definition lists of Pandoc, PHP Markdown
# Extra and HTML-to-Markdown converters): like a list item, its indented lines continue it.
_DEFINITION = re.compile(r"^\s{0,3}:\s+\S")
_THEMATIC_BREAK = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
# The row under a table's header: "| --- | :---: |" (GFM). No two runs of white
# space meet unless a "|" parts them: "\s*\|?\s*$" backtracked through every
# space of a long line that ends in something else, quadratic in its length.
_TABLE_DELIMITER = re.compile(r"^\s{0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*(?:\|\s*)?$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")

# Inline syntax reduced to the text a reader sees.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^)]*\)")
# Link text stops at any bracket: "[^]]*" rescanned the rest of the text from
# every "[" of a page that never closes them, quadratic in its length.
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"https?://[^\s)<>\]]+")
_LEADING_MARKERS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|(?:[-*+]|\d{1,9}[.)])\s+|:\s+)+")
_EMPHASIS = re.compile(r"(?<!\\)(\*{1,3}|_{1,3}|`+|~~)")
# A backslash before ASCII punctuation writes the mark itself ("\*", "\_", as HTML-to-Markdown converters do).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# Matched against right-stripped text: "\s+#+\s*$" backtracked through every
# run of spaces, quadratic in a deeply indented list.
_TRAILING_HASHES = re.compile(r"\s#+$")


def segment_markdown(source: str) -> list[Segment]:
    """Blocks of a Markdown document in order."""
    lines = list(split_lines(source))
    segments: list[Segment] = []
    paragraph: list[Line] = []

    def flush() -> None:
        if paragraph:
            segments.extend(_segments_of(paragraph, source))
            paragraph.clear()

    index = _skip_front_matter(lines)
    fence: str | None = None
    # An indented line after a list item continues the item; elsewhere it is code.
    in_list = False
    while index < len(lines):
        line = lines[index]
        index += 1
        fence_match = _CODE_FENCE.match(line.text)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        if fence_match:
            flush()
            fence, in_list = fence_match.group(1), False
            continue
        if line.blank or _HTML_COMMENT_LINE.match(line.text) or _THEMATIC_BREAK.match(line.text):
            flush()
            continue
        if not paragraph and _INDENTED_CODE.match(line.text) and not in_list:
            continue
        if _starts_table(line, lines[index] if index < len(lines) else None):
            flush()
            index = _table_rows(lines, index - 1, source, segments)
            in_list = False
            continue
        item = _LIST_ITEM.match(line.text) or _DEFINITION.match(line.text)
        in_list = bool(item) or (in_list and bool(_INDENTED_CODE.match(line.text)))
        if _HEADING.match(line.text) or item:
            flush()
            paragraph.append(line)
            if _HEADING.match(line.text):
                flush()
            continue
        if paragraph and _SETEXT_UNDERLINE.match(line.text):
            flush()
            continue
        paragraph.append(line)
    flush()
    return [segment for segment in segments if segment.text]


def _starts_table(line: Line, following: Line | None) -> bool:
    """A table's header row: a line with a cell border above a delimiter row."""
    return (following is not None and "|" in line.text and "|" in following.text
            and bool(_TABLE_DELIMITER.match(following.text)))


def _table_rows(lines: list[Line], header: int, source: str, segments: list[Segment]) -> int:
    """Add the rows of the table whose header is ``lines[header]``, a block each, as in HTML; return the
    index of the line after the table.

    The delimiter row belongs to the header's block, so a header removed takes it along.
    """
    segments.append(_row(lines[header], lines[header + 1].end, source))
    index = header + 2
    while index < len(lines) and not lines[index].blank and "|" in lines[index].text:
        segments.append(_row(lines[index], lines[index].end, source))
        index += 1
    return index


def _row(line: Line, end: int, source: str) -> Segment:
    """One table row, its cells' text one space apart."""
    start = line.start + len(line.text) - len(line.text.lstrip())
    markup = source[start:line.end].rstrip()
    return Segment(text=_visible_text(_CELL_BORDER.sub(" ", markup)), start=start,
                   end=start + len(source[start:end].rstrip()), line=line.number, tag="p", links=_links(markup))


def _skip_front_matter(lines: list[Line]) -> int:
    """Index of the first line after YAML (---) or TOML (+++) front matter."""
    if not lines or lines[0].text.strip() not in _FRONT_MATTER_FENCES:
        return 0
    fence = lines[0].text.strip()
    for index in range(1, len(lines)):
        if lines[index].text.strip() in (fence, "..." if fence == "---" else fence):
            return index + 1
    return 0


def _segments_of(lines: list[Line], source: str) -> list[Segment]:
    """The block of these lines, and after it, as a block of its own, the links riding on it.

    A paragraph also gets its ``spam_tail``: itself cut where spam appended to it may begin.
    """
    first, last = lines[0], lines[-1]
    start = first.start + (len(first.text) - len(first.text.lstrip()))
    end = last.start + len(last.text.rstrip())
    if _HEADING.match(first.text):
        return [_segment_of(first, start, end, source)]
    riders = _riders_start(source[start:end])
    head, *rest = _cut_at(first, start, end, riders, source) if riders is not None else [
        _segment_of(first, start, end, source)]
    tail = spam_tail_start(source[start:head.end])
    if tail is not None:
        head = dataclasses.replace(head, spam_tail=tuple(_cut_at(first, start, head.end, tail, source)))
    return [head, *rest]


def _cut_at(first: Line, start: int, end: int, cut: int, source: str) -> list[Segment]:
    """The block from ``start`` to ``end`` as two, at ``cut`` characters in (``split_point``)."""
    split, lines_down = split_point(source, start, cut)
    return [_segment_of(first, start, split, source),
            _segment_of(first, split, end, source, line=first.number + lines_down)]


def _riders_start(markup: str) -> int | None:
    """Where what rides on ``markup`` begins, if anything (``riders_start``, as in HTML)."""
    links = [(match.start(), match.end(), match.group(2), match.group(1)) for match in _LINK.finditer(markup)
             if markup[match.start() - 1:match.start()] != "!"]  # an image is no link
    return riders_start(markup, links, "", visible=_visible_text)


def _segment_of(first: Line, start: int, end: int, source: str, line: int | None = None) -> Segment:
    markup = source[start:end].rstrip()
    end = start + len(markup)
    visible = _visible_text(markup)
    return Segment(
        text=visible,
        start=start,
        end=end,
        line=first.number if line is None else line,
        tag="h" if _HEADING.match(first.text) else ("li" if _LIST_ITEM.match(first.text) else "p"),
        links=_links(markup),
        heading=bool(_HEADING.match(first.text)),
        list_item=bool(_LIST_ITEM.match(first.text)),
    )


def _links(markup: str) -> LinkFacts:
    """The facts of the links in ``markup``: an image is no link; a linked image ([![alt](src)](href))
    links with its alt text."""
    links = [(match.group(2), match.group(1), "") for match in _LINK.finditer(_IMAGE.sub(r"\1", markup))]
    return link_facts(links + [(url, url, "") for url in _AUTOLINK.findall(markup)])


def _visible_text(markup: str) -> str:
    lines = [_LEADING_MARKERS.sub("", line) for line in markup.splitlines()]
    text = " ".join(lines)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TRAILING_HASHES.sub("", text.rstrip())
    text = _ESCAPED.sub(r"\1", _EMPHASIS.sub("", text))
    return " ".join(text.split())
