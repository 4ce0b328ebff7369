"""Output sinks: atomic files in an output folder, or one stream (stdout).

A file only ever appears under its final name complete: it is written to a
hidden temporary file beside it and renamed into place. That is what makes
reruns safe: an existing output is a finished one.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

import zstandard

TEMP_SUFFIX = ".spamguard-tmp"
_ZSTD_LEVEL = 3


class Writer(Protocol):
    def write(self, data: bytes) -> None: ...
    def commit(self) -> bool: ...
    def abort(self) -> None: ...


class OutsideOutput(ValueError):
    """An output path that would land outside the output folder."""


class AtomicFile:
    """A file written under a temporary name and renamed into place on ``commit``.

    The temporary name is fixed per target, so a rerun after ``kill -9``
    overwrites the leftover instead of piling up new ones. Nothing is created
    until the first write, so a document that fails leaves no trace.
    """

    def __init__(self, target: Path, compression: str = "", *, create_empty: bool = True) -> None:
        self.target = target
        self.temp = target.with_name("." + target.name + TEMP_SUFFIX)
        self._compression = compression
        self._create_empty = create_empty
        self._raw: BinaryIO | None = None
        self._stream: BinaryIO | None = None

    def write(self, data: bytes) -> None:
        if self._stream is None:
            self._open()
        assert self._stream is not None
        self._stream.write(data)

    def commit(self) -> bool:
        """Rename into place; False when nothing was written and empty files are not wanted."""
        if self._stream is None:
            if not self._create_empty:
                return False
            self._open()
        assert self._stream is not None and self._raw is not None
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()
        # No fsync: this guards against the process dying (Ctrl-C, kill -9), which
        # is what resuming needs; fsync per file would dominate folders of small files.
        os.replace(self.temp, self.target)
        self._stream = self._raw = None
        return True

    def abort(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._stream = self._raw = None
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass

    def _open(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._raw = open(self.temp, "wb")  # noqa: SIM115 - closed by commit/abort
        if self._compression == "gz":
            # mtime=0 and no file name: byte-identical output run after run.
            self._stream = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)  # type: ignore[assignment]
        elif self._compression == "zst":
            compressor = zstandard.ZstdCompressor(level=_ZSTD_LEVEL)
            self._stream = compressor.stream_writer(self._raw, closefd=False)  # type: ignore[assignment]
        else:
            self._stream = self._raw


class _NullWriter:
    """What ``--dry-run`` writes to."""

    def write(self, data: bytes) -> None:
        pass

    def commit(self) -> bool:
        return True

    def abort(self) -> None:
        pass


class _StreamWriter:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> None:
        self._stream.write(data)

    def commit(self) -> bool:
        self._stream.flush()
        return True

    def abort(self) -> None:
        self._stream.flush()


class TreeSink:
    """Outputs under ``root`` at their relative paths; never outside it."""

    def __init__(self, root: Path, *, dry_run: bool = False) -> None:
        self.root = root
        self.dry_run = dry_run

    def exists(self, rel: PurePosixPath) -> bool:
        return self._target(rel).exists()

    def open(self, rel: PurePosixPath, compression: str, *, single: bool) -> Writer:
        target = self._target(rel)
        if self.dry_run:
            return _NullWriter()
        return AtomicFile(target, compression, create_empty=not single)

    def _target(self, rel: PurePosixPath) -> Path:
        if rel.is_absolute() or ".." in rel.parts:
            raise OutsideOutput(str(rel))
        target = self.root / rel
        # A symlinked folder inside the output could still point elsewhere.
        existing = target.parent
        while not existing.exists() and existing != self.root:
            existing = existing.parent
        root = os.path.realpath(self.root)
        if os.path.commonpath([root, os.path.realpath(existing)]) != root:
            raise OutsideOutput(str(rel))
        return target


class StreamSink:
    """Every output into one stream, for printing a single input to stdout."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def exists(self, rel: PurePosixPath) -> bool:
        return False

    def open(self, rel: PurePosixPath, compression: str, *, single: bool) -> Writer:
        return _StreamWriter(self._stream)
