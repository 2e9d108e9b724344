"""The tenth hostile pass (issue 12): new inputs, none repeated from the nine earlier passes or their corpus.
Written against main 005e323; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import (
    HANDOUT,
    declare,
    no_traceback,
    prints_as_shipped,
    refused_at_intro,
    set_intro,
    tiny_copy,
    use_noto_copy,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")



# -- deceptive links: the ninth pass's spelled-out digits and its edge check do not meet --------------------------
@pytest.mark.parametrize("words", [
    "call nine [eight eight](tel:+15550000666) now",  # spelled digits across the edge of a link's words
    "call [nine](tel:+15550000666) eight eight now",
    "llame al nueve [ocho ocho](tel:+15550000666)",
    "[call nine 8 8](tel:+15550000666) now",  # spelled and written digits in one number
    "[call 9 eight 8](tel:+15550000666) now",
])
def test_a_link_cannot_show_a_spelled_number_split_or_mixed_with_digits(project: Path, words: str) -> None:
    """The ninth pass read runs of spelled-out digits as the number they say ("nine-one-one" is 911) and refused
    a number running across the edge of a link's words (`9[88](tel:X)`). The two do not meet: the edge check
    reads digits only, and a "run" needs two spelled words side by side. `In a crisis, call nine [eight
    eight](tel:+15550000666) now.` prints "call nine eight eight" — the patient reads 988 — with the link over
    "eight eight" dialling +1 555 000 0666; `[call nine 8 8](tel:…)` and `[call 9 eight 8](tel:…)` print a
    number the patient reads as 988 in one link that dials another. On main 005e323 `check` passed each."""
    set_intro(project, f"In a crisis, {words}.")
    refused_at_intro(project, words)



@pytest.mark.parametrize("words", [
    "[call 9\u00b78\u00b78](tel:+15550000666)",  # middle dots between the digits: "9·8·8"
    "[call 9 \u00b7 8 \u00b7 8](tel:+15550000666)",
    "[call 9\u20278\u20278](tel:+15550000666)",  # hyphenation points
    "[call 9/8/8](tel:+15550000666)",
])
def test_a_link_cannot_show_a_number_whose_digits_are_parted_by_dots_or_slashes(project: Path, words: str) -> None:
    """`_SHOWN_PHONE` joins digits across spaces, brackets, full stops, hyphens and the ideographic space only:
    `In a crisis, [call 9·8·8](tel:+15550000666) now.` prints "call 9·8·8" — a styled 988 — and dials another
    number; also "9 · 8 · 8", "9‧8‧8" (U+2027) and "9/8/8". On main 005e323 `check` passed each (a group of three
    digits or more between dots is refused; single digits are not joined)."""
    set_intro(project, f"In a crisis, {words} now.")
    refused_at_intro(project, words)

# -- deceptive links: a number right after a full stop or an ellipsis is not read at all ----------------------------
@pytest.mark.parametrize("words", [
    "[call…988](tel:+15550000666)",  # an ellipsis (NFKC: three full stops) right before the number
    "[Call.988](tel:+15550000666)",
    "the [988Lifeline](tel:+15550000666)",  # the US crisis line's own name (988lifeline.org): digits touching a word
    "the [988Lifeline](https://evil.example/)",
])
def test_a_link_showing_a_number_after_a_full_stop_or_before_a_word_dials_it(project: Path, words: str) -> None:
    """The fifth pass's rule: a number in a tel: link's words must be the number it dials. `_SHOWN_PHONE` skips
    a number directly after a "." (so that "1.5" is not read as a 5), and `_as_seen` folds an ellipsis "…" to
    "..." and "。" to ".": `In a crisis, [call…988](tel:+15550000666) now.` prints "call…988" — the whole
    link's words are the crisis number — and dials +1 555 000 0666. On main 005e323 `check` passed it (and
    `[Call.988](tel:…)`), while `[call 988](tel:…)` is refused. A number touching a word is not read either:
    `[988Lifeline](tel:+15550000666)` — the crisis line's own name, as its web address writes it — passed as well,
    on a tel: link and on an https: one (the eighth pass: any number of three digits or more in a link's words
    must be the number it dials)."""
    set_intro(project, f"In a crisis, {words} now.")
    refused_at_intro(project, words)


def _spanish(project: Path) -> Path:
    """Add Spanish to the project and start its translation (every unit a copy of the English); its file."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    return project / "content/es/tiny.yaml"


