"""The first pass of ``--site-profile``: stream an archive and count its blocks per host.

It reads the same inputs the cleaning pass reads, decodes each document the
same way, segments it and adds its blocks to a ``SiteProfile``. What it cannot
read it passes over: the cleaning pass reports those documents.
"""
from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence

from tqdm import tqdm

from spamguard.archive.options import ArchiveOptions
from spamguard.archive.readers import iter_units
from spamguard.archive.records import DocTask, Problem
from spamguard.archive.streams import Meter
from spamguard.archive.work import prepare
from spamguard.profile import SiteProfile
from spamguard.segment import MarkupError


def _tasks(inputs: Sequence[str], options: ArchiveOptions, meter: Meter) -> Iterator[DocTask]:
    for unit in iter_units(inputs, options, meter, io.BytesIO()):
        if isinstance(unit, Problem):
            continue
        try:
            yield from (item for item in unit.items if isinstance(item, DocTask))
        finally:
            unit.close()


def count_archive(inputs: Sequence[str], options: ArchiveOptions, profile: SiteProfile | None = None,
                  progress: bool = False) -> SiteProfile:
    """Add every readable document of ``inputs`` that has a host to ``profile`` (a new one by default)."""
    profile = profile if profile is not None else SiteProfile()
    meter = Meter()
    with tqdm(desc="profiling", unit=" docs", disable=not progress, file=sys.stderr) as bar:
        for task in _tasks(inputs, options, meter):
            prepared = prepare(task, options)
            if prepared is None:
                continue
            host = prepared.host
            if not host:
                continue
            try:
                profile.add_document(host, prepared.text, prepared.kind, prepared.url)
            except MarkupError:
                continue  # nothing to count; the cleaning pass reports the page as failed
            bar.update()
    return profile
