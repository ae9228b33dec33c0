"""Property: whatever a person does (type, pause, submit, skip, hint, time out, quit, crash,
resume, in any order), every saved answer and every saved draft is text typed for its own step.

Drives the engine and recorder (core, no Textual) the way the interview screen does: the
answer box keeps its text after a submit until the next step is shown (practice feedback sits
in between), and a pause keeps the box's text as a draft, labelled with the step it was typed
for, even when that step has just been answered."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.plan import plan_questions
from interview_sim.core.recorder import Recorder, new_interview, resume_interview
from interview_sim.core.session import Interview
from interview_sim.core.settings import SessionSettings
from interview_sim.core.store import SessionStore

from .conftest import FakeClock

_HOME = Path(tempfile.mkdtemp(prefix="interview-sim-hypothesis-"))
set_hypothesis_home_dir(_HOME)  # never ./.hypothesis in the checkout
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

ACTIONS = [
    "type",
    "type",
    "type",
    "pause",
    "submit",
    "skip",
    "hint",
    "timeout",
    "continue",
    "quit",
    "crash",
    "resume",
    "erase",
]


class Person:
    """The interview screen, reduced to what matters for drafts."""

    def __init__(self, bank: Bank, grader: Grader, folder: Path, mode: str, seed: int) -> None:
        self.bank, self.grader, self.clock = bank, grader, FakeClock()
        self.store = SessionStore(folder)
        self.settings = SessionSettings(questions=2, follow_ups=2, mode=mode, seed=seed)
        self.typed: dict[str, set[str]] = defaultdict(lambda: {""})
        self.words = 0
        self.interview: Interview | None = new_interview(
            bank, grader, self.store, self.settings, plan_questions(bank, self.settings), self.clock
        )
        self.session_id = self._recorder().session_id
        self.interview.start()
        self.box, self.box_for, self.feedback = "", None, False
        self._show()

    def _recorder(self) -> Recorder:
        assert self.interview is not None and isinstance(self.interview.on_record, Recorder)
        return self.interview.on_record

    def _show(self) -> None:
        """Show the step waiting for an answer, with its kept draft in the box."""
        assert self.interview is not None
        self.feedback = False
        step = self.interview.current
        self.box = self.interview.draft_text()
        self.box_for = step.item_id if step else None

    def _after_record(self) -> None:
        assert self.interview is not None
        if self.settings.mode == "practice" and not self.interview.finished:
            self.feedback = True  # the box still holds the answer just recorded
        else:
            self._show()

    @property
    def answering(self) -> bool:
        return (
            self.interview is not None
            and not self.interview.finished
            and not self.feedback
            and self.box_for is not None
        )

    def do(self, action: str) -> None:
        iv = self.interview
        if action == "resume":
            if iv is None:
                self._resume()
            return
        if iv is None or iv.finished:
            return
        if action == "type" and self.answering:
            self.words += 1
            self.box += f"w{self.words} "
            self.typed[str(self.box_for)].add(self.box)
        elif action == "erase" and self.answering:
            self.box = ""
        elif action == "pause" and self.box_for is not None:
            iv.save_draft(self.box, self.box_for)  # possibly for a step already answered
        elif action in ("submit", "skip") and self.answering:
            (iv.submit if action == "submit" else iv.skip)(self.box)
            self._after_record()
        elif action == "timeout" and self.answering:
            self.clock.advance(iv.step_limit() + 1)
            if iv.poll(self.box) is not None:
                self._after_record()
        elif action == "hint" and self.answering:
            iv.use_hint()
        elif action == "continue" and self.feedback:
            iv.restart_step_clock()
            self._show()
        elif action == "quit":  # Save & quit keeps what the box holds, whatever is on top
            if self.box_for is not None:
                iv.save_draft(self.box, self.box_for)
            self._close()
        elif action == "crash":
            self._close()

    def _close(self) -> None:
        """The process ends: its lock on the session goes with it."""
        if self.interview is not None:
            self._recorder().close()
        self.interview = None
        self.box, self.box_for, self.feedback = "", None, False

    def _resume(self) -> None:
        try:
            transcript = self.store.load(self.session_id)
        except Exception:  # nothing saved yet: nothing to resume
            return
        if transcript.status != "in progress":
            return
        self.interview = resume_interview(
            self.bank, self.grader, self.store, transcript, self.clock
        )
        self.interview.start()
        self._show()

    def check(self) -> None:
        path = self.store.root / f"{self.session_id}.yaml"
        if not path.exists():
            return
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for a in data["answers"]:
            item = f"{a['question']}/{a['follow_up']}" if a["follow_up"] else a["question"]
            assert a["answer"] in self.typed[item], (item, a["answer"])
        draft = data.get("draft")
        if draft:
            assert draft["text"] in self.typed[draft["for"]], draft
            assert draft["text"].strip()
            answered = {
                f"{a['question']}/{a['follow_up']}" if a["follow_up"] else a["question"]
                for a in data["answers"]
            }
            assert draft["for"] not in answered, draft
        if self.interview is not None:  # every recorded answer is on disk
            assert len(data["answers"]) == len(self.interview.records)


@settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=40),
    mode=st.sampled_from(["practice", "interview"]),
    seed=st.integers(1, 50),
)
def test_every_saved_answer_and_draft_was_typed_for_its_own_step(
    mini_bank: Bank, mini_grader: Grader, actions: list[str], mode: str, seed: int
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="interview-sim-drafts-"))
    try:
        person = Person(mini_bank, mini_grader, folder, mode, seed)
        for action in actions:
            person.do(action)
            person.check()
        if person.interview is None:
            person.do("resume")
        if person.interview is not None and not person.interview.finished:
            # what a resume puts back in the box is this step's own typing
            step = person.interview.current
            assert step is not None
            assert person.interview.draft_text() in person.typed[step.item_id]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
