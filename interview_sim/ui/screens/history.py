"""History: past sessions in a sortable, filterable table, score trends, and weak spots."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from interview_sim.core.bank import Bank
from interview_sim.core.controls import printable_line
from interview_sim.core.report import (
    Weakness,
    format_duration,
    render_markdown,
    trend_caption,
    weakness,
)
from interview_sim.core.scheduling import LEECH_FAILURES
from interview_sim.core.stats import Statistics
from interview_sim.core.store import (
    Listing,
    SessionResults,
    SessionRow,
    SessionStore,
    StoreError,
    Unreadable,
)
from interview_sim.core.transcript import STATUSES, Transcript, TranscriptError
from interview_sim.ui.screens.feedback import feedback_widgets
from interview_sim.ui.widgets.key_bar import KeyBar
from interview_sim.ui.widgets.score_trend import ScoreTrend

SORT_KEYS = ("date", "score", "duration", "status")


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
        self.stats: Statistics | None = None
        self._pending: list[SessionRow] = []  # sorted and filtered, not in the table yet
        self._copies: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(Text(f"History · {self.store.root}"), id="history-title", markup=False)
        with Horizontal(id="history-filters"):
            yield Select(
                [("All topics", "")] + [(t.title, t.id) for t in self.bank.topics.values()],
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
        yield Static("", id="sessions-empty", markup=False)
        # Below the table, and scrolling on its own, so that a short terminal still shows rows.
        with VerticalScroll(id="history-details"):
            with Horizontal(id="trends"):
                for name in ("all", "topic"):
                    with Vertical():
                        yield Static("", id=f"trend-{name}-label", classes="trend-label")
                        yield ScoreTrend(id=f"trend-{name}")
            yield Static("", id="weak-spots", markup=False)
            yield Static("", id="unreadable", markup=False)
        yield KeyBar()

    AUTO_FOCUS = "#sessions"  # keys move through sessions at once; tab reaches the filters

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).loading = True
        self.load_history()

    # Columns most wanted first, so a narrow terminal cuts (and scrolls to) mode and difficulty
    # rather than time and status; topics take whatever width is left. Widths are the widest
    # value each column shows ("in progress", "1m 00s", "interview"); padding is 1 a side.
    FIXED_WIDTHS = {"score": 5, "answered": 8, "time": 6, "status": 11, "difficulty": 10}
    MODE_WIDTH, TOPICS_MIN = 9, 12

    def _layout(self) -> tuple[int, int]:
        """(date width, topics width) for the table's width: a short date below 100 columns."""
        width = self.query_one("#sessions", DataTable).size.width or self.app.size.width
        date = 16 if width >= 100 else 11
        used = date + sum(self.FIXED_WIDTHS.values()) + self.MODE_WIDTH + 2 * 8 + 2
        return date, max(self.TOPICS_MIN, width - used)

    def on_resize(self) -> None:
        if self.rows and self._layout() != self._shown_layout:
            self.refresh_table()

    @work(thread=True, group="io", exclusive=True)
    def load_history(self) -> None:
        try:
            listing = self.store.listing()
        except StoreError as exc:  # the folder is a file, or may not be read
            self.app.call_from_thread(
                self.notify, printable_line(str(exc)), severity="error", timeout=8, markup=False
            )
            listing = Listing([], [], [])
        self.app.call_from_thread(self.show_history, listing)
        stats = _statistics(self.store, listing)  # after the table: the schedule may rebuild
        if stats is not None:
            self.app.call_from_thread(self.show_statistics, stats)

    def show_statistics(self, stats: Statistics) -> None:
        self.stats = stats
        self.show_weakness(weakness(self.results), stats)

    def show_history(self, listing: Listing) -> None:
        self.rows, self.unreadable, self.results = listing
        self.query_one("#sessions", DataTable).loading = False
        self.refresh_table()
        if self.unreadable:
            self.query_one("#unreadable", Static).update(
                Text(
                    "Unreadable (left untouched): "
                    + "; ".join(printable_line(f"{u.file}: {u.reason}") for u in self.unreadable),
                    style="red",
                )
            )
        self.show_weakness(weakness(self.results), self.stats)

    def show_weakness(self, w: Weakness, stats: Statistics | None = None) -> None:
        text = Text()
        if w.topics:
            text.append("Weakest topics: ", style="bold")
            text.append(printable_line(", ".join(f"{t} {s:.0f}" for t, s in w.topics[:3])))
        if w.concepts:
            text.append("\nConcepts missed most: ", style="bold")
            text.append(printable_line("; ".join(f"{c} ({n}x)" for c, n in w.concepts[:5])))
        if stats is not None and stats.cards:
            text.append("\nDue: ", style="bold")
            text.append(f"{stats.due_today} today, {stats.due_this_week} this week")
            if stats.due_today:
                text.append(
                    " (practise them with: interview-sim start --focus due, or Focus: Due "
                    "on the setup screen)",
                    style="italic",
                )
        if stats is not None and stats.leeches:
            text.append(f"\nLeeches (failed {LEECH_FAILURES}+ times): ", style="bold red")
            text.append(
                printable_line(
                    ", ".join(f"{x.question_id} ({x.failures}x)" for x in stats.leeches[:5])
                )
            )
            text.append(
                "\nRead their model answers and follow-ups before asking them again.",
                style="italic",
            )
        self.query_one("#weak-spots", Static).update(text)

    def filtered(self) -> list[SessionRow]:
        topic = self.query_one("#topic-filter", Select).value
        status = self.query_one("#status-filter", Select).value
        rows = [
            r
            for r in self.rows
            if (not topic or topic in r.topics) and (not status or r.status == status)
        ]
        key = {
            "date": lambda r: (r.created, r.id),
            "score": lambda r: (r.score if r.score is not None else -1.0, r.created),
            "duration": lambda r: (r.duration, r.created),
            "status": lambda r: (r.status, r.created),
        }[self.sort_key]
        return sorted(rows, key=key, reverse=self.sort_key != "status")

    def refresh_table(self) -> None:
        table = self.query_one("#sessions", DataTable)
        date_width, topics_width = self._shown_layout = self._layout()
        table.clear(columns=True)
        table.add_column("date", width=date_width)
        table.add_column("topics", width=topics_width)
        for name, width in self.FIXED_WIDTHS.items():
            table.add_column(name, width=width)
        table.add_column("mode", width=self.MODE_WIDTH)
        rows = self.filtered()
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
        self.refresh_trends()

    # Rows are added a page at a time, more as the cursor nears the last one: a table of
    # 5,000 sessions took over a second to fill, and again on every sort or filter.
    PAGE = 200

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
                Text(f"{shown:,} of {total:,} sessions shown; more as the cursor moves down.")
            )
        for r in page:
            # a copy of a transcript has its original's id: each is named by its file
            copy = f" · {r.file}" if r.id in self._copies else ""
            table.add_row(  # what a transcript says is shown, never obeyed
                Text(printable_line(r.created[16 - date_width : 16].replace("T", " ") + copy)),
                Text(_shorten(printable_line(", ".join(r.topics)), topics_width)),
                Text("-" if r.score is None else f"{r.score:.0f}"),
                Text(f"{r.answered}/{r.questions}"),
                Text(format_duration(r.duration)),
                Text(r.status, style="yellow" if r.status == "in progress" else ""),
                Text(printable_line(r.difficulty)),
                Text(printable_line(r.mode)),
                key=r.file,  # a copy of a transcript has its original's id
            )

    @on(DataTable.RowHighlighted, "#sessions")
    def more_rows(self, event: DataTable.RowHighlighted) -> None:
        if self._pending and event.cursor_row >= event.data_table.row_count - max(
            1, self.PAGE // 4
        ):
            self.add_page()

    def refresh_trends(self) -> None:
        topic = str(self.query_one("#topic-filter", Select).value or "")
        overall = [(r.created, r.score) for r in self.results if r.score is not None]
        per_topic = []
        for session in self.results:
            scores = [score for _, answered, score in session.answers if answered == topic]
            if scores:
                per_topic.append((session.created, sum(scores) / len(scores)))
        for name, label, points in (
            ("all", "Score trend (all)", overall),
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

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.notify(f"Sorted by {self.sort_key}", timeout=2)
        self.refresh_table()

    def selected(self) -> SessionRow | None:
        table = self.query_one("#sessions", DataTable)
        rows = self.filtered()
        if not rows or not 0 <= table.cursor_row < len(rows):
            return None
        return rows[table.cursor_row]

    @on(DataTable.RowSelected, "#sessions")
    def action_open_session(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            transcript = self.store.load_file(row.file)
        except (StoreError, TranscriptError) as exc:
            self.notify(printable_line(str(exc)), severity="error", markup=False)
            return
        self.app.push_screen(TranscriptScreen(transcript, self.bank, self.store, row.file))

    def action_resume(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.status != "in progress":
            self.notify(
                f"That session is {row.status}; only one in progress can be resumed.",
                severity="warning",
            )
            return
        self.app.resume_session(row.id)  # type: ignore[attr-defined]

    def action_export(self) -> None:
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


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def export_report(screen: Screen[None], store: SessionStore, file: str, bank: Bank) -> None:
    """Write the session's Markdown report beside its transcript and say where (or why not)."""
    try:
        transcript = store.load_file(file)
        path = store.save_report(file, render_markdown(transcript, bank))
    except (StoreError, TranscriptError, OSError) as exc:
        screen.notify(printable_line(str(exc)), severity="error", markup=False)
        return
    screen.notify(printable_line(f"Report written to {path}"), markup=False)


class TranscriptScreen(Screen[None]):
    """One past session, every answer with its highlights."""

    CSS_PATH = "../screens.tcss"

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="transcript.back"),
        Binding("e", "export", "Export report", id="transcript.export"),
    ]

    def __init__(self, transcript: Transcript, bank: Bank, store: SessionStore, file: str) -> None:
        super().__init__()
        self.transcript = transcript
        self.bank = bank
        self.store = store
        self.file = file

    def compose(self) -> ComposeResult:
        t = self.transcript
        score = "-" if t.score is None else f"{t.score:.0f}/100"
        with VerticalScroll(id="transcript"):
            yield Static(
                Text(
                    printable_line(
                        f"{t.id} · {t.status} · {t.settings.mode} · score {score} · "
                        f"{', '.join(t.topics)}"
                    ),
                    style="bold",
                ),
                markup=False,
            )
            for r in t.records:
                yield Static(
                    Text(
                        f"Q{r.number}" + (f" follow-up {r.follow_up_id}" if r.follow_up_id else ""),
                        style="bold reverse",
                    ),
                    markup=False,
                    classes="tr-head",
                )
                yield from feedback_widgets(r, self.bank)
        yield KeyBar()

    def action_export(self) -> None:
        export_report(self, self.store, self.file, self.bank)


def _statistics(store: SessionStore, listing: Listing) -> Statistics | None:
    """The schedule brought up to date (kept beside the sessions) and its figures; None if the
    folder could not be listed."""
    from interview_sim.core.clock import now
    from interview_sim.core.scheduling import sync
    from interview_sim.core.stats import statistics

    if not listing.rows and not listing.results:
        return None
    return statistics(listing.results, sync(store.root, listing.results), now())
