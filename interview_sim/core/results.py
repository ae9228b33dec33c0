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
