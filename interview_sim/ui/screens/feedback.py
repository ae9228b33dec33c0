"""Feedback on one answer: score, the answer with hits highlighted, misses, the model answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from interview_sim.core.bank import Bank
from interview_sim.core.controls import printable_line
from interview_sim.core.explain import nearest_phrase
from interview_sim.core.report import gradable_for, model_answer_for
from interview_sim.core.session import AnswerRecord
from interview_sim.ui.widgets.highlighted_answer import HighlightedAnswer
from interview_sim.ui.widgets.key_bar import KeyBar


def feedback_widgets(record: AnswerRecord, bank: Bank | None) -> list[Static]:
    """The parts of a feedback view, shared by practice feedback and the transcript viewer."""
    grade = record.grade
    verdict = "pass" if record.score >= 60 else "not yet"
    head = Text.assemble(
        (f"Score {record.score}/100", "bold"),
        f"  ({verdict}) · {record.outcome}",
        " · hint used" if record.hint_used else "",
        f" · {record.seconds:.0f}s",
    )
    parts: list[Static] = [
        Static(Text(record.prompt, style="bold"), classes="fb-prompt", markup=False),
        Static(head, classes="fb-score", markup=False),
        HighlightedAnswer(record.answer, grade),
    ]
    hits = [c for c in grade.concepts if c.matched]
    misses = [c for c in grade.concepts if not c.matched]
    concept_text = Text()
    for c in hits:
        concept_text.append("✔ ", style="green")
        concept_text.append(f"{c.name}\n")
    item = gradable_for(bank, record)
    concepts = {c.name: c for c in item.concepts} if item is not None else {}
    credited = [(c.start, c.end) for c in hits if c.start is not None and c.end is not None]
    for c in misses:
        concept_text.append("✘ ", style="red")
        tag = " (required)" if c.required else " (bonus)" if c.bonus else ""
        concept_text.append(f"{c.name}{tag}\n")
        near = (
            nearest_phrase(concepts[c.name], record.answer, credited)
            if c.name in concepts
            else None
        )
        if near is not None:
            concept_text.append("    you wrote ", style="dim")
            concept_text.append(f"“{printable_line(near.phrase)}”", style="italic")
            concept_text.append("; we listen for ", style="dim")
            concept_text.append(f"“{near.alias}”\n", style="italic")
    concept_text.rstrip()
    parts.append(Static(concept_text, classes="fb-concepts", markup=False))
    for m in grade.misconceptions:
        parts.append(
            Static(
                Text.assemble(
                    ("Misconception: ", "bold red"), m.statement, "\nActually: ", m.correction
                ),
                classes="fb-misconception",
                markup=False,
            )
        )
    # A skipped step was not graded; transcripts from before this was fixed still hold the
    # grader's notes on the empty answer ("a required concept is missing; score capped at 55").
    notes = (
        ["skipped: scored 0; the concepts above are what an answer would cover"]
        if record.outcome == "skipped"
        else [n for n in grade.notes if not n.startswith("misconception")]
    )
    for note in notes:
        parts.append(Static(Text(f"Note: {note}", style="italic"), markup=False))
    model = model_answer_for(bank, record)
    if model:
        parts.append(
            Static(
                Text.assemble(("Model answer\n", "bold"), model), classes="fb-model", markup=False
            )
        )
    return parts


class FeedbackScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("enter,ctrl+s,space", "dismiss_screen", "Continue", id="feedback.continue"),
        Binding("escape", "dismiss_screen", "Back", id="feedback.back", show=False),
    ]

    def __init__(self, record: AnswerRecord, bank: Bank | None) -> None:
        super().__init__()
        self.record = record
        self.bank = bank

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="feedback"):
            yield from feedback_widgets(self.record, self.bank)
        yield KeyBar()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
