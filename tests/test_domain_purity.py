"""The domain never imports Textual (as harlequin checks): each module in a fresh interpreter."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import interview_sim

PACKAGE = Path(interview_sim.__file__).parent
CORE = sorted((PACKAGE / "core").rglob("*.py"))


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# every module under core/, found rather than listed, and locations.py
DOMAIN_MODULES = [*(_module(p) for p in CORE), "interview_sim.locations"]


def test_the_list_covers_the_bank_package() -> None:
    assert "interview_sim.core.bank.validate" in DOMAIN_MODULES
    assert "interview_sim.core.grading" in DOMAIN_MODULES


@pytest.mark.parametrize("path", CORE, ids=lambda p: _module(p))
def test_the_domain_leaves_the_garbage_collector_alone(path: Path) -> None:
    """Pausing or freezing the collector is the app's decision (cli/sessions.py), not core's."""
    assert not re.search(r"^\s*(import gc|from gc import)|\bgc\.", path.read_text("utf-8"), re.M)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_module_does_not_import_textual(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, (
        f"{module} pulls in Textual: {result.stdout.strip()}{result.stderr}"
    )
