"""Unit tests of core/bank/ (values, loading, validation, cache).

Every bad bank must come back as one BankError whose problems read ``FILE:LINE: field: message``
with the right line, never as a traceback of another kind. The valid base document is the
complete example in banks/README.md, extracted at test time so the doc and the tests cannot drift.
"""

from __future__ import annotations

import marshal
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
import yaml

from interview_sim import locations
from interview_sim.core import yamlio
from interview_sim.core.bank import (
    DIFFICULTIES,
    MAX_BANK_BYTES,
    Bank,
    BankError,
    Concept,
    FollowUp,
    Problem,
    UnknownQuestionError,
    load_bank,
)

README = locations.bundled_banks_dir() / "README.md"
PROBLEM_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>.+?): (?P<message>.+)$")


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## A complete example\n+```yaml\n(.*?)^```$", text, re.S | re.M)
    assert match, f"{README} no longer has a complete ```yaml example"
    return match.group(1)


EXAMPLE = readme_example()
QID = "dec-beam-search"
GREEDY = "concepts[greedy takes the single most likely token]"


# --------------------------------------------------------------------------- helpers


def line_of(text: str | bytes, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle (in the text as written to disk)."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not found {nth} time(s) in the document"
    return hits[nth - 1]


Q_LINE = line_of(EXAMPLE, f"- id: {QID}")


def edit(text: str, old: str, new: str) -> str:
    """Replace the first occurrence; loud if the README example no longer contains it."""
    assert old in text, f"{old!r} is no longer in the README example"
    return text.replace(old, new, 1)


def replace_key(text: str, key: str, indent: int, replacement: str = "") -> str:
    """Drop `key:` at this indent with its nested block, optionally putting a line in its place."""
    lines = text.splitlines(keepends=True)
    prefix = " " * indent + key + ":"
    start = next((i for i, line in enumerate(lines) if line.startswith(prefix)), None)
    assert start is not None, f"{prefix!r} is no longer in the README example"
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent
    ):
        end += 1
    new = [" " * indent + replacement + "\n"] if replacement else []
    return "".join(lines[:start] + new + lines[end:])


def question_block(text: str = EXAMPLE) -> str:
    return text[text.index(f"  - id: {QID}") :]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_of(paths: Sequence[Path]) -> list[str]:
    """Load, expecting a BankError; every problem must print as FILE:LINE: field: message."""
    with pytest.raises(BankError) as info:
        load_bank(paths)
    problems = info.value.problems
    assert problems, "BankError without problems"
    for problem in problems:
        assert isinstance(problem, Problem)
        assert PROBLEM_RE.match(str(problem)), str(problem)
        assert str(problem) == f"{problem.file}:{problem.line}: {problem.field}: {problem.message}"
    return [str(p) for p in problems]


def assert_problem(
    problems: list[str], file: Path | str, line: int, field: str, message: str
) -> None:
    """One problem names this file and line, a field ending in `field`, and says `message`."""
    for text in problems:
        m = PROBLEM_RE.match(text)
        assert m is not None
        if (
            m["file"] == str(file)
            and int(m["line"]) == line
            and (m["field"] == field or m["field"].endswith("." + field))
            and message in m["message"]
        ):
            return
    listing = "\n".join(problems)
    pytest.fail(f"no problem like {file}:{line}: ...{field}: ...{message}... in:\n{listing}")


# --------------------------------------------------------------------------- bad single files


@dataclass(frozen=True)
class Bad:
    """A broken document, where its problem is (a needle on the right line, or a line number)."""

    make: Callable[[], str | bytes]
    where: str | int | tuple[str, int]
    field: str
    message: str


def _too_many_follow_ups() -> str:
    fu = EXAMPLE[EXAMPLE.index("      - id: open-ended") : EXAMPLE.index("    hint:")]
    extra = "".join(fu.replace("id: open-ended", f"id: extra-{n}") for n in range(3))
    return edit(EXAMPLE, fu, fu + extra)


