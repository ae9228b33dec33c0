"""How well the concept grader separates good answers from bad ones, on the bundled banks.

Prints two Markdown tables: the hand-graded examples (tests/fixtures/graded_examples.yaml) by
kind of answer, and how often an answer's own question scores highest among all bank questions
("right question wins", ties count as a loss) for every seed answer and every correct_typos
example. Run: python benchmarks/grader_quality.py [--details]
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from interview_sim.core.bank import Question, load_bank
from interview_sim.core.grading import Grader, analyse
from interview_sim.locations import bundled_banks_dir

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KINDS = ("correct_typos", "partial", "wrong", "off_topic", "keyword_list")


@dataclass(frozen=True, slots=True)
class Contest:
    """One answer graded against every question: did its own question come out on top?"""

    label: str
    own: str
    own_score: int
    best_other: str
    best_other_score: int

    @property
    def won(self) -> bool:
        return self.own_score > self.best_other_score


def contest(grader: Grader, questions: list[Question], label: str, own: str, text: str) -> Contest:
    analysed = analyse(text)
    scores = {q.id: grader.grade(q, analysed).score for q in questions}
    own_score = scores.pop(own)
    best_other = max(scores, key=lambda qid: scores[qid])
    return Contest(label, own, own_score, best_other, scores[best_other])


def share(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "0/0"


def main(argv: list[str]) -> None:
    details = "--details" in argv
    bank = load_bank([bundled_banks_dir()])
    questions = list(bank.questions())
    grader = Grader(questions)
    examples = yaml.safe_load((FIXTURES / "graded_examples.yaml").read_text(encoding="utf-8"))
    seeds = json.loads((FIXTURES / "seed_answers.json").read_text(encoding="utf-8"))

    n_questions = len({e["question"] for e in examples})
    print(f"Graded examples: {len(examples)} answers to {n_questions} questions\n")
    print("| kind | answers | band | mean score | within band | marked xfail |")
    print("|---|---:|---:|---:|---:|---:|")
    scores: dict[tuple[str, str], int] = {}
    outside: list[str] = []
    for kind in KINDS:
        of_kind = [e for e in examples if e["kind"] == kind]
        within = 0
        bands = set()
        for e in of_kind:
            score = grader.grade(bank.question(e["question"]), e["answer"]).score
            scores[(e["question"], kind)] = score
            lo, hi = e["band"]
            bands.add(f"{lo}-{hi}")
            if lo <= score <= hi:
                within += 1
            else:
                outside.append(f"{e['question']}-{kind}: {score} (band {lo}-{hi})")
        mean = statistics.fmean(scores[(e["question"], kind)] for e in of_kind)
        xfails = sum(1 for e in of_kind if e.get("xfail"))
        band = ", ".join(sorted(bands))
        print(
            f"| {kind} | {len(of_kind)} | {band} | {mean:.1f} | {share(within, len(of_kind))} "
            f"| {xfails} |"
        )
    gaps = [
        scores[(e["question"], "correct_typos")] - scores[(e["question"], "keyword_list")]
        for e in examples
        if e["kind"] == "keyword_list"
    ]
    print(
        f"\nKeyword list at least 25 below the same question's correct_typos answer: "
        f"{share(sum(g >= 25 for g in gaps), len(gaps))}; mean gap {statistics.fmean(gaps):.1f}"
    )

    owner = {ref: q.id for q in questions for ref in q.seed_refs}
    seed_contests = [
        contest(grader, questions, ref, owner[ref], item["answer"])
        for ref, item in seeds.items()
        if ref in owner
    ]
    example_contests = [
        contest(grader, questions, f"{e['question']}-correct_typos", e["question"], e["answer"])
        for e in examples
        if e["kind"] == "correct_typos"
    ]
    print("\nRight question wins (own question strictly highest of all bank questions):\n")
    print("| answers | count | own question wins |")
    print("|---|---:|---:|")
    for name, contests in (
        ("seed answers", seed_contests),
        ("correct_typos examples", example_contests),
        ("all", seed_contests + example_contests),
    ):
        won = sum(c.won for c in contests)
        print(f"| {name} | {len(contests)} | {share(won, len(contests))} |")

    if details:
        print("\nOutside their band:")
        for line in outside:
            print(f"- {line}")
        print("\nOwn question does not win:")
        for c in seed_contests + example_contests:
            if not c.won:
                print(f"- {c.label}: {c.own} {c.own_score}, {c.best_other} {c.best_other_score}")


if __name__ == "__main__":
    main(sys.argv[1:])
