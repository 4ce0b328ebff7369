"""Accuracy of spamguard and peer extractors on the same pages, printed as Markdown tables.

Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python -m benchmarks.quality [--all] [--limit N] [--tools NAMES] [--json PATH]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Any, TypeVar

from benchmarks.common import (
    CORPORA,
    DEFAULT_DATA_ROOT,
    HTML,
    MARKDOWN,
    REPO_ROOT,
    TEXT,
    TEXT_DUMPS,
    Coverage,
    Tool,
    corpus_pages,
    environment_line,
    fmt,
    load_cleaner,
    markdown_dump,
    markdown_table,
    markdown_visible,
    pct,
    quiet_peer_loggers,
    repo_path,
    select_tools,
    text_dump,
    token_score,
    tokens,
    wants_spamguard,
)

if TYPE_CHECKING:
    from spamguard.corpus import Page
    from spamguard.synth import SpamBank, SpamSnippet

# Training reads the first folder; the second was never trained on.
HARD_NEGATIVE_SETS = {
    "trained on": REPO_ROOT / "data" / "hard_negatives",
    "held out": REPO_ROOT / "data" / "held_out" / "hard_negatives",
}
# Ground-truth paragraphs shorter than this are headings, datelines and the like.
MIN_PARAGRAPH_TOKENS = 8
# Long spam blocks are looked up by their start: tools re-flow whitespace and may
# cut a block's tail (trailing links, punctuation) without keeping less of it.
SPAM_KEY_CHARS = 60
WORST_PAGES = 10
SPAMGUARD_HTML, SPAMGUARD_TEXT, TRAFILATURA_HTML = "spamguard/html", "spamguard/text", "trafilatura/html"
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_PARAGRAPH_CLOSE = re.compile(r"</p\s*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
Row = TypeVar("Row")


# --- spam injection -------------------------------------------------------------------


@dataclass(frozen=True)
class InjectedBlock:
    """One text block of an injected spam snippet, as the survival check looks for it."""

    family: str
    shape: str
    lang: str
    key: str


@dataclass(frozen=True)
class Injection:
    """A page's views (``views``) with the same spam snippets inserted: the Markdown one is the injected HTML's.

    ``shown`` holds each view's whole text as a reader sees it, normalised: a
    block whose text a view does not show (a linked sentence whose anchor in the
    HTML is not the address its text dump prints) cannot survive in that view,
    so it is not counted there.
    """

    documents: dict[str, str]
    shown: dict[str, str]
    blocks: tuple[InjectedBlock, ...]

    def blocks_shown(self, view: str) -> tuple[InjectedBlock, ...]:
        return tuple(block for block in self.blocks if block.key in self.shown[view])


def page_rng(seed: int, page_id: str) -> random.Random:
    """A generator that depends only on the seed and the page, never on PYTHONHASHSEED."""
    digest = hashlib.sha256(f"{seed}:{page_id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def normalized(text: str) -> str:
    return " ".join(text.lower().split())


def spam_key(text: str) -> str:
    return normalized(text)[:SPAM_KEY_CHARS]


def html_insertion_points(html: str) -> list[int]:
    """Offsets just after each ``</p>`` inside ``<body>``, and just before ``</body>``."""
    body_open = _BODY_OPEN.search(html)
    start = body_open.end() if body_open else 0
    closes = list(_BODY_CLOSE.finditer(html, start))
    end = closes[-1].start() if closes else len(html)
    return [match.end() for match in _PARAGRAPH_CLOSE.finditer(html, start, end)] + [end]


def insert_html(html: str, snippets: Sequence[SpamSnippet], rng: random.Random) -> str:
    points = html_insertion_points(html)
    insertions = sorted(((rng.choice(points), snippet.html) for snippet in snippets), reverse=True)
    for offset, markup in insertions:
        html = html[:offset] + markup + html[offset:]
    return html


def insert_lines(dump: str, snippets: Sequence[SpamSnippet], rng: random.Random) -> str:
    """Each snippet as its own paragraph group (one line per block) between two dump lines."""
    lines = dump.split("\n")
    gaps = sorted(((rng.randint(0, len(lines)), snippet.text_blocks) for snippet in snippets), reverse=True)
    for gap, blocks in gaps:
        lines[gap:gap] = ["", *blocks, ""]
    return "\n".join(lines)


def inject(page: Page, dump: str, bank: SpamBank, seed: int, tools: Sequence[Tool]) -> Injection:
    """1-3 snippets from ``bank`` in the page's HTML and dump, at seeded random places, for ``tools``.

    Blocks whose text the clean page already shows are left out of the survival count.
    """
    rng = page_rng(seed, page.id)
    snippets = [bank.sample(rng) for _ in range(rng.randint(1, 3))]
    already_there = normalized(dump)
    blocks = tuple(
        InjectedBlock(snippet.family, snippet.shape, snippet.lang, key)
        for snippet in snippets
        for key in map(spam_key, snippet.text_blocks)
        if key and key not in already_there
    )
    documents = views(insert_html(page.html, snippets, rng), insert_lines(dump, snippets, rng), tools)
    read = {tool.input for tool in tools}
    shown = {view: normalized(readable_view(view, document)) for view, document in documents.items() if view in read}
    return Injection(documents, shown, blocks)


def readable_view(view: str, document: str) -> str:
    """All the text of one view of a page, as a tool that keeps everything would put it out."""
    if view == HTML:
        return text_dump(document)
    return markdown_visible(document) if view == MARKDOWN else document


def load_spam_bank(data_root: Path) -> SpamBank:
    from spamguard.synth import SpamBank

    return SpamBank.load(REPO_ROOT / "data", repo_path(data_root) / "spam-sources")


# --- measuring one page ---------------------------------------------------------------


@dataclass(frozen=True)
class ToolPage:
    """Everything measured for one tool on one page."""

    corpus: str
    page_id: str
    page_type: str
    tool: str
    precision: float
    recall: float
    f1: float
    error: str = ""
    injected_recall: float | None = None
    spam: tuple[tuple[InjectedBlock, bool], ...] = ()
    paragraphs: int = 0
    paragraphs_lost: int = 0


def run_tool(tool: Tool, document: str, url: str) -> tuple[str, str]:
    """The tool's output and an error message; a failing tool kept nothing on that page."""
    try:
        return tool.extract(document, url), ""
    except Exception as error:  # a third-party extractor may fail on any page; count it
        return "", f"{type(error).__name__}: {error}"[:200]


