"""Training and evaluation. Nothing at runtime imports this module.

Real pages give content and boilerplate: their blocks are labeled by aligning
them with the ground-truth main text. Spam is the project's own generated
material (``spamguard.synth``) spliced into those pages, and the project's hard
negatives are spliced in as content, so the model sees both in real context.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
import random
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import html_text
import numpy as np

from spamguard.corpus import Page, find_corpora, is_validation, read_pages
from spamguard.model import build_pipeline, save_model
from spamguard.segment import segment_html, segment_text
from spamguard.synth import SpamBank
from spamguard.types import BlockRef, Document, Kind, Label, Segment

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
# A block is content when at least this share of its word trigrams occur in the
# ground truth; keeping exactly such lines scores about 0.99 F1 on the corpora.
ALIGNED_SHARE = 0.5
SPAM_PAGE_SHARE = 0.55
TEASER_PAGE_SHARE = 0.3
CHROME_PAGE_SHARE = 0.5
HARD_NEGATIVE_PAGE_SHARE = 0.2
MARKDOWN_PAGE_SHARE = 0.25


@dataclass(frozen=True)
class LabeledDocument:
    document: Document
    labels: tuple[Label, ...]
    page_type: str
    validation: bool


# ---------------------------------------------------------------- labels


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Truth:
    """The ground truth of a page, indexed for aligning blocks with it."""

    trigrams: frozenset[tuple[str, ...]]
    lines: frozenset[str]
    title: frozenset[str]

    @classmethod
    def of(cls, page: Page) -> Truth:
        words = _tokens(page.text)
        lines = frozenset(" ".join(_tokens(line)) for line in page.text.splitlines() if line.strip())
        title = frozenset(_tokens(page.title)) if page.title else frozenset()
        return cls(frozenset(zip(words, words[1:], words[2:])), lines, title)

    def label(self, segment: Segment) -> Label:
        words = _tokens(segment.text)
        if len(words) >= 3:
            grams = list(zip(words, words[1:], words[2:]))
            aligned = sum(gram in self.trigrams for gram in grams) / len(grams)
            return Label.CONTENT if aligned >= ALIGNED_SHARE else Label.BOILERPLATE
        if words and " ".join(words) in self.lines:
            return Label.CONTENT
        if segment.heading and words and self.title and set(words) <= self.title:
            return Label.CONTENT
        return Label.BOILERPLATE


def _title_label(segments: list[Segment], labels: list[Label], page: Page) -> None:
    """The page's first top heading is its title: content, though ground truths often omit it."""
    for index, segment in enumerate(segments):
        if segment.tag == "h1":
            title = set(_tokens(page.title)) if page.title else set()
            if not title or len(set(_tokens(segment.text)) & title) * 2 >= len(set(_tokens(segment.text))):
                labels[index] = Label.CONTENT
            return


# ---------------------------------------------------------------- augmentation


