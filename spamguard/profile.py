"""Site profiles: what repeats across an archive, counted in fixed memory.

A profile counts normalized block fingerprints per host and across hosts. The
classifier then reads, for each block, the share of its host's pages that carry
it and how many hosts carry it (``SiteFacts``). A single page rarely proves a
block is chrome; the same banner on every page of a host, or the same footer on
hundreds of hosts, does. The model decides what repetition means: a recurring
disclaimer can still be content.

Counts live in count-min sketches (conservative update): memory is fixed by the
sketch size whatever the archive's, and a count is never under-estimated by the
sketch itself; it over-estimates by at most ``e * N / width`` (``N`` the
increments the sketch has seen) with probability ``1 - exp(-depth)``. The
number of hosts carrying a block is counted when a host's pair count was still
zero, so collisions can only make it lower, never higher.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spamguard.lexicon import lower
from spamguard.segment import detect_kind, segment
from spamguard.segment.links import host_of
from spamguard.types import Kind, SiteFacts

PROFILE_FORMAT = 1
# Blocks are compared without case, digits or punctuation: "370 reads" and
# "1,204 reads" are the same counter, "Share  this:" the same share line.
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NON_WORD = re.compile(r"[\W_]+")
_MASK64 = (1 << 64) - 1
# Odd multipliers for multiply-shift hashing, one per sketch row.
_ROW_MULTIPLIERS = (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
)
_PAIR_MIX = 0x2545F4914F6CDD1D


def normalize_block(text: str) -> str:
    """A block's text as compared across pages: lower case, digits as 0, words only."""
    return _NON_WORD.sub(" ", _DIGITS.sub("0", lower(text))).strip()


def fingerprint(text: str) -> int | None:
    """64-bit fingerprint of a block's normalized text; None when no words are left.

    A block of numbers alone ("$1,595", "2", "04") has no words: with digits
    folded, every price and page number would be one block on most pages.
    """
    normalized = normalize_block(text)
    if not normalized.strip("0 "):
        return None
    return int.from_bytes(hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).digest(), "little")


def host_key(host: str) -> int:
    """64-bit key of a host name (lower case, without ``www.``)."""
    host = host.lower().removeprefix("www.")
    return int.from_bytes(hashlib.blake2b(host.encode("utf-8"), digest_size=8, person=b"host").digest(), "little")


class CountMinSketch:
    """Counts for 64-bit keys in a fixed ``depth x width`` table, conservative update."""

    def __init__(self, width: int, depth: int = 4, dtype: str = "uint32") -> None:
        if width < 2 or width & (width - 1):
            raise ValueError(f"width must be a power of two, not {width}")
        if not 1 <= depth <= len(_ROW_MULTIPLIERS):
            raise ValueError(f"depth must be between 1 and {len(_ROW_MULTIPLIERS)}, not {depth}")
        self.table = np.zeros((depth, width), dtype=dtype)
        self.increments = 0

    @property
    def width(self) -> int:
        return self.table.shape[1]

    @property
    def depth(self) -> int:
        return self.table.shape[0]

    @property
    def error_bound(self) -> float:
        """Over-estimate that holds with probability ``1 - exp(-depth)``: ``e * N / width``."""
        return math.e * self.increments / self.width

    def _cells(self, keys: np.ndarray) -> np.ndarray:
        shift = np.uint64(64 - (self.width.bit_length() - 1))
        multipliers = np.array(_ROW_MULTIPLIERS[:self.depth], dtype=np.uint64)[:, None]
        with np.errstate(over="ignore"):
            return ((keys[None, :] * multipliers) >> shift).astype(np.intp)

    def query(self, keys: np.ndarray) -> np.ndarray:
        """Estimated counts of ``keys`` (uint64 array)."""
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        cells = self._cells(keys)
        rows = np.arange(self.depth)[:, None]
        return self.table[rows, cells].min(axis=0).astype(np.int64)

    def add(self, keys: np.ndarray) -> np.ndarray:
        """Count each of ``keys`` (distinct) once; returns their estimates before the update."""
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        cells = self._cells(keys)
        rows = np.arange(self.depth)[:, None]
        before = self.table[rows, cells].min(axis=0).astype(np.int64)
        ceiling = np.iinfo(self.table.dtype).max
        raised = np.minimum(before + 1, ceiling).astype(self.table.dtype)
        # Conservative update: lift only the cells below the new estimate.
        np.maximum.at(self.table, (np.broadcast_to(rows, cells.shape), cells), np.broadcast_to(raised, cells.shape))
        self.increments += len(keys)
        return before


@dataclass(frozen=True)
class ProfileSize:
    """Sketch widths: 2**22 pair cells x 4 rows x 2 bytes is 32 MiB per block sketch."""

    block_width: int = 2**22
    host_width: int = 2**18
    depth: int = 4


