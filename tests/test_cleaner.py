"""Cleaner behaviour with the shipped model: the seed's shape, hard negatives, spam in many languages, the API."""
from __future__ import annotations

import html
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

import spamguard
from conftest import FIXTURES, SeedParts, block_of, describe, flat, paragraphs_of, read_fixture, seed_shape_failures
from bad_inputs import too_deep_html
from spamguard import Block, CleanResult, Kind, Label
from spamguard.clean import _PREDICT_ROWS, HEADER_LINE, _predict_proba, clean_each
from spamguard.features import FEATURE_NAMES, FEATURE_VERSION
from spamguard.segment import MarkupError
from spamguard.types import Document, Segment


def params(values, key=str):
    """``values`` as pytest params with readable ids."""
    return [pytest.param(value, id=key(value)) for value in values]


SEED_LIKE = read_fixture("seed_like.txt")
PARTS = SeedParts.of(SEED_LIKE)
ARTICLE = (PARTS.title, *PARTS.paragraphs)


@pytest.fixture(scope="module")
def seed_result(cleaner) -> CleanResult:
    return cleaner.clean(SEED_LIKE)


# ---------------------------------------------------------------- the seed's shape


def test_seed_like_fixture(seed_result: CleanResult) -> None:
    assert seed_shape_failures(SEED_LIKE, seed_result) == []


def test_seed_like_title_and_paragraphs_are_content(seed_result: CleanResult) -> None:
    wrong = [describe(block_of(seed_result, part)) for part in ARTICLE
             if block_of(seed_result, part).label is not Label.CONTENT]
    assert wrong == []


def test_seed_like_footer_reasons_speak_of_spam(seed_result: CleanResult) -> None:
    footer = block_of(seed_result, PARTS.footer)
    assert any("spam vocabulary" in reason for reason in footer.reasons)


def test_seed_like_is_idempotent(cleaner, seed_result: CleanResult) -> None:
    twice = cleaner.clean(seed_result.text)
    for part in ARTICLE:
        assert part.strip() in twice.text
    lost = [describe(block) for block in twice.removed if any(block.text == flat(part) for part in ARTICLE)]
    assert lost == []


def test_seed_like_removed_text_is_gone(seed_result: CleanResult) -> None:
    for line in (PARTS.nav, PARTS.banner, PARTS.counter, PARTS.footer):
        assert line not in seed_result.text
    assert PARTS.teaser.split("\n")[1].strip() not in seed_result.text


# ---------------------------------------------------------------- hard negatives


def _hard_negatives() -> list[Path]:
    return sorted((FIXTURES / "hard_negatives").iterdir())


