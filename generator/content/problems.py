"""Problems found in a project, reported compiler-style: `path:line:col: key.path: message; hint`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

MAX_MESSAGE = 1_000  # characters of one printed problem
EXCERPT_WIDTH = 160  # characters of a quoted source line around the column


def printable(text: str) -> str:
    """`text` with every invisible character written as an escape such as \\x1b."""
    # Messages quote content: a control character could rewrite the terminal, a line break split the
    # message, a direction control reorder what the reader sees.
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
                   if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}" for ch in text)  # "\\ue0041" read as U+E004, "1"


@dataclass(frozen=True, order=True)
class Loc:
    """A position in a file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is and how to fix it."""

    loc: Loc
    key: str
    message: str
    hint: str = field(default="", compare=False)
    severity: str = field(default="error", compare=False)

    def format(self) -> str:
        """Render as `path:line:col: key: message; hint`."""
        where = f"{self.loc}: {self.key}: " if self.key else f"{self.loc}: "
        label = "warning: " if self.severity == "warning" else ""
        hint = f"; {self.hint}" if self.hint else ""
        text = f"{where}{label}{self.message}{hint}"
        if len(text) > MAX_MESSAGE:  # a message may quote content; a 2 MB key must not become a 2 MB line
            text = text[: MAX_MESSAGE // 2] + " … " + text[-MAX_MESSAGE // 2:]
        return printable(text)


# (file key, its text, the (path, root) last asked for): a file with thousands of problems is read once, not per
# problem; the last name asked is forgotten when a report starts (`new_report`), so a later command sees edits.
_last_file: list = [None, "", None]
_EDITOR_BREAK = "\r\n|[\r\n]"  # where editors, grep -n and less end a line


def _source(loc: Loc, root: str) -> str | None:
    """The text of the file a problem is in (bounded, never through a link out of the project), or None."""
    from pathlib import Path

    from generator.content.files import FileRefused, read_text

    if _last_file[2] == (loc.path, root):  # the same file as the problem before: read once for the whole report
        return _last_file[1]
    path = Path(loc.path) if Path(loc.path).is_absolute() else Path(root) / loc.path
    try:
        stamp = os.stat(path)
    except OSError:
        return None
    key = (str(path), root, stamp.st_size, stamp.st_mtime_ns, stamp.st_ino)
    if _last_file[0] != key:
        try:
            text: str | None = read_text(path, 2_000_000, Path(root) if not Path(loc.path).is_absolute() else None)
        except (FileRefused, OSError):
            text = None  # remembered too: 200,000 problems in an 8 MB exchange file read it 200,000 times (15th pass)
        _last_file[:] = [key, text, None]
    _last_file[2] = (loc.path, root)
    return _last_file[1]


def new_report() -> None:
    """Look at the files again: a report's excerpts may come from files edited since the last report."""
    _last_file[2] = None


@lru_cache(maxsize=4)  # once per file, not once per problem (30,000 problems: 13 s per 3,000 when it was not)
def _editor_lines(source: str) -> list[str]:
    import re

    return re.split(_EDITOR_BREAK, source)


def excerpt(problem: Problem, root: str) -> list[str]:
    """The offending source line with a caret under the column, compiler-style (empty when unknown); lines as
    editors count them (a file holding a break only YAML sees is refused where it stands).

    The line is cut to a window around the column and its invisible characters are escaped: a quoted line
    can neither flood the terminal nor drive it (clear the screen, draw a fake "ok")."""
    loc = problem.loc
    if not loc.line or (source := _source(loc, root)) is None:
        return []
    lines = _editor_lines(source)
    if loc.line > len(lines):
        return []
    text = lines[loc.line - 1].replace("\t", " ")
    column = min(max(loc.col - 1, 0), len(text))
    start = max(0, column - EXCERPT_WIDTH // 2)
    end = min(len(text), start + EXCERPT_WIDTH)
    head, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    quoted = head + printable(text[start:end]) + tail
    caret = len(head) + len(printable(text[start:column]))
    gutter = f"{loc.line:>5} | "
    return [gutter + quoted, " " * (len(gutter) - 2) + "| " + " " * caret + "^"]


def _order(problem: Problem) -> tuple[str, int, int, str, str]:
    """A problem's place in a report: the dataclass order, as one tuple (compared in C: 200,000 problems sorted
    through the generated `__lt__` took seconds, fifteenth pass)."""
    return problem.loc.path, problem.loc.line, problem.loc.col, problem.key, problem.message


MAX_LISTED_PER_FILE = 100  # errors of one file printed; the rest are counted


def listed(problems: list[Problem]) -> tuple[list[Problem], list[str]]:
    """The problems to print, the first 100 of each file, and a line for each file saying how many more it has:
    400,000 broken entries of one exchange file are one mistake (a tool's wrong format), and a terminal flooded
    with them hides what to fix (fifteenth pass)."""
    per_file: dict[str, int] = {}
    shown = []
    for problem in problems:
        per_file[problem.loc.path] = per_file.get(problem.loc.path, 0) + 1
        if per_file[problem.loc.path] <= MAX_LISTED_PER_FILE:
            shown.append(problem)
    more = [f"{path}: {count - MAX_LISTED_PER_FILE:,} more error(s) not listed; fix the ones above (often one "
            "cause) and run the command again" for path, count in per_file.items() if count > MAX_LISTED_PER_FILE]
    return shown, more


class Problems:
    """Collects problems during one pass so that every one is reported, not only the first."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, loc: Loc, key: str, message: str, hint: str = "", severity: str = "error") -> None:
        """Record a problem."""
        self._items.append(Problem(loc, key, message, hint, severity))

    def extend(self, other: Problems) -> None:
        """Take every problem of another collection."""
        self._items.extend(other._items)

    @property
    def all(self) -> list[Problem]:
        """Every problem recorded, in the order recorded."""
        return list(self._items)

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in set(self._items) if p.severity == "error"), key=_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in set(self._items) if p.severity == "warning"), key=_order)

    def __bool__(self) -> bool:
        return any(p.severity == "error" for p in self._items)  # not `errors`: sorting 200,000 problems to ask


class ContentError(Exception):
    """Raised when validation found errors; carries every problem for the CLI to print."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
