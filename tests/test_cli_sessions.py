"""The commands that touch the sessions folder: review --json, report, resume, start.

Sessions are made by running the engine; the bundled banks are swapped for the mini test
banks so these tests do not depend on the shipped content. No UI is ever started.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim import locations
from interview_sim.cli import sessions as cli_sessions
from interview_sim.cli.main import main
from interview_sim.cli.parser import build_parser, parse_args
from interview_sim.core.bank import Bank
from interview_sim.core.grading import Grader
from interview_sim.core.settings import SessionSettings

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import answer, good, good_except, session_id, start_session


@pytest.fixture(autouse=True)
def _mini_banks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)


@pytest.fixture(autouse=True)
def _no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any command that would open the UI fails the test instead."""

    def run_app(**kwargs: object) -> int:
        pytest.fail(f"the app was launched with {sorted(kwargs)}")

    monkeypatch.setattr(cli_sessions, "_run_app", run_app)


@pytest.fixture
def folder(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> dict[str, str]:
    """A sessions folder: one finished, one in progress, and one unreadable file."""
    root = tmp_path / "sessions-here"
    done = start_session(
        mini_bank, mini_grader, root, clock, SessionSettings(questions=2, follow_ups=1, seed=3)
    )
    answer(done, good_except(done.plan[1].id), advance=clock.advance)
    going = start_session(
        mini_bank, mini_grader, root, clock, SessionSettings(questions=3, follow_ups=0, seed=4)
    )
    answer(going, good, steps=1, advance=clock.advance)
    (root / "20250101-000000-bad0.yaml").write_text("schema_version: 99\n", encoding="utf-8")
    return {
        "root": str(root),
        "done": session_id(done),
        "going": session_id(going),
        "bad": "20250101-000000-bad0",
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_json_lists_sessions_and_unreadable_files(
    folder: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "review", "--json", "--sessions-dir", folder["root"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    by_id = {s["id"]: s for s in data["sessions"]}
    assert sorted(by_id) == sorted([folder["done"], folder["going"]])
    done, going = by_id[folder["done"]], by_id[folder["going"]]
    assert done["status"] == "completed" and done["questions"] == 2 and done["answered"] == 2
    assert 0 <= done["score"] <= 100
    assert going["status"] == "in progress" and (going["questions"], going["answered"]) == (3, 1)
    assert going["file"] == f"{folder['going']}.yaml"
    assert set(done["topics"]) <= {"sampling", "architecture"}
    assert data["unreadable"] == [
        {"file": f"{folder['bad']}.yaml", "reason": data["unreadable"][0]["reason"]}
    ]
    assert "newer" in data["unreadable"][0]["reason"]

    again = run(capsys, "review", "--json", "--sessions-dir", folder["root"])
    assert json.loads(again[1]) == data  # the second listing comes from the index


def test_review_json_of_an_empty_or_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "review", "--json", "--sessions-dir", str(tmp_path / "none"))
    assert code == 0
    listed = json.loads(out)
    assert (listed["sessions"], listed["unreadable"]) == ([], [])
    assert (listed["statistics"]["cards"], listed["statistics"]["due_today"]) == (0, 0)
    assert not (tmp_path / "none").exists(), "listing creates nothing"


def test_review_json_uses_the_environment_folder(
    folder: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(locations.SESSIONS_ENV, folder["root"])
    code, out, _ = run(capsys, "review", "--json")
    assert code == 0 and len(json.loads(out)["sessions"]) == 2


def test_report_prints_markdown(
    folder: dict[str, str], mini_bank: Bank, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "report", folder["done"], "--sessions-dir", folder["root"])
    assert (code, err) == (0, "")
    assert out.startswith(f"# Interview report: {folder['done']}\n")
    assert "## Scores by topic" in out and "## Questions" in out
    assert "Model answer" in out  # the banks were found
    assert out == (Path(folder["root"]) / f"{folder['done']}.md").read_text(encoding="utf-8")
    code, by_file, _ = run(
        capsys, "report", f"{folder['done']}.yaml", "--sessions-dir", folder["root"]
    )
    assert code == 0 and by_file == out


def test_report_of_a_session_in_progress(
    folder: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", folder["going"], "--sessions-dir", folder["root"])
    assert code == 0
    assert "**Status:** in progress" in out


def test_report_as_json(folder: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "report", folder["done"], "--format", "json", "--sessions-dir", folder["root"]
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["id"] == folder["done"] and data["status"] == "completed"
    assert isinstance(data["score"], (int, float)) and 0 <= data["score"] <= 100
    main = [a for a in data["answers"] if a["follow_up"] is None]
    assert data["score"] == pytest.approx(sum(a["score"] for a in main) / len(main), abs=0.05)
    assert len(main) == 2
    assert set(data["by_topic"]) <= {"sampling", "architecture"}


def test_report_without_usable_banks_still_prints(
    folder: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "broken-banks"
    broken.mkdir()
    (broken / "x.yaml").write_text("topic: [\n", encoding="utf-8")
    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: broken)
    code, out, _ = run(capsys, "report", folder["done"], "--sessions-dir", folder["root"])
    assert code == 0
    assert "## Questions" in out and "Model answer" not in out


@pytest.mark.parametrize(
    ("session", "message"),
    [
        pytest.param("nosuch", "'nosuch' is not a session id", id="not-an-id"),
        pytest.param("20200101-000000-0000", "no session '20200101-000000-0000'", id="unknown"),
        pytest.param("../../etc/passwd", "is not a session id", id="escape"),
        pytest.param("/etc/passwd", "is not a session id", id="absolute"),
        pytest.param("..%2f..%2fetc%2fpasswd", "is not a session id", id="encoded"),
        pytest.param("20250101-000000-bad0", "newer interview-sim", id="unreadable"),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_report_errors_are_one_line_and_exit_2(
    folder: dict[str, str], capsys: pytest.CaptureFixture[str], session: str, message: str, fmt: str
) -> None:
    code, out, err = run(
        capsys, "report", session, "--format", fmt, "--sessions-dir", folder["root"]
    )
    assert code == 2
    assert out == ""
    assert err.startswith("interview-sim: ") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_resume_of_a_completed_session_exits_2(
    folder: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "resume", folder["done"], "--sessions-dir", folder["root"])
    assert code == 2 and out == ""
    assert f"session {folder['done']} is completed" in err
    assert f"interview-sim report {folder['done']}" in err


@pytest.mark.parametrize(
    "session", ["nosuch", "../x", "20200101-000000-0000", "20250101-000000-bad0"]
)
def test_resume_of_a_missing_or_unreadable_session_exits_2(
    folder: dict[str, str], capsys: pytest.CaptureFixture[str], session: str
) -> None:
    code, _, err = run(capsys, "resume", session, "--sessions-dir", folder["root"])
    assert code == 2
    assert err.startswith("interview-sim: ") and err.count("\n") == 1


def test_resume_of_a_session_in_progress_opens_the_app(
    folder: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    launched: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: launched.append(kw) or 0)
    code, _, _ = run(capsys, "resume", folder["going"], "--sessions-dir", folder["root"])
    assert code == 0
    assert launched[0]["resume_id"] == folder["going"]
    assert launched[0]["store"].root == Path(folder["root"])  # type: ignore[attr-defined]


def test_start_with_a_sessions_folder_under_a_file_exits_before_any_ui(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "sessions"
    code, out, err = run(capsys, "start", "--questions", "2", "--sessions-dir", str(target))
    assert code == 2 and out == ""
    assert err.startswith("interview-sim: ") and err.count("\n") == 1
    assert str(target) in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_start_with_a_sessions_folder_that_is_a_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "start", "--sessions-dir", str(target))
    assert code == 2
    assert f"sessions folder {target} is not a folder" in err


def test_start_with_a_good_folder_hands_over_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    launched: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: launched.append(kw) or 0)
    target = tmp_path / "new" / "sessions"
    code, _, err = run(
        capsys, "start", "--questions", "2", "--seed", "5", "--sessions-dir", str(target)
    )
    assert (code, err) == (0, "")
    assert target.is_dir() and list(target.iterdir()) == []  # checked, nothing left behind
    settings = launched[0]["settings"]
    assert isinstance(settings, SessionSettings)
    assert (settings.questions, settings.seed) == (2, 5)
    assert launched[0]["start_now"] is True


async def test_without_seed_the_setup_screen_draws_one_per_interview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI leaves the seed to the app, so the setup field says "random" instead of showing
    one number that every later interview of the run would reuse."""
    launched: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: launched.append(kw) or 0)
    assert main(["start", "--sessions-dir", str(tmp_path)]) == 0
    from interview_sim.ui.app import InterviewApp

    app = InterviewApp(**launched[0], tick=0)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 32)):
        assert app.screen.query_one("#seed").value == ""


def test_resume_hands_the_app_the_sessions_choices_without_its_seed(
    folder: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "_run_app", lambda **kw: launched.append(kw) or 0)
    assert main(["resume", folder["going"], "--sessions-dir", folder["root"]]) == 0
    settings = launched[0]["settings"]
    assert isinstance(settings, SessionSettings)
    assert (settings.questions, settings.follow_ups, settings.seed) == (3, 0, 0)
    assert launched[0]["resume_id"] == folder["going"]


@pytest.mark.parametrize("seed", ["0", "-3", "x"])
def test_start_refuses_a_seed_below_one(
    seed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["start", f"--seed={seed}", "--sessions-dir", str(tmp_path)])
    assert exit_info.value.code == 2
    assert f"--seed: expected a whole number from 1, got '{seed}'" in capsys.readouterr().err


def test_a_bare_command_starts_with_every_start_option_at_its_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`interview-sim` alone skips building the parser (start-up time); it must still mean
    exactly `interview-sim start`, and `--banks DIR` alone must keep its folder."""
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(cli_sessions, "cmd_start", lambda args: seen.append(vars(args)) or 0)
    expected = vars(parse_args(build_parser(), ["start"]))
    assert main([]) == 0
    assert main(["--banks", str(tmp_path)]) == 0
    assert seen[0] == expected
    assert seen[1] == {**expected, "banks": [tmp_path]}
