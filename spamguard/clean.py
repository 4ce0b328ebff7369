"""``Cleaner``: segment, featurize, classify and cut. Strings in, ``CleanResult`` out; no I/O."""
from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import ClassifierMixin
from threadpoolctl import ThreadpoolController

from spamguard.cards import teaser_cards
from spamguard.features import FEATURE_NAMES, fuller_copies
from spamguard.groups import block_groups, list_runs
from spamguard.lexicon import spam_lexicon
from spamguard.main_region import MIN_STORY_SHARE, declares_article, main_region
from spamguard.model import LoadedModel, load_model
from spamguard.profile import SiteProfile
from spamguard.quoting import mostly_unquoted, spam_wording_only_quoted
from spamguard.reasons import explain
from spamguard.segment import MarkupError, detect_kind, readable, segment
from spamguard.segment.links import WEB_ADDRESS, host_of, sentence_starts
from spamguard.segment.spam_tails import with_tails_cut
from spamguard.single_page import cross_host_rows, single_page_rows, single_page_wins, without_site
from spamguard.spans import remove_spans
from spamguard.title import TitleMatcher, page_title
from spamguard.types import SENTENCE_STOPS, Block, BlockRef, CleanResult, Document, Kind, Label, Segment

# A block leaves only when the model gives its label at least this probability;
# below it the block is kept and the reasons say it was uncertain. Chosen for
# high precision on content (see benchmarks/quality.py and the model card).
DEFAULT_THRESHOLD = 0.7
# A block that reads as prose is where a mistake costs a paragraph, and where
# retrains of the same data disagree most (a deals page's product boxes, a
# standfirst; a news paragraph naming what spam sells): it needs this
# probability to leave, or the threshold if higher, unless it is spam that
# points to another site.
PROSE_THRESHOLD = 0.9
# A block that links or points to another site goes on a spam verdict alone: spam is written to send readers away.
LINKED_SPAM_THRESHOLD = 0.0
# Other blocks naming a spam trade that make it the page's own subject.
_DISCUSSED_IN = 2
_LOADED: dict[str, LoadedModel] = {}


def _load_once(path: str | None) -> LoadedModel:
    """One model per process and path: workers unpickle a Cleaner many times."""
    key = path or ""
    if key not in _LOADED:
        _LOADED[key] = load_model(path)
    return _LOADED[key]


@functools.cache
def _thread_pools() -> ThreadpoolController:
    """OpenMP and BLAS pools of this process, found once.

    Gradient boosting predicts with every core by default, and BLAS spreads
    the features' one long dot product (over all hashed buckets) across them;
    on one document the threads cost more than they save (on a busy machine,
    milliseconds per document), and worker processes (one per core) would
    fight over the cores.
    """
    return ThreadpoolController().select(user_api=["openmp", "blas"])


