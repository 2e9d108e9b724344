"""Whether a family's italic face leans: fonts.yaml may name any file as the italic face.

Naming the regular file (or a copy, or another upright design) as `italic:` printed every italic word like the
rest: "Drive *only* with an adult" lost its emphasis without a word (thirty-sixth pass). The ink of letters whose
strokes are symmetric top to bottom (l, I, H, T, N, E; Cyrillic Н, П, Т, Ш) tells: the middle of a row of ink moves
right as the row rises by about a fifth of the rise in a real italic or oblique (Noto Sans Italic 0.21, DejaVu Sans
Oblique 0.20) and not at all in an upright face.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from generator.render.fonts import Face, coverage, drawn_bytes, verify

SAMPLE = "lIHTNE\u041d\u041f\u0422\u0428"
LEAST_LEAN = 0.05  # of the rise: about 3 degrees more than the upright face's
_PIXELS_PER_EM = 64
_BAND = 0.3  # the top and bottom share of a letter's ink rows compared


def upright_italic(upright: Face, italic: Face) -> tuple[float, float] | None:
    """(the italic's lean, the upright's) when the italic face leans less than LEAST_LEAN more than the upright
    one; None when it leans, or the faces share no sample letter."""
    return _verdict(upright.path, upright.index, verify(upright)[2], italic.path, italic.index, verify(italic)[2])


@lru_cache(maxsize=16)
def _verdict(upright: Path, upright_index: int, upright_stamp: tuple[int, ...], italic: Path, italic_index: int,
             italic_stamp: tuple[int, ...]) -> tuple[float, float] | None:
    shared = coverage(upright, upright_index) & coverage(italic, italic_index)
    codes = [ord(ch) for ch in SAMPLE if ord(ch) in shared]
    if not codes:
        return None
    straight, leaning = _lean(Face("upright", upright, upright_index), codes), \
        _lean(Face("italic", italic, italic_index), codes)
    if straight is None or leaning is None or leaning - straight >= LEAST_LEAN:
        return None
    return leaning, straight


def face_lean(face: Face, codes: list[int]) -> float | None:
    """The median lean of the face's glyphs for these code points (None when none could be measured)."""
    return _lean(face, codes)


def _lean(face: Face, codes: list[int]) -> float | None:
    """The median lean of the face's glyphs for these code points: how far right the middle of the top rows of
    ink lies from that of the bottom rows, over their height apart (None when none could be measured)."""
    from statistics import median

    leans = []
    for pixels, width, height in glyph_masks(face, codes):
        rows = [(y, sum(pixels[y * width:(y + 1) * width]), sum(x * v for x, v in enumerate(pixels[y * width:
                (y + 1) * width]))) for y in range(height)]
        inked = [row for row in rows if row[1]]
        band = max(1, int(len(inked) * _BAND))
        if len(inked) < 8:
            continue
        top, bottom = inked[:band], inked[-band:]
        middle = [sum(weighted for _, _, weighted in part) / sum(ink for _, ink, _ in part) for part in (top, bottom)]
        rise = sum(y for y, _, _ in bottom) / band - sum(y for y, _, _ in top) / band
        leans.append((middle[0] - middle[1]) / rise)
    return median(leans) if leans else None


def glyph_masks(face: Face, codes: list[int]) -> Iterator[tuple[bytes, int, int]]:
    """(grey pixels, width, height) of each glyph of `codes` as FreeType draws it at _PIXELS_PER_EM, unhinted text
    anchored on its baseline; glyphs FreeType refuses (said where they are drawn) or over 8 em are left out."""
    from PIL import ImageFont

    data, at = drawn_bytes(face)
    font = ImageFont.truetype(io.BytesIO(data), _PIXELS_PER_EM, index=at, layout_engine=ImageFont.Layout.BASIC)
    for code in codes:
        try:
            mask, _ = font.getmask2(chr(code), mode="L", anchor="ls")
        except (OSError, ValueError, MemoryError):
            continue
        width, height = mask.size
        if width <= 8 * _PIXELS_PER_EM and height <= 8 * _PIXELS_PER_EM:
            yield bytes(mask), width, height
