"""Whether each letter of a bold face is heavier, and of an italic face leans, like the face as a whole.

The weight and slant checks measured a sample of letters (`fontweight`, `fontslant`): a "bold" face that was Noto
Sans Bold with the regular outlines for every other letter, or an "italic" that leaned only on the sampled l I H T N
E, passed, and bold words printed half bold, italic ones upright but for their l's (thirty-seventh pass). Here every
ASCII letter and every letter the language's texts use is compared with the same letter of the plain face.

Measured on the outlines (fontTools' pens: unhinted, as the PDF draws them; FreeType's pixels drew the same
outlines otherwise in another file, under its hinting tables or its auto-hinter's reading of the face).

Weight: each letter's stroke width (twice its outline's area over its outline's length, in em) over the regular
face's; unlike the ink, a letter only drawn larger gains no more than its scale. Real bold faces, per letter, over
ASCII, Latin-1, Spanish, Vietnamese, Russian and Arabic letters: TrueType (Noto Sans, DejaVu Sans/Serif/Mono/
Condensed, upright and slanted) at least 1.187 (DejaVu Sans Mono Bold 'м'; Noto Sans Bold 1.425). A letter under
LEAST_LETTER_WEIGHT, 1.10, is the regular letter (a graft is 1.000; one drawn 10% larger 1.10): margin 0.087. The
URW OpenType faces (which ReportLab cannot embed: CFF outlines) go down to 1.084 (Nimbus Roman Bold 'Д', 'М').

Slant: a real italic's own letter forms (Cyrillic г и т ш drawn as r u m w, a serif z) need not lean more than the
upright letter (DejaVu Serif Italic 'щ' -0.18, Noto Sans Italic 'г' -0.004), but they are other shapes. Of the
letters leaning under LEAST_LETTER_LEAN (0.05) more, filled at 48 px with the middles of their areas together, the
one most like its upright letter shares 0.69 of the pixels either fills (TrueType: DejaVu Serif Italic 'ŉ'; 'н'
0.68); URW's 0.80 (P052 Italic 'Z'), but its florin 'ƒ' 0.91. A letter leaning under 0.05 more and sharing
SAME_SHAPE (0.85) or more is the upright letter (a graft 1.00; one sheared 0.03 or 0.045 more, still caught):
margin 0.16 over TrueType italics.
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.pens.basePen import BasePen

from generator.render.fonts import Face, coverage, drawn_bytes, verify

LEAST_LETTER_WEIGHT = 1.10
LEAST_LETTER_LEAN = 0.05
SAME_SHAPE = 0.85
ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MAX_LETTERS = 4000  # the distinct letters of a language's texts: a few hundred Chinese characters, 66 Cyrillic…
_PIXELS_PER_EM = 48
_SAFE = (KeyError, ValueError, TypeError, AttributeError, IndexError, RecursionError, ZeroDivisionError)


def letters_of(used: frozenset[int]) -> tuple[int, ...]:
    """The code points compared: every ASCII letter and each letter (Unicode category L) the texts use."""
    found = {ord(ch) for ch in ASCII_LETTERS} | {code for code in used if unicodedata.category(chr(code))[0] == "L"}
    return tuple(sorted(found)[:MAX_LETTERS])


def light_letters(regular: Face, bold: Face, codes: tuple[int, ...]) -> str:
    """The letters `bold` draws with strokes under LEAST_LETTER_WEIGHT times as wide as `regular`'s."""
    return _compare(regular, bold, codes, "weight")


def upright_letters(upright: Face, italic: Face, codes: tuple[int, ...]) -> str:
    """The letters `italic` draws as `upright` does: leaning under LEAST_LETTER_LEAN more, of the same shape."""
    return _compare(upright, italic, codes, "slant")


def _compare(plain: Face, styled: Face, codes: tuple[int, ...], what: str) -> str:
    return _verdict(plain.path, plain.index, verify(plain)[2], styled.path, styled.index, verify(styled)[2], codes,
                    what)


@lru_cache(maxsize=32)
def _verdict(plain: Path, plain_index: int, plain_stamp: tuple[int, ...], styled: Path, styled_index: int,
             styled_stamp: tuple[int, ...], codes: tuple[int, ...], what: str) -> str:
    shared = coverage(plain, plain_index) & coverage(styled, styled_index)
    wanted = [code for code in codes if code in shared]
    measured = [_measured(plain, plain_index, plain_stamp, wanted), _measured(styled, styled_index, styled_stamp,
                                                                              wanted)]
    found = []
    for code in wanted:
        first, second = measured[0][code], measured[1][code]
        if first is None or second is None or first[0] <= 0:
            continue
        if what == "weight" and second[0] < LEAST_LETTER_WEIGHT * first[0]:
            found.append(code)
        elif what == "slant" and second[1] - first[1] < LEAST_LETTER_LEAN:
            found.append(code)
    if what == "slant" and found:  # those leaning too little: the upright letter, or a letter form of its own?
        outlines = [_outlines(Face("plain", plain, plain_index)), _outlines(Face("styled", styled, styled_index))]
        found = [code for code in found if None not in (shapes := (_shape(*outlines[0], code),
                 _shape(*outlines[1], code))) and _overlap(*shapes) >= SAME_SHAPE]  # type: ignore[arg-type]
    return "".join(map(chr, found))


