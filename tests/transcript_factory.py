"""Real transcripts for tests and benchmarks, made by running the engine (never by hand).

``GOOD`` answers hit every concept of the mini banks' questions; ``POOR`` hits none. A
session is driven with ``answer_with``: a function from the current step to the text typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.plan import plan_questions
from interview_sim.core.recorder import Recorder, new_interview
from interview_sim.core.session import Interview, Step
from interview_sim.core.settings import Clock, SessionSettings
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import Transcript

GOOD: dict[str, str] = {
    "arc-residual": "Residual connections give a direct path for gradient flow, so each layer "
    "can learn a residual that adds the input back.",
    "arc-layer-norm": "Layer norm normalizes the features of each token to zero mean and unit "
    "variance, which helps stabilize training.",
    "arc-kv-cache": "The KV cache stores the keys and values of past tokens so each decoding "
    "step can avoid recomputing them.",
    "smp-temperature": "Temperature divides the logits before the softmax: a low temperature is "
    "more deterministic, a sharper distribution, while a high one flattens "
    "the distribution and is more random.",
    "smp-top-k": "Top-k sampling keeps the k most likely tokens, then we renormalize and sample "
    "from them; it is a fixed size regardless of the distribution.",
    "smp-top-p": "Nucleus sampling keeps the smallest set whose cumulative probability reaches "
    "p, so it adapts to the model's confidence.",
    "smp-beam": "Greedy decoding keeps the single best token at each step, while beam search "
    "keeps k sequences, with a beam width of several hypotheses.",
    "smp-speculative": "A small draft model proposes tokens and the large model verifies them "
    "in a single forward pass, so the output has the same distribution.",
    "smp-min-p": "Min-p keeps tokens above a threshold relative to the top token, so it adapts "
    "to confidence.",
    # follow-ups, by their own id
    "depth": "It becomes hard to train and unstable.",
    "pre-ln": "Better gradient flow, so it trains without warmup.",
    "memory": "It grows with sequence length and batch size.",
    "zero": "It becomes greedy decoding, the argmax.",
    "above-one": "To get more diverse and creative text.",
    "vs-top-p": "Top-p uses a cumulative probability threshold, the nucleus.",
    "typical-p": "Around 0.9 is typical.",
    "cost": "It needs about k times the compute of greedy, so it is slower.",
    "acceptance": "The acceptance rate: how many drafted tokens are accepted.",
    "versus": "It cuts the long tail of incoherent tokens.",
}
POOR = "I am not sure, something about the model."

Answerer = Callable[[Step], str]


def good(step: Step) -> str:
    key = step.follow_up.id if step.follow_up else step.question.id
    return GOOD[key]


def poor(step: Step) -> str:
    return POOR


def good_except(*question_ids: str) -> Answerer:
    """Good answers, except poor ones for these main questions (and their follow-ups)."""
    return lambda step: poor(step) if step.question.id in question_ids else good(step)


def start_session(
    bank: Bank, grader: Grader, folder: Path, clock: Clock, settings: SessionSettings
) -> Interview:
    """A new saved session, started (its first question waiting)."""
    plan = plan_questions(bank, settings)
    interview = new_interview(bank, grader, SessionStore(folder), settings, plan, clock)
    interview.start()
    return interview


def answer(
    interview: Interview,
    answer_with: Answerer,
    *,
    steps: int | None = None,
    seconds: float = 30.0,
    advance: Callable[[float], None] | None = None,
) -> None:
    """Answer ``steps`` steps (all remaining if None), ``seconds`` apart on the clock."""
    done = 0
    while interview.current is not None and (steps is None or done < steps):
        if advance is not None:
            advance(seconds)
        interview.submit(answer_with(interview.current))
        done += 1


def session_id(interview: Interview) -> str:
    recorder = interview.on_record
    assert isinstance(recorder, Recorder)
    return recorder.session_id


def in_memory_transcript(
    bank: Bank,
    grader: Grader,
    settings: SessionSettings,
    answers: list[str],
    session_id: str = "20260101-120000-abcd",
    created: str = "2026-01-01T12:00:00+00:00",
) -> Transcript:
    """Run the engine without a store (nothing written): answers are used in turn."""
    plan = plan_questions(bank, settings)
    interview = Interview(bank, grader, settings, plan, clock=lambda: 1000.0)
    interview.start()
    i = 0
    while interview.current is not None and i < len(answers):
        interview.submit(answers[i])
        i += 1
    return Transcript.from_interview(session_id, interview, created, "0.0.0")
