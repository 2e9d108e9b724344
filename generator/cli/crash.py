"""What an unexpected exception (a bug) prints: one line saying what and where, never a Python traceback.

Every failure a user can cause has its own message (cli/common._report); anything else is a bug in the generator.
As Sphinx does, the user is told so in plain words, with where to look, instead of a traceback that reads as if
their files were broken. `HANDOUTS_TRACEBACK=1` raises it as it is (the test suite sets it, so that a bug fails its
test instead of passing as an exit 1)."""

from __future__ import annotations

import os
import sys
import traceback

from generator.content.problems import printable

TRACEBACK_ENV = "HANDOUTS_TRACEBACK"
_SHOWN_CHARS = 200  # of the exception's own words: they may quote a whole file


def wanted() -> bool:
    """Whether the user asked for Python's own traceback (HANDOUTS_TRACEBACK=1)."""
    return os.environ.get(TRACEBACK_ENV, "") not in ("", "0")


def crashed(exc: Exception) -> int:
    """Say on stderr that the command stopped on a bug, what and where; the exit code (1)."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [frame for frame in frames if f"{os.sep}generator{os.sep}" in frame.filename] or frames
    where = ""
    if own:
        path = own[-1].filename
        where = f" (at {path[path.rfind(f'{os.sep}generator{os.sep}') + 1:]}:{own[-1].lineno}, in {own[-1].name})"
    words = printable(str(exc))
    words = words if len(words) <= _SHOWN_CHARS else words[:_SHOWN_CHARS] + " …"
    sys.stderr.write(f"error: the command stopped on an unexpected error, {type(exc).__name__}: {words}{where}. "
                     "This is a bug in patient-handouts, not a fault in your files: please report it with the "
                     f"command you ran ({TRACEBACK_ENV}=1 shows Python's details). Every file is as it was or "
                     "whole: nothing is ever half-written.\n")
    return 1
