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
    return folder / f"{hashlib.sha256(tag + raw).hexdigest()}.marshal"


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


_CACHE_MAGIC = b"interview-sim bank cache 2\n"
_CACHE_HEADER = len(_CACHE_MAGIC) + 8 + 32  # magic, payload size, payload's SHA-256
_MAX_CACHE_BYTES = 16 * MAX_BANK_BYTES  # a topic's entry is about its file's size


def cached_topic(entry: Path | None, source: str) -> Topic | None:
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


def remember(entry: Path, topic: Topic) -> None:
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
