"""The thirteenth hostile pass (issue 12): new inputs, none repeated from the twelve earlier passes or their corpus.
Written against main 1698d89; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cliserver import CliServer
from tests.conftest import copy_project, run
from tests.hardening.hostile import (
    declare,
    line_differs,
    no_traceback,
    refused_at_intro,
    set_intro,
    tiny_copy,
    use_noto_copy,
    wenquanyi_subset,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _own_style(project: Path, *changes: tuple[str, str]) -> None:
    """The project's own templates/style.yaml: the shipped one with each (old, new) replaced once."""
    text = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.yaml").write_text(text, encoding="utf-8")


# -- style.yaml within its documented bounds: the error must name style.yaml, never the content ------------------------
@pytest.mark.parametrize("change", [
    ("left: 16, right: 16", "left: 45, right: 45"),  # the documented maximum margin, 45 mm a side
    ("  footer_size: 12\n", "  footer_size: 24\n"),  # large print's footer stamp at the documented maximum, 24 pt
])
def test_a_style_within_its_bounds_never_blames_the_content(project: Path, change: tuple[str, str]) -> None:
    """The trust model: style.yaml may set a margin up to 45 mm and the footer stamp up to 24 pt, "so that
    whatever `check` accepts also lays out, and an error names `style.yaml`, never the content". The shipped
    style.yaml with only `left: 45, right: 45` (also 40 mm), or only large print's `footer_size: 24` (also 20):
    on main 1698d89 `check` exits 1 with `content/en/ui.yaml:13:20: strings.footer.version: the first footer line of
    tiny … is 370 pt wide at 12 pt in large print, more than the 340 pt of the narrowest page …; shorten it to about
    13 characters` — the shipped English "Version {version}" blamed, a translator told to cut it, while the cause is
    the clinic's style. Either the style must lay out, or the error must name style.yaml."""
    _own_style(project, change)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0 or ("style.yaml" in result.stderr and "ui.yaml" not in result.stderr), \
        f"a style within its documented bounds blamed the content: {result.stderr}"


# -- terminal safety: a line break inside a value of style.yaml, fonts.yaml or a template ----------------------------
FAKE_OK = r"\nok: 1 handout file(s) in 1 language(s), no errors\n"  # a YAML or Jinja escape: a real line break


