"""The sessions folder: where transcripts and their reports are kept, and the listing index.

What a transcript says is ``transcript``'s business; this module only knows files. Start-up
needs no more than a store that can check the folder is writable, so the transcript format
(and through it the engine) is imported only by the methods that read transcripts.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from interview_sim.core.lock import SessionLock
    from interview_sim.core.transcript import Transcript

# What our writers name their temporaries (atomic_write, the writability probe), with the
# writer's pid; and lock files (core/lock.py). Kept this long, a temporary's writer is gone.
_TEMP_RE = re.compile(r"\..+\.(\d+)\.tmp|\.write-test-(\d+)")
_LOCK_RE = re.compile(r"\.\d{8}-\d{6}-[0-9a-f]{4}\.lock")
STALE_AFTER = 3600.0

INDEX_NAME = ".index.json"
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024  # a long session's transcript is well under 1 MB
INDEX_VERSION = 4  # 2: results kept with each row; 3: scores count follow-ups; 4: reviews
_ID_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")

CrashHook = Callable[[str], None]


class StoreError(Exception):
    """The sessions folder cannot be used (not writable, id not found, ...)."""


# --------------------------------------------------------------------------- atomic files


def atomic_write(path: Path, data: bytes, crash: CrashHook | None = None) -> None:
    """Write via a temporary file, flush, fsync, rename: readers see old or new, never torn.

    ``crash`` is for tests: it is called with the name of each step and may raise to
    simulate the process dying there.
    """
    step = crash or (lambda _name: None)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    step("open")
    try:
        with open(tmp, "wb") as fh:
            step("write")
            fh.write(data[: len(data) // 2])
            step("write-half")
            fh.write(data[len(data) // 2 :])
            step("flush")
            fh.flush()
            step("fsync")
            os.fsync(fh.fileno())
        step("rename")
        os.replace(tmp, path)
    except BaseException:  # a full disk, say: no partial temporary left behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    step("dir-fsync")
    with contextlib.suppress(OSError):  # not every platform can fsync a folder
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# --------------------------------------------------------------------------- the folder


# SessionRow and Unreadable are NamedTuples rather than frozen dataclasses: only built and
# read, and much cheaper to define (this module is imported at start-up).


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


Review = tuple[str, str, float, bool, float]


class SessionResults(NamedTuple):
    """What score trends and weak-spot analysis need of one session. Kept in the index with
    the row, so that neither has to read every transcript (seconds for a long history)."""

    id: str
    created: str
    score: float | None
    answers: tuple[tuple[str, str, int], ...]  # main questions: (question id, topic, score)
    missed: tuple[str, ...]  # concepts missed (not bonus), once per answer that missed them
    # What the schedule learns (core/scheduling.py), one per main question in the order asked:
    # (question id, topic, score with follow-ups, hint used or concepts overruled, seconds into
    # the session). Empty for a cram session, which leaves the schedule alone.
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


class SessionStore:
    """The sessions folder: transcripts, Markdown reports beside them, and a listing index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._locks: dict[str, SessionLock] = {}

    def lock(self, session_id: str) -> SessionLock:
        """This process's hold on a session (taken once; the same lock if already held).

        SessionLockedError when another process has it open."""
        from interview_sim.core.lock import SessionLock

        held = self._locks.get(session_id)
        if held is not None and held.held:
            return held
        try:
            lock = SessionLock.acquire(self.root, session_id)
        except OSError as exc:
            raise StoreError(
                f"cannot lock session {session_id} in {self.root}: {exc.strerror}"
            ) from None
        self._locks[session_id] = lock
        return lock

    def release(self, session_id: str) -> None:
        lock = self._locks.pop(session_id, None)
        if lock is not None:
            lock.release()

    def check_writable(self) -> None:
        """Fail before the interview starts, never after the person has answered."""
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"sessions folder {self.root} is not a folder")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create sessions folder {self.root}: {exc.strerror}") from None
        if not self.root.is_dir():
            raise StoreError(f"sessions folder {self.root} is not a folder")
        self.sweep_temporaries()
        probe = self.root / f".write-test-{os.getpid()}"
        try:
            probe.write_bytes(b"ok")
        except OSError as exc:
            raise StoreError(
                f"sessions folder {self.root} is not writable: {exc.strerror}"
            ) from None
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()

    def sweep_temporaries(self, now: float | None = None) -> list[str]:
        """Remove what our own writers left when they were killed mid-write: temporaries
        whose writer is gone or that are over STALE_AFTER seconds old, and lock files nobody
        holds. Anything not of our naming, or not a regular file, is left alone. Returns
        the names removed."""
        from interview_sim.core.lock import pid_alive, sweep_lock

        now = time.time() if now is None else now
        removed: list[str] = []
        try:
            entries = [e for e in os.scandir(self.root) if e.name.startswith(".")]
        except OSError:
            return removed
        for entry in entries:
            temporary = _TEMP_RE.fullmatch(entry.name)
            if temporary is not None:
                try:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    age = now - entry.stat(follow_symlinks=False).st_mtime
                    if pid_alive(int(temporary.group(1) or temporary.group(2))) and (
                        age < STALE_AFTER
                    ):
                        continue  # a live writer may still rename it
                    os.unlink(entry.path)
                except OSError:  # gone meanwhile, or a read-only folder
                    continue
                removed.append(entry.name)
            elif _LOCK_RE.fullmatch(entry.name) and sweep_lock(Path(entry.path)):
                removed.append(entry.name)
        return removed

    @staticmethod
    def new_id() -> str:
        import secrets  # here, not at start-up

        return f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"

    def path_for(self, session_id: str) -> Path:
        """The transcript for an id (or a file name in the folder); never outside the folder."""
        name = session_id.removesuffix(".yaml")
        if not _ID_RE.fullmatch(name):
            raise StoreError(f"{session_id!r} is not a session id (like 20261123-141502-ab12)")
        path = self.root / f"{name}.yaml"
        if not (path.exists() or path.is_symlink()):  # anything else: the reader says what
            raise StoreError(f"no session {name!r} in {self.root}")
        return path

    def save(
        self, transcript: Transcript, report_md: str | None = None, crash: CrashHook | None = None
    ) -> Path:
        path = self.root / f"{transcript.id}.yaml"
        atomic_write(path, transcript.dumps().encode("utf-8"), crash)
        if report_md is not None:
            atomic_write(path.with_suffix(".md"), report_md.encode("utf-8"), crash)
        return path

    def load(self, session_id: str) -> Transcript:
        from interview_sim.core.transcript import read_transcript

        path = self.path_for(session_id)
        return read_transcript(path)

    def load_file(self, file: str) -> Transcript:
        """A transcript by its file name in the folder: a copy (``backup copy.yaml``) holds the
        same session id as its original, so the history screen opens rows by file."""
        from interview_sim.core.transcript import read_transcript

        return read_transcript(self._own_file(file))

    def save_report(self, file: str, report_md: str) -> Path:
        """The Markdown report beside a transcript (by its file name), written atomically: a
        symbolic link in its place is replaced, never followed."""
        from interview_sim.core.controls import without_surrogates

        path = self._own_file(file).with_suffix(".md")
        atomic_write(path, without_surrogates(report_md).encode("utf-8"))
        return path

    def _own_file(self, file: str) -> Path:
        if Path(file).name != file or file.startswith(".") or not file.endswith(".yaml"):
            raise StoreError(f"{file!r} is not the name of a transcript in {self.root}")
        return self.root / file

    def rows(self) -> tuple[list[SessionRow], list[Unreadable]]:
        """Every session, newest first, and the unreadable files (see listing)."""
        listing = self.listing()
        return listing.rows, listing.unreadable

    def results(self) -> list[SessionResults]:
        """Every readable session's results, oldest first (see listing)."""
        return self.listing().results

    def listing(self) -> Listing:
        """Every session's row and results, using the index for files that have not changed
        (a transcript is read only when it is new or was written since it was indexed)."""
        import json  # here, not at start-up

        from interview_sim.core.transcript import TranscriptError, read_transcript

        index_path = self.root / INDEX_NAME
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
            entries: dict[str, Any] = (
                index["entries"] if index.get("version") == INDEX_VERSION else {}
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        if not isinstance(entries, dict):
            entries = {}
        rows: list[SessionRow] = []
        results: list[SessionResults] = []
        bad: list[Unreadable] = []
        fresh: dict[str, Any] = {}
        changed = False
        try:
            scan = list(os.scandir(self.root))
        except FileNotFoundError:
            return Listing([], [], [])
        except OSError as exc:  # a file, or a folder we may not read
            raise StoreError(
                f"cannot list the sessions folder {self.root}: {exc.strerror}"
            ) from None
        for entry in scan:
            name = entry.name
            if not name.endswith(".yaml") or name.startswith("."):
                continue
            try:
                st = entry.stat()
            except OSError as exc:
                if entry.is_symlink():  # dangling, or a loop of links: listed, never followed
                    bad.append(Unreadable(name, file_problem(exc)))
                continue  # otherwise deleted since the scan
            key = [st.st_mtime_ns, st.st_size]
            cached = entries.get(name)
            found, reason = (
                _from_index(cached)
                if isinstance(cached, dict) and cached.get("key") == key
                else (None, None)
            )
            if found is not None or reason is not None:
                fresh[name] = cached  # unchanged since it was indexed
            else:
                changed = True
                try:
                    transcript = read_transcript(Path(entry.path))
                    found = transcript.row(name), transcript.results()
                    fresh[name] = {
                        "key": key,
                        "row": found[0].to_json(),
                        "results": found[1].to_json(),
                    }
                except TranscriptError as exc:
                    reason = exc.reason
                    fresh[name] = {"key": key, "error": reason}
            if found is not None:
                rows.append(found[0])
                results.append(found[1])
            else:
                bad.append(Unreadable(name, str(reason)))
        if changed or set(entries) != set(fresh):
            index = {"version": INDEX_VERSION, "entries": fresh}
            with contextlib.suppress(OSError):  # a read-only history can still be listed
                atomic_write(index_path, json.dumps(index).encode())
        rows.sort(key=lambda r: (r.created, r.id), reverse=True)
        results.sort(key=lambda r: (r.created, r.id))
        bad.sort(key=lambda u: u.file)
        return Listing(rows, bad, results)


def _from_index(
    item: Mapping[str, Any],
) -> tuple[tuple[SessionRow, SessionResults] | None, str | None]:
    """A cached row and results, or reason; (None, None) when the entry is damaged and the
    file must be read again."""
    if isinstance(item.get("error"), str):
        return None, item["error"]
    raw: Any = item.get("row")
    done: Any = item.get("results")
    try:
        row = SessionRow(**{**raw, "topics": tuple(raw["topics"])})
        results = SessionResults(
            **{
                **done,
                "answers": tuple((str(q), str(t), int(s)) for q, t, s in done["answers"]),
                "missed": tuple(str(c) for c in done["missed"]),
                "reviews": tuple(
                    (str(q), str(t), float(s), bool(h), float(at))
                    for q, t, s, h, at in done["reviews"]
                ),
            }
        )
        numbers = (
            row.duration,
            row.score or 0.0,
            results.score or 0.0,
            *(n for r in results.reviews for n in (r[2], r[4])),
        )
        if not all(math.isfinite(n) for n in numbers):  # indexed by a version that read .nan
            return None, None
    except (TypeError, KeyError, ValueError):
        return None, None
    return (row, results), None


# --------------------------------------------------------------------------- reading files


def read_regular_file(path: Path, limit: int = MAX_TRANSCRIPT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Anything else (a FIFO, which
    would block forever, a device such as /dev/zero, which never ends, a folder, a file too
    large) raises StoreError with the reason; so does a file that cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise StoreError(file_problem(exc, path.is_symlink())) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"not a regular file ({_file_kind(st.st_mode)})")
        if st.st_size > limit:
            raise StoreError(f"too large ({_megabytes(st.st_size)}; at most {_megabytes(limit)})")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise StoreError(file_problem(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while being read
        raise StoreError(f"too large (over {_megabytes(limit)})")
    return data


def file_problem(exc: OSError, is_link: bool = True) -> str:
    """Why a file could not be opened, in words (ELOOP and ENOENT come from symbolic links)."""
    import errno

    if exc.errno == errno.ELOOP:
        return "a symbolic link in a loop (it never reaches a file)"
    if exc.errno == errno.ENOENT and is_link:
        return "a symbolic link to a file that does not exist"
    return f"cannot read ({exc.strerror})"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
