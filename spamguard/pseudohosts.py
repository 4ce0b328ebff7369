"""Pseudo-hosts: training pages grouped into sites, so the site-profile features have something to learn.

The training corpora hold about one page per site, so nothing repeats across
pages the way it does in a real archive. Here a few labeled documents at a time
become one host: they take the page chrome of the host's first document (its
leading and trailing non-content blocks, real chrome from a real page) and keep
a little of their own, or on half of the hosts all of it. Some hosts repeat a content paragraph on every page (a
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
from spamguard.types import Document, Label, Segment, SiteFacts

# Half of the documents get a profile; the rest train the single-page path.
PROFILED_SHARE = 0.5
HOST_SIZES = (2, 4, 6, 10, 16, 24, 40)
OWN_CHROME_KEPT = (0, 1, 2, 3)
TEMPLATE_PAGE_SHARE = 0.9
KEEP_OWN_CHROME_HOST_SHARE = 0.5
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


def _take_template(page: _Page, template: _Page, rng: random.Random, keep_own: bool) -> _Page:
    """The page with the template's header and footer, and a little chrome of its own or all of it."""
    own, theirs = _chrome(page), _chrome(template)
    if own is None or theirs is None:
        return page
    if keep_own:
        head_keep, foot_keep = own[0].stop, len(page.segments) - own[1].start
    else:
        head_keep, foot_keep = rng.choice(OWN_CHROME_KEPT), rng.choice(OWN_CHROME_KEPT)
    head_own = list(range(own[0].stop))[own[0].stop - head_keep:] if head_keep else []
    foot_own = list(range(own[1].start, len(page.segments)))[:foot_keep]
    body = range(own[0].stop, own[1].start)
    parts: list[tuple[_Page, Sequence[int]]] = [
        (template, range(theirs[0].stop)), (page, head_own), (page, body), (page, foot_own),
        (template, range(theirs[1].start, len(template.segments))),
    ]
    result = _Page([], [], [])
    for source, indexes in parts:
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


def _groups(sites: Sequence[Sequence[_Page]], rng: random.Random) -> list[list[_Page]]:
    """Whole sites gathered into hosts of about a chosen size.

    A real site never spans two hosts: the text model is cross-fitted by host,
    and one site's chrome on both sides of a fold would flatter its scores.
    """
    groups: list[list[_Page]] = []
    current: list[_Page] = []
    size = rng.choice(HOST_SIZES)
    for site in sites:
        current.extend(site)
        if len(current) >= size:
            groups.append(current)
            current, size = [], rng.choice(HOST_SIZES)
    if current:
        groups.append(current)
    return groups


def build_hosts(sites: Sequence[Sequence[_Page]], campaigns: Sequence[Campaign],
                rng: random.Random) -> list[list[_Page]]:
    """Group the pages of ``sites`` into hosts, each built around its first page's chrome."""
    hosts: list[list[_Page]] = []
    for members in _groups(sites, rng):
        template = members[0]
        # Some sites' pages share all their chrome; on others each page keeps page-specific
        # chrome (related lists, tags, breadcrumbs) that no other page repeats.
        keep_own = rng.random() < KEEP_OWN_CHROME_HOST_SHARE
        host = [template] + [
            _take_template(page, template, rng, keep_own) if rng.random() < TEMPLATE_PAGE_SHARE else page
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
        hosts.append(host)
    return hosts


def profile_documents(hosts: list[list[_Page]], documents: list[Document]) -> list[Document]:
    """The documents of ``hosts`` with the site facts a profile of all of them gives.

    ``documents`` are the originals in the hosts' page order, for kind and URL.
    """
    profile = SiteProfile(_TRAINING_SIZE)
    names = [f"host{number}.example" for number in range(len(hosts))]
    for name, host in zip(names, hosts):
        for page in host:
            profile.add(name, [segment.text for segment in page.segments])
    result = []
    originals = iter(documents)
    for name, host in zip(names, hosts):
        for page in host:
            original = next(originals)
            facts: SiteFacts = profile.facts(name, [segment.text for segment in page.segments])
            # The host's name in the URL keeps the host in one fold of the text model's cross-fitting.
            url = f"https://{name}{urlsplit(original.url).path}"
            result.append(Document(tuple(page.segments), original.kind, url, facts))
    return result


def as_page(document: Document, labels: Sequence[Label], origins: Sequence[str]) -> _Page:
    return _Page(list(document.segments), list(labels), list(origins))