class SiteProfile:
    """Counts of normalized blocks per host and across hosts, in fixed memory.

    Build one with ``SiteProfile.build(documents)`` or ``add`` page by page;
    give it to ``Cleaner(profile=...)``; ``save`` and ``load`` keep it between runs.
    """

    def __init__(self, size: ProfileSize = ProfileSize()) -> None:
        self.size = size
        # (host, block) -> pages of the host carrying the block.
        self.pair_pages = CountMinSketch(size.block_width, size.depth, "uint16")
        # block -> hosts carrying it.
        self.block_hosts = CountMinSketch(size.block_width, size.depth, "uint16")
        # host -> pages.
        self.host_pages = CountMinSketch(size.host_width, size.depth, "uint32")
        self.documents = 0
        self.hosts = 0

    @classmethod
    def build(cls, documents: Iterable[tuple[str, str]], kind: str | Kind = "auto",
              size: ProfileSize = ProfileSize()) -> SiteProfile:
        """A profile of ``(text, url)`` pairs; documents without a host are not counted."""
        profile = cls(size)
        for text, url in documents:
            host = host_of(url or "")
            if host:
                profile.add_document(host, text, kind, url)
        return profile

    @property
    def memory_bytes(self) -> int:
        return sum(sketch.table.nbytes for sketch in (self.pair_pages, self.block_hosts, self.host_pages))

    def add(self, host: str, blocks: Sequence[str]) -> None:
        """Count one page of ``host`` with its blocks' texts."""
        host_id = host_key(host)
        if self.host_pages.add(np.array([host_id], dtype=np.uint64))[0] == 0:
            self.hosts += 1
        self.documents += 1
        prints = np.unique(np.array([p for p in map(fingerprint, blocks) if p is not None], dtype=np.uint64))
        first_on_host = self.pair_pages.add(_pair_keys(host_id, prints)) == 0
        self.block_hosts.add(prints[first_on_host])

    def add_document(self, host: str, text: str, kind: str | Kind = "auto", url: str | None = None) -> None:
        """Segment one page of ``host`` as the Cleaner would and count its blocks."""
        resolved = detect_kind(text) if kind == "auto" else kind
        self.add(host, [block.text for block in segment(text, resolved, url or "")])

    def facts(self, host: str, blocks: Sequence[str]) -> SiteFacts:
        """What the profile knows about each of ``blocks`` on a page of ``host``."""
        host_id = host_key(host)
        prints = [fingerprint(text) for text in blocks]
        known = np.array([p if p is not None else 0 for p in prints], dtype=np.uint64)
        pages = int(self.host_pages.query(np.array([host_id], dtype=np.uint64))[0])
        pair = self.pair_pages.query(_pair_keys(host_id, known))
        spread = self.block_hosts.query(known)
        empty = np.array([p is None for p in prints])
        pair[empty] = 0
        spread[empty] = 0
        return SiteFacts(
            host_pages=pages,
            page_counts=tuple(int(count) for count in np.minimum(pair, pages)),
            host_counts=tuple(int(count) for count in spread),
        )

    def summary(self) -> dict:
        return {
            "format": PROFILE_FORMAT,
            "documents": self.documents,
            "hosts": self.hosts,
            "memory_bytes": self.memory_bytes,
            "block_width": self.size.block_width,
            "host_width": self.size.host_width,
            "depth": self.size.depth,
            "pair_error_bound": round(self.pair_pages.error_bound, 2),
            "host_error_bound": round(self.block_hosts.error_bound, 2),
        }

    def save(self, path: Path) -> None:
        """Write the profile as one compressed ``.npz`` file, atomically."""
        from spamguard.archive.writers import AtomicFile

        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps({**self.summary(), "increments": self._increments()}).encode(), dtype=np.uint8),
            pair_pages=self.pair_pages.table, block_hosts=self.block_hosts.table, host_pages=self.host_pages.table,
        )
        target = AtomicFile(Path(path))
        target.write(buffer.getvalue())
        target.commit()

    def _increments(self) -> list[int]:
        return [self.pair_pages.increments, self.block_hosts.increments, self.host_pages.increments]

    @classmethod
    def load(cls, path: Path) -> SiteProfile:
        """Read a profile written by ``save``; a file of another format is refused."""
        try:
            with np.load(Path(path), allow_pickle=False) as saved:
                meta = json.loads(saved["meta"].tobytes().decode("utf-8"))
                tables = [saved[name] for name in ("pair_pages", "block_hosts", "host_pages")]
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as error:
            raise ProfileError(f"{path}: not a spamguard site profile ({error})") from None
        if meta.get("format") != PROFILE_FORMAT:
            raise ProfileError(f"{path}: profile format {meta.get('format')!r}, this spamguard reads {PROFILE_FORMAT}")
        profile = cls(ProfileSize(meta["block_width"], meta["host_width"], meta["depth"]))
        for sketch, table, increments in zip(
            (profile.pair_pages, profile.block_hosts, profile.host_pages), tables, meta["increments"]
        ):
            if table.shape != sketch.table.shape or table.dtype != sketch.table.dtype:
                raise ProfileError(f"{path}: sketch of shape {table.shape} does not match its header")
            sketch.table = table
            sketch.increments = increments
        profile.documents, profile.hosts = meta["documents"], meta["hosts"]
        return profile


class ProfileError(ValueError):
    """A site profile file that cannot be read."""


def _pair_keys(host_id: int, prints: np.ndarray) -> np.ndarray:
    """Keys of (host, block) pairs: the block fingerprint mixed with the host's."""
    with np.errstate(over="ignore"):
        return prints ^ np.uint64((host_id * _PAIR_MIX) & _MASK64)
