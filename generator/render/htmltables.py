"""What a browser keeps inside a table: an element a table may not hold there is moved out of it ("foster
parenting"), so a `<p>` written between two cells of a row is shown above the table, and the row is paired with
the next row's answer (twelfth pass). The HTML companion's check refuses such markup rather than guess the move."""

from __future__ import annotations

from collections.abc import Callable

from generator.render.htmlparse import VOID

# What each table part may hold directly (the HTML parsing rules' "in table", "in table body" and "in row" modes).
_HOLDS = {"table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"}, "thead": {"tr"}, "tbody": {"tr"},
          "tfoot": {"tr"}, "tr": {"td", "th"}, "colgroup": {"col"}}
# Start tags that end an open element of the table implicitly (a new cell ends a cell, a new row a row...).
_ENDS = {"td": {"td", "th"}, "th": {"td", "th"}, "tr": {"td", "th", "tr"},
         "tbody": {"td", "th", "tr", "thead", "tbody", "tfoot"}, "thead": {"td", "th", "tr", "tbody", "thead"},
         "tfoot": {"td", "th", "tr", "tbody", "thead"}}
_PARTS = frozenset({"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"})


class Fostered(ValueError):
    """Markup a browser would move out of its table; the message says what and where."""


class TableNesting:
    """The open elements, as far as tables need them, fed the parser's start tags, end tags and text."""

    def __init__(self) -> None:
        self.open: list[str] = []

    def start(self, tag: str) -> None:
        while self.open and self.open[-1] in _ENDS.get(tag, ()) and self.open[-1] in ("td", "th", "tr", "thead",
                                                                                      "tbody", "tfoot"):
            self.open.pop()
        cell = next((index for index in range(len(self.open) - 1, -1, -1) if self.open[index] in _PARTS), -1)
        if tag in _PARTS and cell != -1 and self.open[cell] in ("td", "th") and cell != len(self.open) - 1:
            # Inside a cell's <span> or <p>, a browser ends the cell there and starts the new part: what follows
            # moves to other cells (twelfth pass: <th><span><td width="0"></td>).
            raise Fostered(f"<{tag}> inside <{self.open[-1]}> in a <{self.open[cell]}> is not allowed: a browser ends "
                           "the cell there and moves what follows; close the cell first")
        parent = self.open[-1] if self.open else ""
        if parent in _HOLDS and tag not in _HOLDS[parent]:
            raise Fostered(f"<{tag}> directly inside <{parent}> is not allowed: a browser moves it out of the table "
                           "(and pairs what follows with other cells); put it inside a <td> or <th>, or outside the "
                           "table")
        if tag not in VOID:
            self.open.append(tag)

    def end(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def text(self, data: str) -> None:
        parent = self.open[-1] if self.open else ""
        if parent in _HOLDS and data.strip(" \t\n\r\f"):
            raise Fostered(f"text directly inside <{parent}> ('{data.strip()[:40]}') is not allowed: a browser moves "
                           "it out of the table; put it inside a <td> or <th>")


class TableGrids:
    """Each table's rows of cells, every cell the texts of the flows laid out in it (`flows`, closed by `end_flow`),
    for render/faithgrid.py: a cell under another column than its own pairs a row with another answer. A cell
    spanning columns or rows moves the cells after it, so `colspan` and `rowspan` other than 1 are refused."""

    def __init__(self, flows: list, end_flow: Callable[[], None]) -> None:
        self.flows, self.end_flow = flows, end_flow
        self.done: list[list[list[list[str]]]] = []
        self.open: list[list[list[list[str]]]] = []  # the tables being read (a table inside a cell: two)
        self.cell_from: int | None = None  # where the open cell's flows start

    def start(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag in ("td", "th", "tr"):
            self._close_cell()
        if tag == "table":
            self.open.append([])
        elif tag == "tr" and self.open:
            self.open[-1].append([])
        elif tag in ("td", "th") and self.open:
            for name in ("colspan", "rowspan"):
                if (attrs.get(name) or "1").strip() != "1":
                    raise Fostered(f"<{tag} {name}=\"{(attrs.get(name) or '')[:10]}\"> is not allowed: a cell spanning "
                                   "columns or rows moves the cells after it under other columns")
            if not self.open[-1]:
                self.open[-1].append([])
            self.end_flow()
            self.cell_from = len(self.flows)

    def end(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "thead", "tbody", "tfoot", "table"):
            self._close_cell()
        if tag == "table" and self.open:
            self.done.append(self.open.pop())

    def _close_cell(self) -> None:
        if self.cell_from is None or not self.open or not self.open[-1]:
            return
        self.end_flow()
        self.open[-1][-1].append(["".join(span[0] for span in flow) for flow in self.flows[self.cell_from:]])
        self.cell_from = None
