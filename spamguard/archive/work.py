"""The worker side of a pass: decode, clean and serialise a batch of documents.

Workers return bytes ready to write plus a ``Stats`` for the batch, so the parent
only routes output to files and sums counts. With an audit file, a document with
a removal whose sample key may still make the audit sample (the parent says how
small a key must be) also comes back as a document record, for the parent to keep
or drop.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from threadpoolctl import threadpool_limits

from spamguard.archive.options import ArchiveOptions
from spamguard.archive.records import DocTask, Output, Payload, Problem, Severity
from spamguard.archive.stats import Stats, block_key
from spamguard.audit_report import STORE_SEED, document_record, sample_key
from spamguard.clean import clean_each
from spamguard.segment import readable
from spamguard.segment.links import host_of
from spamguard.summary import summary

_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
_PARENT_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class SampleCandidate:
    """A document that may go into the audit sample: its sample key and its document record, a JSON line."""

    key: float
    line: bytes


@dataclass(frozen=True)
class Outcome:
    """What one task produced: output bytes (None when it failed), audit lines, a problem, a sample candidate."""

    data: bytes | None
    audit: bytes = b""
    problem: Problem | None = None
    sample: SampleCandidate | None = None


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[Outcome, ...]
    stats: Stats


class _Failed(Exception):
    """A record that cannot be cleaned; becomes a ``Problem``, never escapes the batch."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class _Prepared:
    """A decoded task, ready for the model."""

    text: str
    kind: str
    url: str | None
    record: dict
    doc_id: object
    replaced: bool
    host: str | None  # the site the document belongs to, for a site profile


def prepare(task: DocTask, options: ArchiveOptions) -> _Prepared | None:
    """The decoded document of ``task``, or None when it cannot be read (the cleaning pass reports it)."""
    try:
        return _prepare(task, options)
    except _Failed:
        return None


def _prepare(task: DocTask, options: ArchiveOptions) -> _Prepared:
    if task.payload is Payload.JSON_LINE:
        line, replaced = _decode(task.data, "utf-8")
        record = _parse_object(line)
        picked, kind = _pick_text(record, options)
        text = readable(picked)  # JSON escapes can spell lone surrogates
        replaced = replaced or text != picked
        url = record.get(options.url_field)
        doc_id = record.get(options.id_field, task.record)
    else:
        text, replaced = _decode(task.data, task.charset or _sniff_charset(task.data, task.kind))
        record, kind, url = dict(task.fields), task.kind, task.url
        doc_id = record.get("id", task.record)
    url = url if isinstance(url, str) else None
    host = host_of(url or "") or (_folder_host(str(doc_id)) if task.payload is Payload.DOCUMENT and not task.url else None)
    return _Prepared(text, kind, url, record, doc_id, replaced, host)


def _folder_host(relative_path: str) -> str | None:
    """A loose file's top folder inside its input folder: one site per folder."""
    parts = PurePosixPath(relative_path).parts
    return parts[0] if len(parts) > 1 else None


class BatchCleaner:
    """Cleans batches of ``DocTask``; one per worker process, holding one ``Cleaner``."""

    def __init__(self, cleaner: object, options: ArchiveOptions) -> None:
        self.cleaner = cleaner
        self.options = options

    def __call__(self, tasks: Sequence[DocTask], sample_limit: float | None = None) -> BatchResult:
        """Clean ``tasks``; documents with a removal and a sample key up to ``sample_limit`` carry their record."""
        prepared: list[_Prepared | _Failed] = []
        for task in tasks:
            try:
                prepared.append(_prepare(task, self.options))
            except _Failed as failure:
                prepared.append(failure)
        results = self._clean_all(prepared)
        outcomes: list[Outcome] = []
        stats = Stats()
        for task, prep, result in zip(tasks, prepared, results):
            if isinstance(result, _Failed):
                problem = Problem(task.file, task.record, result.code, result.detail, Severity.FAILED)
                outcome, doc_stats = Outcome(None, problem=problem), problem.stats()
            else:
                assert isinstance(prep, _Prepared)
                outcome, doc_stats = self._outcome(task, prep, result, sample_limit)
            outcomes.append(outcome)
            stats = stats + doc_stats
        return BatchResult(tuple(outcomes), stats)

    def _clean_all(self, prepared: Sequence[_Prepared | _Failed]) -> list[object]:
        """Clean results (or ``_Failed``) in order, one model call per kind in the batch."""
        results: list[object] = list(prepared)
        by_kind: dict[str, list[int]] = {}
        for index, prep in enumerate(prepared):
            if isinstance(prep, _Prepared):
                by_kind.setdefault(prep.kind, []).append(index)
        for kind, indices in by_kind.items():
            group = [prepared[i] for i in indices]
            # One document the core cannot handle must not end a pass over millions;
            # it is reported as failed, with the error, and left out of the output.
            cleaned = clean_each(
                self.cleaner, [p.text for p in group], kind=kind, errors=(Exception,),  # type: ignore[arg-type, union-attr]
                urls=[p.url for p in group], hosts=[p.host for p in group],  # type: ignore[union-attr]
            )
            for index, result in zip(indices, cleaned):
                failed = isinstance(result, Exception)
                results[index] = _Failed("cleaner-error", f"{type(result).__name__}: {result}"[:200]) if failed else result
        return results

    def _outcome(self, task: DocTask, prep: _Prepared, result: object, sample_limit: float | None) -> tuple[Outcome, Stats]:
        data = self._serialise(task, prep.record, result)
        audit = _audit_lines(task, prep.doc_id, prep.url, result) if self.options.audit else b""
        sample = _sample_candidate(task, prep, result, sample_limit) if self.options.audit else None
        warning = None
        if prep.replaced:
            warning = Problem(task.file, task.record, "invalid-utf8",
                              "undecodable bytes or lone surrogates replaced by U+FFFD", Severity.WARNING)
        return Outcome(data, audit, warning, sample), _doc_stats(task, result, prep.url, prep.replaced, len(data))

    def _serialise(self, task: DocTask, record: dict, result: object) -> bytes:
        if task.output is Output.TEXT:
            return result.text.encode("utf-8", "replace")  # type: ignore[attr-defined]
        if task.output is Output.JSON:
            return _json_line(result.to_dict())  # type: ignore[attr-defined]
        record[self.options.text_field] = result.text  # type: ignore[attr-defined]
        record["spamguard"] = summary(result, self.options.details)  # type: ignore[arg-type]
        return _json_line(record)


