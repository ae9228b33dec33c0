"""What the overall score counts (issue 11, item 5): follow-ups are in, and it says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.report import render_markdown, report_json, summarise
from interview_sim.core.session import SCORE_RULE
from interview_sim.core.settings import SessionSettings
from interview_sim.core.transcript import Transcript
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.summary import SummaryScreen

from .transcript_factory import in_memory_transcript


def scored(bank: Bank, grader: Grader, scores: list[int], follow_ups: int) -> Transcript:
    settings = SessionSettings(questions=2, follow_ups=follow_ups, seed=5, topics=("sampling",))
    t = in_memory_transcript(bank, grader, settings, ["an answer"] * len(scores))
    assert len(t.records) == len(scores)
    t.records = [replace(r, score=s) for r, s in zip(t.records, scores, strict=True)]
    return t


@pytest.mark.parametrize(
    ("scores", "follow_ups", "overall"),
    [
        ([90, 30, 60, 60], 1, 65.0),  # (2*90+30)/3 = 70 and 60: follow-ups count a third
        ([100, 0, 50, 50], 1, 58.3),  # 66.7 and 50: a missed follow-up costs its question
        ([80, 40], 0, 60.0),  # no follow-ups: the plain mean of the answers
    ],
    ids=["one-follow-up", "missed-follow-up", "none"],
)
def test_the_overall_score_counts_follow_ups_within_their_question(
    scores: list[int], follow_ups: int, overall: float, mini_bank: Bank, mini_grader: Grader
) -> None:
    t = scored(mini_bank, mini_grader, scores, follow_ups)
    assert t.score == overall
    assert summarise(t).score == overall
    assert report_json(t)["score"] == overall and report_json(t)["score_rule"] == SCORE_RULE
    assert f"**Overall score:** {overall:.0f}/100 ({SCORE_RULE})" in render_markdown(t)


async def test_the_summary_says_what_counts(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path
) -> None:
    t = scored(mini_bank, mini_grader, [90, 30, 60, 60], 1)
    app = make_app(mini_bank, tmp_path / "s", tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.push_screen(SummaryScreen(t, mini_bank, "here"))
        await pilot.pause()
        title = str(app.screen.query_one("#summary-title").render())
        rule = str(app.screen.query_one("#score-rule").render())
        assert "overall score 65/100" in title
        assert rule == f"Scores: {SCORE_RULE}"
        assert summarise(t).by_topic == {"sampling": 65.0}


def test_review_next_names_questions_by_their_text(mini_bank: Bank, mini_grader: Grader) -> None:
    t = scored(mini_bank, mini_grader, [20, 10, 90, 90], 1)
    weak = t.records[0]
    s = summarise(t)
    lines = [line for line in s.review_next if "scored" in line]
    prompt = " ".join(weak.prompt.split())
    shown = prompt if len(prompt) <= 70 else prompt[:69].rstrip() + "…"
    assert lines == [f"{shown}: scored 17" + lines[0].split("scored 17", 1)[1]]
    assert not any(weak.question_id in line for line in s.review_next)
