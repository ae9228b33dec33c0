"""What the person chose last time, kept between runs: the setup screen's settings and the theme.

A small JSON file in the user's config folder (locations.preferences_file), written atomically.
A damaged or unreadable file is ignored with a warning: the defaults are used and the next
save replaces it. The seed is never kept: each interview draws a new one unless one is typed.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import atomic_write

VERSION = 1


# A NamedTuple and json imported when used: this module is imported at start-up, which is
# measured (benchmarks/bench_startup.py), and most runs find no file or read one once.
class Preferences(NamedTuple):
    settings: SessionSettings | None = None  # None: never chosen
    theme: str | None = None


# field -> accepted types (None allowed where the setting may be blank)
_FIELDS: dict[str, tuple[type, ...]] = {
    "difficulty": (str,),
    "questions": (int,),
    "follow_ups": (int,),
    "minutes_per_question": (int, float, type(None)),
    "session_minutes": (int, float, type(None)),
    "mode": (str,),
    "focus": (str, type(None)),
}


class PreferencesError(Exception):
    """The preferences file cannot be read; the message says why, naming the file."""


def load(path: Path) -> Preferences:
    """The kept preferences; none if there is no file. Raises PreferencesError if damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Preferences()
    except (OSError, UnicodeDecodeError) as exc:
        raise PreferencesError(f"{path}: cannot be read ({exc})") from None
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PreferencesError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise PreferencesError(f"{path}: not a preferences file of version {VERSION}")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise PreferencesError(f"{path}: theme: expected text")
    return Preferences(_settings(path, data.get("settings")), theme)


def _settings(path: Path, raw: Any) -> SessionSettings | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise PreferencesError(f"{path}: settings: expected a mapping")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kinds = _FIELDS.get(key) if key != "topics" else (list,)
        if kinds is None or isinstance(value, bool) or not isinstance(value, kinds):
            raise PreferencesError(f"{path}: settings.{key}: unexpected {value!r:.40}")
        if isinstance(value, float) and not math.isfinite(value):
            raise PreferencesError(f"{path}: settings.{key}: not a number")
        values[key] = value
    topics = values.pop("topics", [])
    if not all(isinstance(t, str) for t in topics):
        raise PreferencesError(f"{path}: settings.topics: expected topic ids")
    return SessionSettings(topics=tuple(topics), **values)


def save(path: Path, preferences: Preferences) -> None:
    """Write the preferences atomically (raises OSError; callers warn and carry on)."""
    import json

    data: dict[str, Any] = {"version": VERSION, "theme": preferences.theme, "settings": None}
    if preferences.settings is not None:
        s = preferences.settings
        data["settings"] = {"topics": list(s.topics)} | {k: getattr(s, k) for k in _FIELDS}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def with_settings(preferences: Preferences, settings: SessionSettings) -> Preferences:
    return preferences._replace(settings=replace(settings, seed=0))
