"""The one feature extractor: training and inference both call ``BlockFeaturizer``.

Rows are blocks (``BlockRef``); most features look at the block's document too:
its position, its neighbours, repetition inside the page and similarity to the
rest of the page. A hashed word/character n-gram model gives a stacked text
score per label, which the context pass then smooths over neighbouring blocks.
"""
from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby, pairwise
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize

from spamguard.lexicon import COMBINING_MARKS, WORD, SpamLexicon, function_words, lower, spam_lexicon
from spamguard.segment.links import host_of
from spamguard.types import SENTENCE_STOPS, BlockRef, Document, Kind, Segment

# Bump whenever a feature changes meaning; a saved model with another version is refused.
FEATURE_VERSION = "6"

_UNSPACED_CHAR = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
# Words for the hashed text model: one token per CJK/Thai character (their
# bigrams then act as words), whole words elsewhere.
_HASH_TOKEN = re.compile(rf"[{_UNSPACED_CHAR}]|(?:[^\W_{_UNSPACED_CHAR}]|[{COMBINING_MARKS}])+")
_DIGITS = re.compile(r"\d+")
_SENTENCE_MARK = re.compile(f"[{SENTENCE_STOPS}]")
_SENTENCE_END = tuple(SENTENCE_STOPS + '"”’»)…:')
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[\.\.\.\])\s*$")
_URL_IN_TEXT = re.compile(r"https?://|www\.|\.(?:com|net|org|xyz|info|io|top|site|online|shop|vip|bet)\b")
_PRICE = re.compile(r"[$€£¥₺₹]\s?\d|\d\s?(?:usd|eur|tl|rp|руб)\b", re.I)
# Counting by deleting everything else is much faster than findall's match lists.
_NOT_UPPER = re.compile(r"[^A-ZÀ-ÞА-ЯЁ]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_DIGIT = re.compile(r"\D+")
# The characters of each script, as (first, last) code point ranges. A script missing
# here would make every block of a page written in it look foreign to the page, as
# injected spam does.
_SCRIPTS = {
    "latin": (("A", "Z"), ("a", "z"), ("À", "ɏ"), ("\u1e00", "\u1eff")),
    "cyrillic": (("Ѐ", "ӿ"),),
    "cjk": (("\u3040", "\u30ff"), ("\u3400", "\u9fff")),
    "hangul": (("\uac00", "\ud7af"),),
    "thai": (("\u0e00", "\u0e7f"),),
    "arabic": (("\u0600", "\u06ff"), ("\u0750", "\u077f"), ("\ufb50", "\ufdff"), ("\ufe70", "\ufefc")),
    "greek": (("\u0370", "\u03ff"), ("\u1f00", "\u1fff")),
    "hebrew": (("\u0590", "\u05ff"), ("\ufb1d", "\ufb4f")),
    "indic": (("\u0900", "\u0dff"),),
    "armenian-georgian": (("\u0530", "\u058f"), ("\u10a0", "\u10ff")),
    "southeast-asian": (("\u0e80", "\u0eff"), ("\u1000", "\u109f"), ("\u1780", "\u17ff")),
    "ethiopic": (("\u1200", "\u137f"),),
}
# A document's script is the one most of its first characters are written in.
_SCRIPT_SAMPLE = 20000


def _count(outside: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` are not matched by ``outside``."""
    return len(outside.sub("", text))
# Words in class/id attributes that mark site chrome or the article body.
_CHROME_PATH = re.compile(
    r"nav|menu|footer|header|sidebar|widget|breadcrumb|cookie|banner|share|social|related|"
    r"subscribe|newsletter|promo|advert|\bad\b|ads|sponsor|comment|tags?\b|author|meta|popup|modal"
)
_BODY_PATH = re.compile(r"article|content|post|entry|story|main|body-text|text|prose|markdown")
# Path steps whose ids and classes describe the whole page rather than the block.
_PAGE_STEP = re.compile(r"(?:html|body)(?:[#.]|$)")
_TAG_GROUPS = (
    ("p", frozenset({"p", "blockquote", "pre"})),
    ("li", frozenset({"li", "dd", "dt"})),
    ("heading", frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "h"})),
    ("div", frozenset({"div", "section", "article", "main", "body", "center"})),
    ("table", frozenset({"tr", "table", "tbody", "thead", "tfoot"})),
    ("chrome", frozenset({"nav", "header", "footer", "aside", "form", "menu", "figcaption"})),
)
# The tag_* columns of each tag in a group.
_TAG_COLUMNS = {
    tag: tuple(float(tag in group) for _, group in _TAG_GROUPS) for _, tags in _TAG_GROUPS for tag in tags
}
_NO_TAG_GROUP = (0.0,) * len(_TAG_GROUPS)

BLOCK_FEATURES = (
    "log_chars", "log_words", "mean_word_length", "ends_sentence", "sentence_marks_per_word",
    "commas_per_word", "function_word_share", "digit_share", "upper_share", "title_word_share",
    "unique_word_share", "top_word_share", "repeated_bigram_share", "compression_ratio",
    "ends_with_ellipsis", "urls_in_text", "has_price", "pipe_count",
    "spam_hits", "spam_hits_per_word", "spam_families",
    "is_heading", "is_list_item", *(f"tag_{name}" for name, _ in _TAG_GROUPS),
    "link_count", "link_char_share", "external_links", "external_domains", "untrusted_link_share",
    "hidden", "chrome_path_words", "body_path_words", "path_depth",
)
DOCUMENT_FEATURES = (
    "kind_text", "kind_html", "kind_markdown",
    "relative_position", "log_blocks_before", "log_blocks_after", "relative_char_position",
    "doc_log_blocks", "doc_log_chars", "script_mismatch",
    "similarity_to_rest", "log_duplicates", "is_later_duplicate", "is_prefix_of_longer_block",
)
TEXT_SCORES = ("text_p_content", "text_p_boilerplate", "text_p_spam")
# Blocks under the same markup path form lists (related-article teasers, menus)
# or the article body; these compare a block with its structural siblings.
STRUCTURE_FEATURES = (
    "log_same_path_blocks", "same_path_char_share", "parent_path_char_share", "in_largest_container",
    "text_p_content_same_path_mean", "text_p_content_parent_path_mean",
)
# How the block repeats across the archive (a site profile); missing (NaN) on a
# single page, which the gradient-boosted trees route on their own.
SITE_FEATURES = (
    "site_page_share", "site_page_share_mean_r2", "site_log_hosts", "site_log_host_pages",
)
# Below this many pages a host's share says nothing: every block of a one-page host is on all of its pages.
MIN_PROFILE_PAGES = 4
# Columns the context pass smooths over neighbouring blocks.
_CONTEXT_COLUMNS = (
    "text_p_content", "text_p_spam", "ends_sentence", "log_words", "link_char_share", "function_word_share",
)
_CONTEXT_RADII = (2, 7, 20)


def _context_names() -> tuple[str, ...]:
    names = [f"{column}_mean_r{radius}" for radius in _CONTEXT_RADII for column in _CONTEXT_COLUMNS]
    names += [f"{column}_{side}" for side in ("previous", "next") for column in _CONTEXT_COLUMNS[:3]]
    names += [f"{column}_doc_mean" for column in _CONTEXT_COLUMNS[:2]]
    return tuple(names)


FEATURE_NAMES = (
    BLOCK_FEATURES + DOCUMENT_FEATURES + TEXT_SCORES + STRUCTURE_FEATURES + _context_names() + SITE_FEATURES
)


class _Words(NamedTuple):
    """A block's text split once: block, repetition and script features all read it."""

    lowered: str
    words: list[str]
    letters: int

    @classmethod
    def of(cls, text: str) -> _Words:
        lowered = lower(text)
        return cls(lowered, WORD.findall(lowered), _count(_NOT_LETTER, text))


def _block_features(segment: Segment, split: _Words, lexicon: SpamLexicon, stopwords: frozenset[str]) -> list[float]:
    """Facts about one block on its own."""
    text, lowered, words = segment.text, split.lowered, split.words
    n_chars, n_words = len(text), len(words)
    per_word = 1.0 / max(n_words, 1)
    counts = Counter(words)
    digits = _count(_NOT_DIGIT, text)
    encoded = text.encode("utf-8")
    families = lexicon.hits(words, text)
    links = segment.links
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        sum(map(len, words)) * per_word,
        float(text.rstrip().endswith(_SENTENCE_END)),
        len(_SENTENCE_MARK.findall(text)) * per_word,
        text.count(",") * per_word,
        sum(map(stopwords.__contains__, words)) * per_word,
        digits / max(n_chars, 1),
        _count(_NOT_UPPER, text) / (split.letters or 1),
        sum(1 for word in text.split() if word[:1].isupper()) * per_word,
        len(counts) * per_word,
        max(counts.values(), default=0) * per_word,
        (1.0 - len(set(pairwise(words))) / (n_words - 1)) if n_words > 1 else 0.0,
        len(zlib.compress(encoded)) / len(encoded) if len(encoded) > 60 else 1.0,
        float(bool(_ELLIPSIS_END.search(text))),
        float(len(_URL_IN_TEXT.findall(lowered))),
        float(digits > 0 and bool(_PRICE.search(text))),  # every price has a digit
        float(text.count("|")),
        math.log1p(len(families)),
        len(families) * per_word,
        float(len(set(families))),
        float(segment.heading),
        float(segment.list_item),
        *_TAG_COLUMNS.get(segment.tag, _NO_TAG_GROUP),
        math.log1p(links.count),
        min(links.chars_in_links / max(n_chars, 1), 1.0),
        math.log1p(links.external),
        math.log1p(len(links.domains)),
        links.nofollow / links.count if links.count else 0.0,
        float(bool(segment.hidden)),
        *_path_features(segment.tag_path),
    ]


# Blocks of a page, and pages of a site, share a few markup paths: each is read once.
@functools.lru_cache(maxsize=4096)
def _path_features(tag_path: str) -> tuple[float, float, float]:
    """Chrome words, article-body words and depth of a block's markup path."""
    path = tag_path.lower()
    steps = [_step_words(step) for step in path.split(">")]
    return (
        float(sum(chrome for chrome, _ in steps)),
        float(sum(body for _, body in steps)),
        float(path.count(">")),
    )


# Paths share their ancestors' steps, so each step is read once rather than
# once per path below it; no word spans a ">", so a path's counts are the
# sums of its steps'.
@functools.lru_cache(maxsize=4096)
def _step_words(step: str) -> tuple[int, int]:
    """Chrome words and article-body words in one lower-cased step of a markup path.

    None in ``<html>`` and ``<body>``: their classes ("section-in-nav",
    "has-sidebar", "article_body") describe the whole page and would mark
    every block of it alike.
    """
    if _PAGE_STEP.match(step):
        return 0, 0
    return len(_CHROME_PATH.findall(step)), len(_BODY_PATH.findall(step))


def _script_mismatch(texts: list[str], letters: list[int]) -> np.ndarray:
    """Per block: the share of its ``letters`` outside the script of the whole document.

    The blocks' code points are tested in one numpy pass over the joined text
    rather than by a regular expression per block.
    """
    codes = np.frombuffer(" ".join(texts).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    sample = codes[:_SCRIPT_SAMPLE]
    script = max(_SCRIPTS.values(), key=lambda ranges: np.count_nonzero(_in_script(sample, ranges)))
    in_script = np.concatenate([[0], np.cumsum(_in_script(codes, script))])
    lengths = np.array([len(text) for text in texts])
    ends = np.cumsum(lengths + 1) - 1  # one space joins the blocks
    counts = in_script[ends] - in_script[ends - lengths]
    return np.clip(1.0 - counts / np.maximum(letters, 1), 0.0, 1.0)


def _in_script(codes: np.ndarray, ranges: tuple[tuple[str, str], ...]) -> np.ndarray:
    """Whether each code point is in one of ``ranges``."""
    inside = np.zeros(len(codes), dtype=bool)
    for first, last in ranges:
        inside |= (codes >= ord(first)) & (codes <= ord(last))
    return inside


def _normalized(words: list[str]) -> str:
    """What repetition compares: a block's lower-cased words one space apart (an ellipsis drops out)."""
    return " ".join(words)


def fuller_copies(segments: Sequence[Segment]) -> list[int | None]:
    """For each block, the index of a longer block that starts with all of its words.

    Such a block is a teaser (it ends in an ellipsis or simply stops): the
    longer block holds every word of it. Keys on the first words find the
    candidates without comparing all pairs.
    """
    return _fuller([_normalized(WORD.findall(lower(segment.text))) for segment in segments])


def _fuller(normalized: list[str]) -> list[int | None]:
    longest: dict[str, int] = {}
    for index, text in enumerate(normalized):
        key = text[:60]
        if key not in longest or len(text) > len(normalized[longest[key]]):
            longest[key] = index
    copies: list[int | None] = []
    for text in normalized:
        candidate = longest.get(text[:60]) if len(text) >= 20 else None
        fuller = candidate is not None and len(normalized[candidate]) > len(text) + 10
        copies.append(candidate if fuller and normalized[candidate].startswith(text) else None)
    return copies


def _repetition(normalized: list[str]) -> np.ndarray:
    """Per block: log count of exact copies, later-copy flag, teaser flag."""
    totals = Counter(normalized)
    seen: set[str] = set()
    rows = np.zeros((len(normalized), 3))
    for index, (text, fuller) in enumerate(zip(normalized, _fuller(normalized))):
        if not text:
            continue
        rows[index, 0] = np.log(totals[text])
        rows[index, 1] = float(text in seen)
        seen.add(text)
        rows[index, 2] = float(fuller is not None)
    return rows


def _similarity_to_rest(vectors: sparse.csr_matrix) -> np.ndarray:
    """Cosine similarity of each block's hashed terms to those of all other blocks."""
    # vectors.sum(axis=0), adding up in the same order, without scipy's detour
    # through a dense (1 x rows) matrix product that took 2 ms on every document.
    centroid = np.bincount(vectors.indices, weights=vectors.data, minlength=vectors.shape[1])
    dots = vectors @ centroid
    self_norms = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    rest_norms = np.sqrt(np.maximum(centroid @ centroid - 2 * dots + self_norms, 1e-12))
    return np.where(self_norms > 0, (dots - self_norms) / rest_norms, 0.0)


def _document_features(document: Document, splits: list[_Words], word_vectors: sparse.csr_matrix) -> np.ndarray:
    segments = document.segments
    count = len(segments)
    positions = np.arange(count, dtype=float)
    char_starts = np.cumsum([0] + [len(segment.text) for segment in segments])
    total_chars = max(char_starts[-1], 1)
    mismatch = _script_mismatch([segment.text for segment in segments], [split.letters for split in splits])
    kind = [float(document.kind is option) for option in (Kind.TEXT, Kind.HTML, Kind.MARKDOWN)]
    columns = [
        np.tile(kind, (count, 1)),
        (positions / max(count - 1, 1))[:, None],
        np.log1p(positions)[:, None],
        np.log1p(count - 1 - positions)[:, None],
        (char_starts[:-1] / total_chars)[:, None],
        np.full((count, 1), np.log1p(count)),
        np.full((count, 1), np.log1p(total_chars)),
        mismatch[:, None],
        _similarity_to_rest(word_vectors)[:, None],
        _repetition([_normalized(split.words) for split in splits]),
    ]
    return np.hstack(columns)


def _group_stats(keys: list[str], chars: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per block: blocks, characters and mean content score of its group."""
    _, ids = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
    counts = np.bincount(ids).astype(float)
    char_sums = np.bincount(ids, weights=chars)
    score_means = np.bincount(ids, weights=scores) / counts
    return ids, counts[ids], char_sums, char_sums[ids], score_means[ids]


@functools.lru_cache(maxsize=4096)
def _without_digits(tag_path: str) -> str:
    """The path with numbered ids and classes (``post-123``) made alike."""
    return _DIGITS.sub("", tag_path)


def _structure_features(segments: Sequence[Segment], content_scores: np.ndarray) -> np.ndarray:
    paths = [_without_digits(segment.tag_path) for segment in segments]
    parents = [path.rsplit(">", 1)[0] for path in paths]
    chars = np.array([len(segment.text) for segment in segments], dtype=float)
    total = max(chars.sum(), 1.0)
    _, same_count, _, same_chars, same_score = _group_stats(paths, chars, content_scores)
    parent_ids, _, parent_sums, parent_chars, parent_score = _group_stats(parents, chars, content_scores)
    largest = (parent_ids == int(np.argmax(parent_sums))).astype(float)
    return np.column_stack([
        np.log(same_count), same_chars / total, parent_chars / total, largest, same_score, parent_score,
    ])


def _window_means(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean of each column over the blocks within ``radius`` of each block."""
    count = len(values)
    padded = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    low = np.clip(np.arange(count) - radius, 0, count)
    high = np.clip(np.arange(count) + radius + 1, 0, count)
    return (padded[high] - padded[low]) / (high - low)[:, None]


def _context_features(values: np.ndarray) -> np.ndarray:
    """Neighbourhood view of a document's key columns: where the prose region is."""
    means = [_window_means(values, radius) for radius in _CONTEXT_RADII]
    head = values[:, :3]
    previous = np.vstack([np.zeros((1, 3)), head[:-1]])
    following = np.vstack([head[1:], np.zeros((1, 3))])
    doc_mean = np.tile(values[:, :2].mean(axis=0), (len(values), 1))
    return np.hstack([*means, previous, following, doc_mean])


def _site_features(document: Document) -> np.ndarray:
    count = len(document.segments)
    site = document.site
    if site is None:
        return np.full((count, len(SITE_FEATURES)), np.nan)
    share = np.asarray(site.page_counts, dtype=float) / max(site.host_pages, 1)
    if site.host_pages < MIN_PROFILE_PAGES:
        share[:] = np.nan
    return np.column_stack([
        share,
        _window_means(share[:, None], 2)[:, 0],
        np.log1p(np.asarray(site.host_counts, dtype=float)),
        np.full(count, np.log1p(site.host_pages)),
    ])


# The hashed text model reads each block as one run of words: its text, its
# markup path, its link hosts, its kind; then every pair of neighbouring words.
# Blocks share a few paths, so a path's own words and pairs are hashed once
# (``_path_terms``) and the block's terms (``_own_terms``) hold the rest,
# including the pairs across the path's two ends.


def _own_terms(segment: Segment, kind: Kind) -> list[str]:
    """A block's hashed terms apart from those inside its markup path."""
    host_words = " ".join(f"hostq{part}" for host in segment.links.domains[:8] for part in re.split(r"[.\-]", host))
    before = _hash_words(segment.text[:2000])
    after = [*_hash_words(host_words), f"kindq{kind.value}", *(["hiddenq"] if segment.hidden else [])]
    path = _path_words(segment.tag_path)
    ends = [(before[-1:], path[:1]), (path[-1:], after[:1])] if path else [(before[-1:], after[:1])]
    across = [f"{left[0]} {right[0]}" for left, right in ends if left and right]
    return [*before, *after, *_pairs(before), *_pairs(after), *across]


def _path_terms(tag_path: str) -> list[str]:
    words = _path_words(tag_path)
    return [*words, *_pairs(words)]


def _pairs(words: Sequence[str]) -> Iterator[str]:
    return map(" ".join, pairwise(words))


def _hash_words(text: str) -> list[str]:
    """Lower-cased words with every digit run as ``0``."""
    return _HASH_TOKEN.findall(_DIGITS.sub("0", lower(text)))


@functools.lru_cache(maxsize=4096)
def _path_words(tag_path: str) -> tuple[str, ...]:
    # Lower case without digits already, so ``_hash_words`` would leave them as they are.
    return tuple(f"pathq{word}" for word in re.findall(r"[a-z]+", tag_path.lower()[-200:]))


def _documents(refs: Sequence[BlockRef]) -> list[Document]:
    """The documents of ``refs`` in order; each must be listed whole, block by block."""
    documents: list[Document] = []
    for _, rows in groupby(refs, key=lambda ref: id(ref.document)):
        first = next(rows)
        if first.index != 0 or sum(1 for _ in rows) + 1 != len(first.document.segments):
            raise ValueError("BlockRefs must list every block of each document, in order")
        documents.append(first.document)
    return documents


class BlockFeaturizer(TransformerMixin, BaseEstimator):
    """Turns blocks in their documents into the model's feature matrix.

    ``fit`` learns the hashed n-gram text model. ``fit_transform`` returns text
    scores predicted out of fold (grouped by site), as scikit-learn's
    ``TargetEncoder`` does, so the classifier downstream learns how far to
    trust the text score on pages that model has not seen.
    """

    def __init__(self, n_hash_features: int = 2**18, text_alpha: float = 2e-6, cv_folds: int = 4,
                 random_state: int = 0) -> None:
        self.n_hash_features = n_hash_features
        self.text_alpha = text_alpha
        self.cv_folds = cv_folds
        self.random_state = random_state

    def _hashed(self, documents: list[Document]) -> sparse.csr_matrix:
        """Every block's terms counted into ``n_hash_features`` buckets, rows L2-normalised."""
        hasher = FeatureHasher(n_features=self.n_hash_features, input_type="string", alternate_sign=False)
        blocks = [(segment, document.kind) for document in documents for segment in document.segments]
        paths: dict[str, int] = {}
        path_rows = [paths.setdefault(segment.tag_path, len(paths)) for segment, _ in blocks]
        counts = hasher.transform(_own_terms(segment, kind) for segment, kind in blocks)
        counts = counts + hasher.transform(_path_terms(path) for path in paths)[path_rows]
        counts.sum_duplicates()  # sorted indices, as one hashing of all the terms gives
        return normalize(counts, norm="l2", copy=False)

    def _text_model(self) -> SGDClassifier:
        return SGDClassifier(
            loss="log_loss", alpha=self.text_alpha, max_iter=8, tol=None, random_state=self.random_state,
        )

    def fit(self, X: Sequence[BlockRef], y: Sequence[str]) -> BlockFeaturizer:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Sequence[BlockRef], y: Sequence[str], **fit_params) -> np.ndarray:
        documents = _documents(X)
        labels = np.asarray(y)
        hashed = self._hashed(documents)
        text_model = self._text_model().fit(hashed, labels)
        self.classes_ = text_model.classes_
        # Kept as one contiguous matrix: multiplying by the model's own (classes x
        # features) coef_ copies it on every call, which dominated inference time.
        self.text_weights_ = np.ascontiguousarray(text_model.coef_.T)
        self.text_bias_ = text_model.intercept_.copy()
        groups = np.concatenate([
            np.full(len(document.segments), zlib.crc32((host_of(document.url) or str(ordinal)).encode()))
            for ordinal, document in enumerate(documents)
        ])
        scores = np.zeros((len(labels), len(self.classes_)))
        for train, held in GroupKFold(n_splits=self.cv_folds).split(hashed, labels, groups):
            fold_model = self._text_model().fit(hashed[train], labels[train])
            scores[held] = fold_model.predict_proba(hashed[held])
        self.n_features_in_ = len(FEATURE_NAMES)
        return self._assemble(documents, hashed, scores)

    def transform(self, X: Sequence[BlockRef]) -> np.ndarray:
        if not len(X):
            return np.zeros((0, len(FEATURE_NAMES)))
        documents = _documents(X)
        hashed = self._hashed(documents)
        return self._assemble(documents, hashed, self._text_scores(hashed))

    def _text_scores(self, hashed: sparse.csr_matrix) -> np.ndarray:
        """The text model's probabilities, normalised one-vs-rest as SGDClassifier does."""
        scores = expit(np.asarray(hashed @ self.text_weights_) + self.text_bias_)
        return scores / np.maximum(scores.sum(axis=1, keepdims=True), 1e-12)

    def _assemble(self, documents: list[Document], hashed: sparse.csr_matrix, text_scores: np.ndarray) -> np.ndarray:
        lexicon, stopwords = spam_lexicon(), function_words()
        order = [list(self.classes_).index(label) for label in ("content", "boilerplate", "spam")]
        text_scores = text_scores[:, order]
        rows: list[np.ndarray] = []
        offset = 0
        for document in documents:
            count = len(document.segments)
            splits = [_Words.of(segment.text) for segment in document.segments]
            block = np.array([
                _block_features(segment, split, lexicon, stopwords) for segment, split in zip(document.segments, splits)
            ])
            doc = _document_features(document, splits, hashed[offset:offset + count])
            scores = text_scores[offset:offset + count]
            structure = _structure_features(document.segments, scores[:, 0])
            base = np.hstack([block, doc, scores, structure])
            context = base[:, [FEATURE_NAMES.index(name) for name in _CONTEXT_COLUMNS]]
            rows.append(np.hstack([base, _context_features(context), _site_features(document)]))
            offset += count
        return np.vstack(rows)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        return np.asarray(FEATURE_NAMES, dtype=object)
