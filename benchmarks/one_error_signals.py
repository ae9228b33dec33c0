"""Why answers right but for one wrong claim still pass, in figures.

Uses tests/fixtures/slip_answers_unfitted.jsonl: 918 answers written from the question prompts
alone (session 8's second slip round, never merged), each right except for one slip an examiner
would fail. Each carries a label written in session 10 by helpers who compared the slip with the
question's listed misconceptions: "listed" (the bank already lists that wrong claim, named in
"misconception"), "not_listed", or "not_an_error". Nothing was tuned on these answers.

Prints, first, how often the grader flags a slip the bank lists and one it does not. Then the
grader's own reversed-claim check and two ways of catching more that a word matcher could add,
each run over the slips (all, and those the grader does not fail) and over correct answers
(the prompt-written ones in tests/fixtures/prompt_correct_answers.jsonl and the blind set's
tuning half): a probe that fires on correct answers as often as on slips cannot tell them apart,
whatever its threshold.

Run: python benchmarks/one_error_signals.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, utils

from interview_sim.core.bank import Bank, Question, load_bank
from interview_sim.core.grading import PASS_SCORE, REVERSED_STATEMENT, Grader, analyse
from interview_sim.core.text import content_stems
from interview_sim.locations import bundled_banks_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.blind_set import BLIND_SET, current, gradable, load_blind_set  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SLIPS = FIXTURES / "slip_answers_unfitted.jsonl"
PROMPT_CORRECT = FIXTURES / "prompt_correct_answers.jsonl"
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")

Pair = tuple[str, str]  # (question id, answer)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if len(s.split()) >= 3]


def parent_of(bank: Bank, question_id: str) -> Question:
    return bank.question(question_id.partition("/")[0])


class Probes:
    """Ways to spot a wrong claim from words alone, beyond the grader's own."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._correct_texts: dict[str, list[str]] = {}

    def correct_texts(self, question_id: str) -> list[str]:
        """The sentences of the question's own correct texts: model answers and hint."""
        texts = self._correct_texts.get(question_id)
        if texts is None:
            item, parent = gradable(self.bank, question_id), parent_of(self.bank, question_id)
            raw = [item.model_answer, parent.model_answer, parent.hint or ""]
            raw += [fu.model_answer for fu in parent.follow_ups]
            texts = [utils.default_process(s) for t in raw for s in sentences(t)]
            self._correct_texts[question_id] = texts
        return texts

    def closer_to_a_misconception(self, question_id: str, answer: str) -> bool:
        """A sentence at least 75 alike (token sort ratio) to a misconception's statement or a
        phrasing of three words or more, and 20 more alike to it than to every correct text of
        the question and the misconception's correction."""
        refs = self.correct_texts(question_id)
        for sentence in map(utils.default_process, sentences(answer)):
            nearest_right = max((fuzz.token_sort_ratio(sentence, r) for r in refs), default=0.0)
            for m in parent_of(self.bank, question_id).misconceptions:
                wrong = [m.statement, *(a for a in m.aliases if len(a.split()) >= 3)]
                near_wrong = max(
                    fuzz.token_sort_ratio(sentence, utils.default_process(w)) for w in wrong
                )
                right = max(
                    [nearest_right]
                    + [
                        fuzz.token_sort_ratio(sentence, utils.default_process(c))
                        for c in sentences(m.correction)
                    ]
                )
                if near_wrong >= 75 and near_wrong - right >= 20:
                    return True
        return False

    def all_but_one_word(self, question_id: str, answer: str) -> bool:
        """A sentence holding all but one content word of a misconception phrasing of four or
        more: the phrasing a stranger words a little differently."""
        phrasings = [
            set(stems)
            for m in parent_of(self.bank, question_id).misconceptions
            for a in m.aliases
            if len(stems := content_stems(a)) >= 4
        ]
        for sentence in sentences(answer):
            words = set(content_stems(sentence))
            if any(len(p - words) <= 1 for p in phrasings):
                return True
        return False


def share(pairs: Sequence[Pair], fires: Callable[[str, str], bool]) -> float:
    return sum(fires(q, a) for q, a in pairs) / len(pairs)


def read_jsonl(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        yield from (json.loads(line) for line in f if line.strip())


def main() -> None:
    bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    slips = [s for s in read_jsonl(SLIPS) if s["question"].partition("/")[0] in bank.by_id]
    slips = [s for s in slips if s["error"] != "not_an_error"]
    print(f"{len(slips)} answers right but for one slip, never fitted\n")
    print("| the slip | answers | share | flagged: that misconception | fails | mean | passing |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    every: list[Pair] = []
    missed: list[Pair] = []
    for label in ("listed", "not_listed"):
        rows = [s for s in slips if s["error"] == label]
        results = [grader.grade(gradable(bank, s["question"]), analyse(s["answer"])) for s in rows]
        own = [
            any(m.statement == s["misconception"] for m in r.misconceptions)
            for s, r in zip(rows, results, strict=True)
        ]
        fails = [any(m.fails for m in r.misconceptions) for r in results]
        every += [(s["question"], s["answer"]) for s in rows]
        missed += [(s["question"], s["answer"]) for s, f in zip(rows, fails, strict=True) if not f]
        scores = [r.score for r in results]
        print(
            f"| {label.replace('_', ' ')} | {len(rows)} | {len(rows) / len(slips):.0%} | "
            f"{f'{statistics.fmean(own):.1%}' if label == 'listed' else '-'} | "
            f"{statistics.fmean(fails):.1%} | {statistics.fmean(scores):.1f} | "
            f"{sum(x >= PASS_SCORE for x in scores) / len(scores):.0%} |"
        )
    correct: list[Pair] = [(d["question"], d["answer"]) for d in read_jsonl(PROMPT_CORRECT)]
    correct += [
        (a.question, a.answer)
        for a in current(bank, load_blind_set(BLIND_SET))
        if a.half == "tune" and a.kind == "correct"
    ]
    correct = [(q, a) for q, a in correct if q.partition("/")[0] in bank.by_id]
    probes = Probes(bank)

    def reversed_claim(question_id: str, answer: str) -> bool:
        result = grader.grade(gradable(bank, question_id), analyse(answer))
        return any(m.statement == REVERSED_STATEMENT for m in result.misconceptions)

    print(
        f"\nProbes: the share of {len(correct)} correct answers, of the {len(every)} slips and of"
    )
    print(f"the {len(missed)} slips the grader does not fail, that each would flag\n")
    print("| probe | correct answers | slips | slips not failed |")
    print("|---|---:|---:|---:|")
    for name, fires in (
        ("the grader's reversed-claim check", reversed_claim),
        ("a sentence nearer a misconception than any right text", probes.closer_to_a_misconception),
        ("a sentence with all but one word of a misconception phrasing", probes.all_but_one_word),
    ):
        rates = (share(pairs, fires) for pairs in (correct, every, missed))
        print(f"| {name} | " + " | ".join(f"{r:.1%}" for r in rates) + " |")


if __name__ == "__main__":
    main()
