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
- the page's own title when it is on under half of its host's pages: other
  pages of the host repeat it in their related-article and most-read lists,
  which makes the page's headline look like chrome on its own page.

Only when the profiled view calls such a block spam and it is on several
hosts (a campaign) does the profile's view stand.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from spamguard.features import FEATURE_NAMES, SITE_FEATURES
from spamguard.profile import normalize_block
from spamguard.types import Document, Kind

_SITE_COLUMNS = [FEATURE_NAMES.index(name) for name in SITE_FEATURES]
# A block on fewer of its host's pages than this share is not the site's chrome.
_CHROME_PAGE_SHARE = 0.1
# A block on this share of its host's pages or more is the site's, even the
# page's title (a site whose every page has the same name).
_TEMPLATE_PAGE_SHARE = 0.5
_TITLE_ELEMENT = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def page_title(source: str, document: Document) -> str:
    """The page's own title: HTML's ``<title>``, else its first block (scrapers write the title first)."""
    if document.kind is Kind.HTML:
        match = _TITLE_ELEMENT.search(source)
        return html.unescape(match.group(1)) if match else ""
    return document.segments[0].text if document.segments else ""


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
        single.append(rare | _is_title(document, title, minority))
        hosts.append(np.asarray(site.host_counts))
    campaign = (np.concatenate(hosts) >= 2) & profiled_spam
    return np.concatenate(single) & ~campaign


def without_site(features: np.ndarray) -> np.ndarray:
    """``features`` with the site-profile columns missing, as when no profile exists."""
    blind = features.copy()
    blind[:, _SITE_COLUMNS] = np.nan
    return blind


def _is_title(document: Document, title: str, candidates: np.ndarray) -> np.ndarray:
    """Which of the ``candidates`` are the page's title, alone or before the site's name ("Headline | Site")."""
    found = np.zeros(len(document.segments), dtype=bool)
    wanted = normalize_block(title)
    for index in np.flatnonzero(candidates) if wanted else ():
        text = normalize_block(document.segments[index].text)
        # Most of the title: not a one-word menu entry that happens to start it.
        found[index] = 2 * len(text) >= len(wanted) and (text == wanted or wanted.startswith(text + " "))
    return found
