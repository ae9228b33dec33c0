"""Claims stated the wrong way round: directions inverted, roles swapped.

A keyword grader finds "temperature", "sharpens" and "low" in "a high temperature sharpens the
distribution" as readily as in the right answer. Here an answer is read as short *claims*: two
words with a direction or a role ("high"/"low", "sharpens"/"flattens", "encoder"/"decoder")
close together in one clause, each with its sign (a negator before a word flips it). A question's
reference text (model answers, concept names, hint, corrections) gives the claims that are true.
An answer's claim contradicts the question when the reference states it with exactly one side
reversed and never as written (nor with both sides
reversed, which says the same thing: "higher is worse" = "lower is better"), about the same
thing (content words in common with the reference's claim).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from itertools import accumulate, compress, count
from typing import NamedTuple, cast

from interview_sim.core.text import NEGATORS, STOPWORDS, normalise, stem, words_and_gaps

# Each axis: the words on its positive side | those on its negative side.
_AXES_TEXT = """
level: high higher highest large larger largest big bigger biggest raise raising increase
    increases grow grows more most many greater maximum max maximize maximise wide wider heavy
    heavier strong stronger boost boosts amplify amplifies inflate above | low lower lowest
    small smaller smallest little tiny reduce reduces decrease decreases shrink shrinks less
    least fewer fewest minimum min minimize minimise narrow narrower light lighter weak weaker
    cut cuts dampen dampens suppress below
shape: sharp sharper sharpen sharpens peaked peakier peaky confident concentrated deterministic
    greedy focused spiky conservative | flat flatter flatten flattens uniform spread diverse
    random stochastic creative smoother smooth smooths varied diffuse
speed: fast faster fastest quick quicker speed speeds speedup accelerate accelerates cheap
    cheaper efficient | slow slower slowest slowdown expensive costlier costly inefficient
length: long longer longest lengthen extend extends | short shorter shortest shorten truncate
    truncates
quality: better best improve improves help helps good accurate stable stabilize stabilise
    stabilizes | worse worst degrade degrades hurt hurts bad harm harms unstable destabilize
    destabilise diverge diverges
order: before first earlier earliest prior pre preceding precede precedes past previous | after
    last later latest post following follows future subsequent
direction: bidirectional bidirectionally | unidirectional causal causally autoregressive
    autoregressively
module: encoder encoders | decoder decoders
teaching: teacher teachers | student students
gan: generator generators | discriminator discriminators
fit: overfit overfits overfitting memorize memorise | underfit underfits underfitting
density: dense denser | sparse sparser sparsity
scope: global globally | local locally
bound: compute-bound | memory-bound bandwidth-bound
phase: training train pretraining | inference serving generation
sign: positive positives chosen preferred | negative negatives penalty penalize penalise
    rejected dispreferred
supervision: supervised labeled labelled | unsupervised self-supervised unlabeled unlabelled
growth: linear linearly | quadratic quadratically exponential exponentially
policy: on-policy online | off-policy offline
position: absolute | relative
change: static fixed frozen freeze freezes | dynamic learned learnable trainable
parallelism: parallel parallelizable parallelise parallelize simultaneously | sequential
    sequentially serial serially
