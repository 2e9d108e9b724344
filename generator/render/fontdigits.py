"""Whether a face draws each digit as that digit: a dose, a phone number or a date must print as written.

A project font whose character map sent "8" to the glyph of "1" passed every check (each glyph existed, was
full size and on its line) and printed the crisis line "988" as "911", while the PDF's text still read 988
(ninth pass). Each ASCII digit is drawn by FreeType (through Pillow), scaled to a common height and compared
with the digits of the faces the generator ships: a digit clearly nearer another digit than its own is refused.
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.render.fonts import Face, drawn_bytes, drawn_map, verify

if TYPE_CHECKING:
    from PIL.Image import Image

DIGITS = "0123456789"
_PIXELS_PER_EM = 64
_HEIGHT, _WIDTH = 16, 16  # the compared picture: a digit scaled to 16 pixels high, centred in 16 across
# A digit is refused when it is clearly nearer another digit than its own: real faces (DejaVu's 22 styles, obliques
# and extra-light included) are at worst 0.74 as near another digit as their own (specks left out, 4 against 1 in
# DejaVu Serif Condensed); a swapped digit, about 0.
_CLEARLY = 0.6
# Characters a swap of which changes what a text says: a dose, an instruction, a number's decimal point.
# Signs and units too (eleventh pass: "/" drawn as "7" printed "Take 1/2 tablet" as "Take 172 tablet", "µ" as "m"
# made micrograms milligrams). Left out: dashes and primes, which real faces draw alike by design (DejaVu Sans Mono's
# en and em dash, WenQuanYi's prime and apostrophe); a reader takes every dash for a dash.
MEANINGFUL = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + DIGITS
              + "\u00bc\u00bd\u00be\u2153\u2154\u2155\u215b\u215c\u215d\u215e.,:;%+-\u2212"
              + "/<>=\u00d7\u00f7\u00b1\u00b0\u00b5\u2030#*!?&@$\u20ac\u00a3\u00a2\u00a5()[]{}'\"~^_|\\`\u00b7")
# Signs whose look carries a dose or an instruction, each of which must look like itself (as digits must): a swap of
# "<" and ">" turned "above 38" into "below 38" (eleventh pass), which no two-alike comparison sees. Compared in a
# frame of the em (their height and place on the line matter: "°" is a raised "o"), with the shipped faces' signs,
# digits and the letters they could pass for. Real faces (DejaVu's 22 styles, the shipped ones): at worst 0.74 as
# near another as their own (DejaVu Sans Mono's "%" and "=").
SIGNS = "<>/=%+\u00d7\u00f7\u00b1\u00b0\u00b5"
# Fractions and the marks of a decimal number, each compared only with its own kind (real faces: at worst 0.62 as near
# another of its group as its own, DejaVu Serif Condensed's ";" against ","): a swap (½ printed for ¼, "2.5" as
# "2,5") is refused under 0.5 (twelfth pass). A decimal point or comma must also leave ink a reader sees: at least
# _LEAST_DOT of the smallest shipped face's (Noto Sans draws "." with 57 pixels at 64 per em; a copy shrunk to 0.3,
# 9 pixels, printed "2.5 mg" as "2 5 mg"; DejaVu Sans ExtraLight's dots, 8 pixels, are refused alike).
GROUPS = ("\u00bd\u00bc\u00be\u2153\u2154\u215b", ".,:;")
_CLEARLY_IN_GROUP = 0.5
_LEAST_DOT = 0.35
_SIGN_REFERENCES = SIGNS + DIGITS + "mgulnc" + "".join(GROUPS)
# The spaces (Zs, but the Ogham space mark U+1680, a stroke by design) and the zero-width space, joiners and word
# joiners, which real faces draw blank. (Other characters blank by design, such as U+034F and the direction marks,
# are drawn as visible placeholders by Noto Sans; a text holding them is refused by the text checks.)
BLANK = frozenset({*(code for code in range(0x3001) if unicodedata.category(chr(code)) == "Zs"),
                   0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} - {0x1680})
_SEEN = 96  # a pixel this dark (of 255) is ink
_REFERENCES = ("noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Italic.ttf", "dejavu-sans/DejaVuSans-Bold.ttf")
_MORE_REFERENCES = ("dejavu-sans/DejaVuSans.ttf",)
# Digits of other scripts, each of which must look like itself too (eleventh pass: an Arabic face drawing "٨" as
# "١" printed the crisis line ٩٨٨ as ٩١١): compared with the shipped faces that have them (DejaVu Sans), and
# refused only when nearly a copy of another digit (real faces' designs differ more from DejaVu's than Latin ones do:
# DejaVu's own 6 styles with these digits are at worst 1.12 as near another digit as their own).
ARABIC_INDIC = "".join(map(chr, range(0x0660, 0x066A)))
EXTENDED_ARABIC_INDIC = "".join(map(chr, range(0x06F0, 0x06FA)))
DIGIT_SETS = (DIGITS, ARABIC_INDIC, EXTENDED_ARABIC_INDIC)
_CLEARLY_OTHER_DIGITS = 0.3
# As drawn on its line (size and place kept, `_framed`): real faces' digits at worst 0.91 as near another digit as
# their own (DejaVu Sans Oblique's "1" against "2"; Arabic-Indic, DejaVu's styles: 1.03); a "1" made 1.6 times as
# wide for "8", 0.52; a "١" turned and widened for "٨", 0.60 (twelfth pass).
_CLEARLY_FRAMED = 0.7
_WIDEST_DIGIT = 0.95  # em of ink: real faces' widest digit is 0.72 (DejaVu's bold italics); "00" as one glyph, 1.14


def misdrawn_digits(face: Face) -> list[tuple[str, str]]:
    """Each digit or sign (SIGNS) the face draws as another one, with the character it looks like (or, longer, what
    is wrong with it); empty for a sound face."""
    return _verdicts(face)[0]


def drawn_alike(face: Face) -> list[tuple[str, str]]:
    """Pairs of characters whose swap changes what a text says (letters, digits, fractions, number signs) that the
    face draws as one picture: "t" as "w" printed "Do now drive", "½" as "¼", "." as "," (tenth pass)."""
    return _verdicts(face)[1]


def inked_blanks(face: Face) -> list[str]:
    """The spaces (and other characters blank by design) that the face draws with ink: a space drawn as "1"
    printed "Take 1 tablet, not 11." as "Take111tablet,1not111." (tenth pass)."""
    return _verdicts(face)[2]


def _verdicts(face: Face) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    path, index, stamp = verify(face)
    return _misdrawn(Path(path), index, stamp, drawn_bytes(face))


@lru_cache(maxsize=16)
def _misdrawn(path: Path, index: int, stamp: tuple[int, ...],
              drawn: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    from PIL import ImageFont

    # `drawn`: the face with only the character map ReportLab draws from (fontcmap), so FreeType draws the same.
    font = ImageFont.truetype(io.BytesIO(drawn), _PIXELS_PER_EM, index=index,
                              layout_engine=ImageFont.Layout.BASIC)
    mapped = drawn_map(path, index, stamp)
    wrong = []
    for block, (shapes, frames) in _references().items():
        cut = _CLEARLY if block == DIGITS else _CLEARLY_OTHER_DIGITS
        for digit in (digit for digit in block if ord(digit) in mapped):
            # Three looks: its shape at a common height, its ink as drawn on its line (a "1" made wider passed the
            # first, twelfth pass), and its width (a "0" drawn as "00" printed "Take 10 mg" as "Take 100 mg").
            told = _too_wide(font, digit) or _side_by_side(font, digit) or \
                _nearer(_shape(font, digit), digit, shapes, cut) or \
                _nearer(_framed(font, digit), digit, frames, _CLEARLY_FRAMED)
            if told:
                wrong.append((digit, told))
    signs = _sign_references()
    for sign in (sign for sign in SIGNS if ord(sign) in mapped):
        if told := _nearer(_framed(font, sign), sign, signs, _CLEARLY):
            wrong.append((sign, told))
    for group in GROUPS:
        kin = [(name, picture) for name, picture in signs if name in group]
        for mark in (mark for mark in group if ord(mark) in mapped):
            if told := _too_faint(font, mark) or _nearer(_framed(font, mark), mark, kin, _CLEARLY_IN_GROUP):
                wrong.append((mark, told))
    pictures: dict[tuple[object, ...], str] = {}
    alike = []
    for ch in MEANINGFUL + ARABIC_INDIC + EXTENDED_ARABIC_INDIC:
        if ord(ch) not in mapped:
            continue  # not in the face: a text using it is refused by the coverage check
        mask, offset = font.getmask2(ch, mode="L", anchor="ls")
        picture = (mask.size, offset, bytes(mask))
        # The same digit of two scripts may be one picture (Arabic-Indic and Persian 1, 2, 3...).
        if mask.getbbox() is not None and (first := pictures.setdefault(picture, ch)) != ch \
                and unicodedata.digit(ch, None) != unicodedata.digit(first, -1):
            alike.append((ch, first))
    inked = []
    for code in sorted(BLANK.intersection(mapped)):
        mask, _ = font.getmask2(chr(code), mode="L")
        if mask.size[0] and mask.size[1] and max(bytes(mask)) >= _SEEN:
            inked.append(chr(code))
    return wrong, alike, inked


def _nearer(picture: Image | None, ch: str, references: list[tuple[str, Image]], cut: float) -> str:
    """The character that `ch`, drawn as `picture`, looks like: one whose reference is clearly nearer (under `cut`
    of the distance) than `ch`'s own; "" otherwise, for no ink (the ink check names it) or no reference of `ch`."""
    own = [_distance(picture, known) for name, known in references if name == ch] if picture is not None else []
    others = [(_distance(picture, known), name) for name, known in references if name != ch] if own else []
    if not others:
        return ""
    other, nearest = min(others)
    return nearest if other < cut * min(own) else ""


