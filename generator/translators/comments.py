"""Comments next to a unit in a content file: read for the export, and the line where new ones go on import."""

from __future__ import annotations


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def entry_start(lines: list[str], index: int) -> int:
    """The line where the YAML entry holding a unit starts: its `- ` item line, or the unit's own line."""
    line = lines[index]
    if line.lstrip().startswith("- "):
        return index
    indent = _indent(line)
    for j in range(index - 1, -1, -1):
        above = lines[j]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if _indent(above) < indent:
            body = above.lstrip()
            if body.startswith("- ") and _indent(above) + 1 + _indent(body[1:]) == indent:
                return j
            return index
    return index


def _eol_comment(line: str) -> str:
    """The comment at the end of a line, outside any quoted text ("" when none or the quote goes on)."""
    quote = ""
    prev = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = ""
        elif quote == "'":
            if ch == "'" and line[i + 1:i + 2] == "'":
                i += 1
            elif ch == "'":
                quote = ""
        elif ch in "\"'" and prev in ("", ":", "-", "{", "[", ","):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return "" if quote else line[i + 1:].strip()
        if not ch.isspace():
            prev = ch
        i += 1
    return ""


def unit_comments(lines: list[str], line: int) -> tuple[str, ...]:
    """Comments written for the unit whose text starts on `line` (1-based): the comment lines directly
    above its entry, and end-of-line comments on the entry's lines.

    Read from the lines, not from ruamel's tree: ruamel attaches a comment to the key *before* it, so a
    note written above a list item would land on the previous item.
    """
    if not 0 < line <= len(lines):
        return ()
    start = entry_start(lines, line - 1)
    above = []
    j = start - 1
    while j >= 0 and lines[j].lstrip().startswith("#"):
        above.append(lines[j].strip()[1:].strip())
        j -= 1
    eol = [c for k in range(start, line) if (c := _eol_comment(lines[k]))]
    return tuple(reversed(above)) + tuple(eol)


_WRAPPED_LINES = 64  # a comment wrapped at 78 columns over more lines than this is no line of a content file
_WRAPPED_CHARS = 4000
_HASHED_LINES = 200
_JOIN_STEPS = 50_000


def _words(text: str) -> str:
    return " ".join(text.split())


def note_hashes(comments: tuple[str, ...]) -> list[str]:
    """The short hash of each comment an export writes, its words as they are (an import tells them from new ones)."""
    from generator.content.translation import source_hash

    return [source_hash(_words(c)) for c in comments if c.strip()]


def new_comments(incoming: tuple[str, ...], known: tuple[str, ...],
                 exported: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The lines of a unit's comments in an exchange file that are new: neither next to it in the content file, nor
    written by the export (`exported`: their hashes; a comment the project's team changed or removed since the
    export is not brought back), however a tool wrapped them (polib and translate-toolkit wrap a comment at 78
    columns; importing each line again doubled it at every round trip)."""
    from generator.content.translation import source_hash

    whole = {_words(c) for c in known if c.strip()}
    lines = [_words(c) for c in incoming if c.strip()]
    hashed = exported if len(lines) <= _HASHED_LINES else frozenset()  # a unit has a few comment lines, not 10,000
    kept: list[str] = []
    i, steps = 0, 0
    while i < len(lines):
        joined, end = "", 0
        reach = i + (_WRAPPED_LINES if steps < _JOIN_STEPS else 1)  # then each line alone: a crafted file stays fast
        for j in range(i, min(len(lines), reach)):
            steps += 1
            joined = f"{joined} {lines[j]}" if joined else lines[j]
            if joined in whole or (hashed and source_hash(joined) in hashed):
                end = j + 1
                break
            if len(joined) > _WRAPPED_CHARS or not hashed and not any(w.startswith(joined) for w in whole):
                break
        if end:
            i = end
        else:
            kept.append(lines[i])
            i += 1
    return tuple(kept)
