"""Whether the glyphs a text uses leave ink where they belong, as a rasterizer draws them from their points.

The font check reads each glyph's header box (fontbounds); a renderer draws the outline's points under the
non-zero winding rule. A font whose contours cancel each other (each one followed by its reverse), or whose
outlines are specks under a forged full-size header box, passed that check and printed blank pages, DRAFT,
stamp and disclaimer included (eighth pass). Here FreeType (through Pillow, already needed for the logo)
draws each glyph the content uses, once per file version, and the ink is measured.

A face whose advance widths were all set to 0 (or a tenth) printed every line as one overstruck blob, and
one at twenty times spread a line off the paper (ninth pass): the ink each glyph leaves is also measured against
how far the pen moves after it (its advance, as ReportLab reads it), for the whole face and for each character
a text uses.
"""

from __future__ import annotations

import io
import statistics
import struct
import unicodedata
from collections.abc import Iterable, Mapping
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
# How much of a glyph's ink must lie within its own advance (the step from its pen position to the next), how
# short the step may be, and how far it may run past the ink. Measured on every spacing character (letters,
# digits, punctuation, symbols) of the shipped faces and 56 others (URW's and DejaVu's families, obliques and
# a script face among them): at least 0.39 of the ink lies inside (an oblique's "ĺ"), or it overlaps by at most
# 0.2 em; no step is under 0.06 em. Only U+2044 and U+2215 (slashes made to lean over digits), U+2E3C (a
# stenographic full stop of no advance), the CJK face's U+02CD and Noto Italic's U+A78E fall outside. The
# widest gap is 0.92 em (fullwidth forms). A dot given no advance ("2.5" printed over "25") is under 0.06 em.
_LEAST_ADVANCE = 0.35
_MOST_OVERLAP = 0.2
_LEAST_STEP = 0.06
_MOST_GAP = 1.5
# Em of a number's characters' ink allowed outside their own advance: a full stop (and the Arabic decimal
# separator) sits within it in real faces; an italic comma reaches under the letter before it (0.06 em in the
# shipped italics); a digit overhangs by at most 0.043 em (Noto Sans Bold Italic's 7), so one made to overhang by
# 0.18 em covered the full stop after it ("2.5" printed "25": twelfth pass).
_OWN_PLACE = {".": 0.02, "\u066b": 0.02, ",": 0.1,
              **dict.fromkeys([*"0123456789", *map(chr, range(0x0660, 0x066A)), *map(chr, range(0x06F0, 0x06FA))],
                              0.08)}
_ZERO_WIDTH_BY_DESIGN = "MZC"  # marks sit on the letter before them; spaces and controls have no ink


# How far above and below its baseline a glyph's ink may reach, in ems (tenth pass: outlines stretched 2.6 times
# upwards printed every line over its neighbours, the stamp and disclaimer included). The shipped faces and
# DejaVu's 22 styles reach at most 1.02 em above (ASCII), 1.15 em (Vietnamese stacked accents) and 0.39 em below.
_TALLEST_ASCII = (1.25, 0.6)
_TALLEST = (1.6, 0.9)
# The median height of a face's ASCII letters: 0.71 to 0.73 em in those faces (1.86 em when stretched).
_TALLEST_LETTERS = 1.0


class UnusableFont(ValueError):
    """A face read without fault whose text could not be read on paper (specks, letters drawn over each other)."""


_BLANK_BY_DESIGN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})  # spaces and controls: no outline is right
# The least a real font's median letter measures, in ems: its larger side (all letters and digits; real fonts
# 0.61-0.88), its ASCII letters' height (0.56-0.73: URW's Courier the least) and its ideographs' larger side (0.90);
# the shipped faces measure 0.77, 0.71 and 0.90. Noto Sans with only its units per em raised from 1000 to 1700 drew
# every letter at 0.59 of its size, the 8 pt stamp like a 4.7 pt one (33rd pass); at these bounds a face prints at
# least 0.77 of its size, as Courier does: the default stamp no smaller than 6 pt of the shipped face.
_TYPICAL = 0.55
_TYPICAL_HEIGHT = 0.55
_TYPICAL_IDEOGRAPH = 0.75
# A letter's advance over its box's width (letters below U+2000): the shipped faces' medians are 1.04 (bold
# italic) to 1.21; scaled advances move the median with them (at 0.65 of themselves letters touched and words
# ran together, looked at). A word space: 0.26 to 0.35 em in the shipped faces.
_ADVANCE_PER_WIDTH = (0.85, 2.5)
_WORD_SPACE = (0.15, 1.0)


