"""Clean text on Apache Spark: a DataFrame column through ``mapInPandas``, or RDD partitions.

Install ``spamguard[spark]`` on the driver and on every executor; the model
travels inside the wheel. A ``Cleaner`` reaches the executors in the task
closure as its settings, and each Python worker process loads the model the
first time it unpickles one and keeps it for every later task: Spark reuses its
Python workers (``spark.python.worker.reuse``, on by default).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice
from operator import itemgetter
from typing import TypeVar, Union

from threadpoolctl import threadpool_limits

from spamguard.clean import Cleaner, clean_each
from spamguard.segment import MarkupError
from spamguard.summary import removed_block, removed_counts, summary
from spamguard.types import CleanResult, Kind, Label

try:
    import pandas as pd
    from pyspark.sql import DataFrame, Row
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType
except ImportError as error:
    raise ImportError(f"spamguard.spark needs {error.name}, which is missing: pip install 'spamguard[spark]'") from error

# Documents per ``clean_many`` call: enough to share the model call, few enough
# that a batch of large HTML pages stays small (``spamguard clean`` uses 32 too).
DEFAULT_BATCH_SIZE = 32
# One count column per stripped label: spamguard_removed_spam, spamguard_removed_boilerplate.
COUNT_PREFIX = "spamguard_removed_"
REMOVED_BLOCK_TYPE = StructType([
    StructField("label", StringType()),
    StructField("score", DoubleType()),
    StructField("reasons", ArrayType(StringType())),
    StructField("text", StringType()),
])

T = TypeVar("T")
Record = Union[Mapping, Row]


@dataclass(frozen=True)
class _Columns:
    """Where a DataFrame's inputs and results go; travels to the executors with the cleaner."""

    text: str
    url: str | None
    output: str
    removed: str | None
    labels: tuple[str, ...]
    kind: str | Kind
    batch_size: int


def clean_dataframe(
    df: DataFrame,
    column: str = "text",
    *,
    url_column: str | None = None,
    output_column: str | None = None,
    removed_column: str | None = None,
    cleaner: Cleaner | None = None,
    kind: str | Kind = "auto",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> DataFrame:
    """``df`` with ``column`` cleaned and a ``spamguard_removed_<label>`` count per stripped label.

    The cleaned text goes to ``output_column`` (default: ``column`` itself);
    ``removed_column``, when named, gets the removed blocks as an array of
    structs (label, score, reasons, text). A null text stays null, with zero
    counts, and HTML the parser cannot read (nested deeper than 2,048 elements)
    stays as it was, with zero counts. Other columns pass through.
    """
    cleaner = cleaner if cleaner is not None else Cleaner()
    columns = _Columns(
        text=column,
        url=url_column,
        output=output_column or column,
        removed=removed_column,
        labels=tuple(label.value for label in Label if label in cleaner.strip),
        kind=kind if kind == "auto" else Kind(kind),  # a wrong kind fails here, not on the executors
        batch_size=batch_size,
    )
    return df.mapInPandas(partial(_clean_frames, cleaner=cleaner, columns=columns), _output_schema(df.schema, columns))


def clean_partition(
    records: Iterable[Record],
    cleaner: Cleaner | None = None,
    *,
    text_field: str = "text",
    url_field: str | None = "url",
    kind: str | Kind = "auto",
    details: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[dict]:
    """Clean one RDD partition of records the way ``spamguard clean`` cleans JSON Lines.

    Use as ``rdd.mapPartitions(partial(clean_partition, cleaner=cleaner))``. Each
    record (a dict or a ``Row``) comes back as a dict with ``text_field``
    cleaned and a ``spamguard`` field (blocks, removed blocks per label and,
    with ``details``, the removed blocks); a record whose text is not a string,
    or is HTML the parser cannot read, comes back unchanged. Without ``cleaner`` the worker builds the default one.
    """
    cleaner = cleaner if cleaner is not None else Cleaner()
    rows = (record.asDict() if isinstance(record, Row) else dict(record) for record in records)
    url = (lambda row: row.get(url_field)) if url_field else (lambda row: None)
    for row, result in _cleaned(cleaner, rows, lambda row: row.get(text_field), url, kind, batch_size):
        yield row if result is None else {**row, text_field: result.text, "spamguard": summary(result, details)}


def _cleaned(
    cleaner: Cleaner,
    items: Iterable[T],
    text: Callable[[T], object],
    url: Callable[[T], object],
    kind: str | Kind,
    batch_size: int,
) -> Iterator[tuple[T, CleanResult | None]]:
    """Each item with its result (None when its text is not a string or is HTML the parser cannot read),
    in order; one model call per batch."""
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        texts = [text(item) for item in batch]
        todo = [index for index, value in enumerate(texts) if isinstance(value, str)]
        cleaned = _clean_batch(cleaner, [texts[index] for index in todo], [url(batch[index]) for index in todo], kind)
        results = {index: result for index, result in zip(todo, cleaned) if not isinstance(result, MarkupError)}
        yield from ((item, results.get(index)) for index, item in enumerate(batch))


def _clean_batch(
    cleaner: Cleaner, texts: list[str], urls: list[object], kind: str | Kind,
) -> list[CleanResult | MarkupError]:
    """One model call on one native thread.

    Spark runs a Python worker per core: BLAS and OpenMP threads in the features
    and the model would oversubscribe the cores (``spamguard clean --jobs`` limits them too).
    """
    with threadpool_limits(limits=1):
        return clean_each(cleaner, texts, kind=kind, urls=[url if isinstance(url, str) else None for url in urls])


def _clean_frames(frames: Iterator[pd.DataFrame], cleaner: Cleaner, columns: _Columns) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: each Arrow batch of rows with its result columns."""
    for frame in frames:
        texts = frame[columns.text].tolist()
        urls = frame[columns.url].tolist() if columns.url else [None] * len(texts)
        cleaned = _cleaned(cleaner, zip(texts, urls), itemgetter(0), itemgetter(1), columns.kind, columns.batch_size)
        yield frame.assign(**_result_columns(texts, [result for _, result in cleaned], columns))


def _result_columns(texts: list[object], results: list[CleanResult | None], columns: _Columns) -> dict[str, list]:
    # Without a result (a null text, or HTML the parser cannot read) the text passes
    # through; pandas may hand a null back as NaN, which Arrow will not take as a string.
    data: dict[str, list] = {columns.output: [
        result.text if result else text if isinstance(text, str) else None for text, result in zip(texts, results)
    ]}
    counts = [removed_counts(result) if result else {} for result in results]
    for label in columns.labels:
        data[COUNT_PREFIX + label] = [count.get(label, 0) for count in counts]
    if columns.removed:
        data[columns.removed] = [[removed_block(block) for block in result.removed] if result else [] for result in results]
    return data


def _output_schema(schema: StructType, columns: _Columns) -> StructType:
    """The input schema with the output column (in place, or added) and the result columns."""
    fields = {field.name: field for field in schema.fields}
    fields[columns.output] = StructField(columns.output, StringType())
    for label in columns.labels:
        fields[COUNT_PREFIX + label] = StructField(COUNT_PREFIX + label, LongType(), nullable=False)
    if columns.removed:
        fields[columns.removed] = StructField(columns.removed, ArrayType(REMOVED_BLOCK_TYPE))
    return StructType(list(fields.values()))
