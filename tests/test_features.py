"""The feature extractor: its names, its shape, and table-driven facts about single blocks and documents."""
from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from spamguard.features import FEATURE_NAMES, FEATURE_VERSION, SITE_FEATURES, BlockFeaturizer, _own_terms, _path_terms
from spamguard.segment import segment_html, segment_markdown, segment_text
from spamguard.types import BlockRef, Document, Kind, LinkFacts, Segment

ARTICLE = (
    "The harbour authority said on Monday that the new ferry terminal would open in the spring.",
    "Work on the terminal was delayed by a dispute over the cost of dredging the channel.",
    "Local businesses hope the ferry will bring more visitors to the old town during the summer.",
)


def refs_of(*documents: Document) -> list[BlockRef]:
    return [BlockRef(document, index) for document in documents for index in range(len(document.segments))]


def text_document(*texts: str, kind: Kind = Kind.TEXT) -> Document:
    return Document(tuple(Segment(text=text, start=0, end=0, line=0) for text in texts), kind)


@pytest.fixture(scope="module")
def featurizer(fitted_pipeline) -> BlockFeaturizer:
    return fitted_pipeline.named_steps["features"]


@pytest.fixture(scope="module")
def features(featurizer):
    """``features(document)[name]`` is that feature's column over the document's blocks."""
    def compute(document: Document) -> dict[str, np.ndarray]:
        matrix = featurizer.transform(refs_of(document))
        assert matrix.shape == (len(document.segments), len(FEATURE_NAMES))
        return {name: matrix[:, column] for column, name in enumerate(FEATURE_NAMES)}
    return compute


def features_in_article(features, segment: Segment, kind: Kind = Kind.TEXT) -> dict[str, float]:
    """The features of ``segment`` placed after a short article."""
    article = tuple(Segment(text=text, start=0, end=0, line=0) for text in ARTICLE)
    columns = features(Document((*article, segment), kind))
    return {name: float(values[-1]) for name, values in columns.items()}


# ---------------------------------------------------------------- names and shape


def test_names_are_unique_strings() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(isinstance(name, str) and name for name in FEATURE_NAMES)


def test_version_is_a_non_empty_string() -> None:
    assert isinstance(FEATURE_VERSION, str) and FEATURE_VERSION


def test_matrix_width_matches_names(featurizer) -> None:
    documents = [text_document(*ARTICLE), text_document("One line only")]
    matrix = featurizer.transform(refs_of(*documents))
    assert matrix.shape == (4, len(FEATURE_NAMES))
    site = [FEATURE_NAMES.index(name) for name in SITE_FEATURES]
    assert np.isnan(matrix[:, site]).all()  # no site profile: missing, for the trees to route
    assert np.isfinite(np.delete(matrix, site, axis=1)).all()
    assert list(featurizer.get_feature_names_out()) == list(FEATURE_NAMES)


def test_no_blocks_gives_an_empty_matrix(featurizer) -> None:
    assert featurizer.transform([]).shape == (0, len(FEATURE_NAMES))


def test_refs_must_list_whole_documents(featurizer) -> None:
    document = text_document(*ARTICLE)
    with pytest.raises(ValueError, match="every block"):
        featurizer.transform([BlockRef(document, 0), BlockRef(document, 2)])
    with pytest.raises(ValueError, match="every block"):
        featurizer.transform([BlockRef(document, 1), BlockRef(document, 2)])


def test_a_documents_rows_do_not_depend_on_its_batch(featurizer) -> None:
    first = text_document(*ARTICLE, "Share this article")
    second = text_document("cheap viagra cheap viagra", "Something else entirely.")
    alone = featurizer.transform(refs_of(first))
    batched = featurizer.transform(refs_of(second, first, second))
    np.testing.assert_allclose(batched[2:2 + len(first.segments)], alone)


def test_transform_is_deterministic(featurizer) -> None:
    document = text_document(*ARTICLE)
    np.testing.assert_array_equal(featurizer.transform(refs_of(document)), featurizer.transform(refs_of(document)))


# ---------------------------------------------------------------- single-block facts