class Cleaner:
    """Removes boilerplate and spam blocks from text, HTML or Markdown.

    ``strip`` names the labels that are removed; blocks of other labels are
    reported but kept. A Cleaner pickles as its settings and model path, so
    sending it to worker processes is cheap; each process loads the model once.
    ``profile`` (a ``SiteProfile`` of the archive the documents come from) tells
    the model how often each block repeats on its host and across hosts.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        strip: Iterable[str | Label] = (Label.SPAM, Label.BOILERPLATE),
        profile: SiteProfile | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        self.model_path = str(model) if model is not None else None
        self.threshold = threshold
        self.strip = frozenset(Label(value) for value in strip)
        self.profile = profile
        self._model = _load_once(self.model_path)

    def __getstate__(self) -> dict:
        return {"model_path": self.model_path, "threshold": self.threshold, "strip": self.strip,
                "profile": self.profile}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._model = _load_once(self.model_path)

    @property
    def model_card(self) -> dict:
        return self._model.card

    def clean(self, text: str, kind: str | Kind = "auto", url: str | None = None) -> CleanResult:
        """Classify every block of ``text`` and return the text without the removed ones."""
        return self.clean_many([text], kind=kind, urls=[url])[0]

    def clean_html(self, html: str, url: str | None = None) -> CleanResult:
        return self.clean(html, kind=Kind.HTML, url=url)

    def clean_markdown(self, markdown: str) -> CleanResult:
        return self.clean(markdown, kind=Kind.MARKDOWN)

    def clean_many(
        self, texts: Sequence[str], kind: str | Kind = "auto", urls: Sequence[str | None] | None = None,
        hosts: Sequence[str | None] | None = None,
    ) -> list[CleanResult]:
        """Clean a batch with one model call: faster per document than ``clean`` in a loop.

        ``hosts`` name each document's site for the profile where the URL
        cannot (files in a folder per site); by default the URL's host. Lone
        surrogates in a text, which no UTF-8 output can hold, are read as
        U+FFFD. HTML nested deeper than the parser goes (2,048 elements)
        raises ``spamguard.MarkupError`` rather than losing its end.
        """
        texts = [readable(text) for text in texts]
        urls = [url or "" for url in (urls if urls is not None else [None] * len(texts))]
        hosts = [host or host_of(url) for host, url in zip(hosts if hosts is not None else [None] * len(texts), urls)]
        kinds = [detect_kind(text) if kind in ("auto", None) else Kind(kind) for text in texts]
        documents = [self._document(tuple(segment(text, resolved, url)), resolved, url, host)
                     for text, resolved, url, host in zip(texts, kinds, urls, hosts)]
        titles = [page_title(text, document) for text, document in zip(texts, documents)]
        with _thread_pools().limit(limits=1):
            features, probabilities = self._predict(documents)
            documents, features, probabilities = self._cut_spam_tails(documents, hosts, features, probabilities)
        classes = self._classes
        results = []
        offset = 0
        for text, document, title in zip(texts, documents, titles):
            count = len(document.segments)
            blocks = self._judge(
                document, text, title, features[offset:offset + count], probabilities[offset:offset + count], classes
            )
            results.append(CleanResult(text=_kept_text(text, blocks, document.kind), blocks=blocks, kind=document.kind))
            offset += count
        return results

    def _single_page_view(self, documents: Sequence[Document], features: np.ndarray, probabilities: np.ndarray,
                          classes: list[Label]) -> None:
        """Predict again, in place, the rows a profile says nothing about, with their site features missing.

        Cross-host blocks the profiled view does not remove as spam are
        predicted again too, and a confident spam verdict without the profile
        stands.
        """
        spam = classes.index(Label.SPAM)
        profiled_spam = probabilities.argmax(axis=1) == spam
        cross_host = cross_host_rows(documents)
        single = single_page_rows(documents, cross_host & profiled_spam)
        removed_as_spam = profiled_spam & (probabilities[:, spam] >= self.threshold)
        again = single | (cross_host & ~removed_as_spam)
        if again.any():
            blind = without_site(features[again])
            alone = _predict_proba(self._model.pipeline[-1], blind)
            wins = single_page_wins(single[again], alone, spam, self.threshold)
            rows = np.flatnonzero(again)[wins]
            features[rows] = blind[wins]
            probabilities[rows] = alone[wins]

    @property
    def _classes(self) -> list[Label]:
        return [Label(value) for value in self._model.pipeline[-1].classes_]

    def _document(self, segments: tuple[Segment, ...], kind: Kind, url: str, host: str) -> Document:
        site = self.profile.facts(host, [s.text for s in segments]) if self.profile and host else None
        return Document(segments=segments, kind=kind, url=url, site=site)

    def _predict(self, documents: Sequence[Document]) -> tuple[np.ndarray, np.ndarray]:
        """The feature rows and label probabilities of every block of ``documents``, in order."""
        refs = [BlockRef(document, index) for document in documents for index in range(len(document.segments))]
        if not refs:
            return np.zeros((0, len(FEATURE_NAMES))), np.zeros((0, len(self._classes)))
        pipeline = self._model.pipeline
        features = pipeline[:-1].transform(refs)
        probabilities = _predict_proba(pipeline[-1], features)
        if self.profile is not None:
            self._single_page_view(documents, features, probabilities, self._classes)
        return features, probabilities

    def _cut_spam_tails(self, documents: list[Document], hosts: Sequence[str], features: np.ndarray,
                        probabilities: np.ndarray) -> tuple[list[Document], np.ndarray, np.ndarray]:
        """Blocks that may end in appended spam, asked about again cut where it may begin (``spam_tails``).

        All the cuts of a document are tried in one copy of it. A cut stands
        when the model keeps its head and removes its tail as spam; every other
        block keeps its first verdict.
        """
        tried = {number: self._document(with_tails_cut(document.segments), document.kind, document.url, hosts[number])
                 for number, document in enumerate(documents)
                 if any(segment.spam_tail for segment in document.segments)}
        if not tried:
            return documents, features, probabilities
        tried_features, tried_probabilities = self._predict(list(tried.values()))
        both_probabilities = np.concatenate([probabilities, tried_probabilities])
        # Where each document's rows begin: the first batch's, then the tried copies' after them.
        own_first = np.cumsum([0, *(len(document.segments) for document in documents)])
        tried_first = dict(zip(tried, len(features) + np.cumsum([0, *(len(d.segments) for d in tried.values())])))
        documents, rows = list(documents), []
        for number, document in enumerate(documents):
            if number not in tried:
                rows.extend(range(own_first[number], own_first[number + 1]))
                continue
            segments: list[Segment] = []
            tried_row = tried_first[number]
            for index, segment in enumerate(document.segments):
                pair = range(tried_row, tried_row + 2)
                if segment.spam_tail and self._cut_stands(segment.spam_tail, both_probabilities[pair]):
                    segments.extend(segment.spam_tail)
                    rows.extend(pair)
                else:
                    segments.append(segment)
                    rows.append(own_first[number] + index)
                tried_row += 2 if segment.spam_tail else 1
            documents[number] = self._document(tuple(segments), document.kind, document.url, hosts[number])
        return documents, np.concatenate([features, tried_features])[rows], both_probabilities[rows]

    def _removes_as(self, label: Label, segment: Segment, probabilities: np.ndarray) -> bool:
        """Whether the model's verdict ``probabilities`` on ``segment`` removes it as ``label``."""
        classes = self._classes
        return (classes[int(probabilities.argmax())] is label and label in self.strip
                and probabilities[classes.index(label)] >= _removal_threshold(label, segment, self.threshold))

    def _cut_stands(self, head_and_tail: Sequence[Segment], probabilities: np.ndarray) -> bool:
        """Whether the model keeps the head and removes the tail as spam (``probabilities``: head's row first)."""
        head, tail = head_and_tail
        return (self._removes_as(Label.SPAM, tail, probabilities[1])
                and not any(self._removes_as(label, head, probabilities[0]) for label in self.strip))

    def _judge(self, document: Document, source: str, title: str, features: np.ndarray, probabilities: np.ndarray,
               classes: list[Label]) -> tuple[Block, ...]:
        segments = document.segments
        blocks = []
        best = probabilities.argmax(axis=1)
        scores = probabilities[np.arange(len(best)), best].tolist()
        for segment, row, row_probabilities, label_index, score in zip(
                segments, features, probabilities, best.tolist(), scores):
            label = classes[label_index]
            needed = _removal_threshold(label, segment, self.threshold)
            confident = score >= needed
            reasons = explain(row, label)
            if label is not Label.CONTENT and not confident:
                reasons = (_not_confident(score, needed, for_prose=needed > self.threshold), *reasons)
            elif needed < self.threshold and score < self.threshold:
                reasons = (f"leans to spam ({score:.2f}) and points to another site", *reasons)
            elif not confident:
                reasons = (_content_doubt(row_probabilities, classes), *reasons)
            blocks.append(Block(
                text=segment.text, start=segment.start, end=segment.end, line=segment.line,
                label=label, score=score, removed=label in self.strip and confident, reasons=reasons,
            ))
        blocks = _join_spam_runs(blocks, self.threshold, self.strip)
        blocks = _join_spam_groups(blocks, block_groups(segments, document.kind, source), self.threshold,
                                   self.strip, probabilities[:, classes.index(Label.SPAM)])
        blocks = _keep_quoted_spam_wording(blocks, segments)
        blocks = _keep_spam_wording_the_page_discusses(blocks, segments)
        if len(blocks) < _MIN_BLOCKS_FOR_CHROME:
            return _keep_chrome(blocks)
        if Label.BOILERPLATE in self.strip:
            blocks = _drop_teasers(blocks, fuller_copies(segments))
            blocks = _keep_some_prose(blocks, probabilities[:, classes.index(Label.CONTENT)])
            blocks = _keep_lists_whole(blocks, segments)
            blocks = _keep_long_blocks_inside_text(blocks, segments, self.threshold)
        boilerplate = probabilities[:, classes.index(Label.BOILERPLATE)]
        if Label.BOILERPLATE in self.strip and document.kind is Kind.HTML:
            blocks = _drop_teaser_cards(blocks, segments, boilerplate)
        # A text's first block is where its title comes from, not a repeat of it.
        title_from = 0 if document.kind is Kind.HTML else 1
        headline = _headline(blocks, segments, TitleMatcher(title), title_from)
        blocks = _keep_headline(blocks, segments, self.strip, boilerplate, headline)
        if document.kind is Kind.HTML and declares_article(source):
            blocks = _drop_outside_main_region(blocks, segments, headline, self.strip)
        return blocks


