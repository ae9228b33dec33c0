"""`stats` and `schedule rebuild`: the review schedule (core/scheduling.py) from the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interview_sim.cli.errors import CliError
from interview_sim.cli.loading import open_store
from interview_sim.core.store import SessionResults, SessionStore, StoreError

if TYPE_CHECKING:
    from argparse import Namespace

    from interview_sim.core.scheduling import Schedule


def _results(store: SessionStore) -> list[SessionResults]:
    try:
        return store.results()
    except StoreError as exc:
        raise CliError(str(exc)) from None


def statistics_json(store: SessionStore, results: list[SessionResults]) -> dict[str, Any]:
    """The figures `stats --json` prints (and `review --json` under "statistics")."""
    from interview_sim.core.clock import now
    from interview_sim.core.scheduling import sync
    from interview_sim.core.stats import statistics

    return statistics(results, sync(store.root, results), now()).to_json()


def cmd_stats(args: Namespace) -> int:
    from interview_sim.core.printable import json_text, printable_line

    store = open_store(args)
    figures = statistics_json(store, _results(store))
    if args.json:
        print(json_text(figures, indent=1))
        return 0
    print(f"questions answered: {figures['cards']}")
    print(f"due today: {figures['due_today']}, this week: {figures['due_this_week']}")
    week = figures["reviews_per_day"][-7:]
    print("reviews, last 7 days: " + ", ".join(f"{d['date'][5:]} {d['reviews']}" for d in week))
    for topic, r in figures["retention"].items():
        share = "-" if r["share"] is None else f"{r['share']:.0%}"
        print(printable_line(f"retention {topic}: {share} of {r['reviews']} reviews passed"))
    for x in figures["leeches"]:
        print(
            printable_line(
                f"leech {x['question']}: failed {x['failures']} of {x['reviews']} times; "
                "read its model answer and follow-ups first"
            )
        )
    return 0


def cmd_schedule(args: Namespace) -> int:
    from interview_sim.core.scheduling import STATE_NAME, sync

    store = open_store(args)
    results = _results(store)
    schedule: Schedule = sync(store.root, results, rebuild=True)
    reviews = sum(c.reviews for c in schedule.cards.values())
    print(
        f"rebuilt {store.root / STATE_NAME}: {len(schedule.cards)} question(s), "
        f"{reviews} review(s) from {len(results)} session(s)"
    )
    return 0