BAD: dict[str, Bad] = {
    # --- not readable YAML
    "invalid-yaml": Bad(
        lambda: edit(
            EXAMPLE, "prompt: What is beam search, and", "prompt: What is beam search: and"
        ),
        "What is beam search: and",
        "yaml",
        "mapping values are not allowed",
    ),
    "tab-indent": Bad(
        lambda: edit(EXAMPLE, "    difficulty: easy", "\tdifficulty: easy"),
        "\tdifficulty",
        "yaml",
        "tab",
    ),
    "python-object-tag": Bad(
        lambda: edit(EXAMPLE, "difficulty: easy", "difficulty: !!python/object:os.system easy"),
        "!!python/object",
        "yaml",
        "python/object:os.system' tags are not allowed",
    ),
    "python-name-tag": Bad(
        lambda: edit(EXAMPLE, "difficulty: easy", "difficulty: !!python/name:os.system ''"),
        "!!python/name",
        "yaml",
        "python/name:os.system' tags are not allowed",
    ),
    "custom-tag": Bad(
        lambda: edit(EXAMPLE, "difficulty: easy", "difficulty: !custom easy"),
        "!custom",
        "yaml",
        "'!custom' tags are not allowed",
    ),
    "duplicate-key": Bad(  # the first `prompt` would silently be lost
        lambda: edit(EXAMPLE, "    difficulty: easy", "    difficulty: easy\n    prompt: Again?"),
        "prompt: What is beam search",
        "yaml",
        "key 'prompt' appears twice",
    ),
    "nul-byte": Bad(  # a NUL once silently ended the file there
        lambda: edit(EXAMPLE, "title: Decoding", "title: Deco\x00ding"),
        "title: Deco",
        "yaml",
        "control character U+0000",
    ),
    "two-documents": Bad(
        lambda: EXAMPLE + "---\ntopic: other\n",
        "---",
        "yaml",
        "a second YAML document",
    ),
    "number-too-long-for-text": Bad(
        lambda: edit(EXAMPLE, "title: Decoding & sampling", "title: " + "9" * 5000),
        "title: 999",
        "title",
        "over 4,300 digits",
    ),
    "not-utf8": Bad(
        lambda: edit(EXAMPLE, "description: How", "description: Caf\u00e9 How").encode("latin-1"),
        "description:",
        "encoding",
        "not UTF-8",
    ),
    "empty-file": Bad(lambda: "", 1, "file", "empty"),
    "whitespace-only": Bad(lambda: "  \n\n\t\n   \n", 1, "file", "empty"),
    "top-level-list": Bad(
        lambda: "- topic: decoding\n- title: Decoding\n", 1, "file", "must be a mapping"
    ),
    "top-level-text": Bad(lambda: "just some words\n", 1, "file", "must be a mapping"),
    "deeply-nested": Bad(
        lambda: "topic: deep\ntitle: " + "[" * 3000 + "]" * 3000 + "\n",
        2,
        "yaml",
        "nested too deeply",
    ),
    # --- topic keys
    "missing-topic": Bad(
        lambda: replace_key(EXAMPLE, "topic", 0), 1, "topic", "missing required field"
    ),
    "missing-title": Bad(
        lambda: replace_key(EXAMPLE, "title", 0), 1, "title", "missing required field"
    ),
    "missing-questions": Bad(
        lambda: replace_key(EXAMPLE, "questions", 0), 1, "questions", "missing required field"
    ),
    "empty-questions": Bad(
        lambda: replace_key(EXAMPLE, "questions", 0, "questions: []"),
        "questions: []",
        "questions",
        "must not be empty",
    ),
    "bad-topic-id": Bad(
        lambda: edit(EXAMPLE, "topic: decoding", "topic: Decoding Stuff"),
        "topic: Decoding Stuff",
        "topic",
        "lowercase",
    ),
    "unknown-topic-key": Bad(
        lambda: edit(EXAMPLE, "title:", "colour: red\ntitle:"),
        "colour: red",
        "colour",
        "unknown field",
    ),
    # --- question keys
    "missing-id": Bad(
        lambda: edit(EXAMPLE, f"  - id: {QID}\n    difficulty: easy", "  - difficulty: easy"),
        "- difficulty: easy",
        "questions[0].id",
        "missing required field",
    ),
    **{
        f"missing-{key}": Bad(
            lambda key=key: replace_key(EXAMPLE, key, 4),
            f"- id: {QID}",
            f"{QID}.{key}",
            "missing required field",
        )
        for key in ("difficulty", "prompt", "concepts", "follow_ups", "model_answer")
    },
    "empty-prompt": Bad(
        lambda: replace_key(EXAMPLE, "prompt", 4, 'prompt: ""'),
        'prompt: ""',
        f"{QID}.prompt",
        "must not be empty",
    ),
    "empty-concepts": Bad(
        lambda: replace_key(EXAMPLE, "concepts", 4, "concepts: []"),
        "concepts: []",
        f"{QID}.concepts",
        "must not be empty",
    ),
    "empty-model-answer": Bad(
        lambda: replace_key(EXAMPLE, "model_answer", 4, "model_answer: ''"),
        "model_answer: ''",
        f"{QID}.model_answer",
        "must not be empty",
    ),
    "prompt-is-a-list": Bad(
        lambda: replace_key(EXAMPLE, "prompt", 4, "prompt: [a, b]"),
        "prompt: [a, b]",
        f"{QID}.prompt",
        "must be text, not a list",
    ),
    "bad-question-id": Bad(
        lambda: edit(EXAMPLE, f"id: {QID}", "id: Dec_Beam"), "id: Dec_Beam", "id", "lowercase"
    ),
    "unknown-difficulty": Bad(
        lambda: edit(EXAMPLE, "difficulty: easy", "difficulty: extreme"),
        "difficulty: extreme",
        f"{QID}.difficulty",
        "unknown difficulty 'extreme'",
    ),
    "topic-differs-from-file": Bad(
        lambda: edit(EXAMPLE, "    difficulty: easy", "    topic: attention\n    difficulty: easy"),
        "topic: attention",
        f"{QID}.topic",
        "differs from the file's topic",
    ),
    "unknown-question-key": Bad(
        lambda: edit(EXAMPLE, "    difficulty: easy", "    difficulty: easy\n    level: 3"),
        "level: 3",
        "level",
        "unknown field",
    ),
    "seed-ref-without-document": Bad(
        lambda: edit(EXAMPLE, '"000 Q3"', '"Q3"'), '"Q3"', f"{QID}.seed_refs", "'Q3'"
    ),
    "seed-ref-wrong-form": Bad(
        lambda: edit(EXAMPLE, '"003 #11"', '"003 Q11"'),
        '"003 Q11"',
        f"{QID}.seed_refs",
        "'003 Q11'",
    ),
    # --- concepts
    "weight-zero": Bad(
        lambda: edit(EXAMPLE, "weight: 2", "weight: 0"),
        "weight: 0",
        f"{GREEDY}.weight",
        "must be a positive number, not 0",
    ),
    "weight-negative": Bad(
        lambda: edit(EXAMPLE, "weight: 2", "weight: -1.5"),
        "weight: -1.5",
        f"{GREEDY}.weight",
        "must be a positive number, not -1.5",
    ),
    "weight-text": Bad(
        lambda: edit(EXAMPLE, "weight: 2", "weight: heavy"),
        "weight: heavy",
        f"{GREEDY}.weight",
        "must be a positive number, not 'heavy'",
    ),
    "weight-bool": Bad(
        lambda: edit(EXAMPLE, "weight: 2", "weight: true"),
        "weight: true",
        f"{GREEDY}.weight",
        "must be a positive number, not True",
    ),
    "required-and-bonus": Bad(
        lambda: edit(EXAMPLE, "required: true", "required: true\n        bonus: true"),
        "bonus: true",
        f"{GREEDY}.bonus",
        "cannot be both required and bonus",
    ),
    "required-not-bool": Bad(
        lambda: edit(EXAMPLE, "required: true", "required: maybe"),
        "required: maybe",
        f"{GREEDY}.required",
        "must be true or false",
    ),
    "concept-without-aliases": Bad(
        lambda: edit(
            EXAMPLE,
            "        aliases: [greedy, most likely token, highest probability token, argmax]\n",
            "",
        ),
        "- name: greedy takes",
        "aliases",
        "missing required field",
    ),
    "duplicate-concept-name": Bad(
        lambda: edit(
            EXAMPLE,
            "- name: keeps k candidate sequences",
            "- name: greedy takes the single most likely token",
        ),
        ("- name: greedy takes", 2),
        f"{GREEDY}.name",
        "duplicate concept name",
    ),
    "unknown-concept-key": Bad(
        lambda: edit(EXAMPLE, "weight: 2", "weight: 2\n        score: 3"),
        "score: 3",
        "score",
        "unknown field",
    ),
    # --- follow-ups
    "probes-unknown-concept": Bad(
        lambda: edit(
            EXAMPLE, "probes: [keeps k candidate sequences]", "probes: [keeps k sequences]"
        ),
        "probes: [keeps k sequences]",
        f"{QID}.follow_ups[0].probes",
        "'keeps k sequences', which is not a concept of the question",
    ),
    "four-follow-ups": Bad(
        _too_many_follow_ups, "    follow_ups:", f"{QID}.follow_ups", "has 4 follow-ups; at most 3"
    ),
    "empty-follow-ups": Bad(
        lambda: replace_key(EXAMPLE, "follow_ups", 4, "follow_ups: []"),
        "follow_ups: []",
        f"{QID}.follow_ups",
        "must not be empty",
    ),
    "follow-up-missing-prompt": Bad(
        lambda: edit(
            EXAMPLE,
            "        prompt: Why is beam search rarely used for open-ended chat generation?\n",
            "",
        ),
        "- id: open-ended",
        f"{QID}.follow_ups[0].prompt",
        "missing required field",
    ),
    # --- within one file
    "duplicate-id-in-file": Bad(
        lambda: EXAMPLE + question_block(),
        (f"- id: {QID}", 2),
        "questions[1].id",
        f"duplicate id '{QID}' (first at line {Q_LINE})",
    ),
}


