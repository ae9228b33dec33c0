"""Bank files and cache entries we did not write (issue 13, items 9, 10, 13 and 14): every
problem is reported at its FILE:LINE, without a traceback, and nothing is trusted unchecked."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from interview_sim import locations
from interview_sim.cli.loading import load_all_banks
from interview_sim.cli.main import main
from interview_sim.core.bank import BankError, load_bank
from interview_sim.core.bank import cache as bank_cache

from .conftest import MINI_BANKS

SAMPLING = (MINI_BANKS / "sampling.yaml").read_text(encoding="utf-8")
PROMPT = "What does the temperature parameter do when sampling from a language model?"


def _validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["banks", "validate", *map(str, paths)])
    out, _err = capsys.readouterr()
    return code, out


def _write(folder: Path, text: str, name: str = "bank.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 9: odd keys


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "[1, 2]: x\n",
            5,
            "bank.yaml:5: yaml: a key must be a plain value such as a field name, not a list",
        ),
        (
            "? {a: 1}\n: x\n",
            5,
            "bank.yaml:5: yaml: a key must be a plain value such as a field name, not a mapping",
        ),
        ("? [a]\n: x\n", 5, "not a list"),
        ("1: x\n", 5, "bank.yaml:5: 1: unknown field"),
        ("null: x\n", 5, "bank.yaml:5: null: unknown field"),
        ("true: x\n", 5, "bank.yaml:5: True: unknown field"),
    ],
    ids=["flow-list", "explicit-mapping", "explicit-list", "int", "null", "bool"],
)
def test_odd_top_level_keys_are_reported_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, line: int, message: str
) -> None:
    head, rest = SAMPLING.split("questions:\n", 1)
    text = head + "\n" + extra + "questions:\n" + rest  # the key on line 5
    assert text.splitlines()[line - 1] == extra.splitlines()[0]
    path = _write(tmp_path, text)
    code, out = _validate(capsys, path)
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:{line}: "), out
    assert message.split("bank.yaml")[-1] in first, out


def test_a_number_key_inside_a_question_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLING.replace("    difficulty: easy\n", "    difficulty: easy\n    7: seven\n", 1)
    line = text.splitlines().index("    7: seven") + 1
    path = _write(tmp_path, text)
    code, out = _validate(capsys, path)
    assert code == 1
    assert f"{path}:{line}: questions[0].7: unknown field" in out, out


def test_a_nested_non_scalar_key_is_no_traceback(tmp_path: Path) -> None:
    text = SAMPLING.replace("    difficulty: easy\n", "    difficulty: easy\n    [1, 2]: x\n", 1)
    line = text.splitlines().index("    [1, 2]: x") + 1
    path = _write(tmp_path, text)
    with pytest.raises(BankError) as info:
        load_bank([path])
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (line, "yaml")


def test_a_billion_laughs_bank_is_reported_at_the_alias_that_explodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['j0: &j0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        lines.append(f"j{i}: &j{i} [" + ", ".join([f"*j{i - 1}"] * 9) + "]")
    path = _write(tmp_path, "\n".join(lines) + "\n" + SAMPLING)
    code, out = _validate(capsys, path)
    assert code == 1
    # j6 holds 9 copies of j5 (531,441 values each): its second alias passes 1,000,000
    assert out.startswith(f"{path}:7: yaml: aliases expand to over 1,000,000 values"), out


def test_odd_keys_through_the_command_are_one_line_each(tmp_path: Path) -> None:
    path = _write(tmp_path / "mine", SAMPLING.replace("questions:\n", "[1, 2]: x\nquestions:\n"))
    for command in (["banks", "validate", str(path)], ["--banks", str(path), "start"]):
        result = subprocess.run(
            [sys.executable, "-m", "interview_sim", *command],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        assert f"{path}:4: yaml: a key must be a plain value" in result.stdout + result.stderr
        assert result.returncode == 1


# --------------------------------------------------------------------------- 10: the cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(folder))
    return folder


def test_a_changed_byte_in_a_cache_entry_is_caught_before_decoding(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = _write(tmp_path / "banks", SAMPLING)
    load_bank([path])
    (entry,) = cache_dir.iterdir()
    good = entry.read_bytes()
    at = good.index(PROMPT.encode())
    damaged = bytearray(good)
    damaged[at] = ord("X")  # "Xhat does the temperature ...": still a well-formed entry
    entry.write_bytes(bytes(damaged))
    decoded: list[bytes] = []
    real_loads = marshal.loads

    def spy(data: bytes) -> object:
        decoded.append(bytes(data))
        return real_loads(data)

    with mock.patch.object(bank_cache.marshal, "loads", spy):
        loaded = load_bank([path])
    assert loaded.question("smp-temperature").prompt == PROMPT
    assert not any(PROMPT.replace("What", "Xhat").encode() in d for d in decoded)
    assert entry.read_bytes() == good  # dropped and rebuilt


@pytest.mark.parametrize("cut", [1, 40, 200])
def test_a_cut_or_padded_cache_entry_is_dropped_and_rebuilt(
    tmp_path: Path, cache_dir: Path, cut: int
) -> None:
    path = _write(tmp_path / "banks", SAMPLING)
    load_bank([path])
    (entry,) = cache_dir.iterdir()
    good = entry.read_bytes()
    for damage in (good[:-cut], good + b"\x00" * cut, good[:cut]):
        entry.write_bytes(damage)
        with mock.patch.object(
            bank_cache.marshal, "loads", side_effect=AssertionError("decoded a bad entry")
        ):
            bank_cache.cached_topic(entry, str(path))
        assert not entry.exists()
        assert load_bank([path]).question("smp-temperature").prompt == PROMPT
        assert entry.read_bytes() == good


# --------------------------------------------------------------------------- 13: ids


def test_validate_reports_an_id_the_bundled_banks_already_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = locations.bundled_banks_dir()
    taken = next(iter(load_bank([bundled]).by_id))
    path = _write(tmp_path / "mine", SAMPLING.replace("id: smp-temperature", f"id: {taken}"))
    code, out = _validate(capsys, path)
    assert code == 1
    assert out.startswith(f"{path}:5: id: duplicate id {taken!r} (first defined at {bundled}")
    # and `--banks DIR start` refuses it the same way
    with pytest.raises(BankError) as info:
        load_all_banks([path])
    assert str(info.value.problems[0]) == out.splitlines()[0]


def test_validate_of_a_good_folder_still_counts_only_its_own_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _validate(capsys, MINI_BANKS)
    assert code == 0
    assert out == "ok: 2 file(s), 2 topic(s), 9 question(s)\n"


# --------------------------------------------------------------------------- 14: escapes


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [
        (f"prompt: {PROMPT}", 'prompt: "What does \\e[2J do?"', "questions[0].prompt", "001B"),
        ("title: Sampling (test bank)", 'title: "Sampling \\x9b31m"', "title", "009B"),
        ("title: Sampling (test bank)", "title: Sampling \u009b31m", "title", "009B"),
        ("aliases: [greedy,", 'aliases: ["gr\\reedy",', "aliases[0]", "000D"),
        (
            "model_answer: Sampling collapses",
            'model_answer: "\\a Sampling collapses',
            "model_answer",
            "0007",
        ),
    ],
    ids=["esc-in-prompt", "csi-escaped", "csi-raw", "cr-in-alias", "bell"],
)
def test_control_characters_in_bank_text_are_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    field: str,
    code: str,
) -> None:
    assert old in SAMPLING, old
    text = SAMPLING.replace(old, new, 1)
    if new.startswith('model_answer: "'):
        end = text.index("\n", text.index(new))
        text = text[:end] + '"' + text[end:]
    path = _write(tmp_path, text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if new in t)
    status, out = _validate(capsys, path)
    assert status == 1
    assert f"{path}:{line}: " in out, out
    assert f"control character U+{code} is not allowed" in out, out
    assert field in out.split(f"{path}:{line}: ")[1].split(":")[0], out
