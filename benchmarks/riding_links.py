"""Spam riding on the article's own paragraphs: what is kept of the paragraph, what of the spam.

A hacked page rarely gets a spam block of its own: links are put into the
article's paragraphs, at their end, visible or hidden by an inline style or by a
class of the page's stylesheet, or a sentence with a link is added to one. This
takes one ground-truth paragraph of every validation page (an HTML ``<p>`` of 25+
words that ends a sentence), appends 1-4 anchors from the project's spam generator
to it in each of those three ways, and then one of its spam sentences instead, and
gives per tool the share of such paragraphs lost and of the spam kept. The
sentence also rides on the paragraph's line of the page's plain-text dump, in the
generator's text form (which spells out some of its web addresses), for the tools
on text.
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
    MARKDOWN,
    TEXT,
    Coverage,
    add_injection_options,
    corpus_pages,
    environment_line,
    load_cleaner,
    markdown_table,
    pct,
    spamguard_tool,
    text_dump,
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
_ANCHOR_PARTS = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.DOTALL)
# Stands for the spam in the page before its text dump is written as Markdown.
_MARK = "SPAMGUARDRIDINGMARK"
_HIDING_CLASS = "rl-x7"
# How the links ride on the paragraph: a format for the links' markup, and what the page's <head> gets.
WAYS = {
    "visible": ("{}", ""),
    "inline style": ('<span style="display:none">{}</span>', ""),
    "stylesheet class": (f'<span class="{_HIDING_CLASS}">{{}}</span>', f"<style>.{_HIDING_CLASS}{{display:none}}</style>"),
}
SENTENCE = "a sentence with a link"


@dataclass(frozen=True)
class Case:
    """One page with spam put at the end of one of its article paragraphs, one way, as HTML or its text dump."""

    way: str
    input: str
    document: str
    paragraph: list[str]
    # The spam's anchors, or its sentence: what shows it was kept.
    spam: list[str]


def article_paragraphs(page: Page, root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's <p> elements of MIN_WORDS+ words that end a sentence and are in the ground truth."""
    truth = Coverage(page.text)
    return [element for element in root.iter("p")
            if len(tokens(element.text_content())) >= MIN_WORDS and _ENDS_SENTENCE.search(element.text_content())
            and not truth.lost(tokens(element.text_content()))]


def cases(page: Page, bank: SpamBank, seed: int) -> Iterator[Case]:
    """The page with spam at the end of one article paragraph: anchors each of ``WAYS``, then a sentence."""
    rng = page_rng(seed, page.id)
    count = len(article_paragraphs(page, lxml.html.document_fromstring(page.html)))
    if not count:
        return
    index = rng.randrange(count)
    anchors = _ANCHOR.findall(bank.sample(rng, shapes=["anchors"]).html)[: rng.randint(1, 4)]
    texts = [html_lib.unescape(re.sub(r"<[^>]+>", "", anchor)) for anchor in anchors]
    for way, (wrap, style) in WAYS.items():
        yield _riding(page, index, way, wrap.format(" ".join(anchors)), style, texts)
    sentence = bank.sample(rng, shapes=["sentence"])
    inner = " ".join(re.sub(r"</?p>", "", sentence.html).split("\n"))
    written = " ".join(sentence.text_blocks)
    yield _riding(page, index, SENTENCE, inner, "", [written])
    riding_text = _riding(page, index, SENTENCE, html_lib.escape(written), "", [written])
    yield Case(SENTENCE, TEXT, text_dump(riding_text.document), riding_text.paragraph, riding_text.spam)
    yield _riding_markdown(page, index, inner)


def _riding_markdown(page: Page, index: int, sentence_html: str) -> Case:
    """The sentence, its links as Markdown links, at the end of the paragraph in the page's text dump
    written as Markdown: a paragraph a line, blank lines between."""
    written = html_lib.unescape(re.sub(r"<[^>]+>", "", _ANCHOR_PARTS.sub(r"[\2](\1)", sentence_html)))
    marked = _riding(page, index, SENTENCE, _MARK, "", [])
    lines = (line.strip() for line in text_dump(marked.document).replace(_MARK, written).splitlines())
    return Case(SENTENCE, MARKDOWN, "\n\n".join(line for line in lines if line) + "\n", marked.paragraph, [written])


def _riding(page: Page, index: int, way: str, markup: str, style: str, spam: list[str]) -> Case:
    root = lxml.html.document_fromstring(page.html)
    target = article_paragraphs(page, root)[index]
    words = tokens(target.text_content())
    target.append(lxml.html.fragment_fromstring(" " + markup, create_parent="span"))
    if style:
        root.insert(0, lxml.html.fragment_fromstring(style))
    return Case(way, HTML, lxml.html.tostring(root, encoding="unicode"), words, spam)


@dataclass
class Tally:
    paragraphs: int = 0
    lost: int = 0
    spam: int = 0
    kept: int = 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    add_injection_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = tools_from_options(args)
    if any(tool.name == "spamguard" for tool in tools):  # no peer reads Markdown
        tools.append(spamguard_tool(load_cleaner(args.model)[0], MARKDOWN))
    bank = load_spam_bank(args.data_root)
    tallies: dict[tuple[str, str], Tally] = {}
    pages = Counter()
    for corpus in CORPORA:
        for page in corpus_pages(args.data_root, corpus, everything=False, limit=None):
            for case in cases(page, bank, args.seed):
                pages[case.way] += case.input == HTML
                for tool in (tool for tool in tools if tool.input == case.input):
                    output, _ = run_tool(tool, case.document, page.url)
                    tally = tallies.setdefault((tool.key, case.way), Tally())
                    tally.paragraphs += 1
                    tally.lost += Coverage(output).lost(case.paragraph)
                    kept = normalized(output)
                    tally.spam += len(case.spam)
                    tally.kept += sum(spam_key(text) in kept for text in case.spam)
        print(f"{corpus} done", file=sys.stderr, flush=True)
    print(f"# Spam links riding on article paragraphs\n\n{environment_line()}\n\n"
          f"{pages['visible']} validation pages (content-dev and content-train), one article paragraph each "
          f"with 1-4 spam anchors or a spam sentence appended (on text: the sentence, on the paragraph's line "
          f"of the page's text dump; on Markdown: that dump a paragraph a line, the sentence's links as Markdown "
          f"links), seed {args.seed}.\n")
    rows = [[tool, way, str(t.paragraphs), pct(t.lost / max(t.paragraphs, 1)), str(t.spam),
             pct(t.kept / max(t.spam, 1))] for (tool, way), t in tallies.items()]
    print(markdown_table(["tool/input", "spam", "paragraphs", "paragraph lost", "anchors or sentences", "kept"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
