"""`banks selftest`: answers made from a bank itself show its fragile questions, with FILE:LINE."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from interview_sim.core.bank import load_bank
from interview_sim.core.grading import Grader
from interview_sim.core.selftest import invert
from interview_sim.core.selftest import selftest as run_selftest
from interview_sim.locations import bundled_banks_dir

FIXTURES = Path(__file__).parent / "fixtures"
SOUND = FIXTURES / "selftest_banks" / "sound.yaml"
FRAGILE = """\
topic: fragile
title: Fragile
questions:
  - id: fr-temperature
    difficulty: easy
    prompt: What does the temperature parameter do when sampling?
    concepts:
      - name: temperature
        required: true
        weight: 2
        aliases: [temperature parameter]
      - name: sampling
        weight: 2
        aliases: [when sampling]
      - name: low T sharpens
        aliases: [low temperature sharpens, sharper distribution]
    follow_ups:
      - id: zero
        prompt: And at zero?
        probes: [low T sharpens]
        concepts:
          - name: becomes greedy
            required: true
            aliases: [the argmax of the logits]
          - name: deterministic
            bonus: true
            aliases: [the same as a greedy pick]
          - name: no randomness
            bonus: true
            aliases: [it is the top token]
        model_answer: It turns into greedy decoding.
    model_answer: >-
      Temperature divides the logits before the softmax. A low temperature makes a sharper
      distribution.
"""


def selftest(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interview_sim", "banks", "selftest", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_sound_bank_passes() -> None:
    run = selftest(SOUND)
    assert run.returncode == 0, run.stdout
    assert "0 problem(s) in 2 questions and follow-ups" in run.stderr


def test_the_bundled_banks_pass() -> None:
    # Issue 12: every model answer passes, every echoed prompt fails, every bare list of first
    # aliases scores low and every model answer turned round fails or is flagged.
    bank = load_bank([bundled_banks_dir()])
    report = run_selftest(bank, Grader(bank.questions()))
    assert report.items > 600
    assert [str(p) for p in report.problems] == []


def test_fragile_questions_are_listed_with_file_and_line(tmp_path: Path) -> None:
    bank = tmp_path / "fragile.yaml"
    bank.write_text(FRAGILE, encoding="utf-8")
    run = selftest(bank)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert f"{bank}:4: fr-temperature: prompt echoed: the question itself scores 80" in lines
    assert (
        f"{bank}:4: fr-temperature: model answer: scores 20: misses temperature; misses sampling"
        in lines
    )
    assert f"{bank}:4: fr-temperature/zero: model answer: scores 0: misses becomes greedy" in lines
    assert any(
        line.startswith(
            f"{bank}:4: fr-temperature/zero: bare term list: each concept's "
            "first alias as a bare list scores 100"
        )
        for line in lines
    )
    assert len(lines) == 4  # only the file asked about, not the bundled banks loaded with it


def test_two_terms_are_a_terse_answer_not_a_bare_list(tmp_path: Path) -> None:
    # A follow-up that asks for two things is answered by naming them: the grader cannot tell
    # "merges, deterministic" from a terse right answer, and the self-test does not ask it to.
    bank = tmp_path / "terse.yaml"
    bank.write_text(
        FRAGILE.replace("fragile", "terse")
        .replace("fr-", "te-")
        .replace(
            "          - name: no randomness\n            bonus: true\n"
            "            aliases: [it is the top token]\n",
            "",
        ),
        encoding="utf-8",
    )
    lines = selftest(bank).stdout.splitlines()
    assert any("te-temperature/zero: model answer" in line for line in lines)
    assert not any("bare term list" in line for line in lines)


@pytest.mark.parametrize(
    ("text", "inverted"),
    [
        (
            "A low temperature makes a sharper distribution.",
            "A high temperature makes a sharper distribution.",
        ),
        (
            "The encoder is bidirectional, the decoder is causal.",
            "The decoder is bidirectional, the encoder is causal.",
        ),
        ("No direction words here.", "No direction words here."),
    ],
)
def test_inversion_reverses_one_side_of_each_claim(text: str, inverted: str) -> None:
    assert invert(text) == inverted
