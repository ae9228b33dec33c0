"""Index entries of the versions before (core/index.py), taken over without reading their
transcripts: each is turned into the current form and checked as closely as a current one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from itertools import chain
from typing import Any

from interview_sim.core.rows import SessionResults, SessionRow

TAKEN_OVER = (4, 5)  # {"key", "row", "results"} objects; nested arrays


def flattened_v5(entry: Any) -> Any:
    """A version 5 entry ([mtime_ns, size, id, created, mode, [topics], difficulty, questions,
    answered, score, duration, status, [answers], [missed], [reviews]]) in the current form, or
    None if it is not one; the current check (index._decode) does the rest."""
    if type(entry) is not list or len(entry) == 4:  # an unreadable file's is the same
        return entry
    if len(entry) != 15:
        return None
    mtime, size, sid, created, mode, topics, difficulty, questions, answered = entry[:9]
    score, duration, status, answers, missed, reviews = entry[9:]
    lists = (topics, answers, missed, reviews)
    if any(type(x) is not list for x in lists):
        return None
    if any(type(a) is not list or len(a) != 3 for a in answers):
        return None
    if any(type(r) is not list or len(r) != 5 for r in reviews):
        return None
    fixed = [mtime, size, sid, created, mode, difficulty, status, questions, answered, score]
    return [
        *fixed,
        duration,
        len(topics),
        *topics,
        len(answers),
        *chain.from_iterable(answers),
        len(missed),
        *missed,
        len(reviews),
        *chain.from_iterable(reviews),
    ]


def row_and_results_v4(name: str, key: list[int], item: Any) -> Any:
    """A version 4 entry ({"key", "row", "results"} or {"key", "error"}) as (row, results), its
    error, or None if it does not fit its file."""
    if not isinstance(item, Mapping) or item.get("key") != key:
        return None
    if isinstance(item.get("error"), str):
        return str(item["error"])
    raw: Any = item.get("row")
    done: Any = item.get("results")
    try:
        same = (done["id"], done["created"], done["score"]) == (
            raw["id"],
            raw["created"],
            raw["score"],
        )
        if raw["file"] != name or not same:
            return None
        return SessionRow(**{**raw, "topics": tuple(raw["topics"])}), SessionResults(**done)
    except (TypeError, KeyError):
        return None


def json_round_trip(entry: list[Any]) -> Any:
    """What a v4 entry's values would be once written and read: checked like any other."""
    return json.loads(json.dumps(entry), parse_constant=lambda _: None)
