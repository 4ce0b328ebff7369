"""Site profiles: fingerprints, hosts, the count-min sketch's bounds, persistence and the Cleaner's use."""
from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from spamguard import Cleaner, Kind
from spamguard.features import FEATURE_NAMES, SITE_FEATURES
from spamguard.profile import (
    CountMinSketch,
    ProfileError,
    ProfileSize,
    SiteProfile,
    fingerprint,
    host_key,
    normalize_block,
)
from spamguard.segment.links import host_of

SMALL = ProfileSize(block_width=2**12, host_width=2**8)


@pytest.mark.parametrize(("url", "host"), [
    ("https://www.Example.com/a/b?c=1", "example.com"),
    ("http://news.example.co.uk:8080/x", "news.example.co.uk"),
    ("HTTPS://WWW.EXAMPLE.ORG", "example.org"),
    ("/relative/path", ""),
    ("not a url", ""),
    ("", ""),
])
def test_host_of_urls(url, host):
    assert host_of(url) == host


def test_host_key_ignores_case_and_www():
    assert host_key("WWW.Example.com") == host_key("example.com")
    assert host_key("example.com") != host_key("example.org")


@pytest.mark.parametrize(("left", "right"), [
    ("370 reads", "1,204 reads"),
    ("Share  this:\tFacebook", "share this facebook"),
    ("© 2026 The Herald. All rights reserved.", "© 2019 the herald — all rights reserved"),
    ("Why Support Us?", "why support us"),
])
def test_fingerprint_ignores_whitespace_numbers_case_and_punctuation(left, right):
    assert fingerprint(left) == fingerprint(right)


@pytest.mark.parametrize(("left", "right"), [
    ("Share this", "Share that"),
    ("Subscribe to the Herald", "Subscribe to the Post"),
])
def test_fingerprint_tells_different_words_apart(left, right):
    assert fingerprint(left) != fingerprint(right)


def test_normalize_block_and_empty_blocks():
    assert normalize_block("  Read MORE (12) …  ") == "read more 0"
    assert fingerprint(" ... !!! ") is None
    # Numbers alone are not a repeated block: folded, every price would be "0".
    assert [fingerprint(text) for text in ("$1,595", "2", "+46", "04 / 05")] == [None] * 4
    assert fingerprint("Page 2") == fingerprint("Page 3") is not None
    assert fingerprint("") is None


def test_sketch_never_underestimates_and_stays_within_its_bound():
    rng = np.random.default_rng(0)
    sketch = CountMinSketch(width=2**10, depth=4)
    keys = rng.integers(0, 2**63, size=3000, dtype=np.uint64)
    truth = {}
    for _ in range(5):
        batch = np.unique(rng.choice(keys, size=800))
        sketch.add(batch)
        for key in batch.tolist():
            truth[key] = truth.get(key, 0) + 1
    known = np.array(list(truth), dtype=np.uint64)
    exact = np.array(list(truth.values()))
    estimates = sketch.query(known)
    assert (estimates >= exact).all()
    # The bound holds for each key with probability 1 - exp(-4); allow that share to miss it.
    assert np.mean(estimates - exact > sketch.error_bound) <= np.exp(-4)
    assert sketch.increments == int(exact.sum())


def test_sketch_add_returns_counts_before_the_update_and_saturates():
    sketch = CountMinSketch(width=2**4, depth=2, dtype="uint16")
    key = np.array([12345], dtype=np.uint64)
    assert sketch.add(key).tolist() == [0]
    assert sketch.add(key).tolist() == [1]
    sketch.table[:] = np.iinfo(np.uint16).max
    sketch.add(key)
    assert sketch.query(key).tolist() == [np.iinfo(np.uint16).max]


def test_sketch_rejects_bad_sizes():
    with pytest.raises(ValueError, match="power of two"):
        CountMinSketch(width=1000)
    with pytest.raises(ValueError, match="depth"):
        CountMinSketch(width=16, depth=0)


