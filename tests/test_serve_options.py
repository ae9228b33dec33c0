"""`interview-sim serve`'s flags, checked before anything listens (no browser needed)."""

from __future__ import annotations

import shlex
import socket
import sys
from pathlib import Path

import pytest

from interview_sim.cli import serve as cli_serve
from interview_sim.cli.errors import EXIT_USAGE
from interview_sim.cli.main import main
from interview_sim.cli.parser import build_parser, parse_args


@pytest.fixture(autouse=True)
def _nothing_served(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(plan: cli_serve.ServePlan) -> None:
        raise AssertionError("a server was started")

    monkeypatch.setattr(cli_serve, "make_server", refuse)


def planned(*argv: str) -> cli_serve.ServePlan:
    args = parse_args(build_parser(), ["serve", *argv])
    if args.start_flags[:1] == ["--"]:
        args.start_flags = args.start_flags[1:]
    return cli_serve.plan(args, token="t0k")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.com", False),
    ],
    ids=lambda v: str(v),
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert cli_serve.is_loopback(host) is loopback


def test_another_host_needs_allow_remote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["serve", "--host", "0.0.0.0", "--sessions-dir", str(tmp_path)])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--allow-remote" in err and "session history" in err
    assert "Traceback" not in err


def test_remote_requires_a_token_loopback_does_not(tmp_path: Path) -> None:
    remote = planned("--host", "192.168.1.20", "--allow-remote", "--sessions-dir", str(tmp_path))
    assert remote.token == "t0k"
    assert remote.url == "http://192.168.1.20:8000/?token=t0k"
    local = planned("--sessions-dir", str(tmp_path))
    assert local.token is None
    assert local.url == "http://127.0.0.1:8000/"
    assert planned("--token", "--sessions-dir", str(tmp_path)).token == "t0k"


def test_each_tab_runs_start_with_the_flags_given(tmp_path: Path) -> None:
    plan = planned("--sessions-dir", str(tmp_path), "--", "--topic", "decoding", "--seed", "7")
    assert plan.command.startswith("exec ")
    argv = shlex.split(plan.command.removeprefix("exec "))
    assert argv[:4] == [sys.executable, "-m", "interview_sim", "start"]
    given = ["--topic", "decoding", "--seed", "7"]
    assert argv[4:] == ["--sessions-dir", str(tmp_path.resolve()), *given]


def test_a_bad_start_flag_is_reported_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["serve", "--sessions-dir", str(tmp_path), "--", "--topic", "nope"])
    assert code == EXIT_USAGE
    assert "unknown topic 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_refused(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", port]) == EXIT_USAGE
    assert "--port must be from 1 to 65535" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_before_anything_is_announced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code = main(["serve", "--port", port, "--sessions-dir", str(tmp_path)])
    assert code == EXIT_USAGE
    out, err = capsys.readouterr()
    assert err == f"interview-sim: port {port} is in use; try another --port\n"
    assert "serving on" not in out
