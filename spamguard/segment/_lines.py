"""Line bookkeeping shared by the plain-text and Markdown segmenters."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One source line without its line break; ``start`` is its offset in the source."""

    number: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def split_lines(source: str) -> Iterator[Line]:
    """Every line of ``source`` with its offset; ``\\r\\n``, ``\\r`` and ``\\n`` end a line.

    Unlike ``str.splitlines`` it does not break at form feeds or Unicode line
    separators, so line numbers agree with editors and ``grep -n``.
    """
    number = 1
    for match in _LINE.finditer(source):
        if match.start() == len(source) and not match.group(0):
            break
        yield Line(number, match.start(), match.group(1))
        number += 1


def split_point(source: str, start: int, cut: int) -> tuple[int, int]:
    """Where a block of ``source`` from ``start`` splits ``cut`` characters in, and how many
    lines below ``start`` the second part begins. The white space between goes with the
    second part, so that removing it leaves the first as it was written."""
    return start + len(source[start:start + cut].rstrip()), source.count("\n", start, start + cut)


class LineIndex:
    """Maps character offsets to 1-based line numbers."""

    def __init__(self, source: str) -> None:
        self._starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self._length = len(source)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, line: int) -> int:
        """Offset where ``line`` starts: 0 before the first line, the source's end after the last."""
        if line > len(self._starts):
            return self._length
        return self._starts[max(line, 1) - 1]
