"""The concept grader: fuzzy-match a typed answer against a question's key concepts.

How a concept is found: every alias is reduced to content-word stems; an alias matches where
all its stems occur in the answer close together (any order, at most one extra word in
between). A stem matches an answer word exactly, or fuzzily (a typo: Levenshtein distance 1,
or 2 for long words, same first letter) *unless* the answer word is itself a term some bank
uses - so ``decoder`` never counts as a typo of ``encoder``, nor ``qlora`` of ``lora``.
Words of three letters or fewer (``k``, ``p``, ``kv``) must match exactly.

Score: weighted share of the non-bonus concepts hit, plus up to half that again for bonus
concepts, capped at 100. Missing a required concept caps the score below a pass; a
misconception stated fails it, and so do two claims the question's own text makes the other
way round (core/claims.py; one costs points); an unhedged absolute the question's own text
never makes ("always better", "eliminates": core/overclaims.py) costs points; a bare keyword
list keeps 30%. The answer is analysed once (core/answer.py) and can then be graded against
every question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from interview_sim.core.answer import MAX_ANSWER_CHARS, AnalysedAnswer, analyse
from interview_sim.core.bank import Concept, FollowUp, Misconception, Question
from interview_sim.core.claims import Reference
from interview_sim.core.overclaims import unsupported
from interview_sim.core.placement import place_words, spread
from interview_sim.core.results import (
    OVERCLAIM_CORRECTION,
    OVERCLAIM_STATEMENT,
    PASS_SCORE,
    REVERSED_CORRECTION,
    REVERSED_STATEMENT,
    ConceptResult,
    GradeResult,
    MisconceptionResult,
    failing,
)
from interview_sim.core.text import (
    NEGATORS,
    content_stems,
    tokenize,
)

__all__ = [  # the answer's analysis and the results are part of the grader's interface
    "MAX_ANSWER_CHARS",
    "OVERCLAIM_CORRECTION",
    "OVERCLAIM_STATEMENT",
    "PASS_SCORE",
    "REVERSED_STATEMENT",
    "AnalysedAnswer",
    "ConceptResult",
    "GradeResult",
    "Grader",
    "MisconceptionResult",
    "analyse",
]

REQUIRED_MISSING_CAP = 55
# A stated wrong claim fails the answer at the calibration for a confidently wrong one
# (25 or less; 40 before session 6), scaling the score to a quarter: 25 for a complete answer,
# 12 for half of one, so a correct answer flagged by mistake still outranks a wrong one. A flat
# cap at 25 before: fresh batches wrong 17.4 -> 12.6, Spearman 0.621 -> 0.629, AUC +0.003.
MISCONCEPTION_CAP = 25
MISCONCEPTION_PENALTY = 15
OVERCLAIM_PENALTY = 20  # per absolute word the question's own text never uses (core/overclaims)
REVERSED_PENALTY = 20  # per claim stated the other way round, while it is the only one
KEYWORD_LIST_FACTOR = 0.3  # blind-set lists were expected at about 20; halving left them at 42
KEYWORD_LIST_NOTE = (
    f"reads as a list of keywords, not an explanation; score cut to {KEYWORD_LIST_FACTOR:.0%}"
)
BONUS_SHARE = 0.5
MATCH_THRESHOLD = 85.0
Gradable = Question | FollowUp


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    stems: tuple[str, ...]
    compact: str = ""  # the stems run together, for multi-word aliases
    first: str = ""
    run_together: str = ""  # found as one word or a joined pair: compact, or the single stem
    negative: bool = False  # the alias itself says "not" ("cannot backtrack")


@dataclass(frozen=True, slots=True)
class _Match:
    alias: str
    first: int  # content tokens first..last; offsets are looked up only for the best match
    last: int
    similarity: float


class Grader:
    """Grades answers; built once per set of banks (it learns their vocabulary)."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._compiled: dict[tuple[str, ...], tuple[_Alias, ...]] = {}
        self._parents: dict[str, Question] = {}
        self._references: dict[str, Reference] = {}
        aliases: list[str] = []
        for q in questions:
            self._parents[q.id] = q
            for concepts in (q.concepts, *(fu.concepts for fu in q.follow_ups)):
                for c in concepts:
                    aliases.extend(c.aliases)
        # One pass over every alias word; aliases themselves compile lazily when first used.
        self.vocabulary: set[str] = {t.stem for t in tokenize("\n".join(aliases))}

    # ------------------------------------------------------------------ public
    def grade(self, item: Gradable, answer: str | AnalysedAnswer) -> GradeResult:
        analysed = answer if isinstance(answer, AnalysedAnswer) else analyse(answer)
        parent = item if isinstance(item, Question) else self._parents.get(item.parent_id)
        stated = parent.misconceptions if parent is not None else ()
        misconceptions = [m for m in (self._misconception(m, analysed) for m in stated) if m]
        reversed_claims = self._reversed(item, parent, analysed, misconceptions)
        results = [
            self._discount(self._concept(c, analysed), reversed_claims) for c in item.concepts
        ]
        misconceptions.extend(reversed_claims)
        misconceptions.extend(self._overclaims(item, parent, analysed, misconceptions))
        score = _score(results, misconceptions, analysed.keyword_list)
        notes: list[str] = []
        if analysed.truncated:
            notes.append(
                f"answer is longer than {MAX_ANSWER_CHARS:,} characters; "
                "only the first part was graded"
            )
        if analysed.keyword_list:
            notes.append(KEYWORD_LIST_NOTE)
        if any(c.required and not c.matched for c in results):
            notes.append(f"a required concept is missing; score capped at {REQUIRED_MISSING_CAP}")
        wrong = failing(misconceptions)
        for m in misconceptions:
            quoted = analysed.text[m.start : m.end]
            if m in wrong and m.statement == REVERSED_STATEMENT:
                notes.append(f'stated the other way round "{quoted}": two such claims fail')
            elif m in wrong:
                notes.append(f"misconception: {m.statement}")
            elif m.statement == REVERSED_STATEMENT:
                notes.append(
                    f'possibly stated the other way round "{quoted}": {REVERSED_PENALTY} points '
                    f"off (two such claims fail the answer)"
                )
            else:
                notes.append(f'overclaim "{quoted}": {OVERCLAIM_PENALTY} points off')
        return GradeResult(
            score,
            tuple(results),
            tuple(misconceptions),
            analysed.keyword_list,
            analysed.truncated,
            analysed.all_count,
            tuple(notes),
        )

    # ------------------------------------------------------------------ matching
    def _compile(self, aliases: tuple[str, ...]) -> tuple[_Alias, ...]:
        compiled = self._compiled.get(aliases)
        if compiled is None:
            compiled = tuple(
                _Alias(
                    a,
                    stems,
                    "".join(stems) if len(stems) > 1 else "",
                    stems[0],
                    "".join(stems),
                    any(w in NEGATORS for w in a.lower().split()),
                )
                for a in aliases
                if (stems := content_stems(a))
            )
            self._compiled[aliases] = compiled
        return compiled

    def _concept(self, concept: Concept, analysed: AnalysedAnswer) -> ConceptResult:
        best = self._best(concept.aliases, analysed, allow_negated=True)
        if best is None:
            return ConceptResult(
                concept.name, concept.weight, concept.required, concept.bonus, False
            )
        start, end = analysed.span(best.first, best.last)
        return ConceptResult(
            concept.name,
            concept.weight,
            concept.required,
            concept.bonus,
            True,
            best.alias,
            start,
            end,
            round(best.similarity, 1),
        )

    def _reference(self, item: Gradable, parent: Question | None) -> Reference:
        key = item.full_id if isinstance(item, FollowUp) else item.id
        ref = self._references.get(key)
        if ref is None:
            texts: list[str] = []
            labels: list[str] = []
            for q in (item, parent) if parent is not item else (item,):
                if q is None:
                    continue
                texts.append(q.model_answer)
                labels.extend(c.name for c in q.concepts)
                labels.extend(a for c in q.concepts for a in c.aliases)
                if isinstance(q, Question):
                    texts.append(q.hint or "")
                    texts.extend(fu.model_answer for fu in q.follow_ups)
                    texts.extend(m.correction for m in q.misconceptions)
            statements = [m.statement for m in parent.misconceptions] if parent else []
            ref = Reference(texts, labels, statements)
            self._references[key] = ref
        return ref

    def _overclaims(
        self,
        item: Gradable,
        parent: Question | None,
        analysed: AnalysedAnswer,
        found: list[MisconceptionResult],
    ) -> list[MisconceptionResult]:
        """Absolute words the question's own text never uses, outside flagged misconceptions:
        each costs points (``_score``) without failing the answer by itself."""
        absolutes = analysed.absolutes()
        if not absolutes:
            return []
        words = self._reference(item, parent).words
        taken = [(m.start, m.end) for m in found]
        return [
            MisconceptionResult(
                OVERCLAIM_STATEMENT, OVERCLAIM_CORRECTION, o.word, o.start, o.end, 100.0
            )
            for o in unsupported(absolutes, words)
            if not _overlaps(o.start, o.end, taken)
        ]

    def _reversed(
        self,
        item: Gradable,
        parent: Question | None,
        analysed: AnalysedAnswer,
        found: list[MisconceptionResult],
    ) -> list[MisconceptionResult]:
        """Claims the question's own text makes the other way round, except where a
        misconception already flags the same words."""
        ref = self._reference(item, parent)
        out: list[MisconceptionResult] = []
        taken = [(m.start, m.end) for m in found]
        for claim in analysed.claims():
            if ref.contradicts(claim) and not _overlaps(claim.start, claim.end, taken):
                out.append(
                    MisconceptionResult(
                        REVERSED_STATEMENT, REVERSED_CORRECTION, "", claim.start, claim.end, 100.0
                    )
                )
                taken.append((claim.start, claim.end))
        return out

    @staticmethod
    def _discount(result: ConceptResult, wrong: list[MisconceptionResult]) -> ConceptResult:
        """A concept found inside a claim stated the wrong way round is not credited."""
        if not result.matched or result.start is None or result.end is None:
            return result
        if not _overlaps(result.start, result.end, [(m.start, m.end) for m in wrong]):
            return result
        return ConceptResult(result.name, result.weight, result.required, result.bonus, False)

    def _misconception(
        self, m: Misconception, analysed: AnalysedAnswer
    ) -> MisconceptionResult | None:
        best = self._best(m.aliases, analysed, allow_negated=False)
        if best is None:
            return None
        start, end = analysed.span(best.first, best.last)
        return MisconceptionResult(
            m.statement, m.correction, best.alias, start, end, round(best.similarity, 1)
        )

    def _best(
        self, aliases: tuple[str, ...], analysed: AnalysedAnswer, *, allow_negated: bool
    ) -> _Match | None:
        best: _Match | None = None
        cache, run_together = analysed._fuzzy_cache, analysed.run_together()
        for alias in self._compile(aliases):
            # Most aliases are ruled out by their first word, unless written run together
            # ("finetuning"): rule them out here, before any matching (the hot loop of grading).
            candidates = cache.get(alias.first)
            if candidates is None:
                candidates = self._candidates(alias.first, analysed)
            if not candidates and alias.run_together not in run_together:
                continue
            match = self._find(alias, analysed)
            if match is None or match.similarity < MATCH_THRESHOLD:
                continue
            if (
                not allow_negated
                and not alias.negative
                and analysed.negated(match.first, match.last)
            ):
                continue  # "does not use sinusoids" does not state "uses sinusoids"
            if (
                best is None
                or match.similarity > best.similarity
                or (match.similarity == best.similarity and match.first < best.first)
            ):
                best = match
        return best

    def _candidates(self, stem: str, analysed: AnalysedAnswer) -> list[tuple[int, float]]:
        """Token positions where this alias stem occurs: exact, or a plausible typo of it."""
        cached = analysed._fuzzy_cache.get(stem)
        if cached is not None:
            return cached
        found = [(i, 100.0) for i in analysed.positions.get(stem, ())]
        size = len(stem)
        if size >= 5:
            pool = analysed.typo_pool(self.vocabulary).get(stem[0])  # a typo keeps letter one
            if pool:
                max_distance = 1 if size <= 7 else 2
                for word in pool:
                    if (
                        abs(len(word) - size) <= max_distance
                        and Levenshtein.distance(stem, word, score_cutoff=max_distance)
                        <= max_distance
                    ):
                        similarity = fuzz.ratio(stem, word)
                        found.extend((i, similarity) for i in analysed.positions[word])
        analysed._fuzzy_cache[stem] = found
        return found

    def _find(self, alias: _Alias, analysed: AnalysedAnswer) -> _Match | None:
        stems = alias.stems
        if alias.compact:  # "fine tuning" also matches "finetuning" and "fine-tuning"
            joined = analysed.joined.get(alias.compact)
            if joined:
                i, j = joined[0]
                return _Match(alias.text, i, j, 100.0)
            compact = analysed.positions.get(alias.compact)
            if compact:
                return _Match(alias.text, compact[0], compact[0], 100.0)
        per_stem = []
        for stem_ in stems:  # stop at the first word with no candidates
            candidates = self._candidates(stem_, analysed)
            if not candidates:
                joined = analysed.joined.get(stem_) if len(stems) == 1 else None
                if joined:
                    i, j = joined[0]
                    return _Match(alias.text, i, j, 100.0)
                return None
            per_stem.append(candidates)
        if len(stems) == 1:
            i, sim = max(per_stem[0], key=lambda c: (c[1], -c[0]))
            return _Match(alias.text, i, i, sim)
        span_limit = len(stems)  # at most one extra content word inside the phrase
        best: _Match | None = None
        anchor = min(range(len(stems)), key=lambda k: len(per_stem[k]))
        for pos, sim in per_stem[anchor]:
            chosen, ambiguous = place_words(
                per_stem, anchor, pos, sim, pos - span_limit, pos + span_limit
            )
            if chosen is None:
                continue
            placements = [chosen]
            if ambiguous and spread(chosen) > span_limit:
                # A word found twice near the anchor spread the phrase too wide ("bins ... max
                # gap across bins"): every window of the phrase's width holding the anchor.
                windows = (
                    place_words(per_stem, anchor, pos, sim, start, start + span_limit)[0]
                    for start in range(pos - span_limit, pos + 1)
                )
                placements = [w for w in windows if w is not None]
            for chosen in placements:
                places = [chosen[k][0] for k in range(len(stems))]
                lo, hi = min(places), max(places)
                if hi - lo > span_limit or not analysed.same_sentence(lo, hi):
                    continue
                similarity = sum(chosen[k][1] for k in chosen) / len(chosen)
                if places != sorted(places):
                    similarity -= 3.0
                if best is None or similarity > best.similarity:
                    best = _Match(alias.text, lo, hi, similarity)
        return best


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _score(
    results: list[ConceptResult], misconceptions: list[MisconceptionResult], keyword_list: bool
) -> int:
    core = [c for c in results if not c.bonus] or results
    total = sum(c.weight for c in core)
    if total <= 0:
        return 0
    hit = sum(c.weight for c in core if c.matched)
    bonus = sum(c.weight for c in results if c.bonus and c.matched and core is not results)
    raw = min(1.0, (hit + BONUS_SHARE * bonus) / total) * 100
    if any(c.required and not c.matched for c in results):
        raw = min(raw, REQUIRED_MISSING_CAP)
    wrong = failing(misconceptions)
    if wrong:  # a wrong claim fails the answer, and a fuller answer still outranks a thinner one
        raw = raw * MISCONCEPTION_CAP / 100 - MISCONCEPTION_PENALTY * (len(wrong) - 1)
    raw -= sum(
        REVERSED_PENALTY if m.statement == REVERSED_STATEMENT else OVERCLAIM_PENALTY
        for m in misconceptions
        if m not in wrong
    )
    if keyword_list:
        raw *= KEYWORD_LIST_FACTOR
    return max(0, min(100, round(raw)))
