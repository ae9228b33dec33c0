"""The blind evaluation set: answers written from the question prompts alone, and its measures.

The answers in fixtures/blind_answers.jsonl were written by helper sessions that saw only the
question text (never concepts, aliases, misconceptions or model answers). The set is split once,
by a fixed hash of the (parent) question id, into a tuning half and a test half: aliases, rules
and constants may be changed while looking at tuning-half failures only; figures are reported on
the test half, whose answers are never read while working on the grader.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from interview_sim.core.bank import Bank, FollowUp, Question
from interview_sim.core.grading import Grader, analyse
from interview_sim.core.retired import RETIRED_IDS

# Also in it since session 7: the first fresh batch of session 6 (791 answers to tuning-half
# questions, two more blind authors), whose failures session 7 looked at while tuning.
BLIND_SET = Path(__file__).parent / "fixtures" / "blind_answers.jsonl"
# Fresh blind batches to tuning-half questions only, kept out of all tuning: they measure whether
# what tuning learnt carries over to new answers to the same questions. Like the test half, they
# are reported and never read while changing the grader. Two from session 6 (791 and 792 answers;
# the 1,583 first lines) and one written at the start of session 7 (801, the rest), each by two
# authors who had not answered these questions before.
FRESH_SET = Path(__file__).parent / "fixtures" / "blind_answers_fresh.jsonl"
# The fresh batches cannot judge a change to one question's aliases for questions nobody tuned:
# their questions' aliases were checked against tuning answers. The validation batch (session 7,
# two blind authors) answers the test half's questions; like the fresh batches it is never read,
# and unlike the test half it may judge a change (the test half only reports).
VALIDATION_SET = Path(__file__).parent / "fixtures" / "blind_answers_validation.jsonl"
KINDS = ("correct", "partial", "wrong", "one_error", "off_topic", "keywords")
BAD_KINDS = frozenset(["wrong", "one_error", "off_topic", "keywords"])


@dataclass(frozen=True, slots=True)
class BlindAnswer:
    question: str  # a question id, or QUESTION_ID/FOLLOWUP_ID
    kind: str
    voice: str
    expected: int
    answer: str

    @property
    def parent(self) -> str:
        return self.question.partition("/")[0]

    @property
    def half(self) -> str:
        return half_of(self.parent)


def half_of(question_id: str) -> str:
    """'tune' or 'test', fixed forever by the question id (follow-ups go with their parent)."""
    digest = hashlib.sha256(question_id.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def load_blind_set(path: Path = BLIND_SET) -> list[BlindAnswer]:
    answers = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            answers.append(
                BlindAnswer(
                    raw["question"], raw["kind"], raw["voice"], int(raw["expected"]), raw["answer"]
                )
            )
    return answers


def current(bank: Bank, answers: Iterable[BlindAnswer]) -> list[BlindAnswer]:
    """The answers whose question or follow-up the banks still ask as written (an answer to a
    retired question answered a prompt nobody is asked any more)."""
    out = []
    for a in answers:
        if a.parent in RETIRED_IDS or a.parent not in bank.by_id:
            continue
        _, _, fid = a.question.partition("/")
        if fid and all(fu.id != fid for fu in bank.by_id[a.parent].follow_ups):
            continue
        out.append(a)
    return out


def gradable(bank: Bank, item_id: str) -> Question | FollowUp:
    """The question, or QUESTION_ID/FOLLOWUP_ID's follow-up, as `grade` finds it."""
    return bank.gradable(item_id)


def auc(good: Sequence[float], bad: Sequence[float]) -> float:
    """Probability that a random good answer outscores a random bad one (ties count half)."""
    if not good or not bad:
        return float("nan")
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad)
    return wins / (len(good) * len(bad))


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    def ranks(values: Sequence[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    return statistics.correlation(ranks(xs), ranks(ys))


@dataclass(frozen=True, slots=True)
class Scored:
    item: BlindAnswer
    score: int
    own_rank_first: bool | None  # main-question correct answers only


@dataclass(frozen=True, slots=True)
class Figures:
    count: int
    questions: int
    mean_by_kind: dict[str, float]
    count_by_kind: dict[str, int]
    auc: float
    spearman: float
    correct_pass: float  # share of correct answers at or above the pass line
    wrong_pass: float  # share of wrong / one_error answers at or above the pass line
    own_first: float  # share of main-question correct answers whose own question scores highest


def score_all(
    bank: Bank, grader: Grader, answers: Iterable[BlindAnswer], *, rank: bool = True
) -> list[Scored]:
    questions = list(bank.questions())
    out = []
    for a in answers:
        analysed = analyse(a.answer)
        score = grader.grade(gradable(bank, a.question), analysed).score
        first: bool | None = None
        if rank and a.kind == "correct" and "/" not in a.question:
            others = max(grader.grade(q, analysed).score for q in questions if q.id != a.question)
            first = score > others
        out.append(Scored(a, score, first))
    return out


def figures(scored: Sequence[Scored], pass_score: int) -> Figures:
    by_kind: dict[str, list[int]] = {k: [] for k in KINDS}
    for s in scored:
        by_kind[s.item.kind].append(s.score)
    good = by_kind["correct"]
    bad = [s.score for s in scored if s.item.kind in BAD_KINDS]
    wrongish = by_kind["wrong"] + by_kind["one_error"]
    ranked = [s.own_rank_first for s in scored if s.own_rank_first is not None]
    return Figures(
        count=len(scored),
        questions=len({s.item.question for s in scored}),
        mean_by_kind={k: statistics.fmean(v) if v else float("nan") for k, v in by_kind.items()},
        count_by_kind={k: len(v) for k, v in by_kind.items()},
        auc=auc(good, bad),
        spearman=spearman([s.score for s in scored], [s.item.expected for s in scored]),
        correct_pass=sum(g >= pass_score for g in good) / len(good) if good else float("nan"),
        wrong_pass=sum(w >= pass_score for w in wrongish) / len(wrongish)
        if wrongish
        else float("nan"),
        own_first=sum(ranked) / len(ranked) if ranked else float("nan"),
    )
