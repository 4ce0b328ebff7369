"""The audit report in a real browser: it renders, shows its numbers, and runs nothing from the data."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spamguard.audit_report import build_report, document_record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")

# Flags for a sandbox-less, offline headless run; without the networking ones
# Chromium keeps trying to reach Google's hosts.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
)
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
KEPT = (
    "The council voted on Tuesday to rebuild the old footbridge over the river.",
    "Work is expected to begin in the spring and to last about eight months.",
)


def _records() -> list[dict]:
    """What ``clean --removed`` writes for six pages: their removed blocks, then the pages themselves."""
    spam = {"text": f"ankara escort çankaya escort istanbul escort bayan {HOSTILE}", "label": "spam", "score": 0.97,
            "removed": True, "reasons": ["spam vocabulary (5 hits)"]}
    chrome = {"text": "Share this", "label": "boilerplate", "score": 0.8, "removed": True, "reasons": ["short (2 words)"]}
    kept = [{"text": text, "label": "content", "score": 0.02, "removed": False, "reasons": []} for text in KEPT]
    blocks, documents = [], []
    for n in range(6):
        where = {"file": f"page{n}.html", "record": "", "id": None, "url": f"https://site{n % 3}.example/a"}
        page = [kept[0], spam, kept[1], *([chrome] if n < 4 else [])]
        blocks += [{**where, **{k: v for k, v in block.items() if k != "removed"}} for block in page if block["removed"]]
        documents.append(document_record(where, page))
    return blocks + documents


class _Documents(HTMLParser):
    """The sampled documents in the DOM: each a list of (struck, text) in order."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[list[tuple[bool, str]]] = []
        self._depth = 0  # inside <p> of a document block
        self._struck = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "doc" in classes:
            self.documents.append([])
        elif self.documents and tag == "div" and "block" in classes:
            self.documents[-1].append((False, ""))
        elif tag == "p" and self.documents and self.documents[-1]:
            self._depth += 1
        elif tag == "del" and self._depth:
            self._struck = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._depth:
            self._depth -= 1
        elif tag == "article":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._depth and self.documents and self.documents[-1]:
            struck, text = self.documents[-1][-1]
            self.documents[-1][-1] = (struck or self._struck, text + data)
            self._struck = False


class _Tags(HTMLParser):
    """The elements and attribute names of the DOM as the browser built it."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes.update(name for name, _ in attrs)


def _chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _png_pixels(path: Path) -> bytes:
    """The decompressed scanlines of a PNG (enough to see whether it is blank)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    return zlib.decompress(b"".join(chunks))


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "audit.html"
    path.write_text(build_report(_records(), sample=10), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dom(page: Path, tmp_path_factory) -> str:
    """The DOM as Chromium built it from the file on disk."""
    return _chromium(tmp_path_factory.mktemp("chromium"), "--dump-dom", page.as_uri())


def test_browser_shows_counts_histogram_and_struck_spam_and_runs_nothing(dom: str) -> None:
    assert "<svg" in dom
    assert 'data-label="spam" data-count="blocks">6<' in dom
    assert "<del" in dom and "ankara escort" in dom
    assert "pwned" not in dom.split("<title>", 1)[1].split("</title>", 1)[0]
    # The hostile markup is there only as text: no element came from it.
    tags = _Tags()
    tags.feed(dom)
    assert "script" not in tags.names and "img" not in tags.names
    assert not [name for name in tags.attributes if name.startswith("on")]


def test_browser_shows_spam_struck_through_in_place_among_kept_text(dom: str) -> None:
    parsed = _Documents()
    parsed.feed(dom)
    assert len(parsed.documents) == 6
    for blocks in parsed.documents:
        struck = [index for index, (is_struck, text) in enumerate(blocks) if is_struck and "ankara escort" in text]
        kept = [index for index, (is_struck, text) in enumerate(blocks) if not is_struck and text in KEPT]
        # The spam struck through where it was, between two kept paragraphs shown as plain text.
        assert len(struck) == 1 and len(kept) == 2 and kept[0] < struck[0] < kept[1]
        assert HOSTILE in blocks[struck[0]][1]  # the markup shown as text


def test_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "audit.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,800", page.as_uri())
    pixels = _png_pixels(shot)
    assert len(set(pixels)) > 16, "the screenshot is a single colour"
