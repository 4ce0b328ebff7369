"""HTML: one block per run of text between block-level tags, with link and visibility facts."""
from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from dataclasses import dataclass, field

import lxml.etree

from spamguard.segment._lines import LineIndex
from spamguard.segment.links import (
    HEAD_OF_RIDING_SENTENCES,
    PARAGRAPH_CHARS,
    host_of,
    is_external,
    link_facts,
    riders_start,
    rides,
)
from spamguard.segment.spam_tails import spam_tail_start
from spamguard.segment.stylesheet import HidingRules, hiding_style
from spamguard.types import Segment

BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main marquee menu nav
    noscript ol p pre section summary table tbody tfoot thead tr ul""".split()
)
# Never text a reader sees as prose. Not <embed>: it has no text, and libxml2,
# which does not know it has no end tag, puts the paragraphs after it inside it.
SKIP_TAGS = frozenset("script style template head title iframe object canvas textarea select".split())
# SVG and MathML: not prose, but a browser closes them at the first of these
# start tags and reads on as HTML (HTML's parsing rules for foreign content);
# libxml2 instead nests the rest of the page inside an unclosed <svg>.
FOREIGN_TAGS = frozenset(("svg", "math"))
_BREAKS_OUT_OF_FOREIGN = frozenset(
    """b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li
    listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var""".split()
)
_FONT_BREAKS_OUT = ("color", "face", "size")
# Where SVG and MathML hold HTML without leaving it (libxml2 lower-cases foreignObject):
# a tooltip (<desc>) is not prose either.
_HOLDS_HTML_INSIDE_FOREIGN = frozenset("foreignobject desc title mi mo mn ms mtext annotation-xml".split())
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Elements that hide their text by what they are.
HIDING_TAGS = {"noscript": "noscript", "marquee": "marquee"}

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_END_TAG = re.compile(r"</html\s*>", re.IGNORECASE)
_PATH_DEPTH = 12
# Stands for a <br> in a block's text parts; white space once joined.
_BREAK = "\n"


def hiding_reason(element: lxml.etree._Element) -> str:
    """Why ``element`` hides its content from readers, or ``""``."""
    if element.tag in HIDING_TAGS:
        return HIDING_TAGS[element.tag]
    if element.get("hidden") is not None:
        return "hidden attribute"
    style = element.get("style")
    return hiding_style(style) if style else ""


def _step(element: lxml.etree._Element) -> str:
    """``div#main.post``: the element's tag, ids and classes."""
    step = element.tag
    ids, classes = element.get("id"), element.get("class")
    if ids:
        step += "#" + "#".join(ids.split())
    if classes:
        step += "." + ".".join(classes.split())
    return step


def _paths_and_ancestors(elements: list[lxml.etree._Element | None]) -> tuple[list[str], list[tuple[int, ...]]]:
    """Each element's ``div#main.post>p``-style path (its nearest ``_PATH_DEPTH`` steps), and a
    number for it and each of its ancestors, root first: blocks in one box share its number.

    Blocks share their ancestors, so each element is named and numbered once
    per page rather than once for every block below it.
    """
    known: dict[lxml.etree._Element, tuple[tuple[str, ...], tuple[int, ...]]] = {}
    chains = [_chain(element, known) if element is not None else ((), ()) for element in elements]
    return [">".join(steps) for steps, _ in chains], [numbers for _, numbers in chains]


