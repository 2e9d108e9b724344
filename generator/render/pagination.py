"""Page-break rules as flowables: what must stay together, and what a heading keeps with it.

A unit (a text and its translation) moves whole to the next page unless it is taller than a page. A heading is
never the last thing on a page: it moves with at least the first two lines (or first sentence, first item,
first table row) of what follows. The "When to get help" box is never split when it fits on a page; when it
does not, it breaks only between its items and repeats its heading, marked as continued, on the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer, Table
from reportlab.platypus.flowables import KeepTogether

from generator.render import tagging

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

_SLACK = 0.5  # points: rounding in the frame's own arithmetic, so a promise never misses by a hair


def page_height_of(flowable: Flowable) -> float:
    """The full height of the frame the flowable is being laid out in (infinite outside a frame)."""
    frame = getattr(flowable, "_frame", None)
    return frame._aH if frame is not None else float("inf")


def at_top(flowable: Flowable) -> bool:
    frame = getattr(flowable, "_frame", None)
    return bool(getattr(frame, "_atTop", 1)) if frame is not None else True


def stack_height(flowables: Sequence[Flowable], width: float) -> float:
    """Height of flowables set one below the other, with the spaces between them (never overlapped)."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        total += height_of(flowable, width)
        if index:
            total += flowable.getSpaceBefore()
        if index < len(flowables) - 1:
            total += flowable.getSpaceAfter()
    return total


def height_of(flowable: Flowable, width: float) -> float:
    """A flowable's height at this width; a group's is that of its content (ReportLab's needs a canvas)."""
    if isinstance(flowable, KeepTogether):
        return stack_height(flowable._content, width)
    return flowable.wrap(width, 1e9)[1]


def min_head(flowable: Flowable, width: float, page_height: float) -> float:
    """The least of a flowable that may stand at a page's bottom under a heading."""
    own = getattr(flowable, "min_head", None)
    if own is not None:
        return own(width, page_height)
    if isinstance(flowable, Table):
        flowable.wrap(width, page_height)
        heights = flowable._rowHeights
        return sum(heights[:2]) if len(heights) > 1 else flowable._height
    return height_of(flowable, width)


def is_heading(flowable: Flowable) -> bool:
    """Whether the flowable is (or ends with) a heading, which may not end a page."""
    if isinstance(flowable, KeepTogether):
        return bool(flowable._content) and is_heading(flowable._content[-1])
    return bool(getattr(flowable, "keep_next", False))


class KeepWhole(KeepTogether):
    """A text and its translation (a bilingual pair): on one page, unless together they are taller than one."""

    def __init__(self, flowables: list[Flowable]) -> None:
        # ReportLab measures a group inside a group as infinitely tall (to force a split), which would send
        # every block of pairs to a new page: the content is kept flat.
        super().__init__(_flat(flowables))

    def min_head(self, width: float, page_height: float) -> float:
        height = stack_height(self._content, width)
        if height <= page_height:
            return height
        return min_head(self._content[0], width, page_height)

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        # Taller than any page, the pair is split somewhere whatever we do: where it falls, under its heading. It
        # was sent to the next page's top first, leaving its heading alone on a page most of which stayed blank.
        if stack_height(self._content, aW) > page_height_of(self):
            return [self.NullActionFlowable(), *self._content]
        return super().split(aW, aH)


def lines_of(flowable: Flowable) -> int:
    """How many lines of text a flowable holds (a table, a box or an image counts as enough)."""
    if isinstance(flowable, KeepTogether):
        return sum(lines_of(f) for f in flowable._content)
    lines = getattr(flowable, "_lines", None)
    return len(lines) if lines is not None else MIN_FOLLOWING_LINES


MIN_FOLLOWING_LINES = 2  # a heading keeps at least this many lines of what follows it on its page


class KeepWithLines(KeepTogether):
    """Headings and what follows them: the headings move to the next page unless the least part of what follows
    that may end a page (two lines, a sentence, an item, a table row) fits beneath them."""

    heads = 1  # how many of the content flowables are headings (the rest follow them)

    def min_head(self, width: float, page_height: float) -> float:
        heads, following = self._content[:self.heads], self._content[self.heads:]
        need = stack_height(heads, width)
        lines = 0
        for index, flowable in enumerate(following):
            height = height_of(flowable, width)  # also lays out its lines, for lines_of
            need += flowable.getSpaceBefore() + self._content[self.heads + index - 1].getSpaceAfter()
            if lines + lines_of(flowable) >= MIN_FOLLOWING_LINES or index == len(following) - 1:
                return need + min_head(flowable, width, page_height) + _SLACK
            need += height
            lines += lines_of(flowable)
        return need + _SLACK

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        # A leading action makes the frame put the pieces back on the list rather than place the first as is.
        if stack_height(self._content, aW) <= aH or at_top(self):
            return [self.NullActionFlowable(), *self._content]  # it fits, or nothing better: piece by piece
        if self.min_head(aW, page_height_of(self)) <= aH:
            return [self.NullActionFlowable(), *self._content]
        return [self.FrameBreak(), *self._content]


