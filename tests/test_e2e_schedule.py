"""End to end: a week of daily sessions in a real terminal (tmux) with the clock set through
INTERVIEW_SIM_NOW (tests only); the due counts shown and printed match the schedule."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interview_sim.core.scheduling import build
from interview_sim.core.stats import statistics
from interview_sim.core.store import SessionStore

from .conftest import MINI_BANKS
from .test_e2e_tmux import BINARY, Terminal, terminal, wait_until  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAYS = 7
FAIL = "I am not sure, something about the model."
PASS = (
    "Temperature divides the logits before the softmax; top-k keeps the k most likely "
    "tokens and we renormalize and sample; nucleus top-p keeps the smallest set whose "
    "cumulative probability reaches p; greedy takes the argmax, beam search keeps k "
    "sequences; a draft model proposes tokens the large model verifies."
)


def _now(day: int) -> str:
    return (START + timedelta(days=day)).isoformat()


def test_a_week_of_sessions_shows_due_counts_that_match_the_schedule(
    terminal: Terminal,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    sessions = tmp_path / "sessions"
    for day in range(DAYS):
        terminal.start(
            [
                "env",
                f"INTERVIEW_SIM_NOW={_now(day)}",
                BINARY,
                "start",
                "--banks",
                str(MINI_BANKS),
                "--topic",
                "sampling",
                "--questions",
                "2",
                "--follow-ups",
                "0",
                "--focus",
                "due",
                "--mode",
                "interview",
                "--sessions-dir",
                str(sessions),
            ],
            tmp_path,
        )
        for n in (1, 2):
            terminal.wait_for(f"Q{n} of 2", timeout=60)  # a loaded machine starts slowly
            text = FAIL if (day + n) % 3 == 0 else PASS
            terminal.type(text)
            terminal.wait_for(text.split()[-1])  # (wrapped: the last word)
            terminal.keys("C-s")
        terminal.wait_for("Session completed", timeout=60)
        terminal.keys("q")
        wait_until(terminal.dead, timeout=30)
        terminal.close()

    now = START + timedelta(days=DAYS)
    store = SessionStore(sessions)
    results = store.results()
    assert len(results) == DAYS
    assert [r.created[:10] for r in results] == [_now(d)[:10] for d in range(DAYS)]
    expected = statistics(results, build(results), now)
    assert expected.cards and expected.due_this_week

    out = subprocess.run(
        [BINARY, "stats", "--json", "--sessions-dir", str(sessions)],
        env={"INTERVIEW_SIM_NOW": now.isoformat(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(out)
    assert (figures["due_today"], figures["due_this_week"]) == (
        expected.due_today,
        expected.due_this_week,
    )

    terminal.start(
        [
            "env",
            f"INTERVIEW_SIM_NOW={now.isoformat()}",
            BINARY,
            "review",
            "--banks",
            str(MINI_BANKS),
            "--sessions-dir",
            str(sessions),
        ],
        tmp_path,
    )
    terminal.wait_for("i Statistics", timeout=60)
    terminal.wait_for("Weakest topics")  # the listing is in; the schedule follows it
    for _ in range(120):  # the statistics view (its first line, whatever the history's layout)
        terminal.keys("i")  # opens once the schedule is up to date
        time.sleep(0.5)
        if "Reviews per day" in terminal.screen():
            break
    terminal.wait_for(f"Due {expected.due_today} today, {expected.due_this_week} this week")
    terminal.keys("q")