def _decode(data: bytes, charset: str) -> tuple[str, bool]:
    """Text of ``data`` and whether invalid bytes had to be replaced.

    A declared charset is trusted when it decodes cleanly; otherwise UTF-8 with
    U+FFFD replacement, so a stray byte never costs a whole document.
    """
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(codecs.lookup(charset).name), False
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", "replace"), True


def _sniff_charset(data: bytes, kind: str) -> str:
    if kind == "html":
        match = _META_CHARSET.search(data[:_SNIFF_BYTES])
        if match:
            return match.group(1).decode("ascii", "replace")
    return "utf-8"


def _parse_object(line: str) -> dict:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise _Failed("invalid-json", str(error)[:200]) from error
    if not isinstance(record, dict):
        raise _Failed("not-an-object", f"JSON {type(record).__name__}, expected an object")
    return record


def _pick_text(record: dict, options: ArchiveOptions) -> tuple[str, str]:
    """The text to clean and its kind: the HTML field when given and present, else the text field."""
    if options.html_field and isinstance(record.get(options.html_field), str):
        return record[options.html_field], "html"
    if options.text_field not in record:
        wanted = f"'{options.text_field}'" + (f" or '{options.html_field}'" if options.html_field else "")
        raise _Failed("missing-field", f"no {wanted} field")
    text = record[options.text_field]
    if not isinstance(text, str):
        raise _Failed("not-a-string", f"field '{options.text_field}' is {type(text).__name__}")
    return text, options.kind


def _audit_lines(task: DocTask, doc_id: object, url: str | None, result: object) -> bytes:
    return b"".join(
        _json_line(
            {
                "file": task.file,
                "record": task.record,
                "id": doc_id,
                "url": url,
                "label": block.label.value,
                "score": round(block.score, 4),
                "reasons": list(block.reasons),
                "text": block.text,
            }
        )
        for block in result.removed  # type: ignore[attr-defined]
    )


def _sample_candidate(task: DocTask, prep: _Prepared, result: object, limit: float | None) -> SampleCandidate | None:
    if limit is None or not result.removed:  # type: ignore[attr-defined]
        return None
    key = sample_key(STORE_SEED, task.file, task.record)
    if key > limit:
        return None
    where = {"file": task.file, "record": task.record, "id": prep.doc_id, "url": prep.url}
    blocks = (
        {"text": b.text, "label": b.label.value, "score": round(b.score, 4), "removed": b.removed, "reasons": list(b.reasons)}
        for b in result.blocks  # type: ignore[attr-defined]
    )
    return SampleCandidate(key, _json_line(document_record(where, blocks)))


def _doc_stats(task: DocTask, result: object, url: str | None, replaced: bool, bytes_out: int) -> Stats:
    removed = result.removed  # type: ignore[attr-defined]
    labels = [block.label.value for block in removed]
    spam = labels.count("spam")
    host = urlsplit(url).hostname if url and spam else None
    removed_bytes: Counter = Counter()
    for block in removed:
        removed_bytes[block.label.value] += len(block.text.encode("utf-8", "surrogatepass"))
    return Stats(
        read=1,
        cleaned=1 if removed else 0,
        unchanged=0 if removed else 1,
        invalid_utf8=1 if replaced else 0,
        bytes_in=len(task.data),
        bytes_out=bytes_out,
        blocks=len(result.blocks),  # type: ignore[attr-defined]
        blocks_removed=Counter(labels),
        bytes_removed=removed_bytes,
        removed_texts=Counter(block_key(block.label.value, block.text) for block in removed),
        spam_hosts=Counter({host: spam}) if host else Counter(),
    )


def _json_line(value: dict) -> bytes:
    text = json.dumps(value, ensure_ascii=False)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # Lone surrogates (legal in JSON input) cannot be UTF-8: keep them escaped.
        return json.dumps(value).encode("ascii") + b"\n"


# Each worker process holds one BatchCleaner, set once by the pool initializer:
# ProcessPoolExecutor offers no other way to keep a loaded model per process.
_PROCESS_CLEANER: BatchCleaner | None = None


def init_worker(batch_cleaner: BatchCleaner) -> None:
    global _PROCESS_CLEANER
    # Ctrl-C reaches the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One job is one core: OpenMP threads in the model's predict would otherwise
    # oversubscribe the machine N-fold (as joblib's loky workers also prevent).
    threadpool_limits(1)
    _PROCESS_CLEANER = batch_cleaner
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    # After `kill -9` of the parent nobody shuts the pool down; an idle worker would
    # wait on its queue forever. Being re-parented means the parent is gone.
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def run_batch(tasks: Sequence[DocTask], sample_limit: float | None = None) -> BatchResult:
    assert _PROCESS_CLEANER is not None, "init_worker was not run in this process"
    return _PROCESS_CLEANER(tasks, sample_limit)
