"""Standard input or error closed when a command starts (`2>&-`, a service unit or cron line that closes them):
the null device in their place, before the command opens any file (thirtieth pass)."""

from __future__ import annotations

import os
import sys


def plug_closed() -> None:
    """Open the null device as descriptors 0 and 2 when they are closed: a file the command opened next (a lock
    file, a PDF being written) took the number, and anything writing "to standard error" below Python (a library,
    a child process) would have written into it. Python, which found them closed, gets streams to match: a closed
    standard error made `sys.stderr` None and `build` ended in an AttributeError no one saw, nothing built. A
    closed standard output stays closed: the command says so and stops (`common.SafeGroup.main`)."""
    for number in (0, 2):
        try:
            os.fstat(number)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != number:
                os.dup2(opened, number)
                os.close(opened)
    if sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
