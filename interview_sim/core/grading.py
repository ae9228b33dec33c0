"""The concept grader: fuzzy-match a typed answer against a question's key concepts.

How a concept is found: every alias is reduced to content-word stems; an alias matches where
all its stems occur in the answer close together (any order, at most one extra word in
between). A stem matches an answer word exactly, or fuzzily (a typo: Levenshtein distance 1,
or 2 for long words, same first letter) *unless* the answer word is itself a term some bank
uses - so ``decoder`` never counts as a typo of ``encoder``, nor ``qlora`` of ``lora``.
Words of three letters or fewer (``k``, ``p``, ``kv``) must match exactly.

Score: weighted share of the non-bonus concepts hit, plus up to half that again for bonus
concepts, capped at 100. Missing a required concept caps the score below a pass; each
misconception stated costs points; a bare keyword list is halved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from interview_sim.core.bank import Concept, FollowUp, Misconception, Question
from interview_sim.core.claims import Claim, Reference, claims_in
from interview_sim.core.text import (
    NEGATORS,
    STOPWORDS,
    content_stems,
    normalise,
    stem,
    tokenize,
    words_and_gaps,
)

PASS_SCORE = 60
REQUIRED_MISSING_CAP = 55
MISCONCEPTION_CAP = 40
MISCONCEPTION_PENALTY = 15
KEYWORD_LIST_FACTOR = 0.5
KEYWORD_PIECE_MAX = 7  # a piece of eight words or more is a clause, not a keyword
BONUS_SHARE = 0.5
MATCH_THRESHOLD = 85.0
REVERSED_STATEMENT = "stated the other way round"
REVERSED_CORRECTION = "the model answer states this relation in the opposite direction"
MAX_ANSWER_CHARS = 20_000  # about 3,000 words; longer answers are graded on this much
_SENTENCE_END = re.compile(r"[.!?;]")
# Words that disown the claim after them, for misconceptions ("it is hard to prevent fully").
DISOWNING = frozenset(
    [
        "hard",
        "difficult",
        "impossible",
        "unable",
        "fails",
        "poor",
        "myth",
        "misconception",
        "wrong",
        "false",
        "incorrect",
        "unlike",
        "instead",
        "rather",
        "nor",
        "neither",
    ]
)
_SENTENCE_BREAK_RE = re.compile(r"\w[.!?]\s+\w")
_JOIN_PREFIXES = frozenset(
    [
        "pre",
        "post",
        "fine",
        "multi",
        "self",
        "sub",
        "re",
        "co",
        "non",
        "cross",
        "over",
        "under",
        "semi",
        "few",
        "zero",
        "one",
        "key",
        "mixed",
        "top",
        "in",
        "out",
        "up",
        "down",
        "back",
        "feed",
        "bi",
        "uni",
        "hyper",
        "meta",
    ]
)

Gradable = Question | FollowUp


@dataclass(frozen=True, slots=True)
class ConceptResult:
    name: str
    weight: float
    required: bool
    bonus: bool
    matched: bool
    alias: str | None = None
    start: int | None = None
    end: int | None = None
    similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The form saved in transcripts and printed by `grade --json`."""
        return {
            "name": self.name,
            "matched": self.matched,
            "alias": self.alias,
            "start": self.start,
            "end": self.end,
            "similarity": self.similarity,
            "weight": self.weight,
            "required": self.required,
            "bonus": self.bonus,
        }


@dataclass(frozen=True, slots=True)
class MisconceptionResult:
    statement: str
    correction: str
    alias: str
    start: int
    end: int
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "correction": self.correction,
            "alias": self.alias,
            "start": self.start,
            "end": self.end,
            "similarity": self.similarity,
        }


@dataclass(frozen=True, slots=True)
class GradeResult:
    score: int
    concepts: tuple[ConceptResult, ...]
    misconceptions: tuple[MisconceptionResult, ...] = ()
    keyword_list: bool = False
    truncated: bool = False
    word_count: int = 0
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.score >= PASS_SCORE

    @property
    def hit(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.matched)

    @property
    def missed(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if not c.matched)


