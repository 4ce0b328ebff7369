"""Real comment spam the model never saw: held-out YouTube comments inside article text dumps.

Training draws a few spam blocks from the UCI TubeSpam files Youtube01-04; Youtube05
(Shakira) is never read by training. Its comments, spam and ham, go into the text
dumps of the content-dev validation pages, six per page: once after the second
long paragraph (where a forum or a comment-spam injection puts them, and where
boilerplate removal does not reach them) and once as a "Comments" section at the
end. The table says how each group is labeled. Run from the repository root::

    .venv/bin/python -m benchmarks.real_comments [--model PATH]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import (
    DEFAULT_DATA_ROOT,
    corpus_pages,
    environment_line,
    load_cleaner,
    markdown_table,
    pct,
    repo_path,
    text_dump,
)

if TYPE_CHECKING:
    from spamguard import Cleaner
    from spamguard.corpus import Page

HELD_OUT_FILE = "spam-sources/tubespam-uci/Youtube05-Shakira.csv"
COMMENTS_PER_PAGE = 6
_LONG_LINE_WORDS = 25
PLACES = ("inside the article", "comment section at the end")


def held_out_comments(data_root: Path) -> list[tuple[str, bool]]:
    """(text, is_spam) of every held-out comment of 20+ characters, in a fixed shuffled order."""
    from spamguard.synth import read_comments

    comments = read_comments(repo_path(data_root) / HELD_OUT_FILE)
    random.Random(7).shuffle(comments)
    return comments


def with_comments(dump: str, comments: list[str], place: str) -> str:
    """The dump with ``comments`` as paragraphs after its second long line, or at its end."""
    block = "\n\n".join(comments)
    if place == PLACES[1]:
        return f"{dump}\n\nComments\n\n{block}\n"
    lines = dump.split("\n")
    long_lines = [index for index, line in enumerate(lines) if len(line.split()) > _LONG_LINE_WORDS]
    at = long_lines[1] + 1 if len(long_lines) > 1 else len(lines)
    return "\n".join(lines[:at]) + f"\n\n{block}\n\n" + "\n".join(lines[at:])


def outcomes(cleaner: Cleaner, pages: list[Page], comments: list[tuple[str, bool]]) -> Iterator[tuple[str, bool, str]]:
    """(place, is_spam, what happened) for every placed comment."""
    supply = cycle(comments)
    for place in PLACES:
        for page in pages:
            chosen = [next(supply) for _ in range(COMMENTS_PER_PAGE)]
            result = cleaner.clean(with_comments(text_dump(page.html), [t for t, _ in chosen], place),
                                   kind="text", url=page.url)
            blocks = {block.text: block for block in result.blocks}
            for text, spam in chosen:
                block = blocks.get(text)
                if block is None:
                    yield place, spam, "not one block"
                elif not block.removed:
                    yield place, spam, "kept"
                else:
                    yield place, spam, f"removed as {block.label.value}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    parser.add_argument("--model", type=Path, default=None, help="a model file instead of the shipped one")
    args = parser.parse_args(argv)
    cleaner, _ = load_cleaner(args.model)
    pages = list(corpus_pages(args.data_root, "content-dev", everything=False, limit=None))
    counts = Counter(outcomes(cleaner, pages, held_out_comments(args.data_root)))
    rows = []
    for place in PLACES:
        for spam in (True, False):
            group = {what: n for (p, s, what), n in counts.items() if p == place and s == spam}
            total = sum(group.values())
            removed = sum(n for what, n in group.items() if what.startswith("removed"))
            rows.append([place, "spam" if spam else "ham", str(total), pct(group.get("removed as spam", 0) / total),
                         pct(removed / total), pct(group.get("kept", 0) / total)])
    print("# Held-out real comments (UCI TubeSpam, Youtube05) in article text dumps\n")
    print(environment_line() + "\n")
    print(f"{len(pages)} content-dev validation pages, {COMMENTS_PER_PAGE} comments each per placement.\n")
    print(markdown_table(["placement", "comments", "n", "removed as spam", "removed", "kept"], rows))


if __name__ == "__main__":
    main()
