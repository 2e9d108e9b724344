"""Read YAML safely into position-marked nodes and check shapes, reporting every trap translators fall into."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.cutcomment import comment_cut
from generator.content.files import FileRefused, read_bytes
from generator.content.problems import Loc, Problems

QUOTE_HINT = "put the text in double quotes"
_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")  # YAML's line breaks
_LINE_BREAKS = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")
# Breaks only YAML sees (a lone CR only in a file that also has LF: a CR-only file is an old Mac's)
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")


# The lines `git merge` (and diff3, Mercurial, CAT tools' merges) leave around both sides of a conflict: at column 0,
# which YAML reads as more of a quoted text running over several lines (twentieth pass: both doses printed).
_CONFLICT_MARKER = re.compile(r"(?:<{7}|>{7}|\|{7})(?:[ \t].*)?|={7}[ \t]*")
CONFLICT_HINT = "resolve the merge conflict: keep one side, delete the other and the marker lines"


def conflict_markers(source: str) -> list[tuple[int, str]]:
    """Each line (number, marker) that is a merge conflict's marker line (`<<<<<<< HEAD`, `=======`, `>>>>>>> b`)."""
    if not any(mark in source for mark in ("<<<<<<<", "=======", ">>>>>>>", "|||||||")):
        return []
    return [(number, line[:7]) for number, line in enumerate(yaml_lines(source)[0], 1)
            if _CONFLICT_MARKER.fullmatch(line)]


def yaml_lines(text: str) -> tuple[list[str], list[str]]:
    """A file's lines as YAML numbers them (CR, LF, CRLF, NEL, U+2028 and U+2029 each end one), and the break
    after each: line N of a problem or a unit's position is `lines[N - 1]`, and joining the two gives the text."""
    parts = _LINE_BREAKS.split(text)
    return parts[0::2], parts[1::2]
MAX_FILE_BYTES = 2_000_000  # a handout is a few KB; refuse what cannot be one before parsing it

_IMPLICIT = {
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "an empty value",
}


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark, anchor: str = "") -> None:
        self.mark = mark
        self.anchor = anchor  # set when an anchor (&name) was found rather than an alias


