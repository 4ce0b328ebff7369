"""Engine throughput: ``spamguard clean --jobs 2``, Spark ``local[2]`` and datatrove (2 tasks, 2 workers).

Builds a JSON Lines archive of ``--docs`` HTML pages (content-train pages
repeated with distinct ids and URLs, spread over ``--files`` files) under
benchmarks/out/engines/ (git-ignored), cleans it with each engine in a child
process, start-up included (interpreter, model loading, the JVM, datatrove's
worker processes), and prints a Markdown table: with ``--repeat N``, the
fastest of each engine's N runs, taken in rounds. Then checks that the three
outputs hold the same cleaned text for every document.

    .venv/bin/python -m benchmarks.engines --docs 600 --repeat 3
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.archive import DEFAULT_SOURCE, REPO, Result, timed

OUT = REPO / "benchmarks" / "out" / "engines"
ENGINES = ("spamguard clean", "spark", "datatrove")
# Rows per Arrow batch handed to the pandas function; Spark's default (10,000)
# would put hundreds of MB of HTML in one pandas frame.
_SPARK_ROWS_PER_BATCH = 256
# Input splits: Spark's default packs these files into 3 partitions for 2 cores,
# and the third runs alone; small splits keep both cores busy to the end.
_SPARK_SPLIT = "8m"


def build(source: Path, docs: int, files: int) -> tuple[Path, float]:
    """The input folder (reused when already built) and its MB of HTML."""
    folder, meta = OUT / f"in-{docs}", OUT / f"in-{docs}.json"
    if meta.exists():
        return folder, json.loads(meta.read_text())["megabytes"]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    handles = [open(folder / f"part-{number}.jsonl", "w", encoding="utf-8") for number in range(files)]
    size = 0
    for number, record in enumerate(_repeated(source, docs)):
        handles[number % files].write(json.dumps(record, ensure_ascii=False) + "\n")
        size += len(record["text"].encode("utf-8"))
    for handle in handles:
        handle.close()
    meta.write_text(json.dumps({"docs": docs, "megabytes": size / 1e6}))
    return folder, size / 1e6


def _repeated(source: Path, docs: int) -> Iterator[dict]:
    """``docs`` records of content-train HTML in ``text``, pages over and over with their own id and URL."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle]
    for number in range(docs):
        page, copy = pages[number % len(pages)], number // len(pages)
        yield {"id": f"{page['id']}-{copy}", "url": f"{page['url']}?copy={copy}", "text": page["html"]}


def _command(engine: str, folder: Path, output: Path) -> list[str]:
    if engine == "spamguard clean":
        return [sys.executable, "-m", "spamguard", "clean", str(folder), "-o", str(output), "-j", "2", "-q", "--kind", "html"]
    return [sys.executable, "-m", "benchmarks.engines", f"--{engine}", str(folder), str(output)]


def _spark_child(folder: Path, output: Path) -> None:
    from pyspark.sql import SparkSession

    from spamguard.spark import clean_dataframe

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(_SPARK_ROWS_PER_BATCH))
        .config("spark.sql.files.maxPartitionBytes", _SPARK_SPLIT)
        .getOrCreate()
    )
    # A schema given: inferring one would read the whole archive once more.
    frame = spark.read.schema("id string, url string, text string").json(str(folder))
    clean_dataframe(frame, url_column="url", kind="html").write.json(str(output))
    spark.stop()


def _datatrove_child(folder: Path, output: Path) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from spamguard.datatrove import SpamguardCleaner

    pipeline = [JsonlReader(str(folder)), SpamguardCleaner(kind="html"), JsonlWriter(str(output / "data"), compression=None)]
    LocalPipelineExecutor(pipeline, tasks=2, workers=2, logging_dir=str(output / "logs")).run()


def _texts(engine: str, output: Path) -> dict[str, str]:
    """Cleaned text by id from one engine's output."""
    pattern = "*.json" if engine == "spark" else "*.jsonl"
    texts = {}
    for path in sorted(output.rglob(pattern)):
        with open(path, encoding="utf-8") as handle:
            for record in map(json.loads, handle):
                texts[record["id"]] = record.get("text") or ""
    return texts


def agreement(outputs: dict[str, Path]) -> str:
    """Whether the engines' cleaned texts equal ``spamguard clean``'s (datatrove drops emptied documents)."""
    reference = _texts("spamguard clean", outputs["spamguard clean"])
    lines = []
    for engine in ENGINES[1:]:
        texts = _texts(engine, outputs[engine])
        expected = {key: text for key, text in reference.items() if engine != "datatrove" or text.strip()}
        differ = [key for key in expected if texts.get(key) != expected[key]]
        example = f" (first: {differ[0]})" if differ else ""
        lines.append(f"{engine}: {len(texts):,} documents, {len(differ)} differ from spamguard clean{example}")
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    """The results as a Markdown table of wall-clock throughput.

    No CPU column: Spark's and datatrove's worker processes are not all reaped
    through the process tree, so ``RUSAGE_CHILDREN`` misses part of their time.
    """
    lines = [
        "| engine | docs | MB (HTML) | seconds | docs/s | MB/s | peak RSS, process tree |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.tool} | {r.docs:,} | {r.megabytes:.0f} | {r.seconds:.1f} | {r.docs_per_second:.1f} | "
            f"{r.mb_per_second:.2f} | {r.peak_rss_mb:.0f} MB |"
        )
    return "\n".join(lines)


def _quiet_child(output: Path) -> None:
    """Send the child's stderr (Spark's JVM, datatrove's logger) to a file beside its output."""
    log = open(output.parent / f"{output.name}.log", "w")  # noqa: SIM115 - lives as long as the process
    os.dup2(log.fileno(), sys.stderr.fileno())


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] in ("--spark", "--datatrove"):
        folder, output = Path(sys.argv[2]), Path(sys.argv[3])
        _quiet_child(output)
        (_spark_child if sys.argv[1] == "--spark" else _datatrove_child)(folder, output)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=600, help="HTML pages in the archive (default 600)")
    parser.add_argument("--files", type=int, default=8, help="JSONL files they are spread over (default 8)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the engines; the fastest run of each counts")
    args = parser.parse_args()
    folder, megabytes = build(args.source, args.docs, args.files)
    print(f"input: {args.docs:,} pages, {megabytes:.0f} MB of HTML in {args.files} JSONL files", file=sys.stderr)
    outputs = {engine: OUT / f"out-{engine.split()[0]}" for engine in ENGINES}
    best: dict[str, Result] = {}
    # Rounds, not one engine after another: on a shared machine the load drifts,
    # and the fastest of each engine's runs is the one least disturbed by it.
    for _ in range(args.repeat):
        for engine in ENGINES:
            result = run(engine, folder, outputs[engine], args.docs, megabytes)
            print(table([result]).splitlines()[-1], file=sys.stderr)
            best[engine] = min(best.get(engine, result), result, key=lambda r: r.seconds)
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end; fastest of {args.repeat} run(s) each\n")
    print(table([best[engine] for engine in ENGINES]))
    print()
    print(agreement(outputs))


def run(engine: str, folder: Path, output: Path, docs: int, megabytes: float) -> Result:
    """One timed run of ``engine`` over ``folder`` into a fresh ``output``."""
    shutil.rmtree(output, ignore_errors=True)
    seconds, peak, cpu = timed(_command(engine, folder, output))
    return Result(engine, "JSONL", 2, docs, megabytes, seconds, peak, cpu)

if __name__ == "__main__":
    main()
