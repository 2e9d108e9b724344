"""Where a YAML text's comments are, found by YAML's own tokens (a '#' inside a quoted or block value is text)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from generator.content.yamlread import yaml_lines


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
            for line in range(begin.line, min(end.line, len(lines))):  # a value running on to the next line
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