# -- a stale translation never flagged: a source's title the English author corrects ---------------------------------
def test_a_corrected_source_title_is_carried_into_the_translation_or_marked_stale(project: Path) -> None:
    """The English author corrects the title of a cited source ("An example source" → "An example source, 2nd
    ed.": a new edition, a corrected or retracted paper). `translate sync es` carries the source's `url` and
    `checked` date into the Spanish file (listing what it replaced, ninth pass), but a source's `title` counts as
    the translator's text (reshape.TEXT_KEYS) without being a translation unit: on main 005e323 sync left
    "An example source" as it was, said nothing, `status --lang es` showed 100 % translated, 0 stale, `check`
    passed, and the Spanish PDF cites "An example source (example.org)" under Sources while the English cites
    the corrected title (pdftotext). An English change must reach the translation or be flagged in it."""
    spanish = _spanish(project)
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('title: "An example source"',
                                                                 'title: "An example source, 2nd ed."'),
                      encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    if "2nd ed." in spanish.read_text(encoding="utf-8"):
        return  # carried over
    status = run("status", "--project", project, "--lang", "es")
    row = next(line.split() for line in status.output.splitlines() if line.startswith("tiny "))
    assert row[5] != "0" or run("check", "--project", project).exit_code == 1, \
        f"the corrected title reached neither the translation nor its status: {status.output}"


# -- content altered via fonts: the ninth pass checks the digits 0-9 only ---------------------------------------------
@pytest.mark.parametrize(("char", "donor", "text"), [
    ("t", "w", "Do not drive for a day."),  # printed "Do now drive for a day."
    ("\u00bd", "\u00bc", "Take \u00bd tablet."),  # ½ printed as ¼: a dose
    (".", ",", "Take 2.5 mg."),  # printed "2,5": read as 25 where a comma groups thousands
])
def test_a_font_cannot_draw_a_letter_fraction_or_decimal_point_as_another(project: Path, char: str, donor: str,
                                                                          text: str) -> None:
    """The ninth pass refused a font that draws "8" with the glyph of "1" (fontdigits.py: each ASCII digit must
    look like itself). Every other character may still be drawn as another: a copy of Noto Sans (regular and bold)
    whose cmap sends "t" to the glyph of "w" prints "Do not drive for a day." as "Do now drive for a day."; "½"
    to the glyph of "¼" prints "Take ¼ tablet."; "." to the glyph of "," prints "Take 2,5 mg.". On main 005e323
    `check` said ok for each while pdftotext, pypdf and every check read the true text. Two different letters,
    fractions or number signs drawn by one glyph — the cheap part of the ninth pass's digit check — is no font to
    print a dose or an instruction with; the trust model promises only the digits."""
    from fontTools.ttLib import TTFont

    set_intro(project, text)
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/swapped").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        for table in font["cmap"].tables:
            if ord(char) in table.cmap and ord(donor) in table.cmap:
                table.cmap[ord(char)] = table.cmap[ord(donor)]
        font.save(project / f"templates/fonts/swapped/NotoSans-{style}.ttf")
    use_noto_copy(project, "swapped")
    if not char.isalpha():
        prints_as_shipped(project)  # the fraction and the decimal point: the shipped glyphs (fontguard)
        return
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "NotoSans" in checked.output + checked.stderr, \
        f"a font drawing {char!r} as {donor!r} passed check: {checked.output}{checked.stderr}"


# -- init: the ninth pass's dangling-link fix, spelled another way ---------------------------------------------------
def test_init_through_a_dangling_link_spelled_with_dot_dot_creates_nothing(tmp_path: Path) -> None:
    """The ninth pass made `init clinic` refuse a dangling link `clinic` (to `elsewhere/deep/new`) before creating
    anything. `handouts init clinic/x/..` names the same place: on main 005e323 it said "error: clinic/x/..: cannot
    create the project (No such file or directory); nothing was written", exit 1 — and had created `elsewhere/`
    and `elsewhere/deep/` where the link points (the name is resolved through the link, its parents made). "Nothing
    was written" must be true, whatever the spelling of the name."""
    outside = tmp_path / "elsewhere"
    link = tmp_path / "clinic"
    link.symlink_to(outside / "deep" / "new")
    result = run("init", f"{link}/x/..")
    no_traceback(result)
    assert not outside.exists(), f"init created {sorted(str(p) for p in outside.rglob('*'))} and {outside}"


