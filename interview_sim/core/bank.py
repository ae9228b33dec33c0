"""Question banks: the domain values, and loading/validating YAML bank files.

Loading is fast-path first: a valid file's questions come from the cache; otherwise the file
is parsed with yaml-rs into plain data and checked by compact functions that accept the usual
valid question; anything else goes through the detailed checker, and only when something is
wrong is the file composed again (PyYAML keeps line marks) to find the line of each problem.
Every problem is reported (not just the first) as ``FILE:LINE: field: message``.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from itertools import chain
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from interview_sim.core.retired import RETIRED_IDS, current_id

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
MAX_BANK_BYTES = 5 * 1024 * 1024
MIN_PER_DIFFICULTY = 5  # an interview asks up to 5 questions of one topic and difficulty
BANK_SUFFIXES = (".yaml", ".yml")
CACHE_ENV = "INTERVIEW_SIM_CACHE"
MAX_ALIAS_WORDS = 5  # banks/README.md: an alias is a short phrase, not a sentence

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# anchored on the newline before the line (twice as fast as ^ with re.M)
_ID_LINE_RE = re.compile(r"\n[ \t]*(?:-[ \t]+)?id:[ \t]*[\'\"]?([a-z0-9-]+)")
_SEED_REF_RE = re.compile(r"^(000 Q(\d+)|003 #(\d+))$")
_C1_RE = re.compile("[\x80-\x9f]")


# --------------------------------------------------------------------------- values


# Concept, Misconception, FollowUp and Question are NamedTuples rather than frozen dataclasses:
# just as immutable, and three times cheaper to build, which matters when every start-up
# validates every question (a 10,000-question bank builds some 60,000 of them). Topic and
# Problem are NamedTuples too, and Bank a plain class: a dataclass is some 1.2 ms to define
# (it compiles generated code), a NamedTuple a sixth of that, and this module is imported at
# start-up.


class Concept(NamedTuple):
    name: str
    aliases: tuple[str, ...]
    weight: float = 1.0
    required: bool = False
    bonus: bool = False


class Misconception(NamedTuple):
    statement: str
    aliases: tuple[str, ...]
    correction: str


class FollowUp(NamedTuple):
    id: str
    parent_id: str
    prompt: str
    probes: tuple[str, ...]
    concepts: tuple[Concept, ...]
    model_answer: str

    @property
    def full_id(self) -> str:
        return f"{self.parent_id}/{self.id}"


class Question(NamedTuple):
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


class Topic(NamedTuple):
    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    source: str

    def count_at(self, difficulty: str) -> int:
        """How many of the topic's questions have this difficulty."""
        return sum(1 for q in self.questions if q.difficulty == difficulty)


class Problem(NamedTuple):
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


