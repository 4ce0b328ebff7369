"""Spam links riding on the article's own paragraphs: what is kept of the paragraph, what of the links.

A hacked page rarely gets a spam block of its own: the links are put into the
article's paragraphs, at their end, visible or hidden by an inline style or by a
class of the page's stylesheet. This takes one ground-truth paragraph of every
validation page (an HTML ``<p>`` of 25+ words that ends a sentence), appends 1-4
anchors from the project's spam generator to it, in each of those three ways, and
gives per tool the share of such paragraphs lost and of the spam anchors kept.
Run from the repository root::

    .venv/bin/python -m benchmarks.riding_links [--tools NAMES] [--seed N] [--model PATH]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import html as html_lib
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html

from benchmarks.common import (
    CORPORA,
    DEFAULT_DATA_ROOT,
    HTML,
    Coverage,
    add_injection_options,
    corpus_pages,
    environment_line,
    markdown_table,
    pct,
    tokens,
    tools_from_options,
)
from benchmarks.quality import load_spam_bank, normalized, page_rng, run_tool, spam_key

if TYPE_CHECKING:
    from spamguard.corpus import Page
    from spamguard.synth import SpamBank

MIN_WORDS = 25
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)]*\s*$")
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a>", re.DOTALL)
_HIDING_CLASS = "rl-x7"
# How the links ride on the paragraph: a format for the links' markup, and what the page's <head> gets.
WAYS = {
    "visible": ("{}", ""),
    "inline style": ('<span style="display:none">{}</span>', ""),
    "stylesheet class": (f'<span class="{_HIDING_CLASS}">{{}}</span>', f"<style>.{_HIDING_CLASS}{{display:none}}</style>"),
}


@dataclass(frozen=True)
class Case:
    """One page with spam anchors put at the end of one of its article paragraphs, one way."""

    way: str
    html: str
    paragraph: list[str]
    anchors: list[str]


def article_paragraphs(page: Page, root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's <p> elements of MIN_WORDS+ words that end a sentence and are in the ground truth."""
    truth = Coverage(page.text)
    return [element for element in root.iter("p")
            if len(tokens(element.text_content())) >= MIN_WORDS and _ENDS_SENTENCE.search(element.text_content())
            and not truth.lost(tokens(element.text_content()))]


def cases(page: Page, bank: SpamBank, seed: int) -> Iterator[Case]:
    """The page with spam anchors at the end of one article paragraph, once for each of ``WAYS``."""
    rng = page_rng(seed, page.id)
    count = len(article_paragraphs(page, lxml.html.document_fromstring(page.html)))
    if not count:
        return
    index = rng.randrange(count)
    anchors = _ANCHOR.findall(bank.sample(rng, shapes=["anchors"]).html)[: rng.randint(1, 4)]
    texts = [html_lib.unescape(re.sub(r"<[^>]+>", "", anchor)) for anchor in anchors]
    for way, (wrap, style) in WAYS.items():
        root = lxml.html.document_fromstring(page.html)
        target = article_paragraphs(page, root)[index]
        words = tokens(target.text_content())
        target.append(lxml.html.fragment_fromstring(" " + wrap.format(" ".join(anchors)), create_parent="span"))
        if style:
            root.insert(0, lxml.html.fragment_fromstring(style))
        yield Case(way, lxml.html.tostring(root, encoding="unicode"), words, texts)


@dataclass
class Tally:
    paragraphs: int = 0
    lost: int = 0
    anchors: int = 0
    kept: int = 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    add_injection_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = [tool for tool in tools_from_options(args) if tool.input == HTML]
    bank = load_spam_bank(args.data_root)
    tallies: dict[tuple[str, str], Tally] = {}
    pages = Counter()
    for corpus in CORPORA:
        for page in corpus_pages(args.data_root, corpus, everything=False, limit=None):
            for case in cases(page, bank, args.seed):
                pages[case.way] += 1
                for tool in tools:
                    output, _ = run_tool(tool, case.html, page.url)
                    tally = tallies.setdefault((tool.key, case.way), Tally())
                    tally.paragraphs += 1
                    tally.lost += Coverage(output).lost(case.paragraph)
                    kept = normalized(output)
                    tally.anchors += len(case.anchors)
                    tally.kept += sum(spam_key(anchor) in kept for anchor in case.anchors)
        print(f"{corpus} done", file=sys.stderr, flush=True)
    print(f"# Spam links riding on article paragraphs\n\n{environment_line()}\n\n"
          f"{pages['visible']} validation pages (content-dev and content-train), one article paragraph each "
          f"with 1-4 spam anchors appended, seed {args.seed}.\n")
    rows = [[tool, way, str(t.paragraphs), pct(t.lost / max(t.paragraphs, 1)), str(t.anchors),
             pct(t.kept / max(t.anchors, 1))] for (tool, way), t in tallies.items()]
    print(markdown_table(["tool/input", "links", "paragraphs", "paragraph lost", "anchors", "anchors kept"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
