"""Property tests: whatever a person types, and whatever a bank file holds, nothing crashes.

Answers mix full Unicode with what breaks terminals and markup: Rich/Textual markup, ANSI
escapes, control and zero-width characters, emoji, CJK, compatibility characters that NFKC
rewrites, and the bank's own vocabulary so that concepts really match.
"""

from __future__ import annotations

import atexit
import copy
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from interview_sim.core.bank import Bank, BankError, load_bank
from interview_sim.core.grading import MAX_ANSWER_CHARS, Grader
from interview_sim.core.settings import SessionSettings
from interview_sim.core.transcript import parse_transcript

from .conftest import MINI_BANKS
from .transcript_factory import in_memory_transcript

# Hypothesis keeps a cache in ./.hypothesis, filled while pytest collects (before any
# fixture runs): send it to a temporary folder so that tests never write into the checkout.
_HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="interview-sim-hypothesis-"))
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written to the repo
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_BANK = load_bank([MINI_BANKS])
ITEMS = [item for q in _BANK.questions() for item in (q, *q.follow_ups)]
VOCABULARY = sorted(
    {
        word
        for q in _BANK.questions()
        for item in (q, *q.follow_ups)
        for c in item.concepts
        for alias in c.aliases
        for word in alias.split()
    }
)
NASTY = [
    "[bold]",
    "[/bold]",
    "[/",
    "[",
    "]",
    "[link=x]",
    "[link=https://e.com/?a=[1]]",
    "[@click=app.quit]",
    "[b red on blue]",
    "\\[",
    "\\",
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[2J",
    "\x1b]8;;http://x\x1b\\",
    "\x1b",
    "\x07",
    "\x08",
    "\x00",
    "\x7f",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x0b",
    "\x0c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202e",
    "\u00a0",
    "🎉",
    "👨‍👩‍👧",
    "🏳️‍🌈",
    "1️⃣",
    "注意力机制",
    "日本語",
    "한국어",
    "ﬁ",
    "ﬀ",
    "İ",
    "ß",
    "Ⅻ",
    "e\u0301",
    "Ａ",
    "½",
    "'",
    "-",
    "—",
    "’",
    ",",
    ";",
    "not",
    "no",
    "don't",
]
piece = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(VOCABULARY),
    st.text(max_size=6),
    st.characters().map(str),
)
answers = st.one_of(
    st.text(),
    st.lists(piece, max_size=40).map(" ".join),
    st.lists(piece, max_size=40).map("".join),
    st.builds(
        lambda parts, n: " ".join(parts) * n,  # long: past the grader's cut-off
        st.lists(piece, min_size=1, max_size=6),
        st.integers(min_value=1, max_value=MAX_ANSWER_CHARS // 4),
    ),
)


# --------------------------------------------------------------------------- the grader


@FUZZ
@given(item=st.sampled_from(ITEMS), text=answers)
@example(item=ITEMS[0], text="")
@example(item=ITEMS[0], text="gradient flow " * 3000)
def test_the_grader_never_raises_and_offsets_are_valid(
    mini_grader: Grader, item, text: str
) -> None:
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
def test_matched_spans_start_and_end_on_the_persons_words(
    mini_grader: Grader, item, text: str
) -> None:
    """A highlight covers whole words of the original text, never a shifted window.

    Regression: ``normalise`` once skipped the offset map whenever NFKC left the total
    length unchanged, so a character that expands ("ﬁ" -> "fi") and one that contracts
    ("e" + combining accent -> "é") shifted every offset in between.
    """
    result = mini_grader.grade(item, text)
    for c in result.concepts:
        if c.matched:
            assert c.start is not None and c.end is not None
            assert _edges_are_word_characters(text, c.start, c.end), (c.name, text[c.start : c.end])


# --------------------------------------------------------------------------- transcripts


@FUZZ
@given(
    typed=st.lists(answers, min_size=1, max_size=6),
    seed=st.integers(min_value=0, max_value=10_000),
    follow_ups=st.integers(min_value=0, max_value=2),
)
@example(
    typed=[
        "",
        " ",
        "\n",
        "---\n...",
        "- a\n- b",
        "key: value",
        "'\"",
        "~",
        "null",
        "true",
        "0x1F",
        "1e5",
        ".nan",
        "2026-13-01",
        "&a *a !!int x",
        "# comment",
    ],
    seed=0,
    follow_ups=2,
)
def test_a_transcript_round_trips_any_answer_byte_for_byte(
    mini_bank: Bank, mini_grader: Grader, typed: list[str], seed: int, follow_ups: int
) -> None:
    t = in_memory_transcript(
        mini_bank,
        mini_grader,
        SessionSettings(questions=3, follow_ups=follow_ups, seed=seed),
        typed,
    )
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
_KEYS = [
    "topic",
    "title",
    "description",
    "questions",
    "id",
    "difficulty",
    "prompt",
    "concepts",
    "name",
    "weight",
    "required",
    "bonus",
    "aliases",
    "follow_ups",
    "probes",
    "model_answer",
    "hint",
    "misconceptions",
    "statement",
    "correction",
    "seed_refs",
    "note",
    "zzz",
]
_SCALARS = [
    "easy",
    "medium",
    "hard",
    "x",
    "",
    "~",
    "null",
    "true",
    "no",
    "0",
    "-1",
    "2.5",
    ".nan",
    ".inf",
    "-.inf",
    "0x10",
    "1_000",
    "'quoted'",
    '"dq \\n"',
    "'unclosed",
    '"unclosed',
    "[a, b]",
    "[]",
    "{}",
    "{a: 1}",
    "[",
    "{",
    "|",
    ">-",
    "&a x",
    "*a",
    "*missing",
    "!!str 5",
    "!!binary aGk=",
    "!!set {a}",
    "<<: *a",
    "? x",
    "- x",
    "000 Q3",
    "003 #11",
    "sampling",
    "smp-temperature",
    "2026-01-01",
    "12:30:00",
]
_line = st.builds(
    lambda indent, dash, key, value: (
        " " * indent + ("- " if dash else "") + (f"{key}: {value}" if key else value)
    ),
    st.integers(min_value=0, max_value=8),
    st.booleans(),
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
        new = draw(
            st.one_of(
                st.just(""),
                st.sampled_from(_SCALARS),
                st.sampled_from(_KEYS),
                st.text(max_size=8),
                st.sampled_from(["\n", "  ", ": ", "- "]),
            )
        )
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


_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["easy", "hard", "sampling", "a-id", "000 Q1"]),
)
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
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        mutated_bank()
        .map(lambda t: t.encode("utf-8"))
        .flatmap(lambda b: st.integers(0, len(b)).map(lambda i: b[:i] + b"\xff\xfe\x80" + b[i:])),
    )
)
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
def test_the_bank_loader_on_values_yaml_itself_cannot_build(
    bank_dir: Path, name: str, edit: tuple[str, str]
) -> None:
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


