"""What the commands write (issue 13, items 11, 12 and 14): a closed pipe ends them quietly, a
lone surrogate never crashes them, and no control character from a file or an answer reaches
the terminal raw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from interview_sim import locations
from interview_sim.cli.main import main
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import GOOD, answer, good, session_id, start_session

ENV = {**os.environ, "INTERVIEW_SIM_CACHE": "off"}


@pytest.fixture(autouse=True)
def _mini_banks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)


@pytest.fixture
def finished(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> tuple[Path, str]:
    from interview_sim.core.settings import SessionSettings

    root = tmp_path / "sessions"
    interview = start_session(
        mini_bank, mini_grader, root, clock, SessionSettings(questions=2, follow_ups=0, seed=5)
    )
    answer(interview, good, advance=clock.advance)
    return root, session_id(interview)


# --------------------------------------------------------------------------- 11: closed pipes


def _batch_file(tmp_path: Path, lines: int = 300) -> Path:
    path = tmp_path / "answers.jsonl"
    line = json.dumps({"question": "dec-temperature", "answer": "temperature divides logits"})
    path.write_text((line + "\n") * lines, encoding="utf-8")
    return path


def _commands(tmp_path: Path, finished: tuple[Path, str]) -> dict[str, list[str]]:
    root, sid = finished
    answer_file = tmp_path / "answer.txt"
    answer_file.write_text("temperature divides the logits", encoding="utf-8")
    batch = _batch_file(tmp_path)
    return {
        "grade-batch": ["grade", "--batch", str(batch)],
        "grade-batch-json": ["grade", "--batch", str(batch), "--json"],
        "grade": ["grade", "--question", "dec-temperature", "--answer-file", str(answer_file)],
        "banks-list": ["banks", "list"],
        "banks-list-json": ["banks", "list", "--json"],
        "banks-validate": ["banks", "validate"],
        "review-json": ["review", "--json", "--sessions-dir", str(root)],
        "report-md": ["report", sid, "--sessions-dir", str(root)],
        "report-json": ["report", sid, "--format", "json", "--sessions-dir", str(root)],
        "help": ["--help"],
    }


COMMANDS = [
    "grade-batch",
    "grade-batch-json",
    "grade",
    "banks-list",
    "banks-list-json",
    "banks-validate",
    "review-json",
    "report-md",
    "report-json",
    "help",
]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_reader_that_has_gone_ends_the_command_quietly(
    name: str, tmp_path: Path, finished: tuple[Path, str]
) -> None:
    """`interview-sim ... | head -1`, at its worst: the pipe is closed before the first write
    (the bundled banks are used: the mini banks' folder has no `dec-temperature`)."""
    command = _commands(tmp_path, finished)[name]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "interview_sim", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == "", result.stderr
    assert result.returncode in (0, 141)


def test_grade_batch_into_head_prints_one_line(tmp_path: Path) -> None:
    batch = _batch_file(tmp_path, lines=2000)
    result = subprocess.run(
        f"{sys.executable} -m interview_sim grade --batch {batch} | head -1; "
        'echo "status=${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert result.stderr == ""
    first, status = result.stdout.splitlines()
    assert first.startswith("dec-temperature: score ")
    assert status == "status=141"


# --------------------------------------------------------------------------- 12: surrogates


def test_a_lone_surrogate_in_a_batch_is_replaced_not_a_crash(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        '{"question": "dec-temperature", "answer": "temperature divides the logits \\ud800"}\n'
        '{"question": "dec-temperature\\udfff", "answer": "x"}\n',
        encoding="utf-8",
    )
    for extra in ([], ["--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "interview_sim", "grade", "--batch", str(batch), *extra],
            capture_output=True,
            env=ENV,
            timeout=60,
            check=False,
        )
        assert b"Traceback" not in result.stderr, result.stderr.decode()
        assert result.returncode == 2  # the second line names no question
        out = result.stdout.decode("utf-8")  # strict: nothing undecodable was written
        if extra:
            first, second = (json.loads(line) for line in out.splitlines())
            assert first["question"] == "dec-temperature" and first["score"] > 0
            assert "dec-temperature\ufffd" in second["error"]
        else:
            assert '"temperature divides the logits"' in out or "\ufffd" in out
            assert "dec-temperature\ufffd" in out


def test_a_lone_surrogate_in_an_answer_is_saved_as_a_replacement_character(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    from interview_sim.core.settings import SessionSettings
    from interview_sim.core.transcript import read_transcript

    interview = start_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=1, follow_ups=0, seed=2)
    )
    text = GOOD[interview.current.question.id] + " \ud800 end"  # type: ignore[union-attr]
    interview.submit(text)
    saved = read_transcript(tmp_path / f"{session_id(interview)}.yaml")
    assert saved.records[0].answer == text.replace("\ud800", "\ufffd")


def test_escapes_in_a_transcript_are_shown_not_obeyed_by_report(
    finished: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, sid = finished
    path = root / f"{sid}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["answers"][0]["answer"] = "PLACEHOLDER"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    text = text.replace("answer: PLACEHOLDER", 'answer: "\\e[2J \\x9b \\x7f"', 1)
    path.write_text(text, encoding="utf-8")
    for fmt in ("md", "json"):
        assert main(["report", sid, "--format", fmt, "--sessions-dir", str(root)]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x9b" not in out and "\x7f" not in out
        if fmt == "json":
            assert json.loads(out)["answers"][0]["answer"] == "\x1b[2J \x9b \x7f"
            assert "\\u001b[2J \\u009b \\u007f" in out
        else:
            assert "\u241b\\[2J" in out and "\u2421" in out  # [ escaped for Markdown


def test_file_names_in_messages_are_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "x\x1b[2Jy.yaml"
    bad.write_text("topic: x\ntitle: X\n[1, 2]: x\nquestions: []\n", encoding="utf-8")
    assert main(["banks", "validate", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "x\u241b[2Jy.yaml:3: yaml: a key must be a plain value" in out
    assert main(["grade", "--question", "smp-top-k", "--answer-file", "no\x1b[31m"]) == 2
    out, err = capsys.readouterr()
    assert err == "interview-sim: no\u241b[31m: no such file\n"
    assert "\x1b" not in out + err
