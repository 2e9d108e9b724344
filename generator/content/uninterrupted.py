"""Ctrl-C, a `kill` or a closed terminal held off while a command renames its files into place: a multi-file
write (approve of several files, an import into two) stopped between two renames left some files changed and
others not."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP are recorded, not acted on; each is delivered once the block
    ends (so the command still stops, after its renames). Only the main thread can hold them: elsewhere (a desk
    request's thread) the block runs as it is, and Python acts on signals in the main thread only anyway."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def record(number: int, _frame: FrameType | None) -> None:
        arrived.append(number)

    before = {number: signal.signal(number, record) for number in HELD}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(arrived):  # acted on as it would have been, now the files are whole
            handler = before[number]
            if callable(handler):  # Python's own (Ctrl-C's KeyboardInterrupt): raised here, not at a later moment
                handler(number, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)  # the default action: the process ends