STUFFED = (
    "izmir escort bornova escort karşıyaka escort escort bayan izmir alsancak escort buca escort "
    "izmir escort bayan bornova escort"
)
# (id, block text, {feature: predicate})
BLOCK_FACTS = [
    ("stuffed line", STUFFED, {
        "top_word_share": lambda v: v >= 0.3,
        "spam_hits": lambda v: v > 0,
        "spam_families": lambda v: v >= 1,
        "ends_sentence": lambda v: v == 0,
        "unique_word_share": lambda v: v < 0.5,
        "repeated_bigram_share": lambda v: v > 0.1,
    }),
    ("sentence", ARTICLE[0], {
        "ends_sentence": lambda v: v == 1,
        "top_word_share": lambda v: v < 0.2,
        "spam_hits": lambda v: v == 0,
        "function_word_share": lambda v: v > 0.3,
        "sentence_marks_per_word": lambda v: 0 < v < 0.2,
    }),
    ("title without a full stop", "Harbour Terminal Opens in Spring", {
        "ends_sentence": lambda v: v == 0,
        "title_word_share": lambda v: v >= 0.8,
        "log_words": lambda v: v == pytest.approx(math.log1p(5)),
        "log_chars": lambda v: v == pytest.approx(math.log1p(len("Harbour Terminal Opens in Spring"))),
    }),
    ("question ends a sentence", "Why Support The Harbour Gazette?", {"ends_sentence": lambda v: v == 1}),
    ("cjk full stop ends a sentence", "港口的新码头将于明年春天开放。", {"ends_sentence": lambda v: v == 1}),
    ("teaser ellipsis", "Work on the terminal was delayed by a dispute over the...", {"ends_with_ellipsis": lambda v: v == 1}),
    ("unicode ellipsis", "Work on the terminal was delayed…", {"ends_with_ellipsis": lambda v: v == 1}),
    ("no ellipsis", ARTICLE[1], {"ends_with_ellipsis": lambda v: v == 0}),
    ("counter", "412 reads", {"digit_share": lambda v: v == pytest.approx(3 / 9), "log_words": lambda v: v == pytest.approx(math.log1p(2))}),
    ("all capitals", "BREAKING NEWS", {"upper_share": lambda v: v == 1.0}),
    ("no capitals", "breaking news", {"upper_share": lambda v: v == 0.0}),
    ("menu pipes", "Home | News | Sport | Weather", {"pipe_count": lambda v: v == 3}),
    ("price", "Tickets cost $25 for adults.", {"has_price": lambda v: v == 1}),
    ("lira price", "Bilet fiyatı 150 TL oldu.", {"has_price": lambda v: v == 1}),
    ("no price", ARTICLE[2], {"has_price": lambda v: v == 0}),
    ("url in text", "Get yours at https://pills.example and www.cheap-meds.xyz today", {"urls_in_text": lambda v: v >= 2}),
    ("commas", "one, two, three, four", {"commas_per_word": lambda v: v == pytest.approx(3 / 4)}),
    ("pharma vocabulary", "buy viagra online cheap cialis no prescription", {"spam_hits": lambda v: v > 0}),
    ("gambling vocabulary in Indonesian", "situs slot gacor hari ini togel online terpercaya", {"spam_hits": lambda v: v > 0}),
    ("cjk gambling vocabulary", "澳门百家乐真人娱乐平台", {"spam_hits": lambda v: v > 0}),
    ("russian loans vocabulary", "займ онлайн на карту без отказа", {"spam_hits": lambda v: v > 0}),
    ("hindi danda ends a sentence", "मेट्रो का काम अगले साल पूरा होगा।", {"ends_sentence": lambda v: v == 1}),
    ("hindi words keep their vowel signs", "शहर में नई बसें चलेंगी और किराया नहीं बढ़ेगा",
     {"function_word_share": lambda v: v > 0.2, "log_words": lambda v: v == pytest.approx(math.log1p(9))}),
    ("turkish news has function words", "Belediye yetkilileri, yeni hattın trafik yoğunluğunu azaltacağını söyledi ve bu çok önemli bir adım.",
     {"function_word_share": lambda v: v > 0.1, "spam_hits": lambda v: v == 0}),
]


@pytest.mark.parametrize(("text", "facts"), [case[1:] for case in BLOCK_FACTS], ids=[case[0] for case in BLOCK_FACTS])
def test_block_facts(features, text: str, facts: dict) -> None:
    row = features_in_article(features, Segment(text=text, start=0, end=0, line=0))
    failed = {name: row[name] for name, holds in facts.items() if not holds(row[name])}
    assert not failed


