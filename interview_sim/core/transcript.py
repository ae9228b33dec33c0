"""Transcripts: one human-readable YAML file per session, written atomically after every answer.

This module is the format (the document, writing it, reading it back); its parts (answers,
settings, draft) and the checks on each field read are ``transcript_fields``; the sessions
folder that holds the files is ``store``. A transcript is never modified except by the session that
owns it; unreadable files are reported with their name and reason and left exactly as they are.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from interview_sim.core.rows import Review, SessionResults, SessionRow
from interview_sim.core.session import AnswerRecord, Interview, Status, question_scores
from interview_sim.core.settings import SessionSettings
from interview_sim.core.transcript_fields import (
    FieldError,
    checked,
    current_from_dict,
    draft_from_dict,
    mappings,
    record_from_dict,
    record_to_dict,
    settings_from_dict,
)

SCHEMA_VERSION = 1
STATUSES = tuple(s.value for s in Status)


class TranscriptError(Exception):
    """A transcript that cannot be read or used; names the file and the reason."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


# --------------------------------------------------------------------------- the document


@dataclass(slots=True)
class Transcript:
    id: str
    settings: SessionSettings
    plan: list[dict[str, str]]  # {id, topic, difficulty, fingerprint} per main question
    records: list[AnswerRecord] = field(default_factory=list)
    status: str = Status.IN_PROGRESS.value
    created: str = ""
    updated: str = ""
    elapsed_seconds: float = 0.0
    app_version: str = ""
    draft: str = ""  # typed for the step `draft_for`, not submitted (Save & quit keeps it)
    draft_for: str | None = None
    step_for: str | None = None  # the step waiting for an answer, and the seconds spent on it
    step_seconds: float = 0.0

    @property
    def score(self) -> float | None:
        """The mean of the questions' scores, follow-ups counted in (session.SCORE_RULE)."""
        if not self.records:
            return None
        scores = [score for _, score in question_scores(self.records)]
        return round(sum(scores) / len(scores), 1) if scores else 0.0

    @property
    def topics(self) -> list[str]:
        return sorted({p["topic"] for p in self.plan})

    @classmethod
    def from_interview(
        cls, session_id: str, interview: Interview, created: str, app_version: str
    ) -> Transcript:
        return cls(
            id=session_id,
            settings=interview.settings,
            plan=[
                {
                    "id": q.id,
                    "topic": q.topic,
                    "difficulty": q.difficulty,
                    "fingerprint": q.fingerprint,
                }
                for q in interview.plan
            ],
            records=list(interview.records),
            status=interview.status.value,
            created=created,
            updated=now_iso(),
            elapsed_seconds=round(interview.elapsed(), 1),
            app_version=app_version,
            draft=interview.draft,
            draft_for=interview.draft_for,
            step_for=None if interview.current is None else interview.current.item_id,
            step_seconds=round(interview.step_elapsed(), 1),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "app_version": self.app_version,
            "elapsed_seconds": self.elapsed_seconds,
            "score": self.score,
            "settings": asdict(self.settings) | {"topics": list(self.settings.topics)},
            "plan": [dict(p) for p in self.plan],
            "answers": [record_to_dict(r) for r in self.records],
        } | self._unsubmitted()

    def _unsubmitted(self) -> dict[str, Any]:
        """What an unfinished session keeps of its open step: the draft, and the time spent."""
        out: dict[str, Any] = {}
        if self.draft_for:
            out["draft"] = {"for": self.draft_for, "text": self.draft}
        if self.step_for and self.status == Status.IN_PROGRESS:
            out["current"] = {"for": self.step_for, "seconds": self.step_seconds}
        return out

    def dumps(self) -> str:
        return dump_yaml(self.to_dict())

    def row(self, file: str) -> SessionRow:
        return SessionRow(
            id=self.id,
            file=file,
            created=self.created,
            mode=self.settings.mode,
            topics=tuple(self.topics),
            difficulty=self.settings.difficulty,
            questions=len(self.plan),
            answered=len({r.number for r in self.records}),
            score=self.score,
            duration=self.elapsed_seconds,
            status=self.status,
        )

    def results(self) -> SessionResults:
        return SessionResults(
            id=self.id,
            created=self.created,
            score=self.score,
            answers=tuple(
                (r.question_id, r.topic, r.score) for r in self.records if r.follow_up_id is None
            ),
            missed=tuple(
                c.name
                for r in self.records
                for c in r.grade.concepts
                if not c.matched and not c.bonus and c.name not in r.overruled
            ),
            reviews=() if self.settings.focus == "cram" else self._reviews(),
        )

    def _reviews(self) -> tuple[Review, ...]:
        """Each main question as the schedule reviews it: its score with follow-ups, whether a
        hint or the person's own judgement (a self-assessed score) helped, in it or its
        follow-ups, and when it was answered (seconds into the session, from the time spent on
        the records before it)."""
        helped: dict[int, bool] = {}
        at: dict[int, float] = {}
        spent = 0.0
        for r in self.records:
            spent += max(0.0, r.seconds) if math.isfinite(r.seconds) else 0.0
            helped[r.number] = helped.get(r.number, False) or r.hint_used or r.self_assessed
            if r.follow_up_id is None:
                at[r.number] = round(spent, 1)
        return tuple(
            (r.question_id, r.topic, round(score, 1), helped[r.number], at[r.number])
            for r, score in question_scores(self.records)
        )