def truth_paragraphs(truth: str) -> list[list[str]]:
    paragraphs = (tokens(paragraph) for paragraph in _BLANK_LINES.split(truth))
    return [words for words in paragraphs if len(words) >= MIN_PARAGRAPH_TOKENS]


def views(html: str, dump: str, tools: Sequence[Tool]) -> dict[str, str]:
    """The page as each of ``tools`` reads it: its HTML, its text dump, its Markdown rendering (when read)."""
    documents = {HTML: html, TEXT: dump}
    if any(tool.input == MARKDOWN for tool in tools):
        documents[MARKDOWN] = markdown_dump(html)
    return documents


def run_tool_visible(tool: Tool, document: str, url: str) -> tuple[str, str]:
    """``run_tool``, with Markdown output as a reader sees it (``markdown_visible``)."""
    output, error = run_tool(tool, document, url)
    return (markdown_visible(output) if tool.input == MARKDOWN else output), error


def measure_page(page: Page, corpus: str, tools: Sequence[Tool], bank: SpamBank | None, seed: int,
                 dump_of: Callable[[str], str] = text_dump) -> list[ToolPage]:
    dump = dump_of(page.html)
    documents = views(page.html, dump, tools)
    injection = inject(page, dump, bank, seed, tools) if bank else None
    paragraphs = truth_paragraphs(page.text) if corpus == "content-dev" else []
    rows = []
    for tool in tools:
        output, error = run_tool_visible(tool, documents[tool.input], page.url)
        score = token_score(output, page.text)
        coverage = Coverage(output)
        row = ToolPage(
            corpus,
            page.id,
            page.page_type,
            tool.key,
            score.precision,
            score.recall,
            score.f1,
            error,
            paragraphs=len(paragraphs),
            paragraphs_lost=sum(coverage.lost(paragraph) for paragraph in paragraphs),
        )
        if injection:
            row = _with_injection(row, tool, injection, page)
        rows.append(row)
    return rows


