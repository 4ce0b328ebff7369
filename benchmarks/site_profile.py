"""What a site profile adds: a generated archive of real pages under per-host templates.

Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python -m benchmarks.site_profile [--hosts 30] [--pages 50] [--views html,text]
    .venv/bin/python -m benchmarks.site_profile --hosts-from unrelated
    .venv/bin/python -m benchmarks.site_profile --scale 10000,30000,100000

Each host gets chrome written here (navigation, a banner, a related-articles
list drawn from a fixed set of the host's headlines, a footer; some hosts with
meaningless class names), and spam campaigns from the project's generator land
on several hosts each. The real pages come from ``content-train`` and
``content-dev``; their own blocks are labeled by alignment with the ground truth
as in training. Both runs use the same model: one with no profile, one with the
profile of the whole archive. ``--scale`` instead times the profile pass alone
on generated text documents and reports its peak memory.

``--hosts-from`` says where a host's own pages come from. The corpora hold
about one page per real site, so the pages of a benchmark host are pages of
unrelated sites. With ``unrelated`` each page keeps its own site's chrome,
which then shows once in the whole archive: no real host looks like that, and
no profile can see such chrome repeat. With ``shells`` (the default, because a
real site's header and footer are on all its pages) one real page per host is
its shell: every page of the host is the shell's markup before its article,
then the donor page's article, then the shell's markup after its article; the
shell is a page of its host too and donates to no other. An article runs from
its first to its last content paragraph (with its heading just above), so
widgets inside it stay, unique to the page. The shell's chrome is labeled
boilerplate and counts as repeated with the generated templates. Pages whose
block offsets do not hold their article's ends (the HTML segmenter places
blocks by tag search) come whole, their own chrome inside the shell's; the
output says how many.
"""
from __future__ import annotations

import benchmarks.one_core  # noqa: F401  (one thread, before numpy loads)

import argparse
import random
import re
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import (
    CORPORA,
    DEFAULT_DATA_ROOT,
    environment_line,
    load_cleaner,
    markdown_table,
    pct,
    repo_path,
    text_dump,
)

SECTIONS = (
    "Home", "News", "World", "Politics", "Business", "Markets", "Tech", "Science", "Health", "Sport",
    "Culture", "Books", "Travel", "Food", "Style", "Opinion", "Video", "Podcasts", "Local", "Weather",
    "Education", "Climate", "Cars", "Real Estate", "Jobs", "Events", "Archive", "Newsletters",
)
BANNERS = (
    "Support independent reporting at {host}: become a member from {price} a month.",
    "Get the {host} morning briefing in your inbox. Sign up now",
    "Enjoying {host}? Turn off your ad blocker or subscribe for {price} per month.",
    "Our journalism depends on readers like you. Donate to {host} today",
    "Download the {host} app for breaking alerts",
    "You have {number} free articles left this month. Log in for unlimited access",
)
FOOTERS = (
    "© {year} {host} Media Group. All rights reserved.",
    "Copyright {year} {host} · Terms of use · Privacy policy · Cookie settings",
    "{host} is part of {owner} Publishing. Registered in England No. {number}.",
)
FOOTER_LINKS = ("About us", "Contact", "Advertise", "Careers", "Privacy", "Terms", "Accessibility", "Sitemap")
OWNERS = ("Northgate", "Blue Harbor", "Meridian", "Kestrel", "Lakeside", "Summit")
SHARES = {"nav": 1.0, "banner": 0.7, "related": 0.6, "footer": 0.95}
CAMPAIGNS = 6
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass
class Host:
    name: str
    plain: bool  # class names say nothing (CSS modules), so markup paths cannot help
    nav: str
    banner: str
    footer: str
    headlines: list[str]
    campaign: str = ""
    campaign_reach: float = 0.0


@dataclass(frozen=True)
class _Span:
    """A real page's HTML cut at its first and last content blocks."""

    html: str
    start: int  # where the first content block's markup starts
    end: int  # where the last content block's markup ends
    chrome: frozenset[str]  # normalized blocks and dump lines before and after the article


@dataclass
class ArchivePage:
    host: Host
    url: str
    html: str
    truth: object  # spamguard.train.Truth
    chrome: set[str] = field(default_factory=set)
    spam: set[str] = field(default_factory=set)


