"""The tenth pass's font findings, fixed as classes (issue 12): every check reads the character map ReportLab draws
from, digits are drawn with the shipped glyphs (fontguard, which replaced comparing them without their specks),
meaningful characters drawn alike and spaces drawn with ink are refused, and glyphs taller than their line. These
test the mechanisms; the pass's own cases are in test_tenth_pass.py."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fontTools.ttLib.tables.ttProgram import Program

from generator.render import fontalike
from generator.render.fontcmap import reportlab_map, with_only_map
from generator.render.fontguard import guarded
from generator.render.fonts import Face, source
from tests.conftest import run
from tests.hardening.hostile import no_traceback, outline_of, tiny_copy, use_noto_copy

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / "fonts"
NOTO = SHIPPED / "noto-sans"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _family(project: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Noto Sans regular and bold, each changed by `change(font)`, as the project's only family for English."""
    (project / "templates/fonts/changed").mkdir(parents=True, exist_ok=True)
    for style in ("Regular", "Bold"):
        font = TTFont(NOTO / f"NotoSans-{style}.ttf")
        change(font)
        font.save(project / f"templates/fonts/changed/NotoSans-{style}.ttf")
    use_noto_copy(project, "changed")


def _one_face(tmp_path: Path, change) -> Face:  # type: ignore[no-untyped-def]
    font = TTFont(NOTO / "NotoSans-Regular.ttf")
    change(font)
    path = tmp_path / "changed.ttf"
    font.save(path)
    return Face("changed", path, 0)


def _extra_map(font: TTFont, platform: int, encoding: int, changes: dict[int, int | None]) -> None:
    """Append a format 4 subtable copying the (3,1) one, with `changes` (code → the glyph of another code, or
    None to leave the code out)."""
    bmp = next(t for t in font["cmap"].tables if (t.platformID, t.platEncID) == (3, 1))
    extra = CmapSubtable.newSubtable(4)
    extra.platformID, extra.platEncID, extra.language = platform, encoding, 0
    extra.cmap = dict(bmp.cmap)
    for code, donor in changes.items():
        if donor is None:
            extra.cmap.pop(code)
        else:
            extra.cmap[code] = bmp.cmap[donor]
    font["cmap"].tables.append(extra)


# -- the character map: ReportLab's, for every check -------------------------------------------------------------
@pytest.mark.parametrize("encoding", [2, 6])  # any encoding of platform 3 sorted after (3,1): ReportLab reads it
def test_the_checks_read_the_map_reportlab_draws_from_not_fonttools_preferred_one(tmp_path: Path,
                                                                                 encoding: int) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = _one_face(tmp_path, lambda font: _extra_map(font, 3, encoding, {ord("a"): ord("o")}))
    data = face.path.read_bytes()
    drawn = reportlab_map(data, 0)
    assert drawn == TTFontFile(io.BytesIO(data)).charToGlyph  # ReportLab's own parse, not a copy of its rule
    best = TTFont(face.path).getBestCmap()
    assert TTFont(face.path).getGlyphID(best[ord("a")]) != drawn[ord("a")]  # the two maps do differ
    # FreeType is handed a face whose only map is ReportLab's: it reads exactly that mapping.
    copy = TTFont(io.BytesIO(with_only_map(data, 0, drawn)))
    assert [(t.platformID, t.platEncID) for t in copy["cmap"].tables] == [(3, 10)]
    assert {code: copy.getGlyphID(name) for code, name in copy.getBestCmap().items()} == \
        {code: glyph for code, glyph in drawn.items() if glyph}  # (glyph 0: the missing-glyph box, no mapping)


def test_a_letter_only_fonttools_map_has_is_not_in_the_font(tmp_path: Path) -> None:
    """The map ReportLab reads (the last of platform 3) lacks "e": every text with an "e" is refused at its line."""
    project = tiny_copy(tmp_path / "project")
    _family(project, lambda font: _extra_map(font, 3, 5, {ord("e"): None}))
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "character 'e' (U+0065) is not in font" in checked.stderr, checked.stderr


def test_a_digit_swapped_in_a_map_freetype_and_fonttools_skip_is_drawn_as_itself(tmp_path: Path) -> None:
    """A (3,4) map (Big5, to FreeType and fontTools no Unicode map) sorted last is ReportLab's: "7" as "1". The face
    as drawn maps "7" to the shipped "7"."""
    face = _one_face(tmp_path, lambda font: _extra_map(font, 3, 4, {ord("7"): ord("1")}))
    drawn = TTFont(io.BytesIO(source(face)[0]))
    assert outline_of(drawn, ord("7")) == outline_of(TTFont(NOTO / "NotoSans-Regular.ttf"), ord("7"))


# -- digits with specks around them: the shipped digits are drawn ---------------------------------------------------
def _with_speck(font: TTFont, digit: str, donor: str, x: int, y: int, side: int) -> None:
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    pen = TTGlyphPen(glyphs)
    glyphs[cmap[ord(donor)]].draw(pen)
    pen.moveTo((x, y))
    pen.lineTo((x, y + side))
    pen.lineTo((x + side, y + side))
    pen.lineTo((x + side, y))
    pen.closePath()
    font["glyf"][cmap[ord(digit)]] = pen.glyph()


