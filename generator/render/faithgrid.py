"""A table is printed as its block's grid: each cell under its own column, and a box's repeated heading says only
what the handout's does.

The in-order check (render/faithful.py) sees the words a template lays out, not where a table puts them. A template
that printed the column names in order on a line above the table and then swapped two of them in its heading row,
or shifted a row's cells by an empty cell (or a `colspan`), paired ketamine's answers with "Psilocybin"
(fifteenth pass). So every laid-out table (PDF) or HTML `<table>` holding a table's units must be that table: its
first row the column names, in order, and each other row one of its rows, whole, with each cell one unit (and its
translation, in a bilingual edition).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.render.faithmarks import Unfaithful
from generator.render.localize import View

Grid = Sequence[Sequence[Sequence[str]]]  # rows of cells, each cell the texts laid out in it


def _plain(text: object) -> str:
    return " ".join(getattr(text, "plain", "").split())


def _blocks(view: View) -> list[tuple[tuple[str, ...], set[tuple[str, ...]]]]:
    """Each table block of a view: its column names, and its rows (plain texts; an empty cell is '')."""
    found = []
    for section in view.sections:
        for block in section["blocks"]:
            if block["rows"] or block["columns"]:
                found.append((tuple(_plain(c) for c in block["columns"]),
                              {tuple(_plain(c) for c in row) for row in block["rows"]}))
    return found


def check_tables(grids: Iterable[Grid], view: View, second: View | None = None) -> None:
    """Raise Unfaithful unless every laid-out table holding a table's units (in either language) is that table."""
    for v in [view] if second is None else [view, second]:
        blocks = _blocks(v)
        units = {text for columns, rows in blocks for text in (*columns, *(t for row in rows for t in row)) if text}
        for grid in grids:
            rows = [tuple(_unit_of(cell, units) for cell in row) for row in grid]
            if not any(text for row in rows for text in row):
                continue  # not a table of this language's (a template may lay paragraphs out side by side)
            if not any(_is_grid(rows, columns, known) for columns, known in blocks):
                shown = " | ".join(text or "(empty)" for text in rows[0])[:80] if rows else ""
                raise Unfaithful(f"it prints a table whose cells are not under their own columns ({v.lang}: "
                                 f"'{shown}'); a table is printed as the handout has it: the column names in "
                                 "order, then each row whole, one unit per cell, no cell added or spanning two")


def _unit_of(cell: Sequence[str], units: set[str]) -> str:
    held = {" ".join(text.split()) for text in cell} & units
    if len(held) > 1:
        raise Unfaithful(f"it prints two cells of a table in one ('{' | '.join(sorted(held))[:80]}'); each cell "
                         "holds one unit (and its translation)")
    return next(iter(held), "")


def _is_grid(rows: list[tuple[str, ...]], columns: tuple[str, ...], known: set[tuple[str, ...]]) -> bool:
    """The column names first, then whole rows; a row holding no unit (a composed line "How fast · Within hours",
    whose pieces the order check keeps in order) says its own pairing."""
    body = rows[1:] if columns else rows
    return (not columns or bool(rows) and rows[0] == columns) and all(row in known or not any(row) for row in body)


def check_repeated(headings: Iterable[tuple[bool, str]], view: View, second: View | None = None) -> None:
    """A box's heading repeated on its next page ("When to get help (continued)") adds the handout's own
    "(continued)" only: the words of a template's <continued> element were drawn unchecked ("Do drive for 24 hours."
    made of pieces of "Do **not** drive for 24 hours.", fifteenth pass)."""
    for is_second, text in headings:
        said = second if is_second and second is not None else view
        if " ".join(text.split()) != _plain(said.continued):
            raise Unfaithful(f"its <continued> element prints '{text[:60]}'; it holds the handout's own "
                             f"'{_plain(said.continued)}' ({{{{ doc.continued | inline }}}}), nothing else")
