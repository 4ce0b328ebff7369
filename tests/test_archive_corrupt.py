"""Bad and hostile input: every case is reported with file, record and reason, never fatal."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive_helpers import (
    FakeCleaner,
    document,
    gz,
    jsonl_bytes,
    records,
    tar_bytes,
    warc_bytes,
    write,
    zip_bytes,
    zst,
)
from spamguard.archive import ArchiveOptions, clean_paths

LIMIT = 64 * 1024  # --max-doc-bytes for these tests: small, so bombs stay cheap


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"a" * (20 * LIMIT))
        archive.writestr("ok.txt", document(1))
    return buf.getvalue()


def _malformed_warc() -> bytes:
    good = warc_bytes(3, compress=False, extra=False)
    cut = good.index(b"WARC/1", 10)  # start of the second record
    return good[:cut] + b"NOT A WARC HEADER\r\n\r\n" + good[cut:]


def _truncated_tar() -> bytes:
    data = tar_bytes({"a.txt": document(1).encode(), "b.txt": b"x" * 5000}, mode="w")
    return data[:2500]  # inside the second member's data


@dataclass(frozen=True)
class Case:
    name: str
    data: Callable[[], bytes]
    reasons: dict[str, int]  # failed or skipped reason -> count
    cleaned: int  # documents that still got cleaned


CASES = [
    Case("truncated.jsonl.gz", lambda: gz(jsonl_bytes(records(50)))[:-40], {"corrupt-compression": 1}, 47),
    Case("corrupt.jsonl.zst", lambda: zst(jsonl_bytes(records(5)))[:12] + b"\xff" * 64, {"corrupt-compression": 1}, 0),
    Case("truncated.jsonl.zst", lambda: zst(jsonl_bytes(records(50)))[:-10], {"corrupt-compression": 1}, 0),
    Case("garbage.jsonl.gz", lambda: b"\x1f\x8b" + b"\x00" * 100, {"corrupt-compression": 1}, 0),
    Case("malformed.warc", _malformed_warc, {"malformed-warc": 1}, 1),
    Case("truncated.warc.gz", lambda: warc_bytes(3, extra=False)[:-30], {"truncated-record": 1}, 2),
    Case("not-really.warc", lambda: b"hello, not a warc\n", {"unsupported-file": 1}, 0),
    Case("binary.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, {"binary": 1}, 0),
    Case("empty.txt", lambda: b"", {"empty": 1}, 0),
    Case("blank.md", lambda: b"\n \n\t\n", {"empty": 1}, 0),
    Case("huge-line.txt", lambda: b"x" * (3 * LIMIT), {"too-large": 1}, 0),
    Case("huge-line.jsonl", lambda: jsonl_bytes([{"text": "y" * 3 * LIMIT}]) + jsonl_bytes(records(2)), {"too-large": 1}, 2),
    Case(
        "bad-lines.jsonl",
        lambda: b"[1, 2]\n\"text\"\n{broken\n" + jsonl_bytes([{"title": "no text"}, {"text": 5}]) + jsonl_bytes(records(1)) + b"\n",
        {"not-an-object": 2, "invalid-json": 1, "missing-field": 1, "not-a-string": 1, "blank-line": 1},
        1,
    ),
    Case("gzip-bomb.txt.gz", lambda: gz(b"a" * (50 * LIMIT)), {"too-large": 1}, 0),
    Case("zstd-bomb.jsonl.zst", lambda: zst(b'{"text": "' + b"a" * (50 * LIMIT) + b'"}\n'), {"too-large": 1}, 0),
    Case("zip-bomb.zip", _zip_bomb, {"too-large": 1}, 1),
    Case("truncated.tar", _truncated_tar, {"corrupt-archive": 1}, 1),
    Case("broken.zip", lambda: b"PK\x03\x04" + b"\x00" * 200, {"corrupt-archive": 1}, 0),
    Case("cleaner-error.jsonl", lambda: jsonl_bytes([{"text": "EXPLODE"}, *records(1)]), {"cleaner-error": 1}, 1),
    Case("nested.tar", lambda: tar_bytes({"inner.zip": zip_bytes({"a.txt": b"a"}), "a.txt": document(1).encode()}, mode="w"), {"nested-archive": 1}, 1),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_and_skipped(tmp_path: Path, case: Case) -> None:
    src = write(tmp_path / "in" / case.name, case.data())
    before = src.read_bytes()
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(max_doc_bytes=LIMIT), FakeCleaner())
    stats = report.stats
    assert dict(stats.failed_reasons + stats.skipped_reasons) == case.reasons
    assert stats.cleaned == case.cleaned
    assert stats.read == stats.cleaned + stats.unchanged + stats.skipped + stats.failed
    listed = [p for p in report.problems if p.code != "blank-line"]
    assert listed and all(p.file.startswith(str(src)) and p.detail for p in listed)
    assert src.read_bytes() == before


def test_invalid_utf8_is_replaced_counted_and_listed(tmp_path: Path) -> None:
    write(tmp_path / "in" / "latin1.txt", "Café au lait, a long paragraph about coffee.\n\ncasino now\n".encode("latin-1"))
    write(tmp_path / "in" / "d.jsonl", b'{"text": "ok \xff\xfe bytes"}\n')
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner())
    assert report.stats.invalid_utf8 == 2 and report.stats.failed == 0
    assert [(p.code, p.severity.value) for p in report.problems] == [("invalid-utf8", "warning")] * 2
    assert (tmp_path / "out" / "latin1.txt").read_text() == "Caf\ufffd au lait, a long paragraph about coffee."
    assert "\ufffd" in json.loads((tmp_path / "out" / "d.jsonl").read_text())["text"]


def test_lone_surrogates_in_json_are_replaced_counted_and_listed(tmp_path: Path) -> None:
    # Valid JSON, yet "\ud800" names half a character that UTF-8 cannot write.
    write(tmp_path / "in" / "d.jsonl", b'{"text": "half \\ud800 a character", "note": "\\udfff"}\n')
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner())
    assert report.stats.invalid_utf8 == 1 and report.stats.failed == 0
    assert [(p.code, p.severity.value) for p in report.problems] == [("invalid-utf8", "warning")]
    record = json.loads((tmp_path / "out" / "d.jsonl").read_text())
    assert record["text"] == "half \ufffd a character" and record["note"] == "\udfff"


def test_declared_charset_is_used_for_html(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'
    write(tmp_path / "in" / "ru.html", page.encode("windows-1251"))
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner())
    assert report.stats.invalid_utf8 == 0
    assert "Привет, мир" in (tmp_path / "out" / "ru.html.txt").read_text()


def test_unreadable_entries_in_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", document(1))
    (tmp_path / "in" / "dangling.txt").symlink_to(tmp_path / "missing")
    write(tmp_path / "in" / "photo.jpg", b"\xff\xd8")
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner())
    assert dict(report.stats.failed_reasons) == {"unreadable": 1}
    assert dict(report.stats.skipped_reasons) == {"unsupported-file": 1}
    assert report.stats.cleaned == 1


def test_bomb_decompression_stays_bounded(tmp_path: Path) -> None:
    import tracemalloc

    # 128 MB of one JSON line once decompressed, well under 1 MB compressed.
    with gzip.open(write(tmp_path / "in" / "bomb.jsonl.gz", b""), "wb") as handle:
        handle.write(b'{"text": "')
        block = b"a" * (1 << 20)
        for _ in range(128):
            handle.write(block)
        handle.write(b'"}\n')
    write(tmp_path / "in" / "d.jsonl", jsonl_bytes(records(1)))
    tracemalloc.start()
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(max_doc_bytes=LIMIT), FakeCleaner())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert dict(report.stats.failed_reasons) == {"too-large": 1}
    assert report.stats.cleaned == 1
    assert peak < 16 * 1024 * 1024


def test_tar_links_and_devices_are_skipped(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        link = tarfile.TarInfo("link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
        info = tarfile.TarInfo("a.txt")
        data = document(1).encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    write(tmp_path / "in" / "t.tar", buf.getvalue())
    report = clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner())
    assert dict(report.stats.skipped_reasons) == {"not-a-file": 1}
    assert sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()) == ["a.txt"]
