"""A project's own face draws numbers with the shipped glyphs (render/fontguard.py): no font changes a number."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.render.fontguard import guarded
from generator.render.fonts import Face, own_file, source
from tests.conftest import run
from tests.hardening.hostile import (
    all_text,
    declare,
    outline_of,
    prints_as_shipped,
    set_intro,
    tiny_copy,
    use_noto_copy,
)

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
NOTO = FONTS / "noto-sans" / "NotoSans-Regular.ttf"


def _changed(source_file: Path, dest: Path, swaps: dict[str, str]) -> Path:
    """A copy of a shipped face whose character map sends each key of `swaps` to the glyph of its value."""
    font = TTFont(source_file)
    best = font.getBestCmap()
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
        for char, donor in swaps.items():
            if ord(char) in table.cmap:
                table.cmap[ord(char)] = best[ord(donor)]
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return dest


def test_the_generator_s_own_files_and_copies_of_them_are_drawn_as_they_are(tmp_path: Path) -> None:
    copy = tmp_path / "NotoSans-Regular.ttf"
    shutil.copy(NOTO, copy)
    for face in (Face("own", NOTO, 0), Face("copy", copy, 0), Face("cjk", FONTS / "wqy-microhei/wqy-microhei.ttc", 0)):
        assert own_file(face)
        assert source(face) == (face.path.read_bytes(), 0)


SWAPS = {"1": "8", "8": "1", "\u00bd": "\u00bc", ".": ",", ",": ".", "<": ">", " ": "1", "\u00b5": "\u00b0", "/": "7",
         "\u03bc": "\u00b0"}


def test_every_number_character_of_a_changed_face_is_drawn_with_the_shipped_glyph(tmp_path: Path) -> None:
    changed = _changed(NOTO, tmp_path / "Changed.ttf", SWAPS)
    face = Face("changed", changed, 0)
    assert not own_file(face)
    data, index = source(face)
    (tmp_path / "drawn.ttf").write_bytes(data)
    drawn, shipped = TTFont(tmp_path / "drawn.ttf", fontNumber=index), TTFont(NOTO)
    numbers = [code for code in shipped.getBestCmap() if guarded(code)]
    assert len(numbers) > 60 and {ord(ch) for ch in "0123456789.,½<µ/"} <= set(numbers)
    for code in numbers:
        assert outline_of(drawn, code) == outline_of(shipped, code), chr(code)
        assert drawn["hmtx"][drawn.getBestCmap()[code]][0] == shipped["hmtx"][shipped.getBestCmap()[code]][0]
    # Letters stay the face's own: its "m" is what the changed file draws (here, Noto's "m").
    assert outline_of(drawn, ord("m")) == outline_of(TTFont(changed), ord("m"))


@pytest.mark.parametrize(("name", "bold"), [("noto-sans/NotoSans-Bold.ttf", True),
                                            ("noto-sans/NotoSans-Italic.ttf", False)])
def test_digits_are_borrowed_from_the_face_of_the_same_weight_and_slant(tmp_path: Path, name: str,
                                                                         bold: bool) -> None:
    changed = _changed(FONTS / name, tmp_path / "Changed.ttf", {"1": "8"})
    data, index = source(Face("changed", changed, 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    assert outline_of(TTFont(tmp_path / "drawn.ttf"), ord("1")) == outline_of(TTFont(FONTS / name), ord("1"))


def test_a_face_for_arabic_borrows_the_shipped_arabic_face_s_numbers_and_spaces(tmp_path: Path) -> None:
    """A face with Arabic letters borrows from DejaVu Sans first, the face shipped for Arabic: its Latin digits and
    spaces are those the shipped Arabic pages print. Its Arabic letters stay its own."""
    dejavu = FONTS / "dejavu-sans/DejaVuSans.ttf"
    changed = _changed(dejavu, tmp_path / "Changed.ttf", {"5": "6", "\u0668": "\u0661", "\u0628": "\u062a"})
    data, _ = source(Face("changed", changed, 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    drawn = TTFont(tmp_path / "drawn.ttf")
    for code in (ord("5"), 0x0668, 0x20):
        assert outline_of(drawn, code) == outline_of(TTFont(dejavu), code), chr(code)
    assert outline_of(drawn, 0x0628) == outline_of(TTFont(dejavu), 0x062A)  # a letter: the face's own (swapped)


def test_a_face_of_another_em_gets_the_shipped_digits_scaled(tmp_path: Path) -> None:
    """DejaVu Sans without Arabic letters (2,048 units per em) borrows Noto Sans's digits (1,000) at 2.048 times."""
    font = TTFont(FONTS / "dejavu-sans/DejaVuSans.ttf")
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
        table.cmap.pop(0x0627, None)
    font.save(tmp_path / "Latin.ttf")
    data, _ = source(Face("latin", tmp_path / "Latin.ttf", 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    assert outline_of(TTFont(tmp_path / "drawn.ttf"), ord("5")) == outline_of(TTFont(NOTO), ord("5"), 2.048)


def test_a_font_that_swaps_numbers_and_signs_prints_them_as_written(tmp_path: Path) -> None:
    """The ninth to thirteenth passes' fonts in one: "8" drawn as "1" (988 printed 911), "½" as "¼", the decimal
    point and comma swapped, "<" as ">", a space as "1", "µ" and the Greek "μ" as "°", "/" as "7". Every page prints
    exactly what it prints in Noto Sans itself. (A number given a letter's glyph, "µ" as "m", is refused: the face
    draws a letter as a number character.)"""
    project = tiny_copy(tmp_path / "project")
    text = ("Call 988. Take \u00bd tablet, 2.5 mg, 1,000 mg a day; 250 \u00b5g (50 \u03bcg) if under 38 \u00b0C, "
            "1/2 if < 5.")
    set_intro(project, text)
    for style in ("Regular", "Bold"):
        _changed(FONTS / f"noto-sans/NotoSans-{style}.ttf", project / f"templates/fonts/changed/NotoSans-{style}.ttf",
                 SWAPS)
    use_noto_copy(project, "changed")
    prints_as_shipped(project)
    assert text.replace(" ", "") in all_text(next((project / "out-changed").rglob("*.pdf"))).replace(" ", "")


def test_a_borrowed_face_and_unchanged_copies_of_its_font_build_in_one_process(tmp_path: Path) -> None:
    """The front desk and a many-clinics build draw every project in one process. A clinic's changed copy of Noto
    Sans (its numbers borrowed: another face of the same PostScript name) was registered first; a second clinic
    then declared an unchanged copy in two families (English and Spanish), and its build failed: two fonts of one
    face in one PDF ("redefining named object"). A second name of one parse is now that parse's font."""
    first = tiny_copy(tmp_path / "first")
    for style in ("Regular", "Bold"):
        _changed(FONTS / f"noto-sans/NotoSans-{style}.ttf", first / f"templates/fonts/changed/NotoSans-{style}.ttf",
                 {"1": "8"})
    use_noto_copy(first, "changed")
    assert run("build", "-j", "1", "--project", first).exit_code == 0
    second = tiny_copy(tmp_path / "second")
    declare(second, "es")
    assert run("translate", "new", "es", "--project", second).exit_code == 0
    assert run("translate", "done", "es", "--all", "--project", second).exit_code == 0
    for family in ("a", "b"):
        shutil.copytree(FONTS / "noto-sans", second / "templates/fonts" / family)
    (second / "templates/fonts.yaml").write_text(
        "families:\n  a:\n    regular: fonts/a/NotoSans-Regular.ttf\n    bold: fonts/a/NotoSans-Bold.ttf\n"
        "  b:\n    regular: fonts/b/NotoSans-Regular.ttf\n    bold: fonts/b/NotoSans-Bold.ttf\nlanguages:\n"
        "  en: {family: a, direction: ltr, breaking: words}\n  es: {family: b, direction: ltr, breaking: words}\n",
        encoding="utf-8")
    built = run("build", "-j", "1", "--project", second)
    assert built.exit_code == 0, built.output + built.stderr


def test_han_numerals_and_full_width_digits_are_the_shipped_cjk_glyphs(tmp_path: Path) -> None:
    """Neither Noto Sans nor DejaVu Sans has 二 or ８: they come from WenQuanYi Micro Hei, the face shipped for
    Chinese (thirteenth pass: a CJK face swapping 二 and 三, ８ and １ printed "take three tablets", "call 911")."""
    font = TTFont(NOTO)
    best = font.getBestCmap()
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
        if table.isUnicode():
            table.cmap.update({ord("\u4e8c"): best[ord("3")], 0xFF18: best[ord("1")]})
    font.save(tmp_path / "Changed.ttf")
    data, _ = source(Face("changed", tmp_path / "Changed.ttf", 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    drawn, cjk = TTFont(tmp_path / "drawn.ttf"), TTFont(FONTS / "wqy-microhei/wqy-microhei.ttc", fontNumber=0)
    scale = 1000 / cjk["head"].unitsPerEm
    for code in (ord("\u4e8c"), 0xFF18):
        ours, theirs = outline_of(drawn, code), outline_of(cjk, code, scale)
        assert [op for op, _ in ours] == [op for op, _ in theirs], chr(code)
        # Scaled by 0.49 and rounded once, against rounded again here: a unit apart at most
        assert all(abs(a - b) <= 1 for (_, one), (_, other) in zip(ours, theirs, strict=True)
                   for point, twin in zip(one, other, strict=True) for a, b in zip(point, twin, strict=True)), chr(code)


def test_a_letter_cannot_paint_over_the_number_beside_it(tmp_path: Path) -> None:
    """A letter's ink may reach past its step (fontink refuses only ink mostly outside it): a "z" also drawing Noto's
    "4" one space on printed "Fez 1 tablet a day." as "Fez 4 tablet a day." (thirteenth pass, with "x"). In a
    project's face every stretch of letters is clipped off the columns of the run's number characters: the page
    prints as in Noto Sans (no other "z" in the tiny project)."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    project = tiny_copy(tmp_path / "project")
    set_intro(project, "Fez 1 tablet a day.")
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
        letter = cmap[ord("z")]
        pen = TTGlyphPen(glyphs)
        glyphs[letter].draw(pen)
        step = font["hmtx"][letter][0] + font["hmtx"][cmap[ord(" ")]][0]
        glyphs[cmap[ord("4")]].draw(TransformPen(pen, (1, 0, 0, 1, step, 0)))
        font["glyf"][letter] = pen.glyph()
        (project / "templates/fonts/painted").mkdir(parents=True, exist_ok=True)
        font.save(project / f"templates/fonts/painted/NotoSans-{style}.ttf")
    use_noto_copy(project, "painted")
    prints_as_shipped(project, specks=8)  # the clip's edge: a grey pixel where the "4" met the "1"
    assert "Fez 1 tablet a day." in all_text(next((project / "out-changed").rglob("*.pdf")))


def test_a_letter_drawn_as_the_face_s_own_digit_is_refused(tmp_path: Path) -> None:
    """The face's digits are the shipped ones now; a letter given the face's own "0" (DejaVu's, not Noto's) printed
    "Take 1x a day" as "Take 10 a day" (thirteenth pass): letters are compared with the file's numbers too."""
    from generator.render.fontalike import drawn_alike

    changed = _changed(FONTS / "dejavu-sans/DejaVuSans.ttf", tmp_path / "Changed.ttf", {"x": "0"})
    font = TTFont(changed)
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
        table.cmap.pop(0x0627, None)  # a Latin face: its digits are Noto's
    font.save(changed)
    assert "0" in {unicodedata.normalize("NFKC", like) for ch, like in drawn_alike(Face("changed", changed, 0))
                   if ch == "x"}  # the "0", or a digit zero drawn alike in the face (𝟢)
