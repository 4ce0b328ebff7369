"""The audit report: the records of ``clean --removed`` in, one self-contained HTML page out.

Pure: no files, no network. ``clean --removed`` writes one record per removed
block (``file``, ``record``, ``id``, ``url``, ``label``, ``score``, ``reasons``,
``text``) and, at the end, up to ``MAX_SAMPLE`` document records
(``"type": "document"``, see ``document_record``): a seeded sample of the
documents that had a removal, each with its blocks in order, kept ones included.
``summarize`` reads both in one pass (memory grows with distinct removed texts,
not with the archive); ``render_html`` turns the summary into a page with inline
CSS and SVG only, so it opens offline and nothing in it runs.

The sample: every document gets a key hashed from the seed and its file and
record names (``sample_key``), and the sample is the documents with the smallest
keys (``BottomK``). That is a uniform random sample, drawn in one pass with only
the sample in memory, and the same whatever the order of the run or its number
of workers. The clean pass keeps the ``MAX_SAMPLE`` smallest keys under
``STORE_SEED``; ``audit --seed`` draws again among those, which is still a
uniform sample of the run (a random part of a random sample is one). A file with
no document records (written before they existed, or by hand) gets documents
rebuilt from its block records: removed blocks only.

Size bound: the page lists at most ``MAX_FREQUENT`` (50) frequent blocks,
``MAX_HOSTS`` (20) hosts and ``MAX_SAMPLE`` (50) sampled documents of at most
``MAX_DOC_BLOCKS`` (30) blocks each, a run of more than ``2 * KEPT_EDGE + 1`` (5)
kept blocks showing only its first and last ``KEPT_EDGE`` (2) ("… 12 kept blocks
…"); any text is cut to ``MAX_TEXT`` (300) characters and any note to
``MAX_NOTE`` (200). Whatever the size of the run, the page stays under about 1.3
million characters: about 1.3 MB of Latin-script text (escaping and UTF-8 can
make one character several bytes), tens of KB with the default sample of 20. The
document records that ``clean --removed`` appends are cut the same way (and keep
at most ``MAX_REASONS`` (6) reasons a block), so they add at most 50 × 30 entries
to that file: about 1 MB at most with spamguard's short reasons.
"""
from __future__ import annotations

