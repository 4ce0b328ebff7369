"""What the pre-commit hook reports about one document, and how ``--fix`` removes it.

Everything here is pure: a source string and the Cleaner's verdict go in,
findings come out; ``spamguard.spans.remove_spans`` cuts them. Files, options
and exit codes live in ``spamguard.commands.check``.
"""

from __future__ import annotations

import enum
import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from spamguard.hookconfig import HookConfig
from spamguard.types import Block, CleanResult, Kind, Label


class Code(str, enum.Enum):
    """One code per kind of finding; ``.value`` is what the report prints."""

    STUFFED = "SG101"
    LINK_LIST = "SG102"
    SENTENCE = "SG103"
    HIDDEN = "SG104"
    BOILERPLATE = "SG201"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Code.STUFFED: "keyword-stuffed spam block (one word takes a quarter of the block)",
    Code.LINK_LIST: "spam link list (three or more links)",
    Code.SENTENCE: "spam written as prose, or a spam link inside a sentence",
    Code.HIDDEN: "hidden spam (display:none, visibility:hidden, font-size:0, opacity:0, off-screen, hidden attribute)",
    Code.BOILERPLATE: "boilerplate (reported only with --labels boilerplate)",
}

# Three links make a list; two can sit in an honest sentence.
LINK_LIST_MIN = 3
# Share of a block's words (of four letters or more) taken by its most frequent
# one. Over the 73,000 ground-truth paragraphs of the content corpora, 0.25 is
# passed by 0.06% of those with 30+ words (tables and code); the seed article's
# escort footer has 0.49. Unlike the type/token ratio it does not grow with length.
STUFFED_TOP_WORD_SHARE = 0.25
_STUFFED_MIN_WORDS = 6
SNIPPET_CHARS = 60

_LINK_PATTERNS = (
    re.compile(r"<a\s", re.I),  # HTML anchor
    re.compile(r"\]\([^)\s]+(?:\s[^)]*)?\)"),  # Markdown inline link [text](url "title")
    re.compile(r"\]\[[^\]\n]*\]"),  # Markdown reference link [text][ref]
    re.compile(r"(?<![(\"'=])\bhttps?://"),  # bare URL or <autolink>, not an href or link target
)
_URL = re.compile(r"https?://[^\s\"'<>()\[\]]+", re.I)
_HIDING_STYLES = (
    re.compile(r"display\s*:\s*none", re.I),
    re.compile(r"visibility\s*:\s*hidden", re.I),
    re.compile(r"font-size\s*:\s*0(?![\d.])", re.I),
    re.compile(r"opacity\s*:\s*0(?:\.0*)?(?![\d.])", re.I),
    re.compile(r"(?:left|top|right|text-indent|margin-left)\s*:\s*-\d{3,}", re.I),  # off-screen
    re.compile(r"<[a-z][^>]*\shidden(?=[\s>/=])", re.I),  # the hidden attribute
)
_WORD = re.compile(r"\w{4,}")
# Pragmas: the HTML comment alone on the line before a block (or right before it
# on its own line), and the bare form at the end of any of the block's lines.
_PRAGMA_COMMENT = re.compile(r"<!--\s*spamguard:\s*ignore\s*-->")
_PRAGMA_COMMENT_AT_END = re.compile(r"<!--\s*spamguard:\s*ignore\s*-->$")
_PRAGMA_LINE_END = re.compile(r"spamguard:\s*ignore\s*(?:-->)?\s*$")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)


@dataclass(frozen=True)
class BlockFacts:
    """What decides the code of a flagged block."""

    links: int
    hidden: bool
    top_word_share: float


