"""Spam of a page's own trade: hard negatives about gambling, loans or essay mills with that spam put in.

News about a spam trade is where spam wording is content, and spamguard keeps prose
removed as spam when the rest of the page discusses the same trade. This measures
what that costs: every hard-negative document (both sets) that names one spam
family in two or more of its paragraphs gets spam of that family and its own
language from the project's generator, one snippet at a time at a seeded random
place, in the HTML and the text rendering. The table gives, per tool, the share of
injected spam blocks that survive and of the document's own paragraphs that are
lost. Run from the repository root::

    .venv/bin/python -m benchmarks.on_topic_spam [--samples N] [--tools NAMES] [--model PATH]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import (
    DEFAULT_DATA_ROOT,
    HTML,
    Coverage,
    Tool,
    add_injection_options,
    environment_line,
    markdown_table,
    pct,
    tools_from_options,
)
from benchmarks.quality import (
    HARD_NEGATIVE_SETS,
    HardNegative,
    InjectedBlock,
    insert_html,
    insert_lines,
    load_spam_bank,
    normalized,
    page_rng,
    read_hard_negatives,
    run_tool,
    spam_key,
    survivors,
)

if TYPE_CHECKING:
    from spamguard.synth import SpamBank, SpamSnippet

# A family named in this many paragraphs (title included) is what the document is about.
MIN_PARAGRAPHS_NAMING = 2


@dataclass(frozen=True)
class OnTopicCase:
    """A hard negative and the spam trade it discusses, in its own language."""

    document: HardNegative
    family: str
    lang: str


def on_topic_cases(bank: SpamBank) -> tuple[list[OnTopicCase], int]:
    """Documents that discuss one spam family the generator writes in their language; and how many were skipped."""
    from spamguard.lexicon import spam_lexicon

    lexicon = spam_lexicon()
    cases, skipped = [], 0
    for set_name, folder in HARD_NEGATIVE_SETS.items():
        for document in read_hard_negatives(folder, set_name):
            naming = Counter(family for paragraph in (document.title, *document.paragraphs)
                             for family in set(lexicon.families_in(paragraph)))
            family, count = naming.most_common(1)[0] if naming else ("", 0)
            lang = document.name.split("-", 1)[0]
            if count < MIN_PARAGRAPHS_NAMING:
                continue
            if (family, lang) not in bank.keywords:
                skipped += 1
                continue
            cases.append(OnTopicCase(document, family, lang))
    return cases, skipped


@dataclass
class Tally:
    spam_blocks: int = 0
    spam_survived: int = 0
    paragraphs: int = 0
    paragraphs_lost: int = 0


def measure_case(case: OnTopicCase, tools: Sequence[Tool], bank: SpamBank, samples: int, seed: int,
                 tallies: dict[str, Tally]) -> None:
    rng = page_rng(seed, case.document.name)
    # A generator: each snippet is drawn just before it is put in, as the seeded results were measured.
    snippets = (bank.sample(rng, families=[case.family], langs=[case.lang]) for _ in range(samples))
    tally_snippets(case.document, snippets, rng, tools, tallies)


def tally_snippets(document: HardNegative, snippets: Iterable[SpamSnippet], rng: random.Random,
                   tools: Sequence[Tool], tallies: dict[str, Tally]) -> None:
    """Put each snippet, one at a time, at a random place of the document's HTML and text; count what each tool keeps."""
    paragraphs = document.paragraph_tokens()
    page_html, present = document.as_html(), normalized(document.text)
    for snippet in snippets:
        html = insert_html(page_html, [snippet], rng)
        text = insert_lines(document.text, [snippet], rng)
        blocks = [InjectedBlock(snippet.family, snippet.shape, snippet.lang, key)
                  for key in map(spam_key, snippet.text_blocks) if key and key not in present]
        for tool in tools:
            output, _ = run_tool(tool, html if tool.input == HTML else text, "")
            tally = tallies[tool.key]
            tally.spam_blocks += len(blocks)
            tally.spam_survived += sum(kept for _, kept in survivors(blocks, normalized(output)))
            coverage = Coverage(output)
            tally.paragraphs += len(paragraphs)
            tally.paragraphs_lost += sum(map(coverage.lost, paragraphs))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help="folder with spam-sources/ (relative to the repo root)")
    parser.add_argument("--samples", type=int, default=10, help="spam snippets per document, one at a time")
    add_injection_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = tools_from_options(args)
    bank = load_spam_bank(args.data_root)
    cases, skipped = on_topic_cases(bank)
    tallies = {tool.key: Tally() for tool in tools}
    for count, case in enumerate(cases, 1):
        measure_case(case, tools, bank, args.samples, args.seed, tallies)
        print(f"{count} of {len(cases)} documents", file=sys.stderr, flush=True)
    families = Counter(case.family for case in cases)
    print(f"# Spam of a page's own trade\n\n{environment_line()}\n\n"
          f"{len(cases)} hard negatives that name one spam family in {MIN_PARAGRAPHS_NAMING}+ paragraphs "
          f"({', '.join(f'{family} {n}' for family, n in sorted(families.items()))}; {skipped} more whose "
          f"family the generator does not write in their language), {args.samples} snippets of that family "
          f"and language each, seed {args.seed}.\n")
    rows = [[key, str(t.spam_blocks), pct(t.spam_survived / max(t.spam_blocks, 1)), str(t.paragraphs),
             pct(t.paragraphs_lost / max(t.paragraphs, 1))] for key, t in tallies.items()]
    print(markdown_table(["tool/input", "spam blocks", "survived", "paragraphs", "lost"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
