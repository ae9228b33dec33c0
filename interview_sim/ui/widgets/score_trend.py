"""Scores over sessions as bars on a fixed 0-100 scale, with the axis drawn.

Sparkline scales its bars between the smallest and largest value shown, so one score of 60
drew a full-height bar and two of 58 and 62 looked like 0 and 100. Here a bar's height is its
score: 60 fills 60% of the chart, whatever else is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_AXIS = 4  # "100┤"


def bar_rows(scores: Sequence[float], rows: int, width: int) -> list[str]:
    """The chart's lines, top first: the latest scores that fit, 1-3 cells a score."""
    room = max(width - _AXIS, 1)
    shown = list(scores)[-room:]
    cell = max(1, min(3, room // max(len(shown), 1)))
    lines = []
    for row in range(rows):  # 0 is the top row
        floor = (rows - 1 - row) * 8  # eighths below this row
        line = ""
        for score in shown:
            eighths = max(1, round(min(max(score, 0.0), 100.0) / 100 * rows * 8))
            line += _EIGHTHS[min(max(eighths - floor, 0), 8)] * cell
        label = "100" if row == 0 else "  0" if row == rows - 1 else "   "
        lines.append(f"{label}┤{line}")
    return lines


class ScoreTrend(Widget):
    COMPONENT_CLASSES = {"score-trend--bar", "score-trend--axis"}
    DEFAULT_CSS = """
    ScoreTrend {
        height: 2;
        & > .score-trend--bar { color: $accent; }
        & > .score-trend--axis { color: $text-muted; }
    }
    """

    scores: reactive[tuple[float, ...]] = reactive((), layout=False)

    def render(self) -> Text:
        axis = self.get_component_rich_style("score-trend--axis")
        bar = self.get_component_rich_style("score-trend--bar")
        text = Text(no_wrap=True, end="")
        lines = bar_rows(self.scores, max(self.size.height, 1), self.size.width)
        for i, line in enumerate(lines):
            text.append(line[:_AXIS], axis)
            text.append(line[_AXIS:], bar)
            if i < len(lines) - 1:
                text.append("\n")
        return text
