"""One cleaning pass: read units, clean batches in worker processes, write in order.

Order and memory: documents go to workers in batches through a bounded window
of in-flight batches; results are taken back strictly in submission order, so
outputs are byte-identical whatever ``jobs`` is and memory stays flat.

The audit file (``removed``) gets every removed block as it goes and, at the end,
the audit sample: the ``MAX_SAMPLE`` documents with a removal whose sample keys
are smallest, kept in a ``BottomK`` here. Each batch is sent with the largest key
that can still get in, so workers build document records only for candidates.
"""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from threadpoolctl import threadpool_limits
from tqdm import tqdm

from spamguard.archive.options import ArchiveOptions
from spamguard.archive.readers import STDIN, iter_units
from spamguard.archive.records import DocTask, Problem, Severity, Unit
from spamguard.archive.report import Report
from spamguard.archive.stats import Stats
from spamguard.archive.streams import Meter
from spamguard.archive.work import BatchCleaner, BatchResult, init_worker, run_batch
from spamguard.archive.writers import AtomicFile, OutsideOutput, StreamSink, TreeSink, Writer
from spamguard.audit_report import MAX_SAMPLE, BottomK

# A batch is the unit of inter-process work: big enough to amortise pickling,
# small enough that a window of them stays a few MB.
BATCH_DOCS = 32
BATCH_BYTES = 1 << 20
_BATCH_EVENTS = 1024
_WINDOW_PER_JOB = 2


@dataclass(frozen=True)
class _Start:
    unit: Unit


@dataclass(frozen=True)
class _End:
    unit: Unit


@dataclass(frozen=True)
class _Existing:
    unit: Unit


class _Doc:
    """Marks where a task's outcome goes in a batch's event list."""


_DOC = _Doc()
_Event = _Start | _End | _Existing | _Doc | Problem | Stats


@dataclass
class _Batch:
    tasks: list[DocTask]
    events: list[_Event]
    result: Future | BatchResult | None = None


def clean_paths(
    inputs: Sequence[str],
    output: Path | None,
    options: ArchiveOptions,
    cleaner: object,
    *,
    removed: Path | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    progress: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
) -> Report:
    """Clean every document of ``inputs`` into ``output`` (a folder) or ``stdout``.

    Returns the report; raises ``KeyboardInterrupt`` after removing temporary files.
    """
    sink = TreeSink(output, dry_run=options.dry_run) if output is not None else StreamSink(stdout or sys.stdout.buffer)
    report = Report(list(inputs), str(output) if output is not None else None, dry_run=options.dry_run)
    meter = Meter()
    units = iter_units(inputs, options, meter, stdin or sys.stdin.buffer)
    batch_cleaner = BatchCleaner(cleaner, options)
    audit = AtomicFile(removed, _compression_of(removed)) if removed is not None else None
    bar = tqdm(
        total=_total_bytes(inputs) if progress else None,
        unit="B",
        unit_scale=True,
        desc="cleaning",
        disable=not progress,
        file=sys.stderr,
    )
    sample = BottomK(MAX_SAMPLE) if audit is not None and options.audit else None
    pass_ = _Pass(sink, report, audit, sample, bar, meter, on_problem)
    executor = (
        ProcessPoolExecutor(options.jobs, initializer=init_worker, initargs=(batch_cleaner,))
        if options.jobs > 1
        else None
    )
    started = time.perf_counter()
    try:
        # --jobs 1 cleans in this process: hold it to one core too, as workers are.
        with threadpool_limits(1 if executor is None else None):
            pass_.run(_events(units, sink, options), batch_cleaner, executor, options.jobs)
        if audit is not None:
            for line in sample.items() if sample is not None else ():
                audit.write(line)
            audit.commit()
    except BaseException:
        pass_.abort()
        if audit is not None:
            audit.abort()
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        bar.close()
        report.elapsed = time.perf_counter() - started
    return report


def _events(units: Iterator[Unit | Problem], sink: TreeSink | StreamSink, options: ArchiveOptions) -> Iterator[_Event | DocTask]:
    for unit in units:
        if isinstance(unit, Problem):
            yield unit
            continue
        try:
            # exists() also refuses paths outside the output folder, so call it even with --force.
            if sink.exists(unit.output) and not options.force:
                yield _Existing(unit)
                continue
            yield _Start(unit)
            yield from unit.items
            yield _End(unit)
        except OutsideOutput as error:
            yield Problem(unit.display, "", "unsafe-path", f"output {error} escapes the output folder", Severity.FAILED)
        finally:
            unit.close()


