"""``spamguard explain``: show every block of one document with its label, score and reasons.

``spamguard explain FILE|-`` lists the blocks in document order, one line each
(``line N  LABEL  score  [removed|kept]  text``) with the reasons indented below;
labels are coloured only on a terminal and never when ``NO_COLOR`` is set.
``--format json`` prints the whole result as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from spamguard import exitcodes
from spamguard.types import Block, CleanResult, Label

EXIT_STATUS = "exit status: 0 explained, 2 usage error (missing or unreadable file, bad model), 130 interrupted."
# Long blocks are cut on screen so each block stays one line; JSON keeps full text.
_TEXT_WIDTH = 100
_RESET = "\033[0m"
_COLOURS = {Label.CONTENT: "\033[32m", Label.BOILERPLATE: "\033[33m", Label.SPAM: "\033[1;31m"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="list one document's blocks with label, score and reasons",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog=EXIT_STATUS,
    )
    parser.add_argument("input", metavar="FILE", help="text, HTML or Markdown file; - for stdin")
    parser.add_argument("--kind", choices=("auto", "text", "html", "markdown"), default="auto", help="force the input kind")
    parser.add_argument("--only", choices=("all", "removed"), default="all", help="list only removed blocks")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for machines")
    parser.add_argument("--model", help="model file (default: the shipped model)")
    parser.add_argument("--threshold", type=float, help="minimum probability to remove a block")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        source = _read(args.input)
    except OSError as error:
        return _usage(f"{args.input}: {error.strerror or error}")
    from spamguard import Cleaner, ModelError
    from spamguard.segment import MarkupError

    try:
        cleaner = Cleaner(**{k: v for k, v in (("model", args.model), ("threshold", args.threshold)) if v is not None})
    except (ModelError, ValueError, OSError) as error:
        return _usage(str(error))
    try:
        result = cleaner.clean(source, kind=args.kind)
    except MarkupError as error:
        return _usage(f"{args.input}: {error}")
    if args.format == "json":
        print(json.dumps(_selected_dict(result, args.only), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(_selected(result, args.only), colour=use_colour(sys.stdout)))
    return exitcodes.OK


def use_colour(stream: TextIO) -> bool:
    """Colour only for a person at a terminal who has not asked for none (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def render(blocks: tuple[Block, ...], colour: bool) -> str:
    """The blocks as text, one line per block and its reasons indented below."""
    return "".join(_render_block(block, colour) for block in blocks)


def _render_block(block: Block, colour: bool) -> str:
    label = f"{block.label.value.upper():<11}"
    if colour:
        label = f"{_COLOURS[block.label]}{label}{_RESET}"
    status = "[removed]" if block.removed else "[kept]   "
    head = f"line {block.line:<5} {label} {block.score:.3f}  {status}  {_clip(block.text)}\n"
    return head + "".join(f"      - {reason}\n" for reason in block.reasons)


def _selected(result: CleanResult, only: str) -> tuple[Block, ...]:
    return result.removed if only == "removed" else result.blocks


def _selected_dict(result: CleanResult, only: str) -> dict:
    data = result.to_dict()
    data["blocks"] = [block.to_dict() for block in _selected(result, only)]
    return data


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    # Scraped files are not always valid UTF-8; show them rather than fail.
    with open(name, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _clip(text: str) -> str:
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def _usage(message: str) -> int:
    print(f"spamguard explain: {message}", file=sys.stderr)
    return exitcodes.USAGE
