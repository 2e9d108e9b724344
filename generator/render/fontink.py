"""Whether the glyphs a text uses leave ink where they belong, as a rasterizer draws them from their points.

The font check reads each glyph's header box (fontbounds); a renderer draws the outline's points under the
non-zero winding rule. A font whose contours cancel each other (each one followed by its reverse), or whose
outlines are specks under a forged full-size header box, passed that check and printed blank pages, DRAFT,
stamp and disclaimer included (eighth pass). Here FreeType (through Pillow, already needed for the logo)
draws each glyph the content uses, once per file version, and the ink is measured.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from generator.content.limits import deadline
from generator.content.parse.fields import BLANK_BY_DESIGN

PIXELS_PER_EM = 64
_WIDEST_EM = 8  # a real glyph's box spans at most ~4 em (Arabic ligatures); past this, nothing is rasterized
_LEAST_LETTER_INK = 24  # pixels at 64 per em; the shipped fonts' smallest letter or digit leaves 42
_LEAST_OTHER_INK = 6  # punctuation, symbols, marks: the shipped fonts' smallest leave 36, DejaVu ExtraLight's dots 8+
_NO_INK_NEEDED = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cs", "Cn"})
# The least a letter's or digit's ink measures (its larger side, in ems) in any real font: the shipped fonts'
# smallest are 0.45 (capitals), 0.16 (a Greek iota subscript), 0.10 (a Canadian syllabics final), 0.12 (the
# Arabic-Indic zero, a dot by design). A glyph smaller than this is a speck, not a letter.
SMALLEST = {"Lu": 0.3, "Lt": 0.3, "Nl": 0.3, "Nd": 0.3, "No": 0.2, "Ll": 0.12}
SMALLEST_OTHER = 0.08  # other letters (Lo, Lm), and the two Arabic-Indic zeros
DOT_ZEROS = frozenset({0x0660, 0x06F0})


def least_size(code: int, kind: str) -> float:
    """The smallest a real glyph for this letter or digit measures, in ems."""
    if code in DOT_ZEROS:
        return SMALLEST_OTHER
    return 0.3 if code < 0x80 else SMALLEST.get(kind, SMALLEST_OTHER)


def invisible(data: bytes, index: int, version: tuple[object, ...], codes: Iterable[int]) -> frozenset[int]:
    """The code points among `codes` whose glyph (in the face `index` of the font file `data`, identified by
    `version`) draws no visible ink on its line: empty, a speck, contours that cancel, or far off the line."""
    verdicts = _verdicts(version)
    todo = [code for code in codes if code not in verdicts]
    if todo:
        face = _face(data, index, version)
        with deadline(30.0, "drawing the font's glyphs to check them"):
            for code in todo:
                verdicts[code] = _visible(face, code)
    return frozenset(code for code in codes if not verdicts[code])


@lru_cache(maxsize=16)
def _verdicts(version: tuple[object, ...]) -> dict[int, bool]:
    return {}


@lru_cache(maxsize=4)
def _face(data: bytes, index: int, version: tuple[object, ...]):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    # From the bytes already checked, never the path again (the file may have changed since).
    return ImageFont.truetype(io.BytesIO(data), PIXELS_PER_EM, index=index, layout_engine=ImageFont.Layout.BASIC)


def _visible(face, code: int) -> bool:  # type: ignore[no-untyped-def]
    kind = unicodedata.category(chr(code))
    if kind in _NO_INK_NEEDED or code in BLANK_BY_DESIGN:
        return True
    text = chr(code)
    try:
        left, top, right, bottom = face.getbbox(text, anchor="ls")  # from the points, before any bitmap exists
        if max(right - left, bottom - top) > _WIDEST_EM * PIXELS_PER_EM:
            return False  # a glyph spanning many ems is drawn off its line (or would take a huge bitmap)
        mask, (x, y) = face.getmask2(text, mode="L", anchor="ls")
    except (OSError, ValueError, MemoryError):  # FreeType refused this glyph: it would not print either
        return False
    box = mask.getbbox()
    if box is None:
        return False
    ink = sum(mask.histogram()[128:])
    em = PIXELS_PER_EM
    ink_left, ink_top, ink_right, ink_bottom = x + box[0], y + box[1], x + box[2], y + box[3]
    # The line's band (y grows downwards): from 2 em above the baseline to 1 em below it, -2 em to 3 em across.
    if not (ink_bottom > -2 * em and ink_top < em and ink_right > -2 * em and ink_left < 3 * em):
        return False
    if kind[0] in "LN":
        size = max(box[2] - box[0], box[3] - box[1]) / em
        return ink >= _LEAST_LETTER_INK and size >= least_size(code, kind)
    return ink >= _LEAST_OTHER_INK