# -- content altered via fonts: the checks read one cmap subtable, ReportLab draws from another ------------------------
def test_a_font_cannot_draw_8_as_1_from_a_cmap_subtable_only_reportlab_reads(project: Path) -> None:
    """The ninth pass refused a font whose cmap sends "8" to the glyph of "1" (fontdigits.py). Every font check
    (coverage, ink, spacing, digits) reads the cmap fontTools prefers (`getBestCmap`: (3,10), (0,6), (0,4),
    (3,1), (0,3) …); ReportLab draws from the LAST subtable with platform 3 (any encoding), (1,1) or (0, not 5).
    A copy of Noto Sans (regular and bold) with its own (0,3) and (3,1) subtables left intact and one more, a
    format 4 subtable marked (3,5) holding the same mapping except "8" → the glyph of "1": on main 005e323 `check`
    said ok (every check saw the true "8") and the PDF's help box prints "In a crisis, call 911." and "Test Crisis
    Line: call 911." (page 1 at 60 dpi, looked at) while pdftotext reads 988. The same subtable can drop or
    swap any character the coverage and ink checks vouched for. The checks must read the mapping ReportLab
    draws from (or refuse a font whose usable subtables disagree).
    Now the face's numbers and spaces are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/odd").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        unicode_bmp = next(t for t in font["cmap"].tables if (t.platformID, t.platEncID) == (3, 1))
        extra = CmapSubtable.newSubtable(4)
        extra.platformID, extra.platEncID, extra.language = 3, 5, 0
        extra.cmap = {**unicode_bmp.cmap, ord("8"): unicode_bmp.cmap[ord("1")]}
        font["cmap"].tables.append(extra)
        font.save(project / f"templates/fonts/odd/NotoSans-{style}.ttf")
    use_noto_copy(project, "odd")
    prints_as_shipped(project)


# -- the stamp made unreadable via fonts: glyphs taller than the line ----------------------------------------------
def test_a_font_whose_letters_are_taller_than_their_line_cannot_overprint_the_stamp(project: Path) -> None:
    """The ninth pass measures each glyph's ink against its advance — horizontally. Vertically a glyph need only
    leave ink within 2 em above and 1 em below its baseline. A copy of Noto Sans (regular and bold) with every
    outline stretched 2.6 times upwards and downwards (capitals 1.86 em tall, descenders 0.62 em deep; advances and
    line metrics untouched): on main 005e323 `check` said ok and `build` wrote a PDF whose every line is drawn over
    the line above it — the footer's "Draft - not reviewed" overprinted by the version line above it and the
    disclaimer below it, headings through their paragraphs, "In a crisis, call 988." through the next line (page 1
    at 60 and 150 dpi, looked at). Letters must fit their line as they must fit their advance."""
    from fontTools.ttLib import TTFont

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/tall").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        glyf = font["glyf"]
        for name in font.getGlyphOrder():
            glyph = glyf[name]
            if glyph.numberOfContours > 0:
                points = glyph.coordinates
                for i in range(len(points)):
                    x, y = points[i]
                    points[i] = (x, int(y * 2.6))
                glyph.recalcBounds(glyf)
        font.save(project / f"templates/fonts/tall/NotoSans-{style}.ttf")
    use_noto_copy(project, "tall")
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "NotoSans" in checked.output + checked.stderr, \
        f"letters 2.6 times their height passed check: {checked.output}{checked.stderr}"


# -- deceptive links in a translation: the review PDF hides where a link goes -----------------------------------------
def test_a_translation_s_link_to_another_number_is_seen_by_its_reviewer(project: Path) -> None:
    """The English intro says "Book a visit: [call the clinic](tel:+15550100100)."; the Spanish translation
    "Pida cita: [llame a la clínica](tel:+15550000666)." — the same words, another number. On main 005e323 `check`
    passed (nothing compares a translation's link targets with the source's), and the bilingual reviewer's
    side-by-side PDF (`translate review es`, docs/translators.md) prints "Book a visit: call the clinic." beside
    "Pida cita: llame a la clínica." — no number on either side (pdftotext; the targets are only in clickable
    annotations, invisible on paper). The Spanish handout, approved from that page, dials another number. A
    translation's link that goes elsewhere than the source's must be shown to the reviewer (or flagged by check)."""
    from pypdf import PdfReader

    set_intro(project, "Book a visit: [call the clinic](tel:+15550100100).")
    spanish = _spanish(project)
    text = spanish.read_text(encoding="utf-8")
    old = 'text: "Book a visit: [call the clinic](tel:+15550100100)."'
    assert old in text
    spanish.write_text(text.replace(old, 'text: "Pida cita: [llame a la clínica](tel:+15550000666)."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1 or "5550000666" in checked.output + checked.stderr:
        return  # flagged by check
    reviewed = run("translate", "review", "es", "tiny", "--project", project)
    no_traceback(reviewed)
    assert reviewed.exit_code == 0, reviewed.output + reviewed.stderr
    shown = "".join(page.extract_text() for page in PdfReader(project / "output/review/es/tiny.review.pdf").pages)
    assert "5550000666" in shown.replace(" ", "").replace("-", ""), \
        "the Spanish link dials +1 555 000 0666 (the English one the clinic); neither check nor the review PDF says so"


# -- content altered by layout: a phone number inside Arabic text -----------------------------------------------------
def test_a_phone_number_a_translator_writes_in_arabic_text_prints_in_its_own_order(project: Path) -> None:
    """The ninth pass kept a template's `.plain` values (the clinic's phone) isolated left to right inside an
    Arabic page. A phone number the translator writes in the text itself is not: the Arabic intro "للمواعيد: اتصل
    على +1 555 010 0100 الآن." ("For appointments: call +1 555 010 0100 now.") — check ok, build ok — prints
    the number's groups in reverse, "0100 010 555 1+" read left to right (pdftotext in reading order; page 1 at
    200 dpi looked at, beside the contact block's isolated "+1 555 010 0100" on the same page). The Unicode bidi
    algorithm makes the spaces between digit groups right-to-left; the translator cannot isolate the number
    (check refuses every direction control in content). A number in a translator's text must print as written,
    or be refused with a way to write it."""
    import subprocess

    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    arabic = project / "content/ar/tiny.yaml"
    text = arabic.read_text(encoding="utf-8")
    start = text.index("paragraph: intro")
    at = text.index('text: "نص عربي قصير."', start)
    arabic.write_text(text[:at] + 'text: "للمواعيد: اتصل على +1 555 010 0100 الآن."'
                      + text[at + len('text: "نص عربي قصير."'):], encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1:
        return  # refused, with a way to write it
    built = run("build", "--project", project, "--lang", "ar", "-j", "1")
    assert built.exit_code == 0, built.output + built.stderr
    shown = subprocess.run(["pdftotext", project / "output/ar/tiny.pdf", "-"], capture_output=True, text=True,
                           check=True).stdout
    line = next(line for line in shown.splitlines() if "0100" in line and "555" in line and "010" in line
                and "للمواعيد" in line)
    assert "0100 010 555" not in line, f"the Arabic page prints the phone number's groups reversed: {line!r}"


# -- content altered via fonts: a space that draws ink --------------------------------------------------------------
def test_a_font_whose_space_draws_a_digit_is_refused(project: Path) -> None:
    """The font checks ask that every character a text uses leave ink — except spaces and controls, which may be
    blank (fontink._NO_INK_NEEDED, _BLANK_BY_DESIGN); none asks that a space leave NO ink. A copy of Noto Sans
    (regular and bold) whose space glyph is a copy of the "1" outline (its advance kept): on main 005e323 `check`
    said ok and the intro "Take 1 tablet, not 11." prints "Take111tablet,1not111." — every word space a "1"
    (page 1 at 100 dpi, looked at: also "What1to1expect", "Current1as1of1January11,12026"); pdftotext reads the
    true text. A space (or any character drawn by design as nothing) must draw nothing.
    Now the face's numbers and spaces are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    import copy

    from fontTools.ttLib import TTFont

    set_intro(project, "Take 1 tablet, not 11.")
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/inked").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        cmap = font.getBestCmap()
        font["glyf"][cmap[0x20]] = copy.deepcopy(font["glyf"][cmap[ord("1")]])
        font.save(project / f"templates/fonts/inked/NotoSans-{style}.ttf")
    use_noto_copy(project, "inked")
    prints_as_shipped(project)


