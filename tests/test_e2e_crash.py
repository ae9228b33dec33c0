"""The crash test, short form: SIGKILL the app at random moments in a real terminal and check
that every answer confirmed on screen is on disk and every resume continues. The long form
is benchmarks/crash_test.py (the same harness, hundreds of kills)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .crash_harness import crash_test
from .test_e2e_tmux import TMUX

pytestmark = pytest.mark.e2e

KILLS = int(os.environ.get("INTERVIEW_SIM_CRASH_KILLS", "6"))


def test_sigkill_at_random_moments_loses_no_confirmed_answer(tmp_path: Path) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    counts = crash_test(tmp_path, kills=KILLS, seed=20261205, per_session=3)
    assert counts.kills == KILLS
    assert counts.confirmed > 0 and counts.resumes > 0
    assert (counts.lost, counts.torn, counts.strays, counts.drafts_missing) == (0, 0, 0, 0), counts
    assert counts.resumes_continued == counts.resumes, counts