# libyaml's C parser when PyYAML has it (several times faster); both are safe loaders.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(source: str) -> Node | None:
    """Compose the node tree, refusing aliases outright: no alias can expand (billion laughs) or hide text.

    The usual file has neither anchors nor aliases, and one pass of the parser shows it: composing never
    expands an alias (it shares the anchored node), so a tree in which no node is reached twice and no node
    starts with an anchor (`&`) or a tag (`!`, which may precede one) has none. Anything else, or any error,
    is decided by the events, which name the alias or anchor and where it is.
    """
    if source.startswith("\ufeff"):  # libyaml skips a byte order mark without counting it in its positions
        return _compose_by_events(source)
    try:
        root = yaml.compose(source, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        root = None
    else:
        if _plain(root, source):
            return root
    return _compose_by_events(source)


def _plain(root: Node | None, source: str) -> bool:
    """Whether a composed tree holds no alias (a node reached twice), anchor or tag."""
    seen: set[int] = set()
    pending = [root] if root is not None else []
    while pending:  # not recursive: nesting can be as deep as the parser allows
        node = pending.pop()
        if id(node) in seen or source[node.start_mark.index:node.start_mark.index + 1] in ("&", "!"):
            return False
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                pending.extend((key, value))
    return True


def _compose_by_events(source: str) -> Node | None:
    anchor = None
    for event in yaml.parse(source, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _AliasFound(event.start_mark)
        if anchor is None and getattr(event, "anchor", None):
            anchor = event  # `&name`: useless without aliases, and it vanishes from the text
    if anchor is not None:
        raise _AliasFound(anchor.start_mark, anchor.anchor)
    return yaml.compose(source, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


class Doc:
    """One YAML file: its node tree plus helpers that check shapes and report problems with positions."""

    def __init__(self, path: Path, shown: str, problems: Problems) -> None:
        self.path = path
        self.shown = shown
        self.problems = problems
        self.root: Node | None = None
        self.source = ""  # kept to see what YAML itself discards, such as a comment ending a text

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

    def prose(self, node: Node | None, key: str) -> str | None:
        """Like `text`, for words that are printed: unquoted text followed by ` #` is refused."""
        # In unquoted YAML text ` #` starts a comment, so `Take it with food #important` would silently lose
        # its last word. A comment after an ID or a date is fine and stays allowed.
        value = self.text(node, key)
        if value is None or not isinstance(node, ScalarNode) or node.style:  # quoted or block: complete
            return value
        end = node.end_mark.index
        found = _LINE_BREAK.search(self.source, end)
        rest = self.source[end:found.start() if found else len(self.source)]
        stripped = rest.lstrip(" \t")
        if stripped.startswith("#"):
            column = node.end_mark.column + len(rest) - len(stripped) + 1
            self.problems.add(Loc(self.shown, node.end_mark.line + 1, column), key,
                              "the text continues after ' #', which YAML reads as a comment and drops",
                              "put the whole text in double quotes, or move the comment to a line of its own")
            return None
        if (cut := comment_cut(self.source, node)) is not None:  # an editor's reflow put ' #' at a line's start
            self.problems.add(Loc(self.shown, *cut), key, "this line continues the text above, but it starts with "
                              "'#', which YAML reads as a comment and drops", "put the whole text in double quotes, "
                              "or indent the comment as the entry's own lines are")
            return None
        return value

    def _wrong_type(self, node: Node | None, key: str, expected: str) -> None:
        if node is None:
            return  # an absent key: the mapping holding it has reported it, with its position
        found = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "a single value"}.get(
            type(node), "nothing"
        )
        if isinstance(node, ScalarNode) and node.value == "" and node.tag.endswith(":null"):
            found = "nothing"
        self.error(node, key, f"expected {expected}, found {found}")


# Texts about to be written, read in place of the files on disk: `translate import` checks a project as it
# would be after the import, with exactly the checks `handouts check` runs, before writing anything.
_OVERLAY: ContextVar[dict[Path, str] | None] = ContextVar("overlay", default=None)


@contextmanager
def overlaid(texts: dict[Path, str]) -> Iterator[None]:
    """Within the block, `read` returns these texts for these files instead of what is on disk."""
    token = _OVERLAY.set({path.resolve(): text for path, text in texts.items()})
    try:
        yield
    finally:
        _OVERLAY.reset(token)


def read(path: Path, shown: str, problems: Problems) -> Doc:
    """Parse one YAML file into a Doc; syntax problems are recorded, never raised."""
    doc = Doc(path, shown, problems)
    source = read_source(path, shown, problems)
    return doc if source is None else _parse_source(doc, source)


def read_source(path: Path, shown: str, problems: Problems) -> str | None:
    """The text of one YAML file (or the text about to be written in its place); None, with the problem
    recorded, when it is not a readable UTF-8 file within the size limit."""
    overlay = _OVERLAY.get()
    if overlay and (pending := overlay.get(path.resolve())) is not None:
        return pending
    try:
        data = read_bytes(path, MAX_FILE_BYTES)  # a regular file only (never a pipe or device), bounded
    except FileRefused as exc:
        if exc.size:
            problems.add(Loc(shown), "", f"file is {exc.size:,} bytes, larger than {MAX_FILE_BYTES:,}",
                         "split or shorten it; a handout is a few kilobytes")
        else:
            problems.add(Loc(shown), "", f"this file {exc.reason}", exc.hint)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(Loc(shown, line, 1), "", "file is not valid UTF-8", "save the file as UTF-8")
        return None


def read_text(source: str, shown: str, problems: Problems) -> Doc:
    """Parse YAML text (e.g. a file about to be written) exactly as `read` parses a file."""
    return _parse_source(Doc(Path(shown), shown, problems), source)


def parse_source(doc: Doc, source: str) -> Doc:
    """Parse the text of the file `doc` stands for into it; problems go to its collection."""
    return _parse_source(doc, source)


def _parse_source(doc: Doc, source: str) -> Doc:
    shown, problems = doc.shown, doc.problems
    # An editor's byte order mark: libyaml skips it without counting it in its positions, so every look at the text
    # by a node's index (the comment that ends an unquoted text, a tag) looked one character early (31st pass).
    source = source.removeprefix("\ufeff")
    hidden = _HIDDEN_BREAK.search(source) or (_LONE_CR.search(source) if "\n" in source else None)
    if hidden is not None:
        # YAML ends a line there, editors, `git diff` and reviewers do not: text after it inside what they see
        # as one comment line is read as a real entry (tenth pass: "Take ten tablets at once." printed).
        before = source[:hidden.start()]
        line = before.count("\n") + 1
        name = {"\x85": "NEL (U+0085)", "\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR",
                "\r": "a carriage return without a line feed"}[hidden.group()[0]]
        problems.add(Loc(shown, line, len(before) - before.rfind("\n")), "", f"{name} in the file: YAML ends a "
                     "line there, editors do not, so what follows would be read as a line of its own",
                     "delete it (use a plain line break where one is meant)")
        return doc
    markers = conflict_markers(source)
    for line, marker in markers:
        problems.add(Loc(shown, line, 1), "", f"a merge conflict's marker line ('{marker}'): the file holds both "
                     "sides of a merge, which YAML would read as text", CONFLICT_HINT)
    if markers:
        return doc
    _check_tabs(source, shown, problems)
    doc.source = source
    try:
        doc.root = _compose(source)
        if doc.root is None:  # nothing but comments or blanks: never silently an absent handout
            problems.add(Loc(shown, 1, 1), "", "file is empty", "write its content, or delete the file")
        _check_tags(doc)
    except _AliasFound as exc:
        if exc.anchor:
            problems.add(_mark_loc(shown, exc.mark), "",
                         f"'&{exc.anchor}' is read as a YAML anchor and would vanish from the text",
                         "put text that starts with '&' in double quotes")
        else:
            problems.add(_mark_loc(shown, exc.mark), "", "YAML aliases ('*name') are not allowed in content",
                         "text that starts with '*' must be quoted; write bold as \"**word**\" in quotes")
    except yaml.reader.ReaderError as exc:  # a raw control character, e.g. a vertical tab pasted from a word processor
        before = source[: exc.position]
        if SAFE_LOADER is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8, not characters
            before = source.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        line = len(_LINE_BREAK.findall(before)) + 1
        column = len(before) - max(before.rfind(ch) for ch in "\r\n\x85\u2028\u2029")
        problems.add(Loc(shown, line, column), "", f"control character U+{exc.character:04X} in the file",
                     "delete it; YAML files may hold only visible text, spaces and line breaks")
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


_CORE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp",
                                                         "seq", "map")}