@pytest.mark.parametrize("case", list(BAD.values()), ids=list(BAD))
def test_bad_file_is_one_located_problem(case: Bad, tmp_path: Path) -> None:
    content = case.make()
    path = write(tmp_path, "bank.yaml", content)
    where = case.where
    if isinstance(where, tuple):
        line = line_of(content, *where)
    elif isinstance(where, str):
        line = line_of(content, where)
    else:
        line = where
    assert_problem(problems_of([path]), path, line, case.field, case.message)


def test_the_readme_example_is_valid_as_written(tmp_path: Path) -> None:
    load_bank([write(tmp_path, "decoding.yaml", EXAMPLE)])


def test_a_file_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "decoding.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode("utf-8"))
    assert load_bank([path]).question(QID).difficulty == "easy"


def test_python_tags_are_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "pwned"
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command) or 0)
    text = edit(
        EXAMPLE,
        "difficulty: easy",
        f'difficulty: !!python/object/apply:os.system ["touch {marker}"]',
    )
    path = write(tmp_path, "bank.yaml", text)
    problems = problems_of([path])
    assert_problem(
        problems, path, line_of(text, "!!python/object/apply"), "yaml", "tags are not allowed"
    )
    assert calls == []
    assert not marker.exists()


def test_many_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = EXAMPLE
    text = edit(text, "difficulty: easy", "difficulty: extreme")
    text = edit(text, "weight: 2", "weight: 0")
    text = edit(text, "probes: [keeps k candidate sequences]", "probes: [nonsense]")
    text = edit(text, '"000 Q3"', '"Q3"')
    text = edit(text, "title:", "colour: red\ntitle:")
    second = edit(question_block(), f"id: {QID}", "id: dec-second")
    second = replace_key(second, "prompt", 4, "prompt: [a, b]")
    text += second
    path = write(tmp_path, "bank.yaml", text)
    problems = problems_of([path])
    expected = [
        (line_of(text, "colour: red"), "colour", "unknown field"),
        (line_of(text, "difficulty: extreme"), f"{QID}.difficulty", "unknown difficulty"),
        (line_of(text, "weight: 0"), f"{GREEDY}.weight", "positive number"),
        (line_of(text, "probes: [nonsense]"), f"{QID}.follow_ups[0].probes", "'nonsense'"),
        (line_of(text, '"Q3"'), f"{QID}.seed_refs", "'Q3'"),
        (line_of(text, "prompt: [a, b]"), "dec-second.prompt", "must be text"),
    ]
    for line, field, message in expected:
        assert_problem(problems, path, line, field, message)
    assert len(problems) == len(expected), "\n".join(problems)