# HistGradientBoosting walks every row once per tree (600 trees), so a batch of
# many documents streams its whole feature matrix from memory 600 times once it
# outgrows the CPU cache: 40,000 rows took 4.0 s in one call, 1.2 s in chunks.
_PREDICT_ROWS = 4096


def _predict_proba(classifier: ClassifierMixin, features: np.ndarray) -> np.ndarray:
    """``classifier.predict_proba(features)`` (at least one row), a cache-sized chunk at a time: the same numbers."""
    starts = range(0, len(features), _PREDICT_ROWS)
    return np.concatenate([classifier.predict_proba(features[start:start + _PREDICT_ROWS]) for start in starts])


def _removal_threshold(label: Label, segment: Segment, threshold: float) -> float:
    """The probability of ``label`` a block needs to leave.

    Less for spam that sends the reader to another site, which is what spam is
    written for; more for any other block that reads as prose.
    """
    if label is Label.SPAM and (segment.links.external or WEB_ADDRESS.search(segment.text)):
        return LINKED_SPAM_THRESHOLD
    if label is not Label.CONTENT and (_is_prose(segment.text) or _holds_prose(segment.text)):
        return max(threshold, PROSE_THRESHOLD)
    return threshold


# A dump that lost its paragraph breaks runs a byline, the story and a footer
# into one block that ends like none of them.
_RUN_ON_CHARS = 500
_RUN_ON_SENTENCES = 3