def least_size(code: int, kind: str) -> float:
    """The smallest a real glyph for this letter or digit measures, in ems."""
    if code in DOT_ZEROS:
        return SMALLEST_OTHER
    return 0.3 if code < 0x80 else SMALLEST.get(kind, SMALLEST_OTHER)


def drawn(font, cmap: dict[int, str],  # type: ignore[no-untyped-def]
          widths: Mapping[int, int], units: int) -> frozenset[int]:
    """The code points whose glyph draws something visible (or is a space), by the glyph headers of the whole
    face: a face whose glyphs are empty outlines passed the coverage check and printed blank pages, stamp and
    DRAFT included (fifth pass); one whose glyphs are specks, or drawn far below their line, did the same (eighth
    pass). A face whose letters are mostly specks, or whose advance widths do not fit its letters (ninth pass),
    is refused (UnusableFont); `invisible` and `crowded` then draw each character a text uses."""
    from generator.render.fontbounds import blank_glyphs, glyph_boxes

    if not {"loca", "glyf"} <= set(font.reader.keys()):
        return frozenset(cmap)
    tables = (font.reader["head"], font.reader["maxp"], font.reader["loca"], font.reader["glyf"])
    blank = set(blank_glyphs(*tables))
    boxes = glyph_boxes(*tables)
    units = units or 1000
    low, high, left, right = -units, 2 * units, -2 * units, 3 * units  # the line's band, in font units
    letters: list[float] = []
    spacing: list[float] = []
    heights: list[float] = []
    ideographs: list[float] = []
    category = unicodedata.category
    for code, name in cmap.items():
        glyph = int(name[1:])
        x_min, y_min, x_max, y_max = boxes[glyph]
        if not (low < y_max and y_min < high and left < x_max and x_min < right) and (x_max, y_max) != (0, 0):
            blank.add(glyph)  # drawn far off its line (25 em below it: off the paper, eighth pass)
        kind = category(chr(code))
        if kind[0] not in "LN":
            continue
        size = max(x_max - x_min, y_max - y_min) / units
        letters.append(size)
        if 0x4E00 <= code <= 0x9FFF:
            ideographs.append(size)
        if code < 0x80 and kind[0] == "L":
            heights.append((y_max - y_min) / units)
        if code < 0x2000 and x_max - x_min > units // 20:  # alphabets: enough to judge, and not 30,000 ideographs
            spacing.append(widths.get(code, 0) / (x_max - x_min))
        least = SMALLEST_OTHER if code in DOT_ZEROS else 0.3 if code < 0x80 else SMALLEST.get(kind, SMALLEST_OTHER)
        if size < least:  # (least_size, inline: this loop visits every glyph of a CJK face)
            blank.add(glyph)
    _check_size(letters, heights, ideographs)
    if heights and (tall := statistics.median_low(heights)) > _TALLEST_LETTERS:
        raise UnusableFont(f"its letters are drawn {tall:.2f} em tall (the median ASCII letter; a real font's "
                           "0.7-0.75): each line would be printed over the lines above and below it; use another font")
    _check_spacing(statistics.median_low(spacing) if spacing else 1.0, widths.get(0x20), units)
    if not blank:
        return frozenset(cmap)
    return frozenset(code for code, name in cmap.items()
                     if int(name[1:]) not in blank or code in BLANK_BY_DESIGN
                     or unicodedata.category(chr(code)) in _BLANK_BY_DESIGN)


def _check_size(letters: list[float], heights: list[float], ideographs: list[float]) -> None:
    """Refuse a face whose median letter (all letters, its ASCII letters' height, or its ideographs), in ems, is
    smaller than any real font's: every text set in it, the review stamp and disclaimer too, prints smaller than the
    size style.yaml gives it (a raised units per em)."""
    for measured, least, own, what in (
            (letters, _TYPICAL, 0.77, "the median letter's larger side; a real font's 0.61-0.88"),
            (heights, _TYPICAL_HEIGHT, 0.714, "the median ASCII letter's height; a real font's 0.56-0.73"),
            (ideographs, _TYPICAL_IDEOGRAPH, 0.9, "the median ideograph; a real font's 0.9")):
        if measured and (median := statistics.median_low(measured)) < least:
            printed = median / own  # of the size style.yaml gives it, as the shipped faces print it
            raise UnusableFont(f"its letters are drawn {median:.2f} em large ({what}): every text set in it would "
                               f"print at about {printed:.0%} of the size style.yaml gives it (the 8 pt review stamp "
                               f"like a {8 * printed:.1f} pt one); use another font, or this one with the units per "
                               "em it was made with")