def _chain(element: lxml.etree._Element, known: dict[lxml.etree._Element, tuple[tuple[str, ...], tuple[int, ...]]]
           ) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The path steps and ancestor numbers of ``element``; fills in ``known`` on the way."""
    unknown: list[lxml.etree._Element] = []
    node = element
    while node is not None and isinstance(node.tag, str) and node not in known:
        unknown.append(node)
        node = node.getparent()
    steps, numbers = known.get(node, ((), ())) if node is not None else ((), ())
    for node in reversed(unknown):
        steps, numbers = (*steps, _step(node))[-_PATH_DEPTH:], (*numbers, len(known))
        known[node] = steps, numbers
    return steps, numbers


@dataclass
class _Buffer:
    """Text collected for the block being built."""

    opener: lxml.etree._Element | None = None
    # True when the block starts at its opener's start tag, False for text that
    # follows a nested block inside the same element.
    at_start_tag: bool = False
    parts: list[str] = field(default_factory=list)
    chars: int = 0
    hidden_chars: int = 0
    hidden_reason: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)
    # The first and end part of each link's text, in step with ``links``.
    link_spans: list[tuple[int, int]] = field(default_factory=list)
    # Hidden runs cut out of this block's text, each to be a block of its own after it.
    cut_out: list[_Buffer] = field(default_factory=list)

    def ends_with_break(self) -> bool:
        """Whether nothing but white space follows the last ``<br>`` of a non-empty block."""
        for part in reversed(self.parts):
            if part == _BREAK:
                return True
            if part.strip():
                return False
        return False

    def add(self, text: str | None, hidden: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.chars += len(text)
        if hidden:
            self.hidden_chars += len(text)
            self.hidden_reason = self.hidden_reason or hidden

    def cut(self, run: _HiddenRun) -> None:
        """Move the text and links added since ``run`` began into a hidden block of their own."""
        self.cut_out.append(self._split_off(run.first_part, run.first_link, run.element, run.reason))
        self.hidden_chars = run.hidden_chars_before

    def cut_riders(self, page_host: str) -> None:
        """Move what rides on this paragraph (``riders_start``) into a block of its own.

        Links appended to a real paragraph, or sentences carrying them, are how
        spam rides on it; judged together, the paragraph would leave with them
        or they would stay. A paragraph partly hidden is left whole: which of
        its parts are hidden is not kept.
        """
        if not self.links or self.chars <= PARAGRAPH_CHARS or self.hidden_chars not in (0, self.chars):
            return
        href, anchor, _ = self.links[-1]
        if not rides(anchor, href, page_host):  # most blocks with links are menus and link lists
            return
        cut = riders_start("".join(self.parts), self._link_places(), page_host)
        if cut is not None:
            self.cut_out.append(self._split_at(cut))

    def spam_tail(self, page_host: str) -> tuple[_Buffer, _Buffer] | None:
        """This block as two, where spam appended to it may begin (``spam_tail_start``); None if nowhere.

        A block partly hidden is left whole, as by ``cut_riders``.
        """
        if self.chars <= HEAD_OF_RIDING_SENTENCES or self.hidden_chars not in (0, self.chars):
            return None
        links = [(start, end, href) for start, end, href, _ in self._link_places()]
        cut = spam_tail_start("".join(self.parts), links, page_host)
        if cut is None or any(start < cut < end for start, end, _ in links):
            return None
        head = dataclasses.replace(self, parts=list(self.parts), links=list(self.links),
                                   link_spans=list(self.link_spans), cut_out=[])
        return head, head._split_at(cut)

    def _link_places(self) -> list[tuple[int, int, str, str]]:
        """``(start, end, href, anchor)`` of each link in the block's joined text."""
        starts = list(itertools.accumulate(map(len, self.parts), initial=0))
        return [(starts[first], starts[end], href, anchor)
                for (first, end), (href, anchor, _) in zip(self.link_spans, self.links)]

    def _split_at(self, cut: int) -> _Buffer:
        """A buffer of this one's text from character ``cut`` on, with its links, taken out of this one."""
        starts = list(itertools.accumulate(map(len, self.parts), initial=0))
        part = bisect.bisect_right(starts, cut) - 1
        if cut > starts[part]:  # the cut falls inside this part: split it there
            self.parts[part:part + 1] = [self.parts[part][:cut - starts[part]], self.parts[part][cut - starts[part]:]]
            self.link_spans = [(first + (first > part), end + (end > part)) for first, end in self.link_spans]
            part += 1
        first_link = next((index for index, (first, _) in enumerate(self.link_spans) if first >= part),
                          len(self.links))
        rest = self._split_off(part, first_link, self.opener, self.hidden_reason if self.hidden_chars else "")
        self.hidden_chars -= rest.hidden_chars
        return rest

    def _split_off(self, first_part: int, first_link: int, opener: lxml.etree._Element | None,
                   hidden_reason: str = "") -> _Buffer:
        """A buffer of this one's parts and links from these on, taken out of this one; all hidden
        for ``hidden_reason``."""
        parts, links = self.parts[first_part:], self.links[first_link:]
        spans = [(start - first_part, stop - first_part) for start, stop in self.link_spans[first_link:]]
        del self.parts[first_part:], self.links[first_link:], self.link_spans[first_link:]
        chars = sum(map(len, parts))
        self.chars -= chars
        return _Buffer(opener=opener, parts=parts, chars=chars, hidden_chars=chars if hidden_reason else 0,
                       hidden_reason=hidden_reason, links=links, link_spans=spans)

    def blocks(self) -> list[_Buffer]:
        """This block and the runs cut out of it; a block that is nothing but those runs stays one block."""
        if not self.cut_out or "".join(self.parts).strip():
            return [self, *self.cut_out]
        for run in self.cut_out:
            self.link_spans += [(start + len(self.parts), stop + len(self.parts)) for start, stop in run.link_spans]
            self.parts += run.parts
            self.links += run.links
            self.chars += run.chars
            self.hidden_chars += run.hidden_chars
            self.hidden_reason = self.hidden_reason or run.hidden_reason
        self.cut_out = []
        return [self]


