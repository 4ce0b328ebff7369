"""Split a document into ordered blocks that remember where they came from."""
from __future__ import annotations

import re

from spamguard.segment.html import MarkupError, segment_html
from spamguard.segment.markdown import segment_markdown
from spamguard.segment.text import segment_text
from spamguard.types import Kind, Segment

__all__ = ["MarkupError", "detect_kind", "readable", "segment", "segment_html", "segment_markdown", "segment_text"]

# Lone surrogates come from `surrogateescape` decoding (one per undecodable byte)
# and from JSON escapes such as "\ud800"; no UTF-8 output can hold them.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_HTML_SIGNS = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<(?:p|div|li|a|span|br|h[1-6])[\s>/]", re.I)
_MARKDOWN_SIGNS = re.compile(
    r"^(?:#{1,6} \S"  # ATX heading
    r"|```"  # fenced code
    r"|---\n"  # front matter
    r"|\s{0,3}[-*+] \S.*\n\s{0,3}[-*+] \S"  # two list items
    r")|\[[^\]\n]+\]\([^)\s]+\)",  # inline link
    re.M,
)


def readable(source: str) -> str:
    """``source`` with each lone surrogate read as U+FFFD: one code point for one, so offsets still match."""
    return _LONE_SURROGATE.sub("\ufffd", source) if _LONE_SURROGATE.search(source) else source


def detect_kind(source: str) -> Kind:
    """Guess whether ``source`` is HTML, Markdown or plain text from its first 4 KB."""
    head = source[:4096]
    if len(_HTML_SIGNS.findall(head)) >= 2:
        return Kind.HTML
    if _MARKDOWN_SIGNS.search(head):
        return Kind.MARKDOWN
    return Kind.TEXT


def segment(source: str, kind: str | Kind, url: str = "") -> list[Segment]:
    """The blocks of ``source`` read as ``kind``; ``url`` tells HTML links which host is the page's own."""
    kind = Kind(kind)  # "html" as well as Kind.HTML: a plain string must not fall through to text
    if kind is Kind.HTML:
        return segment_html(source, url)
    if kind is Kind.MARKDOWN:
        return segment_markdown(source)
    return segment_text(source)
