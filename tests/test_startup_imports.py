"""What a bare `interview-sim` imports before the setup screen is ready (as harlequin checks):
the real entry point, run headless in a fresh interpreter until setup has settled, then
sys.modules. The engine, the grader, the transcript format, the YAML writer and the interview
screen are imported later (a thread prepares them while the person chooses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from interview_sim import locations
from interview_sim.core.bank import load_bank

NOT_AT_START_UP = {
    "interview_sim.core.session": "the interview engine",
    "interview_sim.core.grading": "the grader",
    "interview_sim.core.transcript": "the transcript format",
    "yaml": "the YAML writer (PyYAML)",
    "interview_sim.core.bank.validate": "the bank validator (banks come from the cache)",
    "interview_sim.ui.screens.interview": "the interview screen",
    "argparse": "the argument parser (a bare `interview-sim` parses nothing)",
    "interview_sim.core.rows": "the history's rows (the store only checks the folder)",
    "interview_sim.core.lock": "session locks (a new sessions folder holds no lock file)",
}

# The app runs headless (Textual's feature flag; interview-sim then needs no terminal). Once the
# setup screen is shown with nothing left to lay out or paint, the loaded modules are printed
# and the app exits, before the timer that prepares the interview could fire.
PROBE = """
import json, sys
sys.path.append(sys.argv[1])
from settled_screen import when_settled

def _print_modules(app):
    from interview_sim.core import printable
    compiled = printable._pattern.cache_info().currsize
    print(json.dumps({"modules": sorted(sys.modules), "patterns compiled": compiled}))

when_settled(lambda screen: type(screen).__name__ == "SetupScreen", _print_modules)

from interview_sim.cli.main import main
sys.exit(main([]))
"""


def test_the_setup_screen_starts_without_the_engine_grader_transcripts_or_yaml(
    tmp_path: Path,
) -> None:
    load_bank([locations.bundled_banks_dir()])  # start-up reads the banks from the cache
    env = {
        **os.environ,  # the test's cache and preferences folders
        "TEXTUAL": "headless",
        "INTERVIEW_SIM_SESSIONS": str(tmp_path / "sessions"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the setup screen was never shown"
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    loaded = set(shown["modules"])
    early = {name: what for name, what in NOT_AT_START_UP.items() if name in loaded}
    assert not early, f"imported before the setup screen is shown: {early}"
    # printable's patterns (control characters, surrogates) are compiled when first used:
    # start-up shows the bank's titles through translation tables alone
    assert shown["patterns compiled"] == 0


NOT_FOR_THE_HISTORY = {
    "interview_sim.core.grading": "the grader",
    "rapidfuzz": "the grader's fuzzy matching",
    "interview_sim.ui.screens.feedback": "the feedback screen",
    "interview_sim.ui.screens.transcript_view": "the transcript view (enter, e)",
}


def test_the_history_screen_imports_neither_the_grader_nor_the_screens_it_opens() -> None:
    """`interview-sim review` draws the history without grading anything: its imports stay off
    the first paint until a key asks for a transcript or an export."""
    probe = (
        "import json, sys, interview_sim.ui.screens.history; print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    early = {name: what for name, what in NOT_FOR_THE_HISTORY.items() if name in loaded}
    assert not early, f"imported with the history screen: {early}"
