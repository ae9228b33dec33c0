"""A bank read from the cache is summaries first (topic ids, titles, counts, each question's
id, difficulty and line) and questions when first asked for: the setup screen and a session's
settings need only the summaries. Every problem is still found by load_bank, a stale or damaged
entry still changes nothing, and an edit after start-up still leaves the bank as it was read.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from unittest import mock

import pytest

from interview_sim import locations
from interview_sim.core import yamlio
from interview_sim.core.bank import Bank, BankError, TopicSummary, load_bank
from interview_sim.core.bank import cache as bank_cache
from interview_sim.core.retired import RETIRED_IDS
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import make_app
from interview_sim.ui.screens.interview import InterviewScreen
from interview_sim.ui.screens.setup import SetupScreen

from .conftest import MINI_BANKS, FakeClock

PROMPT = "What does the temperature parameter do when sampling from a language model?"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(folder))
    return folder


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    shutil.copytree(MINI_BANKS, folder)
    return folder


def no_decoding() -> mock._patch[mock.Mock]:
    """Fails the test if any cached topic's questions are decoded."""
    return mock.patch.object(
        bank_cache, "_topic_from_plain", side_effect=AssertionError("questions decoded")
    )


def no_parsing() -> mock._patch[mock.Mock]:
    return mock.patch.object(yamlio, "parse_document", side_effect=AssertionError("parsed"))


def outcome(paths: list[Path]) -> tuple[object, ...]:
    """Everything a load gives: problems, or the questions, summaries and warnings."""
    try:
        bank = load_bank(paths)
    except BankError as exc:
        return ("problems", [str(p) for p in exc.problems])
    return ("bank", list(bank.questions()), bank.summaries, bank.warnings)


@pytest.mark.parametrize("which", ["bundled", "mini"])
def test_a_bank_from_the_cache_is_the_bank_the_files_validate_into(
    which: str, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = locations.bundled_banks_dir() if which == "bundled" else MINI_BANKS
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", "off")
    validated = outcome([folder])
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(cache_dir))
    assert outcome([folder]) == validated  # fills the cache
    with no_parsing():
        assert outcome([folder]) == validated  # from it
    bank = load_bank([folder])
    assert bank.summaries == {t.id: TopicSummary.of(t) for t in bank.topics.values()}


def test_start_up_checks_settings_without_decoding_a_question(cache_dir: Path) -> None:
    load_bank([MINI_BANKS])
    with no_decoding(), no_parsing():
        bank = load_bank([MINI_BANKS])
        topic = next(iter(bank.summaries))
        for difficulty in ("easy", "mixed"):
            settings = SessionSettings(topics=(topic,), difficulty=difficulty, questions=50)
            settings.validate(bank)
            assert settings.shortfall(bank)  # the mini banks hold fewer than 50
        with pytest.raises(Exception, match="unknown topic 'nope'"):
            SessionSettings(topics=("nope",)).validate(bank)
    expected = sum(1 for q in bank.topics[topic].questions if q.difficulty == "easy")
    assert SessionSettings(topics=(topic,), difficulty="easy").available(bank) == expected


def two_files_with_an_id_problem(banks: Path, kind: str) -> list[Path]:
    text = (banks / "sampling.yaml").read_text(encoding="utf-8")
    if kind == "duplicate":
        other = text.replace("topic: sampling", "topic: sampling-more")
    else:
        other = text.replace("id: smp-temperature", f"id: {next(iter(RETIRED_IDS))}")
        other = other.replace("topic: sampling", "topic: sampling-more")
    (banks / "sampling_more.yaml").write_text(other, encoding="utf-8")
    return [banks]


@pytest.mark.parametrize("kind", ["duplicate", "retired"])
def test_ids_are_checked_across_files_from_the_cache_as_from_the_files(
    banks: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    paths = two_files_with_an_id_problem(banks, kind)
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", "off")
    validated = outcome(paths)
    assert validated[0] == "problems"
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(cache_dir))
    assert outcome(paths) == validated
    with no_parsing(), no_decoding():  # every file from the cache, no question decoded
        assert outcome(paths) == validated
    problem = validated[1][0]  # type: ignore[index]
    assert problem.startswith(f"{banks / 'sampling_more.yaml'}:5: id: ")


