"""The sessions folder: where transcripts and their reports are kept, and how they are listed.

What a transcript says is ``transcript``'s business, what the listing index keeps is
``index``'s; this module only knows files. Start-up needs no more than a store that can check
the folder is writable, so both are imported only by the methods that read transcripts.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_sim.core.files import (
    MAX_TRANSCRIPT_BYTES,
    CrashHook,
    StoreError,
    atomic_write,
    file_problem,
    read_regular_file,
)

if TYPE_CHECKING:
    from interview_sim.core.index import Indexed, Progress, Shown
    from interview_sim.core.lock import SessionLock
    from interview_sim.core.rows import Listing, Review, SessionResults, SessionRow, Unreadable
    from interview_sim.core.transcript import Transcript

_ROWS = frozenset({"Listing", "Review", "SessionResults", "SessionRow", "Unreadable"})


def __getattr__(name: str) -> Any:
    """The row types, from rows when first asked for: start-up checks the folder only."""
    if name in _ROWS:
        from interview_sim.core import rows

        return getattr(rows, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [  # what others take from here (files and rows were defined here once)
    "MAX_TRANSCRIPT_BYTES",
    "STALE_AFTER",
    "CrashHook",
    "Listing",
    "Review",
    "SessionResults",
    "SessionRow",
    "SessionStore",
    "StoreError",
    "Unreadable",
    "atomic_write",
    "file_problem",
    "read_regular_file",
]

# What our writers name their temporaries (atomic_write, the writability probe), with the
# writer's pid; and lock files (core/lock.py). Kept this long, a temporary's writer is gone.
_TEMP_RE = re.compile(r"\..+\.(\d+)\.tmp|\.write-test-(\d+)")
_LOCK_RE = re.compile(r"\.\d{8}-\d{6}-[0-9a-f]{4}\.lock")
STALE_AFTER = 3600.0

_ID_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")


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
        now = time.time() if now is None else now
        removed: list[str] = []
        try:
            entries = [e for e in os.scandir(self.root) if e.name.startswith(".")]
        except OSError:
            return removed
        for entry in entries:
            if not (_TEMP_RE.fullmatch(entry.name) or _LOCK_RE.fullmatch(entry.name)):
                continue
            from interview_sim.core.lock import pid_alive, sweep_lock  # when there is one

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
        from interview_sim.core.printable import without_surrogates

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
        return self.indexed().listing

    def indexed(self, progress: Progress | None = None, shown: Shown | None = None) -> Indexed:
        """The listing and the digest of the index it follows from; ``progress`` hears how
        reading new or changed transcripts goes, ``shown`` the rows first (core/index.py)."""
        from interview_sim.core.index import update

        return update(self.root, progress, shown)
