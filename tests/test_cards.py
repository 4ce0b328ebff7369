"""Teaser cards: a "more stories" rail outside the article goes; cards that are the page's content stay."""
from __future__ import annotations

from spamguard import Cleaner
from spamguard.cards import teaser_cards
from spamguard.clean import RAIL_CARD, _dropped_as_teaser, _is_prose
from spamguard.segment import segment
from spamguard.types import Kind

ARTICLE = [
    "The harbour authority approved the new ferry timetable on Monday after three months of public consultation.",
    "Boats to the outer islands will leave every ninety minutes in summer, twice as often as last year.",
    "Residents of the smaller islands had asked for an earlier first crossing so that pupils reach school on time.",
    "The first boat now leaves at six, and a late service on Fridays returns from the mainland after midnight.",
    "Fares stay the same until the end of the year, the authority said, while it reviews the cost of fuel.",
]
STORIES = [
    ("Council votes to rebuild the old fish market", "Jane Doe", "The market hall will reopen in spring with twenty stalls."),
    ("Lighthouse keeper retires after forty years", "Tom Lee", "He climbed the tower's 112 steps twice a day until March."),
    ("Storm damages sea wall at the north beach", "Ana Ruiz", "Repairs will close the promenade for at least two weeks."),
    ("Sailing school opens a class for adults", "Mo Chan", "Lessons start in May and the first month is free of charge."),
]


def _article_html(body: str, aside: str) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE)
    return (f"<html><head><title>New ferry timetable</title></head><body><main><article>"
            f"<h1>New ferry timetable approved</h1>{paragraphs}{body}</article>{aside}</main></body></html>")


def _card(title: str, author: str, summary: str) -> str:
    return (f'<div class="card"><h3><a href="/news/{len(title)}">{title}</a></h3>'
            f'<div class="byline">{author}</div><p class="summary">{summary}</p></div>')


RAIL = '<aside class="more"><h2>More stories</h2>' + "".join(_card(*story) for story in STORIES) + "</aside>"


def _cards(html: str) -> dict:
    segments = segment(html, Kind.HTML)
    prose = [_is_prose(segment.text) for segment in segments]
    sure_prose = [segment.text in ARTICLE for segment in segments]
    return {segments[index].text: card for index, card in teaser_cards(segments, prose, sure_prose).items()}


def test_a_rail_of_cards_outside_the_article_is_found_card_by_card() -> None:
    found = _cards(_article_html("", RAIL))
    assert set(found) == {text for story in STORIES for text in story}
    assert all(card.cards == len(STORIES) for card in found.values())
    assert "More stories" not in found and not set(found) & set(ARTICLE)


def test_linked_headings_of_a_listicle_inside_the_article_are_not_a_rail() -> None:
    entries = "".join(f'<div class="entry"><h3><a href="/item/{n}">{title}</a></h3><p>{summary}</p></div>'
                      for n, (title, _, summary) in enumerate(STORIES))
    assert _cards(_article_html(entries, "")) == {}


def test_page_sections_with_a_button_at_the_foot_are_not_cards() -> None:
    sections = "".join(f'<section><h3>{title}</h3><p>{summary}</p><a href="/signup">Sign up for the course</a></section>'
                       for title, _, summary in STORIES)
    assert _cards(_article_html("", f'<div class="related-courses">{sections}</div>')) == {}


def test_cards_holding_several_times_the_article_are_the_page_itself() -> None:
    grid = '<div class="related-products">' + "".join(_card(*story) for story in STORIES * 6) + "</div>"
    assert _cards(_article_html("", grid)) == {}


def test_cards_in_a_box_not_named_as_a_rail_are_left_to_the_model() -> None:
    listing = '<div class="podcast-list">' + "".join(_card(*story) for story in STORIES) + "</div>"
    assert _cards(_article_html("", listing)) == {}


def test_no_article_no_rail() -> None:
    html = "<html><body>" + RAIL + "</body></html>"
    segments = segment(html, Kind.HTML)
    assert teaser_cards(segments, [_is_prose(segment.text) for segment in segments], [False] * len(segments)) == {}


def test_the_cleaner_removes_a_rail_and_keeps_the_article(cleaner: Cleaner) -> None:
    result = cleaner.clean(_article_html("", RAIL), kind="html")
    kept = {block.text for block in result.blocks if not block.removed}
    assert set(ARTICLE) <= kept
    summaries = [block for block in result.blocks if block.text in {summary for *_, summary in STORIES}]
    assert all(block.removed for block in summaries)
    assert any(block.reasons[0].startswith(RAIL_CARD) for block in summaries)
    # Not a lossless teaser of a kept block: the rules that take removals back tell the two apart.
    assert not any(_dropped_as_teaser(block) for block in summaries)
