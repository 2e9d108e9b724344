"""The digit check (render/fontdigits.py): a face must draw each digit, and each sign of a dose, as itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.render.fontdigits import drawn_alike, misdrawn_digits
from generator.render.fonts import Face
from tests.conftest import run
from tests.hardening.hostile import tiny_copy

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
NOTO = FONTS / "noto-sans" / "NotoSans-Regular.ttf"


@pytest.mark.parametrize("name", ["noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Bold.ttf",
                                  "noto-sans/NotoSans-Italic.ttf", "noto-sans/NotoSans-BoldItalic.ttf",
                                  "dejavu-sans/DejaVuSans.ttf", "dejavu-sans/DejaVuSans-Bold.ttf",
                                  "wqy-microhei/wqy-microhei.ttc"])
def test_every_shipped_face_draws_its_digits_as_themselves(name: str) -> None:
    assert misdrawn_digits(Face("shipped", FONTS / name, 0)) == []


def _swapped(tmp_path: Path, one: str, other: str, source: str = "dejavu-sans/DejaVuSans.ttf") -> Path:
    font = TTFont(FONTS / source)
    best = font.getBestCmap()
    first, second = best[ord(one)], best[ord(other)]
    for table in font["cmap"].tables:
        if ord(one) in table.cmap:
            table.cmap[ord(one)], table.cmap[ord(other)] = second, first
    path = tmp_path / "Swapped.ttf"
    font.save(path)
    return path


@pytest.mark.parametrize(("one", "other"), [("1", "8"), ("0", "6"), ("5", "2")])
def test_two_digits_swapped_in_the_character_map_are_found(tmp_path: Path, one: str, other: str) -> None:
    found = dict(misdrawn_digits(Face("swapped", _swapped(tmp_path, one, other), 0)))
    assert found.get(one) == other or found.get(other) == one, found


def test_check_names_the_font_that_draws_a_digit_as_another(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "project")
    (project / "templates/fonts/swapped").mkdir(parents=True)
    _swapped(tmp_path, "9", "4").rename(project / "templates/fonts/swapped/Swapped.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  swapped:\n    regular: fonts/swapped/Swapped.ttf\n    bold: fonts/swapped/Swapped.ttf\n"
        "languages:\n  en: {family: swapped, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "templates/fonts.yaml: fonts.en: font swapped-regular (Swapped.ttf) draws " in result.stderr


@pytest.mark.parametrize(("one", "other"), [("<", ">"), ("+", "\u00d7"), ("%", "\u00b0")])
def test_two_signs_swapped_in_the_character_map_are_found(tmp_path: Path, one: str, other: str) -> None:
    """A swap draws neither sign like another character's picture, so only each sign looking like itself finds it
    ("above 38" printed as "below 38": eleventh pass)."""
    found = dict(misdrawn_digits(Face("swapped", _swapped(tmp_path, one, other), 0)))
    assert found.get(one) == other or found.get(other) == one, found


@pytest.mark.parametrize(("sign", "donor"), [("/", "7"), ("\u00b5", "m")])
def test_a_sign_drawn_as_a_digit_or_a_letter_is_found(tmp_path: Path, sign: str, donor: str) -> None:
    """"Take 1/2 tablet" printed as "Take 172 tablet", micrograms as milligrams (eleventh pass)."""
    font = TTFont(NOTO)
    for table in font["cmap"].tables:
        table.cmap[ord(sign)] = font.getBestCmap()[ord(donor)]
    path = tmp_path / "Alike.ttf"
    font.save(path)
    alike = drawn_alike(Face("alike", path, 0))
    assert (sign, donor) in alike or (donor, sign) in alike, alike


@pytest.mark.parametrize(("one", "other"), [("\u0668", "\u0661"), ("\u06f9", "\u06f8")])
def test_two_arabic_indic_digits_swapped_are_found(tmp_path: Path, one: str, other: str) -> None:
    """٩٨٨ printed as ٩١١ (eleventh pass): digits of other scripts must look like themselves too."""
    found = dict(misdrawn_digits(Face("swapped", _swapped(tmp_path, one, other), 0)))
    assert found.get(one) == other or found.get(other) == one, found


def test_the_same_digit_of_two_scripts_may_share_a_picture() -> None:
    """DejaVu Sans draws Arabic-Indic and Persian 1, 2, 3 with one glyph each: no false alarm."""
    assert drawn_alike(Face("shipped", FONTS / "dejavu-sans/DejaVuSans.ttf", 0)) == []


@pytest.mark.parametrize(("one", "other"), [("\u00bd", "\u00bc"), (".", ",")])
def test_two_fractions_or_the_decimal_marks_swapped_are_found(tmp_path: Path, one: str, other: str) -> None:
    """"Take ½ tablet" printed as "Take ¼ tablet", "2.5 mg" as "2,5 mg" (twelfth pass)."""
    found = dict(misdrawn_digits(Face("swapped", _swapped(tmp_path, one, other, "noto-sans/NotoSans-Regular.ttf"),
                                      0)))
    assert found.get(one) == other or found.get(other) == one, found