@pytest.mark.parametrize("where", ["style colour", "large-print style name", "font family", "template include"])
def test_a_template_side_value_never_prints_a_line_of_its_own(project: Path, where: str) -> None:
    """Every message goes through cli.common.echo, which escapes control characters line by line, after splitting
    at line breaks: a line break inside a value quoted in a message is printed as a real one. Content and settings
    values are quoted through `printable` (handouts.yaml `logo: "a\\nok…"` prints `a\\x0aok…`), but the messages of
    style.yaml, fonts.yaml and a project's template quote the value raw. On main 1698d89, style.yaml `text:
    "#1a1a1a\\nok: 1 handout file(s) in 1 language(s), no errors\\n"`: `check` prints `error: …/style.yaml:
    colors.text: '#1a1a1a`, then a line of its own `ok: 1 handout file(s) in 1 language(s), no errors` — the exact
    line a passing check prints —, then `' is not a colour`; likewise a large_print text style named so, a fonts.yaml
    language using a family named so (`uses unknown family 'y` / `ok: …`) and a template's `{% include "a\\nok…" %}`
    (`template error: a` / `ok: …`). With many line breaks, a 2 MB style.yaml floods the terminal with as many lines
    of 2,000 characters (each line is cut, not their number). A value read from a project is one line in a
    message, whatever it holds."""
    (project / "templates").mkdir(exist_ok=True)
    if where == "style colour":
        _own_style(project, ('text: "#1a1a1a"', f'text: "#1a1a1a{FAKE_OK}"'))
    elif where == "large-print style name":
        _own_style(project, ("    body: {size: 16", f'    "bo{FAKE_OK}": {{size: 16'))
    elif where == "font family":
        (project / "templates/fonts.yaml").write_text(
            f'families: {{}}\nlanguages:\n  en: {{family: "y{FAKE_OK}", direction: ltr, breaking: words}}\n',
            encoding="utf-8")
    else:
        shipped = (REPO / "templates/handout.xml.j2").read_text(encoding="utf-8")
        (project / "templates/handout.xml.j2").write_text('{% include "a' + FAKE_OK + '" %}\n' + shipped,
                                                          encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    forged = [line for line in (result.output + result.stderr).splitlines() if line.startswith("ok:")]
    assert not forged, f"a {where} printed a line of its own: {result.stderr}"


# -- approve / review record validation: a record written by hand  ---------------------------------------------------
def _approved(project: Path) -> None:
    """The tiny handout, its UI strings and the facts approved through `handouts approve` (an approved handout)."""
    result = run("approve", "--project", project, "--reviewer", "Dr. Jane Doe", "--role", "MD, psychiatrist",
                 project / "content/en/tiny.yaml", project / "content/en/ui.yaml", project / "content/facts.yaml")
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize(("field", "written"), [
    ('role: "MD, psychiatrist"', r'role: "\u00a0"'),  # a no-break space
    ('role: "MD, psychiatrist"', 'role: "   "'),
    ('reviewer: "Dr. Jane Doe"', r'reviewer: "\u200b"'),  # a zero-width space
    ('reviewer: "Dr. Jane Doe"', 'reviewer: "' + "Dr " * 1600 + '"'),  # 4,800 characters; approve takes 80
])
def test_an_approval_record_cannot_name_an_invisible_reviewer_or_role(project: Path, field: str,
                                                                      written: str) -> None:
    """`approve` refuses a reviewer or role that is blank or invisible (`_IGNORABLE`, `isprintable`, strip), since both
    are printed on every page; the same fields written into the review block by hand (or edited after approve: the
    fingerprint binds the text, not the names) are only required to be non-empty. On main 1698d89, the tiny
    handout approved with `handouts approve`, then `role: "\\u00a0"` (or three spaces) and `reviewer: "\\u200b"`:
    `check` ok, `build` ok, an approved handout without the DRAFT watermark whose footer reads "Reviewed December 7,
    2026 · · next review December 7, 2027" and whose reviewer line under the fingerprint reads "( )" (both pages at
    80 dpi looked at; pdftotext "\\u200b()"). The trust model refuses a UI string, fact or setting "of nothing
    visible"; an approval that names no one visible is the same: refused wherever it is read. A reviewer written
    4,800 characters long (approve refuses over 80): `check` ok, then `build` fails with "cannot lay out the standard
    pdf edition of this handout (LayoutError: … tallest cell 718.7 points, too large …); report this with the file"
    — what check accepts must lay out."""
    _approved(project)
    path = project / "content/en/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    assert field in text
    path.write_text(text.replace(field, written, 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "tiny.yaml" in result.stderr, \
        f"an approval naming {written} passed check: {result.output}{result.stderr}"


# -- nothing lost silently: a unit of the handout made of invisible characters ----------------------------------------
@pytest.mark.parametrize("invisible", [r"\u200b", r"\u2060", r"\u00ad", r"\ufeff", r"\u034f", r"\u2063"])
def test_a_unit_of_nothing_visible_is_refused(project: Path, invisible: str) -> None:
    """Facts, settings, UI strings and the crisis line are refused when they hold "no visible letter, digit or
    symbol" (parse.fields.visible, fifth pass); the handout's own units (paragraphs, list items, cells) are not
    checked so. A unit whose whole text is a zero-width space, a word joiner, a soft hyphen, a BOM, a combining
    grapheme joiner or an invisible separator passes `check` and prints as nothing. On main 1698d89, in the shipped
    project's Spanish microdosing handout, the list item "Toma litio, que se ha relacionado con convulsiones cuando
    se toma con psicodélicos…" (under "Las microdosis pueden no ser seguras si usted:") written as `"\u2060"`:
    `check` ok, `status --lang es` 100 % translated, 0 stale (the record hashes the English), `build` ok, and page 2
    shows an empty bullet where the lithium warning was (70 dpi looked at). Here: the tiny handout's first paragraph
    written as each invisible character alone. Nothing is lost silently: such a unit is refused at its line."""
    set_intro(project, invisible)
    refused_at_intro(project, invisible)


# -- English printed in a translation: an untouched copy imported from a CAT tool --------------------------------------
def test_an_import_says_which_units_still_hold_the_source_text(tmp_path: Path) -> None:
    """`translate done` warns about every unit it marks whose text is still the source's own ("an untouched copy
    would print in English", docs/translators.md); `translate import` marks units done too, and says nothing. CAT
    tools fill a segment with its source text in one click (memoQ, Trados, OmegaT: "copy source to target"). On main
    1698d89, the shipped project's Spanish microdosing exported as PO, the msgstr of `safety.who-not.lithium` made
    its msgid ("Take lithium, which has been linked to seizures when taken with psychedelics…"): import says
    "imported: content/es/microdosing.yaml: safety.who-not.lithium / 1 unit(s) imported", exit 0; `check` ok; a later
    `translate done es --all` marks nothing and so warns about nothing; the Spanish handout prints that warning in
    English, and no command ever says so. The import must say which units still hold the source's text, as done
    does."""
    import re

    project = copy_project(tmp_path / "shipped")
    exported = tmp_path / "es.po"
    result = run("translate", "export", "es", "--project", project, "--handout", "microdosing", "-o", exported)
    assert result.exit_code == 0, result.output + result.stderr
    blocks = exported.read_text(encoding="utf-8").split("\n\n")
    for index, block in enumerate(blocks):
        if 'msgctxt "microdosing|safety.who-not.lithium"' in block:
            found = re.search(r'msgid (".*?")\nmsgstr (".*?")$', block, re.S)
            assert found is not None
            blocks[index] = block[:found.start(2)] + found.group(1)
    exported.write_text("\n\n".join(blocks), encoding="utf-8")
    result = run("translate", "import", exported, "--project", project)
    no_traceback(result)
    said = [line for line in (result.output + result.stderr).splitlines()
            if "who-not.lithium" in line and not line.startswith("imported:")]
    assert said, f"an untouched copy of the English was imported without a word: {result.output}{result.stderr}"


# -- fontguard (main 044788d): number characters no shipped face draws keep the project's own glyphs -------------------
def _page_one(pdf: Path):  # noqa: ANN202 - a PIL image
    """Page 1 at 100 dpi, grey, as pdftoppm draws it."""
    import subprocess
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), f"{folder}/p"],
                       check=True)
        return Image.open(next(Path(folder).glob("p*.png"))).convert("L")


