"""The element that holds an article page's text.

A page that declares itself an article (Open Graph ``og:type`` or a schema.org
``Article`` type, as news and blog systems write them) keeps its story in one
element; tickers, "more stories" rails, widgets and comment policies sit beside
it. That element is the deepest one around nearly all of the prose the model is
sure of. Other page types (shops, forums, service pages) spread their text over
many boxes, so they name no such element.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# A tag's attributes are read up to a bound, so a page of unclosed ``<meta`` stays linear.
_META_TAG = re.compile(r"<meta\b([^<>]{0,2000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SCHEMA_ARTICLE = re.compile(
    r'"@type"\s*:\s*\[?\s*"(?:News|Reportage|Analysis|Opinion|Tech|Scholarly)?Article"'
    r'|"@type"\s*:\s*\[?\s*"(?:Live)?BlogPosting"'
)
# Nearly all: a stray sure paragraph elsewhere (a sidebar's blurb) must not
# widen the element to the whole page.
MAIN_SHARE = 0.9
# Fewer sure paragraphs say too little about where the story is.
MIN_SURE_BLOCKS = 3
# The story's element holds at least this share of the text the model kept, or
# the page's content is spread out (a shop's listings, replies under a post
# that calls itself an article) and nothing goes for where it sits.
MIN_STORY_SHARE = 0.7


def declares_article(html: str) -> bool:
    """Whether the page's metadata calls it an article (``og:type`` or a JSON-LD ``@type``)."""
    return any(_open_graph_article(match.group(1)) for match in _META_TAG.finditer(html)
               if "og:type" in match.group(1).lower()) or bool(_SCHEMA_ARTICLE.search(html))


def _open_graph_article(attributes: str) -> bool:
    values = {name.lower(): "".join(value).strip().lower() for name, *value in _ATTRIBUTE.findall(attributes)}
    return "og:type" in (values.get("property"), values.get("name")) and values.get("content") == "article"


def main_region(ancestors: Sequence[tuple[int, ...]], sure_prose: Sequence[bool],
                sizes: Sequence[int]) -> int | None:
    """The number of the deepest element around ``MAIN_SHARE`` of the sure prose, by size.

    ``ancestors`` are the blocks' element numbers, root first (``Segment.ancestors``);
    ``sure_prose`` marks the blocks to weigh. None when fewer than ``MIN_SURE_BLOCKS``
    are marked.
    """
    if sum(sure_prose) < MIN_SURE_BLOCKS:
        return None
    return innermost_holding(ancestors, [size if sure else 0 for sure, size in zip(sure_prose, sizes)], MAIN_SHARE)


def innermost_holding(ancestors: Sequence[tuple[int, ...]], weights: Sequence[int], share: float) -> int | None:
    """The number of the deepest element whose blocks hold ``share`` (over half) of the weight, if any."""
    held: dict[int, int] = {}
    depth: dict[int, int] = {}
    for numbers, weight in zip(ancestors, weights):
        if not weight:
            continue
        for level, number in enumerate(numbers):
            held[number] = held.get(number, 0) + weight
            depth[number] = level
    # The elements holding more than half the weight form one chain from the root.
    total = sum(weights)
    holding = [number for number, weight in held.items() if weight >= share * total]
    return max(holding, key=depth.__getitem__, default=None)