def _too_faint(font, mark: str) -> str:  # type: ignore[no-untyped-def]
    if mark not in ".,":
        return ""
    ink = _inked(font, mark)
    return f"a speck of {ink} pixels at {_PIXELS_PER_EM} per em (a reader would not see it)" \
        if ink < _LEAST_DOT * _reference_ink(mark) else ""


def _inked(font, ch: str) -> int:  # type: ignore[no-untyped-def]
    """Pixels of the character's ink, as FreeType draws it."""
    return sum(1 for level in bytes(font.getmask2(ch, mode="L")[0]) if level >= _SEEN)


@lru_cache(maxsize=4)
def _reference_ink(mark: str) -> int:
    """The least ink the shipped faces draw `mark` with."""
    from PIL import ImageFont

    from generator.render.template import default_templates

    inks = []
    for name in _REFERENCES:
        face = Face("reference", default_templates() / "fonts" / name, 0)
        font = ImageFont.truetype(io.BytesIO(drawn_bytes(face)), _PIXELS_PER_EM, layout_engine=ImageFont.Layout.BASIC)
        inks.append(_inked(font, mark))
    return min(inks)


def _too_wide(font, digit: str) -> str:  # type: ignore[no-untyped-def]
    mask, _ = font.getmask2(digit, mode="L")
    wide = mask.size[0] / _PIXELS_PER_EM
    return f"a picture {wide:.2f} em wide (no digit is over {_WIDEST_DIGIT} em: it may draw two digits)" \
        if wide > _WIDEST_DIGIT else ""


