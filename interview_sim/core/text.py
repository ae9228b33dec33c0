"""Text normalisation shared by the grader: Unicode clean-up, tokens with offsets, stems.

Offsets always point into the *original* answer text so that the UI can highlight the
person's own words, whatever normalisation did to them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_INVISIBLE: dict[str, str] = dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", " ")
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
        **_INVISIBLE,
    }
)
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_WORD_AND_GAP_RE = re.compile(r"([^\W_]+(?:'[^\W_]+)*)([\W_]*)")  # a word, then what follows
# What ends a sentence (or a line of a list) between two words: "e.g." and "3.5" go on; ". ", "; "
# and a line end stop. Alias words are matched within one sentence (core/answer.py).
SENTENCE_GAP_PATTERN = r"[.!?;]\s|\n"

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "by",
        "with",
        "as",
        "at",
        "from",
        "which",
        "who",
        "whom",
        "whose",
        "into",
        "than",
        "then",
        "so",
        "such",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "having",
        "very",
        "also",
        "just",
        "there",
        "their",
        "they",
        "them",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "him",
        "us",
        "if",
        "about",
        "up",
        "out",
        "some",
        "any",
        "what",
        "when",
        "where",
        "how",
        "why",
        "while",
        "too",
        "s",
        "t",
        "here",
        "via",
        "per",
        "etc",
        "eg",
        "ie",
        "e.g",
        "i.e",
        "one",
    ]
)
# Words of identity and quantity carry the claim of a phrase ("the same slope for every head",
# "prefers its own outputs" against "prefers other models' outputs", "both losses rise"): they
# are matched like content words, but an alias's length (banks/README.md) does not count them.
ALIAS_LENGTH_IGNORES = STOPWORDS | {"same", "each", "other", "own", "both"}
NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "didn't",
        "hasn't",
        "haven't",
        "hadn't",
        "couldn't",
        "won't",
        "wouldn't",
        "shouldn't",
        "nor",
        "neither",
        "none",
        "nothing",
        "nobody",
        "hardly",
    ]
)

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


class Token(NamedTuple):
    """A word of the answer: its stem, its lower-cased form and its span in the original text.

    A NamedTuple rather than a frozen dataclass: answers are tokenised on every grading and
    tuple construction is several times cheaper."""

    stem: str
    word: str
    start: int
    end: int


_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Letters people type for the names banks spell: "β2" is "beta2", "τ" is "tau" (NFKC leaves
# them as they are). The times sign is the word x ("V×d" is "v x d", "2×layers" is "2 x layers",
# as banks write formulas), except right after a number it ends ("4× less" is "4x less").
_SPELLED = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "ς": "sigma",
    "τ": "tau",
    "φ": "phi",
    "ω": "omega",
}
_TIMES = "×"
_SPELLED_CHARS = frozenset(_SPELLED) | {_TIMES}
_THOUSANDS_K_RE = re.compile(r"^(\d+)k$")


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, map from normalised index to original index or None if 1:1).

    A thousands separator becomes an apostrophe, which keeps "25,000" one word (and its
    offsets 1:1); ``stem`` then drops it, so "25,000", "25000" and "25k" are the same word."""
    cleaned = text.translate(_PUNCT_MAP)
    if "," in cleaned:
        cleaned = _THOUSANDS_RE.sub("'", cleaned)
    if cleaned.isascii():
        return cleaned.lower(), None
    lowered = cleaned.lower()
    nfkc = unicodedata.normalize("NFKC", cleaned).lower()
    spelled = not _SPELLED_CHARS.isdisjoint(nfkc)
    if nfkc == lowered and len(lowered) == len(text) and not spelled:
        return nfkc, None  # NFKC changed nothing: offsets are already 1:1
    out: list[str] = []
    mapping: list[int] = []
    for i, ch in enumerate(cleaned):  # length changed (ligatures, fullwidth, ...): map per char
        piece = unicodedata.normalize("NFKC", ch).lower()
        if spelled:
            piece = "".join(_SPELLED.get(c, c) for c in piece)
            if piece == _TIMES:
                after = cleaned[i + 1 : i + 2]
                piece = "x" if i and cleaned[i - 1].isdigit() and not after.isalnum() else " x "
        out.append(piece)
        mapping.extend([i] * len(piece))
    mapping.append(len(text))
    return "".join(out), mapping


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens with stems and original-text offsets."""
    norm, mapping = normalise(text)
    make, stem_ = _new_token, stem  # hot loop: every answer is tokenised on every grading
    if mapping is None:
        return [make(Token, (stem_(w := m.group()), w, *m.span())) for m in _WORD_RE.finditer(norm)]
    tokens: list[Token] = []
    for m in _WORD_RE.finditer(norm):
        word = m.group()
        start, end = m.span()
        tokens.append(make(Token, (stem_(word), word, mapping[start], mapping[end - 1] + 1)))
    return tokens


def words_and_gaps(norm: str) -> tuple[int, list[tuple[str, str]]]:
    """Every word of normalised text with the characters up to the next word, and where the
    first word starts: one regex pass in C, with offsets recoverable by adding up lengths."""
    first = _WORD_RE.search(norm)
    if first is None:
        return 0, []
    return first.start(), _WORD_AND_GAP_RE.findall(norm, first.start())


_new_token = tuple.__new__  # builds a Token without the NamedTuple's Python-level __new__


_ACRONYM_PLURALS = frozenset(["gpus", "cpus", "tpus", "npus", "qpus"])


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately small stemmer: plurals, -ing/-ed, British -ise/-isation, final -e."""
    w = (word[:-2] if word.endswith("'s") else word).replace("'", "")
    if w in _ACRONYM_PLURALS:  # "-us" normally keeps its s (corpus, bus), but not "GPUs"
        return w[:-1]
    if len(w) <= 3 or not w.isalpha():
        thousands = _THOUSANDS_K_RE.match(w)
        return thousands.group(1) + "000" if thousands else w
    for brit, amer in (
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("our", "or"),
    ):
        if w.endswith(brit) and len(w) > len(brit) + 2:
            w = w[: -len(brit)] + amer
            break
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ias")) and len(w) > 3:
        w = w[:-1]
    suffix_removed = False
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            suffix_removed = True
            break
    if suffix_removed and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_stems(text: str) -> tuple[str, ...]:
    """Stems of an alias phrase without function words (all of them if nothing else is left)."""
    tokens = tokenize(text)
    content = [t.stem for t in tokens if t.word not in STOPWORDS]
    return tuple(content or [t.stem for t in tokens])
