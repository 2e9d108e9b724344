"""The keys style.yaml and fonts.yaml may hold. Any other (a misspelling: `italik:`, `leadng:`) is named at its
line and column with the nearest known key, never silently ignored: fonts.yaml's `italik:` left a family without
italics, and the content's `*` markup was blamed (thirty-third pass)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.problems import ContentError, Loc, Problem, Problems, printable

T = TypeVar("T")
# A key's own keys; or the kind of value it holds (a Kind: a number in points, a file path, ...); None: any value
# (read and checked by its loader); "*": any name (a family, a language).
Schema = dict[str, "Schema | Kind | None"]


class Kind(str):
    """The kind of value a setting takes, named as its error says it ("a number (points)")."""


POINTS, MILLIMETRES, RATIO = Kind("a number (points)"), Kind("a number (millimetres)"), Kind("a number (a ratio)")
TRUE_FALSE, COLOUR = Kind("true or false"), Kind('a colour in quotes ("#1a1a1a")')
FILE, NAME = Kind("a file path (fonts/…/….ttf)"), Kind("a name")
_NUMBERS = (POINTS, MILLIMETRES, RATIO)

_TEXT: Schema = {"size": POINTS, "leading": POINTS, "bold": TRUE_FALSE, "space_before": POINTS,
                 "space_after": POINTS}
_STYLES: Schema = dict.fromkeys(("clinic", "title", "summary", "heading", "subheading", "body", "item", "cell",
                                 "disclaimer"), _TEXT)
_BILINGUAL: Schema = {"size_ratio": RATIO, "min_size": POINTS, "indent": POINTS}
STYLE: Schema = {
    "page": {"margin_mm": dict.fromkeys(("top", "bottom", "left", "right"), MILLIMETRES), "footer_size": POINTS},
    "colors": dict.fromkeys(("text", "heading", "muted", "second", "rule", "callout_background", "callout_border",
                             "table_header_background", "table_grid", "watermark"), COLOUR),
    "text": _STYLES, "bilingual": _BILINGUAL,
    "large_print": {"footer_size": POINTS, "text": _STYLES, "bilingual": _BILINGUAL},
}
FONTS: Schema = {
    "families": {"*": {"regular": FILE, "bold": FILE, "italic": FILE, "bold_italic": FILE, "synthetic_bold": None}},
    "languages": {"*": {"family": NAME, "direction": NAME, "breaking": NAME}},
}
# Sections that may be left empty (`bilingual:` with every line commented out): their loader reads them as none.
_MAY_BE_EMPTY = frozenset({"bilingual", "large_print", "text", "large_print.text", "large_print.bilingual"})
_TAGS = {"tag:yaml.org,2002:null": "empty", "tag:yaml.org,2002:bool": "true/false",
         "tag:yaml.org,2002:str": "text", "tag:yaml.org,2002:int": "number", "tag:yaml.org,2002:float": "number"}


# Families in fonts.yaml, languages in it: a project needs a few dozen at most. Each is located and checked at every
# load; a 2 MB fonts.yaml of 50,000 unused families made a build of one handout take 72 s (thirty-fifth pass).
MAX_NAMED = 200


def nearest(name: str, known: list[str]) -> str:
    """How to fix an unknown `name`: the known key it is most like ("did you mean"), else every known key."""
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else f"the keys here are: {', '.join(known)}"


def unknown_keys(path: Path, schema: Schema) -> list[tuple[int, int, str]]:
    """(line, column, what is wrong and how to fix it) for each key of the file that `schema` does not know, and
    each value not of the kind its key takes; empty when the file cannot be read as settings (its reader says why:
    aliases, tags, a duplicate key)."""
    from generator.content.files import FileRefused, read_bytes
    from generator.content.yamldata import load_data
    from generator.content.yamlread import MAX_FILE_BYTES, SAFE_LOADER

    try:
        load_data(path)
        root = yaml.compose(read_bytes(path, MAX_FILE_BYTES).decode("utf-8"), Loader=SAFE_LOADER)
    except (FileRefused, OSError, ValueError, yaml.YAMLError, RecursionError):
        return []
    found: list[tuple[int, int, str]] = []
    pending: list[tuple[Node | None, Schema | Kind | None, str]] = [(root, schema, "")]
    while pending:  # not recursive: only as deep as the schema
        node, known, at = pending.pop()
        if node is None or known is None:
            continue
        if isinstance(known, Kind) or not isinstance(node, MappingNode):
            if at and (wrong := _wrong_kind(node, known, at)):
                found.append((node.start_mark.line + 1, node.start_mark.column + 1, wrong))
            continue
        if "*" in known and len(node.value) > MAX_NAMED:  # the first entry past the bound, not one by one
            extra = node.value[MAX_NAMED][0]
            found.append((extra.start_mark.line + 1, extra.start_mark.column + 1,
                          f"{len(node.value):,} entries here, more than the {MAX_NAMED} read; name only the "
                          "families and languages the handouts use"))
            continue
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else ""
            inner = known.get(name, known.get("*", False)) if isinstance(name, str) else False
            if inner is False:
                names = [k for k in known if k != "*"]
                found.append((key.start_mark.line + 1, key.start_mark.column + 1,
                              f'unknown key "{printable(str(name)[:40])}"; {nearest(str(name), names)}'))
            else:
                pending.append((value, inner, f"{at}.{name}" if at else name))
    return sorted(found)


def _wrong_kind(node: Node, known: Schema | Kind, at: str) -> str | None:
    """What is wrong with a value of the wrong kind at `at` (dotted), and how to fix it; None if it is right.
    Every value is checked here, at its line: `footer_size: [8]` was "a setting is empty or holds a list", with
    no line or key, `right: "x"` Python's "could not convert string to float", and `space_before: true` was read
    as 1 pt (thirty-seventh pass)."""
    found = _TAGS.get(node.tag, "value") if isinstance(node, ScalarNode) else \
        "a list" if isinstance(node, SequenceNode) else "settings (key: value lines)"
    text = node.value if isinstance(node, ScalarNode) else ""
    if not isinstance(known, Kind):  # a section: settings under it
        if found == "empty" and at in _MAY_BE_EMPTY:
            return None
        return (f"{at} must be settings (key: value lines, as in the shipped file), not {_said(found, text)}; "
                "write them indented beneath it")
    if known in _NUMBERS:
        if found == "number" or (found == "text" and _number(text)):
            return None
        return f"{at} must be {known}, not {_said(found, text)}; write a number such as 8 or 4.5, without quotes"
    if known == TRUE_FALSE:
        return None if found == "true/false" else \
            f"{at} must be true or false, not {_said(found, text)}; write true or false, without quotes"
    if found == "text" and text.strip():
        return None
    hint = "; a # starts a comment, so a colour needs quotes" if known == COLOUR and found == "empty" else ""
    return f"{at} must be {known}, not {_said(found, text)}{hint}; write one, as the shipped file does"


def _said(found: str, text: str) -> str:
    if found == "true/false":
        return printable(text[:10])
    if found in ("text", "number") and text:
        return f"the {found} '{printable(text[:40])}'"
    return {"empty": "empty", "value": "a value of another kind"}.get(found, found)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def first_unknown(path: Path, schema: Schema) -> str | None:
    """The first unknown key as a settings error's message ("path: line L, column C: unknown key …"), or None."""
    found = unknown_keys(path, schema)
    if not found:
        return None
    line, col, what = found[0]
    more = f" ({len(found) - 1} more unknown key(s) in this file)" if len(found) > 1 else ""
    return f"{path}: line {line}, column {col}: {what}{more}"


def _problems(root: Path) -> list[Problem]:
    """Every unknown key of the project's style.yaml and fonts.yaml, as problems at their lines."""
    from generator.render import template

    problems = Problems()
    for name, schema in (("style.yaml", STYLE), ("fonts.yaml", FONTS)):
        path = template.find(root, name) / name
        shown = os.path.relpath(path, root) if path.resolve().is_relative_to(root.resolve()) else str(path)
        for line, col, what in unknown_keys(path, schema):
            problems.add(Loc(shown, line, col), "", *what.split("; ", 1))
    return problems.errors


def with_unknown_keys(root: Path, loading: Callable[[], tuple[T, Problems]]) -> tuple[T, Problems]:
    """`loading()`'s project and problems; its ContentError, or a new one, also lists every unknown key of the
    project's style.yaml and fonts.yaml: all in one pass (`check`, `build`)."""
    keys = _problems(root)
    try:
        project, problems = loading()
    except ContentError as exc:
        raise ContentError([*exc.problems, *keys]) from None
    if keys:
        raise ContentError([*problems.errors, *keys])
    return project, problems
