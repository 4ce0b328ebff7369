"""Byte streams for archive readers: metering, bounded decompression, bounded lines.

Every read here is bounded, so a compression bomb or a file without newlines
costs time but never more memory than one document (``--max-doc-bytes``).
"""
from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# Compressed bytes fed to zstd per step. zstd can expand a few bytes to 128 KiB
# (RLE blocks), so a small step keeps one step's output to a few MiB even for a bomb.
_ZSTD_STEP = 1024
_CHUNK = 1 << 16

# What broken compressed input raises: truncated gzip (EOFError), corrupt gzip
# (BadGzipFile is an OSError, zlib.error), corrupt or truncated zstd.
DECODE_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, zstandard.ZstdError)


class Meter:
    """Counts bytes read from disk so the progress bar can show MB and ETA."""

    def __init__(self) -> None:
        self.count = 0


class MeteredFile(io.RawIOBase):
    """A raw file that adds every byte it reads to a ``Meter``."""

    def __init__(self, raw: BinaryIO, meter: Meter) -> None:
        self._raw = raw
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._meter.count += n
        return n

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()
        super().close()


class ZstdReader(io.RawIOBase):
    """Decompresses zstd frames one after another and notices truncation.

    ``zstandard.stream_reader`` returns a short read at a cut-off frame without
    an error; this reader raises ``EOFError`` instead, so truncation is reported.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._dobj = self._dctx.decompressobj()
        self._pending = b""
        self._pos = 0
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos >= len(self._pending):
            step = self._raw.read(_ZSTD_STEP)
            if not step:
                if self._started and not self._dobj.eof:
                    raise EOFError("zstd stream ended in the middle of a frame")
                return 0
            self._feed(step)
        n = min(len(buffer), len(self._pending) - self._pos)
        buffer[:n] = self._pending[self._pos : self._pos + n]
        self._pos += n
        return n

    def _feed(self, data: bytes) -> None:
        out = []
        while data:
            if self._dobj.eof:
                self._dobj = self._dctx.decompressobj()
            self._started = True
            out.append(self._dobj.decompress(data))
            data = self._dobj.unused_data if self._dobj.eof else b""
        self._pending = b"".join(out)
        self._pos = 0


def decompressed(raw: BinaryIO, compression: str) -> BinaryIO:
    """A buffered reader over ``raw`` with ``compression`` ("", "gz" or "zst") undone."""
    if compression == "gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if compression == "zst":
        return io.BufferedReader(ZstdReader(raw), buffer_size=_CHUNK)
    return raw


def sniff_compression(head: bytes) -> str:
    if head.startswith(GZIP_MAGIC):
        return "gz"
    if head.startswith(ZSTD_MAGIC):
        return "zst"
    return ""


def peek_decompressed(head: bytes, compression: str, size: int = 4096) -> bytes:
    """The first ``size`` decompressed bytes of a compressed prefix (best effort)."""
    try:
        if compression == "gz":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
        if compression == "zst":
            return zstandard.ZstdDecompressor().decompressobj().decompress(head[:_ZSTD_STEP])[:size]
    except (zlib.error, zstandard.ZstdError):
        return b""
    return head[:size]


def read_bounded(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes of ``stream`` and whether there was more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        return b"", True
    return data, False


def read_line(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """The next line (``b""`` at the end) and whether it was longer than ``limit``.

    An over-long line is consumed in chunks and dropped, so memory stays bounded.
    """
    line = stream.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line, False
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return b"", True
