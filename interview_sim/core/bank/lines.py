"""Where in a bank file a problem is: the line of a place in the parsed data.

yaml-rs, which parses banks, keeps no positions; only when something is wrong is the file
composed again with PyYAML (which keeps line marks) to index the line of every place.
A question's own line is found by a scan for its `id:` instead: every valid question has one.
"""

from __future__ import annotations

import re
from typing import Any

# anchored on the newline before the line (faster than ^ with re.M)
_ID_LINE_RE = re.compile(r"\n[ \t]*(?:-[ \t]+)?id:[ \t]*[\'\"]?([a-z0-9-]+)")


class Lines:
    """The lines of one file's places, indexed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[tuple[Any, ...], int] | None = None
        self._id_lines: dict[str, int] | None = None

    def of(self, path: tuple[Any, ...]) -> int:
        """The line of the nearest indexed place on this path (1 if none)."""
        if self._lines is None:
            self._lines = {}
            from interview_sim.core import yamlio  # PyYAML only when something is wrong

            yaml = yamlio.yaml_module()
            try:
                root = yaml.compose(self.text, Loader=yamlio.safe_loader())
                if root is not None:
                    self._index(yaml, self._lines, root, ())
            except (yaml.YAMLError, RecursionError):  # keep whatever lines were indexed
                pass
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)

    def _index(
        self, yaml: Any, lines: dict[tuple[Any, ...], int], node: Any, path: tuple[Any, ...]
    ) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):  # refused by the parser already
                    continue
                for form in _key_forms(key):  # `1:` is the key 1 in the data, "1" here
                    sub = (*path, form)
                    self._index(yaml, lines, value, sub)
                    lines[sub] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(yaml, lines, item, (*path, i))

    def of_id(self, qid: str) -> int:
        """The line of a question's id (0 if not found)."""
        if self._id_lines is None:
            self._id_lines = {}
            text = "\n" + self.text
            line, pos = 0, 0
            for m in _ID_LINE_RE.finditer(text):
                line += text.count("\n", pos, m.start() + 1)
                pos = m.start() + 1
                self._id_lines.setdefault(m.group(1), line)
        return self._id_lines.get(qid, 0)

    def of_text(self, needle: str, path: tuple[Any, ...]) -> int:
        """The line where `needle` is written as itself, else the line of `path`."""
        at = self.text.find(needle)
        return self.text.count("\n", 0, at) + 1 if at >= 0 else self.of(path)


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