@dataclass
class _HiddenRun:
    """An element hiding its content; for an inline one, where its text and links begin in the block."""

    element: lxml.etree._Element
    reason: str
    buffer: _Buffer | None = None
    first_part: int = 0
    first_link: int = 0
    hidden_chars_before: int = 0

    def hides_outside_links(self, buffer: _Buffer, page_host: str) -> bool:
        """Whether this inline run, now ending inside ``buffer``, holds a link to another host."""
        return self.buffer is buffer and any(is_external(href, page_host) for href, _, _ in buffer.links[self.first_link:])


class MarkupError(ValueError):
    """HTML that cannot be read without losing part of it (nested deeper than libxml2 goes)."""


@dataclass
class _OpenLink:
    href: str
    rel: str
    # Where the link's text begins in the current buffer's parts.
    buffer_index: int
    # Whether a block ended inside the link and took text of it along.
    split: bool = False


def _breaks_out(tag: str, element: lxml.etree._Element) -> bool:
    """Whether a browser leaves SVG or MathML at this start tag."""
    if tag == "font":
        return any(element.get(name) is not None for name in _FONT_BREAKS_OUT)
    return tag in _BREAKS_OUT_OF_FOREIGN


def _parse(source: str) -> lxml.etree._Element | None:
    # lxml refuses str input that carries an XML encoding declaration; blank
    # it out with spaces so every later offset still points into ``source``.
    match = _XML_DECLARATION.match(source)
    if match:
        source = " " * match.end() + source[match.end():]
    # libxml2 drops everything after </html>, where a browser reads on: some
    # templates close the document above the article. Blanked out the same way.
    source = _HTML_END_TAG.sub(lambda end_tag: " " * len(end_tag.group()), source)
    # lxml.html's parser, but making plain elements: lxml.html looks up a Python
    # class for every element it hands out, which cost a tenth of segmentation.
    # huge_tree: libxml2 otherwise stops at 256 levels of nesting and drops the rest
    # of the page, and soup that never closes its <font> or <div> gets that deep.
    # One parser per call (a microsecond), so its error log is this document's alone.
    parser = lxml.etree.HTMLParser(huge_tree=True)
    try:
        root = lxml.etree.fromstring(source, parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    for error in parser.error_log:
        if error.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            limit = error.message.split(", use XML_PARSE_HUGE")[0].strip()  # huge_tree is on already
            raise MarkupError(f"HTML the parser cannot read whole (libxml2: {limit})")
    return root


def segment_html(source: str, url: str = "") -> list[Segment]:
    """Blocks of an HTML document in reading order; hidden text is kept and flagged."""
    root = _parse(source)
    if root is None:
        return []
    page_host = host_of(url)
    # Each block: its buffer, its text, and the two it may be cut into (``spam_tail``).
    found: list[tuple[_Buffer, str, tuple[_Buffer, _Buffer] | None]] = []
    buffer = _Buffer(opener=root)
    hidden_stack: list[_HiddenRun] = []
    stylesheet = HidingRules.of(root)
    # Inline elements with a class or id, in case the stylesheet hides the outside
    # links they hold: the buffer, part, link and hidden characters they start at.
    classed: dict[lxml.etree._Element, tuple[_Buffer, int, int, int]] = {}
    open_links: list[_OpenLink] = []
    # Every block element in source order, empty ones too: placing them all
    # keeps an empty <p> from taking the source position of the next one.
    openers: list[lxml.etree._Element] = []

    def flush(next_opener: lxml.etree._Element | None, at_start_tag: bool) -> None:
        nonlocal buffer
        for link in open_links:
            link.split = link.split or bool("".join(buffer.parts[link.buffer_index:]).strip())
            link.buffer_index = 0
        for collected in buffer.blocks():
            text = _text_of(collected)
            if text:
                found.append((collected, text, collected.spam_tail(page_host)))
        buffer = _Buffer(opener=next_opener, at_start_tag=at_start_tag)

    def hidden() -> str:
        return hidden_stack[-1].reason if hidden_stack else ""

    # The <svg> or <math> element being read past, until an HTML tag breaks out of it.
    foreign: lxml.etree._Element | None = None
    walker = lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if foreign is not None:
            if event == "start" and _breaks_out(tag, element):
                foreign = None  # read on as HTML from this tag
            else:
                if event == "start" and tag in _HOLDS_HTML_INSIDE_FOREIGN:
                    walker.skip_subtree()
                elif event == "end" and element is foreign:
                    foreign = None
                    buffer.add(element.tail, hidden())
                continue
        if event in ("comment", "pi"):
            buffer.add(element.tail, hidden())
            continue
        if event == "start":
            if tag in FOREIGN_TAGS:
                foreign = element
                continue
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush(element, True)
                openers.append(element)
            inline = tag not in BLOCK_TAGS
            reason = hiding_reason(element)
            if reason:
                hidden_stack.append(_HiddenRun(element, reason, buffer if inline else None,
                                               len(buffer.parts), len(buffer.links), buffer.hidden_chars))
            elif inline and stylesheet and (element.get("class") or element.get("id")):
                classed[element] = (buffer, len(buffer.parts), len(buffer.links), buffer.hidden_chars)
            if tag == "a":
                open_links.append(_OpenLink(element.get("href", ""), element.get("rel", ""), len(buffer.parts)))
            elif tag == "br" and buffer.ends_with_break():
                # Two line breaks in a row end a paragraph in sites that use no <p>.
                flush(element.getparent(), False)
            elif tag in ("br", "td", "th", "img"):
                buffer.add(" " if tag != "br" else _BREAK, "")
            buffer.add(element.text, hidden())
            continue
        if tag not in SKIP_TAGS:
            if tag == "a" and open_links:
                link = open_links.pop()
                anchor = "".join(buffer.parts[link.buffer_index:])
                # A link around whole blocks (a teaser card in <a>) is left out: the
                # model was trained without it, and its end is no link of the next block.
                if anchor.strip() or not link.split:
                    buffer.links.append((link.href, anchor, link.rel))
                    buffer.link_spans.append((link.buffer_index, len(buffer.parts)))
            if tag in BLOCK_TAGS:
                buffer.cut_riders(page_host)
                flush(element.getparent(), False)
            if hidden_stack and hidden_stack[-1].element is element:
                run = hidden_stack.pop()
                # Links hidden inside a visible paragraph are how injected spam hides
                # in plain sight: they become a block of their own, judged as such.
                if run.hides_outside_links(buffer, page_host):
                    buffer.cut(run)
            elif classed and (start := classed.pop(element, None)) and start[0] is buffer and len(buffer.links) > start[2]:
                # Only such inline runs: a stylesheet also hides whole boxes that
                # scripts fade or fold in (animations, tabs, menus), never links in a sentence.
                run = _HiddenRun(element, "", *start)
                if run.hides_outside_links(buffer, page_host) and (reason := stylesheet.reason(element)):
                    run.reason = reason
                    buffer.cut(run)
        buffer.add(element.tail, hidden())
    flush(None, False)
    return _place(found, openers, source, page_host)


# Start and end tags of block elements, and the starts of what to read past:
# comments, and scripts and styles, whose raw text can hold "<p>" in a string.
# Tag names are ASCII: matching them without regard to ASCII case only keeps
# every offset in ``source`` (str.lower() would turn "İ" into two characters).
_TAG_CASE = re.IGNORECASE | re.ASCII
_BLOCK_TAG = re.compile(
    r"<(?:(!--)|(script|style)\b|(/?)(" + "|".join(sorted(BLOCK_TAGS, key=len, reverse=True)) + r")(?=[\s/>])[^>]*>?)",
    _TAG_CASE,
)
_SKIPPED_UNTIL = {
    "!--": re.compile("-->"),
    "script": re.compile(r"</script\s*>", _TAG_CASE),
    "style": re.compile(r"</style\s*>", _TAG_CASE),
}


class _BlockTags:
    """Where each block element's start and end tags are in the source, by tag name."""

    def __init__(self, source: str) -> None:
        # tag -> [(offset, end offset, is end tag)] in source order.
        self.tokens: dict[str, list[tuple[int, int, bool]]] = {}
        position = 0
        while match := _BLOCK_TAG.search(source, position):
            skipped = match.group(1) or match.group(2)
            if skipped:
                end = _SKIPPED_UNTIL[skipped.lower()].search(source, match.end())
                position = end.end() if end else len(source)
                continue
            self.tokens.setdefault(match.group(4).lower(), []).append((match.start(), match.end(), bool(match.group(3))))
            position = match.end()
        self._opens = {
            tag: [(offset, index) for index, (offset, _, closing) in enumerate(tokens) if not closing]
            for tag, tokens in self.tokens.items()
        }

    def start_tag(self, tag: str, after: int, before: int) -> int | None:
        """Index in ``tokens[tag]`` of the first start tag at or after ``after`` and before ``before``."""
        opens = self._opens.get(tag, [])
        found = bisect.bisect_left(opens, (after, -1))
        if found < len(opens) and opens[found][0] < before:
            return opens[found][1]
        return None

    def element_end(self, tag: str, index: int, limit: int) -> int:
        """Offset after the end tag matching start tag ``index``, or ``limit`` when it is not closed before it."""
        tokens, depth = self.tokens[tag], 0
        # By position, not over tokens[index:]: that copied the rest of the list for
        # every element, quadratic in a page of 40,000 paragraphs.
        for position in range(index, len(tokens)):
            offset, end, closing = tokens[position]
            if offset >= limit:
                break
            depth += -1 if closing else 1
            if depth == 0:
                return end
        return limit


def _place(found: list[tuple[_Buffer, str, tuple[_Buffer, _Buffer] | None]], openers: list[lxml.etree._Element],
           source: str, page_host: str) -> list[Segment]:
    """Attach source offsets and line numbers to the collected blocks.

    lxml reports only the line of each start tag, so each block element's tag
    is looked up on that line, in order; a block whose tag is not there (one
    the parser made up for soup) and text after a nested block start where
    the previous block ended.
    """
    lines = LineIndex(source)
    tags = _BlockTags(source)
    token_of: dict[lxml.etree._Element, int] = {}
    cursor = 0
    for opener in openers:
        if not opener.sourceline:
            continue
        line = opener.sourceline
        token = tags.start_tag(opener.tag, max(cursor, lines.line_start(line)), lines.line_start(line + 1))
        if token is not None:
            token_of[opener] = token
            cursor = tags.tokens[opener.tag][token][0] + 1
    tag_tokens = [token_of.get(buffer.opener) if buffer.at_start_tag else None for buffer, _, _ in found]
    tag_starts = [
        tags.tokens[buffer.opener.tag][token][0] if token is not None else None
        for (buffer, _, _), token in zip(found, tag_tokens)
    ]
    limits = _next_known(tag_starts, len(source))
    paths, ancestors = _paths_and_ancestors([buffer.opener for buffer, _, _ in found])
    segments: list[Segment] = []
    previous_end = 0
    for index, (buffer, text, tail) in enumerate(found):
        start = tag_starts[index] if tag_starts[index] is not None else previous_end
        start = max(start, previous_end)
        limit = max(limits[index], start)
        opener = buffer.opener
        tag = opener.tag if opener is not None else ""
        token = tag_tokens[index]
        end = tags.element_end(tag, token, limit) if token is not None and start == tag_starts[index] else limit
        placed = Segment(text=text, start=start, end=end, line=lines.line_of(start), tag=tag, tag_path=paths[index],
                         ancestors=ancestors[index], links=link_facts(buffer.links, page_host), hidden=_hidden(buffer),
                         heading=tag in HEADING_TAGS, list_item=tag == "li")
        segments.append(_with_tail(placed, tail, page_host) if tail else placed)
        previous_end = end
    return segments


def _text_of(buffer: _Buffer) -> str:
    return " ".join("".join(buffer.parts).split())


def _hidden(buffer: _Buffer) -> str:
    return buffer.hidden_reason if buffer.hidden_chars * 2 >= buffer.chars else ""


def _with_tail(placed: Segment, tail: tuple[_Buffer, _Buffer], page_host: str) -> Segment:
    """``placed`` with the two buffers ``tail`` as its ``spam_tail``, each in the whole block's
    place: the element's offsets do not divide."""
    parts = tuple(dataclasses.replace(placed, text=_text_of(part), links=link_facts(part.links, page_host),
                                      hidden=_hidden(part)) for part in tail)
    return dataclasses.replace(placed, spam_tail=parts) if all(part.text for part in parts) else placed


def _next_known(starts: list[int | None], default: int) -> list[int]:
    """For each block, the first known tag start among the blocks after it, else ``default``."""
    limits: list[int] = []
    following = default
    for start in reversed(starts):
        limits.append(following)
        if start is not None:
            following = start
    return limits[::-1]
