"""The page's own title, and the blocks that repeat it.

The title names the article: HTML's ``<title>``, or the first block of a text
(scrapers and text dumps write the title first). It usually carries the site's
name after the headline ("Storm closes the coast road | Daily Ledger"), so a
block is the title when it is all of it or its start.
"""
from __future__ import annotations

import html
import re

from spamguard.profile import normalize_block
from spamguard.types import Document, Kind

# A title is a line, not a page: the bound keeps an unclosed <title> from
# sending the search to the end of the document.
_TITLE_ELEMENT = re.compile(r"<title\b[^>]*>(.{0,2000}?)</title\s*>", re.IGNORECASE | re.DOTALL)


def page_title(source: str, document: Document) -> str:
    """The page's title: HTML's ``<title>``, else its first block."""
    if document.kind is Kind.HTML:
        match = _TITLE_ELEMENT.search(source)
        return html.unescape(match.group(1)) if match else ""
    return document.segments[0].text if document.segments else ""


class TitleMatcher:
    """Tells whether a block's text is a page's title, alone or before the site's name."""

    def __init__(self, title: str) -> None:
        self._wanted = normalize_block(title)

    def matches(self, text: str) -> bool:
        if not self._wanted:
            return False
        normalized = normalize_block(text)
        # Most of the title: not a one-word menu entry that happens to start it.
        return 2 * len(normalized) >= len(self._wanted) and (
            normalized == self._wanted or self._wanted.startswith(normalized + " "))
