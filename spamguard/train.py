"""Training and evaluation. Nothing at runtime imports this module.

Real pages give content and boilerplate: their blocks are labeled by aligning
them with the ground-truth main text. Spam is the project's own generated
material (``spamguard.synth``) spliced into those pages, and the project's hard
negatives are spliced in as content, so the model sees both in real context.
"""
from __future__ import annotations

import dataclasses
import datetime
import html
import logging
import random
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import html_text
import numpy as np

from spamguard.corpus import Page, find_corpora, is_validation, read_pages, site_of
from spamguard.model import build_pipeline, save_model
from spamguard.pseudohosts import (
    PAGES_PER_CAMPAIGN,
    PROFILED_SHARE,
    Campaign,
    PseudoHost,
    as_page,
    build_host,
    host_url,
    profile_documents,
    site_groups,
)
from spamguard.segment import segment_html, segment_markdown, segment_text
from spamguard.synth import SpamBank, SpamSnippet
from spamguard.types import BlockRef, Document, Kind, Label, LinkFacts, Segment

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://[^\s<>\"]+")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-*•])\s+")
# A block is content when at least this share of its word trigrams occur in the
# ground truth; keeping exactly such lines scores about 0.99 F1 on the corpora.
ALIGNED_SHARE = 0.5
SPAM_PAGE_SHARE = 0.55
TEASER_PAGE_SHARE = 0.3
CHROME_PAGE_SHARE = 0.5
HARD_NEGATIVE_PAGE_SHARE = 0.2
MARKDOWN_PAGE_SHARE = 0.25
TRIMMED_PAGE_SHARE = 0.5
ARTICLE_PAGE_SHARE = 0.25


@dataclass(frozen=True)
class LabeledDocument:
    document: Document
    labels: tuple[Label, ...]
    validation: bool
    # "family:language" of each spliced spam block, "" for every other block.
    origins: tuple[str, ...]


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


def _page_title(segments: Sequence[Segment], page: Page) -> str:
    """The words of the page's title heading: its first ``<h1>`` when it agrees with the annotated title."""
    for segment in segments:
        if segment.tag == "h1":
            words = set(_tokens(segment.text))
            title = set(_tokens(page.title))
            return " ".join(_tokens(segment.text)) if not title or len(words & title) * 2 >= len(words) else ""
    return ""


def _label_title(draft: _Draft, title: str) -> None:
    """The title is content, though ground truths often leave it out; in every view, once."""
    for index, segment in enumerate(draft.segments):
        if title and " ".join(_tokens(segment.text)) == title:
            draft.labels[index] = Label.CONTENT
            return


# ---------------------------------------------------------------- augmentation


