"""The `handouts` command line. It only wires commands; the work happens in the pipeline packages."""

import signal
import sys


def _aborted(signum: int, frame: object) -> None:
    """Ctrl-C while the command's modules load: Click's own "Aborted!" and exit code 1, never a traceback."""
    sys.stderr.write("\nAborted!\n")
    raise SystemExit(1)


def _loading_handler() -> object:
    """Install `_aborted` for Ctrl-C while loading (unless Ctrl-C is ignored or handled); what it replaced."""
    try:
        previous = signal.getsignal(signal.SIGINT)
        if previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, _aborted)
        return previous
    except ValueError:  # not the main thread: Python delivers signals to the main thread only
        return None


_previous = _loading_handler()
try:
    from generator.cli import desk, reviewers, staff, translators  # noqa: F401 - importing registers the commands
    from generator.cli.common import main
finally:
    if _previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, _previous)  # from here on Click says "Aborted!" itself

__all__ = ["main"]
