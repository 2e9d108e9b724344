"""The twelfth hostile pass (issue 12): new inputs, none repeated from the eleven earlier passes or their corpus.
Written against main 86e98c3; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import (
    no_traceback,
    prints_as_shipped,
    refused_at_intro,
    set_intro,
    tiny_copy,
    use_noto_copy,
)

FONTS = Path(__file__).resolve().parents[2] / "templates/fonts"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _in_dejavu(project: Path) -> None:
    """English set in a copy of DejaVu Sans, the face the generator ships for Arabic (Latin and Arabic in one)."""
    (project / "templates/fonts/dv").mkdir(parents=True)
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        shutil.copy(FONTS / f"dejavu-sans/{name}.ttf", project / f"templates/fonts/dv/{name}.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  dv:\n    regular: fonts/dv/DejaVuSans.ttf\n    bold: fonts/dv/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: dv, direction: ltr, breaking: words}\n", encoding="utf-8")


# -- deceptive links: digits NFKC leaves as they are, in a face that draws them ----------------------------------------
@pytest.mark.parametrize("words", [
    "In a crisis, [call \u277e\u277d\u277d](tel:+15550000666) now.",  # ❾❽❽ dingbat negative circled digits
    "In a crisis, [call \u2792\u2791\u2791](tel:+15550000666) now.",  # ➒➑➑ dingbat negative circled sans-serif
])
def test_a_link_cannot_show_a_number_in_dingbat_digits(project: Path, words: str) -> None:
    """Link words are read "as seen" (linkwords.as_seen: NFKC, so circled ⑨, superscript and full-width digits
    become 9) and a number is a run of `\\d` or spelled digits. The dingbat digits ❶-❾ (U+2776-277E) and ➊-➒
    (U+278A-2792) are digits to Unicode (category No, `unicodedata.digit` 1-9) but have no NFKC decomposition and
    are not `\\d`. The eleventh pass tried ❾❽❽ with Noto Sans, which lacks them (refused as missing characters);
    DejaVu Sans, the face the generator ships for Arabic, draws all of them. English set in a copy of DejaVu Sans
    (regular, bold), `In a crisis, [call ❾❽❽](tel:+15550000666) now.`: on main 86e98c3 `check` and `build`
    passed, the page prints "In a crisis, call ❾❽❽ now." (white 9 8 8 in black discs; page 1 at 80 dpi looked at)
    with the link over "call ❾❽❽" dialling +1 555 000 0666 (annotation read; pdftotext "call ❾❽❽"); ➒➑➑ and
    `❾[❽❽](tel:…)` the same. A digit is a digit whatever its form: read as the number it shows, or refused."""
    _in_dejavu(project)
    set_intro(project, words)
    refused_at_intro(project, words)


# -- deceptive links: the addresses printed and put in the QR code from handouts.yaml ------------------------------
@pytest.mark.parametrize("line", [
    'web_url: "https://clinic.example.org@evil.example/{lang}/{handout}"',
    'verify_url: "https://clinic.example.org@evil.example/v/{handout}"',
    'web_url: "https://clinic.example.org%2Eevil.example/{lang}/{handout}"',  # a browser decodes the host: .evil
])
def test_an_address_the_settings_print_goes_where_it_reads(project: Path, line: str) -> None:
    """The eleventh pass's fix (main d659ae2) refuses a `clinic.website` holding a user name or an escape
    (`https://clinic.example.org@evil.example/` reads as the clinic's site and goes to evil.example). The two other
    addresses handouts.yaml puts on every handout are not checked so: `web_url` is printed under "Read it online:"
    and `verify_url` is the address the QR code holds (a phone opens it). On main 86e98c3, `web_url:
    "https://clinic.example.org@evil.example/{lang}/{handout}"`: `check` ok, `build` ok, page 2 prints "Read it
    online: https://clinic.example.org@evil.example/en/tiny" (page 2 at 70 dpi looked at); `verify_url` the same:
    zbarimg reads the QR code as https://clinic.example.org@evil.example/v/tiny, and the PDF's keywords carry it;
    `%2E` in the host (a browser decodes it to a dot: clinic.example.org.evil.example) passes too. Every address
    the settings print or encode must go where it reads, as the website's does."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handouts.yaml:" in result.stderr, \
        f"{line} passed check: {result.output}{result.stderr}"


# -- content altered via fonts: a swap of two characters only checked for being alike --------------------------------
@pytest.mark.parametrize(("pairs", "text"), [
    ((("\u00bd", "\u00bc"), ("\u00bc", "\u00bd")), "Take \u00bd tablet."),  # printed "Take ¼ tablet."
    (((",", "."), (".", ",")), "Take no more than 1,000 mg a day, 2.5 mg at a time."),  # "1.000 mg", "2,5 mg"
])
def test_a_font_cannot_swap_two_fractions_or_the_decimal_point_and_comma(project: Path,
                                                                        pairs: tuple[tuple[str, str], ...],
                                                                        text: str) -> None:
    """The eleventh pass's fix makes each of `< > / = % + × ÷ ± ° µ` look like itself (compared with reference
    shapes), because a swap of "<" and ">" leaves no two characters alike; the fractions and the decimal point and
    comma are only on the "no two alike" list (tenth pass). A copy of Noto Sans (regular, bold) whose cmap swaps
    "½" and "¼": on main 86e98c3 `check` and `build` passed and "Take ½ tablet." prints "Take ¼ tablet." (page 1 at
    120 dpi looked at) while pdftotext reads ½; swapping "," and "." prints "Take no more than 1.000 mg a day, 2,5
    mg at a time" — one milligram to an English reader, and a thousand to a Spanish one the other way round.
    Every character that carries a dose (fractions, decimal point and comma) must be drawn as itself, as the signs
    must.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.ttLib import TTFont

    set_intro(project, text)
    (project / "templates/fonts/swapped").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
            before = dict(table.cmap)
            for char, donor in pairs:
                table.cmap[ord(char)] = before[ord(donor)]
        font.save(project / f"templates/fonts/swapped/NotoSans-{style}.ttf")
    use_noto_copy(project, "swapped")
    prints_as_shipped(project)


# -- HTML companion: an attribute written twice (a browser keeps the first, the check reads the last) -----------------
@pytest.mark.parametrize(("old", "new"), [
    ("<p>{{ block.text | html_inline }}</p>",
     "<p>{{ block.text | html_inline | replace('<a href=\"tel:988\">'|safe, "
     "'<a href=\"tel:+15550100100\" href=\"tel:988\">'|safe) }}</p>"),
    ('<html lang="{{ doc.lang }}" dir="{{ doc.direction }}">',
     '<html lang="{{ doc.lang }}" dir="rtl" dir="{{ doc.direction }}">'),
])
def test_an_html_template_cannot_write_an_attribute_twice(project: Path, old: str, new: str) -> None:
    """htmlcheck reads a start tag's attributes with `dict(attrs)`: of an attribute written twice, the LAST value
    counts; HTML parsers (every browser, by the HTML standard) keep the FIRST and drop the rest. A project's own
    handout.html.j2, the shipped one with the paragraph line changed to `{{ block.text | html_inline |
    replace('<a href="tel:988">'|safe, '<a href="tel:+15550100100" href="tel:988">'|safe) }}`:
    on main 86e98c3 `check` passed and `build --format html` wrote `<p>In a crisis, call <a href="tel:+15550100100"
    href="tel:988"><bdi dir="ltr" class="keep">988</bdi></a>.</p>`; Chromium (`--dump-dom`) reads it as
    `<a href="tel:+15550100100">988</a>`: the crisis number dials the clinic's front desk (the link check compared
    "988" with tel:988, the last href, and tel:+15550100100 is a link the handout has). `<html lang="en" dir="rtl"
    dir="ltr">` likewise passes the eleventh pass's direction check (main 1680839) and Chromium lays the English page
    out right to left: "+1 555 010 0100 Questions? Call Tiny Test Clinic at", "January 1, 2026 Current as of", the
    table's columns swapped (screenshot at 800 px looked at). An attribute written twice must be refused (or read
    as a browser reads it)."""
    (project / "templates").mkdir(exist_ok=True)
    shipped = (Path(__file__).resolve().parents[2] / "templates/handout.html.j2").read_text(encoding="utf-8")
    assert old in shipped
    (project / "templates/handout.html.j2").write_text(shipped.replace(old, new, 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.output + result.stderr, \
        f"an attribute written twice passed check: {result.output}{result.stderr}"


# -- content altered via fonts: one digit drawn as two -----------------------------------------------------------------
@pytest.mark.parametrize(("digit", "text"), [("0", "Take 10 mg.")])  # "1" drawn as "11" the same
def test_a_font_cannot_draw_one_digit_as_two(project: Path, digit: str, text: str) -> None:
    """Every check of a face looks at one character's ink against its own advance and at its shape scaled to a
    common height: none asks whether one glyph draws one character. A copy of Noto Sans (regular, bold) whose cmap
    sends "0" to a new composite glyph of two "0"s side by side, with twice the advance (so no ink leaves its
    step, and the face's median letter spacing is unchanged): on main 86e98c3 `check` and `build` passed and the
    page prints "Take 100 mg." for "Take 10 mg." — ten times the dose —, the phone line "+1 555 00100 0010000",
    "Current as of January 1, 20026", "Version 1.00.00" (page 1 at 120 dpi looked at) while pdftotext reads the
    true text; "1" drawn as "11" the same ("Take 11 tablet."). A digit (any character that carries a number) must
    be drawn as one character: its ink no wider than the shipped faces' own digits allow, or compared unscaled.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    set_intro(project, text)
    (project / "templates/fonts/twice").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        name = font.getBestCmap()[ord(digit)]
        advance, bearing = font["hmtx"][name]
        twice = Glyph()
        twice.numberOfContours, twice.components = -1, []
        for step in (0, 1):
            part = GlyphComponent()
            part.glyphName, part.x, part.y, part.flags = name, step * advance, 0, 0x4 if step == 0 else 0
            twice.components.append(part)
        order = [*font.getGlyphOrder(), f"{name}.twice"]
        font.setGlyphOrder(order)
        font["glyf"].glyphs[f"{name}.twice"] = twice
        font["glyf"].glyphOrder = order
        font["hmtx"][f"{name}.twice"] = (2 * advance, bearing)
        font["maxp"].numGlyphs = len(order)
        twice.recalcBounds(font["glyf"])
        for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
            if ord(digit) in table.cmap:
                table.cmap[ord(digit)] = f"{name}.twice"
        font.save(project / f"templates/fonts/twice/NotoSans-{style}.ttf")
    use_noto_copy(project, "twice")
    prints_as_shipped(project)


# -- deceptive links: Chinese financial numerals with their own tens and hundreds ------------------------------------
@pytest.mark.parametrize("words", [
    "危机时请[拨打玖佰捌拾捌](tel:+15550000666)。",  # 988 in financial numerals: 玖 9, 佰 hundred, 捌 8, 拾 ten
])
def test_a_chinese_link_cannot_say_a_number_with_financial_tens_and_hundreds(project: Path, words: str) -> None:
    """The ninth pass made the financial numerals 壹…玖 digits (`[拨打玖捌捌](tel:…)` was a finding), the eleventh pass
    read 十, 百 and 千 as tens, hundreds and thousands (content/numberwords.py `han`). The financial forms of those
    (拾 10, 佰 100, 仟 1000: how the same amounts are written on cheques and receipts) are not read: the zh-Hans
    intro `危机时请[拨打玖佰捌拾捌](tel:+15550000666)。` ("in a crisis please call 988"; the English intro links the
    same number, so the translation link check agrees) passed `check` on main 86e98c3, the zh-Hans PDF prints
    "危机时请拨打玖佰捌拾捌。" (page 1 at 90 dpi looked at) with the link dialling +1 555 000 0666 (annotation read);
    `九佰八拾八` the same, while `玖百捌十捌` is refused. Place values must be read in both their forms."""
    set_intro(project, "In a crisis, [call the line](tel:+15550000666) now.")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - zh-Hans\n"),
                        encoding="utf-8")
    assert run("translate", "new", "zh-Hans", "--project", project).exit_code == 0
    chinese = project / "content/zh-Hans/tiny.yaml"
    english = 'text: "In a crisis, [call the line](tel:+15550000666) now."'
    assert english in chinese.read_text(encoding="utf-8")
    chinese.write_text(chinese.read_text(encoding="utf-8").replace(english, f'text: "{words}"'), encoding="utf-8")
    line = chinese.read_text(encoding="utf-8")[:chinese.read_text(encoding="utf-8").index(words)].count("\n") + 1
    result = run("translate", "done", "zh-Hans", "--all", "--project", project)  # may refuse the text already
    no_traceback(result)
    if result.exit_code == 0:
        result = run("check", "--project", project)
        no_traceback(result)
    assert result.exit_code == 1 and f"content/zh-Hans/tiny.yaml:{line}:" in result.stderr, \
        f"{words!r} passed check: {result.output}{result.stderr}"


