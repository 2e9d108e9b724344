"""A translation file reshaped like its source (`translate sync`), saying what of the translator's it removes.

The reshaping works on ruamel.yaml's round-trip data, so comments, quoting and layout stay. Whatever of the
translation the source no longer has (a key the translator added, a block the source dropped, a text where the
source now has a list) is collected with its line, never dropped without a word (eighth pass: an `alternative:`
wording beside an item went, named nowhere).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from generator.content.model import BLOCK_KINDS
from generator.content.problems import printable

TEXT_KEYS = {"text", "title", "summary"}
# A cited source's entry is the source file's data, title included (the title a publication has, in every
# language; an author's correction, "…, 2nd ed.", never reached a translation, tenth pass): carried like its url.
SOURCE_ENTRIES = "sources"
_ID_KEYS = frozenset({"id", *BLOCK_KINDS})


@dataclass(frozen=True)
class Dropped:
    """Something of the translation's that the reshaping removed: where it was, and its value."""

    line: int  # 1-based, in the translation file as it was read; 0 when unknown
    path: str  # the keys and IDs leading to it, e.g. "sections › expect › points › first › alternative"
    value: Any
    why: str = "the source has no such entry"


def _identity(item: Any) -> object:
    """What identifies a list item across languages: its ID, its block ID (whatever its kind: a list the source
    turns into a checklist keeps its translated items, eighth pass), or a plain value itself (every item of a
    claim's list of sources but the first was reported removed by each sync, though the source has it)."""
    if hasattr(item, "get"):
        for kind, key in (("id", "id"), *(("block", kind) for kind in BLOCK_KINDS)):
            if key in item:  # an ID a hand wrote as a list or mapping matches nothing (eighth pass: a traceback)
                return (kind, item[key]) if isinstance(item[key], str | int | float | bool) else ("unnamed", id(item))
    if isinstance(item, str | int | float | bool):  # a list of plain values (a claim's sources) matches by value
        return ("value", item)
    return None


def _keys(items: list[Any]) -> list[object]:
    """Each list item's identity (`_identity`); an item without one (a mapping without an ID, a date) is known by
    its place among such items. All of them were one identity: every `claims:` list's second ID was reported
    removed on every sync, and a changed first one replaced without a word (fifteenth pass)."""
    keys: list[object] = []
    unnamed = 0
    for item in items:
        found = _identity(item)
        if found is None:
            found, unnamed = ("place", unnamed), unnamed + 1
        keys.append(found)
    return keys


def _plain(value: Any) -> bool:
    return not hasattr(value, "items") and not isinstance(value, list)


def _line(node: Any, key: Any, is_item: bool = False) -> int:
    """The 1-based line of a key (or list item) of round-trip data as it was loaded; 0 when not known."""
    try:
        return int((node.lc.item(key) if is_item else node.lc.key(key))[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def _step(item: Any, position: int) -> str:
    found = _identity(item)
    return str(found[1]) if isinstance(found, tuple) and found[0] != "unnamed" else f"#{position + 1}"


def reconcile(source: Any, target: Any, text_values: bool = False, kept: frozenset[str] = frozenset(),
              dropped: list[Dropped] | None = None, where: str = "") -> Any:
    """`target` reshaped like `source`: its own texts kept, new units copied (in the source language). What of
    the target's goes is added to `dropped` (with `where`, the path to `target`)."""
    lost = dropped if dropped is not None else []
    here = (where + " › ") if where else ""
    if hasattr(source, "items"):
        if not hasattr(target, "items"):
            if target is not None:
                lost.append(Dropped(0, where, target, "the source has a mapping of keys here"))
            return copy.deepcopy(source)
        for key in [k for k in target if k not in source and k not in kept]:
            lost.append(Dropped(_line(target, key), here + str(key), target[key]))
            del target[key]
        for position, (key, value) in enumerate(source.items()):
            if key in kept:
                continue
            if key not in target and hasattr(target, "insert"):  # where the source has it: `- checklist: x` first
                target.insert(min(position, len(target)), key, copy.deepcopy(value))
                continue
            if text_values or (key in TEXT_KEYS and where.split(" › ")[0] != SOURCE_ENTRIES):
                if key not in target or hasattr(target[key], "items") or isinstance(target[key], list):
                    if key in target:
                        lost.append(Dropped(_line(target, key), here + str(key), target[key],
                                            "the source has a text here"))
                    target[key] = copy.deepcopy(value)
            elif hasattr(value, "items") or isinstance(value, list):
                target[key] = reconcile(value, target.get(key), key in ("cells", "strings"), dropped=lost,
                                        where=here + str(key))
            else:
                if hasattr(target.get(key), "items") or isinstance(target.get(key), list):
                    lost.append(Dropped(_line(target, key), here + str(key), target[key],
                                        "the source has a single value here"))
                elif key in target and target[key] is not None and str(target[key]) != str(value):
                    # A value of the translator's own (a source's address in their language) is replaced by the
                    # source's, and said so (ninth pass: it went without a word).
                    lost.append(Dropped(_line(target, key), here + str(key), target[key],
                                        f"replaced by the source's value '{printable(str(value)[:200])}'"))
                target[key] = value
        return target
    if isinstance(source, list):
        if not isinstance(target, list):
            if target is not None:
                lost.append(Dropped(0, where, target, "the source has a list here"))
            return copy.deepcopy(source)
        target_keys, source_keys = _keys(target), _keys(source)
        index: dict[object, tuple[int, Any]] = {}
        for position, (key, item) in enumerate(zip(target_keys, target, strict=True)):
            index.setdefault(key, (position, item))  # the first of two with one ID (the parser reports the second)
        wanted = set(source_keys)
        for position, (key, item) in enumerate(zip(target_keys, target, strict=True)):
            if key not in wanted or index[key][0] != position:
                lost.append(Dropped(_line(target, position, True), here + _step(item, position), item,
                                    "the source has no such item"))
        merged = []
        for position, (key, item) in enumerate(zip(source_keys, source, strict=True)):
            if key not in index:
                merged.append(copy.deepcopy(item))
                continue
            at, mine = index[key]
            if _plain(item) and _plain(mine) and mine is not None and str(mine) != str(item):
                lost.append(Dropped(_line(target, at, True), here + _step(mine, at), mine,
                                    f"replaced by the source's value '{printable(str(item)[:200])}'"))
            merged.append(reconcile(item, mine, dropped=lost, where=here + _step(item, position)))
        target[:] = merged
        return target
    return source


def leaves(value: Any) -> list[str]:
    """Every text or other plain value inside `value` (a mapping's or list's, depth first), but IDs (the path
    names them)."""
    if hasattr(value, "items"):
        return [leaf for key, child in value.items() if key not in _ID_KEYS for leaf in leaves(child)]
    if isinstance(value, list):
        return [leaf for child in value for leaf in leaves(child)]
    return [] if value is None else [str(value)]


def described(shown: str, dropped: list[Dropped], reported: set[str]) -> list[str]:
    """One line per removed thing that holds a value not already named (`reported`: the texts of the units
    already listed as removed), with its line and text."""
    lines = []
    for item in dropped:
        texts = [text for text in leaves(item.value) if text.strip() and text not in reported]
        if not texts:
            continue
        where = f"{shown}:{item.line}" if item.line else shown
        said = "; ".join(printable(text[:200]) for text in texts[:5]) + ("; …" if len(texts) > 5 else "")
        lines.append(f"{where}: {printable(item.path)} ({item.why}; it held: {said})")
    return lines
