"""The thirty-fourth hostile pass, part B (issue 12): a project's fonts, styles, templates, settings and content text.
Written against main 74eb3c8; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import (
    HANDOUT,
    no_traceback,
    own_template,
    refused_at_intro,
    set_intro,
    set_scalar,
    tiny_copy,
)
from tests.hardening.test_ninth_pass import _with_arabic

_NOTO = default_templates() / "fonts" / "noto-sans"


def _cancelled_with_strike(source: Path, dest: Path, chars: str, ppem: int = 64) -> None:
    """`source` with the outlines of `chars` cancelled (each contour followed by its reverse: drawn as nothing) and
    an embedded bitmap strike (EBLC/EBDT) at `ppem` pixels per em giving each of them a box of its own size."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.pens.reverseContourPen import ReverseContourPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    names = sorted({cmap[ord(ch)] for ch in chars}, key=font.getGlyphID)
    for name in names:
        recorded = RecordingPen()
        glyphs[name].draw(recorded)
        pen = TTGlyphPen(glyphs)
        recorded.replay(pen)
        recorded.replay(ReverseContourPen(pen))
        font["glyf"][name] = pen.glyph()
    bitmaps = "".join(
        f'<ebdt_bitmap_format_1 name="{name}"><SmallGlyphMetrics><height value="{32 - 2 * i}"/><width value="32"/>'
        f'<BearingX value="2"/><BearingY value="{32 - 2 * i}"/><Advance value="36"/></SmallGlyphMetrics>'
        f'<rawimagedata>{("ff" * (3 - i % 2) + "00" * (1 + i % 2)) * (32 - 2 * i)}</rawimagedata>'
        "</ebdt_bitmap_format_1>" for i, name in enumerate(names))
    metrics = "".join(f'<{key} value="{value}"/>' for key, value in (
        ("ascender", 60), ("descender", -16), ("widthMax", 40), ("caretSlopeNumerator", 0),
        ("caretSlopeDenominator", 0), ("caretOffset", 0), ("minOriginSB", 0), ("minAdvanceSB", 0),
        ("maxBeforeBL", 0), ("minAfterBL", 0), ("pad1", 0), ("pad2", 0)))
    lines = "".join(f'<sbitLineMetrics direction="{way}">{metrics}</sbitLineMetrics>' for way in ("hori", "vert"))
    index = "".join('<eblc_index_sub_table_1 imageFormat="1" firstGlyphIndex="0" lastGlyphIndex="0">'
                    f'<glyphLoc name="{name}"/></eblc_index_sub_table_1>' for name in names)
    sizes = "".join(f'<{key} value="{value}"/>' for key, value in (
        ("colorRef", 0), ("startGlyphIndex", 0), ("endGlyphIndex", 0), ("ppemX", ppem), ("ppemY", ppem),
        ("bitDepth", 1), ("flags", 1)))
    xml = dest.with_suffix(".ttx")
    xml.write_text('<?xml version="1.0" encoding="UTF-8"?><ttFont sfntVersion="\\x00\\x01\\x00\\x00">'
                   f'<EBDT><header version="2.0"/><strikedata index="0">{bitmaps}</strikedata></EBDT>'
                   f'<EBLC><header version="2.0"/><strike index="0"><bitmapSizeTable>{lines}{sizes}'
                   f'</bitmapSizeTable>{index}</strike></EBLC></ttFont>', encoding="utf-8")
    font.importXML(str(xml))
    font.save(str(dest))


def test_outlines_drawn_as_nothing_behind_a_bitmap_strike_are_refused(tmp_path: Path) -> None:
    """A copy of Noto Sans whose a, e, i, o, t, u are contours cancelled by their reverse (ReportLab embeds them:
    nothing prints) and which carries an embedded bitmap strike at 64 pixels per em with a box for each: FreeType,
    which every ink check draws with, draws the strike at the size asked for in place of the outline, so `check` and
    `build` passed, and the page (looked at) printed "Dr f - n r v w d" and "G n r l nf rm n nly" — the review
    state and disclaimer — and every text without its vowels. The checks now draw the outlines alone."""
    project = tiny_copy(tmp_path / "p")
    fonts = project / "templates" / "fonts" / "own"
    fonts.mkdir(parents=True)
    _cancelled_with_strike(_NOTO / "NotoSans-Regular.ttf", fonts / "Own-Regular.ttf", "aeiout")
    shutil.copy(_NOTO / "NotoSans-Bold.ttf", fonts)
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  own:\n    regular: fonts/own/Own-Regular.ttf\n    bold: fonts/own/NotoSans-Bold.ttf\n"
        "languages:\n  en: {family: own, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("build", "--project", project, "--lang", "en", "-j", "1")  # the check `build` makes, as `check`
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "without visible ink" in result.stderr and "Own-Regular.ttf" in result.stderr, result.stderr
    assert not (project / "output" / "en" / "tiny.pdf").exists()


