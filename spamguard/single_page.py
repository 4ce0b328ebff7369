"""Which blocks a site profile says nothing about, and are judged as on a single page.

A profile is evidence about a block that repeats on its host: the site's
chrome, or a campaign's template. Some blocks carry site features the model
would misread, so they get the single-page view (their site features missing,
exactly the verdict without a profile):

- a block on one page of its host, or on under a tenth of its pages: it shows
  no site chrome (two articles quoting one sentence, a widget on a few pages);
  read through the profile, such blocks near the threshold leaned to
  boilerplate, and most article paragraphs the profile newly lost on
  ``benchmarks/site_profile.py`` were among them;
- the page's own title (``spamguard.title``) when it is on under half of its host's pages: other
  pages of the host repeat it in their related-article and most-read lists,
  which makes the page's headline look like chrome on its own page.

Only when the profiled view calls such a block spam and it is on several
hosts (a campaign) does the profile's view stand.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spamguard.features import FEATURE_NAMES, SITE_FEATURES
from spamguard.title import TitleMatcher
from spamguard.types import Document

_SITE_COLUMNS = [FEATURE_NAMES.index(name) for name in SITE_FEATURES]
# A block on fewer of its host's pages than this share is not the site's chrome.
_CHROME_PAGE_SHARE = 0.1
# A block on this share of its host's pages or more is the site's, even the
# page's title (a site whose every page has the same name).
_TEMPLATE_PAGE_SHARE = 0.5


def single_page_rows(documents: Sequence[Document], titles: Sequence[str], profiled_spam: np.ndarray) -> np.ndarray:
    """Rows (blocks in document order) that get the single-page view although a profile exists."""
    single, hosts = [], []
    for document, title in zip(documents, titles):
        count = len(document.segments)
        site = document.site
        if site is None:
            single.append(np.zeros(count, dtype=bool))
            hosts.append(np.zeros(count, dtype=np.int64))
            continue
        pages = np.asarray(site.page_counts)
        rare = pages <= max(1.0, _CHROME_PAGE_SHARE * site.host_pages)
        minority = ~rare & (pages < _TEMPLATE_PAGE_SHARE * site.host_pages)
        is_title = TitleMatcher(title).matches
        titled = np.zeros(count, dtype=bool)
        for index in np.flatnonzero(minority):
            titled[index] = is_title(document.segments[index].text)
        single.append(rare | titled)
        hosts.append(np.asarray(site.host_counts))
    campaign = (np.concatenate(hosts) >= 2) & profiled_spam
    return np.concatenate(single) & ~campaign


def without_site(features: np.ndarray) -> np.ndarray:
    """``features`` with the site-profile columns missing, as when no profile exists."""
    blind = features.copy()
    blind[:, _SITE_COLUMNS] = np.nan
    return blind