# --------------------------------------------------------------------------- paths and sizes


def test_duplicate_id_across_files_points_at_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "banks"
    folder.mkdir()
    first = write(folder, "a_first.yaml", EXAMPLE)
    second = write(folder, "b_second.yaml", edit(EXAMPLE, "topic: decoding", "topic: other"))
    problems = problems_of([folder])
    assert problems == [
        f"{second}:{Q_LINE}: id: duplicate id '{QID}' (first defined at {first}:{Q_LINE})"
    ]


def test_folder_without_banks(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a bank", encoding="utf-8")
    assert problems_of([tmp_path]) == [f"{tmp_path}:0: folder: no bank files (*.yaml, *.yml)"]


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert problems_of([missing]) == [f"{missing}:0: path: no such file or folder"]


def test_every_path_is_reported_not_just_the_first(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.yaml", "")
    missing = tmp_path / "nowhere"
    problems = problems_of([missing, empty])
    assert_problem(problems, missing, 0, "path", "no such file")
    assert_problem(problems, empty, 1, "file", "empty")


@pytest.mark.parametrize(
    "size", [MAX_BANK_BYTES + 1, 50 * 1024 * 1024], ids=["one-byte-over", "50mb"]
)
def test_oversized_file_is_rejected_without_reading(
    size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(size)  # sparse: no 50 MB written
    with monkeypatch.context() as m:

        def no_reading(*args: object, **kwargs: object) -> None:
            raise AssertionError("an oversized bank was read")

        for name in ("read_bytes", "read_text", "open"):
            m.setattr(Path, name, no_reading)
        problems = problems_of([path])
    assert len(problems) == 1
    assert_problem(problems, path, 0, "file", "a bank may be at most 5 MB")


# --------------------------------------------------------------------------- valid banks


def test_valid_file_loads_into_the_dataclasses(tmp_path: Path) -> None:
    path = write(tmp_path, "decoding.yaml", EXAMPLE)
    raw = yaml.safe_load(EXAMPLE)
    raw_q = raw["questions"][0]
    assert "topic" not in raw_q, "the README example should show the topic being inherited"

    bank = load_bank([path])

    assert list(bank.topics) == [raw["topic"]]
    topic = bank.topics[raw["topic"]]
    assert (topic.title, topic.description, topic.source) == (
        raw["title"],
        raw["description"],
        str(path),
    )
    q = bank.question(QID)
    assert topic.questions == (q,)
    assert q.topic == raw["topic"]  # inherited from the file
    assert (q.difficulty, q.prompt, q.hint) == (raw_q["difficulty"], raw_q["prompt"], raw_q["hint"])
    assert q.model_answer == raw_q["model_answer"] and "\n" not in q.model_answer
    assert (q.source, q.line) == (str(path), Q_LINE)
    assert q.seed_refs == tuple(raw_q["seed_refs"])
    assert q.concepts == tuple(
        Concept(
            name=c["name"],
            aliases=tuple(c["aliases"]),
            weight=float(c.get("weight", 1)),
            required=c.get("required", False),
            bonus=c.get("bonus", False),
        )
        for c in raw_q["concepts"]
    )
    greedy = q.concepts[0]
    assert isinstance(greedy.aliases, tuple) and isinstance(greedy.weight, float)
    assert (greedy.weight, greedy.required, greedy.bonus) == (2.0, True, False)
    assert any(c.bonus and c.weight == 1.0 for c in q.concepts)  # weight defaults to 1

    [fu] = q.follow_ups
    raw_fu = raw_q["follow_ups"][0]
    assert fu.full_id == f"{QID}/{raw_fu['id']}" == "dec-beam-search/open-ended"
    assert fu.parent_id == QID
    assert fu.probes == tuple(raw_fu["probes"])
    assert [c.name for c in fu.concepts] == [c["name"] for c in raw_fu["concepts"]]
    assert all(isinstance(c.aliases, tuple) for c in fu.concepts)

    [mis] = q.misconceptions
    raw_mis = raw_q["misconceptions"][0]
    assert (mis.statement, mis.aliases, mis.correction) == (
        raw_mis["statement"],
        tuple(raw_mis["aliases"]),
        raw_mis["correction"],
    )

    # one easy question is usable but worth a warning, not an error
    assert [w.field for w in bank.warnings] == ["questions"]
    assert "only 1 easy question" in bank.warnings[0].message


def test_unknown_question_id_suggests_the_nearest(tmp_path: Path) -> None:
    bank = load_bank([write(tmp_path, "decoding.yaml", EXAMPLE)])
    with pytest.raises(UnknownQuestionError) as info:
        bank.question("dec-beam-serch")
    assert isinstance(info.value, KeyError)
    assert info.value.question_id == "dec-beam-serch"
    assert info.value.suggestions[0] == QID
    assert str(info.value) == f"no question with id 'dec-beam-serch' (did you mean: {QID}?)"


@pytest.mark.parametrize(
    ("item_id", "found", "message"),
    [
        pytest.param(QID, QID, None, id="question"),
        pytest.param(f"{QID}/open-ended", f"{QID}/open-ended", None, id="follow-up"),
        pytest.param(
            f"{QID}/open-endd",
            None,
            f"no question with id '{QID}/open-endd' (did you mean: {QID}/open-ended?)",
            id="unknown-follow-up",
        ),
        pytest.param(
            "dec-beam-serch/open-ended",
            None,
            f"no question with id 'dec-beam-serch' (did you mean: {QID}?)",
            id="unknown-question",
        ),
    ],
)
def test_gradable_finds_a_question_or_its_follow_up(
    tmp_path: Path, item_id: str, found: str | None, message: str | None
) -> None:
    bank = load_bank([write(tmp_path, "decoding.yaml", EXAMPLE)])
    if found is not None:
        item = bank.gradable(item_id)
        assert (item.full_id if isinstance(item, FollowUp) else item.id) == found
        return
    with pytest.raises(UnknownQuestionError) as info:
        bank.gradable(item_id)
    assert str(info.value) == message


def _fingerprint(folder: Path, text: str) -> str:
    folder.mkdir()
    return load_bank([write(folder, "decoding.yaml", text)]).question(QID).fingerprint


def test_fingerprint_is_stable_and_changes_with_the_prompt(tmp_path: Path) -> None:
    original = _fingerprint(tmp_path / "a", EXAMPLE)
    again = _fingerprint(tmp_path / "b", EXAMPLE)
    changed = _fingerprint(
        tmp_path / "c",
        edit(EXAMPLE, "how does it differ from greedy", "how does it compare with greedy"),
    )
    assert original == again
    assert changed != original


# --------------------------------------------------------------------------- bundled banks
# These describe the finished bundled banks; they fail while the banks are being written.

SEED_REFS = [f"000 Q{i}" for i in range(1, 51)] + [f"003 #{i}" for i in range(1, 50)]


@cache
def _load_bundled() -> Bank | BankError:
    try:
        return load_bank([locations.bundled_banks_dir()])
    except BankError as exc:
        return exc


def bundled_bank() -> Bank:
    result = _load_bundled()
    if isinstance(result, BankError):
        pytest.fail(f"the bundled banks do not load:\n{result}", pytrace=False)
    return result


def test_bundled_banks_cover_every_seed_ref_exactly_once() -> None:
    owners: dict[str, list[str]] = {}
    for q in bundled_bank().questions():
        for ref in dict.fromkeys(q.seed_refs):
            owners.setdefault(ref, []).append(q.id)
    missing = [ref for ref in SEED_REFS if ref not in owners]
    duplicated = {ref: ids for ref, ids in owners.items() if len(ids) > 1}
    unknown = {ref: ids for ref, ids in owners.items() if ref not in SEED_REFS}
    assert not (missing or duplicated or unknown), (
        f"missing ({len(missing)}): {missing}\n"
        f"in more than one question: {duplicated}\n"
        f"not a seed ref: {unknown}"
    )


def test_bundled_banks_have_enough_topics_and_questions() -> None:
    bank = bundled_bank()
    short = {
        f"{topic.id}/{d}": topic.count_at(d)
        for topic in bank.topics.values()
        for d in DIFFICULTIES
        if 0 < topic.count_at(d) < 5
    }
    assert len(bank.topics) >= 8, f"only {len(bank.topics)} topics: {sorted(bank.topics)}"
    assert not short, f"fewer than 5 questions at a difficulty: {short}"


def test_at_least_a_fifth_of_bundled_questions_are_hard() -> None:
    counts = Counter(q.difficulty for q in bundled_bank().questions())
    total = sum(counts.values())
    assert total and counts["hard"] / total >= 0.2, f"difficulties: {dict(counts)}"


# --------------------------------------------------------------------------- parse cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("INTERVIEW_SIM_CACHE", str(folder))
    return folder


def test_a_second_load_comes_from_the_cache_and_gives_the_same_bank(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = write(tmp_path, "decoding.yaml", EXAMPLE)
    first = list(load_bank([path]).questions())
    assert len(list(cache_dir.iterdir())) == 1
    with mock.patch.object(yamlio, "parse_document", side_effect=AssertionError("parsed")):
        assert list(load_bank([path]).questions()) == first


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path, "decoding.yaml", EXAMPLE)
    load_bank([path])
    path.write_text(edit(EXAMPLE, "difficulty: easy", "difficulty: hard"), encoding="utf-8")
    assert load_bank([path]).question(QID).difficulty == "hard"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage",
        marshal.dumps({"topic": "decoding"}),  # readable, but not this file's data
        marshal.dumps(["not", "a", "bank"]),
    ],
    ids=["empty", "garbage", "other-data", "wrong-shape"],
)
def test_a_damaged_cache_entry_never_changes_the_verdict(
    tmp_path: Path, cache_dir: Path, damage: bytes
) -> None:
    good = write(tmp_path, "decoding.yaml", EXAMPLE)
    (tmp_path / "bad").mkdir()
    bad = write(tmp_path / "bad", "decoding.yaml", edit(EXAMPLE, "weight: 2", "weight: 0"))
    load_bank([good])
    expected = problems_of([bad])
    for entry in cache_dir.iterdir():
        entry.write_bytes(damage)
    assert load_bank([good]).question(QID).prompt.startswith("What is beam search")
    assert problems_of([bad]) == expected