@dataclass(slots=True)
class AnalysedAnswer:
    """An answer tokenised once, so it can be graded against many questions cheaply.

    Words are kept as (word, gap-after) pairs straight from one regex pass; character offsets
    are worked out only for the few spans that are reported (see ``span``)."""

    text: str
    pairs: list[tuple[str, str]]  # every word of the graded text, with the characters after it
    lead: int  # where the first word starts in the normalised text
    mapping: list[int] | None  # normalised index -> original index, None when 1:1
    content: list[int]  # per content token (not a function word): its index in pairs
    all_count: int
    function_count: int
    truncated: bool
    keyword_list: bool
    positions: dict[str, list[int]] = field(default_factory=dict)  # stem -> content tokens
    joined: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _fuzzy_cache: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _typo_pool: dict[str, list[str]] | None = None
    _run_together: set[str] | None = None
    _typo_vocabulary: set[str] | None = None
    _starts: list[int] | None = None
    _claims: list[Claim] | None = None

    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = claims_in(self.lead, self.pairs, self.mapping)
        return self._claims

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in the original text from content token `first` to `last` inclusive."""
        starts = self._starts
        if starts is None:
            starts, pos = [], self.lead
            for word, gap in self.pairs:
                starts.append(pos)
                pos += len(word) + len(gap)
            self._starts = starts
        a, b = self.content[first], self.content[last]
        start, end = starts[a], starts[b] + len(self.pairs[b][0])
        if self.mapping is not None:
            return self.mapping[start], self.mapping[end - 1] + 1
        return start, end

    def negated(self, first: int, last: int | None = None) -> bool:
        """A claim stated only to be denied: a negator ("not", "never", "without") or a word
        that disowns what follows ("hard to", "a myth that") among the three words before
        content tokens ``first``..``last`` or anywhere between them, within one sentence:
        "does not use sinusoids", "PEFT doesn't eliminate forgetting" and "the order of tokens
        does not change" are not the misconception."""
        n = self.content[first]
        m = self.content[first if last is None else last]
        denied = False
        for word, gap in self.pairs[max(0, n - 3) : n]:
            denied = denied or word in NEGATORS or word in DISOWNING
            if _SENTENCE_END.search(gap):  # "... not. X" does not deny X
                denied = False
        return denied or any(word in NEGATORS for word, _ in self.pairs[n : m + 1])

    def run_together(self) -> set[str]:
        """Every single word and every joined pair ("fine-tuning", "pre training")."""
        if self._run_together is None:
            self._run_together = self.positions.keys() | self.joined.keys()
        return self._run_together

    def typo_pool(self, vocabulary: set[str]) -> dict[str, list[str]]:
        """The answer's words that no bank uses, by first letter: the only words that may be
        typos of an alias word (a word some bank uses is never taken for a typo)."""
        if self._typo_vocabulary is not vocabulary or self._typo_pool is None:
            pool: dict[str, list[str]] = {}
            for word in self.positions:
                if word not in vocabulary:
                    pool.setdefault(word[0], []).append(word)
            self._typo_pool, self._typo_vocabulary = pool, vocabulary
        return self._typo_pool


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
        score = _score(results, misconceptions, analysed.keyword_list)
        notes: list[str] = []
        if analysed.truncated:
            notes.append(
                f"answer is longer than {MAX_ANSWER_CHARS:,} characters; "
                "only the first part was graded"
            )
        if analysed.keyword_list:
            notes.append("reads as a list of keywords rather than an explanation; score halved")
        if any(c.required and not c.matched for c in results):
            notes.append(f"a required concept is missing; score capped at {REQUIRED_MISSING_CAP}")
        for m in misconceptions:
            notes.append(f"misconception: {m.statement}")
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
            ref = Reference(texts, labels)
            self._references[key] = ref
        return ref

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
            chosen = {anchor: (pos, sim)}
            for k, cands in enumerate(per_stem):
                if k == anchor:
                    continue
                near = [
                    (p, s)
                    for p, s in cands
                    if abs(p - pos) <= span_limit and p not in {c[0] for c in chosen.values()}
                ]
                if not near:
                    break
                chosen[k] = max(near, key=lambda c: (c[1], -abs(c[0] - pos)))
            else:
                places = [chosen[k][0] for k in range(len(stems))]
                lo, hi = min(places), max(places)
                if hi - lo > span_limit:
                    continue
                similarity = sum(chosen[k][1] for k in chosen) / len(chosen)
                if places != sorted(places):
                    similarity -= 3.0
                if best is None or similarity > best.similarity:
                    best = _Match(alias.text, lo, hi, similarity)
        return best


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def analyse(text: str) -> AnalysedAnswer:
    """Tokenise an answer once: content tokens, their index, and how list-like it reads."""
    truncated = len(text) > MAX_ANSWER_CHARS
    graded = text[:MAX_ANSWER_CHARS] if truncated else text
    norm, mapping = normalise(graded)
    lead, pairs = words_and_gaps(norm)
    stopwords, stem_ = STOPWORDS, stem  # the loops run once per word of every answer graded
    content = [n for n, (word, _) in enumerate(pairs) if word not in stopwords]
    function_count = len(pairs) - len(content)
    positions: dict[str, list[int]] = {}
    for i, n in enumerate(content):
        positions.setdefault(stem_(pairs[n][0]), []).append(i)
    joined: dict[str, list[tuple[int, int]]] = {}
    for i in range(len(content) - 1):
        n = content[i]
        if content[i + 1] != n + 1:
            continue
        word, gap = pairs[n]
        if len(gap) <= 1 and (gap == "-" or word in _JOIN_PREFIXES):
            following = pairs[n + 1][0]
            joined.setdefault(stem_(word) + stem_(following), []).append((i, i + 1))
            joined.setdefault(stem_(word + following), []).append((i, i + 1))
    return AnalysedAnswer(
        text=text,
        pairs=pairs,
        lead=lead,
        mapping=mapping,
        content=content,
        all_count=len(pairs),
        function_count=function_count,
        truncated=truncated,
        keyword_list=_reads_as_keyword_list(graded, len(pairs), function_count),
        positions=positions,
        joined=joined,
    )


