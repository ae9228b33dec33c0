"""Files written atomically (readers see the old content or the new, never a torn file) and
files read with care (only regular files of a bounded size: never a pipe, a device or a loop of
links). The sessions folder (``store``), the index and the transcript format build on these."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024  # a long session's transcript is well under 1 MB

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
    # Unique per thread too (the history's worker and the app may save one file at once); the
    # pid stays last, where the sweep of stale temporaries reads it (core/store.py).
    tmp = path.with_name(f".{path.name}.t{threading.get_ident()}.{os.getpid()}.tmp")
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