def _normalize(text: str) -> str:
    from spamguard.profile import normalize_block

    return normalize_block(text)


def _lines_of(piece: str) -> set[str]:
    """Every normalized block text a piece of markup can give, as HTML blocks or as dump lines."""
    from spamguard.segment import segment_html

    lines = {_normalize(segment.text) for segment in segment_html(f"<html><body>{piece}</body></html>")}
    lines |= {_normalize(line) for line in text_dump(f"<html><body>{piece}</body></html>").splitlines()}
    return {line for line in lines if line}


def _make_host(number: int, rng: random.Random) -> Host:
    name = f"{rng.choice(('daily', 'the', 'metro', 'valley', 'coast', 'city'))}{number}-{rng.choice(('herald', 'post', 'times', 'review', 'ledger', 'wire'))}.example"
    plain = rng.random() < 0.5
    label = name.split(".")[0].replace("-", " ").title()

    def box(role: str, inner: str, tag: str = "div") -> str:
        css = f"c{rng.randrange(16**5):05x}" if plain else role
        return f'<{tag} class="{css}">{inner}</{tag}>'

    links = "".join(f'<li><a href="/{s.lower().replace(" ", "-")}">{s}</a></li>' for s in rng.sample(SECTIONS, rng.randint(5, 9)))
    values = {"host": label, "price": f"${rng.randint(2, 9)}", "number": rng.randint(2, 9), "year": 2026,
              "owner": rng.choice(OWNERS)}
    banner = rng.choice(BANNERS).format(**values)
    footer_links = " · ".join(f'<a href="/{item.lower().replace(" ", "-")}">{item}</a>' for item in rng.sample(FOOTER_LINKS, 5))
    footer = box("site-footer", f"<p>{rng.choice(FOOTERS).format(**values)}</p><p>{footer_links}</p>",
                 "div" if plain else "footer")
    return Host(
        name=name, plain=plain,
        nav=box("main-nav", f"<ul>{links}</ul>", "div" if plain else "nav"),
        banner=box("promo-banner", f"<p>{banner}</p>"),
        footer=footer,
        headlines=[],
    )


def _related(host: Host, rng: random.Random) -> str:
    items = "".join(f'<li><a href="/story/{rng.randrange(10**6)}">{title}</a></li>' for title in rng.sample(host.headlines, 4))
    return f'<div class="{"r" + host.name[:4] if host.plain else "related"}"><h3>More from {host.name.split(".")[0]}</h3><ul>{items}</ul></div>'


def _words_at(html: str, segment) -> bool:
    """Whether the segment's first and last words lie in its markup, so its offsets can be cut at."""
    words = re.findall(r"\w+", segment.text)
    piece = html[segment.start:segment.end]
    return segment.end > segment.start and (not words or (words[0] in piece and words[-1] in piece))


# The article runs from its first to its last paragraph of prose (content of at
# least this many words; shorter blocks the ground truth shares are often menu
# items), with the article's own heading just above it, unless that heading
# sits in header or navigation markup (cut there, the next page's article
# would land inside it). Ends whose offsets do not hold are skipped, a few at most.
_PROSE_WORDS = 8
_TITLE_SEARCH = 3
_END_TRIES = 5
_CHROME_ELEMENT = re.compile(r"(?:^|>)(?:header|nav|aside|footer|menu)\b")


def _article_span(page, truth) -> _Span | None:
    """``page`` cut around its article, or None when its offsets cannot be trusted."""
    from spamguard.segment import segment_html
    from spamguard.types import Label

    segments = segment_html(page.html, page.url)
    labels = [truth.label(segment) for segment in segments]
    prose = [index for index, segment in enumerate(segments)
             if labels[index] is Label.CONTENT and len(segment.text.split()) >= _PROSE_WORDS]
    first = next((index for index in prose[:_END_TRIES] if _words_at(page.html, segments[index])), None)
    last = next((index for index in prose[::-1][:_END_TRIES] if _words_at(page.html, segments[index])), None)
    if first is None or last is None or segments[first].start > segments[last].start:
        return None
    for index in range(first - 1, max(first - 1 - _TITLE_SEARCH, -1), -1):
        title = segments[index]
        if title.heading and labels[index] is Label.CONTENT:
            if _words_at(page.html, title) and not _CHROME_ELEMENT.search(title.tag_path):
                first = index
            break
    start, end = segments[first].start, segments[last].end
    chrome = {_normalize(segment.text) for segment in segments[:first] + segments[last + 1:]}
    for piece in (page.html[:start], page.html[end:]):
        chrome |= {_normalize(line) for line in text_dump(piece).splitlines()}
    return _Span(page.html, start, end, frozenset(line for line in chrome if line))


