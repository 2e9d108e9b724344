"""A text replaced in a round-trip-loaded YAML mapping without losing the comment on a block text's `>-`/`|` line."""

from __future__ import annotations

from typing import Any


def put_text(container: Any, key: Any, new: Any) -> None:
    """Set `container[key] = new` (a quoted text), keeping a comment that sat on the old block text's indicator line
    (`text: >-  # asked Dr K`) as the new text's end-of-line comment, with any comment lines that followed it.

    ruamel.yaml keeps such a comment on the block text itself (its `comment`), so replacing the text by a quoted
    one dropped it without a word (thirty-seventh pass); a quoted text's comment is the mapping's own and stays."""
    old = container[key]
    note = str(getattr(old, "comment", None) or "").strip()
    container[key] = new
    if not note.startswith("#") or not hasattr(container, "ca"):
        return
    slot = container.ca.items.get(key)
    after = slot[2] if slot is not None else None  # comment lines below the block text: kept below the new text
    if slot is not None:
        slot[2] = slot[3] = None  # [3] holds the indicator line's comment again; written once, as [2]
    container.yaml_add_eol_comment(note, key)
    if after is not None:
        token = container.ca.items[key][2]
        token.value = token.value.rstrip("\n") + "\n" + " " * after.column + after.value
