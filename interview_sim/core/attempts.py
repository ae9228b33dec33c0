"""One question's attempts across sessions, side by side: what the question history shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_sim.core.retired import current_id
from interview_sim.core.session import question_scores
from interview_sim.core.store import Listing, SessionStore, StoreError

if TYPE_CHECKING:
    from interview_sim.core.session import AnswerRecord


@dataclass(frozen=True, slots=True)
class Attempt:
    session_id: str
    created: str
    score: float  # with follow-ups counted in (session.SCORE_RULE)
    outcome: str  # answered | timeout | skipped
    hint_used: bool
    answer: str
    hit: tuple[str, ...]
    missed: tuple[str, ...]  # required and optional, not bonus; overruled ones not counted
    follow_ups: tuple[tuple[str, str, int], ...]  # (prompt, answer, score)


def asked_questions(listing: Listing) -> list[str]:
    """Every question id answered in these sessions (current ids), most attempts first."""
    counts: dict[str, int] = {}
    for session in listing.results:
        for qid, _topic, _score in session.answers:
            key = current_id(qid)
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=lambda q: (-counts[q], q))


def attempts(store: SessionStore, listing: Listing, question_id: str) -> list[Attempt]:
    """The question's attempts, oldest first. Only the transcripts that hold it are read; one
    that cannot be read any more is left out (the history lists it as unreadable)."""
    from interview_sim.core.transcript import TranscriptError

    wanted = current_id(question_id)
    files = {row.id: row.file for row in reversed(listing.rows)}  # an original over its copy
    out: list[Attempt] = []
    for session in listing.results:
        if not any(current_id(q) == wanted for q, _, _ in session.answers):
            continue
        file = files.get(session.id)
        if file is None:
            continue
        try:
            transcript = store.load_file(file)
        except (StoreError, TranscriptError):
            continue
        out += _from_records(transcript.id, transcript.created, transcript.records, wanted)
    return out


def _from_records(
    session_id: str, created: str, records: Sequence[AnswerRecord], wanted: str
) -> list[Attempt]:
    found: list[Attempt] = []
    for main, score in question_scores(records):
        if current_id(main.question_id) != wanted:
            continue
        follow = [r for r in records if r.number == main.number and r.follow_up_id is not None]
        concepts = main.grade.concepts
        found.append(
            Attempt(
                session_id=session_id,
                created=created,
                score=round(score, 1),
                outcome=main.outcome,
                hint_used=main.hint_used or any(r.hint_used for r in follow),
                answer=main.answer,
                hit=tuple(c.name for c in concepts if c.matched),
                missed=tuple(
                    c.name
                    for c in concepts
                    if not c.matched and not c.bonus and c.name not in main.overruled
                ),
                follow_ups=tuple((r.prompt, r.answer, r.score) for r in follow),
            )
        )
    return found
