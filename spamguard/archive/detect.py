"""Which format a file is, from its first bytes and its name, and where its output goes."""
from __future__ import annotations

import enum
import re
from pathlib import PurePosixPath

from spamguard.archive.streams import peek_decompressed, sniff_compression

HEAD_BYTES = 8192


class Format(str, enum.Enum):
    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"
    JSONL = "jsonl"
    WARC = "warc"
    TAR = "tar"
    ZIP = "zip"
    UNSUPPORTED = "unsupported"


LOOSE = (Format.TEXT, Format.HTML, Format.MARKDOWN)
COMPRESSION_SUFFIXES = {"gz": ".gz", "zst": ".zst"}

# Loose documents and line-oriented files are recognised by extension.
_EXTENSIONS = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".json": Format.JSONL,
    ".warc": Format.WARC,
    ".wet": Format.WARC,
    ".arc": Format.WARC,
    ".tar": Format.TAR,
    ".tgz": Format.TAR,
    ".zip": Format.ZIP,
}
_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.zst", ".tgz", ".tar", ".zip")
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_TAR_MAGIC_OFFSET = 257  # "ustar" sits here in every POSIX tar header
_WARC_MAGIC = b"WARC/"
_JSON_OBJECT_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{")
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|div|p\b|!--)", re.IGNORECASE)


def detect(head: bytes, name: str) -> tuple[Format, str]:
    """The format and compression ("", "gz", "zst") of a file starting with ``head``.

    Magic bytes win (WARC, tar, zip, gzip, zstd); then the extension; then, for
    names that say nothing, the content: a JSON object start means JSON Lines,
    a tag means HTML, anything else is plain text.
    """
    if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return Format.ZIP, ""
    compression = sniff_compression(head)
    inner = peek_decompressed(head, compression) if compression else head
    if inner.startswith(_WARC_MAGIC):
        return Format.WARC, compression
    if inner[_TAR_MAGIC_OFFSET : _TAR_MAGIC_OFFSET + 5] == b"ustar":
        return Format.TAR, compression
    stem = name.lower()
    if compression and stem.endswith(COMPRESSION_SUFFIXES[compression]):
        stem = stem[: -len(COMPRESSION_SUFFIXES[compression])]
    by_extension = _EXTENSIONS.get(PurePosixPath(stem).suffix)
    if by_extension in (Format.TAR, Format.ZIP, Format.WARC):
        # The magic bytes above did not match: a mislabelled or broken file.
        return Format.UNSUPPORTED, compression
    if by_extension is not None:
        return by_extension, compression
    if _JSON_OBJECT_START.match(inner):
        return Format.JSONL, compression
    if _HTML_START.match(inner):
        return Format.HTML, compression
    return Format.TEXT, compression


def known_extension(name: str) -> bool:
    """Whether a file found while walking a folder is one spamguard reads."""
    lower = name.lower()
    for suffix in COMPRESSION_SUFFIXES.values():
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
            break
    return PurePosixPath(lower).suffix in _EXTENSIONS or lower.endswith(".tgz")


def output_name(rel: PurePosixPath, fmt: Format, compression: str, as_jsonl: bool) -> PurePosixPath:
    """Where the cleaned form of ``rel`` goes, relative to the output folder.

    Text and Markdown keep their name; HTML gets ``.txt`` appended (the output is
    text); JSON Lines keep name and compression; WARC/WET get ``.jsonl`` inserted
    before the compression suffix; tar and zip become a folder named after them.
    """
    name = rel.name
    suffix = COMPRESSION_SUFFIXES.get(compression, "")
    base = name[: -len(suffix)] if suffix and name.lower().endswith(suffix) else name
    if fmt in (Format.TAR, Format.ZIP):
        return rel.with_name(_archive_stem(name))
    if fmt is Format.JSONL:
        return rel.with_name(base + suffix)
    if fmt is Format.WARC or as_jsonl:
        return rel.with_name(base + ".jsonl" + suffix)
    if fmt is Format.HTML:
        return rel.with_name(base + ".txt")
    return rel.with_name(base)


def _archive_stem(name: str) -> str:
    lower = name.lower()
    for suffix in _ARCHIVE_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name + ".d"