def _body(html: str) -> str:
    """The markup inside ``<body>``, or all of it."""
    opened, closed = _BODY_OPEN.search(html), _BODY_CLOSE.search(html)
    if opened and closed and opened.end() <= closed.start():
        return html[opened.end():closed.start()]
    return html


def _host_pages(real: list, hosts: int, pages: int, hosts_from: str) -> tuple[list[list], list[_Span | None]]:
    """Each host's real pages and its shell (None for ``unrelated``)."""
    if hosts_from == "unrelated":
        if len(real) < hosts * pages:
            raise SystemExit(f"{hosts} x {pages} pages asked for, the corpora hold {len(real)}")
        return [real[index * pages:(index + 1) * pages] for index in range(hosts)], [None] * hosts
    from spamguard.train import Truth

    shells, members, rest = [], [], []
    for page in real:
        span = _article_span(page, Truth.of(page)) if len(shells) < hosts else None
        # A shell has chrome on both sides of the article, as a real site's header and footer.
        if span is not None and span.start > 0 and span.end < len(span.html) and span.chrome:
            shells.append(span)
            members.append([page])
        else:
            rest.append(page)
    if len(shells) < hosts or len(rest) < hosts * (pages - 1):
        raise SystemExit(f"{hosts} x {pages} pages with a shell each asked for, the corpora hold {len(real)}")
    for index in range(hosts):
        members[index] += rest[index * (pages - 1):(index + 1) * (pages - 1)]
    return members, shells


def _in_shell(shell: _Span, page, truth) -> tuple[str, bool]:
    """``page``'s article inside ``shell``'s chrome; True when its own offsets held."""
    if page.html is shell.html:
        return page.html, True
    span = _article_span(page, truth)
    article = span.html[span.start:span.end] if span is not None else _body(page.html)
    return shell.html[:shell.start] + article + shell.html[shell.end:], span is not None


def build_archive(data_root: Path, hosts: int, pages: int, seed: int,
                  hosts_from: str = "shells") -> tuple[list[ArchivePage], int]:
    """The archive's pages, and how many pages came whole into their shell (their offsets did not hold)."""
    from spamguard.corpus import read_pages
    from spamguard.synth import SpamBank
    from spamguard.train import Truth

    rng = random.Random(seed)
    real = [page for corpus in ("content-train", "content-dev")
            for page in read_pages(repo_path(data_root) / CORPORA[corpus])]
    rng.shuffle(real)
    members, shells = _host_pages(real, hosts, pages, hosts_from)
    bank = SpamBank.load(repo_path(Path("data")), repo_path(data_root) / "spam-sources")
    campaigns = [bank.sample(rng, shapes=("stuffed", "anchors", "sponsored")).html for _ in range(CAMPAIGNS)]
    sites = [_make_host(number, rng) for number in range(hosts)]
    for index, host in enumerate(sites):
        host.headlines = [page.title or f"Story {n}" for n, page in enumerate(members[index][:8])]
        if rng.random() < 0.4:
            host.campaign = rng.choice(campaigns)
            host.campaign_reach = rng.uniform(0.4, 1.0)
    archive, whole = [], 0
    for index, host in enumerate(sites):
        shell = shells[index]
        for page in members[index]:
            truth = Truth.of(page)
            source, cut = (page.html, True) if shell is None else _in_shell(shell, page, truth)
            whole += not cut
            head, tail = [], []
            if rng.random() < SHARES["nav"]:
                head.append(host.nav)
            if rng.random() < SHARES["banner"]:
                head.append(host.banner)
            if rng.random() < SHARES["related"]:
                tail.append(_related(host, rng))
            if rng.random() < SHARES["footer"]:
                tail.append(host.footer)
            chrome_pieces = head + tail
            spam_pieces = [host.campaign] if host.campaign and rng.random() < host.campaign_reach else []
            html = _BODY_OPEN.sub(lambda match: match.group(0) + "".join(head), source, count=1)
            html = _BODY_CLOSE.sub(lambda match: "".join(tail + spam_pieces) + match.group(0), html, count=1)
            chrome = set().union(*(_lines_of(piece) for piece in chrome_pieces)) if chrome_pieces else set()
            if shell is not None:
                chrome |= shell.chrome
            spam = _lines_of(spam_pieces[0]) if spam_pieces else set()
            url = f"https://{host.name}/{page.id}"
            archive.append(ArchivePage(host, url, html, truth, chrome, spam))
    return archive, whole