@lru_cache(maxsize=1)
def _references() -> dict[str, tuple[list[tuple[str, Image]], list[tuple[str, Image]]]]:
    """Per set of digits (DIGITS, ARABIC_INDIC...), the shipped faces' drawing of each, at a common height and as
    drawn on its line (read from the generator's own fonts; a face without the set's digits draws none)."""
    from PIL import ImageFont

    from generator.render.template import default_templates

    found: dict[str, tuple[list[tuple[str, Image]], list[tuple[str, Image]]]] = {b: ([], []) for b in DIGIT_SETS}
    for name in (*_REFERENCES, *_MORE_REFERENCES):  # drawn as the checked faces are: through their map, without
        # hinting (fontcmap)
        face = Face("reference", default_templates() / "fonts" / name, 0)
        path, index, stamp = verify(face)
        mapped = drawn_map(Path(path), index, stamp)
        font = ImageFont.truetype(io.BytesIO(drawn_bytes(face)), _PIXELS_PER_EM, layout_engine=ImageFont.Layout.BASIC)
        for block in DIGIT_SETS:
            if block == DIGITS and name not in _REFERENCES:
                continue  # the ASCII digits' cut-offs were measured against the first three faces
            shapes, frames = found[block]
            for digit in (digit for digit in block if ord(digit) in mapped):
                if (shape := _shape(font, digit)) is not None and (framed := _framed(font, digit)) is not None:
                    shapes.append((digit, shape))
                    frames.append((digit, framed))
    return {block: pictures for block, pictures in found.items() if pictures[0]}


@lru_cache(maxsize=1)
def _sign_references() -> list[tuple[str, Image]]:
    """The shipped faces' signs, digits and a few letters, each framed as `_framed` frames them."""
    from PIL import ImageFont

    from generator.render.template import default_templates

    found = []
    for name in _REFERENCES:
        reference = drawn_bytes(Face("reference", default_templates() / "fonts" / name, 0))
        font = ImageFont.truetype(io.BytesIO(reference), _PIXELS_PER_EM, layout_engine=ImageFont.Layout.BASIC)
        found += [(ch, framed) for ch in _SIGN_REFERENCES if (framed := _framed(font, ch)) is not None]
    return found


