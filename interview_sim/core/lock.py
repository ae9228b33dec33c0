"""One process at a time writes a session: an advisory lock beside its transcript.

Two processes resuming one session would each rewrite the whole transcript from their own
memory, and the last writer silently drops the other's answers. The lock is an ``flock`` on
``.ID.lock`` in the sessions folder: the kernel releases it when the process ends, however it
ends (a SIGKILL included), so a crash never leaves a session locked. The file says who holds
it (pid and since when), for the message the second process shows.
"""

from __future__ import annotations

import contextlib
import os
import time
from datetime import datetime
from pathlib import Path

from interview_sim.core.files import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: sessions are not locked
    fcntl = None  # type: ignore[assignment]


class SessionLockedError(StoreError):
    """The session is open in another process."""

    def __init__(self, session_id: str, pid: int | None, since: datetime | None) -> None:
        self.session_id, self.pid, self.since = session_id, pid, since
        when = f" since {since.astimezone().strftime('%H:%M')}" if since else ""
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"session {session_id} is open in another terminal{when}{who}")


_BUSY_TRIES = 10  # a lock whose named holder is gone is tried again for about 0.2 s


def pid_alive(pid: int | None) -> bool:
    """Whether a process is running (or may be: an unknown pid counts as alive)."""
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def lock_path(folder: Path, session_id: str) -> Path:
    return folder / f".{session_id}.lock"


class SessionLock:
    """Held while a session is being written; ``release()`` (or the process ending) frees it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    @classmethod
    def acquire(cls, folder: Path, session_id: str) -> SessionLock:
        """Take the session's lock, or raise SessionLockedError naming the holder.

        OSError when the lock file cannot be created (the caller reports the folder)."""
        path = lock_path(folder, session_id)
        busy = 0
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid, since = _holder(fd)
                current = _same_file(fd, path)
                os.close(fd)
                busy += 1
                if current and (busy > _BUSY_TRIES or pid_alive(pid)):
                    raise SessionLockedError(session_id, pid, since) from None
                # held by nobody alive: a sweep (sweep_lock) holds it for an instant
                time.sleep(0.02)
                continue
            except BaseException:
                os.close(fd)
                raise
            if not _same_file(fd, path):  # removed by its last holder before we locked it
                os.close(fd)
                continue
            try:
                os.ftruncate(fd, 0)
                stamp = datetime.now().astimezone().isoformat(timespec="seconds")
                os.write(fd, f"{os.getpid()} {stamp}\n".encode())
            except OSError:  # a full disk: the lock holds all the same, without its label
                pass
            return cls(path, fd)

    def release(self) -> None:
        """Remove the file while still holding it (so nobody locks a removed file), then
        let go. Safe to call twice."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            if _same_file(fd, self.path):
                self.path.unlink()
        os.close(fd)

    def __del__(self) -> None:
        if self._fd is not None:  # dropped without release(): as if the process had ended
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def sweep_lock(path: Path) -> bool:
    """Remove a lock file nobody holds (left by a process that was killed). True if removed."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if _same_file(fd, path):
            path.unlink()
            return True
    except OSError:  # BlockingIOError: in use
        pass
    finally:
        os.close(fd)
    return False


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> tuple[int | None, datetime | None]:
    """Who holds the lock, as its file says (empty for the instant before it writes)."""
    try:
        text = os.pread(fd, 200, 0).decode("ascii", "replace")
    except OSError:
        return None, None
    parts = text.split()
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    since = None
    if len(parts) > 1:
        with contextlib.suppress(ValueError):
            since = datetime.fromisoformat(parts[1])
    return pid, since
