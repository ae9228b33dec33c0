"""Hand-written answers of five kinds must land in their expected score bands on the real banks.

Each example in fixtures/graded_examples.yaml is one answer to a bundled question: correct with
typos, partial, confidently wrong, off-topic, or a bare keyword list. An example the grader is
known to get wrong carries an ``xfail`` (band) or ``xfail_gap`` (keyword-list gap) reason and is a
strict xfail, so a fix to the grader or the banks shows up as an unexpected pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.grading import Grader
from interview_sim.locations import bundled_banks_dir

EXAMPLES = Path(__file__).parent / "fixtures" / "graded_examples.yaml"
KINDS = ("correct_typos", "partial", "wrong", "off_topic", "keyword_list")
KEYWORD_LIST_GAP = 25  # a keyword list scores at least this much below a correct answer


@dataclass(frozen=True, slots=True)
class Example:
    question: str
    kind: str
    answer: str
    band: tuple[int, int]
    xfail: str | None = None
    xfail_gap: str | None = None

    @property
    def id(self) -> str:
        return f"{self.question}-{self.kind}"


def load_examples() -> list[Example]:
    raw = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    examples = []
    for item in raw:
        lo, hi = item["band"]
        examples.append(
            Example(
                item["question"],
                item["kind"],
                item["answer"],
                (lo, hi),
                item.get("xfail"),
                item.get("xfail_gap"),
            )
        )
    return examples


ALL = load_examples()


def xfail(reason: str | None) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def params(examples: list[Example]) -> list[object]:
    return [pytest.param(e, id=e.id, marks=xfail(e.xfail)) for e in examples]


@pytest.fixture(scope="module")
def bundled() -> tuple[Bank, Grader]:
    bank = load_bank([bundled_banks_dir()])
    return bank, Grader(bank.questions())


def test_examples_are_well_formed(bundled: tuple[Bank, Grader]) -> None:
    bank, _ = bundled
    ids = [e.id for e in ALL]
    assert len(ids) == len(set(ids)), "an example id is repeated"
    assert all(e.kind in KINDS for e in ALL)
    assert all(e.xfail_gap is None or e.kind == "keyword_list" for e in ALL)
    questions = {e.question for e in ALL}
    for qid in questions:
        bank.question(qid)  # raises for an unknown id
        assert {e.kind for e in ALL if e.question == qid} == set(KINDS), qid
    assert len(questions) >= 20
    topics = {bank.question(q).topic for q in questions}
    difficulties = {bank.question(q).difficulty for q in questions}
    assert topics == set(bank.topics) and difficulties == {"easy", "medium", "hard"}


@pytest.mark.parametrize("example", params(ALL))
def test_example_scores_within_its_band(bundled: tuple[Bank, Grader], example: Example) -> None:
    bank, grader = bundled
    result = grader.grade(bank.question(example.question), example.answer)
    lo, hi = example.band
    hit = [c.name for c in result.hit]
    assert lo <= result.score <= hi, f"score {result.score} not in [{lo}, {hi}]; hit {hit}"


def keyword_list_pairs() -> list[object]:
    by_id = {e.id: e for e in ALL}
    return [
        pytest.param(
            by_id[f"{e.question}-correct_typos"], e, id=e.question, marks=xfail(e.xfail_gap)
        )
        for e in ALL
        if e.kind == "keyword_list"
    ]


@pytest.mark.parametrize(("correct", "listed"), keyword_list_pairs())
def test_keyword_list_scores_well_below_the_correct_answer(
    bundled: tuple[Bank, Grader], correct: Example, listed: Example
) -> None:
    bank, grader = bundled
    q = bank.question(correct.question)
    explained = grader.grade(q, correct.answer).score
    keywords = grader.grade(q, listed.answer)
    assert keywords.score <= explained - KEYWORD_LIST_GAP, (
        f"keyword list {keywords.score} (read as a list: {keywords.keyword_list}), "
        f"correct answer {explained}"
    )
