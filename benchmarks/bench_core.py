"""Bank loading and grading speed: medians and ratios. Run: python benchmarks/bench_core.py"""

from __future__ import annotations

import contextlib
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from interview_sim.core import yamlio
from interview_sim.core.bank import load_bank
from interview_sim.core.grading import Grader, analyse
from interview_sim.locations import bundled_banks_dir

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seed_answers.json"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cache_off():
    return cache_at("off")


@contextlib.contextmanager
def cache_at(setting: str):
    old = os.environ.get("INTERVIEW_SIM_CACHE")
    os.environ["INTERVIEW_SIM_CACHE"] = setting
    try:
        yield
    finally:
        if old is None:
            del os.environ["INTERVIEW_SIM_CACHE"]
        else:
            os.environ["INTERVIEW_SIM_CACHE"] = old


def synthetic_bank(folder: Path, n: int, per_file: int = 1000) -> None:
    """n questions in files of per_file each (a single bank file may be at most 5 MB)."""
    for start in range(0, n, per_file):
        _synthetic_file(
            folder / f"synthetic-{start // per_file:03d}.yaml", start, min(n, start + per_file)
        )


def _synthetic_file(path: Path, first: int, last: int) -> None:
    rng = random.Random(first)
    words = "attention token model layer head cache vector sample decode embed gradient".split()
    lines = ["topic: synthetic", "title: Synthetic", "questions:"]
    for i in range(first, last):
        a, b, c = rng.sample(words, 3)
        lines += [
            f"  - id: syn-{i}",
            f"    difficulty: {('easy', 'medium', 'hard')[i % 3]}",
            f"    prompt: How does the {a} relate to the {b} in question {i}?",
            "    concepts:",
            f"      - {{name: {a} {b}, weight: 2, required: true, aliases: [{a} {b}, {b} {a}]}}",
            f"      - {{name: {c} role, aliases: [{c} role, role of {c}]}}",
            f"      - {{name: {a} cost, bonus: true, aliases: [{a} cost, expensive {a}]}}",
            "    follow_ups:",
            f"      - {{id: more, prompt: And the {c}?, probes: [{c} role], model_answer: It "
            f"depends., concepts: [{{name: {c} use, aliases: [{c} use]}}]}}",
            f"    model_answer: The {a} and the {b} interact through the {c}.",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def pyyaml_parser():
    """The baseline: PyYAML's C loader in place of yaml-rs (what the loader used before)."""
    real = yamlio.parse_document
    yamlio.parse_document = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
    try:
        yield
    finally:
        yamlio.parse_document = real


def main() -> None:
    banks = bundled_banks_dir()
    n_questions = sum(1 for _ in load_bank([banks]).questions())
    # .by_id: the questions themselves (a bank from the cache decodes them when first asked)
    c_ms = median_ms(lambda: load_bank([banks]).by_id, 15)
    summary_ms = median_ms(lambda: load_bank([banks]), 15)
    with cache_off():
        cold_ms = median_ms(lambda: load_bank([banks]).by_id, 7)
        with pyyaml_parser():  # YAML 1.1 reads an alias `no` as false: not strict
            py_ms = median_ms(lambda: load_bank([banks], strict=False).by_id, 5)
    print(
        f"bank load+validate, {n_questions} bundled questions: median {c_ms:.1f} ms from the "
        f"parse cache ({summary_ms:.1f} ms for the topics' summaries start-up reads); "
        f"{cold_ms:.1f} ms parsing with yaml-rs; {py_ms:.0f} ms parsing with "
        f"PyYAML's C loader (yaml-rs {py_ms / cold_ms:.1f}x faster)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_bank(Path(tmp), 10_000)
        with cache_off():
            syn_cold = median_ms(lambda: load_bank([Path(tmp)]).by_id, 5)
            with pyyaml_parser():
                syn_py = median_ms(lambda: load_bank([Path(tmp)]).by_id, 1)
        firsts = []
        for _ in range(3):  # a first load parses and fills an empty cache
            with tempfile.TemporaryDirectory() as cache, cache_at(cache):
                firsts.append(median_ms(lambda: load_bank([Path(tmp)]).by_id, 1))
        load_bank([Path(tmp)])
        syn_warm = median_ms(lambda: load_bank([Path(tmp)]).by_id, 5)
    print(
        f"synthetic 10,000-question bank load+validate: median {syn_cold:.0f} ms parsing with "
        f"yaml-rs (cache off), {statistics.median(firsts):.0f} ms for a first load that fills "
        f"the cache, {syn_warm:.0f} ms from the cache; {syn_py:.0f} ms parsing with PyYAML's "
        f"C loader (one run)"
    )

    bank = load_bank([banks])
    grader = Grader(bank.questions())
    questions = list(bank.questions())
    q = bank.question("att-attention-mechanism")
    words = (q.model_answer + " ").split()
    answer = " ".join((words * (300 // len(words) + 1))[:300])
    grader.grade(q, answer)
    per_answer = median_ms(lambda: grader.grade(q, answer), 300)
    print(f"grade a 300-word answer against one question: median {per_answer:.3f} ms")
    seeds = json.loads(SEEDS.read_text(encoding="utf-8"))

    def all_pairs() -> None:
        for item in seeds.values():
            analysed = analyse(item["answer"])
            for question in questions:
                grader.grade(question, analysed)

    total_ms = median_ms(all_pairs, 3)
    print(
        f"grade all {len(seeds)} seed answers x {len(questions)} questions "
        f"({len(seeds) * len(questions):,} gradings): median {total_ms:.0f} ms in all"
    )


if __name__ == "__main__":
    main()
