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
Entry = tuple[list[Any], list[Any] | None]  # an entry as kept: its row part, its results part
Shown = Callable[[Listing], object]
"""Called with the rows known from the index (and no results) before anything else is read."""
Progress = Callable[[Listing, int, int], bool]
"""Called with what is known so far, how many transcripts were read and how many are to be
read; returns False to stop reading (what was read is kept)."""


class Indexed(NamedTuple):
    listing: Listing
    # A digest of the index as kept, which the listing follows from; None if it could not be
    # kept. The schedule (core/scheduling.py) uses it to know that nothing changed.
    digest: str | None


def update(root: Path, progress: Progress | None = None, shown: Shown | None = None) -> Indexed:
    """Every session in ``root``: rows and results from the index where a file is unchanged,
    read from the transcript where it is new or changed (newest first), and the index kept.
    ``shown`` hears the rows known from the index (no results yet) before the rest is read."""
    index_path = root / INDEX_NAME
    raw, old_rows, old_results, _ = _load(index_path)
    try:
        scan = list(os.scandir(root))
    except FileNotFoundError:
        return Indexed(Listing([], [], []), None)
    except OSError as exc:  # a file, or a folder we may not read
        raise StoreError(f"cannot list the sessions folder {root}: {exc.strerror}") from None
    known: dict[str, Found | str] = {}  # by file name: row and results, or why unreadable
    entries: dict[str, Entry] = {}  # the index to keep
    links: list[Unreadable] = []  # dangling or looping links: listed, never followed
    to_read: list[tuple[str, list[int]]] = []
    rows: dict[str, tuple[SessionRow, list[int]]] = {}  # from the index, results still to check
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
        try:
            row = _decode_row(name, key, old_rows.get(name))
        except (ValueError, OverflowError, RecursionError):  # damaged: read the file again
            row = None
        if row is None:
            to_read.append((name, key))
        elif isinstance(row, str):
            known[name] = row
            entries[name] = (old_rows[name], None)
        else:
            rows[name] = (row, key)
    if shown is not None and rows:
        shown(_listing({n: (r, _NO_RESULTS) for n, (r, _) in rows.items()}, links, known))
    results_by_name = old_results()
    for name, (row, key) in rows.items():
        part = results_by_name.get(name)
        try:
            results = _decode_results(row, part)
        except (ValueError, OverflowError, RecursionError):
            results = None
        if results is None:
            to_read.append((name, key))
        else:
            known[name] = (row, results)
            entries[name] = (old_rows[name], part)
    changed = bool(to_read) or entries.keys() != old_rows.keys() or (raw is None and bool(entries))
    to_read.sort(reverse=True)  # session ids are dates: the top of the history first
    last, wait = time.monotonic(), PROGRESS_SECONDS
    if to_read and progress is not None and not progress(_listing(known, links), 0, len(to_read)):
        to_read = []
    found: Found | str
    for done, (name, key) in enumerate(to_read, 1):
        try:
            t = transcript.read_transcript(root / name)
            found = known[name] = (t.row(name), t.results())
        except transcript.TranscriptError as exc:
            found = known[name] = exc.reason
        entries[name] = _split(_encode(key, found))
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


def _listing(
    known: Mapping[str, Found | str],
    links: list[Unreadable],
    *more: Mapping[str, Found | str],
) -> Listing:
    rows: list[SessionRow] = []
    results: list[SessionResults] = []
    bad = list(links)
    for found_by_name in (known, *more):
        for name, found in found_by_name.items():
            if isinstance(found, str):
                bad.append(Unreadable(name, found))
            elif found[1] is _NO_RESULTS:
                rows.append(found[0])
            else:
                rows.append(found[0])
                results.append(found[1])
    rows.sort(key=lambda r: (r.created, r.id), reverse=True)
    results.sort(key=lambda r: (r.created, r.id))
    bad.sort(key=lambda u: u.file)
    return Listing(rows, bad, results)


# --------------------------------------------------------------------------- the file


def _load(path: Path) -> tuple[bytes | None, dict[str, Any], Callable[[], dict[str, Any]], int]:
    """The index's bytes, its rows by file name, what gives its results by file name (parsed
    only when asked: the rows are shown first), and its version. No rows if it is missing,
    damaged or of an unknown version (and None for the bytes, so that it is written again)."""
    try:  # a regular file only: a named pipe would block for ever, /dev/zero never end
        raw = read_regular_file(path, MAX_INDEX_BYTES)
    except StoreError:
        return None, {}, dict, INDEX_VERSION
    return _load_data(raw)


