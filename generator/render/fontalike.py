"""Whether a project's face draws two characters whose swap changes a text as one picture, or a blank with ink.

Numbers cannot be drawn wrong by a project's face: their characters are drawn with the shipped faces' glyphs
(`fontguard`). Its letters are its own, and a face that drew "t" exactly as "w" printed "Do not drive" as "Do now
drive" (tenth pass); one that drew a space as "1" printed "Take 1 tablet, not 11." as "Take111tablet,1not111.".
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from generator.render.fonts import Face, drawn_bytes, drawn_map, verify

_PIXELS_PER_EM = 64
DIGITS = "0123456789"
ARABIC_INDIC = "".join(map(chr, range(0x0660, 0x066A)))
EXTENDED_ARABIC_INDIC = "".join(map(chr, range(0x06F0, 0x06FA)))
# Characters a swap of which changes what a text says: a word, a dose, an instruction, a number's decimal point.
# Left out: dashes and primes, which real faces draw alike by design (DejaVu Sans Mono's en and em dash,
# WenQuanYi's prime and apostrophe); a reader takes every dash for a dash.
MEANINGFUL = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + DIGITS
              + "\u00bc\u00bd\u00be\u2153\u2154\u2155\u215b\u215c\u215d\u215e.,:;%+-\u2212"
              + "/<>=\u00d7\u00f7\u00b1\u00b0\u00b5\u03bc\u2030#*!?&@$\u20ac\u00a3\u00a2\u00a5()[]{}'\"~^_|\\`\u00b7"
              + ARABIC_INDIC + EXTENDED_ARABIC_INDIC)
# The spaces (Zs, but the Ogham space mark U+1680, a stroke by design) and the zero-width space, joiners and word
# joiners, which real faces draw blank. (Other characters blank by design, such as U+034F and the direction marks,
# are drawn as visible placeholders by Noto Sans; a text holding them is refused by the text checks.)
BLANK = frozenset({*(code for code in range(0x3001) if unicodedata.category(chr(code)) == "Zs"),
                   0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} - {0x1680})
_SEEN = 96  # a pixel this dark (of 255) is ink
MAX_USED = 10_000  # letters of the texts compared with the numbers (a Chinese project uses a few thousand)


def drawn_alike(face: Face, used: frozenset[int] = frozenset()) -> list[tuple[str, str]]:
    """Pairs of characters whose swap changes what a text says (letters, digits, fractions, number signs) that the
    face draws as one picture: "t" as "w" printed "Do now drive", "l" as the shipped "1" (tenth pass); `used`: the
    code points the texts use, whose letters are compared with the number characters too."""
    return _verdicts(face, used)[0]


def inked_blanks(face: Face) -> list[str]:
    """The spaces (and other characters blank by design) that the face draws with ink: a space drawn as "1"
    printed "Take 1 tablet, not 11." as "Take111tablet,1not111." (tenth pass)."""
    return _verdicts(face)[1]


def _verdicts(face: Face, used: frozenset[int] = frozenset()) -> tuple[list[tuple[str, str]], list[str]]:
    path, index, stamp = verify(face)
    drawn, at = drawn_bytes(face)
    alike, inked = _alike(Path(path), index, stamp, drawn, at)
    if (drawn, at) != (own := drawn_bytes(face, as_file=True)):
        # Its letters against its own number glyphs too (which fontguard no longer draws): an "x" given the face's
        # own "0" printed "Take 1x a day" as "Take 10 a day" (thirteenth pass).
        alike += [pair for pair in _letters_as_numbers(*own, drawn, at, used) if pair not in alike]
    return alike, inked


@lru_cache(maxsize=16)
def _alike(path: Path, index: int, stamp: tuple[int, ...], drawn: bytes,
           at: int) -> tuple[list[tuple[str, str]], list[str]]:
    from PIL import ImageFont

    mapped = drawn_map(path, index, stamp)
    pictures: dict[tuple[object, ...], str] = {}
    alike = []
    for ch, looks in _looks(drawn, at, MEANINGFUL, mapped):  # one not in the face: refused by the coverage check
        for picture in looks:
            # The same digit of two scripts may be one picture (Arabic-Indic and Persian 1, 2, 3...), and one
            # character in two codes (the micro sign and the Greek mu).
            if (first := pictures.setdefault(picture, ch)) != ch \
                    and unicodedata.digit(ch, None) != unicodedata.digit(first, -1) and not _same(ch, first):
                alike.append((ch, first))
                break
    font = ImageFont.truetype(io.BytesIO(drawn), _PIXELS_PER_EM, index=at, layout_engine=ImageFont.Layout.BASIC)
    inked = []
    for code in sorted(BLANK.intersection(mapped)):
        try:
            mask, _ = font.getmask2(chr(code), mode="L")
        except (OSError, ValueError, MemoryError):  # FreeType refused the glyph: the ink check says where it is used
            continue
        if mask.size[0] and mask.size[1] and max(bytes(mask)) >= _SEEN:
            inked.append(chr(code))
    return alike, inked


def _outlines(drawn: bytes, at: int, glyphs: dict[str, int]) -> dict[str, tuple[object, ...]]:
    """Each character's outline (components drawn in) and advance, as hashable values; none for a glyph that
    cannot be drawn (its picture still counts)."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(drawn), fontNumber=at, lazy=True)
    font.setGlyphOrder([f"g{n}" for n in range(font["maxp"].numGlyphs)])  # 'post' names never decoded
    glyph_set, metrics = font.getGlyphSet(), font["hmtx"]
    found: dict[str, tuple[object, ...]] = {}
    for ch, glyph in glyphs.items():
        pen = DecomposingRecordingPen(glyph_set)
        try:
            glyph_set[f"g{glyph}"].draw(pen)
        except (KeyError, RecursionError, ValueError, TypeError):
            continue
        found[ch] = ("outline", metrics[f"g{glyph}"][0], repr(pen.value))
    return found


