"""The listing index's entries (core/index.py): one session's row and results as flat arrays,
and their checks. Kept as two parts, the row (read first: the table shows it) and the results
(what trends, weak spots and the schedule need)."""

from __future__ import annotations

import math
from typing import Any

from interview_sim.core.rows import SessionResults, SessionRow

Found = tuple[SessionRow, SessionResults]
Entry = tuple[list[Any], list[Any] | None]  # an entry as kept: its row part, its results part


def encode(key: list[int], found: Found | str) -> list[Any]:
    """[mtime_ns, size, null, reason] for an unreadable file; else one flat array: [mtime_ns,
    size], the row (but its file name, the entry's name) and the results (but what the row
    already says), each list of them as its length then its items, flattened. Flat, because
    every nested array is one more object to make and for the garbage collector to walk: at
    5,000 sessions those (about 65,000) cost more than reading the file."""
    if isinstance(found, str):
        return [*key, None, found]
    row, results = found
    entry: list[Any] = [
        *key,
        row.id,
        row.created,
        row.mode,
        row.difficulty,
        row.status,
        row.questions,
        row.answered,
        row.score,
        row.duration,
        len(row.topics),
        *row.topics,
        len(results.answers),
    ]
    for answer in results.answers:
        entry += answer
    entry.append(len(results.missed))
    entry += results.missed
    entry.append(len(results.reviews))
    for review in results.reviews:
        entry += review
    return entry


_NUMBER = (int, float)
_FINITE = (-math.inf, math.inf)
_STR, _INT, _BOOL, _NUMBERS = (
    frozenset([str]),
    frozenset([int]),
    frozenset([bool]),
    frozenset(_NUMBER),
)
_FIXED = 11  # key, id, created, mode, difficulty, status, questions, answered, score, duration
NO_RESULTS = SessionResults("", "", None, (), ())  # a row shown before its results are read


def split(entry: Any) -> Entry:
    """An entry (encode's form) as it is kept: its row part (up to its topics) and its results
    part (None for an unreadable file's). What does not fit is left whole in the row part, whose
    check then fails: the transcript is read again."""
    if type(entry) is not list or len(entry) <= _FIXED or entry[2] is None:
        return entry, None
    count = entry[_FIXED]
    if type(count) is not int or count < 0 or _FIXED + 1 + count > len(entry):
        return entry, None
    return entry[: _FIXED + 1 + count], entry[_FIXED + 1 + count :]


def _run(entry: list[Any], at: int, width: int) -> tuple[list[Any], int]:
    """The items of the run of ``width``-wide items counted at ``at``, and where the next
    begins; ValueError if the count is not one or the entry ends too soon."""
    count = entry[at] if at < len(entry) else None
    end = at + 1 + count * width if type(count) is int and count >= 0 else -1
    if end > len(entry) or end < 0:
        raise ValueError("cut short")
    return entry[at + 1 : end], end


def decode(name: str, key: list[int], entry: Any) -> Found | str | None:
    """An entry in encode's form, as it was indexed, if it is for this very file and whole;
    else None."""
    row_part, results_part = split(entry)
    row = decode_row(name, key, row_part)
    if row is None or isinstance(row, str):
        return row
    results = decode_results(row, results_part)
    return None if results is None else (row, results)


def decode_row(name: str, key: list[int], entry: Any) -> SessionRow | str | None:
    """A row part as it was indexed (or why the file is unreadable), if it is for this very
    file and whole; else None: a damaged index is read again, never trusted."""
    if type(entry) is not list or len(entry) < 4 or entry[0] != key[0] or entry[1] != key[1]:
        return None
    if entry[2] is None:
        return entry[3] if len(entry) == 4 and type(entry[3]) is str else None
    if len(entry) <= _FIXED:
        return None
    sid, created, mode, difficulty, status, questions, answered, score, duration = entry[2:_FIXED]
    if not (
        type(sid) is str
        and type(created) is str
        and type(mode) is str
        and type(difficulty) is str
        and type(status) is str
        and type(questions) is int
        and type(answered) is int
        and (score is None or (type(score) in _NUMBER and _FINITE[0] < score < _FINITE[1]))
        and type(duration) in _NUMBER
        and _FINITE[0] < duration < _FINITE[1]
    ):
        return None
    topics, at = _run(entry, _FIXED, 1)
    if at != len(entry) or not _STR.issuperset(map(type, topics)):
        return None
    return SessionRow(
        sid,
        name,
        created,
        mode,
        tuple(topics),
        difficulty,
        questions,
        answered,
        None if score is None else float(score),
        float(duration),
        status,
    )


def decode_results(row: SessionRow, entry: Any) -> SessionResults | None:
    """A results part ([answers, missed, reviews], each counted then flattened) as indexed, if
    whole; else None."""
    if type(entry) is not list:
        return None
    flat, at = _run(entry, 0, 3)
    missed, at = _run(entry, at, 1)
    done, at = _run(entry, at, 5)
    if at != len(entry):
        return None
    # Each kind of field checked at once (its types as a set): this runs 5,000 times an open.
    texts = missed + flat[0::3] + flat[1::3] + done[0::5] + done[1::5]
    numbers = done[2::5] + done[4::5]
    if not (
        _STR.issuperset(map(type, texts))
        and _INT.issuperset(map(type, flat[2::3]))
        and _BOOL.issuperset(map(type, done[3::5]))
        and _NUMBERS.issuperset(map(type, numbers))
        and math.isfinite(sum(numbers))  # no infinity (nor NaN, though JSON gives none)
    ):
        return None
    answers = tuple(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
    reviews = tuple(
        zip(
            done[0::5],
            done[1::5],
            map(float, done[2::5]),
            done[3::5],
            map(float, done[4::5]),
            strict=True,
        )
    )
    return SessionResults(row.id, row.created, row.score, answers, tuple(missed), reviews)
