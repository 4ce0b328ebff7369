"""Facts about a block's links, and which of them ride on a paragraph, for the HTML and Markdown segmenters."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from spamguard.types import SENTENCE_STOPS, LinkFacts

# rel values by which a site marks links it does not vouch for.
_UNTRUSTED_REL = ("nofollow", "sponsored", "ugc")
# Links that end a paragraph after its last sentence ride on it: what may stand
# between them, the paragraph they need, and the anchors that are its own sources.
_RIDER_SEPARATORS = " \t\n\r\xa0,;|/·•-–—"
PARAGRAPH_CHARS = 40
# Sentences that carry links ride on a paragraph at least this long, and spam tails
# (``spam_tails``) begin no sooner: a spam block of two or three sentences cut after
# its first would leave that one to be kept (benchmarks.quality: injected spam
# survival 1.8% -> 2.6% at 40 characters, 1.9% at this; a tail after 100: 2.0% / 1.8%).
HEAD_OF_RIDING_SENTENCES = 150
# Where one sentence ends and the next begins.
# CJK full stops need no space after them; the others (Latin, Devanagari, Arabic, ...) do.
_SPACED_STOPS = "".join(stop for stop in SENTENCE_STOPS + "…" if stop not in "。！？")
_SENTENCE_BREAK = re.compile(rf"[{_SPACED_STOPS}][\"'”’»)\]]*\s+|[。！？]")
_ENDS_SENTENCE = re.compile(rf"[{SENTENCE_STOPS}…][\"'”’»)\]]*\s*$")
# A web address written out in text (spam written to send readers away shows one).
WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)
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


def riders_start(text: str, links: Sequence[tuple[int, int, str, str]], page_host: str,
                 visible: Callable[[str], str] = str) -> int | None:
    """Where what rides on the paragraph ``text`` begins, if anything: links to other sites after
    its last sentence, or its last sentences that each carry such links.

    ``links`` are ``(start, end, href, anchor)`` in ``text``, in order; ``visible``
    turns the text before a cut into what a reader sees (Markdown markup).
    """
    first = _riding_links(text, links, page_host)
    if first is not None and ends_a_paragraph(visible(text[:first]), PARAGRAPH_CHARS):
        return first
    cut = _riding_sentences(text, links, page_host)
    if cut is not None and ends_a_paragraph(visible(text[:cut]), HEAD_OF_RIDING_SENTENCES):
        return cut
    return None


def _riding_links(text: str, links: Sequence[tuple[int, int, str, str]], page_host: str) -> int | None:
    """Where the links that end ``text``, with only separators between them, begin, if they all ride."""
    first, position = None, len(text)
    for start, end, href, anchor in reversed(links):
        if not rides(anchor, href, page_host) or text[end:position].strip(_RIDER_SEPARATORS):
            break
        first = position = start
    return first


def ends_a_paragraph(text: str, at_least: int) -> bool:
    """Whether ``text`` is a paragraph links can ride on: ``at_least`` characters that end a sentence."""
    return len(text.strip()) >= at_least and bool(_ENDS_SENTENCE.search(text))


def _riding_sentences(text: str, links: Sequence[tuple[int, int, str, str]], page_host: str) -> int | None:
    """Where the last sentences of ``text`` that each carry links to other sites begin, if any.

    Every link in those sentences must ride (``rides``) and none may begin before its sentence.
    """
    if not links or not _last_sentence_may_ride(text[links[-1][1]:], links[-1][2], links[-1][3], page_host):
        return None
    bounds = sorted({0, *sentence_starts(text), len(text)})
    cut, after = None, len(links)  # links[after:] lie in the sentences already taken
    for sentence_start, sentence_end in reversed(list(zip(bounds[1:-1], bounds[2:]))):
        if not text[sentence_start:sentence_end].strip():
            continue
        inside = after
        while inside and links[inside - 1][1] > sentence_start:
            inside -= 1
        if inside == after or links[inside][0] < sentence_start or not all(
                rides(anchor, href, page_host) for _, _, href, anchor in links[inside:after]):
            break
        cut, after = sentence_start, inside
    return cut


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` after its first begins."""
    return [match.end() for match in _SENTENCE_BREAK.finditer(text)]


def _last_sentence_may_ride(tail: str, href: str, anchor: str, page_host: str) -> bool:
    """Whether the last link (``href``, ``anchor``), followed by ``tail``, can be in riding sentences:
    it rides, and no sentence begins after it. Most blocks with links are menus and link lists,
    and this tells quickly."""
    tail = tail.rstrip()
    return rides(anchor, href, page_host) and all(match.end() == len(tail) for match in _SENTENCE_BREAK.finditer(tail))
