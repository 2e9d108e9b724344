"""handouts.yaml as every command reads it: never through a link leading out of the project (sixteenth pass: the
translator commands and `status` read one that `check` refused)."""

from __future__ import annotations

from pathlib import Path

from generator.content.files import inside
from generator.content.model import Settings
from generator.content.parse import Parser
from generator.content.problems import ContentError, Loc, Problems
from generator.content.yamlread import Doc, read

SETTINGS_FILE = "handouts.yaml"


def settings_doc(root: Path, problems: Problems) -> Doc:
    """The project's settings file parsed, or an empty Doc with the problem recorded when it leads outside."""
    root = root.resolve()
    path = root / SETTINGS_FILE
    if not inside(root, path):
        problems.add(Loc(SETTINGS_FILE), "", "this file is a link that leads outside the project",
                     "copy the file into the project instead of linking to it")
        return Doc(path, SETTINGS_FILE, problems)
    return read(path, SETTINGS_FILE, problems)


def project_settings(root: Path) -> Settings:
    """The project's handouts.yaml on its own (a translator command works on files a build would refuse)."""
    settings = Parser(settings_doc(root, problems := Problems())).settings()
    if settings is None:
        raise ContentError(problems.errors)
    return settings
