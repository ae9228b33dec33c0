"""Finding bank files and loading them: each file is read, parsed and validated (or read back
from the cache), then the topics are merged and ids checked across files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from types import ModuleType

from interview_sim.core.bank.cache import CachedTopic, cache_entry, cached_part, remember
from interview_sim.core.bank.model import (
    BANK_SUFFIXES,
    DIFFICULTIES,
    MAX_BANK_BYTES,
    MIN_PER_DIFFICULTY,
    Bank,
    BankError,
    Problem,
    Question,
    Topic,
    TopicSummary,
)
from interview_sim.core.retired import RETIRED_IDS


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
    # A file named twice (a bundled bank passed again as `banks validate banks/decoding.yaml`)
    # is one bank, not two that share every id.
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


def load_bank(paths: Iterable[Path], *, strict: bool = True) -> Bank:
    """Load and validate bank files/folders. Raises BankError listing every problem.

    Every check is made here, from the files' summaries; the questions of files read from the
    cache are decoded when the bank is first asked for them (Bank.topics, by_id)."""
    files, problems = bank_files(paths)
    parts: list[tuple[_File, list[int]]] = []  # each valid file, and the questions it keeps
    first_seen: dict[str, tuple[str, int]] = {}
    summaries: dict[str, TopicSummary] = {}
    for path in files:
        part, file_problems = _load_file(path)
        problems.extend(file_problems)
        if part is None:
            continue
        kept: list[int] = []
        counts = dict.fromkeys(DIFFICULTIES, 0)
        for index, (qid, difficulty, line) in enumerate(part.rows):
            if qid in RETIRED_IDS:
                problems.append(
                    Problem(
                        part.source,
                        line,
                        "id",
                        f"{qid!r} is a retired id (merged into {RETIRED_IDS[qid]!r}) that old "
                        "transcripts still name; choose a new id",
                    )
                )
                continue
            if qid in first_seen:
                source, first_line = first_seen[qid]
                problems.append(
                    Problem(
                        part.source,
                        line,
                        "id",
                        f"duplicate id {qid!r} (first defined at {source}:{first_line})",
                    )
                )
                continue
            first_seen[qid] = (part.source, line)
            kept.append(index)
            counts[difficulty] += 1
        parts.append((part, kept))
        merged = summaries.get(part.id)  # a user's folder may add questions to a bundled topic
        if merged is not None:
            total = tuple(a + b for a, b in zip(merged.counts, counts.values(), strict=True))
            summaries[part.id] = merged._replace(counts=total)
        else:
            summaries[part.id] = TopicSummary(
                part.id, part.title, part.description, tuple(counts.values())
            )
    if problems and strict:
        raise BankError(problems)
    warnings: list[Problem] = []
    sources = {part.id: part.source for part, _ in reversed(parts)}  # each topic's first file
    for summary in summaries.values():
        for difficulty in DIFFICULTIES:
            n = summary.count_at(difficulty)
            if 0 < n < MIN_PER_DIFFICULTY:
                warnings.append(
                    Problem(
                        sources[summary.id],
                        1,
                        "questions",
                        f"topic {summary.id!r} has only {n} {difficulty} question(s); "
                        f"an interview of 5 {difficulty} questions on it alone is not possible",
                    )
                )
    return Bank.deferred(summaries, partial(_assemble, parts), warnings)


def _assemble(parts: list[tuple[_File, list[int]]]) -> tuple[dict[str, Topic], dict[str, Question]]:
    """The topics (merged across files, in file order) and the questions by id."""
    topics: dict[str, Topic] = {}
    by_id: dict[str, Question] = {}
    for part, kept in parts:
        topic = part.topic()
        questions = topic.questions
        if len(kept) != len(questions):
            questions = tuple(questions[i] for i in kept)
        merged = topics.get(topic.id)
        if merged is not None:
            topic = merged._replace(questions=merged.questions + questions)
        else:
            topic = topic._replace(questions=questions)
        topics[topic.id] = topic
        for q in questions:
            by_id[q.id] = q
    return topics, by_id


class _File:
    """One valid bank file's topic: whole (just validated) or still in its cache entry, with
    the summary load_bank checks (each question's id, difficulty and line)."""

    __slots__ = ("_cached", "_raw", "_topic", "description", "id", "rows", "source", "title")

    def __init__(self, topic: Topic | CachedTopic, raw: bytes = b"") -> None:
        self.id, self.title, self.description = topic.id, topic.title, topic.description
        self.source = topic.source
        self._raw = raw  # what start-up read: if the entry is gone or damaged by then
        self._topic: Topic | None = None
        self._cached: CachedTopic | None = None
        if isinstance(topic, CachedTopic):
            self._cached, self.rows = topic, topic.rows
        else:
            self._topic = topic
            self.rows = tuple((q.id, q.difficulty, q.line) for q in topic.questions)

    def topic(self) -> Topic:
        if self._topic is None:
            cached, self._cached = self._cached, None
            assert cached is not None
            topic = cached.topic()
            if topic is None:  # its entry is gone or damaged: the file as start-up read it
                topic, problems = _validate(self.source, self._raw.decode("utf-8"), cached.entry)
                if topic is None:
                    raise BankError(problems)
            self._topic, self._raw = topic, b""
        return self._topic


def load_topic_file(path: Path) -> tuple[Topic | None, list[Problem]]:
    """Read, parse and validate one bank file. Never raises for bad content."""
    part, problems = _load_file(path)
    return (None if part is None else part.topic()), problems


def _load_file(path: Path) -> tuple[_File | None, list[Problem]]:
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
    entry = cache_entry(raw)
    cached = cached_part(entry, name)  # only valid files have entries: no need to decode
    if cached is not None:
        return _File(cached, raw), []
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
    topic, problems = _validate(name, text, entry)
    return (None if topic is None else _File(topic)), problems


def _validate(
    name: str, text: str, entry: Path | None = None
) -> tuple[Topic | None, list[Problem]]:
    """Parse and validate a file's text; a valid topic is cached in ``entry``."""
    from interview_sim.core.bank.validate import validate_topic  # not needed from the cache

    try:
        data = yamlio().parse_document(text)
    except yamlio().YamlProblem as exc:
        return None, [Problem(name, exc.line, "yaml", exc.message)]
    topic, problems = validate_topic(name, text, data)
    if problems or topic is None:
        return None, problems
    if entry is not None:
        remember(entry, topic)
    return topic, []


def yamlio() -> ModuleType:
    """The YAML module, imported when a file is parsed: start-up reads banks from the cache."""
    from interview_sim.core import yamlio as module

    return module