def _archive(hosts: int = 3, pages: int = 10, seed: int = 0) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    documents = []
    names = ("alpha", "bravo", "charlie", "delta")
    for host in range(hosts):
        for page in range(pages):
            body = [f"Unique paragraph {rng.random()} about page {page} on host {host} and more words."]
            menu = f"Menu of the {names[host]} site"
            chrome = [menu, "Spam campaign buy cheap pills now"] if page % 2 == 0 else [menu]
            documents.append((f"host{host}.example", chrome + body))
    return documents


def test_profile_counts_pages_per_host_and_hosts_per_block():
    profile = SiteProfile(SMALL)
    for host, blocks in _archive():
        profile.add(host, blocks)
    assert (profile.documents, profile.hosts) == (30, 3)
    facts = profile.facts("host1.example", ["Menu of the bravo site", "Spam campaign: buy CHEAP pills now!", "Never seen"])
    assert facts.host_pages == 10
    assert facts.page_counts == (10, 5, 0)
    assert facts.host_counts == (1, 3, 0)


def test_a_block_repeated_on_one_page_counts_once():
    profile = SiteProfile(SMALL)
    profile.add("a.example", ["Share this", "Share this", "Body text here"])
    assert profile.facts("a.example", ["Share this"]).page_counts == (1,)


def test_save_and_load_round_trip(tmp_path):
    profile = SiteProfile(SMALL)
    for host, blocks in _archive():
        profile.add(host, blocks)
    path = tmp_path / "site.profile.npz"
    profile.save(path)
    loaded = SiteProfile.load(path)
    assert loaded.summary() == profile.summary()
    blocks = ["Menu of the charlie site", "Spam campaign buy cheap pills now"]
    assert loaded.facts("host2.example", blocks) == profile.facts("host2.example", blocks)
    # Counting goes on from where the saved profile stopped.
    loaded.add("host2.example", blocks)
    assert loaded.facts("host2.example", blocks).host_pages == 11


def test_load_refuses_other_files(tmp_path):
    path = tmp_path / "not-a-profile.npz"
    path.write_bytes(b"plain bytes")
    with pytest.raises(ProfileError, match="not a spamguard site profile"):
        SiteProfile.load(path)


def test_build_from_documents_uses_the_url_host():
    documents = [(f"Navigation line\n\nStory number {n} is told here in full sentences.", f"https://www.site.example/{n}")
                 for n in range(6)]
    documents.append(("Orphan text without a host.", ""))
    profile = SiteProfile.build(documents, size=SMALL)
    assert profile.documents == 6
    assert profile.facts("site.example", ["Navigation line"]).page_counts == (6,)



@pytest.mark.parametrize("kind", ["html", Kind.HTML])
def test_build_reads_html_as_html_when_the_kind_is_named(kind):
    documents = [(f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
                  f"<p>The story of the {topic} is told here in full sentences.</p></body></html>", f"https://site.example/{topic}")
                 for topic in ("harbour", "bridge", "school", "market", "museum")]
    profile = SiteProfile.build(documents, kind=kind, size=SMALL)
    facts = profile.facts("site.example", ["Home News", "The story of the bridge is told here in full sentences."])
    assert facts.page_counts == (5, 1)

def _site_columns(cleaner: Cleaner, text: str, url: str) -> np.ndarray:
    from spamguard.segment import segment
    from spamguard.types import BlockRef

    document = cleaner._document(tuple(segment(text, Kind.TEXT, url)), Kind.TEXT, url, host_of(url))

    refs = [BlockRef(document, index) for index in range(len(document.segments))]
    features = cleaner._model.pipeline[:-1].transform(refs)
    return features[:, [FEATURE_NAMES.index(name) for name in SITE_FEATURES]]


def test_cleaner_without_a_profile_leaves_site_features_missing():
    columns = _site_columns(Cleaner(), "Menu line\n\nA paragraph of the story, told in a sentence.\n", "https://a.example/1")
    assert np.isnan(columns).all()


