"""Question banks: the domain values, and loading/validating YAML bank files.

Loading is fast-path first: the file is parsed with PyYAML's C loader into plain data and
validated; only when something is wrong is the file composed again to find the line of each
problem. Every problem is reported (not just the first) as ``FILE:LINE: field: message``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interview_sim.core import yamlio

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
MAX_BANK_BYTES = 5 * 1024 * 1024
MIN_PER_DIFFICULTY = 5  # an interview asks up to 5 questions of one topic and difficulty
BANK_SUFFIXES = (".yaml", ".yml")
CACHE_ENV = "INTERVIEW_SIM_CACHE"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID_LINE_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*[\'\"]?([a-z0-9-]+)", re.M)
_SEED_REF_RE = re.compile(r"^(000 Q(\d+)|003 #(\d+))$")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    aliases: tuple[str, ...]
    weight: float = 1.0
    required: bool = False
    bonus: bool = False


@dataclass(frozen=True, slots=True)
class Misconception:
    statement: str
    aliases: tuple[str, ...]
    correction: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: str
    parent_id: str
    prompt: str
    probes: tuple[str, ...]
    concepts: tuple[Concept, ...]
    model_answer: str

    @property
    def full_id(self) -> str:
        return f"{self.parent_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    topic: str
    difficulty: str
    prompt: str
    concepts: tuple[Concept, ...]
    follow_ups: tuple[FollowUp, ...]
    model_answer: str
    hint: str | None = None
    misconceptions: tuple[Misconception, ...] = ()
    seed_refs: tuple[str, ...] = ()
    note: str | None = None
    source: str = ""
    line: int = 0

    @property
    def fingerprint(self) -> str:
        """Changes whenever what is asked or how it is graded changes (stored in transcripts)."""
        parts = [self.prompt, self.model_answer]
        for concept in self.concepts:
            parts.append(f"{concept.name}|{concept.weight}|{concept.required}|{concept.bonus}")
            parts.extend(concept.aliases)
        for fu in self.follow_ups:
            parts.append(f"{fu.id}|{fu.prompt}")
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    source: str

    def count(self, difficulty: str) -> int:
        return sum(1 for q in self.questions if q.difficulty == difficulty)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank file, located as precisely as we can."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class BankError(Exception):
    """Raised when banks cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownQuestionError(KeyError):
    """An id that no loaded bank has; carries the nearest ids to suggest."""

    def __init__(self, question_id: str, suggestions: Sequence[str]) -> None:
        self.question_id = question_id
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no question with id {question_id!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(slots=True)
class Bank:
    """All loaded topics, with questions indexed by id."""

    topics: dict[str, Topic] = field(default_factory=dict)
    by_id: dict[str, Question] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def questions(self) -> Iterator[Question]:
        for topic in self.topics.values():
            yield from topic.questions

    def question(self, question_id: str) -> Question:
        try:
            return self.by_id[question_id]
        except KeyError:
            raise UnknownQuestionError(question_id, self.nearest_ids(question_id)) from None

    def nearest_ids(self, question_id: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        found = process.extract(question_id, list(self.by_id), scorer=fuzz.WRatio, limit=limit)
        return [choice for choice, score, _ in found if score >= 50]


# --------------------------------------------------------------------------- loading


def bank_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into bank files; a folder with no banks is itself a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file())
            if not found:
                problems.append(Problem(str(path), 0, "folder", "no bank files (*.yaml, *.yml)"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, "path", "no such file or folder"))
    return files, problems


def load_bank(paths: Iterable[Path], *, strict: bool = True) -> Bank:
    """Load and validate bank files/folders. Raises BankError listing every problem."""
    files, problems = bank_files(paths)
    bank = Bank()
    first_seen: dict[str, Question] = {}
    for path in files:
        topic, file_problems = load_topic_file(path)
        problems.extend(file_problems)
        if topic is None:
            continue
        kept: list[Question] = []
        for q in topic.questions:
            if q.id in first_seen:
                other = first_seen[q.id]
                problems.append(
                    Problem(
                        q.source,
                        q.line,
                        "id",
                        f"duplicate id {q.id!r} (first defined at {other.source}:{other.line})",
                    )
                )
                continue
            first_seen[q.id] = q
            kept.append(q)
        if topic.id in bank.topics:  # a user's folder may add questions to a bundled topic
            merged = bank.topics[topic.id]
            topic = Topic(
                merged.id,
                merged.title,
                merged.description,
                merged.questions + tuple(kept),
                merged.source,
            )
        else:
            topic = Topic(topic.id, topic.title, topic.description, tuple(kept), topic.source)
        bank.topics[topic.id] = topic
        for q in kept:
            bank.by_id[q.id] = q
    if problems and strict:
        raise BankError(problems)
    for topic in bank.topics.values():
        for difficulty in DIFFICULTIES:
            n = topic.count(difficulty)
            if 0 < n < MIN_PER_DIFFICULTY:
                bank.warnings.append(
                    Problem(
                        topic.source,
                        1,
                        "questions",
                        f"topic {topic.id!r} has only {n} {difficulty} question(s); "
                        f"an interview of 5 {difficulty} questions on it alone is not possible",
                    )
                )
    return bank


def load_topic_file(path: Path) -> tuple[Topic | None, list[Problem]]:
    """Read, parse and validate one bank file. Never raises for bad content."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(name, 0, "file", f"cannot read: {exc.strerror}")]
    if size > MAX_BANK_BYTES:
        return None, [
            Problem(
                name,
                0,
                "file",
                f"file is {size / 1e6:.1f} MB; a bank may be at most "
                f"{MAX_BANK_BYTES // (1024 * 1024)} MB",
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 0, "file", f"cannot read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                name,
                line,
                "encoding",
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8",
            )
        ]
    if not text.strip():
        return None, [Problem(name, 1, "file", "file is empty")]
    try:
        data = _parse_cached(text, raw)
    except Exception as exc:  # PyYAML was imported by the parse, so its errors can be named
        return None, [_parse_problem(name, text, exc)]
    checker = _Checker(name, text)
    topic = checker.topic(data)
    return (topic if not checker.problems else None), checker.problems


def _parse_problem(name: str, text: str, exc: Exception) -> Problem:
    yaml = yamlio.yaml_module()
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = exc.problem or "invalid YAML"
        if "could not determine a constructor" in what:
            what = f"{what.split('for the tag')[-1].strip()} tags are not allowed (only plain YAML)"
        return Problem(name, line, "yaml", what)
    if isinstance(exc, yaml.YAMLError):
        return Problem(name, 0, "yaml", str(exc))
    if isinstance(exc, RecursionError):  # PyYAML builds nested values recursively
        return Problem(name, 1, "yaml", "values are nested too deeply")
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError, OverflowError)):
        # PyYAML's own constructors fail this way on values like "!!int x" or "2026-13-01"
        line, value = _bad_scalar(text)
        return Problem(
            name, line, "yaml", f"cannot read the value {value!r} ({type(exc).__name__}: {exc})"
        )
    raise exc


def _bad_scalar(text: str) -> tuple[int, str]:
    """Find the first scalar that PyYAML parses but cannot turn into a value."""
    yaml, SafeLoader = yamlio.yaml_module(), yamlio.safe_loader()
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return 0, "?"
    stack = [root] if root is not None else []
    constructor = yaml.SafeLoader("")
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except Exception:  # whatever PyYAML raises, this is the culprit
                return node.start_mark.line + 1, str(node.value)[:40]
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 0, "?"


def _cache_dir() -> Path | None:
    """Where parsed banks are cached as JSON (YAML parsing dominates start-up); None: off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return Path(setting).expanduser() if setting not in ("", "off", "0") else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "interview-sim" / "banks"


def _parse_cached(text: str, raw: bytes) -> Any:
    """yaml.load, remembered by content hash. Only data that survives JSON exactly is cached,
    and the cached data is validated like freshly parsed data, so a cache can never make a
    bad bank pass."""
    folder = _cache_dir()
    entry = folder / f"{hashlib.sha256(raw).hexdigest()}.json" if folder else None
    if entry is not None:
        try:
            return json.loads(entry.read_bytes())
        except (OSError, ValueError):
            pass
    data = yamlio.load(text)
    if entry is not None:
        try:
            encoded = json.dumps(data, ensure_ascii=False)
            if json.loads(encoded) == data:
                entry.parent.mkdir(parents=True, exist_ok=True)
                tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
                tmp.write_text(encoded, encoding="utf-8")
                os.replace(tmp, entry)
        except (OSError, TypeError, ValueError, RecursionError):
            pass  # caching is an optimisation; never let it fail a load
    return data


# --------------------------------------------------------------------------- validation


class _Checker:
    """Validates parsed data, recording problems by path; lines are looked up only if needed."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.problems: list[Problem] = []
        self._lines: dict[tuple[Any, ...], int] | None = None
        self._id_lines: dict[str, int] | None = None

    # -- problem recording
    def fail(self, path: tuple[Any, ...], fieldname: str, message: str) -> None:
        self.problems.append(Problem(self.file, self._line_of(path), fieldname, message))

    def _line_of(self, path: tuple[Any, ...]) -> int:
        if self._lines is None:
            self._lines = {}
            yaml, SafeLoader = yamlio.yaml_module(), yamlio.safe_loader()
            try:
                root = yaml.compose(self.text, Loader=SafeLoader)
                if root is not None:
                    self._index(root, ())
            except (yaml.YAMLError, RecursionError):  # keep whatever lines were indexed
                pass
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)

    def _index(self, node: Any, path: tuple[Any, ...]) -> None:
        yaml = yamlio.yaml_module()
        self._lines[path] = node.start_mark.line + 1  # type: ignore[index]
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                self._index(value, sub)
                self._lines[sub] = key.start_mark.line + 1  # type: ignore[index]
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*path, i))

    def id_line(self, qid: str) -> int:
        """The line of a question's id, found by a cheap scan rather than a full compose."""
        if self._id_lines is None:
            self._id_lines = {}
            line, pos = 1, 0
            for m in _ID_LINE_RE.finditer(self.text):
                line += self.text.count("\n", pos, m.start())
                pos = m.start()
                self._id_lines.setdefault(m.group(1), line)
        return self._id_lines.get(qid, 0)

    # -- field helpers
    def text_field(
        self,
        obj: dict[str, Any],
        key: str,
        path: tuple[Any, ...],
        label: str,
        *,
        required: bool = True,
    ) -> str | None:
        """A non-empty text value; ``label`` is the owner's label (the field's is built on
        failure only: validation runs on every start-up)."""
        value = obj.get(key)
        if type(value) is str:
            stripped = value.strip()
            if stripped:
                return stripped
        where = f"{label}.{key}" if label else key
        if value is None:
            if required:
                self.fail((*path, key) if key in obj else path, where, "missing required field")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail((*path, key), where, f"must be text, not {_kind(value)}")
            return None
        text = str(value).strip()
        if not text:
            self.fail((*path, key), where, "must not be empty")
            return None
        return text

    def mapping(self, value: Any, path: tuple[Any, ...], label: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, label, f"must be a mapping of keys to values, not {_kind(value)}")
            return None
        return value

    def seq(
        self,
        obj: dict[str, Any],
        key: str,
        path: tuple[Any, ...],
        label: str,
        *,
        required: bool = True,
    ) -> list[Any]:
        value = obj.get(key)
        if type(value) is list and (value or not required):
            return value
        where = f"{label}.{key}" if label else key
        if value is None:
            if required:
                self.fail((*path, key) if key in obj else path, where, "missing required field")
            return []
        if not isinstance(value, list):
            self.fail((*path, key), where, f"must be a list, not {_kind(value)}")
            return []
        self.fail((*path, key), where, "must not be empty")
        return value

    def unknown_keys(
        self, obj: dict[str, Any], allowed: frozenset[str], path: tuple[Any, ...], label: str
    ) -> None:
        if obj.keys() <= allowed:
            return
        for key in obj:
            if key not in allowed:
                self.fail(
                    (*path, key),
                    f"{label}.{key}" if label else str(key),
                    f"unknown field (allowed: {', '.join(sorted(allowed))})",
                )

    # -- structure
    def topic(self, data: Any) -> Topic | None:
        root = self.mapping(data, (), "file")
        if root is None:
            return None
        self.unknown_keys(root, _TOPIC_KEYS, (), "")
        topic_id = self.text_field(root, "topic", (), "")
        if topic_id is not None and not _TOPIC_RE.match(topic_id):
            self.fail(("topic",), "topic", f"{topic_id!r}: use lowercase letters, digits, - or _")
        title = self.text_field(root, "title", (), "") or ""
        description = self.text_field(root, "description", (), "", required=False) or ""
        questions: list[Question] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(self.seq(root, "questions", (), "")):
            q = self.question(raw, ("questions", i), f"questions[{i}]", topic_id or "")
            if q is None:
                continue
            if q.id in seen:
                self.fail(
                    ("questions", i, "id"),
                    f"questions[{i}].id",
                    f"duplicate id {q.id!r} (first at line {seen[q.id]})",
                )
                continue
            seen[q.id] = q.line
            questions.append(q)
        return Topic(topic_id or "", title, description, tuple(questions), self.file)

    def question(
        self, raw: Any, path: tuple[Any, ...], label: str, topic_id: str
    ) -> Question | None:
        obj = self.mapping(raw, path, label)
        if obj is None:
            return None
        n_before = len(self.problems)
        self.unknown_keys(obj, _QUESTION_KEYS, path, label)
        qid = self.text_field(obj, "id", path, label)
        if qid is not None:
            label = qid
            if not _ID_RE.match(qid):
                self.fail((*path, "id"), "id", f"{qid!r}: use lowercase letters, digits and -")
        topic = self.text_field(obj, "topic", path, label, required=False)
        if topic is not None and topic_id and topic != topic_id:
            self.fail(
                (*path, "topic"),
                f"{label}.topic",
                f"{topic!r} differs from the file's topic {topic_id!r}",
            )
        difficulty = self.text_field(obj, "difficulty", path, label)
        if difficulty is not None and difficulty not in DIFFICULTIES:
            self.fail(
                (*path, "difficulty"),
                f"{label}.difficulty",
                f"unknown difficulty {difficulty!r} (use easy, medium or hard)",
            )
        prompt = self.text_field(obj, "prompt", path, label)
        model_answer = self.text_field(obj, "model_answer", path, label)
        hint = self.text_field(obj, "hint", path, label, required=False)
        note = self.text_field(obj, "note", path, label, required=False)
        concepts = self.concepts(obj, path, label)
        names = {c.name for c in concepts}
        follow_ups: list[FollowUp] = []
        raw_fus = self.seq(obj, "follow_ups", path, label)
        if len(raw_fus) > 3:
            self.fail(
                (*path, "follow_ups"),
                f"{label}.follow_ups",
                f"has {len(raw_fus)} follow-ups; at most 3",
            )
        fu_ids: set[str] = set()
        for j, raw_fu in enumerate(raw_fus):
            fu = self.follow_up(
                raw_fu, (*path, "follow_ups", j), f"{label}.follow_ups[{j}]", qid or "", names
            )
            if fu is None:
                continue
            if fu.id in fu_ids:
                self.fail(
                    (*path, "follow_ups", j, "id"),
                    f"{label}.follow_ups[{j}].id",
                    f"duplicate follow-up id {fu.id!r}",
                )
            fu_ids.add(fu.id)
            follow_ups.append(fu)
        misconceptions: list[Misconception] = []
        for j, raw_m in enumerate(self.seq(obj, "misconceptions", path, label, required=False)):
            m = self.misconception(
                raw_m, (*path, "misconceptions", j), f"{label}.misconceptions[{j}]"
            )
            if m is not None:
                misconceptions.append(m)
        seed_refs: list[str] = []
        for j, ref in enumerate(self.seq(obj, "seed_refs", path, label, required=False)):
            if not isinstance(ref, str) or not _SEED_REF_RE.match(ref.strip()):
                self.fail(
                    (*path, "seed_refs", j),
                    f"{label}.seed_refs",
                    f'{ref!r}: write seed refs as "000 Q3" or "003 #11"',
                )
                continue
            seed_refs.append(ref.strip())
        if len(self.problems) > n_before or qid is None:
            return None
        assert prompt and model_answer and difficulty
        return Question(
            id=qid,
            topic=topic_id,
            difficulty=difficulty,
            prompt=prompt,
            concepts=tuple(concepts),
            follow_ups=tuple(follow_ups),
            model_answer=model_answer,
            hint=hint,
            misconceptions=tuple(misconceptions),
            seed_refs=tuple(seed_refs),
            note=note,
            source=self.file,
            line=self.id_line(qid),
        )

    def concepts(self, obj: dict[str, Any], path: tuple[Any, ...], label: str) -> list[Concept]:
        raw_list = self.seq(obj, "concepts", path, label)
        if len(raw_list) > 8:
            self.fail(
                (*path, "concepts"), f"{label}.concepts", f"has {len(raw_list)} concepts; at most 8"
            )
        concepts: list[Concept] = []
        names: set[str] = set()
        for k, raw in enumerate(raw_list):
            cpath = (*path, "concepts", k)
            name_value = raw.get("name") if isinstance(raw, dict) else None
            clabel = f"{label}.concepts[{name_value if isinstance(name_value, str) else k}]"
            c = self.mapping(raw, cpath, clabel)
            if c is None:
                continue
            if not c.keys() <= _CONCEPT_KEYS:
                self.unknown_keys(c, _CONCEPT_KEYS, cpath, clabel)
            name = self.text_field(c, "name", cpath, clabel)
            if name is not None:
                if name in names:
                    self.fail((*cpath, "name"), f"{clabel}.name", "duplicate concept name")
                names.add(name)
            weight = c.get("weight", 1)
            if (
                isinstance(weight, bool)
                or not isinstance(weight, (int, float))
                or not 0 < weight < 1000
            ):  # also rejects NaN, infinity and huge numbers
                self.fail(
                    (*cpath, "weight"),
                    f"{clabel}.weight",
                    f"must be a positive number, not {weight!r} (and below 1000)",
                )
                weight = 1
            required = self.flag(c, "required", cpath, clabel)
            bonus = self.flag(c, "bonus", cpath, clabel)
            if required and bonus:
                self.fail(
                    (*cpath, "bonus"),
                    f"{clabel}.bonus",
                    "a concept cannot be both required and bonus",
                )
            aliases = self.aliases(c, cpath, clabel)
            if name is not None and aliases:
                concepts.append(Concept(name, aliases, float(weight), required, bonus))
        return concepts

    def flag(self, obj: dict[str, Any], key: str, path: tuple[Any, ...], label: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail((*path, key), f"{label}.{key}", f"must be true or false, not {value!r}")
            return False
        return value

    def aliases(self, obj: dict[str, Any], path: tuple[Any, ...], label: str) -> tuple[str, ...]:
        raw = self.seq(obj, "aliases", path, label)
        if all(type(a) is str and a.strip() == a and a for a in raw):
            return tuple(raw)  # the common case, checked in one pass
        out: list[str] = []
        for k, alias in enumerate(raw):
            if (
                isinstance(alias, bool)
                or not isinstance(alias, (str, int, float))
                or not str(alias).strip()
            ):
                self.fail(
                    (*path, "aliases", k),
                    f"{label}.aliases[{k}]",
                    f"must be non-empty text, not {alias!r}",
                )
                continue
            out.append(str(alias).strip())
        return tuple(out)

    def follow_up(
        self, raw: Any, path: tuple[Any, ...], label: str, parent_id: str, parent_concepts: set[str]
    ) -> FollowUp | None:
        obj = self.mapping(raw, path, label)
        if obj is None:
            return None
        n_before = len(self.problems)
        self.unknown_keys(obj, _FOLLOW_UP_KEYS, path, label)
        fid = self.text_field(obj, "id", path, label)
        if fid is not None and not _ID_RE.match(fid):
            self.fail((*path, "id"), f"{label}.id", f"{fid!r}: use lowercase letters, digits and -")
        prompt = self.text_field(obj, "prompt", path, label)
        model_answer = self.text_field(obj, "model_answer", path, label)
        probes: list[str] = []
        for k, probe in enumerate(self.seq(obj, "probes", path, label)):
            if not isinstance(probe, str) or probe.strip() not in parent_concepts:
                known = "; ".join(sorted(parent_concepts)) or "none"
                self.fail(
                    (*path, "probes", k),
                    f"{label}.probes",
                    f"probes {probe!r}, which is not a concept of the question "
                    f"(its concepts: {known})",
                )
                continue
            probes.append(probe.strip())
        concepts = self.concepts(obj, path, label)
        if len(self.problems) > n_before or fid is None:
            return None
        assert prompt and model_answer
        return FollowUp(fid, parent_id, prompt, tuple(probes), tuple(concepts), model_answer)

    def misconception(self, raw: Any, path: tuple[Any, ...], label: str) -> Misconception | None:
        obj = self.mapping(raw, path, label)
        if obj is None:
            return None
        self.unknown_keys(obj, _MISCONCEPTION_KEYS, path, label)
        statement = self.text_field(obj, "statement", path, label)
        correction = self.text_field(obj, "correction", path, label)
        aliases = self.aliases(obj, path, label)
        if statement is None or correction is None or not aliases:
            return None
        return Misconception(statement, aliases, correction)


_TOPIC_KEYS = frozenset({"topic", "title", "description", "questions"})
_QUESTION_KEYS = frozenset(
    {
        "id",
        "topic",
        "difficulty",
        "prompt",
        "concepts",
        "follow_ups",
        "hint",
        "model_answer",
        "misconceptions",
        "seed_refs",
        "note",
    }
)
_CONCEPT_KEYS = frozenset({"name", "weight", "required", "bonus", "aliases"})
_FOLLOW_UP_KEYS = frozenset({"id", "prompt", "probes", "concepts", "model_answer"})
_MISCONCEPTION_KEYS = frozenset({"statement", "aliases", "correction"})


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
