"""A table of the HTML companion says which of its cells are headers as the handout's table has them.

The grid check (render/faithgrid.py) holds each cell under its column; a screen reader pairs a cell with its
header cells from the markup: `<th>`, `scope=`. A project's template wrote the column names as `<td>` (a row like
the others: the answers were read with no column names), as `<th scope="row">` (each name read as the header of
the next one), or a row's first cell as `<th scope="col">` (read as the column name of the cells below it)
(nineteenth pass, part B). The first row's cells are column headers (`<th>`, `scope="col"` or none); a later row's
are data cells (`<td>`), its first may be the row's header (`<th scope="row">`).
A browser draws a table's first `<thead>` above its rows and a `<tfoot>` below them wherever they are written: a
template wrapping the first row in `<tfoot>` printed it last, under the rows that follow it. A `<thead>` comes
before any row, and no `<tfoot>` is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.render.htmlcheck import UnsafeHtml
from generator.render.htmlparse import Event, Handler, replay


class _Cells(Handler):
    """Each table's rows, each row its cells' (tag, scope); tables inside cells apart."""

    def __init__(self) -> None:
        self.open: list[list[list[tuple[str, str]]]] = []
        self.done: list[list[list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tfoot" or (tag == "thead" and self.open and any(self.open[-1])):
            raise UnsafeHtml(f"<{tag}> {'after a row ' if tag == 'thead' else ''}is not allowed in a table: a browser "
                             "draws it above (<thead>) or below (<tfoot>) the other rows wherever it is written, so "
                             "rows print in another order; write the column names in a <thead> first, the rows in "
                             "<tbody>")
        if tag == "table":
            self.open.append([])
        elif tag == "tr" and self.open:
            self.open[-1].append([])
        elif tag in ("td", "th") and self.open:
            if not self.open[-1]:
                self.open[-1].append([])
            self.open[-1][-1].append((tag, (dict(attrs).get("scope") or "").strip().lower()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.open:
            self.done.append(self.open.pop())


def check_headers(page: Sequence[Event]) -> None:
    """Raise UnsafeHtml when a table's first row is not header cells, or a later row's cells are column headers."""
    cells = _Cells()
    replay(page, cells)
    for table in cells.done:
        rows = [row for row in table if row]
        for index, row in enumerate(rows):
            for column, (tag, scope) in enumerate(row):
                if index == 0:
                    wrong = tag != "th" or scope not in ("", "col")
                else:
                    wrong = tag == "th" and (scope != "row" or column != 0)
                if wrong:
                    written = f"<{tag}{' scope=' + repr(scope) if scope else ''}>"
                    raise UnsafeHtml(f"a table's {'column name' if index == 0 else 'cell'} written as {written} (row "
                                     f"{index + 1}, column {column + 1}): a screen reader reads a table's cells with "
                                     "its header cells; write the column names as <th scope=\"col\">, the rows' "
                                     "cells as <td> (a row's first may be <th scope=\"row\">)")
