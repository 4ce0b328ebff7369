"""Time the pre-commit hook: ``spamguard check`` over 500 blog-post-sized Markdown files.

The posts are built from the corpora's ground-truth article text (front matter,
a title, paragraphs up to about 800 words); one in ten gets a spam block from
``spamguard.synth.SpamBank``. The hook runs as a subprocess, as pre-commit runs
it, so interpreter start-up and model loading are in the figure. Target: under
10 s on 2 cores. Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python -m benchmarks.hook [--files 500] [--words 800] [--repeat 1]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_ROOT, REPO_ROOT, corpus_pages, environment_line, markdown_table, repo_path
from spamguard.synth import SpamBank

SPAM_EVERY = 10
SEED = 0


def _paragraphs(data_root: Path) -> list[str]:
    """Every article paragraph of both corpora, in corpus order."""
    paragraphs = [
        " ".join(line.split())
        for corpus in ("content-dev", "content-train")
        for page in corpus_pages(data_root, corpus, everything=True, limit=None)
        for line in page.text.split("\n")
        if len(line.split()) >= 8
    ]
    if not paragraphs:
        raise SystemExit(f"no corpus pages under {repo_path(data_root)}")
    return paragraphs


def make_posts(directory: Path, count: int, words: int, data_root: Path) -> list[Path]:
    """Write ``count`` Markdown posts of about ``words`` words; every tenth has spam.

    Posts take consecutive corpus paragraphs, so no post repeats itself."""
    rng = random.Random(SEED)
    bank = SpamBank.load(REPO_ROOT / "data", repo_path(data_root) / "spam-sources")
    source = itertools.cycle(_paragraphs(data_root))
    paths = []
    for number in range(count):
        body: list[str] = []
        while sum(len(kept.split()) for kept in body) < words:
            body.append(next(source))
        title = " ".join(body[0].split()[:8]).rstrip(".,;:")
        if number % SPAM_EVERY == 0:
            body[rng.randrange(len(body) + 1) : 0] = list(bank.sample(rng).text_blocks)
        # A JSON string is a valid YAML scalar, whatever quotes the title holds.
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: 2024-01-{number % 28 + 1:02d}\n---\n\n"
        path = directory / f"post-{number:04d}.md"
        path.write_text(front + f"# {title}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system of the hook process: steadier than wall time on a busy machine
    finding_lines: int


def time_hook(paths: list[Path], cwd: Path) -> Run:
    """One ``spamguard check`` run over ``paths``, as pre-commit starts it."""
    argv = [sys.executable, "-m", "spamguard", "check", *(path.name for path in paths)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"spamguard check failed ({result.returncode}):\n{result.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(seconds, cpu, len(result.stdout.splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--words", type=int, default=800, help="words per post (about 5 KB)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        (directory / ".git").mkdir()  # a project root, so no config above it is read
        paths = make_posts(directory, args.files, args.words, args.data_root)
        megabytes = sum(path.stat().st_size for path in paths) / 1e6
        runs = [time_hook(paths, directory) for _ in range(args.repeat)]
    best = min(runs, key=lambda run: run.seconds)
    print(environment_line())
    print()
    print(
        markdown_table(
            ["files", "MB", "spam posts", "finding lines", "seconds (best)", "CPU seconds", "files/s"],
            [
                [
                    str(len(paths)),
                    f"{megabytes:.2f}",
                    str(len(range(0, len(paths), SPAM_EVERY))),
                    str(best.finding_lines),
                    f"{best.seconds:.2f}",
                    f"{best.cpu_seconds:.2f}",
                    f"{len(paths) / best.seconds:.0f}",
                ]
            ],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
