"""The ninth pass's font findings, fixed as classes (issue 12): advance widths measured against drawn ink, fonts
told apart by the name ReportLab itself derives, a language's direction checked against its letters' bidi
class and its script subtag. These test the mechanisms; the pass's own cases are in test_ninth_pass.py."""

from __future__ import annotations

import io
import shutil
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.render import fonts
from generator.render.fonts import Face
from tests.conftest import run
from tests.hardening.hostile import declare, prints_as_shipped, tiny_copy

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / "fonts"
FACES = ["noto-sans/NotoSans-Regular.ttf", "noto-sans/NotoSans-Bold.ttf", "noto-sans/NotoSans-Italic.ttf",
         "noto-sans/NotoSans-BoldItalic.ttf", "dejavu-sans/DejaVuSans.ttf", "dejavu-sans/DejaVuSans-Bold.ttf",
         "wqy-microhei/wqy-microhei.ttc"]
# Glyphs the shipped faces draw over their neighbours: the fraction slash leans over the digits of a composed
# fraction, U+2E3C (a stenographic full stop) has no advance, the CJK face's U+02CD is set under the letter
# before it, the italic U+A78E (a phonetic letter) overhangs. A text using one is refused; no letter, digit or
# ordinary punctuation of any shipped language is among them.
DESIGNED_OVERLAPS = frozenset({0x2044, 0x2E3C, 0x02CD, 0xA78E})


def _one_family(project: Path, folder: str, files: dict[str, Path], lang: str = "en") -> None:
    (project / "templates/fonts" / folder).mkdir(parents=True, exist_ok=True)
    for style, source in files.items():
        shutil.copy(source, project / "templates/fonts" / folder / f"{style}.ttf")
    (project / "templates/fonts.yaml").write_text(
        f"families:\n  {folder}:\n    regular: fonts/{folder}/Regular.ttf\n    bold: fonts/{folder}/Bold.ttf\n"
        f"languages:\n  {lang}: {{family: {folder}, direction: ltr, breaking: words}}\n", encoding="utf-8")


def _respaced(tmp_path: Path, style: str, change) -> Path:  # type: ignore[no-untyped-def]
    """Noto Sans (`style`) with `change(font)` applied to its metrics, the outlines untouched."""
    font = TTFont(SHIPPED / f"noto-sans/NotoSans-{style}.ttf")
    change(font)
    path = tmp_path / f"respaced-{style}.ttf"
    font.save(path)
    return path


# -- advance widths against drawn ink ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", FACES)
def test_no_letter_digit_or_punctuation_of_a_shipped_face_is_spaced_over_its_neighbours(name: str) -> None:
    """No false alarm: of every code point a shipped face covers (2,500 to 34,500), only the few designed to
    overlap are found crowded."""
    path = SHIPPED / name
    crowded = fonts.spacing_check(Face("shipped", path, 0))(fonts.coverage(path, 0))
    assert set(crowded) <= DESIGNED_OVERLAPS, {f"U+{code:04X}": why for code, why in crowded.items()}


@pytest.mark.parametrize("narrow", [".", "l", "1"])
def test_a_narrow_character_given_no_advance_is_named(tmp_path: Path, narrow: str) -> None:
    """A full stop, an "l" or a "1" moved on by nothing: their ink is narrower than any overlap allowance, but a
    step of no length is never a real font's ("2.5 mg" printed with the dot under the 5). The full stop and the
    "1" are number characters, drawn with the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    def no_step(font: TTFont) -> None:
        glyph = font.getBestCmap()[ord(narrow)]
        font["hmtx"].metrics[glyph] = (0, font["hmtx"].metrics[glyph][1])

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, no_step) for style in ("Regular", "Bold")})
    if narrow in ".1":
        prints_as_shipped(project)
        return
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"character '{narrow}' (U+{ord(narrow):04X})" in result.stderr and "over its neighbours" in \
        result.stderr, result.stderr


def test_one_letter_given_no_advance_is_named_where_the_text_uses_it(tmp_path: Path) -> None:
    """A targeted font: only "T" (of DRAFT) moves the pen by nothing, in both faces; the face as a whole is
    spaced normally, so only the drawn ink of the characters used can tell. `check` names T once, at the first
    text that uses it, with the font's file; nothing is built."""
    def no_t(font: TTFont) -> None:
        glyph = font.getBestCmap()[ord("T")]
        font["hmtx"].metrics[glyph] = (0, font["hmtx"].metrics[glyph][1])

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, no_t) for style in ("Regular", "Bold")})
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    named = [line for line in result.stderr.splitlines() if "printed over its neighbours" in line]
    assert len(named) == 1 and "character 'T' (U+0054)" in named[0] and "(Regular.ttf)" in named[0], result.stderr
    assert run("build", "-j", "1", "--project", project).exit_code == 1
    assert not (project / "output/en/tiny.pdf").exists()


