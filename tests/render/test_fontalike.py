"""The look-alike check (render/fontalike.py): a project's face must not draw two characters whose swap changes a
text as one picture, nor a blank with ink. (Its numbers are the shipped glyphs: tests/render/test_fontguard.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.render.fontalike import drawn_alike, inked_blanks
from generator.render.fonts import Face
from tests.conftest import run
from tests.hardening.hostile import tiny_copy

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
NOTO = FONTS / "noto-sans" / "NotoSans-Regular.ttf"


@pytest.mark.parametrize("name", ["noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Bold.ttf",
                                  "noto-sans/NotoSans-Italic.ttf", "noto-sans/NotoSans-BoldItalic.ttf",
                                  "dejavu-sans/DejaVuSans.ttf", "dejavu-sans/DejaVuSans-Bold.ttf",
                                  "wqy-microhei/wqy-microhei.ttc"])
def test_no_shipped_face_draws_two_meaningful_characters_alike_or_a_blank_with_ink(name: str) -> None:
    """DejaVu Sans draws Arabic-Indic and Persian 1, 2, 3 with one glyph each: the same digit, no false alarm."""
    face = Face("shipped", FONTS / name, 0)
    assert (drawn_alike(face), inked_blanks(face)) == ([], [])


def _alike(tmp_path: Path, pairs: dict[str, str]) -> Path:
    """A copy of Noto Sans whose character map sends each key to the glyph of its value."""
    font = TTFont(NOTO)
    best = font.getBestCmap()
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
        for char, donor in pairs.items():
            table.cmap[ord(char)] = best[ord(donor)]
    path = tmp_path / "Alike.ttf"
    font.save(path)
    return path


@pytest.mark.parametrize(("char", "donor"), [("t", "w"), ("l", "1"), ("O", "0")])
def test_a_letter_drawn_as_another_letter_or_a_digit_is_found(tmp_path: Path, char: str, donor: str) -> None:
    """"Do not drive" printed "Do now drive" (tenth pass); a letter drawn as the shipped digit reads as a number."""
    alike = drawn_alike(Face("alike", _alike(tmp_path, {char: donor}), 0))
    assert (char, donor) in alike or (donor, char) in alike, alike


def test_a_space_drawn_with_ink_is_found(tmp_path: Path) -> None:
    """The spaces of numbers are the shipped ones (fontguard); a space no number uses, drawn as "1", is found."""
    assert inked_blanks(Face("inked", _alike(tmp_path, {"\u2003": "1"}), 0)) == ["\u2003"]


def test_check_names_the_font_that_draws_a_letter_as_another(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "project")
    (project / "templates/fonts/alike").mkdir(parents=True)
    _alike(tmp_path, {"t": "w"}).rename(project / "templates/fonts/alike/Alike.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  alike:\n    regular: fonts/alike/Alike.ttf\n    bold: fonts/alike/Alike.ttf\n"
        "languages:\n  en: {family: alike, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "templates/fonts.yaml: fonts.en: font alike-regular (Alike.ttf) draws 'w' (U+0077) exactly as 't'" \
        in result.stderr
