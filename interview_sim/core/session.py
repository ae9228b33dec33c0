"""The interview engine: run a session's clock, pick follow-ups, record answers (the questions
are chosen by ``plan``).

No Textual here. Time comes from an injected monotonic clock so tests can move it by hand;
remaining time is always computed from deadlines, never by counting ticks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from interview_sim.core.bank import Bank, FollowUp, Question
from interview_sim.core.settings import HINT_SCORE_CAP, Clock, SessionError, SessionSettings

if TYPE_CHECKING:
    from interview_sim.core.grading import Grader, GradeResult


class Status(StrEnum):
    """Where a session is; the value is what transcripts and the session list say."""

    IN_PROGRESS = "in progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class Step:
    """What is being asked now: a main question or one of its follow-ups."""

    question: Question
    number: int  # 1-based main-question number
    follow_up: FollowUp | None = None
    follow_up_number: int = 0

    @property
    def item_id(self) -> str:
        return self.follow_up.full_id if self.follow_up else self.question.id

    @property
    def prompt(self) -> str:
        return self.follow_up.prompt if self.follow_up else self.question.prompt

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up is not None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One answered (or timed-out, or skipped) step, as it goes into the transcript."""

    question_id: str
    follow_up_id: str | None
    number: int
    topic: str
    difficulty: str
    prompt: str
    answer: str
    outcome: str  # answered | timeout | skipped
    hint_used: bool
    seconds: float
    grade: GradeResult
    score: int
    fingerprint: str
    overruled: tuple[str, ...] = ()  # missed concepts the person says they covered
    disputed: tuple[str, ...] = ()  # statements of flagged claims the person says they never made

    @property
    def self_assessed(self) -> bool:
        """The score counts concepts the person marked "I covered this" or drops flags they
        marked "Not what I said" (grade.score is the grader's own)."""
        return bool(self.overruled or self.disputed)

    @property
    def item_id(self) -> str:
        return f"{self.question_id}/{self.follow_up_id}" if self.follow_up_id else self.question_id


# What a session's scores count: each main question once, its own answer MAIN_WEIGHT parts and
# each of its follow-ups one part, so probing deeper moves a question's score without a question
# asked with two follow-ups counting more than one asked with none.
MAIN_WEIGHT = 2
SCORE_RULE = "each question counts once: its answer 2 parts, each follow-up 1 part"


def question_scores(records: Sequence[AnswerRecord]) -> list[tuple[AnswerRecord, float]]:
    """Each main question's record with its score after its follow-ups (see MAIN_WEIGHT)."""
    parts: dict[int, list[AnswerRecord]] = {}
    for r in records:
        parts.setdefault(r.number, []).append(r)
    out: list[tuple[AnswerRecord, float]] = []
    for group in parts.values():
        main = next((r for r in group if r.follow_up_id is None), None)
        if main is None:  # a damaged transcript: follow-ups without their question
            continue
        follow = [r.score for r in group if r.follow_up_id is not None]
        total = MAIN_WEIGHT * main.score + sum(follow)
        out.append((main, total / (MAIN_WEIGHT + len(follow))))
    return out


