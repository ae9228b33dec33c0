"""`banks list` and `banks validate`: what the loaded banks hold, and whether files are valid."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_sim import locations
from interview_sim.cli.errors import EXIT_INVALID, EXIT_OK
from interview_sim.cli.loading import load_all_banks
from interview_sim.core.bank import DIFFICULTIES, BankError, bank_files, load_bank
from interview_sim.core.printable import printable, printable_line

if TYPE_CHECKING:
    from argparse import Namespace


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
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for r in rows:  # banks refuse control characters; belt and braces
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
    checked = {f.resolve() for f in files}  # counted: the files named, not the bundled ones
    questions = [q for q in bank.questions() if Path(q.source).resolve() in checked]
    topics = {q.topic for q in questions}
    print(f"ok: {len(files)} file(s), {len(topics)} topic(s), {len(questions)} question(s)")
    return EXIT_OK


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