def _paint_half_a_four_after(font, char: str) -> None:  # type: ignore[no-untyped-def] - a fontTools TTFont
    """`char`'s glyph also draws, in the quarter em past its step, the left half of a "4" (diagonal and bar) over the
    left of the digit after it."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyph, em = font.getBestCmap()[ord(char)], font["head"].unitsPerEm
    step = font["hmtx"][glyph][0]
    pen = TTGlyphPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    points = ((0.245, 0.714), (0.245, 0.60), (0.10, 0.27), (0.245, 0.27), (0.245, 0.19), (0.02, 0.19), (0.02, 0.26),
              (0.20, 0.714))
    pen.moveTo((round(step + points[0][0] * em), round(points[0][1] * em)))
    for x, y in points[1:]:
        pen.lineTo((round(step + x * em), round(y * em)))
    pen.closePath()
    font["glyf"][glyph] = pen.glyph()


CHINESE_TEXT = "每次服用**1**片（10\u338e），每天一次。"


def _wenquanyi_copy() -> bytes:
    """A project's own cut-down WenQuanYi Micro Hei holding the test's sentence and ㎍."""
    return wenquanyi_subset(CHINESE_TEXT + "\u338d")


@pytest.mark.parametrize(("mapped", "text"), [
    # (("二", "三"), ("三", "二"), ("８", "１"), ("１", "８")), "每天服用二片。危机时请拨打９８８。": fixed by fb0001e
    # (WenQuanYi's numerals borrowed; tests/render/test_fontguard.py), left out here for time (10 s)
    # ㎎ drawn as ㎍ ("10㎍"), and 用 painting the left half of a 4 over the bold 1 ("4片"): one face, one build
    ((("\u338e", "\u338d"), ("用", "paint")), CHINESE_TEXT),
])
def test_a_font_cannot_change_chinese_or_full_width_numbers(project: Path, mapped: tuple[tuple[str, str], ...],
                                                            text: str) -> None:
    """fontguard (main 044788d) draws "every number character (each that Unicode gives a numeric value)" of a
    project's own face with the shipped glyphs, borrowed from Noto Sans and DejaVu Sans; a character neither has
    "keeps the project's own glyph (checked as any letter is)". Neither has the Han numerals (一 二 三 … 十 百 千 〇,
    the financial 壹 贰 叁 …) nor the full-width digits ０-９ that Chinese text writes doses and phone numbers with —
    141 number characters the shipped Chinese face, WenQuanYi Micro Hei, draws. A Chinese handout (zh-Hans
    added to the tiny project with `translate new`), its intro "每天服用二片。危机时请拨打９８８。"
    ("take two tablets a day; in a crisis call 988"), set in a project copy of WenQuanYi Micro Hei whose map
    swaps 二 and 三, ８ and １: on main 044788d `check` ok, `build --lang zh-Hans` ok, page 1 prints
    "每天服用三片。危机时请拨打９１１。" (110 dpi looked at: three tablets, and 911) while pdftotext reads
    the true text. The same face without the swap must print the same page (or the face be refused).
    Bypass of f90202b (which guards "characters whose compatibility form holds a number sign: ㎍"): ㎎ (U+338E,
    compatibility form "mg") is neither guarded nor compared with the number glyphs, so it may be drawn as ㎍:
    "每次服用10㎎，每天一次。" prints "每次服用10㎍" on main d7f5ac5 (130 dpi looked
    at; here in one sentence with the next case), a thousandth of the dose (and ㎏ as ㎎ a millionth the other
    way). Bypass of numberclip (fb0001e, 75e17b5): a stretch of letters is clipped to a quarter em past its ends
    and off the number columns of ITS OWN run, and Chinese sets a number against the character before it, with no
    space: "每次服用**1**片" ("take **1** tablet each time"; the bold number is a run of
    its own) with "用" also drawing, in the quarter em past its step, the left half of a "4" (its diagonal and bar)
    prints "每次服用4片" on main 75e17b5 (200 dpi looked at): four tablets. Both in one face:
    "每次服用**1**片（10㎎），每天一次。" prints "每次服用4片（10μg）" (150 dpi
    looked at)."""
    import io

    from fontTools.ttLib import TTFont

    declare(project, "zh-Hans")
    for command in (("translate", "new", "zh-Hans"), ("translate", "done", "zh-Hans", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    handout = project / "content/zh-Hans/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', f'text: "{text}"', 1), encoding="utf-8")
    (project / "templates/fonts/own").mkdir(parents=True)
    (project / "templates/fonts/own/plain.ttf").write_bytes(_wenquanyi_copy())
    font = TTFont(io.BytesIO(_wenquanyi_copy()))
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
        before = dict(table.cmap)
        for char, drawn_as in mapped:
            if len(drawn_as) == 1 and ord(char) in before and ord(drawn_as) in before:
                table.cmap[ord(char)] = before[ord(drawn_as)]
    for char, drawn_as in mapped:
        if drawn_as == "paint":
            _paint_half_a_four_after(font, char)
    font.save(project / "templates/fonts/own/swapped.ttf")
    (project / "templates/fonts/noto").mkdir()
    for style in ("Regular", "Bold"):
        (project / f"templates/fonts/noto/NotoSans-{style}.ttf").write_bytes(
            (REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf").read_bytes())
    pages = []
    for name in ("swapped", "plain"):
        (project / "templates/fonts.yaml").write_text(
            "families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
            f"  own:\n    regular: fonts/own/{name}.ttf\n    bold: fonts/own/{name}.ttf\n    synthetic_bold: true\n"
            "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
            "  zh-Hans: {family: own, direction: ltr, breaking: cjk}\n", encoding="utf-8")
        built = run("build", "--project", project, "--lang", "zh-Hans", "--out", project / f"out-{name}")
        no_traceback(built)
        if name == "swapped" and built.exit_code == 1 and "swapped.ttf" in built.stderr:
            return  # the face refused: nothing printed
        assert built.exit_code == 0, built.output + built.stderr
        pages.append(_page_one(project / f"out-{name}/zh-Hans/tiny.pdf"))
    from PIL import ImageChops

    # A clip cuts ink on a pixel boundary: where painted ink met a number's column, a grey pixel or two stays
    differing = ImageChops.difference(*pages).point(lambda level: 255 if level > 8 else 0).histogram()[255]
    assert differing <= 10, f"the changed face printed page 1 differently from its unchanged copy ({differing} pixels)"


def _use_copy(project: Path, family: str, shipped: str) -> None:
    """Set English in the project's copy (templates/fonts/FAMILY/, regular and bold) of a shipped family."""
    if shipped == "noto-sans":
        use_noto_copy(project, family)
        return
    (project / "templates/fonts.yaml").write_text(
        f"families:\n  {family}:\n    regular: fonts/{family}/DejaVuSans.ttf\n"
        f"    bold: fonts/{family}/DejaVuSans-Bold.ttf\n"
        f"languages:\n  en: {{family: {family}, direction: ltr, breaking: words}}\n", encoding="utf-8")