def _load_data(
    raw: bytes,
) -> tuple[bytes | None, dict[str, Any], Callable[[], dict[str, Any]], int]:
    nothing: tuple[None, dict[str, Any], Callable[[], dict[str, Any]], int]
    nothing = None, {}, dict, INDEX_VERSION
    try:
        head, _, tail = raw.partition(b"\n")
        index = json.loads(head, parse_constant=_no_constant)
        version = index.get("version")
        rows = index["rows" if version == INDEX_VERSION else "entries"]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return nothing
    if not isinstance(rows, dict) or version not in (*TAKEN_OVER, INDEX_VERSION):
        return nothing
    if version == INDEX_VERSION:
        return raw, rows, lambda: _results_part(tail), version
    split = {name: _split(_old(name, entry, version)) for name, entry in rows.items()}
    results = {name: part for name, (_, part) in split.items()}
    return None, {name: row for name, (row, _) in split.items()}, lambda: results, version


def _results_part(data: bytes) -> dict[str, Any]:
    """The results by file name, from the index's second line; none if it is damaged (then
    every transcript is read again)."""
    try:
        results = json.loads(data, parse_constant=_no_constant)["results"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return {}
    return results if isinstance(results, dict) else {}


def _old(name: str, entry: Any, version: int) -> Any:
    """An entry of an index of a version before, in the current form (then checked as any), or
    None if it cannot be."""
    if version == 5:
        return flattened_v5(entry)
    key = entry.get("key") if isinstance(entry, dict) else None
    if type(key) is not list or len(key) != 2:
        return None
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


def _save(path: Path, entries: Mapping[str, Entry]) -> str | None:
    data = index_data(entries)
    try:
        atomic_write(path, data)
    except OSError:  # a read-only history can still be listed
        return None
    return _digest(data)


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.blake2b(data, digest_size=16).hexdigest()


def index_data(entries: Mapping[str, Entry]) -> bytes:
    """The index file: a line of the rows (what the table needs, read first), then a line of
    the results (what trends, weak spots and the schedule need)."""
    rows = {name: row for name, (row, _) in entries.items()}
    results = {name: part for name, (_, part) in entries.items() if part is not None}
    head = json.dumps({"version": INDEX_VERSION, "rows": rows})
    return f"{head}\n{json.dumps({'results': results})}".encode()


def flat_entries(data: bytes) -> dict[str, list[Any]]:
    """Each entry of an index file as one array, its row then its results (_encode's form):
    for tests and tools that look inside."""
    _, rows, results, _ = _load_data(data)
    parts = results()
    return {name: [*row, *(parts.get(name) or [])] for name, row in rows.items()}


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
_FINITE = (-math.inf, math.inf)
_STR, _INT, _BOOL, _NUMBERS = (
    frozenset([str]),
    frozenset([int]),
    frozenset([bool]),
    frozenset(_NUMBER),
)
_FIXED = 11  # key, id, created, mode, difficulty, status, questions, answered, score, duration
_NO_RESULTS = SessionResults("", "", None, (), ())  # a row shown before its results are read


def _split(entry: Any) -> Entry:
    """An entry (_encode's form) as it is kept: its row part (up to its topics) and its results
    part (None for an unreadable file's). What does not fit is left whole in the row part, whose
    check then fails: the transcript is read again."""
    if type(entry) is not list or len(entry) <= _FIXED or entry[2] is None:
        return entry, None
    count = entry[_FIXED]
    if type(count) is not int or count < 0 or _FIXED + 1 + count > len(entry):
        return entry, None
    return entry[: _FIXED + 1 + count], entry[_FIXED + 1 + count :]


def written(entries: Mapping[str, list[Any]]) -> bytes:
    """An index file of entries in _encode's form (what flat_entries gives): for tests."""
    return index_data({name: _split(entry) for name, entry in entries.items()})


def _run(entry: list[Any], at: int, width: int) -> tuple[list[Any], int]:
    """The items of the run of ``width``-wide items counted at ``at``, and where the next
    begins; ValueError if the count is not one or the entry ends too soon."""
    count = entry[at] if at < len(entry) else None
    end = at + 1 + count * width if type(count) is int and count >= 0 else -1
    if end > len(entry) or end < 0:
        raise ValueError("cut short")
    return entry[at + 1 : end], end


def _decode(name: str, key: list[int], entry: Any) -> Found | str | None:
    """An entry in _encode's form, as it was indexed, if it is for this very file and whole;
    else None."""
    row_part, results_part = _split(entry)
    row = _decode_row(name, key, row_part)
    if row is None or isinstance(row, str):
        return row
    results = _decode_results(row, results_part)
    return None if results is None else (row, results)


def _decode_row(name: str, key: list[int], entry: Any) -> SessionRow | str | None:
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


def _decode_results(row: SessionRow, entry: Any) -> SessionResults | None:
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
