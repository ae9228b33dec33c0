"""Overruling a miss (issue 11, item 19): "I covered this" on feedback makes the score
self-assessed with the grader's kept beside it, and bank authors can list what was written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable, OptionList, Static, TextArea

from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.overrule import overrulable, overrule, self_assessed_score
from interview_sim.core.plan import plan_questions
from interview_sim.core.settings import SessionError, SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import TranscriptError, parse_transcript
from interview_sim.ui.app import InterviewApp, make_app
from interview_sim.ui.screens.feedback import FeedbackScreen, OverruleDialog
from interview_sim.ui.screens.summary import SummaryScreen

from .conftest import FakeClock
from .transcript_factory import in_memory_transcript

TEMPERATURE = SessionSettings(
    questions=1, follow_ups=0, seed=1, topics=("sampling",), difficulty="easy"
)
# hits "divides the logits" and "more random"; misses "low temperature is more deterministic"
PARTIAL = "It divides the logits before the softmax, and a higher setting makes it more random."


def partial_record(bank: Bank, grader: Grader):
    settings = TEMPERATURE
    while True:
        t = in_memory_transcript(bank, grader, settings, [PARTIAL])
        if t.records[0].question_id == "smp-temperature":
            return t
        settings = replace(settings, seed=settings.seed + 1)


def test_overruling_a_miss_rescores_and_keeps_the_graders_score(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    t = partial_record(mini_bank, mini_grader)
    record = t.records[0]
    missed = "low temperature is more deterministic"
    assert overrulable(record) == [missed]
    after = overrule(record, missed)
    assert after.overruled == (missed,) and after.self_assessed
    assert after.score == 100 > record.score  # every concept now counts
    assert after.grade == record.grade  # the grader's view is kept as it was
    assert overrulable(after) == []
    with pytest.raises(SessionError, match="not a missed concept"):
        overrule(after, missed)
    assert self_assessed_score(record.grade, [missed], hint_used=True) == 70
    assert overrulable(replace(record, outcome="skipped")) == []  # nothing was written
    # saved and read back; a name that is not a miss is refused when read
    t.records = [after]
    again = parse_transcript(t.dumps(), "t.yaml")
    assert again.records[0].overruled == (missed,) and again.records[0].score == 100
    assert again.records[0].grade.score == record.grade.score
    bad = t.dumps().replace(f"- {missed}", "- divides the logits before softmax", 1)
    with pytest.raises(TranscriptError, match="is not a missed concept"):
        parse_transcript(bad, "t.yaml")
    # a hand-edited entry that is not text is refused by name, never a traceback
    odd = t.dumps().replace(f"- {missed}", "- [a, b]", 1)
    with pytest.raises(TranscriptError, match=r"answers\[0\]\.overruled\[0\]: expected text"):
        parse_transcript(odd, "t.yaml")


def temperature_first(bank: Bank) -> SessionSettings:
    """Settings whose one question is smp-temperature (seeded, so found once)."""
    for seed in range(1, 100):
        settings = replace(TEMPERATURE, seed=seed)
        if plan_questions(bank, settings)[0].id == "smp-temperature":
            return settings
    raise AssertionError("no seed draws smp-temperature")


def temperature_app(bank: Bank, sessions: Path, clock: FakeClock, where: str) -> InterviewApp:
    """The app started on the smp-temperature question, its feedback shown ``where``: at once
    ("practice" mode) or from the "summary" of an interview."""
    mode = "practice" if where == "practice" else "interview"
    settings = replace(temperature_first(bank), mode=mode)
    return make_app(bank, sessions, settings=settings, start_now=True, clock=clock, tick=0)


async def answer_temperature(pilot, answer: str) -> None:
    pilot.app.screen.query_one("#answer", TextArea).insert(answer)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def feedback_from(pilot, where: str) -> None:
    """From the answer just submitted to its feedback: shown at once in practice mode, opened
    from the summary's table in an interview."""
    if where == "summary":
        assert isinstance(pilot.app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(pilot.app.screen, FeedbackScreen)


async def overrule_on_screen(pilot) -> None:
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OverruleDialog)
    pilot.app.screen.query_one(OptionList).focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FeedbackScreen)


def saved(folder: Path) -> dict:
    (path,) = folder.glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("where", ["practice", "summary"])
async def test_i_covered_this_on_feedback(
    where: str, mini_bank: Bank, tmp_path: Path, clock: FakeClock
) -> None:
    sessions = tmp_path / "s"
    app = temperature_app(mini_bank, sessions, clock, where)
    async with app.run_test(size=(100, 32)) as pilot:
        await answer_temperature(pilot, PARTIAL)
        await feedback_from(pilot, where)
        before = app.screen.record.score
        assert before < 100
        await overrule_on_screen(pilot)
        head = str(app.screen.query_one(".fb-score", Static).render())
        assert head.startswith(f"Score 100/100 (self-assessed; grader {before})"), head
        answer = saved(sessions)["answers"][0]
        assert answer["overruled"] == ["low temperature is more deterministic"]
        assert (answer["score"], answer["grader_score"]) == (100, before)
        if where == "summary":
            await pilot.press("escape")
            await pilot.pause()
            title = str(app.screen.query_one("#summary-title", Static).render())
            assert "overall score 100/100" in title
            assert app.screen.query_one("#answers", DataTable).row_count == 1
            report = next(sessions.glob("*.md")).read_text(encoding="utf-8")
            assert f"**score 100** (self-assessed; grader {before})" in report


def test_suggest_aliases_lists_what_people_wrote(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    authors_store: SessionStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = authors_store
    t = partial_record(mini_bank, mini_grader)
    t.records = [overrule(t.records[0], "low temperature is more deterministic")]
    store.save(t, None)
    assert main(["banks", "suggest-aliases", "--sessions-dir", str(store.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "smp-temperature: low temperature is more deterministic"
    assert out[1].startswith("  1x  ") and out[1][6:] in PARTIAL
    assert main(["banks", "suggest-aliases", "--json", "--sessions-dir", str(store.root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["missed"][0]["concept"] == "low temperature is more deterministic"
    assert data["too_broad"] == []
    empty = tmp_path / "none"
    assert main(["banks", "suggest-aliases", "--sessions-dir", str(empty)]) == 0
    assert "No concept has been marked" in capsys.readouterr().out
