"""Property tests: whatever a person types, and whatever a bank file holds, nothing crashes.

Answers mix full Unicode with what breaks terminals and markup: Rich/Textual markup, ANSI
escapes, control and zero-width characters, emoji, CJK, compatibility characters that NFKC
rewrites, and the bank's own vocabulary so that concepts really match.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from interview_sim.core.bank import Bank, BankError, load_bank
from interview_sim.core.grading import MAX_ANSWER_CHARS, Grader
from interview_sim.core.session import SessionSettings
from interview_sim.core.transcript import parse_transcript

from .conftest import MINI_BANKS
from .transcript_factory import in_memory_transcript

# Hypothesis keeps a cache in ./.hypothesis, filled while pytest collects (before any
# fixture runs): send it to a temporary folder so that tests never write into the checkout.
_HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="interview-sim-hypothesis-"))
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

FUZZ = settings(max_examples=150, deadline=None, database=None,  # nothing written to the repo
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_BANK = load_bank([MINI_BANKS])
ITEMS = [item for q in _BANK.questions() for item in (q, *q.follow_ups)]
VOCABULARY = sorted({word for q in _BANK.questions()
                     for item in (q, *q.follow_ups) for c in item.concepts
                     for alias in c.aliases for word in alias.split()})
NASTY = [
    "[bold]", "[/bold]", "[/", "[", "]", "[link=x]", "[link=https://e.com/?a=[1]]",
    "[@click=app.quit]", "[b red on blue]", "\\[", "\\",
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]8;;http://x\x1b\\", "\x1b", "\x07", "\x08",
    "\x00", "\x7f", "\r", "\r\n", "\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u00a0",
    "🎉", "👨‍👩‍👧", "🏳️‍🌈", "1️⃣", "注意力机制", "日本語", "한국어", "ﬁ", "ﬀ", "İ", "ß", "Ⅻ",
    "e\u0301", "Ａ", "½", "'", "-", "—", "’", ",", ";", "not", "no", "don't",
]
piece = st.one_of(st.sampled_from(NASTY), st.sampled_from(VOCABULARY),
                  st.text(max_size=6), st.characters().map(str))
answers = st.one_of(
    st.text(),
    st.lists(piece, max_size=40).map(" ".join),
    st.lists(piece, max_size=40).map("".join),
    st.builds(lambda parts, n: " ".join(parts) * n,  # long: past the grader's cut-off
              st.lists(piece, min_size=1, max_size=6),
              st.integers(min_value=1, max_value=MAX_ANSWER_CHARS // 4)),
)


# --------------------------------------------------------------------------- the grader


@FUZZ
@given(item=st.sampled_from(ITEMS), text=answers)
@example(item=ITEMS[0], text="")
@example(item=ITEMS[0], text="gradient flow " * 3000)
def test_the_grader_never_raises_and_offsets_are_valid(mini_grader: Grader, item,
                                                       text: str) -> None:
    result = mini_grader.grade(item, text)
    assert isinstance(result.score, int) and 0 <= result.score <= 100
    assert len(result.concepts) == len(item.concepts)
    for c in result.concepts:
        if c.matched:
            assert c.start is not None and c.end is not None
            assert 0 <= c.start < c.end <= len(text), (c, len(text))
        else:
            assert c.start is None and c.end is None
    for m in result.misconceptions:
        assert 0 <= m.start < m.end <= len(text)


_WORD_CHAR = re.compile(r"[^\W_]")


def _edges_are_word_characters(text: str, start: int, end: int) -> bool:
    first = unicodedata.normalize("NFKC", text[start]).lower()
    last = unicodedata.normalize("NFKC", text[end - 1]).lower()
    return bool(_WORD_CHAR.match(first[:1]) and _WORD_CHAR.match(last[-1:]))


@FUZZ
@given(item=st.sampled_from(ITEMS), text=answers)
@example(item=_BANK.by_id["smp-temperature"], text="ﬁ divides the logits e\u0301")
def test_matched_spans_start_and_end_on_the_persons_words(mini_grader: Grader, item,
                                                          text: str) -> None:
    """A highlight covers whole words of the original text, never a shifted window.

    Regression: ``normalise`` once skipped the offset map whenever NFKC left the total
    length unchanged, so a character that expands ("ﬁ" -> "fi") and one that contracts
    ("e" + combining accent -> "é") shifted every offset in between.
    """
    result = mini_grader.grade(item, text)
    for c in result.concepts:
        if c.matched:
            assert c.start is not None and c.end is not None
            assert _edges_are_word_characters(text, c.start, c.end), \
                (c.name, text[c.start:c.end])


# --------------------------------------------------------------------------- transcripts


@FUZZ
@given(typed=st.lists(answers, min_size=1, max_size=6),
       seed=st.integers(min_value=0, max_value=10_000),
       follow_ups=st.integers(min_value=0, max_value=2))
@example(typed=["", " ", "\n", "---\n...", "- a\n- b", "key: value", "'\"", "~", "null",
                "true", "0x1F", "1e5", ".nan", "2026-13-01", "&a *a !!int x", "# comment"],
         seed=0, follow_ups=2)
def test_a_transcript_round_trips_any_answer_byte_for_byte(mini_bank: Bank,
                                                          mini_grader: Grader,
                                                          typed: list[str], seed: int,
                                                          follow_ups: int) -> None:
    t = in_memory_transcript(mini_bank, mini_grader,
                             SessionSettings(questions=3, follow_ups=follow_ups, seed=seed),
                             typed)
    assert [r.answer for r in t.records] == typed[: len(t.records)]
    first = t.dumps()
    again = parse_transcript(first, "x")
    assert [r.answer for r in again.records] == [r.answer for r in t.records]
    assert [r.score for r in again.records] == [r.score for r in t.records]
    assert [r.grade.concepts for r in again.records] == [r.grade.concepts for r in t.records]
    assert again.dumps() == first
    assert parse_transcript(first.encode("utf-8").decode("utf-8"), "x").dumps() == first


# --------------------------------------------------------------------------- bank files

_MINI_TEXT = (MINI_BANKS / "sampling.yaml").read_text(encoding="utf-8")
_KEYS = ["topic", "title", "description", "questions", "id", "difficulty", "prompt",
         "concepts", "name", "weight", "required", "bonus", "aliases", "follow_ups", "probes",
         "model_answer", "hint", "misconceptions", "statement", "correction", "seed_refs",
         "note", "zzz"]
_SCALARS = ["easy", "medium", "hard", "x", "", "~", "null", "true", "no", "0", "-1", "2.5",
            ".nan", ".inf", "-.inf", "0x10", "1_000", "'quoted'", '"dq \\n"', "'unclosed",
            '"unclosed', "[a, b]", "[]", "{}", "{a: 1}", "[", "{", "|", ">-", "&a x", "*a",
            "*missing", "!!str 5", "!!binary aGk=", "!!set {a}", "<<: *a", "? x", "- x",
            "000 Q3", "003 #11", "sampling", "smp-temperature", "2026-01-01", "12:30:00"]
_line = st.builds(
    lambda indent, dash, key, value: " " * indent + ("- " if dash else "") +
    (f"{key}: {value}" if key else value),
    st.integers(min_value=0, max_value=8), st.booleans(),
    st.one_of(st.sampled_from(_KEYS), st.just(""), st.text(max_size=5)),
    st.one_of(st.sampled_from(_SCALARS), st.text(max_size=10)),
)
yamlish = st.lists(_line, max_size=30).map("\n".join)


@st.composite
def mutated_bank(draw: st.DrawFn) -> str:
    """The mini bank with a few random cuts, insertions and replacements."""
    text = _MINI_TEXT
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        i = draw(st.integers(min_value=0, max_value=len(text)))
        j = draw(st.integers(min_value=i, max_value=min(len(text), i + 40)))
        new = draw(st.one_of(st.just(""), st.sampled_from(_SCALARS), st.sampled_from(_KEYS),
                             st.text(max_size=8), st.sampled_from(["\n", "  ", ": ", "- "])))
        text = text[:i] + new + text[j:]
    return text


def _data(leaves: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.sampled_from(_KEYS), children, max_size=6),
        ),
        max_leaves=30,
    )


_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                  st.sampled_from(["easy", "hard", "sampling", "a-id", "000 Q1"]))
structured = _data(_leaf).map(lambda d: yaml.safe_dump(d, allow_unicode=True))


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-banks")


def _load_or_bank_error(folder: Path, data: bytes) -> Bank | None:
    path = folder / "topic.yaml"
    path.write_bytes(data)
    try:
        return load_bank([path])
    except BankError as exc:
        assert exc.problems and all(str(p).strip() for p in exc.problems)
        return None


@FUZZ
@given(text=st.one_of(st.text(), yamlish, mutated_bank(), structured))
@example(text=_MINI_TEXT)
def test_the_bank_loader_accepts_or_explains_any_text(bank_dir: Path, text: str) -> None:
    bank = _load_or_bank_error(bank_dir, text.encode("utf-8"))
    if bank is not None:  # what loads can be graded
        grader = Grader(bank.questions())
        for q in bank.questions():
            assert 0 <= grader.grade(q, q.model_answer).score <= 100


@FUZZ
@given(data=st.one_of(st.binary(max_size=2000),
                      mutated_bank().map(lambda t: t.encode("utf-8")).flatmap(
                          lambda b: st.integers(0, len(b)).map(
                              lambda i: b[:i] + b"\xff\xfe\x80" + b[i:]))))
def test_the_bank_loader_accepts_or_explains_any_bytes(bank_dir: Path, data: bytes) -> None:
    _load_or_bank_error(bank_dir, data)


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("impossible-date", ("description: A small", "description: 2026-13-01 #")),
        ("int-tag", ("description: A small", "description: !!int x #")),
        ("float-tag", ("weight: 2\n", "weight: !!float abc\n")),
        ("bool-tag", ("required: true\n", "required: !!bool maybe\n")),
        ("timestamp-tag", ("description: A small", "description: !!timestamp x #")),
        ("huge-number", ("description: A small", "description: " + "9" * 5000 + " #")),
        ("nan-weight", ("weight: 2\n", "weight: .nan\n")),
        ("infinite-weight", ("weight: 2\n", "weight: .inf\n")),
    ],
)
def test_the_bank_loader_on_values_yaml_itself_cannot_build(bank_dir: Path, name: str,
                                                            edit: tuple[str, str]) -> None:
    """Regressions, kept as plain examples: each once escaped the loader or its checks.

    PyYAML's constructors raise ValueError, KeyError or AttributeError (not YAMLError) for
    these values, which showed a traceback; a NaN or infinite weight passed ``weight <= 0``
    and then skewed every score of its question.
    """
    old, new = edit
    assert old in _MINI_TEXT
    text = _MINI_TEXT.replace(old, new, 1)
    try:
        bank = load_bank([_write(bank_dir, name, text)])
    except BankError:
        return
    weights = [c.weight for q in bank.questions() for c in q.concepts]
    assert all(0 < w < float("inf") for w in weights), "a weight that is not a finite number"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
