"""Plain text as scrapers emit it: one block per line, continuation lines joined."""
from __future__ import annotations

import re

from spamguard.segment._lines import Line, split_lines
from spamguard.segment.spam_tails import with_text_tail
from spamguard.types import SENTENCE_STOPS, Segment

# A line ending in one of these closes a sentence, so a lower-case next line is a
# new block rather than the rest of a hard-wrapped one.
_SENTENCE_END = tuple(SENTENCE_STOPS + ':;"”’)]»…')
# Hard-wrapped prose fills its lines; a short line before a lower-case one is a
# separate item (a counter, a caption), not a wrapped sentence.
_WRAPPED_LINE_MIN = 50
# A line ending in a web address: what follows it is as often an injected line
# as the rest of a wrapped sentence, and joining spam to a paragraph loses the paragraph.
_URL_AT_END = re.compile(r"(?:https?://|www\.)\S+$")


def _continues(previous: Line, line: Line) -> bool:
    """Whether ``line`` carries on the block that ``previous`` started.

    Scrapers turn ``<br>`` inside a paragraph into a line that starts with a
    space (the seed shows it), and hard-wrapped prose breaks mid-sentence.
    """
    if line.text[:1] in (" ", "\t") and not line.text.startswith("    "):
        return True
    stripped = line.text.lstrip()
    before = previous.text.rstrip()
    return (
        bool(stripped)
        and stripped[0].islower()
        and len(before) >= _WRAPPED_LINE_MIN
        and not before.endswith(_SENTENCE_END)
        and not _URL_AT_END.search(before)
    )


def segment_text(source: str) -> list[Segment]:
    """Blocks of plain text: each non-blank line, joined with its continuation lines."""
    groups: list[list[Line]] = []
    previous: Line | None = None
    for line in split_lines(source):
        if line.blank:
            previous = None
            continue
        if previous is not None and _continues(previous, line):
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = line
    return [_segment_of(group, source) for group in groups]


def _segment_of(lines: list[Line], source: str) -> Segment:
    first, last = lines[0], lines[-1]
    start = first.start + (len(first.text) - len(first.text.lstrip()))
    end = last.start + len(last.text.rstrip())
    return with_text_tail(Segment(text=" ".join(source[start:end].split()), start=start, end=end, line=first.number),
                          source)
