"""One bound for all the renders of a project's own templates that `check` makes, not only for each one.

`check` renders a project's own templates for every handout, language and edition (1,280 renders for the shipped
project with its own PDF and HTML templates, about 15 ms each on a loaded machine). Each render is bounded to
10 s (render/sandbox.py), but a template spending 2 s in a loop each time ran `check` past 150 s, and at 9 s each
would take over three hours (thirtieth pass). Together they may take 10 s plus 50 ms a render: a few times what
real templates need, whatever the project's size.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

BASE_SECONDS = 10.0  # one render's own bound (render/sandbox.SECONDS)
SECONDS_PER_RENDER = 0.05


class _Budget(threading.local):
    active: bool = False
    spent: float = 0.0
    renders: int = 0


_budget = _Budget()


@contextmanager
def shared() -> Iterator[None]:
    """Bound every render inside together (`check`'s renders of every edition)."""
    outer = (_budget.active, _budget.spent, _budget.renders)
    _budget.active, _budget.spent, _budget.renders = True, 0.0, 0
    try:
        yield
    finally:
        _budget.active, _budget.spent, _budget.renders = outer


def allowed(limit: float) -> float:
    """The seconds the next render may take: `limit`, or less when the shared budget is nearly spent."""
    if not _budget.active:
        return limit
    _budget.renders += 1
    return min(limit, BASE_SECONDS + SECONDS_PER_RENDER * _budget.renders - _budget.spent)


def exhausted() -> str:
    """Why the shared budget is spent, as an error's words, or "" while it is not (or none applies)."""
    if not _budget.active or _budget.spent < BASE_SECONDS + SECONDS_PER_RENDER * _budget.renders - 0.01:
        return ""
    return (f"the project's templates took {_budget.spent:.0f} s in the first {_budget.renders} of the renders check "
            f"makes of every handout and edition, more than the {BASE_SECONDS:g} s plus {SECONDS_PER_RENDER * 1000:g} "
            "ms a render they may take in all (a handout renders in milliseconds: the template loops too long)")


@contextmanager
def timed() -> Iterator[None]:
    """Count the enclosed render's time against the shared budget."""
    started = time.monotonic()
    try:
        yield
    finally:
        if _budget.active:
            _budget.spent += time.monotonic() - started
