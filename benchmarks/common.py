"""Helpers shared by the benchmark scripts: corpora, the tools under test, tokens and scores.

Nothing here imports spamguard at module level: the peer tools run without a trained
model, and the speed benchmark's model-load time includes importing spamguard.
"""
from __future__ import annotations

import argparse
import html as html_lib
import importlib.metadata
import logging
import os
import platform
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

    from spamguard import Cleaner
    from spamguard.corpus import Page

REPO_ROOT = Path(__file__).resolve().parent.parent
# Data sits next to the repository (``../shared/data``), not inside it.
DEFAULT_DATA_ROOT = Path("../shared/data")
CORPORA: dict[str, str] = {
    "content-dev": "content-dev/aeb-181.jsonl.gz",
    "content-train": "content-train/wcxb-dev.jsonl.gz",
}
HTML = "html"
TEXT = "text"
MARKDOWN = "markdown"
_TOKEN = re.compile(r"\w+")
# Distributions whose versions the header lines report.
_REPORTED_PACKAGES = (
    "trafilatura",
    "readability-lxml",
    "jusText",
    "html-text",
    "lxml",
    "scikit-learn",
    "numpy",
)


def repo_path(path: Path) -> Path:
    """``path`` resolved against the repository root unless it is absolute."""
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def corpus_pages(data_root: Path, corpus: str, *, everything: bool, limit: int | None) -> Iterator[Page]:
    """Pages of one named corpus: the validation sites only unless ``everything``."""
    from spamguard.corpus import is_validation, read_pages

    pages = read_pages(repo_path(data_root) / CORPORA[corpus])
    chosen = pages if everything else (page for page in pages if is_validation(page))
    return islice(chosen, limit)


def text_dump(html: str) -> str:
    """The naive full-page text dump that the plain-text tools start from."""
    import html_text

    return html_text.extract_text(html)


