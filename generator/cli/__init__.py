"""The `handouts` command line. It only wires commands; the work happens in the pipeline packages."""

from generator.cli import desk, reviewers, staff, translators  # noqa: F401 - importing a module registers its commands
from generator.cli.common import main

__all__ = ["main"]
