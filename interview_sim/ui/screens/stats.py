"""Statistics at a glance: what is due, reviews per day, retention per topic, the score trend
with dates and values, and the leeches (the same figures as `interview-sim stats --json`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from interview_sim.core.printable import printable_line
from interview_sim.core.scheduling import LEECH_FAILURES
from interview_sim.core.stats import REVIEW_DAYS, Statistics
from interview_sim.ui.widgets.footer import Footer

TREND_SHOWN = 10


class StatsScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="stats.back")]

    def __init__(self, stats: Statistics) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        s = self.stats
        with VerticalScroll(id="stats"):
            head = Text("Due ", style="bold")
            head.append(f"{s.due_today} today, {s.due_this_week} this week", style="")
            head.append(f" · {s.cards} question(s) answered", style="")
            yield Static(head, markup=False)
            per_day = [n for _, n in s.reviews_per_day]
            week = sum(per_day[-7:])
            yield Static(
                Text(
                    f"Reviews per day, last {REVIEW_DAYS} days: {sum(per_day)} in all, "
                    f"{week} in the last 7 (today {per_day[-1] if per_day else 0})",
                    style="bold",
                ),
                markup=False,
            )
            yield Sparkline(per_day, id="reviews-per-day")
            yield Static(_retention(s), markup=False, id="retention")
            yield Static(_trend(s), markup=False, id="trend")
            yield Static(_leeches(s), markup=False, id="leeches")
        yield Footer()


def _retention(s: Statistics) -> Text:
    text = Text("Retention per topic (share of reviews passed)\n", style="bold")
    if not s.retention:
        text.append("no reviews yet", style="italic")
    width = max((len(t) for t in s.retention), default=0)
    for topic, (passed, reviews) in sorted(s.retention.items()):
        share = passed / reviews if reviews else 0.0
        text.append(printable_line(f"  {topic:<{width}}  {share:4.0%}  ({passed} of {reviews})"))
        text.append("\n")
    return text


def _trend(s: Statistics) -> Text:
    text = Text(f"Score trend (latest {TREND_SHOWN} sessions)\n", style="bold")
    if not s.trend:
        text.append("no scores yet", style="italic")
    for created, score in s.trend[-TREND_SHOWN:]:
        text.append(printable_line(f"  {created[:16].replace('T', ' ')}  {score:3.0f}"))
        text.append("\n")
    return text


def _leeches(s: Statistics) -> Text:
    text = Text(f"Leeches (failed {LEECH_FAILURES}+ times)\n", style="bold")
    if not s.leeches:
        text.append("none", style="italic")
        return text
    for x in s.leeches:
        text.append(
            printable_line(f"  {x.question_id} ({x.topic}): failed {x.failures} of {x.reviews}")
        )
        text.append("\n")
    text.append("Read their model answers and follow-ups before asking them again.", style="italic")
    return text