# Each face's letters measured once, whichever languages and faces they are compared for (the families' faces are
# shared by languages: en, es, vi and ru all compare Noto Sans's letters); plain numbers, a few dozen faces at most.
_MEASURES: dict[tuple[Path, int, tuple[int, ...]], dict[int, tuple[float, float] | None]] = {}
_MEASURED_FACES = 32


def _measured(path: Path, index: int, stamp: tuple[int, ...],
              codes: list[int]) -> dict[int, tuple[float, float] | None]:
    """`_statistics` of each of `codes` in the face, measured once per face and letter."""
    known = _MEASURES.setdefault((path, index, stamp), {})
    if missing := [code for code in codes if code not in known]:
        outlines = _outlines(Face("measured", path, index))
        known.update((code, _statistics(*outlines, code)) for code in missing)
    while len(_MEASURES) > _MEASURED_FACES:
        del _MEASURES[next(iter(_MEASURES))]
    return known


def _outlines(face: Face) -> tuple[Any, dict[int, str], int]:
    """The face's glyph set, character map and units per em."""
    from fontTools.ttLib import TTFont

    data, at = drawn_bytes(face)
    font = TTFont(io.BytesIO(data), fontNumber=at, lazy=True)
    return font.getGlyphSet(), font.getBestCmap() or {}, font["head"].unitsPerEm or 1000


def _statistics(glyphs: Any, cmap: dict[int, str], per_em: int, code: int) -> tuple[float, float] | None:
    """The letter's stroke width (in em) and slant (how far right per unit it rises), from its outlines."""
    from fontTools.pens.perimeterPen import PerimeterPen
    from fontTools.pens.statisticsPen import StatisticsPen

    pen, length = StatisticsPen(glyphset=glyphs), PerimeterPen(glyphset=glyphs)
    try:
        glyphs[cmap[code]].draw(pen)
        glyphs[cmap[code]].draw(length)
    except _SAFE:
        return None  # a glyph that cannot be drawn is said where it is drawn
    if not pen.area or not length.value:
        return None
    return 2 * abs(pen.area) / length.value / per_em, pen.slant


def _shape(glyphs: Any, cmap: dict[int, str], per_em: int, code: int) -> Any:
    """The letter's outlines filled (even-odd), unhinted, at _PIXELS_PER_EM on a canvas 3 em wide and 2 em high,
    its baseline 1.5 em down and the middle of its area in the middle across (so that a side bearing of its own,
    which moves a glyph without changing what it draws, does not count); None when it cannot be drawn."""
    from fontTools.pens.statisticsPen import StatisticsPen
    from PIL import Image, ImageChops, ImageDraw

    pen, flat = StatisticsPen(glyphset=glyphs), _Flat(glyphs)
    try:
        glyphs[cmap[code]].draw(pen)
        glyphs[cmap[code]].draw(flat)
    except _SAFE:
        return None
    scale, middle, size = _PIXELS_PER_EM / per_em, pen.meanX if pen.area else 0.0, _PIXELS_PER_EM
    shape = Image.new("1", (3 * size, 2 * size))
    for contour in flat.contours[:1000]:  # a letter has a few; verified faces are bounded in points anyway
        if len(contour) >= 3:
            layer = Image.new("1", shape.size)
            ImageDraw.Draw(layer).polygon([((x - middle) * scale + 1.5 * size, 1.5 * size - y * scale)
                                           for x, y in contour], fill=1)
            shape = ImageChops.logical_xor(shape, layer)
    return shape


def _overlap(first: Any, second: Any) -> float:
    """The pixels both shapes fill over the pixels either fills."""
    from PIL import ImageChops

    either = ImageChops.logical_or(first, second).convert("L").histogram()[255]
    return ImageChops.logical_and(first, second).convert("L").histogram()[255] / either if either else 1.0


class _Flat(BasePen):  # type: ignore[misc]
    """A pen that keeps a glyph's contours as polygons, each curve cut into eight straight pieces."""

    def __init__(self, glyphset: Any) -> None:
        super().__init__(glyphset)
        self.contours: list[list[tuple[float, float]]] = []
        self.points: list[tuple[float, float]] = []

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.points = [pt]

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.points.append(pt)

    def _curveToOne(self, one: Any, two: Any, three: Any) -> None:
        x0, y0 = self._getCurrentPoint()
        for step in range(1, 9):
            t = step / 8
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
            self.points.append((a * x0 + b * one[0] + c * two[0] + d * three[0],
                                a * y0 + b * one[1] + c * two[1] + d * three[1]))

    def _qCurveToOne(self, one: Any, two: Any) -> None:
        x0, y0 = self._getCurrentPoint()
        for step in range(1, 9):
            t = step / 8
            a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
            self.points.append((a * x0 + b * one[0] + c * two[0], a * y0 + b * one[1] + c * two[1]))

    def _closePath(self) -> None:
        self.contours.append(self.points)
        self.points = []

    def _endPath(self) -> None:
        self._closePath()
