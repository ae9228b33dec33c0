"""The sessions folder: where transcripts and their reports are kept, and the listing index.

What a transcript says is ``transcript``'s business; this module only knows files. Start-up
needs no more than a store that can check the folder is writable, so the transcript format
(and through it the engine) is imported only by the methods that read transcripts.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from interview_sim.core.transcript import Transcript

INDEX_NAME = ".index.json"
INDEX_VERSION = 3  # 2: results kept with each row; 3: scores count follow-ups
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


class SessionResults(NamedTuple):
    """What score trends and weak-spot analysis need of one session. Kept in the index with
    the row, so that neither has to read every transcript (seconds for a long history)."""

    id: str
    created: str
    score: float | None
    answers: tuple[tuple[str, str, int], ...]  # main questions: (question id, topic, score)
    missed: tuple[str, ...]  # concepts missed (not bonus), once per answer that missed them

    def to_json(self) -> dict[str, Any]:
        return {**self._asdict(), "answers": [list(a) for a in self.answers],
                "missed": list(self.missed)}


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
        probe = self.root / f".write-test-{os.getpid()}"
        try:
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StoreError(
                f"sessions folder {self.root} is not writable: {exc.strerror}"
            ) from None

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
        if not path.is_file():
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
        for entry in scan:
            name = entry.name
            if not name.endswith(".yaml") or name.startswith("."):
                continue
            try:
                st = entry.stat()
            except OSError:  # deleted since the scan
                continue
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
            }
        )
    except (TypeError, KeyError, ValueError):
        return None, None
    return (row, results), None
