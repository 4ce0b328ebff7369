"""Archive-pass throughput: ``spamguard clean`` at --jobs 1 and 2 vs trafilatura, same WARC.

Builds a JSONL.gz and a WARC.gz of at least ``--mb`` MB of HTML (pages of
content-train repeated with distinct URLs) under benchmarks/out/ (git-ignored),
runs the clean command on each as a child process, samples the peak RSS of the
whole process tree from /proc, and does the same for a ProcessPoolExecutor over
``trafilatura.extract`` on the WARC's HTML responses. Prints a Markdown table.

    .venv/bin/python benchmarks/archive.py --mb 200
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out" / "archive"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "content-train" / "wcxb-dev.jsonl.gz"
_SAMPLE_SECONDS = 0.1
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Result:
    tool: str
    input: str
    jobs: int
    docs: int
    megabytes: float
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.megabytes / self.seconds


def _pages(source: Path) -> list[dict]:
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        return [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in map(json.loads, handle)]


def _repeated(pages: list[dict], megabytes: float) -> Iterator[dict]:
    """Pages over and over, each copy with its own id and URL, until ``megabytes`` of HTML."""
    total, round_ = 0, 0
    while total < megabytes * 1e6:
        for page in pages:
            yield {"id": f"{page['id']}-{round_}", "url": f"{page['url']}?copy={round_}", "html": page["html"]}
            total += len(page["html"].encode("utf-8"))
            if total >= megabytes * 1e6:
                return
        round_ += 1


def build(source: Path, megabytes: float) -> tuple[Path, Path, int, float]:
    """The JSONL.gz and WARC.gz inputs (reused when already built), with docs and HTML MB."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    OUT.mkdir(parents=True, exist_ok=True)
    jsonl, warc, meta = OUT / f"pages-{megabytes:g}.jsonl.gz", OUT / f"pages-{megabytes:g}.warc.gz", OUT / f"pages-{megabytes:g}.json"
    if meta.exists():
        info = json.loads(meta.read_text())
        return jsonl, warc, info["docs"], info["megabytes"]
    docs, size = 0, 0
    with gzip.open(jsonl, "wb") as lines, open(warc, "wb") as raw:
        writer = WARCWriter(raw, gzip=True)
        for page in _repeated(_pages(source), megabytes):
            payload = page["html"].encode("utf-8")
            lines.write(json.dumps(page, ensure_ascii=False).encode("utf-8") + b"\n")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(page["url"], "response", payload=io.BytesIO(payload), http_headers=headers))
            docs, size = docs + 1, size + len(payload)
    meta.write_text(json.dumps({"docs": docs, "megabytes": size / 1e6}))
    return jsonl, warc, docs, size / 1e6


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * _PAGE_SIZE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak process-tree RSS (MB) and CPU seconds of the whole tree of ``command``."""
    peak = 0
    # Reaped descendants' CPU time adds up in RUSAGE_CHILDREN: the tree's CPU cost,
    # which, unlike wall time, does not depend on what else the machine is running.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = child.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {code}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, peak / 1e6, cpu


def run_spamguard(path: Path, jobs: int, model: str | None) -> tuple[float, float, float]:
    target = OUT / f"clean-{path.name}-j{jobs}"
    shutil.rmtree(target, ignore_errors=True)
    extra = ["--model", model] if model else []
    # JSONL pages carry their HTML in "html": clean that, as the WARC run does.
    command = [sys.executable, __file__, "--clean", str(path), "-o", str(target), "-j", str(jobs), "-q", "--html-field", "html"]
    return timed(command + extra)


def run_trafilatura(warc: Path, jobs: int) -> tuple[float, float, float]:
    return timed([sys.executable, __file__, "--trafilatura", str(warc), str(jobs)])


def _trafilatura_child(warc: Path, jobs: int) -> None:
    """A ProcessPoolExecutor over trafilatura.extract on every HTML response of ``warc``."""
    from warcio.archiveiterator import ArchiveIterator

    def htmls() -> Iterator[str]:
        with open(warc, "rb") as raw:
            for record in ArchiveIterator(raw):
                if record.rec_type == "response":
                    yield record.content_stream().read().decode("utf-8", "replace")

    pages = htmls()
    with ProcessPoolExecutor(jobs) as pool:
        # Executor.map submits its whole input at once: feed it slices so
        # trafilatura's memory is measured as fairly bounded as ours.
        while chunk := list(islice(pages, 16 * jobs)):
            for _ in pool.map(_extract, chunk, chunksize=4):
                pass


def _extract(html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def _clean_child(argv: list[str]) -> int:
    """``spamguard clean ARGV`` through the command module (works before cli.py wires it)."""
    from spamguard.commands import clean

    parser = argparse.ArgumentParser(prog="spamguard")
    clean.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["clean", *argv])
    return args.func(args)


def table(results: list[Result]) -> str:
    lines = [
        "| tool | input | jobs | docs | MB (HTML) | seconds | docs/s | MB/s | CPU s | docs per CPU s | peak RSS, process tree |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.tool} | {r.input} | {r.jobs} | {r.docs:,} | {r.megabytes:.0f} | {r.seconds:.1f} | "
            f"{r.docs_per_second:.1f} | {r.mb_per_second:.2f} | {r.cpu_seconds:.0f} | {r.docs / r.cpu_seconds:.2f} | "
            f"{r.peak_rss_mb:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--clean":
        raise SystemExit(_clean_child(sys.argv[2:]))
    if len(sys.argv) > 1 and sys.argv[1] == "--trafilatura":
        _trafilatura_child(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200, help="MB of HTML in each generated archive (default 200)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--skip-jsonl", action="store_true", help="only the WARC")
    parser.add_argument("--model", help="model file (default: the shipped one)")
    args = parser.parse_args()
    jsonl, warc, docs, megabytes = build(args.source, args.mb)
    print(f"inputs: {docs:,} pages, {megabytes:.0f} MB HTML; {jsonl.stat().st_size / 1e6:.0f} MB JSONL.gz, "
          f"{warc.stat().st_size / 1e6:.0f} MB WARC.gz", file=sys.stderr)
    results = []
    for path, label in ((warc, "WARC.gz"), (jsonl, "JSONL.gz")):
        if label == "JSONL.gz" and args.skip_jsonl:
            continue
        for jobs in args.jobs:
            seconds, peak, cpu = run_spamguard(path, jobs, args.model)
            results.append(Result("spamguard clean", label, jobs, docs, megabytes, seconds, peak, cpu))
            print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
    for jobs in args.jobs:
        seconds, peak, cpu = run_trafilatura(warc, jobs)
        results.append(Result("trafilatura.extract (ProcessPoolExecutor)", "WARC.gz", jobs, docs, megabytes, seconds, peak, cpu))
        print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print(table(results))
    by_key = {(r.tool, r.input, r.jobs): r for r in results}
    for label in ("WARC.gz", "JSONL.gz"):
        one, two = by_key.get(("spamguard clean", label, 1)), by_key.get(("spamguard clean", label, 2))
        if one and two:
            print(f"\n{label}: --jobs 2 is {one.seconds / two.seconds:.2f}x --jobs 1", end="")
    traf = by_key.get(("trafilatura.extract (ProcessPoolExecutor)", "WARC.gz", 2))
    ours = by_key.get(("spamguard clean", "WARC.gz", 2))
    if traf and ours:
        print(f"\nWARC.gz at 2 jobs: spamguard {ours.docs_per_second / traf.docs_per_second:.2f}x trafilatura's pages/s")
    print()


if __name__ == "__main__":
    main()
