"""Where a phrase's words sit in an answer: one occurrence of each, close to an anchor word.

The grader (core/grading.py) finds every occurrence (exact or a typo) of each content word of an
alias, then, for each occurrence of the rarest one (the anchor), picks one occurrence of every
other word inside a window of token positions. A word found more than once there is taken at
its best similarity, then nearest the anchor.
"""

from __future__ import annotations


def place_words(
    per_stem: list[list[tuple[int, float]]], anchor: int, pos: int, sim: float, lo: int, hi: int
) -> tuple[dict[int, tuple[int, float]] | None, bool]:
    """Each stem's best occurrence between token positions lo and hi, around the anchor stem's
    occurrence at pos (None if a stem has none there), and whether any stem had a choice."""
    chosen = {anchor: (pos, sim)}
    taken = {pos}
    ambiguous = False
    for k, cands in enumerate(per_stem):
        if k == anchor:
            continue
        near = [(p, s) for p, s in cands if lo <= p <= hi and p not in taken]
        if not near:
            return None, ambiguous
        if len(near) == 1:
            pick = near[0]
        else:
            ambiguous = True
            pick = max(near, key=lambda c: (c[1], -abs(c[0] - pos)))
        chosen[k] = pick
        taken.add(pick[0])
    return chosen, ambiguous


def spread(chosen: dict[int, tuple[int, float]]) -> int:
    """How many token positions a placement spans, first word to last."""
    places = [p for p, _ in chosen.values()]
    return max(places) - min(places)