@dataclass
class Tally:
    """Block counts of one run on one view; ``missed`` and ``missed_repeated`` hold block positions."""

    counts: Counter = field(default_factory=Counter)
    missed: set = field(default_factory=set)
    missed_repeated: set = field(default_factory=set)  # host templates and campaign spam only
    content_removed: set = field(default_factory=set)

    def rate(self, hit: str, total: str) -> float | None:
        return self.counts[hit] / self.counts[total] if self.counts[total] else None


def _truth(page: ArchivePage, text: str) -> str:
    from spamguard.types import Segment

    normalized = _normalize(text)
    if normalized in page.spam:
        return "spam"
    if normalized in page.chrome:
        return "boilerplate"
    return page.truth.label(Segment(text=text, start=0, end=0, line=0)).value


def run(archive: list[ArchivePage], view: str, cleaner) -> Tally:
    tally = Tally()
    documents = [page.html if view == "html" else text_dump(page.html) for page in archive]
    for number, (page, document) in enumerate(zip(archive, documents)):
        result = cleaner.clean(document, kind=view, url=page.url)
        for position, block in enumerate(result.blocks):
            truth = _truth(page, block.text)
            words = len(block.text.split())
            tally.counts[f"{truth}"] += 1
            if block.removed:
                tally.counts[f"{truth}_removed"] += 1
                if truth == "content":
                    tally.content_removed.add((number, position))
            elif truth != "content":
                tally.missed.add((number, position))
                if _normalize(block.text) in page.chrome | page.spam:
                    tally.missed_repeated.add((number, position))
            if truth == "content" and words >= 8:
                tally.counts["paragraphs"] += 1
                tally.counts["paragraphs_lost"] += block.removed
            if not block.removed:
                tally.counts["kept_words"] += words
                tally.counts["kept_content_words"] += words if truth == "content" else 0
    return tally


def quality(args: argparse.Namespace) -> None:
    from spamguard import Cleaner
    from spamguard.profile import SiteProfile

    started = time.monotonic()
    archive, whole = build_archive(args.data_root, args.hosts, args.pages, args.seed, args.hosts_from)
    print(f"archive: {len(archive)} pages on {args.hosts} hosts, built in {time.monotonic() - started:.0f} s; "
          f"hosts from {args.hosts_from}" + (f", {whole} pages whole in their shell" if args.hosts_from == "shells" else ""))
    single, _ = load_cleaner(args.model)
    rows = []
    for view in args.views.split(","):
        documents = [(page.html if view == "html" else text_dump(page.html), page.url) for page in archive]
        started = time.monotonic()
        profile = SiteProfile.build(documents, kind=view)
        profile_seconds = time.monotonic() - started
        profiled = Cleaner(args.model, profile=profile)
        without, with_profile = run(archive, view, single), run(archive, view, profiled)
        missed, repeated = without.missed, without.missed_repeated
        caught = len(missed - with_profile.missed) / len(missed) if missed else None
        caught_repeated = len(repeated - with_profile.missed) / len(repeated) if repeated else None
        for name, tally in (("no profile", without), ("profile", with_profile)):
            rows.append([
                view, name,
                pct(tally.rate("boilerplate_removed", "boilerplate")),
                pct(tally.rate("spam_removed", "spam")),
                pct(tally.rate("kept_content_words", "kept_words")),
                f"{tally.counts['paragraphs_lost']}/{tally.counts['paragraphs']}",
                f"{tally.counts['content_removed']} ({pct(tally.rate('content_removed', 'content'))})",
                "" if tally is without else (f"+{len(with_profile.content_removed - without.content_removed)} / "
                                             f"-{len(without.content_removed - with_profile.content_removed)}"),
                "" if tally is without else f"{pct(caught)} of {len(missed)}",
                "" if tally is without else f"{pct(caught_repeated)} of {len(repeated)}",
                "" if tally is without else f"{profile_seconds:.1f} s",
            ])
    print(environment_line())
    print(markdown_table(
        ["view", "run", "boilerplate recall", "spam recall", "content precision (words)",
         "article paragraphs lost", "content blocks removed", "content blocks removed only with / only without profile",
         "misses caught by profile",
         "of those on templates and campaigns", "profile pass"],
        rows,
    ))