class _Pass:
    """The parent side: batches, the window, and writing outcomes in order."""

    def __init__(
        self,
        sink: TreeSink | StreamSink,
        report: Report,
        audit: AtomicFile | None,
        sample: BottomK | None,
        bar: tqdm,
        meter: Meter,
        on_problem: Callable[[Problem], None] | None,
    ) -> None:
        self.sink = sink
        self.report = report
        self.audit = audit
        self.sample = sample
        self.bar = bar
        self.meter = meter
        self.on_problem = on_problem
        self.writer: Writer | None = None

    def run(
        self,
        events: Iterator[_Event | DocTask],
        batch_cleaner: BatchCleaner,
        executor: ProcessPoolExecutor | None,
        jobs: int,
    ) -> None:
        window: deque[_Batch] = deque()
        batch = _Batch([], [])
        size = 0

        def submit() -> None:
            nonlocal batch, size
            if batch.tasks:
                # The limit only falls as the run goes, so a document over it now never gets in.
                limit = self.sample.limit if self.sample is not None else None
                batch.result = (
                    executor.submit(run_batch, batch.tasks, limit) if executor else batch_cleaner(batch.tasks, limit)
                )
            window.append(batch)
            batch, size = _Batch([], []), 0
            # In-process (jobs=1) there is nothing to overlap: write each batch at once.
            while len(window) > (_WINDOW_PER_JOB * jobs if executor else 0):
                self._write(window.popleft())

        for event in events:
            if isinstance(event, DocTask):
                batch.tasks.append(event)
                batch.events.append(_DOC)
                size += len(event.data)
            else:
                batch.events.append(event)
            if len(batch.tasks) >= BATCH_DOCS or size >= BATCH_BYTES or len(batch.events) >= _BATCH_EVENTS:
                submit()
        submit()
        while window:
            self._write(window.popleft())

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None

    def _write(self, batch: _Batch) -> None:
        result = batch.result.result() if isinstance(batch.result, Future) else batch.result
        outcomes = iter(result.outcomes) if result is not None else iter(())
        stats = result.stats if result is not None else Stats()
        for event in batch.events:
            if isinstance(event, _Doc):
                outcome = next(outcomes)
                if outcome.problem is not None:
                    self._problem(outcome.problem)
                if outcome.data is not None and self.writer is not None:
                    self.writer.write(outcome.data)
                if outcome.audit and self.audit is not None:
                    self.audit.write(outcome.audit)
                if outcome.sample is not None and self.sample is not None:
                    # The line breaks ties of key, so the sample never depends on arrival order.
                    self.sample.offer((outcome.sample.key, outcome.sample.line), outcome.sample.line)
            elif isinstance(event, _Start):
                self.writer = self.sink.open(event.unit.output, event.unit.compression, single=event.unit.single)
            elif isinstance(event, _End):
                assert self.writer is not None
                if self.writer.commit():
                    stats = stats + Stats(outputs_written=1)
                self.writer = None
            elif isinstance(event, _Existing):
                stats = stats + Stats(outputs_existing=1)
            elif isinstance(event, Problem):
                self._problem(event)
                stats = stats + event.stats()
            else:
                stats = stats + event
        self.report.stats = self.report.stats + stats
        self.bar.update(self.meter.count - self.bar.n)
        self.bar.set_postfix_str(f"{self.report.stats.read:,} docs", refresh=False)

    def _problem(self, problem: Problem) -> None:
        self.report.add_problem(problem)
        if self.on_problem is not None:
            self.on_problem(problem)


def _compression_of(path: Path) -> str:
    return {".gz": "gz", ".zst": "zst"}.get(path.suffix.lower(), "")


def _total_bytes(inputs: Sequence[str]) -> int | None:
    """Bytes on disk of all inputs, for the progress bar's ETA (None with stdin)."""
    total = 0
    for arg in inputs:
        if arg == STDIN:
            return None
        path = Path(arg)
        if path.is_dir():
            for folder, _, files in os.walk(path):
                for name in files:
                    try:
                        total += os.path.getsize(os.path.join(folder, name))
                    except OSError:
                        pass
        elif path.is_file():
            total += path.stat().st_size
    return total
