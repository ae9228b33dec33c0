"""What grading an answer found: each concept hit or missed, each misconception stated, and
the score. The form saved in transcripts and printed by `grade --json` (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PASS_SCORE = 60
OVERCLAIM_STATEMENT = "an absolute claim the model answer does not make"
OVERCLAIM_CORRECTION = "few things in ML hold always or completely: say when it holds and when not"
REVERSED_STATEMENT = "stated the other way round"
REVERSED_CORRECTION = "the model answer states this relation in the opposite direction"
# One claim read the other way round from the model answer costs points, two fail the answer:
# on strangers' answers a single one fires about as often on correct answers as on one-error
# ones (fresh batches 1.6% / 1.7%), so failing on one punished noise; a whole answer swapped
# ("a high temperature sharpens ..., a low one flattens ...") holds two. Fresh batches: AUC
# 0.843 -> 0.846, correct 85.2 -> 85.7; validation AUC unchanged, correct 85.5 -> 85.9.
REVERSED_TO_FAIL = 2


@dataclass(frozen=True, slots=True)
class ConceptResult:
    name: str
    weight: float
    required: bool
    bonus: bool
    matched: bool
    alias: str | None = None
    start: int | None = None
    end: int | None = None
    similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The form saved in transcripts and printed by `grade --json`."""
        return {
            "name": self.name,
            "matched": self.matched,
            "alias": self.alias,
            "start": self.start,
            "end": self.end,
            "similarity": self.similarity,
            "weight": self.weight,
            "required": self.required,
            "bonus": self.bonus,
        }


@dataclass(frozen=True, slots=True)
class MisconceptionResult:
    statement: str
    correction: str
    alias: str
    start: int
    end: int
    similarity: float

    @property
    def fails(self) -> bool:
        """A claim that can fail the answer: a bank misconception fails it, claims stated the
        other way round fail it from two on (one costs points); an overclaim (core/overclaims.py)
        only costs points."""
        return self.statement != OVERCLAIM_STATEMENT

    @property
    def label(self) -> str:
        """What a person is shown it as: a wrong claim, a claim that reads the other way round
        from the model answer (one costs points, two fail), or an overclaim."""
        if not self.fails:
            return "Overclaim"
        return "Possibly reversed" if self.statement == REVERSED_STATEMENT else "Misconception"

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "correction": self.correction,
            "alias": self.alias,
            "start": self.start,
            "end": self.end,
            "similarity": self.similarity,
        }


@dataclass(frozen=True, slots=True)
class GradeResult:
    score: int
    concepts: tuple[ConceptResult, ...]
    misconceptions: tuple[MisconceptionResult, ...] = ()
    keyword_list: bool = False
    truncated: bool = False
    word_count: int = 0
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.score >= PASS_SCORE

    def details(self) -> dict[str, Any]:
        """What was found, in the form transcripts save and `grade --json` prints."""
        return {
            "keyword_list": self.keyword_list,
            "truncated": self.truncated,
            "concepts": [c.to_dict() for c in self.concepts],
            "misconceptions": [m.to_dict() for m in self.misconceptions],
            "notes": list(self.notes),
        }

    @property
    def hit(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.matched)

    @property
    def missed(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if not c.matched)


def failing(misconceptions: list[MisconceptionResult]) -> list[MisconceptionResult]:
    """The flags that fail an answer: every bank misconception stated, and claims stated the
    other way round once there are REVERSED_TO_FAIL of them."""
    if not misconceptions:
        return []
    flags = [m for m in misconceptions if m.fails]
    flipped = [m for m in flags if m.statement == REVERSED_STATEMENT]
    if len(flipped) >= REVERSED_TO_FAIL:
        return flags
    return [m for m in flags if m.statement != REVERSED_STATEMENT]