def test_one_letter_drawn_over_the_letter_before_it_is_named(tmp_path: Path) -> None:
    """The advance untouched, the outline of "R" moved one letter width to the left (onto the D of DRAFT, its
    box moved with it): the ink left within its own step is what counts, not the advance alone."""
    def r_left(font: TTFont) -> None:
        name = font.getBestCmap()[ord("R")]
        glyph = font["glyf"][name]
        shift = -font["hmtx"].metrics[name][0]
        glyph.coordinates.translate((shift, 0))
        glyph.recalcBounds(font["glyf"])
        font["hmtx"].metrics[name] = (font["hmtx"].metrics[name][0], glyph.xMin)

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, r_left) for style in ("Regular", "Bold")})
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    assert "character 'R' (U+0052)" in result.stderr and "printed over its neighbours" in result.stderr, \
        result.stderr


def test_one_letter_sent_far_along_the_line_is_named(tmp_path: Path) -> None:
    """The other way: "F" moves the pen on four ems. Named as printed far from its neighbours."""
    def far_f(font: TTFont) -> None:
        glyph = font.getBestCmap()[ord("F")]
        font["hmtx"].metrics[glyph] = (font["head"].unitsPerEm * 4, font["hmtx"].metrics[glyph][1])

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, far_f) for style in ("Regular", "Bold")})
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "character 'F' (U+0046)" in result.stderr, result.output
    assert "far from its neighbours" in result.stderr


@pytest.mark.parametrize(("change", "said"), [
    ("half", "letters over one another"),  # every advance at 0.55 of itself: letters half over each other
    ("triple", "letters far apart"),
])
def test_a_face_spaced_unlike_its_letters_is_refused_naming_its_file(tmp_path: Path, change: str, said: str) -> None:
    """The whole face is judged from its metrics before any text: scaled advances (not the pass's 0, a tenth or
    twenty times) refuse the face at its file, not at the content. (A word space of nothing is no longer the
    face's: its spaces are the shipped ones, tests/render/test_fontguard.py.)"""
    def respace(font: TTFont) -> None:
        metrics = font["hmtx"].metrics
        space = font.getBestCmap()[0x20]
        for glyph, (advance, bearing) in list(metrics.items()):
            if change == "no-space":
                metrics[glyph] = (0 if glyph == space else advance, bearing)
            else:
                metrics[glyph] = (int(advance * (0.55 if change == "half" else 3)), bearing)

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, respace) for style in ("Regular", "Bold")})
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    assert "templates/fonts/odd/Regular.ttf: this font cannot be used" in result.stderr and said in result.stderr, \
        result.stderr
    assert "content/" not in result.stderr


def test_approve_refuses_a_reviewer_name_the_font_would_overstrike(tmp_path: Path) -> None:
    """The same measure guards what `approve` records: a name using a letter of no advance is refused."""
    from generator.render.checks import undrawable

    def no_d(font: TTFont) -> None:
        glyph = font.getBestCmap()[ord("D")]
        font["hmtx"].metrics[glyph] = (0, font["hmtx"].metrics[glyph][1])

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, no_d) for style in ("Regular", "Bold")})
    lang_fonts = fonts.load_config(project / "templates").for_lang("en")
    assert "printed over its neighbours" in undrawable("Dr. Doe", lang_fonts)
    assert undrawable("Mr. Roe", lang_fonts) == ""


