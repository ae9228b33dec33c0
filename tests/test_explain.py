"""Each missed concept shows the nearest phrase the answer did contain, when there is one."""

from __future__ import annotations

import subprocess
import sys

from interview_sim.core.bank import Concept
from interview_sim.core.explain import nearest_phrase

TOP_P = Concept(
    "top-p keeps the smallest set reaching mass p",
    ("smallest set of tokens", "cumulative probability", "probability mass p"),
    1,
    True,
    False,
)


def test_a_near_miss_is_shown_in_the_answers_own_words() -> None:
    answer = "Top-p keeps the smallest group of tokens whose probabilities add up to p."
    near = nearest_phrase(TOP_P, answer)
    assert near is not None
    assert near.phrase in answer
    assert near.alias == "smallest set of tokens"
    assert "smallest group of tokens" in near.phrase


def test_one_common_word_is_not_offered_as_near() -> None:
    detok = Concept("stop strings matched on text", ("detokenized",), 1, False, False)
    assert nearest_phrase(detok, "The model emits an EOS token.") is None


def test_part_of_an_alias_or_only_its_letters_is_not_offered_as_near() -> None:
    # "prompt" is half of "prompt caching", not a rewording of it; "uses tools" only looks
    # like "refuses too much"
    caching = Concept("prompt caching", ("prompt caching",), 1, False, False)
    assert nearest_phrase(caching, "We reuse the prompt.") is None
    refusals = Concept("over-refusal", ("refuses too much",), 1, False, False)
    assert nearest_phrase(refusals, "The agent uses tools to look things up.") is None
    reworded = nearest_phrase(caching, "Reuse the prompt cache across calls.")
    assert reworded is not None and reworded.phrase == "prompt cache across"


def test_a_phrase_is_offered_from_one_clause_only() -> None:
    # "model; too low" reads like "beta too low" only across the semicolon
    beta = Concept("beta trades reward for staying close", ("beta too low",), 1, False, False)
    assert nearest_phrase(beta, "Train the model; too low a value hurts.") is None
    within = nearest_phrase(beta, "Train the model. A beta too small drifts.")
    assert within is not None and within.phrase == "beta too small"
    logits = Concept("dL/dlogits = p - y", ("gradient wrt logits",), 1, False, False)
    assert nearest_phrase(logits, "We take gradients. Tokens then follow.") is None


def test_the_opposite_claim_is_not_offered_as_a_rewording() -> None:
    # "flattens the distribution" is "sharper distribution" turned round, not said otherwise
    sharp = Concept("low temperature sharpens", ("sharper distribution",), 1, True, False)
    assert nearest_phrase(sharp, "A higher temperature flattens the distribution.") is None
    reworded = nearest_phrase(sharp, "A lower temperature sharpens the distribution.")
    assert reworded is not None and "sharpens the distribution" in reworded.phrase
    encoder = Concept("BERT reads both ways", ("encoder only",), 1, False, False)
    assert nearest_phrase(encoder, "GPT is decoder only.") is None


def test_nothing_near_shows_nothing() -> None:
    assert nearest_phrase(TOP_P, "Dropout randomly zeroes activations during training.") is None
    assert nearest_phrase(TOP_P, "") is None


def test_grade_command_says_what_was_written_for_a_missed_concept() -> None:
    answer = "Top-k keeps a fixed number of tokens; top-p keeps the tokens above a probability."
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "interview_sim",
            "grade",
            "--question",
            "dec-topk-vs-topp",
            "--answer-file",
            "-",
        ],
        input=answer,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missed = [line for line in out.splitlines() if line.lstrip().startswith("missed")]
    assert any("you wrote" in line and "we listen for" in line for line in missed)