def test_cleaner_with_a_profile_reads_share_and_spread():
    stories = ("harbour", "bridge", "school", "market", "library", "stadium", "museum", "airport")
    documents = [(f"Menu line\n\nA paragraph about the {story}, told in a sentence.\n", f"https://a.example/{n}")
                 for n, story in enumerate(stories)]
    cleaner = Cleaner(profile=SiteProfile.build(documents, size=SMALL))
    columns = _site_columns(cleaner, *documents[0])
    share, _, log_hosts, log_pages = columns.T
    assert share.tolist() == [1.0, 1 / 8]
    assert np.allclose(np.expm1(log_hosts), [1, 1])
    assert np.allclose(np.expm1(log_pages), [8, 8])


def test_cleaner_with_a_profile_pickles_with_it():
    documents = [(f"Menu line\n\nThe story of the {word} in a sentence.\n", f"https://a.example/{word}")
                 for word in ("harbour", "bridge", "school", "market", "library")]
    cleaner = Cleaner(profile=SiteProfile.build(documents, size=SMALL))
    restored = pickle.loads(pickle.dumps(cleaner))
    assert restored.profile.summary() == cleaner.profile.summary()
    text, url = documents[1]
    assert restored.clean(text, url=url).text == cleaner.clean(text, url=url).text


def test_reasons_name_site_facts_only_when_a_profile_gave_them():
    from spamguard.reasons import explain
    from spamguard.types import Label

    row = np.zeros(len(FEATURE_NAMES))
    row[[FEATURE_NAMES.index(name) for name in SITE_FEATURES]] = np.nan
    assert not any("host" in reason for reason in explain(row, Label.BOILERPLATE) + explain(row, Label.SPAM))
    row[FEATURE_NAMES.index("site_page_share")] = 0.8
    row[FEATURE_NAMES.index("site_log_hosts")] = np.log1p(40)
    assert explain(row, Label.BOILERPLATE)[0] == "on 80% of the host's pages"
    assert "on 40 hosts of the archive" in explain(row, Label.SPAM)


def test_a_block_seen_once_gets_the_single_page_view_on_a_profiled_host():
    stories = ("harbour", "bridge", "school", "market", "library", "stadium", "museum", "airport")
    documents = [
        (f"Home News Sport Weather\n\nThe council met on Monday to discuss the {story}, and voted to fund it.\n\n"
         "Share this story\n\nCopyright 2026 Valley Herald. All rights reserved.\n", f"https://valley.example/{n}")
        for n, story in enumerate(stories)
    ]
    profiled = Cleaner(profile=SiteProfile.build(documents, size=SMALL))
    text, url = documents[0]
    unique = text.replace("Share this story", "Reader poll: should the town build a second harbour wall?")
    alone, with_profile = Cleaner().clean(unique, url=url), profiled.clean(unique, url=url)
    facts = profiled.profile.facts("valley.example", [block.text for block in with_profile.blocks])
    seen_once = [index for index, count in enumerate(facts.page_counts) if count <= 1]
    assert seen_once == [1, 2]  # the article paragraph and the poll; the menu and footer repeat
    for index in seen_once:
        block, single = with_profile.blocks[index], alone.blocks[index]
        assert (block.label, block.score, block.reasons) == (single.label, single.score, single.reasons)


def test_cleaner_with_a_profile_cuts_spam_off_a_paragraph_and_keeps_the_paragraph():
    story = ("The council voted on Tuesday to extend the bike lanes along the river, after two years of talks with "
             "residents and shop owners. Work begins in the spring and lasts about eight months, the city said.")
    documents = [(f"Menu line\n\nStory {n}: {story}\n\nFooter line\n", f"https://a.example/{n}") for n in range(6)]
    cleaner = Cleaner(profile=SiteProfile.build(documents, size=SMALL))
    spam = "Buy cheap viagra online at www.pharma-cheap.top now!"
    result = cleaner.clean(f"Menu line\n\nStory 9: {story} {spam}\n\nFooter line\n", url="https://a.example/9")
    assert f"Story 9: {story}\n" in result.text
    assert spam not in result.text