def test_heading_and_list_flags(features) -> None:
    (heading, item) = segment_markdown("# Harbour news\n\n- first item\n")
    assert features_in_article(features, heading, Kind.MARKDOWN)["is_heading"] == 1
    assert features_in_article(features, heading, Kind.MARKDOWN)["tag_heading"] == 1
    row = features_in_article(features, item, Kind.MARKDOWN)
    assert (row["is_list_item"], row["tag_li"], row["is_heading"]) == (1, 1, 0)


def test_html_link_and_visibility_facts(features) -> None:
    html = (
        '<html><body><nav class="menu"><div style="display:none">'
        '<a href="https://casino.example/a" rel="nofollow">casino</a> '
        '<a href="https://slots.example/b" rel="nofollow">slots</a> win</div></nav></body></html>'
    )
    (segment,) = segment_html(html, "https://harbour.example/")
    row = features_in_article(features, segment, Kind.HTML)
    assert row["link_count"] == pytest.approx(math.log1p(2))
    assert row["link_char_share"] == pytest.approx(len("casinoslots") / len("casino slots win"))
    assert row["external_links"] == pytest.approx(math.log1p(2))
    assert row["external_domains"] == pytest.approx(math.log1p(2))
    assert row["untrusted_link_share"] == 1.0
    assert row["hidden"] == 1
    assert row["chrome_path_words"] >= 1
    assert row["tag_div"] == 1
    assert row["kind_html"] == 1 and row["kind_text"] == 0


def test_classes_of_the_whole_page_are_not_the_blocks_markup(features) -> None:
    html = (
        '<html class="has-header"><body class="section-in-nav has-sidebar article_body">'
        f'<article><p>{ARTICLE[0]}</p></article><nav class="menu"><p>Home</p></nav></body></html>'
    )
    paragraph, menu = segment_html(html)
    assert features_in_article(features, paragraph, Kind.HTML)["chrome_path_words"] == 0
    assert features_in_article(features, paragraph, Kind.HTML)["body_path_words"] == 1  # <article>
    assert features_in_article(features, menu, Kind.HTML)["chrome_path_words"] == 2  # nav.menu


def test_visible_block_without_links(features) -> None:
    row = features_in_article(features, Segment(text=ARTICLE[0], start=0, end=0, line=0))
    assert (row["link_count"], row["link_char_share"], row["external_domains"], row["hidden"]) == (0, 0, 0, 0)
    assert row["kind_text"] == 1


def test_link_share_is_capped_at_one(features) -> None:
    segment = Segment(text="ab", start=0, end=0, line=0, links=LinkFacts(count=3, chars_in_links=30))
    assert features_in_article(features, segment)["link_char_share"] == 1.0


# ---------------------------------------------------------------- document facts


def test_teaser_repeating_a_later_longer_block(features) -> None:
    full = (
        "Six out of seven member states attended an unofficial summit meeting in the capital on Friday. "
        "Isolated from its neighbours, the host was the most enthusiastic participant."
    )
    teaser = "Six out of seven member states attended an unofficial summit meeting in the capital on Friday. Isolated..."
    columns = features(text_document("Summit Title", teaser, full, ARTICLE[0]))
    assert list(columns["is_prefix_of_longer_block"]) == [0, 1, 0, 0]
    assert list(columns["ends_with_ellipsis"]) == [0, 1, 0, 0]
    assert list(columns["is_later_duplicate"]) == [0, 0, 0, 0]


def test_teaser_without_ellipsis_is_flagged_too(features) -> None:
    full = ARTICLE[0] + " " + ARTICLE[1]
    columns = features(text_document(ARTICLE[0], full))
    assert list(columns["is_prefix_of_longer_block"]) == [1, 0]


def test_short_blocks_are_never_teasers(features) -> None:
    columns = features(text_document("The harbour", "The harbour authority said on Monday that it would open."))
    assert list(columns["is_prefix_of_longer_block"]) == [0, 0]


def test_later_exact_duplicate(features) -> None:
    columns = features(text_document("Marta Horvat", "Marta Horvat", ARTICLE[0], "marta  horvat!"))
    assert list(columns["is_later_duplicate"]) == [0, 1, 0, 1]
    assert columns["log_duplicates"] == pytest.approx([math.log(3), math.log(3), 0, math.log(3)])


