"""An answer tokenised once, so it can be graded against many questions cheaply: its content
words and where they stand, the pairs written run together, whether it reads as a bare list of
keywords, and (on first use) the claims it makes and its absolute words ("always better").
Also where a claim is denied."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interview_sim.core.claims import Claim, claims_in
from interview_sim.core.overclaims import Overclaim, absolute_claims
from interview_sim.core.text import (
    DISOWNING,
    NEGATORS,
    SENTENCE_GAP_PATTERN,
    STOPWORDS,
    normalise,
    stem,
    words_and_gaps,
)

KEYWORD_PIECE_MAX = 7  # a piece of eight words or more is a clause, not a keyword
MAX_ANSWER_CHARS = 20_000  # about 3,000 words; longer answers are graded on this much
_SENTENCE_END = re.compile(r"[.!?;]")
_FRAME_REACH = 25  # words back within the sentence
_FRAME_WORDS = frozenset(
    [
        "myth",
        "misconception",
        "misconceptions",
        "misunderstanding",
        "fallacy",
        "mistakenly",
        "wrongly",
        "untrue",
    ]
)
# "Some people think X", "people sometimes assume X", "many believe X": others' view, reported.
_OTHERS = frozenset(["people", "some", "many", "folks", "others", "beginners", "newcomers"])
_BELIEVING = frozenset(
    ["think", "thought", "assume", "assumed", "believe", "believed", "claim", "claimed", "expect"]
)
# "People often say X", "people read this as X": said of people only ("some caches read X"
# reports nothing).
_PEOPLE = frozenset(["people", "folks", "others", "beginners", "newcomers"])
_SAYING = frozenset(["say", "says", "said", "describe", "describes", "read"])
# "'X' is false", "X, which is a myth", "X is not true": a verdict right after the claim
# ("eliminates false positives" and "gives wrong results" are no verdict).
_VERDICTS = frozenset(["false", "untrue", "myth", "wrong", "incorrect"])
_COPULAS = frozenset(["is", "are", "was", "were", "that's", "it's", "which's"])
_NOT_SO = frozenset(["true", "correct", "right", "case"])  # "is not true", "isn't the case"
_REJECT_REACH = 4  # words after the claim, within its sentence or line
_FRAME_AFTER_NEGATOR = frozenset(["true", "case", "mean", "means", "correct", "right"])
_WORKED_RE = re.compile(r"[=≈≃]|\d\s*[*×^/]\s*\d|\^\s*\d")
_RELATION_RE = re.compile(r"->|→|=|≈|\w:\s|\(")
_ALTERNATIVE = frozenset(["instead", "rather"])
_FRAME_BEFORE_THAT = frozenset(["wrong", "false", "incorrect", "mistake"])
_PITFALLS = frozenset(["mistake", "mistakes", "pitfall", "pitfalls", "trap", "antipattern"])
_CONTRAST = frozenset(["but", "however", "actually", "instead", "rather", "whereas", "yet"])
_SENTENCE_BREAK_RE = re.compile(r"\w[.!?]\s+\w")
# A full stop that ends an abbreviation, not a sentence: "Xiong et al. 2020", "e.g. RoPE".
_ABBREVIATION_RE = re.compile(
    r"\b(?:et al|e\.g|i\.e|etc|vs|cf|approx|resp|eq|fig)\.", re.IGNORECASE
)
_SENTENCE_GAP_RE = re.compile(SENTENCE_GAP_PATTERN)
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
    _absolutes: list[Overclaim] | None = None

    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = claims_in(self.lead, self.pairs, self.mapping)
        return self._claims

    def same_sentence(self, first: int, last: int) -> bool:
        """Content tokens ``first`` and ``last`` stand in one sentence (or one line of a list):
        no sentence end in the few gaps between them."""
        ends, pairs = _SENTENCE_GAP_RE.search, self.pairs
        return not any(
            gap != " " and ends(gap)  # most gaps are one space
            for _, gap in pairs[self.content[first] : self.content[last]]
        )

    def absolutes(self) -> list[Overclaim]:
        """Unhedged absolute words ("eliminates", "always better"), see core/overclaims.py."""
        if self._absolutes is None:
            self._absolutes = absolute_claims(self.lead, self.pairs, self.mapping, self._rejected)
        return self._absolutes

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
        pairs = self.pairs
        for k in range(max(0, n - 3), n):
            word, gap = pairs[k]
            if word in _ALTERNATIVE:  # "instead of X" disowns X; "and instead X" states X
                denied = denied or pairs[k + 1][0] in ("of", "than")
            else:
                denied = denied or word in NEGATORS or word in DISOWNING
            if _SENTENCE_END.search(gap):  # "... not. X" does not deny X
                denied = False
        return (
            denied
            or any(word in NEGATORS for word, _ in self.pairs[n : m + 1])
            or self._framed_as_denied(n)
            or self._rejected_after(m)
        )

    def _rejected(self, n: int) -> bool:
        """Word ``n`` stands in a claim its sentence rejects, before it or right after it."""
        return self._framed_as_denied(n) or self._rejected_after(n)

    def _rejected_after(self, m: int) -> bool:
        """The few words after word ``m``, in its sentence or line and before a contrast, give
        a verdict on the claim: "'self-hosting is always cheaper' is false", "X, which is a
        myth", "X is not true"."""
        pairs = self.pairs
        if _SENTENCE_GAP_RE.search(pairs[m][1]):
            return False
        for k in range(m + 1, min(len(pairs), m + 1 + _REJECT_REACH)):
            word, gap = pairs[k]
            if word in _CONTRAST:
                return False
            before = pairs[k - 1][0]
            earlier = pairs[k - 2][0] if k - 2 > m else ""  # never before the claim's end
            if word in _VERDICTS and (
                before in _COPULAS or (before in ("a", "just") and earlier in _COPULAS)
            ):
                return True
            if word in _NOT_SO and (before in NEGATORS or earlier in NEGATORS):
                return True  # "not true", "not the case"
            if _SENTENCE_GAP_RE.search(gap):
                return False
        return False

    def _framed_as_denied(self, n: int) -> bool:
        """Word ``n`` stands in a clause that an earlier frame of its sentence rejects: "it is
        not true that ...", "a common misconception is that ...", "contrary to ...". A
        contrast ("but", "actually") ends the frame's reach: "a myth, but in fact X" states X."""
        pairs = self.pairs
        for k in range(n - 1, max(-1, n - 1 - _FRAME_REACH), -1):
            word, gap = pairs[k]
            if _SENTENCE_END.search(gap) or word in _CONTRAST:
                return False
            if word in _FRAME_WORDS:
                return True
            if word == "contrary":  # "contrary to the claim that X" rejects X, but in
                return all("," not in g for _, g in pairs[k:n])  # "contrary to X, Y" Y stands
            if word in _FRAME_AFTER_NEGATOR and k > 0 and pairs[k - 1][0] in NEGATORS:
                return True  # "not true", "doesn't mean", "isn't the case"
            if word in _FRAME_BEFORE_THAT and k + 1 < n and pairs[k + 1][0] in ("to", "that"):
                return True  # "wrong to say", "false that", "a mistake to think"
            if word in _PITFALLS and (pairs[k + 1][0] in ("is", "was") or ":" in gap):
                return True  # "a common mistake is X", "pitfall: X"
            if (word in _BELIEVING and any(w in _OTHERS for w, _ in pairs[max(0, k - 2) : k])) or (
                word in _SAYING and any(w in _PEOPLE for w, _ in pairs[max(0, k - 2) : k])
            ):
                return all("," not in g for _, g in pairs[k:n])  # "what many think, X" states X
        return False

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
    if _phrase_list(text):
        return True
    if n_words < 4 or n_function / n_words >= 0.3:  # prose: most answers stop here
        return False
    pieces = [
        [w for w in p.split() if len(w) > 1 and not w.isdigit()]
        for p in _split_pieces(text)
        if p.strip()
    ]
    if len(pieces) < 3:  # one or two pieces: a list only if it is all terms and no working
        return n_function / n_words < 0.05 and not _WORKED_RE.search(text)
    if _SENTENCE_BREAK_RE.search(_ABBREVIATION_RE.sub("", text)):
        return False
    short = sum(1 for p in pieces if len(p) <= 5)
    listed = short >= 0.75 * len(pieces) and max(len(p) for p in pieces) <= KEYWORD_PIECE_MAX
    return listed and not _bullet_notes(text)


