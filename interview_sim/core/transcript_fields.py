"""A transcript's parts as YAML mappings and back: answer records written out, and every field
read back checked (answers, settings, the draft, the open step), so that a damaged or
hand-edited file is refused naming the field that is wrong. The document itself is
``transcript``."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any

from interview_sim.core.session import AnswerRecord
from interview_sim.core.settings import SessionSettings


class FieldError(Exception):
    """A field that is missing or of the wrong kind: `where` names it (answers[2].score)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


def checked(
    obj: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    *,
    optional: bool = False,
) -> Any:
    """obj[key], checked to be of `kind` (a bool is not a number, a float is finite); `where`
    is the prefix that names the mapping (``"answers[0]."``)."""
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise FieldError(f"{where}{key}", "missing")
    value = obj[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise FieldError(f"{where}{key}", f"expected {_kind_name(kind)}, found {value!r}")
    if not isinstance(value, kind):
        raise FieldError(
            f"{where}{key}", f"expected {_kind_name(kind)}, found {type(value).__name__}"
        )
    if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf
        raise FieldError(f"{where}{key}", f"expected a finite number, found {value}")
    if type(value) is int and abs(value) > _LARGEST_FLOAT:  # float() of it would overflow
        raise FieldError(f"{where}{key}", "expected a number, found one too large to use")
    return value


_LARGEST_FLOAT = int(sys.float_info.max)


def mappings(
    obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False
) -> list[tuple[dict[str, Any], str]]:
    """Each mapping in the list at `key`, with the prefix that names its fields."""
    out = []
    for i, item in enumerate(checked(obj, key, list, where, optional=optional) or []):
        at = f"{where}{key}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(at, "expected a mapping")
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


def draft_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """The optional `draft: {for: ITEM, text: TEXT}` that Save & quit writes."""
    draft = checked(data, "draft", dict, "", optional=True)
    if not draft:
        return {}
    return {
        "draft_for": str(checked(draft, "for", str, "draft.")),
        "draft": str(checked(draft, "text", str, "draft.")),
    }


def current_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """The optional `current: {for: ITEM, seconds: S}`: time spent on the unanswered step."""
    current = checked(data, "current", dict, "", optional=True)
    if not current:
        return {}
    seconds = float(checked(current, "seconds", (int, float), "current."))
    if not 0 <= seconds < 1e6:  # also NaN
        raise FieldError("current.seconds", f"expected a number of seconds, not {seconds}")
    return {"step_for": str(checked(current, "for", str, "current.")), "step_seconds": seconds}


# setting -> (accepted types, may be null); a hand-edited wrong type would crash a resume
SETTING_TYPES: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "difficulty": (str, False),
    "questions": (int, False),
    "follow_ups": (int, False),
    "minutes_per_question": ((int, float), True),
    "session_minutes": ((int, float), True),
    "mode": (str, False),
    "seed": (int, False),
    "focus": (str, True),
}


def settings_from_dict(raw: Mapping[str, Any]) -> SessionSettings:
    unknown = sorted(str(k) for k in raw if k != "topics" and k not in SETTING_TYPES)
    if unknown:
        raise FieldError(f"settings.{unknown[0]}", "unknown setting")
    topics = raw.get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise FieldError("settings.topics", "expected a list of topic ids")
    values: dict[str, Any] = {}
    for key, (kind, nullable) in SETTING_TYPES.items():
        if key in raw:
            values[key] = checked(raw, key, kind, "settings.", optional=nullable)
    return SessionSettings(topics=tuple(topics), **values)


