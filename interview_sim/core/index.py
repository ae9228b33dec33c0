"""The listing index (INDEX_NAME, beside the transcripts): each transcript's row and results,
keyed by the file's modification time and size, so that a listing reads only the transcripts
that are new or changed since they were indexed.

The file is two lines of JSON: the rows the history table needs, then the results trends, weak
spots and the schedule need, so that the rows are shown before the larger second line is read.
The transcripts are the truth. An entry that does not match its file, or that is damaged in any
way, is read again from the transcript; an index of version 4 or 5 (the ones before) is taken
over entry by entry. Reading thousands of transcripts takes seconds, so ``update`` reports its
progress with what is already known, reads the newest first, and keeps the index every
CHECKPOINT files, so that an interrupted rebuild goes on where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from interview_sim.core import transcript
from interview_sim.core.files import StoreError, atomic_write, file_problem, read_regular_file
from interview_sim.core.index_entries import (
    NO_RESULTS,
    Entry,
    Found,
    decode_results,
    decode_row,
    encode,
    split,
)
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
            row = decode_row(name, key, old_rows.get(name))
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
        shown(_listing({n: (r, NO_RESULTS) for n, (r, _) in rows.items()}, links, known))
    results_by_name = old_results()
    for name, (row, key) in rows.items():
        part = results_by_name.get(name)
        try:
            results = decode_results(row, part)
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
        entries[name] = split(encode(key, found))
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
            elif found[1] is NO_RESULTS:
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
    parts = {name: split(_old(name, entry, version)) for name, entry in rows.items()}
    results = {name: part for name, (_, part) in parts.items()}
    return None, {name: row for name, (row, _) in parts.items()}, lambda: results, version


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
        return json_round_trip(encode(key, found))
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


def written(entries: Mapping[str, list[Any]]) -> bytes:
    """An index file of entries in _encode's form (what flat_entries gives): for tests."""
    return index_data({name: split(entry) for name, entry in entries.items()})
