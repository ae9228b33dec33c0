"""Validation of a parsed bank file: every rule of the format, written once.

Each problem is recorded with the path of the place it concerns, and reported as
``FILE:LINE: field: message``; every problem in the file is reported, not just the first.
"""

from __future__ import annotations

import re
from typing import Any

from interview_sim.core.bank.fields import FieldChecker, number_text, shown
from interview_sim.core.bank.model import (
    DIFFICULTIES,
    MAX_ALIAS_WORDS,
    Concept,
    FollowUp,
    Misconception,
    Problem,
    Question,
    Topic,
)
from interview_sim.core.text import ALIAS_LENGTH_IGNORES

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SEED_REF_RE = re.compile(r"^(000 Q(\d+)|003 #(\d+))$")
_C1_RE = re.compile("[\x80-\x9f]")

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


def validate_topic(file: str, text: str, data: Any) -> tuple[Topic | None, list[Problem]]:
    """The topic of one file's parsed data, and every problem found in it."""
    checker = _Checker(file, text)
    if "\\" in text or _C1_RE.search(text):  # only an escape or a C1 character can make one
        checker.refuse_controls(data, (), "")
        if checker.problems:
            return None, checker.problems
    topic = checker.topic(data)
    return (None if checker.problems else topic), checker.problems


class _Checker(FieldChecker):
    """The format's rules, from the file down to each alias."""

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
                    f'{shown(ref)}: write seed refs as "000 Q3" or "003 #11"',
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
            line=self.lines.of_id(qid),
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
                    f"must be a positive number, not {shown(weight)} (and below 1000)",
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

    def aliases(self, obj: dict[str, Any], path: tuple[Any, ...], label: str) -> tuple[str, ...]:
        raw = self.seq(obj, "aliases", path, label)
        out: list[str] = []
        for k, alias in enumerate(raw):
            text = alias.strip() if type(alias) is str else number_text(alias)
            if not text:
                self.fail(
                    (*path, "aliases", k),
                    f"{label}.aliases[{k}]",
                    f"must be non-empty text, not {shown(alias)}",
                )
                continue
            if len(text.split()) > MAX_ALIAS_WORDS and alias_words(text) > MAX_ALIAS_WORDS:
                self.fail(
                    (*path, "aliases", k),
                    f"{label}.aliases[{k}]",
                    f"{shown(text)} has {alias_words(text)} words; an alias is 1-"
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
                    f"probes {shown(probe)}, which is not a concept of the question "
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


def alias_words(alias: str) -> int:
    """An alias's length as the format counts it (at most MAX_ALIAS_WORDS): the words between
    spaces, except the little words the grader skips when matching (a, the, of, to, ...) and
    the symbols and numbers of a formula ("2 x layers x d" is two words)."""
    return sum(
        1
        for word in alias.split()
        if word.lower() not in ALIAS_LENGTH_IGNORES
        and len(word) > 1
        and any(c.isalpha() for c in word)
    )
