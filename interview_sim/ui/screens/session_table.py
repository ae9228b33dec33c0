"""The history's table of sessions: its sort orders and what one row shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

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


# Columns most wanted first, so a narrow terminal cuts (and scrolls to) mode and difficulty
# rather than time and status; topics take whatever width is left. Widths are the widest value
# each column shows ("in progress", "1m 00s", "interview"); padding is 1 a side.
FIXED_WIDTHS = {"score": 5, "answered": 8, "time": 6, "status": 11, "difficulty": 10}
MODE_WIDTH, TOPICS_MIN = 9, 12


def column_widths(width: int) -> tuple[int, int]:
    """(date width, topics width) for a table ``width`` wide: a short date below 100 columns."""
    date = 16 if width >= 100 else 11
    used = date + sum(FIXED_WIDTHS.values()) + MODE_WIDTH + 2 * 8 + 2
    return date, max(TOPICS_MIN, width - used)


def add_columns(table: DataTable[Text], date_width: int, topics_width: int) -> None:
    table.add_column("date", width=date_width)
    table.add_column("topics", width=topics_width)
    for name, width in FIXED_WIDTHS.items():
        table.add_column(name, width=width)
    table.add_column("mode", width=MODE_WIDTH)


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
