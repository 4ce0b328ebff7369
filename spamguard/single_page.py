"""Which blocks a site profile says nothing about, and are judged as on a single page.

A profile is evidence about a block that repeats on its host: the site's
chrome, or a campaign's template. A site's chrome (menus, banners, footers,
its related-list widget) is on most of its pages. A block on under half of
its host's pages is not, and read through the profile such blocks leaned to
boilerplate: the page's own title, which other pages' related and most-read
lists repeat; generic lines several pages share ("Learn more", "About");
two articles quoting one sentence. On ``benchmarks/site_profile.py`` nearly
all the content the profile newly removed was on under half of its host's
pages, and nearly all it rightly caught on most of them. Such blocks get the
single-page view: their site features missing, exactly the verdict without a
profile. Only when the profiled view calls a block spam and it is on several
hosts (a campaign) does the profile's view stand.

The profile may add to a spam verdict on a block seen across hosts, never take
one away: a campaign's one-line header ("Our partners") on most pages of a
host reads as that host's chrome, and its spam score fell under the threshold.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spamguard.features import FEATURE_NAMES, SITE_FEATURES
from spamguard.types import Document

_SITE_COLUMNS = [FEATURE_NAMES.index(name) for name in SITE_FEATURES]
# A block on fewer of its host's pages than this share is not the site's chrome.
_CHROME_PAGE_SHARE = 0.5


def single_page_rows(documents: Sequence[Document], campaign: np.ndarray) -> np.ndarray:
    """Rows (blocks in document order) that get the single-page view although a profile exists.

    ``campaign`` marks the rows the profiled view calls spam on two hosts or
    more; they keep that view.
    """
    single = []
    for document in documents:
        site = document.site
        if site is None:
            single.append(np.zeros(len(document.segments), dtype=bool))
        else:
            pages = np.asarray(site.page_counts)
            # One page proves nothing on a host of one or two pages either.
            single.append((pages < _CHROME_PAGE_SHARE * site.host_pages) | (pages <= 1))
    return np.concatenate(single) & ~campaign


def cross_host_rows(documents: Sequence[Document]) -> np.ndarray:
    """Rows (blocks in document order) the profile has seen on two hosts or more."""
    return np.concatenate([
        np.asarray(document.site.host_counts) >= 2 if document.site is not None
        else np.zeros(len(document.segments), dtype=bool)
        for document in documents
    ])


def single_page_wins(single: np.ndarray, alone: np.ndarray, spam: int, threshold: float) -> np.ndarray:
    """Of rows predicted again without site features, those that take that verdict.

    ``single`` marks the rows that get the single-page view whatever it says;
    the others (cross-host blocks) take it only when it is a confident spam.
    """
    return single | ((alone.argmax(axis=1) == spam) & (alone[:, spam] >= threshold))


def without_site(features: np.ndarray) -> np.ndarray:
    """``features`` with the site-profile columns missing, as when no profile exists."""
    blind = features.copy()
    blind[:, _SITE_COLUMNS] = np.nan
    return blind