@pytest.mark.parametrize("path", params(_hard_negatives(), key=lambda path: path.name))
def test_hard_negative_is_kept_whole(cleaner, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    result = cleaner.clean(source)
    expected_kind = {".txt": Kind.TEXT, ".md": Kind.MARKDOWN, ".html": Kind.HTML}[path.suffix]
    assert result.kind is expected_kind
    assert [describe(block) for block in result.removed] == []
    if expected_kind is Kind.TEXT:
        assert result.text == source
        assert len(result.blocks) == len(paragraphs_of(source))


def test_hard_negatives_cover_the_cases_asked_for() -> None:
    names = {path.stem for path in _hard_negatives()}
    assert {"en-police-escort", "en-gambling-regulation", "en-pharmacy-product", "reference-list",
            "tr-news", "id-news"} <= names
    assert len({name.split("-")[0] for name in names if name != "reference-list"}) >= 6


def test_hard_negative_paragraphs_inside_an_article_are_kept(cleaner) -> None:
    """Hard-negative paragraphs spliced into the seed-shaped article stay, and so does the article."""
    inserted = paragraphs_of(read_fixture("hard_negatives/en-police-escort.txt"))[1:3]
    inserted += paragraphs_of(read_fixture("hard_negatives/en-gambling-regulation.txt"))[1:2]
    source = SEED_LIKE.replace(PARTS.paragraphs[3], PARTS.paragraphs[3] + "\n\n" + "\n\n".join(inserted))
    result = cleaner.clean(source)
    lost = [describe(block_of(result, text)) for text in (*inserted, *ARTICLE) if text.strip() not in result.text]
    assert lost == []


# ---------------------------------------------------------------- spam in many languages

SPAM_LANGS = ("en", "tr", "id", "ru", "es", "zh", "vi")
TEXT_SHAPES = ("stuffed", "anchors", "sentence")


def _article_text() -> str:
    return "\n\n".join(part.strip() for part in ARTICLE) + "\n"


def _with_spam(shape: str, spam: str) -> str:
    """The article with ``spam`` where that shape turns up in the wild."""
    paragraphs = [part.strip() for part in ARTICLE]
    if shape == "sentence":
        # Comment-style spam in the flow of the article, after the fourth paragraph.
        paragraphs.insert(5, spam)
    else:
        paragraphs.append(spam)
    return "\n\n".join(paragraphs) + "\n"


def _article_html(extra: str) -> str:
    body = "\n".join(
        [f"<h1>{html.escape(PARTS.title)}</h1>"]
        + [f"<p>{html.escape(flat(paragraph))}</p>" for paragraph in PARTS.paragraphs[:5]]
        + [extra]
        + [f"<p>{html.escape(flat(paragraph))}</p>" for paragraph in PARTS.paragraphs[5:]]
    )
    return (
        "<!DOCTYPE html>\n<html><head><title>Danube Ledger</title></head>\n<body>\n"
        f'<article class="post-content">\n{body}\n</article>\n</body></html>\n'
    )


def _spam_failures(result: CleanResult, spam_texts: list[str]) -> list[str]:
    problems = [f"spam kept: {describe(block_of(result, text))}" for text in spam_texts
                if not (block_of(result, text).label is Label.SPAM and block_of(result, text).removed)]
    problems += [f"article lost: {describe(block_of(result, part))}" for part in ARTICLE
                 if block_of(result, part).removed]
    return problems


@pytest.mark.parametrize("case", params([f"{lang}-{shape}" for lang in SPAM_LANGS for shape in TEXT_SHAPES]))
def test_text_spam_is_removed(cleaner, case: str) -> None:
    shape = case.split("-")[1]
    spam = read_fixture(f"spam/{case}.txt").strip("\n")
    result = cleaner.clean(_with_spam(shape, spam), kind="text")
    assert _spam_failures(result, spam.split("\n")) == []


@pytest.mark.parametrize("lang", SPAM_LANGS)
def test_hidden_html_spam_is_removed(cleaner, lang: str) -> None:
    snippet = read_fixture(f"spam/{lang}-hidden.html").strip()
    result = cleaner.clean(_article_html(snippet), url="https://danube-ledger.example/news/quay")
    assert result.kind is Kind.HTML
    anchors = [flat(html.unescape(part.rsplit(">", 1)[1])) for part in snippet.split("</a>")[:-1]]
    spam_text = " ".join(anchors)
    spam_blocks = [block for block in result.blocks if all(anchor in block.text for anchor in anchors)]
    assert spam_blocks, f"no block holds {spam_text!r}"
    problems = [f"spam kept: {describe(block)}" for block in spam_blocks
                if not (block.label is Label.SPAM and block.removed)]
    problems += [f"article lost: {describe(block_of(result, part))}" for part in ARTICLE
                 if block_of(result, part).removed]
    assert problems == []
    assert anchors[0] not in result.text


@pytest.mark.parametrize("lang", SPAM_LANGS)
def test_hidden_spam_links_inside_an_article_paragraph_go_and_the_paragraph_stays(cleaner, lang: str) -> None:
    snippet = read_fixture(f"spam/{lang}-hidden.html").strip()
    hiding, links = snippet.split(">", 1)
    hidden_span = f"<span{hiding.removeprefix('<div')}>{links.removesuffix('</div>')}</span>"
    paragraph = flat(PARTS.paragraphs[2])
    first_sentence, rest = paragraph.split(". ", 1)
    page = _article_html("").replace(
        f"<p>{html.escape(paragraph)}</p>", f"<p>{html.escape(first_sentence)}.{hidden_span} {html.escape(rest)}</p>")
    result = cleaner.clean(page, url="https://danube-ledger.example/news/quay")
    anchor = flat(html.unescape(links.split("</a>")[0].rsplit(">", 1)[1]))
    (spam,) = [block for block in result.blocks if anchor in block.text]
    assert (spam.label, spam.removed) == (Label.SPAM, True), describe(spam)
    assert "hidden from readers by markup" in spam.reasons
    assert anchor not in result.text
    assert _spam_failures(result, []) == []


def _more_spam() -> list[Path]:
    return sorted((FIXTURES / "spam" / "more").iterdir())


@pytest.mark.parametrize("path", params(_more_spam(), key=lambda path: path.stem))
def test_spam_of_more_families_and_languages_is_removed(cleaner, path: Path) -> None:
    """Work-from-home and recovery scams, self-promotion, and spam in Hindi, Dutch, Czech, Greek, Swedish."""
    spam = path.read_text(encoding="utf-8").strip("\n")
    result = cleaner.clean(_with_spam("sentence", spam), kind="text")
    assert _spam_failures(result, [spam]) == []


def test_a_spam_verdict_needs_more_confidence_on_prose_unless_it_points_to_another_site(cleaner) -> None:
    texts = ["The council voted on Tuesday to fund longer opening hours at the library.",
             "Great article! I got approved in ten minutes at https://quick-payday-cash.example today.",
             "Great article! I got approved in ten minutes at the new place today.",
             "Police said the ring sold escort ads and casino bonuses on hacked council pages.",
             "escort istanbul vip escort bayan"]
    segments, offset = [], 0
    for line, text in enumerate(texts, start=1):
        segments.append(Segment(text=text, start=offset, end=offset + len(text), line=line))
        offset += len(text) + 1
    classes = [Label.CONTENT, Label.BOILERPLATE, Label.SPAM]
    leaning = [0.3, 0.2, 0.5]
    fairly_sure = [0.1, 0.1, 0.8]
    probabilities = np.array([[0.9, 0.05, 0.05], leaning, leaning, fairly_sure, fairly_sure])
    blocks = cleaner._judge(Document(segments=tuple(segments), kind=Kind.TEXT, url=""), "\n".join(texts), "",
                            np.zeros((len(texts), len(FEATURE_NAMES))), probabilities, classes)
    assert [block.removed for block in blocks] == [False, True, False, False, True]
    assert blocks[1].reasons[0] == "leans to spam (0.50) and points to another site"
    assert blocks[2].reasons[0] == "kept: not confident enough for prose (0.50 < 0.90)"
    assert blocks[3].reasons[0] == "kept: not confident enough for prose (0.80 < 0.90)"


def test_spam_fixtures_cover_six_languages_and_every_shape() -> None:
    files = {path.name for path in (FIXTURES / "spam").iterdir()}
    for lang in SPAM_LANGS:
        assert {f"{lang}-{shape}.txt" for shape in TEXT_SHAPES} | {f"{lang}-hidden.html"} <= files
    assert len(SPAM_LANGS) >= 6


# ---------------------------------------------------------------- API


def test_result_shape(seed_result: CleanResult) -> None:
    assert isinstance(seed_result.text, str)
    assert isinstance(seed_result.blocks, tuple) and all(isinstance(b, Block) for b in seed_result.blocks)
    assert seed_result.kind is Kind.TEXT
    starts = [block.start for block in seed_result.blocks]
    assert starts == sorted(starts)
    assert seed_result.removed == tuple(block for block in seed_result.blocks if block.removed)
    assert seed_result.removed
    for block in seed_result.blocks:
        assert flat(SEED_LIKE[block.start:block.end]) == block.text
        assert SEED_LIKE.count("\n", 0, block.start) + 1 == block.line
        assert 0.0 <= block.score <= 1.0
        assert isinstance(block.label, Label)
        assert all(isinstance(reason, str) and reason for reason in block.reasons)


def test_every_block_carries_reasons(seed_result: CleanResult) -> None:
    assert all(block.reasons for block in seed_result.blocks)


def test_content_the_model_is_unsure_of_says_what_else_it_may_be(cleaner) -> None:
    unsure = [block for path in _hard_negatives() for block in cleaner.clean(path.read_text(encoding="utf-8")).blocks
              if block.label is Label.CONTENT and block.score < cleaner.threshold]
    assert unsure, "no unsure content block among the hard negatives: pick another document"
    for block in unsure:
        assert re.fullmatch(r"not sure it is content \((boilerplate|spam) 0\.\d\d\)", block.reasons[0]), describe(block)


def test_uncertain_blocks_are_kept_and_say_so(seed_result: CleanResult, cleaner) -> None:
    for block in seed_result.blocks:
        if block.label is not Label.CONTENT and block.score < cleaner.threshold:
            if block.reasons[0] == HEADER_LINE:
                continue  # the one removal not the model's: a header strip above the headline
            assert not block.removed
            assert block.reasons[0].startswith("kept: not confident")


TRAM = [
    "The city council met on Tuesday to discuss the new tram line, which will connect the old harbour with the "
    "university campus by 2027.",
    "Residents raised concerns about noise during construction, and the council promised night work would be "
    "limited to two weeks. Shops along the route will get help with their rent while the street is closed.",
    "The project is funded jointly by the regional government and a European infrastructure grant worth 40 "
    "million euros.",
]
LOANS = ('<a href="https://fast-loans-247.top/">payday loans same day</a> '
         '<a href="https://fast-loans-247.top/b">bad credit loans</a>')


@pytest.mark.parametrize("style, wrap", [
    ("", "{}"),
    ("<style>.rl{display:none}</style>", '<span class="rl">{}</span>'),
    ("", '<span style="display:none">{}</span>'),
    ("", "For the best rates on {} with bad credit, visit us today."),
])
def test_spam_links_riding_on_an_html_paragraph_go_and_the_paragraph_stays(cleaner, style: str, wrap: str) -> None:
    body = "".join(f"<p>{text}{' ' + wrap.format(LOANS) if index == 1 else ''}</p>" for index, text in enumerate(TRAM))
    result = cleaner.clean(f"<html><head><title>Tram</title>{style}</head><body><h1>Tram</h1>{body}</body></html>",
                           kind="html", url="https://city.example/tram")
    assert all(text in result.text for text in TRAM)
    assert "payday" not in result.text


def test_spam_links_riding_on_a_markdown_paragraph_go_and_the_paragraph_stays(cleaner) -> None:
    riders = "[payday loans same day](https://fast-loans-247.top/) [bad credit loans](https://fast-loans-247.top/b)"
    source = "# Tram\n\n" + "\n\n".join(f"{text} {riders}" if index == 1 else text for index, text in enumerate(TRAM))
    result = cleaner.clean(source + "\n", kind="markdown")
    assert result.text == "# Tram\n\n" + "\n\n".join(TRAM) + "\n"


# Sentences appended to a plain-text paragraph: spam in several languages, then sentences a reporter writes.
RIDING_SPAM = [
    "Best online casino bonus at https://slot-gacor88.xyz daftar sekarang!",
    "Buy cheap viagra online without prescription at www.pharma-cheap.top",
    "Viagra kaufen ohne Rezept, günstig und diskret geliefert – jetzt bestellen!",
    "Situs slot gacor hari ini gampang menang, daftar sekarang di slot88!",
    "Visit https://essaywriter.shop for cheap essay writing service. Thanks for sharing!",
]
REPORTERS_LAST_SENTENCES = [
    "The full plan is published at https://www.city.example/transport/tram-plan.pdf.",
    "The study was published in Nature (https://doi.org/10.1038/s41586-019-1234-5).",
    "Police warned that online casino and sports betting sites often target teenagers.",
    "The pharmacy sells generic viagra only with a doctor's prescription, the regulator said.",
    "Critics say payday loans trap borrowers in debt, and the bill caps interest at 36 percent.",
]


@pytest.mark.parametrize("spam", RIDING_SPAM)
def test_spam_riding_on_a_plain_text_paragraph_goes_and_the_paragraph_stays(cleaner, spam: str) -> None:
    source = "\n\n".join(f"{text} {spam}" if index == 1 else text for index, text in enumerate(TRAM)) + "\n"
    result = cleaner.clean(source, kind="text")
    assert "\n\n".join(TRAM) + "\n" in result.text
    assert block_of(result, spam).label is Label.SPAM
    assert spam not in result.text


@pytest.mark.parametrize("sentence", REPORTERS_LAST_SENTENCES)
def test_a_paragraph_ending_on_a_link_or_a_spam_trade_stays_whole(cleaner, sentence: str) -> None:
    paragraph = f"{TRAM[1]} {sentence}"
    source = "\n\n".join(paragraph if index == 1 else text for index, text in enumerate(TRAM)) + "\n"
    result = cleaner.clean(source, kind="text")
    assert result.text == source
    assert not block_of(result, paragraph).removed


@pytest.mark.parametrize("kind, paragraph", [
    ("html", "<p>{} Great post! Get <a href='https://fast-loans-247.top/'>payday loans same day</a>. Thanks!</p>"),
    ("markdown", "{} Great post! Get [payday loans same day](https://fast-loans-247.top/). Thanks!"),
    ("text", "{} Great post! Get payday loans same day at https://fast-loans-247.top/ now. Thanks!"),
])
def test_spam_sentences_ending_without_a_link_go_and_the_paragraph_stays(cleaner, kind: str, paragraph: str) -> None:
    wrap = "<p>{}</p>" if kind == "html" else "{}"
    body = "\n\n".join(paragraph.format(text) if index == 1 else wrap.format(text) for index, text in enumerate(TRAM))
    result = cleaner.clean(f"<html><body>{body}</body></html>" if kind == "html" else body, kind=kind)
    assert all(text in result.text for text in TRAM)
    assert "payday" not in result.text
    assert any(block.removed and block.label is Label.SPAM and block.text.startswith("Get payday")
               for block in result.blocks)


def test_block_to_dict(seed_result: CleanResult) -> None:
    block = seed_result.blocks[0]
    data = block.to_dict()
    assert data == {
        "text": block.text, "start": block.start, "end": block.end, "line": block.line,
        "label": block.label.value, "score": round(block.score, 4), "removed": block.removed,
        "reasons": list(block.reasons),
    }
    assert json.loads(json.dumps(seed_result.to_dict()))["blocks"][0] == data
    assert seed_result.to_dict()["kind"] == "text"


def test_label_values() -> None:
    assert {label.value for label in Label} == {"content", "boilerplate", "spam"}
    assert Label("spam") is Label.SPAM
    assert Label.CONTENT == "content"


def test_kept_blocks_come_back_unchanged_and_in_order(seed_result: CleanResult) -> None:
    position = 0
    for block in seed_result.blocks:
        if not block.removed:
            span = SEED_LIKE[block.start:block.end]
            found = seed_result.text.find(span, position)
            assert found >= 0, describe(block)
            position = found + len(span)
    assert len(seed_result.text) < len(SEED_LIKE)


def test_nothing_removed_returns_the_source_unchanged(cleaner) -> None:
    source = read_fixture("hard_negatives/de-news.txt").replace("\n", "\r\n")
    result = cleaner.clean(source, kind="text")
    if result.removed:
        pytest.fail("; ".join(describe(block) for block in result.removed))
    assert result.text == source


def test_crlf_survives_removal(cleaner) -> None:
    source = _with_spam("sentence", read_fixture("spam/en-stuffed.txt").strip()).replace("\n", "\r\n")
    result = cleaner.clean(source, kind="text")
    assert result.removed
    for part in ARTICLE:
        assert part.strip().replace("\n", "\r\n") in result.text
    assert "\n" not in result.text.replace("\r\n", "")


def test_crlf_survives_removal_of_the_last_block() -> None:
    from spamguard.clean import _kept_text

    source = "Kept line.\r\nRemoved line.\r\n"
    blocks = (
        Block(text="Kept line.", start=0, end=10, line=1, label=Label.CONTENT, score=1.0, removed=False),
        Block(text="Removed line.", start=12, end=25, line=2, label=Label.SPAM, score=1.0, removed=True),
    )
    assert _kept_text(source, blocks, Kind.TEXT) == "Kept line.\r\n"


FORCED = [
    ("text", Kind.TEXT, ["# A heading", "A paragraph with <b>bold</b> words."]),
    ("markdown", Kind.MARKDOWN, ["A heading", "A paragraph with <b>bold</b> words."]),
    (Kind.MARKDOWN, Kind.MARKDOWN, ["A heading", "A paragraph with <b>bold</b> words."]),
    ("html", Kind.HTML, ["# A heading A paragraph with bold words."]),
]


@pytest.mark.parametrize(("kind", "expected", "texts"), FORCED)
def test_kind_can_be_forced(cleaner, kind, expected: Kind, texts: list[str]) -> None:
    result = cleaner.clean("# A heading\n\nA paragraph with <b>bold</b> words.\n", kind=kind)
    assert result.kind is expected
    assert [block.text for block in result.blocks] == texts


def test_unknown_kind_is_refused(cleaner) -> None:
    with pytest.raises(ValueError):
        cleaner.clean("text", kind="pdf")


def test_auto_detects_each_kind(cleaner) -> None:
    assert cleaner.clean(SEED_LIKE).kind is Kind.TEXT
    assert cleaner.clean(read_fixture("hard_negatives/reference-list.md")).kind is Kind.MARKDOWN
    assert cleaner.clean(read_fixture("hard_negatives/reference-list.html")).kind is Kind.HTML


@pytest.mark.parametrize("source", ["", "\n\n  \n", "<html><body></body></html>"])
def test_empty_documents(cleaner, source: str) -> None:
    result = cleaner.clean(source)
    assert result.blocks == ()
    assert result.removed == ()


DEEP_HTML = too_deep_html("Deep text.")


def test_clean_each_returns_the_parser_error_for_its_document_and_cleans_the_rest(cleaner) -> None:
    page = "<html><body><p>The bridge opens on Monday after two years of work.</p></body></html>"
    deep, result = clean_each(cleaner, [DEEP_HTML, page], kind="html", urls=["https://a.example/", None])
    assert isinstance(deep, MarkupError)
    assert result == cleaner.clean(page, kind="html")
    with pytest.raises(MarkupError):
        cleaner.clean_many([DEEP_HTML, page], kind="html")


def test_prediction_in_chunks_gives_the_same_numbers_as_one_call(cleaner) -> None:
    classifier = cleaner._model.pipeline[-1]
    rows = np.random.default_rng(0).normal(size=(2 * _PREDICT_ROWS + 7, len(FEATURE_NAMES)))
    assert np.array_equal(_predict_proba(classifier, rows), classifier.predict_proba(rows))


def test_lone_surrogates_read_as_replacement_characters(cleaner) -> None:
    # As `surrogateescape` decoding leaves an undecodable byte; UTF-8 cannot hold it.
    source = "The ferry leaves at nine \udcff every morning from the old harbour.\n\nTickets cost four euros."
    result = cleaner.clean(source, kind="text")
    assert result.text == source.replace("\udcff", "\ufffd")
    assert [(b.start, b.end) for b in result.blocks] == [(0, source.index("\n")), (source.index("Tickets"), len(source))]
    result.text.encode("utf-8")


MARKDOWN_FRONT = "---\ntitle: Casino night raises money for the school\ntags: [casino, charity]\n---\n"
MARKDOWN_CODE = "```sh\ncurl https://cheap-viagra.example/buy?viagra=cheap\n```\n"
MARKDOWN_INDENTED = "    slot gacor maxwin slot gacor\n"
MARKDOWN_FOOTER = read_fixture("spam/en-stuffed.txt").strip()


def _markdown_article() -> str:
    p = [part.strip() for part in ARTICLE[:5]]
    return (
        f"{MARKDOWN_FRONT}\n{p[0]}\n\n{p[1]}\n\n{MARKDOWN_CODE}\n{p[2]}\n\n{MARKDOWN_INDENTED}\n"
        f"{p[3]}\n\n{MARKDOWN_FOOTER}\n\n{p[4]}\n"
    )


def test_markdown_code_between_kept_blocks_is_untouched_and_spam_removed(cleaner) -> None:
    result = cleaner.clean(_markdown_article())
    assert result.kind is Kind.MARKDOWN
    assert MARKDOWN_CODE in result.text
    assert MARKDOWN_INDENTED in result.text
    assert MARKDOWN_FOOTER not in result.text, describe(block_of(result, MARKDOWN_FOOTER))
    for part in ARTICLE[:5]:
        assert part.strip() in result.text


def test_markdown_front_matter_and_code_survive_any_removal(cleaner) -> None:
    # Stripping every label at threshold 0 removes every block whatever the model says
    # (but the article's headline, which the Cleaner always keeps): this checks how
    # the text is put back together, not the model.
    strip_all = spamguard.Cleaner(model=cleaner.model_path, threshold=0.0, strip=tuple(Label))
    result = strip_all.clean(_markdown_article())
    assert result.removed
    assert all(block.removed or "kept: the article's headline" in block.reasons for block in result.blocks)
    assert result.text.startswith(MARKDOWN_FRONT)
    assert MARKDOWN_CODE in result.text and MARKDOWN_INDENTED in result.text


def test_html_result_text_is_the_kept_blocks(cleaner) -> None:
    result = cleaner.clean_html(_article_html(read_fixture("spam/en-hidden.html")), url="https://danube-ledger.example/")
    assert result.text == "\n\n".join(block.text for block in result.blocks if not block.removed)
    assert "<" not in result.text


def test_clean_markdown_and_clean_html_shortcuts(cleaner) -> None:
    markdown = read_fixture("hard_negatives/reference-list.md")
    assert cleaner.clean_markdown(markdown).to_dict() == cleaner.clean(markdown, kind="markdown").to_dict()
    page = read_fixture("hard_negatives/reference-list.html")
    assert cleaner.clean_html(page).to_dict() == cleaner.clean(page, kind="html").to_dict()


def test_clean_many_equals_clean_per_document(cleaner) -> None:
    documents = [
        SEED_LIKE,
        read_fixture("hard_negatives/reference-list.md"),
        "",
        read_fixture("hard_negatives/reference-list.html"),
        _with_spam("anchors", read_fixture("spam/tr-anchors.txt").strip()),
    ]
    batch = cleaner.clean_many(documents)
    assert [result.to_dict() for result in batch] == [cleaner.clean(doc).to_dict() for doc in documents]


def test_module_level_clean(seed_result: CleanResult) -> None:
    assert spamguard.clean(SEED_LIKE).to_dict() == seed_result.to_dict()


def test_strip_only_spam_keeps_boilerplate(cleaner, seed_result: CleanResult) -> None:
    only_spam = spamguard.Cleaner(model=cleaner.model_path, strip=("spam",))
    result = only_spam.clean(SEED_LIKE)
    assert [block.label for block in result.blocks] == [block.label for block in seed_result.blocks]
    assert all(block.label is Label.SPAM for block in result.removed)
    assert PARTS.counter in result.text


def test_pickled_cleaner_cleans_the_same(cleaner, seed_result: CleanResult) -> None:
    data = pickle.dumps(cleaner)
    assert len(data) < 1000
    assert pickle.loads(data).clean(SEED_LIKE).to_dict() == seed_result.to_dict()


def test_shipped_model_card(cleaner) -> None:
    card = cleaner.model_card
    assert card["feature_version"] == FEATURE_VERSION
    assert {"training_data", "validation", "scikit_learn_version", "created"} <= set(card)


@pytest.mark.parametrize("source", [
    "A single sentence someone wants cleaned, about the ferry timetable.\n",
    "<html><body><p>A single sentence someone wants cleaned, about the ferry timetable.</p></body></html>",
])
def test_a_document_too_short_for_chrome_keeps_its_text(cleaner, source: str) -> None:
    result = cleaner.clean(source)
    assert "A single sentence someone wants cleaned" in result.text
    assert not result.removed


def test_a_short_spam_document_is_still_cleaned(cleaner) -> None:
    spam = "ankara escort çankaya escort istanbul escort bayan kızılay escort eryaman escort ankara escort bayan\n"
    result = cleaner.clean(spam)
    assert [block.label for block in result.removed] == [Label.SPAM]