def survivors(blocks: Sequence[InjectedBlock], kept: str) -> tuple[tuple[InjectedBlock, bool], ...]:
    """Each block and whether it is in ``kept``; one occurrence in the output proves one block.

    Longest keys go first and their match is blanked out, so the anchor "follower kaufen"
    is not found inside a surviving "dresden follower kaufen", and an anchor injected
    three times survives three times only if it is kept three times.
    """
    found: dict[int, bool] = {}
    for index in sorted(range(len(blocks)), key=lambda i: -len(blocks[i].key)):
        at = kept.find(blocks[index].key)
        found[index] = at >= 0
        if at >= 0:
            kept = kept[:at] + "\0" + kept[at + len(blocks[index].key):]
    return tuple((block, found[index]) for index, block in enumerate(blocks))


def _with_injection(row: ToolPage, tool: Tool, injection: Injection, page: Page) -> ToolPage:
    output, error = run_tool_visible(tool, injection.documents[tool.input], page.url)
    spam = survivors(injection.blocks_shown(tool.input), normalized(output))
    recall = token_score(output, page.text).recall
    return replace(row, error=row.error or error, injected_recall=recall, spam=spam)


# --- hard negatives -------------------------------------------------------------------


@dataclass(frozen=True)
class HardNegative:
    """A document that is all content although it looks like spam or boilerplate."""

    name: str
    text: str
    title: str
    paragraphs: tuple[str, ...]
    set: str

    def paragraph_tokens(self) -> list[list[str]]:
        """The title's and each paragraph's tokens, empty ones left out."""
        return [words for words in map(tokens, (self.title, *self.paragraphs)) if words]

    def as_html(self) -> str:
        from html import escape

        body = "".join(f"<p>{escape(paragraph)}</p>\n" for paragraph in self.paragraphs)
        return f"<html><body>\n<h1>{escape(self.title)}</h1>\n{body}</body></html>"


def read_hard_negatives(folder: Path, set_name: str) -> list[HardNegative]:
    """``*.txt`` files: a title line, then paragraphs separated by blank lines."""
    documents = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, rest = text.strip().partition("\n")
        paragraphs = tuple(" ".join(p.split()) for p in _BLANK_LINES.split(rest) if p.strip())
        documents.append(HardNegative(path.name, text, title.strip(), paragraphs, set_name))
    return documents


@dataclass(frozen=True)
class HardNegativeResult:
    """Paragraphs (title included) a tool dropped from one hard-negative document."""

    name: str
    set: str
    tool: str
    paragraphs: int
    lost: int
    long_paragraphs: int
    long_lost: int
    error: str


def measure_hard_negative(document: HardNegative, tool: Tool) -> HardNegativeResult:
    output, error = run_tool_visible(tool, views(document.as_html(), document.text, [tool])[tool.input], "")
    coverage = Coverage(output)
    paragraphs = document.paragraph_tokens()
    long = [words for words in paragraphs if len(words) >= MIN_PARAGRAPH_TOKENS]
    return HardNegativeResult(
        document.name,
        document.set,
        tool.key,
        len(paragraphs),
        sum(map(coverage.lost, paragraphs)),
        len(long),
        sum(map(coverage.lost, long)),
        error,
    )


# --- summaries (plain numbers, also written by --json) --------------------------------