def record_from_dict(a: dict[str, Any], where: str) -> AnswerRecord:
    from interview_sim.core.grading import ConceptResult, GradeResult, MisconceptionResult

    concepts = []
    for c, cw in mappings(a, "concepts", where):
        concepts.append(
            ConceptResult(
                name=checked(c, "name", str, cw),
                weight=float(checked(c, "weight", (int, float), cw)),
                required=bool(checked(c, "required", bool, cw)),
                bonus=bool(checked(c, "bonus", bool, cw)),
                matched=bool(checked(c, "matched", bool, cw)),
                alias=checked(c, "alias", str, cw, optional=True),
                start=checked(c, "start", int, cw, optional=True),
                end=checked(c, "end", int, cw, optional=True),
                similarity=float(checked(c, "similarity", (int, float), cw)),
            )
        )
    misconceptions = []
    for m, mw in mappings(a, "misconceptions", where, optional=True):
        misconceptions.append(
            MisconceptionResult(
                statement=checked(m, "statement", str, mw),
                correction=checked(m, "correction", str, mw),
                alias=checked(m, "alias", str, mw),
                start=checked(m, "start", int, mw),
                end=checked(m, "end", int, mw),
                similarity=float(checked(m, "similarity", (int, float), mw)),
            )
        )
    outcome = checked(a, "outcome", str, where)
    if outcome not in ("answered", "timeout", "skipped"):
        raise FieldError(f"{where}outcome", f"unknown outcome {outcome!r}")
    answer = checked(a, "answer", str, where, optional=True) or ""
    grade = GradeResult(
        score=checked(a, "grader_score", int, where),
        concepts=tuple(concepts),
        misconceptions=tuple(misconceptions),
        keyword_list=bool(checked(a, "keyword_list", bool, where)),
        truncated=bool(checked(a, "truncated", bool, where)),
        word_count=len(answer.split()),
        notes=tuple(str(n) for n in (checked(a, "notes", list, where, optional=True) or [])),
    )
    return AnswerRecord(
        question_id=checked(a, "question", str, where),
        follow_up_id=checked(a, "follow_up", str, where, optional=True),
        number=checked(a, "number", int, where),
        topic=checked(a, "topic", str, where),
        difficulty=checked(a, "difficulty", str, where),
        prompt=checked(a, "prompt", str, where),
        answer=answer,
        outcome=outcome,
        hint_used=bool(checked(a, "hint_used", bool, where)),
        seconds=float(checked(a, "seconds", (int, float), where)),
        grade=grade,
        score=checked(a, "score", int, where),
        fingerprint=checked(a, "fingerprint", str, where),
        overruled=_overruled(a, where, {c.name for c in concepts if not c.matched}),
        disputed=_disputed(a, where, {m.statement for m in misconceptions if m.fails}),
    )


def _overruled(a: Mapping[str, Any], where: str, missed: set[str]) -> tuple[str, ...]:
    """The optional `overruled: [CONCEPT, ...]`: missed concepts the person marked covered."""
    return _marked(a, "overruled", where, missed, "is not a missed concept")


def _disputed(a: Mapping[str, Any], where: str, flagged: set[str]) -> tuple[str, ...]:
    """The optional `disputed: [STATEMENT, ...]`: flagged claims the person says they never
    made ("Not what I said"); each a wrong claim this answer's grade flags."""
    return _marked(a, "disputed", where, flagged, "is not a wrong claim flagged in this answer")


def _marked(
    a: Mapping[str, Any], key: str, where: str, allowed: set[str], not_allowed: str
) -> tuple[str, ...]:
    """An optional list of the person's corrections: each text, one of `allowed`, listed once."""
    marks = checked(a, key, list, where, optional=True) or []
    for i, mark in enumerate(marks):
        if not isinstance(mark, str):
            raise FieldError(f"{where}{key}[{i}]", "expected text")
        if mark not in allowed:
            raise FieldError(f"{where}{key}[{i}]", f"{mark!r} {not_allowed}")
        if mark in marks[:i]:
            raise FieldError(f"{where}{key}[{i}]", f"{mark!r} is listed twice")
    return tuple(marks)


def record_to_dict(r: AnswerRecord) -> dict[str, Any]:
    g = r.grade
    return (
        {
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
        }
        | g.details()
        | ({"overruled": list(r.overruled)} if r.overruled else {})  # "I covered this"
        | ({"disputed": list(r.disputed)} if r.disputed else {})  # "Not what I said"
    )
