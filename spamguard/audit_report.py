"""The audit report: removed-block records in, one self-contained HTML page out.

Pure: no files, no network. ``summarize`` reads the records of ``clean --removed``
in one pass (memory grows with distinct removed texts, not with the archive);
``render_html`` turns the summary into a page with inline CSS and SVG only, so it
opens offline and nothing in it runs.

Size bound: the page lists at most ``MAX_FREQUENT`` (50) frequent blocks, at most
``MAX_SAMPLE`` (500) sampled blocks and ``MAX_HOSTS`` (20) hosts, and shows at most
``MAX_TEXT`` (300) characters of any text, so it stays under about 1 MB however
large the run (about 40 KB with the default sample of 20).
"""
from __future__ import annotations

import html
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_FREQUENT = 50
MAX_SAMPLE = 500
MAX_HOSTS = 20
MAX_TEXT = 300
BINS = 10
# Known labels get their own tint; anything else in the data is shown as "other".
_TINTS = {"spam": "#f8d0d0", "boilerplate": "#fbe9b7", "content": "#d5efd5"}
_BARS = {"spam": "#c0392b", "boilerplate": "#d4a017", "content": "#2e8b57"}
_OTHER_TINT, _OTHER_BAR = "#e0e0e0", "#777777"
_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .8em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
.sample p { margin: .4em 0; }
del { text-decoration-thickness: 1px; padding: 0 .2em; }
.where { color: #666; font-size: 85%; }
"""


@dataclass
class AuditSummary:
    """What a run removed, counted per label, text, document and host."""

    blocks: Counter = field(default_factory=Counter)  # label -> removed blocks
    bytes: Counter = field(default_factory=Counter)  # label -> UTF-8 bytes removed
    documents: Counter = field(default_factory=Counter)  # label -> documents touched
    histogram: dict[str, list[int]] = field(default_factory=dict)  # label -> counts per score bin
    frequent: Counter = field(default_factory=Counter)  # (label, text) -> blocks
    frequent_documents: Counter = field(default_factory=Counter)  # (label, text) -> documents
    spam_hosts: Counter = field(default_factory=Counter)
    touched: int = 0  # documents with at least one removed block
    sample: list[dict] = field(default_factory=list)


def summarize(records: Iterable[Mapping], sample: int = 20, seed: int = 0) -> AuditSummary:
    """Count removed-block ``records`` (one dict per block) and draw a seeded sample of them."""
    summary = AuditSummary()
    rng = random.Random(seed)
    size = min(sample, MAX_SAMPLE)
    # Records of one document are contiguous in the audit file, so "seen in this
    # document" needs only the last document per key, not a set of all of them.
    last_doc: dict[object, str] = {}
    previous_doc: str | None = None
    for seen, record in enumerate(records):
        doc = repr((record.get("file"), record.get("record"), record.get("id")))
        label, text = str(record.get("label", "")), _flat(str(record.get("text", "")))
        if doc != previous_doc:
            summary.touched += 1
            previous_doc = doc
        _count(summary, last_doc, doc, label, text, record)
        _reservoir(summary.sample, size, seen, record, rng)
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
        _frequent_section(summary),
        _hosts_section(summary),
        _sample_section(summary),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def build_report(
    records: Iterable[Mapping], run_report: Mapping | None = None, sample: int = 20, seed: int = 0
) -> str:
    """``summarize`` then ``render_html``."""
    return render_html(summarize(records, sample, seed), run_report)


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


def _reservoir(sample: list[dict], size: int, seen: int, record: Mapping, rng: random.Random) -> None:
    """Algorithm R: every record has the same chance to be in the sample, in one pass."""
    if len(sample) < size:
        sample.append(dict(record))
        return
    slot = rng.randrange(seen + 1)
    if slot < size:
        sample[slot] = dict(record)


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
    items = "".join(_sample_item(record) for record in summary.sample)
    return (
        f"<h2>Sample of removed blocks ({len(summary.sample)})</h2>"
        "<p>Hover a block for its score and reasons.</p>"
        f'<div class="sample">{items}</div>'
    )


def _sample_item(record: Mapping) -> str:
    label = str(record.get("label", ""))
    reasons = record.get("reasons") or []
    note = f"{label} {record.get('score')}: " + "; ".join(str(reason) for reason in reasons)
    where = " ".join(str(record.get(name)) for name in ("file", "record", "url") if record.get(name) not in (None, ""))
    return (
        f'<p><span class="where">{_e(_clip(where))}</span><br>'
        f'<del style="background:{_TINTS.get(label, _OTHER_TINT)}" title="{_e(_clip(note))}">'
        f"{_e(_clip(_flat(str(record.get('text', '')))))}</del></p>"
    )


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
