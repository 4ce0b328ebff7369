"""The engine adapters stay optional: the core neither depends on nor imports Spark or datatrove."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ENGINES = ("pyspark", "datatrove")
# Installed only with the extras. (scikit-learn imports pandas when it is there,
# so only the engines themselves are checked at import.)
EXTRA_ONLY = (*ENGINES, "pandas", "pyarrow", "orjson")
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_importing_spamguard_imports_no_engine() -> None:
    code = f"import sys, spamguard, spamguard.cli; print(sorted(set({ENGINES!r}) & set(sys.modules)))"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == "[]"


def test_engines_are_extras_only() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    assert [dep for dep in project["dependencies"] if dep.startswith(EXTRA_ONLY)] == []
    extras = project["optional-dependencies"]
    assert any(dep.startswith("pyspark") for dep in extras["spark"])
    assert any(dep.startswith("datatrove") for dep in extras["datatrove"])
