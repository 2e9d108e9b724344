"""What the loader says about content/'s folders before it reads them: unreadable ones, misnamed ones."""

from __future__ import annotations

import os
from pathlib import Path

from generator.content.names import is_language_code
from generator.content.problems import Loc, Problems, printable


def misnamed_folders(content: Path, problems: Problems) -> None:
    """A folder under content/ whose name is no language code (ES, es_MX, a Cyrillic е) is never read: say so,
    or a translator's whole work would stay invisible (nothing lost silently)."""
    try:
        folders = sorted(entry.name for entry in os.scandir(content) if entry.is_dir())
    except OSError:
        return
    for name in folders:
        if not is_language_code(name) and not name.startswith((".", "_")):
            problems.add(Loc(f"content/{printable(name)}"), "", f"the folder content/{printable(name)}/ is not named "
                         "with a language code, so its files are never read", "rename it to the language's code "
                         "(es, pt-BR, zh-Hans: lower-case language, '-' before the region or script)",
                         severity="warning")


def folder_unreadable(folder: Path) -> str:
    """Why a language folder cannot be read ("" when it can, or is missing: that is said elsewhere)."""
    try:
        names = os.listdir(folder)
        if names:
            os.lstat(folder / names[0])  # listable is not enough: its files must be reachable too (x)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return ""
