"""Why a concept was missed: the phrase of the answer that came nearest to one of its aliases.

Shown beside each missed concept ("you wrote 'tokens above the cut-off'; we listen for 'keeps
the smallest set'"), so a person sees whether the idea was absent or only worded another way.
Computed only for display (feedback, `grade`), never while scoring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import fuzz

from interview_sim.core.bank import Concept
from interview_sim.core.claims import POLAR
from interview_sim.core.text import SENTENCE_GAP_PATTERN, STOPWORDS, Token, tokenize

NEAREST_MIN_SIMILARITY = 60.0  # below this nothing in the answer is near enough to show
NEAREST_ONE_WORD_SIMILARITY = 80.0  # one word alone: "token" is not near "detokenized"
# A phrase is offered from one clause: "gradients. Tokens" or "model; too low" is two; so is a
# colon's label and what follows it, or a bracket's inside and outside.
_CLAUSE_BREAK = re.compile(rf"{SENTENCE_GAP_PATTERN}|:\s|[()\[\]]")


class NearestPhrase(NamedTuple):
    phrase: str  # the answer's own words, as typed
    alias: str  # the alias it came nearest to
    similarity: float


def nearest_phrase(
    concept: Concept, answer: str, credited: Sequence[tuple[int, int]] = ()
) -> NearestPhrase | None:
    """The run of answer words most like one of the concept's aliases (same number of words,
    give or take one), if any comes within NEAREST_MIN_SIMILARITY; words already credited to
    another concept (``credited`` spans) are not offered again."""
    tokens = tokenize(answer)
    if not tokens:
        return None
    best: NearestPhrase | None = None
    for alias in concept.aliases:
        alias_tokens = tokenize(alias)
        alias_words = [t.word for t in alias_tokens]
        if not alias_words:
            continue
        alias_stems = {t.stem for t in alias_tokens if t.word not in STOPWORDS}
        opposites = _opposites(alias_tokens)
        target = " ".join(alias_words)
        for size in {max(1, len(alias_words) - 1), len(alias_words), len(alias_words) + 1}:
            for i in range(len(tokens) - size + 1):
                window = tokens[i : i + size]
                if window[0].word in STOPWORDS or window[-1].word in STOPWORDS:
                    continue
                start, end = window[0].start, window[-1].end
                if any(start < b and a < end for a, b in credited):
                    continue
                if _CLAUSE_BREAK.search(answer, start, end):
                    continue
                if not _reworded(window, alias_stems) or _says_the_opposite(window, opposites):
                    continue
                similarity = fuzz.ratio(target, " ".join(t.word for t in window))
                least = (
                    NEAREST_MIN_SIMILARITY if len(alias_words) > 1 else NEAREST_ONE_WORD_SIMILARITY
                )
                if similarity >= least and (best is None or similarity > best.similarity):
                    best = NearestPhrase(answer[start:end], alias, round(similarity, 1))
    return best


def _reworded(window: Sequence[Token], alias_stems: set[str]) -> bool:
    """The words share a content word with the alias and say something of their own: "smallest
    group of tokens" for "smallest set of tokens", not "prompt" for "prompt caching" (only part
    of it) nor "uses tools" for "refuses too much" (only its letters)."""
    stems = {t.stem for t in window if t.word not in STOPWORDS}
    return bool(stems & alias_stems) and bool(stems - alias_stems)


def _direction(token: Token) -> tuple[str, int] | None:
    """The axis and side of a direction or role word ("sharper", "decoder"), if it is one."""
    return POLAR.get(token.word) or POLAR.get(token.stem)


def _opposites(alias_tokens: Sequence[Token]) -> set[tuple[str, int]]:
    """The direction and role words that would turn the alias round: "flattens" for "sharper
    distribution", "decoder" for "encoder only"."""
    return {(d[0], -d[1]) for t in alias_tokens if (d := _direction(t)) is not None}


def _says_the_opposite(window: Sequence[Token], opposites: set[tuple[str, int]]) -> bool:
    """A phrase with the alias's direction turned round is its opposite, not a rewording."""
    return any(_direction(t) in opposites for t in window)
