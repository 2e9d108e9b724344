"""Where a font file that fonts.yaml names is: in its own templates folder, else among the generator's own faces."""

from __future__ import annotations

import os
from pathlib import Path


def inside(folder: Path, relative: str) -> bool:
    """Whether a relative path stays inside `folder`, links resolved (no font is read from elsewhere)."""
    try:
        if Path(relative).is_absolute():
            return False
        base = folder.resolve()
        return (base / relative).resolve().is_relative_to(base)
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a link loop
        return False


def locate(templates: Path, relative: str) -> Path:
    """The file a fonts.yaml in `templates` names. A project's copy of the shipped fonts.yaml (README: "files you do
    not copy keep coming from the tool") names the shipped faces, which it need not copy: a path the project's
    folder does not hold, not even its folder, is the generator's own file of that path, when there is one
    (thirty-first pass); a file missing from a folder the project holds (a family it copied) stays missing."""
    own = templates / relative
    if os.path.lexists(own) or os.path.lexists(own.parent):
        return own
    from generator.render.template import default_templates

    shipped = default_templates()
    try:
        if shipped.resolve() != templates.resolve() and inside(shipped, relative) and (shipped / relative).is_file():
            return shipped / relative
    except OSError:
        pass
    return own


def declare_hint(lang: str) -> str:
    """How to declare a language's fonts: in a project without a fonts.yaml of its own, in a copy of the shipped one."""
    from generator.render.template import default_templates

    shipped = default_templates() / "fonts.yaml"
    return (f", e.g. `{lang}: {{family: noto-sans}}` for a language written in Latin, Cyrillic or Greek letters; a "
            f"project without a templates/fonts.yaml of its own copies the generator's ({shipped}) into its "
            "templates/ folder first (the font files it names need not be copied)")
