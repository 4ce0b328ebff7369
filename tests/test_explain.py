"""``spamguard explain`` end to end through ``main``, on a seed-shaped page written here."""
from __future__ import annotations

import json
import re

import pytest

from bad_inputs import too_deep_html
from spamguard.cli import main

ANSI = re.compile(r"\x1b\[")
FOOTER = (
    "ankara escort çankaya escort kızılay escort escort bayan ankara etimesgut escort sincan escort "
    "ankara escort bayan çankaya escort kızılay escort bayan ankara vip escort keçiören escort ankara escort"
)
PARAGRAPHS = (
    "The town library reopened on Monday after a year of repairs to its roof and its heating, and "
    "hundreds of readers queued in the rain to borrow books before the doors had even opened.",
    "Builders replaced the leaking slate roof, insulated the old reading room and installed a heat "
    "pump that the council says will halve the building's energy bills over the next ten years.",
    "The children's section moved to the ground floor, where a former storage room now holds picture "
    "books, a small stage for story hours and a row of computers for homework in the afternoons.",
    "Volunteers spent the last month carrying thousands of books back from a temporary site in the "
    "school gym, sorting them by hand because the catalogue system was being replaced at the same time.",
    "The head librarian, Ana Petrova, said that visits had fallen by half during the closure and that "
    "she hoped the new opening hours, which now include Sunday mornings, would bring readers back.",
)
PAGE = "\n\n".join(
    (
        "Riverside library town news local events reading culture books for everyone",
        "Why Support Riverside Gazette?",
        "Riverside Library Reopens After a Year of Repairs",
        PARAGRAPHS[0][:80] + "...",
        *PARAGRAPHS,
        "412 reads",
        FOOTER,
    )
)


@pytest.fixture()
def page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return str(path)


def _explain(capsys, *argv: str) -> str:
    assert main(["explain", *argv]) == 0
    return capsys.readouterr().out


def test_lists_the_footer_as_removed_spam_and_keeps_the_article(capsys, page) -> None:
    lines = _explain(capsys, page).splitlines()
    heads = [line for line in lines if line.startswith("line ")]
    footer = [line for line in heads if FOOTER[:40] in line]
    assert len(footer) == 1 and " SPAM " in footer[0] and "[removed]" in footer[0]
    for paragraph in PARAGRAPHS:
        found = [line for line in heads if paragraph[:60] in line and "..." not in line]
        assert len(found) == 1 and " CONTENT " in found[0] and "[kept]" in found[0], found
    # Reasons are indented under their block.
    assert lines[lines.index(footer[0]) + 1].startswith("      - ")


def test_blocks_come_in_document_order(capsys, page) -> None:
    numbers = [int(line.split()[1]) for line in _explain(capsys, page).splitlines() if line.startswith("line ")]
    assert numbers == sorted(numbers) and len(numbers) == 11


def test_only_removed(capsys, page) -> None:
    heads = [line for line in _explain(capsys, page, "--only", "removed").splitlines() if line.startswith("line ")]
    assert heads and all("[removed]" in line for line in heads)
    assert any(FOOTER[:40] in line for line in heads)


def test_json_is_the_clean_result(capsys, page) -> None:
    data = json.loads(_explain(capsys, page, "--format", "json"))
    assert data["kind"] == "text"
    footer = [block for block in data["blocks"] if block["text"] == FOOTER]
    assert footer[0]["label"] == "spam" and footer[0]["removed"] is True
    assert FOOTER not in data["text"] and PARAGRAPHS[-1] in data["text"]


def test_stdin(capsys, page, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PAGE))
    assert FOOTER[:40] in _explain(capsys, "-", "--only", "removed")


def test_no_colour_when_not_a_terminal(capsys, page, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not ANSI.search(_explain(capsys, page))


def test_colour_on_a_terminal_unless_no_color(capsys, page, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert ANSI.search(_explain(capsys, page))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(_explain(capsys, page))


def test_missing_file_is_a_usage_error(capsys, tmp_path) -> None:
    assert main(["explain", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_html_the_parser_cannot_read_is_a_usage_error_that_says_why(capsys, tmp_path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text(too_deep_html("Deep."))
    assert main(["explain", str(deep)]) == 2
    assert "deep.html: HTML the parser cannot read whole" in capsys.readouterr().err