class Bank:
    """All loaded topics, with questions indexed by id."""

    __slots__ = ("by_id", "topics", "warnings")

    def __init__(
        self,
        topics: dict[str, Topic] | None = None,
        by_id: dict[str, Question] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        self.topics: dict[str, Topic] = {} if topics is None else topics
        self.by_id: dict[str, Question] = {} if by_id is None else by_id
        self.warnings: list[Problem] = [] if warnings is None else warnings

    def questions(self) -> Iterator[Question]:
        for topic in self.topics.values():
            yield from topic.questions

    def question(self, question_id: str) -> Question:
        """The question with this id; a retired id gives the question it was merged into."""
        try:
            return self.by_id[current_id(question_id)]
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
    with _collector_paused():
        return _load_bank(paths, strict)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of acyclic objects, and each burst of allocations
    would set off a garbage collection pass over all of them (a third of a large load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # the bank lives as long as the program: no later pass need walk it
        if was_enabled:
            gc.enable()


def _load_bank(paths: Iterable[Path], strict: bool) -> Bank:
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
            if q.id in RETIRED_IDS:
                problems.append(
                    Problem(
                        q.source,
                        q.line,
                        "id",
                        f"{q.id!r} is a retired id (merged into {RETIRED_IDS[q.id]!r}) that old "
                        "transcripts still name; choose a new id",
                    )
                )
                continue
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
            n = topic.count_at(difficulty)
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
    entry = _cache_entry(raw)
    cached = _cached_topic(entry, name)
    if cached is not None:
        return cached, []
    try:
        data = yamlio().parse_document(text)
    except yamlio().YamlProblem as exc:
        return None, [Problem(name, exc.line, "yaml", exc.message)]
    checker = _Checker(name, text)
    if "\\" in text or _C1_RE.search(text):  # only an escape or a C1 character can make one
        checker.refuse_controls(data, (), "")
        if checker.problems:
            return None, checker.problems
    topic = checker.topic(data)
    if checker.problems:
        return None, checker.problems
    if entry is not None and topic is not None:
        _remember(entry, topic)
    return topic, []


def yamlio() -> ModuleType:
    """The YAML module, imported when a file is parsed: start-up reads banks from the cache."""
    from interview_sim.core import yamlio as module

    return module


def _cache_dir() -> Path | None:
    """Where parsed banks are cached (it halves a large bank's load time); None: off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return Path(setting).expanduser() if setting not in ("", "off", "0") else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "interview-sim" / "banks"


def _cache_entry(raw: bytes) -> Path | None:
    """Where a valid file's topic is cached, keyed by the file's content, the code that parsed
    and validated it, and the Python version (marshal is Python's own format); None: off."""
    folder = _cache_dir()
    tag = _code_tag()
    if folder is None or tag is None:
        return None
    return folder / f"{hashlib.sha256(tag + raw).hexdigest()}.marshal"


@cache
def _code_tag() -> bytes | None:
    """Changes whenever the parser, this validator or Python changes, so that a cached topic
    is always what the running code would build from the same file."""
    try:
        here = Path(__file__)
        code = here.read_bytes() + here.with_name("yamlio.py").read_bytes()
    except OSError:  # running from somewhere the source cannot be read: no cache
        return None
    version = f"{sys.version_info[0]}.{sys.version_info[1]}|".encode()
    return version + hashlib.sha256(code).digest()


_CACHE_MAGIC = b"interview-sim bank cache 2\n"
_CACHE_HEADER = len(_CACHE_MAGIC) + 8 + 32  # magic, payload size, payload's SHA-256
_MAX_CACHE_BYTES = 16 * MAX_BANK_BYTES  # a topic's entry is about its file's size


def _cached_topic(entry: Path | None, source: str) -> Topic | None:
    """The topic this exact file validated into before; None if absent or damaged.
    Re-validating would cost more than everything else at start-up together.

    An entry is decoded only once its size and digest match: marshal trusts its input, and a
    single changed byte in a length can make it allocate gigabytes. A damaged entry is
    deleted (the file is parsed again and its entry rebuilt)."""
    if entry is None:
        return None
    try:
        with open(entry, "rb") as fh:
            data = fh.read(_MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    head = len(_CACHE_MAGIC)
    if data[:head] == _CACHE_MAGIC and len(data) >= _CACHE_HEADER:
        size, digest = data[head : head + 8], data[head + 8 : _CACHE_HEADER]
        payload = memoryview(data)[_CACHE_HEADER:]
        if int.from_bytes(size, "big") == len(payload) and (
            hashlib.sha256(payload).digest() == digest
        ):
            try:
                return _topic_from_plain(marshal.loads(payload), source)
            except (ValueError, EOFError, TypeError, IndexError, AttributeError):
                pass  # well-formed but not a topic: another version's, say
    with suppress(OSError):
        entry.unlink()
    return None


def _remember(entry: Path, topic: Topic) -> None:
    try:
        encoded = marshal.dumps(_topic_to_plain(topic), 2)  # version 2: no reference table,
        # twice as fast to write and a quarter faster to read than the default, 25% larger
        header = _CACHE_MAGIC + len(encoded).to_bytes(8, "big") + hashlib.sha256(encoded).digest()
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(header + encoded)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass  # caching is an optimisation; never let it fail a load


def _topic_to_plain(topic: Topic) -> tuple[Any, ...]:
    """Plain tuples for marshal (which takes no NamedTuples): each question's own fields, then
    its concepts, follow-ups and misconceptions with their fields run together (one C-level
    pass each rather than a tuple per concept). The file's path is left out."""
    flat = chain.from_iterable
    return (
        "topic-v1",
        topic.id,
        topic.title,
        topic.description,
        tuple(
            (
                (*q[:4], q.model_answer, q.hint, q.seed_refs, q.note, q.line),
                tuple(flat(q.concepts)),
                tuple((*f[:4], f.model_answer, tuple(flat(f.concepts))) for f in q.follow_ups),
                tuple(flat(q.misconceptions)),
            )
            for q in topic.questions
        ),
    )


def _topic_from_plain(plain: Any, source: str) -> Topic:
    """Rebuild a topic from _topic_to_plain's tuples, checking their sizes: anything else
    raises TypeError, ValueError or IndexError."""
    kind, topic_id, title, description, questions = plain
    if kind != "topic-v1":
        raise ValueError(kind)

    def concepts(fields: tuple[Any, ...]) -> tuple[Concept, ...]:
        if len(fields) % 5:
            raise ValueError("concept fields")
        return tuple(_new(Concept, fields[i : i + 5]) for i in range(0, len(fields), 5))

    out: list[Question] = []
    for own, concept_fields, fus, mis in questions:
        qid, topic, difficulty, prompt, answer, hint, refs, note, line = own
        follow_ups = tuple(
            _new(FollowUp, (fid, parent, fprompt, probes, concepts(fields), fanswer))
            for fid, parent, fprompt, probes, fanswer, fields in fus
        )
        if len(mis) % 3:
            raise ValueError("misconception fields")
        misconceptions = tuple(_new(Misconception, mis[i : i + 3]) for i in range(0, len(mis), 3))
        out.append(
            _new(
                Question,
                (qid, topic, difficulty, prompt, concepts(concept_fields), follow_ups, answer,
                 hint, misconceptions, refs, note, source, line),
            )
        )
    return Topic(topic_id, title, description, tuple(out), source)


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
            yaml, SafeLoader = yamlio().yaml_module(), yamlio().safe_loader()
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
        yaml = yamlio().yaml_module()
        self._lines[path] = node.start_mark.line + 1  # type: ignore[index]
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):  # refused by the parser already
                    continue
                for form in _key_forms(key):  # `1:` is the key 1 in the data, "1" here
                    sub = (*path, form)
                    self._index(value, sub)
                    self._lines[sub] = key.start_mark.line + 1  # type: ignore[index]
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*path, i))

    def id_line(self, qid: str) -> int:
        """The line of a question's id, found by a cheap scan rather than a full compose."""
        if self._id_lines is None:
            self._id_lines = {}
            text = "\n" + self.text
            line, pos = 0, 0
            for m in _ID_LINE_RE.finditer(text):
                line += text.count("\n", pos, m.start() + 1)
                pos = m.start() + 1
                self._id_lines.setdefault(m.group(1), line)
        return self._id_lines.get(qid, 0)

    def refuse_controls(self, data: Any, path: tuple[Any, ...], label: str) -> None:
        """Text holding a control character (`"\\e[2J"`, a raw U+009B) would be written to
        the terminal and obeyed wherever the bank is shown: each one is a problem."""
        from interview_sim.core.controls import first_control

        if isinstance(data, str):
            found = first_control(data)
            if found is not None:
                at = self.text.find(found)  # written as itself, PyYAML cannot compose the file
                line = self.text.count("\n", 0, at) + 1 if at >= 0 else self._line_of(path)
                message = f"control character U+{ord(found):04X} is not allowed (a terminal "
                self.problems.append(
                    Problem(self.file, line, label or "file", message + "would obey it)")
                )
        elif isinstance(data, dict):
            for key, value in data.items():
                self.refuse_controls(key, (*path, key), f"{label}.{key}" if label else str(key))
                self.refuse_controls(value, (*path, key), f"{label}.{key}" if label else str(key))
        elif isinstance(data, list):
            for i, value in enumerate(data):
                self.refuse_controls(value, (*path, i), f"{label}[{i}]")

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
        text = _number_text(value)
        if text is None:
            self.fail((*path, key), where, "must be text, not a number of over 4,300 digits")
            return None
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
                name = key if type(key) is str else _shown(key)  # null: None, not "None"
                name = "null" if key is None else name
                self.fail(
                    (*path, key),
                    f"{label}.{name}" if label else name,
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
        valid = _valid_question(raw, topic_id, self.file, self.id_line)
        if valid is not None:  # the common case; anything unusual is explained below
            return valid
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
                    f'{_shown(ref)}: write seed refs as "000 Q3" or "003 #11"',
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
                    f"must be a positive number, not {_shown(weight)} (and below 1000)",
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
            self.fail((*path, key), f"{label}.{key}", f"must be true or false, not {_shown(value)}")
            return False
        return value

    def aliases(self, obj: dict[str, Any], path: tuple[Any, ...], label: str) -> tuple[str, ...]:
        raw = self.seq(obj, "aliases", path, label)
        valid = _valid_aliases(raw)
        if valid is not None:
            return valid  # the common case, checked in one pass
        out: list[str] = []
        for k, alias in enumerate(raw):
            text = None if isinstance(alias, bool) else _number_text(alias)
            if not text:
                self.fail(
                    (*path, "aliases", k),
                    f"{label}.aliases[{k}]",
                    f"must be non-empty text, not {_shown(alias)}",
                )
                continue
            if alias_words(text) > MAX_ALIAS_WORDS:
                self.fail(
                    (*path, "aliases", k),
                    f"{label}.aliases[{k}]",
                    f"{_shown(text)} has {alias_words(text)} words; an alias is 1-"
                    f"{MAX_ALIAS_WORDS} words (not counting a, the, of, to, ...): "
                    "a short phrase, not a sentence",
                )
                continue
            out.append(text)
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
                    f"probes {_shown(probe)}, which is not a concept of the question "
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


# ------------------------------------------------------------ validation, fast path
#
# Every start-up validates every question, so the common case (a valid question) is checked
# by the compact functions below, which build no labels or paths. They accept a subset of
# what _Checker accepts and build the same values; whatever they do not accept goes through
# _Checker, which decides and explains. tests/test_bank_loading.py checks the two agree.


_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def _text(value: Any) -> str | None:
    """A non-empty stripped string, or None."""
    if type(value) is str:
        text: str = value.strip()
        if text:
            return text
    return None


def _optional_text(obj: dict[str, Any], key: str) -> tuple[bool, str | None]:
    value = obj.get(key)
    if value is None:
        return True, None
    text = _text(value)
    return text is not None, text


def alias_words(alias: str) -> int:
    """An alias's length as the format counts it (at most MAX_ALIAS_WORDS): the words between
    spaces, except the little words the grader skips when matching (a, the, of, to, ...) and
    the symbols and numbers of a formula ("2 x layers x d" is two words)."""
    from interview_sim.core.text import STOPWORDS  # only for the rare long alias

    return sum(
        1
        for word in alias.split()
        if word.lower() not in STOPWORDS and len(word) > 1 and any(c.isalpha() for c in word)
    )


def _valid_aliases(raw: Any) -> tuple[str, ...] | None:
    if type(raw) is not list or not raw:
        return None
    for alias in raw:
        if type(alias) is not str or not alias or alias.strip() != alias:
            return None
        # six words take at least eleven characters: most aliases skip the count
        if len(alias) > 10 and alias_words(alias) > MAX_ALIAS_WORDS:
            return None
    return tuple(raw)


def _valid_concepts(raw: Any) -> tuple[Concept, ...] | None:
    if type(raw) is not list or not 0 < len(raw) <= 8:
        return None
    out: list[Concept] = []
    names: set[str] = set()
    for c in raw:
        if type(c) is not dict or not c.keys() <= _CONCEPT_KEYS:
            return None
        name = _text(c.get("name"))
        aliases = _valid_aliases(c.get("aliases"))
        if name is None or name in names or aliases is None:
            return None
        weight = c.get("weight", 1)
        required = c.get("required", False)
        bonus = c.get("bonus", False)
        if (
            type(weight) not in (int, float)
            or not 0 < weight < 1000
            or type(required) is not bool
            or type(bonus) is not bool
            or (required and bonus)
        ):
            return None
        names.add(name)
        out.append(_new(Concept, (name, aliases, float(weight), required, bonus)))
    return tuple(out)


def _valid_follow_ups(raw: Any, parent_id: str, names: set[str]) -> tuple[FollowUp, ...] | None:
    if type(raw) is not list or not 0 < len(raw) <= 3:
        return None
    out: list[FollowUp] = []
    ids: set[str] = set()
    for f in raw:
        if type(f) is not dict or not f.keys() <= _FOLLOW_UP_KEYS:
            return None
        fid = _text(f.get("id"))
        prompt = _text(f.get("prompt"))
        model_answer = _text(f.get("model_answer"))
        probes = f.get("probes")
        concepts = _valid_concepts(f.get("concepts"))
        if (
            fid is None
            or fid in ids
            or not _ID_RE.match(fid)
            or prompt is None
            or model_answer is None
            or concepts is None
            or type(probes) is not list
            or not probes
        ):
            return None
        for probe in probes:
            if type(probe) is not str or probe.strip() not in names:
                return None
        ids.add(fid)
        probes_ = tuple(p.strip() for p in probes)
        out.append(_new(FollowUp, (fid, parent_id, prompt, probes_, concepts, model_answer)))
    return tuple(out)


def _valid_misconceptions(raw: Any) -> tuple[Misconception, ...] | None:
    if raw is None:
        return ()
    if type(raw) is not list:
        return None
    out: list[Misconception] = []
    for m in raw:
        if type(m) is not dict or not m.keys() <= _MISCONCEPTION_KEYS:
            return None
        statement = _text(m.get("statement"))
        correction = _text(m.get("correction"))
        aliases = _valid_aliases(m.get("aliases"))
        if statement is None or correction is None or aliases is None:
            return None
        out.append(_new(Misconception, (statement, aliases, correction)))
    return tuple(out)


def _valid_seed_refs(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if type(raw) is not list:
        return None
    for ref in raw:
        if type(ref) is not str or not _SEED_REF_RE.match(ref.strip()):
            return None
    return tuple(ref.strip() for ref in raw)


def _valid_question(
    raw: Any, topic_id: str, source: str, line_of: Callable[[str], int]
) -> Question | None:
    """The question, if it is valid in the usual way; None means "let _Checker decide"."""
    if type(raw) is not dict or not raw.keys() <= _QUESTION_KEYS:
        return None
    qid = _text(raw.get("id"))
    difficulty = _text(raw.get("difficulty"))
    prompt = _text(raw.get("prompt"))
    model_answer = _text(raw.get("model_answer"))
    if (
        qid is None
        or not _ID_RE.match(qid)
        or difficulty not in DIFFICULTIES
        or prompt is None
        or model_answer is None
    ):
        return None
    topic_ok, topic = _optional_text(raw, "topic")
    hint_ok, hint = _optional_text(raw, "hint")
    note_ok, note = _optional_text(raw, "note")
    if not (topic_ok and hint_ok and note_ok) or (topic is not None and topic != topic_id):
        return None
    concepts = _valid_concepts(raw.get("concepts"))
    if concepts is None:
        return None
    follow_ups = _valid_follow_ups(raw.get("follow_ups"), qid, {c.name for c in concepts})
    misconceptions = _valid_misconceptions(raw.get("misconceptions"))
    seed_refs = _valid_seed_refs(raw.get("seed_refs"))
    if follow_ups is None or misconceptions is None or seed_refs is None:
        return None
    return _new(
        Question,
        (qid, topic_id, difficulty, prompt, concepts, follow_ups, model_answer, hint,
         misconceptions, seed_refs, note, source, line_of(qid)),
    )


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


def _key_forms(key: Any) -> list[Any]:
    """A key node's text, and the value yaml-rs makes of it if that is not the text itself
    (`1`, `null`, `true`, an empty key): the checker's paths hold the parsed values."""
    forms: list[Any] = [key.value]
    if not key.style:  # plain (None or ""), so it may be a number, true/false or null
        import yaml_rs

        try:
            parsed = yaml_rs.loads(f"{key.value or '~'}: 0", parse_datetime=False)
        except (yaml_rs.YAMLDecodeError, ValueError, OverflowError):
            return forms
        typed = next(iter(parsed)) if isinstance(parsed, dict) and len(parsed) == 1 else None
        if typed != key.value or type(typed) is not str:
            forms.append(typed)
    return forms


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


def _number_text(value: Any) -> str | None:
    """Text or a number as stripped text; None for anything else, or for an int too long to
    print (Python refuses over 4,300 digits, and yaml-rs reads such numbers)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        return str(value).strip()
    except ValueError:
        return None


def _shown(value: Any) -> str:
    """A value as it goes into a message: repr, shortened; never raises."""
    try:
        shown = repr(value)
    except ValueError:
        return f"a {type(value).__name__} too long to show"
    return shown if len(shown) <= 60 else shown[:57] + "..."
