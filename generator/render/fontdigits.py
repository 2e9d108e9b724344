"""Whether a face draws each digit as that digit: a dose, a phone number or a date must print as written.

A project font whose character map sent "8" to the glyph of "1" passed every check (each glyph existed, was
full size and on its line) and printed the crisis line "988" as "911", while the PDF's text still read 988
(ninth pass). Each ASCII digit is drawn by FreeType (through Pillow), scaled to a common height and compared
with the digits of the faces the generator ships: a digit clearly nearer another digit than its own is refused.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.render.fonts import Face, drawn_bytes, verify

if TYPE_CHECKING:
    from PIL.Image import Image

DIGITS = "0123456789"
_PIXELS_PER_EM = 64
_HEIGHT, _WIDTH = 16, 16  # the compared picture: a digit scaled to 16 pixels high, centred in 16 across
# A digit is refused when it is clearly nearer another digit than its own: real faces (DejaVu's 22 styles, obliques
# and extra-light included) are at worst 0.74 as near another digit as their own (specks left out, 4 against 1 in
# DejaVu Serif Condensed); a swapped digit, about 0.
_CLEARLY = 0.6
_REFERENCES = ("noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Italic.ttf", "dejavu-sans/DejaVuSans-Bold.ttf")


def misdrawn_digits(face: Face) -> list[tuple[str, str]]:
    """Each digit the face draws as another one, with the digit it looks like (empty for a sound face)."""
    path, index, stamp = verify(face)
    return _misdrawn(Path(path), index, stamp, drawn_bytes(face))


@lru_cache(maxsize=16)
def _misdrawn(path: Path, index: int, stamp: tuple[int, ...], drawn: bytes) -> list[tuple[str, str]]:
    from PIL import ImageFont

    font = ImageFont.truetype(io.BytesIO(drawn), _PIXELS_PER_EM, index=index,
                              layout_engine=ImageFont.Layout.BASIC)
    references = _references()
    wrong = []
    for digit in DIGITS:
        shape = _shape(font, digit)
        if shape is None:
            continue  # no ink at all: the ink check names it
        same = min(_distance(shape, picture) for known, picture in references if known == digit)
        other, nearest = min((_distance(shape, picture), known) for known, picture in references if known != digit)
        if other < _CLEARLY * same:
            wrong.append((digit, nearest))
    return wrong


@lru_cache(maxsize=1)
def _references() -> list[tuple[str, Image]]:
    """The shipped faces' digits, each as a compared picture (read from the generator's own fonts)."""
    from PIL import ImageFont

    from generator.render.template import default_templates

    found = []
    for name in _REFERENCES:
        font = ImageFont.truetype(str(default_templates() / "fonts" / name), _PIXELS_PER_EM,
                                  layout_engine=ImageFont.Layout.BASIC)
        found += [(digit, shape) for digit in DIGITS if (shape := _shape(font, digit)) is not None]
    return found


def _shape(font, digit: str) -> Image | None:  # type: ignore[no-untyped-def]
    """The digit's ink scaled to a common height (digits share one), centred, as 16 × 16 grey levels."""
    from PIL import Image  # noqa: F811 - the module at run time (the annotation names its class)

    mask, _ = font.getmask2(digit, mode="L")
    image = Image.frombytes("L", mask.size, bytes(mask)) if mask.size[0] and mask.size[1] else None
    box = _body(image) if image is not None else None
    if image is None or box is None:
        return None
    ink = image.crop(box)
    width = max(1, min(_WIDTH, round(ink.width * _HEIGHT / ink.height)))
    scaled = ink.resize((width, _HEIGHT), Image.Resampling.BILINEAR)
    canvas = Image.new("L", (_WIDTH, _HEIGHT))
    canvas.paste(scaled, ((_WIDTH - width) // 2, 0))
    return canvas


def _distance(one, other) -> float:  # type: ignore[no-untyped-def]
    from PIL import ImageChops, ImageStat

    return ImageStat.Stat(ImageChops.difference(one, other)).sum[0]


_SPECK = 0.15  # a piece of ink under this share of the largest piece is a speck, not part of the digit's shape


def _body(image) -> tuple[int, int, int, int] | None:  # type: ignore[no-untyped-def]
    """The box of the glyph's ink without its specks: a 0.02 em square 0.3 em beside a "1" drawn for "8" widened
    the compared box until the squashed "1" looked like no digit, and "988" printed "9 11" (tenth pass)."""
    width, height = image.size
    inked = {n for n, level in enumerate(image.tobytes()) if level >= 96}
    pieces: list[tuple[int, tuple[int, int, int, int]]] = []
    while inked:
        todo = [inked.pop()]
        size, left, top, right, bottom = 0, width, height, 0, 0
        while todo:
            n = todo.pop()
            y, x = divmod(n, width)
            size += 1
            left, top, right, bottom = min(left, x), min(top, y), max(right, x + 1), max(bottom, y + 1)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    near = n + dy * width + dx
                    if near in inked and 0 <= x + dx < width:
                        inked.discard(near)
                        todo.append(near)
        pieces.append((size, (left, top, right, bottom)))
    if not pieces:
        return None
    largest = max(size for size, _ in pieces)
    kept = [box for size, box in pieces if size >= _SPECK * largest]
    return (min(b[0] for b in kept), min(b[1] for b in kept), max(b[2] for b in kept), max(b[3] for b in kept))
