"""Feedback on one answer: score, the answer with hits highlighted, misses, the model answer."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Collapsible, OptionList, Static

from interview_sim.core.bank import Bank
from interview_sim.core.explain import nearest_phrase
from interview_sim.core.grading import PASS_SCORE, REVERSED_STATEMENT
from interview_sim.core.overrule import disputable, dispute, overrulable, overrule
from interview_sim.core.printable import printable, printable_line
from interview_sim.core.report import gradable_for, model_answer_for, unflagged_misconceptions
from interview_sim.core.session import AnswerRecord
from interview_sim.ui.widgets.footer import Footer
from interview_sim.ui.widgets.highlighted_answer import HighlightedAnswer

UNFLAGGED_NOTE = "The grader matches words, not meaning, so it can miss these."


def feedback_widgets(record: AnswerRecord, bank: Bank | None) -> list[Widget]:
    """The parts of a feedback view, shared by practice feedback and the transcript viewer.
    Everything in it may come from a hand-edited transcript: control characters are shown as
    their symbols (``printable``), never written to the terminal."""
    grade = record.grade
    verdict = "pass" if record.score >= PASS_SCORE else "not yet"
    head = Text.assemble(
        (f"Score {record.score}/100", "bold"),
        f" (self-assessed; grader {grade.score})" if record.self_assessed else "",
        f"  ({verdict}) · {record.outcome}",
        " · hint used" if record.hint_used else "",
        f" · {record.seconds:.0f}s",
    )
    parts: list[Widget] = [
        Static(Text(printable(record.prompt), style="bold"), classes="fb-prompt", markup=False),
        Static(head, classes="fb-score", markup=False),
        HighlightedAnswer(record.answer, grade, unclaimed=record.disputed),
    ]
    hits = [c for c in grade.concepts if c.matched]
    misses = [c for c in grade.concepts if not c.matched]
    concept_text = Text()
    for c in hits:
        concept_text.append("✔ ", style="green")
        concept_text.append(f"{printable_line(c.name)}\n")
    item = gradable_for(bank, record)
    concepts = {c.name: c for c in item.concepts} if item is not None else {}
    credited = [(c.start, c.end) for c in hits if c.start is not None and c.end is not None]
    for c in misses:
        if c.name in record.overruled:
            concept_text.append("✔ ", style="yellow")
            concept_text.append(f"{c.name} (you covered it, you say; the grader missed it)\n")
            continue
        concept_text.append("✘ ", style="red")
        tag = " (required)" if c.required else " (bonus)" if c.bonus else ""
        concept_text.append(f"{printable_line(c.name)}{tag}\n")
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
        unclaimed = m.statement in record.disputed  # "Not what I said": shown, not held against
        parts.append(
            Static(
                Text.assemble(
                    ("✔ ", "yellow") if unclaimed else "",
                    (f"{m.label}: ", "bold" if unclaimed else "bold red"),
                    printable(m.statement),
                    " (you did not claim this, you say; the grader flagged it)"
                    if unclaimed
                    else "",
                    "\nActually: ",
                    printable(m.correction),
                ),
                classes="fb-disputed" if unclaimed else "fb-misconception",
                markup=False,
            )
        )
    # A skipped step was not graded; transcripts from before this was fixed still hold the
    # grader's notes on the empty answer ("a required concept is missing; score capped at 55").
    notes = (
        ["skipped: scored 0; the concepts above are what an answer would cover"]
        if record.outcome == "skipped"
        else [n for n in grade.notes if not _shown_as_a_flag(n, record.disputed)]
    )
    for note in notes:
        parts.append(Static(Text(printable(f"Note: {note}"), style="italic"), markup=False))
    model = model_answer_for(bank, record)
    if model:
        parts.append(
            Static(
                Text.assemble(("Model answer\n", "bold"), printable(model)),
                classes="fb-model",
                markup=False,
            )
        )
    check = wrong_claims_to_check(bank, record)
    if check is not None:
        parts.append(check)
    return parts


def wrong_claims_to_check(bank: Bank | None, record: AnswerRecord) -> Collapsible | None:
    """The question's wrong claims the grade did not flag, folded: a person checks an answer
    the grader passed against them (core/report.unflagged_misconceptions)."""
    unflagged = unflagged_misconceptions(bank, record)
    if not unflagged:
        return None
    claims: list[Widget] = [Static(UNFLAGGED_NOTE, classes="fb-claims-note", markup=False)]
    for claim in unflagged:
        claims.append(Static(printable(claim.statement), classes="fb-claim", markup=False))
        claims.append(
            Static(
                Text(f"actually: {printable(claim.correction)}"),
                classes="fb-claim-correction",
                markup=False,
            )
        )
    title = f"Wrong claims to check your answer for ({len(unflagged)})"
    return Collapsible(*claims, title=title, classes="fb-check")


def _shown_as_a_flag(note: str, disputed: tuple[str, ...]) -> bool:
    """A grader's note already said by a flag above it: every misconception's, and a reversed
    claim's once the person has disputed it (its points no longer count)."""
    if note.startswith("misconception"):
        return True
    reversed_note = note.startswith(("possibly stated the other way round", "stated the other"))
    return reversed_note and REVERSED_STATEMENT in disputed


