"""Spam wording an article quotes: a warning that cites "free spins" is not selling them.

News about scams, court reports and regulators' notices quote the phrases
spam uses, and one quoted phrase can make a paragraph read as spam to the
model. Spam names its offer; it seldom puts its own keywords in quotation
marks, so a block whose every spam term sits inside quotation marks reports
spam rather than being it.
"""
from __future__ import annotations

import re

from spamguard.lexicon import SpamLexicon

# Opening and closing marks of a quotation, by writing tradition. Single quotes
# are left out: they are apostrophes as often as quotation marks.
_QUOTE_PAIRS = (
    ('"', '"'),  # typewriter
    ("“", "”"),  # English
    ("„", "“"),  # German, Czech, Polish
    ("„", "”"),  # Polish, Romanian, Hungarian
    ("«", "»"),  # French, Russian, Turkish, Persian
    ("»", "«"),  # German, Danish
    ("「", "」"),  # Chinese, Japanese
    ("『", "』"),
    ("《", "》"),  # Chinese titles
)
# A quotation is a phrase or a sentence, never a whole paragraph.
_MAX_QUOTE_CHARS = 160
_QUOTED = re.compile("|".join(
    f"{re.escape(opening)}[^{re.escape(closing)}\n]{{1,{_MAX_QUOTE_CHARS}}}{re.escape(closing)}"
    for opening, closing in _QUOTE_PAIRS
))


def spam_wording_only_quoted(text: str, lexicon: SpamLexicon) -> bool:
    """Whether ``text`` has spam vocabulary and all of it inside quotation marks."""
    unquoted = _QUOTED.sub(" ", text)
    if unquoted == text or not lexicon.families_in(text):
        return False
    return not lexicon.families_in(unquoted)


def mostly_unquoted(text: str) -> bool:
    """Whether quotations take up at most half of ``text``: a headline that cites a phrase, not the phrase alone."""
    return len(_QUOTED.sub("", text)) * 2 >= len(text)
