"""The history's weak spots in words: weakest topics, concepts missed most, what is due, and
the leeches with what to do about them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from interview_sim.core.printable import printable_line
from interview_sim.core.report import Weakness
from interview_sim.core.scheduling import LEECH_FAILURES
from interview_sim.core.stats import Due


class WeakSpots(Static):
    def show(self, w: Weakness, stats: Due | None = None) -> None:
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
        self.update(text)
