"""`interview-sim grade`: grade answers from files, stdin or a JSON Lines batch."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from interview_sim.cli.errors import CliError
from interview_sim.core.bank import Bank, FollowUp, Question, UnknownQuestionError
from interview_sim.core.explain import nearest_phrase
from interview_sim.core.grading import Grader, GradeResult
from interview_sim.core.printable import json_text, printable, printable_line, without_surrogates


def result_json(item_id: str, result: GradeResult) -> dict[str, Any]:
    return {
        "question": item_id,
        "score": result.score,
        "passed": result.passed,
    } | result.details()


def render_human(
    item_id: str, answer: str, result: GradeResult, item: Question | FollowUp | None = None
) -> str:
    """The result for a person: text from the answer or a bank is shown with its control
    characters as symbols, so that an escape sequence in it is seen, not obeyed. With the
    graded item, each missed concept also shows the nearest phrase the answer did contain."""
    lines = [f"{item_id}: score {result.score}/100 ({'pass' if result.passed else 'not yet'})"]
    concepts = {c.name: c for c in item.concepts} if item is not None else {}
    credited = [(c.start, c.end) for c in result.hit if c.start is not None and c.end is not None]
    for c in result.concepts:
        tag = "required" if c.required else "bonus" if c.bonus else ""
        label = f"{c.name}" + (f" [{tag}]" if tag else "")
        if c.matched and c.start is not None and c.end is not None:
            lines.append(
                f'  hit    {label}: "{printable_line(answer[c.start : c.end])}" '
                f"(alias '{c.alias}', {c.similarity:.0f}%)"
            )
        else:
            near = (
                nearest_phrase(concepts[c.name], answer, credited) if c.name in concepts else None
            )
            hint = (
                f" (you wrote \"{printable_line(near.phrase)}\"; we listen for '{near.alias}')"
                if near
                else ""
            )
            lines.append(f"  missed {label}{hint}")
    for m in result.misconceptions:
        lines.append(
            f'  wrong  "{printable_line(answer[m.start : m.end])}": {m.statement} -> {m.correction}'
        )
    lines.extend(f"  note   {n}" for n in result.notes)
    return printable("\n".join(lines))


def cmd_grade(args: argparse.Namespace, bank: Bank) -> int:
    grader = Grader(bank.questions())
    if args.batch:
        return _batch(args, bank, grader)
    if not args.question or not args.answer_file:
        raise CliError("grade needs --question ID and --answer-file FILE (or --batch FILE)")
    try:
        item = bank.gradable(args.question)
    except UnknownQuestionError as exc:
        raise CliError(str(exc)) from None
    answer = _read_answer(args.answer_file)
    result = grader.grade(item, answer)
    if args.json:
        print(json_text(result_json(args.question, result)))
    else:
        print(render_human(args.question, answer, result, item))
    return 0


def _read_answer(name: str) -> str:
    if name == "-":
        return without_surrogates(sys.stdin.read())
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{name}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{name}: not UTF-8 text (byte offset {exc.start})") from None
    except OSError as exc:
        raise CliError(f"{name}: cannot read ({exc.strerror})") from None


def _batch(args: argparse.Namespace, bank: Bank, grader: Grader) -> int:
    source = sys.stdin if args.batch == "-" else None
    try:
        lines = source.read() if source else Path(args.batch).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{args.batch}: cannot read ({exc})") from None
    failures = 0
    for n, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            item_id, answer = record["question"], record["answer"]
            if not isinstance(item_id, str) or not isinstance(answer, str):
                raise ValueError('"question" and "answer" must be strings')
            # JSON can spell a lone surrogate ("\ud800"), which no output could encode
            item_id, answer = without_surrogates(item_id), without_surrogates(answer)
            item = bank.gradable(item_id)
        except (ValueError, KeyError) as exc:
            failures += 1
            message = (
                str(exc)
                if not isinstance(exc, KeyError) or isinstance(exc, UnknownQuestionError)
                else f"missing field {exc}"
            )
            out: dict[str, Any] = {"line": n, "error": message}
            print(json_text(out) if args.json else printable(f"{args.batch}:{n}: {message}"))
            continue
        result = grader.grade(item, answer)
        if args.json:
            print(json_text(result_json(item_id, result)))
        else:
            print(render_human(item_id, answer, result, item))
    return 2 if failures else 0


def cmd_banks_selftest(args: argparse.Namespace, bank: Bank) -> int:
    """Problems of the questions in the given paths (all loaded banks when none are given)."""
    from interview_sim.core.selftest import selftest

    chosen = [p.resolve() for p in args.paths]

    def wanted(source: str) -> bool:
        where = Path(source).resolve()
        return not chosen or any(where == p or p in where.parents for p in chosen)

    report = selftest(bank, Grader(bank.questions()), wanted)
    for problem in report.problems:
        print(problem)
    print(
        f"{len(report.problems)} problem(s) in {report.items} questions and follow-ups "
        f"({report.inverted} had a claim to invert)",
        file=sys.stderr,
    )
    return 1 if report.problems else 0
