"""The digit check (render/fontdigits.py): a face must draw each digit as that digit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.render.fontdigits import misdrawn_digits
from generator.render.fonts import Face
from tests.conftest import run
from tests.hardening.hostile import tiny_copy

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"


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
    assert "templates/fonts.yaml: fonts.en: font swapped-regular (Swapped.ttf) draws the digit" in result.stderr
