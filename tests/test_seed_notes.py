"""Every seed answer that states an error its question's `note:` corrects gets that error
flagged and fails (issue 12). Seed answers a note does not fault are listed with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim.core.bank import load_bank
from interview_sim.core.grading import Grader
from interview_sim.locations import bundled_banks_dir

FIXTURES = Path(__file__).parent / "fixtures"

# (question, seed ref): why this seed answer is not expected to be flagged.
NOT_FAULTED = {
    ("att-positional-encoding", "003 #7"): "the note faults 000 Q19 (GPT 'sinusoidal')",
    ("dec-greedy-vs-beam", "003 #11"): "the note faults 000 Q3 (beam search for long-form text)",
    ("eff-scaling-laws", "003 #27"): "the note faults 003 #10 (data quality as a scaled variable)",
    ("eff-quantization", "003 #15"): "the note faults the seed's question, not its answer",
    ("ft-catastrophic-forgetting", "000 Q12"): "progressive networks: rare for LLMs, not wrong",
    ("ft-catastrophic-forgetting", "003 #6"): "'help mitigate' is right; the note faults 003 #17",
    ("math-hyperparameters", "003 #34"): "the note faults Q47 (train-test split)",
    ("llm-common-challenges", "000 Q50"): "the note is about an omission (hallucination)",
    ("pre-synthetic-data", "003 #48"): "the note is about an omission (the risks)",
    ("prm-chain-of-thought", "003 #13"): "'more effective at reasoning': not the note's claim",
    ("rag-pipeline-steps", "000 Q34"): "the note is about an omission (indexing)",
    ("rag-pipeline-steps", "003 #9"): "the note is about an omission (indexing)",
}
# Known misses: stated wrongly, not caught (none left).
MISSED: dict[tuple[str, str], str] = {}


def noted_cases() -> list[tuple[str, str]]:
    bank = load_bank([bundled_banks_dir()])
    return [(q.id, ref) for q in bank.questions() if q.note for ref in q.seed_refs]


@pytest.fixture(scope="module")
def graded():
    bank = load_bank([bundled_banks_dir()])
    seeds = json.loads((FIXTURES / "seed_answers.json").read_text(encoding="utf-8"))
    grader = Grader(bank.questions())
    return lambda qid, ref: grader.grade(bank.question(qid), seeds[ref]["answer"])


@pytest.mark.parametrize(("question_id", "ref"), noted_cases(), ids=lambda x: str(x))
def test_a_seed_answer_stating_a_noted_error_is_flagged_and_fails(
    graded, question_id: str, ref: str
) -> None:
    if (question_id, ref) in NOT_FAULTED:
        pytest.skip(NOT_FAULTED[(question_id, ref)])
    if (question_id, ref) in MISSED:
        pytest.xfail(MISSED[(question_id, ref)])
    result = graded(question_id, ref)
    assert result.misconceptions, f"{ref} on {question_id}: nothing flagged, score {result.score}"
    assert not result.passed


def test_the_exception_lists_name_real_cases() -> None:
    cases = set(noted_cases())
    assert set(NOT_FAULTED) <= cases and set(MISSED) <= cases
    assert len(cases) - len(NOT_FAULTED) - len(MISSED) == 45