def _group(rows: Iterable[Row], key: Callable[[Row], str]) -> dict[str, list[Row]]:
    """Rows by key, keys in order of first appearance (so tables keep the tool order)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return dict(groups)


def accuracy_summary(rows: list[ToolPage]) -> dict[str, dict[str, dict]]:
    """Per corpus and tool: mean P/R/F1, F1 per page type, pages and failures."""
    return {
        corpus: {
            tool: {
                "pages": len(tool_rows),
                "precision": fmean(row.precision for row in tool_rows),
                "recall": fmean(row.recall for row in tool_rows),
                "f1": fmean(row.f1 for row in tool_rows),
                "f1_by_type": {
                    page_type: fmean(row.f1 for row in typed)
                    for page_type, typed in sorted(_group(tool_rows, lambda row: row.page_type).items())
                },
                "errors": sum(bool(row.error) for row in tool_rows),
            }
            for tool, tool_rows in _group(corpus_rows, lambda row: row.tool).items()
        }
        for corpus, corpus_rows in _group(rows, lambda row: row.corpus).items()
    }


def _survival(pairs: list[tuple[InjectedBlock, bool]], facet: str) -> dict[str, dict[str, int]]:
    by_value: dict[str, dict[str, int]] = {}
    for block, survived in pairs:
        counts = by_value.setdefault(getattr(block, facet), {"blocks": 0, "survived": 0})
        counts["blocks"] += 1
        counts["survived"] += survived
    return dict(sorted(by_value.items()))


def spam_summary(rows: list[ToolPage]) -> dict[str, dict]:
    """Per tool, over every injected page of both corpora: spam survival and content lost."""
    summary = {}
    for tool, tool_rows in _group((row for row in rows if row.injected_recall is not None), lambda r: r.tool).items():
        pairs = [pair for row in tool_rows for pair in row.spam]
        summary[tool] = {
            "pages": len(tool_rows),
            "blocks": len(pairs),
            "survived": sum(survived for _, survived in pairs),
            "survival": sum(survived for _, survived in pairs) / len(pairs) if pairs else None,
            "by_shape": _survival(pairs, "shape"),
            "by_family": _survival(pairs, "family"),
            "recall": fmean(row.recall for row in tool_rows),
            "injected_recall": fmean(row.injected_recall for row in tool_rows),
            "content_lost": fmean(max(0.0, row.recall - row.injected_recall) for row in tool_rows),
        }
    return summary


def paragraph_summary(rows: list[ToolPage]) -> dict[str, dict]:
    """Per tool: ground-truth paragraphs of content-dev pages that it lost."""
    summary = {}
    for tool, tool_rows in _group((row for row in rows if row.paragraphs), lambda row: row.tool).items():
        paragraphs = sum(row.paragraphs for row in tool_rows)
        lost = sum(row.paragraphs_lost for row in tool_rows)
        summary[tool] = {"pages": len(tool_rows), "paragraphs": paragraphs, "lost": lost, "share": lost / paragraphs}
    return summary


def hard_negative_summary(results: list[HardNegativeResult]) -> dict[str, dict[str, dict]]:
    """Per set of documents ("trained on", "held out"), per tool: the paragraphs lost."""
    return {set_name: _hard_negative_tools(set_results)
            for set_name, set_results in _group(results, lambda result: result.set).items()}


def _hard_negative_tools(results: list[HardNegativeResult]) -> dict[str, dict]:
    summary = {}
    for tool, tool_results in _group(results, lambda result: result.tool).items():
        paragraphs = sum(result.paragraphs for result in tool_results)
        long = sum(result.long_paragraphs for result in tool_results)
        lost = sum(result.lost for result in tool_results)
        long_lost = sum(result.long_lost for result in tool_results)
        summary[tool] = {
            "documents": len(tool_results),
            "paragraphs": paragraphs,
            "share": lost / paragraphs if paragraphs else None,
            "long_paragraphs": long,
            "long_share": long_lost / long if long else None,
            "errors": sum(bool(result.error) for result in tool_results),
            "documents_with_loss": [result.name for result in tool_results if result.lost],
        }
    return summary


@dataclass(frozen=True)
class Target:
    """One acceptance target from the issue and whether this run meets it."""

    goal: str
    measured: str
    met: bool | None


def _tool_value(summary: dict, tool: str, field: str) -> Any:
    return summary.get(tool, {}).get(field)


def targets(accuracy: dict, spam: dict, paragraphs: dict, hard: dict) -> list[Target]:
    found: list[Target] = []
    for corpus, tools in accuracy.items():
        ours, theirs = _tool_value(tools, SPAMGUARD_HTML, "f1"), _tool_value(tools, TRAFILATURA_HTML, "f1")
        if ours is not None and theirs is not None:
            found.append(Target(f"{corpus}: HTML F1 above trafilatura's", f"{ours:.3f} vs {theirs:.3f}", ours > theirs))
    text_f1 = _tool_value(accuracy.get("content-dev", {}), SPAMGUARD_TEXT, "f1")
    if text_f1 is not None:
        found.append(Target("content-dev: text F1 >= 0.90", f"{text_f1:.3f}", text_f1 >= 0.90))
    for tool in (SPAMGUARD_HTML, SPAMGUARD_TEXT):
        share = _tool_value(spam, tool, "survival")
        if share is not None:
            found.append(Target(f"{tool}: spam survival <= 2%", pct(share), share <= 0.02))
        for set_name, set_summary in hard.items():
            share = _tool_value(set_summary, tool, "share")
            if share is not None:
                found.append(Target(f"{tool}: hard-negative paragraphs lost <= 2% ({set_name})", pct(share),
                                    share <= 0.02))
        share = _tool_value(paragraphs, tool, "share")
        if share is not None:
            found.append(Target(f"{tool}: article paragraphs lost <= 1%", pct(share), share <= 0.01))
    return found


# --- Markdown rendering ---------------------------------------------------------------


def render_accuracy(corpus: str, tools: dict[str, dict]) -> str:
    page_types = sorted({page_type for numbers in tools.values() for page_type in numbers["f1_by_type"]})
    typed = page_types if len(page_types) > 1 else []
    header = ["tool/input", "pages", "P", "R", "F1", *typed, "failed"]
    rows = [
        [tool, str(n["pages"]), fmt(n["precision"]), fmt(n["recall"]), fmt(n["f1"])]
        + [fmt(n["f1_by_type"].get(page_type)) for page_type in typed]
        + [str(n["errors"])]
        for tool, n in tools.items()
    ]
    return f"### {corpus} ({CORPORA[corpus]})\n\n" + markdown_table(header, rows)


def render_spam(spam: dict[str, dict]) -> str:
    header = ["tool/input", "pages", "spam blocks", "survived", "recall clean", "recall injected", "content lost"]
    rows = [
        [tool, str(n["pages"]), str(n["blocks"]), pct(n["survival"]), fmt(n["recall"]),
         fmt(n["injected_recall"]), fmt(n["content_lost"])]
        for tool, n in spam.items()
    ]
    return markdown_table(header, rows)


def render_survival_by(spam: dict[str, dict], facet: str) -> str:
    """Survival per shape or family, of the blocks each tool's input shows (``Injection.shown``)."""
    values = sorted({value for numbers in spam.values() for value in numbers[facet]})
    header = ["tool/input", *values]
    rows = [
        [tool] + [
            f"{pct(counts['survived'] / counts['blocks'])} of {counts['blocks']}" if (counts := n[facet].get(value))
            else "–"
            for value in values
        ]
        for tool, n in spam.items()
    ]
    return markdown_table(header, rows)