def test_a_stale_entry_is_dropped_and_rebuilt(banks: Path, cache_dir: Path) -> None:
    """An entry in the format before summaries (v2) where this file's entry goes."""
    first = list(load_bank([banks]).questions())
    entries = sorted(cache_dir.iterdir())
    good = [e.read_bytes() for e in entries]
    for entry in entries:
        entry.write_bytes(b"interview-sim bank cache 2\n" + entry.read_bytes()[27:])
    bank = load_bank([banks])  # parsed again
    assert list(bank.questions()) == first
    assert [e.read_bytes() for e in entries] == good


def test_damaged_questions_under_a_good_summary_come_from_the_file_as_read(
    banks: Path, cache_dir: Path
) -> None:
    first = list(load_bank([banks]).questions())
    (entry,) = (e for e in cache_dir.iterdir() if PROMPT.encode() in e.read_bytes())
    good = entry.read_bytes()
    entry.write_bytes(good.replace(PROMPT.encode(), PROMPT.replace("What", "Xhat").encode()))
    with no_parsing(), no_decoding():
        bank = load_bank([banks])  # the summary is intact: nothing else is read yet
    (banks / "sampling.yaml").write_text("topic: [broken", encoding="utf-8")  # after start-up
    assert list(bank.questions()) == first  # from the bytes start-up read
    assert entry.read_bytes() == good  # dropped and rebuilt


def test_a_bank_edited_or_its_cache_cleared_after_start_up_stays_as_read(
    banks: Path, cache_dir: Path
) -> None:
    first = list(load_bank([banks]).questions())
    bank = load_bank([banks])
    path = banks / "sampling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PROMPT, "Edited?"), encoding="utf-8")
    (banks / "architecture.yaml").write_text("topic: [broken", encoding="utf-8")
    shutil.rmtree(cache_dir)  # the questions are read from the bytes start-up read instead
    assert list(bank.questions()) == first
    assert bank.question("smp-temperature").prompt == PROMPT
    with pytest.raises(BankError):  # the next start-up reads the files as they are now
        load_bank([banks])


def test_threads_asking_at_once_assemble_the_questions_once(banks: Path, cache_dir: Path) -> None:
    load_bank([banks])
    bank = load_bank([banks])
    calls: list[int] = []
    real = bank_cache._topic_from_plain

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    seen: list[object] = []
    with mock.patch.object(bank_cache, "_topic_from_plain", counted):
        threads = [threading.Thread(target=lambda: seen.append(bank.by_id)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(calls) == 2  # the two files, once each
    assert len({id(x) for x in seen}) == 1 and "smp-temperature" in bank.by_id


async def test_the_setup_screen_shows_summaries_and_start_uses_the_bank_as_read(
    banks: Path, cache_dir: Path, tmp_path: Path
) -> None:
    """No question is decoded while the setup screen is shown (tick=0: nothing prepared);
    Start asks the interview the questions as they were when the app started."""
    load_bank([banks])
    bank: Bank = load_bank([banks])
    path = banks / "sampling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PROMPT, "Edited?"), encoding="utf-8")
    settings = SessionSettings(topics=("sampling",), difficulty="easy", questions=2, seed=3)
    app = make_app(bank, tmp_path / "s", settings=settings, clock=FakeClock(), tick=0)
    async with app.run_test(size=(100, 32)) as pilot:
        with no_decoding():
            await pilot.pause()
            assert isinstance(app.screen, SetupScreen)
            labels = [label for label, _ in app.screen.query_one("#topics")._options]
            assert labels == [
                f"{s.title}  ({'/'.join(str(n) for n in s.counts)})"
                for s in bank.summaries.values()
            ]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.interview is not None
        assert PROMPT in [q.prompt for q in app.interview.plan]  # both easy ones, as read


async def test_the_history_opens_without_decoding_a_question(
    banks: Path, cache_dir: Path, tmp_path: Path
) -> None:
    """Its topic filter needs the topics' titles only (`interview-sim review`)."""
    load_bank([banks])
    bank = load_bank([banks])
    app = make_app(bank, tmp_path / "s", open_history=True, clock=FakeClock(), tick=0)
    with no_decoding():
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "HistoryScreen"
            options = app.screen.query_one("#topic-filter")._options
            assert [value for _, value in options] == ["", *bank.summaries]
