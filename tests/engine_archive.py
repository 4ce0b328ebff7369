"""A small JSON Lines archive for the engine adapters' tests, and what ``spamguard clean`` makes of it.

Forty documents built from the fixtures, spread over four files: seed-shaped
scrapes, articles with spam appended as text, HTML with hidden spam, Markdown,
and spam alone (cleaned to nothing).
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import FIXTURES, read_fixture
from spamguard import exitcodes
from spamguard.cli import main

FILES = 4
DOCUMENTS = 40
_ARTICLES = sorted((FIXTURES / "hard_negatives").glob("*.txt"))
_SPAM_TEXT = sorted((FIXTURES / "spam").glob("*.txt"))
_SPAM_HTML = sorted((FIXTURES / "spam").glob("*.html"))


def _text(number: int) -> str:
    article = _ARTICLES[number % len(_ARTICLES)].read_text(encoding="utf-8").strip()
    spam = _SPAM_TEXT[number % len(_SPAM_TEXT)].read_text(encoding="utf-8").strip()
    title, *paragraphs = article.split("\n\n")
    shape = number % 10
    if shape == 0:
        return read_fixture("seed_like.txt")
    if shape <= 3:
        return f"{article}\n\n{spam}\n"
    if shape <= 6:
        hidden = _SPAM_HTML[number % len(_SPAM_HTML)].read_text(encoding="utf-8").strip()
        body = "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in paragraphs)
        return f"<html><body><h1>{html.escape(title)}</h1>\n{body}{hidden}\n</body></html>"
    if shape <= 8:
        return "\n\n".join([f"# {title}", *paragraphs, spam]) + "\n"
    return spam + "\n"


def records() -> list[dict]:
    return [
        {"id": f"doc-{number:02d}", "url": f"https://site{number % 4}.example/news/{number}", "text": _text(number)}
        for number in range(DOCUMENTS)
    ]


def write_archive(folder: Path) -> None:
    """The archive as ``FILES`` JSONL files in ``folder``."""
    folder.mkdir(parents=True)
    every = records()
    for part in range(FILES):
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in every[part::FILES])
        (folder / f"part-{part}.jsonl").write_text("".join(lines), encoding="utf-8")


def read_jsonl(folder: Path) -> list[dict]:
    """Every record of the ``*.jsonl`` files under ``folder``."""
    paths = sorted(folder.rglob("*.jsonl"))
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()]


def spamguard_clean(folder: Path, output: Path) -> dict[str, dict]:
    """The records ``spamguard clean FOLDER -o OUTPUT`` writes, by id."""
    assert main(["clean", str(folder), "-o", str(output), "-j", "1", "-q"]) == exitcodes.OK
    return {record["id"]: record for record in read_jsonl(output)}
