"""The element that holds an article page's story, and what the Cleaner removes beside it."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import read_fixture
from spamguard.clean import OUTSIDE_MAIN_TEXT
from spamguard.main_region import declares_article, main_region

ARTICLE_PAGE = read_fixture("article_page.html")
DECLARATION = '<meta property="og:type" content="article">'
STORY = (
    "The harbour ferry made its first crossing of the year",
    "About sixty passengers, many of them commuters",
    "The operator said the new engines burn a third less fuel",
    "Repairs were paid for jointly by the town",
    "Timetables for the summer season will be posted",
)
NO_DISCUSSION = "There isn't any discussion on this story yet."


@pytest.mark.parametrize("head", [
    '<meta property="og:type" content="article" />',
    "<META content='Article' name='og:type'>",
    '<meta content="article" property="og:type">',
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle"}</script>',
    '<script type="application/ld+json">{"@type": ["BlogPosting"], "headline": "x"}</script>',
])
def test_article_declarations_are_read(head: str) -> None:
    assert declares_article(f"<html><head>{head}</head><body><p>x</p></body></html>")


@pytest.mark.parametrize("head", [
    '<meta property="og:type" content="website">',
    '<meta property="og:title" content="article">',
    '<script type="application/ld+json">{"@type": "Product", "name": "Article holder"}</script>',
    "<p>og:type article, in the page's prose</p>",
])
def test_other_pages_declare_no_article(head: str) -> None:
    assert not declares_article(f"<html><head>{head}</head><body><p>x</p></body></html>")


def test_unclosed_meta_tags_are_read_in_linear_time() -> None:
    code = ("from spamguard.main_region import declares_article; "
            "declares_article('<meta property=\"og:type\" content=\"artic ' * 200_000)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_the_region_is_the_deepest_element_around_nearly_all_sure_prose() -> None:
    # body 0 > div 1 > div 2 (the story, three paragraphs) and div 3 (a sidebar blurb).
    ancestors = [(0, 1, 2), (0, 1, 2), (0, 1, 2), (0, 1, 3), (0, 4)]
    assert main_region(ancestors, [True, True, True, False, False], [400, 300, 300, 100, 50]) == 2
    # A sure sidebar blurb of a twentieth of the weight does not widen it.
    assert main_region(ancestors, [True, True, True, True, False], [400, 300, 300, 50, 50]) == 2
    # One of a fifth does: the story and the blurb share div 1.
    assert main_region(ancestors, [True, True, True, True, False], [400, 300, 300, 250, 50]) == 1


def test_too_little_sure_prose_names_no_region() -> None:
    assert main_region([(0, 1), (0, 1), (0, 2)], [True, True, False], [500, 500, 10]) is None


def test_an_article_page_loses_what_the_model_leans_against_beside_the_story(cleaner) -> None:
    result = cleaner.clean(ARTICLE_PAGE, kind="html")
    for opening in STORY:
        assert opening in result.text
    notice = next(block for block in result.blocks if block.text.startswith(NO_DISCUSSION))
    assert notice.removed and notice.reasons[0].startswith(OUTSIDE_MAIN_TEXT)
    # Headings beside the story stay for the model to judge.
    assert "Newsletter" in result.text


def test_without_the_declaration_the_same_page_keeps_it(cleaner) -> None:
    assert DECLARATION in ARTICLE_PAGE
    result = cleaner.clean(ARTICLE_PAGE.replace(DECLARATION, ""), kind="html")
    notice = next(block for block in result.blocks if block.text.startswith(NO_DISCUSSION))
    assert not notice.removed
