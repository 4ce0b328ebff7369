"""A datatrove pipeline step that strips boilerplate and spam blocks from ``Document.text``.

Install ``spamguard[datatrove]``. The step holds a ``Cleaner``, which pickles
as its settings: every task process that datatrove starts loads the model once.
"""
from __future__ import annotations

import contextlib
from itertools import islice

from threadpoolctl import threadpool_limits

from spamguard.clean import Cleaner, clean_each
from spamguard.segment import MarkupError
from spamguard.summary import summary
from spamguard.types import CleanResult, Kind

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.typeshelper import StatHints
except ImportError as error:
    raise ImportError(f"spamguard.datatrove needs {error.name}, which is missing: pip install 'spamguard[datatrove]'") from error

# Documents per ``clean_many`` call, as in ``spamguard clean``.
DEFAULT_BATCH_SIZE = 32


class SpamguardCleaner(PipelineStep):
    """Cleans each document's text in place and drops documents left empty.

    A document keeps its id and metadata and gains ``metadata["spamguard"]``:
    its block count and removed blocks per label, as ``spamguard clean``
    writes them. Stats count cleaned documents and, per label, removed blocks
    (``removed_spam``) and their UTF-8 bytes (``removed_spam_bytes``).
    ``exclusion_writer`` gets, for every document that lost blocks, a document
    with the same id whose text is the removed blocks and whose
    ``metadata["spamguard"]["removed_blocks"]`` gives each one's label, score
    and reasons. The URL, which the model reads, is ``metadata[url_key]``.
    A document whose HTML the parser cannot read goes on unchanged with
    ``metadata["spamguard"] = {"error": ...}``, counted as ``unreadable``.
    """

    name = "🛡 spamguard"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        exclusion_writer: DiskWriter | None = None,
        url_key: str = "url",
        kind: str | Kind = "auto",
        drop_empty: bool = True,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        super().__init__()
        self.cleaner = cleaner if cleaner is not None else Cleaner()
        self.exclusion_writer = exclusion_writer
        self.url_key = url_key
        self.kind = kind if kind == "auto" else Kind(kind)
        self.drop_empty = drop_empty
        self.batch_size = batch_size

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        with self.exclusion_writer if self.exclusion_writer else contextlib.nullcontext() as writer:
            documents = iter(data)
            while batch := list(islice(documents, self.batch_size)):
                for document, result in zip(batch, self._clean(batch)):
                    if isinstance(result, MarkupError):
                        self._unreadable(document, result)
                        yield document
                        continue
                    self._record(document, result)
                    if writer is not None and result.removed:
                        writer.write(_removed_document(document, result), rank)
                    if self._goes_on(document):
                        yield document

    def _clean(self, batch: list[Document]) -> list[CleanResult | MarkupError]:
        self.stat_update("batches")
        urls = [document.metadata.get(self.url_key) for document in batch]
        # One task per core: native threads in the features and the model would
        # oversubscribe the cores (``spamguard clean --jobs`` limits them too).
        with self.track_time("batch"), threadpool_limits(limits=1):
            return clean_each(
                self.cleaner,
                [document.text for document in batch],
                kind=self.kind,
                urls=[url if isinstance(url, str) else None for url in urls],
            )

    def _goes_on(self, document: Document) -> bool:
        """Whether ``document`` goes to the next step: not when cleaning left it empty, unless ``drop_empty`` is off."""
        if self.drop_empty and not document.text.strip():
            self.stat_update(StatHints.dropped, "dropped_empty")
            return False
        self.stat_update(StatHints.forwarded)
        self.update_doc_stats(document)
        return True

    def _unreadable(self, document: Document, error: MarkupError) -> None:
        """Pass on, unchanged, a document the HTML parser cannot read, saying why."""
        document.metadata["spamguard"] = {"error": str(error)}
        self.stat_update(StatHints.total)
        self.stat_update("unreadable")
        self.stat_update(StatHints.forwarded)

    def _record(self, document: Document, result: CleanResult) -> None:
        """Put the cleaned text and the summary on ``document``; count what went."""
        document.text = result.text
        document.metadata["spamguard"] = summary(result, details=False)
        self.stat_update(StatHints.total)
        if result.removed:
            self.stat_update("cleaned")
        for block in result.removed:
            label = block.label.value
            self.stat_update(f"removed_{label}", unit="block")
            self.stat_update(f"removed_{label}_bytes", value=len(block.text.encode("utf-8", "surrogatepass")), unit="block")


def _removed_document(document: Document, result: CleanResult) -> Document:
    """What ``document`` lost, as a document for an exclusion writer."""
    return Document(
        text="\n\n".join(block.text for block in result.removed),
        id=document.id,
        metadata={**document.metadata, "spamguard": summary(result, details=True)},
    )
