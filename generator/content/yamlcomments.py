"""Where a YAML text's comments are, found by YAML's own tokens (a '#' inside a quoted or block value is text)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator.content.yamlread import yaml_lines

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


@dataclass(frozen=True)
class Comment:
    """One comment: its line (from 0), its column, its text from the '#', and whether it has the line alone."""

    line: int
    column: int
    text: str
    whole_line: bool


def comments(text: str) -> list[Comment]:
    """Every comment of a YAML text, in order (nothing when the text does not scan as YAML)."""
    lines = yaml_lines(text)[0]
    ends = [0] * len(lines)  # per line: where the last token on it ends (a '#' before that is inside a value)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            begin, end = token.start_mark, token.end_mark
            first = begin.line
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">") and first < len(lines):
                # A block text starts at its `>-`/`|2` indicator; a comment may follow it on that line (thirty-
                # seventh pass: counted as text, a rewrite dropped it unnoticed)
                header = _BLOCK_HEADER.match(lines[first], begin.column)
                ends[first] = max(ends[first], header.end() if header else len(lines[first]))
                first += 1
            for line in range(first, min(end.line, len(lines))):  # a value running on to the next line
                ends[line] = len(lines[line])
            if end.line < len(lines):
                ends[end.line] = max(ends[end.line], end.column)
    except yaml.YAMLError:
        return []
    found = []
    for number, (line, end) in enumerate(zip(lines, ends, strict=True)):
        at = line.find("#", end)
        if at < 0 or (at and line[at - 1] not in " \t"):
            continue
        found.append(Comment(number, at, line[at:].rstrip(), not line[:at].strip()))
    return found


def lost_comment(old: str, new: str) -> Comment | None:
    """The first comment of `old` whose text `new` no longer holds (a rewrite dropped it), or None."""
    kept = {c.text for c in comments(new)}
    return next((c for c in comments(old) if c.text not in kept and c.text.strip() != "#"), None)


def follow_entries(old: str, new: str) -> str:
    """`new` with each run of whole-line comments that sat directly above a list entry of `old` (a
    translator's note on a unit) put back directly above that entry, if the rewrite moved or lost it.

    A round trip through ruamel.yaml keeps such a comment with the entry *before* it, so when a rewrite
    reorders entries the note ends up above another unit (seventh pass). An entry is known by its path (the
    lines that open it: `sections:`, `- id: expect`, `blocks:`, `- paragraph: intro`). `new` is returned
    unchanged where a move would change the data; a move that would be ambiguous is not made.
    """
    old_lines = yaml_lines(old)[0]
    whole = {c.line for c in comments(old) if c.whole_line}
    old_paths = _paths(old_lines, whole)
    lines, breaks = yaml_lines(new)
    if any(b != "\n" for b in breaks):  # ruamel writes LF; anything else is not a round trip's output
        return new
    moved = list(lines)
    for index, path in enumerate(old_paths):
        start = index
        while start > 0 and start - 1 in whole:
            start -= 1
        # A list entry (a unit), or a key opening a block (`translation:`): a unit added at the end of the block
        # before it went below the comment heading it (twenty-third pass)
        block = bool(path) and path[-1].endswith(":")
        if path and (block or path[-1].startswith("- ")) and start < index and old_paths.count(path) == 1:
            _move_above(moved, [line.strip() for line in old_lines[start:index]], path, block)
    if moved == lines:
        return new
    text = "\n".join(moved)
    try:
        same = yaml.safe_load(text) == yaml.safe_load(new)
    except yaml.YAMLError:
        same = False
    return text if same else new


def _paths(lines: list[str], comment_lines: set[int] | None = None) -> list[tuple[str, ...]]:
    """Per line, the lines that open it, then it, stripped (by indentation); () for a blank or comment line.
    Comment lines are those given, or (for a text being rewritten) those starting with '#'."""
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        body = line.strip()
        is_comment = number in comment_lines if comment_lines is not None else body.startswith("#")
        if not body or is_comment:
            paths.append(())
            continue
        indent = len(line) - len(line.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, body))
        paths.append(tuple(text for _, text in stack))
    return paths


def _move_above(lines: list[str], run: list[str], path: tuple[str, ...], block: bool = False) -> None:
    """Move the comment lines `run` (stripped) to just above the entry at `path` in `lines`, in place, when
    each is found exactly once; put them there when the rewrite lost them (ruamel kept them with the entry
    before, which the rewrite removed: ninth pass). `block`: the entry opens a block, whose heading comment takes
    the blank line above it along."""
    stripped = [line.strip() for line in lines]
    found = [i for i in range(len(stripped) - len(run) + 1) if stripped[i:i + len(run)] == run]
    paths = _paths(lines)
    if len(found) > 1 or paths.count(path) != 1:
        return
    at = paths.index(path)
    if found and found[0] + len(run) == at:
        return  # already in place
    blank = bool(found) and block and found[0] > 0 and not lines[found[0] - 1].strip()
    if found:
        del lines[found[0] - blank:found[0] + len(run)]  # a block's heading takes its blank line along
    at = _paths(lines).index(path)
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip(" "))]
    lines[at:at] = [""] * (blank and at > 0 and bool(lines[at - 1].strip())) + [indent + comment for comment in run]


def outside_document(lines: list[str], line: int) -> tuple[str, str] | None:
    """Why a comment on `line` is lost when it is outside YAML's document (above `---`, below `...`), and where to
    move it: the general hint ("above the entry") is where such a comment already is (twenty-seventh pass)."""
    if any(re.match(r"---(\s|$)", text) for text in lines[line + 1:]):
        return "a comment above the '---' line that starts the document", "below the '---' line"
    if any(re.match(r"\.\.\.(\s|$)", text) for text in lines[:line]):
        return "a comment below the '...' line that ends the document", "above the '...' line"
    return None
