"""Properties of plain-text and Markdown segmentation that must hold for any input."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.segment import segment_markdown, segment_text
from spamguard.types import Segment

EXAMPLES = settings(max_examples=100, deadline=None)

# Letters of several scripts, punctuation that matters to the segmenter, and every
# kind of whitespace and line break a scraper can leave behind.
_CHARS = "aZ .,!?:;…\"'-#*>|0\u00e7\u0130\u0131\u0436\u4e2d\u0e01\u00a0\t"
_BREAKS = ("\n", "\r\n", "\r", "\x0c", "\u2028", "\x85")
ANY_TEXT = st.lists(st.sampled_from(list(_CHARS) + list(_BREAKS)), max_size=200).map("".join)
# Lines as scrapers write them: words, some long, some starting with spaces or lower-case.
LINE = st.one_of(
    st.text(alphabet=st.sampled_from(list(_CHARS)), max_size=90),
    st.builds(lambda n, w: " " * n + w, st.integers(0, 5), st.text(alphabet="abc Xy.", min_size=1, max_size=70)),
)
LINED_TEXT = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(LINE, max_size=12),
    st.sampled_from(("\n", "\r\n")),
)


def _assert_ordered_and_disjoint(source: str, segments: list[Segment]) -> None:
    previous_end = 0
    for segment in segments:
        assert previous_end <= segment.start < segment.end <= len(source)
        previous_end = segment.end


def _assert_lines_count_newlines(source: str, segments: list[Segment]) -> None:
    for segment in segments:
        assert segment.line == source.count("\n", 0, segment.start) + 1


# ---------------------------------------------------------------- plain text


def _check_text(source: str) -> list[Segment]:
    segments = segment_text(source)
    _assert_ordered_and_disjoint(source, segments)
    covered = [False] * len(source)
    for segment in segments:
        assert segment.text
        assert " ".join(source[segment.start:segment.end].split()) == segment.text
        covered[segment.start:segment.end] = [True] * (segment.end - segment.start)
    outside = "".join(char for char, inside in zip(source, covered) if not inside)
    assert not outside.strip(), f"text outside every block: {outside!r}"
    return segments


@EXAMPLES
@given(ANY_TEXT)
def test_text_offsets_round_trip_on_any_input(source: str) -> None:
    _check_text(source)


@EXAMPLES
@given(LINED_TEXT)
def test_text_offsets_and_lines_on_lined_input(source: str) -> None:
    segments = _check_text(source)
    _assert_lines_count_newlines(source, segments)


@EXAMPLES
@given(st.lists(st.text(alphabet="abcXYZ .!?", min_size=1, max_size=80).filter(str.strip), max_size=10))
def test_text_blank_line_always_splits(paragraphs: list[str]) -> None:
    source = "\n\n".join(paragraphs)
    assert [segment.text for segment in segment_text(source)] == [" ".join(p.split()) for p in paragraphs]


# ---------------------------------------------------------------- markdown


@EXAMPLES
@given(ANY_TEXT)
def test_markdown_spans_are_ordered_on_any_input(source: str) -> None:
    segments = segment_markdown(source)
    previous_end = 0
    for segment in segments:
        assert segment.text
        assert previous_end <= segment.start <= segment.end <= len(source)
        assert source[segment.start:segment.end] == source[segment.start:segment.end].strip()
        previous_end = segment.end


WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
WORDS = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
# Words no prose element uses, so their absence from the blocks proves code was skipped.
CODE_LINE = st.lists(st.text(alphabet="QRSTUV=()", min_size=1, max_size=8), min_size=1, max_size=5).map(" ".join)

# Each element renders to (markup, [(expected block markup, expected block text)]).
HEADING = st.builds(lambda level, words: (f"{'#' * level} {words}", [(f"{'#' * level} {words}", words)]),
                    st.integers(1, 6), WORDS)
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=4).map(
    lambda lines: ("\n".join(lines), [("\n".join(lines), " ".join(lines))])
)
LIST = st.builds(
    lambda marker, items: (
        "\n".join(f"{marker} {item}" for item in items),
        [(f"{marker} {item}", item) for item in items],
    ),
    st.sampled_from(("-", "*", "+", "1.")),
    st.lists(WORDS, min_size=1, max_size=4),
)
FENCE = st.builds(lambda fence, lines: (f"{fence}\n" + "\n".join(lines) + f"\n{fence}", []),
                  st.sampled_from(("```", "~~~", "````")), st.lists(CODE_LINE, max_size=4))
INDENTED = st.lists(CODE_LINE, min_size=1, max_size=3).map(lambda lines: ("\n".join("    " + line for line in lines), []))
FRONT_MATTER = st.one_of(
    st.builds(lambda lines: ("---\n" + "\n".join(f"k: {line}" for line in lines) + "\n---", []), st.lists(CODE_LINE, max_size=3)),
    st.builds(lambda lines: ("+++\n" + "\n".join(f'k = "{line}"' for line in lines) + "\n+++", []), st.lists(CODE_LINE, max_size=3)),
)


@st.composite
def markdown_documents(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    elements = draw(st.lists(st.one_of(HEADING, PARAGRAPH, LIST, FENCE, INDENTED), max_size=8))
    # An indented block right after a list item continues the item, so it is not code there.
    kept: list[tuple[str, list[tuple[str, str]]]] = []
    for element in elements:
        if not (element[0].startswith("    ") and kept and kept[-1][0][:1] in "-*+1"):
            kept.append(element)
    if draw(st.booleans()):
        kept.insert(0, draw(FRONT_MATTER))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    source = "\n\n".join(markup for markup, _ in kept).replace("\n", newline)
    expected = [(block.replace("\n", newline), text) for _, blocks in kept for block, text in blocks]
    return source, expected


@EXAMPLES
@given(markdown_documents())
def test_markdown_blocks_round_trip(document: tuple[str, list[tuple[str, str]]]) -> None:
    source, expected = document
    segments = segment_markdown(source)
    assert [(source[s.start:s.end], s.text) for s in segments] == expected
    _assert_ordered_and_disjoint(source, segments)
    _assert_lines_count_newlines(source, segments)
    # Code and front matter words never reach a block.
    assert not any(char in "QRSTUV" for segment in segments for char in segment.text)
