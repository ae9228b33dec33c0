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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from interview_sim.core.bank import Concept, FollowUp, Misconception, Question
from interview_sim.core.text import NEGATORS, STOPWORDS, Token, content_stems, stem, tokenize

PASS_SCORE = 60
REQUIRED_MISSING_CAP = 55
MISCONCEPTION_PENALTY = 15
KEYWORD_LIST_FACTOR = 0.5
BONUS_SHARE = 0.5
MATCH_THRESHOLD = 85.0
MAX_ANSWER_CHARS = 20_000  # about 3,000 words; longer answers are graded on this much
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
    """An answer tokenised once, so it can be graded against many questions cheaply."""

    text: str
    tokens: list[Token]  # content tokens (no function words), in order
    all_count: int
    function_count: int
    negated: list[bool]  # per content token: a negator shortly before it
    truncated: bool
    keyword_list: bool
    positions: dict[str, list[int]] = field(default_factory=dict)
    joined: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _fuzzy_cache: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    uniques: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    stems: tuple[str, ...]
    compact: str = ""  # the stems run together, for multi-word aliases


@dataclass(frozen=True, slots=True)
class _Match:
    alias: str
    start: int
    end: int
    similarity: float
    first_token: int


class Grader:
    """Grades answers; built once per set of banks (it learns their vocabulary)."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._compiled: dict[tuple[str, ...], tuple[_Alias, ...]] = {}
        aliases: list[str] = []
        for q in questions:
            for concepts in (q.concepts, *(fu.concepts for fu in q.follow_ups)):
                for c in concepts:
                    aliases.extend(c.aliases)
        # One pass over every alias word; aliases themselves compile lazily when first used.
        self.vocabulary: set[str] = {t.stem for t in tokenize("\n".join(aliases))}

    # ------------------------------------------------------------------ public
    def grade(self, item: Gradable, answer: str | AnalysedAnswer) -> GradeResult:
        analysed = answer if isinstance(answer, AnalysedAnswer) else analyse(answer)
        results = [self._concept(c, analysed) for c in item.concepts]
        misconceptions = (
            [m for m in (self._misconception(m, analysed) for m in item.misconceptions) if m]
            if isinstance(item, Question)
            else []
        )
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
                _Alias(a, stems, "".join(stems) if len(stems) > 1 else "")
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
        return ConceptResult(
            concept.name,
            concept.weight,
            concept.required,
            concept.bonus,
            True,
            best.alias,
            best.start,
            best.end,
            round(best.similarity, 1),
        )

    def _misconception(
        self, m: Misconception, analysed: AnalysedAnswer
    ) -> MisconceptionResult | None:
        best = self._best(m.aliases, analysed, allow_negated=False)
        if best is None:
            return None
        return MisconceptionResult(
            m.statement, m.correction, best.alias, best.start, best.end, round(best.similarity, 1)
        )

    def _best(
        self, aliases: tuple[str, ...], analysed: AnalysedAnswer, *, allow_negated: bool
    ) -> _Match | None:
        best: _Match | None = None
        for alias in self._compile(aliases):
            match = self._find(alias, analysed)
            if match is None or match.similarity < MATCH_THRESHOLD:
                continue
            if not allow_negated and analysed.negated[match.first_token]:
                continue
            if (
                best is None
                or match.similarity > best.similarity
                or (match.similarity == best.similarity and match.start < best.start)
            ):
                best = match
        return best

    def _candidates(self, stem: str, analysed: AnalysedAnswer) -> list[tuple[int, float]]:
        """Token positions where this alias stem occurs: exact, or a plausible typo of it."""
        cached = analysed._fuzzy_cache.get(stem)
        if cached is not None:
            return cached
        found = [(i, 100.0) for i in analysed.positions.get(stem, ())]
        if len(stem) >= 5 and analysed.uniques:
            max_distance = 1 if len(stem) <= 7 else 2
            for word, distance, _ in process.extract(
                stem,
                analysed.uniques,
                scorer=Levenshtein.distance,
                score_cutoff=max_distance,
                limit=None,
            ):
                if distance == 0 or word[0] != stem[0] or word in self.vocabulary:
                    continue
                similarity = fuzz.ratio(stem, word)
                found.extend((i, similarity) for i in analysed.positions[word])
        analysed._fuzzy_cache[stem] = found
        return found

    def _find(self, alias: _Alias, analysed: AnalysedAnswer) -> _Match | None:
        tokens = analysed.tokens
        stems = alias.stems
        if alias.compact:  # "fine tuning" also matches "finetuning" and "fine-tuning"
            joined = analysed.joined.get(alias.compact)
            if joined:
                i, j = joined[0]
                return _Match(alias.text, tokens[i].start, tokens[j].end, 100.0, i)
            compact = analysed.positions.get(alias.compact)
            if compact:
                i = compact[0]
                return _Match(alias.text, tokens[i].start, tokens[i].end, 100.0, i)
        per_stem = []
        for stem_ in stems:  # most aliases fail on their first word: stop there
            candidates = self._candidates(stem_, analysed)
            if not candidates:
                joined = analysed.joined.get(stem_) if len(stems) == 1 else None
                if joined:
                    i, j = joined[0]
                    return _Match(alias.text, tokens[i].start, tokens[j].end, 100.0, i)
                return None
            per_stem.append(candidates)
        if len(stems) == 1:
            i, sim = max(per_stem[0], key=lambda c: (c[1], -c[0]))
            return _Match(alias.text, tokens[i].start, tokens[i].end, sim, i)
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
                    best = _Match(alias.text, tokens[lo].start, tokens[hi].end, similarity, lo)
        return best


def analyse(text: str) -> AnalysedAnswer:
    """Tokenise an answer once: content tokens, their index, and how list-like it reads."""
    truncated = len(text) > MAX_ANSWER_CHARS
    graded = text[:MAX_ANSWER_CHARS] if truncated else text
    all_tokens = tokenize(graded)
    tokens: list[Token] = []
    negated: list[bool] = []
    function_count = 0
    last_negator = -10
    for n, tok in enumerate(all_tokens):
        if tok.word in NEGATORS:
            last_negator = n
        if tok.word in STOPWORDS:
            function_count += 1
            continue
        tokens.append(tok)
        negated.append(n - last_negator <= 3)
    positions: dict[str, list[int]] = defaultdict(list)
    for i, tok in enumerate(tokens):
        positions[tok.stem].append(i)
    joined: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i in range(len(tokens) - 1):
        first, second = tokens[i], tokens[i + 1]
        if second.start - first.end <= 1 and (
            first.word in _JOIN_PREFIXES or graded[first.end : second.start] == "-"
        ):
            joined[first.stem + second.stem].append((i, i + 1))
            joined[stem(first.word + second.word)].append((i, i + 1))
    return AnalysedAnswer(
        text=text,
        tokens=tokens,
        all_count=len(all_tokens),
        function_count=function_count,
        negated=negated,
        truncated=truncated,
        keyword_list=_reads_as_keyword_list(graded, len(all_tokens), function_count),
        positions=dict(positions),
        joined=dict(joined),
        uniques=list(positions),
    )


def _reads_as_keyword_list(text: str, n_words: int, n_function: int) -> bool:
    """True for terms separated by commas/newlines with almost no connecting words."""
    if n_words < 4:
        return False
    if n_function / n_words >= 0.12:
        return False
    pieces = [p for p in _split_pieces(text) if p.strip()]
    if len(pieces) < 3:
        return n_function / n_words < 0.05
    longest = max(len(p.split()) for p in pieces)
    return longest <= 8


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
    raw -= MISCONCEPTION_PENALTY * len(misconceptions)
    if keyword_list:
        raw *= KEYWORD_LIST_FACTOR
    return max(0, min(100, round(raw)))
