"""The review schedule (FSRS via the `fsrs` package) with a fake clock: ratings from the
grader, due dates, the state file (incremental, rebuilt, damaged), cram and the focus choices.

Sessions are made by running the engine on the mini banks, dated by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from interview_sim import locations
from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.grading import PASS_SCORE, Grader
from interview_sim.core.plan import plan_questions
from interview_sim.core.scheduling import (
    LEECH_FAILURES,
    STATE_NAME,
    build,
    end_of_day,
    focus_priorities,
    rating_for,
    sync,
)
from interview_sim.core.session import Interview, Step
from interview_sim.core.settings import SessionSettings
from interview_sim.core.stats import statistics
from interview_sim.core.store import SessionResults, SessionStore
from interview_sim.core.transcript import Transcript

from .conftest import MINI_BANKS
from .transcript_factory import answer, good, poor

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ONE = SessionSettings(questions=1, follow_ups=0, seed=5)  # the same single question each time


def session(
    bank: Bank,
    grader: Grader,
    when: datetime,
    answer_with: Callable[[Step], str],
    settings: SessionSettings = ONE,
    n: int = 0,
) -> Transcript:
    """A finished session, created at ``when``."""
    plan = plan_questions(bank, settings)
    interview = Interview(bank, grader, settings, plan, clock=lambda: 1000.0)
    interview.start()
    answer(interview, answer_with)
    sid = f"{when:%Y%m%d-%H%M%S}-{n:04x}"
    return Transcript.from_interview(sid, interview, when.isoformat(), "0.0.0")


@pytest.mark.parametrize(
    ("score", "helped", "rating"),
    [
        pytest.param(0, False, Rating.Again, id="zero"),
        pytest.param(PASS_SCORE - 0.1, False, Rating.Again, id="just-below-pass"),
        pytest.param(PASS_SCORE - 1, True, Rating.Again, id="fail-with-hint"),
        pytest.param(PASS_SCORE, False, Rating.Good, id="pass"),
        pytest.param(PASS_SCORE, True, Rating.Hard, id="pass-with-help"),
        pytest.param(89.9, False, Rating.Good, id="good"),
        pytest.param(90, False, Rating.Easy, id="strong"),
        pytest.param(100, True, Rating.Hard, id="strong-with-help"),
    ],
)
def test_rating_from_the_grader(score: float, helped: bool, rating: Rating) -> None:
    assert rating_for(score, helped) == rating


def test_a_question_failed_today_is_due_today_or_tomorrow(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    failed = session(mini_bank, mini_grader, START, poor)
    qid = failed.plan[0]["id"]
    schedule = build([failed.results()])
    assert schedule.cards[qid].failures == 1
    due = schedule.cards[qid].card.due
    assert START < due <= end_of_day(START, 1)
    assert focus_priorities("due", schedule, START + timedelta(days=1))[qid] >= 0


def test_a_question_passed_four_times_in_a_row_is_not_due_for_weeks(
    mini_bank: Bank, mini_grader: Grader
) -> None:
    results: list[SessionResults] = []
    when = START
    for n in range(4):
        results.append(session(mini_bank, mini_grader, when, good, n=n).results())
        schedule = build(results)
        (state,) = schedule.cards.values()
        when = state.card.due  # answered again the day it falls due
    assert state.reviews == state.passed == 4
    last = datetime.fromisoformat(results[-1].created)
    assert state.card.due - last > timedelta(weeks=3)
    assert schedule.due_within(end_of_day(last, 14)) == []


def week(bank: Bank, grader: Grader) -> list[SessionResults]:
    """Seven daily sessions of two questions, some failed; oldest first."""
    out = []
    for day in range(7):
        settings = SessionSettings(questions=2, follow_ups=1, seed=day + 1)
        answer_with = poor if day % 3 == 0 else good
        t = session(bank, grader, START + timedelta(days=day), answer_with, settings, day)
        out.append(t.results())
    return out


def test_rebuilding_from_the_transcripts_equals_the_state_kept_on_the_way(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path
) -> None:
    results = week(mini_bank, mini_grader)
    for k in range(1, len(results) + 1):  # one sync after every session
        sync(tmp_path, results[:k])
    kept = json.loads((tmp_path / STATE_NAME).read_text())
    assert kept == build(results).to_json()
    assert sync(tmp_path, results, rebuild=True).to_json() == kept
    assert sum(c["reviews"] for c in kept["cards"].values()) == 14


def test_a_session_older_than_the_state_or_changed_makes_a_rebuild(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path
) -> None:
    results = week(mini_bank, mini_grader)
    sync(tmp_path, results[1:])
    assert sync(tmp_path, results).to_json() == build(results).to_json()  # an older one came
    changed = [*results[:-1], results[-1]._replace(reviews=())]
    assert sync(tmp_path, changed).to_json() == build(changed).to_json()  # one lost its reviews


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"[1, 2]", id="a-list"),
        pytest.param("truncated", id="truncated"),
        pytest.param("bad-card", id="bad-card"),
        pytest.param("other-version", id="other-version"),
    ],
)
def test_a_damaged_state_file_is_rebuilt_not_trusted(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, damage: bytes | str
) -> None:
    results = week(mini_bank, mini_grader)
    expected = sync(tmp_path, results).to_json()
    path = tmp_path / STATE_NAME
    if isinstance(damage, bytes):
        path.write_bytes(damage)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        data = json.loads(path.read_text())
        if damage == "bad-card":
            next(iter(data["cards"].values()))["card"]["due"] = "next tuesday"
        else:
            data["version"] = 99
        path.write_text(json.dumps(data))
    assert sync(tmp_path, results).to_json() == expected
    assert json.loads(path.read_text()) == expected  # and the file is repaired


def test_cram_asks_due_soon_questions_early_and_leaves_the_schedule_alone(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path
) -> None:
    results = week(mini_bank, mini_grader)
    before = sync(tmp_path, results).to_json()
    now = START + timedelta(days=7)
    schedule = build(results)
    soonest = min(schedule.cards, key=lambda q: (schedule.cards[q].card.due, q))
    cram = replace(ONE, questions=3, focus="cram", seed=9)
    plan = plan_questions(mini_bank, cram, focus_priorities("cram", schedule, now))
    assert plan[0].id == soonest
    crammed = session(mini_bank, mini_grader, now, poor, cram, 99).results()
    assert crammed.answers and crammed.reviews == ()
    assert sync(tmp_path, [*results, crammed]).to_json() == before
    assert json.loads((tmp_path / STATE_NAME).read_text()) == before


def test_focus_choices_order_the_plan(mini_bank: Bank, mini_grader: Grader) -> None:
    failed = session(mini_bank, mini_grader, START, poor)
    failed_id = failed.plan[0]["id"]
    passed = session(mini_bank, mini_grader, START, good, replace(ONE, seed=77), 1)
    passed_id = passed.plan[0]["id"]
    assert passed_id != failed_id
    schedule = build([failed.results(), passed.results()])
    now = START + timedelta(days=1)
    every = replace(ONE, questions=len(mini_bank.by_id), seed=3)

    def plan(focus: str) -> list[str]:
        return [
            q.id for q in plan_questions(mini_bank, every, focus_priorities(focus, schedule, now))
        ]

    assert plan("due")[0] == failed_id and plan("due")[-1] == passed_id
    assert plan("weak")[0] == failed_id and plan("weak")[-1] == passed_id
    assert {failed_id, passed_id} == set(plan("new")[-2:])
    with pytest.raises(ValueError, match="unknown focus"):
        focus_priorities("soon", schedule, now)


def test_statistics_and_leeches(mini_bank: Bank, mini_grader: Grader) -> None:
    results = [
        session(mini_bank, mini_grader, START + timedelta(days=d), poor, n=d).results()
        for d in range(LEECH_FAILURES)
    ]
    now = START + timedelta(days=LEECH_FAILURES)
    stats = statistics(results, build(results), now)
    qid = results[0].reviews[0][0]
    assert [x.question_id for x in stats.leeches] == [qid]
    assert (stats.due_today, stats.due_this_week, stats.cards) == (1, 1, 1)
    assert stats.retention == {results[0].reviews[0][1]: (0, LEECH_FAILURES)}
    assert sum(n for _, n in stats.reviews_per_day) == LEECH_FAILURES
    assert stats.reviews_per_day[-1] == (now.date().isoformat(), 0)
    three = statistics(results[:-1], build(results[:-1]), now)
    assert three.leeches == []


def test_stats_and_schedule_rebuild_commands(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)
    monkeypatch.setenv("INTERVIEW_SIM_NOW", (START + timedelta(days=7)).isoformat())
    store = SessionStore(tmp_path)
    for day in range(7):
        answer_with = poor if day % 3 == 0 else good
        settings = SessionSettings(questions=2, follow_ups=1, seed=day + 1)
        store.save(
            session(mini_bank, mini_grader, START + timedelta(days=day), answer_with, settings, day)
        )
    assert main(["stats", "--json", "--sessions-dir", str(tmp_path)]) == 0
    figures = json.loads(capsys.readouterr().out)
    expected = statistics(store.results(), build(store.results()), START + timedelta(days=7))
    assert figures == json.loads(json.dumps(expected.to_json()))
    assert figures["due_today"] > 0
    assert main(["review", "--json", "--sessions-dir", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["statistics"] == figures
    (tmp_path / STATE_NAME).write_text("{damaged")
    assert main(["schedule", "rebuild", "--sessions-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "14 review(s) from 7 session(s)" in out
    assert json.loads((tmp_path / STATE_NAME).read_text()) == build(store.results()).to_json()
    assert main(["stats", "--sessions-dir", str(tmp_path)]) == 0
    assert f"due today: {figures['due_today']}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("created", "counted"),
    [
        pytest.param("9999-12-31T23:59:59+00:00", False, id="end-of-time"),
        pytest.param("yesterday", False, id="not-a-date"),
        pytest.param("0001-01-01T00:00:00", False, id="start-of-time-naive"),
    ],
)
def test_a_hand_edited_date_never_breaks_the_schedule(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, created: str, counted: bool
) -> None:
    results = week(mini_bank, mini_grader)
    odd = results[0]._replace(id="20260101-000000-0dd0", created=created)
    schedule = sync(tmp_path, [*results, odd])
    reviews = sum(c.reviews for c in schedule.cards.values())
    assert reviews == 14 + (2 if counted else 0)
    if not counted:
        assert schedule.cards.keys() == build(results).cards.keys()
    statistics([*results, odd], schedule, START + timedelta(days=7))  # no exception


def test_an_up_to_date_schedule_is_not_written_again(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_sim.core import scheduling

    results = week(mini_bank, mini_grader)
    sync(tmp_path, results)
    writes: list[Path] = []
    monkeypatch.setattr(scheduling, "save_state", lambda path, schedule: writes.append(path))
    sync(tmp_path, results)
    assert writes == []
    sync(tmp_path, [*results[:-1], results[-1]._replace(id="20260310-090000-ffff")])
    assert writes == [tmp_path / STATE_NAME]  # a session gone, another come: rebuilt and kept


def test_a_schedule_kept_with_the_same_index_is_taken_without_checking_every_session(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history passes the digest of the listing index: when the kept schedule was brought
    up to date with that very index, nothing changed and no session is checked again."""
    from interview_sim.core import scheduling

    results = week(mini_bank, mini_grader)
    expected = sync(tmp_path, results, index="digest-1").to_json()
    assert json.loads((tmp_path / STATE_NAME).read_text())["index"] == "digest-1"
    checked: list[int] = []
    real = scheduling.brought_up_to_date

    def counting(schedule: scheduling.Schedule, results: list[SessionResults]) -> int | None:
        checked.append(len(results))
        return real(schedule, results)

    monkeypatch.setattr(scheduling, "brought_up_to_date", counting)
    assert sync(tmp_path, results, index="digest-1").to_json() == expected
    assert checked == []
    # another index (a transcript written since): checked, and kept with the new digest
    more = [*results, session(mini_bank, mini_grader, START + timedelta(days=8), poor).results()]
    assert sync(tmp_path, more, index="digest-2").to_json() == {
        **build(more).to_json(),
        "index": "digest-2",
    }
    assert checked == [len(more)]
    # without a digest (the CLI), the kept state no longer claims one
    sync(tmp_path, more)
    assert json.loads((tmp_path / STATE_NAME).read_text())["index"] is None
    assert sync(tmp_path, more, index="digest-2").index == "digest-2"
    assert checked == [len(more)] * 3


