"""Every path the program uses: bundled banks and the sessions folder."""

from __future__ import annotations

import os
from pathlib import Path

SESSIONS_ENV = "INTERVIEW_SIM_SESSIONS"
_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_banks_dir() -> Path:
    """The banks shipped with the program: inside the wheel, or beside the package in a checkout."""
    installed = _PACKAGE_DIR / "banks"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "banks"


def sessions_dir(flag: str | Path | None = None) -> Path:
    """Where transcripts go: --sessions-dir, else $INTERVIEW_SIM_SESSIONS, else ./sessions."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(SESSIONS_ENV)
    if env:
        return Path(env).expanduser()
    return Path.cwd() / "sessions"


def rescue_dir() -> Path:
    """Suggested folder for a transcript the sessions folder refused: ~/interview-sim-rescue,
    or the system's temporary folder when there is no writable home."""
    import tempfile

    home = Path.home()
    if home.is_dir() and os.access(home, os.W_OK):
        return home / "interview-sim-rescue"
    return Path(tempfile.gettempdir()) / "interview-sim-rescue"


PREFERENCES_ENV = "INTERVIEW_SIM_CONFIG"


def preferences_file() -> Path | None:
    """Where the last choices are kept: $INTERVIEW_SIM_CONFIG (a file; `off` keeps nothing),
    else interview-sim/preferences.json in $XDG_CONFIG_HOME or ~/.config."""
    env = os.environ.get(PREFERENCES_ENV)
    if env:
        return None if env == "off" else Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "interview-sim" / "preferences.json"


def resume_command(session_id: str, root: Path) -> str:
    """The shell command that resumes a session kept in `root`, as it can be pasted: with
    --sessions-dir (absolute, shell-quoted) unless `root` is where a plain command looks."""
    import shlex

    command = f"interview-sim resume {shlex.quote(session_id)}"
    if root.resolve() != sessions_dir().resolve():
        command += f" --sessions-dir {shlex.quote(str(root.resolve()))}"
    return command