SHIPPED_FILES = {"noto-sans": ("NotoSans-Regular", "NotoSans-Bold"), "dejavu-sans": ("DejaVuSans", "DejaVuSans-Bold")}


def _number_line_prints_as_in_an_unchanged_copy(project: Path, family: str, words: str,
                                                shipped: str = "noto-sans") -> None:
    """`check` refuses the project face `family` (regular, bold: a changed copy of the `shipped` family), or the line
    of page 1 holding `words` prints, at 100 dpi and but for a speck, as it does in a copy of that family nobody
    changed (re-saved by fontTools, so that it is a project face too, treated as the changed one is)."""
    from fontTools.ttLib import TTFont

    _use_copy(project, family, shipped)
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1 and (family in checked.stderr or "tiny.yaml:17:" in checked.stderr):
        return  # the face refused
    assert checked.exit_code == 0, checked.output + checked.stderr
    (project / "templates/fonts/unchanged").mkdir()
    for file in SHIPPED_FILES[shipped]:
        TTFont(REPO / f"templates/fonts/{shipped}/{file}.ttf").save(project / f"templates/fonts/unchanged/{file}.ttf")
    for name in (family, "unchanged"):
        _use_copy(project, name, shipped)
        built = run("build", "--project", project, "--out", project / f"out-{name}")
        assert built.exit_code == 0, built.output + built.stderr
    # A clipped letter may leave a sliver at its clip's edge (the ring's top above the 6 on 75e17b5: 9 pixels; the x's
    # 4 on fb0001e: 4); the ring over the 6 before 75e17b5: 27, the 4 over the 1 before fb0001e: hundreds.
    changed = line_differs(project / f"out-{family}/en/tiny.pdf", project / "out-unchanged/en/tiny.pdf", words)
    assert changed <= 12, f"the line with {words!r} printed differently in the changed face ({changed} pixels)"


