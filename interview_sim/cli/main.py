"""The entry point (`interview-sim`, `python -m interview_sim`): parse, dispatch to the
subcommand's module, and turn what goes wrong into one line and an exit code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from interview_sim.cli.errors import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_PIPE_CLOSED, CliError
from interview_sim.cli.loading import load_all_banks
from interview_sim.core.bank import BankError
from interview_sim.core.printable import printable

if TYPE_CHECKING:
    from argparse import Namespace

# What `interview-sim start` parses to: a bare `interview-sim` starts from these without
# building the parser (tests check they agree, and that argparse is not imported then).
START_DEFAULTS: dict[str, Any] = {
    "banks": [],
    "version": None,
    "command": "start",
    "topic": [],
    "difficulty": None,
    "questions": None,
    "follow_ups": None,
    "minutes": None,
    "session_minutes": None,
    "seed": None,
    "mode": None,
    "focus": None,
    "sessions_dir": None,
}


def _start_args(**given: Any) -> Namespace:
    """START_DEFAULTS (with `given` in their place) as the handlers' arguments, without
    argparse: a SimpleNamespace, which the handlers read exactly like a Namespace."""
    return cast("Namespace", SimpleNamespace(**{**START_DEFAULTS, **given}))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        try:
            return _dispatch(_parse(argv) if argv else _start_args())
        finally:
            sys.stdout.flush()  # here, where a closed pipe can still be handled
    except BrokenPipeError:
        return _stdout_closed()
    except CliError as exc:
        print(printable(f"interview-sim: {exc}"), file=sys.stderr)
        return exc.code
    except BankError as exc:
        for problem in exc.problems:
            print(printable(str(problem)), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _parse(argv: Sequence[str]) -> Namespace:
    from interview_sim.cli.parser import build_parser, parse_args

    return parse_args(build_parser(), argv)


def _stdout_closed() -> int:
    """The reader of our output went away (`| head -1`): stop quietly, as `cat` would. Standard
    output is pointed at /dev/null so that Python's final flush at exit cannot fail again."""
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_PIPE_CLOSED


def _dispatch(args: Namespace) -> int:
    """Run the subcommand; its module is imported here, so a command loads only its own."""
    command = args.command or "start"
    if command == "banks":
        return _dispatch_banks(args)
    if command == "grade":
        from interview_sim.cli.grade import cmd_grade

        return cmd_grade(args, load_all_banks(args.banks))
    if command in ("stats", "schedule"):
        from interview_sim.cli import schedule

        return int(getattr(schedule, f"cmd_{command}")(args))
    if command in ("review", "report", "resume"):
        from interview_sim.cli import sessions

        return int(getattr(sessions, f"cmd_{command}")(args))
    if command == "serve":
        from interview_sim.cli.serve import cmd_serve

        return cmd_serve(args)
    from interview_sim.cli.sessions import cmd_start

    if args.command is None:  # only --banks / --sessions-dir given: start options at defaults
        args = _start_args(banks=args.banks, sessions_dir=args.sessions_dir)
    return cmd_start(args)


def _dispatch_banks(args: Namespace) -> int:
    if args.banks_command == "suggest-aliases":
        from interview_sim.cli.sessions import cmd_suggest_aliases

        return cmd_suggest_aliases(args)
    if args.banks_command == "selftest":
        from interview_sim.cli.grade import cmd_banks_selftest

        return cmd_banks_selftest(args, load_all_banks([*args.paths, *args.banks]))
    from interview_sim.cli.banks import cmd_banks_list, cmd_banks_validate

    return cmd_banks_list(args) if args.banks_command == "list" else cmd_banks_validate(args)
