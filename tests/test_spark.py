"""spamguard on Apache Spark, ``local[2]``: the output of ``spamguard clean``, one model load per worker."""
from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the Spark adapter is an extra: pip install '.[spark]'")
pytest.importorskip("pyarrow", reason="Spark's pandas functions need pyarrow: pip install '.[spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java: no java on PATH and JAVA_HOME unset", allow_module_level=True)

from pyspark import cloudpickle  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from bad_inputs import too_deep_html  # noqa: E402
from engine_archive import DOCUMENTS, spamguard_clean, write_archive  # noqa: E402
from spamguard import Cleaner  # noqa: E402
from spamguard.spark import clean_dataframe, clean_partition  # noqa: E402

LABELS = ("boilerplate", "spam")


class CountingCleaner(Cleaner):
    """The shipped-model Cleaner, counting in every process that unpickles it.

    Each unpickling appends "unpickle" to ``log/<pid>``, and the loader the
    Cleaner calls (``spamguard.clean.load_model``) is wrapped first, so each
    real model load appends "load".
    """

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = str(log)

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "log": self.log}

    def __setstate__(self, state: dict) -> None:
        _count_loads(state["log"])
        _note(state["log"], "unpickle")
        super().__setstate__(state)


def _note(log: str, event: str) -> None:
    with open(os.path.join(log, str(os.getpid())), "a", encoding="utf-8") as handle:
        handle.write(event + "\n")


def _count_loads(log: str) -> None:
    # The module, not ``spamguard.clean``: the package exports a function of that name.
    module = importlib.import_module("spamguard.clean")
    load = module.load_model
    if getattr(load, "log", None) == log:
        return

    def counted(path: str | None = None) -> object:
        _note(log, "load")
        return load(path)

    counted.log = log  # type: ignore[attr-defined]
    module.load_model = counted


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    with pytest.MonkeyPatch.context() as patch:
        # Python workers must run this interpreter: its site-packages hold spamguard and pyarrow.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("spamguard-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="module")
def load_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where workers note unpickling and model loads; the test module travels by value (workers cannot import it)."""
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield tmp_path_factory.mktemp("loads")
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def counting_cleaner(load_log: Path) -> CountingCleaner:
    return CountingCleaner(load_log)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """The generated archive's folder and ``spamguard clean``'s records for it, by id."""
    root = tmp_path_factory.mktemp("spark-archive")
    write_archive(root / "in")
    return root / "in", spamguard_clean(root / "in", root / "out")


def test_dataframe_matches_spamguard_clean(spark: SparkSession, archive: tuple, counting_cleaner: Cleaner) -> None:
    folder, expected = archive
    frame = spark.read.json(str(folder)).repartition(4)
    cleaned = clean_dataframe(frame, url_column="url", removed_column="removed", cleaner=counting_cleaner)
    rows = {row["id"]: row for row in cleaned.collect()}
    assert rows.keys() == expected.keys()
    for doc_id, record in expected.items():
        row = rows[doc_id]
        assert row["text"] == record["text"], doc_id
        counts = {label: row[f"spamguard_removed_{label}"] for label in LABELS if row[f"spamguard_removed_{label}"]}
        assert counts == record["spamguard"]["removed"], doc_id
        assert [block.asDict() for block in row["removed"]] == record["spamguard"]["removed_blocks"], doc_id
        assert row["url"] == record["url"]
    assert any(record["spamguard"]["removed"].get("spam") for record in expected.values())


def test_rdd_partitions_match_spamguard_clean(spark: SparkSession, archive: tuple, counting_cleaner: Cleaner) -> None:
    folder, expected = archive
    lines = spark.sparkContext.textFile(str(folder), minPartitions=4).map(json.loads)
    cleaned = lines.mapPartitions(partial(clean_partition, cleaner=counting_cleaner)).collect()
    assert {record["id"]: record for record in cleaned} == expected


DEEP_HTML = too_deep_html("Best casino bonus.")


def test_null_text_and_other_columns_pass_through(spark: SparkSession, counting_cleaner: Cleaner) -> None:
    spam = "best online casino bonus free spins no deposit casino real money slots online"
    rows = [("a", None, 1), ("b", spam, 2), ("c", DEEP_HTML, 3)]
    frame = spark.createDataFrame(rows, "id string, body string, n long")
    cleaned = clean_dataframe(frame, "body", output_column="clean", cleaner=counting_cleaner)
    assert cleaned.columns == ["id", "body", "n", "clean", "spamguard_removed_boilerplate", "spamguard_removed_spam"]
    empty, removed, unreadable = sorted(cleaned.collect())
    assert (empty["body"], empty["clean"], empty["spamguard_removed_spam"]) == (None, None, 0)
    assert (removed["body"], removed["clean"], removed["spamguard_removed_spam"]) == (spam, "", 1)
    # HTML the parser cannot read fails neither the task nor its batch: it passes through.
    assert (unreadable["clean"], unreadable["spamguard_removed_spam"]) == (DEEP_HTML, 0)


def test_a_record_the_parser_cannot_read_comes_back_unchanged(counting_cleaner: Cleaner) -> None:
    records = [{"id": "deep", "text": DEEP_HTML}, {"id": "spam", "text": "best online casino bonus free spins"}]
    deep, spam = clean_partition(records, counting_cleaner)
    assert deep == records[0]
    assert spam["spamguard"]["removed"] == {"spam": 1}


def test_model_loads_once_per_worker_process(
    spark: SparkSession, archive: tuple, counting_cleaner: Cleaner, load_log: Path
) -> None:
    folder, _ = archive
    frame = spark.read.json(str(folder)).repartition(8)
    assert clean_dataframe(frame, cleaner=counting_cleaner).count() == DOCUMENTS
    events = {int(path.name): path.read_text(encoding="utf-8").split() for path in load_log.iterdir()}
    assert events and os.getpid() not in events
    assert {pid: lines.count("load") for pid, lines in events.items()} == dict.fromkeys(events, 1)
    # More tasks than worker processes: later tasks found the model already loaded.
    assert sum(lines.count("unpickle") for lines in events.values()) > len(events)
