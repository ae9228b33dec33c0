"""Choosing a session's main questions: seeded, no repeats, balanced across topics, most due
first when the schedule is asked."""

from __future__ import annotations

import random
from collections.abc import Mapping

from interview_sim.core.bank import DIFFICULTIES, Bank, Question
from interview_sim.core.settings import SessionError, SessionSettings


def plan_questions(
    bank: Bank, settings: SessionSettings, priorities: Mapping[str, float] | None = None
) -> list[Question]:
    """Choose the session's main questions: seeded, no repeats, balanced across topics.

    With ``priorities`` (question id -> how due it is, higher first) the most due questions
    are taken first; otherwise a "mixed" session ramps from easy to hard.
    """
    settings.validate(bank)
    rng = random.Random(settings.seed)
    topic_ids = list(settings.topics or bank.topics)
    pool = [q for t in topic_ids for q in bank.topics[t].questions]
    if settings.difficulty != "mixed":
        pool = [q for q in pool if q.difficulty == settings.difficulty]
    if not pool:
        raise SessionError(f"no {settings.difficulty} questions in topic(s) {', '.join(topic_ids)}")
    if priorities is not None:  # due now (most overdue first), then never asked, then the rest
        due = sorted(
            (q for q in pool if priorities.get(q.id, -1.0) >= 0),
            key=lambda q: (-priorities[q.id], q.id),
        )
        fresh = [q for q in pool if q.id not in priorities]
        rng.shuffle(fresh)
        later = sorted(
            (q for q in pool if priorities.get(q.id, 0.0) < 0 and q.id in priorities),
            key=lambda q: (-priorities[q.id], q.id),
        )
        return (due + fresh + later)[: settings.questions]
    n = min(settings.questions, len(pool))
    wanted = _difficulty_ramp(n) if settings.difficulty == "mixed" else [settings.difficulty] * n
    by_topic: dict[str, list[Question]] = {t: [] for t in topic_ids}
    for q in pool:
        by_topic[q.topic].append(q)
    for questions in by_topic.values():
        rng.shuffle(questions)
    order = [t for t in topic_ids if by_topic[t]]
    rng.shuffle(order)
    chosen: list[Question] = []
    for slot, difficulty in enumerate(wanted):
        for offset in range(len(order)):  # round robin over topics, starting at this slot's
            topic = order[(slot + offset) % len(order)]
            taken = _take(by_topic[topic], difficulty)
            if taken is not None:
                chosen.append(taken)
                break
    return chosen


def _difficulty_ramp(n: int) -> list[str]:
    return [DIFFICULTIES[min(2, i * 3 // max(n, 1))] for i in range(n)]


def _take(questions: list[Question], difficulty: str) -> Question | None:
    """Pop the first question of this difficulty, else of the nearest difficulty."""
    target = DIFFICULTIES.index(difficulty)
    for distance in range(3):
        for i, q in enumerate(questions):
            if abs(DIFFICULTIES.index(q.difficulty) - target) == distance:
                return questions.pop(i)
    return None
