"""No temporary file outlives its write: removed when the write fails, swept when the writer
was killed (a SIGKILL mid-write), never touching anything not of our own naming."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from interview_sim.core import store as store_module
from interview_sim.core.lock import SessionLock
from interview_sim.core.store import STALE_AFTER, SessionStore, atomic_write

STEPS = ("open", "write", "write-half", "flush", "fsync", "rename")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


class Failed(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_a_failed_write_leaves_no_temporary(tmp_path: Path, step: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old\n")

    def fail(name: str) -> None:
        if name == step:
            raise Failed(name)

    with pytest.raises(Failed):
        atomic_write(path, b"new\n" * 4096, crash=fail)
    assert leftovers(tmp_path) == []
    assert path.read_bytes() == b"old\n"


def test_a_full_disk_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_module.os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        atomic_write(tmp_path / "f.yaml", b"x" * 4096)
    assert leftovers(tmp_path) == []


def test_review_json_on_a_full_disk_leaves_no_index_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = tmp_path / "s"
    sessions.mkdir()
    (sessions / "20250101-000000-bad0.yaml").write_text("schema_version: 99\n", encoding="utf-8")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_module.os, "fsync", no_space)
    assert main(["review", "--json", "--sessions-dir", str(sessions)]) == 0
    capsys.readouterr()
    assert leftovers(sessions) == []


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_sweep_removes_only_our_stale_temporaries(tmp_path: Path) -> None:
    gone, me = dead_pid(), os.getpid()
    names = {
        f".20261205-101010-abcd.yaml.{gone}.tmp": "removed",  # writer gone
        f"..index.json.{gone}.tmp": "removed",
        f".write-test-{gone}": "removed",
        f".20261205-101010-abcd.yaml.{me}.tmp": "kept",  # a live writer, fresh
        f".20261205-101010-abce.yaml.{me}.tmp": "removed",  # a live pid, but hours old
        "notes.tmp": "kept",  # not our naming
        "20261205-101010-abcd.yaml.tmp": "kept",
        f".{gone}.tmp": "kept",
    }
    for name in names:
        (tmp_path / name).write_bytes(b"partial")
    old = time.time() - STALE_AFTER - 60
    os.utime(tmp_path / f".20261205-101010-abce.yaml.{me}.tmp", (old, old))
    link = tmp_path / f".link.yaml.{gone}.tmp"
    target = tmp_path / "target"
    target.write_bytes(b"keep me")
    link.symlink_to(target)  # not a regular file: left alone, and so is what it points to

    removed = SessionStore(tmp_path).sweep_temporaries()

    expected = sorted(n for n, fate in names.items() if fate == "removed")
    assert sorted(removed) == expected
    for name, fate in names.items():
        assert (tmp_path / name).exists() == (fate == "kept"), name
    assert link.is_symlink() and target.read_bytes() == b"keep me"


def test_the_sweep_removes_lock_files_nobody_holds(tmp_path: Path) -> None:
    stale = tmp_path / ".20261205-101010-abcd.lock"
    stale.write_text("4242 2026-12-05T10:42:00+00:00\n")
    with SessionLock.acquire(tmp_path, "20261205-101010-abce") as held:
        removed = SessionStore(tmp_path).sweep_temporaries()
        assert removed == [stale.name]
        assert held.path.exists()


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from interview_sim.core.store import atomic_write
    def die(step):
        if step == "write-half":
            os.kill(os.getpid(), signal.SIGKILL)
    atomic_write(Path(sys.argv[1]) / "20261205-101010-abcd.yaml", b"x" * 8192, crash=die)
""")


def test_a_temporary_left_by_a_killed_writer_is_swept_on_start(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path)])
    assert proc.returncode == -9
    assert len(leftovers(tmp_path)) == 1  # SIGKILL: no finally runs
    SessionStore(tmp_path).check_writable()  # what starting an interview does first
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == []
