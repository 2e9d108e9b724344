"""The command line's option types: papers, finite numbers, files and folders named on it, never empty."""

from __future__ import annotations

import errno
import math
import os
from pathlib import Path

import click

from generator.content.problems import printable

PAPER = click.Choice(["letter", "a4"])


class FiniteFloat(click.ParamType):
    """A number that is finite: `nan` and `inf` are usage errors (they would make every comparison pass)."""

    name = "number"

    def __init__(self, low: float = -math.inf, high: float = math.inf) -> None:
        self.low, self.high = low, high

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.fail(f"'{value}' is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"'{value}' is not a finite number", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number:g} is not between {self.low:g} and {self.high:g}", param, ctx)
        return number


class OutFile(click.Path):
    """A file to write named on the command line: never empty nor a folder's name (`-o ''` is the current folder,
    which ended in a traceback; `-o x/` names no file)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        if isinstance(value, str) and (not value.strip() or os.path.basename(value) in ("", ".", "..")):
            self.fail(f"{printable(value)!r} names no file; give a file name (e.g. es.po), or leave the option "
                      "out to write to standard output", param, ctx)
        return super().convert(value, param, ctx)


class OutFolder(click.Path):
    """An output folder named on the command line: never empty (click reads '' as the current folder, and a
    script's empty $OUT put es/, manifest.json and the lock file into the project's root)."""

    EMPTY = "is empty; name the folder to write into (leave the option out for the default)"

    def __init__(self, file_okay: bool = False) -> None:
        super().__init__(file_okay=file_okay, path_type=Path)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        if isinstance(value, str) and not value.strip():
            self.fail(self.EMPTY, param, ctx)
        if isinstance(value, (str, Path)) and _link_loop(Path(value)):
            # Path.resolve() gives up on a loop, which a later check read as "inside the project's own files".
            self.fail(f"{printable(str(value))} goes through links that lead back to themselves (a link loop); "
                      "remove the link or name another folder", param, ctx)
        return super().convert(value, param, ctx)


class ProjectFolder(OutFolder):
    """A project folder named on the command line: never empty (a script's empty $PROJECT ran the command on the
    project the shell stood in) nor a link loop (a traceback in every command: nineteenth pass)."""

    EMPTY = "is empty; name the project folder (. for the current one)"


class SecondLanguage(click.ParamType):
    """`--bilingual CODE`: never empty (a script's empty $SECOND built the one-language edition, unsaid)."""

    name = "code"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        if isinstance(value, str) and not value.strip():
            self.fail("is empty; give the second language's code (e.g. en), or leave the option out for the "
                      "one-language edition", param, ctx)
        return value


project_option = click.option(
    "--project", "project", type=ProjectFolder(), default=Path("."),
    show_default="current directory", help="The handout project folder (holding handouts.yaml).",
)


def _link_loop(path: Path) -> bool:
    """Whether following `path`'s links never ends (each part of it, as the system would follow them)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