# -- content altered via fonts: an Arabic-Indic digit drawn as a slanted copy of another -------------------------------
def test_a_font_cannot_draw_an_arabic_indic_8_as_a_slanted_1(project: Path) -> None:
    """The eleventh pass's fix (main 238cb37) compares Arabic-Indic digits with DejaVu Sans's and refuses one only
    when it is under 0.3 of the distance to its own ("nearly a copy of another digit": Arabic faces' designs differ
    from DejaVu's more than Latin faces' do). The Arabic intro "في حالة الطوارئ اتصل بالرقم ٩٨٨ الآن." ("in an
    emergency call ٩٨٨ now") with ar set to a copy of DejaVu Sans (regular, bold) whose cmap sends ٨ (U+0668) to a
    new glyph: the outline of ١ (U+0661) turned 10 degrees and made 1.3 times as wide, the way many Arabic faces
    draw their ١. On main 86e98c3 `check` and `build --lang ar` passed, and the page prints "اتصل بالرقم ٩١١"
    (page 1 at 200 dpi looked at: two slanted ones) while pdftotext reads ٩٨٨; the exact copy is refused. A digit
    must be drawn as itself, not only "not nearly a copy of another".
    Now the face's numbers are the shipped glyphs (fontguard): the page prints as in DejaVu Sans."""
    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    arabic = project / "content/ar/tiny.yaml"
    text = arabic.read_text(encoding="utf-8")
    at = text.index('text: "نص عربي قصير."', text.index("paragraph: intro"))
    arabic.write_text(text[:at] + 'text: "في حالة الطوارئ اتصل بالرقم ٩٨٨ الآن."'
                      + text[at + len('text: "نص عربي قصير."'):], encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0
    (project / "templates/fonts/dv").mkdir(parents=True)
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        _drawn_as_other(FONTS / f"dejavu-sans/{name}.ttf", project / f"templates/fonts/dv/{name}.ttf",
                        0x0668, 0x0661, turn=10, wide=1.3)
    (project / "templates/fonts.yaml").write_text(  # one family for both: its faces are checked once
        "families:\n  dv:\n    regular: fonts/dv/DejaVuSans.ttf\n    bold: fonts/dv/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: dv, direction: ltr, breaking: words}\n"
        "  ar: {family: dv, direction: rtl, breaking: words}\n", encoding="utf-8")
    prints_as_shipped(project, "ar", "dejavu-sans")


def _drawn_as_other(source: Path, dest: Path, code: int, donor: int, turn: float, wide: float) -> None:
    """Save a copy of the font whose cmap sends `code` to a new glyph: `donor`'s outline turned `turn` degrees
    about its middle and made `wide` times as wide, with the advance `code` had."""
    import math

    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    middle_x, middle_y = font["hmtx"][cmap[donor]][0] / 2, 350
    cos, sin = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    pen = TTGlyphPen(glyphs)
    glyphs[cmap[donor]].draw(TransformPen(pen, (wide * cos, sin, -wide * sin, cos,
                                                middle_x - wide * cos * middle_x + wide * sin * middle_y,
                                                middle_y - sin * middle_x - cos * middle_y)))
    other, name = pen.glyph(), f"{cmap[donor]}.other"
    order = [*font.getGlyphOrder(), name]
    font.setGlyphOrder(order)
    font["glyf"].glyphs[name] = other
    font["glyf"].glyphOrder = order
    font["hmtx"][name] = (font["hmtx"][cmap[code]][0], 0)
    font["maxp"].numGlyphs = len(order)
    other.recalcBounds(font["glyf"])
    for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
        if code in table.cmap:
            table.cmap[code] = name
    font.save(dest)


def test_a_font_cannot_draw_8_as_a_wider_1(project: Path) -> None:
    """The ninth pass's fix compares each ASCII digit a face draws with the shipped faces' digits, scaled to a common
    height, and refuses it when it is clearly nearer (under 0.6 of the distance) another digit than its own; the
    tenth pass closed the speck beside a "1". Nothing asks how a digit's width compares: a copy of Noto Sans
    (regular, bold) whose cmap sends "8" to a new glyph, the "1" outline made 1.6 times as wide (no turn, no
    speck), with the advance of "8": on main 86e98c3 `check` and `build` passed, and "In an emergency call 988
    now." prints "call 911", the help box "In a crisis, call 911." and "Test Crisis Line: call 911." (page 1 at
    150 dpi looked at: the ones a little heavier than the 9 beside them, plainly ones) while pdftotext reads 988;
    the unwidened copy (and 1.2 times with an 8 degree turn) is refused. A digit must look like itself, whatever
    its width.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    set_intro(project, "In an emergency call 988 now.")
    (project / "templates/fonts/wide").mkdir(parents=True)
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        _drawn_as_other(FONTS / f"noto-sans/{name}.ttf", project / f"templates/fonts/wide/{name}.ttf",
                        ord("8"), ord("1"), turn=0, wide=1.6)
    use_noto_copy(project, "wide")
    prints_as_shipped(project)


# -- content altered via fonts: the decimal point shrunk to a speck ----------------------------------------------------
def test_a_font_cannot_shrink_the_decimal_point_to_a_speck(project: Path) -> None:
    """fontink counts a character as drawn when its ink covers at least 24 pixels at 64 per em for a letter or digit,
    and 6 for anything else (punctuation: "DejaVu ExtraLight's dots 8+"); Noto Sans's full stop covers 57. A copy of
    Noto Sans (regular, bold) whose full stop is its own outline scaled to 0.3 about its middle (about 9 pixels;
    the middle dot, which Noto builds from it, too): on main 86e98c3 `check` and `build` passed, and "Take 2.5 mg,
    never 25 mg." prints "Take 2 5 mg, never 25 mg" — at 100 dpi no dot at all, at 150 dpi a faint speck (page 1
    looked at; at 10 pt the dot is about 0.1 mm across) — while pdftotext reads 2.5. A decimal point (a character
    that carries a dose) must be drawn at a size a reader sees, not only above a floor set by the thinnest face.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    set_intro(project, "Take 2.5 mg, never 25 mg.")
    (project / "templates/fonts/speck").mkdir(parents=True)
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        font = TTFont(FONTS / f"noto-sans/{name}.ttf")
        glyphs, period = font.getGlyphSet(), font.getBestCmap()[ord(".")]
        bounds = BoundsPen(glyphs)
        glyphs[period].draw(bounds)
        left, bottom, right, top = bounds.bounds
        middle_x, middle_y, scale = (left + right) / 2, (bottom + top) / 2, 0.3
        pen = TTGlyphPen(glyphs)
        glyphs[period].draw(TransformPen(pen, (scale, 0, 0, scale, middle_x * (1 - scale), middle_y * (1 - scale))))
        font["glyf"].glyphs[period] = pen.glyph()
        font["glyf"].glyphs[period].recalcBounds(font["glyf"])
        font.save(project / f"templates/fonts/speck/{name}.ttf")
    use_noto_copy(project, "speck")
    prints_as_shipped(project)


