"""Reasons are read off a block's feature row: they must say what the row shows."""
from __future__ import annotations

import math

import numpy as np

from spamguard.features import FEATURE_NAMES
from spamguard.reasons import explain
from spamguard.types import Label


def _row(**values: float) -> np.ndarray:
    row = np.zeros(len(FEATURE_NAMES))
    for name, value in values.items():
        row[FEATURE_NAMES.index(name)] = value
    return row


def test_keyword_repetition_is_said_of_blocks_with_enough_words() -> None:
    stuffed = _row(top_word_share=0.4, log_words=math.log1p(12))
    assert "keyword repetition (40% one word)" in explain(stuffed, Label.SPAM)


def test_one_word_is_no_keyword_repetition() -> None:
    # A two-word anchor, or a Japanese sentence that \w+ reads as one word.
    for words in (1, 2):
        short = _row(top_word_share=1 / words, log_words=math.log1p(words))
        assert not any("repetition" in reason for reason in explain(short, Label.SPAM))
