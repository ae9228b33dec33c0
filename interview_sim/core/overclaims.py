"""Absolute claims: "X eliminates Y", "Z always beats W", "this guarantees ...".

Confidently wrong answers overclaim. On the tuning half of the blind set, the words below
(unhedged, and absent from everything the question's own text says) appeared in 47 of 251 wrong
or one-error answers and in 3 of 251 correct ones. An interviewer probes such a claim at once,
so the grader takes points off for each one and says which words it means; it does not fail the
answer by itself, since an absolute is sometimes simply true ("constrained decoding makes an
invalid token impossible"), which is why the question's own text vouches for a word it uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from interview_sim.core.claims import POLAR
from interview_sim.core.text import DISOWNING, NEGATORS, stem

# Absolute in themselves.
ABSOLUTE_WORDS = frozenset(
    [
        "guarantee",
        "guaranteed",
        "guarantees",
        "completely",
        "entirely",
        "eliminate",
        "eliminates",
        "perfectly",
        "impossible",
        "solves",
        "fully",
    ]
)
# Absolute only when a comparison or direction follows ("always better", "always beats"):
# "I always check", "a profile that is always in context" are habits and facts, not overclaims.
ALWAYS = "always"
_WATCHED = ABSOLUTE_WORDS | {ALWAYS}  # the words looked for
_OUTRANKING = frozenset(["beats", "outperforms", "wins", "dominates"])
_ALWAYS_REACH = 3  # words after "always" that may carry the comparison
_HEDGES = NEGATORS | DISOWNING | frozenset(["almost", "nearly", "virtually", "mostly", "generally"])
_HEDGE_REACH = 3  # "not always", "almost always", "hard to eliminate"
_SENTENCE_BREAK = re.compile(r"[.;!?\n]")  # a hedge does not reach across it
_PHRASE_BREAK = re.compile(r"[.;!?,\n]")  # nor does a comparison, nor the quoted words
_QUOTED_WORDS = 3  # the absolute word and what follows it, quoted back to the person


class Overclaim(NamedTuple):
    word: str  # the absolute word, lower case
    start: int  # offsets in the original text of the word and the words after it
    end: int


def absolute_claims(
    lead: int,
    pairs: list[tuple[str, str]],
    mapping: list[int] | None,
    rejected: Callable[[int], bool],
) -> list[Overclaim]:
    """Every unhedged absolute word of normalised text (``words_and_gaps``): the first use of
    each word, and one per phrase ("eliminates it fully" is one claim). ``rejected(i)`` says
    whether word i stands in a claim the answer names to reject ("a misconception is that RAG
    eliminates hallucination"): that is not the person's claim."""
    found: list[Overclaim] = []
    watched = [i for i, (word, _) in enumerate(pairs) if word in _WATCHED]
    if not watched:  # most answers: no offsets worked out
        return found
    seen: set[str] = set()
    quoted_to = -1
    starts: list[int] = []
    pos = lead
    for word, gap in pairs:
        starts.append(pos)
        pos += len(word) + len(gap)
    for i in watched:
        word = pairs[i][0]
        if word in seen or i <= quoted_to:
            continue
        last = _quote_end(pairs, i)
        if _hedged(pairs, i) or rejected(i):  # "hard to eliminate it fully"
            quoted_to = last
            continue
        if word == ALWAYS and not _compares(pairs, i):
            continue
        seen.add(word)
        quoted_to = last
        start, end = starts[i], starts[last] + len(pairs[last][0])
        if mapping is not None:
            start, end = mapping[start], mapping[end - 1] + 1
        found.append(Overclaim(word, start, end))
    return found


def unsupported(claims: Iterable[Overclaim], reference_words: frozenset[str]) -> list[Overclaim]:
    """The absolute claims whose word the question's own text never uses."""
    return [c for c in claims if c.word not in reference_words]


def _hedged(pairs: list[tuple[str, str]], i: int) -> bool:
    for word, gap in reversed(pairs[max(0, i - _HEDGE_REACH) : i]):
        if _SENTENCE_BREAK.search(gap):
            return False
        if word in _HEDGES:
            return True
    return False


def _compares(pairs: list[tuple[str, str]], i: int) -> bool:
    if _PHRASE_BREAK.search(pairs[i][1]):
        return False
    for word, gap in pairs[i + 1 : i + 1 + _ALWAYS_REACH]:
        if word in POLAR or stem(word) in POLAR or word in _OUTRANKING:
            return True
        if _PHRASE_BREAK.search(gap):
            return False
    return False


def _quote_end(pairs: list[tuple[str, str]], i: int) -> int:
    last = i
    while last + 1 < len(pairs) and last - i + 1 < _QUOTED_WORDS:
        if _PHRASE_BREAK.search(pairs[last][1]):
            break
        last += 1
    return last
