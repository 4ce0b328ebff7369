"""``spamguard check FILE...``: report spam blocks in content files, or remove them
with ``--fix``. The pre-commit hooks run this command."""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from threadpoolctl import threadpool_limits

from spamguard import baseline, exitcodes
from spamguard.clean import Cleaner, clean_each
from spamguard.hook import Finding, find
from spamguard.hookconfig import ConfigError, HookConfig, check_labels, check_min_score, find_config, load_config
from spamguard.segment import MarkupError, readable
from spamguard.spans import remove_spans
from spamguard.types import CleanResult, Kind

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# Removing a block changes the document the model sees; fixing again until
# nothing is left makes a second `--fix` a no-op. Rarely needs more than two.
FIX_ROUNDS = 5
# Batches of at least twice this many documents are split across the CPUs.
# Workers are forked after the model is loaded, so each costs milliseconds.
PARALLEL_MIN_DOCUMENTS = 32


class CleanerLike(Protocol):
    def clean_many(self, texts: Sequence[str], kind: str = "auto") -> list[CleanResult]: ...


def _load_cleaner(config: HookConfig) -> CleanerLike:
    return Cleaner(threshold=config.min_score, strip=config.labels)


def _min_score(text: str) -> float:
    try:
        return check_min_score(float(text), "--min-score")
    except (ValueError, ConfigError) as error:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from error


def _labels(text: str) -> tuple[str, ...]:
    try:
        return check_labels(text.split(","), "--labels")
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="report spam in Markdown, HTML and text files (the pre-commit hook)",
        description='Report spam blocks as path:line:col: CODE label (score) "snippet"; '
        "exit 1 when there are findings, a file cannot be read, or --fix changed a file.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files to check")
    parser.add_argument("--fix", action="store_true", help="remove the flagged blocks from the files")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--min-score",
        type=_min_score,
        help="report blocks whose score is at least this (default from config, else 0.8)",
    )
    parser.add_argument(
        "--labels",
        type=_labels,
        help="comma-separated labels to report: spam, boilerplate (default: spam)",
    )
    parser.add_argument("--config", type=Path, help="config file (default: nearest .spamguard.toml or pyproject.toml)")
    parser.add_argument(
        "--baseline",
        type=Path,
        help=f"baseline file of accepted findings (default: {baseline.BASELINE_FILE} in the project root)",
    )
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="accept every current finding: write them to the baseline file and exit 0",
    )
    parser.set_defaults(func=run)


def kind_of(path: str) -> Kind:
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return Kind.MARKDOWN
    if suffix in HTML_SUFFIXES:
        return Kind.HTML
    return Kind.TEXT


def is_excluded(key: str, globs: Sequence[str]) -> bool:
    """Whether a root-relative path matches an exclude glob; a glob without ``/``
    also matches the file name alone."""
    name = key.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatchcase(key, glob) or ("/" not in glob and fnmatch.fnmatchcase(name, glob)) for glob in globs
    )


@dataclass
class _Document:
    path: str  # as given on the command line, for the report
    key: str  # relative to the project root, for the baseline and exclude globs
    kind: Kind
    source: str = ""
    findings: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    unreadable: str = ""  # why the file could not be checked


def _config(args: argparse.Namespace) -> HookConfig:
    config = load_config(args.config) if args.config else find_config(Path.cwd())
    if args.min_score is not None:
        config = replace(config, min_score=args.min_score)
    if args.labels is not None:
        config = replace(config, labels=args.labels)
    return config