@pytest.mark.parametrize(("x", "y", "side"), [(700, 900, 25), (-250, -300, 40), (250, 350, 15)])
def test_a_digit_drawn_as_another_with_specks_around_it_is_drawn_as_itself(tmp_path: Path, x: int, y: int,
                                                                          side: int) -> None:
    face = _one_face(tmp_path, lambda font: _with_speck(font, "3", "8", x, y, side))
    drawn = TTFont(io.BytesIO(source(face)[0]))
    assert outline_of(drawn, ord("3")) == outline_of(TTFont(NOTO / "NotoSans-Regular.ttf"), ord("3"))


# -- meaningful characters drawn alike; spaces drawn with ink ----------------------------------------------------------
@pytest.mark.parametrize(("char", "donor"), [("n", "m"), ("\u2153", "\u2154"), (":", ";"), ("%", "+"), ("I", "l")])
def test_a_face_drawing_two_meaningful_characters_alike_is_refused(tmp_path: Path, char: str, donor: str) -> None:
    """By a copy of the other's outline (the glyph, not the map): "n" as "m", "I" as "l" are refused; ⅓ as ⅔, ":"
    as ";", "%" as "+" are number characters, drawn with the shipped glyphs (fontguard): no longer alike."""
    def change(font: TTFont) -> None:
        cmap = font.getBestCmap()
        font["glyf"][cmap[ord(char)]] = font["glyf"][cmap[ord(donor)]]
        font["hmtx"][cmap[ord(char)]] = font["hmtx"][cmap[ord(donor)]]

    face = _one_face(tmp_path, change)
    alike = [set(pair) for pair in fontalike.drawn_alike(face)]
    assert ({char, donor} in alike) if char.isalpha() else ({char, donor} not in alike)


@pytest.mark.parametrize("blank", ["\u2009", "\u00a0", "\u3000", "\u200b"])
def test_a_space_drawn_with_ink_is_refused(tmp_path: Path, blank: str) -> None:
    def change(font: TTFont) -> None:
        cmap = font.getBestCmap()
        if ord(blank) not in cmap:  # the CJK space: given to the face, drawn as a full stop
            for table in font["cmap"].tables:
                if table.isUnicode():
                    table.cmap[ord(blank)] = cmap[ord(".")]
        else:
            font["glyf"][cmap[ord(blank)]] = font["glyf"][cmap[ord(".")]]

    face = _one_face(tmp_path, change)
    # NBSP is drawn with the space's glyph by ReportLab (whatever the font maps it to): its ink is the space's. The
    # spaces numbers use (NBSP, the thin space) are the shipped ones (fontguard).
    found = fontalike.inked_blanks(face)
    assert (blank in found) if not guarded(ord(blank)) else (found == [])


def _faces_beside_the_shipped() -> list[Face]:
    found = [Face("shipped", path, index) for path in sorted(SHIPPED.glob("*/*.tt[fc]"))
             for index in ((0, 1) if path.suffix == ".ttc" else (0,))]
    return found + [Face("dejavu", path, 0) for path in sorted(DEJAVU.glob("*.ttf"))]


def test_real_faces_draw_every_meaningful_character_as_itself_and_every_space_blank() -> None:
    """No false alarm on the shipped faces and the system's DejaVu family (22 styles, obliques, ExtraLight)."""
    faces = _faces_beside_the_shipped()
    if len(faces) < 20:
        pytest.skip(f"the DejaVu family is not installed in {DEJAVU} (fonts-dejavu-core, fonts-dejavu-extra)")
    for face in faces:
        assert (fontalike.drawn_alike(face), fontalike.inked_blanks(face)) == ([], []), face.path


# -- glyphs taller than their line -------------------------------------------------------------------------------
def _stretch(font: TTFont, chars: str | None, factor: float) -> None:
    glyf, cmap = font["glyf"], font.getBestCmap()
    names = font.getGlyphOrder() if chars is None else [cmap[ord(ch)] for ch in chars]
    for name in names:
        glyph = glyf[name]
        if glyph.numberOfContours > 0:
            glyph.coordinates.scale((1, factor))
            glyph.program = Program()  # no hinting program to pull the points back to their line
            glyph.program.fromBytecode(b"")
            glyph.recalcBounds(glyf)


def test_a_face_whose_letters_are_half_as_tall_again_is_refused(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "project")
    _family(project, lambda font: _stretch(font, None, 1.5))
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "em tall" in checked.stderr and "NotoSans" in checked.stderr, checked.stderr


def test_a_letter_reaching_into_the_line_above_is_refused_at_the_text_using_it(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "project")
    _family(project, lambda font: _stretch(font, "D", 2.0))  # 1.43 em tall: the stamp "Draft - not reviewed"
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "review.draft" in checked.stderr and "'D' (U+0044)" in checked.stderr \
        and "far too tall" in checked.stderr, checked.stderr


def test_the_shipped_project_still_checks(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2], project,
                    ignore=shutil.ignore_patterns(".git", "output", "tests", "*.egg-info", "__pycache__"))
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.stderr
