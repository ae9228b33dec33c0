"""`start`, `resume`, `review`, `report` and `banks suggest-aliases`: the commands that touch
the sessions folder."""

from __future__ import annotations

import gc
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, Required, TypedDict, Unpack

from interview_sim import locations
from interview_sim.cli.errors import CliError
from interview_sim.cli.loading import load_all_banks, open_store
from interview_sim.core.bank import Bank, BankError
from interview_sim.core.preferences import Preferences, PreferencesError
from interview_sim.core.preferences import load as load_preferences
from interview_sim.core.settings import SessionError, SessionSettings
from interview_sim.core.store import SessionStore, StoreError

if TYPE_CHECKING:
    from argparse import Namespace  # not at run time: a bare `interview-sim` parses nothing

    from interview_sim.core.transcript import Transcript


class Remembered(TypedDict):
    """What the last run kept (choices, theme), where to keep it, and a warning if the file
    was damaged (then it is ignored): the app's keyword arguments for them."""

    preferences: Preferences
    preferences_path: Path | None
    warning: NotRequired[str]


class AppOptions(Remembered, total=False):
    """InterviewApp's keyword arguments, as the commands that open it give them."""

    bank: Required[Bank]
    store: Required[SessionStore]
    settings: Required[SessionSettings]
    start_now: bool
    resume_id: str
    open_history: bool


def _remembered() -> Remembered:
    path = locations.preferences_file()
    try:
        preferences = Preferences() if path is None else load_preferences(path)
    except PreferencesError as exc:
        return {
            "preferences": Preferences(),
            "preferences_path": path,
            "warning": f"Your last choices were not loaded: {exc}. Defaults are used.",
        }
    return {"preferences": preferences, "preferences_path": path}


def _needs_a_terminal() -> None:
    """The app reads keys from stdin and draws on stderr (Textual's choice): without a terminal
    on both it cannot run, and with stdin at end of file it used to spin, deaf to SIGTERM.
    A headless run (Textual's feature flag, TEXTUAL=headless: benchmarks) needs neither."""
    import os

    if "headless" in os.environ.get("TEXTUAL", "").replace(" ", "").split(","):
        return
    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):  # a browser tab (`serve`)
        return
    for name, stream in (("input (stdin)", sys.stdin), ("screen (stderr)", sys.stderr)):
        try:
            ok = stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed
            ok = False
        if not ok:
            raise CliError(
                f"the interview needs a terminal, and its {name} is not one; for scripts "
                "use `interview-sim grade`, `report` or `review --json`"
            )


def _run_app(**options: Unpack[AppOptions]) -> int:
    from interview_sim.ui.app import InterviewApp

    _needs_a_terminal()

    app = InterviewApp(**options)
    # Start-up builds long-lived objects only (modules, styles, widgets): no garbage-collection
    # pass until the first screen is painted (about a tenth of start-up, benchmarks/
    # bench_startup.py), then freeze them so that later passes skip them too.
    gc.disable()
    app.call_after_refresh(_collect_from_now_on)
    try:
        app.run()
    finally:
        gc.enable()
    if app.return_code:
        return app.return_code
    return 0


def _collect_from_now_on() -> None:
    gc.freeze()
    gc.enable()


def checked_start(args: Namespace) -> tuple[Bank, SessionStore, SessionSettings, dict[str, Any]]:
    """What `start` would run with (banks, sessions folder, settings and the choices given),
    each checked, or a CliError / BankError saying what is wrong: `serve` checks up front too."""
    bank = load_all_banks(args.banks)
    store = open_store(args)
    try:
        store.check_writable()  # before any question is shown, never after an answer
    except StoreError as exc:
        raise CliError(str(exc)) from None
    given = {
        "topics": tuple(args.topic) or None,
        "difficulty": args.difficulty,
        "questions": args.questions,
        "follow_ups": args.follow_ups,
        "minutes_per_question": args.minutes,
        "session_minutes": args.session_minutes,
        "mode": args.mode,
        "seed": args.seed,
        "focus": args.focus,
    }
    chosen = {k: v for k, v in given.items() if v is not None}
    settings = SessionSettings(**chosen)  # seed 0: drawn when the interview begins
    try:
        settings.validate(bank)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    return bank, store, settings, chosen


def cmd_start(args: Namespace) -> int:
    bank, store, settings, chosen = checked_start(args)
    start_now = bool(chosen.keys() - {"session_minutes"})
    remembered = _remembered()
    kept = remembered["preferences"].settings
    if not start_now and kept is not None:  # the setup screen starts from the last choices
        kept = replace(kept, **{k: v for k, v in chosen.items() if k == "session_minutes"})
        try:
            kept.validate(bank)
            settings = kept
        except SessionError as exc:  # e.g. a topic whose bank is no longer loaded
            remembered["warning"] = f"Your last choices were not used: {exc}."
    if start_now and (short := settings.shortfall(bank)):
        print(f"interview-sim: note: {short}", file=sys.stderr)  # the app says it too
    return _run_app(bank=bank, store=store, settings=settings, start_now=start_now, **remembered)