@dataclass(slots=True, weakref_slot=True)  # the recorder refers back to it, weakly
class Interview:
    """A running session. Call ``submit``/``skip``; ask ``remaining()``; ``poll`` on a timer."""

    bank: Bank
    grader: Grader
    settings: SessionSettings
    plan: list[Question]
    clock: Clock = time.monotonic
    records: list[AnswerRecord] = field(default_factory=list)
    on_record: Callable[[Interview], None] | None = None
    elapsed_before: float = 0.0  # seconds used in earlier runs of a resumed session
    status: Status = Status.IN_PROGRESS
    current: Step | None = None
    draft: str = ""  # typed for the step `draft_for` and not submitted: kept by Save & quit
    draft_for: str | None = None
    # Time already spent on the step waiting for an answer, in an earlier run of a resumed
    # session: its clock goes on from there (and the answer's time counts it).
    step_seconds_before: float = 0.0
    step_seconds_for: str | None = None
    _step_started: float = 0.0
    _run_started: float = 0.0
    _hint_used: bool = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Step | None:
        self._run_started = self.clock()
        self._advance()
        if self.current is not None and self.current.item_id == self.step_seconds_for:
            self._step_started -= min(self.step_seconds_before, self.step_limit())
        self.step_seconds_before, self.step_seconds_for = 0.0, None
        return self.current

    def step_elapsed(self) -> float:
        """Seconds spent on the step waiting for an answer, earlier runs included."""
        if self.current is None:
            return 0.0
        return min(self.clock() - self._step_started, self.step_limit())

    def amend(self, record: AnswerRecord) -> None:
        """Put a changed record (a miss overruled, a flag disputed) in place of the step's,
        and save."""
        for i, old in enumerate(self.records):
            if (old.number, old.follow_up_id) == (record.number, record.follow_up_id):
                self.records[i] = record
                if self.on_record:
                    self.on_record(self)
                return
        raise SessionError(f"no answer to {record.item_id} in this session")

    def checkpoint(self) -> None:
        """Save where the session stands, time on this step included: before leaving it."""
        if self.on_record and not self.finished:
            self.on_record(self)

    @property
    def finished(self) -> bool:
        return self.status != Status.IN_PROGRESS

    def elapsed(self) -> float:
        return self.elapsed_before + (
            self.clock() - self._run_started if self._run_started else 0.0
        )

    def step_limit(self) -> float:
        if self.current is None:
            return 0.0
        if self.current.follow_up is not None:
            return self.settings.follow_up_seconds()
        return self.settings.question_seconds(self.current.question.difficulty)

    def remaining(self) -> float:
        """Seconds left for the current step (never more than the session has left)."""
        if self.current is None:
            return 0.0
        left = self.step_limit() - (self.clock() - self._step_started)
        session_left = self.session_remaining()
        if session_left is not None:
            left = min(left, session_left)
        return max(0.0, left)

    def session_remaining(self) -> float | None:
        if self.settings.session_minutes is None:
            return None
        return max(0.0, self.settings.session_minutes * 60 - self.elapsed())

    def use_hint(self) -> str | None:
        """The current question's hint; asking caps this question's score."""
        if self.current is None or self.current.follow_up is not None:
            return None
        hint = self.current.question.hint
        if hint:
            self._hint_used = True
        return hint

    @property
    def hint_used(self) -> bool:
        return self._hint_used

    def restart_step_clock(self) -> None:
        """Time spent reading practice feedback does not count against the next question."""
        if self.current is not None:
            self._step_started = self.clock()

    def save_draft(self, text: str, typed_for: str) -> bool:
        """Keep ``text``, typed for the step ``typed_for``, without submitting it (saved at
        once). Kept only while that step is the one waiting for an answer: text typed for a
        step already answered must never become the next step's draft. Blank text drops the
        step's draft. True when something was written."""
        if self.current is None or typed_for != self.current.item_id:
            return False
        if not text.strip():
            if self.draft_for != typed_for:
                return False
            text, typed_for_kept = "", None
        else:
            typed_for_kept = typed_for
        if (self.draft, self.draft_for) == (text, typed_for_kept):
            return False
        self.draft, self.draft_for = text, typed_for_kept
        if self.on_record:
            self.on_record(self)
        return True

    def draft_text(self) -> str:
        """The kept draft, when it belongs to the step now waiting for an answer."""
        if self.current is not None and self.draft_for == self.current.item_id:
            return self.draft
        return ""

    def submit(self, answer: str) -> AnswerRecord:
        return self._record(answer, "answered")

    def skip(self, answer: str = "") -> AnswerRecord:
        return self._record(answer, "skipped")

    def poll(self, answer_so_far: str) -> AnswerRecord | None:
        """Call often: when time is up, submit what is typed as it stands."""
        if self.current is None or self.remaining() > 0:
            return None
        session_over = self.session_remaining() == 0.0
        record = self._record(answer_so_far, "timeout")
        if session_over and not self.finished:
            self.finish(Status.COMPLETED)
        return record

    def finish(self, status: Status) -> None:
        """End the session: completed, or abandoned when the person stops early."""
        if self.status == Status.IN_PROGRESS:
            self.elapsed_before = self.elapsed()
            self._run_started = 0.0
            self.status = Status(status)  # a plain value ("abandoned") is accepted too
            self.current = None
            if self.on_record:
                self.on_record(self)

    # ------------------------------------------------------------------ internals
    def _record(self, answer: str, outcome: str) -> AnswerRecord:
        step = self.current
        if step is None:
            raise SessionError("the session has no question waiting for an answer")
        item: Question | FollowUp = step.follow_up or step.question
        grade = self.grader.grade(item, "" if outcome == "skipped" else answer)
        score = 0 if outcome == "skipped" else grade.score
        if outcome == "skipped":  # nothing was graded: the grader's notes ("capped at 55") mislead
            grade = replace(grade, notes=())
        if self._hint_used:
            score = min(score, HINT_SCORE_CAP)
        record = AnswerRecord(
            question_id=step.question.id,
            follow_up_id=step.follow_up.id if step.follow_up else None,
            number=step.number,
            topic=step.question.topic,
            difficulty=step.question.difficulty,
            prompt=step.prompt,
            answer=answer,
            outcome=outcome,
            hint_used=self._hint_used,
            seconds=round(self.step_elapsed(), 1),
            grade=grade,
            score=score,
            fingerprint=step.question.fingerprint,
        )
        self.records.append(record)
        self.draft, self.draft_for = "", None
        self._advance()
        if self.on_record:  # saved before the caller can show the next question
            self.on_record(self)
        return record

    def _advance(self) -> None:
        self._hint_used = False
        self.current = self._next_step()
        self._step_started = self.clock()
        if self.current is None and self.status == Status.IN_PROGRESS:
            self.elapsed_before = self.elapsed()
            self._run_started = 0.0
            self.status = Status.COMPLETED
        elif self.session_remaining() == 0.0:
            self.current = None
            self.elapsed_before = self.elapsed()
            self._run_started = 0.0
            self.status = Status.COMPLETED

    def _next_step(self) -> Step | None:
        if not self.records:
            return Step(self.plan[0], 1) if self.plan else None
        last = self.records[-1]
        number = last.number
        question = self.plan[number - 1]
        asked = [r for r in self.records if r.number == number]
        main = asked[0]
        if main.outcome != "skipped" and len(asked) - 1 < self.settings.follow_ups:
            follow_up = self._choose_follow_up(
                question,
                main.grade,
                {r.follow_up_id for r in asked[1:]},
                random.Random(f"{self.settings.seed}/{number}/{len(asked)}"),
            )
            if follow_up is not None:
                return Step(question, number, follow_up, len(asked))
        if number < len(self.plan):
            return Step(self.plan[number], number + 1)
        return None

    @staticmethod
    def _choose_follow_up(
        question: Question, grade: GradeResult, used: set[str | None], rng: random.Random
    ) -> FollowUp | None:
        """Prefer a follow-up probing a concept the answer missed; otherwise any, at random."""
        options = [fu for fu in question.follow_ups if fu.id not in used]
        if not options:
            return None
        missed = {c.name for c in grade.missed}
        probing = [fu for fu in options if missed.intersection(fu.probes)]
        return rng.choice(probing or options)
