"""Builders for small archives of every kind, and a stand-in Cleaner.

The stand-in removes lines with "casino" as spam and "Share this" as
boilerplate, so archive tests check plumbing, not the model, and run fast.
"""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spamguard.types import Block, CleanResult, Kind, Label

SPAM = "Best casino bonus here, click casino slots now"
CHROME = "Share this article"
ARTICLE = "The council approved the new bridge on Tuesday after a long debate."


def document(i: int = 0) -> str:
    return f"Title {i}\n\n{ARTICLE} Item {i}.\n\n{CHROME}\n\n{SPAM}\n"


class FakeCleaner:
    """Line-based stand-in for ``spamguard.Cleaner`` with the same call shapes."""

    def clean(self, text: str, kind: str | Kind = "auto", url: str | None = None) -> CleanResult:
        if "EXPLODE" in text:
            raise RuntimeError("boom")
        blocks = []
        offset = 0
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if stripped:
                label = Label.SPAM if "casino" in line else Label.BOILERPLATE if "Share this" in line else Label.CONTENT
                removed = label is not Label.CONTENT
                blocks.append(Block(stripped, offset, offset + len(line), number, label, 0.95, removed, ("fake",)))
            offset += len(line) + 1
        kept = "\n".join(b.text for b in blocks if not b.removed)
        return CleanResult(kept, tuple(blocks), Kind.HTML if kind == "html" else Kind.TEXT)

    def clean_many(self, texts: Sequence[str], kind: str = "auto", urls: Sequence[str | None] | None = None,
                   hosts: Sequence[str | None] | None = None) -> list[CleanResult]:
        urls = urls or [None] * len(texts)
        self.hosts_seen = [*getattr(self, "hosts_seen", []), *(hosts or [None] * len(texts))]
        return [self.clean(t, kind, u) for t, u in zip(texts, urls)]


def html_page(i: int) -> bytes:
    return (
        f"<html><body><h1>Title {i}</h1>\n<p>{ARTICLE}</p>\n<p>{CHROME}</p>\n<p>{SPAM}</p>\n</body></html>"
    ).encode()


def jsonl_bytes(records: Iterable[object]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def records(n: int) -> list[dict]:
    return [{"id": f"r{i}", "url": f"https://site{i % 3}.example/p{i}", "text": document(i), "lang": "en"} for i in range(n)]


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def warc_bytes(n: int, *, compress: bool = True, extra: bool = True) -> bytes:
    """A WARC with, per page, a request, an HTML response and (if ``extra``) an image response."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for i in range(n):
        url = f"https://site{i % 2}.example/page{i}"
        if extra:
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html_page(i)), http_headers=headers))
        if extra:
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url + ".png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image))
    return buf.getvalue()


def wet_bytes(n: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n):
        record = writer.create_warc_record(
            f"https://wet.example/{i}", "conversion", payload=io.BytesIO(document(i).encode()),
            warc_headers_dict={"Content-Type": "text/plain"},
        )
        writer.write_record(record)
    return buf.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: to prove inputs are untouched."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class SlowFakeCleaner(FakeCleaner):
    """Takes ``delay`` seconds per document, so a test can interrupt a pass midway."""

    def __init__(self, delay: float = 0.0, **_: object) -> None:
        self.delay = delay

    def clean(self, text: str, kind: str | Kind = "auto", url: str | None = None) -> CleanResult:
        import time

        time.sleep(self.delay)
        return super().clean(text, kind, url)


def run_clean(argv: Sequence[str], cleaner: object | None = None) -> int:
    """``spamguard clean ARGV`` through the command's own ``run``, with a stand-in Cleaner."""
    import argparse

    import spamguard
    from spamguard.commands import clean

    parser = argparse.ArgumentParser(prog="spamguard")
    clean.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["clean", *argv])
    original = spamguard.Cleaner
    spamguard.Cleaner = lambda **_: cleaner if cleaner is not None else FakeCleaner()  # type: ignore[misc]
    try:
        return args.func(args)
    finally:
        spamguard.Cleaner = original  # type: ignore[misc]


if __name__ == "__main__":
    # `python archive_helpers.py DELAY ARGV...`: the command with a slow stand-in, for kill tests.
    import sys

    raise SystemExit(run_clean(sys.argv[2:], SlowFakeCleaner(float(sys.argv[1]))))
