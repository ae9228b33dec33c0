"""Transcripts: one human-readable YAML file per session, written atomically after every answer.

This module is the format (the document, writing it, reading it back); the sessions folder
that holds the files is ``store``. A transcript is never modified except by the session that
owns it; unreadable files are reported with their name and reason and left exactly as they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from interview_sim.core.rows import Review, SessionResults, SessionRow
from interview_sim.core.session import AnswerRecord, Interview, Status, question_scores
from interview_sim.core.settings import SessionSettings

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
            "answers": [_record_to_dict(r) for r in self.records],
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
        hint or an overruled concept helped (in it or its follow-ups), and when it was answered
        (seconds into the session, from the time spent on the records before it)."""
        helped: dict[int, bool] = {}
        at: dict[int, float] = {}
        spent = 0.0
        for r in self.records:
            spent += max(0.0, r.seconds) if math.isfinite(r.seconds) else 0.0
            helped[r.number] = helped.get(r.number, False) or r.hint_used or bool(r.overruled)
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


def _record_to_dict(r: AnswerRecord) -> dict[str, Any]:
    g = r.grade
    return {
        "question": r.question_id,
        "follow_up": r.follow_up_id,
        "number": r.number,
        "topic": r.topic,
        "difficulty": r.difficulty,
        "fingerprint": r.fingerprint,
        "prompt": r.prompt,
        "answer": r.answer,
        "outcome": r.outcome,
        "hint_used": r.hint_used,
        "seconds": r.seconds,
        "score": r.score,
        "grader_score": g.score,
        "keyword_list": g.keyword_list,
        "truncated": g.truncated,
        "concepts": [c.to_dict() for c in g.concepts],
        "misconceptions": [m.to_dict() for m in g.misconceptions],
        "notes": list(g.notes),
    } | ({"overruled": list(r.overruled)} if r.overruled else {})  # "I covered this"


# --------------------------------------------------------------------------- reading