def _reads_as_keyword_list(text: str, n_words: int, n_function: int) -> bool:
    """True for terms separated by commas/newlines with no explanation between them.

    Mostly short pieces (at most five words each), none of clause length (a word here has a
    letter and two characters: "2 x layers x heads" is two), no sentence boundary, and fewer
    function words than prose has (prose: 26-56% in our graded examples; the lists 0-24%,
    since terms such as "keys and values" or "per head" carry a few)."""
    if n_words < 4:
        return False
    pieces = [
        [w for w in p.split() if len(w) > 1 and not w.isdigit()]
        for p in _split_pieces(text)
        if p.strip()
    ]
    if len(pieces) < 3:
        return n_function / n_words < 0.05
    if n_function / n_words >= 0.3 or _SENTENCE_BREAK_RE.search(text):
        return False
    short = sum(1 for p in pieces if len(p) <= 5)
    return short >= 0.75 * len(pieces) and max(len(p) for p in pieces) <= KEYWORD_PIECE_MAX


def _split_pieces(text: str) -> list[str]:
    out = [text]
    for sep in ("\n", ",", ";", "|", "•", " - "):
        out = [piece for chunk in out for piece in chunk.split(sep)]
    return out


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
    if misconceptions:  # a wrong claim fails the answer, however much else is right
        raw = min(raw, MISCONCEPTION_CAP) - MISCONCEPTION_PENALTY * (len(misconceptions) - 1)
    if keyword_list:
        raw *= KEYWORD_LIST_FACTOR
    return max(0, min(100, round(raw)))