# -- digits drawn as other digits (render/fontguard.py) -----------------------------------------------------------
def test_a_digit_given_a_copy_of_another_digit_s_outline_prints_as_itself(tmp_path: Path) -> None:
    """Not the cmap (the pass sent "8" to the glyph of "1"): the glyph of "5" is replaced by a copy of the
    outline of "6", moved 20 units right, its own glyph still. The face's digits are never drawn: the page prints
    as in Noto Sans."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def five_as_six(font: TTFont) -> None:
        cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
        pen = TTGlyphPen(glyphs)
        glyphs[cmap[ord("6")]].draw(TransformPen(pen, (1, 0, 0, 1, 20, 0)))
        font["glyf"][cmap[ord("5")]] = pen.glyph()

    project = tiny_copy(tmp_path / "project")
    _one_family(project, "odd", {style: _respaced(tmp_path, style, five_as_six) for style in ("Regular", "Bold")})
    prints_as_shipped(project)


# -- names as ReportLab derives them -------------------------------------------------------------------------------
def _renamed(tmp_path: Path, records: list[tuple[int, str, int, int, int]], drop: tuple[int, ...]) -> Path:
    font = TTFont(SHIPPED / "noto-sans/NotoSans-Regular.ttf")
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in drop]
    for name_id, text, platform, encoding, language in records:
        table.setName(text, name_id, platform, encoding, language)
    path = tmp_path / f"named-{len(list(tmp_path.iterdir()))}.ttf"
    font.save(path)
    return path


@pytest.mark.parametrize(("records", "drop"), [
    ([], ()),  # as shipped
    ([(6, "Clinic Sans Regular", 3, 1, 0x409)], (6,)),  # a space: ReportLab makes it a hyphen
    ([], (6,)),  # no PostScript name: the full name (ID 4)
    ([(6, "MacOnly-Regular", 1, 0, 0)], (6,)),  # only a Macintosh record
    ([(6, "ClinicUK-Regular", 3, 1, 0x809)], (6,)),  # only a UK-English record: ReportLab does not read it
    ([(6, "Mac-Name", 1, 0, 0), (6, "Win-Name", 3, 1, 0x409)], (6,)),  # two names: ReportLab takes the first
])
def test_the_name_compared_is_the_name_reportlab_registers(tmp_path: Path, records, drop) -> None:  # type: ignore[no-untyped-def]
    """For each shape of name table, the names the check compares include exactly the face name ReportLab gives
    the font when a build registers it (the name its PDF objects are keyed by)."""
    from generator.render import fontnames
    from generator.render.tounicode import ReadableTTFont

    path = _renamed(tmp_path, records, drop)
    registered = ReadableTTFont("probe", io.BytesIO(path.read_bytes())).face.name.decode("latin-1")
    assert registered in fontnames._postscript_names(path, 0, fonts.file_version(path))


def _add_spanish(project: Path) -> None:
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"An introduction."', '"Una introducción."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0


def test_two_faces_of_one_collection_named_alike_are_refused(tmp_path: Path) -> None:
    """A .ttc holding Noto Sans and a copy cut to ASCII, both named NotoSans-Regular, the first for English
    and the second for Spanish: one file, so no two digests differ — the faces are told apart by index too."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    whole = TTFont(SHIPPED / "noto-sans/NotoSans-Regular.ttf")
    cut = TTFont(SHIPPED / "noto-sans/NotoSans-Regular.ttf")
    cutter = subset.Subsetter(subset.Options(name_IDs=["*"], name_languages=["*"], notdef_outline=True))
    cutter.populate(unicodes=range(0x20, 0x7F))
    cutter.subset(cut)
    collection = TTCollection()
    collection.fonts = [whole, cut]
    project = tiny_copy(tmp_path / "project")
    (project / "templates/fonts/pair").mkdir(parents=True)
    collection.save(project / "templates/fonts/pair/Pair.ttc")
    _add_spanish(project)
    (project / "templates/fonts.yaml").write_text(
        "families:\n  whole:\n    regular: fonts/pair/Pair.ttc#0\n    bold: fonts/pair/Pair.ttc#0\n"
        "  cut:\n    regular: fonts/pair/Pair.ttc#1\n    bold: fonts/pair/Pair.ttc#1\nlanguages:\n"
        "  en: {family: cut, direction: ltr, breaking: words}\n"
        "  es: {family: whole, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    assert "Pair.ttc: this font has two faces (#1 and #0) that both call themselves 'NotoSans-Regular'" in \
        result.stderr, result.stderr


def test_one_font_copied_into_two_families_builds(tmp_path: Path) -> None:
    """The same bytes under two folders (two families for two languages): not two fonts, so not refused, and
    the build makes one font of them (two parses gave two fonts of one PostScript name in the PDF, which
    ReportLab refused to write: "redefining named object")."""
    project = tiny_copy(tmp_path / "project")
    _add_spanish(project)
    for family in ("a", "b"):
        shutil.copytree(SHIPPED / "noto-sans", project / "templates/fonts" / family)
    (project / "templates/fonts.yaml").write_text(
        "families:\n  a:\n    regular: fonts/a/NotoSans-Regular.ttf\n    bold: fonts/a/NotoSans-Bold.ttf\n"
        "  b:\n    regular: fonts/b/NotoSans-Regular.ttf\n    bold: fonts/b/NotoSans-Bold.ttf\nlanguages:\n"
        "  en: {family: a, direction: ltr, breaking: words}\n  es: {family: b, direction: ltr, breaking: words}\n",
        encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0
    built = run("build", "-j", "1", "--project", project)
    assert built.exit_code == 0, built.output + built.stderr
    from pypdf import PdfReader

    assert "Una introducción." in "".join(page.extract_text() for page in PdfReader(
        project / "output/es/tiny.pdf").pages)


# -- direction: the letters' bidi class, and the script subtag ------------------------------------------------------
def test_the_right_to_left_set_holds_exactly_the_r_and_al_characters() -> None:
    """The set is gathered from the blocks that hold R and AL characters; this Python's whole Unicode database
    agrees (a future Unicode adding one elsewhere fails here, not silently)."""
    from generator.render.fontnames import right_to_left

    expected = {chr(code) for code in range(0x110000) if unicodedata.bidirectional(chr(code)) in ("R", "AL")}
    assert right_to_left() == expected


def _with_language(project: Path, lang: str, direction: str, family: str, words: str) -> None:
    for folder in ("noto-sans", "dejavu-sans"):
        shutil.copytree(SHIPPED / folder, project / "templates/fonts" / folder)
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto-sans:\n    regular: fonts/noto-sans/NotoSans-Regular.ttf\n"
        "    bold: fonts/noto-sans/NotoSans-Bold.ttf\n  dejavu-sans:\n"
        "    regular: fonts/dejavu-sans/DejaVuSans.ttf\n    bold: fonts/dejavu-sans/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: noto-sans, direction: ltr, breaking: words}\n"
        f"  {lang}: {{family: {family}, direction: {direction}, breaking: words}}\n", encoding="utf-8")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", f"  - en\n  - {lang}\n"),
                        encoding="utf-8")
    assert run("translate", "new", lang, "--project", project).exit_code == 0
    translated = project / f"content/{lang}/tiny.yaml"
    translated.write_text(translated.read_text(encoding="utf-8")
                          .replace('"The first point."', f'"{words}"'), encoding="utf-8")
    assert run("translate", "done", lang, "--all", "--project", project).exit_code == 0


def test_hebrew_in_a_language_set_left_to_right_is_refused_at_its_text(tmp_path: Path) -> None:
    """Ladino in Hebrew letters (`lad`, unknown to CLDR) declared ltr in a face that has the letters: refused at
    the text, its line and column, whatever the code."""
    project = tiny_copy(tmp_path / "project")
    _with_language(project, "lad", "ltr", "dejavu-sans", "\u05d0\u05dc \u05e4\u05e8\u05d9\u05de\u05d9\u05e8")
    result = run("check", "--project", project)
    assert result.exit_code == 1, result.output
    assert "content/lad/tiny.yaml:25:20: expect.points.first: '\u05d0' (U+05D0) is written right to left, but " \
        "'lad' is set left to right" in result.stderr, result.stderr


def test_a_language_set_right_to_left_over_latin_text_is_refused_and_its_letters_decide(tmp_path: Path) -> None:
    """`ur-Latn` (Roman Urdu) declared rtl with Latin words: refused at fonts.yaml; the same declared ltr:
    accepted (the script subtag outranks Babel's Urdu, which is written in Arabic letters)."""
    project = tiny_copy(tmp_path / "project")
    _with_language(project, "ur-Latn", "rtl", "dejavu-sans", "Pehla nukta.")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "templates/fonts.yaml: languages.ur-Latn: 'ur-Latn' is set right to left, " \
        "but none of its translated text is written right to left" in result.stderr, result.output + result.stderr
    fonts_yaml = project / "templates/fonts.yaml"
    fonts_yaml.write_text(fonts_yaml.read_text(encoding="utf-8").replace(
        "ur-Latn: {family: dejavu-sans, direction: rtl", "ur-Latn: {family: noto-sans, direction: ltr"),
        encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize(("lang", "direction"), [
    ("sr-Latn", "ltr"), ("ru-Cyrl", "ltr"), ("az-Arab", "rtl"), ("zh-Hans", "ltr"), ("ar", "rtl"),
    ("ur-Latn", None), ("ckb-Latn", None), ("so-Arab", None), ("ar-Latn", None),
])
def test_cldr_decides_a_direction_only_for_the_script_the_code_names(lang: str, direction: str | None) -> None:
    """Babel's data stands when it describes the code's script (its own script, or the language's usual one);
    otherwise the language is one CLDR does not know: its direction must be stated (and is checked against its
    letters), its dates are ISO and its name is its code, never Urdu's Arabic letters for Roman Urdu."""
    from generator.content.names import has_cldr_data
    from generator.render.fontnames import written_direction
    from generator.render.localize import language_name

    assert written_direction(lang) == direction
    assert has_cldr_data(lang) == (direction is not None)
    if direction is None:
        assert language_name(lang) == lang
