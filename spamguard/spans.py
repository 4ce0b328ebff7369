"""Cutting blocks out of a source string while keeping every other character."""
from __future__ import annotations

from collections.abc import Iterable


def _line_end(source: str, offset: int) -> int:
    """Offset just past the line break of the line containing ``offset``."""
    newline = source.find("\n", offset)
    return len(source) if newline < 0 else newline + 1


def _cut_region(source: str, start: int, end: int) -> tuple[int, int]:
    """The region to delete for a span: the span alone when it shares its lines
    with other text; else its whole lines, and one blank line so the paragraphs
    around it stay separated by exactly one."""
    line_start = source.rfind("\n", 0, start) + 1
    # The line of the span's last character: a span may end with its line break.
    line_end = _line_end(source, max(end - 1, start))
    if source[line_start:start].strip() or source[end:line_end].strip():
        return start, end
    start, end = line_start, line_end
    blank_before = start == 0 or not source[source.rfind("\n", 0, start - 1) + 1 : start].strip()
    if blank_before and end < len(source) and not source[end : _line_end(source, end)].strip():
        return start, _line_end(source, end)
    if end == len(source) and start > 0 and blank_before:
        return source.rfind("\n", 0, start - 1) + 1, end
    return start, end


def remove_spans(source: str, spans: Iterable[tuple[int, int]]) -> str:
    """``source`` without the given spans; every other character is kept as it was."""
    result = source
    # Back to front, so earlier offsets stay valid; overlapping spans are merged.
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        cut_start, cut_end = _cut_region(result, start, end)
        result = result[:cut_start] + result[cut_end:]
    return result
