"""Finding bank files and loading them: each file is read, parsed and validated (or read back
from the cache), then the topics are merged and ids checked across files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from interview_sim.core.bank.cache import cache_entry, cached_topic, remember
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
    entry = cache_entry(raw)
    cached = cached_topic(entry, name)
    if cached is not None:
        return cached, []
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
