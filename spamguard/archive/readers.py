"""Turn input paths into units (one output file each) of documents to clean.

Readers never raise on bad input: every broken file, record or member becomes a
``Problem`` in the item stream, named by file, record and reason.
"""
from __future__ import annotations

import io
import os
import re
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from spamguard.archive.detect import HEAD_BYTES, LOOSE, Format, detect, known_extension, output_name
from spamguard.archive.options import ArchiveOptions
from spamguard.archive.records import DocTask, Item, Output, Payload, Problem, Severity, Unit
from spamguard.archive.stats import Stats
from spamguard.archive.streams import (
    DECODE_ERRORS,
    Meter,
    MeteredFile,
    decompressed,
    read_bounded,
    read_line,
)

STDIN = "-"
_STDIN_NAMES = {
    Format.TEXT: "stdin",
    Format.HTML: "stdin.html",
    Format.MARKDOWN: "stdin.md",
    Format.JSONL: "stdin.jsonl",
    Format.WARC: "stdin.warc",
    Format.TAR: "stdin.tar",
    Format.ZIP: "stdin.zip",
    Format.UNSUPPORTED: "stdin",
}
_KIND_BY_EXTENSION = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, NotImplementedError, RuntimeError)
_WARC_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError)


def iter_units(
    inputs: Sequence[str], options: ArchiveOptions, meter: Meter, stdin: BinaryIO
) -> Iterator[Unit | Problem]:
    """Every output unit of ``inputs`` in order; each must be consumed before the next."""
    for arg in inputs:
        units = _input_units(arg, options, meter, stdin)
        if options.as_jsonl:
            yield _flattened(arg, units)
        else:
            yield from units


def _input_units(arg: str, options: ArchiveOptions, meter: Meter, stdin: BinaryIO) -> Iterator[Unit | Problem]:
    if arg == STDIN:
        yield from _stream_units(stdin, "<stdin>", None, None, options, meter, owned=False, in_archive=False)
        return
    path = Path(arg)
    if path.is_dir():
        for found in _walk(path):
            if isinstance(found, Problem):
                yield found
                continue
            file, rel = found
            if not file.is_file():
                yield Problem(str(file), "", "unreadable", "broken link or not a regular file", Severity.FAILED)
            elif known_extension(file.name):
                yield from _file_units(file, rel, options, meter)
            else:
                yield Problem(str(file), "", "unsupported-file", "extension not read by spamguard", Severity.SKIPPED)
        return
    yield from _file_units(path, PurePosixPath(path.name), options, meter)


def _flattened(arg: str, units: Iterator[Unit | Problem]) -> Unit:
    """All documents of one input as one JSON Lines unit (``--format jsonl``)."""
    name = "stdin" if arg == STDIN else Path(arg).resolve().name

    def items() -> Iterator[Item]:
        for unit in units:
            if isinstance(unit, Problem):
                yield unit
                continue
            try:
                yield from unit.items
            finally:
                unit.close()

    return Unit(arg, PurePosixPath(name + ".jsonl"), "", items())


