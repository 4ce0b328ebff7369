"""The motivating case: the real seed article from ../shared, when it is there."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SeedParts, seed_shape_failures

SEED = Path(__file__).resolve().parents[2] / "shared/data/seed-article.txt"


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not here")
    return SEED.read_text(encoding="utf-8")


def test_seed_is_cleaned_as_the_design_asks(cleaner, seed: str) -> None:
    result = cleaner.clean(seed)
    assert seed_shape_failures(seed, result) == []


def test_seed_is_read_as_plain_text(cleaner, seed: str) -> None:
    assert cleaner.clean(seed).kind.value == "text"


def test_cleaning_the_cleaned_seed_keeps_the_article(cleaner, seed: str) -> None:
    parts = SeedParts.of(seed)
    once = cleaner.clean(seed)
    twice = cleaner.clean(once.text)
    for paragraph in (parts.title, *parts.paragraphs):
        assert paragraph.strip() in twice.text
