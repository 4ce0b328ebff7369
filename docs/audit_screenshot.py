"""Regenerate ``docs/audit-report.png``, the README's picture of the audit report.

Run from the repository root, by hand, when the report's look changes:

    .venv/bin/python docs/audit_screenshot.py

It needs Chromium and the shipped model. It writes a small JSON Lines archive from
the test fixtures (the seed-shaped page, and each plain-text hard negative with a
keyword-stuffed spam snippet and a counter appended), runs ``spamguard clean
--audit`` over it and screenshots the top of the report: the counts, the
histograms and the first sampled documents.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from spamguard.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
OUTPUT = ROOT / "docs" / "audit-report.png"
# Flags for a sandbox-less, offline headless run (as in tests/test_audit_browser.py).
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars",
)
# A 1000 x 1600 CSS-pixel page at 0.75 scale: readable, and a PNG of about 100 KB.
WINDOW = "1000,1600"
SCALE = "0.75"


def archive_records() -> list[dict]:
    spam = sorted((FIXTURES / "spam").glob("*-stuffed.txt"))
    pages = [("seed_like", (FIXTURES / "seed_like.txt").read_text(encoding="utf-8"))]
    for number, path in enumerate(sorted((FIXTURES / "hard_negatives").glob("*.txt"))):
        snippet = spam[number % len(spam)].read_text(encoding="utf-8").strip()
        text = path.read_text(encoding="utf-8").strip()
        pages.append((path.stem, f"{text}\n\n{100 + 37 * number} reads\n\n{snippet}\n"))
    return [
        {"id": name, "url": f"https://{name.split('-')[0]}.example/{name}", "text": text}
        for name, text in pages
    ]


def main_() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("audit_screenshot: chromium is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        # Relative paths, so the report names "pages.jsonl", not a temporary folder.
        Path("pages.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in archive_records()), encoding="utf-8"
        )
        status = main(["clean", "pages.jsonl", "-o", "out", "--audit", "audit.html", "-q", "-j", "1"])
        if status != 0:
            return status
        subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}", f"--screenshot={OUTPUT}",
             f"--window-size={WINDOW}", f"--force-device-scale-factor={SCALE}", Path("audit.html").resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    print(f"audit_screenshot: wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