# --------------------------------------------------------------------------- the cache

_MINI_DATA = yaml.safe_load(_MINI_TEXT)


def _paths(data: object, path: tuple = ()) -> list[tuple]:
    """Every place in the parsed bank that holds a value."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*path, i))
    return out


_MINI_PATHS = _paths(_MINI_DATA)[1:]
_MINI_NAMES = sorted({c["name"] for q in _MINI_DATA["questions"] for c in q["concepts"]})
_edge = st.one_of(
    _leaf,
    st.sampled_from(
        [
            1000,
            999.5,
            0,
            -3,
            1e300,
            True,
            False,
            " padded ",
            "",
            "   ",
            "UPPER-id",
            "a_b",
            "000 Q51",
            " 003 #2 ",
            *_MINI_NAMES,
            *(f" {n} " for n in _MINI_NAMES),
        ]
    ),
)


@st.composite
def edited_bank_data(draw: st.DrawFn) -> object:
    """The mini bank's data with a few values replaced, dropped or added: mostly well-formed,
    so that the validator sees near-valid questions as well as broken ones."""
    data = copy.deepcopy(_MINI_DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_MINI_PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "drop", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(st.one_of(_edge, _data(_leaf)))
            elif action == "drop":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.sampled_from(_KEYS))] = draw(_edge)
            elif isinstance(parent, list):  # an earlier edit may have put a scalar here
                parent.append(draw(_edge))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed this place
    return data


def _outcome(path: Path) -> object:
    try:
        bank = load_bank([path])
    except BankError as exc:
        return [str(p) for p in exc.problems]
    return list(bank.questions())


@settings(FUZZ, max_examples=300)
@given(data=edited_bank_data())
@example(data=_MINI_DATA)
def test_the_cache_changes_no_verdict_on_any_bank(bank_dir: Path, data: object) -> None:
    """A bank read back from the cache is the bank its file validates into; every problem
    is a located ``FILE:LINE: field: message``."""
    _assert_the_cache_changes_nothing(bank_dir, data)


def _assert_the_cache_changes_nothing(bank_dir: Path, data: object) -> None:
    path = bank_dir / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cache = tempfile.mkdtemp(dir=bank_dir)
    with mock.patch.dict(os.environ, {"INTERVIEW_SIM_CACHE": "off"}):
        validated = _outcome(path)
    with mock.patch.dict(os.environ, {"INTERVIEW_SIM_CACHE": cache}):
        assert _outcome(path) == validated  # fills the cache if valid
        assert _outcome(path) == validated  # from the cache
    problems = [p for p in validated if isinstance(p, str)]
    assert problems or os.listdir(cache), "a valid bank was not cached"
    for problem in problems:
        assert re.match(r"^.+?:\d+: .+?: .+$", problem), problem
    shutil.rmtree(cache)


def _q0(data: dict) -> dict:
    return data["questions"][0]


_EDGE_EDITS = {
    "weight-1000": lambda d: _q0(d)["concepts"][0].update(weight=1000),
    "weight-999.5": lambda d: _q0(d)["concepts"][0].update(weight=999.5),
    "weight-zero": lambda d: _q0(d)["concepts"][0].update(weight=0),
    "weight-true": lambda d: _q0(d)["concepts"][0].update(weight=True),
    "weight-text": lambda d: _q0(d)["concepts"][0].update(weight="2"),
    "padded-name": lambda d: _q0(d)["concepts"][1].update(name=" padded "),
    "duplicate-name": lambda d: _q0(d)["concepts"].append(dict(_q0(d)["concepts"][0])),
    "padded-alias": lambda d: _q0(d)["concepts"][0].update(aliases=[" logits "]),
    "empty-aliases": lambda d: _q0(d)["concepts"][0].update(aliases=[]),
    "alias-number": lambda d: _q0(d)["concepts"][0].update(aliases=[7]),
    "required-text": lambda d: _q0(d)["concepts"][0].update(required="yes"),
    "required-and-bonus": lambda d: _q0(d)["concepts"][0].update(bonus=True),
    "nine-concepts": lambda d: _q0(d)["concepts"].extend(
        {"name": f"extra {n}", "aliases": [f"extra {n}"]} for n in range(6)
    ),
    "padded-probe": lambda d: _q0(d)["follow_ups"][0].update(
        probes=[f" {_q0(d)['concepts'][1]['name']} "]
    ),
    "unknown-probe": lambda d: _q0(d)["follow_ups"][0].update(probes=["nothing like it"]),
    "four-follow-ups": lambda d: _q0(d)["follow_ups"].extend(
        dict(_q0(d)["follow_ups"][0], id=f"more-{n}") for n in range(2)
    ),
    "duplicate-follow-up-id": lambda d: _q0(d)["follow_ups"][1].update(id="zero"),
    "follow-up-bad-id": lambda d: _q0(d)["follow_ups"][1].update(id="Above_One"),
    "padded-seed-ref": lambda d: _q0(d).update(seed_refs=[" 000 Q3 "]),
    "bad-seed-ref": lambda d: _q0(d).update(seed_refs=["Q3"]),
    "empty-seed-refs": lambda d: _q0(d).update(seed_refs=[]),
    "no-misconceptions": lambda d: _q0(d).update(misconceptions=[]),
    "misconception-no-correction": lambda d: _q0(d)["misconceptions"][0].pop("correction"),
    "empty-hint": lambda d: _q0(d).update(hint=""),
    "numeric-hint": lambda d: _q0(d).update(hint=42),
    "padded-prompt": lambda d: _q0(d).update(prompt="  What?  "),
    "topic-matches": lambda d: _q0(d).update(topic="sampling"),
    "topic-differs": lambda d: _q0(d).update(topic="other"),
    "difficulty-capitalised": lambda d: _q0(d).update(difficulty="Easy"),
    "bad-id": lambda d: _q0(d).update(id="Bad_ID"),
    "extra-key": lambda d: _q0(d).update(colour="red"),
    "note": lambda d: _q0(d).update(note="Departs from the seed."),
}


@pytest.mark.parametrize("edit", list(_EDGE_EDITS.values()), ids=list(_EDGE_EDITS))
def test_the_cache_changes_no_verdict_on_edge_values(
    bank_dir: Path, edit: Callable[[dict], object]
) -> None:
    data = copy.deepcopy(_MINI_DATA)
    edit(data)
    _assert_the_cache_changes_nothing(bank_dir, data)
