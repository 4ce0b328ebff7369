"""``spamguard profile build|show``: count an archive's repeated blocks once, look at the result.

``spamguard profile build INPUT... -o site.profile.npz`` streams the inputs
(the same kinds ``spamguard clean`` reads) and writes the profile; ``--update``
adds the inputs to an existing profile instead, for incremental archives.
``spamguard profile show PATH`` prints what a profile holds: documents, hosts,
memory and the sketches' error bounds. ``spamguard clean --site-profile PATH``
then uses it without counting again.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from spamguard import exitcodes

EXIT_STATUS = "exit status: 0 done, 2 usage error (missing input, unreadable profile), 130 interrupted."


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "profile",
        help="build or show a site profile (blocks that repeat per host and across hosts)",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog=EXIT_STATUS,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="count the blocks of an archive into a profile file", epilog=EXIT_STATUS)
    build.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders, as for spamguard clean")
    build.add_argument("-o", "--output", type=Path, required=True, help="the profile file to write (.npz)")
    build.add_argument("--update", action="store_true", help="add to the profile at --output instead of starting anew")
    build.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    build.add_argument("--html-field", help="JSONL field holding HTML, preferred when present")
    build.add_argument("--url-field", default="url", help="JSONL field holding the URL (default: url)")
    build.add_argument("--kind", choices=("auto", "text", "html", "markdown"), default="auto",
                       help="input kind of JSONL text fields (default: auto)")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    build.set_defaults(func=run_build)
    show = actions.add_parser("show", help="print what a profile file holds", epilog=EXIT_STATUS)
    show.add_argument("profile", type=Path, metavar="PATH")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(func=run_show)


def run_build(args: argparse.Namespace) -> int:
    from spamguard.archive.options import ArchiveOptions
    from spamguard.archive.profiling import count_archive
    from spamguard.profile import ProfileError, SiteProfile

    if "-" in args.inputs:
        return _usage("a profile reads files or folders, not stdin")
    missing = [arg for arg in args.inputs if not os.path.exists(arg)]
    if missing:
        return _usage(f"{missing[0]}: no such file or directory")
    try:
        start = SiteProfile.load(args.output) if args.update and args.output.exists() else None
    except ProfileError as error:
        return _usage(str(error))
    options = ArchiveOptions(text_field=args.text_field, html_field=args.html_field, url_field=args.url_field,
                             kind=args.kind)
    profile = count_archive(args.inputs, options, start, progress=not args.quiet and sys.stderr.isatty())
    try:
        profile.save(args.output)
    except OSError as error:
        return _usage(f"{args.output}: {error.strerror or error}")
    if not args.quiet:
        print(_describe(profile.summary()), file=sys.stderr)
    return exitcodes.OK


def run_show(args: argparse.Namespace) -> int:
    from spamguard.profile import ProfileError, SiteProfile

    try:
        summary = SiteProfile.load(args.profile).summary()
    except ProfileError as error:
        return _usage(str(error))
    print(json.dumps(summary, indent=2) if args.format == "json" else _describe(summary))
    return exitcodes.OK


def _describe(summary: dict) -> str:
    return "\n".join([
        f"documents: {summary['documents']:,}",
        f"hosts: {summary['hosts']:,}",
        f"memory: {summary['memory_bytes'] / 2**20:.0f} MiB "
        f"({summary['depth']} x {summary['block_width']:,} block cells, {summary['host_width']:,} host cells)",
        f"error bound: page counts +{summary['pair_error_bound']}, host counts +{summary['host_error_bound']} "
        f"(over-estimates, each with probability {1 - math.exp(-summary['depth']):.0%})",
    ])


def _usage(message: str) -> int:
    print(f"spamguard profile: {message}", file=sys.stderr)
    return exitcodes.USAGE