def render_paragraphs(paragraphs: dict[str, dict]) -> str:
    header = ["tool/input", "pages", "paragraphs", "lost", "share lost"]
    rows = [[tool, str(n["pages"]), str(n["paragraphs"]), str(n["lost"]), pct(n["share"])]
            for tool, n in paragraphs.items()]
    return markdown_table(header, rows)


def render_hard_negatives(hard: dict[str, dict[str, dict]]) -> str:
    header = ["set", "tool/input", "documents", "paragraphs", "lost", f"paragraphs >= {MIN_PARAGRAPH_TOKENS} tokens",
              "lost", "failed", "documents with a loss"]
    rows = [
        [set_name, tool, str(n["documents"]), str(n["paragraphs"]), pct(n["share"]), str(n["long_paragraphs"]),
         pct(n["long_share"]), str(n["errors"]), ", ".join(n["documents_with_loss"][:8]) or "–"]
        for set_name, tools in hard.items() for tool, n in tools.items()
    ]
    return markdown_table(header, rows)


def render_targets(found: list[Target]) -> str:
    marks = {True: "yes", False: "**no**", None: "–"}
    return markdown_table(["target (from the issue)", "measured", "met"],
                          [[target.goal, target.measured, marks[target.met]] for target in found])


def render_worst(rows: list[ToolPage], tool: str) -> str:
    """The pages where ``tool`` kept the least of the ground truth, with trafilatura beside it."""
    mine = sorted((row for row in rows if row.tool == tool), key=lambda row: (row.recall, row.f1))[:WORST_PAGES]
    reference = {(row.corpus, row.page_id): row for row in rows if row.tool == TRAFILATURA_HTML}
    table_rows = []
    for row in mine:
        other = reference.get((row.corpus, row.page_id))
        table_rows.append([row.page_id, row.page_type, fmt(row.precision), fmt(row.recall), fmt(row.f1),
                           fmt(other.f1) if other else "–", row.error or ""])
    header = ["page", "type", "P", "R", "F1", "trafilatura/html F1", "error"]
    low = sum(row.recall < 0.5 for row in rows if row.tool == tool)
    total = sum(row.tool == tool for row in rows)
    return f"{low} of {total} pages with recall < 0.5.\n\n" + markdown_table(header, table_rows)


