"""`python -m generator` runs the `handouts` command."""

import os
import sys

# `python -m` puts the current folder first on Python's path: run inside a project, ReportLab's start-up imported
# the project's `reportlab_settings.py` (a project can never run code: nineteenth pass). This package is imported
# already; its own modules are found through it, and nothing else may come from the current folder.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from generator.cli import main  # noqa: E402 - after the path is made safe

main()
