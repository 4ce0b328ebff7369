"""Shared fixtures: the fixture folder, the shipped-model Cleaner and a tiny fitted pipeline."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from spamguard.types import BlockRef, CleanResult, Document, Kind, Label, Segment, SiteFacts

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paragraphs_of(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its whitespace collapsed."""
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


@pytest.fixture(scope="session", autouse=True)
def _single_threaded_native_code():
    """One OpenMP/BLAS thread in the test process.

    The gradient-boosting predict runs OpenMP threads; on a small machine shared
    with other jobs their spin-waiting made single ``clean`` calls take 10 s
    instead of 50 ms.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="session")
def cleaner():
    """A Cleaner with the model shipped in the package, loaded once for the whole run."""
    from spamguard import Cleaner

    return Cleaner()


# ---------------------------------------------------------------- the seed's shape


@dataclass(frozen=True)
class SeedParts:
    """The parts of a seed-shaped scrape, found by position as the seed lays them out.

    Chunks are separated by blank lines: the tag line and the banner; the title;
    the teaser; the article paragraphs; then author name (twice), bio, counter
    and the spam footer, one a line.
    """

    nav: str
    banner: str
    title: str
    teaser: str
    paragraphs: tuple[str, ...]
    author: str
    bio: str
    counter: str
    footer: str

    @classmethod
    def of(cls, source: str) -> SeedParts:
        chunks = [chunk.strip("\n") for chunk in re.split(r"\n[ \t\u00a0]*\n", source) if chunk.strip()]
        nav, banner = chunks[0].split("\n")
        author, author_again, bio, counter, footer = chunks[-1].split("\n")
        assert author == author_again
        return cls(nav, banner, chunks[1], chunks[2], tuple(chunks[3:-1]), author, bio, counter, footer)


def flat(text: str) -> str:
    return " ".join(text.split())


def block_of(result: CleanResult, text: str):
    """The one block whose text is ``text`` (whitespace collapsed)."""
    found = [block for block in result.blocks if block.text == flat(text)]
    assert len(found) == 1, f"expected one block {flat(text)[:60]!r}, found {len(found)}"
    return found[0]


def describe(block) -> str:
    return f"line {block.line}: {block.label.value} {block.score:.3f} removed={block.removed} {block.text[:70]!r}"


def seed_shape_failures(source: str, result: CleanResult) -> list[str]:
    """What the cleaned seed-shaped ``source`` gets wrong, as readable lines (empty when all is well)."""
    parts = SeedParts.of(source)
    problems: list[str] = []
    for paragraph in (parts.title, *parts.paragraphs):
        # Verbatim: the paragraph's own characters, line breaks and inner spaces included.
        if paragraph.strip() not in result.text:
            problems.append(f"not kept verbatim: {describe(block_of(result, paragraph))}")
    first_sentence = parts.paragraphs[0].split("\n")[0]
    if result.text.count(first_sentence) != 1:
        problems.append(f"first paragraph appears {result.text.count(first_sentence)} times")
    footer = block_of(result, parts.footer)
    if not (footer.label is Label.SPAM and footer.score >= 0.9 and footer.removed):
        problems.append(f"footer: {describe(footer)}")
    for chrome in (parts.nav, parts.banner, parts.teaser, parts.counter):
        block = block_of(result, chrome)
        if not (block.label is Label.BOILERPLATE and block.removed):
            problems.append(f"chrome: {describe(block)}")
    return problems


# ---------------------------------------------------------------- a tiny model

_ARTICLE = (
    "The council voted on Tuesday to rebuild the old footbridge over the river, ending a debate that "
    "has lasted for almost three years.",
    "Engineers say the new structure will be wider and will carry bicycles as well as people walking "
    "to the station in the morning.",
    "Work is expected to begin in the spring and to last about eight months, during which a ferry "
    "will run between the two banks.",
)
_CHROME = ("Home | News | Sport | Weather", "Share this article", "Subscribe to our newsletter", "1,204 reads")
_SPAM = (
    "cheap viagra buy viagra online viagra pills cheap viagra",
    "best casino bonus casino slots free spins casino",
    "escort bayan ankara escort istanbul escort",
)


def synthetic_documents(count: int = 6) -> tuple[list[BlockRef], list[str]]:
    """Small labeled text documents: chrome, article paragraphs and a spam footer each."""
    refs: list[BlockRef] = []
    labels: list[str] = []
    for number in range(count):
        texts = [
            (_CHROME[number % len(_CHROME)], "boilerplate"),
            *((f"{paragraph} Report {number}.", "content") for paragraph in _ARTICLE),
            (_CHROME[(number + 1) % len(_CHROME)], "boilerplate"),
            (_SPAM[number % len(_SPAM)], "spam"),
        ]
        segments = tuple(Segment(text=text, start=0, end=0, line=0) for text, _ in texts)
        # Every other document as a site profile sees it: chrome on most of the host's pages, spam on many hosts.
        site = SiteFacts(
            host_pages=10,
            page_counts=tuple(8 if label == "boilerplate" else 1 for _, label in texts),
            host_counts=tuple(6 if label == "spam" else 1 for _, label in texts),
        ) if number % 2 else None
        document = Document(segments=segments, kind=Kind.TEXT, url=f"https://site{number}.example/", site=site)
        refs.extend(BlockRef(document, index) for index in range(len(segments)))
        labels.extend(label for _, label in texts)
    return refs, labels


def tiny_pipeline():
    """``build_pipeline`` made small enough to fit in well under a second."""
    from spamguard.model import build_pipeline

    pipeline = build_pipeline().set_params(
        features__n_hash_features=2**10,
        features__cv_folds=2,
        classifier__max_iter=5,
        classifier__min_samples_leaf=2,
    )
    refs, labels = synthetic_documents()
    return pipeline.fit(refs, labels)


@pytest.fixture(scope="session")
def fitted_pipeline():
    return tiny_pipeline()
