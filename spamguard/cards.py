"""Teaser cards: the repeated boxes of a "more stories" rail around an article.

Each card holds a linked title and, under it, a byline, a date or a summary
that reads as prose; the model judges the summary on its own and keeps it.
The innermost element with three or more children holding linked titles
is a rail, and each such child a card, when the markup path names it so
("related", "more-stories", "sidebar", "trending", ...): a shop's product
grid, a podcast directory or a news hub has the same shape and is the page's
content. A rail
outside the element that holds the article's prose is a list of other pages.
A listicle's linked headings sit beside their paragraphs inside the article,
so they form no rail outside it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from spamguard.main_region import innermost_holding
from spamguard.types import Segment

# A linked title: mostly link text, a few words, no sentence of its own.
_TITLE_LINK_SHARE = 0.8
_TITLE_WORDS = (3, 25)
_MIN_CARDS = 3
# Words in class and id names that give a box the role of a rail (and the
# <aside> tag), read below <html> and <body>, whose classes describe the whole
# page ("has-sidebar"). Not the names of card components ("teaser", "promo"):
# a news hub lists its own stories in them. Not a bare "more" ("load-more").
_RAIL_WORDS = re.compile(r"related|recommend|rail|trending|popular|most-?read|sidebar|aside|widget|also|similar|"
                         r"suggest|read-?next|up-?next|you-?may|outbrain|taboola|"
                         r"more-?(?:stories|articles|news|posts|from|on|like|to-?read)")
_PAGE_STEP = re.compile(r"(?:html|body)(?:[#.]|$)")
# A card holds its title and a few lines more: a byline, a date, a summary.
_CARD_BLOCKS = (2, 8)
# The article: this much sure prose outside any card, most of it under one element.
_MIN_ARTICLE_CHARS = 400
_ARTICLE_SHARE = 0.8
# A rail can outweigh a short story beside it; cards holding several times the
# article's text are the page's own listing (a shop's product grid), not a rail.
_MAX_CARDS_PER_ARTICLE = 3


@dataclass(frozen=True)
class Card:
    """Where a block sits in a rail: its card's title block and how many cards the rail has."""

    title: int
    cards: int


def teaser_cards(segments: Sequence[Segment], prose: Sequence[bool], sure_prose: Sequence[bool]) -> dict[int, Card]:
    """Blocks in rails of teaser cards outside the article, by block index.

    ``prose[i]`` says block ``i`` reads as prose; ``sure_prose[i]`` that it is
    prose the model is sure is content: outside the cards, such blocks locate
    the article.
    """
    titles = [index for index, segment in enumerate(segments) if _linked_title(segment)]
    titled_children: dict[int, set[int]] = defaultdict(set)
    for index in titles:
        chain = segments[index].ancestors
        for parent, child in zip(chain, chain[1:]):
            titled_children[parent].add(child)
    card_title: dict[int, int] = {}
    rail_size: dict[int, int] = {}
    for index in titles:
        chain = segments[index].ancestors
        rail = max((depth for depth in range(len(chain) - 1) if len(titled_children[chain[depth]]) >= _MIN_CARDS),
                   default=None)
        if rail is not None and _named_as_rail(segments[index].tag_path):
            card_title.setdefault(chain[rail + 1], index)
            rail_size[chain[rail + 1]] = len(titled_children[chain[rail]])
    members: dict[int, list[int]] = defaultdict(list)
    for index, segment in enumerate(segments):
        for card in segment.ancestors:
            if card in card_title:
                members[card].append(index)
    cards = {card for card, indices in members.items() if _teaser(indices, card_title[card], prose)}
    in_card = {index: card for card in cards for index in members[card]}
    article, article_chars = _article(segments, [sure and index not in in_card
                                                 for index, sure in enumerate(sure_prose)])
    if article is None:
        return {}
    outside = {index: card for index, card in in_card.items() if article not in segments[card_title[card]].ancestors}
    if sum(len(segments[index].text) for index in outside) > _MAX_CARDS_PER_ARTICLE * article_chars:
        return {}
    return {index: Card(card_title[card], rail_size[card]) for index, card in outside.items()}


def _named_as_rail(tag_path: str) -> bool:
    return any(_RAIL_WORDS.search(step) for step in tag_path.lower().split(">") if not _PAGE_STEP.match(step))


def _teaser(indices: list[int], title: int, prose: Sequence[bool]) -> bool:
    """A few blocks led by the linked title, one of them at most a sentence of summary.

    A page section with its call-to-action button at the foot, or a listicle
    entry with paragraphs of its own, is not a teaser.
    """
    sentences = sum(1 for index in indices if prose[index])
    return _CARD_BLOCKS[0] <= len(indices) <= _CARD_BLOCKS[1] and title in indices[:2] and sentences <= 1


def _linked_title(segment: Segment) -> bool:
    words = len(segment.text.split())
    return (segment.links.count > 0 and _TITLE_WORDS[0] <= words <= _TITLE_WORDS[1]
            and segment.links.chars_in_links >= _TITLE_LINK_SHARE * len(segment.text))


def _article(segments: Sequence[Segment], prose: Sequence[bool]) -> tuple[int | None, int]:
    """The innermost element holding most of the page's sure prose, if there is enough of it, and that prose's length."""
    sizes = [len(segment.text) if is_prose else 0 for segment, is_prose in zip(segments, prose)]
    total = sum(sizes)
    if total < _MIN_ARTICLE_CHARS:
        return None, total
    return innermost_holding([segment.ancestors for segment in segments], sizes, _ARTICLE_SHARE), total