import bisect
import hashlib
import html
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_SAMPLE = 20
MAX_SAMPLE = 50
MAX_DOC_BLOCKS = 30
KEPT_EDGE = 2
MAX_FREQUENT = 50
MAX_HOSTS = 20
MAX_TEXT = 300
MAX_NOTE = 200
MAX_REASONS = 6
BINS = 10
STORE_SEED = 0
DOCUMENT = "document"  # the "type" of a document record; block records have none
# Known labels get their own tint; anything else in the data is shown as "other".
_TINTS = {"spam": "#f8d0d0", "boilerplate": "#fbe9b7", "content": "#d5efd5"}
_BARS = {"spam": "#c0392b", "boilerplate": "#d4a017", "content": "#2e8b57"}
_OTHER_TINT, _OTHER_BAR = "#e0e0e0", "#777777"
_WHERE = ("file", "record", "id", "url")
_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .8em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
.legend span { padding: 0 .3em; }
.legend .struck { text-decoration: line-through; }
.doc { border: 1px solid #ddd; border-radius: 4px; padding: .2em .8em .4em; margin: 0 0 1.2em; }
.block { display: grid; grid-template-columns: minmax(0, 1fr) 14em; column-gap: 1.2em; }
.block p { margin: .35em 0; }
del { text-decoration-thickness: 1px; padding: 0 .2em; }
.note { color: #555; font-size: 80%; padding-top: .5em; overflow-wrap: anywhere; }
.elided p { color: #888; font-style: italic; }
.where { color: #666; font-size: 85%; overflow-wrap: anywhere; }
"""


@dataclass(frozen=True)
class SampledDocument:
    """One document of the sample, as shown: where it came from and its blocks in order.

    ``blocks`` holds block entries (``text``, ``label``, ``score``, ``removed``,
    ``reasons``) and elision marks (``elided``: blocks left out, ``elided_removed``:
    how many of them were removed).
    """

    where: dict
    blocks: list[dict]
    in_place: bool  # False when rebuilt from removed-block records: no kept text to show


@dataclass
class AuditSummary:
    """What a run removed, counted per label, text, document and host, and a sample of documents."""

    blocks: Counter = field(default_factory=Counter)  # label -> removed blocks
    bytes: Counter = field(default_factory=Counter)  # label -> UTF-8 bytes removed
    documents: Counter = field(default_factory=Counter)  # label -> documents touched
    histogram: dict[str, list[int]] = field(default_factory=dict)  # label -> counts per score bin
    frequent: Counter = field(default_factory=Counter)  # (label, text) -> blocks
    frequent_documents: Counter = field(default_factory=Counter)  # (label, text) -> documents
    spam_hosts: Counter = field(default_factory=Counter)
    touched: int = 0  # documents with at least one removed block
    sample: list[SampledDocument] = field(default_factory=list)


class BottomK:
    """The ``size`` items of smallest rank offered so far, in rank order; memory for ``size`` items only.

    A rank is a tuple whose first element is the item's key in [0, 1); the rest
    breaks ties, so the outcome never depends on the order of offers.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._ranks: list[tuple] = []
        self._items: list[object] = []

    @property
    def limit(self) -> float:
        """Items with a key above this can no longer get in."""
        if self.size <= 0:
            return -math.inf
        return self._ranks[-1][0] if len(self._ranks) >= self.size else math.inf

    def admits(self, key: float) -> bool:
        return key <= self.limit

    def offer(self, rank: tuple, item: object) -> None:
        if self.size <= 0 or (len(self._ranks) >= self.size and not rank < self._ranks[-1]):
            return
        index = bisect.bisect_right(self._ranks, rank)
        self._ranks.insert(index, rank)
        self._items.insert(index, item)
        if len(self._ranks) > self.size:
            self._ranks.pop()
            self._items.pop()

    def items(self) -> list:
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)


def sample_key(seed: int, file: object, record: object) -> float:
    """A document's sampling key in [0, 1): a hash, so the same in every process and run."""
    name = f"{seed}\0{file}\0{record}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big") / 2**64


def document_record(where: Mapping, blocks: Iterable[Mapping]) -> dict:
    """The record ``clean --removed`` keeps for a sampled document.

    ``where`` names it (file, record, id, url); ``blocks`` are all its blocks in
    order as dicts (text, label, score, removed, reasons). Kept runs and long
    documents are elided and texts cut as the report shows them (see ``compact_blocks``).
    """
    return {"type": DOCUMENT, **{name: where.get(name) for name in _WHERE}, "blocks": compact_blocks(blocks)}


def compact_blocks(blocks: Iterable[Mapping]) -> list[dict]:
    """Every removed block, kept runs cut to their first and last ``KEPT_EDGE``, at most ``MAX_DOC_BLOCKS`` entries."""
    entries: list[dict] = []
    kept: list[Mapping] = []
    for block in blocks:
        if block.get("removed"):
            entries.extend(_kept_run(kept))
            kept = []
            entries.append(_entry(block))
        else:
            kept.append(block)
    entries.extend(_kept_run(kept))
    return _capped(entries)


def summarize(records: Iterable[Mapping], sample: int = DEFAULT_SAMPLE, seed: int = 0) -> AuditSummary:
    """Count the removed-block ``records`` and draw a seeded sample of the documents."""
    summary = AuditSummary()
    size = min(sample, MAX_SAMPLE)
    stored, rebuilt = BottomK(size), BottomK(size)
    saw_documents = False
    # Records of one document are contiguous in the audit file, so "seen in this
    # document" needs only the last document per key, not a set of all of them.
    last_doc: dict[object, str] = {}
    previous_doc: str | None = None
    building: _Rebuilding | None = None
    for seen, record in enumerate(records):
        if record.get("type") == DOCUMENT:
            saw_documents = True
            key = sample_key(seed, record.get("file"), record.get("record"))
            if stored.admits(key):
                stored.offer((key, seen), _stored_document(record))
            continue
        doc = repr((record.get("file"), record.get("record"), record.get("id")))
        label, text = str(record.get("label", "")), _flat(str(record.get("text", "")))
        if doc != previous_doc:
            summary.touched += 1
            previous_doc = doc
            _finish(rebuilt, building)
            key = sample_key(seed, record.get("file"), record.get("record"))
            building = _Rebuilding((key, seen), record) if rebuilt.admits(key) else None
        if building is not None:
            building.add(record)
        _count(summary, last_doc, doc, label, text, record)
    _finish(rebuilt, building)
    summary.sample = stored.items() if saw_documents else rebuilt.items()
    return summary


def render_html(summary: AuditSummary, run_report: Mapping | None = None, title: str = "spamguard audit") -> str:
    """The whole report as one HTML string; every value from the data is escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No external resources: a strict CSP makes that true even if a bug slipped markup in.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        _counts_section(summary, run_report),
        _histogram_section(summary),
        # The documents before the long tables: they are what a reader checks first.
        _sample_section(summary),
        _frequent_section(summary),
        _hosts_section(summary),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def build_report(
    records: Iterable[Mapping], run_report: Mapping | None = None, sample: int = DEFAULT_SAMPLE, seed: int = 0
) -> str:
    """``summarize`` then ``render_html``."""
    return render_html(summarize(records, sample, seed), run_report)


class _Rebuilding:
    """A document put together from its removed-block records, bounded like a stored one."""

    def __init__(self, rank: tuple, first: Mapping) -> None:
        self.rank = rank
        self.where = {name: first.get(name) for name in _WHERE}
        self.blocks: list[dict] = []
        self.more = 0

    def add(self, record: Mapping) -> None:
        if len(self.blocks) < MAX_DOC_BLOCKS:
            self.blocks.append(_entry({**record, "removed": True}))
        else:
            self.more += 1

    def document(self) -> SampledDocument:
        blocks = self.blocks
        if self.more:
            blocks = [*blocks, {"elided": self.more, "elided_removed": self.more}]
        return SampledDocument(self.where, _capped(blocks), in_place=False)


def _finish(rebuilt: BottomK, building: _Rebuilding | None) -> None:
    if building is not None:
        rebuilt.offer(building.rank, building.document())


def _stored_document(record: Mapping) -> SampledDocument:
    # Cut again: a record may come from anywhere, and the page's bound must hold.
    blocks = record.get("blocks")
    entries = [
        _mark(block) if "elided" in block else _entry(block)
        for block in (blocks if isinstance(blocks, list) else [])
        if isinstance(block, Mapping)
    ]
    return SampledDocument({name: record.get(name) for name in _WHERE}, _capped(entries), in_place=True)


def _entry(block: Mapping) -> dict:
    reasons = block.get("reasons")
    return {
        "text": _clip(_flat(str(block.get("text", "")))),
        "label": str(block.get("label", "")),
        "score": block.get("score"),
        "removed": bool(block.get("removed")),
        "reasons": [_clip(str(r), MAX_NOTE) for r in reasons[:MAX_REASONS]] if isinstance(reasons, list) else [],
    }


def _mark(block: Mapping) -> dict:
    return {"elided": _int(block.get("elided")), "elided_removed": _int(block.get("elided_removed"))}


def _kept_run(kept: list[Mapping]) -> list[dict]:
    if len(kept) <= 2 * KEPT_EDGE + 1:
        return [_entry(block) for block in kept]
    return [
        *(_entry(block) for block in kept[:KEPT_EDGE]),
        {"elided": len(kept) - 2 * KEPT_EDGE, "elided_removed": 0},
        *(_entry(block) for block in kept[-KEPT_EDGE:]),
    ]


def _capped(entries: list[dict]) -> list[dict]:
    """At most ``MAX_DOC_BLOCKS`` entries: the rest become one elision mark."""
    if len(entries) <= MAX_DOC_BLOCKS:
        return entries
    rest = entries[MAX_DOC_BLOCKS - 1:]
    elided = sum(entry["elided"] if "elided" in entry else 1 for entry in rest)
    removed = sum(entry["elided_removed"] if "elided" in entry else int(entry["removed"]) for entry in rest)
    return [*entries[: MAX_DOC_BLOCKS - 1], {"elided": elided, "elided_removed": removed}]


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _count(summary: AuditSummary, last_doc: dict[object, str], doc: str, label: str, text: str, record: Mapping) -> None:
    summary.blocks[label] += 1
    summary.bytes[label] += len(str(record.get("text", "")).encode("utf-8", "surrogatepass"))
    key = (label, text[:MAX_TEXT])
    summary.frequent[key] += 1
    for counter, seen_key in ((summary.documents, label), (summary.frequent_documents, key)):
        if last_doc.get(seen_key) != doc:
            counter[seen_key] += 1
            last_doc[seen_key] = doc
    bins = summary.histogram.setdefault(label, [0] * BINS)
    bins[_bin(record.get("score"))] += 1
    if label == "spam":
        host = _host(record.get("url"))
        if host:
            summary.spam_hosts[host] += 1


def _bin(score: object) -> int:
    try:
        value = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    return min(BINS - 1, max(0, int(value * BINS)))


def _host(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _counts_section(summary: AuditSummary, run_report: Mapping | None) -> str:
    documents = (run_report or {}).get("documents", {})
    read = documents.get("read") if isinstance(documents, Mapping) else None
    rows = "".join(
        f'<tr><td>{_e(label)}</td><td class="n" data-label="{_e(label)}" data-count="blocks">{n}</td>'
        f'<td class="n">{summary.bytes[label]:,}</td><td class="n">{summary.documents[label]}</td></tr>'
        for label, n in sorted(summary.blocks.items())
    )
    total = sum(summary.blocks.values())
    line = f"<p>{total} blocks removed from {summary.touched} documents"
    if isinstance(read, int) and read > 0:
        line += f" of {read} read ({100 * summary.touched / read:.1f}% of documents touched)"
    return (
        "<h2>Removed blocks per label</h2>"
        + line
        + ".</p><table><tr><th>label</th><th>blocks</th><th>bytes</th><th>documents</th></tr>"
        + rows
        + "</table>"
    )


def _histogram_section(summary: AuditSummary) -> str:
    charts = "".join(_histogram_svg(label, bins) for label, bins in sorted(summary.histogram.items()))
    return (
        "<h2>Scores of removed blocks</h2><p>How sure the model was: removed blocks per score "
        "bin of 0.1. Nothing below the removal threshold is removed, so the bins under it are empty.</p>"
        f'<div class="charts">{charts}</div>'
    )


def _histogram_svg(label: str, bins: list[int], width: int = 260, height: int = 120) -> str:
    """Ten bars over scores 0–1; each bar's count is in its <title> (a tooltip)."""
    top = max(bins) or 1
    bar_width = width / BINS
    bars = []
    for index, count in enumerate(bins):
        bar_height = (height - 20) * count / top
        x, y = index * bar_width, height - 20 - bar_height
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_width - 2:.1f}" height="{bar_height:.1f}" '
            f'fill="{_BARS.get(label, _OTHER_BAR)}"><title>{index / BINS:.1f}–{(index + 1) / BINS:.1f}: '
            f"{count}</title></rect>"
        )
    axis = "".join(
        f'<text x="{tick * width:.0f}" y="{height - 4}" font-size="10" text-anchor="middle">{tick:.1f}</text>'
        for tick in (0.05, 0.5, 0.95)
    )
    return (
        f'<figure><svg width="{width}" height="{height}" '
        f'role="img" aria-label="score histogram for {_e(label)}">{"".join(bars)}{axis}</svg>'
        f"<figcaption>{_e(label)}: {sum(bins)} blocks, max {max(bins)} per bin</figcaption></figure>"
    )