# -- HTML companion: what a browser moves out of a table (foster parenting) ----------------------------------------
@pytest.mark.parametrize("opened", ["</th>", '<span><td width="0"></td>'])  # the second: an unclosed <span>
def test_an_html_template_cannot_pair_a_row_with_another_row_s_answer_through_foster_parenting(project: Path,
                                                                                            opened: str) -> None:
    """The table rows alcohol → "Never combine", water → "Safe to combine"; a project's own handout.html.j2, the
    shipped one with the table body changed to `<tr><th scope="row">{{ block.rows[0][0] | html_inline }}</th><p>{{
    block.rows[0][1] | html_inline }}</p><p>{{ block.rows[1][0] | html_inline }}</p><td>{{ block.rows[1][1] |
    html_inline }}</td></tr>`. In source order every unit is whole and in its place (topic, answer, topic, answer),
    so on main 86e98c3 `check` passed and `build --format html` wrote it. A browser does not keep a `<p>` inside
    `<tr>`: the HTML standard's table parsing moves ("foster-parents") it in front of the table. Chromium
    (`--dump-dom`, and a screenshot at 800 px looked at) shows "Never combine" and "With water" as two paragraphs
    above the table, and the table's one row reads "With alcohol | Safe to combine". The check must read the page
    as a browser builds it (or refuse anything but rows inside a table, and cells inside a row).

    Fixed by main 85ee214 (render/htmltables.py models the table's open elements). The model closes a cell only on
    a start tag whose open element on top is a table part; a browser closes it on any cell start tag. With the th
    left open by an unclosed `<span>` and an empty `<td width="0"></td>` after it, the model reads the two `<p>` as
    inside the span inside the th; on main f508cb0 `check` passed, and Chromium (screenshot at 800 px looked at)
    again shows "Never combine" and "With water" above the table and the row "With alcohol | (a narrow empty
    cell) | Safe to combine"."""
    handout = project / "content/en/tiny.yaml"
    row = '          - id: onset\n            cells: {topic: "How fast", answer: "Within hours"}\n'
    rows = ('          - id: alcohol\n            cells: {topic: "With alcohol", answer: "Never combine"}\n'
            '          - id: water\n            cells: {topic: "With water", answer: "Safe to combine"}\n')
    assert row in handout.read_text(encoding="utf-8")
    handout.write_text(handout.read_text(encoding="utf-8").replace(row, rows), encoding="utf-8")
    shipped = (Path(__file__).resolve().parents[2] / "templates/handout.html.j2").read_text(encoding="utf-8")
    body = ('{%- for row in block.rows %}\n<tr>{% for cell in row %}{% if loop.first %}<th scope="row">{{ cell | '
            'html_inline }}{{ also(cell) }}</th>{% else %}<td>{{ cell | html_inline }}{{ also(cell) }}</td>{% endif '
            '%}{% endfor %}</tr>\n{%- endfor %}')
    fostered = ('<tr><th scope="row">{{ block.rows[0][0] | html_inline }}' + opened + '<p>{{ block.rows[0][1] | '
                'html_inline }}</p><p>{{ block.rows[1][0] | html_inline }}</p><td>{{ block.rows[1][1] | html_inline '
                '}}</td></tr>')
    assert body in shipped
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/handout.html.j2").write_text(shipped.replace(body, fostered), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.output + result.stderr, \
        f"a table whose cells a browser moves passed check: {result.output}{result.stderr}"


