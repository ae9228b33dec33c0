"""Correct answers written from the prompts alone must not be flagged as wrong, and answers
with one slip, written the same way, must be.

tests/fixtures/prompt_correct_answers.jsonl: 6,328 answers to every question and follow-up of
the bundled banks, in four batches of 1,582 by four helper sessions each, given only the prompts,
never the concepts, aliases, misconceptions or model answers (three per question in different
voices, at least one long and full of neighbouring facts and rejected claims; two per follow-up).
They are not part of the blind evaluation set (tests/blind_set.py): they were written to find
misconception aliases that fire on true statements (85, 85, 55 and 67 removed after the
batches; misconceptions firing on each new batch: 74, 70, 51, 55), and required concepts worded
otherwise got 272 aliases from the first batch, 177 from the second and 300 from the third. A new
or widened alias that fires on one of them fails here, naming the question, the claim and the
words it fired on.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.grading import PASS_SCORE, REVERSED_STATEMENT, Grader, analyse
from interview_sim.core.results import OVERCLAIM_STATEMENT
from interview_sim.locations import bundled_banks_dir

ANSWERS = Path(__file__).parent / "fixtures" / "prompt_correct_answers.jsonl"
# A role swap inside one sentence ("keys have outlier channels, and values per token") that
# aliases, matched in any order, cannot tell from the right claim.
KNOWN_FALSE_FLAGS = {
    (
        "srv-kv-cache-quant",
        "Values have the outlier channels, so values are quantized per channel and keys per token.",
    )
}
# 5,531 of 6,328 pass: 1,405, 1,446 and 1,343 of the first three batches, whose required
# concepts worded otherwise got aliases, and 1,337 of the fourth (85%; its false flags were
# removed, its misses never fitted). A floor that keeps those aliases, not an evaluation.
PASSING_FLOOR = 0.87


@pytest.fixture(scope="module")
def graded() -> list[tuple[str, str, int, tuple[str, ...]]]:
    bank: Bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    out = []
    for line in ANSWERS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        result = grader.grade(bank.gradable(row["question"]), analyse(row["answer"]))
        flags = tuple(
            f"{m.statement}\t{row['answer'][m.start : m.end]}"
            for m in result.misconceptions
            if m.statement not in (OVERCLAIM_STATEMENT, REVERSED_STATEMENT)
        )
        out.append((row["question"], row["answer"], result.score, flags))
    return out


def test_every_question_and_follow_up_has_answers(graded) -> None:
    bank = load_bank([bundled_banks_dir()])
    answered = {question for question, *_ in graded}
    for q in bank.questions():
        assert q.id in answered
        for fu in q.follow_ups:
            assert f"{q.id}/{fu.id}" in answered


def test_no_misconception_fires_on_a_correct_answer(graded) -> None:
    flagged = [
        f"{question}: {flag}"
        for question, _, _, flags in graded
        for flag in flags
        if (question.partition("/")[0], flag.partition("\t")[0]) not in KNOWN_FALSE_FLAGS
    ]
    assert not flagged, "\n".join(flagged)


def test_most_correct_answers_pass(graded) -> None:
    scores = [score for _, _, score, _ in graded]
    passing = sum(s >= PASS_SCORE for s in scores) / len(scores)
    assert passing >= PASSING_FLOOR, f"{passing:.1%} pass, mean {statistics.fmean(scores):.1f}"


SLIPS = Path(__file__).parent / "fixtures" / "prompt_slip_answers.jsonl"
# 865 of 918 flagged (253 before the misconceptions written for them): answers right except for
# one slip, written from the prompts by four helpers before they opened the banks, then caught by
# the misconceptions they added (checked against the correct answers above). Five have no slip
# after all, and the rest are swaps the matcher cannot see (word order, formula symbols).
# A floor that keeps those misconceptions, not an evaluation: fresh answers are caught far less.
SLIPS_CAUGHT_FLOOR = 0.93


def test_answers_with_one_slip_are_caught() -> None:
    bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    rows = [json.loads(line) for line in SLIPS.read_text(encoding="utf-8").splitlines()]
    missed = [
        f"{row['question']}: {row['slip']}"
        for row in rows
        if not any(
            m.fails
            for m in grader.grade(bank.gradable(row["question"]), row["answer"]).misconceptions
        )
    ]
    caught = 1 - len(missed) / len(rows)
    assert caught >= SLIPS_CAUGHT_FLOOR, f"{caught:.1%} caught; missed:\n" + "\n".join(missed)
