"""Pseudo-hosts: training pages grouped into sites, so the site-profile features have something to learn.

The training corpora hold about one page per site, so nothing repeats across
pages the way it does in a real archive. Here a few labeled documents at a time
become one host: they get the page chrome of the host's first document (its
leading and trailing non-content blocks, real chrome from a real page) around
their own. Some hosts repeat a content paragraph on every page (a
standing disclaimer or column intro, still content), and some carry a spam
template from a campaign that also hits other hosts. The profile is then
counted with the real ``SiteProfile`` and attached to each document.
Nothing at runtime imports this module.
"""
from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from urllib.parse import urlsplit

from spamguard.profile import ProfileSize, SiteProfile
from spamguard.types import Document, Label, Segment

# The share of documents that also come as a page of a pseudo-host.
PROFILED_SHARE = 0.4
HOST_SIZES = (2, 4, 6, 10, 16, 24, 40)
TEMPLATE_PAGE_SHARE = 0.9
# Template blocks on every page of the host; the others show on a part of its pages.
SITE_WIDE_BLOCK_SHARE = 0.6
RECURRING_CONTENT_HOST_SHARE = 0.25
CAMPAIGN_HOST_SHARE = 0.35
# One campaign per this many pages, so a campaign reaches three or four hosts.
PAGES_PER_CAMPAIGN = 150
# Small sketches: a training profile counts a few thousand pages.
_TRAINING_SIZE = ProfileSize(block_width=2**20, host_width=2**12)


@dataclasses.dataclass
class _Page:
    segments: list[Segment]
    labels: list[Label]
    origins: list[str]

    def content_span(self) -> tuple[int, int] | None:
        content = [index for index, label in enumerate(self.labels) if label is Label.CONTENT]
        return (content[0], content[-1] + 1) if content else None


def _chrome(page: _Page) -> tuple[slice, slice] | None:
    span = page.content_span()
    if span is None:
        return None
    return slice(0, span[0]), slice(span[1], len(page.segments))


def _take_template(page: _Page, template: _Page, presence: Sequence[float], rng: random.Random) -> _Page:
    """The page, all of its own chrome kept, with the template's header and footer around it.

    Each template block shows with its own probability (``presence``): widgets
    that only some page types carry repeat on a part of the host's pages. The
    page keeps its own chrome, which no other page repeats, so a block seen on
    one page only stays as likely chrome as on a page without a profile.
    """
    theirs = _chrome(template)
    if theirs is None or page.content_span() is None:
        return page
    head = [index for index in range(theirs[0].stop) if rng.random() < presence[index]]
    foot = [index for index in range(theirs[1].start, len(template.segments)) if rng.random() < presence[index]]
    result = _Page([], [], [])
    for source, indexes in ((template, head), (page, range(len(page.segments))), (template, foot)):
        for index in indexes:
            result.segments.append(source.segments[index])
            result.labels.append(source.labels[index])
            result.origins.append(source.origins[index])
    return result


def _insert(page: _Page, at: int, blocks: Sequence[Segment], label: Label, origin: str) -> None:
    page.segments[at:at] = blocks
    page.labels[at:at] = [label] * len(blocks)
    page.origins[at:at] = [origin] * len(blocks)


def _recurring_paragraph(template: _Page) -> Segment | None:
    """A content paragraph of the template page that every page of the host repeats."""
    span = template.content_span()
    if span is None:
        return None
    paragraphs = [template.segments[index] for index in range(*span)
                  if template.labels[index] is Label.CONTENT and len(template.segments[index].text.split()) >= 15]
    return paragraphs[-1] if paragraphs else None


@dataclasses.dataclass(frozen=True)
class Campaign:
    """One spam template that lands on several hosts."""

    blocks: tuple[Segment, ...]
    origin: str


def site_groups(sites: Sequence[str], rng: random.Random, prefix: str = "host") -> dict[str, str]:
    """Each of ``sites`` mapped to the name of the pseudo-host it joins.

    Whole sites join a host, and every view of a site joins the same one: the
    text model is cross-fitted by host, and one site's pages on both sides of
    a fold would flatter its scores.
    """
    names: dict[str, str] = {}
    number, size, members = 0, rng.choice(HOST_SIZES), 0
    for site in sites:
        names[site] = f"{prefix}{number}.example"
        members += 1
        if members >= size:
            number, size, members = number + 1, rng.choice(HOST_SIZES), 0
    return names


def build_host(members: Sequence[_Page], campaigns: Sequence[Campaign], rng: random.Random) -> list[_Page]:
    """The pages of one host, built around its first page's chrome."""
    template = members[0]
    presence = [1.0 if rng.random() < SITE_WIDE_BLOCK_SHARE else rng.uniform(0.2, 0.9) for _ in template.segments]
    host = [template] + [
        _take_template(page, template, presence, rng) if rng.random() < TEMPLATE_PAGE_SHARE else page
        for page in members[1:]
    ]
    if rng.random() < RECURRING_CONTENT_HOST_SHARE and (paragraph := _recurring_paragraph(template)):
        for page in host[1:]:
            span = page.content_span()
            if span is not None:
                _insert(page, span[1], [paragraph], Label.CONTENT, "")
    if campaigns and rng.random() < CAMPAIGN_HOST_SHARE:
        campaign = rng.choice(campaigns)
        reach = rng.uniform(0.3, 1.0)
        for page in host:
            if rng.random() < reach:
                _insert(page, len(page.segments) - rng.randint(0, min(3, len(page.segments))),
                        list(campaign.blocks), Label.SPAM, campaign.origin)
    return host


@dataclasses.dataclass(frozen=True)
class PseudoHost:
    """One host's name, its pages and the documents they were made from (for kind and URL)."""

    name: str
    pages: list[_Page]
    originals: list[Document]


def profile_documents(hosts: Sequence[PseudoHost]) -> list[list[Document]]:
    """Each host's pages as documents with the site facts a profile of all the hosts gives."""
    profile = SiteProfile(_TRAINING_SIZE)
    for host in hosts:
        for page in host.pages:
            profile.add(host.name, [segment.text for segment in page.segments])
    return [
        [
            Document(tuple(page.segments), original.kind, host_url(host.name, original.url),
                     profile.facts(host.name, [segment.text for segment in page.segments]))
            for page, original in zip(host.pages, host.originals)
        ]
        for host in hosts
    ]


def host_url(name: str, url: str) -> str:
    """``url`` moved to the pseudo-host ``name``: the text model's cross-fitting groups by host."""
    return f"https://{name}{urlsplit(url).path}"


def as_page(document: Document, labels: Sequence[Label], origins: Sequence[str]) -> _Page:
    return _Page(list(document.segments), list(labels), list(origins))