def _check_tags(doc: Doc) -> None:
    """Name any explicit YAML tag (`!!python/object/apply:…`, `!custom`): content is only plain data."""
    pending = [doc.root] if doc.root is not None else []
    while pending:  # not recursive: nesting can be as deep as the parser allows
        node = pending.pop()
        start = node.start_mark.index
        if doc.source[start:start + 1] == "!" and doc.source[start + 1:start + 2] in ("", " ", "\t", "\n", "\r"):
            doc.error(node, "", "a lone '!' at the start is read as a YAML tag and would vanish from the text",
                      QUOTE_HINT)  # `! Warning` prints as `Warning`
        elif node.tag not in _CORE_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            doc.error(node, "", f"YAML tag '{shown}' is not allowed in content",
                      "remove the tag; content is plain text, lists and keys")
        if isinstance(node, SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                pending.extend((key, value))


def _unclosed_quote(source: str, mark: yaml.Mark | None) -> tuple[int, int] | None:
    """The line and column of a double quote left open before the error (PyYAML reports it later)."""
    if mark is None:
        return None
    for number, original in enumerate(source.splitlines()[: mark.line + 1], start=1):
        line = original.replace('\\"', "\0\0")  # an escaped quote, kept as long: columns stay the file's (ninth pass)
        if line.lstrip().startswith("#"):
            continue
        body = line.split(" #", 1)[0]
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
