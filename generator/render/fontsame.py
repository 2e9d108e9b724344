"""Whether a family's bold face is its regular one. fonts.yaml naming the regular face's file (or a copy) as the
bold face printed every bold word as the rest: "Do **not** drive" lost its bold "not", headings looked like body
text (sixteenth pass). Such a bold face is drawn by stroking the regular outlines, as `synthetic_bold` asks.

`synthetic_bold` is a YAML true or false, and means only that: stroke the regular outlines. Any other value (the
quoted "no" was read as true) and a `synthetic_bold: true` family whose bold file is another face are refused at
their line: the flag turned the weight check off, and a bold face lighter than the regular one printed every bold
word and heading lighter than the text around it (thirty-seventh pass)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.render.fonts import Face


def synthetic_flag(value: object, where: str) -> bool:
    """fonts.yaml's `synthetic_bold:` (`where`: "path: families.NAME"), refused unless a YAML true or false."""
    from generator.render.fonts import FontConfigError  # fonts imports this module

    if not isinstance(value, bool):
        raise FontConfigError(f"{where}.synthetic_bold: {str(value)[:40]!r} is not true or false; write "
                              "synthetic_bold: true or synthetic_bold: false, unquoted (or remove the line)")
    return value


def as_bold(regular: Face, bold: Face, where: str = "") -> Face:
    """The bold face as fonts.yaml names it, drawn by stroking when it is the regular face; a face marked
    `synthetic_bold` that is not the regular one is refused (`where`: "path: families.NAME")."""
    from generator.render.fonts import FontConfigError  # fonts imports this module

    if bold.synthetic_bold and not same_face(regular, bold):
        raise FontConfigError(f"{where}.synthetic_bold: `synthetic_bold: true` draws the bold faces by stroking "
                              f"the regular outlines, but {bold.name.rsplit('-', 1)[-1]}: names another face "
                              f"({bold.path.name}) than {regular.name.rsplit('-', 1)[-1]}: ({regular.path.name}); "
                              "name the regular file there too, or remove `synthetic_bold` to use that face as "
                              "drawn (it must then be visibly heavier)")
    return replace(bold, synthetic_bold=True) if not bold.synthetic_bold and same_face(regular, bold) else bold


def bolds(faces: dict[str, Face], where: str) -> dict[str, Face]:
    """A family's bold faces as drawn (`as_bold` of each next to its plain face)."""
    return {bold: as_bold(faces[plain], faces[bold], where) for plain, bold in (("regular", "bold"),
            ("italic", "bold_italic")) if plain in faces and bold in faces}


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
