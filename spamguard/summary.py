"""What one cleaned document lost, as plain data: the ``spamguard`` field of JSON Lines output.

``spamguard clean`` writes this field into every cleaned JSONL record; the engine
adapters (``spamguard.spark``, ``spamguard.datatrove``) write the same one, so
their output compares field for field with the command's.
"""
from __future__ import annotations

from collections import Counter

from spamguard.types import Block, CleanResult


def removed_counts(result: CleanResult) -> dict[str, int]:
    """Removed blocks per label value, e.g. ``{"spam": 1, "boilerplate": 3}``."""
    return dict(Counter(block.label.value for block in result.removed))


def removed_block(block: Block) -> dict:
    """One removed block: label, score, reasons and text."""
    return {"label": block.label.value, "score": round(block.score, 4), "reasons": list(block.reasons), "text": block.text}


def summary(result: CleanResult, details: bool = True) -> dict:
    """Blocks seen, removed blocks per label and, with ``details``, every removed block."""
    fields: dict = {"blocks": len(result.blocks), "removed": removed_counts(result)}
    if details:
        fields["removed_blocks"] = [removed_block(block) for block in result.removed]
    return fields