def _frequent_section(summary: AuditSummary) -> str:
    rows = "".join(
        f'<tr><td class="n">{count}</td><td class="n">{summary.frequent_documents[key]}</td>'
        f"<td>{_e(key[0])}</td><td>{_e(_clip(key[1]))}</td></tr>"
        for key, count in summary.frequent.most_common(MAX_FREQUENT)
    )
    return (
        f"<h2>Most frequent removed blocks (top {MAX_FREQUENT})</h2>"
        "<table><tr><th>blocks</th><th>documents</th><th>label</th><th>text</th></tr>" + rows + "</table>"
    )


def _hosts_section(summary: AuditSummary) -> str:
    if not summary.spam_hosts:
        return "<h2>Hosts with most spam</h2><p>No URLs in the records.</p>"
    rows = "".join(
        f'<tr><td>{_e(host)}</td><td class="n">{n}</td></tr>' for host, n in summary.spam_hosts.most_common(MAX_HOSTS)
    )
    return "<h2>Hosts with most spam</h2><table><tr><th>host</th><th>spam blocks</th></tr>" + rows + "</table>"


def _sample_section(summary: AuditSummary) -> str:
    documents = "".join(_sample_document(document) for document in summary.sample)
    legend = (
        '<p class="legend">Kept text is plain. Removed blocks are struck through and tinted by label ('
        + ", ".join(
            f'<span class="struck" style="background:{_TINTS[label]}">{label}</span>' for label in ("spam", "boilerplate")
        )
        + "), with their label, score and reasons beside them and on hover. Long runs of kept blocks "
        f"show their first and last {KEPT_EDGE}.</p>"
    )
    rebuilt = any(not document.in_place for document in summary.sample)
    caveat = (
        "<p>These records hold removed blocks only (no document records from <code>clean --removed</code>), "
        "so the documents below show no kept text.</p>"
        if rebuilt
        else ""
    )
    return (
        f'<section id="sample"><h2>Sample documents ({len(summary.sample)})</h2>'
        + legend
        + caveat
        + f"{documents}</section>"
    )