@dataclass(frozen=True)
class Material:
    """What the project writes itself and splices into real pages."""

    spam: SpamBank
    hard_negatives: tuple[tuple[str, ...], ...]

    @classmethod
    def load(cls, data_dir: Path, sources_dir: Path | None) -> Material:
        negatives = []
        for path in sorted((data_dir / "hard_negatives").glob("*.txt")):
            paragraphs = tuple(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
            negatives.append(paragraphs)
        return cls(spam=SpamBank.load(data_dir, sources_dir), hard_negatives=tuple(negatives))


def _plain(texts: Sequence[str]) -> list[Segment]:
    return [Segment(text=" ".join(text.split()), start=0, end=0, line=0) for text in texts if text.strip()]


def _content_span(labels: Sequence[Label]) -> tuple[int, int]:
    content = [index for index, label in enumerate(labels) if label is Label.CONTENT]
    return (content[0], content[-1] + 1) if content else (0, len(labels))


def _splice(segments: list[Segment], labels: list[Label], at: int, new: list[Segment], label: Label) -> None:
    segments[at:at] = new
    labels[at:at] = [label] * len(new)


def _inherit_path(new: list[Segment], segments: list[Segment], at: int) -> list[Segment]:
    """Give spliced HTML blocks the markup path of where they land."""
    if not segments:
        return new
    neighbour = segments[min(at, len(segments) - 1)].tag_path
    parent = neighbour.rsplit(">", 1)[0]
    return [
        dataclasses.replace(segment, tag_path=parent + ">" + segment.tag_path.removeprefix("html>body>"))
        for segment in new
    ]


def _inject_spam(segments: list[Segment], labels: list[Label], kind: Kind, rng: random.Random,
                 material: Material) -> None:
    first, last = _content_span(labels)
    for _ in range(rng.choice((1, 1, 2, 3))):
        snippet = material.spam.sample(rng)
        if kind is Kind.HTML:
            new = _inherit_path(segment_html(snippet.html), segments, last)
        else:
            new = _plain(snippet.text_blocks)
        if snippet.shape == "sentence" and last > first:
            at = rng.randint(first, last)
        elif rng.random() < 0.7:
            at = rng.randint(last, len(segments))
        else:
            at = rng.randint(0, len(segments))
        _splice(segments, labels, at, new, Label.SPAM)
        if at <= last:
            last += len(new)


def _inject_chrome(segments: list[Segment], labels: list[Label], rng: random.Random, material: Material) -> None:
    """Counters, banners and share lines around the article, as scrapers keep them."""
    first, last = _content_span(labels)
    for _ in range(rng.randint(1, 3)):
        line = material.spam.sample_boilerplate(rng)
        at = rng.choice((first, first, last, rng.randint(0, len(segments))))
        _splice(segments, labels, at, _plain([line]), Label.BOILERPLATE)
        last += 1 if at <= last else 0


def _inject_teaser(segments: list[Segment], labels: list[Label], rng: random.Random) -> None:
    """A truncated copy of the first long paragraph just before the article, as on the seed page."""
    for index, (segment, label) in enumerate(zip(segments, labels)):
        words = segment.text.split()
        if label is Label.CONTENT and len(words) >= 25:
            cut = rng.randint(8, len(words) * 2 // 3)
            teaser = dataclasses.replace(segment, text=" ".join(words[:cut]) + rng.choice(("...", "…", " ...", "")))
            at = max(0, index - rng.randint(0, 2))
            _splice(segments, labels, at, [teaser], Label.BOILERPLATE)
            return


def _inject_hard_negative(segments: list[Segment], labels: list[Label], kind: Kind, rng: random.Random,
                          material: Material) -> None:
    """Real-sounding paragraphs on escort convoys, casinos or pharmacies inside an article: content."""
    if not material.hard_negatives:
        return
    paragraphs = rng.choice(material.hard_negatives)[1:]
    chosen = list(paragraphs[: rng.randint(1, len(paragraphs))])
    first, last = _content_span(labels)
    at = rng.randint(first, last)
    new = _plain(chosen)
    if kind is Kind.HTML and segments:
        template = segments[min(at, len(segments) - 1)]
        new = [dataclasses.replace(template, text=segment.text, links=segment.links) for segment in new]
        new = [dataclasses.replace(segment, heading=False, list_item=False, tag="p", hidden="") for segment in new]
    _splice(segments, labels, at, new, Label.CONTENT)


# ---------------------------------------------------------------- documents


def _page_seed(page: Page, view: str, salt: int) -> random.Random:
    return random.Random(zlib.crc32(f"{salt}:{view}:{page.id}".encode()))


def _as_markdown(segments: list[Segment]) -> list[Segment]:
    """What the Markdown segmenter gives for the same blocks: no markup path, simple tags."""
    def tag(segment: Segment) -> str:
        return "h" if segment.heading else ("li" if segment.list_item else "p")

    return [dataclasses.replace(segment, tag=tag(segment), tag_path="", hidden="") for segment in segments]


def _augment(segments: list[Segment], labels: list[Label], kind: Kind, rng: random.Random,
             material: Material) -> None:
    if rng.random() < HARD_NEGATIVE_PAGE_SHARE:
        _inject_hard_negative(segments, labels, kind, rng, material)
    if rng.random() < TEASER_PAGE_SHARE:
        _inject_teaser(segments, labels, rng)
    if rng.random() < CHROME_PAGE_SHARE:
        _inject_chrome(segments, labels, rng, material)
    if rng.random() < SPAM_PAGE_SHARE:
        _inject_spam(segments, labels, kind, rng, material)


def page_documents(page: Page, material: Material, salt: int = 0) -> Iterator[LabeledDocument]:
    """The labeled views of one page: its HTML, its naive text dump and, for some, Markdown."""
    truth = Truth.of(page)
    validation = is_validation(page)
    html_segments = segment_html(page.html, page.url)
    views: list[tuple[str, Kind, list[Segment]]] = [
        ("html", Kind.HTML, html_segments),
        ("text", Kind.TEXT, segment_text(html_text.extract_text(page.html))),
    ]
    if _page_seed(page, "markdown?", salt).random() < MARKDOWN_PAGE_SHARE:
        views.append(("markdown", Kind.MARKDOWN, _as_markdown(html_segments)))
    for view, kind, segments in views:
        segments = list(segments)
        labels = [truth.label(segment) for segment in segments]
        if kind is not Kind.TEXT:
            _title_label(segments, labels, page)
        _augment(segments, labels, kind, _page_seed(page, view, salt), material)
        if segments:
            yield LabeledDocument(
                Document(tuple(segments), kind, page.url), tuple(labels), page.page_type, validation
            )


def hard_negative_documents(material: Material, salt: int = 0) -> Iterator[LabeledDocument]:
    """Each hard negative alone, as text and Markdown, with a little chrome around it."""
    for number, paragraphs in enumerate(material.hard_negatives):
        rng = random.Random(zlib.crc32(f"{salt}:negative:{number}".encode()))
        for kind in (Kind.TEXT, Kind.MARKDOWN):
            segments = _plain(paragraphs)
            labels = [Label.CONTENT] * len(segments)
            _inject_chrome(segments, labels, rng, material)
            validation = number % 5 == 0
            yield LabeledDocument(Document(tuple(segments), kind, ""), tuple(labels), "hard-negative", validation)


def build_dataset(corpus: Sequence[Path], material: Material, salt: int = 0,
                  limit: int | None = None) -> list[LabeledDocument]:
    documents: list[LabeledDocument] = []
    for path in corpus:
        for number, page in enumerate(read_pages(path)):
            if limit is not None and number >= limit:
                break
            documents.extend(page_documents(page, material, salt))
    documents.extend(hard_negative_documents(material, salt))
    return documents


def _rows(documents: Sequence[LabeledDocument]) -> tuple[list[BlockRef], np.ndarray]:
    refs = [BlockRef(item.document, index) for item in documents for index in range(len(item.labels))]
    labels = np.array([label.value for item in documents for label in item.labels])
    return refs, labels


# ---------------------------------------------------------------- evaluation


def decide(probabilities: np.ndarray, classes: Sequence[str], threshold: float) -> np.ndarray:
    """The label each block ends up with: non-content only when confident, as the Cleaner does."""
    best = probabilities.argmax(axis=1)
    labels = np.asarray(classes)[best]
    confident = probabilities[np.arange(len(best)), best] >= threshold
    return np.where(confident, labels, Label.CONTENT.value)


def block_metrics(truth: np.ndarray, predicted: np.ndarray) -> dict[str, dict[str, float]]:
    metrics = {}
    for label in Label:
        value = label.value
        hit = float(np.sum((predicted == value) & (truth == value)))
        said, real = float(np.sum(predicted == value)), float(np.sum(truth == value))
        precision, recall = hit / said if said else 1.0, hit / real if real else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        metrics[value] = {"precision": round(precision, 4), "recall": round(recall, 4),
                          "f1": round(f1, 4), "support": int(real)}
    return metrics


# ---------------------------------------------------------------- entry point


@dataclass(frozen=True)
class TrainOptions:
    corpus: tuple[Path, ...]
    data_dir: Path
    sources_dir: Path | None
    output: Path
    threshold: float
    limit: int | None = None
    seed: int = 0


def train(options: TrainOptions) -> dict:
    """Build the dataset, fit on the training sites, measure on the held-back ones, save."""
    started = time.monotonic()
    material = Material.load(options.data_dir, options.sources_dir)
    corpora = [path for root in options.corpus for path in find_corpora(root)]
    documents = build_dataset(corpora, material, options.seed, options.limit)
    training = [item for item in documents if not item.validation]
    validation = [item for item in documents if item.validation]
    log.info("%d training documents, %d validation documents", len(training), len(validation))
    refs, labels = _rows(training)
    pipeline = build_pipeline(options.seed)
    pipeline.fit(refs, labels)
    val_refs, val_labels = _rows(validation)
    probabilities = pipeline.predict_proba(val_refs)
    predicted = decide(probabilities, pipeline.classes_, options.threshold)
    card = {
        "created": datetime.date.today().isoformat(),
        "threshold": options.threshold,
        "training_data": {
            "corpora": [path.name for path in corpora],
            "documents": len(training),
            "blocks": dict(Counter(labels.tolist())),
            "hard_negative_files": len(material.hard_negatives),
            "spam_families": material.spam.families(),
            "spam_languages": material.spam.langs(),
        },
        "validation": {
            "split": "sites whose name hashes into bucket 0 of 5 (spamguard.corpus.is_validation)",
            "documents": len(validation),
            "blocks_by_label": block_metrics(val_labels, predicted),
            "by_view": {
                kind.value: block_metrics(*_subset(validation, val_labels, predicted, kind))
                for kind in Kind
            },
        },
        "seed": options.seed,
        "training_seconds": round(time.monotonic() - started, 1),
    }
    save_model(pipeline, options.output, card)
    return card


def _subset(documents: Sequence[LabeledDocument], truth: np.ndarray, predicted: np.ndarray,
            kind: Kind) -> tuple[np.ndarray, np.ndarray]:
    mask = np.concatenate([np.full(len(item.labels), item.document.kind is kind) for item in documents])
    return truth[mask], predicted[mask]
