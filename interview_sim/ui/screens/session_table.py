"""The history's table of sessions: its sort orders and what one row shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from interview_sim.core.printable import printable_line
from interview_sim.core.report import format_duration
from interview_sim.core.rows import SessionRow
from interview_sim.core.session import Status

SORT_KEYS = ("date", "score", "duration", "status")
SORTS: dict[str, tuple[Callable[[SessionRow], Any], bool]] = {  # key, newest/highest first
    "date": (lambda r: (r.created, r.id), True),
    "score": (lambda r: (r.score if r.score is not None else -1.0, r.created), True),
    "duration": (lambda r: (r.duration, r.created), True),
    "status": (lambda r: (r.status, r.created), False),
}


def row_cells(r: SessionRow, date_width: int, topics_width: int, copy: bool) -> tuple[Text, ...]:
    """One session's cells; what a transcript says is shown, never obeyed. A copy of a
    transcript has its original's id: it is told apart by its file name."""
    named = f" · {r.file}" if copy else ""
    return (
        Text(printable_line(r.created[16 - date_width : 16].replace("T", " ") + named)),
        Text(_shorten(printable_line(", ".join(r.topics)), topics_width)),
        Text("-" if r.score is None else f"{r.score:.0f}"),
        Text(f"{r.answered}/{r.questions}"),
        Text(format_duration(r.duration)),
        Text(r.status, style="yellow" if r.status == Status.IN_PROGRESS else ""),
        Text(printable_line(r.difficulty)),
        Text(printable_line(r.mode)),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