def render_surviving_spam(rows: list[ToolPage], tool: str, limit: int = 15) -> str:
    survivors = [(row.page_id, block) for row in rows if row.tool == tool for block, kept in row.spam if kept]
    table_rows = [[page_id, block.family, block.shape, block.lang, block.key.replace("|", "\\|")]
                  for page_id, block in survivors[:limit]]
    return markdown_table(["page", "family", "shape", "lang", "block start"], table_rows)


def render_report(header: str, rows: list[ToolPage], hard_results: list[HardNegativeResult]) -> tuple[str, dict]:
    accuracy = accuracy_summary(rows)
    spam = spam_summary(rows)
    paragraphs = paragraph_summary(rows)
    hard = hard_negative_summary(hard_results)
    found = targets(accuracy, spam, paragraphs, hard)
    sections = [header]
    if found:
        sections.append("## Targets\n\n" + render_targets(found))
    sections.append("## Token P/R/F1 (mean over pages)")
    sections += [render_accuracy(corpus, tools) for corpus, tools in accuracy.items()]
    if spam:
        sections += [
            "## Injected spam (both corpora)\n\nsurvived = share of injected spam blocks still in the output, of "
            "those the tool's whole input shows (a linked sentence's HTML shows its anchor, not the address "
            "its text dump prints, and is not counted there); Markdown output is read as rendered, images and "
            "link targets left out. content lost = mean over pages of max(0, recall clean - recall injected).\n\n"
            + render_spam(spam),
            "### Spam survival by shape\n\n" + render_survival_by(spam, "by_shape"),
            "### Spam survival by family\n\n" + render_survival_by(spam, "by_family"),
        ]
    if paragraphs:
        sections.append(
            f"## Article paragraphs lost (content-dev, ground-truth paragraphs >= {MIN_PARAGRAPH_TOKENS} tokens "
            "of which < half the tokens are in the output)\n\n" + render_paragraphs(paragraphs)
        )
    folders = ", ".join(f"{name}: {folder.relative_to(REPO_ROOT)}/*.txt" for name, folder in HARD_NEGATIVE_SETS.items())
    hard_title = f"## Hard negatives (all content; {folders})\n\n"
    sections.append(hard_title + (render_hard_negatives(hard) if hard else "No documents found."))
    for tool in (SPAMGUARD_HTML, SPAMGUARD_TEXT):
        if any(row.tool == tool for row in rows):
            sections.append(f"## {tool}: pages with the lowest recall\n\n" + render_worst(rows, tool))
            if tool in spam:
                sections.append(f"## {tool}: injected spam that survived (first 15)\n\n"
                                + render_surviving_spam(rows, tool))
    numbers = {"accuracy": accuracy, "spam": spam, "paragraphs": paragraphs, "hard_negatives": hard,
               "targets": [asdict(target) for target in found]}
    return "\n\n".join(sections) + "\n", numbers


