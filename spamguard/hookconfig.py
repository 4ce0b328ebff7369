"""The hook's configuration: ``[tool.spamguard]`` in pyproject.toml or ``.spamguard.toml``.

``parse_config`` checks a TOML table and is pure; ``find_config`` walks up from a
directory to the first file that configures spamguard.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

SPAMGUARD_TOML = ".spamguard.toml"
PYPROJECT_TOML = "pyproject.toml"
# Labels a user may ask the hook to report; reporting `content` would flag the article.
REPORTABLE_LABELS = ("spam", "boilerplate")
DEFAULT_MIN_SCORE = 0.8


class ConfigError(ValueError):
    """Invalid configuration; the message names the file and the key."""


@dataclass(frozen=True)
class HookConfig:
    """What the hook reports and what it lets through.

    ``root`` is the directory that ``exclude`` globs and baseline paths are
    relative to: the directory of the config file, else the repository root.
    ``source`` is the config file, if any.
    """

    root: Path = Path(".")
    source: Path | None = None
    allowed_domains: tuple[str, ...] = ()
    allowed_phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
    labels: tuple[str, ...] = ("spam",)


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(item.strip() for item in value)


def _domains(value: Any, where: str) -> tuple[str, ...]:
    domains = _string_list(value, where)
    for domain in domains:
        if "/" in domain or " " in domain:
            raise ConfigError(f"{where}: {domain!r} is not a domain; write it like 'example.com'")
    return tuple(domain.lower().removeprefix("www.") for domain in domains)


def check_min_score(value: Any, where: str) -> float:
    # bool is an int subclass; `min-score = true` is a mistake, not 1.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{where}: expected a number from 0 to 1, got {value!r}")
    return float(value)


def check_labels(value: Any, where: str) -> tuple[str, ...]:
    labels = _string_list(value, where)
    for label in labels:
        if label not in REPORTABLE_LABELS:
            raise ConfigError(f"{where}: unknown label {label!r}; choose from {', '.join(REPORTABLE_LABELS)}")
    return tuple(dict.fromkeys(labels))


KEYS = {
    "allowed-domains": ("allowed_domains", _domains),
    "allowed-phrases": ("allowed_phrases", _string_list),
    "exclude": ("exclude", _string_list),
    "min-score": ("min_score", check_min_score),
    "labels": ("labels", check_labels),
}


def parse_config(table: dict[str, Any], where: str, root: Path, source: Path | None = None) -> HookConfig:
    """Check a ``[tool.spamguard]`` table; ``where`` prefixes every error message."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(KEYS)}"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        field_name, check = KEYS[key]
        values[field_name] = check(value, f"{where}: {key}")
    return HookConfig(root=root, source=source, **values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def load_config(path: Path) -> HookConfig:
    """Read one config file: a ``.spamguard.toml`` or a pyproject.toml."""
    data = _read_toml(path)
    root = path.resolve().parent
    if path.name == PYPROJECT_TOML:
        table = data.get("tool", {}).get("spamguard", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.spamguard] must be a table")
        return parse_config(table, f"{path}: [tool.spamguard]", root, path)
    return parse_config(data, str(path), root, path)


def find_config(start: Path) -> HookConfig:
    """The config that governs ``start``: the nearest ``.spamguard.toml``, or
    pyproject.toml with a ``[tool.spamguard]`` table, looking upwards but not
    past the repository root. Defaults when there is none."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / SPAMGUARD_TOML
        if candidate.is_file():
            return load_config(candidate)
        candidate = directory / PYPROJECT_TOML
        if candidate.is_file() and "spamguard" in _read_toml(candidate).get("tool", {}):
            return load_config(candidate)
        if (directory / ".git").exists():
            return HookConfig(root=directory)
    return HookConfig(root=start)
