"""Facts about a block's links, shared by the HTML and Markdown segmenters."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from spamguard.types import LinkFacts

# rel values by which a site marks links it does not vouch for.
_UNTRUSTED_REL = ("nofollow", "sponsored", "ugc")
# Links that end a paragraph after its last sentence ride on it: what may stand
# between them, the paragraph they need, and the anchors that are its own sources.
RIDER_SEPARATORS = " \t\n\r\xa0,;|/·•-–—"
PARAGRAPH_CHARS = 40
# Where one sentence ends and the next begins.
SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+|[。！？]")
_ENDS_SENTENCE = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_SHOWS_ADDRESS = re.compile(r"\s*(?:https?://\S*|[\w.-]+\.[a-z]{2,}(?:/\S*)?)\s*$", re.IGNORECASE)


# A site links to the same few hosts from every block and page; urlsplit is slow.
@functools.lru_cache(maxsize=8192)
def host_of(url: str) -> str:
    """Lower-cased host of an absolute URL without ``www.``; empty for relative links."""
    if "//" not in url:  # no network location, so no host: most links of a page
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def is_external(href: str, page_host: str) -> bool:
    """Whether ``href`` names a host other than the page's own (any absolute link, without a page host)."""
    return _is_external(host_of(href), page_host)


def _is_external(host: str, page_host: str) -> bool:
    if not host:
        return False
    if not page_host:
        return True
    return host != page_host and not host.endswith("." + page_host) and not page_host.endswith("." + host)


def link_facts(links: Iterable[tuple[str, str, str]], page_host: str = "") -> LinkFacts:
    """Summarise ``(href, anchor text, rel)`` triples.

    A link is external when it names a host other than the page's own; without
    a known page host every absolute link counts as external.
    """
    count = chars = external = nofollow = 0
    # A dict keeps the first-seen order; a list searched for each host was
    # quadratic in a block linking to 20,000 hosts (2 s).
    domains: dict[str, None] = {}
    anchors: list[str] = []
    for href, anchor, rel in links:
        anchor = " ".join(anchor.split())
        count += 1
        chars += len(anchor)
        if anchor:
            anchors.append(anchor)
        host = host_of(href)
        if _is_external(host, page_host):
            external += 1
            domains.setdefault(host)
        if any(value in rel.lower() for value in _UNTRUSTED_REL):
            nofollow += 1
    return LinkFacts(
        count=count,
        chars_in_links=chars,
        external=external,
        nofollow=nofollow,
        domains=tuple(domains),
        anchor_texts=tuple(anchors),
    )


def rides(anchor: str, href: str, page_host: str) -> bool:
    """Whether a link after a paragraph's last sentence can be spam riding on it: it goes to
    another site, with words for its anchor; one that shows its address (a DOI, a tweet's
    link) is the paragraph's own source."""
    return is_external(href, page_host) and not _SHOWS_ADDRESS.match(anchor)


def ends_a_paragraph(text: str, at_least: int = PARAGRAPH_CHARS) -> bool:
    """Whether ``text`` is a paragraph links can ride on: ``at_least`` characters that end a sentence."""
    return len(text.strip()) >= at_least and bool(_ENDS_SENTENCE.search(text))