def _holds_prose(text: str) -> bool:
    """Whether a long block holds several sentences, whatever its last characters."""
    return len(text) >= _RUN_ON_CHARS and len(sentence_starts(text)) >= _RUN_ON_SENTENCES


def _not_confident(score: float, needed: float, for_prose: bool) -> str:
    return f"kept: not confident enough{' for prose' if for_prose else ''} ({_below(score, needed)})"


def _below(score: float, needed: float) -> str:
    """``"score < needed"``, the score rounded down: 0.8996 reads "0.89 < 0.90", never "0.90 < 0.90"."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f} < {needed:.2f}"


def _content_doubt(probabilities: np.ndarray, classes: list[Label]) -> str:
    """What else a block the model calls content, without confidence, may be."""
    runner_up = max((label for label in classes if label is not Label.CONTENT),
                    key=lambda label: probabilities[classes.index(label)])
    return f"not sure it is content ({runner_up.value} {probabilities[classes.index(runner_up)]:.2f})"


# A line this short next to spam is the spam block's title or one of its anchors, not an article line.
_SPAM_RUN_WORDS = 5


def _join_spam_runs(blocks: Sequence[Block], threshold: float, strip: frozenset[Label]) -> list[Block]:
    """Short spam-labeled lines next to a confident spam block go with it, however unsure the model was.

    The title of a sponsored-links box ("Publicité", "Situs partner") or a
    lone anchor reads like a menu line on its own, so the model is unsure of
    it; the spam block beside it says what it is. Only short lines that do not
    end like a sentence join: a paragraph the model leans to call spam stays
    unless the model is sure of it.
    """
    result = list(blocks)
    joined = [_confident_spam(block, threshold) for block in blocks]
    # Forward, then backward: a run of such lines joins from whichever end its spam block is.
    for step, indices in ((1, range(1, len(blocks))), (-1, range(len(blocks) - 2, -1, -1))):
        for index in indices:
            neighbour = index - step
            block = blocks[index]
            if joined[index] or not joined[neighbour] or not _short_spam_line(block):
                continue
            joined[index] = True
            result[index] = dataclasses.replace(
                block, removed=Label.SPAM in strip,
                reasons=(f"next to the spam block on line {blocks[neighbour].line}", *_without_doubt(block.reasons)))
    return result


def _short_spam_line(block: Block) -> bool:
    return block.label is Label.SPAM and _unpunctuated_line(block.text, _SPAM_RUN_WORDS)


def _unpunctuated_line(text: str, max_words: int) -> bool:
    """A line of at most ``max_words`` words that does not end like a sentence: a title, an anchor."""
    return len(text.split()) <= max_words and not text.rstrip().endswith(_SENTENCE_END)


# An entry of a spam box: an anchor or a title, not a sentence (CJK and Thai
# write no spaces, hence the character bound too).
_BOX_ENTRY_WORDS = 8
_BOX_ENTRY_CHARS = 80
# One spam block in a box could be injected next to a real heading; two make it a spam box.
_SPAM_BOX_MIN_SPAM = 2
# No box overrules the model being this sure of content.
_SURE_CONTENT = 0.9


def _join_spam_groups(blocks: Sequence[Block], groups: Iterable[list[int]], threshold: float,
                      strip: frozenset[Label], spam: np.ndarray) -> list[Block]:
    """The kept entries of a box or list that is mostly confident spam go with the spam.

    A group qualifies when every block in it is confident spam or a short
    line, and at least half of it, two blocks or more, is confident spam: its
    title ("Sponsored links") and the anchors the model was unsure of are
    part of the same spam box. A group with a sentence of its own is left to
    the block-by-block verdicts, and so is a block the model is sure is
    content (a real heading right above injected spam).
    """
    result = list(blocks)
    for group in groups:
        confident = {index for index in group if _confident_spam(blocks[index], threshold)}
        if len(confident) < _SPAM_BOX_MIN_SPAM or 2 * len(confident) < len(group):
            continue
        if not all(_box_entry(blocks[index].text) for index in group if index not in confident):
            continue
        first, last = blocks[group[0]].line, blocks[group[-1]].line
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        for index in group:
            block = result[index]
            if block.removed or index in confident or _sure_content(block):
                continue
            result[index] = dataclasses.replace(
                block, label=Label.SPAM, score=float(spam[index]), removed=Label.SPAM in strip,
                reasons=(f"in a box of {len(confident)} spam blocks ({where})", *_without_doubt(block.reasons)))
    return result


def _keep_quoted_spam_wording(blocks: Sequence[Block], segments: Sequence[Segment]) -> list[Block]:
    """Keep prose or a headline removed as spam when all its spam vocabulary is quoted and it links nowhere.

    A scam warning or a court report quotes the offer ("en güvenilir bahis
    siteleri", "libreng 100 pesos"), and so does its headline; spam names its
    offer and points to it. A line that is nothing but the quoted phrase goes.
    """
    lexicon = spam_lexicon()
    return [
        _kept_back(block, "its spam wording is quoted")
        if _removed_linkless_spam(block, segment) and (_is_prose(block.text) or mostly_unquoted(block.text))
        and spam_wording_only_quoted(block.text, lexicon)
        else block
        for block, segment in zip(blocks, segments)
    ]


def _keep_spam_wording_the_page_discusses(blocks: Sequence[Block], segments: Sequence[Segment]) -> list[Block]:
    """Keep linkless prose removed as spam when the rest of the page speaks of the same trade.

    News about a gambling crackdown or an essay-mill warning names the trade
    in its headline and paragraph after paragraph; spam put into a page sells
    something the page is not about. A paragraph stays when every spam family
    it names also appears in ``_DISCUSSED_IN`` other blocks: kept content or
    prose, or other such paragraphs, at least one of them kept. Lines that are
    not prose (anchors, keyword lists) go anyway.
    """
    linkless_prose = [
        _removed_linkless_spam(block, segment) and _is_prose(block.text) for block, segment in zip(blocks, segments)
    ]
    if not any(linkless_prose):
        return list(blocks)
    lexicon = spam_lexicon()
    families = [set(lexicon.families_in(block.text)) for block in blocks]
    # Kept spam lines would vouch for their removed neighbours: only content and prose count.
    speaking = [not block.removed and (block.label is Label.CONTENT or _is_prose(block.text)) for block in blocks]
    kept_mentions = Counter(family for own, speaks in zip(families, speaking) if speaks for family in own)
    # Paragraphs of one warning that all went vouch for each other, so spam pushed
    # into the page cannot take them together by pulling each one over the bar.
    removed_mentions = Counter(family for own, candidate in zip(families, linkless_prose) if candidate
                               for family in own)

    def others(family: str) -> int:  # besides the block itself, a candidate
        return kept_mentions[family] + removed_mentions[family] - 1

    return [
        _kept_back(block, f"the rest of the page discusses {', '.join(sorted(own))} too "
                          f"(in at least {min(map(others, own))} other blocks)")
        if candidate and own and all(kept_mentions[family] and others(family) >= _DISCUSSED_IN for family in own)
        else block
        for block, candidate, own in zip(blocks, linkless_prose, families)
    ]


def _removed_linkless_spam(block: Block, segment: Segment) -> bool:
    """Removed as spam, yet with no link and no web address: what the rules that keep spam wording look at."""
    return (block.removed and block.label is Label.SPAM and not segment.links.count
            and not WEB_ADDRESS.search(block.text))


def _kept_content(block: Block) -> bool:
    return not block.removed and block.label is Label.CONTENT


def _sure_content(block: Block) -> bool:
    return block.label is Label.CONTENT and block.score >= _SURE_CONTENT


def _confident_spam(block: Block, threshold: float) -> bool:
    return block.label is Label.SPAM and block.score >= threshold


def _box_entry(text: str) -> bool:
    return _unpunctuated_line(text, _BOX_ENTRY_WORDS) and len(text) <= _BOX_ENTRY_CHARS


def _without_doubt(reasons: tuple[str, ...]) -> tuple[str, ...]:
    """``reasons`` without a leading "kept: not confident ..." or "not sure it is content ...": a rule decided."""
    return reasons[1:] if reasons and reasons[0].startswith(("kept:", "not sure")) else reasons


# Boilerplate is what a site puts around its pages; a document of one or two
# blocks shows no site around it, and the model has only seen whole pages.
_MIN_BLOCKS_FOR_CHROME = 3


def _keep_chrome(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Keep boilerplate-labeled blocks of a document too short to have chrome; spam still goes."""
    return tuple(
        _kept_back(block, "too short a document to tell chrome") if _removed_as_boilerplate(block) else block
        for block in blocks
    )


def _removed_as_boilerplate(block: Block) -> bool:
    return block.removed and block.label is Label.BOILERPLATE


def _kept_back(block: Block, why: str) -> Block:
    """``block`` kept after all, the rule's reason first."""
    return dataclasses.replace(block, removed=False, reasons=(f"kept: {why}", *block.reasons))


def _drop_teasers(blocks: list[Block], fuller: list[int | None]) -> tuple[Block, ...]:
    """Remove a teaser whose every word a kept, longer block repeats.

    Lossless whatever the model said: the words stay in the longer block, so
    the rule decides with certainty (score 1.0) and says so in the reasons.
    """
    result = list(blocks)
    for index, longer in enumerate(fuller):
        block = blocks[index]
        if longer is None or block.removed or block.label is Label.SPAM or blocks[longer].removed:
            continue
        result[index] = dataclasses.replace(
            block, label=Label.BOILERPLATE, removed=True,
            score=1.0,
            reasons=(f"teaser: the block on line {blocks[longer].line} repeats all of it",),
        )
    return tuple(result)


def _dropped_as_teaser(block: Block) -> bool:
    """Whether ``_drop_teasers`` removed ``block``: its words are in a kept block."""
    return bool(block.reasons) and block.reasons[0].startswith("teaser")


RAIL_CARD = "a card of a rail outside the article"


def _dropped_as_rail_card(block: Block) -> bool:
    """Whether ``_drop_teaser_cards`` removed ``block``: a card of a "more stories" rail, never a headline."""
    return bool(block.reasons) and block.reasons[0].startswith(RAIL_CARD)


def _takes_back(block: Block) -> bool:
    """A removal the content-keeping rules may take back: boilerplate the model removed, not a teaser."""
    return _removed_as_boilerplate(block) and not _dropped_as_teaser(block)


def _keep_some_prose(blocks: Sequence[Block], content: np.ndarray) -> tuple[Block, ...]:
    """Keep the likeliest run of prose when the model removed every prose block.

    A page worth scraping has some text of its own; when none of its prose
    survives, the model has misread the page (a one-paragraph article under
    hundreds of menu lines), so the removed prose block it found most
    content-like stays, with the prose blocks right next to it. Spam and
    rule-decided teasers stay removed.
    """
    if any(not block.removed and _is_prose(block.text) for block in blocks):
        return tuple(blocks)

    def doubtful(index: int) -> bool:
        return _takes_back(blocks[index]) and _is_prose(blocks[index].text)

    candidates = [index for index in range(len(blocks)) if doubtful(index)]
    if not candidates:
        return tuple(blocks)
    best = max(candidates, key=lambda index: content[index])
    first, last = best, best
    while first > 0 and doubtful(first - 1):
        first -= 1
    while last + 1 < len(blocks) and doubtful(last + 1):
        last += 1
    result = list(blocks)
    for index in range(first, last + 1):
        result[index] = _kept_back(blocks[index], "the page's only prose")
    return tuple(result)


def _drop_teaser_cards(blocks: Sequence[Block], segments: Sequence[Segment],
                       boilerplate: np.ndarray) -> tuple[Block, ...]:
    """Remove the cards of a "more stories" rail outside the article: each a linked title, a date, a summary.

    Spam stays as the model labeled it; the score is the model's boilerplate probability.
    """
    prose = [_is_prose(block.text) for block in blocks]
    sure_prose = [is_prose and not block.removed and _sure_content(block)
                  for block, is_prose in zip(blocks, prose)]
    result = list(blocks)
    for index, card in teaser_cards(segments, prose, sure_prose).items():
        block = blocks[index]
        if block.removed or block.label is Label.SPAM:
            continue
        result[index] = dataclasses.replace(
            block, label=Label.BOILERPLATE, score=float(boilerplate[index]), removed=True,
            reasons=(f"{RAIL_CARD} (one of {card.cards}; its title is on line {blocks[card.title].line})",
                     *_without_doubt(block.reasons)))
    return tuple(result)


# A run of list items this long is a list worth judging as one.
_LIST_MIN_ITEMS = 3


def _keep_lists_whole(blocks: Sequence[Block], segments: Sequence[Segment]) -> tuple[Block, ...]:
    """Keep the items of a list the model removed as boilerplate when most of the list is kept content.

    Consecutive items under one markup path are one list: a reference list or
    a product's feature bullets is content as a whole, and the model, which
    sees each item on its own, tends to drop the last ones (the end of a page
    looks like a footer). Spam and rule-decided teasers stay removed.
    """
    result = list(blocks)
    for items in list_runs(segments):
        if len(items) < _LIST_MIN_ITEMS:
            continue
        content = sum(1 for index in items if _kept_content(blocks[index]))
        if content * 2 <= len(items):
            continue
        for index in items:
            if _takes_back(blocks[index]):
                result[index] = _kept_back(blocks[index], "the rest of its list is content")
    return tuple(result)


# A block this long between two kept content blocks is likely part of the text
# (a list or table written as one paragraph, a code sample, a caption).
_INSIDE_TEXT_CHARS = 100


def _keep_long_blocks_inside_text(blocks: Sequence[Block], segments: Sequence[Segment],
                                  threshold: float) -> tuple[Block, ...]:
    """Hold a long, mostly unlinked block between two kept content blocks to the prose standard.

    Prose needs ``PROSE_THRESHOLD`` to leave; a long block with no sentence
    ending (a race calendar in one paragraph, an ingredient list, code) only
    the threshold. Inside the text, where losing it loses part of the
    article, it needs the higher bar too. Spam and teasers stay removed.
    """
    needed = max(threshold, PROSE_THRESHOLD)
    result = list(blocks)
    for index in range(1, len(blocks) - 1):
        block = blocks[index]
        if (not _takes_back(block) or block.score >= needed or len(block.text) < _INSIDE_TEXT_CHARS
                or segments[index].links.chars_in_links * 2 >= len(block.text)):
            continue
        if _kept_content(blocks[index - 1]) and _kept_content(blocks[index + 1]):
            result[index] = _kept_back(block, f"between two content blocks, not sure enough there ({_below(block.score, needed)})")
    return tuple(result)


# The article's first paragraph: content, a sentence, not a fragment (CJK
# paragraphs are short in characters, so the bar is low).
_PROSE_CHARS = 40
_SENTENCE_END = tuple(SENTENCE_STOPS + "…:")
# Thai and Lao end a sentence with a space, not a mark: a long block mostly in
# them reads as prose (their headlines and spam lines run shorter).
_UNMARKED_SCRIPT = re.compile(r"[\u0e00-\u0eff]")
_UNMARKED_PROSE_CHARS = 100
_HEADLINE_CHARS = (8, 200)
_HEADLINE_SEARCH = 3
# A block repeating the page's title is its headline further up: bylines,
# datelines and share buttons can stand between it and the first paragraph.
_TITLE_SEARCH = 8
# A headline among the first blocks of a document leaves room above it for a
# header strip only, never for part of the article.
_HEADER_STRIP_BLOCKS = 4


HEADER_LINE = "header line above the article's headline"


def _keep_headline(blocks: Sequence[Block], segments: Sequence[Segment], strip: frozenset[Label],
                   boilerplate: np.ndarray, headline: int | None) -> tuple[Block, ...]:
    """Keep the article's headline (block ``headline``, from ``_headline``), and clear a header strip right above it.

    A title is short and unpunctuated like a menu line, and the model is least
    sure of it; losing it loses the article's name. When the headline is one of the document's first few blocks, the lines
    above it are the site's header strip (a menu, a tag line), so they go
    unless they are prose. Further down, blocks above the headline are judged
    like any other: on a product or documentation page the first paragraph of
    prose can come after lists that are the page's content.
    """
    if headline is None:
        return tuple(blocks)
    result = list(blocks)
    block = blocks[headline]
    if _removed_as_boilerplate(block):
        result[headline] = _kept_back(block, "the article's headline")
    if headline >= _HEADER_STRIP_BLOCKS:
        return tuple(result)
    for index in range(headline):
        block = blocks[index]
        if not block.removed and not _is_prose(block.text):
            result[index] = dataclasses.replace(
                block, label=Label.BOILERPLATE, score=float(boilerplate[index]), removed=Label.BOILERPLATE in strip,
                reasons=(HEADER_LINE, *block.reasons))
    return tuple(result)


def _drop_outside_main_region(blocks: Sequence[Block], segments: Sequence[Segment], headline: int | None,
                              strip: frozenset[Label]) -> tuple[Block, ...]:
    """On an article page, remove what the model leaned against outside the element that holds the story.

    The model keeps a block it is unsure of; beside the story (a ticker, a
    rail, a widget, a comment policy) a lean to boilerplate or spam is enough.
    Headings stay, and so does everything from the headline down to the
    story's element (a standfirst, a byline). Nothing goes when the page keeps
    much besides the story (``MIN_STORY_SHARE``).
    """
    sure_prose = [not block.removed and _sure_content(block) and _is_prose(block.text) for block in blocks]
    region = main_region([segment.ancestors for segment in segments], sure_prose,
                         [len(block.text) for block in blocks])
    if region is None:
        return tuple(blocks)
    inside = [region in segment.ancestors for segment in segments]
    kept = [0 if block.removed else len(block.text) for block in blocks]
    if sum(size for size, held in zip(kept, inside) if held) < MIN_STORY_SHARE * sum(kept):
        return tuple(blocks)
    first = inside.index(True)
    last = len(inside) - 1 - inside[::-1].index(True)
    header = range(headline if headline is not None and headline < first else first, first)
    result = list(blocks)
    for index, (block, segment) in enumerate(zip(blocks, segments)):
        if (block.removed or block.label is Label.CONTENT or block.label not in strip or inside[index]
                or segment.heading or index in header):
            continue
        result[index] = dataclasses.replace(block, removed=True, reasons=(
            f"{OUTSIDE_MAIN_TEXT} (lines {blocks[first].line}-{blocks[last].line}), leans {block.label.value}",
            *_without_doubt(block.reasons)))
    return tuple(result)


OUTSIDE_MAIN_TEXT = "outside the article's main text"


def _is_prose(text: str) -> bool:
    if len(text) < _PROSE_CHARS:
        return False
    if text.rstrip().endswith(_SENTENCE_END):
        return True
    return len(text) >= _UNMARKED_PROSE_CHARS and len(_UNMARKED_SCRIPT.findall(text)) * 2 >= len(text)


def _headline(blocks: Sequence[Block], segments: Sequence[Segment], title: TitleMatcher, title_from: int) -> int | None:
    """The article's headline: the block that repeats the page's title (from block ``title_from`` on)
    among the blocks above the first paragraph of prose, else the nearest heading (or, outside
    HTML, the nearest short unpunctuated line) among the few right above it, none of them
    labelled spam or next to spam."""
    first_prose = next((index for index, block in enumerate(blocks)
                        if block.label is Label.CONTENT and _is_prose(block.text)), None)
    if first_prose is None:
        return None
    for index in range(first_prose - 1, max(first_prose - 1 - _TITLE_SEARCH, title_from - 1), -1):
        if title.matches(blocks[index].text):
            return index
    for index in range(first_prose - 1, max(first_prose - 1 - _HEADLINE_SEARCH, -1), -1):
        block, segment = blocks[index], segments[index]
        # Spam put between a title and its story is a short unpunctuated line too, and so
        # are the anchors of a spam list that the model calls boilerplate.
        if _by_spam(blocks, index) or _dropped_as_teaser(block) or _dropped_as_rail_card(block):
            continue
        looks_like_title = segment.heading or (
            not segment.tag_path and _HEADLINE_CHARS[0] <= len(block.text) <= _HEADLINE_CHARS[1]
            and not block.text.rstrip().endswith(_SENTENCE_END)
        )
        if looks_like_title:
            return index
    return None


def _by_spam(blocks: Sequence[Block], index: int) -> bool:
    """Whether the block or one next to it is labelled spam."""
    return any(blocks[near].label is Label.SPAM for near in range(max(index - 1, 0), min(index + 2, len(blocks))))


def _kept_text(source: str, blocks: Sequence[Block], kind: Kind) -> str:
    """The source without removed blocks.

    HTML comes back as the kept blocks' text, a paragraph each. Text and
    Markdown keep their own bytes: only the removed blocks' lines are cut, so
    front matter, code and line endings stay as they were.
    """
    if kind is Kind.HTML:
        return "\n\n".join(block.text for block in blocks if not block.removed)
    return remove_spans(source, [(block.start, block.end) for block in blocks if block.removed])


def clean(text: str, kind: str | Kind = "auto", url: str | None = None) -> CleanResult:
    """Clean ``text`` with the shipped model (loaded once per process)."""
    return Cleaner().clean(text, kind=kind, url=url)


def clean_each(
    cleaner: Cleaner, texts: Sequence[str], kind: str | Kind = "auto", *,
    errors: tuple[type[Exception], ...] = (MarkupError,), **per_document: Sequence,
) -> list[CleanResult | Exception]:
    """``cleaner.clean_many(texts, kind, **per_document)`` (``urls``, ``hosts``), where a document
    that raises one of ``errors`` (by default: HTML the parser cannot read) comes back as its
    error instead of failing the batch; the batch is then cleaned one document at a time."""
    try:
        return list(cleaner.clean_many(texts, kind=kind, **per_document))
    except errors:
        pass
    results: list[CleanResult | Exception] = []
    for index, text in enumerate(texts):
        alone = {name: [values[index]] for name, values in per_document.items()}
        try:
            results.append(cleaner.clean_many([text], kind=kind, **alone)[0])
        except errors as error:
            results.append(error)
    return results
