"""The `handouts` command line. It only wires commands; the work happens in the pipeline packages."""

import signal
import sys

from generator.cli.streams import plug_closed

plug_closed()  # before anything opens a file: a closed standard error's number is never a file's


def _aborted(signum: int, frame: object) -> None:
    """Ctrl-C while the command's modules load: Click's own "Aborted!" and exit code 1, never a traceback."""
    sys.stderr.write("\nAborted!\n")
    raise SystemExit(1)


def _loading_handler() -> bool:
    """Install `_aborted` for Ctrl-C while loading, unless Ctrl-C is ignored or handled; whether it did."""
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _aborted)
            return True
    except ValueError:  # not the main thread: Python delivers signals to the main thread only
        pass
    return False


_installed = _loading_handler()
try:
    from generator.cli import desk, reviewers, staff, translators  # noqa: F401 - importing registers the commands
    from generator.cli.common import main
finally:
    if _installed:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on Click says "Aborted!" itself

__all__ = ["main"]
