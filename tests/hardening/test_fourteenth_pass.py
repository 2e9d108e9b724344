"""The fourteenth hostile pass (issue 12): new inputs, none repeated from the thirteen earlier passes or their corpus.
Written against main c59a7f2 / 62ccc50, then aecea6b; every test here failed on the main named in its docstring when
written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.conftest import run
from tests.hardening.hostile import declare, line_differs, no_traceback, tiny_copy, wenquanyi_subset

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _renamed_noto(style: str, tag: str) -> TTFont:
    """Noto Sans `style` under another family name (a clinic's copy: two files of one PostScript name are refused)."""
    font = TTFont(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = record.toUnicode().replace("Noto Sans", f"Clinic {tag}").replace("NotoSans", f"Clinic{tag}")
    return font


def _pages_at_100_dpi(pdf: Path, only: int = 0):  # noqa: ANN202 - PIL images, or one
    """Every page (or page `only`) at 100 dpi, grey, as pdftoppm draws it."""
    import subprocess
    import tempfile

    from PIL import Image

    pages = ["-f", str(only), "-l", str(only)] if only else []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", *pages, str(pdf), f"{folder}/p"], check=True)
        drawn = [Image.open(page).convert("L").copy() for page in sorted(Path(folder).glob("p*.png"))]
    return drawn[0] if only else drawn


def _english_in(family: str) -> str:
    """fonts.yaml setting English in the project's copy of Noto Sans at templates/fonts/FAMILY/."""
    return (f"families:\n  own:\n    regular: fonts/{family}/NotoSans-Regular.ttf\n"
            f"    bold: fonts/{family}/NotoSans-Bold.ttf\n"
            "languages:\n  en: {family: own, direction: ltr, breaking: words}\n")


def _spanish_in(family: str) -> str:
    """fonts.yaml setting English in a copy of Noto Sans and Spanish in templates/fonts/FAMILY/."""
    return ("families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
            f"  own:\n    regular: fonts/{family}/NotoSans-Regular.ttf\n    bold: fonts/{family}/NotoSans-Bold.ttf\n"
            "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
            "  es: {family: own, direction: ltr, breaking: words}\n")


def _built_in_both(project: Path, *args: str, settings=_english_in) -> bool:  # type: ignore[no-untyped-def]
    """Build the project in its changed face ("painted") and in an unchanged copy ("plain"), into out-FAMILY/;
    False when the changed face is refused (nothing printed to compare)."""
    for family in ("painted", "plain"):
        (project / "templates/fonts.yaml").write_text(settings(family), encoding="utf-8")
        built = run("build", "--project", project, *args, "-j", "1", "--out", project / f"out-{family}")
        no_traceback(built)
        if family == "painted" and built.exit_code == 1 and "painted" in built.stderr:
            return False
        assert built.exit_code == 0, built.output + built.stderr
    return True


def _barred_families(project: Path, chars: str, bar,  # type: ignore[no-untyped-def]
                     styles: tuple[str, ...] = ("Regular", "Bold")) -> None:
    """templates/fonts/painted/ and plain/: clinic copies of Noto Sans (regular, bold); in the painted one's `styles`,
    each of `chars` also draws a bar, the rectangle `bar(advance)` = (x0, y0, x1, y1) in font units."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    for family in ("painted", "plain"):
        (project / f"templates/fonts/{family}").mkdir(parents=True)
        for style in ("Regular", "Bold"):
            font = _renamed_noto(style, family.title())
            for char in chars if family == "painted" and style in styles else "":
                glyph = font.getBestCmap()[ord(char)]
                (x0, y0, x1, y1), pen = bar(font["hmtx"][glyph][0]), TTGlyphPen(font.getGlyphSet())
                font.getGlyphSet()[glyph].draw(pen)
                pen.moveTo((x0, y0))
                for point in ((x1, y0), (x1, y1), (x0, y1)):
                    pen.lineTo(point)
                pen.closePath()
                font["glyf"][glyph] = pen.glyph()
            font.save(project / f"templates/fonts/{family}/NotoSans-{style}.ttf")


def _differing_pixels(first: Path, second: Path) -> int:
    """How many pixels of the two PDFs' pages differ by more than 8 of 255 grey levels (anti-aliasing)."""
    from PIL import ImageChops

    pages = [_pages_at_100_dpi(first), _pages_at_100_dpi(second)]
    assert len(pages[0]) == len(pages[1])
    return sum(ImageChops.difference(a, b).point(lambda level: 255 if level > 8 else 0).histogram()[255]
               for a, b in zip(*pages, strict=True))


# -- fonts: the other-languages row is drawn with drawString, unclipped ----------------------------------------------
def test_a_language_name_s_letter_cannot_paint_over_the_number_on_the_line_below(project: Path) -> None:
    """numberclip clips a project face's letters to their line and off every number column, but only in TextFlow.
    The row naming the handout's other languages ("español · العربية · 中文 (简体) · …", namerow.NameRow) draws each
    name in its own language's face with canv.drawString: nothing is clipped, and fontink lets a letter outside ASCII
    ink 0.9 em below its baseline. The shipped project with Spanish in the clinic's copy of Noto Sans whose "ñ" also
    draws a flattened ring (Noto's "0", 0.89 × 0.43) 0.57-0.885 em below its baseline, body `space_after: 0` (within
    style.yaml's bounds: 0-200) and the English large-print line "Call 611 0100 for a large-print copy.": on main
    c59a7f2 `check`/`build --lang en` ok, and page 3 of the English microdosing handout prints "Call 811 0100" (150 and
    400 dpi looked at: the ring closes the 6's open top); pdftotext reads "611". A face's letters must keep off
    every number wherever the page draws them. (Fixed by aecea6b; here on the tiny project with Spanish added.)"""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    declare(project, "es")
    for command in (("translate", "new", "es"), ("translate", "done", "es", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    for family in ("painted", "plain"):
        (project / f"templates/fonts/{family}").mkdir(parents=True)
    (project / "templates/fonts/noto").mkdir()
    for style in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf", project / "templates/fonts/noto/")
        _renamed_noto(style, "Plain").save(project / f"templates/fonts/plain/NotoSans-{style}.ttf")
        font = _renamed_noto(style, "Painted")
        cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
        call, espa = (sum(metrics[cmap[ord(ch)]][0] for ch in text) for text in ("Call ", "espa"))
        shift = call - espa + 40  # from the ñ's pen to the 6's, in font units (both Noto Sans)
        pen = TTGlyphPen(glyphs)
        glyphs[cmap[0xF1]].draw(pen)
        glyphs[cmap[ord("0")]].draw(TransformPen(pen, (0.886, 0, 0, 0.427, shift + 75 - 49 * 0.886, -885 + 4)))
        glyph = pen.glyph()
        font["glyf"][cmap[0xF1]] = glyph
        glyph.recalcBounds(font["glyf"])
        metrics[cmap[0xF1]] = (metrics[cmap[0xF1]][0], glyph.xMin)
        font.save(project / f"templates/fonts/painted/NotoSans-{style}.ttf")
    (project / "templates/style.yaml").write_text((REPO / "templates/style.yaml").read_text(encoding="utf-8").replace(
        "body: {size: 12, leading: 15.6, space_after: 4}", "body: {size: 12, leading: 15.6, space_after: 0}", 1),
        encoding="utf-8")
    ui = project / "content/en/ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace('editions.large_print: "Ask us for a large-print copy."',
                                                         'editions.large_print: "Call 611 0100 for a large-print '
                                                         'copy."', 1), encoding="utf-8")
    if not _built_in_both(project, "--lang", "en", settings=_spanish_in):
        return  # the face refused
    changed = _differing_pixels(project / "out-painted/en/tiny.pdf", project / "out-plain/en/tiny.pdf")
    assert changed <= 12, f"the changed Spanish face printed the English handout differently ({changed} pixels)"

# -- fonts: fontalike compares only ASCII letters with the number glyphs ---------------------------------------------
CHINESE_DOSE = "每天服用1片，不要多服。"  # "take 1 tablet a day, do not take more"
CHINESE_TWICE = "每天两次，每次半片。"  # "twice a day, half a tablet each time"
CHINESE_PAREN = "每次1片（10毫克）。"  # "1 tablet (10 mg) each time"


def _wenquanyi_copy() -> TTFont:
    """A fresh fontTools font of `_wenquanyi_bytes`."""
    import io

    return TTFont(io.BytesIO(_wenquanyi_bytes()))


def _wenquanyi_bytes() -> bytes:
    """A project's own cut-down WenQuanYi Micro Hei holding the tests' Chinese sentences."""
    return wenquanyi_subset(CHINESE_DOSE + CHINESE_TWICE + CHINESE_PAREN + "一三０")


def test_a_chinese_letter_cannot_be_drawn_as_the_digit_the_page_prints(project: Path) -> None:
    """fontalike refuses a face whose letter is drawn as a number glyph (its borrowed ones, or the file's own: "x" as
    "0" printed "Take 1x a day" as "Take 10 a day", thirteenth pass) — but its MEANINGFUL set holds ASCII letters
    only. Chinese sets a number against the character after it, so a CJK letter drawn as a digit changes the number.
    The tiny project with zh-Hans (`translate new`, `done --all`), intro "每天服用1片，不要多服。" ("take 1 tablet a
    day, do not take more"), set in a project copy of WenQuanYi Micro Hei whose "片" (tablet) is Noto Sans's own "0"
    (the very glyph fontguard draws the page's digits with), scaled to the em, at its advance: on main 62ccc50 `check`
    ok and `build --lang zh-Hans` ok; page 1 prints "每天服用10，不要多服。" ("take 10 a day"; 130 dpi looked at: the
    "0" is the 1's twin), pdftotext reads "1片". Not the open "digit of a third design": the shipped design itself,
    which the ASCII letters are compared with. Any letter of any script must not print as a number glyph."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    declare(project, "zh-Hans")
    for command in (("translate", "new", "zh-Hans"), ("translate", "done", "zh-Hans", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    handout = project / "content/zh-Hans/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', f'text: "{CHINESE_DOSE}"', 1), encoding="utf-8")
    font = _wenquanyi_copy()
    noto = TTFont(REPO / "templates/fonts/noto-sans/NotoSans-Regular.ttf")
    scale = font["head"].unitsPerEm / noto["head"].unitsPerEm
    zero = noto.getBestCmap()[ord("0")]
    letter = font.getBestCmap()[ord("片")]
    pen = TTGlyphPen(None)
    noto.getGlyphSet()[zero].draw(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
    glyph = pen.glyph()
    font["glyf"][letter] = glyph
    glyph.recalcBounds(font["glyf"])
    font["hmtx"][letter] = (round(noto["hmtx"][zero][0] * scale), glyph.xMin)
    (project / "templates/fonts/own").mkdir(parents=True)
    font.save(project / "templates/fonts/own/tablet.ttf")
    (project / "templates/fonts/noto").mkdir()
    for style in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf", project / "templates/fonts/noto/")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
        "  own:\n    regular: fonts/own/tablet.ttf\n    bold: fonts/own/tablet.ttf\n    synthetic_bold: true\n"
        "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
        "  zh-Hans: {family: own, direction: ltr, breaking: cjk}\n", encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and ("tablet.ttf" in result.stderr or "zh-Hans/tiny.yaml" in result.stderr), \
        f"片 drawn as the shipped 0 passed check: {result.output}{result.stderr}"


# -- fonts: number characters no shipped face has keep the project's glyph (and are drawn unclipped) -----------------
def _noto_with_devanagari_digits(project: Path, family: str, swapped: bool) -> None:
    """templates/fonts/FAMILY/: a clinic's Noto Sans (regular, bold) whose Devanagari digits ०-९ are drawn with its
    Latin digits' outlines (a face of its own design); `swapped`: its map sends २ to the 3 and ३ to the 2."""
    (project / f"templates/fonts/{family}").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = _renamed_noto(style, family.title())
        best = font.getBestCmap()
        for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
            if table.isUnicode():
                for code in range(0x0900, 0x0980):  # its letters: CLDR's Marathi names of the other languages
                    kind = unicodedata.category(chr(code))
                    if kind[0] in "LM":
                        table.cmap[code] = best[0x0301] if kind == "Mn" else best[ord("o")]
                for digit in range(10):
                    shown = {2: 3, 3: 2}.get(digit, digit) if swapped else digit
                    table.cmap[0x0966 + digit] = best[ord(str(shown))]
        font.save(project / f"templates/fonts/{family}/NotoSans-{style}.ttf")


def test_a_font_cannot_change_digits_no_shipped_face_draws(project: Path) -> None:
    """fontguard borrows every number character from Noto Sans, DejaVu Sans or WenQuanYi Micro Hei; one none of them
    has "keeps the project's glyph (checked as any letter is)" — but it is not: fontalike compares ASCII digits and
    the Arabic-Indic ones only, and numberclip draws it as a number piece, unclipped. 1,656 number characters are
    in no donor, among them the digits of Devanagari, Bengali, Gurmukhi, Tamil, Telugu, Thai, Myanmar, Khmer,
    Tibetan and Ethiopic — scripts a clinic adds with its own face (languages are any BCP 47 code CLDR knows).
    The tiny project with Marathi (`translate new mr`, `done --all`), intro "दररोज २ गोळ्या घ्या." written as
    "Take २ tablets a day." (the test's face draws Latin letters only), in a clinic copy of Noto Sans whose map sends
    २ to its "3" and ३ to its "2": on main 62ccc50 `check` ok, `build --lang mr` ok, and page 1 prints "Take 3
    tablets a day." (the same face unswapped prints "Take 2"; 100 dpi compared, pdftotext reads २). A face must not
    draw numbers at all (or be refused for the number characters it would draw itself)."""
    declare(project, "mr")
    for command in (("translate", "new", "mr"), ("translate", "done", "mr", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    handout = project / "content/mr/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "Take \u0968 tablets a day."', 1), encoding="utf-8")
    _noto_with_devanagari_digits(project, "swapped", True)
    _noto_with_devanagari_digits(project, "plain", False)
    for family in ("swapped", "plain"):
        (project / "templates/fonts.yaml").write_text(
            f"families:\n  own:\n    regular: fonts/{family}/NotoSans-Regular.ttf\n"
            f"    bold: fonts/{family}/NotoSans-Bold.ttf\n"
            "languages:\n  en: {family: own, direction: ltr, breaking: words}\n"
            "  mr: {family: own, direction: ltr, breaking: words}\n", encoding="utf-8")
        built = run("build", "--project", project, "--lang", "mr", "-j", "1", "--out", project / f"out-{family}")
        no_traceback(built)
        if family == "swapped" and built.exit_code == 1 and ("swapped" in built.stderr
                                                             or "mr/tiny.yaml:" in built.stderr):
            return  # the face, or the text using a digit it may not draw, refused
        assert built.exit_code == 0, built.output + built.stderr
    changed = _differing_pixels(project / "out-swapped/mr/tiny.pdf", project / "out-plain/mr/tiny.pdf")
    assert changed <= 12, f"a face swapping two Devanagari digits printed the handout differently ({changed} pixels)"


# -- fonts: the first line in a callout box may ink above the box ------------------------------------------------------
def test_a_callout_heading_letter_cannot_paint_over_the_number_above_the_box(project: Path) -> None:
    """f664e8b clips a letter to "its own flow's box and the space the style puts around it" (space_before above).
    A boxed section (pagination.Callout) stacks its children itself and skips the first child's space_before, so the
    box heading's letters may ink up to 1.25 em over its baseline — above the box's top edge, onto the line before
    the box. Tiny project, style.yaml (within bounds) heading {size: 72, leading: 93.6, space_before: 40}, body
    space_after 0; the last line before the "When to get help" box "Rest for 7 days."; a clinic copy of Noto Sans
    whose bold "W" also draws a short bar 1.168-1.192 em above its baseline: on main 62ccc50 `check`/`build` ok, and
    page 2 prints the 7 with a foot in the heading's blue: "Rest for Z days" (a 2 more than a 7; 300 dpi looked at).
    A letter must keep off every number, at the top of a box too."""
    _barred_families(project, "W", lambda _: (561, 1168, 641, 1192), ("Bold",))
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    for old, new in (("heading: {size: 16, leading: 20.8, bold: true, space_before: 8, space_after: 3}",
                      "heading: {size: 72, leading: 93.6, bold: true, space_before: 40, space_after: 3}"),
                     ("body: {size: 12, leading: 15.6, space_after: 4}",
                      "body: {size: 12, leading: 15.6, space_after: 0}")):
        assert old in style
        style = style.replace(old, new, 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace('text: "Take time to rest."',
                                                                   'text: "Rest for 7 days."', 1), encoding="utf-8")
    if not _built_in_both(project):
        return  # the face refused
    changed = line_differs(project / "out-painted/en/tiny.pdf", project / "out-plain/en/tiny.pdf", "Rest")
    assert changed <= 12, f"the line before the box printed differently in the changed face ({changed} pixels)"


# -- approve: combining marks with no letter to sit on ---------------------------------------------------------------
@pytest.mark.parametrize("field", ["reviewer", "role"])
def test_approve_refuses_a_name_of_marks_alone(project: Path, field: str) -> None:
    """approve refuses a reviewer or role "of nothing visible" (5ef4424: spaces, joiners, a braille blank...), and check
    refuses a unit of combining marks alone ("text has only invisible characters"); approve takes marks alone, which
    sit on no letter and print as a speck over the space beside them. On main 62ccc50 `approve content/en/tiny.yaml
    content/en/ui.yaml content/facts.yaml --reviewer $'\\u0301\\u0301' --role $'\\u0300'`: exit 0, "approved"; `build`
    ok: an approved handout (no DRAFT) whose footer reads "Reviewed December 7, 2026 ` · next review December 7,
    2027" (a grave accent leaning on the separator) and whose reviewer line reads "́ (̀)" (page 1 at 150 dpi looked
    at). An approval must name someone."""
    names = {"reviewer": "Dr. Jane Doe", "role": "MD, psychiatrist", field: "\u0301\u0300"}
    result = run("approve", "--project", project, "--reviewer", names["reviewer"], "--role", names["role"],
                 project / "content/en/tiny.yaml")
    no_traceback(result)
    assert result.exit_code == 1, f"a {field} of combining marks alone was recorded: {result.output}{result.stderr}"


# -- fontguard: Chinese number words Unicode gives no numeric value ---------------------------------------------------
def test_a_font_cannot_change_the_chinese_two_or_half(project: Path) -> None:
    """fontguard guards "each character Unicode gives a numeric value" and the Han numerals (二 三 兩 廿…); 两 (U+4E24),
    the simplified "two" that Chinese writes before every measure word ("每天两次" twice a day, "两片" two tablets:
    二 is not used there), has no numeric value in Python's Unicode data (the traditional 兩 has), nor has 半 (half).
    Neither is guarded nor compared (fontalike's set is ASCII). The tiny project with zh-Hans, intro
    "每天两次，每次半片。"
    ("twice a day, half a tablet each time"), in a WenQuanYi copy whose map sends 两 to its 三 and 半 to its 一:
    on main 62ccc50 `check`/`build --lang zh-Hans` ok, page 1 prints "每天三次，每次一片。" ("three times a day, one
    tablet each time"; 130 dpi looked at); pdftotext reads the true text. The unswapped copy prints "两 … 半"."""
    declare(project, "zh-Hans")
    for command in (("translate", "new", "zh-Hans"), ("translate", "done", "zh-Hans", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    handout = project / "content/zh-Hans/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', f'text: "{CHINESE_TWICE}"', 1), encoding="utf-8")
    (project / "templates/fonts/own").mkdir(parents=True)
    (project / "templates/fonts/own/plain.ttf").write_bytes(_wenquanyi_bytes())
    font = _wenquanyi_copy()
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
        before = dict(table.cmap)
        for char, drawn_as in (("两", "三"), ("半", "一")):
            if ord(char) in before and ord(drawn_as) in before:
                table.cmap[ord(char)] = before[ord(drawn_as)]
    font.save(project / "templates/fonts/own/swapped.ttf")
    (project / "templates/fonts/noto").mkdir()
    for style in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf", project / "templates/fonts/noto/")
    for name in ("swapped", "plain"):
        (project / "templates/fonts.yaml").write_text(
            "families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
            f"  own:\n    regular: fonts/own/{name}.ttf\n    bold: fonts/own/{name}.ttf\n    synthetic_bold: true\n"
            "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
            "  zh-Hans: {family: own, direction: ltr, breaking: cjk}\n", encoding="utf-8")
        built = run("build", "--project", project, "--lang", "zh-Hans", "-j", "1", "--out", project / f"out-{name}")
        no_traceback(built)
        if name == "swapped" and built.exit_code == 1 and "swapped.ttf" in built.stderr:
            return  # the face refused
        assert built.exit_code == 0, built.output + built.stderr
    changed = _differing_pixels(project / "out-swapped/zh-Hans/tiny.pdf", project / "out-plain/zh-Hans/tiny.pdf")
    assert changed <= 12, f"a face drawing 两 as 三 and 半 as 一 printed the handout differently ({changed} pixels)"



def _chinese_project(project: Path, text: str) -> None:
    """zh-Hans added to the tiny project (`translate new`, `done --all`), `text` its intro; English in Noto."""
    declare(project, "zh-Hans")
    for command in (("translate", "new", "zh-Hans"), ("translate", "done", "zh-Hans", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    handout = project / "content/zh-Hans/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', f'text: "{text}"', 1), encoding="utf-8")
    (project / "templates/fonts/noto").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf", project / "templates/fonts/noto/")


def _chinese_face(project: Path, name: str) -> None:
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
        f"  own:\n    regular: fonts/own/{name}.ttf\n    bold: fonts/own/{name}.ttf\n    synthetic_bold: true\n"
        "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
        "  zh-Hans: {family: own, direction: ltr, breaking: cjk}\n", encoding="utf-8")


@pytest.mark.parametrize(("text", "char", "drawn_as"), [
    (CHINESE_DOSE, "片", "\uff10"),  # the face's own full-width 0 (WenQuanYi's: the one fontguard prints ０ with)
    (CHINESE_PAREN, "（", "1"),  # a full-width bracket (no letter, no MEANINGFUL sign) as the face's own "1"
], ids=["full-width-0", "bracket-as-1"])
def test_a_chinese_character_cannot_be_drawn_as_a_full_width_digit(project: Path, text: str, char: str,
                                                                    drawn_as: str) -> None:
    """Bypass of aecea6b, which compares the letters a text uses with "the shipped and the file's own number glyphs":
    the number glyphs compared are fontalike's MEANINGFUL ones (ASCII digits, fractions, signs, Arabic-Indic), not
    the full-width digits and Han numerals fontguard borrows from WenQuanYi for a Chinese face. The tiny project with
    zh-Hans, intro "每天服用1片，不要多服。", in a WenQuanYi copy whose map sends "片" to its own "０" (U+FF10,
    byte for byte the glyph fontguard draws ０ with): on main aecea6b `check` ok, `build --lang zh-Hans` ok, and
    page 1 prints "每天服用1０，不要多服。" — "take 10 a day" (130 dpi looked at). Likewise punctuation,
    which neither set holds: "每次1片（10毫克）。" with "（" sent to the face's own "1" prints
    "每次1片110毫克）。" (130 dpi looked at): 110 mg."""
    _chinese_project(project, text)
    (project / "templates/fonts/own").mkdir(parents=True)
    font = _wenquanyi_copy()
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
        if ord(char) in table.cmap and ord(drawn_as) in table.cmap:
            table.cmap[ord(char)] = table.cmap[ord(drawn_as)]
    font.save(project / "templates/fonts/own/alike.ttf")
    _chinese_face(project, "alike")
    result = run("check", "--project", project)
    no_traceback(result)
    if char == "（" and result.exit_code == 0:  # since the twenty-sixth pass (B) brackets print in the shipped
        # glyphs: the page must be the one the unchanged face prints ("（", never "1")
        (project / "templates/fonts/own/plain.ttf").write_bytes(_wenquanyi_bytes())
        for name in ("alike", "plain"):
            _chinese_face(project, name)
            built = run("build", "--project", project, "--lang", "zh-Hans", "-j", "1", "--out", project / f"out-{name}")
            assert built.exit_code == 0, built.output + built.stderr
        changed = _differing_pixels(project / "out-alike/zh-Hans/tiny.pdf", project / "out-plain/zh-Hans/tiny.pdf")
        assert changed <= 12, f"a face drawing （ as 1 printed the handout differently ({changed} pixels)"
        return
    assert result.exit_code == 1 and ("alike.ttf" in result.stderr or "zh-Hans/tiny.yaml" in result.stderr), \
        f"{char} drawn as {drawn_as} passed check: {result.output}{result.stderr}"


# -- fonts: the last line of a paragraph at the foot of a page inks over the footer stamp ----------------------------
def _footer_of_page_3(pdf: Path):  # noqa: ANN202 - a PIL image
    """Page 3's footer (below the rule, 71 pt over the bottom edge of letter paper) at 100 dpi, grey."""
    import subprocess
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", "3", "-l", "3", "-y",
                        str(round(722 * 100 / 72)), "-H", str(round(70 * 100 / 72)), "-W", "850", str(pdf),
                        f"{folder}/p"], check=True)
        return Image.open(next(Path(folder).glob("p*.png"))).convert("L").copy()


def test_a_letter_at_the_foot_of_a_page_cannot_paint_over_the_footer(project: Path) -> None:
    """f664e8b lets a letter ink "nothing past its own flow's box and the space the style puts around it": below a
    paragraph, its space_after (up to 200 pt in style.yaml). When the paragraph ends at the foot of a page, that
    space is not laid out (the next flowable starts the next page): what lies below is the footer stamp (6 pt under
    the body). Letters reach 0.55 em below their baseline: 39.6 pt at the style's largest 72 pt. Tiny project,
    style.yaml body {size: 72, leading: 95.3, space_after: 80} (within bounds; the leading puts seven lines on a
    page, the last 4.3 pt over the body's foot), the intro "Take these pills" × 19 (ending at the foot of page 3),
    a clinic copy of Noto Sans whose "k" and "p" also draw a bar 0.30-0.58 em below their baseline: on main
    aecea6b `check`/`build` ok, and page 3's footer reads "A tiny handout · Version ▇▇▇▇▇6607ccbe1b · en · Page 3
    of 9" — the version and fingerprint under a black bar (200 dpi looked at; page 2, where the paragraph goes on,
    is clipped). The footer stamp must stay whole whatever the body's letters."""
    _barred_families(project, "kp", lambda step: (0, -300, step, -580))
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    old = "body: {size: 12, leading: 15.6, space_after: 4}"
    assert old in style
    (project / "templates/style.yaml").write_text(
        style.replace(old, "body: {size: 72, leading: 95.3, space_after: 80}", 1), encoding="utf-8")
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "' + " ".join(["Take these pills"] * 19) + '"', 1), encoding="utf-8")
    if not _built_in_both(project):
        return  # the face refused
    pages = [_footer_of_page_3(project / f"out-{family}/en/tiny.pdf") for family in ("painted", "plain")]
    from PIL import ImageChops

    changed = ImageChops.difference(*pages).point(lambda level: 255 if level > 8 else 0).histogram()[255]
    assert changed <= 12, f"the footer printed differently under the changed face's body text ({changed} pixels)"


# -- fonts: a table's first row inks above the table (ReportLab lays out no space before a cell's first flowable) -----
def test_a_table_header_letter_cannot_paint_over_the_number_above_the_table(project: Path) -> None:
    """Bypass of aecea6b, which gives a box's first line only its padding above (the callout case): a table cell is
    such a box too. ReportLab's Table does not lay out the space_before of a cell's first flowable (tables.py
    `_drawCell`: `y += cellval[0].getSpaceBefore()`), while numberclip lets its letters ink that far above the
    flow (up to 1.25 em over the baseline). Tiny project, style.yaml (within bounds) cell {size: 56, leading: 72.8,
    space_before: 40} and item space_after 0, the checklist item before the table "7 days: arrange a ride home.",
    a clinic copy of Noto Sans whose "T" also draws a short bar 1.15-1.22 em above its baseline: on main aecea6b
    `check`/`build` ok, and the header cell "Topic" paints a foot under the item's 7 ("Z", a 2 more than a 7; page 1
    at 300 dpi looked at). A letter must keep off every number, above a table too."""

    _barred_families(project, "T", lambda _: (200, 1150, 360, 1220))
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    for old, new in (("cell: {size: 11, leading: 14.3}", "cell: {size: 56, leading: 72.8, space_before: 40}"),
                     ("item: {size: 12, leading: 15.6, space_after: 2}",
                      "item: {size: 12, leading: 15.6, space_after: 0}")):
        assert old in style
        style = style.replace(old, new, 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "Arrange a ride home."', 'text: "7 days: arrange a ride home."', 1), encoding="utf-8")
    if not _built_in_both(project):
        return  # the face refused
    changed = line_differs(project / "out-painted/en/tiny.pdf", project / "out-plain/en/tiny.pdf", "days")
    assert changed <= 12, f"the line before the table printed differently in the changed face ({changed} pixels)"


# -- fonts: the DRAFT watermark is drawn with drawCentredString, unclipped ------------------------------------------
def test_a_watermark_letter_cannot_paint_a_digit_beside_the_crisis_number(project: Path) -> None:
    """The diagonal DRAFT (layout._watermark) is drawn in the handout language's bold face with
    canv.drawCentredString: a project face's letters are not clipped there, and a 110 pt letter may ink 0.6 em
    (66 pt) below and 1.25 em (137 pt) above its baseline, anywhere round the middle of the page. The tiny project
    (a draft, the shipped watermark colour #d6d6d6), a clinic copy of Noto Sans whose bold "D" also draws, 0.15 em
    to the right of and 0.15 em below its pen (rotated with the word), a 12 pt "1" upright on the page just after
    the crisis line's "988": on main aecea6b `check`/`build` ok, and page 1 prints "Test Crisis Line: call 9881" —
    a light grey 1 over the full stop, after the 8 (200 dpi looked at; a style may darken the watermark as far as
    the text's contrast on it allows). The watermark's letters must keep off the page's numbers as the text's do."""
    import math

    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
    from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont

    registerFont(ReportLabFont("Pass14NotoBold", str(REPO / "templates/fonts/noto-sans/NotoSans-Bold.ttf")))
    registerFont(ReportLabFont("Pass14Noto", str(REPO / "templates/fonts/noto-sans/NotoSans-Regular.ttf")))
    # The D's pen on the page: the word centred on the page's middle (letter paper), rotated 45°, 11 pt up.
    half = stringWidth("DRAFT", "Pass14NotoBold", 110) / 2
    turn = math.cos(math.pi / 4)
    pen_x, pen_y = 306 - turn * half - turn * 11, 396 - turn * half + turn * 11
    # Where the "1" goes: after "988" on the crisis line (x 52 and baseline 279 in the box, as the page lays out)
    target_x, target_y = 52 + stringWidth("Test Crisis Line: call 988", "Pass14Noto", 12) + 0.3, 279.0
    for family in ("painted", "plain"):
        (project / f"templates/fonts/{family}").mkdir(parents=True)
        for style in ("Regular", "Bold"):
            font = _renamed_noto(style, family.title())
            if family == "painted" and style == "Bold":
                cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
                pen = TTGlyphPen(glyphs)
                glyphs[cmap[ord("D")]].draw(pen)
                dx, dy = target_x - pen_x, target_y - pen_y  # on the page, from the D's pen, in points
                # page = pen + R(45°)·(glyph units × 110/1000); a digit upright on the page is turned by -45° here
                scale = 12 / 110
                matrix = (turn * scale, -turn * scale, turn * scale, turn * scale,
                          (turn * dx + turn * dy) * 1000 / 110, (-turn * dx + turn * dy) * 1000 / 110)
                glyphs[cmap[ord("1")]].draw(TransformPen(pen, matrix))
                font["glyf"][cmap[ord("D")]] = pen.glyph()
            font.save(project / f"templates/fonts/{family}/NotoSans-{style}.ttf")
    if not _built_in_both(project):
        return  # the face refused
    changed = line_differs(project / "out-painted/en/tiny.pdf", project / "out-plain/en/tiny.pdf", "Crisis")
    assert changed <= 12, f"the crisis line printed differently in the changed face ({changed} pixels)"


# -- fonts: letters only the generator writes (a date's 年月日) are compared with nothing ------------------------------
def test_a_letter_of_a_printed_date_cannot_be_drawn_as_a_digit(project: Path) -> None:
    """Bypass of aecea6b, which compares with the number glyphs the letters "the texts use" (collected as each text
    is checked): the dates the generator writes ("Current as of …", "Reviewed …", "next review …") are not among
    them. A Chinese date is "2026年1月1日"; a face drawing 日 (day) as the shipped "1" prints the day as a number.
    The tiny project with zh-Hans, intro "不要多服。" (no 日 in any text), in a WenQuanYi copy whose 日 is Noto Sans's
    "1" (the glyph the page's 1s are drawn with), scaled, at its advance: on main aecea6b `check` ok, `build` ok, and
    page 1 reads "Current as of 2026年1月11" — January 11 (130 dpi looked at); pdftotext reads 1日. The same for
    every language's month names (Russian декабря, Vietnamese tháng, Arabic ديسمبر) a handout's texts may not use."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    _chinese_project(project, "不要多服。")
    font = _wenquanyi_copy()
    noto = TTFont(REPO / "templates/fonts/noto-sans/NotoSans-Regular.ttf")
    scale = font["head"].unitsPerEm / noto["head"].unitsPerEm
    one, letter = noto.getBestCmap()[ord("1")], font.getBestCmap()[ord("日")]
    pen = TTGlyphPen(None)
    noto.getGlyphSet()[one].draw(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
    glyph = pen.glyph()
    font["glyf"][letter] = glyph
    glyph.recalcBounds(font["glyf"])
    font["hmtx"][letter] = (round(noto["hmtx"][one][0] * scale), glyph.xMin)
    (project / "templates/fonts/own").mkdir(parents=True)
    font.save(project / "templates/fonts/own/day.ttf")
    _chinese_face(project, "day")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and ("day.ttf" in result.stderr or "zh-Hans" in result.stderr), \
        f"日 drawn as the shipped 1 passed check: {result.output}{result.stderr}"
