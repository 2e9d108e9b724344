"""The ink check (render/fontink.py): the glyphs the content uses are drawn by FreeType from their points and
must leave visible ink on their line; a font cannot hide chosen letters, whatever its glyph headers say."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.pens.reverseContourPen import ReverseContourPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from generator.render import fonts
from generator.render.fonts import Face
from tests.conftest import run
from tests.hardening.hostile import tiny_copy

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
SHIPPED = ["noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Bold.ttf", "noto-sans/NotoSans-Italic.ttf",
           "noto-sans/NotoSans-BoldItalic.ttf", "dejavu-sans/DejaVuSans.ttf", "dejavu-sans/DejaVuSans-Bold.ttf",
           "wqy-microhei/wqy-microhei.ttc"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_character_a_shipped_face_covers_is_drawn_with_ink(name: str) -> None:
    """No false alarm: each of the 2,840 to 34,584 code points a shipped face covers leaves ink."""
    path = FONTS / name
    covered = fonts.coverage(path, 0)
    assert len(covered) > 2000
    assert fonts.ink_check(Face("shipped", path, 0))(covered) == frozenset()


def _odd_font(tmp_path: Path, how: str, letters: str) -> Path:
    """Noto Sans with only the glyphs of `letters` changed, each one kept at its full header box."""
    font = TTFont(FONTS / "noto-sans/NotoSans-Regular.ttf", recalcBBoxes=False)
    glyf, glyphs, cmap = font["glyf"], font.getGlyphSet(), font.getBestCmap()
    for name in {cmap[ord(letter)] for letter in letters}:
        glyph = glyf[name]
        box = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        if how == "cancelling":
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(pen)
            glyphs[name].draw(ReverseContourPen(pen))
            glyph = glyf[name] = pen.glyph()
        else:
            glyph.coordinates.scale((0.01, 0.01)) if how == "speck" else glyph.coordinates.translate((12000, 0))
        glyph.program = type(glyph.program)()
        glyph.program.fromBytecode(b"")
        glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax = box  # the header still says a full-size letter
    path = tmp_path / "Odd.ttf"
    font.save(path)
    return path


@pytest.mark.parametrize("how", ["cancelling", "speck", "far-right"])
def test_a_font_that_hides_chosen_letters_is_named_letter_by_letter(tmp_path: Path, how: str) -> None:
    """Only D, R and A are hidden (the letters of DRAFT, a targeted attack, not a whole broken face): `check`
    names each of them once, at the text that uses it, and no other letter; `build` writes nothing."""
    project = tiny_copy(tmp_path / "project")
    # The same texts checked first with the shipped face, whose coverage set equals the odd one's: what the
    # check remembers of them must not vouch for another font (it did, in one process).
    assert run("check", "--project", str(project)).exit_code == 0
    font = _odd_font(tmp_path, how, "DRA")
    (project / "templates/fonts/odd").mkdir(parents=True)
    font.rename(project / "templates/fonts/odd/Odd.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  odd:\n    regular: fonts/odd/Odd.ttf\n    bold: fonts/odd/Odd.ttf\n"
        "languages:\n  en: {family: odd, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", str(project))
    assert result.exit_code == 1, result.output
    named = {line.split("character '")[1][0] for line in result.output.splitlines() if "without visible ink" in line}
    assert named == {"D", "R", "A"}, result.output
    assert sum("without visible ink" in line for line in result.output.splitlines()) == 3
    built = run("build", "--project", str(project), "-j", "1")
    assert built.exit_code == 1 and not (project / "output/en/tiny.pdf").exists(), built.output


def test_approve_refuses_a_name_drawn_without_ink_every_time(tmp_path: Path) -> None:
    """`undrawable` (approve's check of a reviewer's name and role) says so each time it is asked, not only the
    first time in a process (the check names a font's inkless character once per run, not once per call)."""
    from generator.render.checks import undrawable

    font = _odd_font(tmp_path, "cancelling", "D")
    project = tiny_copy(tmp_path / "project")
    (project / "templates/fonts/odd").mkdir(parents=True)
    font.rename(project / "templates/fonts/odd/Odd.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  odd:\n    regular: fonts/odd/Odd.ttf\n    bold: fonts/odd/Odd.ttf\n"
        "languages:\n  en: {family: odd, direction: ltr, breaking: words}\n", encoding="utf-8")
    lang_fonts = fonts.load_config(project / "templates").for_lang("en")
    for _ in range(2):
        assert "without visible ink" in undrawable("Dr. Doe", lang_fonts)
    assert undrawable("Mr. Roe", lang_fonts) == ""
