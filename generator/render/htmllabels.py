"""A region of the HTML companion is named by its own heading: `aria-labelledby` names a heading inside it.

A screen reader lists a page's regions by their names. The shipped template names each section by its `<h2>` and
each table's scrolling box by its `<caption>`; a project's template named the Safety section by the help section's
heading ("When to get help"), or every section by the disclaimer's ("Important") (nineteenth pass, part B): a
listener moving from region to region heard each section under another's heading. Each id `aria-labelledby` names
must be a heading (`<h1>`–`<h6>`) or caption inside the element it names, the first element of the page with it.
Likewise the keyboard's order is the reading order: a positive `tabindex` moved focus to the crisis line before the
title, and a sighted keyboard user past the instructions (a judgement call of the nineteenth pass, taken up);
`tabindex` is 0 or -1 only, as the shipped template's scrolling table boxes have it.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.render.htmlcheck import UnsafeHtml
from generator.render.htmlparse import VOID, Event, Handler, replay

_LABELS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption"})


class _Regions(Handler):
    """Each element's `aria-labelledby` ids, and each id's first element: its tag and the elements open around it."""

    def __init__(self) -> None:
        self.open: list[tuple[str, int]] = []
        self.count = 0
        self.named: list[tuple[str, int, list[str]]] = []
        self.ids: dict[str, tuple[str, frozenset[int]]] = {}
        self.reordered: list[tuple[str, str | None]] = []  # elements taken out of the reading order (tabindex > 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.count += 1
        if (ident := values.get("id")) and ident not in self.ids:
            self.ids[ident] = (tag, frozenset(index for _, index in self.open))
        if (order := values.get("tabindex")) is not None and order.strip() not in ("0", "-1"):
            self.reordered.append((tag, order))
        if (names := values.get("aria-labelledby")) is not None:
            self.named.append((tag, self.count, names.split()))
        if tag not in VOID:
            self.open.append((tag, self.count))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self.open) - 1, -1, -1):
            if self.open[at][0] == tag:
                del self.open[at:]
                return


def check_labels(page: Sequence[Event]) -> None:
    """Raise UnsafeHtml when an `aria-labelledby` names anything but a heading or caption inside its element, or a
    `tabindex` takes an element out of the reading order."""
    regions = _Regions()
    replay(page, regions)
    for tag, order in regions.reordered:
        raise UnsafeHtml(f'tabindex="{str(order)[:20]}" on <{tag}> moves the keyboard\'s focus out of the reading '
                         'order; use tabindex="0" (focusable in place) or "-1", or none')
    for tag, index, names in regions.named:
        for name in names or [""]:
            label, around = regions.ids.get(name, ("", frozenset()))
            if label not in _LABELS or index not in around:
                raise UnsafeHtml(f'aria-labelledby="{name[:40]}" on <{tag}> names '
                                 f"{'<' + label + '>' if label else 'no element'}"
                                 f"{' outside it' if label in _LABELS else ''}: a screen reader names a region by "
                                 "it, so it must be the region's own heading (or its table's caption), inside it")