@lru_cache(maxsize=16)
def _letters_as_numbers(file: bytes, index: int, drawn: bytes, at: int, used: frozenset[int]) -> list[tuple[str, str]]:
    """Letters the face draws (from `drawn`: the ASCII ones, and every other letter of `used`) as one picture or
    outline with a number character: the shipped one it prints numbers with (a "片" given the shipped "0" printed
    "1片" as "10": fourteenth pass), or its own file's."""
    from generator.render.fontcmap import reportlab_map
    from generator.render.fontguard import guarded

    # Every number character of either face (full-width digits and Han numerals too), against every other character
    # the texts use: a "（" given the face's "1" printed "（10" as "110" (fourteenth pass)
    faces = [(file, index, reportlab_map(file, index)), (drawn, at, reportlab_map(drawn, at))]
    numbers = sorted({chr(code) for *_, mapped in faces for code in mapped
                      if guarded(code) and not _letters_by_design(chr(code))})
    letters = [ch for ch in MEANINGFUL if ch.isalpha() and not guarded(ord(ch))] + [
        chr(code) for code in sorted(used)[:MAX_USED] if unicodedata.category(chr(code))[0] in "LPS"
        and not guarded(code) and chr(code) not in MEANINGFUL]
    known: dict[object, str] = {}
    for data, number, mapped in faces:
        for ch, looks in _looks(data, number, numbers, mapped):
            for picture in looks:
                known.setdefault(picture, ch)
    return _first_matches(_looks(*faces[1][:2], letters, faces[1][2]), known)


def _first_matches(looks: Iterable[tuple[str, tuple[object, ...]]], known: dict[object, str]) -> list[tuple[str, str]]:
    """Each character one of whose looks is known, with the character it looks like (the first look that matches)."""
    return [(ch, next(known[picture] for picture in pictures if picture in known))
            for ch, pictures in looks if any(picture in known for picture in pictures)]


def _looks(data: bytes, index: int, chars: Iterable[str],
           mapped: dict[int, int]) -> Iterator[tuple[str, tuple[object, ...]]]:
    """Each character of `chars` the face maps and draws with ink, with its looks: its picture as FreeType draws it
    (`data`: the face with only the map ReportLab draws from, fontcmap), and its outline. Both: a glyph's own hinting
    moves FreeType's pixels, so the face's hinted "0" and the uninstructed shipped one differ by a pixel."""
    from PIL import ImageFont

    font = ImageFont.truetype(io.BytesIO(data), _PIXELS_PER_EM, index=index, layout_engine=ImageFont.Layout.BASIC)
    present = [ch for ch in chars if mapped.get(ord(ch))]
    outlines = _outlines(data, index, {ch: mapped[ord(ch)] for ch in present})
    for ch in present:
        try:
            mask, offset = font.getmask2(ch, mode="L", anchor="ls")
        except (OSError, ValueError, MemoryError):  # FreeType refused the glyph: the ink check says where it is used
            continue
        if mask.getbbox() is not None:
            yield ch, tuple(look for look in ((mask.size, offset, bytes(mask)), outlines.get(ch)) if look is not None)


def _letters_by_design(ch: str) -> bool:
    """A space, or a number character written with letters (Roman numerals ⅰ ⅽ, the unit square ㎍): drawn as those
    letters by design."""
    return ch.isspace() or unicodedata.normalize("NFKC", ch).isalpha()


def _same(one: str, other: str) -> bool:
    """Whether two characters are one character in two codes (their compatibility forms are equal: µ and μ)."""
    return unicodedata.normalize("NFKC", one) == unicodedata.normalize("NFKC", other)
