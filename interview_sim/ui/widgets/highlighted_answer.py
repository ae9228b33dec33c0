"""A person's answer shown literally, with the concepts they hit highlighted in their words."""

from __future__ import annotations

from collections.abc import Collection

from rich.text import Text
from textual.widgets import Static

from interview_sim.core.grading import GradeResult
from interview_sim.core.printable import printable


def highlighted(answer: str, grade: GradeResult, unclaimed: Collection[str] = ()) -> Text:
    """unclaimed: statements of flags the person disputed ("Not what I said"): their words
    are shown in yellow, not struck through as a wrong claim."""
    text = Text(printable(answer) if answer.strip() else "(no answer)")
    if not answer.strip():
        text.stylize("italic dim")
        return text
    for c in grade.concepts:
        if c.matched and c.start is not None and c.end is not None:
            text.stylize("bold underline green", c.start, c.end)
    for m in grade.misconceptions:
        text.stylize("yellow" if m.statement in unclaimed else "bold red strike", m.start, m.end)
    return text


class HighlightedAnswer(Static):
    DEFAULT_CSS = """
    HighlightedAnswer { padding: 0 1; border: round $primary-darken-2; height: auto; }
    """

    def __init__(
        self,
        answer: str,
        grade: GradeResult,
        *,
        unclaimed: Collection[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(highlighted(answer, grade, unclaimed), id=id, markup=False)