@pytest.mark.parametrize(
    ("days_back", "local_time", "counted_on"),
    [
        pytest.param(29, "00:00:00", 0, id="first-day-at-midnight"),
        pytest.param(30, "23:59:30", None, id="the-day-before-the-window"),
        pytest.param(0, "08:00:00", 29, id="today"),
        pytest.param(10, "23:30:00", 19, id="late-evening-local-next-day-in-utc"),
    ],
)
def test_reviews_per_day_are_counted_in_the_local_days_of_the_window(
    mini_bank: Bank, mini_grader: Grader, days_back: int, local_time: str, counted_on: int | None
) -> None:
    from datetime import time, timezone

    zone = timezone(timedelta(hours=5))
    now = datetime(2026, 3, 31, 9, 0, tzinfo=zone)
    day = now.date() - timedelta(days=days_back)
    when = datetime.combine(day, time.fromisoformat(local_time), zone)
    result = session(mini_bank, mini_grader, when, good).results()
    result = result._replace(reviews=tuple((*r[:4], 0.0) for r in result.reviews))  # at `when`
    stats = statistics([result], build([result]), now)
    counts = [n for _, n in stats.reviews_per_day]
    assert stats.reviews_per_day[0][0] == (now.date() - timedelta(days=29)).isoformat()
    assert counts == [int(i == counted_on) for i in range(30)]