# -- content hidden in what an editor shows as a comment --------------------------------------------------------------
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"])  # a lone CR in an LF file too
def test_a_line_break_only_yaml_sees_cannot_hide_a_text_inside_a_comment(project: Path, separator: str) -> None:
    """YAML breaks lines at U+2028, U+2029 and NEL; editors, `grep -n` and `git diff` do not. The ninth pass made
    check refuse the first two inside content TEXT and convert error positions to an editor's lines — a comment
    may still hold them. Line 17 of the tiny handout replaced by `        # reviewed by Dr. Ruiz<U+2028>        text:
    "Take ten tablets at once."`: every editor and `git diff` show ONE line, a comment; on main 005e323 `check`
    said ok and the handout's intro is "Take ten tablets at once." (YAML reads the text after the break as the
    paragraph's `text:`). Also NEL, and a lone CR in a file of LF lines (vim and `grep -n` show one line, "^M"
    inside the comment). A change that reads as a comment in review prints as an instruction. Such a break
    outside a text must be refused (it is invisible where the file is read)."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    old = '        text: "An introduction."\n'
    assert old in source
    hidden = f'        # reviewed by Dr. Ruiz{separator}        text: "Take ten tablets at once."\n'
    path.write_bytes(source.replace(old, hidden, 1).encode("utf-8"))
    written = path.read_bytes().decode("utf-8")
    assert written.count("\n") == source.count("\n")  # one line more for YAML only; editors count the same lines
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, f"a text hidden behind {separator!r} in a comment passed check: {result.output}"


# -- content altered via fonts: the ninth pass's digit-shape check, bypassed by a speck --------------------------------
def test_a_font_cannot_draw_8_as_1_with_a_speck_beside_it(project: Path) -> None:
    """fontdigits.py (ninth pass) draws each digit, scales its ink's bounding box to 16 × 16 and refuses it only when
    it is "clearly" nearer another digit (under 0.6 of the distance to its own). A copy of Noto Sans (regular and
    bold) whose "8" is the outline of "1" plus a 0.02 em square speck on the baseline 0.3 em to its left (advance
    of "1"): the speck widens the box, the scaled "1" no longer matches any reference well (ratio 0.69), and on
    main 005e323 `check` said ok; the help box prints "In a crisis, call 9 11" and "Test Crisis Line: call 9 11"
    (page 1 at 60 dpi, looked at; the speck is not seen) while pdftotext reads 988. A digit must be shown to be
    ITSELF (nearest its own shape), not merely not clearly another.
    Now the face's numbers and spaces are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/speck").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
        pen = TTGlyphPen(glyphs)
        glyphs[cmap[ord("1")]].draw(pen)
        x, y, side = -300, 0, 20
        pen.moveTo((x, y))
        pen.lineTo((x, y + side))
        pen.lineTo((x + side, y + side))
        pen.lineTo((x + side, y))
        pen.closePath()
        font["glyf"][cmap[ord("8")]] = pen.glyph()
        font["hmtx"][cmap[ord("8")]] = font["hmtx"][cmap[ord("1")]]
        font.save(project / f"templates/fonts/speck/NotoSans-{style}.ttf")
    use_noto_copy(project, "speck")
    prints_as_shipped(project)


# -- deceptive links: a crisis number that looks like a year ---------------------------------------------------------
@pytest.mark.parametrize("words", [
    "[call 1995](https://evil.example/)",  # Taiwan's Lifeline
    "[call the line at 1925](https://evil.example/)",  # Taiwan's suicide prevention line
])
def test_a_link_showing_a_four_digit_crisis_number_that_looks_like_a_year_dials_it(project: Path, words: str) -> None:
    """The eighth pass: any number of three digits or more in a link's words must be the number it dials — "a year
    (1900-2099) may name a page". Crisis lines are four-digit numbers in that range in places: Taiwan's Lifeline is
    1995, its suicide prevention line 1925, the Teacher Chang line 1980. `In a crisis, [call 1995](https://evil.
    example/) now.` says "call" and a number, and opens a web page: on main 005e323 `check` passed it (and the 1925
    one), while `[call 988](https://…)` is refused. A number after "call" (or in a link's words saying so) is no
    year."""
    set_intro(project, f"In a crisis, {words} now.")
    refused_at_intro(project, words)
