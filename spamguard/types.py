"""Records that flow through spamguard: blocks, labels, results and options.

This module imports nothing else from spamguard, so every other module can use it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


# Marks that close a sentence in the scripts spamguard reads: Latin and Cyrillic,
# CJK full-width, Devanagari danda, Arabic and Urdu, Armenian, Ethiopic, Myanmar.
SENTENCE_STOPS = ".!?。！？।॥؟۔։።။"


class Label(str, enum.Enum):
    """What a block is. ``.value`` is the string used in reports and JSON."""

    CONTENT = "content"
    BOILERPLATE = "boilerplate"
    SPAM = "spam"


class Kind(str, enum.Enum):
    """The markup of an input document."""

    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class LinkFacts:
    """Facts about the links inside one HTML or Markdown block."""

    count: int = 0
    chars_in_links: int = 0
    external: int = 0
    nofollow: int = 0
    domains: tuple[str, ...] = ()
    anchor_texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """A piece of a document as segmentation found it, before any judgement.

    ``start``/``end`` are character offsets into the source string and ``line``
    is the 1-based line number of ``start``; ``source[start:end]`` is the markup
    the block came from (for plain text and Markdown it contains ``text``).
    """

    text: str
    start: int
    end: int
    line: int
    tag: str = ""
    tag_path: str = ""
    links: LinkFacts = field(default_factory=LinkFacts)
    hidden: str = ""
    heading: bool = False
    list_item: bool = False
    # HTML: a number for the block's element and each element around it, root
    # first; blocks inside one element share its number.
    ancestors: tuple[int, ...] = ()
    # The block cut in two where spam appended to it may begin (``spam_tails``),
    # for the model to be asked about again; the segmentation itself is uncut.
    spam_tail: tuple[Segment, Segment] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class SiteFacts:
    """How a document's blocks repeat across an archive (see ``spamguard.profile``).

    ``page_counts[i]`` is how many of the host's ``host_pages`` pages carry block
    ``i``; ``host_counts[i]`` how many hosts carry it.
    """

    host_pages: int
    page_counts: tuple[int, ...]
    host_counts: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    """A segmented document: what the features and the model look at.

    ``site`` is None when no site profile is known (a single page).
    """

    segments: tuple[Segment, ...]
    kind: Kind
    url: str = ""
    site: SiteFacts | None = None


@dataclass(frozen=True)
class BlockRef:
    """One sample for the model: a block seen within its document.

    The model's rows are blocks, but most features need the whole document
    (position, neighbours, repetition), so each row carries a reference to it.
    """

    document: Document
    index: int

    @property
    def segment(self) -> Segment:
        return self.document.segments[self.index]


@dataclass(frozen=True)
class Block:
    """A segment with the model's verdict."""

    text: str
    start: int
    end: int
    line: int
    label: Label
    score: float
    removed: bool
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "label": self.label.value,
            "score": round(self.score, 4),
            "removed": self.removed,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text and the verdict on every block, in document order."""

    text: str
    blocks: tuple[Block, ...]
    kind: Kind

    @property
    def removed(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.removed)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "blocks": [block.to_dict() for block in self.blocks],
        }