@pytest.mark.parametrize("text", ["وافقت عليه في عام 20\\u200f19.", "خذ 1.\\u061c5 ملغ."])
def test_right_to_left_mark_inside_a_number_is_refused(tmp_path: Path, text: str) -> None:
    """A right-to-left mark (U+200F; the Arabic letter mark U+061C alike) inside a number of an Arabic translation:
    invisible in an editor and in `check`, it splits the number into runs the bidi algorithm orders right to left,
    so the shipped Arabic esketamine handout with "20\\u200f19" and "3\\u200f0" printed "1920" and "03" (looked at,
    and in pdftotext), exit 0. Refused at its position in any text, like the direction controls U+202A-U+202E and
    U+2066-U+2069 that could print "12" as "21"."""
    project = tiny_copy(tmp_path / "p")
    _with_arabic(project)
    set_scalar(project, "content/ar/tiny.yaml", '"نص عربي قصير."', f'"{text}"')  # the title: the first text
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/ar/tiny.yaml:" in result.stderr and "invisible character" in result.stderr, result.stderr


def test_direction_mark_beside_a_placeholder_number_and_in_values_is_refused(tmp_path: Path) -> None:
    """The same mark between two placeholders that print numbers ("{page}\\u200f/{pages}": page 1 of 4 as "4/1"),
    in a fact's value and in a source's title ("9\\u200f88 Lifeline" printed "889"): each refused at its line."""
    project = tiny_copy(tmp_path / "p")
    line = set_scalar(project, "content/en/ui.yaml", '"Page {page} of {pages}"', '"Page {page}\\u200f/{pages}"')
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"ui.yaml:{line}:" in result.stderr, result.stderr
    project = tiny_copy(tmp_path / "q")
    line = set_scalar(project, HANDOUT, '"An example source"', '"The 9\\u200f88 Lifeline"')
    result = run("check", "--project", project)
    assert result.exit_code == 1 and f"tiny.yaml:{line}:" in result.stderr, result.stderr
    project = tiny_copy(tmp_path / "r")
    line = set_scalar(project, "content/facts.yaml", 'value: "988"', 'value: "9\\u200f88"')
    result = run("check", "--project", project)
    assert result.exit_code == 1 and f"facts.yaml:{line}:" in result.stderr, result.stderr


@pytest.mark.parametrize(("text", "at"), [("20\u200f19", 2), ("1\u200f.5", 1), ("1.\u061c5", 2), ("1\u200e.5", 1),
                                         ("555\u200f\u00a0010", 3), ("{page}/\u200f{pages}", 7), ("1\u200b0", 1),
                                         ("\u0661\u200f\u0662", 1), ("988\u200f.", -1), ("10\u200bmg", -1),
                                         ("2\u00ad5", -1), ("word\u200f 1", -1), ("a\u200cb", -1)])
def test_where_an_invisible_character_splits_a_number(text: str, at: int) -> None:
    """Which invisible characters split a number: any default-ignorable one between its digits, beside its point,
    comma or no-break space, or between placeholders; not one after a number's end, nor between letters (a joiner);
    the soft hyphen has its own rule (twenty-second pass)."""
    from generator.content.parse.fields import hidden_in_number

    assert hidden_in_number(text) == at


@pytest.mark.parametrize("call", ["98\\u200b8", "988\\u2060", "9\\u20638\\u20628", "98\\u00ad8"])
def test_crisis_number_holding_an_invisible_character_is_refused(tmp_path: Path, call: str) -> None:
    """facts.yaml's crisis line `call: "98\\u200b8"` (a zero-width space; a word joiner after it, invisible
    times): `check` and `build` passed, the PDF printed "988", and the HTML companion printed the number with the
    invisible character inside (copied, searched or read aloud as another) and without its `tel:` link — the
    crisis line was no longer a tap to call. The clinic's phone refused this since the twentieth passes; every value
    (fact, crisis line, clinic setting) now refuses an invisible character beside a digit, at its position."""
    project = tiny_copy(tmp_path / "p")
    line = set_scalar(project, "content/facts.yaml", 'call: "988"', f'call: "{call}"')
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"facts.yaml:{line}:" in result.stderr, result.stderr
    assert "invisible character" in result.stderr and "no crisis line" not in result.stderr, result.stderr