def _load_session(store: SessionStore, session_id: str) -> Transcript:
    """The session's transcript, or a CliError saying why it cannot be read."""
    from interview_sim.core.transcript import TranscriptError

    try:
        return store.load(session_id)
    except (StoreError, TranscriptError) as exc:
        raise CliError(str(exc)) from None


def cmd_resume(args: Namespace) -> int:
    from interview_sim.core.session import Status

    bank = load_all_banks(args.banks)
    store = open_store(args)
    transcript = _load_session(store, args.session_id)
    if transcript.status != Status.IN_PROGRESS:
        raise CliError(
            f"session {transcript.id} is {transcript.status}; only a session in "
            f"progress can be resumed (see: interview-sim report {transcript.id})"
        )
    try:
        store.lock(transcript.id)  # held for the app, which finds it taken by this store
    except StoreError as exc:  # SessionLockedError: open in another terminal
        raise CliError(str(exc)) from None
    # The setup screen, if the person goes on to another interview, starts from this session's
    # choices but not its seed (that would deal the same questions again).
    settings = replace(transcript.settings, seed=0)
    return _run_app(
        bank=bank, store=store, settings=settings, resume_id=transcript.id, **_remembered()
    )


def cmd_review(args: Namespace) -> int:
    store = open_store(args)
    store.sweep_temporaries()  # what writers killed mid-write left (never a session)
    if args.json:
        from interview_sim.cli.schedule import statistics_json
        from interview_sim.core.printable import json_text

        try:
            rows, bad, results = store.listing()
        except StoreError as exc:
            raise CliError(str(exc)) from None
        print(
            json_text(
                {
                    "sessions": [r.to_json() for r in rows],
                    "unreadable": [{"file": u.file, "reason": u.reason} for u in bad],
                    "statistics": statistics_json(store, results),
                },
                indent=1,
            )
        )
        return 0
    bank = load_all_banks(args.banks)
    return _run_app(
        bank=bank, store=store, settings=SessionSettings(), open_history=True, **_remembered()
    )


def cmd_report(args: Namespace) -> int:
    from interview_sim.core.printable import json_text, printable
    from interview_sim.core.report import render_markdown, report_json  # pulls in the grader

    transcript = _load_session(open_store(args), args.session_id)
    if args.format == "json":
        print(json_text(report_json(transcript), indent=1))
    else:
        try:
            bank = load_all_banks(args.banks)
        except BankError:  # the report still reads well without model answers
            bank = None
        # the report shows a person's text literally already; this covers everything else
        # read from the transcript (a prompt, a topic) too
        sys.stdout.write(printable(render_markdown(transcript, bank)))
    return 0


def cmd_suggest_aliases(args: Namespace) -> int:
    from interview_sim.core.overrule import suggestions, too_broad
    from interview_sim.core.printable import json_text, printable_line
    from interview_sim.core.transcript import TranscriptError

    store = open_store(args)
    try:
        bank = load_all_banks(args.banks)
    except BankError:  # the phrases are still worth listing, just less precisely
        bank = None
    try:
        rows, _ = store.rows()
    except StoreError as exc:
        raise CliError(str(exc)) from None
    transcripts = []
    for row in rows:
        try:
            transcripts.append(store.load(row.id))
        except (StoreError, TranscriptError):
            continue  # `review` lists unreadable files; nothing to suggest from them
    found = suggestions(transcripts, bank)
    broad = too_broad(transcripts)
    if args.json:
        print(
            json_text(
                {
                    "missed": [s._asdict() for s in found],
                    "too_broad": [
                        {
                            "item_id": b.item_id,
                            "statement": b.statement,
                            "fired": [{"alias": a, "words": w, "count": n} for a, w, n in b.fired],
                        }
                        for b in broad
                    ],
                },
                indent=1,
            )
        )
        return 0
    if not found:
        print(printable_line(f"No concept has been marked 'I covered this' in {store.root}."))
    for s in found:  # ids, names and phrases come from transcripts: shown, never obeyed
        print(printable_line(f"{s.item_id}: {s.concept}"))
        for phrase, n in s.phrases:
            print(printable_line(f"  {n}x  {phrase}"))
    if broad:
        print()
        print(
            "Aliases that may be too broad: they fired on answers whose authors say they did "
            "not make the claim ('Not what I said')"
        )
    for b in broad:
        print(printable_line(f"{b.item_id}: {b.statement}"))
        for alias, words, n in b.fired:
            what = f'alias "{alias}"' if alias else "stated the other way round"
            print(printable_line(f'  {n}x  {what} fired on "{words}"'))
    return 0
