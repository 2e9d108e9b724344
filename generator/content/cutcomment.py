"""A comment line where an unquoted text would go on: YAML ends the text before it (an editor's reflow)."""

from __future__ import annotations

import re

from yaml.nodes import ScalarNode

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def comment_cut(source: str, node: ScalarNode) -> tuple[int, int] | None:
    """The line and column (1-based) of a comment line right after an unquoted text, indented as its continuation
    would be (deeper than the text's key): `text: bring form` / `  #2 signed.` prints "bring form", the rest read
    as a comment. None when there is none; a comment at the entry's own indentation, or after a blank line, is a
    comment of its own."""
    lines = _LINE_BREAK.split(source)
    start, end = node.start_mark.line, node.end_mark.line
    if end + 1 >= len(lines) or end >= len(lines):
        return None
    first = lines[start][:node.start_mark.column]
    if "{" in first or "[" in first:  # a text inside a flow mapping or list: its continuation rules differ
        return None
    key = len(first) - len(first.lstrip(" -"))  # where the text's key starts (after a list's "- ")
    following = lines[end + 1]
    indent = len(following) - len(following.lstrip(" "))
    if following.lstrip(" ").startswith("#") and indent > key:
        return end + 2, indent + 1
    return None