def dump_yaml(data: Any) -> str:
    from interview_sim.core import yamlio

    return yamlio.dump(data)


def now_iso() -> str:
    from interview_sim.core.clock import now

    return now().isoformat(timespec="seconds")


# --------------------------------------------------------------------------- reading


def parse_transcript(text: str, file: str) -> Transcript:
    from interview_sim.core import yamlio

    yaml = yamlio.yaml_module()
    try:
        data = yamlio.load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise TranscriptError(file, f"not valid YAML (line {line}: {exc.problem})") from None
    except yaml.YAMLError as exc:
        raise TranscriptError(file, f"not valid YAML ({exc})") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        # PyYAML's constructors raise these for a bad tagged or date-like value
        # (``2026-13-01``, ``!!int x``) or a number of more than 4,300 digits
        raise TranscriptError(
            file, f"not valid YAML (a value cannot be read: {str(exc)[:80] or type(exc).__name__})"
        ) from None
    if not isinstance(data, dict):
        raise TranscriptError(file, "not a transcript (expected a mapping at the top)")
    try:
        return _transcript_from_dict(data, file)
    except FieldError as exc:
        raise TranscriptError(file, str(exc)) from None


def _transcript_from_dict(data: dict[str, Any], file: str) -> Transcript:
    version = checked(data, "schema_version", int, "")
    if version > SCHEMA_VERSION:
        raise TranscriptError(
            file,
            f"written by a newer interview-sim (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})",
        )
    if version < 1:
        raise TranscriptError(file, f"unknown schema_version {version}")
    status = checked(data, "status", str, "")
    if status not in STATUSES:
        raise FieldError("status", f"unknown status {status!r}")
    settings = settings_from_dict(checked(data, "settings", dict, ""))
    plan = [
        {k: str(checked(p, k, str, pw)) for k in ("id", "topic", "difficulty", "fingerprint")}
        for p, pw in mappings(data, "plan", "")
    ]
    records = [record_from_dict(a, aw) for a, aw in mappings(data, "answers", "")]
    for r in records:
        if not 1 <= r.number <= len(plan):
            raise FieldError("answers", f"answer numbered {r.number} but the plan has {len(plan)}")
    return Transcript(
        id=checked(data, "id", str, ""),
        settings=settings,
        plan=plan,
        records=records,
        status=status,
        created=str(checked(data, "created", str, "")),
        updated=str(checked(data, "updated", str, "", optional=True) or ""),
        elapsed_seconds=float(checked(data, "elapsed_seconds", (int, float), "")),
        app_version=str(checked(data, "app_version", str, "", optional=True) or ""),
        **draft_from_dict(data),
        **current_from_dict(data),
    )


def read_transcript(path: Path) -> Transcript:
    from interview_sim.core.files import StoreError, read_regular_file

    try:
        raw = read_regular_file(path)
    except StoreError as exc:
        raise TranscriptError(path.name, str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranscriptError(path.name, f"not UTF-8 (offset {exc.start})") from None
    if not text.strip():
        raise TranscriptError(path.name, "empty file")
    return parse_transcript(text, path.name)
