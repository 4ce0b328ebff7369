"""The ``spamguard`` command: argument parsing and dispatch to one module per subcommand."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from spamguard import __version__, exitcodes
from spamguard.commands import audit, check, clean, explain, profile, train

COMMANDS = (clean, check, profile, train, explain, audit)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spamguard",
        description="Find and strip boilerplate and injected spam link blocks from scraped text.",
        epilog="Exit status: 0 success, 1 findings or failed records, 2 usage error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"spamguard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one spamguard command; returns its exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    logging.basicConfig(level=logging.WARNING, format="spamguard: %(message)s", stream=sys.stderr)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("spamguard: interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
