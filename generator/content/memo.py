"""What a process remembers between files, texts and handouts (parsed content files, paragraph layouts, string
widths, QR matrices), bounded, and a way to forget all of it.

Every entry is keyed on everything its result depends on, so a remembered result is exactly the one computing
it again would give: the PDFs are byte-identical with and without these memos (tests/render/test_memo.py).
They pay where the same thing comes back: words within a handout, footer lines on every page, and above all
the same content checked and rendered for many clinics in one command (`build --project A --project B ...`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
_all: list[Memo] = []  # type: ignore[type-arg]


class Memo(Generic[Value]):
    """A dictionary that empties itself when it reaches `limit` entries (memory stays bounded; a build
    renders far fewer distinct texts between two clearings than it renders texts)."""

    def __init__(self, limit: int, group: str = "render") -> None:
        self.limit = limit
        self.group = group  # "render" (layouts, widths, codes) or "content" (parsed files, checked texts)
        self.entries: dict[Hashable, Value] = {}
        self.enabled = True
        _all.append(self)

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The remembered value for `key`, or `make()` remembered."""
        if not self.enabled:
            return make()
        try:
            return self.entries[key]
        except KeyError:
            pass
        value = make()
        if len(self.entries) >= self.limit:
            self.entries.clear()
        self.entries[key] = value
        return value


def forget(group: str = "") -> None:
    """Empty every memo, or those of one group (the benchmark empties all before each timed render, so that it
    times a real render)."""
    for memo in _all:
        if not group or memo.group == group:
            memo.entries.clear()


def enable(on: bool) -> None:
    """Switch every memo on or off (off: every result is computed afresh; for tests comparing the two)."""
    for memo in _all:
        memo.enabled = on
        memo.entries.clear()