def keep_headings(story: list[Flowable]) -> list[Flowable]:
    """Group each heading (and its translation, and any headings or spaces straight after it) with the
    flowables that follow (two, in case the first is a one-line item), so the page-break rules above apply."""
    out: list[Flowable] = []
    index = 0
    while index < len(story):
        heads = []
        while index < len(story) and (is_heading(story[index]) or (heads and isinstance(story[index], Spacer))):
            heads.append(story[index])
            index += 1
        if not heads:
            out.append(story[index])
            index += 1
            continue
        following = []
        while index < len(story) and len(following) < MIN_FOLLOWING_LINES and not is_heading(story[index]):
            following.append(story[index])
            index += 1
        if not following:
            out += heads
            continue
        group = KeepWithLines([*heads, *following])
        group.heads = len(heads)
        out.append(group)
    return out


def _flat(flowables: list[Flowable]) -> list[Flowable]:
    """The flowables with every group replaced by its content (a box draws each one itself)."""
    return [leaf for f in flowables
            for leaf in (_flat(list(f._content)) if isinstance(f, KeepTogether) else [f])]


def _introduces(unit: list[Flowable]) -> bool:
    """Whether a unit ends with a colon, introducing what follows it."""
    ends = getattr(unit[0], "ends_with", None) if unit else None
    return bool(ends and ends(":："))


BOX_PADDING = (7.0, 7.0, 3.0, 5.0)  # a box's left, right, top and bottom padding, in points
BOX_SIDES = BOX_PADDING[0] + BOX_PADDING[1]


class Callout(Flowable):
    """A boxed section ("When to get help"): a heading above units, kept on one page when it fits."""

    def __init__(self, heading: list[Flowable], units: list[list[Flowable]], continued: list[Flowable],
                 colors: tuple[str, str], padding: tuple[float, float, float, float] = BOX_PADDING,
                 part: int = 0) -> None:
        super().__init__()
        self.heading, self.units, self.continued = _flat(heading), [_flat(u) for u in units], _flat(continued)
        self.colors = colors  # background, border
        self.padding = padding  # left, right, top, bottom
        self.part = part  # 0: the box whole or its first page; 1, 2, ...: a continuation
        self.whole_fits_page = True  # on its parts: whether the unsplit box fitted on one page
        self.oversize: list[str] = []  # unit IDs of units taller than a page, split inside (a warning)
        self.unit_id = "help"

    def _inner(self, width: float) -> float:
        return width - self.padding[0] - self.padding[1]

    def _children(self) -> list[Flowable]:
        return [*self.heading, *(f for unit in self.units for f in unit)]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = (self.padding[2] + self.padding[3]
                       + stack_height(self._children(), self._inner(availWidth)))
        return self.width, self.height

    def min_head(self, width: float, page_height: float) -> float:
        inner = self._inner(width)
        first = self.units[0] if self.units else []
        whole = self.wrap(width, page_height)[1]
        if whole <= page_height:
            return whole
        return self.padding[2] + self.padding[3] + stack_height([*self.heading, *first], inner) + _SLACK

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        page = page_height_of(self)
        fits_page = self.height <= page
        if fits_page and not at_top(self):
            return []  # the whole box moves to the next page
        inner = self._inner(availWidth)
        room = availHeight - self.padding[2] - self.padding[3] - _SLACK
        taken = 0
        for count in range(1, len(self.units) + 1):
            if stack_height([*self.heading, *(f for u in self.units[:count] for f in u)], inner) > room:
                break
            taken = count
        while 1 < taken < len(self.units) and _introduces(self.units[taken - 1]):
            taken -= 1  # "Call 911 if you have:" stays with the first of the signs it introduces
        if 0 < taken < len(self.units) and self._taller_than_a_part(self.units[taken], inner, page):
            # twenty-ninth pass: a unit no page can hold (a long translation under its short text) began on the
            # next page, leaving this one half empty; it splits here, as it would at the next page's top
            parts = self._split_inside(taken, room, inner)
            if parts and parts[0].wrap(availWidth, availHeight)[1] <= availHeight:
                return parts
        if taken == 0:
            if not at_top(self):
                return []
            parts = self._split_inside_first(availWidth, room, inner) if self.units else []
            return parts if parts and parts[0].wrap(availWidth, availHeight)[1] <= availHeight else self._unboxed()
        return self._parts(self.units[:taken], self.units[taken:], fits_page)

    def _unboxed(self) -> list[Flowable]:
        """At a page's top, a box none of whose parts fits (its heading, repeated on the next page, taller than
        the page): its text without the box, each flow splitting as it may, rather than no PDF at all (fifteenth
        pass: a 72 pt heading with 200 pt after it, which style.yaml allows, failed the build blaming content)."""
        return [*self.heading, *(flowable for unit in self.units for flowable in unit)]

    def _taller_than_a_part(self, unit: list[Flowable], inner: float, page: float) -> bool:
        """Whether a unit is taller than what a continuation's page holds under its heading."""
        return stack_height([*self.continued, *unit], inner) > page - self.padding[2] - self.padding[3]

    def _split_inside_first(self, width: float, room: float, inner: float) -> list[Flowable]:
        """A unit taller than a page: split it between its lines (the print-quality check warns about it)."""
        return self._split_inside(0, room, inner)

    def _split_inside(self, done: int, room: float, inner: float) -> list[Flowable]:
        """The first `done` units whole, then the next, taller than a page, split between its lines in what is
        left: its text, then as much of its translation as fits (twenty-ninth pass: a translation taller than a
        page went whole to the next page, its text alone above a near-empty page)."""
        unit = self.units[done]
        above = [*self.heading, *(f for u in self.units[:done] for f in u)]
        # the space after the heading too (stack_height leaves out the last one's): 200 pt of it, which style.yaml
        # allows, made the first part too tall ("Splitting error", fifteenth pass)
        after = above[-1].getSpaceAfter() if above else 0.0
        left = room - stack_height(above, inner) - after
        head: list[Flowable] = []
        for index, flowable in enumerate(unit):
            left -= flowable.getSpaceBefore()
            height = height_of(flowable, inner)
            if height <= left:
                head.append(flowable)
                left -= height + flowable.getSpaceAfter()
                continue
            if isinstance(flowable, Table):
                # twenty-first pass: a table of 40 rows in the help section made the box give up at the next
                # page's top and lay out its rest unboxed ("(continued)" with no box, then rows with no heading)
                pieces = flowable.split(inner, left)
            else:
                splitter = getattr(flowable, "split_taller_than_page", None)
                pieces = splitter(inner, left) if splitter is not None else []
            if len(pieces) == 2:
                head, tail = [*head, pieces[0]], [pieces[1], *unit[index + 1:]]
            elif head:
                tail = list(unit[index:])  # a pair: the text here, its translation over the page
            else:
                return []
            first, rest = self._parts([*self.units[:done], head], [tail, *self.units[done + 1:]], False)
            if not isinstance(flowable, Table):
                first.oversize = [getattr(unit[0], "unit_id", "")]  # reported once, on the page where it starts
            return [first, rest]
        return []

    def _parts(self, head: list[list[Flowable]], tail: list[list[Flowable]], fits_page: bool) -> list[Flowable]:
        first = Callout(self.heading, head, self.continued, self.colors, self.padding, self.part)
        rest = Callout(self.continued, tail, self.continued, self.colors, self.padding, self.part + 1)
        for box in (first, rest):
            box.whole_fits_page = self.whole_fits_page and fits_page
        return [first, rest] if tail else [first]

    def draw(self) -> None:
        with tagging.artifact(self.canv):  # the box is layout; its text is tagged where it is drawn
            self._draw_box()
        y = self.height - self.padding[2]
        inner = self._inner(self.width)
        children = self._children()
        repeated = len(self.heading) if self.part else 0  # a continuation's heading repeats the first page's
        for index, child in enumerate(children):
            if index:
                y -= child.getSpaceBefore()
            y -= height_of(child, inner)
            with tagging.artifact(self.canv, "Pagination") if index < repeated else nullcontext():
                child.drawOn(self.canv, self.padding[0], y)
            y -= child.getSpaceAfter()

    def _draw_box(self) -> None:
        background, border = self.colors
        canv = self.canv
        canv.saveState()
        canv.setFillColor(HexColor(background))
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        watermark_over(canv, self.width, self.height)
        canv.setStrokeColor(HexColor(border))
        canv.setLineWidth(1.2)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.restoreState()


