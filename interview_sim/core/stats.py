"""Statistics a person reads at a glance, and scripts read as JSON: what is due, how much was
reviewed, what is retained per topic, the score trend, and the leeches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from fsrs import Rating

from interview_sim.core.clock import now
from interview_sim.core.rows import SessionResults
from interview_sim.core.scheduling import (
    LEECH_FAILURES,
    Schedule,
    end_of_day,
    reviews_in,
    sync,
)

REVIEW_DAYS = 30  # reviews per day: this many days back
TREND_SESSIONS = 20


@dataclass(frozen=True, slots=True)
class Leech:
    question_id: str
    topic: str
    failures: int
    reviews: int


@dataclass(frozen=True, slots=True)
class Statistics:
    due_today: int
    due_this_week: int  # today included
    cards: int  # questions answered at least once (cram sessions aside)
    reviews_per_day: list[tuple[str, int]]  # (ISO date, reviews), oldest first, REVIEW_DAYS
    retention: dict[str, tuple[int, int]]  # topic -> (reviews passed, reviews)
    trend: list[tuple[str, float]]  # (ISO date and time, session score), oldest first
    leeches: list[Leech]  # most failures first

    def to_json(self) -> dict[str, Any]:
        return {
            "due_today": self.due_today,
            "due_this_week": self.due_this_week,
            "cards": self.cards,
            "reviews_per_day": [{"date": d, "reviews": n} for d, n in self.reviews_per_day],
            "retention": {
                t: {"passed": p, "reviews": n, "share": round(p / n, 3) if n else None}
                for t, (p, n) in sorted(self.retention.items())
            },
            "score_trend": [{"date": d, "score": s} for d, s in self.trend],
            "leeches": [
                {
                    "question": x.question_id,
                    "topic": x.topic,
                    "failures": x.failures,
                    "reviews": x.reviews,
                }
                for x in self.leeches
            ],
            "leech_failures": LEECH_FAILURES,
        }


@dataclass(frozen=True, slots=True)
class Due:
    """What the history screen shows of the schedule: from the cards alone, so that it costs
    next to nothing, unlike the rest of Statistics, which goes through every review."""

    due_today: int
    due_this_week: int  # today included
    cards: int
    leeches: list[Leech]  # most failures first


def due_figures(schedule: Schedule, now: datetime) -> Due:
    """``now`` aware, its zone decides days."""
    leeches = sorted(
        (
            Leech(qid, c.topic, c.failures, c.reviews)
            for qid, c in schedule.cards.items()
            if c.leech
        ),
        key=lambda x: (-x.failures, x.question_id),
    )
    return Due(
        due_today=len(schedule.due_within(end_of_day(now))),
        due_this_week=len(schedule.due_within(end_of_day(now, 6))),
        cards=len(schedule.cards),
        leeches=leeches,
    )


def statistics(results: Sequence[SessionResults], schedule: Schedule, now: datetime) -> Statistics:
    """``results`` oldest first (SessionStore.results); ``now`` aware, its zone decides days."""
    today = now.date()
    first = today - timedelta(days=REVIEW_DAYS - 1)
    since = datetime.combine(first, time(), now.tzinfo)  # the first day counted begins
    per_day: Counter[str] = Counter()
    retention: dict[str, list[int]] = {}
    for session in results:
        for r in reviews_in(session):
            if r.when >= since:
                per_day[r.when.astimezone(now.tzinfo).date().isoformat()] += 1
            kept = retention.setdefault(r.topic, [0, 0])
            kept[0] += r.rating != Rating.Again
            kept[1] += 1
    days = [(first + timedelta(days=n)).isoformat() for n in range(REVIEW_DAYS)]
    trend = [(s.created, s.score) for s in results if s.score is not None][-TREND_SESSIONS:]
    due = due_figures(schedule, now)
    return Statistics(
        due_today=due.due_today,
        due_this_week=due.due_this_week,
        cards=due.cards,
        reviews_per_day=[(d, per_day[d]) for d in days],
        retention={t: (p, n) for t, (p, n) in retention.items()},
        trend=trend,
        leeches=due.leeches,
    )


def score_trend(results: Sequence[SessionResults], topic: str = "") -> list[tuple[str, float]]:
    """(date, score) of each session with one, oldest first as ``results`` are; with ``topic``,
    the mean score of its answers in that topic (sessions with none left out)."""
    if not topic:
        return [(s.created, s.score) for s in results if s.score is not None]
    points = []
    for session in results:
        scores = [score for _, answered, score in session.answers if answered == topic]
        if scores:
            points.append((session.created, sum(scores) / len(scores)))
    return points


def current_statistics(
    root: Path, results: Sequence[SessionResults], index: str | None = None
) -> Statistics | None:
    """The figures for the sessions in ``root`` now, with the schedule brought up to date (and
    kept; ``index`` as for scheduling.sync); None when there is no session at all."""
    if not results:
        return None
    return statistics(results, sync(root, results, index=index), now())