def _painted_font(project: Path) -> None:
    """templates/fonts/painted/: a copy of Noto Sans (regular, bold) whose "x" also draws Noto's "4" one space on."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    (project / "templates/fonts/painted").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
        cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
        letter, four = cmap[ord("x")], cmap[ord("4")]
        pen = TTGlyphPen(glyphs)
        glyphs[letter].draw(pen)
        step = font["hmtx"][letter][0] + font["hmtx"][cmap[ord(" ")]][0]  # the next character after a space
        glyphs[four].draw(TransformPen(pen, (1, 0, 0, 1, step, 0)))
        font["glyf"][letter] = pen.glyph()
        font.save(project / f"templates/fonts/painted/NotoSans-{style}.ttf")


def test_a_letter_cannot_paint_a_digit_over_the_number_after_it(project: Path) -> None:
    """fontguard draws the digits, signs and spaces of a project's face with the shipped glyphs; its letters stay
    its own, and fontink refuses a letter's ink "mostly outside its own advance" only: less than 0.35 of its ink's
    width within its step AND over 0.2 em outside. A wide letter may so reach about 0.8 em past its step — over a
    space and the digit after it. A copy of Noto Sans (regular, bold) whose "x" also draws Noto's own "4" one
    space further on (the "x" ink 0.55 em inside its step, 1.35 em wide): on main 044788d `check` ok, `build` ok, and
    "Max 1 tablet a day." prints "Max 4 tablet a day." (page 1 at 90 dpi looked at: the 4 covers the 1, which only
    shows as a faint stroke inside it); the strays it leaves elsewhere ("exp4ect", "clinic.ex4ample.org") fall where
    an "x" is not followed by a space, and a font made for one handout puts them where no one looks. pdftotext
    reads "Max 1". A face's letters must keep their ink off the characters beside them (or a number must be drawn
    where nothing else can paint over it)."""

    _painted_font(project)
    set_intro(project, "Max 1 tablet a day.")
    _number_line_prints_as_in_an_unchanged_copy(project, "painted", "Max")


@pytest.mark.parametrize(("letter", "drawn_as", "text"), [
    ("x", "0", "Take 1x a day, never more."),  # printed "Take 10 a day, never more."
    ("m", "\u00b5", "Take 10 mg a day."),  # printed "Take 10 µg a day."
])
def test_a_letter_cannot_be_drawn_as_another_face_s_digit(project: Path, letter: str, drawn_as: str,
                                                           text: str) -> None:
    """Since fontguard, a project face's digits are Noto Sans's, and fontalike's "no two meaningful characters drawn
    as one picture" compares a letter with those borrowed digits, pixel for pixel. A letter given the digit outline of
    the face it comes from is then no longer alike to any digit on the page: English set in a copy of DejaVu Sans
    (regular, bold; a face the generator itself ships) whose map sends "x" to DejaVu's own "0": on main 044788d
    `check` ok, `build` ok, "Take 1x a day, never more." prints "Take 10 a day, never more." (page 1 at 110 dpi
    looked at; the one stray is the heading "What to e0pect", and a capital X, or any letter a handout uses only
    beside a number, leaves none); pdftotext reads "1x". (On main 1698d89 the digit comparison made the face's own
    "0" the reference too; the copy was refused as two alike.) A letter must not print as a digit, whatever face
    the digit's picture comes from. The same with "m" sent to DejaVu's "µ" (the old sign check compared µ with m g u l
    n c): "Take 10 mg a day." prints "Take 10 µg a day." (110 dpi looked at), a thousandth of the dose; refused on
    the twelfth pass's branch ("draws 'µ' exactly as 'm'")."""
    from fontTools.ttLib import TTFont

    (project / "templates/fonts/dv").mkdir(parents=True)
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        font = TTFont(REPO / f"templates/fonts/dejavu-sans/{name}.ttf")
        for table in {id(table.cmap): table for table in font["cmap"].tables}.values():
            if ord(letter) in table.cmap and ord(drawn_as) in table.cmap:
                table.cmap[ord(letter)] = table.cmap[ord(drawn_as)]
        font.save(project / f"templates/fonts/dv/{name}.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  dv:\n    regular: fonts/dv/DejaVuSans.ttf\n    bold: fonts/dv/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: dv, direction: ltr, breaking: words}\n", encoding="utf-8")
    set_intro(project, text)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and ("DejaVuSans" in result.stderr or "tiny.yaml:17:" in result.stderr), \
        f"{letter} drawn as {drawn_as} passed check: {result.output}{result.stderr}"


