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
        # Each folder both as named and with its links resolved: `templates -> output` makes output/ the templates
        # folder every build reads (thirty-seventh pass), though no path to it names templates/.
        folders = [place for project in projects for folder in ("content", "templates", "docs")
                   for place in (project / folder, (project / folder).resolve())]
    except (OSError, RuntimeError):
        return True  # a link loop: refuse rather than guess
    return any(target == project / "handouts.yaml" for project in projects) or \
        any(target.is_relative_to(folder) for folder in folders)


def default_output(root: Path) -> Path:
    """The project's own output folder, PROJECT/output, refused when it is a link leading out of the project
    (an output folder elsewhere is named explicitly, with --out) or into the files every build reads."""
    out = root / "output"
    if os.path.lexists(out) and not inside(root, out):
        raise WriteError(f"{out}: the output folder leads outside the project (a link?); nothing was changed; "
                         "make it a real folder, or name the folder you mean with --out")
    # `output -> templates` (or `templates -> output`): a build would write into its own inputs, never skip, and
    # watch would rebuild forever (thirty-seventh pass). A project file problem, as the link leading out is: exit 1.
    if project_input(root, out):
        raise WriteError(f"{out}: the output folder is (through a link) inside the project's own files (settings, "
                         "content, templates or docs), which every build reads; nothing was changed; make output "
                         "a real folder of its own, or name the folder you mean with --out")
    return out