def _check_spacing(advance_per_width: float, space: int | None, units: int) -> None:
    """Refuse a face whose letters advance far less, or far more, than they are wide, or whose word space is
    no space at all (or a gap of ems): its every line would be one overstruck blob, or letters strewn apart."""
    least, most = _ADVANCE_PER_WIDTH
    if not least <= advance_per_width <= most:
        how = "over one another" if advance_per_width < least else "far apart"
        raise UnusableFont(f"its advance widths do not fit its letters: the median letter moves the pen on "
                           f"{advance_per_width:.2f} times its own width (a real font's 1.0-1.2), so every line "
                           f"would be printed with its letters {how}; use another font")
    if space is not None and not _WORD_SPACE[0] <= space / units <= _WORD_SPACE[1]:
        raise UnusableFont(f"its word space is {space / units:.2f} em wide (a real font's 0.2-0.35): words would "
                           f"{'run together' if space / units < _WORD_SPACE[0] else 'stand far apart'}; use another "
                           "font")


def invisible(data: bytes, index: int, version: tuple[object, ...], codes: Iterable[int]) -> frozenset[int]:
    """The code points among `codes` whose glyph (in the face `index` of the font file `data`, identified by
    `version`) draws no visible ink on its line: empty, a speck, contours that cancel, or far off the line."""
    state = _drawn_all(data, index, version, codes)
    return frozenset(state.blank.intersection(codes))


def crowded(data: bytes, index: int, version: tuple[object, ...], codes: Iterable[int],
            widths: Mapping[int, int], units: int) -> dict[int, str]:
    """Among `codes` (drawn with ink), those whose advance width (`widths`, in font units: what ReportLab moves
    the pen by) does not fit their ink as FreeType draws it, each with why: printed over its neighbours, or far
    from them (ninth pass: advances set to 0 or a tenth made every line one overstruck blob, DRAFT included)."""
    state = _drawn_all(data, index, version, codes)
    while state.unjudged:  # drawn since last asked: each judged once
        code = state.unjudged.pop()
        ink = state.ink[code]
        state.spaced[code] = "" if ink is None else _spacing_fault(code, ink, widths.get(code, 0) / (units or 1000))
        if state.spaced[code]:
            state.crowded.add(code)
    return {code: state.spaced[code] for code in state.crowded.intersection(codes)}


def _spacing_fault(code: int, ink: tuple[float, float], advance: float) -> str:
    if ink == _NO_INK or unicodedata.category(chr(code))[0] in _ZERO_WIDTH_BY_DESIGN:
        return ""
    left, right = ink
    wide = right - left
    inside = max(0.0, min(right, advance) - max(left, 0.0))  # the ink within its own advance: the rest overlaps
    # A number's digits and decimal marks must stand in their own places: a full stop moved into the digit before it
    # printed "2.5 mg" as "25 mg" with a blot on the 2 (twelfth pass); real faces draw them within their advance.
    hidden = wide - inside > _OWN_PLACE.get(chr(code), wide)
    if hidden or advance < _LEAST_STEP or inside < _LEAST_ADVANCE * wide and wide - inside > _MOST_OVERLAP:
        how = "over its neighbours"  # no advance (a dot or an "l" as much as a "D"), or its ink moved off it
    elif advance - wide > _MOST_GAP:
        how = "far from its neighbours"
    else:
        return ""
    return (f"moves on {advance:.2f} em after character '{chr(code)}' (U+{code:04X}), whose ink is {wide:.2f} em "
            f"wide, {inside:.2f} em of it within that step: it would be printed {how}")


class _Drawn:
    """What is known of one version of a face: each measured code point's ink (None: no visible ink), those
    without ink, each one's spacing verdict ("" when it fits), those whose spacing does not, and those drawn
    but not yet judged."""

    def __init__(self) -> None:
        self.ink: dict[int, tuple[float, float] | None] = {}
        self.blank: set[int] = set()
        self.spaced: dict[int, str] = {}
        self.unjudged: set[int] = set()
        self.crowded: set[int] = set()


