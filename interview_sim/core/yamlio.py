"""YAML in and out.

Bank files are parsed with yaml-rs (a Rust YAML 1.2 parser, 5-6x faster than PyYAML's C
loader on whole bank loads because it builds Python values without a Python-side constructor).
It also refuses duplicate keys and bounds alias expansion; any explicit tag is refused here.
Its errors are turned into a line and a message here. PyYAML is still used for what yaml-rs
cannot do: scanning for tags, composing a file into nodes to find the line of a validation
problem, and writing/reading transcripts (whose format is PyYAML's, YAML 1.1). Both are
imported on first use: start-up reads banks from the cache (see core/bank/cache.py).
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType
from typing import Any

_PARSE_ERROR_RE = re.compile(r"at line (\d+), column \d+")
_TAG_ERROR_RE = re.compile(r"Invalid tag: '([^']*)'")
_TAG_VALUE_RE = re.compile(r"Invalid value '(.*)' for '(!!?[^']*)' tag")
_DUPLICATE_RE = re.compile(r"duplicate mapping key: (.*)$", re.S)
_DOCUMENT_START_RE = re.compile(r"^---(?:[ \t]|$)", re.M)
_TAG_HINT_RE = re.compile(r"(?:^|[\s\[{,])!", re.M)  # cheap filter before the exact scan
# a line starting with an explicit key (`? `), or a flow list or mapping followed by `:`
_COMPLEX_KEY_HINT_RE = re.compile(r"^[ \t]*(?:-[ \t]+)*\?(?:[ \t]|$)|[\]}][ \t]*:", re.M)
ALIAS_REPLAY_LIMIT = 1_000_000  # yaml-rs's limit on values copied by aliases
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # as in _CONTROL_RE


class YamlProblem(Exception):
    """Text that is not one readable YAML document: where, and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_document(text: str) -> Any:
    """Parse exactly one YAML document into plain Python values; raise YamlProblem."""
    import yaml_rs

    if text.startswith("\ufeff"):
        text = text[1:]
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded):  # C speed; rarely true
        bad = _CONTROL_RE.search(text)
        if bad is not None:  # yaml-rs would silently stop at a NUL byte
            raise YamlProblem(
                text.count("\n", 0, bad.start()) + 1,
                f"control character U+{ord(bad.group()):04X} is not allowed",
            )
    if "!" in text and _TAG_HINT_RE.search(text):
        _refuse_tags(text)
    if _COMPLEX_KEY_HINT_RE.search(text):
        _refuse_complex_keys(text)
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as exc:
        raise _problem(text, str(exc)) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a 5,000-digit number
        raise YamlProblem(0, f"a value cannot be read ({str(exc)[:80]})") from None
    if isinstance(data, list) and (marker := _later_document_start(text)) is not None:
        raise YamlProblem(
            text.count("\n", 0, marker) + 1,
            "a second YAML document (---) in the same file; a bank file holds one",
        )
    return data


def _refuse_tags(text: str) -> None:
    """Bank files are plain YAML: any explicit tag (!!python/object, !!int, !custom) is an error.
    yaml-rs refuses some tags but silently drops others, so PyYAML's scanner looks for them."""
    yaml = yaml_module()
    try:
        for token in yaml.scan(text, Loader=safe_loader()):
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                raise YamlProblem(
                    token.start_mark.line + 1,
                    f"'{handle or ''}{suffix}' tags are not allowed (only plain YAML)",
                )
    except yaml.YAMLError:
        pass  # not scannable: yaml-rs reports the syntax error


def _refuse_complex_keys(text: str) -> None:
    """A key that is a list or a mapping (`[1, 2]: x`, `? {a: 1}`) has no place in a bank, and
    yaml-rs turns it into a tuple or frozenset that no field name matches."""
    yaml = yaml_module()
    try:
        root = yaml.compose(text, Loader=safe_loader())
    except (yaml.YAMLError, RecursionError):
        return  # yaml-rs reports the syntax error
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    kind = "a list" if isinstance(key, yaml.SequenceNode) else "a mapping"
                    raise YamlProblem(
                        key.start_mark.line + 1,
                        f"a key must be a plain value such as a field name, not {kind}",
                    )
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _alias_limit_line(text: str, limit: int = ALIAS_REPLAY_LIMIT) -> int:
    """The line of the alias whose expansion takes a file past yaml-rs's limit (a "billion
    laughs"), found from PyYAML's events, which never expand anything; 0 if not found."""
    yaml = yaml_module()
    sizes: dict[str, int] = {}
    open_nodes: list[list[Any]] = []  # [anchor, values so far] per open list or mapping
    replayed = 0
    try:
        for event in yaml.parse(text, Loader=safe_loader()):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                open_nodes.append([event.anchor, 1])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size = open_nodes.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
                replayed += size
                if replayed > limit:
                    return int(event.start_mark.line) + 1
            else:
                continue
            if anchor:
                sizes[anchor] = size
            if open_nodes:
                open_nodes[-1][1] += size
    except yaml.YAMLError:
        pass
    return 0


