"""Labeled page corpora (HTML plus ground-truth main text) and their by-site split.

Training and the quality benchmark both read pages through this module, so they
agree on which sites are held back for validation.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# One site in five is held back. The split hashes the site, never the page, so
# a site's templates cannot leak from training into validation.
VALIDATION_BUCKETS = 5


@dataclass(frozen=True)
class Page:
    """One corpus page: its HTML and the text a perfect extractor keeps."""

    id: str
    url: str
    html: str
    text: str
    page_type: str = "article"
    title: str = ""


def site_of(url: str) -> str:
    """The registrable part of a URL's host, good enough to group pages by site."""
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    parts = host.split(".")
    # Keep three labels under two-letter country suffixes such as co.uk or com.au.
    keep = 3 if len(parts) >= 3 and len(parts[-1]) == 2 and len(parts[-2]) <= 3 else 2
    return ".".join(parts[-keep:])


def is_validation(page: Page) -> bool:
    """Whether the page's site is in the held-back validation part."""
    key = site_of(page.url) or page.id
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return digest[0] % VALIDATION_BUCKETS == 0


def read_pages(path: Path) -> Iterator[Page]:
    """Pages of a gzip-compressed JSONL corpus; pages without ground truth are skipped."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not record.get("text", "").strip():
                continue
            yield Page(
                id=record["id"],
                url=record.get("url") or "",
                html=record["html"],
                text=record["text"],
                page_type=record.get("page_type", "article"),
                title=record.get("title") or "",
            )


def find_corpora(root: Path) -> list[Path]:
    """Every ``*.jsonl.gz`` corpus under ``root`` (a file is returned as is)."""
    if root.is_file():
        return [root]
    return sorted(root.rglob("*.jsonl.gz"))
