"""Spam and news in languages the model was never trained on.

`data/held_out/spam/unseen-languages.tsv` holds spam lines written for this project
in twenty languages that neither the training spam nor the training hard negatives
cover; `data/held_out/hard_negatives/` holds a news story about a spam trade in each
of them (two in Bulgarian). Every spam line is put, one at a time at a seeded random
place, into each story of its language, as a page shows it: a keyword line as one
paragraph of linked phrases (``keywords``), the anchors as a link list (``anchors``), a
promotional sentence as a paragraph, its web address a link (``sentence``), and the
box title above the anchors (``sponsored``). The tables give, per tool and per
language, the share of spam blocks that survive and of the story's own paragraphs
that are lost. Run from the repository root::

    .venv/bin/python -m benchmarks.unseen_languages [--tools NAMES] [--model PATH] [--seed N]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import csv
import html
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from benchmarks.common import (
    REPO_ROOT,
    add_injection_options,
    environment_line,
    markdown_table,
    pct,
    tools_from_options,
)
from benchmarks.on_topic_spam import Tally, tally_snippets
from benchmarks.quality import HARD_NEGATIVE_SETS, HardNegative, page_rng, read_hard_negatives
from spamguard.synth import SpamSnippet

SPAM_LINES = REPO_ROOT / "data" / "held_out" / "spam" / "unseen-languages.tsv"
_WEB_ADDRESS = re.compile(r"\bwww\.[\w.-]+\.[a-z]{2,}\b")
# Keyword lines separate their phrases with these.
_PHRASE_SEPARATOR = re.compile(r"\s*(?:[,|•·]|\s-\s|\s–\s)\s*")


class SpamLine(NamedTuple):
    """One row of the held-out spam file."""

    family: str
    lang: str
    shape: str
    text: str


def read_spam_lines(path: Path) -> list[SpamLine]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [SpamLine(**row) for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _link(text: str, address: str) -> str:
    return f'<a href="https://{html.escape(address)}/">{html.escape(text, quote=False)}</a>'


def _address(line: SpamLine, index: int) -> str:
    """The web address the line names, or one made up for it."""
    found = _WEB_ADDRESS.search(line.text)
    return found.group() if found else f"www.{line.family}{index}-{line.lang}.com"


def snippets_of(lines: list[SpamLine]) -> list[SpamSnippet]:
    """The spam of one language, each line in the shape a page gives it (see the module docstring)."""
    anchors = [line for line in lines if line.shape == "anchors"]
    anchor_list = "<ul>" + "".join(
        f"<li>{_link(line.text, _address(line, index))}</li>" for index, line in enumerate(anchors)) + "</ul>"
    snippets = []
    for index, line in enumerate(lines):
        address = _address(line, index)
        if line.shape == "keywords":
            markup = "<p>" + " | ".join(_link(phrase, address) for phrase in _PHRASE_SEPARATOR.split(line.text)
                                        if phrase) + "</p>"
            snippets.append(SpamSnippet(line.family, line.lang, "keywords", (line.text,), markup))
        elif line.shape == "sentence":
            escaped = html.escape(line.text, quote=False)
            found = _WEB_ADDRESS.search(escaped)
            markup = (escaped[:found.start()] + _link(found.group(), found.group()) + escaped[found.end():]
                      if found else _link(line.text, address))
            snippets.append(SpamSnippet(line.family, line.lang, "sentence", (line.text,), f"<p>{markup}</p>"))
        elif line.shape == "sponsored" and anchors:
            markup = f'<div class="partners"><h4>{html.escape(line.text, quote=False)}</h4>{anchor_list}</div>'
            blocks = (line.text, *(anchor.text for anchor in anchors))
            snippets.append(SpamSnippet(line.family, line.lang, "sponsored", blocks, markup))
    if anchors:
        snippets.append(SpamSnippet(anchors[0].family, anchors[0].lang, "anchors",
                                    tuple(line.text for line in anchors), anchor_list))
    return snippets


def stories_by_language() -> dict[str, list[HardNegative]]:
    stories = defaultdict(list)
    for folder_set, folder in HARD_NEGATIVE_SETS.items():
        for document in read_hard_negatives(folder, folder_set):
            stories[document.name.split("-", 1)[0]].append(document)
    return stories


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spam", type=Path, default=SPAM_LINES, help="the held-out spam lines (TSV)")
    add_injection_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = tools_from_options(args)
    by_lang = defaultdict(list)
    for line in read_spam_lines(args.spam):
        by_lang[line.lang].append(line)
    stories = stories_by_language()
    # (tool, language) and (tool, shape) -> counts
    by_language: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_shape: dict[tuple[str, str], Tally] = defaultdict(Tally)
    measured = []
    for lang, lines in sorted(by_lang.items()):
        for story in stories.get(lang, []):
            measured.append(story.name)
            rng = page_rng(args.seed, story.name)
            for snippet in snippets_of(lines):
                tallies = {tool.key: Tally() for tool in tools}
                tally_snippets(story, [snippet], rng, tools, tallies)
                for key, tally in tallies.items():
                    for total in (by_language[key, lang], by_shape[key, snippet.shape]):
                        _add(total, tally)
        print(f"{lang} done", file=sys.stderr, flush=True)
    langs = sorted({lang for _, lang in by_language})
    shapes = sorted({shape for _, shape in by_shape})
    print(f"# Spam and news in languages never trained on\n\n{environment_line()}\n\n"
          f"{len(measured)} held-out stories ({', '.join(measured)}), each with every spam line of its language "
          f"from `{args.spam.name}`, one at a time; seed {args.seed}.\n")
    keys = [tool.key for tool in tools]
    print("## Spam blocks that survive\n")
    print(markdown_table(["tool/input", "all", *langs], [
        [key, _survival(_sum(by_language, key, langs)), *(_survival(by_language[key, lang]) for lang in langs)]
        for key in keys]))
    print("\n## By shape\n")
    print(markdown_table(["tool/input", *shapes], [
        [key, *(_survival(by_shape[key, shape]) for shape in shapes)] for key in keys]))
    print("\n## The stories' own paragraphs lost (title included, counted once per spam line put in)\n")
    print(markdown_table(["tool/input", "all", *langs], [
        [key, _lost(_sum(by_language, key, langs)), *(_lost(by_language[key, lang]) for lang in langs)]
        for key in keys]))
    return 0


def _add(total: Tally, tally: Tally) -> None:
    total.spam_blocks += tally.spam_blocks
    total.spam_survived += tally.spam_survived
    total.paragraphs += tally.paragraphs
    total.paragraphs_lost += tally.paragraphs_lost


def _sum(tallies: dict[tuple[str, str], Tally], key: str, langs: list[str]) -> Tally:
    total = Tally()
    for lang in langs:
        _add(total, tallies[key, lang])
    return total


def _survival(tally: Tally) -> str:
    return f"{pct(tally.spam_survived / max(tally.spam_blocks, 1))} of {tally.spam_blocks}"


def _lost(tally: Tally) -> str:
    return f"{pct(tally.paragraphs_lost / max(tally.paragraphs, 1))} of {tally.paragraphs}"


if __name__ == "__main__":
    sys.exit(main())
