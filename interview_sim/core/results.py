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
# on answers we did not write a single one fired about as often on right answers as on wrong
# ones (README, "How the grader is evaluated"); a whole answer swapped holds two.
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
        """A wrong claim, which a person may dispute: a bank misconception (fails the answer)
        or a claim stated the other way round (costs points; two fail it, see ``failing``).
        Not an overclaim (core/overclaims.py), which only costs points."""
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
