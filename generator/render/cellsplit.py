"""A table whose cells split across pages at the width they are drawn at: the handouts' and the review sheets'."""

from __future__ import annotations

import copy

from generator.render import tagging

MAX_REPEATED_SHARE = 0.5  # of a page: a heading row taller than this is not repeated on the pages a table runs on


class CellSplitTable(tagging.ArtifactTable):
    """A Table whose cells split across pages at the width they are drawn at (their padding taken off), and whose
    rows (with `keep_rows_whole`) split inside only at the top of a page."""

    def _splitCell(self, value, style, oldHeight, newHeight, width):  # type: ignore[no-untyped-def]  # noqa: N802
        # ReportLab splits a cell's flowables at the full column width but draws them inside the padding, where a
        # text split for the wider width re-wraps into more lines and runs over the page bottom; measured there too
        # (measured narrower, a text that fitted split into one part: an IndexError, fifteenth pass; the review
        # sheets' tables had the same IndexError until the eighteenth). A row is split inside only when it is
        # taller than a page, so its text splits wherever it must.
        for flowable in value if isinstance(value, list | tuple) else [value]:
            if hasattr(flowable, "split_taller_than_page"):
                flowable.taller_than_page = True
        inner = copy.copy(style)
        inner.leftPadding = inner.rightPadding = 0
        return super()._splitCell(value, inner, oldHeight, newHeight, width - style.leftPadding - style.rightPadding)

    keep_rows_whole = False

    # A part of a table split while in-row splitting was off (below): ReportLab makes each part with the switches
    # it was split with, so such a part could split a row nowhere, not even at the top of the next page, where a row
    # taller than the page is left no other way ("cannot lay out … LayoutError … report this" for a valid handout
    # whose table's second row was long: twentieth pass). It splits a row only there.
    resumed = False

    def split(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        # A table row is read across: split between rows, and inside a row only when it would not fit even on
        # a fresh page (a frame at its top), rather than leaving one line of a row above the page break.
        frame = getattr(self, "_frame", None)
        # A row taller than a page splits wherever it falls (twenty-eighth pass: a heading row printed once, kept
        # for the next page's top, went there under a heading that made it no longer the top: the heading alone).
        at_top = frame is not None and (getattr(frame, "_atTop", 1) or self._splits_too_tall(availHeight, frame._aH))
        if frame is not None and self.repeatRows and self._rowHeights \
                and sum(self._rowHeights[:self.repeatRows]) > frame._aH * MAX_REPEATED_SHARE:
            # A heading row too tall to repeat on the next page (six columns of 200-character headings in large
            # print; a review sheet's group label of a long section title) left ReportLab no way to lay the table
            # out: "report this", blaming the content or style.yaml (twenty-eighth pass). It is printed once, and
            # splits over pages like any row.
            self.repeatRows = 0
        if self.resumed:
            self.splitInRow = 1 if at_top else 0
        if self.keep_rows_whole and self.splitInRow and frame is not None and not at_top:
            self.splitInRow = 0
            try:
                return self._parts(super().split(availWidth, availHeight))
            finally:
                self.splitInRow = 1
        parts = super().split(availWidth, availHeight)
        if parts and frame is not None and (self.keep_rows_whole or self.resumed and at_top):
            # A row taller than a page cannot stay whole: the print-quality check names it (a warning).
            tall = [row for row, height in enumerate(self._rowHeights) if height > frame._aH + 0.5]
            parts[0].oversize = [_unit_of(self._cellvalues[row]) for row in tall]
            parts[0].oversize_what = "this table row is taller than a page and was split inside"
        return self._parts(parts) if self.resumed else parts

    def _splits_too_tall(self, avail: float, page: float) -> bool:
        """Whether the row a split at `avail` falls in is taller than a page."""
        used = 0.0
        for height in self._rowHeights or ():
            if used + height > avail:
                return bool(height > page + 0.5)
            used += height
        return False

    def _parts(self, parts: list) -> list:  # type: ignore[type-arg]
        """Mark the parts made with in-row splitting off (or from such a part) as resumed."""
        for part in parts:
            if part is not self:
                part.resumed = True
        return parts


class WholeRowsTable(CellSplitTable):
    """A CellSplitTable whose rows, in every part it splits into, split inside only at the top of a page."""

    keep_rows_whole = True  # a class attribute: ReportLab makes each part of a split table anew


def _unit_of(row: list) -> str:  # type: ignore[type-arg]
    """The unit of a row's first text: in a part of a split row a cell may be empty (its text ended on the page
    before: an IndexError, twentieth pass, when a translation ran on over two pages beside its shorter source)."""
    for cell in row:
        for flowable in cell if isinstance(cell, list | tuple) else [cell]:
            if unit := getattr(flowable, "unit_id", ""):
                return str(unit)
    return ""