"""


def _axes(text: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    axes = {}
    for entry in _entries(text):
        name, _, words = entry.partition(": ")
        plus, _, minus = words.partition(" | ")
        axes[name] = (tuple(plus.split()), tuple(minus.split()))
    return axes


def _entries(text: str) -> list[str]:
    """One entry per axis: a line, with its indented continuation lines joined on."""
    entries: list[str] = []
    for line in text.strip("\n").split("\n"):
        if line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line)
    return entries


_AXES = _axes(_AXES_TEXT)

# Words that end a clause for pairing purposes: a claim never spans them.
_CLAUSE_WORDS = frozenset(
    [
        "and",
        "but",
        "while",
        "whereas",
        "whilst",
        "than",
        "versus",
        "vs",
        "or",
        "unlike",
        "compared",
        "however",
        "although",
        "though",
        "instead",
        "rather",
        "because",
        "since",
        "so",
        "which",
        "whereby",
        "then",
        "otherwise",
        "if",
        "when",
        "also",
    ]
)
_CLAUSE_PUNCT = re.compile(r"[.;:!?\n()\[\]]")
_SHARED_CONTEXT = 2  # content words a claim shares with the reference's claim it reverses
_CONTEXT = 2  # content words either side of a claim that say what it is about
_WINDOW = 7  # words between the two sides of a claim, at most
_NEGATION_REACH = 3  # a negator this many words before a polar word flips it
_INTENSIFIERS = frozenset(["more", "less", "most", "least"])
_EXTRA_NEGATORS = frozenset(["nowhere", "barely", "rarely"])
_COMPARISON_RE = re.compile(r"(?<![-=<>])\s*([<>≤≥])(?![-=<>])")


def _lexicon() -> dict[str, tuple[str, int]]:
    """Every polar word, and its stem, with its axis and sign."""
    lexicon: dict[str, tuple[str, int]] = {}
    for axis, (plus, minus) in _AXES.items():
        for sign, words in ((1, plus), (-1, minus)):
            for word in words:
                lexicon.setdefault(word, (axis, sign))
                lexicon.setdefault(stem(word), (axis, sign))
    return lexicon


POLAR = _lexicon()


class Claim(NamedTuple):
    """Two polar words in one clause: axes in name order, each with its sign, and the content
    words around them (what the claim is about: "temperature", "distribution")."""

    key: tuple[str, int, str, int]
    start: int  # offsets in the original text, for highlighting
    end: int
    about: frozenset[str]


class _Words:
    """The words of normalised text as parallel lists (a claim is looked for around every word
    of every answer graded, so no object per word): stem, word, and what follows it (gap: 0 a
    space or hyphen, 1 a comma, 2 a clause break). Offsets in the original text are worked out
    only for the words a claim starts or ends at."""

    __slots__ = ("_lead", "_mapping", "_pairs", "_spans", "_starts", "gaps", "stems", "words")

    def __init__(
        self,
        stems: list[str],
        words: list[str],
        gaps: list[int],
        lead: int,
        pairs: list[tuple[str, str]],
        mapping: list[int] | None,
        spans: list[tuple[int, int]] | None,
    ) -> None:
        self.stems, self.words, self.gaps = stems, words, gaps
        self._lead, self._pairs, self._mapping, self._spans = lead, pairs, mapping, spans
        self._starts: list[int] | None = None

    def span(self, i: int) -> tuple[int, int]:
        """Offsets of word i in the original text."""
        if self._spans is not None:
            return self._spans[i]
        if self._starts is None:  # one word per pair: offsets follow from the lengths
            lengths = [len(word) + len(gap) for word, gap in self._pairs]
            self._starts = list(accumulate(lengths, initial=self._lead))
        start = self._starts[i]
        end = start + len(self.words[i])
        if self._mapping is not None:
            return self._mapping[start], self._mapping[end - 1] + 1
        return start, end


def _gap_kind(gap: str) -> int:
    kind = _GAP_KINDS.get(gap)
    if kind is None:
        kind = 2 if _CLAUSE_PUNCT.search(gap) else 1 if "," in gap else 0
        if len(gap) <= 4:  # the common gaps (" ", ", ", ". "): a small, bounded table
            _GAP_KINDS[gap] = kind
    return kind


_GAP_KINDS: dict[str, int] = {" ": 0}
_COMPARISON_CHARS = frozenset("<>≤≥")


def _words(lead: int, pairs: list[tuple[str, str]], mapping: list[int] | None) -> _Words:
    """The words of normalised text (``words_and_gaps``) with offsets in the original."""
    words = [word for word, _ in pairs]
    raw_gaps = [gap for _, gap in pairs]
    compound = "-" in raw_gaps and any(
        gap == "-" and f"{words[n]}-{words[n + 1]}" in POLAR for n, gap in enumerate(raw_gaps[:-1])
    )
    if not compound and _COMPARISON_CHARS.isdisjoint("".join(raw_gaps)):
        # One word per pair, as written: the common case, in loops that run in C.
        known: list[int | None] = list(map(_GAP_KINDS.get, raw_gaps))
        gaps = [_gap_kind(gap) for gap in raw_gaps] if None in known else cast("list[int]", known)
        return _Words(list(map(stem, words)), words, gaps, lead, pairs, mapping, None)
    return _joined_words(lead, pairs, mapping)


def _joined_words(lead: int, pairs: list[tuple[str, str]], mapping: list[int] | None) -> _Words:
    """``_words`` for text with polar compounds ("memory-bound") or comparison signs ("T < 1")."""
    stems: list[str] = []
    words: list[str] = []
    gaps: list[int] = []
    spans: list[tuple[int, int]] = []
    pos = lead
    skip = False
    for n, (word, gap) in enumerate(pairs):
        start, end = pos, pos + len(word)
        pos = end + len(gap)
        if skip:  # the second half of a compound already taken
            skip = False
            gaps[-1] = _gap_kind(gap)
            continue
        if gap == "-" and n + 1 < len(pairs) and f"{word}-{pairs[n + 1][0]}" in POLAR:
            word, skip = f"{word}-{pairs[n + 1][0]}", True  # "memory-bound", "on-policy"
            end = start + len(word)
        norm_end = end
        if mapping is not None:
            start, end = mapping[start], mapping[end - 1] + 1
        stems.append(stem(word))
        words.append(word)
        gaps.append(_gap_kind(gap))
        spans.append((start, end))
        if len(gap) > 1 and not _COMPARISON_CHARS.isdisjoint(gap):
            comparison = _COMPARISON_RE.search(gap)
            if comparison is not None:  # "T < 1" reads as "T below 1"
                at = norm_end + comparison.start(1)  # the sign itself
                if mapping is not None:
                    at = mapping[at]
                word = "below" if comparison.group(1) in "<≤" else "above"
                gaps[-1] = 0
                stems.append(word)
                words.append(word)
                gaps.append(0)
                spans.append((at, at + 1))
    return _Words(stems, words, gaps, lead, pairs, mapping, spans)


class _Polar(NamedTuple):
    at: int  # index of its (last) word
    first: int  # of its first word ("more" in "more deterministic")
    axis: str
    sign: int


def _polar_words(text: _Words) -> list[_Polar]:
    """Every polar word with its sign, negation applied; "more"/"less" right before a polar
    word of another axis only strengthens or reverses it ("less deterministic" = more random)."""
    found: list[_Polar] = []
    lexicon, words, stems, gaps = POLAR, text.words, text.stems, text.gaps
    is_polar = lexicon.__contains__  # the positions found without a Python loop over every word
    at = set(compress(count(), map(is_polar, words)))
    at.update(compress(count(), map(is_polar, stems)))
    for i in sorted(at):
        axis, sign = lexicon.get(words[i]) or lexicon[stems[i]]
        first = i
        if found and found[-1].at == i - 1 and gaps[i - 1] == 0:
            before = found[-1]
            if before.axis == "level" and axis != "level" and words[i - 1] in _INTENSIFIERS:
                found.pop()
                sign, first = sign * before.sign, before.first
        else:
            for j in range(i - 1, max(-1, i - 1 - _NEGATION_REACH), -1):
                if gaps[j] == 2:
                    break
                if words[j] in NEGATORS or words[j] in _EXTRA_NEGATORS:
                    sign = -sign
                    break
        found.append(_Polar(i, first, axis, sign))
    return found


def claims(text: str) -> list[Claim]:
    """Every claim of the text (see ``claims_in``)."""
    norm, mapping = normalise(text)
    lead, pairs = words_and_gaps(norm)
    return claims_in(lead, pairs, mapping)


def claims_in(lead: int, pairs: list[tuple[str, str]], mapping: list[int] | None) -> list[Claim]:
    """Neighbouring polar words on different axes within one clause. Across a comma only
    words that found no partner on their own side of it pair up ("with a low temperature, the
    distribution is sharper"), so two clauses joined by a comma stay two claims."""
    text = _words(lead, pairs, mapping)
    polar = _polar_words(text)
    if len(polar) < 2:
        return []
    found: list[tuple[_Polar, _Polar, bool]] = []  # (a, b, crosses a comma)
    for a, b in itertools.pairwise(polar):
        if a.axis == b.axis or b.first - a.at > _WINDOW:
            continue
        gaps = text.gaps[a.at : b.first]
        if 2 in gaps or any(w in _CLAUSE_WORDS for w in text.words[a.at + 1 : b.first]):
            continue
        found.append((a, b, 1 in gaps))
    paired = {p.at for a, b, comma in found if not comma for p in (a, b)}
    out: list[Claim] = []
    for a, b, comma in found:
        if comma and (a.at in paired or b.at in paired):
            continue
        if a.axis <= b.axis:
            key = (a.axis, a.sign, b.axis, b.sign)
        else:
            key = (b.axis, b.sign, a.axis, a.sign)
        out.append(Claim(key, text.span(a.first)[0], text.span(b.at)[1], _about(text, a, b)))
    return out


def _about(text: _Words, a: _Polar, b: _Polar) -> frozenset[str]:
    """Content words inside the claim and up to two either side, within its clause."""
    gaps = text.gaps
    lo, hi = a.first, b.at
    while lo > 0 and a.first - lo < _CONTEXT and gaps[lo - 1] != 2:
        lo -= 1
    while hi + 1 < len(gaps) and hi - b.at < _CONTEXT and gaps[hi] != 2:
        hi += 1
    return frozenset(
        stem_
        for word, stem_ in zip(text.words[lo : hi + 1], text.stems[lo : hi + 1], strict=True)
        if word not in STOPWORDS
        and stem_ not in POLAR
        and word not in POLAR
        and word not in _CLAUSE_WORDS
        and word not in NEGATORS
    )


def _flip(key: tuple[str, int, str, int], a: int, b: int) -> tuple[str, int, str, int]:
    return (key[0], key[1] * a, key[2], key[3] * b)


class Reference:
    """What a question's own text says is true.

    ``texts`` are prose (model answers, corrections): a reversed claim must share two content
    words with theirs to count. ``labels`` are short statements of one idea each (concept names
    and aliases): one shared word is enough. ``words`` is every word of these and of
    ``mentioned`` (text that names a claim without making it: misconception statements)."""

    __slots__ = ("_true", "words")

    def __init__(
        self, texts: Iterable[str], labels: Iterable[str] = (), mentioned: Iterable[str] = ()
    ) -> None:
        texts, labels = list(texts), list(labels)
        self.words = frozenset(
            word
            for text in (*texts, *labels, *mentioned)
            for word, _ in words_and_gaps(normalise(text)[0])[1]
        )
        self._true: dict[tuple[str, int, str, int], list[tuple[frozenset[str], int]]] = {}
        for group, needed in ((texts, _SHARED_CONTEXT), (labels, 1)):
            for text in group:
                for c in claims(text):
                    self._true.setdefault(c.key, []).append((c.about, needed))

    def contradicts(self, claim: Claim) -> bool:
        """The reverse of what the reference says about the same thing (content words in
        common), and never as the reference says it."""
        key, true = claim.key, self._true
        if key in true or _flip(key, -1, -1) in true:
            return False
        return any(
            len(claim.about & about) >= needed
            for k in (_flip(key, -1, 1), _flip(key, 1, -1))
            for about, needed in true.get(k, ())
        )
