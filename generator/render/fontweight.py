"""Whether a family's bold face draws heavier than its regular one.

fonts.yaml may name any file as the bold face. Naming the regular file is drawn by stroking (`fontsame`); naming
another regular-weight design (Noto Sans as the regular, DejaVu Sans as the "bold") printed every bold word, and
every heading, like the rest: "Do **not** drive" lost its bold "not" (a judgement call of the sixteenth pass,
taken up in the seventeenth session). The ink of the letters both faces draw tells: a real bold face puts some
1.5 to 1.75 times the regular's ink on the page (Noto Sans, DejaVu Sans, Latin and Arabic alike); another regular
design about 1.1 times.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from generator.content.problems import Loc, Problems
from generator.render.fontregular import not_regular
from generator.render.fonts import Face, LanguageFonts, coverage, drawn_bytes, verify

HEAVIER = 1.25  # the least ink a bold face draws, as a share of the regular face's
# Letters of the scripts the generator prints, each drawn in both faces where both have it.
SAMPLE = ("HOnoeasltbdpqmw" + "жшщбдлфы" + "بتسمكلهنع" + "的是不了人我在有他这" + "ăơưđê")
_PIXELS_PER_EM = 48
_WIDEST_EM = 8  # as fontink: a glyph spanning more is no letter, and is not rasterized


def check_weight(fonts: LanguageFonts, problems: Problems, told: set[tuple[str, str]],
                 used: frozenset[int] = frozenset()) -> None:
    """A bold face that draws no heavier than its regular face, or an italic face that does not lean
    (`fontslant`), prints every bold or italic word as the rest; so does each letter of them that does not
    (`fontletters`, over ASCII and the letters `used`); a bold or leaning regular face prints every word so."""
    from generator.render.fontletters import letters_of

    regular = fonts.face()
    if regular is not None and (regular.name, "regular") not in told and (what := not_regular(regular)):
        told.add((regular.name, "regular"))
        problems.add(Loc("templates/fonts.yaml"), f"fonts.{fonts.lang}", f"font {regular.name} "
                     f"({regular.path.name}) {what}", "name the regular (upright, book weight) face of the family")
    _check_slant(fonts, problems, told)
    for italic in (False, True):
        regular, bold = fonts.face(False, italic), fonts.face(True, italic)
        if regular is None or bold is None or (bold.name, "weight") in told:
            continue
        share = too_light(regular, bold)
        if share is not None:
            told.add((bold.name, "weight"))
            problems.add(Loc("templates/fonts.yaml"), f"fonts.{fonts.lang}", f"font {bold.name} ({bold.path.name}) "
                         f"draws {share:.2f} times the ink of {regular.name} ({regular.path.name}), so its bold "
                         "words (\"Do **not** drive\", the headings) would print like the rest", "name the bold "
                         "face of the same design, or the regular file with `synthetic_bold: true`")
    _check_letters(fonts, problems, told, letters_of(used))  # after the whole faces: told once


def _check_letters(fonts: LanguageFonts, problems: Problems, told: set[tuple[str, str]],
                   codes: tuple[int, ...]) -> None:
    from generator.render.fontletters import light_letters, upright_letters

    for plain, styled, what, compare in ((fonts.face(), fonts.face(True), "bold", light_letters),
                                         (fonts.face(False, True), fonts.face(True, True), "bold", light_letters),
                                         (fonts.face(), fonts.face(False, True), "italic", upright_letters),
                                         (fonts.face(True), fonts.face(True, True), "italic", upright_letters)):
        if plain is None or styled is None or (what == "bold" and styled.synthetic_bold):
            continue
        if {(styled.name, "letters"), (styled.name, "weight"), (styled.name, "slant")} & told:
            continue  # the whole face was refused already
        if not (letters := compare(plain, styled, codes)):
            continue
        told.add((styled.name, "letters"))
        shown = " ".join(letters[:30]) + (f" and {len(letters) - 30} more" if len(letters) > 30 else "")
        how, fix = ("no heavier than", "a bold face that draws every letter bold") if what == "bold" else \
            ("as upright as", "an italic face that draws every letter leaning")
        problems.add(Loc("templates/fonts.yaml"), f"fonts.{fonts.lang}", f"font {styled.name} "
                     f"({styled.path.name}) draws these letters {how} {plain.name} ({plain.path.name}) does: "
                     f"{shown}; its {what} words would print them like the rest", f"name {fix}, of one design")


def _check_slant(fonts: LanguageFonts, problems: Problems, told: set[tuple[str, str]]) -> None:
    from generator.render.fontslant import upright_italic

    for bold in (False, True):
        upright, italic = fonts.face(bold, False), fonts.face(bold, True)
        if upright is None or italic is None or (italic.name, "slant") in told:
            continue
        if (leans := upright_italic(upright, italic)) is not None:
            told.add((italic.name, "slant"))
            problems.add(Loc("templates/fonts.yaml"), f"fonts.{fonts.lang}", f"font {italic.name} "
                         f"({italic.path.name}) draws its letters upright (leaning {leans[0]:.2f}, {upright.name} "
                         f"{leans[1]:.2f}; a real italic about 0.2), so its italic words (\"Drive *only* with an "
                         "adult\") would print like the rest", "name the italic face of the same design, or leave "
                         "italic out (italic words are then refused where they are written)")


def too_light(regular: Face, bold: Face) -> float | None:
    """The bold face's ink as a share of the regular's when it is under HEAVIER (None when it is heavier, is
    drawn by stroking, or the faces share no sample letter)."""
    if bold.synthetic_bold:
        return None
    return _verdict(regular.path, regular.index, verify(regular)[2], bold.path, bold.index, verify(bold)[2])


@lru_cache(maxsize=16)
def _verdict(regular: Path, regular_index: int, regular_stamp: tuple[int, ...], bold: Path, bold_index: int,
             bold_stamp: tuple[int, ...]) -> float | None:
    first, second = Face("regular", regular, regular_index), Face("bold", bold, bold_index)
    shared = coverage(regular, regular_index) & coverage(bold, bold_index)
    codes = [ord(ch) for ch in SAMPLE if ord(ch) in shared]
    if not codes:
        return None
    light, heavy = _ink(first, codes), _ink(second, codes)
    if light <= 0:
        return None
    share = heavy / light
    return share if share < HEAVIER else None


def _ink(face: Face, codes: list[int]) -> float:
    """The ink the face's glyphs for these code points put on the page, in pixels at _PIXELS_PER_EM."""
    from PIL import ImageFont

    data, at = drawn_bytes(face)
    font = ImageFont.truetype(io.BytesIO(data), _PIXELS_PER_EM, index=at, layout_engine=ImageFont.Layout.BASIC)
    total = 0.0
    for code in codes:
        try:
            left, top, right, bottom = font.getbbox(chr(code), anchor="ls")
            if max(right - left, bottom - top) > _WIDEST_EM * _PIXELS_PER_EM:
                continue
            mask, _ = font.getmask2(chr(code), mode="L", anchor="ls")
        except (OSError, ValueError, MemoryError):  # FreeType refused the glyph: said where it is drawn
            continue
        histogram = mask.histogram()
        total += sum(level * count for level, count in enumerate(histogram)) / 255
    return total
