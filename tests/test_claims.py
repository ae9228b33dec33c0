"""Claims stated the wrong way round, numbers in their many spellings, negation with its scope."""

from __future__ import annotations

import pytest

from interview_sim.core.bank import Concept, FollowUp, Misconception, Question, load_bank
from interview_sim.core.claims import claims
from interview_sim.core.grading import PASS_SCORE, REVERSED_STATEMENT, Grader
from interview_sim.core.text import stem
from interview_sim.locations import bundled_banks_dir

TEMPERATURE = Question(
    id="t-temp",
    topic="t",
    difficulty="easy",
    prompt="What does temperature do?",
    concepts=(
        Concept("divides the logits", ("divide the logits", "logits divided"), 1, True, False),
        Concept("low sharpens", ("low temperature sharper", "more deterministic"), 1, False, False),
        Concept("high flattens", ("high temperature flatter", "more random"), 1, False, False),
    ),
    follow_ups=(
        FollowUp(
            "zero",
            "t-temp",
            "And at zero?",
            ("low sharpens",),
            (Concept("greedy", ("greedy", "argmax"), 1, True, False),),
            "As the temperature goes to zero sampling becomes greedy decoding.",
        ),
    ),
    model_answer=(
        "The logits are divided by the temperature before the softmax. A low temperature "
        "makes the distribution sharper and the output more deterministic; a high "
        "temperature makes the distribution flatter and the output more random."
    ),
    misconceptions=(
        Misconception(
            "Temperature changes which token ranks first.",
            ("changes the ranking", "reorders the tokens"),
            "Dividing every logit by one positive number keeps their order.",
        ),
    ),
)
GRADER = Grader([TEMPERATURE])
RIGHT = (
    "Temperature divides the logits. With a low temperature the distribution gets sharper, "
    "more deterministic; with a high temperature it gets flatter and more random."
)
ONE_REVERSED = (
    "Temperature divides the logits: low values give more deterministic output, high "
    "values more random output, and the distribution gets flatter with a low temperature."
)
SWAPPED = (
    "Temperature divides the logits. With a high temperature the distribution gets "
    "sharper, more deterministic; with a low temperature it gets flatter and more random."
)


def test_the_same_words_with_the_roles_swapped_fail_and_say_why() -> None:
    right = GRADER.grade(TEMPERATURE, RIGHT)
    swapped = GRADER.grade(TEMPERATURE, SWAPPED)
    assert right.passed and not right.misconceptions
    assert not swapped.passed
    flagged = [m for m in swapped.misconceptions if m.statement == REVERSED_STATEMENT]
    assert flagged
    assert "high temperature" in SWAPPED[flagged[0].start : flagged[0].end]


def test_one_claim_the_other_way_round_costs_points_and_two_fail() -> None:
    # On strangers' answers one reversed claim fires about as often on correct answers as on
    # wrong ones, so alone it costs points; a whole answer swapped holds two and fails.
    one = GRADER.grade(TEMPERATURE, ONE_REVERSED)
    assert [m.label for m in one.misconceptions] == ["Possibly reversed"]
    assert one.score == 80 and one.passed
    assert one.notes == (
        'possibly stated the other way round "flatter with a low": 20 points off '
        "(two such claims fail the answer)",
    )
    swapped = GRADER.grade(TEMPERATURE, SWAPPED)
    assert len(swapped.misconceptions) == 2 and swapped.score < PASS_SCORE
    assert [n.partition('"')[0] for n in swapped.notes] == ["stated the other way round "] * 2
    assert all(n.endswith(": two such claims fail") for n in swapped.notes)


@pytest.mark.parametrize(
    "answer",
    [
        "Dividing by the temperature: below 1 it is sharper, above 1 flatter.",
        "T < 1 sharpens the distribution, T > 1 flattens it.",
        "A higher temperature is less deterministic and a lower one less random.",
        "With a low temperature, the distribution is sharper.",
    ],
)
def test_the_right_direction_in_other_words_is_not_flagged(answer: str) -> None:
    assert not GRADER.grade(TEMPERATURE, answer).misconceptions


def test_comparison_signs_and_negation_set_the_direction() -> None:
    assert not GRADER.grade(TEMPERATURE, "T > 1 sharpens the distribution.").passed
    [c] = claims("a high temperature does not sharpen the distribution")
    assert c.key == ("level", 1, "shape", -1)


def test_follow_ups_are_checked_against_the_parent_misconceptions() -> None:
    follow_up = TEMPERATURE.follow_ups[0]
    result = GRADER.grade(follow_up, "At zero it is greedy, and it changes the ranking of tokens.")
    assert [m.statement for m in result.misconceptions] == [
        "Temperature changes which token ranks first."
    ]


@pytest.mark.parametrize("written", ["25,000 tokens", "25000 tokens", "25k tokens", "25K tokens"])
def test_numbers_match_with_or_without_separators(written: str) -> None:
    q = Question(
        "t-n", "t", "easy", "?", (Concept("size", ("25000 tokens",), 1, True, False),), (), "-"
    )
    assert Grader([q]).grade(q, f"the window is {written} long").concepts[0].matched
    assert stem("25,000".replace(",", "'")) == "25000"


GROUNDING = Question(
    "t-h",
    "t",
    "easy",
    "?",
    (Concept("c", ("grounding",), 1, False, False),),
    (),
    "-",
    misconceptions=(
        Misconception(
            "RAG eliminates hallucinations.", ("eliminates hallucinations",), "It reduces them."
        ),
    ),
)
GROUNDING_GRADER = Grader([GROUNDING])


def test_nothing_negates_a_misconception() -> None:
    assert not GROUNDING_GRADER.grade(
        GROUNDING, "Nothing completely eliminates hallucinations."
    ).misconceptions
    assert GROUNDING_GRADER.grade(GROUNDING, "Grounding eliminates hallucinations.").misconceptions


def test_bundled_temperature_question_catches_the_swap() -> None:
    bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    q = bank.question("dec-temperature")
    swapped = (
        "Temperature scales the logits before softmax. A high temperature sharpens the "
        "distribution so the model becomes more deterministic and close to greedy, while a low "
        "temperature flattens it and adds randomness. Use high values for code and low ones for "
        "creative writing."
    )
    assert grader.grade(q, swapped).score < PASS_SCORE
    assert grader.grade(q, q.model_answer).score >= 80


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("Grounding eliminates hallucinations completely.", True),
        ("Grounding doesn't eliminate hallucinations.", False),
        ("Grounding reduces them but it is hard to eliminate hallucinations fully.", False),
        ("It is a myth that grounding eliminates hallucinations.", False),
        ("Grounding is not a cure. It eliminates hallucinations.", True),  # a new sentence
    ],
)
def test_a_misconception_denied_or_disowned_is_not_flagged(answer: str, flagged: bool) -> None:
    assert bool(GROUNDING_GRADER.grade(GROUNDING, answer).misconceptions) is flagged


@pytest.mark.parametrize("symbol", ["T", "\u03c4"])
def test_a_comparison_sign_is_highlighted_where_it_was_typed(symbol: str) -> None:
    # A Greek letter sends the text through the offset map: the sign must still be the start.
    text = f"with temperature {symbol} < 1 the distribution is sharper"
    (claim,) = claims(text)
    assert text[claim.start : claim.end] == "< 1 the distribution is sharper"
