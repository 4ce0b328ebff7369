"""Checks on the project's own spam/boilerplate/hard-negative data and on spamguard.synth."""
from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

import pytest

from spamguard.synth import FAMILIES, HIDE_ATTRS, SHAPES, SpamBank
from spamguard.train import negative_segments
from spamguard.types import Kind

DATA = Path(__file__).resolve().parent.parent / "data"

TSV_FILES = {
    "lexicons/spam-terms.tsv": ("family", "lang", "term"),
    "spam/keywords.tsv": ("family", "lang", "keyword"),
    "spam/places.tsv": ("lang", "place"),
    "spam/sentences.tsv": ("family", "lang", "template"),
    "boilerplate/snippets.tsv": ("kind", "lang", "text"),
    "held_out/spam/unseen-languages.tsv": ("family", "lang", "shape", "text"),
}
SENTENCE_SLOTS = {"kw", "link"}
BOILERPLATE_SLOTS = {"n", "site", "year", "name"}
BOILERPLATE_KINDS = {"counter", "banner", "share", "nav", "cookie", "copyright", "related",
                     "byline", "author-bio"}


def _rows(rel: str) -> list[tuple[str, ...]]:
    lines = (DATA / rel).read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", f"{rel}: must end with a newline"
    return [tuple(line.split("\t")) for line in lines[1:-1]]