def watermark_over(canv: Canvas, width: float, height: float, bottom: float = 0.0) -> None:
    """Draw the page's DRAFT watermark again, clipped to the box just filled at (0, bottom, width, height): a box
    covers what the page drew under its text, and a project's template may make every section one (fifth
    pass). Redrawn rather than put on top of the text: over black letters it cut them, and a transparent one
    made CUPS's Ghostscript rasterise every page (56 kB -> 770 kB per print job)."""
    doc = getattr(canv, "_doctemplate", None)
    paint = getattr(doc, "watermark", None)
    if paint is None:
        return
    a, b, c, d, e, f = canv._currentMatrix  # noqa: SLF001 - ReportLab keeps the page's transform here
    det = a * d - b * c
    canv.saveState()
    path = canv.beginPath()
    path.rect(0, bottom, width, height)
    canv.clipPath(path, stroke=0, fill=0)
    canv.transform(d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)
    paint(canv, doc)  # in the page's own coordinates again
    canv.restoreState()


class SideBySide(Table):
    """Flowables side by side in one row (the QR code beside the fingerprint and Sources), never split; at a page's
    top, when taller than the page (style.yaml's largest disclaimer size, a bilingual edition, a 24 pt footer), its
    pieces one below the other rather than no PDF at all (fifteenth pass)."""

    def __init__(self, cells: list[object], **kw: object) -> None:
        super().__init__([cells], **kw)  # type: ignore[arg-type]
        self.pieces = [piece for cell in cells for piece in (cell if isinstance(cell, list) else [cell])]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        parts = super().split(availWidth, availHeight)
        return parts if parts or not at_top(self) else list(self.pieces)

