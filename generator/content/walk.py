"""Walking a project's folders: every file and folder under one, bounded, each folder once, links followed only
where they lead inside the walk's bounds."""

from __future__ import annotations

import os
from pathlib import Path

MAX_WALKED_FOLDERS = 10_000  # a handout project has a few dozen; beyond this it is a link loop or not a project
# Font files of a templates folder: the inputs fingerprint hashes only the faces fonts.yaml names, so no template
# may be read from such a file (render/sandbox.ProjectLoader, twenty-first pass).
FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf"})


class TooManyFolders(Exception):
    """A walk that had to stop at MAX_WALKED_FOLDERS before the end: `str()` names the folder and the bound."""


def walked(folder: Path, within: Path | None = None, complete: bool = False) -> tuple[list[Path], list[Path]]:
    """Every regular file under `folder`, and every folder walked (`folder` itself first). Files and folders linked
    from inside are taken only when they lead inside `within` (default: `folder`; the project loads a language
    folder linked to another folder of the project, so --watch and the desk must look there too, ninth pass). A
    stack, not recursion (pathlib's `**` and os.walk recurse: a chain of a thousand nested folders ended in a
    RecursionError), and at most MAX_WALKED_FOLDERS folders. Each folder is walked once, however many links lead to
    it: two links to "." in a folder of 200 files listed 2 million paths (1.4 GB, eleventh pass). `complete`: a walk
    that cannot finish raises TooManyFolders, never lists a part as the whole (twenty-second pass: a templates
    folder holding a node_modules left included templates out of the inputs fingerprint)."""
    top = os.path.realpath(within if within is not None else folder).rstrip(os.sep) + os.sep
    found: list[Path] = []
    folders: list[Path] = []
    pending, seen = [str(folder)], 0
    visited: set[tuple[int, int]] = set()
    while pending and seen < MAX_WALKED_FOLDERS:
        current = pending.pop()
        seen += 1
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(current))
        except OSError:
            continue
        folders.append(Path(current))
        for entry in entries:
            try:
                # realpath only for links (per folder it made a deep chain quadratic); a file link, like a folder
                # link, only where it leads inside: the templates' fingerprint read every file the walk listed, an
                # outside one too (twentieth pass)
                inward = not entry.is_symlink() or os.path.realpath(entry.path).startswith(top)
                if entry.is_dir():
                    if inward:
                        pending.append(entry.path)
                elif entry.is_file() and inward:
                    found.append(Path(entry.path))
            except OSError:  # a link loop too deep to follow
                continue
    if complete and pending:
        raise TooManyFolders(f"{folder}: holds more than {MAX_WALKED_FOLDERS:,} folders")
    return found, folders


def files_under(folder: Path, suffix: str = "", within: Path | None = None, complete: bool = False) -> list[Path]:
    """Every regular file under `folder` ending in `suffix`, sorted (see `walked`)."""
    return sorted(path for path in walked(folder, within, complete)[0] if path.name.endswith(suffix))
