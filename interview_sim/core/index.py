"""The listing index (INDEX_NAME, beside the transcripts): each transcript's row and results,
keyed by the file's modification time and size, so that a listing reads only the transcripts
that are new or changed since they were indexed.

The transcripts are the truth. An entry that does not match its file, or that is damaged in any
way, is read again from the transcript; a version 4 index (the one before) is taken over entry
by entry. Reading thousands of transcripts takes seconds, so ``update`` reports its
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
from interview_sim.core.rows import Listing, SessionResults, SessionRow, Unreadable

INDEX_NAME = ".index.json"
# 2: results kept with each row; 3: scores count follow-ups; 4: reviews; 5: entries as arrays
INDEX_VERSION = 5
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
    raw, old = _load(index_path)
    try:
        scan = list(os.scandir(root))
    except FileNotFoundError:
        return Indexed(Listing([], [], []), None)
    except OSError as exc:  # a file, or a folder we may not read
        raise StoreError(f"cannot list the sessions folder {root}: {exc.strerror}") from None
    known: dict[str, Found | str] = {}  # by file name: row and results, or why unreadable
    entries: dict[str, list[Any]] = {}  # the index to keep
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
        try:
            found = _decode(name, key, cached)
        except (ValueError, OverflowError, RecursionError):  # damaged: read the file again
            found = None
        if found is None:
            to_read.append((name, key))
        else:
            known[name] = found
            entries[name] = cached if isinstance(cached, list) else _encode(key, found)
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


def _load(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    """The index's bytes and entries; no entries if it is missing, damaged or of an unknown
    version (and None for the bytes, so that it is written again)."""
    try:  # a regular file only: a named pipe would block for ever, /dev/zero never end
        raw = read_regular_file(path, MAX_INDEX_BYTES)
        index = json.loads(raw, parse_constant=_no_constant)
        entries = index["entries"] if index.get("version") in (4, INDEX_VERSION) else None
    except (StoreError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None, {}
    if not isinstance(entries, dict):
        return None, {}
    return (raw if index["version"] == INDEX_VERSION else None), entries


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
    """[mtime_ns, size, null, reason] for an unreadable file; else [mtime_ns, size] and the row
    (but its file name, the entry's name) and results (but what the row already says)."""
    if isinstance(found, str):
        return [*key, None, found]
    row, results = found
    return [
        *key,
        row.id,
        row.created,
        row.mode,
        list(row.topics),
        row.difficulty,
        row.questions,
        row.answered,
        row.score,
        row.duration,
        row.status,
        [list(a) for a in results.answers],
        list(results.missed),
        [list(r) for r in results.reviews],
    ]


_NUMBER = (int, float)
_FINITE = (-math.inf, math.inf)


def _decode(name: str, key: list[int], entry: Any) -> Found | str | None:
    """An entry as it was indexed, if it is for this very file and whole; else None: a damaged
    index is read again, never trusted."""
    if isinstance(entry, dict):  # version 4
        return _decode_v4(name, key, entry)
    if type(entry) is not list or entry[:2] != key:
        return None
    if len(entry) == 4:
        return entry[3] if entry[2] is None and type(entry[3]) is str else None
    if len(entry) != 15:
        return None
    _, _, sid, created, mode, topics, difficulty, questions, answered = entry[:9]
    score, duration, status, answers, missed, reviews = entry[9:]
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
        and type(topics) is list
        and type(missed) is list
    ):
        return None
    try:
        "".join(topics)  # strings, and nothing else
        "".join(missed)
        answers_ = tuple([(q, t, s) for q, t, s in answers])
        reviews_ = tuple([(q, t, float(s), h, float(at)) for q, t, s, h, at in reviews])
    except (TypeError, ValueError):  # not lists, nor of three and five
        return None
    for q, t, s in answers_:
        if type(q) is not str or type(t) is not str or type(s) is not int:
            return None
    for q, t, s, h, at in reviews_:
        if type(q) is not str or type(t) is not str or type(h) is not bool:
            return None
        if not (_FINITE[0] < s < _FINITE[1] and _FINITE[0] < at < _FINITE[1]):
            return None
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
    return row, SessionResults(sid, created, score, answers_, tuple(missed), reviews_)


def _decode_v4(name: str, key: list[int], item: Mapping[str, Any]) -> Found | str | None:
    """A version 4 entry ({"key", "row", "results"} or {"key", "error"}), checked as closely."""
    if item.get("key") != key:
        return None
    if isinstance(item.get("error"), str):
        return str(item["error"])
    raw: Any = item.get("row")
    done: Any = item.get("results")
    try:
        same = (done["id"], done["created"], done["score"]) == (
            raw["id"],
            raw["created"],
            raw["score"],
        )
        if raw["file"] != name or not same:
            return None
        row = SessionRow(**{**raw, "topics": tuple(raw["topics"])})
        entry = _encode(key, (row, SessionResults(**done)))
    except (TypeError, KeyError):
        return None
    return _decode(name, key, json.loads(json.dumps(entry), parse_constant=_no_constant))
