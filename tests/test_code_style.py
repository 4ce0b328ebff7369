"""Checks STYLE.md asks for that no test of behaviour would catch."""
from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spamguard"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _string_tokens(source: str) -> int:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return sum(1 for token in tokens if token.type == tokenize.STRING)


def _implicitly_joined(path: Path) -> list[str]:
    """Elements of list, set and tuple literals written as two adjacent strings (``"a" "b"``)."""
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.List, ast.Set, ast.Tuple)):
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    segment = ast.get_source_segment(source, element) or ""
                    if _string_tokens(segment) > 1:
                        found.append(f"{path.name}:{element.lineno}: {segment!r}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=[str(path.relative_to(PACKAGE)) for path in SOURCES])
def test_no_implicit_string_concatenation_in_collections(path: Path) -> None:
    assert _implicitly_joined(path) == []


def test_the_check_finds_one(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('TAGS = {"embed" "img", "p"}\nOK = ("a", "b")\n', encoding="utf-8")
    assert len(_implicitly_joined(probe)) == 1
