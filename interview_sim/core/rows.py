"""What the sessions folder knows of each session without reading it again: the history's row
and the results trends, weak spots and the schedule need. Written by ``transcript``, kept by
``index``, listed by ``store``; this module depends on none of them.

NamedTuples rather than frozen dataclasses: only built and read, many thousands at a time, and
cheap to define (the store is imported at start-up).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class SessionRow(NamedTuple):
    """What the history list needs of one session (kept in the index)."""

    id: str
    file: str
    created: str
    mode: str
    topics: tuple[str, ...]
    difficulty: str
    questions: int
    answered: int
    score: float | None
    duration: float
    status: str

    def to_json(self) -> dict[str, Any]:
        # shallow on purpose: asdict() deep-copies and dominated `review --json` on big histories
        return {**self._asdict(), "topics": list(self.topics)}


# (question id, topic, score with follow-ups, hint used or self-assessed, seconds into the
# session): one per main question, what the schedule learns (core/scheduling.py).
Review = tuple[str, str, float, bool, float]


class SessionResults(NamedTuple):
    """What score trends and weak-spot analysis need of one session. Kept in the index with
    the row, so that neither has to read every transcript (seconds for a long history)."""

    id: str
    created: str
    score: float | None
    answers: tuple[tuple[str, str, int], ...]  # main questions: (question id, topic, score)
    missed: tuple[str, ...]  # concepts missed (not bonus), once per answer that missed them
    # In the order asked; empty for a cram session, which leaves the schedule alone.
    reviews: tuple[Review, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            **self._asdict(),
            "answers": [list(a) for a in self.answers],
            "missed": list(self.missed),
            "reviews": [list(r) for r in self.reviews],
        }


class Unreadable(NamedTuple):
    file: str
    reason: str


class Listing(NamedTuple):
    rows: list[SessionRow]  # newest first
    unreadable: list[Unreadable]  # by file name
    results: list[SessionResults]  # oldest first
