"""``spamguard audit``: turn the records of ``clean --removed`` into one HTML report.

``spamguard audit RESULTS.jsonl -o report.html`` writes a self-contained page
(inline CSS and SVG, no scripts, opens offline): counts and bytes per label, a
score histogram per label, the most frequent removed blocks, hosts with most
spam and a seeded sample of documents shown in place, removed blocks struck
through among the kept text. ``--report`` adds the run's document counts from
``clean --report``.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from spamguard import exitcodes
from spamguard.audit_report import DEFAULT_SAMPLE, DOCUMENT, MAX_SAMPLE, build_report

EXIT_STATUS = "exit status: 0 report written, 2 usage error (missing or malformed input), 130 interrupted."


class _BadRecord(ValueError):
    pass


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="write an HTML report of what a cleaning pass removed",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog=EXIT_STATUS,
    )
    parser.add_argument("removed", type=Path, metavar="RESULTS.jsonl", help="output of clean --removed (.gz/.zst too)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    parser.add_argument("--report", type=Path, metavar="PATH", help="the JSON report of the same clean run")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, metavar="N",
                        help=f"documents to show in place (default {DEFAULT_SAMPLE}, at most {MAX_SAMPLE})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample, so reruns show the same documents")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.sample <= MAX_SAMPLE:
        return _usage(f"--sample must be between 0 and {MAX_SAMPLE}")
    try:
        run_report = _read_run_report(args.report) if args.report is not None else None
        write_audit(args.removed, args.output, run_report, args.sample, args.seed)
    except OSError as error:
        return _usage(f"{error.filename}: {error.strerror or error}")
    except (_BadRecord, json.JSONDecodeError) as error:
        return _usage(str(error))
    return exitcodes.OK


def write_audit(removed: Path, output: Path, run_report: dict | None, sample: int = DEFAULT_SAMPLE,
                seed: int = 0) -> None:
    """Write the HTML report of the records in ``removed`` (``clean --removed`` output)."""
    with removed.open("rb") as raw:
        page = build_report(_records(_decompressed(raw)), run_report, sample, seed)
    _write(output, page)


def _write(path: Path, page: str) -> None:
    # Atomic, so a failed or interrupted run never leaves half a report behind.
    from spamguard.archive.writers import AtomicFile

    target = AtomicFile(path)
    target.write(page.encode("utf-8"))
    target.commit()


def _decompressed(raw: BinaryIO) -> BinaryIO:
    # clean --removed compresses by extension; sniffing the magic also covers renamed files.
    from spamguard.archive.streams import decompressed, sniff_compression

    buffered = io.BufferedReader(raw)  # type: ignore[arg-type]
    return decompressed(buffered, sniff_compression(buffered.peek(4)))


def _records(stream: BinaryIO) -> Iterator[dict]:
    """One dict per non-empty line, read lazily so a large audit file never sits in memory."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise _BadRecord(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(record, dict) or ("label" not in record and record.get("type") != DOCUMENT):
            raise _BadRecord(f"line {number}: not a removed-block or document record (see clean --removed)")
        yield record


def _read_run_report(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise _BadRecord(f"{path}: not a spamguard clean report")
    return data


def _usage(message: str) -> int:
    print(f"spamguard audit: {message}", file=sys.stderr)
    return exitcodes.USAGE
