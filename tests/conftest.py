from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.grading import Grader

if TYPE_CHECKING:
    from interview_sim.core.store import SessionStore

FIXTURES = Path(__file__).parent / "fixtures"
MINI_BANKS = FIXTURES / "mini_banks"


class FakeClock:
    """A monotonic clock the test moves by hand: a 3-minute timeout takes no time at all."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def mini_bank() -> Bank:
    return load_bank([MINI_BANKS])


@pytest.fixture(scope="session")
def mini_grader(mini_bank: Bank) -> Grader:
    return Grader(mini_bank.questions())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def authors_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SessionStore:
    """A writable sessions folder, with the mini banks standing in for the bundled ones: what
    `banks suggest-aliases` reads."""
    from interview_sim import locations
    from interview_sim.core.store import SessionStore

    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: MINI_BANKS)
    store = SessionStore(tmp_path / "s")
    store.check_writable()
    return store


@pytest.fixture(autouse=True)
def _sessions_never_leave_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never write outside tmp_path: the default sessions folder points there."""
    monkeypatch.setenv("INTERVIEW_SIM_SESSIONS", str(tmp_path / "sessions"))
    yield


@pytest.fixture(autouse=True)
def _preferences_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered choices are kept in tmp_path, never in ~/.config."""
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", str(tmp_path / "config" / "preferences.json"))


@pytest.fixture(autouse=True)
def _bank_cache_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsed-bank cache lives in a per-run temporary folder, never in ~/.cache."""
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