def _framed(font, ch: str) -> Image | None:  # type: ignore[no-untyped-def]
    """The character's ink centred across one em and placed on its line (1 em above the baseline, 0.3 below),
    as 16 × 21 grey levels: its size and height on the line kept."""
    from PIL import Image  # noqa: F811 - the module at run time (the annotation names its class)

    mask, (_, top) = font.getmask2(ch, mode="L", anchor="ls")
    image = Image.frombytes("L", mask.size, bytes(mask)) if mask.size[0] and mask.size[1] else None
    box = image.getbbox() if image is not None else None
    if image is None or box is None:
        return None
    ink = image.crop(box)
    canvas = Image.new("L", (_PIXELS_PER_EM, round(_PIXELS_PER_EM * 1.3)))
    canvas.paste(ink, ((_PIXELS_PER_EM - ink.width) // 2, _PIXELS_PER_EM + top + box[1]))
    return canvas.resize((16, 21), Image.Resampling.BILINEAR)


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


_REDUCED, _FAINT = 4, 24  # pieces are told apart at a quarter of the size, where a thin stroke averages over 24
_SPECK = 0.15  # a piece of ink under this share of the largest piece is a speck, not part of the digit's shape


def _pieces(image) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """The boxes (at 16 per em) of the glyph's pieces of ink, specks left out."""
    from PIL import ImageDraw

    ink = image.reduce(_REDUCED).point(lambda level: 255 if level >= _FAINT else 0)
    pieces: list[tuple[int, tuple[int, int, int, int]]] = []
    while (box := ink.getbbox()) is not None:
        if len(pieces) == 64:
            pieces.append((ink.histogram()[255], box))
            break
        top_row = ink.crop((box[0], box[1], box[2], box[1] + 1)).tobytes()
        ImageDraw.floodfill(ink, (box[0] + top_row.index(255), box[1]), 128)
        piece = ink.point(lambda level: 255 if level == 128 else 0)
        pieces.append((piece.histogram()[255], piece.getbbox()))
        ink.paste(0, mask=piece)
    largest = max((size for size, _ in pieces), default=0)
    return [box for size, box in pieces if size >= _SPECK * largest]


def _side_by_side(font, digit: str) -> str:  # type: ignore[no-untyped-def]
    """A digit drawn as two pictures side by side, parted by a column without ink ("0" as two narrow zeros printed
    "10" as "100": twelfth pass); specks (under 0.15 of the ink) are left out, and a piece within another's width
    (the dot in a dotted zero) is part of one picture."""
    from PIL import Image

    mask, _ = font.getmask2(digit, mode="L")
    if not (mask.size[0] and mask.size[1]):
        return ""
    image = Image.frombytes("L", mask.size, bytes(mask)).point(lambda level: 255 if level >= _SEEN else 0)
    columns = image.resize((mask.size[0], 1), Image.Resampling.BOX).tobytes()  # ink per column, at C speed
    parts, current = [], 0
    for level in (*columns, 0):
        if level:
            current += level
        elif current:
            parts.append(current)
            current = 0
    largest = max(parts, default=0)
    return "two pictures side by side (it may draw two digits)" \
        if sum(part >= _SPECK * largest for part in parts) > 1 else ""


def _body(image) -> tuple[int, int, int, int] | None:  # type: ignore[no-untyped-def]
    """The box of the glyph's ink without its specks: a 0.02 em square 0.3 em beside a "1" drawn for "8" widened
    the compared box until the squashed "1" looked like no digit, and "988" printed "9 11" (tenth pass). Pieces are
    found by flood fill on the glyph reduced to 16 pixels per em (Pillow's fill runs in Python: 3 ms a digit at 64);
    past 64 pieces the rest counts as one."""
    kept = _pieces(image)
    if not kept:
        return image.getbbox()  # too faint to count at 16 per em: as drawn
    region = tuple(_REDUCED * edge for edge in (min(b[0] for b in kept), min(b[1] for b in kept),
                                               max(b[2] for b in kept), max(b[3] for b in kept)))
    inside = image.crop(region).getbbox()  # the exact ink box within the kept pieces' (coarser) one
    if inside is None:
        return image.getbbox()
    return (region[0] + inside[0], region[1] + inside[1], region[0] + inside[2], region[1] + inside[3])
