"""The argument parser: every subcommand's flags, declared in one place.

`main` builds it only when there are arguments to parse: a bare `interview-sim` starts from
main.START_DEFAULTS, which tests check against what this parser gives for `start`.
"""

from __future__ import annotations

import argparse
from argparse import ArgumentParser, Namespace
from collections.abc import Sequence
from pathlib import Path

from interview_sim import locations
from interview_sim.core.bank import DIFFICULTIES


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


def _common(top: bool = False) -> ArgumentParser:
    """--banks, accepted before or after the subcommand (the subcommand's copy must not reset
    what the top level parsed, hence SUPPRESS there)."""
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
    parser.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help=f"where transcripts are kept (default: ${locations.SESSIONS_ENV} or ./sessions)",
    )


def build_parser() -> ArgumentParser:
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
        help="phrases people said the grader missed, and aliases that fired wrongly",
        description="For every concept people marked 'I covered this' on a feedback screen, "
        "the phrases of their answers nearest its aliases, with how often each was written: "
        "for a bank author to review as possible aliases. Then, for every flagged claim people "
        "marked 'Not what I said', the alias that fired and the words it fired on: aliases "
        "that may be too broad.",
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

    _sessions_arg(_add_serve(sub, common))
    return parser


def _seed(text: str) -> int:
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


def _add_serve(
    sub: argparse._SubParsersAction[ArgumentParser], common: ArgumentParser
) -> ArgumentParser:
    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="practise in a browser",
        description="Serve the app to a web browser: each tab runs its own interview, all "
        "kept in the same sessions folder. Listens on this machine only (127.0.0.1) unless "
        "--allow-remote is given. Flags after -- are passed to `start` in every tab, e.g. "
        "`serve -- --topic decoding --mode practice`.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than this machine's loopback address; then every request "
        "needs the access token printed on start",
    )
    serve.add_argument(
        "--token",
        action="store_true",
        help="require the access token on the loopback address too (a machine shared with "
        "other users)",
    )
    serve.add_argument(
        "start_flags",
        nargs="*",
        metavar="-- START_FLAGS",
        help="`start` flags for every tab, after -- (see: interview-sim start --help)",
    )
    return serve