Amend = Callable[[AnswerRecord], None]


class FeedbackScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("enter,ctrl+s,space", "dismiss_screen", "Continue", id="feedback.continue"),
        Binding("escape", "dismiss_screen", "Back", id="feedback.back", show=False),
        Binding("o", "overrule", "I covered this", id="feedback.overrule"),
        Binding("n", "dispute", "Not what I said", id="feedback.dispute"),
    ]
    # Below 61 columns its four keys overlap: "-narrow" tightens them (screens.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (61, "-wide")]

    def __init__(self, record: AnswerRecord, bank: Bank | None, amend: Amend | None = None) -> None:
        """amend: saves a record whose miss was overruled or flag disputed; None offers
        neither."""
        super().__init__()
        self.record = record
        self.bank = bank
        self.amend = amend

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="feedback"):
            yield from feedback_widgets(self.record, self.bank)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "overrule":
            return self.amend is not None and bool(overrulable(self.record))
        if action == "dispute":
            return self.amend is not None and bool(disputable(self.record))
        return super().check_action(action, parameters)

    def action_overrule(self) -> None:
        self.app.push_screen(OverruleDialog(overrulable(self.record)), self.overruled)

    def action_dispute(self) -> None:
        self.app.push_screen(DisputeDialog(disputable(self.record)), self.disputed)

    async def overruled(self, concept: str | None) -> None:
        if concept is not None:
            await self.amended(overrule(self.record, concept))

    async def disputed(self, statement: str | None) -> None:
        if statement is not None:
            await self.amended(dispute(self.record, statement))

    async def amended(self, record: AnswerRecord) -> None:
        if self.amend is None:
            return
        self.amend(record)  # saved before it is shown
        self.record = record
        scroll = self.query_one("#feedback", VerticalScroll)  # keeps focus, and its place
        await scroll.remove_children()
        await scroll.mount_all(feedback_widgets(record, self.bank))
        self.refresh_bindings()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)


class OverruleDialog(ModalScreen[str | None]):
    """Which missed concept the answer did cover, in the person's judgement."""

    CSS_PATH = "../screens.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="overrule.cancel")]
    QUESTION = (
        "Which of these did your answer cover? Your score will say it is self-assessed; "
        "the grader's stays beside it."
    )

    def __init__(self, concepts: list[str]) -> None:
        super().__init__()
        self.concepts = concepts

    def compose(self) -> ComposeResult:
        with Vertical(id="overrule-dialog"):
            yield Static(self.QUESTION, markup=False)
            yield OptionList(
                *(Content(printable_line(c)) for c in self.concepts), id="overrule-options"
            )

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.concepts[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class DisputeDialog(OverruleDialog):
    """Which flagged claim the answer did not make, in the person's judgement (the choices
    are the claims' statements)."""

    QUESTION = (
        "Which of these claims did your answer not make? Your score will say it is "
        "self-assessed; the grader's stays beside it."
    )
