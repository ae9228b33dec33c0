"""Absolute claims ("always better", "eliminates", "guarantees") cost points unless hedged or
made by the question's own text."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from interview_sim.core.bank import Bank, Concept, Question, load_bank
from interview_sim.core.grading import (
    OVERCLAIM_PENALTY,
    OVERCLAIM_STATEMENT,
    PASS_SCORE,
    Grader,
)
from interview_sim.core.overrule import self_assessed_score
from interview_sim.core.report import render_markdown
from interview_sim.core.settings import SessionSettings
from interview_sim.locations import bundled_banks_dir
from interview_sim.ui.screens.feedback import feedback_widgets

from .transcript_factory import in_memory_transcript

CACHE = Question(
    "t-cache",
    "t",
    "easy",
    "What does a KV cache do?",
    (
        Concept("reuse", ("reuses keys and values",), 1, True, False),
        Concept("memory", ("grows with context",), 1, False, False),
    ),
    (),
    "It reuses the keys and values of earlier tokens; its memory grows with the context. "
    "Paging makes fragmentation impossible to notice.",
)
GRADER = Grader([CACHE])
RIGHT = "The cache reuses keys and values of past tokens, and it grows with context."


def overclaims(answer: str) -> list[str]:
    grade = GRADER.grade(CACHE, answer)
    return [m.alias for m in grade.misconceptions if m.statement == OVERCLAIM_STATEMENT]


@pytest.mark.parametrize(
    ("tail", "words"),
    [
        ("It completely eliminates recomputation.", ["completely"]),
        ("Caching is always faster than recomputing.", ["always"]),
        ("It always beats recomputation.", ["always"]),
        ("This guarantees constant latency.", ["guarantees"]),
        ("It is almost always faster.", []),  # hedged
        ("It is not always faster.", []),
        ("It is hard to eliminate recomputation fully.", []),  # disowned, one phrase
        ("I always check the cache hit rate.", []),  # a habit, not a comparison
        ("Fragmentation is impossible to notice with paging.", []),  # the question says so
        # Named to be rejected: not the person's claim.
        ("A common misconception is that caching eliminates recomputation.", []),
        ("Some people think it always beats recomputation, but it costs memory.", []),
        ("A myth, but in fact it always beats recomputation.", ["always"]),  # stated again
    ],
)
def test_unhedged_absolutes_are_found(tail: str, words: list[str]) -> None:
    assert overclaims(f"{RIGHT} {tail}") == words


def test_an_overclaim_costs_points_but_does_not_fail_a_right_answer_alone() -> None:
    right = GRADER.grade(CACHE, RIGHT).score
    claimed = GRADER.grade(CACHE, f"{RIGHT} It completely eliminates recomputation.")
    assert right == 100
    assert claimed.score == right - OVERCLAIM_PENALTY >= PASS_SCORE
    assert any('overclaim "completely eliminates recomputation"' in n for n in claimed.notes)
    twice = GRADER.grade(CACHE, f"{RIGHT} It always beats recomputing. It guarantees speed.")
    assert twice.score == right - 2 * OVERCLAIM_PENALTY


def test_the_span_points_at_the_claim_for_highlighting() -> None:
    answer = f"{RIGHT} It completely eliminates recomputation."
    (m,) = GRADER.grade(CACHE, answer).misconceptions
    assert answer[m.start : m.end] == "completely eliminates recomputation"


def test_overruling_a_concept_keeps_the_overclaim_penalty() -> None:
    grade = GRADER.grade(CACHE, "The cache reuses keys and values. It always beats recomputing.")
    assert self_assessed_score(grade, ["memory"], hint_used=False) == 100 - OVERCLAIM_PENALTY


def test_the_bundled_model_answers_make_no_overclaim_of_their_own() -> None:
    bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    for q in bank.questions():
        for item in (q, *q.follow_ups):
            grade = grader.grade(item, item.model_answer)
            assert not [m for m in grade.misconceptions if m.statement == OVERCLAIM_STATEMENT]


def test_feedback_and_report_call_an_overclaim_an_overclaim(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    settings = SessionSettings(questions=1, follow_ups=0, seed=1)
    answer = "It reuses earlier work and completely eliminates every kind of error."
    transcript = in_memory_transcript(mini_bank, mini_grader, settings, [answer])
    record = transcript.records[0]
    assert [m.label for m in record.grade.misconceptions] == ["Overclaim"]
    shown = "\n".join(
        str(w.content) for w in feedback_widgets(record, mini_bank) if isinstance(w, Static)
    )
    assert "Overclaim: an absolute claim" in shown and "Misconception:" not in shown
    assert "- Overclaim: an absolute claim" in render_markdown(transcript, mini_bank)


def test_a_word_like_false_after_an_absolute_is_no_verdict_on_it() -> None:
    # "eliminates false positives" describes, it does not reject: the overclaim stands
    flags = GRADER.grade(CACHE, RIGHT + " Paging eliminates false sharing.").misconceptions
    assert [m.label for m in flags] == ["Overclaim"]
    rejected = GRADER.grade(CACHE, RIGHT + " 'Paging eliminates waste' is false.").misconceptions
    assert not rejected