def test_position_features(features) -> None:
    columns = features(text_document("a first block", "a middle block", "a last block"))
    assert list(columns["relative_position"]) == [0, 0.5, 1]
    assert columns["log_blocks_before"] == pytest.approx([0, math.log(2), math.log(3)])
    assert columns["log_blocks_after"] == pytest.approx([math.log(3), math.log(2), 0])
    assert columns["doc_log_blocks"] == pytest.approx([math.log1p(3)] * 3)
    assert columns["relative_char_position"][0] == 0


def test_single_block_document(features) -> None:
    columns = features(text_document("Only one block here."))
    assert columns["relative_position"][0] == 0
    assert columns["similarity_to_rest"][0] == pytest.approx(0, abs=1e-6)


def test_script_mismatch(features) -> None:
    columns = features(text_document(*ARTICLE, "займ онлайн на карту без отказа срочно"))
    assert list(columns["script_mismatch"][:3]) == [0, 0, 0]
    assert columns["script_mismatch"][3] == 1


@pytest.mark.parametrize("lines", [
    ("जयपुर में मेट्रो का काम शुरू", "जयपुर मेट्रो ने सोमवार को दूसरे चरण का काम शुरू किया।"),
    ("Νέα γραμμή λεωφορείων στη Θεσσαλονίκη", "Η νέα γραμμή θα συνδέει το κέντρο με το αεροδρόμιο."),
    ("עיריית חיפה פותחת גנים חדשים", "העירייה הודיעה השבוע על פתיחת שלושה גנים ציבוריים."),
], ids=["hindi", "greek", "hebrew"])
def test_a_page_in_another_script_is_not_foreign_to_itself(features, lines: tuple[str, ...]) -> None:
    assert list(features(text_document(*lines))["script_mismatch"]) == [0, 0]


def test_off_topic_block_is_least_similar_to_the_rest(features) -> None:
    off_topic = "izmir escort bayan bornova escort karşıyaka escort"
    columns = features(text_document(*ARTICLE, "The ferry terminal will open in the spring, the harbour authority said.", off_topic))
    similarity = columns["similarity_to_rest"]
    assert similarity[-1] < similarity[:-1].min()


def test_context_features_see_the_neighbours(features) -> None:
    columns = features(text_document(*ARTICLE, "Share this", *ARTICLE))
    # A short chrome line in the middle of prose still sits in a prose neighbourhood.
    assert columns["ends_sentence_mean_r2"][3] > 0.5
    assert columns["ends_sentence_previous"][3] == 1
    assert columns["ends_sentence"][3] == 0


def test_plain_text_segments_feed_the_featurizer(featurizer) -> None:
    source = "Title\n\n" + "\n\n".join(ARTICLE) + "\n\n412 reads\n"
    document = Document(tuple(segment_text(source)), Kind.TEXT)
    assert featurizer.transform(refs_of(document)).shape == (5, len(FEATURE_NAMES))


# The hashed text model reads a block as one run of words (text, markup path,
# link hosts, kind) and their neighbouring pairs; the path's share is hashed
# once per path, so the two parts must add up to exactly that run.
HASHED_RUNS = [
    ("text, path, hosts, hidden",
     Segment(text="Win 100 prizes", start=0, end=0, line=1, tag_path="div#main>p.lead",
             links=LinkFacts(count=1, domains=("casino.example",)), hidden="display:none"),
     ["win", "0", "prizes", "pathqdiv", "pathqmain", "pathqp", "pathqlead", "hostqcasino", "hostqexample",
      "kindqhtml", "hiddenq"]),
    ("no path", Segment(text="Plain line", start=0, end=0, line=1), ["plain", "line", "kindqhtml"]),
    ("no text", Segment(text="", start=0, end=0, line=1, tag_path="p"), ["pathqp", "kindqhtml"]),
]


@pytest.mark.parametrize(("segment", "run"), [case[1:] for case in HASHED_RUNS], ids=[case[0] for case in HASHED_RUNS])
def test_hashed_terms_are_one_run_of_words_and_pairs(segment: Segment, run: list[str]) -> None:
    expected = run + [f"{left} {right}" for left, right in pairwise(run)]
    assert sorted([*_own_terms(segment, Kind.HTML), *_path_terms(segment.tag_path)]) == sorted(expected)