def _text_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.suffix in {".tsv", ".txt", ".md"})


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_text_file_is_clean_utf8(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert b"\r" not in raw
    assert not text.startswith("\ufeff")
    for i, line in enumerate(text.split("\n"), 1):
        assert line == line.rstrip(), f"{path}:{i}: trailing whitespace"


@pytest.mark.parametrize("rel", sorted(TSV_FILES))
def test_tsv_shape(rel: str) -> None:
    header = TSV_FILES[rel]
    first = (DATA / rel).read_text(encoding="utf-8").split("\n", 1)[0]
    assert tuple(first.split("\t")) == header
    rows = _rows(rel)
    assert rows
    for i, row in enumerate(rows, 2):
        assert len(row) == len(header), f"{rel}:{i}: {row}"
        assert all(field.strip() == field and field for field in row), f"{rel}:{i}: {row}"
    assert len(set(rows)) == len(rows), f"{rel}: duplicate rows"


def test_spam_terms_sorted_lowercase() -> None:
    rows = _rows("lexicons/spam-terms.tsv")
    assert rows == sorted(rows)
    assert all(term == term.lower() for _, _, term in rows)
    # Vietnamese writes one syllable per space-separated token, so its phrases run longer.
    assert all(len(t.split()) <= (6 if lang == "vi" else 4) for _, lang, t in rows)
    assert {f for f, _, _ in rows} == set(FAMILIES)
    langs = {lang for _, lang, _ in rows}
    assert {"en", "tr", "id", "vi", "ru", "uk", "zh", "ja", "ko", "th", "es", "pt", "de", "fr",
            "it", "pl", "ar"} <= langs
    terms = {t for _, _, t in rows}
    assert {"escort bayan", "slot gacor", "スーパーコピー", "togel online"} <= terms


@pytest.mark.parametrize("rel", ["spam/keywords.tsv", "spam/sentences.tsv"])
def test_every_family_in_three_languages(rel: str) -> None:
    by_family: dict[str, set[str]] = defaultdict(set)
    for fam, lang, _ in _rows(rel):
        by_family[fam].add(lang)
    for fam in FAMILIES:
        assert len(by_family[fam]) >= 3, f"{rel}: {fam} only in {sorted(by_family[fam])}"
    assert len(set().union(*by_family.values())) >= 10


def test_sentence_slots_satisfiable() -> None:
    kw_langs: dict[str, set[str]] = defaultdict(set)
    for fam, lang, _ in _rows("spam/keywords.tsv"):
        kw_langs[fam].add(lang)
    all_kw_langs = set().union(*kw_langs.values())
    for fam, lang, tpl in _rows("spam/sentences.tsv"):
        slots = set(re.findall(r"\{(\w+)\}", tpl))
        assert slots <= SENTENCE_SLOTS, tpl
        assert "{link}" in tpl, tpl
        assert tpl.count("{") == tpl.count("}") == len(re.findall(r"\{\w+\}", tpl)), tpl
        if fam == "generic":
            assert lang in all_kw_langs, f"no keywords for generic template in {lang}"
        else:
            assert fam in FAMILIES
            assert lang in kw_langs[fam], f"no {fam}/{lang} keywords for: {tpl}"
    assert len(_rows("spam/sentences.tsv")) >= 250


def test_boilerplate_snippets() -> None:
    rows = _rows("boilerplate/snippets.tsv")
    assert {k for k, _, _ in rows} == BOILERPLATE_KINDS
    for _, _, text in rows:
        assert set(re.findall(r"\{(\w+)\}", text)) <= BOILERPLATE_SLOTS, text
    assert {"en", "tr", "id", "ru", "es", "de", "fr", "zh", "ja"} <= {lang for _, lang, _ in rows}


def test_places_cover_keyword_languages() -> None:
    assert len({lang for lang, _ in _rows("spam/places.tsv")}) >= 10


# Training reads the first folder only; the second is the benchmark's held-out check.
HARD_NEGATIVES = sorted([*(DATA / "hard_negatives").glob("*.txt"), *(DATA / "held_out" / "hard_negatives").glob("*.txt")])


def test_hard_negatives_exist() -> None:
    names = {p.stem for p in HARD_NEGATIVES}
    for required in ("en-police-escort", "en-reference-list", "tr-police-escort-news",
                     "id-judi-regulation", "en-naval-escort", "zh-news", "ja-news"):
        assert required in names
    assert (DATA / "hard_negatives" / "README.md").is_file()
    assert (DATA / "held_out" / "README.md").is_file()


@pytest.mark.parametrize("path", HARD_NEGATIVES, ids=lambda p: p.name)
def test_hard_negative_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.strip()
    assert text.endswith("\n") and not text.endswith("\n\n")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    title, body = paragraphs[0].split("\n")[0], paragraphs[1:]
    assert title and "\n" not in paragraphs[0], "first paragraph must be a single title line"
    assert 3 <= len(body) <= 12


# -- synth -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bank() -> SpamBank:
    return SpamBank.load(DATA)


def test_synth_deterministic(bank: SpamBank) -> None:
    a = [bank.sample(random.Random(42)) for _ in range(3)]
    b = [bank.sample(random.Random(42)) for _ in range(3)]
    assert a == b
    r1, r2 = random.Random(7), random.Random(7)
    assert [bank.sample(r1) for _ in range(50)] == [bank.sample(r2) for _ in range(50)]
    assert bank.sample_boilerplate(random.Random(3)) == bank.sample_boilerplate(random.Random(3))


def test_synth_every_shape_and_sentence_most_common(bank: SpamBank) -> None:
    rng = random.Random(0)
    counts = defaultdict(int)
    for _ in range(600):
        snip = bank.sample(rng)
        counts[snip.shape] += 1
        assert snip.text_blocks and all(b.strip() for b in snip.text_blocks)
        assert "<a href=" in snip.html
        assert "{" not in "".join(snip.text_blocks)
    assert set(counts) == set(SHAPES)
    assert max(counts, key=counts.get) == "sentence"


def test_synth_hidden_carries_hiding(bank: SpamBank) -> None:
    rng = random.Random(1)
    for _ in range(60):
        snip = bank.sample(rng, shapes=["hidden"])
        assert snip.shape == "hidden"
        opening = snip.html.split(">", 1)[0]
        assert any(attr in opening for attr in HIDE_ATTRS), opening


def test_synth_filters(bank: SpamBank) -> None:
    rng = random.Random(2)
    for _ in range(100):
        snip = bank.sample(rng, families={"gambling", "escort"}, langs={"tr", "id"},
                           shapes={"sentence", "stuffed"})
        assert snip.family in {"gambling", "escort"}
        assert snip.lang in {"tr", "id"}
        assert snip.shape in {"sentence", "stuffed"}
    with pytest.raises(ValueError):
        bank.sample(rng, langs={"xx"})


def test_synth_sizes(bank: SpamBank) -> None:
    rng = random.Random(4)
    for _ in range(40):
        snip = bank.sample(rng, shapes=["anchors"])
        assert 3 <= len(snip.text_blocks) <= 15
        snip = bank.sample(rng, shapes=["stuffed"])
        assert len(snip.text_blocks) == 1 and 10 <= snip.html.count("<a ") <= 40


def test_synth_families_langs(bank: SpamBank) -> None:
    assert bank.families() == sorted(FAMILIES)
    assert len(bank.langs()) >= 10


def test_synth_with_sources_dir(tmp_path: Path) -> None:
    (tmp_path / "sinfonietta-hosts").mkdir()
    (tmp_path / "sinfonietta-hosts" / "gambling-hosts").write_text(
        "# comment\n0.0.0.0 example-bet.test\n", encoding="utf-8")
    bank = SpamBank.load(DATA, tmp_path)
    rng = random.Random(5)
    hosts = set()
    for _ in range(80):
        snip = bank.sample(rng, families=["gambling"], shapes=["anchors"])
        hosts.update(re.findall(r'href="https?://([^/"]+)', snip.html))
    assert "example-bet.test" in hosts
    assert "comment" not in "".join(hosts)


def test_sample_boilerplate(bank: SpamBank) -> None:
    rng = random.Random(6)
    for kind in BOILERPLATE_KINDS:
        text = bank.sample_boilerplate(rng, kind)
        assert text and "{" not in text
    assert bank.sample_boilerplate(rng, "counter", "tr")
    with pytest.raises(ValueError):
        bank.sample_boilerplate(rng, "counter", "xx")


@pytest.mark.parametrize("path", HARD_NEGATIVES, ids=lambda p: p.name)
def test_hard_negative_reads_alike_in_every_kind(path: Path) -> None:
    """Training shows each hard negative as text, Markdown and HTML: the same blocks, URLs as links."""
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    views = {kind: negative_segments(paragraphs, kind) for kind in Kind}
    assert {kind: len(segments) for kind, segments in views.items()} == {kind: len(paragraphs) for kind in Kind}
    for paragraph, *segments in zip(paragraphs, *views.values()):
        has_url = "://" in paragraph
        assert [segment.links.count > 0 for segment in segments] == [False, has_url, has_url]


def test_real_spam_comments_come_from_the_training_files_only(tmp_path: Path) -> None:
    comments = tmp_path / "tubespam-uci"
    comments.mkdir()
    header = "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n"
    (comments / "Youtube01-Psy.csv").write_text(
        header + 'a,x,d,"Check out my channel please, new video every day!<br />\ufeff",1\n'
        'b,y,d,"This song is so good, I listen to it every morning",0\n'
        'c,z,d,"sub pls",1\n', encoding="utf-8")
    (comments / "Youtube05-Shakira.csv").write_text(
        header + 'd,x,d,"Held out: visit my page for free gift cards today",1\n', encoding="utf-8")
    bank = SpamBank.load(DATA, tmp_path)
    assert bank.comments == {("promo", "en"): ("Check out my channel please, new video every day!",)}
    rng = random.Random(1)
    real = [bank.sample(rng, families=["promo"], langs=["en"]) for _ in range(400)]
    chosen = [snip for snip in real if snip.text_blocks[0].startswith("Check out my channel please, new video")]
    assert chosen and all(snip.shape == "sentence" for snip in chosen)
    assert all(snip.html.startswith("<p>Check out my channel") for snip in chosen)
