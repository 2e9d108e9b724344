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
from yaml.nodes import MappingNode, Node, ScalarNode

from generator.content.problems import ContentError, Loc, Problem, Problems, printable

T = TypeVar("T")
Schema = dict[str, "Schema | None"]  # a key's own keys; None: any value; "*": any name (a family, a language)

_TEXT: Schema = dict.fromkeys(("size", "leading", "bold", "space_before", "space_after"))
_STYLES: Schema = dict.fromkeys(("clinic", "title", "summary", "heading", "subheading", "body", "item", "cell",
                                 "disclaimer"), _TEXT)
_BILINGUAL: Schema = dict.fromkeys(("size_ratio", "min_size", "indent"))
STYLE: Schema = {
    "page": {"margin_mm": dict.fromkeys(("top", "bottom", "left", "right")), "footer_size": None},
    "colors": dict.fromkeys(("text", "heading", "muted", "second", "rule", "callout_background", "callout_border",
                             "table_header_background", "table_grid", "watermark")),
    "text": _STYLES, "bilingual": _BILINGUAL,
    "large_print": {"footer_size": None, "text": _STYLES, "bilingual": _BILINGUAL},
}
FONTS: Schema = {
    "families": {"*": dict.fromkeys(("regular", "bold", "italic", "bold_italic", "synthetic_bold"))},
    "languages": {"*": dict.fromkeys(("family", "direction", "breaking"))},
}


# Families in fonts.yaml, languages in it: a project needs a few dozen at most. Each is located and checked at every
# load; a 2 MB fonts.yaml of 50,000 unused families made a build of one handout take 72 s (thirty-fifth pass).
MAX_NAMED = 200


def nearest(name: str, known: list[str]) -> str:
    """How to fix an unknown `name`: the known key it is most like ("did you mean"), else every known key."""
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else f"the keys here are: {', '.join(known)}"


def unknown_keys(path: Path, schema: Schema) -> list[tuple[int, int, str]]:
    """(line, column, what is wrong and how to fix it) for each key of the file that `schema` does not know;
    empty when the file cannot be read as settings (its reader says why: aliases, tags, a duplicate key)."""
    from generator.content.files import FileRefused, read_bytes
    from generator.content.yamldata import load_data
    from generator.content.yamlread import MAX_FILE_BYTES, SAFE_LOADER

    try:
        load_data(path)
        root = yaml.compose(read_bytes(path, MAX_FILE_BYTES).decode("utf-8"), Loader=SAFE_LOADER)
    except (FileRefused, OSError, ValueError, yaml.YAMLError, RecursionError):
        return []
    found: list[tuple[int, int, str]] = []
    pending: list[tuple[Node | None, Schema]] = [(root, schema)]
    while pending:  # not recursive: only as deep as the schema
        node, known = pending.pop()
        if not isinstance(node, MappingNode):
            continue  # a value of the wrong shape: the reader says so
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
            elif inner is not None:
                pending.append((value, inner))
    return sorted(found)


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