@pytest.mark.parametrize("step", [0.85, 1.0])  # 0.85: the second zero overlaps the first (one picture), once open
def test_a_font_cannot_draw_one_digit_as_two_narrow_ones(project: Path, step: float) -> None:
    """The fix of the digit-drawn-as-two finding above (main 6301c28) refuses a digit whose picture is wider than
    any digit (0.95 em). Two condensed zeros fit in one zero's width: a copy of Noto Sans (regular, bold) whose
    cmap sends "0" to a new glyph of the "0" outline twice, each at half its width, side by side, in the advance of
    one "0". On main 29c4205 `check` and `build` passed, and "Take 10 mg." prints "Take 100 mg." (two narrow zeros
    after the 1: page 1 at 150 dpi looked at), the phone line "+1 555 00100 0010000", "January 1, 20026", while
    pdftotext reads the true text; the same at 0.6 wide and 0.8 high. Fixed by main 1d2c9a2 (pieces side by side
    refused); with the second zero moved onto the first by 0.15 of its step (the rings touch: one piece, spans
    overlapping), on main f508cb0 `check` passed again and the page still reads "Take 100 mg." (page 1 at 150 dpi
    looked at). One glyph must draw one digit, however narrow or joined the two are.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    set_intro(project, "Take 10 mg.")
    (project / "templates/fonts/narrow").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        glyphs, zero = font.getGlyphSet(), font.getBestCmap()[ord("0")]
        advance, bearing = font["hmtx"][zero]
        pen = TTGlyphPen(glyphs)
        for place in (0, 1):
            glyphs[zero].draw(TransformPen(pen, (0.5, 0, 0, 1, place * advance * 0.5 * step, 0)))
        twice = pen.glyph()
        order = [*font.getGlyphOrder(), f"{zero}.narrow"]
        font.setGlyphOrder(order)
        font["glyf"].glyphs[f"{zero}.narrow"] = twice
        font["glyf"].glyphOrder = order
        font["hmtx"][f"{zero}.narrow"] = (advance, bearing)
        font["maxp"].numGlyphs = len(order)
        twice.recalcBounds(font["glyf"])
        for table in {id(table.cmap): table for table in font["cmap"].tables}.values():  # maps may be shared
            if ord("0") in table.cmap:
                table.cmap[ord("0")] = f"{zero}.narrow"
        font.save(project / f"templates/fonts/narrow/NotoSans-{style}.ttf")
    use_noto_copy(project, "narrow")
    prints_as_shipped(project)


def test_a_font_cannot_hide_the_decimal_point_in_the_digit_before_it(project: Path) -> None:
    """The fix of the speck finding above (main 276a36a) asks a decimal point or comma to leave ink a reader sees
    (0.35 of the shipped faces' least), and fontink refuses a character whose ink lies mostly outside its advance
    when over 0.2 em of it is outside. A full stop is narrower than that: a copy of Noto Sans (regular, bold) whose
    full stop is its own full-size dot moved 0.3 em to the left (its left side bearing moved with it, so FreeType
    and every viewer draw it there) lands in the foot of the digit before it. On main 276a36a `check` and `build`
    passed, and "Take 2.5 mg, never 25 mg." prints "Take 2 5 mg, never 25 mg" (page 1 at 150 dpi looked at: the
    dot merged into the 2's base stroke; the sentence's last full stop gone into the "g") while pdftotext reads
    2.5. A mark must be drawn where a reader sees it as itself: its ink within its own step, however small.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    set_intro(project, "Take 2.5 mg, never 25 mg.")
    (project / "templates/fonts/moved").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        glyphs, period = font.getGlyphSet(), font.getBestCmap()[ord(".")]
        pen = TTGlyphPen(glyphs)
        glyphs[period].draw(TransformPen(pen, (1, 0, 0, 1, -0.3 * font["head"].unitsPerEm, 0)))
        moved = pen.glyph()
        font["glyf"].glyphs[period] = moved
        moved.recalcBounds(font["glyf"])
        font["hmtx"][period] = (font["hmtx"][period][0], moved.xMin)
        font.save(project / f"templates/fonts/moved/NotoSans-{style}.ttf")
    use_noto_copy(project, "moved")
    prints_as_shipped(project)


@pytest.mark.parametrize(("code", "donor", "wide", "text"), [
    ("\u00bd", "\u00bc", 0.8, "Take \u00bd tablet."),  # ½ drawn as a ¼ at 0.8 of its width: "Take ¼", once open
    (",", ".", 1.4, "Take no more than 1,000 mg a day."),  # the comma drawn as a dot 1.4 wide: "1.000 mg"
])
def test_a_font_cannot_draw_a_fraction_or_the_comma_as_a_reshaped_other(project: Path, code: str, donor: str,
                                                                         wide: float, text: str) -> None:
    """The fix of the fraction and decimal-mark swap above (main 276a36a) compares each fraction and each of
    `. , : ;` with the others of its kind and refuses it when it is under 0.3 of the distance to its own (nearly a
    copy). A copy of Noto Sans (regular, bold) whose cmap sends "½" to a new glyph, the "¼" outline at 0.8 of its
    width: on main 276a36a `check` and `build` passed and "Take ½ tablet, not 2,5 tablets." prints "Take ¼
    tablet" (page 1 at 150 dpi looked at: a slightly narrow ¼); the comma drawn as the full stop's dot 1.4 times as
    wide prints "Tome 2.5 mg. no 25 mg." for "Tome 2,5 mg, no 25 mg." (looked at), and "1,000 mg" as "1.000 mg" —
    one milligram to an English reader. The exact copies are refused. Each must be drawn as itself, not only "not
    nearly a copy of another".
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    set_intro(project, text)
    (project / "templates/fonts/reshaped").mkdir(parents=True)
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        _drawn_as_other(FONTS / f"noto-sans/{name}.ttf", project / f"templates/fonts/reshaped/{name}.ttf",
                        ord(code), ord(donor), turn=0, wide=wide)
    use_noto_copy(project, "reshaped")
    prints_as_shipped(project)


def test_a_font_cannot_hide_the_decimal_point_under_a_digit_that_overhangs_its_step(project: Path) -> None:
    """The fix of the moved-dot finding above (main 7c09910) asks a decimal mark's ink to stand within its own
    advance; fontink refuses a character whose ink reaches over 0.2 em outside its step. The digit before the dot
    may still reach into the dot's step: a copy of Noto Sans (regular, bold) with every digit's advance 0.18 em
    shorter (its outline unchanged) and the full stop's dot at the start of its own step (left side bearing 0, the
    ink within its advance). On main 7c09910 `check` and `build` passed, and "Take 2.5 mg, never 25 mg." prints
    "Take 25mg, never 25mg." — the dot under the foot of the 2 (page 1 at 150 dpi looked at; the phone line's
    digits touch, "+1 555 010 0100" still legible) — while pdftotext reads 2.5. A mark must not be covered by its
    neighbour's ink, whichever glyph moved.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    set_intro(project, "Take 2.5 mg, never 25 mg.")
    (project / "templates/fonts/overhang").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(FONTS / f"noto-sans/NotoSans-{style}.ttf")
        glyphs, cmap, em = font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm
        for digit in "0123456789":
            advance, bearing = font["hmtx"][cmap[ord(digit)]]
            font["hmtx"][cmap[ord(digit)]] = (int(advance - 0.18 * em), bearing)
        period = cmap[ord(".")]
        pen = TTGlyphPen(glyphs)
        glyphs[period].draw(TransformPen(pen, (1, 0, 0, 1, -font["glyf"][period].xMin, 0)))
        dot = pen.glyph()
        font["glyf"].glyphs[period] = dot
        dot.recalcBounds(font["glyf"])
        font["hmtx"][period] = (dot.xMax + 10, dot.xMin)
        font.save(project / f"templates/fonts/overhang/NotoSans-{style}.ttf")
    use_noto_copy(project, "overhang")
    prints_as_shipped(project)


