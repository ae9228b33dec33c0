"""What the flags point at, opened the same way by every subcommand: the banks (the bundled
ones plus any --banks) and the sessions folder (--sessions-dir)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from interview_sim import locations
from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.store import SessionStore

if TYPE_CHECKING:
    from argparse import Namespace  # not at run time: a bare `interview-sim` parses nothing


def load_all_banks(extra: Sequence[Path]) -> Bank:
    return load_bank([locations.bundled_banks_dir(), *extra])


def open_store(args: Namespace) -> SessionStore:
    return SessionStore(locations.sessions_dir(args.sessions_dir))
