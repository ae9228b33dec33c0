"""Answers right but for one slip, never fitted: how often the grader catches the slip.

tests/fixtures/slip_answers_unfitted.jsonl holds 918 answers written from the prompts alone by
four helper sessions (session 8's second slip round; the misconceptions they then wrote to catch
them were not merged). In session 10 three more helpers labelled each slip against the
question's listed misconceptions: "listed" names the misconception that states it, "not_listed"
means the bank does not list it. Nothing in the banks was written from these answers; here they
hold what `benchmarks/one_error_signals.py` measures, so a change that catches fewer of them
shows.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.grading import Grader, GradeResult, analyse
from interview_sim.locations import bundled_banks_dir

SLIPS = Path(__file__).parent / "fixtures" / "slip_answers_unfitted.jsonl"
# Session 10: the listed misconception itself is flagged for 29.6% of the 683 listed slips, and
# some wrong claim fails 34.0% of them and 8.1% of the 234 others.
LISTED_FLAGGED_FLOOR = 0.29
FAILED_FLOOR = {"listed": 0.33, "not_listed": 0.07}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([bundled_banks_dir()])


@pytest.fixture(scope="module")
def slips(bank: Bank) -> list[tuple[dict[str, str], GradeResult]]:
    grader = Grader(bank.questions())
    rows = [json.loads(line) for line in SLIPS.read_text(encoding="utf-8").splitlines()]
    return [
        (row, grader.grade(bank.gradable(row["question"]), analyse(row["answer"]))) for row in rows
    ]


def test_every_listed_slip_names_a_misconception_its_question_still_lists(bank: Bank) -> None:
    """A label goes stale when its misconception is reworded or removed: relabel, then."""
    stale = []
    for line in SLIPS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["error"] == "listed":
            statements = {
                m.statement for m in bank.question(row["question"].partition("/")[0]).misconceptions
            }
            if row["misconception"] not in statements:
                stale.append(f"{row['question']}: {row['misconception']}")
    assert not stale, "\n".join(stale)


def test_the_listed_misconception_is_flagged_as_often_as_in_session_10(
    slips: list[tuple[dict[str, str], GradeResult]],
) -> None:
    flagged = [
        any(m.statement == row["misconception"] for m in result.misconceptions)
        for row, result in slips
        if row["error"] == "listed"
    ]
    assert statistics.fmean(flagged) >= LISTED_FLAGGED_FLOOR


@pytest.mark.parametrize("label", sorted(FAILED_FLOOR))
def test_slips_fail_as_often_as_in_session_10(
    slips: list[tuple[dict[str, str], GradeResult]], label: str
) -> None:
    failed = [
        any(m.fails for m in result.misconceptions)
        for row, result in slips
        if row["error"] == label
    ]
    assert statistics.fmean(failed) >= FAILED_FLOOR[label]