# -- settings: a project of no languages -------------------------------------------------------------------------------
def test_a_project_listing_no_languages_is_refused_at_its_settings(project: Path) -> None:
    """handouts.yaml with `languages: []` (a clinic emptying the list to rebuild it): on main 1698d89 `check` says
    "ok: 1 handout file(s) in 0 language(s), no errors", exit 0; `build` then exits 2 with "Error: nothing to build:
    the only selected language is the --bilingual one" (no --bilingual was given), `list` prints an empty table and
    `serve` starts a desk with nothing on it. What check accepts must build, and a wrong setting is named at its
    line: `handouts.yaml:N:M: languages: …`."""
    settings = project / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "languages:\n  - en\n" in text
    settings.write_text(text.replace("languages:\n  - en\n", "languages: []\n"), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handouts.yaml:" in result.stderr and "languages" in result.stderr, \
        f"a project of no languages passed check: {result.output}{result.stderr}"


# -- tracebacks: a source address Python's URL parser refuses ----------------------------------------------------------
@pytest.mark.parametrize("url", ["https://[::1/", "https://a]b/", "https://[x]/"])
def test_a_source_address_with_a_stray_bracket_is_refused_at_its_line(project: Path, url: str) -> None:
    """A cited source's `url:` is checked to be https (and its host is printed in the Sources line by
    localize.short_source, which calls urllib's urlsplit). urlsplit raises ValueError for a bracket that is not a
    whole IPv6 literal: on main 1698d89 (and 044788d) `url: "https://[::1/"` (a typo), `"https://a]b/"` or
    `"https://[x]/"` ends `check` and `build` in "Traceback … ValueError: Invalid IPv6 URL" (or "'x' does not appear
    to be an IPv4 or IPv6 address"). A bad address is refused at its line."""
    path = project / "content/en/tiny.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("url: https://example.org/", f'url: "{url}"', 1),
                    encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "tiny.yaml:11:" in result.stderr, result.output + result.stderr


def test_a_letter_cannot_paint_over_a_number_on_the_line_below(project: Path) -> None:
    """Bypass of numberclip (main fb0001e), which clips a project face's letters to a quarter em beyond their
    stretch and off the number columns of their own run: a letter's ink on the line below or above is not clipped,
    and fontink lets a character outside ASCII reach 0.9 em below its baseline (1.6 above), while lines of body text
    are 1.3 em apart: the top 0.31 em of the digits on the next line is in reach. A copy of Noto Sans (regular,
    bold) whose "É" also draws a flattened ring (Noto's own "0", scaled to 0.89 × 0.43) from 0.59 to 0.89 em below
    its baseline; the intro "Émile Dupont, our nurse, will stay with you for the whole session and give you your
    dose of 6 tablets with water.", whose second line begins with the "6" under the "É": on main fb0001e `check`
    ok, `build` ok, and the line reads "8 tablets with water." (page 1 at 150 dpi looked at: the ring closes the
    6's open top). pdftotext reads "6". A letter's ink must stay within its own line (or the face be refused)."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    (project / "templates/fonts/ring").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
        cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
        pen = TTGlyphPen(glyphs)
        glyphs[cmap[0xC9]].draw(pen)
        wide, flat = 0.886, 0.427  # the upper bowl of an "8", from 0.41 em above the next line's baseline
        glyphs[cmap[ord("0")]].draw(TransformPen(pen, (wide, 0, 0, flat, 75 - 49 * wide, -885 + 10 * flat)))
        font["glyf"][cmap[0xC9]] = pen.glyph()
        font.save(project / f"templates/fonts/ring/NotoSans-{style}.ttf")
    set_intro(project, "\u00c9mile Dupont, our nurse, will stay with you for the whole session and give you your "
                       "dose of 6 tablets with water.")
    _number_line_prints_as_in_an_unchanged_copy(project, "ring", "tablets")


# -- incremental staleness: a PDF made by an earlier generator is kept after an upgrade that draws it differently ------
def test_a_pdf_made_by_an_earlier_generator_is_rebuilt_when_the_generator_draws_it_differently(
        project: Path, tmp_path: Path) -> None:
    """The inputs fingerprint holds the generator's `__version__` ("0.1.0" on every commit), not its code. A fix to how
    a page is drawn therefore never reaches a PDF already built: the clinic updates the generator for the fix and
    `build` says "built 0, skipped 1". Real run: the tiny project in a Noto Sans copy whose "x" paints a "4" one space
    on ("Max 1 tablet a day."), built with main 044788d's generator (taken here from git history), where page 1
    prints "Max 4 tablet a day."; then `build` with main fb0001e's, which clips that ink (numberclip): "built 0,
    skipped 1", and the kept PDF still prints "Max 4" (page 1 at 110 dpi looked at; the same with the thirteenth
    pass's Chinese face: "每天服用三片 … ９１１" kept after the fix that borrows WenQuanYi's
    numerals), while `verify` says "outdated (… built by this generator with other templates, style, fonts or
    settings than the project has now; build it again)" — and building again skips it again. An incremental build
    must give what a full build gives."""
    import os
    import subprocess
    import sys

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "044788d", "generator", "templates"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        pytest.skip(f"the earlier generator (044788d) is not in this checkout's history: {archive.stderr[:200]!r}")
    subprocess.run(["tar", "-x", "-C", str(earlier)], input=archive.stdout, check=True)
    _painted_font(project)
    use_noto_copy(project, "painted")
    set_intro(project, "Max 1 tablet a day.")
    env = {**os.environ, "PYTHONPATH": str(earlier)}
    old = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-j", "1", "--project", str(project)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert old.returncode == 0, old.stdout + old.stderr
    now = run("build", "-q", "-j", "1", "--project", project)
    no_traceback(now)
    assert now.exit_code == 0, now.output + now.stderr
    fresh = run("build", "-q", "-j", "1", "--force", "--project", project, "--out", tmp_path / "fresh")
    assert fresh.exit_code == 0, fresh.output + fresh.stderr
    kept = (project / "output/en/tiny.pdf").read_bytes()
    assert kept == (tmp_path / "fresh/en/tiny.pdf").read_bytes(), \
        f"the earlier generator's PDF was kept: {now.output.strip()}"


def test_build_watch_never_prints_a_value_s_line_break_as_a_line(project: Path, tmp_path: Path) -> None:
    """Bypass of d7f5ac5 ("settings, style and template errors are printed on one line"): `build --watch` reports a
    failed rebuild through watch.rebuild's own `echo(f"error: {exc}")`, not through the commands' one-line report.
    On main d7f5ac5, style.yaml `text: "#1a1a1a\nok: 1 handout file(s) in 1 language(s), no errors\nbuilt 1,
    skipped 0, failed 0\n"`: `check` prints the value escaped (`\x0a`), but `build --watch` prints "error: …
    colors.text: '#1a1a1a", then "ok: 1 handout file(s) in 1 language(s), no errors" and "built 1, skipped 0, failed
    0" — the line a watch prints after every successful rebuild — each on a line of its own. A value read from a
    project is one line in every message, the watch's too."""
    import os
    import subprocess
    import sys
    import time

    _own_style(project, ('text: "#1a1a1a"', f'text: "#1a1a1a{FAKE_OK}built 1, skipped 0, failed 0\\n"'))
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        watching = subprocess.Popen([sys.executable, "-m", "generator", "build", "--watch", "-j", "1", "--project",
                                     str(project)], stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path,
                                    env={**os.environ, "PYTHONPATH": str(REPO)})
        try:
            deadline = time.monotonic() + 60
            while "is not a colour" not in log.read_text(encoding="utf-8", errors="replace"):
                assert watching.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                assert time.monotonic() < deadline, "the watch never reported the style"
                time.sleep(0.1)
        finally:
            watching.terminate()
            watching.wait(timeout=30)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in output, output
    forged = [line for line in output.splitlines() if line.startswith(("ok:", "built 1"))]
    assert not forged, f"the watch printed a value's line break as a line: {output}"


