"""Cleaning passes over every input kind, with a stand-in Cleaner (plumbing, not the model)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard

from archive_helpers import (
    ARTICLE,
    CHROME,
    SPAM,
    FakeCleaner,
    document,
    gz,
    html_page,
    jsonl_bytes,
    records,
    snapshot,
    tar_bytes,
    warc_bytes,
    wet_bytes,
    write,
    zip_bytes,
    zst,
)
from spamguard.archive import ArchiveOptions, clean_paths
from spamguard.archive.writers import TEMP_SUFFIX
from spamguard.audit_report import DOCUMENT, KEPT_EDGE, MAX_SAMPLE, STORE_SEED, sample_key


def build_inputs(root: Path) -> Path:
    """A folder with one input of every kind."""
    inp = root / "in"
    write(inp / "a.txt", document(1))
    write(inp / "sub" / "b.html", html_page(2))
    write(inp / "c.md", document(3))
    write(inp / "d.jsonl", jsonl_bytes(records(4)))
    write(inp / "e.jsonl.gz", gz(jsonl_bytes(records(5))))
    write(inp / "f.jsonl.zst", zst(jsonl_bytes(records(3))))
    write(inp / "g.warc.gz", warc_bytes(3))
    write(inp / "h.warc", warc_bytes(2, compress=False))
    write(inp / "i.wet.gz", wet_bytes(2))
    write(inp / "j.tar", tar_bytes({"t/1.txt": document(5).encode(), "t/r.jsonl": jsonl_bytes(records(2))}, mode="w"))
    write(inp / "k.tar.gz", tar_bytes({"2.html": html_page(6), "w.warc.gz": warc_bytes(1)}))
    write(inp / "l.zip", zip_bytes({"z/1.md": document(7).encode(), "z/r.jsonl.gz": gz(jsonl_bytes(records(2)))}))
    return inp


EXPECTED_OUTPUTS = {
    "a.txt", "sub/b.html.txt", "c.md", "d.jsonl", "e.jsonl.gz", "f.jsonl.zst", "g.warc.jsonl.gz",
    "h.warc.jsonl", "i.wet.jsonl.gz", "j/t/1.txt", "j/t/r.jsonl", "k/2.html.txt", "k/w.warc.jsonl.gz",
    "l/z/1.md", "l/z/r.jsonl.gz",
}


def removed_blocks(path: Path) -> list[dict]:
    """The removed-block records of an audit file (without the sampled documents at its end)."""
    return [record for record in read_jsonl(path) if record.get("type") != DOCUMENT]


def sampled_documents(path: Path) -> list[dict]:
    return [record for record in read_jsonl(path) if record.get("type") == DOCUMENT]


def run(inputs: list[Path | str], out: Path | None, **options: object) -> object:
    removed = options.pop("removed", None)
    return clean_paths([str(i) for i in inputs], out, ArchiveOptions(**options), FakeCleaner(), removed=removed)


def read_jsonl(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return [json.loads(line) for line in data.decode().splitlines()]


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_every_input_kind_keeps_its_shape(tmp_path: Path) -> None:
    inp = build_inputs(tmp_path)
    before = snapshot(inp)
    report = run([inp], tmp_path / "out")
    out = tmp_path / "out"
    assert files(out) == EXPECTED_OUTPUTS
    assert snapshot(inp) == before
    assert (out / "a.txt").read_text() == "Title 1\nThe council approved the new bridge on Tuesday after a long debate. Item 1."
    for name in ("d.jsonl", "e.jsonl.gz", "f.jsonl.zst"):
        rows = read_jsonl(out / name)
        assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(rows))]
        assert all(r["lang"] == "en" and SPAM not in r["text"] and CHROME not in r["text"] for r in rows)
        assert rows[0]["spamguard"]["removed"] == {"boilerplate": 1, "spam": 1}
        assert {b["label"] for b in rows[0]["spamguard"]["removed_blocks"]} == {"spam", "boilerplate"}
    warc = read_jsonl(out / "g.warc.jsonl.gz")
    assert [r["url"] for r in warc] == [f"https://site{i % 2}.example/page{i}" for i in range(3)]
    assert all(r["id"].startswith("<urn:uuid:") and r["warc_type"] == "response" for r in warc)
    assert [r["url"] for r in read_jsonl(out / "i.wet.jsonl.gz")] == ["https://wet.example/0", "https://wet.example/1"]
    assert report.stats.failed == 0
    assert report.stats.outputs_written == len(EXPECTED_OUTPUTS)
    # 6 loose + 4+5+3+2+2 JSONL + 3+2+1 WARC responses + 2 WET; 6 requests and 6 images skipped.
    assert report.stats.cleaned == 6 + 16 + 6 + 2
    assert report.stats.skipped_reasons == {"warc-request": 6, "warc-not-html": 6}
    assert report.stats.read == report.stats.cleaned + report.stats.skipped


def test_jobs_1_and_2_give_identical_outputs_and_reports(tmp_path: Path) -> None:
    inp = build_inputs(tmp_path)
    one = run([inp], tmp_path / "one", jobs=1, audit=True, removed=tmp_path / "one.jsonl")
    two = run([inp], tmp_path / "two", jobs=2, audit=True, removed=tmp_path / "two.jsonl")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    strip = lambda r: {k: v for k, v in r.to_dict().items() if k not in ("elapsed_seconds", "output")}  # noqa: E731
    assert strip(one) == strip(two)


def test_rerun_skips_finished_outputs_and_force_redoes_them(tmp_path: Path) -> None:
    inp = build_inputs(tmp_path)
    out = tmp_path / "out"
    run([inp], out)
    first = snapshot(out)
    (out / "a.txt").write_text("sentinel")
    again = run([inp], out)
    assert again.stats.outputs_existing == len(EXPECTED_OUTPUTS)
    assert again.stats.outputs_written == 0 and again.stats.read == 0
    assert (out / "a.txt").read_text() == "sentinel"
    forced = run([inp], out, force=True)
    assert forced.stats.outputs_written == len(EXPECTED_OUTPUTS)
    assert snapshot(out) == first


def test_dry_run_writes_only_the_report_files(tmp_path: Path) -> None:
    inp = build_inputs(tmp_path)
    report = run([inp], tmp_path / "out", dry_run=True, audit=True, removed=tmp_path / "removed.jsonl.gz")
    assert not (tmp_path / "out").exists()
    assert report.stats.cleaned == 30 and report.dry_run
    audit = removed_blocks(tmp_path / "removed.jsonl.gz")
    assert len(audit) == 2 * 30
    assert all(set(a) == {"file", "record", "id", "url", "label", "score", "reasons", "text"} for a in audit)
    assert len(sampled_documents(tmp_path / "removed.jsonl.gz")) == 30


def test_removed_audit_names_document_label_score_reasons_text(tmp_path: Path) -> None:
    write(tmp_path / "in" / "d.jsonl", jsonl_bytes(records(2)))
    run([tmp_path / "in"], tmp_path / "out", audit=True, removed=tmp_path / "removed.jsonl")
    audit = read_jsonl(tmp_path / "removed.jsonl")
    assert [(a["id"], a["label"]) for a in audit[:4]] == [("r0", "boilerplate"), ("r0", "spam"), ("r1", "boilerplate"), ("r1", "spam")]
    assert [a["type"] for a in audit[4:]] == [DOCUMENT, DOCUMENT]  # the sample comes last
    assert audit[1] == {
        "file": str(tmp_path / "in" / "d.jsonl"), "record": "line 1", "id": "r0", "url": "https://site0.example/p0",
        "label": "spam", "score": 0.95, "reasons": ["fake"], "text": SPAM,
    }


def test_sampled_documents_hold_all_their_blocks_in_order(tmp_path: Path) -> None:
    write(tmp_path / "in" / "d.jsonl", jsonl_bytes(records(2)))
    run([tmp_path / "in"], tmp_path / "out", audit=True, removed=tmp_path / "removed.jsonl")
    first = {doc["id"]: doc for doc in sampled_documents(tmp_path / "removed.jsonl")}["r0"]
    block = {"label": "content", "score": 0.95, "removed": False, "reasons": ["fake"]}
    assert first == {
        "type": DOCUMENT, "file": str(tmp_path / "in" / "d.jsonl"), "record": "line 1", "id": "r0",
        "url": "https://site0.example/p0",
        "blocks": [
            {**block, "text": "Title 0"},
            {**block, "text": f"{ARTICLE} Item 0."},
            {**block, "text": CHROME, "label": "boilerplate", "removed": True},
            {**block, "text": SPAM, "label": "spam", "removed": True},
        ],
    }


def test_sampled_documents_cut_long_kept_runs(tmp_path: Path) -> None:
    lines = [f"Kept line number {n} of a long article." for n in range(12)]
    write(tmp_path / "in" / "long.txt", "\n".join((*lines, SPAM)).encode())
    run([tmp_path / "in"], tmp_path / "out", audit=True, removed=tmp_path / "removed.jsonl")
    (doc,) = sampled_documents(tmp_path / "removed.jsonl")
    shown = [block.get("text", block.get("elided")) for block in doc["blocks"]]
    assert shown == [*lines[:KEPT_EDGE], 12 - 2 * KEPT_EDGE, *lines[-KEPT_EDGE:], SPAM]


def test_sample_of_a_large_run_is_bounded_and_the_same_with_any_jobs(tmp_path: Path) -> None:
    for name in "abc":
        write(tmp_path / "in" / f"{name}.jsonl", jsonl_bytes(records(60)))
    run([tmp_path / "in"], tmp_path / "one", jobs=1, audit=True, removed=tmp_path / "one.jsonl")
    run([tmp_path / "in"], tmp_path / "two", jobs=2, audit=True, removed=tmp_path / "two.jsonl")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert len(removed_blocks(tmp_path / "one.jsonl")) == 2 * 180
    sample = [(doc["file"], doc["record"]) for doc in sampled_documents(tmp_path / "one.jsonl")]
    every = [(str(tmp_path / "in" / f"{name}.jsonl"), f"line {n}") for name in "abc" for n in range(1, 61)]
    # The documents of smallest key in the whole run, smallest first: a seeded, uniform sample.
    assert sample == sorted(every, key=lambda doc: sample_key(STORE_SEED, *doc))[:MAX_SAMPLE]


def test_no_details_keeps_counts_only(tmp_path: Path) -> None:
    write(tmp_path / "in" / "d.jsonl", jsonl_bytes(records(1)))
    run([tmp_path / "in"], tmp_path / "out", details=False)
    assert read_jsonl(tmp_path / "out" / "d.jsonl")[0]["spamguard"] == {"blocks": 4, "removed": {"boilerplate": 1, "spam": 1}}


def test_fields_html_field_and_passthrough(tmp_path: Path) -> None:
    rows = [
        {"key": "k1", "page": html_page(1).decode(), "body": "old", "link": "https://x.example/1", "n": [1, 2]},
        {"key": "k2", "body": document(2), "link": "https://y.example/2"},
    ]
    write(tmp_path / "in" / "d.jsonl", jsonl_bytes(rows))
    run([tmp_path / "in"], tmp_path / "out", text_field="body", html_field="page", id_field="key", url_field="link",
        audit=True, removed=tmp_path / "removed.jsonl")
    out = read_jsonl(tmp_path / "out" / "d.jsonl")
    assert list(out[0]) == ["key", "page", "body", "link", "n", "spamguard"]
    assert out[0]["page"] == rows[0]["page"] and out[0]["n"] == [1, 2]
    assert "<h1>Title 1</h1>" in out[0]["body"] and SPAM not in out[0]["body"]
    assert SPAM not in out[1]["body"]
    assert {a["id"] for a in read_jsonl(tmp_path / "removed.jsonl")} == {"k1", "k2"}
    assert {a["url"] for a in read_jsonl(tmp_path / "removed.jsonl")} == {"https://x.example/1", "https://y.example/2"}


def test_format_jsonl_writes_one_jsonl_per_input(tmp_path: Path) -> None:
    inp = build_inputs(tmp_path)
    report = run([inp], tmp_path / "out", as_jsonl=True)
    assert files(tmp_path / "out") == {"in.jsonl"}
    rows = read_jsonl(tmp_path / "out" / "in.jsonl")
    assert len(rows) == report.stats.cleaned == 30
    assert rows[0]["id"] == "a.txt"


def test_stdout_stream_for_one_jsonl_input(tmp_path: Path) -> None:
    import io

    src = write(tmp_path / "d.jsonl.gz", gz(jsonl_bytes(records(3))))
    sink = io.BytesIO()
    clean_paths([str(src)], None, ArchiveOptions(), FakeCleaner(), stdout=sink)
    rows = [json.loads(line) for line in sink.getvalue().decode().splitlines()]
    assert [r["id"] for r in rows] == ["r0", "r1", "r2"]


def test_stdin_is_detected_by_content(tmp_path: Path) -> None:
    import io

    out = tmp_path / "out"
    clean_paths(["-"], out, ArchiveOptions(), FakeCleaner(), stdin=io.BytesIO(warc_bytes(2)))
    assert files(out) == {"stdin.warc.jsonl.gz"}
    clean_paths(["-"], out, ArchiveOptions(), FakeCleaner(), stdin=io.BytesIO(tar_bytes({"a.txt": b"x casino"})))
    assert files(out) == {"stdin.warc.jsonl.gz", "stdin/a.txt"}


@pytest.mark.parametrize(
    "name",
    ["../escape.txt", "../../escape.txt", "/tmp/abs-escape.txt", "a/../../escape.txt", "..\\escape.txt", "C:/escape.txt"],
)
def test_hostile_member_names_never_write_outside(tmp_path: Path, name: str) -> None:
    for kind, data in (("t.tar.gz", tar_bytes({name: b"casino", "ok.txt": b"fine"})), ("z.zip", zip_bytes({name: b"casino", "ok.txt": b"fine"}))):
        base = tmp_path / kind
        write(base / "in" / kind, data)
        report = run([base / "in" / kind], base / "deep" / "out")
        assert files(base) == {f"in/{kind}", f"deep/out/{kind.split('.')[0]}/ok.txt"}
        assert report.stats.failed_reasons == {"unsafe-path": 1}
        assert report.problems[0].file.endswith(name)
    assert not Path("/tmp/abs-escape.txt").exists()


def test_symlink_in_output_folder_is_not_followed_outside(tmp_path: Path) -> None:
    write(tmp_path / "in" / "sub" / "a.txt", document(1))
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    report = run([tmp_path / "in"], tmp_path / "out")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert report.stats.failed_reasons == {"unsafe-path": 1}


def test_interrupt_removes_temporary_files(tmp_path: Path) -> None:
    class Interrupting(FakeCleaner):
        calls = 0

        def clean(self, text: str, kind: str = "auto", url: str | None = None) -> object:
            Interrupting.calls += 1
            if Interrupting.calls == 40:
                raise KeyboardInterrupt
            return super().clean(text, kind, url)

    write(tmp_path / "in" / "big.jsonl", jsonl_bytes(records(100)))
    with pytest.raises(KeyboardInterrupt):
        clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), Interrupting())
    assert not any(p.is_file() for p in (tmp_path / "out").rglob("*"))
    report = run([tmp_path / "in"], tmp_path / "out")
    assert report.stats.cleaned == 100 and not list((tmp_path / "out").glob("*" + TEMP_SUFFIX))


def test_progress_bar_shows_bytes_and_documents(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path / "in" / "d.jsonl.gz", gz(jsonl_bytes(records(40))))
    clean_paths([str(tmp_path / "in")], tmp_path / "out", ArchiveOptions(), FakeCleaner(), progress=True)
    err = capsys.readouterr().err
    assert "cleaning: 100%" in err and "40 docs" in err
