"""The one options object for an archive cleaning pass."""
from __future__ import annotations

from dataclasses import dataclass

# 20 MiB: far above any real article page, small enough that a handful of
# workers each holding one document stay well under 1 GB.
DEFAULT_MAX_DOC_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ArchiveOptions:
    """How to read, clean and write an archive. Built from CLI args by one function."""

    text_field: str = "text"
    html_field: str | None = None
    id_field: str = "id"
    url_field: str = "url"
    kind: str = "auto"
    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES
    details: bool = True
    as_jsonl: bool = False
    json_documents: bool = False
    audit: bool = False
    force: bool = False
    dry_run: bool = False
    jobs: int = 1
