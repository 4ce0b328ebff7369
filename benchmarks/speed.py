"""Single-core throughput of spamguard and peer extractors on content-dev pages, as a Markdown table.

Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python -m benchmarks.speed [--limit N] [--repeat R] [--tools NAMES]
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import (
    DEFAULT_DATA_ROOT,
    HTML,
    TEXT,
    Tool,
    corpus_pages,
    environment_line,
    fmt,
    load_cleaner,
    markdown_table,
    quiet_peer_loggers,
    select_tools,
    text_dump,
    wants_spamguard,
)

if TYPE_CHECKING:
    from spamguard import Cleaner

CORPUS = "content-dev"
BATCHED = "clean_many"
MEGABYTE = 1_000_000


@dataclass(frozen=True)
class Workload:
    """Documents for one tool: the page HTML or its plain-text dump, with page URLs."""

    documents: tuple[str, ...]
    urls: tuple[str, ...]

    @property
    def megabytes(self) -> float:
        return sum(len(document.encode("utf-8")) for document in self.documents) / MEGABYTE


@dataclass(frozen=True)
class Timing:
    """One timed run: wall and CPU seconds over ``documents`` documents of ``megabytes`` MB."""

    name: str
    documents: int
    megabytes: float
    wall: float
    cpu: float
    peak_rss_mb: float

    @property
    def pages_per_second(self) -> float:
        return self.documents / self.wall

    @property
    def megabytes_per_second(self) -> float:
        return self.megabytes / self.wall


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_run(name: str, run: Callable[[], None], workload: Workload, repeat: int) -> Timing:
    """Wall and CPU time of ``repeat`` calls of ``run`` (each covers the whole workload)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    documents = len(workload.documents) * repeat
    return Timing(name, documents, workload.megabytes * repeat, wall, cpu, peak_rss_mb())


def per_document(tool: Tool, workload: Workload) -> Callable[[], None]:
    def run() -> None:
        for document, url in zip(workload.documents, workload.urls):
            tool.extract(document, url)

    return run


def batched(cleaner: Cleaner, workload: Workload, kind: str) -> Callable[[], None]:
    """``clean_many`` over the batches ``spamguard clean`` forms: up to 32 documents or 1 MiB."""
    from spamguard.archive.runner import BATCH_BYTES, BATCH_DOCS

    batches, batch, size = [], [], 0
    for document, url in zip(workload.documents, workload.urls):
        batch.append((document, url))
        size += len(document.encode("utf-8"))
        if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
            batches.append(batch)
            batch, size = [], 0
    if batch:
        batches.append(batch)

    def run() -> None:
        for documents in batches:
            cleaner.clean_many([document for document, _ in documents], kind=kind, urls=[url for _, url in documents])

    return run


def measure(name: str, run: Callable[[], None], warm_up: Callable[[], None], workload: Workload,
            repeat: int) -> Timing:
    warm_up()
    timing = time_run(name, run, workload, repeat)
    print(f"{name}: {timing.pages_per_second:.1f} pages/s", file=sys.stderr, flush=True)
    return timing


def render(timings: Sequence[Timing]) -> str:
    header = ["tool/input", "documents", "MB", "wall s", "CPU s", "pages/s", "MB/s", "pages/CPU s", "peak RSS MB"]
    rows = [
        [t.name, str(t.documents), fmt(t.megabytes, 1), fmt(t.wall, 2), fmt(t.cpu, 2),
         fmt(t.pages_per_second, 1), fmt(t.megabytes_per_second, 2), fmt(t.documents / t.cpu, 1),
         fmt(t.peak_rss_mb, 0)]
        for t in timings
    ]
    return markdown_table(header, rows)


