"""Which questions are due again: FSRS (the `fsrs` package) driven by the grader's scores.

Every main question a person has answered is a card, keyed by its question id (stable across
edits to a bank's wording, never reused); every graded answer is a review, its rating taken from
the score with follow-ups counted in. The cards are kept in one file beside the transcripts
(STATE_NAME), but the transcripts are the truth: the file is brought up to date from them,
and rebuilt from them whenever it is missing, damaged or out of step.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from fsrs import Card, Rating, Scheduler

from interview_sim.core.files import atomic_write
from interview_sim.core.results import PASS_SCORE
from interview_sim.core.retired import current_id
from interview_sim.core.rows import SessionResults
from interview_sim.core.settings import FOCUSES

STATE_NAME = ".schedule.json"
STATE_VERSION = 1
EASY_SCORE = 90  # a pass this strong is rated Easy
# Failures (reviews rated Again) that make a question a leech. Anki counts 8 lapses, but an
# Anki review is a card flipped in seconds, several a day; here a review is a whole answer in a
# session, and a question comes back every few days at best: 8 would take a month or more of
# failing to notice. After 4 the person is better served reading the model answer first.
LEECH_FAILURES = 4
LAST_YEAR = 9000  # reviews dated later are ignored (a hand-edited date), so due dates fit
RECENT_SCORES = 3  # how many of a question's latest scores `weak` averages

# No learning steps: a question is asked at most once a session and sessions are hours or days
# apart, so minute-long steps would only make a failed question "due" before the person could
# sit down again; the day is the unit (a failure comes back the next day). No fuzzing: the same
# transcripts must always give the same schedule (a rebuild equals the state kept on the way).
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
_CONFIG = f"fsrs-6 steps=none fuzz=off retention={SCHEDULER.desired_retention}"


def rating_for(score: float, helped: bool) -> Rating:
    """The grader's verdict as an FSRS rating: below the pass line Again; a pass with a hint
    or a self-assessed score (a miss overruled, a flag disputed) Hard; a pass Good; a strong
    pass (EASY_SCORE) Easy."""
    if score < PASS_SCORE:
        return Rating.Again
    if helped:
        return Rating.Hard
    return Rating.Easy if score >= EASY_SCORE else Rating.Good


class Review(NamedTuple):
    when: datetime  # UTC
    session: str
    question_id: str  # current id (a retired question's replacement)
    topic: str
    score: float
    rating: Rating


def reviews_in(session: SessionResults) -> list[Review]:
    """A session's reviews; none if its date cannot be read (the listing shows it anyway)."""
    if not session.reviews:
        return []
    try:
        start = datetime.fromisoformat(session.created)
    except ValueError:
        return []
    try:
        start = (start if start.tzinfo is not None else start.astimezone()).astimezone(UTC)
    except (OverflowError, ValueError, OSError):  # a date no clock reaches: no review
        return []
    out = []
    for qid, topic, score, helped, at in session.reviews:
        try:
            when = start + timedelta(seconds=at)
        except (OverflowError, ValueError):
            continue
        if when.year > LAST_YEAR:  # FSRS adds up to maximum_interval days to it
            continue
        out.append(
            Review(when, session.id, current_id(qid), topic, score, rating_for(score, helped))
        )
    return out


