"""The spam lexicon (parsing, matching) and the shipped word lists, tested like code."""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from spamguard.lexicon import SPAM_TERMS_RESOURCE, SpamLexicon, function_words, spam_lexicon, lower
from spamguard.synth import FAMILIES

SMALL_TSV = (
    "family\tlang\tterm\n"
    "gambling\ten\tcasino\n"
    "gambling\ten\tfree spins\n"
    "gambling\ttr\tdeneme bonusu veren siteler\n"
    "loans\ten\tpay-day loan\n"
    "escort\ttr\tescort bayan\n"
    "\n"
    "gambling\tzh\t百家乐\n"
    "escort\tja\t出会い系\n"
    "gambling\tth\tสล็อต\n"
)


@pytest.fixture(scope="module")
def small() -> SpamLexicon:
    return SpamLexicon.parse(SMALL_TSV)


def hits(lexicon: SpamLexicon, text: str) -> list[str]:
    return lexicon.hits(re.findall(r"\w+", lower(text)), text)


def test_parse_sorts_terms_by_script(small: SpamLexicon) -> None:
    assert small.spaced == {
        "casino": "gambling",
        "free spins": "gambling",
        "deneme bonusu veren siteler": "gambling",
        "pay day loan": "loans",
        "escort bayan": "escort",
    }
    assert small.unspaced == (("百家乐", "gambling"), ("出会い系", "escort"), ("สล็อต", "gambling"))
    assert small.longest == 4
    assert small.openers == frozenset({"free", "deneme", "pay", "escort"})


HIT_CASES = [
    # (id, text, expected families in order found)
    ("single word", "The new casino opened.", ["gambling"]),
    ("case-insensitive", "CASINO Casino casino", ["gambling"] * 3),
    ("no partial words", "casinos and scasino and casino_x", []),
    ("multi-word in the middle", "get free spins today", ["gambling"]),
    ("multi-word needs every word", "free of spins", []),
    ("punctuation in a term is a word break", "a pay day loan now", ["loans"]),
    ("long turkish term", "en iyi deneme bonusu veren siteler burada", ["gambling"]),
    ("chinese substring", "欢迎来到百家乐娱乐城百家乐", ["gambling", "gambling"]),
    ("japanese substring", "無料の出会い系サイト", ["escort"]),
    ("thai substring", "เว็บสล็อตออนไลน์", ["gambling"]),
    ("nothing", "The harbour terminal opens in spring.", []),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in HIT_CASES], ids=[case[0] for case in HIT_CASES])
def test_hits(small: SpamLexicon, text: str, expected: list[str]) -> None:
    assert hits(small, text) == expected


@pytest.mark.parametrize("text", ["get free spins", "free spins", "escort bayan"])
def test_multi_word_term_at_the_end_counts_once(small: SpamLexicon, text: str) -> None:
    assert len(hits(small, text)) == 1


def test_turkish_capitals_match(small: SpamLexicon) -> None:
    assert hits(small, "DENEME BONUSU VEREN SİTELER") == ["gambling"]


def test_empty_lexicon() -> None:
    lexicon = SpamLexicon.parse("family\tlang\tterm\n")
    assert lexicon.hits(["casino"], "casino") == []
    assert lexicon.longest == 1


# ---------------------------------------------------------------- the shipped lexicon


def _shipped_rows() -> list[list[str]]:
    text = resources.files("spamguard").joinpath("lexicons", SPAM_TERMS_RESOURCE).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "family\tlang\tterm"
    assert lines[-1] == "", "must end with a newline"
    return [line.split("\t") for line in lines[1:-1]]


def test_shipped_lexicon_is_well_formed() -> None:
    rows = _shipped_rows()
    assert all(len(row) == 3 for row in rows)
    assert rows == sorted(rows), "rows must be sorted"
    assert len({tuple(row) for row in rows}) == len(rows), "rows must be unique"
    for family, lang, term in rows:
        assert family in FAMILIES, family
        assert re.fullmatch(r"[a-z]{2}", lang), lang
        assert term == term.strip() and term, term
        assert term == term.lower(), term


def test_shipped_lexicon_loads_with_many_terms() -> None:
    lexicon = spam_lexicon()
    assert len(lexicon.spaced) + len(lexicon.unspaced) > 500
    assert spam_lexicon() is lexicon


def test_shipped_lexicon_covers_every_family_and_script() -> None:
    rows = _shipped_rows()
    assert {family for family, _, _ in rows} == set(FAMILIES)
    langs = {lang for _, lang, _ in rows}
    assert {"en", "tr", "id", "vi", "ru", "zh", "ja", "ko", "th"} <= langs
    assert len(langs) >= 10


SHIPPED_HITS = [
    ("turkish escort footer", "ankara escort çankaya escort escort bayan", "escort"),
    ("indonesian gambling", "slot gacor hari ini", "gambling"),
    ("vietnamese betting", "nhà cái uy tín", "gambling"),
    ("russian loans", "займ онлайн на карту", "loans"),
    ("chinese gambling", "澳门百家乐", "gambling"),
    ("korean gambling", "토토사이트 추천", "gambling"),
    ("thai gambling", "สล็อตเว็บตรง", "gambling"),
    ("english pharma", "buy viagra online", "pharma"),
    ("english essay mill", "write my essay cheap", "essay"),
    ("finnish casino", "Parhaat nettikasinot – ilmaiskierroksia heti", "gambling"),
    ("danish loans", "Kviklån uden kreditvurdering på 10 minutter", "loans"),
    ("bulgarian casino bonus", "Бонус без депозит и безплатни завъртания", "gambling"),
    ("lithuanian escort", "Eskorto paslaugos Vilniuje", "escort"),
]


@pytest.mark.parametrize(("text", "family"), [case[1:] for case in SHIPPED_HITS], ids=[case[0] for case in SHIPPED_HITS])
def test_shipped_lexicon_finds_spam(text: str, family: str) -> None:
    assert family in hits(spam_lexicon(), text)


@pytest.mark.parametrize("text", [
    "The council approved the budget for the new library on Tuesday.",
    "Belediye meclisi yeni kütüphane bütçesini salı günü onayladı.",
    "Dewan kota menyetujui anggaran perpustakaan baru pada hari Selasa.",
    "Городской совет во вторник утвердил бюджет новой библиотеки.",
    "Kaupunginvaltuusto hyväksyi tiistaina uuden kirjaston talousarvion.",
    "Общинският съвет одобри във вторник бюджета на новата библиотека.",
])
def test_shipped_lexicon_is_quiet_on_ordinary_news(text: str) -> None:
    assert hits(spam_lexicon(), text) == []


def test_data_copy_matches_the_packaged_lexicon() -> None:
    data_copy = Path(__file__).resolve().parents[1] / "data" / "lexicons" / SPAM_TERMS_RESOURCE
    if not data_copy.is_file():
        pytest.skip("no data/ checkout")
    packaged = resources.files("spamguard").joinpath("lexicons", SPAM_TERMS_RESOURCE).read_text(encoding="utf-8")
    assert data_copy.read_text(encoding="utf-8") == packaged


# ---------------------------------------------------------------- function words


@pytest.mark.parametrize("word", ["the", "and", "und", "der", "ve", "bir", "yang", "dan", "и", "не", "que", "的"])
def test_function_words_cover_many_languages(word: str) -> None:
    assert word in function_words()


def test_function_words_are_lower_case() -> None:
    words = function_words()
    assert len(words) > 5000
    assert all(word == word.lower() for word in words)
