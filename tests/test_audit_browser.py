"""The audit report in a real browser: it renders, shows its numbers, and runs nothing from the data."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spamguard.audit_report import build_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")

# Flags for a sandbox-less, offline headless run; without the networking ones
# Chromium keeps trying to reach Google's hosts.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
)
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"


def _records() -> list[dict]:
    spam = f"ankara escort çankaya escort istanbul escort bayan {HOSTILE}"
    records = [{"file": f"page{n}.html", "record": None, "id": None, "url": f"https://site{n % 3}.example/a",
                "label": "spam", "score": 0.97, "reasons": ["spam vocabulary (5 hits)"], "text": spam}
               for n in range(6)]
    records += [{"file": f"page{n}.html", "record": None, "id": None, "url": "", "label": "boilerplate",
                 "score": 0.8, "reasons": ["short (2 words)"], "text": "Share this"} for n in range(4)]
    return records


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


def test_browser_shows_counts_histogram_and_struck_spam_and_runs_nothing(page: Path, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert "<svg" in dom
    assert 'data-label="spam" data-count="blocks">6<' in dom
    assert "<del" in dom and "ankara escort" in dom
    assert "pwned" not in dom.split("<title>", 1)[1].split("</title>", 1)[0]
    # The hostile markup is there only as text: no element came from it.
    tags = _Tags()
    tags.feed(dom)
    assert "script" not in tags.names and "img" not in tags.names
    assert not [name for name in tags.attributes if name.startswith("on")]


def test_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "audit.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,800", page.as_uri())
    pixels = _png_pixels(shot)
    assert len(set(pixels)) > 16, "the screenshot is a single colour"
