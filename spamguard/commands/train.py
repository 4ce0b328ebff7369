"""``spamguard train``: fit the classifier on labeled corpora and write the model and its card."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from spamguard import exitcodes
from spamguard.clean import DEFAULT_THRESHOLD


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the block classifier",
        description=(
            "Train the block classifier on corpora of pages with ground-truth main text "
            "(gzip JSONL with html and text fields), the project's spam material and hard "
            "negatives; validate on held-back sites; write the model and model card."
        ),
    )
    parser.add_argument("--corpus", type=Path, action="append", required=True,
                        help="a corpus file or a folder of *.jsonl.gz corpora (repeatable)")
    parser.add_argument("--data", type=Path, default=Path("data"),
                        help="the project's own data folder (spam material, hard negatives); default: data")
    parser.add_argument("--spam-sources", type=Path, default=None,
                        help="folder of spam domain lists used to build spam links (optional)")
    parser.add_argument("-o", "--output", type=Path, default=Path("models"),
                        help="folder for the model and its card; default: models")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=f"removal threshold the validation figures use; default: {DEFAULT_THRESHOLD}")
    parser.add_argument("--limit", type=int, default=None, help="use at most N pages per corpus (quick runs)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same model")
    parser.add_argument("--hold-out-family", action="append", default=[], metavar="FAMILY",
                        help="keep this spam family out of training, to measure recall on unseen spam (repeatable)")
    parser.add_argument("--hold-out-lang", action="append", default=[], metavar="LANG",
                        help="keep spam in this language out of training (repeatable)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from spamguard.train import TrainOptions, train
    except ImportError as missing:
        print(f"spamguard train needs the training extras: pip install 'spamguard[train]' ({missing})",
              file=sys.stderr)
        return exitcodes.USAGE
    for path in [*args.corpus, args.data]:
        if not path.exists():
            print(f"spamguard train: no such file or folder: {path}", file=sys.stderr)
            return exitcodes.USAGE
    logging.getLogger("spamguard").setLevel(logging.INFO)
    options = TrainOptions(
        corpus=tuple(args.corpus), data_dir=args.data, sources_dir=args.spam_sources,
        output=args.output, threshold=args.threshold, limit=args.limit, seed=args.seed,
        held_out_families=tuple(args.hold_out_family), held_out_langs=tuple(args.hold_out_lang),
    )
    card = train(options)
    json.dump(card["validation"]["blocks_by_label"], sys.stdout, indent=2)
    print()
    return exitcodes.OK
