"""A rewritten file keeps its owner's line endings: every line the rewrite did not change ends as it did.

ruamel.yaml (and any YAML dumper) writes "\\n" only, and breaks a comment at a NEL, LS or PS (YAML 1.1 line
breaks) into two lines. A translator's file may mix CRLF and LF or hold such a character in a comment; the tool
must not rewrite the lines it did not mean to change.
"""

from __future__ import annotations

from difflib import SequenceMatcher

import yaml

from generator.content.yamlread import yaml_lines

_MATCH_LIMIT = 4_000_000  # lines × lines of the changed middle the matcher may compare (it is quadratic)


def line_ending(text: str) -> str:
    """The line ending most of a file's lines use ("\\n" when none or tied); "\\r" for an old Mac file."""
    crlf = text.count("\r\n")
    counts = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    best = max(counts.values())
    return "\n" if best == 0 or counts["\n"] == best else max(counts, key=lambda e: counts[e])


def in_style_of(new: str, old: str, base: str | None = None) -> str:
    """`new` (written with "\\n") with the line endings, byte-order mark and untouched lines of `old`.

    `base` is what the writer makes of `old` unchanged (its round trip; `new` itself when not given): a line
    the edit did not touch is written as `old` has it, break and all, even where the round trip altered it
    (ruamel pads a comment holding a NEL); a new or changed line takes the file's usual ending. The result must
    read as the same YAML as `new`, or `new` is written with the usual ending throughout."""
    bom = "\ufeff" if old.startswith("\ufeff") and not new.startswith("\ufeff") else ""
    ending = line_ending(old)
    uniform = bom + new.replace("\r\n", "\n").replace("\r", "\n").replace("\n", ending)
    if all(brk == ending for brk in yaml_lines(old)[1]):
        return uniform  # one kind of ending only: nothing to keep line by line
    kept = bom + _merged(yaml_lines(new), yaml_lines(old.removeprefix("\ufeff")),
                         yaml_lines(new if base is None else base), ending)
    return kept if kept == uniform or _same_yaml(kept, uniform) else uniform


Lines = tuple[list[str], list[str]]  # yaml_lines: the lines, and the break after each but the last


def _merged(new: Lines, old: Lines, base: Lines, ending: str) -> str:
    """The edit from `base` to `new`, applied to `old`'s own lines."""
    pieces: list[tuple[str, str]] = []
    by_base = _opcodes(old[0], base[0])
    for tag, b1, b2, n1, n2 in _opcodes(base[0], new[0]):
        if tag != "equal":
            pieces += [(new[0][k], ending) for k in range(n1, n2)]
            continue
        for otag, o1, o2, j1, j2 in by_base:
            if otag == "equal" and j1 < b2 and b1 < j2:
                pieces += [(old[0][k], _break(old, k)) for k in range(o1 + max(b1 - j1, 0), o1 + min(b2, j2) - j1)]
            elif otag in ("replace", "delete") and b1 <= j1 and j2 <= b2 and (j1 < j2 or j1 < b2):
                pieces += [(old[0][k], _break(old, k)) for k in range(o1, o2)]  # untouched, as its owner wrote it
            elif otag != "equal" and j1 < b2 and b1 < j2:
                pieces += [(base[0][k], ending) for k in range(max(b1, j1), min(b2, j2))]
    last = len(pieces) - 1
    return "".join(line + (brk or ending if at < last else "") for at, (line, brk) in enumerate(pieces))


def _break(lines: Lines, k: int) -> str:
    return lines[1][k] if k < len(lines[1]) else ""


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `a` to `b`, the common head and tail taken first (the matcher is quadratic)."""
    head, most = 0, min(len(a), len(b))
    while head < most and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < most - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(middle_a) * len(middle_b) <= _MATCH_LIMIT:
        middle = [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in
                  SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()]
    else:
        middle = [("replace", head, len(a) - tail, head, len(b) - tail)]
    ends = [("equal", 0, head, 0, head)] if head else []
    tail_op = [("equal", len(a) - tail, len(a), len(b) - tail, len(b))] if tail else []
    return ends + [op for op in middle if op[1] < op[2] or op[3] < op[4]] + tail_op


def _same_yaml(one: str, other: str) -> bool:
    try:  # both texts are alias-free and size-bounded: the callers parsed them already
        return bool(yaml.safe_load(one) == yaml.safe_load(other))
    except yaml.YAMLError:
        return False
