"""The CLI around banks: version, help for every command, `banks validate` and `banks list`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from interview_sim import locations
from interview_sim.cli.main import main
from interview_sim.core.bank import DIFFICULTIES
from interview_sim.core.retired import RETIRED_IDS

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_BANKS = FIXTURES / "mini_banks"
PROBLEM_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>.+?): (?P<message>.+)$")


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the checkout, so relative paths read as a person would type them."""
    monkeypatch.chdir(REPO)
    return REPO


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"interview-sim {version('interview-sim')}\n"


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "interview_sim", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"interview-sim {version('interview-sim')}\n"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["start"],
        ["banks"],
        ["banks", "list"],
        ["banks", "validate"],
        ["grade"],
        ["review"],
        ["report"],
        ["resume"],
    ],
    ids=lambda command: "-".join(command) or "top-level",
)
def test_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(" ".join(["usage: interview-sim", *command])), out
    assert "--help" in out


def test_validate_good_folder(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(MINI_BANKS.glob("*.yaml"))
    n_questions = sum(
        len(yaml.safe_load(f.read_text(encoding="utf-8"))["questions"]) for f in files
    )

    assert main(["banks", "validate", "tests/fixtures/mini_banks"]) == 0

    out = capsys.readouterr().out
    assert out == f"ok: {len(files)} file(s), {len(files)} topic(s), {n_questions} question(s)\n"


def test_validate_broken_folder_prints_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_yaml = tmp_path / "a_bad_yaml.yaml"
    bad_yaml.write_text("topic: broken\ntitle: Broken: badly\n", encoding="utf-8")
    bad_fields = tmp_path / "b_bad_fields.yaml"
    bad_fields.write_text(
        "topic: fields\n"
        "title: Fields\n"
        "questions:\n"
        "  - id: fld-one\n"
        "    difficulty: extreme\n"
        '    prompt: ""\n',
        encoding="utf-8",
    )

    assert main(["banks", "validate", str(tmp_path)]) == 1

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    parsed = [PROBLEM_RE.match(line) for line in lines]
    assert all(parsed), lines
    found = {(m["file"], int(m["line"]), m["field"]) for m in parsed if m}
    assert found == {
        (str(bad_yaml), 2, "yaml"),
        (str(bad_fields), 5, "fld-one.difficulty"),
        (str(bad_fields), 6, "fld-one.prompt"),
        (str(bad_fields), 4, "fld-one.concepts"),
        (str(bad_fields), 4, "fld-one.follow_ups"),
        (str(bad_fields), 4, "fld-one.model_answer"),
    }
    assert len(lines) == len(found)
    assert f"{len(lines)} problem(s) in 2 file(s)" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_validate_refuses_a_retired_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Old transcripts name a retired id, so no bank may define it again."""
    retired = next(iter(RETIRED_IDS))
    data = yaml.safe_load((MINI_BANKS / "sampling.yaml").read_text(encoding="utf-8"))
    data["questions"][0]["id"] = retired
    bank_file = tmp_path / "reuses.yaml"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    bank_file.write_text(text, encoding="utf-8")
    id_line = 1 + next(i for i, line in enumerate(text.splitlines()) if retired in line)

    assert main(["banks", "validate", str(bank_file)]) == 1

    lines = capsys.readouterr().out.splitlines()
    parsed = [PROBLEM_RE.match(line) for line in lines]
    assert [(m["file"], int(m["line"]), m["field"]) for m in parsed if m] == [
        (str(bank_file), id_line, "id")
    ]
    assert f"{retired!r} is a retired id" in lines[0]


def test_list_json_counts_each_fixture_topic(
    in_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Stand in a fixed bank for the bundled ones, which other work changes (or may even give
    # a topic of the same name); `--banks` must still add its topics beside them.
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: FIXTURES / "example_bank")
    expected = {}
    for f in sorted(MINI_BANKS.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        counts = {d: sum(q["difficulty"] == d for q in data["questions"]) for d in DIFFICULTIES}
        expected[data["topic"]] = {
            "topic": data["topic"],
            "title": data["title"],
            "total": len(data["questions"]),
            **counts,
        }
    assert {"sampling", "architecture"} <= set(expected)

    assert main(["banks", "list", "--banks", "tests/fixtures/mini_banks", "--json"]) == 0

    rows = {row["topic"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"decoding", *expected}
    for topic, row in expected.items():
        assert rows[topic] == row


def test_validate_bundled_banks(capsys: pytest.CaptureFixture[str]) -> None:
    """Fails while the bundled banks are being written; must pass once they are finished."""
    code = main(["banks", "validate"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert captured.out.startswith("ok: ")


def test_validate_one_bundled_bank_by_its_path(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The bundled file named again is the same bank, not a second one repeating every id.
    code = main(["banks", "validate", "banks/decoding.yaml"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert "duplicate id" not in captured.out + captured.err
    assert captured.out.startswith("ok: 1 file(s), 1 topic(s), ")
