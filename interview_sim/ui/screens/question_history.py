"""One question's attempts side by side (date, score, concepts hit and missed, the answers),
and "retry this question": a one-question practice session."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Select, Static

from interview_sim.core.attempts import Attempt, attempts
from interview_sim.core.bank import Bank, Question
from interview_sim.core.printable import printable, printable_line
from interview_sim.core.retired import current_id
from interview_sim.core.stats import Statistics
from interview_sim.core.store import Listing, SessionStore
from interview_sim.ui.messages import RetryQuestion
from interview_sim.ui.widgets.footer import Footer

SIDE_BY_SIDE = 4  # the latest attempts shown as columns; older ones are counted


class QuestionHistoryScreen(Screen[None]):
    CSS_PATH = "../screens.tcss"
    BINDINGS = [
        Binding("t", "retry", "Retry this question", id="question-history.retry"),
        Binding("m", "model_answer", "Model answer", id="question-history.model"),
        Binding("escape,q", "app.pop_screen", "Back", id="question-history.back"),
    ]

    def __init__(
        self,
        store: SessionStore,
        bank: Bank,
        listing: Listing,
        questions: list[str],
        question_id: str,
        stats: Statistics | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.bank = bank
        self.listing = listing
        self.questions = questions
        self.question_id = question_id
        self.leeches = {x.question_id for x in stats.leeches} if stats else set()
        self.with_model = False  # a first column with the model answer and follow-ups'
        self.found: list[Attempt] = []

    def compose(self) -> ComposeResult:
        options = [(Text(printable_line(self._label(q))), q) for q in self.questions]
        yield Select(options, value=self.question_id, allow_blank=False, id="question-pick")
        yield Static("", id="question-about", markup=False)
        yield Horizontal(id="attempts")
        yield Footer()

    def _label(self, qid: str) -> str:
        question = self.bank.by_id.get(qid)
        prompt = " ".join(question.prompt.split()) if question else "(no longer in the banks)"
        return f"{qid}: {prompt[:70]}" + ("  [leech]" if qid in self.leeches else "")

    def on_mount(self) -> None:
        self.load_attempts(self.question_id)

    @on(Select.Changed, "#question-pick")
    def question_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.question_id:
            self.question_id = event.value
            self.load_attempts(event.value)

    @work(thread=True, group="io", exclusive=True)
    def load_attempts(self, question_id: str) -> None:
        found = attempts(self.store, self.listing, question_id)
        self.app.call_from_thread(self.show_attempts, question_id, found)

    def show_attempts(self, question_id: str, found: list[Attempt]) -> None:
        if question_id != self.question_id:
            return  # another question was picked meanwhile
        about = Text()
        about.append(f"{len(found)} attempt(s)", style="bold")
        if found:
            about.append(" · scores " + " → ".join(f"{a.score:.0f}" for a in found))
        if len(found) > SIDE_BY_SIDE:
            about.append(f" · the latest {SIDE_BY_SIDE} side by side")
        if question_id in self.leeches:
            about.append(
                "\nA leech: failed again and again. Read its model answer and follow-ups "
                "before you retry it.",
                style="bold red",
            )
        self.query_one("#question-about", Static).update(about)
        self.found = found
        self.show_columns()

    def show_columns(self) -> None:
        shown = self.found[-(SIDE_BY_SIDE - 1 if self.with_model else SIDE_BY_SIDE) :]
        columns = [_column(a) for a in shown]
        question = self.bank.by_id.get(current_id(self.question_id))
        if self.with_model:
            columns.insert(0, _model_column(question))
        row = self.query_one("#attempts", Horizontal)
        row.remove_children()  # the columns have no ids: the new ones can mount meanwhile
        row.mount_all(columns)

    def action_model_answer(self) -> None:
        self.with_model = not self.with_model
        self.show_columns()

    def action_retry(self) -> None:
        self.post_message(RetryQuestion(current_id(self.question_id)))


def _model_column(question: Question | None) -> VerticalScroll:
    head = Text("Model answer", style="bold")
    body = Text()
    if question is None:
        body.append("(no longer in the loaded banks)", style="italic")
    else:
        body.append(printable(question.model_answer))
        for fu in question.follow_ups:
            body.append("\n\nFollow-up: ", style="bold")
            body.append(printable_line(fu.prompt))
            body.append("\n" + printable(fu.model_answer))
    return VerticalScroll(
        Static(head, markup=False), Static(body, markup=False), classes="attempt model"
    )


def _column(a: Attempt) -> VerticalScroll:
    head = Text(printable_line(a.created[:16].replace("T", " ")), style="bold")
    head.append(f"\nscore {a.score:.0f}" + (" · hint" if a.hint_used else ""))
    if a.outcome != "answered":
        head.append(f" · {a.outcome}")
    body = Text()
    if a.hit:
        body.append("Hit: ", style="green bold")
        body.append(printable_line(", ".join(a.hit)) + "\n")
    if a.missed:
        body.append("Missed: ", style="red bold")
        body.append(printable_line(", ".join(a.missed)) + "\n")
    body.append("\n")
    body.append(printable(a.answer) if a.answer.strip() else "(no answer)")
    for prompt, answer, score in a.follow_ups:
        body.append(f"\n\nFollow-up ({score}): ", style="bold")
        body.append(printable_line(prompt))
        body.append("\n" + (printable(answer) if answer.strip() else "(no answer)"))
    return VerticalScroll(Static(head, markup=False), Static(body, markup=False), classes="attempt")
