"""spamguard as a datatrove step: the output of ``spamguard clean``, stats, removed blocks, resuming."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="the datatrove step is an extra: pip install '.[datatrove]'")
pytest.importorskip("orjson", reason="datatrove's JSON Lines reader and writer need orjson: pip install '.[datatrove]'")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from bad_inputs import too_deep_html  # noqa: E402
from engine_archive import DOCUMENTS, read_jsonl, spamguard_clean, write_archive  # noqa: E402
from spamguard import Cleaner  # noqa: E402
from spamguard.datatrove import SpamguardCleaner  # noqa: E402


def _executor(root: Path, cleaner: Cleaner) -> LocalPipelineExecutor:
    """Read ``root/in``, clean, write ``root/out``; removed blocks to ``root/removed``; 2 tasks on 2 workers."""
    pipeline = [
        # No file_path in the metadata: a test reruns a copy of the run elsewhere.
        JsonlReader(str(root / "in"), add_file_path=False),
        SpamguardCleaner(cleaner, exclusion_writer=JsonlWriter(str(root / "removed"), compression=None)),
        JsonlWriter(str(root / "out"), compression=None),
    ]
    return LocalPipelineExecutor(pipeline, tasks=2, workers=2, logging_dir=str(root / "logs"))


def _step_stats(stats_file: Path) -> dict:
    """The spamguard step's stats from a datatrove stats file, each metric as its total."""
    step = next(step for step in json.loads(stats_file.read_text()) if "spamguard" in step["name"])
    return {name: value["total"] if isinstance(value, dict) else value for name, value in step["stats"].items()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, cleaner: Cleaner) -> tuple[Path, dict[str, dict]]:
    """A finished pipeline run and ``spamguard clean``'s records for the same archive, by id."""
    root = tmp_path_factory.mktemp("datatrove")
    write_archive(root / "in")
    expected = spamguard_clean(root / "in", root / "clean")
    _executor(root, cleaner).run()
    return root, expected


def test_output_matches_spamguard_clean(first_run: tuple[Path, dict[str, dict]]) -> None:
    root, expected = first_run
    emptied = {doc_id for doc_id, record in expected.items() if not record["text"].strip()}
    assert emptied, "the archive should have documents that are spam alone"
    documents = {document["id"]: document for document in read_jsonl(root / "out")}
    assert documents.keys() == expected.keys() - emptied
    for doc_id, document in documents.items():
        assert document["text"] == expected[doc_id]["text"], doc_id
        summary = {key: expected[doc_id]["spamguard"][key] for key in ("blocks", "removed")}
        assert document["metadata"]["spamguard"] == summary, doc_id
        assert document["metadata"]["url"] == expected[doc_id]["url"]


def test_removed_blocks_go_to_the_exclusion_writer(first_run: tuple[Path, dict[str, dict]]) -> None:
    root, expected = first_run
    removed = {document["id"]: document for document in read_jsonl(root / "removed")}
    assert removed.keys() == {doc_id for doc_id, record in expected.items() if record["spamguard"]["removed"]}
    for doc_id, document in removed.items():
        assert document["metadata"]["spamguard"] == expected[doc_id]["spamguard"], doc_id
        assert document["text"] == "\n\n".join(block["text"] for block in expected[doc_id]["spamguard"]["removed_blocks"])


def test_stats_count_removed_blocks_per_label(first_run: tuple[Path, dict[str, dict]]) -> None:
    root, expected = first_run
    stats = _step_stats(root / "logs" / "stats.json")
    removed = [record["spamguard"]["removed"] for record in expected.values()]
    emptied = sum(1 for record in expected.values() if not record["text"].strip())
    assert stats["total"] == DOCUMENTS
    assert stats["removed_spam"] == sum(counts.get("spam", 0) for counts in removed)
    assert stats["removed_boilerplate"] == sum(counts.get("boilerplate", 0) for counts in removed)
    assert stats["cleaned"] == sum(1 for counts in removed if counts)
    assert (stats["dropped_empty"], stats["forwarded"]) == (emptied, DOCUMENTS - emptied)
    assert stats["removed_spam_bytes"] > 0


def test_rerun_resumes_from_completions(first_run: tuple[Path, dict[str, dict]], cleaner: Cleaner, tmp_path: Path) -> None:
    root = tmp_path / "run"
    shutil.copytree(first_run[0], root)
    finished = {path.name: path.read_bytes() for path in (root / "out").iterdir()}
    assert sorted(path.name for path in (root / "logs" / "completions").iterdir()) == ["00000", "00001"]
    # Task 1 "died": no completion, no output. Task 0's output must not be touched.
    (root / "logs" / "completions" / "00001").unlink()
    (root / "out" / "00001.jsonl").unlink()
    untouched = (root / "out" / "00000.jsonl").stat().st_mtime_ns

    stats = _executor(root, cleaner).run()

    assert {path.name: path.read_bytes() for path in (root / "out").iterdir()} == finished
    assert (root / "out" / "00000.jsonl").stat().st_mtime_ns == untouched
    assert sorted(path.name for path in (root / "logs" / "completions").iterdir()) == ["00000", "00001"]
    rank1 = _step_stats(root / "logs" / "stats" / "00001.json")
    assert 0 < rank1["total"] < DOCUMENTS
    assert stats is not None and _total(stats) == rank1["total"]
    assert _executor(root, cleaner).run() is None  # everything complete: nothing runs


def _total(stats: object) -> int:
    """Documents the spamguard step saw in a run's merged ``PipelineStats``."""
    step = next(step for step in stats.stats if "spamguard" in step.name)  # type: ignore[attr-defined]
    return int(step.stats["total"].total)


def test_a_document_the_parser_cannot_read_goes_on_unchanged(cleaner: Cleaner) -> None:
    from datatrove.data import Document

    deep = too_deep_html("Best casino bonus.")
    page = "<html><body><p>The ferry timetable changes on Monday.</p><p>Best online casino bonus, free spins.</p></body></html>"
    step = SpamguardCleaner(cleaner, kind="html")
    out = list(step.run([Document(text=deep, id="deep"), Document(text=page, id="page")]))
    assert [document.id for document in out] == ["deep", "page"]
    assert out[0].text == deep and "cannot read whole" in out[0].metadata["spamguard"]["error"]
    assert out[1].text == cleaner.clean(page, kind="html").text
    assert (step.stats["unreadable"].total, step.stats["total"].total) == (1, 2)