class _Reader:
    """Checks a parsed transcript field by field, so a bad one names what is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str) -> TranscriptError:
        return TranscriptError(self.file, f"{where}: {message}")

    def get(
        self,
        obj: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        where: str,
        *,
        optional: bool = False,
    ) -> Any:
        if key not in obj or obj[key] is None:
            if optional:
                return None
            raise self.fail(f"{where}{key}", "missing")
        value = obj[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(f"{where}{key}", f"expected {_kind_name(kind)}, found {value!r}")
        if not isinstance(value, kind):
            raise self.fail(
                f"{where}{key}", f"expected {_kind_name(kind)}, found {type(value).__name__}"
            )
        if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf
            raise self.fail(f"{where}{key}", f"expected a finite number, found {value}")
        return value

    def mappings(
        self, obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False
    ) -> list[tuple[dict[str, Any], str]]:
        """Each mapping in the list at `key`, with the prefix that names its fields."""
        out = []
        for i, item in enumerate(self.get(obj, key, list, where, optional=optional) or []):
            at = f"{where}{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(at, "expected a mapping")
            out.append((item, f"{at}."))
        return out


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {
            "str": "text",
            "int": "a number",
            "float": "a number",
            "bool": "true/false",
            "list": "a list",
            "dict": "a mapping",
        }.get(k.__name__, k.__name__)
        for k in kinds
    )


def _draft_from_dict(rd: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    """The optional `draft: {for: ITEM, text: TEXT}` that Save & quit writes."""
    draft = rd.get(data, "draft", dict, "", optional=True)
    if not draft:
        return {}
    return {
        "draft_for": str(rd.get(draft, "for", str, "draft.")),
        "draft": str(rd.get(draft, "text", str, "draft.")),
    }


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
    rd = _Reader(file)
    version = rd.get(data, "schema_version", int, "")
    if version > SCHEMA_VERSION:
        raise TranscriptError(
            file,
            f"written by a newer interview-sim (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})",
        )
    if version < 1:
        raise TranscriptError(file, f"unknown schema_version {version}")
    status = rd.get(data, "status", str, "")
    if status not in STATUSES:
        raise rd.fail("status", f"unknown status {status!r}")
    settings = _settings_from_dict(rd, rd.get(data, "settings", dict, ""))
    plan = [
        {k: str(rd.get(p, k, str, pw)) for k in ("id", "topic", "difficulty", "fingerprint")}
        for p, pw in rd.mappings(data, "plan", "")
    ]
    records = [_record_from_dict(rd, a, aw) for a, aw in rd.mappings(data, "answers", "")]
    for r in records:
        if not 1 <= r.number <= len(plan):
            raise rd.fail("answers", f"answer numbered {r.number} but the plan has {len(plan)}")
    return Transcript(
        id=rd.get(data, "id", str, ""),
        settings=settings,
        plan=plan,
        records=records,
        status=status,
        created=str(rd.get(data, "created", str, "")),
        updated=str(rd.get(data, "updated", str, "", optional=True) or ""),
        elapsed_seconds=float(rd.get(data, "elapsed_seconds", (int, float), "")),
        app_version=str(rd.get(data, "app_version", str, "", optional=True) or ""),
        **_draft_from_dict(rd, data),
        **_current_from_dict(rd, data),
    )


def _current_from_dict(rd: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    """The optional `current: {for: ITEM, seconds: S}`: time spent on the unanswered step."""
    current = rd.get(data, "current", dict, "", optional=True)
    if not current:
        return {}
    seconds = float(rd.get(current, "seconds", (int, float), "current."))
    if not 0 <= seconds < 1e6:  # also NaN
        raise rd.fail("current.seconds", f"expected a number of seconds, not {seconds}")
    return {"step_for": str(rd.get(current, "for", str, "current.")), "step_seconds": seconds}


# setting -> (accepted types, may be null); a hand-edited wrong type would crash a resume
_SETTING_TYPES: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "difficulty": (str, False),
    "questions": (int, False),
    "follow_ups": (int, False),
    "minutes_per_question": ((int, float), True),
    "session_minutes": ((int, float), True),
    "mode": (str, False),
    "seed": (int, False),
    "focus": (str, True),
}


def _settings_from_dict(rd: _Reader, raw: Mapping[str, Any]) -> SessionSettings:
    unknown = sorted(str(k) for k in raw if k != "topics" and k not in _SETTING_TYPES)
    if unknown:
        raise rd.fail(f"settings.{unknown[0]}", "unknown setting")
    topics = raw.get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise rd.fail("settings.topics", "expected a list of topic ids")
    values: dict[str, Any] = {}
    for key, (kind, nullable) in _SETTING_TYPES.items():
        if key in raw:
            values[key] = rd.get(raw, key, kind, "settings.", optional=nullable)
    return SessionSettings(topics=tuple(topics), **values)


def _record_from_dict(rd: _Reader, a: dict[str, Any], where: str) -> AnswerRecord:
    from interview_sim.core.grading import ConceptResult, GradeResult, MisconceptionResult

    concepts = []
    for c, cw in rd.mappings(a, "concepts", where):
        concepts.append(
            ConceptResult(
                name=rd.get(c, "name", str, cw),
                weight=float(rd.get(c, "weight", (int, float), cw)),
                required=bool(rd.get(c, "required", bool, cw)),
                bonus=bool(rd.get(c, "bonus", bool, cw)),
                matched=bool(rd.get(c, "matched", bool, cw)),
                alias=rd.get(c, "alias", str, cw, optional=True),
                start=rd.get(c, "start", int, cw, optional=True),
                end=rd.get(c, "end", int, cw, optional=True),
                similarity=float(rd.get(c, "similarity", (int, float), cw)),
            )
        )
    misconceptions = []
    for m, mw in rd.mappings(a, "misconceptions", where, optional=True):
        misconceptions.append(
            MisconceptionResult(
                statement=rd.get(m, "statement", str, mw),
                correction=rd.get(m, "correction", str, mw),
                alias=rd.get(m, "alias", str, mw),
                start=rd.get(m, "start", int, mw),
                end=rd.get(m, "end", int, mw),
                similarity=float(rd.get(m, "similarity", (int, float), mw)),
            )
        )
    outcome = rd.get(a, "outcome", str, where)
    if outcome not in ("answered", "timeout", "skipped"):
        raise rd.fail(f"{where}outcome", f"unknown outcome {outcome!r}")
    answer = rd.get(a, "answer", str, where, optional=True) or ""
    grade = GradeResult(
        score=rd.get(a, "grader_score", int, where),
        concepts=tuple(concepts),
        misconceptions=tuple(misconceptions),
        keyword_list=bool(rd.get(a, "keyword_list", bool, where)),
        truncated=bool(rd.get(a, "truncated", bool, where)),
        word_count=len(answer.split()),
        notes=tuple(str(n) for n in (rd.get(a, "notes", list, where, optional=True) or [])),
    )
    return AnswerRecord(
        question_id=rd.get(a, "question", str, where),
        follow_up_id=rd.get(a, "follow_up", str, where, optional=True),
        number=rd.get(a, "number", int, where),
        topic=rd.get(a, "topic", str, where),
        difficulty=rd.get(a, "difficulty", str, where),
        prompt=rd.get(a, "prompt", str, where),
        answer=answer,
        outcome=outcome,
        hint_used=bool(rd.get(a, "hint_used", bool, where)),
        seconds=float(rd.get(a, "seconds", (int, float), where)),
        grade=grade,
        score=rd.get(a, "score", int, where),
        fingerprint=rd.get(a, "fingerprint", str, where),
        overruled=_overruled(rd, a, where, {c.name for c in concepts if not c.matched}),
    )


def _overruled(rd: _Reader, a: Mapping[str, Any], where: str, missed: set[str]) -> tuple[str, ...]:
    """The optional `overruled: [CONCEPT, ...]`: missed concepts the person marked covered."""
    names = rd.get(a, "overruled", list, where, optional=True) or []
    for name in names:
        if name not in missed:
            raise rd.fail(f"{where}overruled", f"{name!r} is not a missed concept")
    return tuple(names)


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
