"""Whether a family's bold face is its regular one. fonts.yaml naming the regular face's file (or a copy) as the
bold face printed every bold word as the rest: "Do **not** drive" lost its bold "not", headings looked like body
text (sixteenth pass). Such a bold face is drawn by stroking the regular outlines, as `synthetic_bold` asks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.render.fonts import Face


def as_bold(regular: Face, bold: Face) -> Face:
    """The bold face as fonts.yaml names it, drawn by stroking when it is the regular face."""
    return replace(bold, synthetic_bold=True) if not bold.synthetic_bold and same_face(regular, bold) else bold


def same_face(first: Face, second: Face) -> bool:
    """Whether two faces are one: the same file (or a byte-for-byte copy) and the same face of a collection."""
    from generator.render.fonts import FontConfigError, file_digest  # fonts imports this module

    if first.index != second.index:
        return False
    try:
        if first.path.resolve() == second.path.resolve():
            return True
        if first.path.stat().st_size != second.path.stat().st_size:
            return False
        return file_digest(first.path) == file_digest(second.path)  # bounded reads of regular files, memoized
    except (OSError, FontConfigError):
        return False  # an unreadable file is reported where it is read