@dataclass(frozen=True)
class Finding:
    """One flagged block of one file."""

    path: str
    line: int
    col: int
    code: Code
    label: Label
    score: float
    text: str
    start: int
    end: int
    reasons: tuple[str, ...] = ()  # the Cleaner's, for telling a false positive
    # False when cutting the span could break surrounding markup (HTML only).
    fixable: bool = True

    @property
    def snippet(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"

    def format(self) -> str:
        snippet = self.snippet.replace("\\", "\\\\").replace('"', '\\"')
        return (
            f'{self.path}:{self.line}:{self.col}: {self.code.value} {self.label.value} ({self.score:.2f}) "{snippet}"'
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code.value,
            "description": self.code.description,
            "label": self.label.value,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def block_facts(block: Block, span: str) -> BlockFacts:
    """Links, visibility and keyword repetition of a block and its source span."""
    words = Counter(word.casefold() for word in _WORD.findall(block.text))
    total = sum(words.values())
    top_word_share = words.most_common(1)[0][1] / total if total >= _STUFFED_MIN_WORDS else 0.0
    # The Cleaner's reasons know about hiding ancestors; the span knows only its own markup.
    hidden = any("hidden" in reason for reason in block.reasons) or any(
        pattern.search(span) for pattern in _HIDING_STYLES
    )
    return BlockFacts(
        links=sum(len(pattern.findall(span)) for pattern in _LINK_PATTERNS),
        hidden=hidden,
        top_word_share=top_word_share,
    )


def finding_code(label: Label, facts: BlockFacts) -> Code:
    """The code for a flagged block: hidden first, then a link list, then stuffing, else prose."""
    if label is not Label.SPAM:
        return Code.BOILERPLATE
    if facts.hidden:
        return Code.HIDDEN
    if facts.links >= LINK_LIST_MIN:
        return Code.LINK_LIST
    if facts.top_word_share >= STUFFED_TOP_WORD_SHARE:
        return Code.STUFFED
    return Code.SENTENCE


def position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start + 1


def is_ignored(source: str, start: int, end: int) -> bool:
    """Whether a pragma exempts the block at ``source[start:end]``."""
    line_start = source.rfind("\n", 0, start) + 1
    before = source[line_start:start].strip()
    if before:
        if _PRAGMA_COMMENT_AT_END.search(before):
            return True
    elif line_start > 0:
        previous_start = source.rfind("\n", 0, line_start - 1) + 1
        if _PRAGMA_COMMENT.fullmatch(source[previous_start:line_start].strip()):
            return True
    last = start + len(source[start:end].rstrip())
    line_end = source.find("\n", last)
    own_lines = source[line_start : len(source) if line_end < 0 else line_end]
    return any(_PRAGMA_LINE_END.search(line) for line in own_lines.splitlines())


def link_hosts(span: str) -> set[str]:
    """Hosts of the absolute URLs in a span, lower-cased, without ``www.``."""
    hosts = set()
    for url in _URL.findall(span):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        hosts.add(host.removeprefix("www."))
    hosts.discard("")
    return hosts


def _domain_allowed(host: str, domains: Sequence[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def is_allowed(text: str, span: str, config: HookConfig) -> bool:
    """Whether the allowlist exempts a block: it contains an allowed phrase, or it
    links somewhere and every link goes to an allowed domain."""
    flat = " ".join(text.split()).casefold()
    if any(" ".join(phrase.split()).casefold() in flat for phrase in config.allowed_phrases):
        return True
    hosts = link_hosts(span)
    return bool(hosts) and all(_domain_allowed(host, config.allowed_domains) for host in hosts)


def _is_whole_markup(span: str) -> bool:
    """Whether an HTML span is complete elements: cutting it leaves no stray tag."""
    span = span.strip()
    if not (span.startswith("<") and span.endswith(">")):
        return False
    stack: list[str] = []
    for match in _TAG.finditer(span):
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if tag in _VOID_TAGS or self_closing:
            continue
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return False
    return not stack


def _shows_text(span: str, text: str) -> bool:
    """Whether an HTML span's visible characters are exactly the block's text, so
    the span really is the block that was judged."""
    visible = html.unescape(_TAG.sub("", span))
    return "".join(visible.split()) == "".join(text.split())


def _overlaps(block: Block, others: Iterable[Block]) -> bool:
    return any(other.start < block.end and block.start < other.end for other in others)


def _is_reported(block: Block, source: str, config: HookConfig) -> bool:
    if block.label.value not in config.labels or block.score < config.min_score:
        return False
    span = source[block.start : block.end]
    return not is_ignored(source, block.start, block.end) and not is_allowed(block.text, span, config)


def find(path: str, source: str, result: CleanResult, config: HookConfig) -> list[Finding]:
    """Findings for one document, before any baseline: blocks with a reported label
    at or above the minimum score, minus pragma-ignored and allowlisted ones."""
    reported = [_is_reported(block, source, config) for block in result.blocks]
    kept = [block for block, flag in zip(result.blocks, reported, strict=True) if not flag]
    findings = []
    for block, flag in zip(result.blocks, reported, strict=True):
        if not flag:
            continue
        span = source[block.start : block.end]
        line, col = position(source, block.start)
        # An HTML block that is not whole elements, that holds more than its text,
        # or that overlaps a block we keep is reported but never cut.
        fixable = not _overlaps(block, kept) and (
            result.kind is not Kind.HTML or (_is_whole_markup(span) and _shows_text(span, block.text))
        )
        findings.append(
            Finding(
                path=path,
                line=line,
                col=col,
                code=finding_code(block.label, block_facts(block, span)),
                label=block.label,
                score=block.score,
                text=block.text,
                start=block.start,
                end=block.end,
                reasons=block.reasons,
                fixable=fixable,
            )
        )
    return findings
