"""How well the concept grader separates good answers from bad ones, on the bundled banks.

First the blind evaluation set (tests/fixtures/blind_answers.jsonl, answers written from the
question prompts alone): its figures on the tuning half and on the test half. The test half is the
one reported. Fresh batches of blind answers to tuning-half questions (never tuned on) show how
far tuning carries over to new answers, and a validation batch of blind answers to test-half
questions judges changes for questions nobody tuned. `--tune-failures` lists the tuning half's
misgraded answers (the only ones to look at while changing aliases or the grader). Then two tables
on our own hand-graded examples (tests/fixtures/graded_examples.yaml) and how often an answer's own
question scores highest among all bank questions ("right question wins", ties count as a loss) for
every seed answer and every correct_typos example. Run: python benchmarks/grader_quality.py
[--details] [--tune-failures | --tune-only] [--blind-only]; --tune-failures and --tune-only print
the tuning half alone. Any other argument prints this and exits, so that no mistyped flag prints
the held-out figures.
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from interview_sim.core.bank import Bank, Question, load_bank
from interview_sim.core.grading import PASS_SCORE, Grader, analyse
from interview_sim.locations import bundled_banks_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.blind_set import (  # noqa: E402
    FRESH_SET,
    VALIDATION_SET,
    Scored,
    current,
    figures,
    gradable,
    load_blind_set,
    score_all,
)
from tests.blind_set import KINDS as BLIND_KINDS  # noqa: E402

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


def blind_report(bank: Bank, grader: Grader, tune_failures: bool) -> None:
    written = load_blind_set()
    answers = current(bank, written)
    print(f"({len(written) - len(answers)} answers to retired questions left out)")
    halves = {h: [a for a in answers if a.half == h] for h in ("tune", "test")}
    shown = ("tune",) if tune_failures or "--tune-only" in sys.argv else ("tune", "test")
    scored = {h: score_all(bank, grader, halves[h]) for h in shown}
    if "tune" in shown and "test" in shown:  # held out like the test half: never with failures
        for name, path in (("tune, fresh", FRESH_SET), ("test, validation", VALIDATION_SET)):
            halves[name] = current(bank, load_blind_set(path))
            shown += (name,)
            scored[name] = score_all(bank, grader, halves[name])
    print("Blind evaluation set (answers written from the prompts alone)\n")
    print(
        "| half | answers | questions | " + " | ".join(BLIND_KINDS) + " | AUC good/bad "
        "| Spearman | correct passing | wrong or one-error passing | own question first |"
    )
    print("|---" * (8 + len(BLIND_KINDS)) + "|")
    for half in shown:
        f = figures(scored[half], PASS_SCORE)
        kinds = " | ".join(f"{f.mean_by_kind[k]:.1f} ({f.count_by_kind[k]})" for k in BLIND_KINDS)
        print(
            f"| {half} | {f.count} | {f.questions} | {kinds} | {f.auc:.3f} | {f.spearman:.3f} "
            f"| {100 * f.correct_pass:.0f}% | {100 * f.wrong_pass:.0f}% "
            f"| {100 * f.own_first:.0f}% |"
        )
    print()
    if tune_failures:
        print_failures(bank, grader, scored["tune"])


def misgraded(s: Scored) -> bool:
    kind, score = s.item.kind, s.score
    if kind == "correct":
        return score < 80 or s.own_rank_first is False
    if kind == "partial":
        return not 25 <= score <= 75
    if kind in ("wrong", "off_topic"):
        return score > 20
    if kind == "one_error":
        return score > 40
    return score > 40  # keywords


def print_failures(bank: Bank, grader: Grader, scored: list[Scored]) -> None:
    """Tuning half only: the answer, its score and what the grader saw."""
    for s in scored:
        if not misgraded(s):
            continue
        a = s.item
        result = grader.grade(gradable(bank, a.question), a.answer)
        print(
            f"### {a.question} [{a.kind}/{a.voice}] expected {a.expected}, got {s.score}"
            + (" (own question not first)" if s.own_rank_first is False else "")
        )
        print(a.answer)
        for c in result.concepts:
            mark = "HIT " if c.matched else "miss"
            tag = " [req]" if c.required else " [bonus]" if c.bonus else ""
            found = (
                f' <- "{a.answer[c.start : c.end]}"' if c.matched and c.start is not None else ""
            )
            print(f"  {mark} {c.name}{tag}{found}")
        for m in result.misconceptions:
            print(f'  WRONG {m.statement} <- "{a.answer[m.start : m.end]}"')
        for n in result.notes:
            print(f"  note: {n}")
        print()


FLAGS = frozenset(["--details", "--tune-failures", "--tune-only", "--blind-only"])


def main(argv: list[str]) -> None:
    unknown = [a for a in argv if a not in FLAGS]
    if unknown:
        print(f"unknown argument {unknown[0]!r}\n{__doc__}", file=sys.stderr)
        raise SystemExit(2)
    details = "--details" in argv
    bank = load_bank([bundled_banks_dir()])
    questions = list(bank.questions())
    grader = Grader(questions)
    blind_report(bank, grader, "--tune-failures" in argv)
    if "--blind-only" in argv:
        return
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
