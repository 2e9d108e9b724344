"""Read YAML safely into position-marked nodes and check shapes, reporting every trap translators fall into."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.problems import Loc, Problems

QUOTE_HINT = "put the text in double quotes"
MAX_FILE_BYTES = 2_000_000  # a handout is a few KB; refuse what cannot be one before parsing it

_IMPLICIT = {
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "an empty value",
}


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


# libyaml's C parser when PyYAML has it (several times faster); both are safe loaders.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(source: str) -> Node | None:
    """Compose the node tree, refusing aliases outright: no alias can expand (billion laughs) or hide text."""
    for event in yaml.parse(source, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _AliasFound(event.start_mark)
    return yaml.compose(source, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


class Doc:
    """One YAML file: its node tree plus helpers that check shapes and report problems with positions."""

    def __init__(self, path: Path, shown: str, problems: Problems) -> None:
        self.path = path
        self.shown = shown
        self.problems = problems
        self.root: Node | None = None

    def loc(self, node: Node | None) -> Loc:
        if node is None:
            return Loc(self.shown)
        return Loc(self.shown, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: Node | None, key: str, message: str, hint: str = "") -> None:
        self.problems.add(self.loc(node), key, message, hint)

    def warn(self, node: Node | None, key: str, message: str, hint: str = "") -> None:
        self.problems.add(self.loc(node), key, message, hint, severity="warning")

    def mapping(
        self, node: Node | None, key: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Node] | None:
        """Check `node` is a mapping with the required keys and no unknown ones; return key → value node."""
        if not isinstance(node, MappingNode):
            self._wrong_type(node, key, "a mapping of keys to values")
            return None
        required, optional = list(required), list(optional)
        allowed = set(required) | set(optional)
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            path = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str) or key_node.tag != "tag:yaml.org,2002:str":
                self.error(key_node, key, f"key {name!r} is not a plain name", "keys are lowercase words")
                continue
            if name in found:
                self.error(key_node, path, f"duplicate key '{name}'; YAML would silently keep only the last",
                           "remove or rename one of them")
                continue
            if name not in allowed:
                self.error(key_node, path, f"unknown key '{name}'",
                           f"expected one of: {', '.join(sorted(allowed))}")
                continue
            found[name] = value_node
        for name in required:
            if name not in found:
                self.error(node, key, f"missing required key '{name}'", f"add '{name}:'")
        return found

    def sequence(self, node: Node | None, key: str) -> list[Node]:
        """Check `node` is a list; return its items (empty on error)."""
        if not isinstance(node, SequenceNode):
            self._wrong_type(node, key, "a list (lines starting with '- ')")
            return []
        return list(node.value)

    def text(self, node: Node | None, key: str) -> str | None:
        """Check `node` is text (not a number, date, yes/no or mapping) and return it NFC-normalised."""
        if not isinstance(node, ScalarNode):
            if isinstance(node, MappingNode) and node.flow_style is False and len(node.value) == 1:
                self.error(node, key, "this text was read as a 'key: value' pair because it contains ': '",
                           QUOTE_HINT)
            elif isinstance(node, SequenceNode) and not node.flow_style:
                self.error(node, key, "expected text but found a list; a line starting with '- ' makes a list",
                           "check the indentation, or quote text that starts with '-'")
            else:
                self._wrong_type(node, key, "text")
            return None
        if node.tag != "tag:yaml.org,2002:str":
            what = _IMPLICIT.get(node.tag, f"a value of type {node.tag}")
            self.error(node, key, f"'{node.value}' is read as {what}, not text", QUOTE_HINT)
            return None
        # NFC so Vietnamese and other accented text uses the precomposed glyphs the fonts carry.
        return unicodedata.normalize("NFC", node.value)

    def _wrong_type(self, node: Node | None, key: str, expected: str) -> None:
        found = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "a single value"}.get(
            type(node), "nothing"
        )
        if isinstance(node, ScalarNode) and node.value == "" and node.tag.endswith(":null"):
            found = "nothing"
        self.error(node, key, f"expected {expected}, found {found}")


def read(path: Path, shown: str, problems: Problems) -> Doc:
    """Parse one YAML file into a Doc; syntax problems are recorded, never raised."""
    doc = Doc(path, shown, problems)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(Loc(shown), "", f"cannot read file: {exc.strerror}", "check the path and its permissions")
        return doc
    if len(data) > MAX_FILE_BYTES:
        problems.add(Loc(shown), "", f"file is {len(data):,} bytes, larger than {MAX_FILE_BYTES:,}",
                     "split or shorten it; a handout is a few kilobytes")
        return doc
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(Loc(shown, line, 1), "", "file is not valid UTF-8", "save the file as UTF-8")
        return doc
    _check_tabs(source, shown, problems)
    try:
        doc.root = _compose(source)
    except _AliasFound as exc:
        problems.add(_mark_loc(shown, exc.mark), "", "YAML aliases ('*name') are not allowed in content",
                     "text that starts with '*' must be quoted; write bold as \"**word**\" in quotes")
    except yaml.MarkedYAMLError as exc:
        if "\t" in source and "'\\t'" in str(exc.problem):
            return doc  # already reported line by line by _check_tabs
        unclosed = _unclosed_quote(source, exc.problem_mark)
        if unclosed is not None:
            problems.add(Loc(shown, *unclosed), "", "YAML syntax error: a quoted text is never closed",
                         "add the closing quote at the end of the text")
        else:
            problems.add(*_syntax_problem(shown, exc))
    return doc


def _unclosed_quote(source: str, mark: yaml.Mark | None) -> tuple[int, int] | None:
    """The line and column of a double quote left open before the error (PyYAML reports it later)."""
    if mark is None:
        return None
    for number, line in enumerate(source.splitlines()[: mark.line + 1], start=1):
        if line.lstrip().startswith("#"):
            continue
        body = line.split(" #", 1)[0].replace('\\"', "")
        stripped = body.lstrip(" -")
        value = stripped.split(": ", 1)[1] if ": " in stripped else stripped
        value = value.strip()
        if value.startswith('"') and (len(value) == 1 or not value.endswith('"')):
            return number, len(line) - len(line.lstrip()) + line.lstrip().index(value) + 1
    return None


def _check_tabs(source: str, shown: str, problems: Problems) -> None:
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.add(Loc(shown, number, len(line) - len(stripped) + 1), "",
                         "tab used for indentation", "indent with spaces only")


def _mark_loc(shown: str, mark: yaml.Mark | None) -> Loc:
    if mark is None:
        return Loc(shown)
    return Loc(shown, mark.line + 1, mark.column + 1)


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError) -> tuple[Loc, str, str, str]:
    problem = exc.problem or "invalid YAML"
    # PyYAML reports an unclosed quote at "end of stream"; the context mark is where the quote opened.
    mark = exc.problem_mark
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark
    hint = "check quotes and indentation on this line"
    if "mapping values are not allowed" in problem:
        hint = "text containing ': ' must be quoted"
    elif "alias" in (exc.context or "") + problem:
        mark = exc.context_mark or mark
        return (_mark_loc(shown, mark), "", "YAML aliases ('*name') are not allowed in content",
                "text that starts with '*' must be quoted; write bold as \"**word**\" in quotes")
    elif "end of stream" in problem and "quoted" in (exc.context or ""):
        problem = "a quoted text is never closed"
        hint = "add the closing quote"
    elif "found character" in problem and "cannot start any token" in problem:
        hint = "quote text that starts with a special character such as '@', '`' or '%'"
    context = f"{exc.context}: " if exc.context else ""
    return _mark_loc(shown, mark), "", f"YAML syntax error: {context}{problem}", hint
