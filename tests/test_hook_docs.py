"""The hook manifest is valid, and the README documents every hook id, code and option."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from spamguard.commands import check
from spamguard.hook import Code
from spamguard.hookconfig import KEYS

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _check_options() -> list[str]:
    subparsers = argparse.ArgumentParser().add_subparsers()
    check.register(subparsers)
    usage = subparsers.choices["check"].format_usage()
    return sorted(set(re.findall(r"--[a-z][a-z-]+", usage)) - {"--help"})


def test_manifest_is_valid_and_runs_check() -> None:
    hooks = {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}
    assert hooks.keys() == {"spamguard", "spamguard-fix"}
    assert hooks["spamguard"]["entry"] == "spamguard check"
    assert hooks["spamguard-fix"]["entry"] == "spamguard check --fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["markdown", "html", "text"]
        assert hook["require_serial"] is True


@pytest.mark.parametrize("hook_id", [hook["id"] for hook in load_manifest(str(MANIFEST))])
def test_readme_documents_hook(readme: str, hook_id: str) -> None:
    assert f"`{hook_id}`" in readme


@pytest.mark.parametrize("code", list(Code), ids=[code.value for code in Code])
def test_readme_documents_code(readme: str, code: Code) -> None:
    assert f"`{code.value}`" in readme


@pytest.mark.parametrize("option", _check_options())
def test_readme_documents_option(readme: str, option: str) -> None:
    assert f"`{option}" in readme


@pytest.mark.parametrize("key", list(KEYS))
def test_readme_documents_config_key(readme: str, key: str) -> None:
    assert f"\n{key} = " in readme
