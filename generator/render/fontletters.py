"""Whether each letter of a bold face is heavier, and of an italic face leans, like the face as a whole.

The weight and slant checks measured a sample of letters (`fontweight`, `fontslant`): a "bold" face that was Noto
Sans Bold with the regular outlines for every other letter, or an "italic" that leaned only on the sampled l I H T N
E, passed, and bold words printed half bold, italic ones upright but for their l's (thirty-seventh pass). Here every
ASCII letter and every letter the language's texts use is compared with the same letter of the plain face.

Measured on the outlines (fontTools' StatisticsPen: their area and slant, unhinted, as the PDF draws them; hinted
pixels drew regular outlines bolder under a bold face's hinting tables).

Weight: each letter's area over the regular face's. Real bold faces, per letter, over ASCII, Spanish, Vietnamese,
Russian and Arabic letters: TrueType (Noto Sans, DejaVu Sans/Serif/Mono/Condensed, upright and slanted) at least
1.211 (DejaVu Sans Mono Bold 'ф'); the URW OpenType faces at least 1.075 (Nimbus Roman Bold 'Д'). A letter under
LEAST_LETTER_WEIGHT, 1.06, is the regular letter (a graft is 1.000): margins 0.15 and 0.015.

Slant: a real italic's own letter forms (Cyrillic г и т ш drawn as r u m w, a serif z) need not lean more than the
upright letter (DejaVu Serif Italic 'щ' -0.18, Noto Sans Italic 'г' -0.004), but they are other shapes: of the
letters leaning under LEAST_LETTER_LEAN (0.05) more, the one most like its upright letter has 0.61 of their ink in
common at 48 px (TrueType: DejaVu Serif Italic 'п'), 0.75 (URW: P052 Italic 'Z'). A letter leaning under 0.05 more
with SAME_SHAPE (0.85) or more of its ink in common with the upright letter is the upright letter (a graft: 1.00).
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.render.fonts import Face, coverage, drawn_bytes, verify

LEAST_LETTER_WEIGHT = 1.06
LEAST_LETTER_LEAN = 0.05
SAME_SHAPE = 0.85
ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MAX_LETTERS = 4000  # the distinct letters of a language's texts: a few hundred Chinese characters, 66 Cyrillic…
_PIXELS_PER_EM = 48


def letters_of(used: frozenset[int]) -> tuple[int, ...]:
    """The code points compared: every ASCII letter and each letter (Unicode category L) the texts use."""
    found = {ord(ch) for ch in ASCII_LETTERS} | {code for code in used if unicodedata.category(chr(code))[0] == "L"}
    return tuple(sorted(found)[:MAX_LETTERS])


def light_letters(regular: Face, bold: Face, codes: tuple[int, ...]) -> str:
    """The letters `bold` draws with less than LEAST_LETTER_WEIGHT times the ink of `regular`'s."""
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
    faces = Face("plain", plain, plain_index), Face("styled", styled, styled_index)
    outlines, fonts = [_outlines(face) for face in faces], [_font(face) for face in faces] if what == "slant" else []
    found = []
    for code in (code for code in codes if code in shared):
        first, second = _statistics(*outlines[0], code), _statistics(*outlines[1], code)
        if first is None or second is None or first[0] <= 0:
            continue
        if what == "weight":
            wrong = second[0] < LEAST_LETTER_WEIGHT * first[0]
        else:
            wrong = second[1] - first[1] < LEAST_LETTER_LEAN and None not in (masks := (_mask(fonts[0], code),
                    _mask(fonts[1], code))) and _overlap(*masks) >= SAME_SHAPE  # type: ignore[arg-type]
        if wrong:
            found.append(chr(code))
    return "".join(found)


def _outlines(face: Face) -> tuple[Any, dict[int, str], int]:
    """The face's glyph set, character map and units per em."""
    from fontTools.ttLib import TTFont

    data, at = drawn_bytes(face)
    font = TTFont(io.BytesIO(data), fontNumber=at, lazy=True)
    return font.getGlyphSet(), font.getBestCmap() or {}, font["head"].unitsPerEm or 1000


def _statistics(glyphs: Any, cmap: dict[int, str], per_em: int, code: int) -> tuple[float, float] | None:
    """The letter's outline area (in em squared) and slant (how far right per unit it rises), unhinted."""
    from fontTools.pens.statisticsPen import StatisticsPen

    pen = StatisticsPen(glyphset=glyphs)
    try:
        glyphs[cmap[code]].draw(pen)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, RecursionError, ZeroDivisionError):
        return None  # a glyph that cannot be drawn is said where it is drawn
    if not pen.area:
        return None
    return abs(pen.area) / per_em / per_em, pen.slant


def _font(face: Face) -> Any:
    from PIL import ImageFont

    data, at = drawn_bytes(face)
    return ImageFont.truetype(io.BytesIO(data), _PIXELS_PER_EM, index=at, layout_engine=ImageFont.Layout.BASIC)


def _mask(font: Any, code: int) -> tuple[Any, tuple[int, int]] | None:
    """The glyph's ink as a PIL image and its offset from the origin; None when it is no letter-sized glyph."""
    from PIL import Image

    try:
        mask, offset = font.getmask2(chr(code), mode="L", anchor="ls")
    except (OSError, ValueError, MemoryError):  # FreeType refused the glyph: said where it is drawn
        return None
    width, height = mask.size
    if not width or not height or max(width, height) > 8 * _PIXELS_PER_EM:
        return None
    return Image.frombytes("L", mask.size, bytes(mask)), offset


def _ink(image: Any) -> float:
    return sum(level * count for level, count in enumerate(image.histogram()))


def _overlap(first: tuple[Any, tuple[int, int]], second: tuple[Any, tuple[int, int]]) -> float:
    """The ink both glyphs share over the ink either has, placed at their origins."""
    from PIL import Image, ImageChops

    (one, at_one), (two, at_two) = first, second
    left, top = min(at_one[0], at_two[0]), min(at_one[1], at_two[1])
    right = max(at_one[0] + one.size[0], at_two[0] + two.size[0])
    bottom = max(at_one[1] + one.size[1], at_two[1] + two.size[1])
    canvases = []
    for image, at in first, second:
        canvas = Image.new("L", (right - left, bottom - top))
        canvas.paste(image, (at[0] - left, at[1] - top))
        canvases.append(canvas)
    either = _ink(ImageChops.lighter(*canvases))
    return _ink(ImageChops.darker(*canvases)) / either if either else 1.0
