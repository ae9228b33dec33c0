"""History: past sessions in a sortable, filterable table, score trends, and weak spots."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static
from textual.worker import get_current_worker

from interview_sim.core.bank import Bank
from interview_sim.core.clock import now
from interview_sim.core.index import Indexed
from interview_sim.core.printable import printable_line
from interview_sim.core.report import trend_caption, weakness
from interview_sim.core.rows import Listing, SessionResults, SessionRow, Unreadable
from interview_sim.core.scheduling import Schedule, sync
from interview_sim.core.session import Status
from interview_sim.core.stats import Due, Statistics, due_figures, score_trend, statistics
from interview_sim.core.store import SessionStore, StoreError
from interview_sim.core.transcript import STATUSES
from interview_sim.ui.messages import ResumeSession
from interview_sim.ui.screens import session_table
from interview_sim.ui.widgets.footer import Footer
from interview_sim.ui.widgets.score_trend import ScoreTrend
from interview_sim.ui.widgets.weak_spots import WeakSpots


class HistoryScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("enter", "open_session", "Open", id="history.open", show=False),
        Binding("s", "cycle_sort", "Sort", id="history.sort"),
        Binding("r", "resume", "Resume", id="history.resume"),
        Binding("e", "export", "Export report", id="history.export"),
        Binding("a", "attempts", "Question history", id="history.attempts"),
        Binding("i", "statistics", "Statistics", id="history.statistics"),
        Binding("escape", "back", "Back", id="history.back"),
        Binding("q,ctrl+q", "app.quit", "Quit", id="history.quit"),
    ]

    def __init__(self, store: SessionStore, bank: Bank) -> None:
        super().__init__()
        self.store = store
        self.bank = bank
        self.rows: list[SessionRow] = []
        self.unreadable: list[Unreadable] = []
        self.results: list[SessionResults] = []  # oldest first
        self.sort_key = "date"
        self._shown_layout = (0, 0)
        self.schedule: Schedule | None = None
        self.due: Due | None = None  # what the weak spots show of the schedule
        self._stats: Statistics | None = None
        self._sorted: dict[str, list[SessionRow]] = {}  # every row, by sort key
        self._shown: list[SessionRow] = []  # sorted and filtered: the table's rows, in order
        self._pending: list[SessionRow] = []  # the end of _shown, not in the table yet
        self._copies: set[str] = set()
        self._drawn_at = 0.0  # when the rows known so far were last drawn, while reading
        self._summaries_due = False  # trends and weak spots to be drawn after the rows

    def compose(self) -> ComposeResult:
        yield Static(Text(f"History · {self.store.root}"), id="history-title", markup=False)
        with Horizontal(id="history-filters"):
            yield Select(
                [("All topics", "")] + [(t.title, t.id) for t in self.bank.summaries.values()],
                value="",
                allow_blank=False,
                id="topic-filter",
                compact=True,
            )
            yield Select(
                [("Any status", "")] + [(s, s) for s in STATUSES],
                value="",
                allow_blank=False,
                id="status-filter",
                compact=True,
            )
        table: DataTable[Text] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield table
        # Below the rows, so that the rows never move when it comes and goes (they are shown
        # before the rest is read).
        yield Static("", id="history-progress", markup=False)
        yield Static("", id="sessions-empty", markup=False)
        # Below the table, and scrolling on its own, so that a short terminal still shows rows.
        with VerticalScroll(id="history-details"):
            with Horizontal(id="trends"):
                for name in ("all", "topic"):
                    with Vertical():
                        yield Static("", id=f"trend-{name}-label", classes="trend-label")
                        yield ScoreTrend(id=f"trend-{name}")
            # Drawn just after the rows; until then a line that keeps their place.
            yield WeakSpots(Text("Working out weak spots…", style="italic"), id="weak-spots")
            yield Static("", id="unreadable", markup=False)
        yield Footer()

    AUTO_FOCUS = "#sessions"  # keys move through sessions at once; tab reaches the filters
    LOADING_LINE_DELAY = 0.3  # seconds: a listing quicker than this shows no loading line

    def on_mount(self) -> None:
        # A still line, not the table's spinner (it would take turns with the index thread).
        self._loading = self.set_timer(self.LOADING_LINE_DELAY, self.show_loading)
        self.watch(self.query_one("#sessions", DataTable), "scroll_y", self.scrolled, init=False)
        self.load_history()

    def show_loading(self) -> None:
        line = self.query_one("#history-progress", Static)
        line.update(Text("Loading sessions…", style="italic"))
        line.display = True

    def _layout(self) -> tuple[int, int]:
        width = self.query_one("#sessions", DataTable).size.width or self.app.size.width
        return session_table.column_widths(width)  # (date width, topics width)

    def on_resize(self) -> None:
        if self.rows and self._layout() != self._shown_layout:
            self.refresh_table()

    @work(thread=True, group="io", exclusive=True)
    def load_history(self) -> None:
        """The listing (shown as transcripts are read, if the index must be rebuilt), then the
        schedule's figures, which need every session."""
        worker = get_current_worker()
        app = self.app  # the screen may be taken down while this runs: its app stays

        def on_screen(show: Callable[..., object], *args: Any) -> None:
            """Run ``show`` on the app's thread, if this screen is still up by then."""
            if not worker.is_cancelled:
                with contextlib.suppress(RuntimeError):  # the app itself has stopped
                    app.call_from_thread(self._if_shown, show, *args)

        def progress(listing: Listing, done: int, total: int) -> bool:
            on_screen(self.show_progress, listing, done, total)
            return not worker.is_cancelled

        try:
            indexed = self.store.indexed(progress, partial(on_screen, self.show_rows))
        except StoreError as exc:  # the folder is a file, or may not be read
            problem = printable_line(str(exc))
            on_screen(partial(self.notify, problem, severity="error", timeout=8, markup=False))
            indexed = Indexed(Listing([], [], []), None)
        if worker.is_cancelled:
            return
        on_screen(self.show_history, indexed.listing)
        results = indexed.listing.results
        if not results:
            return
        schedule = sync(self.store.root, results, index=indexed.digest)
        on_screen(self.show_schedule, schedule, due_figures(schedule, now()))

    def _if_shown(self, show: Callable[..., object], *args: Any) -> None:
        # On the app's thread. Once the person has left, the screen is off the stack at once but
        # its widgets go first and its workers last: nothing is drawn into it any more.
        if self.is_attached and self in self.app.screen_stack:
            show(*args)

    # While transcripts are read, the rows known so far are drawn again at most this often (the
    # count more often): the reading waits while thousands of rows are sorted and drawn.
    REDRAW_SECONDS = 2.0

    def show_progress(self, listing: Listing, done: int, total: int) -> None:
        """What is known so far, while the rest is read (the first listing after an upgrade)."""
        line = self.query_one("#history-progress", Static)
        line.update(Text(f"Reading saved sessions: {done:,} of {total:,}", style="italic"))
        line.display = True
        if not self.rows or time.monotonic() - self._drawn_at >= self.REDRAW_SECONDS:
            self._drawn_at = time.monotonic()
            self.show_history(listing, reading=True)

    def show_schedule(self, schedule: Schedule, due: Due) -> None:
        self.schedule, self.due, self._stats = schedule, due, None
        if not self._summaries_due:  # else drawn with the trends, after the rows
            self.query_one(WeakSpots).show(weakness(self.results), due)

    @property
    def stats(self) -> Statistics | None:
        """The statistics view's figures (reviews per day, retention per topic...), worked out
        when first asked for: they go through every review, and opening needs none of them."""
        if self._stats is None and self.schedule is not None:
            self._stats = statistics(self.results, self.schedule, now())
        return self._stats

    def show_rows(self, listing: Listing) -> None:
        """The rows known from the index, before their results are read."""
        self._loading.stop()
        self.rows, self.unreadable = listing.rows, listing.unreadable
        self._sorted = {}
        self.refresh_table(keep_cursor=True)

    def show_history(self, listing: Listing, reading: bool = False) -> None:
        """The rows (unless already shown), and once they are on screen the trends and weak
        spots (which go through every session's results): the sessions show, and take keys,
        before those are drawn."""
        self._loading.stop()
        self.query_one("#history-progress", Static).display = reading
        if (listing.rows, listing.unreadable) != (self.rows, self.unreadable) or not self.rows:
            self.show_rows(listing)
        self.results = listing.results
        if not self._summaries_due:  # rows drawn again while reading: the summaries once
            self._summaries_due = True
            self.call_after_refresh(self.refresh_summaries)

    def refresh_summaries(self) -> None:
        self._summaries_due = False
        if not (self.is_attached and self in self.app.screen_stack):
            return
        self.refresh_trends()
        self.query_one("#unreadable", Static).update(
            Text(
                "Unreadable (left untouched): "
                + "; ".join(printable_line(f"{u.file}: {u.reason}") for u in self.unreadable),
                style="red",
            )
            if self.unreadable
            else ""
        )
        self.query_one(WeakSpots).show(weakness(self.results), self.due)

    def filtered(self) -> list[SessionRow]:
        topic = self.query_one("#topic-filter", Select).value
        status = self.query_one("#status-filter", Select).value
        rows = self._sorted.get(self.sort_key)
        if rows is None:  # once per sort key and listing: a sort or filter only picks rows
            key, reverse = session_table.SORTS[self.sort_key]
            rows = self._sorted[self.sort_key] = sorted(self.rows, key=key, reverse=reverse)
        if not topic and not status:
            return rows
        return [
            r
            for r in rows
            if (not topic or topic in r.topics) and (not status or r.status == status)
        ]

    def refresh_table(self, keep_cursor: bool = False) -> None:
        table = self.query_one("#sessions", DataTable)
        at = None
        if keep_cursor and 0 <= table.cursor_row < table.row_count:
            at = self._shown[table.cursor_row].file
        if self._layout() != self._shown_layout or not table.columns:
            date_width, topics_width = self._shown_layout = self._layout()
            table.clear(columns=True)
            session_table.add_columns(table, date_width, topics_width)
        else:
            table.clear()
        rows = self._shown = self.filtered()
        empty = self.query_one("#sessions-empty", Static)
        empty.display = not rows
        if not self.rows:
            empty.update(
                Text(printable_line(f"No sessions yet in {self.store.root}."), style="italic")
            )
        elif not rows:
            empty.update(Text("No sessions match these filters.", style="italic"))
        self._copies = {i for i, n in Counter(r.id for r in self.rows).items() if n > 1}
        self._pending = rows
        self.add_page()
        if at is not None:  # the rows came in while reading: stay on the one the person was on
            where = next((i for i, r in enumerate(rows) if r.file == at), 0)
            while where >= table.row_count and self._pending:
                self.add_page()
            table.move_cursor(row=where, animate=False)

    # Rows are added a page at a time, more as the cursor nears the last one or the table is
    # scrolled to its end: a table of 5,000 sessions took over a second to fill, and again on
    # every sort or filter (the table measures every cell it is given).
    PAGE = 50

    def add_page(self) -> None:
        table = self.query_one("#sessions", DataTable)
        date_width, topics_width = self._shown_layout
        page, self._pending = self._pending[: self.PAGE], self._pending[self.PAGE :]
        if self._pending or page:
            note = self.query_one("#sessions-empty", Static)
            note.display = bool(self._pending)
            shown = table.row_count + len(page)
            total = shown + len(self._pending)
            note.update(
                Text(f"{shown:,} of {total:,} sessions shown; more as you move or scroll down.")
            )
        for r in page:
            cells = session_table.row_cells(r, date_width, topics_width, r.id in self._copies)
            table.add_row(*cells, key=r.file)

    @on(DataTable.RowHighlighted, "#sessions")
    def more_rows(self, event: DataTable.RowHighlighted) -> None:
        if self._pending and event.cursor_row >= event.data_table.row_count - max(
            1, self.PAGE // 4
        ):
            self.add_page()

    def scrolled(self, y: float) -> None:
        """The mouse wheel (or the scroll bar) reached the last rows: the next page."""
        table = self.query_one("#sessions", DataTable)
        if self._pending and y >= table.max_scroll_y - max(1, self.PAGE // 4):
            self.add_page()

    def refresh_trends(self) -> None:
        topic = str(self.query_one("#topic-filter", Select).value or "")
        per_topic = score_trend(self.results, topic) if topic else []
        for name, label, points in (
            ("all", "Score trend (all)", score_trend(self.results)),
            ("topic", f"Score trend ({topic})" if topic else "Score trend (pick a topic above)",
             per_topic),
        ):  # fmt: skip
            chart = self.query_one(f"#trend-{name}", ScoreTrend)
            chart.scores = tuple(score for _, score in points)
            chart.display = bool(points)
            caption = f"{label}: {trend_caption(points)}" if points else label
            self.query_one(f"#trend-{name}-label", Static).update(Text(caption))

    @on(Select.Changed)
    def filters_changed(self) -> None:
        if self.rows or self.unreadable:
            self.refresh_table()
            self.refresh_trends()

    def action_cycle_sort(self) -> None:
        keys = session_table.SORT_KEYS
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.notify(f"Sorted by {self.sort_key}", timeout=2)
        self.refresh_table()

    def selected(self) -> SessionRow | None:
        table = self.query_one("#sessions", DataTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self._shown)):
            return None
        return self._shown[table.cursor_row]

    @on(DataTable.RowSelected, "#sessions")
    def action_open_session(self) -> None:
        from interview_sim.ui.screens.transcript_view import open_transcript

        row = self.selected()
        if row is not None:
            open_transcript(self, self.store, row.file, self.bank)

    def action_resume(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.status != Status.IN_PROGRESS:
            self.notify(
                f"That session is {row.status}; only one in progress can be resumed.",
                severity="warning",
            )
            return
        self.post_message(ResumeSession(row.id))

    def action_export(self) -> None:
        from interview_sim.ui.screens.transcript_view import export_report

        row = self.selected()
        if row is not None:
            export_report(self, self.store, row.file, self.bank)

    def action_attempts(self) -> None:
        """The question history: the selected session's first question, or the first leech."""
        from interview_sim.core.attempts import asked_questions
        from interview_sim.core.retired import current_id
        from interview_sim.ui.screens.question_history import QuestionHistoryScreen

        listing = Listing(self.rows, self.unreadable, self.results)
        questions = asked_questions(listing)
        if not questions:
            self.notify("No question answered yet.", severity="warning")
            return
        row = self.selected()
        first = [
            current_id(q) for s in self.results if row and s.id == row.id for q, _, _ in s.answers
        ]
        leeches = [x.question_id for x in self.stats.leeches] if self.stats else []
        start = (first or leeches or questions)[0]
        self.app.push_screen(
            QuestionHistoryScreen(self.store, self.bank, listing, questions, start, self.stats)
        )

    def action_statistics(self) -> None:
        from interview_sim.ui.screens.stats import StatsScreen

        if self.stats is None:
            self.notify("No statistics yet: answer a question first.", severity="warning")
            return
        self.app.push_screen(StatsScreen(self.stats))

    def action_back(self) -> None:
        """Back to the screen below (setup, summary); quit if only the blank base is left."""
        stack = self.app.screen_stack
        if len(stack) > 1 and type(stack[-2]) is not Screen:
            self.app.pop_screen()
        else:
            self.app.exit()
