"""Draw a run of text so that no letter of a project's own face can paint over a number.

A project's face draws its numbers with the shipped glyphs (fontguard), but its letters are its own, and a letter's
ink may reach past its step: an "x" drawing a "4" one space on printed "Max 1 tablet" as "Max 4 tablet" (thirteenth
pass). So in a project's own face each run is drawn in pieces: the number characters (digits, signs, the spaces
between words) as they are, and every stretch of letters clipped to a quarter em beyond its ends, to its own line
(1.25 em above the baseline, 0.55 below), and off the columns of the run's number characters. Each character is
still drawn once, in reading order: the text read back is the same. The generator's own faces, whose letters their
tests prove, are drawn in one piece as before.
"""

from __future__ import annotations

from itertools import groupby

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD

from generator.render.fontguard import guarded

_REACH = 0.25  # of the size: how far a stretch of letters may ink past its ends (real faces' letters: under 0.26 em)
# Of the size: how far above and below its baseline a letter may ink. Real faces' letters: 1.07 em above (Ṓ, Ẳ),
# 0.39 below (DejaVu's ڸ); a line's digits are at least 0.58 em below the line above (leading at least 1.3 em:
# style.yaml's floor), and the line above's are over 1.3 em up (an "É" reaching 0.9 em down painted the next line's
# number: thirteenth pass).
_ABOVE, _BELOW = 1.25, 0.55


def line_columns(runs: list[tuple[str, float, str]], size: float) -> list[tuple[float, float]]:
    """The column of every number on a line of runs, each (text, x, registered font): a letter of one run may not
    reach a number of the next (Chinese sets a number against the character before it; a bold number is a run of
    its own: thirteenth pass)."""
    return [column for text, x, font in runs for column in _columns(_pieces(text), x, font, size)[1]]


def _pieces(text: str) -> list[tuple[bool, str]]:
    return [(number, "".join(chars)) for number, chars in groupby(text, key=lambda ch: guarded(ord(ch)))]


def _columns(pieces: list[tuple[bool, str]], x: float, font: str,
             size: float) -> tuple[list[float], list[tuple[float, float]]]:
    """Where each piece starts, and the columns of its numbers."""
    starts, at = [], x
    for _, piece in pieces:
        starts.append(at)
        at += stringWidth(piece, font, size)
    return starts, [column for (number, piece), start in zip(pieces, starts, strict=True) if number
                    for column in _inked_columns(piece, start, font, size)]


def draw_run(canv, text: str, x: float, y: float, font: str, size: float, own: bool,  # type: ignore[no-untyped-def]
             stroke: float = 0.0, line: list[tuple[float, float]] | None = None,
             box: tuple[float, float, float, float] | None = None) -> None:
    """Draw `text` at (x, y) in registered font `font`; `own`: a face of the generator's own (drawn in one piece);
    `stroke`: the line width of a synthetic bold (its outlines stroked as well as filled); `line`: the columns of
    every number on the line (`line_columns`), when the text is one of several runs; `box`: (left, bottom, right,
    top), the text's own flow: its letters ink nothing past it (a 22 pt title's letter barred the "1" of the 13 pt
    line below: thirteenth pass; the space around a flow is not always laid out: a table cell's first, a page's
    last paragraph, fourteenth pass). A real face's accent or descender reaching past a tight leading is cut."""
    pieces = _pieces(text)
    if own or not pieces or len(pieces) == 1 and pieces[0][0]:
        _draw(canv, text, x, y, font, size, stroke)
        return
    starts, columns = _columns(pieces, x, font, size)
    columns = columns if line is None else line
    for (number, piece), start in zip(pieces, starts, strict=True):
        if number:
            _draw(canv, piece, start, y, font, size, stroke)
            continue
        # The letters' ink is kept within _REACH of their own stretch, and off every number character's column:
        # the stretch's box, with the columns in it as holes by the even-odd rule.
        left, right = start - _REACH * size, start + stringWidth(piece, font, size) + _REACH * size
        bottom, top = y - _BELOW * size, y + _ABOVE * size
        if box is not None:
            left, bottom, right, top = max(left, box[0]), max(bottom, box[1]), min(right, box[2]), min(top, box[3])
        canv.saveState()
        path = canv.beginPath()
        height = top - bottom
        path.rect(left, bottom, right - left, height)
        for column_left, column_right in columns:
            hole_left, hole_right = max(left, column_left), min(right, column_right)
            if hole_left < hole_right:
                path.rect(hole_left, bottom, hole_right - hole_left, height)
        canv.clipPath(path, stroke=0, fill=0, fillMode=FILL_EVEN_ODD)
        _draw(canv, piece, start, y, font, size, stroke)
        canv.restoreState()


# Marks that end a word as often as they part a number: alone beside letters, the letter may reach over them as real
# faces' letters do (the tail of an Arabic final reh runs under the full stop after it); in a number ("2.5", "1,000",
# "10:30") they are part of the number's column.
_WORD_MARKS = frozenset(".,:;\u060c\u061b")


def _inked_columns(piece: str, start: float, font: str, size: float) -> list[tuple[float, float]]:
    """The left and right edges of each run of number characters other than spaces in `piece` (drawn from
    `start`): a letter may reach into a space beside it, or over a full stop ending its word, never onto a number."""
    columns, at = [], start
    for space, chars in groupby(piece, key=str.isspace):
        run = "".join(chars)
        width = stringWidth(run, font, size)
        if not space and not set(run) <= _WORD_MARKS:
            columns.append((at, at + width))
        at += width
    return columns


def _draw(canv, text: str, x: float, y: float, font: str, size: float, stroke: float) -> None:  # type: ignore[no-untyped-def]
    obj = canv.beginText(x, y)
    obj.setFont(font, size)
    if stroke:
        canv.saveState()  # text render mode is graphics state: q/Q keeps a synthetic bold from leaking on
        obj.setTextRenderMode(2)
        canv.setLineWidth(stroke)
    obj._textOut(text)  # textOut's own output, without measuring the text again to move a cursor never used
    canv.drawText(obj)
    if stroke:
        canv.restoreState()


def watermark_word(canv, text: str, y: float, font: str, size: float,  # type: ignore[no-untyped-def]
                   rtl: bool = False) -> None:
    """Draw a watermark word centred on x = 0 in a project's face's stead: in the shipped bold face that has all its
    letters (the watermark is the generator's, as numbers are: a project "D" also drawing a "1" printed "988" as
    "9881" in light grey, fourteenth pass); else in the project's face, each letter clipped to its own step. `rtl`:
    a right-to-left language's, which the shipped project sets in DejaVu Sans (tried first)."""
    from generator.render.fontguard import DONORS
    from generator.render.fonts import Face, coverage, register
    from generator.render.template import default_templates

    donors = DONORS[(True, False)]
    for donor in ((donors[1], donors[0], *donors[2:]) if rtl else donors):
        face = Face(f"shipped-{donor.split('/')[0]}-bold", default_templates() / "fonts" / donor, 0)
        if set(map(ord, text)) <= coverage(face.path, 0):
            canv.setFont(register(face), size)
            canv.drawCentredString(0, y, text)
            return
    x = -stringWidth(text, font, size) / 2
    for ch in text:
        width = stringWidth(ch, font, size)
        canv.saveState()
        path = canv.beginPath()
        path.rect(x, y - _BELOW * size, width, (_ABOVE + _BELOW) * size)
        canv.clipPath(path, stroke=0, fill=0)
        canv.drawString(x, y, ch)
        canv.restoreState()
        x += width
