"""Where a command's output may go: never over a file a handout project reads, and the project's own output folder
only when it is a real folder of the project."""

from __future__ import annotations

import os
from pathlib import Path

from generator.content.files import WriteError, inside


def project_input(root: Path, path: Path) -> bool:
    """Whether `path` (links resolved) is a file the project reads or keeps — or another handout project around
    it does (`--out ../other-clinic/content`): settings, or anything in content/, templates/ or docs/ (lint's
    terminology table, the translators' guides): a command's own output must never replace one."""
    try:
        target, base = path.resolve(), root.resolve()
        projects = {base, *(folder for folder in target.parents if (folder / "handouts.yaml").is_file())}
    except (OSError, RuntimeError):
        return True  # a link loop: refuse rather than guess
    return any(target == project / "handouts.yaml" or any(
        target.is_relative_to(project / folder) for folder in ("content", "templates", "docs")) for project in projects)


def default_output(root: Path) -> Path:
    """The project's own output folder, PROJECT/output, refused when it is a link leading out of the project
    (an output folder elsewhere is named explicitly, with --out)."""
    out = root / "output"
    if os.path.lexists(out) and not inside(root, out):
        raise WriteError(f"{out}: the output folder leads outside the project (a link?); nothing was changed; "
                         "make it a real folder, or name the folder you mean with --out")
    return out
