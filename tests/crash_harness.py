"""The crash test: SIGKILL the real app in a real terminal (tmux) at random moments, then
compare the answers confirmed on screen with the answers on disk, and resume.

Used in a short form by tests/test_e2e_crash.py and in a long form by
benchmarks/crash_test.py. An answer is *confirmed* once the next question is on screen (the
engine saves before it shows the next step). After each kill:

- every confirmed answer is on disk, verbatim and in order (lost = 0);
- the transcript parses (torn = 0), and holds nothing that was not typed;
- a draft on disk is text typed for the step waiting for an answer, and after a 2.5 s pause
  in typing the draft is all of it;
- `resume` continues at the first unanswered question with that draft in the box.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .conftest import MINI_BANKS
from .test_e2e_tmux import BINARY, Terminal

QUESTIONS = 6
MOMENTS = ("after-submit", "mid-typing", "after-pause", "during-submit")


@dataclass
class Counts:
    kills: int = 0
    sessions: int = 0
    confirmed: int = 0  # answers confirmed on screen
    lost: int = 0  # confirmed answers missing from disk (or changed)
    torn: int = 0  # transcripts that did not parse
    strays: int = 0  # answers or drafts on disk that were never typed for their step
    drafts_kept: int = 0  # kills after a pause whose typing was on disk as the draft
    drafts_missing: int = 0  # ... and those where it was not
    resumes: int = 0
    resumes_continued: int = 0  # resumed at the right question with the draft in the box
    moments: dict[str, int] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return (
            self.lost
            + self.torn
            + self.strays
            + self.drafts_missing
            + (self.resumes - self.resumes_continued)
        )


@dataclass
class Session:
    """What the test knows of one session: typed, confirmed, and the box's text."""

    id: str | None = None
    confirmed: list[str] = field(default_factory=list)
    box: str = ""  # what the answer box holds now (after resume: the draft)
    typed_for_step: set[str] = field(default_factory=lambda: {""})
    in_flight: str | None = None  # submitted, not yet confirmed
    counted: int = 0  # confirmed answers already added to Counts.confirmed
    existing: set[Path] = field(default_factory=set)  # transcripts there before it started


