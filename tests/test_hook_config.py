"""Reading ``[tool.spamguard]`` and ``.spamguard.toml``: values, errors, discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from spamguard.hookconfig import ConfigError, HookConfig, find_config, load_config, parse_config


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ({}, "labels", ("spam",)),
        ({}, "min_score", 0.8),
        ({"labels": ["spam", "boilerplate", "spam"]}, "labels", ("spam", "boilerplate")),
        ({"min-score": 1}, "min_score", 1.0),
        ({"min-score": 0.55}, "min_score", 0.55),
        (
            {"allowed-domains": ["WWW.Example.com", "shop.example.org"]},
            "allowed_domains",
            ("example.com", "shop.example.org"),
        ),
        ({"allowed-phrases": ["sponsored by Acme "]}, "allowed_phrases", ("sponsored by Acme",)),
        ({"exclude": ["vendor/**", "*.min.html"]}, "exclude", ("vendor/**", "*.min.html")),
    ],
)
def test_parse_config_values(table: dict, field: str, value: object) -> None:
    assert getattr(parse_config(table, "cfg", Path(".")), field) == value


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"min_score": 0.5}, "cfg: unknown key 'min_score' (did you mean 'min-score'?)"),
        ({"colour": "red"}, "cfg: unknown key 'colour'; known keys: allowed-domains"),
        ({"min-score": "high"}, "cfg: min-score: expected a number from 0 to 1, got 'high'"),
        ({"min-score": 2}, "cfg: min-score: expected a number from 0 to 1, got 2"),
        ({"min-score": True}, "cfg: min-score: expected a number from 0 to 1, got True"),
        ({"labels": "spam"}, "cfg: labels: expected a list of non-empty strings, got 'spam'"),
        ({"labels": ["content"]}, "cfg: labels: unknown label 'content'; choose from spam, boilerplate"),
        ({"allowed-domains": ["https://example.com/"]}, "cfg: allowed-domains: 'https://example.com/' is not a domain"),
        ({"allowed-phrases": [""]}, "cfg: allowed-phrases: expected a list of non-empty strings"),
        ({"exclude": [3]}, "cfg: exclude: expected a list of non-empty strings, got [3]"),
    ],
)
def test_parse_config_errors_name_the_key(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(table, "cfg", Path("."))
    assert str(error.value).startswith(message)


def test_load_pyproject_names_file_and_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.spamguard]\nmin-score = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: \[tool\.spamguard\]: min-score: expected"):
        load_config(path)


def test_load_reports_invalid_toml_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / ".spamguard.toml"
    path.write_text("labels = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.spamguard\.toml: invalid TOML"):
        load_config(path)


def test_find_config_prefers_spamguard_toml_and_stops_at_repo_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    (tmp_path / ".spamguard.toml").write_text("min-score = 0.1\n", encoding="utf-8")  # outside the repo
    assert find_config(repo / "docs") == HookConfig(root=repo.resolve())

    (repo / "pyproject.toml").write_text("[project]\nname = 'site'\n", encoding="utf-8")  # no [tool.spamguard]
    assert find_config(repo / "docs").source is None

    (repo / "pyproject.toml").write_text("[tool.spamguard]\nmin-score = 0.5\n", encoding="utf-8")
    config = find_config(repo / "docs")
    assert (config.min_score, config.root, config.source) == (0.5, repo.resolve(), repo.resolve() / "pyproject.toml")

    (repo / ".spamguard.toml").write_text("min-score = 0.6\n", encoding="utf-8")
    assert find_config(repo / "docs").min_score == 0.6