def _sample_document(document: SampledDocument) -> str:
    return (
        f'<article class="doc"><p class="where">{_e(_clip(_where(document.where)))}</p>'
        + "".join(_sample_block(block) for block in document.blocks)
        + "</article>"
    )


def _sample_block(block: Mapping) -> str:
    if "elided" in block:
        n, removed = block["elided"], block["elided_removed"]
        what = f"{n} kept block{'s' if n != 1 else ''}" if not removed else f"{n} more blocks, {removed} of them removed"
        return f'<div class="block elided"><p>… {what} …</p></div>'
    text = _e(block["text"])
    if not block["removed"]:
        return f'<div class="block"><p>{text}</p></div>'
    label = block["label"]
    head = f"{label} {_score(block['score'])}"
    reasons = _clip("; ".join(block["reasons"]), MAX_NOTE)
    note = f"{head}: {reasons}" if reasons else head
    return (
        f'<div class="block"><p><del style="background:{_TINTS.get(label, _OTHER_TINT)}" title="{_e(note)}">'
        f'{text}</del></p><small class="note"><b>{_e(head)}</b>{"<br>" + _e(reasons) if reasons else ""}</small></div>'
    )


def _where(where: Mapping) -> str:
    file, record, doc_id, url = (where.get(name) for name in _WHERE)
    parts = [str(value) for value in (file, record) if value not in (None, "")]
    # A loose file's id is its own path: naming it twice says nothing.
    if doc_id not in (None, "") and str(doc_id) != str(record) and not str(file).endswith(str(doc_id)):
        parts.append(f"id {doc_id}")
    if url not in (None, ""):
        parts.append(str(url))
    return " · ".join(parts)


def _score(score: object) -> str:
    try:
        return f"{float(score):.3f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(score)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
