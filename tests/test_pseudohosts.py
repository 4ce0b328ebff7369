"""Pseudo-hosts for training the site features: whole sites per host, real counts, pages kept whole."""
from __future__ import annotations

import random

from spamguard.pseudohosts import Campaign, PseudoHost, as_page, build_host, host_url, profile_documents, site_groups
from spamguard.types import Document, Kind, Label, Segment


_WORDS = ("harbour", "bridge", "school", "market", "library", "stadium", "museum", "airport")


def _document(site: str, number: int) -> tuple[Document, list[Label]]:
    texts = [
        (f"Menu of {site}", Label.BOILERPLATE),
        (f"A paragraph about the {_WORDS[number]} at {site} with enough words to count as an article paragraph.",
         Label.CONTENT),
        (f"Footer of {site}", Label.BOILERPLATE),
    ]
    segments = tuple(Segment(text=text, start=0, end=0, line=0) for text, _ in texts)
    return Document(segments, Kind.TEXT, f"https://{site}/{number}"), [label for _, label in texts]


def test_site_groups_keep_sites_whole_and_in_order():
    sites = [f"site{number}.example" for number in range(200)]
    names = site_groups(sites, random.Random(0), prefix="val")
    assert set(names) == set(sites)
    assert all(name.startswith("val") for name in names.values())
    order = [int(names[site][3:].split(".")[0]) for site in sites]
    assert order == sorted(order) and len(set(order)) > 1


def test_build_host_keeps_each_page_whole_and_adds_the_template_chrome():
    documents = [_document("alpha.example", number) for number in range(5)]
    pages = [as_page(document, labels, [""] * len(labels)) for document, labels in documents]
    own = [[segment.text for segment in page.segments] for page in pages]
    host = build_host(pages, [], random.Random(1))
    for page, before in zip(host, own):
        texts = [segment.text for segment in page.segments]
        assert all(text in texts for text in before)  # nothing of the page is lost
        assert set(texts) - set(before) <= set(own[0])  # what comes on top is the template page's
        assert len(page.labels) == len(page.segments) == len(page.origins)


def test_campaign_spam_is_labeled_spam_with_its_origin():
    documents = [_document("bravo.example", number) for number in range(8)]
    pages = [as_page(document, labels, [""] * len(labels)) for document, labels in documents]
    campaign = Campaign((Segment(text="cheap pills casino escort", start=0, end=0, line=0),), "pharma:en")
    rng = random.Random(3)
    host = next(host for host in (build_host([*pages], [campaign], rng) for _ in range(20))
                if any(campaign.blocks[0] in page.segments for page in host))
    for page in host:
        for segment, label, origin in zip(page.segments, page.labels, page.origins):
            if segment == campaign.blocks[0]:
                assert (label, origin) == (Label.SPAM, "pharma:en")


def test_profile_documents_count_pages_and_hosts_across_hosts():
    hosts = []
    for name, site in (("host0.example", "alpha.example"), ("host1.example", "bravo.example")):
        documents = [_document(site, number) for number in range(4)]
        pages = [as_page(document, labels, [""] * len(labels)) for document, labels in documents]
        for page in pages:
            page.segments.append(Segment(text="Shared campaign line", start=0, end=0, line=0))
            page.labels.append(Label.SPAM)
            page.origins.append("seo:en")
        hosts.append(PseudoHost(name, pages, [document for document, _ in documents]))
    profiled = profile_documents(hosts)
    first = profiled[0][0]
    assert first.url == host_url("host0.example", "https://alpha.example/0") == "https://host0.example/0"
    assert first.site.host_pages == 4
    assert first.site.page_counts == (4, 1, 4, 4)
    assert first.site.host_counts == (1, 1, 1, 2)