_SUBJECTS = frozenset(["it", "they", "this", "these", "we", "you", "i", "he", "she", "that"])
_ANSWERS = frozenset(["yes", "no", "yeah", "nope", "sure"])
_VERBS = frozenset(["is", "are", "was", "were", "be", "becomes", "gets", "has", "have", "does"])
PHRASE_MAX = 4  # words in a phrase of a one-line list ("lost in the middle")


def _phrase_list(text: str) -> bool:
    """One line of three or more short phrases ("cost per query, lost in the middle, prompt
    caching"): terms listed, whatever their function words. Not when a phrase opens with a
    subject or a yes/no ("it reduces memory, ...", "yes, it is greedy, ...") or has a verb after
    its first word ("sampling is greedy, at every step, ..."), or it works something out."""
    separators = sum(text.count(sep) for sep in (",", ";", "|", "•", " - "))
    if len(text.split()) > PHRASE_MAX * (separators + 1):  # prose: some piece is longer
        return False
    if "\n" in text.strip() or _WORKED_RE.search(text):
        return False
    pieces = [p.lower().split() for p in _split_pieces(text) if p.strip()]
    if len(pieces) < 3 or any(len(p) > PHRASE_MAX for p in pieces):
        return False
    if _SENTENCE_BREAK_RE.search(_ABBREVIATION_RE.sub("", text)):
        return False
    if pieces[0][0].strip("'\"") in _ANSWERS:
        return False
    return not any(p[0] in _SUBJECTS or _VERBS.intersection(p[1:]) for p in pieces)


def _bullet_notes(text: str) -> bool:
    """Three lines or more, at least half of them relating their terms ("A = U Σ Vᵀ", "big grad
    -> huge step", "W4A16: 4-bit weights", a parenthesis, or eight words): notes a candidate
    jots, not a list of terms. The blind set's keyword lists are one line (59 of 61)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    related = sum(1 for line in lines if _RELATION_RE.search(line) or len(line.split()) >= 8)
    return related >= len(lines) / 2


def _split_pieces(text: str) -> list[str]:
    out = [text]
    for sep in ("\n", ",", ";", "|", "•", " - "):
        out = [piece for chunk in out for piece in chunk.split(sep)]
    return out
