"""The cache of validated banks: a file that validated once is read back from a marshal entry
keyed by its content, the code that validated it and the Python version, instead of being
parsed and validated again. Caching is an optimisation: any failure here means "not cached".
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from contextlib import suppress
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from interview_sim.core.bank.model import (
    MAX_BANK_BYTES,
    Concept,
    FollowUp,
    Misconception,
    Question,
    Topic,
)

CACHE_ENV = "INTERVIEW_SIM_CACHE"

_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def cache_dir() -> Path | None:
    """Where validated banks are cached; None: off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return Path(setting).expanduser() if setting not in ("", "off", "0") else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "interview-sim" / "banks"


def cache_entry(raw: bytes) -> Path | None:
    """Where a valid file's topic is cached, keyed by the file's content, the code that parsed
    and validated it, and the Python version (marshal is Python's own format); None: off."""
    folder = cache_dir()
    tag = _code_tag()
    if folder is None or tag is None:
        return None
    key = hashlib.sha256(tag)
    key.update(raw)
    return folder / f"{key.hexdigest()}.marshal"


@cache
def _code_tag() -> bytes | None:
    """Changes whenever the parser, the bank package or Python changes, so that a cached topic
    is always what the running code would build from the same file."""
    here = Path(__file__).parent
    try:
        sources = [*sorted(here.glob("*.py")), here.parent / "yamlio.py"]
        code = b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sources)
    except OSError:  # running from somewhere the source cannot be read: no cache
        return None
    version = f"{sys.version_info[0]}.{sys.version_info[1]}|".encode()
    return version + hashlib.sha256(code).digest()


_CACHE_MAGIC = b"interview-sim bank cache 3\n"
# magic, then the summary's and the questions' sizes and SHA-256 digests, then both payloads
_CACHE_HEADER = len(_CACHE_MAGIC) + 2 * (8 + 32)
_MAX_CACHE_BYTES = 16 * MAX_BANK_BYTES  # a topic's entry is about its file's size

# One question in a summary: its id, difficulty and line (what load_bank checks across files).
Row = tuple[str, str, int]


class CachedTopic:
    """A file's topic as its cache entry holds it: the summary (the topic's id, title and
    description, and each question's id, difficulty and line) decoded at once, the questions
    read and decoded only when asked for (checked against their digest and the summary)."""

    __slots__ = ("_at", "_digest", "description", "entry", "id", "rows", "source", "title")

    def __init__(
        self, entry: Path, source: str, summary: Any, at: tuple[int, int], digest: bytes
    ) -> None:
        kind, self.id, self.title, self.description, rows = summary
        if kind != "summary-v1" or not all(isinstance(x, str) for x in summary[1:4]):
            raise ValueError(kind)
        self.rows: tuple[Row, ...] = tuple(
            (qid, difficulty, line) for qid, difficulty, line in rows
        )
        self.entry, self.source = entry, source
        self._at, self._digest = at, digest  # where the questions are: offset, size

    def topic(self) -> Topic | None:
        """The whole topic; None (and the entry deleted) if the entry is gone, or its
        questions were damaged or do not match the summary."""
        offset, size = self._at
        try:
            with open(self.entry, "rb") as fh:
                fh.seek(offset)
                payload = fh.read(size + 1)
        except OSError:
            return None
        if len(payload) == size and hashlib.sha256(payload).digest() == self._digest:
            try:
                topic = _topic_from_plain(marshal.loads(payload), self.source)
            except (ValueError, EOFError, TypeError, IndexError, AttributeError):
                pass  # well-formed but not a topic: another version's, say
            else:
                if (topic.id, topic.title, topic.description) == (
                    self.id,
                    self.title,
                    self.description,
                ) and self.rows == tuple((q.id, q.difficulty, q.line) for q in topic.questions):
                    return topic
        with suppress(OSError):
            self.entry.unlink()
        return None


def cached_part(entry: Path | None, source: str) -> CachedTopic | None:
    """This exact file's topic as it validated before (its questions not yet read); None if
    absent or damaged. Re-validating would cost more than everything else at start-up.

    An entry is decoded only once its sizes and the summary's digest match (the questions'
    digest is checked when they are read): marshal trusts its input, and a single changed
    byte in a length can make it allocate gigabytes. A damaged entry is deleted (the file is
    parsed again and its entry rebuilt)."""
    if entry is None:
        return None
    head = len(_CACHE_MAGIC)
    try:
        with open(entry, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            header = fh.read(_CACHE_HEADER)
            sizes = [int.from_bytes(header[at : at + 8], "big") for at in (head, head + 40)]
            summary = b""
            if (
                header[:head] == _CACHE_MAGIC
                and len(header) == _CACHE_HEADER
                and _CACHE_HEADER + sum(sizes) == size <= _MAX_CACHE_BYTES
            ):
                summary = fh.read(sizes[0])
    except OSError:
        return None
    if summary and hashlib.sha256(summary).digest() == header[head + 8 : head + 40]:
        try:
            at = (_CACHE_HEADER + sizes[0], sizes[1])
            return CachedTopic(entry, source, marshal.loads(summary), at, header[head + 48 :])
        except (ValueError, EOFError, TypeError, IndexError, AttributeError):
            pass
    with suppress(OSError):
        entry.unlink()
    return None


def cached_topic(entry: Path | None, source: str) -> Topic | None:
    """The whole topic this exact file validated into before; None if absent or damaged."""
    part = cached_part(entry, source)
    return None if part is None else part.topic()


def remember(entry: Path, topic: Topic) -> None:
    try:
        summary = marshal.dumps(_summary_to_plain(topic), 2)
        encoded = marshal.dumps(_topic_to_plain(topic), 2)  # version 2: no reference table,
        # twice as fast to write and a quarter faster to read than the default, 25% larger
        header = b"".join(
            [
                _CACHE_MAGIC,
                len(summary).to_bytes(8, "big"),
                hashlib.sha256(summary).digest(),
                len(encoded).to_bytes(8, "big"),
                hashlib.sha256(encoded).digest(),
            ]
        )
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(header + summary + encoded)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass  # caching is an optimisation; never let it fail a load


def _summary_to_plain(topic: Topic) -> tuple[Any, ...]:
    rows = tuple((q.id, q.difficulty, q.line) for q in topic.questions)
    return ("summary-v1", topic.id, topic.title, topic.description, rows)


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
                (
                    qid,
                    topic,
                    difficulty,
                    prompt,
                    concepts(concept_fields),
                    follow_ups,
                    answer,
                    hint,
                    misconceptions,
                    refs,
                    note,
                    source,
                    line,
                ),
            )
        )
    return Topic(topic_id, title, description, tuple(out), source)
