"""`banks selftest`: grade answers made from a bank itself, so a bank author sees fragile
concepts before a candidate does.

For every question and follow-up: its model answer must pass; its prompt echoed back must fail;
its terms as a bare list (each concept's first alias, when there are three or more) must score
low; its model answer with one side of each claim reversed must fail or flag a misconception.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from interview_sim.core.bank import Bank, FollowUp, Question
from interview_sim.core.claims import claims
from interview_sim.core.grading import Grader

# Word pairs swapped to turn a correct statement into its opposite.
_OPPOSITES = (
    ("higher", "lower"),
    ("high", "low"),
    ("larger", "smaller"),
    ("large", "small"),
    ("bigger", "smaller"),
    ("increases", "decreases"),
    ("increase", "decrease"),
    ("more", "less"),
    ("faster", "slower"),
    ("longer", "shorter"),
    ("better", "worse"),
    ("sharpens", "flattens"),
    ("sharper", "flatter"),
    ("before", "after"),
    ("above", "below"),
    ("encoder", "decoder"),
    ("encoders", "decoders"),
    ("teacher", "student"),
    ("generator", "discriminator"),
    ("bidirectional", "unidirectional"),
    ("overfitting", "underfitting"),
    ("dense", "sparse"),
    ("global", "local"),
    ("positive", "negative"),
    ("memory-bound", "compute-bound"),
    ("training", "inference"),
    ("static", "dynamic"),
    ("parallel", "sequential"),
)
_SWAP = {a: b for a, b in _OPPOSITES} | {b: a for a, b in _OPPOSITES}
_SWAP_RE = re.compile(
    r"(" + "|".join(re.escape(w) for w in sorted(_SWAP, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
BARE_LIST_MAX = 50  # concept names as a bare list score at most this
# ... when there are at least this many: two terms ("learned merges, deterministic") are a terse
# answer to a follow-up that asks for two things, and the grader rightly cannot tell them apart.
BARE_LIST_MIN_TERMS = 3


class SelfTestProblem(NamedTuple):
    source: str  # FILE:LINE of the question
    item_id: str
    check: str
    score: int
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.item_id}: {self.check}: {self.detail}"


class SelfTestReport(NamedTuple):
    items: int
    inverted: int  # items whose model answer had something to invert
    problems: list[SelfTestProblem]


def invert(text: str) -> str:
    """The text with one side of each claim it makes reversed: the first direction or role word
    of each ("a low temperature sharpens" -> "a high temperature sharpens"). Swapping both
    sides would say the same thing again ("a high temperature flattens")."""
    out, last = [], 0
    for claim in claims(text):
        m = _SWAP_RE.match(text, claim.start)
        if m is None or m.start() < last:
            continue
        word = m.group(0)
        other = _SWAP[word.lower()]
        out.append(text[last : m.start()])
        out.append(other.capitalize() if word[0].isupper() else other)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _items(
    bank: Bank, wanted: Callable[[str], bool]
) -> Iterator[tuple[Question, Question | FollowUp]]:
    for q in bank.questions():
        if not wanted(q.source):
            continue
        yield q, q
        for fu in q.follow_ups:
            yield q, fu


def selftest(
    bank: Bank, grader: Grader, wanted: Callable[[str], bool] = lambda source: True
) -> SelfTestReport:
    """Check every question whose bank file ``wanted`` accepts (graded with all of ``bank``'s
    vocabulary, so a term another loaded bank uses is never taken for a typo)."""
    problems: list[SelfTestProblem] = []
    items = inverted_count = 0
    for question, item in _items(bank, wanted):
        items += 1
        found = list(_check(grader, item))
        item_id = item.full_id if isinstance(item, FollowUp) else item.id
        where = f"{question.source}:{question.line}"
        problems.extend(SelfTestProblem(where, item_id, *f) for f in found)
        if invert(item.model_answer) != item.model_answer:
            inverted_count += 1
    return SelfTestReport(items, inverted_count, problems)


def _check(grader: Grader, item: Question | FollowUp) -> Iterator[tuple[str, int, str]]:
    """(check, score, detail) for each way the item misbehaves."""
    model = grader.grade(item, item.model_answer)
    if not model.passed:
        why = [f"misses {c.name}" for c in model.missed if not c.bonus]
        why += [n for n in model.notes if not n.startswith("a required")]
        yield "model answer", model.score, f"scores {model.score}: " + "; ".join(why)
    elif model.misconceptions:
        flagged = "; ".join(m.statement for m in model.misconceptions)
        yield "model answer", model.score, f"flags a misconception: {flagged}"
    echo = grader.grade(item, item.prompt)
    if echo.passed:
        yield "prompt echoed", echo.score, f"the question itself scores {echo.score}"
    firsts = [c.aliases[0] for c in item.concepts if c.aliases]
    terms = ", ".join(firsts)
    listed = grader.grade(item, terms)
    if len(firsts) >= BARE_LIST_MIN_TERMS and listed.score > BARE_LIST_MAX:
        yield (
            "bare term list",
            listed.score,
            f"each concept's first alias as a bare list scores {listed.score} "
            f"(at most {BARE_LIST_MAX}): {terms}",
        )
    flipped = invert(item.model_answer)
    if flipped != item.model_answer:
        result = grader.grade(item, flipped)
        if result.passed and not result.misconceptions:
            yield (
                "inverted model answer",
                result.score,
                f"with one side of each claim reversed it still scores {result.score}",
            )