def test_zero_width_space_inside_a_number_of_a_text_is_refused(tmp_path: Path) -> None:
    """"Take 1\\u200b0 mg" in a paragraph: the PDF draws "10 mg", but the HTML companion holds a zero-width space,
    where a browser breaks the line: "Take 1" above "0 mg" reads as a dose of 1 mg (the soft hyphen's finding of the
    twenty-second pass, with another invisible character). Refused at its position."""
    project = tiny_copy(tmp_path / "p")
    set_intro(project, "Take 1\\u200b0 mg a day.")
    refused_at_intro(project, "Take 1\u200b0 mg")


def test_template_output_declaring_entities_is_refused(tmp_path: Path) -> None:
    """A project template whose output starts with a document type declaration: its entities expand as the output is
    parsed, up to 100 times the output's size (expat's bound), so a 9 MB output (within the 10-million-character
    bound) declaring a 100 KB entity and naming it 8,900 times in an attribute took `build` 1.9 GB (1.0 GB as element
    text), exit 1 only afterwards. A declaration is refused before the output is parsed (here a harmless one, which
    `check` passed)."""
    project = tiny_copy(tmp_path / "p")
    own_template(project, "handout.xml.j2", ("<handout lang=", '<!DOCTYPE handout [<!ENTITY w "x">]>\n<handout lang='))
    result = run("build", "--project", project, "--lang", "en", "-j", "1")  # the check `build` makes, as `check`
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "declares a DOCTYPE or entities" in result.stderr, result.stderr


def _moved_off_but_at(source: Path, dest: Path, chars: str, family: str, ppem: int = 64) -> None:
    """`source` whose glyphs for `chars` carry instructions moving every point 400 pixels up at every size but
    `ppem`, its family named `family` (FreeType runs the instructions of a face whose name it lists as "tricky",
    such as MingLiU, even when asked not to hint)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.ttProgram import Program

    font = TTFont(str(source))
    cmap = font.getBestCmap()
    for ch in chars:
        glyph = font["glyf"][cmap[ord(ch)]]
        count = len(glyph.coordinates)
        program = Program()
        program.fromAssembly(f"SVTCA[0]\nMPPEM[ ]\nPUSHB[ ] {ppem}\nEQ[ ]\nIF[ ]\nELSE[ ]\n"
                             f"NPUSHB[ ] {' '.join(map(str, range(count)))}\nPUSHB[ ] {count}\nSLOOP[ ]\n"
                             "PUSHW[ ] 25600\nSHPIX[ ]\nEIF[ ]")
        glyph.program = program
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = family.replace(" ", "") if record.nameID == 6 else family
    font.save(str(dest))


def test_a_project_face_is_embedded_without_hinting_instructions(tmp_path: Path) -> None:
    """A copy of Noto Sans named "MingLiU Own" whose a, e, i, o, t, u carry instructions that move every point 400
    pixels up at every size but 64 pixels per em, the one size the ink checks draw at: `check` and `build` passed
    (the checks draw the outlines without the font's programs), and both poppler (pdftoppm) and Ghostscript, the
    renderers of the print path, printed "Dr f - n r v w d" (looked at): FreeType runs a "tricky" face's
    instructions whatever it is asked. A project's own face is now embedded without any hinting instructions (the
    shipped faces, and byte-for-byte copies, as they are): every viewer draws the outline the checks measured."""
    import io

    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    project = tiny_copy(tmp_path / "p")
    fonts = project / "templates" / "fonts" / "own"
    fonts.mkdir(parents=True)
    _moved_off_but_at(_NOTO / "NotoSans-Regular.ttf", fonts / "Own-Regular.ttf", "aeiout", "MingLiU Own")
    shutil.copy(_NOTO / "NotoSans-Bold.ttf", fonts)
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  own:\n    regular: fonts/own/Own-Regular.ttf\n    bold: fonts/own/NotoSans-Bold.ttf\n"
        "languages:\n  en: {family: own, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("build", "--project", project, "--lang", "en", "-j", "1")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    embedded = {}
    for font in PdfReader(project / "output" / "en" / "tiny.pdf").pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object().get("/FontDescriptor")
        if descriptor is not None and "/FontFile2" in descriptor.get_object():
            embedded[str(font.get_object()["/BaseFont"])] = descriptor.get_object()["/FontFile2"].get_data()
    own = [data for name, data in embedded.items() if "MingLiU" in name]
    assert own, list(embedded)
    for data in own:
        face = TTFont(io.BytesIO(data))
        assert not {"fpgm", "prep", "cvt "} & set(face.keys()), sorted(face.keys())
        for name in face.getGlyphOrder():
            glyph = face["glyf"][name]
            assert not (hasattr(glyph, "program") and glyph.program.getBytecode()), name
