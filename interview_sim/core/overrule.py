"""Overruling the grader: the person marks a concept it missed as covered ("I covered this"),
or a wrong claim it flagged as one they never made ("Not what I said"). The record's score
becomes self-assessed, the grader's own stays beside it in the grade, and what was written is
collected for bank authors (`interview-sim banks suggest-aliases`): phrases they may add as
aliases, and aliases that fired where they should not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

from interview_sim.core.bank import Bank
from interview_sim.core.explain import nearest_phrase
from interview_sim.core.grading import GradeResult
from interview_sim.core.grading import _score as grader_score  # the grader's rule, not a copy
from interview_sim.core.printable import printable_line
from interview_sim.core.report import gradable_for
from interview_sim.core.session import AnswerRecord
from interview_sim.core.settings import HINT_SCORE_CAP, SessionError
from interview_sim.core.transcript import Transcript


def overrulable(record: AnswerRecord) -> list[str]:
    """The concepts the person may still mark as covered: missed, not yet overruled; none
    for a skipped step (nothing was written)."""
    if record.outcome == "skipped":
        return []
    return [c.name for c in record.grade.missed if c.name not in record.overruled]


def overrule(record: AnswerRecord, concept: str) -> AnswerRecord:
    """The record with `concept` counted as covered and the score worked out again."""
    if concept not in overrulable(record):
        raise SessionError(f"{concept!r} is not a missed concept of {record.item_id}")
    return _corrected(record, (*record.overruled, concept), record.disputed)


def disputable(record: AnswerRecord) -> list[str]:
    """The statements of flagged claims the person may still say they never made: a bank
    misconception or a claim stated the other way round, not an overclaim (which only costs
    points); none for a skipped step."""
    if record.outcome == "skipped":
        return []
    out: list[str] = []
    for m in record.grade.misconceptions:
        if m.fails and m.statement not in record.disputed and m.statement not in out:
            out.append(m.statement)
    return out


def dispute(record: AnswerRecord, statement: str) -> AnswerRecord:
    """The record with every flag of `statement` dropped and the score worked out again."""
    if statement not in disputable(record):
        raise SessionError(f"{statement!r} is not a claim flagged in {record.item_id}")
    return _corrected(record, record.overruled, (*record.disputed, statement))


def _corrected(
    record: AnswerRecord, overruled: tuple[str, ...], disputed: tuple[str, ...]
) -> AnswerRecord:
    """The record with the person's corrections, its score worked out again from them."""
    score = self_assessed_score(record.grade, overruled, record.hint_used, disputed)
    return replace(record, overruled=overruled, disputed=disputed, score=score)


def self_assessed_score(
    grade: GradeResult, overruled: Iterable[str], hint_used: bool, disputed: Iterable[str] = ()
) -> int:
    """The grader's own rule applied to its findings as the person corrected them: overruled
    concepts counted as hit, disputed flags left out."""
    covered, unclaimed = set(overruled), set(disputed)
    results = [replace(c, matched=True) if c.name in covered else c for c in grade.concepts]
    stated = [m for m in grade.misconceptions if m.statement not in unclaimed]
    score = grader_score(results, stated, grade.keyword_list)
    return min(score, HINT_SCORE_CAP) if hint_used else score


class Suggestion(NamedTuple):
    item_id: str  # question id, or ID/FOLLOWUP
    concept: str
    phrases: list[tuple[str, int]]  # what people wrote, how many times; most first


def suggestions(transcripts: Iterable[Transcript], bank: Bank | None) -> list[Suggestion]:
    """Per concept people overruled: the phrase of their answer nearest the concept's aliases
    (the answer's start when none is near), for a bank author to consider as an alias."""
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for transcript in transcripts:
        for record in transcript.records:
            item = gradable_for(bank, record)
            concepts = {c.name: c for c in item.concepts} if item is not None else {}
            for name in record.overruled:
                near = nearest_phrase(concepts[name], record.answer) if name in concepts else None
                phrase = near.phrase if near is not None else " ".join(record.answer.split()[:8])
                found[record.item_id, name][printable_line(phrase)] += 1
    return [
        Suggestion(item_id, concept, sorted(phrases.items(), key=lambda kv: (-kv[1], kv[0])))
        for (item_id, concept), phrases in sorted(found.items())
    ]


class TooBroad(NamedTuple):
    item_id: str  # question id, or ID/FOLLOWUP
    statement: str  # the flagged claim
    fired: list[tuple[str, str, int]]  # (alias, the answer's words it fired on, times); most first


def too_broad(transcripts: Iterable[Transcript]) -> list[TooBroad]:
    """Per flagged claim people disputed ("Not what I said"): the alias that fired and the
    words of the answer it fired on, for a bank author to consider narrowing. A claim stated
    the other way round has no alias (it comes from the question's own text)."""
    found: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for transcript in transcripts:
        for record in transcript.records:
            for m in record.grade.misconceptions:
                if m.statement in record.disputed:
                    words = printable_line(record.answer[m.start : m.end])
                    found[record.item_id, m.statement][m.alias, words] += 1
    return [
        TooBroad(
            item_id,
            statement,
            [(a, w, n) for (a, w), n in sorted(fired.items(), key=lambda kv: (-kv[1], kv[0]))],
        )
        for (item_id, statement), fired in sorted(found.items())
    ]
