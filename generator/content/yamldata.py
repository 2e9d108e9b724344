"""Plain data from the YAML files read as data, not content (fonts.yaml, style.yaml, the glossary, the source
history, facts for the export's notes): safe loader, no aliases, no duplicate keys, no tags but plain data's."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.files import FileRefused, read_bytes
from generator.content.yamlread import (
    _CORE_TAGS,
    _HIDDEN_BREAK,
    _LONE_CR,
    CONFLICT_HINT,
    MAX_FILE_BYTES,
    SAFE_LOADER,
    conflict_markers,
)


def load_data(path: Path, root: Path | None = None) -> object:
    """Plain data from a YAML file (fonts.yaml, style.yaml, a glossary): safe loader, aliases refused; with
    `root`, only a file inside it (links resolved)."""
    # Raises ValueError saying `line L, column C: problem`, never quoting the file (it may not be what it seems).
    try:
        data = read_bytes(path, MAX_FILE_BYTES, root)
    except FileRefused as exc:
        raise ValueError(str(exc)) from None
    source = data.decode("utf-8")  # a UnicodeDecodeError is a ValueError
    hidden = _HIDDEN_BREAK.search(source) or (_LONE_CR.search(source) if "\n" in source else None)
    if hidden is not None:
        line = source.count("\n", 0, hidden.start()) + 1
        raise ValueError(f"line {line}: a line break only YAML sees (U+{ord(hidden.group()):04X}; editors show one "
                         "line there, YAML two): delete it")
    for line, marker in conflict_markers(source)[:1]:
        raise ValueError(f"line {line}: a merge conflict's marker line ('{marker}'): {CONFLICT_HINT}")
    try:
        for event in yaml.parse(source, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ValueError(f"line {mark.line + 1}, column {mark.column + 1}: YAML aliases are not allowed")
        _plain_data(yaml.compose(source, Loader=SAFE_LOADER))  # noqa: S506 - a safe loader
        return yaml.load(source, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ValueError(f"{where}YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML error: {type(exc).__name__}") from None


def _plain_data(root: Node | None) -> None:
    """Refuse what a settings file's reader would never see: a key written twice (YAML keeps the last, silently,
    while a reader of the file sees the first) and a tag other than plain data's (`!!binary`, `!!set`)."""
    pending = [root] if root is not None else []
    while pending:  # not recursive: nesting can be as deep as the parser allows
        node = pending.pop()
        where = f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}"
        if node.tag not in _CORE_TAGS:
            raise ValueError(f"{where}: YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!', 1)}' is not "
                             "allowed; remove the tag")
        if isinstance(node, SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, MappingNode):
            keys: set[object] = set()
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else None
                if name is not None and (key.tag, name) in keys:
                    raise ValueError(f"line {key.start_mark.line + 1}, column {key.start_mark.column + 1}: "
                                     f"duplicate key '{name}'; YAML would silently keep only the last: remove or "
                                     "rename one of them")
                keys.add((key.tag, name))
                pending.extend((key, value))


def shape_problem(exc: Exception, data: object, shipped: str) -> str:
    """A settings file of the wrong shape, said in its reader's words rather than Python's (a KeyError, a
    TypeError naming 'NoneType'): what is wrong and that the shipped file shows the shape."""
    fix = f"compare it with the shipped {shipped}, or delete it to use the shipped one"
    if not isinstance(data, dict):
        found = "empty" if data is None else f"a {_kind(data)}, not settings (key: value lines)"
        return f"the file is {found}; {fix}"
    if isinstance(exc, KeyError):
        return f"the setting '{exc.args[0]}' is missing; add it ({fix})"
    if isinstance(exc, ValueError):
        return f"a value is not a number or not the kind the setting takes ({str(exc)[:80]}); {fix}"
    return f"a setting is empty or holds a list or text where settings (key: value lines) belong; {fix}"


def _kind(data: object) -> str:
    return {list: "list", str: "text", bool: "true/false"}.get(type(data), "number")


class SettingsError(Exception):
    """A problem in a settings file (style.yaml, fonts.yaml): where its message names the setting ("text.body.size",
    "language 'ar'") or a line, the message starts path:line:col, as every content error does."""

    def __init__(self, message: str) -> None:
        super().__init__(located(message))


_HEAD = re.compile(r"(?P<path>[^\n]+?\.ya?ml): (?:cannot read [a-z ]+: )?"
                   r"(?:line (?P<line>\d+)(?:, column (?P<col>\d+))?: |(?P<key>[a-z_]+(?:\.[\w-]+)*))")
_NAMED = ((re.compile(r"language '([^'\n]+)'"), "languages"), (re.compile(r"family '([^'\n]+)'"), "families"))


def located(message: str) -> str:
    """`message` ("path: setting: what") as "path:line:col: setting: what" where the file shows that setting."""
    head = _HEAD.match(message)
    if head is None:
        return message
    path, rest = head["path"], message[len(head["path"]) + 2:]
    if head["line"]:
        return f"{path}:{head['line']}:{head['col'] or 1}: {message[head.end():]}"
    keys = [[*head["key"].split(".")]]
    keys += [[section, found[1]] for pattern, section in _NAMED if (found := pattern.search(rest))]
    for candidate in keys:
        if (where := _position(Path(path), candidate)) is not None:
            return f"{path}:{where[0]}:{where[1]}: {rest}"
    return message


def _position(path: Path, keys: list[str]) -> tuple[int, int] | None:
    """Line and column of the deepest of `keys` (a path of mapping keys) the file has; None if not the first."""
    try:
        node = yaml.compose(read_bytes(path, MAX_FILE_BYTES).decode("utf-8"), Loader=SAFE_LOADER)
    except (FileRefused, ValueError, yaml.YAMLError, RecursionError):
        return None
    found = None
    for key in keys:
        if not isinstance(node, MappingNode):
            break
        match = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
        if match is None:
            break
        found, node = (match[0].start_mark.line + 1, match[0].start_mark.column + 1), match[1]
    return found