def _later_document_start(text: str) -> int | None:
    """Where the last of several documents starts (a `---` after content, or a second `---`);
    None for a single document."""
    starts = [m.start() for m in _DOCUMENT_START_RE.finditer(text)]
    if len(starts) >= 2:
        return starts[-1]
    if not starts:
        return None
    before = text[: starts[0]]
    after_content = any(
        line.strip() and not line.lstrip().startswith("#") for line in before.splitlines()
    )
    return starts[0] if after_content else None


def _problem(text: str, message: str) -> YamlProblem:
    """yaml-rs's error text, reduced to a line and a one-line message."""
    where = _PARSE_ERROR_RE.search(message)
    if where is not None:
        line, what = int(where.group(1)), message.strip().splitlines()[-1].strip()
        if "recursion limit" in what:
            what = "values are nested too deeply"
        if "tab" in what:  # yaml-rs names the scalar a tab breaks; point at the tab itself
            lines = text.splitlines()
            line = next(
                (n for n in range(line, len(lines) + 1) if "\t" in _indent(lines[n - 1])), line
            )
        return YamlProblem(line, what)
    tag = _TAG_ERROR_RE.search(message)
    if tag is not None:
        return YamlProblem(
            _line_of_text(text, tag.group(1)),
            f"'{tag.group(1)}' tags are not allowed (only plain YAML)",
        )
    value = _TAG_VALUE_RE.search(message)
    if value is not None:
        return YamlProblem(
            _line_of_text(text, f"{value.group(2)} {value.group(1)}"),
            f"{value.group(1)!r} is not a valid {value.group(2)} value",
        )
    duplicate = _DUPLICATE_RE.search(message)
    if duplicate is not None:
        key = duplicate.group(1).strip().strip("'\"")
        return YamlProblem(
            _duplicate_key_line(text, key),
            f"key {key!r} appears twice in the same mapping (the first would be lost)",
        )
    if "alias replay limit" in message:
        return YamlProblem(
            _alias_limit_line(text),
            f'aliases expand to over {ALIAS_REPLAY_LIMIT:,} values (a "billion laughs"); '
            "write the values out instead",
        )
    return YamlProblem(0, message.strip().splitlines()[-1] if message.strip() else "invalid YAML")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _line_of_text(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _duplicate_key_line(text: str, key: str) -> int:
    """The line of the second occurrence of `key` in one mapping (PyYAML keeps node marks)."""
    yaml = yaml_module()
    try:
        root = yaml.compose(text, Loader=safe_loader())
    except (yaml.YAMLError, RecursionError):
        return 0
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    if key in seen:
                        return int(k.start_mark.line) + 1
                    seen.add(key)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 0


@cache
def yaml_module() -> ModuleType:
    import yaml

    return yaml


@cache
def safe_loader() -> Any:
    yaml = yaml_module()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def safe_dumper() -> Any:
    yaml = yaml_module()
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    # an object met twice is written twice, never as an anchor and alias (load refuses those)
    return type("PlainDumper", (base,), {"ignore_aliases": lambda self, data: True})


def load(text: str) -> Any:
    """PyYAML, safe loading only (tags such as !!python/object are refused): transcripts.

    Anchors and aliases are refused too, as yaml-rs bounds them in banks: nine nested aliases
    of 11 KB (a "billion laughs") expand to gigabytes. We never write them (see dump)."""
    yaml = yaml_module()
    if "*" in text and "&" in text:  # no alias without an anchor
        for event in yaml.parse(text, Loader=safe_loader()):
            if isinstance(event, yaml.AliasEvent):
                raise yaml.MarkedYAMLError(
                    problem=f"an alias (*{event.anchor}); anchors and aliases are not allowed",
                    problem_mark=event.start_mark,
                )
    return yaml.load(text, Loader=safe_loader())


def dump(data: Any) -> str:
    try:
        return _dump(data)
    except UnicodeEncodeError:  # a lone surrogate (from a JSON "\ud800", say): U+FFFD
        return _dump(_without_surrogates(data))


def _dump(data: Any) -> str:
    return str(
        yaml_module().dump(
            data,
            Dumper=safe_dumper(),
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
        )
    )


def _without_surrogates(data: Any) -> Any:
    from interview_sim.core.printable import without_surrogates

    if isinstance(data, str):
        return without_surrogates(data)
    if isinstance(data, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_without_surrogates(v) for v in data]
    return data