def _drawn_all(data: bytes, index: int, version: tuple[object, ...], codes: Iterable[int]) -> _Drawn:
    """The face's state with every code point of `codes` drawn (once per version: a text's characters are
    mostly known, found by a set difference at C speed)."""
    state = _state(version)
    todo = set(codes).difference(state.ink)
    if todo:
        face = _face(data, index, version)
        with deadline(30.0, "drawing the font's glyphs to check them"):
            for code in todo:
                ink = state.ink[code] = _ink(face, code)
                state.unjudged.add(code)
                if ink is None:
                    state.blank.add(code)
    return state


@lru_cache(maxsize=16)
def _state(version: tuple[object, ...]) -> _Drawn:
    return _Drawn()


@lru_cache(maxsize=4)
def _face(data: bytes, index: int, version: tuple[object, ...]):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    # From the bytes already checked, never the path again (the file may have changed since).
    return ImageFont.truetype(io.BytesIO(data), PIXELS_PER_EM, index=index, layout_engine=ImageFont.Layout.BASIC)


_NO_INK = (0.0, 0.0)  # a space or control: visible by design, and no ink to measure


def _ink(face, code: int) -> tuple[float, float] | None:  # type: ignore[no-untyped-def]
    kind = unicodedata.category(chr(code))
    if kind in _NO_INK_NEEDED or code in BLANK_BY_DESIGN:
        return _NO_INK
    text = chr(code)
    try:
        left, top, right, bottom = face.getbbox(text, anchor="ls")  # from the points, before any bitmap exists
        if max(right - left, bottom - top) > _WIDEST_EM * PIXELS_PER_EM:
            return None  # a glyph spanning many ems is drawn off its line (or would take a huge bitmap)
        mask, (x, y) = face.getmask2(text, mode="L", anchor="ls")
    except (OSError, ValueError, MemoryError):  # FreeType refused this glyph: it would not print either
        return None
    box = mask.getbbox()
    if box is None:
        return None
    ink = sum(mask.histogram()[128:])
    em = PIXELS_PER_EM
    ink_left, ink_top, ink_right, ink_bottom = x + box[0], y + box[1], x + box[2], y + box[3]
    # The line's band (y grows downwards): from 2 em above the baseline to 1 em below it, -2 em to 3 em across.
    if not (ink_bottom > -2 * em and ink_top < em and ink_right > -2 * em and ink_left < 3 * em):
        return None
    above, below = _TALLEST_ASCII if code < 0x80 else _TALLEST
    if ink_top < -above * em or ink_bottom > below * em:
        return None  # reaches into the lines above or below: outlines stretched 2.6 times overprinted the stamp
    if kind[0] in "LN":
        size = max(box[2] - box[0], box[3] - box[1]) / em
        visible = ink >= _LEAST_LETTER_INK and size >= least_size(code, kind)
    else:
        visible = ink >= _LEAST_OTHER_INK
    return (ink_left / em, ink_right / em) if visible else None


def face_numbers(data: bytes, index: int, mapping: dict[int, int],
                 known: bool = False) -> tuple[frozenset[int], dict[int, int], int]:
    """The code points a face draws with ink or blank by design, each one's advance in font units, and the units
    per em; `mapping`: the character map ReportLab draws from."""
    from generator.render.fontbounds import verified_font

    font = verified_font(data, index, known)
    # Synthetic glyph names: decoding the real ones (the 'post' table) costs more than the whole check.
    glyphs = font["maxp"].numGlyphs
    if any(not 0 <= glyph < glyphs for glyph in mapping.values()):
        raise ValueError("its character map names glyphs the font does not have")
    # The map ReportLab draws from, not fontTools' preferred one: a (3,5) map sent "8" to "1" (tenth pass).
    # (A code mapped to glyph 0 is drawn as the missing-glyph box: not in the face.)
    cmap = {code: f"g{glyph}" for code, glyph in mapping.items() if glyph}
    count = font["hhea"].numberOfHMetrics
    units = font["head"].unitsPerEm
    raw = font.reader["hmtx"]
    if not 0 < count <= glyphs or len(raw) < 4 * count:
        raise ValueError("table 'hmtx' is shorter than its glyph count says")
    widths = struct.unpack(f">{2 * count}H", raw[:4 * count])[0::2]
    advance = {code: widths[min(int(name[1:]), count - 1)] for code, name in cmap.items()}
    return drawn(font, cmap, advance, units), advance, units
