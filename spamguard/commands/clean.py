"""``spamguard clean``: print one cleaned document, or run a cleaning pass over archives.

``spamguard clean FILE|-`` prints the cleaned text (``--json``: text and blocks).
``spamguard clean INPUT... -o OUTPUT`` cleans folders, JSON Lines, WARC/WET, tar
and zip into OUTPUT, keeping each input's shape. The work is done by
``spamguard.archive.clean_paths``; this module maps arguments to options and
prints the summary.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from spamguard import exitcodes
from spamguard.audit_report import DEFAULT_SAMPLE, MAX_SAMPLE

if TYPE_CHECKING:
    from spamguard.archive import ArchiveOptions, Problem
    from spamguard.profile import SiteProfile

EXIT_STATUS = (
    "exit status: 0 every record cleaned (or skipped by design), 1 some records failed "
    "(named in the report), 2 usage error, 130 interrupted (temporary files removed)."
)
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_MISSING_DEPENDENCY = "spamguard clean needs {module}, which is missing: pip install {package}"
_PACKAGES = {"warcio": "warcio", "zstandard": "zstandard", "tqdm": "tqdm", "threadpoolctl": "threadpoolctl"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clean",
        help="clean one document to stdout, or whole archives into a folder",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog=EXIT_STATUS,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, JSONL(.gz/.zst), WARC/WET, tar, zip; - for stdin")
    parser.add_argument("-o", "--output", type=Path, help="output folder; without it the one INPUT is printed to stdout")
    parser.add_argument("--json", action="store_true", help="print {\"text\": ..., \"blocks\": [...]} for one document")
    records = parser.add_argument_group("JSON Lines records")
    records.add_argument("--text-field", default="text", help="field with the text to clean, and where the cleaned text goes (default: text)")
    records.add_argument("--html-field", help="field with HTML to clean when present (cleaned text goes to --text-field)")
    records.add_argument("--id-field", default="id", help="field naming the record in reports (default: id)")
    records.add_argument("--url-field", default="url", help="field with the page URL (default: url)")
    parser.add_argument("--kind", choices=("auto", "text", "html", "markdown"), default="auto", help="force the input kind of text documents")
    parser.add_argument("--format", choices=("auto", "jsonl"), default="auto", help="auto keeps each input's shape; jsonl writes one INPUT.jsonl per input")
    parser.add_argument("--no-details", dest="details", action="store_false", help="in JSONL output, removed-block counts only")
    parser.add_argument(
        "--removed", type=Path, metavar="PATH",
        help="write every removed block as JSONL for audit, then a sample of whole documents (.gz/.zst compress)",
    )
    parser.add_argument("--report", type=Path, metavar="PATH", help="write the JSON report here")
    parser.add_argument("--audit", type=Path, metavar="PATH", help="write an HTML report of what was removed (see spamguard audit)")
    parser.add_argument(
        "--sample", type=int, metavar="N",
        help=f"documents the --audit report shows in place (default {DEFAULT_SAMPLE}, at most {MAX_SAMPLE})",
    )
    parser.add_argument("--dry-run", action="store_true", help="clean and report, write no outputs (--report and --removed still written)")
    parser.add_argument("--force", action="store_true", help="redo and overwrite outputs that already exist (default: skip them, which resumes)")
    parser.add_argument("-j", "--jobs", type=int, help="worker processes (default: all cores; 1 with no -o)")
    parser.add_argument(
        "--max-doc-bytes", type=_size, metavar="N",
        # The help names the default of ArchiveOptions; importing it here would make
        # `--help` fail when an archive dependency is missing (a test keeps them equal).
        help="skip (and report) documents larger than N bytes once decompressed; K/M/G suffixes (default: 20M)",
    )
    parser.add_argument(
        "--site-profile", default="off", metavar="auto|off|PATH",
        help="auto: count repeated blocks per host in a first pass over the inputs and let the model use them; "
             "PATH: reuse that profile file, or count and save it there when it does not exist (default: off)",
    )
    parser.add_argument("--model", help="model file (default: the shipped model)")
    parser.add_argument("--threshold", type=float, help="minimum probability to remove a block")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    noise.add_argument("-v", "--verbose", action="store_true", help="print every problem as it happens")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from spamguard.archive import clean_paths
    except ImportError as error:
        module = (error.name or "").split(".")[0]
        if module not in _PACKAGES:
            raise
        return _usage(_MISSING_DEPENDENCY.format(module=module, package=_PACKAGES[module]))
    problem = _check_args(args)
    if problem:
        return _usage(problem)
    from spamguard import Cleaner, ModelError
    from spamguard.profile import ProfileError

    options = options_from_args(args)
    to_stdout = args.output is None
    progress = not args.quiet and not to_stdout and sys.stderr.isatty()
    try:
        settings = {k: v for k, v in (("model", args.model), ("threshold", args.threshold)) if v is not None}
        cleaner = Cleaner(**settings, profile=_site_profile(args, options, progress))
    except (ModelError, ProfileError, ValueError) as error:
        return _usage(str(error))
    except OSError as error:
        return _usage(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))
    scratch = tempfile.TemporaryDirectory() if args.audit is not None and args.removed is None else None
    removed = Path(scratch.name) / "removed.jsonl" if scratch is not None else args.removed
    try:
        report = clean_paths(
            args.inputs,
            args.output,
            options,
            cleaner,
            removed=removed,
            progress=progress,
            on_problem=_print_problem if args.verbose else None,
        )
    except KeyboardInterrupt:
        print("spamguard clean: interrupted; temporary files removed, rerun to resume", file=sys.stderr)
        return exitcodes.INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (| head): not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return exitcodes.OK
    if args.report is not None:
        from spamguard.archive.writers import AtomicFile

        target = AtomicFile(args.report)
        target.write(report.to_json().encode("utf-8"))
        target.commit()
    if args.audit is not None:
        from spamguard.commands.audit import write_audit

        write_audit(removed, args.audit, report.to_dict(), DEFAULT_SAMPLE if args.sample is None else args.sample)
    if scratch is not None:
        scratch.cleanup()
    stats = report.stats
    if not args.quiet and (not to_stdout or args.verbose or stats.failed or stats.skipped or stats.invalid_utf8):
        sys.stderr.write(report.summary())
    return exitcodes.FINDINGS if stats.failed else exitcodes.OK


def _site_profile(args: argparse.Namespace, options: ArchiveOptions, progress: bool) -> SiteProfile | None:
    """The profile ``--site-profile`` asks for: none, counted now, or read from (or saved to) a file."""
    from spamguard.archive.profiling import count_archive
    from spamguard.profile import SiteProfile

    if args.site_profile == "off":
        return None
    path = None if args.site_profile == "auto" else Path(args.site_profile)
    if path is not None and path.exists():
        return SiteProfile.load(path)
    profile = count_archive(args.inputs, options, progress=progress)
    if path is not None:
        profile.save(path)
    return profile


def options_from_args(args: argparse.Namespace) -> ArchiveOptions:
    """The one place CLI arguments become an ``ArchiveOptions``."""
    from spamguard.archive.options import ArchiveOptions

    jobs = args.jobs if args.jobs is not None else (1 if args.output is None else _cores())
    limit = args.max_doc_bytes if args.max_doc_bytes is not None else ArchiveOptions.max_doc_bytes
    return ArchiveOptions(
        text_field=args.text_field,
        html_field=args.html_field,
        id_field=args.id_field,
        url_field=args.url_field,
        kind=args.kind,
        max_doc_bytes=limit,
        details=args.details,
        as_jsonl=args.format == "jsonl",
        json_documents=args.json,
        audit=args.removed is not None or args.audit is not None,
        force=args.force,
        dry_run=args.dry_run,
        jobs=jobs,
    )


def _check_args(args: argparse.Namespace) -> str | None:
    """A usage problem with the arguments, or None."""
    if args.jobs is not None and args.jobs < 1:
        return "--jobs must be at least 1"
    if args.sample is not None:
        if args.audit is None:
            return "--sample sets the sample of the --audit report: give --audit PATH too"
        if not 0 <= args.sample <= MAX_SAMPLE:
            return f"--sample must be between 0 and {MAX_SAMPLE}"
    if args.inputs.count("-") > 1:
        return "stdin (-) can be read only once"
    counting = args.site_profile == "auto" or (args.site_profile != "off" and not os.path.exists(args.site_profile))
    if counting and "-" in args.inputs:
        return "--site-profile counts the inputs in a first pass, and stdin can be read only once: " \
               "build a profile with `spamguard profile build` and pass its path"
    for arg in args.inputs:
        if arg != "-" and not os.path.exists(arg):
            return f"{arg}: no such file or directory"
    if args.output is None:
        if len(args.inputs) > 1:
            return "several inputs need an output folder: -o OUTPUT"
        if args.inputs[0] != "-" and os.path.isdir(args.inputs[0]):
            return f"{args.inputs[0]} is a folder: give an output folder with -o OUTPUT"
        return None
    if args.json:
        return "--json prints one document; with -o use --format jsonl"
    if args.output.exists() and not args.output.is_dir():
        return f"{args.output} exists and is not a folder"
    output = os.path.realpath(args.output)
    for arg in args.inputs:
        if arg != "-" and os.path.isdir(arg):
            root = os.path.realpath(arg)
            if os.path.commonpath([root, output]) in (root, output):
                return f"output folder {args.output} and input folder {arg} overlap; a rerun would read its own output"
    names = [_top_name(arg, args.format == "jsonl") for arg in args.inputs if not os.path.isdir(arg) or args.format == "jsonl"]
    for arg in args.inputs:
        if arg != "-" and os.path.isdir(arg) and args.format != "jsonl":
            names.extend(os.listdir(arg))
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        return f"inputs would write the same output name(s): {', '.join(clashes[:5])}"
    return None


def _top_name(arg: str, as_jsonl: bool) -> str:
    name = "stdin" if arg == "-" else Path(arg).resolve().name
    return name + ".jsonl" if as_jsonl else name


def _size(text: str) -> int:
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size such as 20000000, 512K or 20M, got {text!r}")
    return int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _print_problem(problem: Problem) -> None:
    where = f"{problem.file} {problem.record}".strip()
    print(f"spamguard: {where}: {problem.severity.value} {problem.code} ({problem.detail})", file=sys.stderr)


def _usage(message: str) -> int:
    print(f"spamguard clean: {message}", file=sys.stderr)
    return exitcodes.USAGE