def _generated_documents(count: int, seed: int):
    """Text documents on ``count // 40`` hosts: per-host chrome lines around unique sentences."""
    rng = random.Random(seed)
    # Letters only: fingerprints drop digits, so "w12" and "w55" would be one word.
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(5000)]
    hosts = max(count // 40, 1)
    chrome = [[" ".join(rng.sample(words, rng.randint(2, 8))) for _ in range(12)] for _ in range(min(hosts, 1000))]
    for number in range(count):
        host = number % hosts
        lines = chrome[host % len(chrome)][:6]
        lines += [" ".join(rng.choices(words, k=rng.randint(8, 30))) + "." for _ in range(rng.randint(10, 30))]
        lines += chrome[host % len(chrome)][6:]
        yield "\n\n".join(lines), f"https://host{host}.example/{number}"


# Hosts whose (host, block) page counts are also kept exactly, to measure the sketch's real error.
_EXACT_HOST_EVERY = 50


def scale(args: argparse.Namespace) -> None:
    import numpy as np

    from spamguard.profile import SiteProfile, fingerprint
    from spamguard.segment import segment
    from spamguard.types import Kind

    checkpoints = sorted(int(value) for value in args.scale.split(","))
    profile = SiteProfile()
    exact: Counter = Counter()
    rows, elapsed, bytes_in = [], 0.0, 0
    for number, (text, url) in enumerate(_generated_documents(checkpoints[-1], args.seed), start=1):
        host = url.split("/")[2]
        started = time.monotonic()
        blocks = [block.text for block in segment(text, Kind.TEXT, url)]
        profile.add(host, blocks)
        elapsed += time.monotonic() - started
        bytes_in += len(text.encode())
        if int(host[4:].split(".")[0]) % _EXACT_HOST_EVERY == 0:
            exact.update((host, block) for block in {fingerprint(b): b for b in blocks}.values())
        if number in checkpoints:
            pairs = list(exact.items())
            estimates = np.concatenate([profile.facts(host, [block]).page_counts for (host, block), _ in pairs])
            error = estimates - np.array([count for _, count in pairs])
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            summary = profile.summary()
            rows.append([f"{number:,}", f"{summary['hosts']:,}", f"{elapsed:.0f}", f"{number / elapsed:,.0f}",
                         f"{bytes_in / elapsed / 1e6:.1f}", f"{profile.memory_bytes / 2**20:.0f}", f"{peak:.0f}",
                         f"{summary['pair_error_bound']:.1f}", f"{error.mean():.3f} / {np.percentile(error, 99):.0f} / {error.max()}",
                         f"{len(pairs):,}"])
    print(environment_line())
    print(markdown_table(
        ["documents", "hosts", "seconds", "docs/s", "MB/s", "sketch MiB", "peak RSS MiB",
         "page-count bound e*N/w", "measured over-count mean / p99 / max", "exact pairs checked"],
        rows,
    ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--hosts", type=int, default=30)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--views", default="html,text")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hosts-from", choices=("shells", "unrelated"), default="shells",
                        help="each host's chrome: one real page's (shells) or each page its own (unrelated)")
    parser.add_argument("--scale", default="", help="comma-separated document counts: time the profile pass only")
    args = parser.parse_args()
    if args.scale:
        scale(args)
    else:
        quality(args)


if __name__ == "__main__":
    main()
