"""A project's own face draws numbers with the shipped glyphs (render/fontguard.py): no font changes a number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from generator.render.fontguard import guarded
from generator.render.fonts import Face, own_file, source
from tests.conftest import run
from tests.hardening.hostile import all_text, declare, prints_as_shipped, set_intro, tiny_copy, use_noto_copy

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
NOTO = FONTS / "noto-sans" / "NotoSans-Regular.ttf"


def _outline(font: TTFont, code: int, scale: float = 1.0) -> list[tuple[str, tuple]]:
    """The character's outline in the face ReportLab draws (its best map: the only one a borrowed face has)."""
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[font.getBestCmap()[code]].draw(pen)
    return [(op, tuple((round(x * scale), round(y * scale)) for x, y in points)) for op, points in pen.value]


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


SWAPS = {"1": "8", "8": "1", "\u00bd": "\u00bc", ".": ",", ",": ".", "<": ">", " ": "1", "\u00b5": "m", "/": "7"}


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
        assert _outline(drawn, code) == _outline(shipped, code), chr(code)
        assert drawn["hmtx"][drawn.getBestCmap()[code]][0] == shipped["hmtx"][shipped.getBestCmap()[code]][0]
    # Letters stay the face's own: its "m" is what the changed file draws (here, Noto's "m").
    assert _outline(drawn, ord("m")) == _outline(TTFont(changed), ord("m"))


@pytest.mark.parametrize(("name", "bold"), [("noto-sans/NotoSans-Bold.ttf", True),
                                            ("noto-sans/NotoSans-Italic.ttf", False)])
def test_digits_are_borrowed_from_the_face_of_the_same_weight_and_slant(tmp_path: Path, name: str,
                                                                         bold: bool) -> None:
    changed = _changed(FONTS / name, tmp_path / "Changed.ttf", {"1": "8"})
    data, index = source(Face("changed", changed, 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    assert _outline(TTFont(tmp_path / "drawn.ttf"), ord("1")) == _outline(TTFont(FONTS / name), ord("1"))


def test_a_face_of_another_em_gets_the_shipped_digits_scaled_and_keeps_its_arabic_indic_digits(tmp_path: Path) -> None:
    """DejaVu Sans has 2,048 units per em, Noto Sans 1,000: the borrowed digit is Noto's at 2.048 times. The
    Arabic-Indic digits, which Noto Sans lacks, are DejaVu Sans's (the shipped face for Arabic)."""
    dejavu = FONTS / "dejavu-sans/DejaVuSans.ttf"
    changed = _changed(dejavu, tmp_path / "Changed.ttf", {"5": "6", "\u0668": "\u0661"})
    data, _ = source(Face("changed", changed, 0))
    (tmp_path / "drawn.ttf").write_bytes(data)
    drawn = TTFont(tmp_path / "drawn.ttf")
    assert _outline(drawn, ord("5")) == _outline(TTFont(NOTO), ord("5"), 2.048)
    assert _outline(drawn, 0x0668) == _outline(TTFont(dejavu), 0x0668)
    assert _outline(drawn, ord("a")) == _outline(TTFont(dejavu), ord("a"))  # letters: the face's own


def test_a_font_that_swaps_numbers_and_signs_prints_them_as_written(tmp_path: Path) -> None:
    """The ninth to twelfth passes' fonts in one: "8" drawn as "1" (988 printed 911), "½" as "¼", the decimal point
    and comma swapped, "<" as ">", a space as "1", "µ" as "m", "/" as "7". Every page prints exactly what it prints
    in Noto Sans itself."""
    project = tiny_copy(tmp_path / "project")
    text = "Call 988. Take \u00bd tablet, 2.5 mg, 1,000 mg a day; 250 \u00b5g if under 38 \u00b0C, 1/2 if < 5."
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