@dataclass(slots=True)
class CardState:
    card: Card
    topic: str
    reviews: int = 0
    passed: int = 0
    failures: int = 0
    scores: list[float] = field(default_factory=list)  # the latest RECENT_SCORES

    @property
    def leech(self) -> bool:
        return self.failures >= LEECH_FAILURES

    def to_json(self) -> dict[str, Any]:
        return {
            "card": self.card.to_dict(),
            "topic": self.topic,
            "reviews": self.reviews,
            "passed": self.passed,
            "failures": self.failures,
            "scores": self.scores,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CardState:
        card = Card.from_dict(data["card"])
        if card.due.tzinfo is None or (card.last_review and card.last_review.tzinfo is None):
            raise ValueError("naive date")
        scores = [float(s) for s in data["scores"]]
        reviews, passed, failures = (int(data[k]) for k in ("reviews", "passed", "failures"))
        if min(reviews, passed, failures) < 0 or not isinstance(data["topic"], str):
            raise ValueError("bad counts")
        return cls(card, data["topic"], reviews, passed, failures, scores)


@dataclass(slots=True)
class Schedule:
    """The cards, and which sessions' reviews they have seen (session id -> count, digest)."""

    cards: dict[str, CardState] = field(default_factory=dict)
    applied: dict[str, tuple[int, str]] = field(default_factory=dict)
    last: datetime | None = None  # the latest review applied
    index: str | None = None  # the digest of the listing index it was brought up to date with

    def review(self, r: Review) -> None:
        state = self.cards.get(r.question_id)
        if state is None:
            card = Card(card_id=zlib.crc32(r.question_id.encode()), due=r.when)
            state = self.cards[r.question_id] = CardState(card, r.topic)
        state.card, _ = SCHEDULER.review_card(state.card, r.rating, r.when)
        state.topic = r.topic
        state.reviews += 1
        state.passed += r.rating != Rating.Again
        state.failures += r.rating == Rating.Again
        state.scores = [*state.scores, r.score][-RECENT_SCORES:]
        self.last = r.when if self.last is None else max(self.last, r.when)

    def due_within(self, until: datetime) -> list[str]:
        """Question ids due by ``until``, most overdue first."""
        due = [(s.card.due, qid) for qid, s in self.cards.items() if s.card.due <= until]
        return [qid for _, qid in sorted(due)]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "config": _CONFIG,
            "last": None if self.last is None else self.last.isoformat(),
            "index": self.index,
            "applied": {sid: list(v) for sid, v in sorted(self.applied.items())},
            "cards": {qid: s.to_json() for qid, s in sorted(self.cards.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> Schedule:
        """ValueError (or KeyError, TypeError) if the file is not one we wrote."""
        if data.get("version") != STATE_VERSION or data.get("config") != _CONFIG:
            raise ValueError("another version")
        last = None if data["last"] is None else datetime.fromisoformat(data["last"])
        applied = {str(k): (int(n), str(d)) for k, (n, d) in data["applied"].items()}
        cards = {str(k): CardState.from_json(v) for k, v in data["cards"].items()}
        index = data.get("index")
        return cls(cards, applied, last, index if isinstance(index, str) else None)


def _latest(results: Iterable[SessionResults]) -> dict[str, SessionResults]:
    """Sessions by id: a copy of a transcript (same session id) counts once."""
    return {s.id: s for s in results if s.reviews}


def _digest(session: SessionResults, count: int) -> str:
    """What the schedule saw of a session: its date and first ``count`` reviews, as recorded."""
    text = repr((session.created, session.reviews[:count]))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _applied(sessions: Mapping[str, SessionResults]) -> dict[str, tuple[int, str]]:
    return {sid: (len(s.reviews), _digest(s, len(s.reviews))) for sid, s in sessions.items()}


def build(results: Iterable[SessionResults]) -> Schedule:
    """The schedule from nothing but the transcripts' results."""
    sessions = _latest(results)
    schedule = Schedule()
    every = sorted(
        (r for s in sessions.values() for r in reviews_in(s)), key=lambda r: (r.when, r.session)
    )
    for r in every:
        schedule.review(r)
    schedule.applied = _applied(sessions)
    return schedule


def brought_up_to_date(schedule: Schedule, results: Iterable[SessionResults]) -> int | None:
    """Apply the reviews ``schedule`` has not seen, and say how many; None (schedule unusable)
    when the kept state is out of step with the transcripts: a session gone or changed, or a
    review older than one already applied (order matters to FSRS: only a rebuild gets it right).
    """
    sessions = _latest(results)
    for sid, (count, digest) in schedule.applied.items():
        session = sessions.get(sid)
        if session is None or len(session.reviews) < count or _digest(session, count) != digest:
            return None
    new: list[Review] = []
    for sid, session in sessions.items():
        count = schedule.applied.get(sid, (0, ""))[0]
        if count < len(session.reviews):
            new += reviews_in(session._replace(reviews=session.reviews[count:]))
    new.sort(key=lambda r: (r.when, r.session))
    if new and schedule.last is not None and new[0].when < schedule.last:
        return None
    for r in new:
        schedule.review(r)
    if len(schedule.applied) != len(sessions) or new:
        schedule.applied = _applied(sessions)
        return max(1, len(new))  # counted as a change even if every new review was dropped
    return 0


def load_state(path: Path) -> Schedule | None:
    """The kept schedule, or None if it is missing or damaged (then it is rebuilt)."""
    try:
        return Schedule.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_state(path: Path, schedule: Schedule) -> None:
    atomic_write(path, json.dumps(schedule.to_json(), indent=1).encode("utf-8"))


def sync(
    root: Path, results: Sequence[SessionResults], rebuild: bool = False, index: str | None = None
) -> Schedule:
    """The schedule for the sessions in ``root``: the kept state brought up to date, or rebuilt
    from ``results`` (always if ``rebuild``), and kept again if it changed. A folder that cannot
    be written still gets its schedule, just not kept.

    ``index`` is the digest of the listing index ``results`` come from (core/index.py): a kept
    state brought up to date with the same index is taken as it is, without checking every
    session again (the results follow from the index)."""
    path = root / STATE_NAME
    kept = None if rebuild else load_state(path)
    if kept is not None and index is not None and kept.index == index:
        return kept
    applied = None if kept is None else brought_up_to_date(kept, results)
    schedule = kept if kept is not None and applied is not None else build(results)
    changed = applied != 0 or schedule.index != index
    schedule.index = index
    if changed and (results or path.exists()):
        with contextlib.suppress(OSError):
            root.mkdir(parents=True, exist_ok=True)
            save_state(path, schedule)
    return schedule


# --------------------------------------------------------------------------- focus


def end_of_day(now: datetime, days: int = 0) -> datetime:
    """The end of ``now``'s day (in its own zone), ``days`` later: what "due today" reaches."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days + 1)


def focus_priorities(focus: str, schedule: Schedule, now: datetime) -> dict[str, float]:
    """Question id -> priority for plan.plan_questions: priority >= 0 is asked first (highest
    first), then questions never asked, then the rest (highest first).

    due: due cards, most overdue first; then new; then the soonest due.
    weak: questions whose recent scores (the mean of the last RECENT_SCORES) are below the
      pass line, lowest first; then new; then the others, lowest first.
    new: never asked first; then the soonest due.
    cram: every asked question by how soon it is due (overdue first); then new. A cram
      session's answers are not reviews (Transcript.results), so the schedule is untouched.
    """
    out: dict[str, float] = {}
    today_ends = end_of_day(now)
    for qid, s in schedule.cards.items():
        days = (s.card.due - now).total_seconds() / 86400  # until due; negative: overdue
        recent = sum(s.scores) / len(s.scores) if s.scores else 0.0
        if focus == "due":
            out[qid] = (today_ends - s.card.due).total_seconds() / 86400
        elif focus == "weak":
            out[qid] = 100.0 - recent if recent < PASS_SCORE else -recent - 1.0
        elif focus == "new":
            out[qid] = -1.0 - max(0.0, days)
        elif focus == "cram":
            out[qid] = 1e6 - days
        else:
            raise ValueError(f"unknown focus {focus!r} (one of {', '.join(FOCUSES)})")
    return out
