"""The field-level checks a bank file's rules are built from: recording a problem at a
place, text, lists, mappings, flags, unknown keys and control characters."""

from __future__ import annotations

from typing import Any

from interview_sim.core.bank.lines import Lines
from interview_sim.core.bank.model import Problem
from interview_sim.core.printable import first_control


class FieldChecker:
    """Validates parsed data, recording problems by path; lines are looked up only if needed."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = Lines(text)
        self.problems: list[Problem] = []

    def fail(self, path: tuple[Any, ...], fieldname: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.lines.of(path), fieldname, message))

    def refuse_controls(self, data: Any, path: tuple[Any, ...], label: str) -> None:
        """Text holding a control character (`"\\e[2J"`, a raw U+009B) would be written to
        the terminal and obeyed wherever the bank is shown: each one is a problem."""
        if isinstance(data, str):
            found = first_control(data)
            if found is not None:
                line = self.lines.of_text(found, path)  # PyYAML cannot compose a raw one
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
        """A non-empty text value; ``label`` is the owner's label (the field's own is built
        only for a problem)."""
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
            self.fail((*path, key), where, f"must be text, not {kind(value)}")
            return None
        text = number_text(value)
        if text is None:
            self.fail((*path, key), where, "must be text, not a number of over 4,300 digits")
            return None
        if not text:
            self.fail((*path, key), where, "must not be empty")
            return None
        return text

    def mapping(self, value: Any, path: tuple[Any, ...], label: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, label, f"must be a mapping of keys to values, not {kind(value)}")
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
            self.fail((*path, key), where, f"must be a list, not {kind(value)}")
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
                name = key if type(key) is str else shown(key)  # null: None, not "None"
                name = "null" if key is None else name
                self.fail(
                    (*path, key),
                    f"{label}.{name}" if label else name,
                    f"unknown field (allowed: {', '.join(sorted(allowed))})",
                )

    # -- structure

    def flag(self, obj: dict[str, Any], key: str, path: tuple[Any, ...], label: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail((*path, key), f"{label}.{key}", f"must be true or false, not {shown(value)}")
            return False
        return value


def kind(value: Any) -> str:
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


def number_text(value: Any) -> str | None:
    """Text or a number as stripped text; None for anything else, or for an int too long to
    print (Python refuses over 4,300 digits, and yaml-rs reads such numbers)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        return str(value).strip()
    except ValueError:
        return None


def shown(value: Any) -> str:
    """A value as it goes into a message: repr, shortened; never raises."""
    try:
        shown = repr(value)
    except ValueError:
        return f"a {type(value).__name__} too long to show"
    return shown if len(shown) <= 60 else shown[:57] + "..."