def render_targets(timings: Sequence[Timing]) -> str:
    by_name = {timing.name: timing for timing in timings}
    rows = []
    ours, theirs = by_name.get("spamguard/html"), by_name.get("trafilatura/html")
    if ours and theirs:
        ratio = ours.pages_per_second / theirs.pages_per_second
        rows.append(["HTML pages/s >= 2x trafilatura's", f"{ratio:.2f}x", "yes" if ratio >= 2 else "**no**"])
    text = by_name.get("spamguard/text")
    if text:
        speed = text.megabytes_per_second
        rows.append(["plain text >= 3 MB/s", f"{speed:.2f} MB/s", "yes" if speed >= 3 else "**no**"])
    return markdown_table(["target (from the issue)", "measured", "met"], rows) if rows else ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT,
                        help="folder with content-dev/ (relative to the repo root)")
    parser.add_argument("--limit", type=int, help="at most N pages")
    parser.add_argument("--repeat", type=int, default=1, help="loop over the pages R times")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed pages run first for each tool")
    parser.add_argument("--tools", default="spamguard,trafilatura,readability,justext",
                        help="comma-separated tool names or name/input")
    parser.add_argument("--no-batch", action="store_true", help="skip the Cleaner.clean_many runs")
    parser.add_argument("--model", type=Path, help="a spamguard model file instead of the shipped one")
    return parser.parse_args(argv)


def workloads(args: argparse.Namespace) -> dict[str, Workload]:
    """Every content-dev page's HTML and its text dump (made here, before any timing)."""
    pages = list(corpus_pages(args.data_root, CORPUS, everything=True, limit=args.limit))
    html = Workload(tuple(page.html for page in pages), tuple(page.url for page in pages))
    return {HTML: html, TEXT: Workload(tuple(map(text_dump, html.documents)), html.urls)}


def time_tools(tools: Sequence[Tool], cleaner: Cleaner | None, inputs: dict[str, Workload],
               args: argparse.Namespace) -> list[Timing]:
    warm = {kind: Workload(w.documents[: args.warm_up], w.urls[: args.warm_up]) for kind, w in inputs.items()}
    timings = [
        measure(tool.key, per_document(tool, inputs[tool.input]), per_document(tool, warm[tool.input]),
                inputs[tool.input], args.repeat)
        for tool in tools
    ]
    if cleaner is not None and not args.no_batch:
        for kind, workload in inputs.items():
            timings.append(measure(f"spamguard/{kind} {BATCHED}", batched(cleaner, workload, kind),
                                   batched(cleaner, warm[kind], kind), workload, args.repeat))
    return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_peer_loggers()
    names = set(args.tools.split(","))
    rss_before = peak_rss_mb()
    cleaner, load_seconds = load_cleaner(args.model) if wants_spamguard(names) else (None, None)
    rss_model = peak_rss_mb()
    inputs = workloads(args)
    # Peer tools on the text dump are not timed: wrapping the dump as HTML adds nothing new.
    tools = [tool for tool in select_tools(names, cleaner) if tool.input == HTML or tool.name == "spamguard"]
    timings = time_tools(tools, cleaner, inputs, args)
    print(f"# spamguard speed benchmark\n\n{environment_line()}\n")
    print(f"{len(inputs[HTML].documents)} {CORPUS} pages (HTML {inputs[HTML].megabytes:.1f} MB, text dumps "
          f"{inputs[TEXT].megabytes:.1f} MB), repeat {args.repeat}, first {args.warm_up} pages per tool run "
          "untimed first; one thread (OMP/OPENBLAS/MKL_NUM_THREADS=1); wall time with time.perf_counter, "
          "no tracemalloc.\n")
    if load_seconds is not None:
        print(f"Model load (import spamguard + Cleaner() + first call): {load_seconds:.2f} s; "
              f"peak RSS {rss_before:.0f} MB before, {rss_model:.0f} MB after.\n")
    print(render(timings))
    print("\npages/s and MB/s use wall time; pages/CPU s uses process CPU time (steadier on a shared "
          "machine). peak RSS MB = the process's peak so far (getrusage), so it only grows down the table.\n")
    targets = render_targets(timings)
    if targets:
        print(targets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