def test_faces_of_one_collection_within_the_total_bound_check_within_a_gigabyte(project: Path,
                                                                                  cli_server: CliServer) -> None:
    """(The finding this bypasses, eight faces of 63 MB in eight files taking 1.42 GB in `check` and failing under
    1 GiB as "font file is missing or unreadable ()", was this file's case until 8c5cb28 fixed it; dropped for time.)
    Bypass of 8c5cb28 ("all the files fonts.yaml names may take 160 MB together"): the bound counts files, and one
    collection holds many faces that share its tables. A 62 MB TrueType collection of eight faces (Noto Sans's four
    styles twice, the second four renamed), all sharing one 60 MB table no parser reads, named as `big.ttc#0` …
    `#7` for English and a Spanish copy (four faces each): on main 8c5cb28 `check` took 15.7 s and 2.04 GB of
    resident memory (/usr/bin/time -v) — each face is read, copied and kept whole (a 42 MB one: 11 s, 1.39 GB;
    here a 32 MB one, still over the limit); under the corpus's 1 GiB limit it says "error:
    templates/fonts/col/big.ttc: not enough memory to read this font; use smaller font files", exit 1, for a project
    within every stated bound. Fonts within the bounds check within a gigabyte (or the bound counts what is read)."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.ttCollection import TTCollection

    declare(project, "es")
    for command in (("translate", "new", "es"), ("translate", "done", "es", "--all")):
        made = run(*command, "--project", project)
        assert made.exit_code == 0, made.output + made.stderr
    padding = newTable("zzzz")
    padding.data = bytes(30_000_000)
    faces, lines = [], ""
    styles = (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic"), ("bold_italic", "BoldItalic"))
    for family in ("a", "b"):
        lines += f"  {family}:\n"
        for key, style in styles:
            font = TTFont(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
            for record in font["name"].names:  # two faces may not share one PostScript name
                if record.nameID in (1, 3, 4, 6, 16):
                    record.string = record.toUnicode().replace("NotoSans", f"NotoSans{family.upper()}").replace(
                        "Noto Sans", f"Noto Sans {family.upper()}")
            font["zzzz"] = padding
            lines += f"    {key}: fonts/col/big.ttc#{len(faces)}\n"
            faces.append(font)
    (project / "templates/fonts/col").mkdir(parents=True)
    collection = TTCollection()
    collection.fonts = faces
    collection.save(project / "templates/fonts/col/big.ttc", shareTables=True)
    (project / "templates/fonts.yaml").write_text(
        f"families:\n{lines}languages:\n  en: {{family: a, direction: ltr, breaking: words}}\n"
        "  es: {family: b, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = cli_server.run(["check", "--project", str(project)], project, 1024 ** 3, 120)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    refused_by_a_bound = result.returncode == 1 and " MB" in result.stderr and "memory" not in result.stderr
    assert result.returncode == 0 or refused_by_a_bound, \
        f"fonts within their bounds failed check under 1 GiB: {result.stdout}{result.stderr[-2000:]}"


def test_a_disclaimer_style_within_its_bounds_lays_out_or_is_blamed(project: Path, tmp_path: Path) -> None:
    """Bypass of d7f5ac5 (which blames style.yaml for a footer line the project's style cannot hold): the full
    disclaimer is set in the body beside the QR code, in a box that does not split across pages. The shipped
    style.yaml with only `disclaimer: {size: 72, leading: 144}` (the documented maximum text size, leading twice
    it): on main d7f5ac5 `check` says "ok: 1 handout file(s) in 1 language(s), no errors", and `build` fails with
    "error: content/en/tiny.yaml: cannot lay out the standard pdf edition of this handout (LayoutError: Flowable
    <Table …(tallest row 1181.7)> … too large on page 5 …); report this with the file" — the content blamed, and a
    bug report asked for, for what the style asks. What check accepts lays out; else check names style.yaml."""
    _own_style(project, ("disclaimer: {size: 10, leading: 13}", "disclaimer: {size: 72, leading: 144}"))
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1:
        assert "style.yaml" in checked.stderr and "tiny.yaml" not in checked.stderr, checked.stderr
        return
    built = run("build", "-q", "-j", "1", "--project", project, "--out", tmp_path / "out")
    no_traceback(built)
    assert built.exit_code == 0, f"check passed, build failed: {built.output}{built.stderr}"


@pytest.mark.parametrize("field", ["--reviewer", "--role"])
def test_approve_refuses_a_braille_blank_name_in_a_face_that_draws_it_blank(tmp_path: Path, field: str) -> None:
    """Bypass of 5ef4424 and of approve's own rule: a reviewer or role must be visible, and the invisible characters
    refused are approve's `_IGNORABLE` (U+034F, the Hangul fillers, Mongolian and variation selectors…), which
    leaves out U+2800 BRAILLE PATTERN BLANK (in fields.BLANK_BY_DESIGN, but not in that list). Noto Sans has no
    U+2800, so English refuses it as a missing character; DejaVu Sans, the shipped face of Arabic, draws it — blank,
    and the generator's own faces skip the per-character ink check. On main d7f5ac5, `approve
    content/ar/microdosing.yaml --reviewer "Dr. Jane Doe" --role $'\u2800'` (or the reviewer so): "approved", exit 0;
    with the Arabic UI strings and the facts approved, `check` ok, and every page of the Arabic handout is stamped
    "رُوجعت في 7 ديسمبر 2026 · · المراجعة القادمة 7 ديسمبر 2027" — reviewed, by no one visible (page 4 at 80 dpi
    looked at)."""
    project = copy_project(tmp_path / "shipped")
    names = {"--reviewer": "Dr. Jane Doe", "--role": "MD, psychiatrist", field: "\u2800"}
    result = run("approve", "--project", project, "--reviewer", names["--reviewer"], "--role", names["--role"],
                 project / "content/ar/microdosing.yaml")
    no_traceback(result)
    assert result.exit_code != 0, f"approve recorded a braille blank {field}: {result.output}{result.stderr}"


OPEN_LETTERS = ("open (issue 12), a judgement call: a project face's letters are its own design, and no picture match "
                "knows every face's digits; catching a letter drawn as any digit needs a shape comparison of letters, "
                "which real faces' letters defeat (docs/guarantees.md, 'Numbers are drawn with the shipped glyphs')")


@pytest.mark.xfail(strict=True, reason=OPEN_LETTERS)
def test_a_letter_cannot_be_drawn_as_a_third_face_s_digit(project: Path) -> None:
    """Bypass of fb0001e ("letters compared with the file's own number glyphs too"): the comparison is picture for
    picture, with Noto Sans's digits and the face's own; a "0" from any third face is alike to neither, and still
    reads as a zero. A copy of DejaVu Sans (regular, bold) whose "x" is WenQuanYi Micro Hei's "0" (the generator's
    own Chinese face; scaled to DejaVu's em, with its advance): on main 75e17b5 `check` ok, `build` ok, and "Take 1x a
    day, never more." prints "Take 10 a day, never more." (page 1 at 110 dpi looked at; the heading "What to e0pect"
    is the one stray). A letter must not print as a digit, whatever face the digit's picture is taken from."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    chinese = TTFont(REPO / "templates/fonts/wqy-microhei/wqy-microhei.ttc", fontNumber=0)
    zero = chinese.getBestCmap()[ord("0")]
    (project / "templates/fonts/third").mkdir(parents=True)
    for name in SHIPPED_FILES["dejavu-sans"]:
        font = TTFont(REPO / f"templates/fonts/dejavu-sans/{name}.ttf")
        letter = font.getBestCmap()[ord("x")]
        scale = font["head"].unitsPerEm / chinese["head"].unitsPerEm
        pen = TTGlyphPen(font.getGlyphSet())
        # The bold "x" a zero 1.3 times as wide: the same zero in both faces is refused since the thirty-seventh
        # pass (a bold face's letters must each draw heavier than the regular's), which is not this bypass.
        wide = 1.3 if name.endswith("Bold") else 1.0
        chinese.getGlyphSet()[zero].draw(TransformPen(pen, (scale * wide, 0, 0, scale, 0, 0)))
        font["glyf"][letter] = pen.glyph()
        font["hmtx"][letter] = (round(chinese["hmtx"][zero][0] * scale * wide),
                                getattr(font["glyf"][letter], "xMin", 0))
        font.save(project / f"templates/fonts/third/{name}.ttf")
    set_intro(project, "Take 1x a day, never more.")
    _number_line_prints_as_in_an_unchanged_copy(project, "third", "Take", shipped="dejavu-sans")


def test_a_title_letter_cannot_paint_over_a_number_in_the_smaller_line_below(project: Path) -> None:
    """Bypass of 75e17b5, which clips a letter to 1.25 em above and 0.55 em below its baseline, in ems of ITS OWN size,
    on the ground that "a line's digits are at least 0.58 em below the line above (leading at least 1.3 em)". That
    holds between lines of one size. The title (22 pt, bold) stands over the summary (13 pt): from the title's
    baseline the summary's digits start 10.3 pt down, and a title letter may ink 12.1 pt down. A copy of Noto Sans
    whose bold "A" also draws a bar 0.48-0.545 em below its baseline, over the left of the line below; the summary
    "1 tablet a day, never more.": on main 4bc4dc0 `check` ok, `build` ok, and the summary's "1" gets a bar across
    its top, in the title's blue ("ᒣ"-like, nearer a 7 than a 1; page 1 at 100 and 200 dpi looked at). A letter's ink
    must stay off every number, whatever size the line beside it is set in."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    (project / "templates/fonts/barred").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(REPO / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
        letter, em = font.getBestCmap()[ord("A")], font["head"].unitsPerEm
        pen = TTGlyphPen(font.getGlyphSet())
        font.getGlyphSet()[letter].draw(pen)
        if style == "Bold":  # the title's face
            for x, y in ((0.14, -0.48), (0.42, -0.48), (0.42, -0.545), (0.14, -0.545)):
                (pen.lineTo if x != 0.14 or y != -0.48 else pen.moveTo)((round(x * em), round(y * em)))
            pen.closePath()
        font["glyf"][letter] = pen.glyph()
        font.save(project / f"templates/fonts/barred/NotoSans-{style}.ttf")
    path = project / "content/en/tiny.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('summary: "What this tiny handout is for."',
                                                             'summary: "1 tablet a day, never more."', 1),
                    encoding="utf-8")
    _number_line_prints_as_in_an_unchanged_copy(project, "barred", "tablet")
