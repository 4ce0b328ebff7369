"""Spam wording inside quotation marks: reported, not sold."""
from __future__ import annotations

import pytest

from spamguard.lexicon import SpamLexicon
from spamguard.quoting import spam_wording_only_quoted

LEXICON = SpamLexicon.parse(
    "family\tlang\tterm\ngambling\ten\tfree spins\ngambling\ttr\tbahis siteleri\nessay\tzh\t论文代写\n"
)


@pytest.mark.parametrize("text", [
    'The regulator warned about sites offering "free spins" to new players without a licence.',
    "Uzmanlar «bahis siteleri» ifadesinin gizli bağlantılarda sık geçtiğini söyledi.",
    "Die Polizei warnte vor Anzeigen mit „free spins“ und gefälschten Gewinnen.",
    "学校提醒学生警惕「论文代写」广告。",
    "广告常见说法包括“论文代写，原创保证”。",
])
def test_spam_terms_all_inside_quotation_marks_are_reported(text: str) -> None:
    assert spam_wording_only_quoted(text, LEXICON)


@pytest.mark.parametrize("text", [
    "Claim 50 free spins today, no deposit needed!",
    'Claim 50 free spins today, "no deposit" needed!',
    'The regulator fined the firm for "misleading" free spins offers.',
    'The council said the "new library" opens on Monday.',
    "The council said the new library opens on Monday.",
])
def test_spam_terms_outside_quotes_or_none_at_all_are_not(text: str) -> None:
    assert not spam_wording_only_quoted(text, LEXICON)