class CrashRun:
    def __init__(self, workdir: Path, rng: random.Random, counts: Counts) -> None:
        self.workdir = workdir
        self.sessions = workdir / "sessions"
        self.rng = rng
        self.counts = counts
        self.words = 0

    # ------------------------------------------------------------------ driving
    def _command(self, session: Session) -> list[str]:
        common = ["--banks", str(MINI_BANKS), "--sessions-dir", str(self.sessions)]
        if session.id is None:
            seed = str(self.rng.randrange(1, 10_000))
            return [
                BINARY,
                "start",
                "--topic",
                "sampling",
                "--topic",
                "architecture",
                "--questions",
                str(QUESTIONS),
                "--follow-ups",
                "0",
                "--mode",
                "interview",
                "--seed",
                seed,
                *common,
            ]
        return [BINARY, "resume", session.id, *common]

    def _chunk(self) -> str:
        self.words += 1
        return f"a{self.words} {self.rng.choice(['logits', 'softmax', 'beam', 'cache'])} "

    def _type(self, term: Terminal, session: Session, wait: bool = True) -> str:
        text = self._chunk()
        term.type(text)
        session.box += text
        session.typed_for_step.add(session.box)
        if wait:
            term.wait_for(session.box.strip()[-12:])
        return text

    def _submit_and_confirm(self, term: Terminal, session: Session) -> bool:
        """True when the next screen (question or summary) shows: the answer is saved."""
        n = len(session.confirmed) + 1
        session.in_flight = session.box
        term.keys("C-s")
        nxt = f"Q{n + 1} of {QUESTIONS}" if n < QUESTIONS else "New interview"  # summary
        term.wait_for(nxt)
        session.confirmed.append(session.box)
        session.in_flight = None
        session.box, session.typed_for_step = "", {""}
        return n < QUESTIONS

    def run_session(self, max_kills: int) -> None:
        """One session, killed and resumed until it is complete or max_kills is used up."""
        self.counts.sessions += 1
        session = Session(existing=set(self.sessions.glob("*.yaml")))
        kills = 0
        while True:
            name = f"crash-{os.getpid()}-{self.counts.kills}-{self.rng.randrange(10**6)}"
            term = Terminal(name)
            term.start(self._command(session), self.workdir)
            try:
                n = len(session.confirmed) + 1
                if session.id is not None:
                    self.counts.resumes += 1
                try:
                    screen = term.wait_for(f"Q{n} of {QUESTIONS}")
                except AssertionError:  # resumed elsewhere, or not at all
                    return
                tail = session.box.strip()[-12:]
                if session.id is not None and (not tail or tail in screen):
                    self.counts.resumes_continued += 1
                if kills >= max_kills:
                    self._finish(term, session)
                    return
                moment = self._act_then_kill(term, session)
            finally:
                term.close()
            kills += 1
            self.counts.kills += 1
            self.counts.moments[moment] = self.counts.moments.get(moment, 0) + 1
            if not self._check(session, moment):
                return  # the file is unusable: nothing more to learn from this session

    def _act_then_kill(self, term: Terminal, session: Session) -> str:
        for _ in range(self.rng.randrange(0, 3)):  # a few answers first
            if session.box == "":
                self._type(term, session)
            if not self._submit_and_confirm(term, session):
                return self._kill(term, "after-submit")  # the summary: nothing left
        moment = self.rng.choice(MOMENTS)
        if moment == "after-submit":
            self._type(term, session)
            self._submit_and_confirm(term, session)
        elif moment == "mid-typing":
            self._type(term, session, wait=False)
            time.sleep(self.rng.uniform(0.0, 0.3))
        elif moment == "after-pause":
            self._type(term, session)
            time.sleep(2.5 + 1.2)  # the draft is kept after a 2 s pause (timer: once a second)
        else:  # during-submit
            self._type(term, session)
            session.in_flight = session.box
            term.keys("C-s")
            time.sleep(self.rng.uniform(0.0, 0.2))
        return self._kill(term, moment)

    def _kill(self, term: Terminal, moment: str) -> str:
        os.kill(term.pid(), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not term.dead() and time.monotonic() < deadline:
            time.sleep(0.05)
        return moment

    def _finish(self, term: Terminal, session: Session) -> None:
        while True:
            if session.box == "":
                self._type(term, session)
            if not self._submit_and_confirm(term, session):
                break
        self._check(session, "finished")

    # ------------------------------------------------------------------ checking
    def _check(self, session: Session, moment: str) -> bool:
        if session.id is None:  # one session at a time: the one file that is new
            mine = sorted(set(self.sessions.glob("*.yaml")) - session.existing)
        else:
            mine = [self.sessions / f"{session.id}.yaml"]
        if not mine:  # killed before anything was saved: start again
            if session.confirmed:
                self.counts.lost += len(session.confirmed)
            session.box, session.typed_for_step = "", {""}
            return True
        try:
            data = yaml.safe_load(mine[0].read_text(encoding="utf-8"))
            answers = [a["answer"] for a in data["answers"]]
        except Exception:
            self.counts.torn += 1
            return False
        session.id = data["id"]
        on_disk = answers[: len(session.confirmed)]
        self.counts.lost += sum(
            1 for a, b in zip(session.confirmed, on_disk, strict=False) if a != b
        )
        self.counts.lost += max(0, len(session.confirmed) - len(answers))
        extra = answers[len(session.confirmed) :]
        if extra:  # submitted as the kill came: saved, not yet shown
            if len(extra) == 1 and extra[0] == session.in_flight:
                session.confirmed.append(extra[0])
            else:
                self.counts.strays += len(extra)
        self.counts.confirmed += len(session.confirmed) - session.counted
        session.counted = len(session.confirmed)
        session.in_flight = None
        draft = (data.get("draft") or {}).get("text", "")
        if extra:  # the box was recorded: the next step starts empty
            session.box, session.typed_for_step = "", {""}
        if draft and draft not in session.typed_for_step:
            self.counts.strays += 1
        if moment == "after-pause" and not extra:
            if draft == session.box:
                self.counts.drafts_kept += 1
            else:
                self.counts.drafts_missing += 1
        session.box = draft  # what resume puts in the box
        session.typed_for_step = {"", draft}
        return data["status"] == "in progress" or moment == "finished"


def crash_test(workdir: Path, kills: int, seed: int, per_session: int = 4) -> Counts:
    """Kill the app ``kills`` times, ``per_session`` times per session at most."""
    counts = Counts()
    rng = random.Random(seed)
    run = CrashRun(workdir, rng, counts)
    while counts.kills < kills:
        run.run_session(min(per_session, kills - counts.kills))
    return counts