# --- command line ---------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help="folder with content-dev/ and content-train/ (relative to the repo root)")
    parser.add_argument("--all", action="store_true", help="every page, not only the validation sites")
    parser.add_argument("--limit", type=int, help="at most N pages per corpus")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated corpus names")
    parser.add_argument("--tools", help="comma-separated tool names or name/input, e.g. spamguard,trafilatura/html")
    parser.add_argument("--no-spam", action="store_true", help="skip the spam-injection runs")
    parser.add_argument("--text-dump", choices=TEXT_DUMPS, default="html-text",
                        help="the plain-text dump the text tools read: html_text.extract_text (default) or "
                             "BeautifulSoup's get_text(), which runs paragraphs together")
    parser.add_argument("--seed", type=int, default=13, help="seed of the spam injection")
    parser.add_argument("--json", type=Path, help="also write the numbers and per-page rows to this file")
    parser.add_argument("--model", type=Path, help="a spamguard model file instead of the shipped one")
    return parser.parse_args(argv)


def page_rows(args: argparse.Namespace, tools: list[Tool], bank: SpamBank | None) -> list[ToolPage]:
    rows: list[ToolPage] = []
    for corpus in args.corpora.split(","):
        for count, page in enumerate(corpus_pages(args.data_root, corpus, everything=args.all, limit=args.limit), 1):
            rows += measure_page(page, corpus, tools, bank, args.seed, TEXT_DUMPS[args.text_dump])
            if count % 25 == 0:
                print(f"{corpus}: {count} pages", file=sys.stderr, flush=True)
    return rows


def report_header(args: argparse.Namespace, tools: list[Tool], bank: SpamBank | None) -> str:
    pages = "every page (includes the sites the shipped model trained on)" if args.all else \
        "held-out validation sites only (`is_validation`, never trained on)"
    limit = f", at most {args.limit} per corpus" if args.limit else ""
    spam = f"spam injection seed {args.seed}" if bank else "no spam injection"
    return (f"# spamguard quality benchmark\n\n{environment_line()}\n\n"
            f"Pages: {pages}{limit}. Tools: {', '.join(tool.key for tool in tools)}; text dump: {args.text_dump}; "
            f"{spam}.")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_peer_loggers()
    names = set(args.tools.split(",")) if args.tools else None
    tools = select_tools(names, load_cleaner(args.model)[0] if wants_spamguard(names) else None, markdown=True)
    bank = None if args.no_spam else load_spam_bank(args.data_root)
    rows = page_rows(args, tools, bank)
    hard_results = [measure_hard_negative(document, tool)
                    for set_name, folder in HARD_NEGATIVE_SETS.items()
                    for document in read_hard_negatives(folder, set_name) for tool in tools]
    report, numbers = render_report(report_header(args, tools, bank), rows, hard_results)
    print(report)
    if args.json:
        numbers["pages"] = [asdict(row) for row in rows]
        numbers["hard_negative_documents"] = [asdict(result) for result in hard_results]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(numbers, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
