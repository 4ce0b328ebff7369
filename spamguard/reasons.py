"""Short human-readable reasons for a verdict, read off the block's feature row."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from spamguard.features import FEATURE_NAMES
from spamguard.types import Label

_COLUMN = {name: index for index, name in enumerate(FEATURE_NAMES)}
Rule = tuple[str, Callable[[float], bool], Callable[[float], str]]
# log_words thresholds, worked out once rather than for every block.
_LOG_6_WORDS = math.log1p(6)
_LOG_20_WORDS = math.log1p(20)
_LOG_3_HOSTS = math.log1p(3)

# Facts worth telling a reader, per label: (feature, when it holds, how to say it).
_RULES: dict[Label, tuple[Rule, ...]] = {
    Label.SPAM: (
        ("spam_hits", lambda v: v > 0, lambda v: f"spam vocabulary ({round(math.expm1(v))} hits)"),
        # Site-profile facts are NaN without a profile, and NaN never holds.
        ("site_log_hosts", lambda v: v >= _LOG_3_HOSTS, lambda v: f"on {round(math.expm1(v))} hosts of the archive"),
        ("hidden", lambda v: v > 0, lambda v: "hidden from readers by markup"),
        ("top_word_share", lambda v: v >= 0.2, lambda v: f"keyword repetition ({v:.0%} one word)"),
        ("external_domains", lambda v: v > 0, lambda v: f"links to {round(math.expm1(v))} outside domain(s)"),
        ("script_mismatch", lambda v: v >= 0.5, lambda v: "in another script than the page"),
        ("similarity_to_rest", lambda v: v < 0.05, lambda v: f"off-topic (similarity {max(v, 0):.2f})"),
        ("text_p_spam", lambda v: v >= 0.5, lambda v: f"wording reads as spam ({v:.2f})"),
    ),
    Label.BOILERPLATE: (
        ("site_page_share", lambda v: v >= 0.5, lambda v: f"on {v:.0%} of the host's pages"),
        ("is_prefix_of_longer_block", lambda v: v > 0, lambda v: "teaser: repeats the start of a later block"),
        ("is_later_duplicate", lambda v: v > 0, lambda v: "repeats an earlier block"),
        ("link_char_share", lambda v: v >= 0.5, lambda v: f"mostly link text ({v:.0%})"),
        ("chrome_path_words", lambda v: v > 0, lambda v: "inside navigation/footer/sidebar markup"),
        ("ends_sentence", lambda v: v == 0, lambda v: "no sentence punctuation"),
        ("log_words", lambda v: v < _LOG_6_WORDS, lambda v: f"short ({round(math.expm1(v))} words)"),
        ("text_p_boilerplate", lambda v: v >= 0.5, lambda v: f"wording reads as site chrome ({v:.2f})"),
    ),
    Label.CONTENT: (
        ("ends_sentence", lambda v: v > 0, lambda v: "ends like a sentence"),
        ("text_p_content_mean_r7", lambda v: v >= 0.5, lambda v: "inside the page's prose region"),
        ("log_words", lambda v: v >= _LOG_20_WORDS, lambda v: f"{round(math.expm1(v))} words"),
    ),
}
MAX_REASONS = 3
# Said when none of the facts above holds: the verdict comes from all the features together.
NO_SINGLE_FACT = "no single fact stands out; the features read together"
# A share of one word says "keyword repetition" only over enough words: in a
# two-word anchor, or a CJK sentence that the word pattern reads as one word, it is 50-100%.
_REPETITION_MIN_LOG_WORDS = math.log1p(5)


def explain(row: np.ndarray, label: Label) -> tuple[str, ...]:
    """Up to three facts about the block that agree with ``label``; never none."""
    reasons = []
    few_words = row[_COLUMN["log_words"]] < _REPETITION_MIN_LOG_WORDS
    for feature, holds, say in _RULES[label]:
        if feature == "top_word_share" and few_words:
            continue
        value = float(row[_COLUMN[feature]])
        if holds(value):
            reasons.append(say(value))
        if len(reasons) == MAX_REASONS:
            break
    return tuple(reasons) or (NO_SINGLE_FACT,)
