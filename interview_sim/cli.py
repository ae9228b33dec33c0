"""Command-line entry point: argparse subcommands that call into core/ and ui/."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from interview_sim import locations
from interview_sim.core.bank import DIFFICULTIES, Bank, BankError, bank_files, load_bank

if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

# argparse is imported by the functions that build and run the parser, not here: a bare
# `interview-sim` never parses anything (see START_DEFAULTS) and start-up is measured.

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user-facing error: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _common(top: bool = False) -> ArgumentParser:
    """--banks, accepted before or after the subcommand (the subcommand's copy must not reset
    what the top level parsed, hence SUPPRESS there)."""
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--banks",
        action="append",
        dest="banks" if top else "banks_after_command",
        default=[] if top else argparse.SUPPRESS,
        metavar="DIR",
        type=Path,
        help="add a folder (or file) of your own banks; repeatable",
    )
    return common


def _sessions_arg(parser: ArgumentParser, top: bool = False) -> None:
    """--sessions-dir, before or after the subcommand like --banks (after wins if both)."""
    import argparse

    parser.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help=f"where transcripts are kept (default: ${locations.SESSIONS_ENV} or ./sessions)",
    )


def build_parser() -> ArgumentParser:
    import argparse

    class _VersionAction(argparse.Action):
        """--version, looked up only when asked for (importlib.metadata is slow to import)."""

        def __call__(
            self,
            parser: ArgumentParser,
            namespace: Namespace,
            values: object,
            option_string: str | None = None,
        ) -> None:
            from interview_sim import __version__

            print(f"interview-sim {__version__}")
            parser.exit()

    common = _common()
    parser = argparse.ArgumentParser(
        prog="interview-sim",
        description="Timed mock interviews for LLM / machine-learning roles, in the terminal.",
        parents=[_common(top=True)],
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show the version and exit"
    )
    _sessions_arg(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    start = sub.add_parser(
        "start",
        parents=[common],
        help="start an interview (the default)",
        description="Start a mock interview. With no flags the setup "
        "screen asks; any flag given skips it.",
    )
    start.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help="topic id to draw from; repeatable (default: all)",
    )
    start.add_argument("--difficulty", choices=[*DIFFICULTIES, "mixed"], default=None)
    start.add_argument(
        "--questions",
        type=int,
        default=None,
        metavar="N",
        help="number of main questions (default 5)",
    )
    start.add_argument(
        "--follow-ups",
        type=int,
        choices=[0, 1, 2],
        default=None,
        help="follow-up questions after each answer (default 1)",
    )
    start.add_argument(
        "--minutes",
        type=float,
        default=None,
        metavar="M",
        help="minutes per question, 0.5 to 600 (default by difficulty: 2 / 3 / 5)",
    )
    start.add_argument(
        "--session-minutes",
        type=float,
        default=None,
        metavar="M",
        help="optional limit for the whole session, 0.5 to 600",
    )
    start.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="S",
        help="whole number from 1: the same seed and settings give the same questions "
        "(default: a new one each interview)",
    )
    start.add_argument(
        "--mode",
        choices=["interview", "practice"],
        default=None,
        help="interview: feedback at the end; practice: after every answer",
    )
    start.add_argument(
        "--focus",
        choices=["due", "weak", "new", "cram"],
        default=None,
        help="due: questions the schedule says are due, then new ones; weak: lowest recent "
        "scores first; new: never asked; cram: due soon, asked early, schedule left as it is",
    )
    _sessions_arg(start)

    banks = sub.add_parser(
        "banks",
        help="list or validate question banks",
        description="List or validate question banks.",
    )
    banks_sub = banks.add_subparsers(dest="banks_command", metavar="ACTION", required=True)
    blist = banks_sub.add_parser(
        "list",
        parents=[common],
        help="topics with question counts",
        description="Each topic with its question count by difficulty.",
    )
    blist.add_argument("--json", action="store_true", help="print JSON")
    bval = banks_sub.add_parser(
        "validate",
        parents=[common],
        help="check bank files",
        description="Validate bank files or folders (default: the "
        "bundled banks). Exit 0 when valid, 1 with one line "
        "per problem otherwise.",
    )
    bval.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    btest = banks_sub.add_parser(
        "selftest",
        parents=[common],
        help="grade answers made from the banks themselves",
        description="For every question in the given bank files or folders (default: the "
        "bundled banks), grade its model answer (must pass), its prompt echoed back (must fail), "
        "its terms as a bare list (must score low) and its model answer with directions "
        "inverted (must fail). Exit 0 when all behave, 1 with one FILE:LINE line per problem.",
    )
    btest.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    bsuggest = banks_sub.add_parser(
        "suggest-aliases",
        parents=[common],
        help="phrases people said the grader missed, per concept",
        description="For every concept people marked 'I covered this' on a feedback screen, "
        "the phrases of their answers nearest its aliases, with how often each was written: "
        "for a bank author to review as possible aliases.",
    )
    bsuggest.add_argument("--json", action="store_true", help="print JSON")
    _sessions_arg(bsuggest)

    grade = sub.add_parser(
        "grade",
        parents=[common],
        help="grade an answer against a question",
        description="Grade a typed answer against a question's concepts.",
    )
    grade.add_argument(
        "--question", metavar="ID", help="question id (or ID/FOLLOWUP for a follow-up)"
    )
    grade.add_argument("--answer-file", metavar="FILE", help="answer text file, or - for stdin")
    grade.add_argument(
        "--batch",
        metavar="FILE",
        help='JSON Lines of {"question": ID, "answer": TEXT}; one result per line',
    )
    grade.add_argument("--json", action="store_true", help="print JSON")

    review = sub.add_parser(
        "review",
        parents=[common],
        help="browse past sessions",
        description="Open the history screen, or list sessions as JSON.",
    )
    review.add_argument("--json", action="store_true", help="print the session list as JSON")
    _sessions_arg(review)

    stats = sub.add_parser(
        "stats",
        parents=[common],
        help="due questions, reviews, retention and leeches",
        description="What the review schedule says: questions due today and this week, reviews "
        "per day, retention (share of reviews passed) per topic, the score trend and leeches.",
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    _sessions_arg(stats)

    schedule = sub.add_parser(
        "schedule",
        help="the review schedule kept beside the sessions",
        description="The review schedule (sessions/.schedule.json) is kept up to date from the "
        "transcripts; `rebuild` makes it again from them alone.",
    )
    schedule_sub = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    rebuild = schedule_sub.add_parser(
        "rebuild",
        parents=[common],
        help="rebuild the schedule from the transcripts",
        description="Replay every session's answers into a new schedule file.",
    )
    _sessions_arg(rebuild)

    report = sub.add_parser(
        "report",
        parents=[common],
        help="print one session's report",
        description="Print the summary report of one session.",
    )
    report.add_argument("session_id", metavar="ID")
    report.add_argument("--format", choices=["md", "json"], default="md")
    _sessions_arg(report)

    resume = sub.add_parser(
        "resume",
        parents=[common],
        help="resume an unfinished session",
        description="Continue an in-progress session at its next unanswered question.",
    )
    resume.add_argument("session_id", metavar="ID")
    _sessions_arg(resume)

    from interview_sim.cli_serve import add_parser as add_serve

    _sessions_arg(add_serve(sub, common))
    return parser


def load_all_banks(extra: Sequence[Path]) -> Bank:
    return load_bank([locations.bundled_banks_dir(), *extra])


def _seed(text: str) -> int:
    import argparse

    try:
        seed = int(text)
    except ValueError:
        seed = 0
    if seed < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, got {text!r}")
    return seed


def parse_args(parser: ArgumentParser, argv: Sequence[str] | None) -> Namespace:
    args = parser.parse_args(argv)
    args.banks = [*args.banks, *getattr(args, "banks_after_command", [])]
    return args


# What `interview-sim start` parses to: a bare `interview-sim` starts from these without
# building the parser, which is a noticeable part of start-up (tests check they agree).
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


def printable(text: str) -> str:
    """A message for the terminal: a file name or value in it may hold control characters,
    which are shown as symbols (ESC as ␛) rather than obeyed."""
    from interview_sim.core.controls import printable as shown

    return shown(text)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        try:
            return _dispatch(parse_args(build_parser(), argv) if argv else _start_args())
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
        return 130


EXIT_PIPE_CLOSED = 128 + 13  # what a shell reports for a command ended by SIGPIPE


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
    command = args.command or "start"
    if command == "banks":
        if args.banks_command == "list":
            return cmd_banks_list(args)
        if args.banks_command == "suggest-aliases":
            from interview_sim.cli_sessions import cmd_suggest_aliases

            return cmd_suggest_aliases(args)
        if args.banks_command == "selftest":
            from interview_sim.cli_grade import cmd_banks_selftest

            return cmd_banks_selftest(args, load_all_banks([*args.paths, *args.banks]))
        return cmd_banks_validate(args)
    if command == "grade":
        from interview_sim.cli_grade import cmd_grade

        return cmd_grade(args, load_all_banks(args.banks))
    if command in ("stats", "schedule"):
        from interview_sim import cli_schedule

        return int(getattr(cli_schedule, f"cmd_{command}")(args))
    if command in ("review", "report", "resume"):
        from interview_sim import cli_sessions

        return int(getattr(cli_sessions, f"cmd_{command}")(args))
    if command == "serve":
        from interview_sim.cli_serve import cmd_serve

        return cmd_serve(args)
    from interview_sim.cli_sessions import cmd_start

    if args.command is None:  # only --banks / --sessions-dir given: start options at defaults
        args = _start_args(banks=args.banks, sessions_dir=args.sessions_dir)
    return cmd_start(args)


def cmd_banks_list(args: Namespace) -> int:
    bank = load_all_banks(args.banks)
    rows: list[dict[str, Any]] = [
        {
            "topic": t.id,
            "title": t.title,
            "total": len(t.questions),
            **{d: t.count_at(d) for d in DIFFICULTIES},
        }
        for t in bank.topics.values()
    ]
    if args.json:
        import json

        print(json.dumps(rows, indent=2))
        return EXIT_OK
    from interview_sim.core.controls import printable_line  # banks refuse them; belt and braces

    for r in rows:
        r["topic"], r["title"] = printable_line(r["topic"]), printable_line(r["title"])
    width = max((len(r["topic"]) for r in rows), default=5)
    print(f"{'topic':<{width}}  {'easy':>4}  {'medium':>6}  {'hard':>4}  {'total':>5}  title")
    for r in rows:
        print(
            f"{r['topic']:<{width}}  {r['easy']:>4}  {r['medium']:>6}  {r['hard']:>4}  "
            f"{r['total']:>5}  {r['title']}"
        )
    total = sum(r["total"] for r in rows)
    print(f"{len(rows)} topics, {total} questions")
    return EXIT_OK


def cmd_banks_validate(args: Namespace) -> int:
    """Validate the given banks as they would be loaded: together with the bundled ones, so
    that an id the bundled banks already use is reported here rather than at `start`."""
    bundled = locations.bundled_banks_dir()
    given: list[Path] = [*args.paths, *args.banks]
    paths = given or [bundled]
    files, _ = bank_files(paths)
    if given and not any(_same_path(p, bundled) for p in given):
        paths = [bundled, *given]
    try:
        bank = load_bank(paths)
    except BankError as exc:
        for problem in exc.problems:
            print(printable(str(problem)))
        print(f"{len(exc.problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return EXIT_INVALID
    for warning in bank.warnings:
        print(printable(f"warning: {warning}"), file=sys.stderr)
    checked = {str(f) for f in files}  # counted: the files named, not the bundled ones
    questions = [q for q in bank.questions() if q.source in checked]
    topics = {q.topic for q in questions}
    print(f"ok: {len(files)} file(s), {len(topics)} topic(s), {len(questions)} question(s)")
    return EXIT_OK


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