def _page_soup(html: str) -> BeautifulSoup:
    """The page parsed by BeautifulSoup (lxml) without the parts no reader sees: scripts, styles, the head."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for element in soup(["script", "style", "template", "svg", "head"]):
        element.decompose()
    return soup


def markdown_dump(html: str) -> str:
    """The page as a scraper writes it in Markdown: markdownify, once scripts, styles and the head are gone."""
    from markdownify import markdownify

    return markdownify(str(_page_soup(html)), heading_style="ATX")


def get_text_dump(html: str) -> str:
    """The page's text as BeautifulSoup's ``get_text()`` gives it, with no separator: where the
    markup has no white space between two paragraphs, they run together."""
    return _page_soup(html).get_text()


# The naive plain-text dumps the text tools can be fed (``quality.py --text-dump``).
TEXT_DUMPS = {"html-text": text_dump, "get-text": get_text_dump}


# Written apart from spamguard's own Markdown reader on purpose: the scorer must
# not share the code it scores.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^)]*\)")
_MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]*)>")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_MARKDOWN_MARKS = re.compile(r"\*+|^#+ |^ *\|? *:?-{3,}:? *(?:\| *:?-{3,}:? *)*(?:\| *)?$", re.MULTILINE)


def markdown_visible(markdown: str) -> str:
    """What a reader of rendered Markdown sees: without images (their alt text included, as an
    HTML page's), link targets, emphasis, heading marks, table delimiter rows and escapes, so that
    scores and spam lookups compare words as in the other views (table cells keep their borders,
    which the spam text may hold too)."""
    text = _MARKDOWN_AUTOLINK.sub(r"\1", _MARKDOWN_LINK.sub(r"\1", _MARKDOWN_IMAGE.sub("", markdown)))
    return _MARKDOWN_ESCAPE.sub(r"\1", _MARKDOWN_MARKS.sub("", text))


def lines_as_html(text: str) -> str:
    """Plain text as a minimal page with one ``<p>`` per line, for HTML-only tools."""
    paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>"


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens, the unit of every accuracy number."""
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Score:
    """Token precision, recall and F1 of one output against its ground truth."""

    precision: float
    recall: float
    f1: float


def token_score(output: str, truth: str) -> Score:
    """Bag-of-tokens precision/recall/F1; an empty output scores 0 (truth is never empty)."""
    kept, wanted = Counter(tokens(output)), Counter(tokens(truth))
    common = sum((kept & wanted).values())
    if not common:
        return Score(0.0, 0.0, 0.0)
    precision = common / sum(kept.values())
    recall = common / sum(wanted.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class Coverage:
    """Which paragraphs of a reference survive in one tool output.

    A paragraph token counts as present when a word 3-gram of the paragraph that
    contains it occurs in the output. Single tokens would make every paragraph look
    present: its common words appear elsewhere in any non-empty output.
    """

    def __init__(self, output: str) -> None:
        self._words = tokens(output)
        self._grams: dict[int, set[tuple[str, ...]]] = {}

    def share_present(self, paragraph: list[str]) -> float:
        n = min(3, len(paragraph))
        if n not in self._grams:
            self._grams[n] = _ngrams(self._words, n)
        present = [False] * len(paragraph)
        for i in range(len(paragraph) - n + 1):
            if tuple(paragraph[i : i + n]) in self._grams[n]:
                present[i : i + n] = [True] * n
        return sum(present) / len(paragraph)

    def lost(self, paragraph: list[str]) -> bool:
        """Less than half of the paragraph's tokens are present."""
        return self.share_present(paragraph) < 0.5


# --- the tools under test -------------------------------------------------------------

Extract = Callable[[str, str], str]


@dataclass(frozen=True)
class Tool:
    """One extractor on one kind of input; ``extract(document, url)`` returns the kept text."""

    name: str
    input: str
    extract: Extract

    @property
    def key(self) -> str:
        return f"{self.name}/{self.input}"


def _trafilatura(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def _readability(html: str, url: str) -> str:
    import lxml.html
    from readability import Document

    return lxml.html.fromstring(Document(html).summary()).text_content()


def _justext(html: str, url: str) -> str:
    import justext

    paragraphs = justext.justext(html, justext.get_stoplist("English"))
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


def _whole(text: str, url: str) -> str:
    return text


def _via_lines_html(extract: Extract, text: str, url: str) -> str:
    return extract(lines_as_html(text), url)


def _spamguard(cleaner: Cleaner, kind: str, document: str, url: str) -> str:
    return cleaner.clean(document, kind=kind, url=url or None).text


def peer_tools() -> list[Tool]:
    """Every tool except spamguard, in report order."""
    return [
        Tool("trafilatura", HTML, _trafilatura),
        Tool("readability", HTML, _readability),
        Tool("justext", HTML, _justext),
        Tool("dump", TEXT, _whole),
        Tool("trafilatura", TEXT, partial(_via_lines_html, _trafilatura)),
        Tool("justext", TEXT, partial(_via_lines_html, _justext)),
    ]


def spamguard_tool(cleaner: Cleaner, kind: str) -> Tool:
    """spamguard reading its documents as ``kind`` (``html``, ``text``, ``markdown``)."""
    return Tool("spamguard", kind, partial(_spamguard, cleaner, kind))


def spamguard_tools(cleaner: Cleaner) -> list[Tool]:
    """spamguard on HTML and on the plain-text dump, sharing one loaded model."""
    return [spamguard_tool(cleaner, HTML), spamguard_tool(cleaner, TEXT)]


def wants_spamguard(names: set[str] | None) -> bool:
    """Whether ``--tools`` selects spamguard (no selection means every tool)."""
    return not names or any(name.split("/")[0] == "spamguard" for name in names)


def select_tools(names: set[str] | None, cleaner: Cleaner | None, markdown: bool = False) -> list[Tool]:
    """The tools named by ``--tools`` (``trafilatura`` or ``trafilatura/html``); all if None.

    spamguard's tools are included when a ``cleaner`` is given; with ``markdown``,
    spamguard and the dump kept whole on each page's ``markdown_dump`` too (no peer reads Markdown).
    """
    ours = spamguard_tools(cleaner) if cleaner else []
    if cleaner and markdown:
        ours.append(spamguard_tool(cleaner, MARKDOWN))
    tools = ours + peer_tools() + ([Tool("dump", MARKDOWN, _whole)] if markdown else [])
    return [tool for tool in tools if not names or tool.name in names or tool.key in names]


def add_injection_options(parser: argparse.ArgumentParser) -> None:
    """``--tools``, ``--seed`` and ``--model``: the options of every script that puts spam into documents."""
    parser.add_argument("--tools", help="comma-separated tool names or name/input, e.g. spamguard,trafilatura/html")
    parser.add_argument("--seed", type=int, default=13, help="seed of the spam injection")
    parser.add_argument("--model", type=Path, help="a spamguard model file instead of the shipped one")


def tools_from_options(args: argparse.Namespace) -> list[Tool]:
    """The tools ``--tools`` names, spamguard with ``--model``; the peers' loggers quietened."""
    quiet_peer_loggers()
    names = set(args.tools.split(",")) if args.tools else None
    return select_tools(names, load_cleaner(args.model)[0] if wants_spamguard(names) else None)


def load_cleaner(model: Path | None = None) -> tuple[Cleaner, float]:
    """A ready ``Cleaner`` (the shipped model unless ``model``) and the seconds it took to load."""
    started = time.perf_counter()
    from spamguard import Cleaner

    cleaner = Cleaner(model=model)
    # The model may load lazily; one tiny call makes sure it is in memory.
    cleaner.clean("Model warm-up sentence.", kind="text")
    return cleaner, time.perf_counter() - started


def quiet_peer_loggers() -> None:
    """readability and trafilatura log tracebacks for pages they cannot parse; we count those."""
    for name in ("readability", "readability.readability", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# --- report helpers -------------------------------------------------------------------


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def spamguard_version() -> str:
    """The spamguard package version, whether or not it is installed as a distribution."""
    try:
        import spamguard
    except ImportError:
        return "not importable"
    return getattr(spamguard, "__version__", None) or _version("spamguard")


def environment_line() -> str:
    """Date, machine and library versions, for the top of every report."""
    versions = ", ".join(f"{name} {_version(name)}" for name in _REPORTED_PACKAGES)
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.platform()} · {platform.python_implementation()} "
        f"{platform.python_version()} · {os.cpu_count()} CPUs · spamguard {spamguard_version()}, {versions}"
    )


_NUMBER = re.compile(r"[-+]?\d[\d.,]*(%| MB/s|x)?|–|")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub Markdown table; columns holding only numbers are right-aligned."""
    numeric = [all(_NUMBER.fullmatch(row[column]) for row in rows) for column in range(len(header))]
    align = ["---:" if is_number and rows else "---" for is_number in numeric]
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"