def _walk(root: Path) -> Iterator[tuple[Path, PurePosixPath] | Problem]:
    """Files under ``root`` in sorted order (deterministic output), not following dir links."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as error:
            yield Problem(str(folder), "", "unreadable", error.strerror or str(error), Severity.FAILED)
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
        for entry in reversed(entries):
            if not entry.is_dir(follow_symlinks=False):
                file = Path(entry.path)
                yield file, PurePosixPath(file.relative_to(root).as_posix())


def _file_units(path: Path, rel: PurePosixPath, options: ArchiveOptions, meter: Meter) -> Iterator[Unit | Problem]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the unit
    except OSError as error:
        yield Problem(str(path), "", "unreadable", error.strerror or str(error), Severity.FAILED)
        return
    stream = io.BufferedReader(MeteredFile(raw, meter))
    yield from _stream_units(stream, str(path), rel, path, options, meter, owned=True, in_archive=False)


def _stream_units(
    stream: BinaryIO,
    display: str,
    rel: PurePosixPath | None,
    path: Path | None,
    options: ArchiveOptions,
    meter: Meter,
    *,
    owned: bool,
    in_archive: bool,
) -> Iterator[Unit | Problem]:
    """Detect the format of ``stream`` and yield its units; ``owned`` streams are closed after."""
    close = stream.close if owned else (lambda: None)
    try:
        head = stream.read(HEAD_BYTES)
    except OSError as error:
        close()
        yield Problem(display, "", "unreadable", str(error), Severity.FAILED)
        return
    fmt, compression = detect(head, rel.name if rel else "")
    if rel is None:
        rel = PurePosixPath(_STDIN_NAMES[fmt] + ({"gz": ".gz", "zst": ".zst"}.get(compression, "")))
    whole = io.BufferedReader(_Prefixed(head, stream))
    if not head:
        close()
        yield Problem(display, "", "empty", "empty file", Severity.SKIPPED)
        return
    if fmt is Format.UNSUPPORTED:
        close()
        yield Problem(display, "", "unsupported-file", f"named like {rel.suffix} but content does not match", Severity.FAILED)
        return
    out = output_name(rel, fmt, compression, options.as_jsonl)
    if fmt in LOOSE:
        items = _loose_items(whole, display, rel, fmt, compression, options)
        yield Unit(display, out, "", items, single=True, close=close)
    elif fmt is Format.JSONL:
        yield Unit(display, out, compression, _jsonl_items(whole, display, compression, options), close=close)
    elif fmt is Format.WARC:
        yield Unit(display, out, compression, _warc_items(whole, display, compression, options), close=close)
    elif in_archive:
        yield Problem(display, "", "nested-archive", "archives inside archives are not read", Severity.SKIPPED)
    elif fmt is Format.TAR:
        try:
            yield from _tar_units(whole, display, out, compression, options, meter)
        finally:
            close()
    else:
        close()
        yield from _zip_units(path, display, out, options, meter)


def _loose_items(
    stream: BinaryIO, display: str, rel: PurePosixPath, fmt: Format, compression: str, options: ArchiveOptions
) -> Iterator[Item]:
    try:
        data, too_big = read_bounded(decompressed(stream, compression), options.max_doc_bytes)
    except DECODE_ERRORS as error:
        yield Problem(display, "", "corrupt-compression", str(error), Severity.FAILED)
        return
    if too_big:
        yield _too_large(display, "")
    elif not data.strip():
        yield Problem(display, "", "empty", "no text", Severity.SKIPPED)
    elif b"\x00" in data[:HEAD_BYTES]:
        yield Problem(display, "", "binary", "NUL bytes: not a text document", Severity.FAILED)
    else:
        output = Output.JSONL if options.as_jsonl else Output.JSON if options.json_documents else Output.TEXT
        yield DocTask(display, "", data, Payload.DOCUMENT, output, _loose_kind(rel, fmt, options), fields={"id": str(rel)})


def _loose_kind(rel: PurePosixPath, fmt: Format, options: ArchiveOptions) -> str:
    if options.kind != "auto":
        return options.kind
    if fmt is Format.HTML:
        return "html"
    name = rel.name.lower().removesuffix(".gz").removesuffix(".zst")
    return _KIND_BY_EXTENSION.get(PurePosixPath(name).suffix, "auto")


def _jsonl_items(stream: BinaryIO, display: str, compression: str, options: ArchiveOptions) -> Iterator[Item]:
    lines = decompressed(stream, compression)
    number = 0
    try:
        while True:
            line, too_long = read_line(lines, options.max_doc_bytes)
            if not line and not too_long:
                return
            number += 1
            if too_long:
                yield _too_large(display, f"line {number}")
            elif not line.strip():
                yield Stats(read=1, skipped=1, skipped_reasons={"blank-line": 1})
            else:
                yield DocTask(display, f"line {number}", line, Payload.JSON_LINE, Output.JSONL)
    except DECODE_ERRORS as error:
        yield Problem(display, f"after line {number}", "corrupt-compression", str(error) or type(error).__name__, Severity.FAILED)


def _warc_items(stream: BinaryIO, display: str, compression: str, options: ArchiveOptions) -> Iterator[Item]:
    # warcio undoes gzip itself (one member per record); zstd it does not read.
    source = decompressed(stream, compression) if compression == "zst" else stream
    number = 0
    try:
        for record in ArchiveIterator(source, arc2warc=True):
            number += 1
            yield _warc_item(record, display, number, options)
    except _WARC_ERRORS as error:
        yield Problem(display, f"after record {number}", "malformed-warc", _short(error), Severity.FAILED)
    except DECODE_ERRORS as error:
        yield Problem(display, f"after record {number}", "corrupt-compression", _short(error), Severity.FAILED)


def _warc_item(record, display: str, number: int, options: ArchiveOptions) -> Item:  # noqa: ANN001 - warcio record
    rec_type = record.rec_type
    record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record {number}"
    if rec_type == "conversion":
        kind, content_type = "text", record.rec_headers.get_header("Content-Type") or ""
    elif rec_type in ("response", "resource"):
        headers = record.http_headers if record.http_headers is not None else record.rec_headers
        content_type = headers.get_header("Content-Type") or ""
        if not content_type.lower().startswith(_HTML_TYPES):
            return Stats(read=1, skipped=1, skipped_reasons={"warc-not-html": 1})
        kind = "html"
    else:
        return Stats(read=1, skipped=1, skipped_reasons={f"warc-{rec_type}": 1})
    try:
        data, too_big = read_bounded(record.content_stream(), options.max_doc_bytes)
    except DECODE_ERRORS as error:
        return Problem(display, record_id, "corrupt-payload", _short(error), Severity.FAILED)
    if too_big:
        return _too_large(display, record_id)
    if record.raw_stream.limit > 0:
        return Problem(display, record_id, "truncated-record", "record shorter than its Content-Length", Severity.FAILED)
    url = record.rec_headers.get_header("WARC-Target-URI")
    charset = _CHARSET.search(content_type)
    fields = {
        "id": record_id,
        "url": url,
        "date": record.rec_headers.get_header("WARC-Date"),
        "warc_type": rec_type,
    }
    return DocTask(display, record_id, data, Payload.DOCUMENT, Output.JSONL, kind, charset and charset.group(1), fields, url)


def _tar_units(
    stream: BinaryIO, display: str, out: PurePosixPath, compression: str, options: ArchiveOptions, meter: Meter
) -> Iterator[Unit | Problem]:
    # Stream mode reads members strictly in order: works on stdin, bounded memory.
    source = decompressed(stream, "zst") if compression == "zst" else stream
    try:
        with tarfile.open(fileobj=source, mode="r|*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = f"{display}!{member.name}"
                if not member.isfile():
                    yield Problem(name, "", "not-a-file", "links and devices are not read", Severity.SKIPPED)
                    continue
                rel = _member_path(member.name)
                if rel is None:
                    yield Problem(name, "", "unsafe-path", "member name escapes the output folder", Severity.FAILED)
                    continue
                yield from _member_units(tar.extractfile(member), name, out / rel, options, meter)
    except (*_ARCHIVE_ERRORS, *DECODE_ERRORS) as error:
        yield Problem(display, "", "corrupt-archive", _short(error), Severity.FAILED)


def _zip_units(
    path: Path | None, display: str, out: PurePosixPath, options: ArchiveOptions, meter: Meter
) -> Iterator[Unit | Problem]:
    if path is None:
        yield Problem(display, "", "unsupported-file", "zip needs a seekable file, not a stream", Severity.FAILED)
        return
    try:
        with open(path, "rb") as raw, zipfile.ZipFile(io.BufferedReader(MeteredFile(raw, meter))) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                name = f"{display}!{info.filename}"
                rel = _member_path(info.filename)
                if rel is None:
                    yield Problem(name, "", "unsafe-path", "member name escapes the output folder", Severity.FAILED)
                    continue
                try:
                    member = archive.open(info)
                except _ARCHIVE_ERRORS as error:
                    yield Problem(name, "", "corrupt-archive", _short(error), Severity.FAILED)
                    continue
                with member:
                    yield from _member_units(member, name, out / rel, options, meter)
    except (*_ARCHIVE_ERRORS, *DECODE_ERRORS) as error:
        yield Problem(display, "", "corrupt-archive", _short(error), Severity.FAILED)


def _member_units(
    member: BinaryIO | None, name: str, rel: PurePosixPath, options: ArchiveOptions, meter: Meter
) -> Iterator[Unit | Problem]:
    if member is None:
        return
    for unit in _stream_units(member, name, rel, None, options, meter, owned=False, in_archive=True):
        if isinstance(unit, Unit):
            unit.items = _guarded(unit.items, name)
        yield unit


def _guarded(items: Iterator[Item], name: str) -> Iterator[Item]:
    """A member's items, with a broken archive stream reported instead of raised."""
    try:
        yield from items
    except (*_ARCHIVE_ERRORS, *DECODE_ERRORS) as error:
        yield Problem(name, "", "corrupt-archive", _short(error), Severity.FAILED)


def _member_path(name: str) -> PurePosixPath | None:
    """A safe relative path for an archive member, or None if it would escape."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or _WINDOWS_DRIVE.match(cleaned) or "\x00" in cleaned:
        return None
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


def _too_large(display: str, record: str) -> Problem:
    return Problem(display, record, "too-large", "larger than --max-doc-bytes", Severity.FAILED)


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``stream``: lets detection read ahead on any stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