@dataclass(frozen=True)
class Material:
    """What the project writes itself and splices into real pages.

    Spam families and languages named in ``held_out_*`` never reach training
    pages; validation pages get every family and language, so the card can
    say how the model does on spam it has never seen.
    """

    spam: SpamBank
    hard_negatives: tuple[tuple[str, ...], ...]
    held_out_families: frozenset[str] = frozenset()
    held_out_langs: frozenset[str] = frozenset()

    @classmethod
    def load(cls, data_dir: Path, sources_dir: Path | None, held_out_families: Sequence[str] = (),
             held_out_langs: Sequence[str] = ()) -> Material:
        negatives = []
        for path in sorted((data_dir / "hard_negatives").glob("*.txt")):
            paragraphs = tuple(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
            negatives.append(paragraphs)
        return cls(SpamBank.load(data_dir, sources_dir), tuple(negatives),
                   frozenset(held_out_families), frozenset(held_out_langs))

    def sample_spam(self, rng: random.Random, validation: bool) -> SpamSnippet:
        if validation:
            return self.spam.sample(rng)
        families = [family for family in self.spam.families() if family not in self.held_out_families]
        langs = [lang for lang in self.spam.langs() if lang not in self.held_out_langs]
        return self.spam.sample(rng, families=families, langs=langs)

    def is_held_out(self, origin: str) -> bool:
        family, _, lang = origin.partition(":")
        return family in self.held_out_families or lang in self.held_out_langs


def _plain(texts: Sequence[str]) -> list[Segment]:
    return [Segment(text=" ".join(text.split()), start=0, end=0, line=0) for text in texts if text.strip()]


def _content_span(labels: Sequence[Label]) -> tuple[int, int]:
    content = [index for index, label in enumerate(labels) if label is Label.CONTENT]
    return (content[0], content[-1] + 1) if content else (0, len(labels))


@dataclass
class _Draft:
    """A document being assembled: its blocks, their labels and spam origins."""

    segments: list[Segment]
    labels: list[Label]
    origins: list[str]

    def splice(self, at: int, new: list[Segment], label: Label, origin: str = "") -> None:
        self.segments[at:at] = new
        self.labels[at:at] = [label] * len(new)
        self.origins[at:at] = [origin] * len(new)


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


def _inject_spam(draft: _Draft, kind: Kind, rng: random.Random, material: Material, validation: bool) -> None:
    first, last = _content_span(draft.labels)
    for _ in range(rng.choice((1, 1, 2, 3))):
        snippet = material.sample_spam(rng, validation)
        if kind is Kind.HTML:
            new = _inherit_path(segment_html(snippet.html), draft.segments, last)
        else:
            new = _plain(snippet.text_blocks)
        if snippet.shape == "sentence" and last > first:
            at = rng.randint(first, last)
        elif rng.random() < 0.7:
            at = rng.randint(last, len(draft.segments))
        else:
            at = rng.randint(0, len(draft.segments))
        draft.splice(at, new, Label.SPAM, f"{snippet.family}:{snippet.lang}")
        if at <= last:
            last += len(new)


def _inject_chrome(draft: _Draft, rng: random.Random, material: Material) -> None:
    """Counters, banners and share lines around the article, as scrapers keep them."""
    first, last = _content_span(draft.labels)
    for _ in range(rng.randint(1, 3)):
        line = material.spam.sample_boilerplate(rng)
        at = rng.choice((first, first, last, rng.randint(0, len(draft.segments))))
        draft.splice(at, _plain([line]), Label.BOILERPLATE)
        last += 1 if at <= last else 0


def _inject_teaser(draft: _Draft, rng: random.Random) -> None:
    """A truncated copy of the first long paragraph just before the article, as on the seed page."""
    for index, (segment, label) in enumerate(zip(draft.segments, draft.labels)):
        words = segment.text.split()
        if label is Label.CONTENT and len(words) >= 25:
            cut = rng.randint(8, len(words) * 2 // 3)
            teaser = dataclasses.replace(segment, text=" ".join(words[:cut]) + rng.choice(("...", "…", " ...", "")))
            draft.splice(max(0, index - rng.randint(0, 2)), [teaser], Label.BOILERPLATE)
            return


def _inject_hard_negative(draft: _Draft, kind: Kind, rng: random.Random, material: Material) -> None:
    """Real-sounding paragraphs on escort convoys, casinos or pharmacies inside an article: content."""
    if not material.hard_negatives:
        return
    paragraphs = rng.choice(material.hard_negatives)[1:]
    chosen = _plain(paragraphs[: rng.randint(1, len(paragraphs))])
    first, last = _content_span(draft.labels)
    at = rng.randint(first, last)
    if kind is Kind.HTML and draft.segments:
        # Dressed as the paragraph they land next to, links and all cleared.
        template = draft.segments[min(at, len(draft.segments) - 1)]
        chosen = [
            dataclasses.replace(template, text=new.text, links=LinkFacts(), heading=False, list_item=False,
                                tag="p", hidden="")
            for new in chosen
        ]
    draft.splice(at, chosen, Label.CONTENT)


# ---------------------------------------------------------------- documents


def _page_seed(page: Page, view: str, salt: int) -> random.Random:
    return random.Random(zlib.crc32(f"{salt}:{view}:{page.id}".encode()))


def _as_markdown(segments: list[Segment]) -> list[Segment]:
    """What the Markdown segmenter gives for the same blocks: no markup path, simple tags."""
    def tag(segment: Segment) -> str:
        return "h" if segment.heading else ("li" if segment.list_item else "p")

    return [dataclasses.replace(segment, tag=tag(segment), tag_path="", hidden="") for segment in segments]


def _augment(draft: _Draft, kind: Kind, rng: random.Random, material: Material, validation: bool) -> None:
    if rng.random() < HARD_NEGATIVE_PAGE_SHARE:
        _inject_hard_negative(draft, kind, rng, material)
    if rng.random() < TEASER_PAGE_SHARE:
        _inject_teaser(draft, rng)
    if rng.random() < CHROME_PAGE_SHARE:
        _inject_chrome(draft, rng, material)
    if rng.random() < SPAM_PAGE_SHARE:
        _inject_spam(draft, kind, rng, material, validation)


def _trimmed(draft: _Draft, rng: random.Random) -> _Draft:
    """The article with only a few of its surrounding blocks, as a half-done scrape leaves it."""
    first, last = _content_span(draft.labels)
    low, high = max(0, first - rng.randint(0, 4)), min(len(draft.segments), last + rng.randint(0, 4))
    return _Draft(draft.segments[low:high], draft.labels[low:high], draft.origins[low:high])


def page_documents(page: Page, material: Material, salt: int = 0) -> Iterator[LabeledDocument]:
    """The labeled views of one page: its HTML, its naive text dump, and for some pages
    that dump trimmed to the article's surroundings, a Markdown rendering and the
    ground-truth article alone."""
    truth = Truth.of(page)
    validation = is_validation(page)
    html_segments = segment_html(page.html, page.url)
    text_segments = segment_text(html_text.extract_text(page.html))
    choice = _page_seed(page, "views", salt)
    views: list[tuple[str, Kind, list[Segment]]] = [("html", Kind.HTML, html_segments), ("text", Kind.TEXT, text_segments)]
    if choice.random() < MARKDOWN_PAGE_SHARE:
        views.append(("markdown", Kind.MARKDOWN, _as_markdown(html_segments)))
    if choice.random() < TRIMMED_PAGE_SHARE:
        views.append(("trimmed", Kind.TEXT, text_segments))
    title = _page_title(html_segments, page)
    if choice.random() < ARTICLE_PAGE_SHARE:
        views.append(("article", Kind.TEXT, _article_only(html_segments, page, title)))
    for view, kind, segments in views:
        draft = _Draft(list(segments), [truth.label(segment) for segment in segments], [""] * len(segments))
        _label_title(draft, title)
        rng = _page_seed(page, view, salt)
        if view == "trimmed":
            draft = _trimmed(draft, rng)
        _augment(draft, kind, rng, material, validation)
        if draft.segments:
            yield _finish(draft, kind, page.url, validation)


def _article_only(html_segments: Sequence[Segment], page: Page, title: str) -> list[Segment]:
    """The page's ground-truth text alone, under its headline: a clean article, as a caller
    who already extracted one passes it, where even a short last sentence is content."""
    headline = [segment.text for segment in html_segments if title and " ".join(_tokens(segment.text)) == title]
    return _plain(headline[:1] + page.text.splitlines())


def _finish(draft: _Draft, kind: Kind, url: str, validation: bool) -> LabeledDocument:
    return LabeledDocument(Document(tuple(draft.segments), kind, url), tuple(draft.labels), validation,
                           tuple(draft.origins))


def _negative_as_html(paragraphs: Sequence[str]) -> str:
    """A hard negative as its own small page: title heading, paragraphs, numbered or
    bulleted paragraphs as list items, URLs as links (a reference list's real shape)."""
    def inline(text: str) -> str:
        return _URL.sub(r'<a href="\g<0>">\g<0></a>', html.escape(text))

    title = html.escape(paragraphs[0])
    body = [f"<h1>{title}</h1>"]
    for is_list, group in groupby(paragraphs[1:], key=lambda text: bool(_LIST_MARKER.match(text))):
        if is_list:
            items = "".join(f"<li>{inline(_LIST_MARKER.sub('', text))}</li>" for text in group)
            body.append(f"<ol>{items}</ol>")
        else:
            body.extend(f"<p>{inline(text)}</p>" for text in group)
    return f"<html><head><title>{title}</title></head><body><article>{''.join(body)}</article></body></html>"


def negative_segments(paragraphs: Sequence[str], kind: Kind) -> list[Segment]:
    """The blocks of a hard negative (title, then paragraphs) as the reader of ``kind`` gives them."""
    if kind is Kind.HTML:
        return segment_html(_negative_as_html(paragraphs))
    if kind is Kind.MARKDOWN:
        # Numbered paragraphs are list items already; URLs become autolinks.
        return segment_markdown("# " + _URL.sub(r"<\g<0>>", "\n\n".join(paragraphs)))
    return _plain(paragraphs)


def hard_negative_documents(material: Material, salt: int = 0) -> Iterator[LabeledDocument]:
    """Each hard negative alone, in every kind of input, with a little chrome around it."""
    for number, paragraphs in enumerate(material.hard_negatives):
        rng = random.Random(zlib.crc32(f"{salt}:negative:{number}".encode()))
        for kind in (Kind.TEXT, Kind.MARKDOWN, Kind.HTML):
            segments = negative_segments(paragraphs, kind)
            draft = _Draft(segments, [Label.CONTENT] * len(segments), [""] * len(segments))
            _inject_chrome(draft, rng, material)
            yield _finish(draft, kind, "", validation=number % 5 == 0)


def build_dataset(corpus: Sequence[Path], material: Material, salt: int = 0,
                  limit: int | None = None) -> list[LabeledDocument]:
    documents: list[LabeledDocument] = []
    for path in corpus:
        for number, page in enumerate(read_pages(path)):
            if limit is not None and number >= limit:
                break
            documents.extend(page_documents(page, material, salt))
    documents.extend(hard_negative_documents(material, salt))
    return with_site_profiles(documents, material, salt)


def _campaign(kind: Kind, rng: random.Random, material: Material, validation: bool) -> Campaign:
    snippet = material.sample_spam(rng, validation)
    blocks = segment_html(snippet.html) if kind is Kind.HTML else _plain(snippet.text_blocks)
    return Campaign(tuple(blocks), f"{snippet.family}:{snippet.lang}")


def with_site_profiles(documents: list[LabeledDocument], material: Material, salt: int = 0) -> list[LabeledDocument]:
    """The documents, plus copies of some sites' pages as pages of pseudo-hosts with their profile's site facts.

    The copies come on top, so the single-page path trains on the same
    documents it would without profiles. A chosen site's documents, originals
    and copies, all move to their pseudo-host's URL, one cross-fitting group.
    Training and validation sites never share a host, nor do views of
    different kinds (the HTML and text of one page would look syndicated).
    """
    rng = random.Random(zlib.crc32(f"{salt}:pseudo-hosts".encode()))
    sites = sorted({site_of(item.document.url) for item in documents if item.document.url})
    chosen = [site for site in sites if rng.random() < PROFILED_SHARE]
    names = {**site_groups([site for site in chosen if not _validation_site(site)], rng),
             **site_groups([site for site in chosen if _validation_site(site)], rng, prefix="val")}
    result: list[LabeledDocument] = []
    members: dict[tuple[bool, Kind, str], list[LabeledDocument]] = {}
    for item in documents:
        name = names.get(site_of(item.document.url)) if item.document.url else None
        if name is None:
            result.append(item)
            continue
        moved = dataclasses.replace(item.document, url=host_url(name, item.document.url))
        result.append(dataclasses.replace(item, document=moved))
        members.setdefault((item.validation, item.document.kind, name), []).append(item)
    for validation, kind in sorted({(v, k) for v, k, _ in members}, key=lambda key: (key[0], key[1].value)):
        groups = [(name, items) for (v, k, name), items in members.items() if (v, k) == (validation, kind)]
        pages = sum(len(items) for _, items in groups)
        campaigns = [_campaign(kind, rng, material, validation) for _ in range(max(2, pages // PAGES_PER_CAMPAIGN))]
        hosts = [
            PseudoHost(name, build_host([as_page(i.document, i.labels, i.origins) for i in items], campaigns, rng),
                       [i.document for i in items])
            for name, items in groups
        ]
        for host, documents_of_host in zip(hosts, profile_documents(hosts)):
            result.extend(
                LabeledDocument(document, tuple(page.labels), validation, tuple(page.origins))
                for document, page in zip(documents_of_host, host.pages)
            )
    return result


def _validation_site(site: str) -> bool:
    return is_validation(Page(id=site, url=f"https://{site}/", html="", text=""))


def _weights(refs: Sequence[BlockRef]) -> np.ndarray:
    """Long blocks weigh more: losing or keeping them moves far more of the text."""
    return np.array([1.0 + np.log1p(len(ref.segment.text.split())) for ref in refs])


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
    held_out_families: tuple[str, ...] = ()
    held_out_langs: tuple[str, ...] = ()


def train(options: TrainOptions) -> dict:
    """Build the dataset, fit on the training sites, measure on the held-back ones, save."""
    started = time.monotonic()
    material = Material.load(options.data_dir, options.sources_dir, options.held_out_families,
                             options.held_out_langs)
    corpora = [path for root in options.corpus for path in find_corpora(root)]
    documents = build_dataset(corpora, material, options.seed, options.limit)
    training = [item for item in documents if not item.validation]
    validation = [item for item in documents if item.validation]
    log.info("%d training documents, %d validation documents", len(training), len(validation))
    refs, labels = _rows(training)
    pipeline = build_pipeline(options.seed)
    pipeline.fit(refs, labels, classifier__sample_weight=_weights(refs))
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
            "held_out_spam": _held_out_recall(validation, material, predicted),
            "by_view": {
                kind.value: block_metrics(*_subset(validation, val_labels, predicted, kind))
                for kind in Kind
            },
            "by_site_profile": {
                name: block_metrics(*_profiled_subset(validation, val_labels, predicted, profiled))
                for name, profiled in (("with", True), ("without", False))
            },
        },
        "seed": options.seed,
        "training_seconds": round(time.monotonic() - started, 1),
    }
    save_model(pipeline, options.output, card)
    return card


def _held_out_recall(documents: Sequence[LabeledDocument], material: Material, predicted: np.ndarray) -> dict:
    """Spam recall on families and languages training never saw."""
    origins = np.array([origin for item in documents for origin in item.origins])
    held = np.array([bool(origin) and material.is_held_out(origin) for origin in origins])
    caught = predicted[held] == Label.SPAM.value
    return {
        "families": sorted(material.held_out_families),
        "languages": sorted(material.held_out_langs),
        "blocks": int(held.sum()),
        "recall": round(float(caught.mean()), 4) if held.any() else None,
    }


def _profiled_subset(documents: Sequence[LabeledDocument], truth: np.ndarray, predicted: np.ndarray,
                     profiled: bool) -> tuple[np.ndarray, np.ndarray]:
    mask = np.concatenate([np.full(len(item.labels), (item.document.site is not None) == profiled)
                           for item in documents])
    return truth[mask], predicted[mask]


def _subset(documents: Sequence[LabeledDocument], truth: np.ndarray, predicted: np.ndarray,
            kind: Kind) -> tuple[np.ndarray, np.ndarray]:
    mask = np.concatenate([np.full(len(item.labels), item.document.kind is kind) for item in documents])
    return truth[mask], predicted[mask]
