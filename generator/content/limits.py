"""A time bound for work done on untrusted input (a template, a font): checked where the work calls back into
us, and enforced for loops that never do: by a timer signal in the main thread, and in any other thread (the
front desk renders in its request threads, which no signal reaches) by a watchdog thread that raises the same
exception in it asynchronously (at its next Python instruction)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TimeLimit(Exception):
    """Work on an input ran past its time bound; the message says what ran too long."""


class _Deadline(threading.local):
    at: float = 0.0
    what: str = ""


_deadline = _Deadline()


def check_time() -> None:
    """Raise TimeLimit when the current deadline has passed (cheap: call it often)."""
    if _deadline.at and time.monotonic() > _deadline.at:
        raise TimeLimit(f"{_deadline.what} took more than its time limit")


@contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Bound the enclosed work to `seconds`: TimeLimit is raised inside it once they have passed."""
    outer = (_deadline.at, _deadline.what)
    _deadline.at, _deadline.what = time.monotonic() + seconds, what
    use_timer = (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
                 and not outer[0]  # the outermost bound owns the timer...
                 and signal.getitimer(signal.ITIMER_REAL)[0] == 0)  # ...unless someone else's is running

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit(f"{what} took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired) if use_timer else None
    if use_timer:
        signal.setitimer(signal.ITIMER_REAL, seconds + 0.5)
    cancel = _watchdog(seconds + 0.5, f"{what} took more than {seconds:g} s") \
        if not use_timer and not outer[0] and threading.current_thread() is not threading.main_thread() else None
    try:
        yield
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if cancel is not None:
            cancel()
        _deadline.at, _deadline.what = outer


def _watchdog(seconds: float, message: str) -> Callable[[], None]:
    """Raise TimeLimit(message) in the calling thread once `seconds` have passed; returns the cancel function
    (after which nothing is raised: an exception already sent but not yet raised is withdrawn)."""
    import ctypes

    target = ctypes.c_ulong(threading.get_ident())
    expired = type("Expired", (TimeLimit,), {"__init__": lambda self: TimeLimit.__init__(self, message)})
    lock = threading.Lock()
    state = {"done": False, "sent": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["sent"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(expired))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()

    def cancel() -> None:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["sent"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)

    return cancel
