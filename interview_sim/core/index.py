"""The listing index (INDEX_NAME, beside the transcripts): each transcript's row and results,
keyed by the file's modification time and size, so that a listing reads only the transcripts
that are new or changed since they were indexed.

The transcripts are the truth. An entry that does not match its file, or that is damaged in any
way, is read again from the transcript; an index of version 4 or 5 (the ones before) is taken
over entry by entry. Reading thousands of transcripts takes seconds, so ``update`` reports its
progress with what is already known, reads the newest first, and keeps the index every
CHECKPOINT files, so that an interrupted rebuild goes on where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from interview_sim.core import transcript
from interview_sim.core.files import StoreError, atomic_write, file_problem, read_regular_file
from interview_sim.core.index_upgrade import (
    TAKEN_OVER,
    flattened_v5,
    json_round_trip,
    row_and_results_v4,
)
from interview_sim.core.rows import Listing, SessionResults, SessionRow, Unreadable

INDEX_NAME = ".index.json"
# 2: results kept with each row; 3: scores count follow-ups; 4: reviews; 5: entries as arrays;
# 6: each entry one flat array (versions 4 and 5 are taken over: core/index_upgrade.py)
INDEX_VERSION = 6
MAX_INDEX_BYTES = 256 * 1024 * 1024  # the index of 5,000 sessions is about 3.4 MB
CHECKPOINT = 500  # transcripts read between two saves of the index
PROGRESS_SECONDS = 0.25  # at most this often, progress is reported while reading,
PROGRESS_SHARE = 0.2  # and it may take this share of the time at most (drawing 5,000 rows)

Found = tuple[SessionRow, SessionResults]
Progress = Callable[[Listing, int, int], bool]
"""Called with what is known so far, how many transcripts were read and how many are to be
read; returns False to stop reading (what was read is kept)."""


class Indexed(NamedTuple):
    listing: Listing
    # A digest of the index as kept, which the listing follows from; None if it could not be
    # kept. The schedule (core/scheduling.py) uses it to know that nothing changed.
    digest: str | None


def update(root: Path, progress: Progress | None = None) -> Indexed:
    """Every session in ``root``: rows and results from the index where a file is unchanged,
    read from the transcript where it is new or changed (newest first), and the index kept."""
    index_path = root / INDEX_NAME
    raw, old, version = _load(index_path)
    try:
        scan = list(os.scandir(root))
    except FileNotFoundError:
        return Indexed(Listing([], [], []), None)
    except OSError as exc:  # a file, or a folder we may not read
        raise StoreError(f"cannot list the sessions folder {root}: {exc.strerror}") from None
    known: dict[str, Found | str] = {}  # by file name: row and results, or why unreadable
    entries: dict[str, Any] = {}  # the index to keep
    links: list[Unreadable] = []  # dangling or looping links: listed, never followed
    to_read: list[tuple[str, list[int]]] = []
    for entry in scan:
        name = entry.name
        if not name.endswith(".yaml") or name.startswith("."):
            continue
        try:
            st = entry.stat()
        except OSError as exc:
            if entry.is_symlink():
                links.append(Unreadable(name, file_problem(exc)))
            continue  # otherwise deleted since the scan
        key = [st.st_mtime_ns, st.st_size]
        cached = old.get(name)
        if version != INDEX_VERSION:
            cached = _old(name, key, cached, version)
        try:
            found = _decode(name, key, cached)
        except (ValueError, OverflowError, RecursionError):  # damaged: read the file again
            found = None
        if found is None:
            to_read.append((name, key))
        else:
            known[name] = found
            entries[name] = cached
    changed = bool(to_read) or entries.keys() != old.keys() or (raw is None and bool(entries))
    to_read.sort(reverse=True)  # session ids are dates: the top of the history first
    last, wait = time.monotonic(), PROGRESS_SECONDS
    if to_read and progress is not None and not progress(_listing(known, links), 0, len(to_read)):
        to_read = []
    for done, (name, key) in enumerate(to_read, 1):
        try:
            t = transcript.read_transcript(root / name)
            found = known[name] = (t.row(name), t.results())
        except transcript.TranscriptError as exc:
            found = known[name] = exc.reason
        entries[name] = _encode(key, found)
        if done % CHECKPOINT == 0 and done < len(to_read):
            _save(index_path, entries)
        due = done < len(to_read) and time.monotonic() - last >= wait
        if progress is not None and due:
            began = time.monotonic()
            go_on = progress(_listing(known, links), done, len(to_read))
            last = time.monotonic()
            wait = max(PROGRESS_SECONDS, (last - began) / PROGRESS_SHARE - (last - began))
            if not go_on:
                break
    digest = _save(index_path, entries) if changed else _digest(raw)
    return Indexed(_listing(known, links), digest)


def _listing(known: Mapping[str, Found | str], links: list[Unreadable]) -> Listing:
    rows: list[SessionRow] = []
    results: list[SessionResults] = []
    bad = list(links)
    for name, found in known.items():
        if isinstance(found, str):
            bad.append(Unreadable(name, found))
        else:
            rows.append(found[0])
            results.append(found[1])
    rows.sort(key=lambda r: (r.created, r.id), reverse=True)
    results.sort(key=lambda r: (r.created, r.id))
    bad.sort(key=lambda u: u.file)
    return Listing(rows, bad, results)


# --------------------------------------------------------------------------- the file


def _load(path: Path) -> tuple[bytes | None, dict[str, Any], int]:
    """The index's bytes, entries and version; no entries if it is missing, damaged or of an
    unknown version (and None for the bytes, so that it is written again)."""
    try:  # a regular file only: a named pipe would block for ever, /dev/zero never end
        raw = read_regular_file(path, MAX_INDEX_BYTES)
        index = json.loads(raw, parse_constant=_no_constant)
        version = index.get("version")
        entries = index["entries"] if version in (*TAKEN_OVER, INDEX_VERSION) else None
    except (StoreError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None, {}, INDEX_VERSION
    if not isinstance(entries, dict):
        return None, {}, INDEX_VERSION
    return (raw if version == INDEX_VERSION else None), entries, version


def _old(name: str, key: list[int], entry: Any, version: int) -> Any:
    """An entry of an index of a version before, in the current form (then checked as any), or
    None if it cannot be."""
    if version == 5:
        return flattened_v5(entry)
    found = row_and_results_v4(name, key, entry)
    if found is None or isinstance(found, str):
        return found if found is None else [*key, None, found]
    try:
        return json_round_trip(_encode(key, found))
    except (TypeError, ValueError, RecursionError):  # not the shape of a version 4 entry
        return None


def _no_constant(name: str) -> None:
    """NaN and Infinity become null, which no field of an entry takes: the file is read again."""
    return None


def _save(path: Path, entries: Mapping[str, list[Any]]) -> str | None:
    data = json.dumps({"version": INDEX_VERSION, "entries": entries}).encode()
    try:
        atomic_write(path, data)
    except OSError:  # a read-only history can still be listed
        return None
    return _digest(data)


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.blake2b(data, digest_size=16).hexdigest()


# --------------------------------------------------------------------------- entries


def _encode(key: list[int], found: Found | str) -> list[Any]:
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
_STR, _INT, _BOOL, _NUMBERS = (
    frozenset([str]),
    frozenset([int]),
    frozenset([bool]),
    frozenset(_NUMBER),
)
_FINITE = (-math.inf, math.inf)
_FIXED = 11  # key, id, created, mode, difficulty, status, questions, answered, score, duration


def _run(entry: list[Any], at: int, width: int) -> tuple[list[Any], int]:
    """The items of the run of ``width``-wide items counted at ``at``, and where the next
    begins; ValueError if the count is not one or the entry ends too soon."""
    count = entry[at]
    end = at + 1 + count * width if type(count) is int and count >= 0 else -1
    if end > len(entry) or end < 0:
        raise ValueError("cut short")
    return entry[at + 1 : end], end


def _decode(name: str, key: list[int], entry: Any) -> Found | str | None:
    """An entry as it was indexed, if it is for this very file and whole; else None: a damaged
    index is read again, never trusted."""
    if type(entry) is not list or len(entry) < 4 or entry[0] != key[0] or entry[1] != key[1]:
        return None
    if entry[2] is None:
        return entry[3] if len(entry) == 4 and type(entry[3]) is str else None
    if len(entry) < _FIXED + 4:
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
    try:
        topics, at = _run(entry, _FIXED, 1)
        flat, at = _run(entry, at, 3)
        missed, at = _run(entry, at, 1)
        done, at = _run(entry, at, 5)
    except ValueError:
        return None
    if at != len(entry):
        return None
    # Each kind of field checked at once (its types as a set): this runs 5,000 times an open.
    texts = topics + missed + flat[0::3] + flat[1::3] + done[0::5] + done[1::5]
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
    score = None if score is None else float(score)
    row = SessionRow(
        sid,
        name,
        created,
        mode,
        tuple(topics),
        difficulty,
        questions,
        answered,
        score,
        float(duration),
        status,
    )
    return row, SessionResults(sid, created, score, answers, tuple(missed), reviews)