def _clean_many(cleaner: CleanerLike, texts: list[str], kind: Kind) -> list[CleanResult | MarkupError]:
    """``clean_each``, over all CPUs when the batch is large (Linux only:
    fork is what makes workers cheap, and it is only safe there)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    workers = min(cpus, len(texts) // PARALLEL_MIN_DOCUMENTS) if sys.platform == "linux" else 1
    # One BLAS/OpenMP thread per process: the processes fill the CPUs, and a
    # process that never started an OpenMP thread pool forks safely.
    with threadpool_limits(1):
        if workers < 2:
            return clean_each(cleaner, texts, kind=kind.value)
        size = -(-len(texts) // workers)
        chunks = [texts[start : start + size] for start in range(0, len(texts), size)]
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=get_context("fork")) as pool:
            others = [pool.submit(clean_each, cleaner, chunk, kind=kind.value) for chunk in chunks[1:]]
            results = clean_each(cleaner, chunks[0], kind=kind.value)
            return results + [result for future in others for result in future.result()]


def _judge(documents: list[_Document], cleaner: CleanerLike, config: HookConfig, accepted: Counter[str]) -> None:
    """Set each document's findings: one batch through the model per kind."""
    for kind in Kind:
        batch = [document for document in documents if document.kind is kind]
        if not batch:
            continue
        # `surrogateescape` read each undecodable byte as one lone surrogate.
        texts = [readable(document.source) for document in batch]
        for document, text, result in zip(batch, texts, _clean_many(cleaner, texts, kind), strict=True):
            if isinstance(result, MarkupError):  # named in the report; the other files go on
                document.unreadable = str(result)
                continue
            found = find(document.path, text, result, config)
            document.findings = baseline.new_findings(((document.key, f) for f in found), accepted)


def _fix(documents: list[_Document], cleaner: CleanerLike, config: HookConfig, accepted: Counter[str]) -> None:
    """Remove fixable findings until none are left, then write the changed files."""
    pending = documents
    for _ in range(FIX_ROUNDS):
        pending = [document for document in pending if any(f.fixable for f in document.findings)]
        if not pending:
            break
        for document in pending:
            fixable = [finding for finding in document.findings if finding.fixable]
            document.removed.extend(fixable)
            document.source = remove_spans(document.source, [(f.start, f.end) for f in fixable])
        _judge(pending, cleaner, config, accepted)
    for document in documents:
        if document.removed:
            Path(document.path).write_bytes(document.source.encode("utf-8", "surrogateescape"))


def _report(output_format: str, documents: list[_Document]) -> None:
    findings = [finding for document in documents for finding in document.removed + document.findings]
    fixed = [document.path for document in documents if document.removed]
    unreadable = [
        {"path": document.path, "error": document.unreadable} for document in documents if document.unreadable
    ]
    for entry in unreadable:
        print(f"spamguard: {entry['path']}: cannot check: {entry['error']}", file=sys.stderr)
    if output_format == "json":
        payload = {"findings": [finding.to_dict() for finding in findings], "fixed": fixed, "unreadable": unreadable}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for finding in findings:
        print(finding.format())
    for path in fixed:
        print(f"Fixed {path}")


def _error(message: object) -> int:
    print(f"spamguard: error: {message}", file=sys.stderr)
    return exitcodes.USAGE


def run(args: argparse.Namespace, make_cleaner: Callable[[HookConfig], CleanerLike] = _load_cleaner) -> int:
    try:
        config = _config(args)
    except ConfigError as error:
        return _error(error)
    baseline_path = args.baseline or config.root / baseline.BASELINE_FILE
    # The baseline and the config hold spam snippets and phrases on purpose.
    own_files = {baseline_path.resolve(), *([config.source.resolve()] if config.source else [])}
    documents = []
    for path in args.files:
        resolved = Path(path).resolve()
        key = Path(os.path.relpath(resolved, config.root)).as_posix()
        if resolved not in own_files and not is_excluded(key, config.exclude):
            documents.append(_Document(path=path, key=key, kind=kind_of(path)))
    try:
        accepted = Counter() if args.write_baseline else baseline.load(baseline_path)
        for document in documents:
            document.source = Path(document.path).read_bytes().decode("utf-8", "surrogateescape")
    except (baseline.BaselineError, OSError) as error:
        return _error(error)
    if not documents:
        return exitcodes.OK
    cleaner = make_cleaner(config)
    _judge(documents, cleaner, config, accepted)
    if args.write_baseline:
        rows = baseline.entries((document.key, f) for document in documents for f in document.findings)
        baseline_path.write_text(baseline.dumps(rows), encoding="utf-8")
        print(f"Wrote {len(rows)} findings to {baseline_path}")
        return exitcodes.OK
    if args.fix:
        _fix(documents, cleaner, config, accepted)
    _report(args.format, documents)
    attention = any(document.removed or document.findings or document.unreadable for document in documents)
    return exitcodes.FINDINGS if attention else exitcodes.OK
