"""The values a bank file becomes (topics, questions, concepts) and the errors loading raises."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from interview_sim.core.retired import current_id

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
MAX_BANK_BYTES = 5 * 1024 * 1024
MIN_PER_DIFFICULTY = 5  # an interview asks up to 5 questions of one topic and difficulty
BANK_SUFFIXES = (".yaml", ".yml")
MAX_ALIAS_WORDS = 5  # banks/README.md: an alias is a short phrase, not a sentence


# The values are NamedTuples (Bank a plain class): immutable like frozen dataclasses, and
# cheaper to build, which counts when a large bank becomes tens of thousands of them.


class Concept(NamedTuple):
    name: str
    aliases: tuple[str, ...]
    weight: float = 1.0
    required: bool = False
    bonus: bool = False


class Misconception(NamedTuple):
    statement: str
    aliases: tuple[str, ...]
    correction: str


class FollowUp(NamedTuple):
    id: str
    parent_id: str
    prompt: str
    probes: tuple[str, ...]
    concepts: tuple[Concept, ...]
    model_answer: str

    @property
    def full_id(self) -> str:
        return f"{self.parent_id}/{self.id}"


class Question(NamedTuple):
    id: str
    topic: str
    difficulty: str
    prompt: str
    concepts: tuple[Concept, ...]
    follow_ups: tuple[FollowUp, ...]
    model_answer: str
    hint: str | None = None
    misconceptions: tuple[Misconception, ...] = ()
    seed_refs: tuple[str, ...] = ()
    note: str | None = None
    source: str = ""
    line: int = 0

    @property
    def fingerprint(self) -> str:
        """Changes whenever what is asked or how it is graded changes (stored in transcripts)."""
        parts = [self.prompt, self.model_answer]
        for concept in self.concepts:
            parts.append(f"{concept.name}|{concept.weight}|{concept.required}|{concept.bonus}")
            parts.extend(concept.aliases)
        for fu in self.follow_ups:
            parts.append(f"{fu.id}|{fu.prompt}")
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


class Topic(NamedTuple):
    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    source: str

    def count_at(self, difficulty: str) -> int:
        """How many of the topic's questions have this difficulty."""
        return sum(1 for q in self.questions if q.difficulty == difficulty)


class TopicSummary(NamedTuple):
    """What the setup screen and a session's settings need of a topic: no questions."""

    id: str
    title: str
    description: str
    counts: tuple[int, ...]  # questions per difficulty, in DIFFICULTIES order

    def count_at(self, difficulty: str) -> int:
        """How many of the topic's questions have this difficulty (as Topic.count_at)."""
        return self.counts[DIFFICULTIES.index(difficulty)] if difficulty in DIFFICULTIES else 0

    @classmethod
    def of(cls, topic: Topic) -> TopicSummary:
        return cls(topic.id, topic.title, topic.description, _counts(topic.questions))


def _counts(questions: Sequence[Question]) -> tuple[int, ...]:
    counts = dict.fromkeys(DIFFICULTIES, 0)
    for q in questions:
        counts[q.difficulty] += 1
    return tuple(counts.values())


class Problem(NamedTuple):
    """One thing wrong with a bank file, located as precisely as we can."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class BankError(Exception):
    """Raised when banks cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownQuestionError(KeyError):
    """An id that no loaded bank has; carries the nearest ids to suggest."""

    def __init__(self, question_id: str, suggestions: Sequence[str]) -> None:
        self.question_id = question_id
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no question with id {question_id!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class Bank:
    """All loaded topics, with questions indexed by id.

    A bank from ``load_bank`` knows its topics' summaries at once and assembles its questions
    the first time ``topics``, ``by_id`` or a question is asked for (from any thread, once)."""

    __slots__ = ("_assemble", "_by_id", "_lock", "_summaries", "_topics", "warnings")

    def __init__(
        self,
        topics: dict[str, Topic] | None = None,
        by_id: dict[str, Question] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        self._topics: dict[str, Topic] = {} if topics is None else topics
        self._by_id: dict[str, Question] = {} if by_id is None else by_id
        self.warnings: list[Problem] = [] if warnings is None else warnings
        self._summaries: dict[str, TopicSummary] | None = None
        self._assemble: Callable[[], tuple[dict[str, Topic], dict[str, Question]]] | None = None
        self._lock = threading.Lock()

    @classmethod
    def deferred(
        cls,
        summaries: dict[str, TopicSummary],
        assemble: Callable[[], tuple[dict[str, Topic], dict[str, Question]]],
        warnings: list[Problem],
    ) -> Bank:
        """A bank whose topics are ``summaries`` until ``assemble`` gives their questions."""
        bank = cls(warnings=warnings)
        bank._summaries = summaries
        bank._assemble = assemble
        return bank

    @property
    def summaries(self) -> dict[str, TopicSummary]:
        """Each topic's id, title and counts, without assembling the questions."""
        if self._summaries is not None:
            return self._summaries
        return {t.id: TopicSummary.of(t) for t in self._topics.values()}

    @property
    def topics(self) -> dict[str, Topic]:
        if self._assemble is not None:
            self._assembled()
        return self._topics

    @property
    def by_id(self) -> dict[str, Question]:
        if self._assemble is not None:
            self._assembled()
        return self._by_id

    def _assembled(self) -> None:
        with self._lock:  # the app's preparing thread and a quick Start may both ask
            if self._assemble is not None:
                self._topics, self._by_id = self._assemble()
                self._assemble = None

    def questions(self) -> Iterator[Question]:
        for topic in self.topics.values():
            yield from topic.questions

    def question(self, question_id: str) -> Question:
        """The question with this id; a retired id gives the question it was merged into."""
        try:
            return self.by_id[current_id(question_id)]
        except KeyError:
            raise UnknownQuestionError(question_id, self.nearest_ids(question_id)) from None

    def gradable(self, item_id: str) -> Question | FollowUp:
        """What an answer can be graded against: a question id, or QUESTION_ID/FOLLOWUP_ID
        for one of its follow-ups."""
        qid, _, fid = item_id.partition("/")
        question = self.question(qid)
        if not fid:
            return question
        for fu in question.follow_ups:
            if fu.id == fid:
                return fu
        known = ", ".join(fu.full_id for fu in question.follow_ups)
        raise UnknownQuestionError(item_id, [known] if known else [])

    def nearest_ids(self, question_id: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        found = process.extract(question_id, list(self.by_id), scorer=fuzz.WRatio, limit=limit)
        return [choice for choice, score, _ in found if score >= 50]
