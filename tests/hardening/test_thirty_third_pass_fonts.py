"""The thirty-third hostile pass's open font findings (issue 12), fixed in the sixteenth session.
Written against main 74eb3c8; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy

NOTO = default_templates() / "fonts" / "noto-sans"


def _own_faces(project: Path, change: Callable[[object], None]) -> Path:
    """Noto Sans Regular and Bold, changed by `change(font)`, declared as English's family in fonts.yaml."""
    from fontTools.ttLib import TTFont

    folder = project / "templates" / "fonts" / "own"
    folder.mkdir(parents=True)
    for face in ("Regular", "Bold"):
        font = TTFont(NOTO / f"NotoSans-{face}.ttf", recalcBBoxes=False)
        change(font)
        font.save(folder / f"Own-{face}.ttf")
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  own:\n    regular: fonts/own/Own-Regular.ttf\n    bold: fonts/own/Own-Bold.ttf\n"
        "languages:\n  en: {family: own, direction: ltr, breaking: words}\n", encoding="utf-8")
    return folder / "Own-Regular.ttf"


def _composite(font, name: str, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Make glyph `name` (added if new) a composite of `parts`, each placed at the origin."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    glyf, order = font["glyf"], font.getGlyphOrder()
    if name not in order:
        order = [*order, name]
        font.setGlyphOrder(order)
        glyf.glyphOrder = order
        glyf.glyphs[name] = Glyph()
        font["hmtx"].metrics[name] = font["hmtx"]["o"]
        font["maxp"].numGlyphs = len(order)
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = []
    for part in parts:
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = part, 0, 0, 0
        glyph.components.append(component)
    glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax = 40, -10, 540, 540
    glyf.glyphs[name] = glyph
    font["post"].formatType = 3.0


def _nested(font) -> None:  # type: ignore[no-untyped-def]
    """"a" drawn as 60 copies of a glyph itself 60 copies of "o": 3,600 outlines unpacked from 120 components."""
    _composite(font, "nest", ["o"] * 60)
    _composite(font, "a", ["nest"] * 60)


def _loop(font) -> None:  # type: ignore[no-untyped-def]
    """"a" a composite of "b", and "b" a composite of "a"."""
    _composite(font, "a", ["b"])
    _composite(font, "b", ["a"])


@pytest.mark.parametrize("change", [_nested, _loop], ids=["nested", "loop"])
def test_composites_unpacked_past_any_real_font_are_refused_naming_the_font(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """A 490 KB font whose "a" is 1,000 copies of a glyph itself 1,000 copies of "o" passed every bound on its
    raw bytes (at most 1,000 components, 100,000 bytes per glyph): `check` unpacked it to compare letters and ended
    in a MemoryError traceback after 30-92 s at 1.5-3 GB. A composite loop said "a file: cannot be read (invalid
    composite glyph); check its permissions", naming no font. Both are refused before anything unpacks them."""
    project = tiny_copy(tmp_path / "p")
    face = _own_faces(project, change)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert str(face) in result.output or face.name in result.output, result.output
    assert "composite glyph" in result.output and "permissions" not in result.output, result.output


def _units(per_em: int) -> Callable[[object], None]:
    def change(font) -> None:  # type: ignore[no-untyped-def]
        font["head"].unitsPerEm = per_em
    return change


def test_a_face_whose_units_per_em_shrink_its_letters_is_refused(tmp_path: Path) -> None:
    """Noto Sans with only `unitsPerEm` changed from 1000 to 1700 passed `check`: every letter printed at 0.59 of
    the style's size, the 8 pt review stamp like a 4.7 pt one and 12 pt body text like 7 pt. A face whose letters
    are drawn smaller than any real font's is refused, naming the font and how small they are."""
    project = tiny_copy(tmp_path / "p")
    face = _own_faces(project, _units(1700))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert face.name in result.output and "em" in result.output, result.output


def test_a_face_as_small_as_a_real_one_still_passes(tmp_path: Path) -> None:
    """Noto Sans at 1,250 units per em draws letters 0.57 em tall, as Courier's (URW Nimbus Mono: 0.56 em) are:
    a real font's proportions are not refused."""
    project = tiny_copy(tmp_path / "p")
    _own_faces(project, _units(1250))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output


def test_a_font_reportlab_refuses_is_not_called_missing(tmp_path: Path) -> None:
    """(Thirty-fourth pass, part B, left open there.) A font whose PostScript name holds a "/" passes every bound
    and is refused by ReportLab; it was reported as "font file is missing or unreadable (psName=… contains invalid
    character 47)" — the file was there and read, and nothing said what to do."""
    def slashed(font) -> None:  # type: ignore[no-untyped-def]
        font["name"].setName("Own/Sans", 6, 3, 1, 0x409)
        font["name"].setName("Own/Sans", 6, 1, 0, 0)

    project = tiny_copy(tmp_path / "p")
    face = _own_faces(project, slashed)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{face.name}: cannot be used as a font (" in result.output, result.output
    assert "missing or unreadable" not in result.output and "use another font file" in result.output, result.output
