"""The domain never imports Textual (as harlequin checks): each module in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "interview_sim.core.bank",
    "interview_sim.core.grading",
    "interview_sim.core.settings",
    "interview_sim.core.session",
    "interview_sim.core.store",
    "interview_sim.core.transcript",
    "interview_sim.core.report",
    "interview_sim.core.recorder",
    "interview_sim.core.lock",
    "interview_sim.core.text",
    "interview_sim.core.preferences",
    "interview_sim.core.scheduling",
    "interview_sim.core.stats",
    "interview_sim.core.attempts",
    "interview_sim.core.clock",
    "interview_sim.locations",
]


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
