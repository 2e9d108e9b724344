"""The ninth hostile pass (issue 12): new inputs, none repeated from the eight earlier passes or their corpus.
Written against main 3c5e974; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import run
from tests.hardening.hostile import (
    HANDOUT,
    UI,
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


# -- deceptive links: a number split between a link's words and what stands beside them ---------------------------
@pytest.mark.parametrize("words", [
    "[98](tel:+15550000666)[8](tel:+15550000666)",  # two links side by side: "988", all of it dials another
    "9[88](tel:+15550000666)",  # the link's words are "88", the patient reads "988"
    "[9](tel:+15550000666)88",
    "[Call 9](https://evil.example/)88",  # not even a tel: link
    "[clinic](https://evil.example/).example.org",  # the patient reads the clinic's address, "clinic" opens another
])
def test_a_link_cannot_show_a_number_split_between_its_words_and_the_text_beside_it(project: Path,
                                                                                    words: str) -> None:
    """The eighth pass made link words read "as seen" and made any number of three digits or more in them the
    number they must dial. A number is still read inside one link's words only: `In a crisis, call
    [98](tel:+15550000666)[8](tel:+15550000666) now.` prints "In a crisis, call 988 now." (page 1 at 80 dpi,
    looked at: nothing tells the two links apart) with one annotation over "988" that dials +1 555 000 0666;
    each link's words ("98", "8") are too short to count. `9[88](tel:…)` and `[9](tel:…)88` likewise print
    "988" whose digits partly dial another number; `[clinic](https://evil.example/).example.org` prints
    "clinic.example.org", its first word opening another site. On main 3c5e974 `check` and `build` passed all of
    them. The number the patient reads is the one next to the link too: a number touching a link's words must be read
    whole, or such a link refused."""
    set_intro(project, f"In a crisis, call {words} now.")
    refused_at_intro(project, words)


# -- a project template that moves units: the eighth-pass order check skips repeated texts ----------------------
def test_a_template_cannot_pair_a_table_row_with_another_row_s_answer_when_answers_repeat(project: Path) -> None:
    """The eighth pass made each section's units be laid out in their order (faithful._in_place), but "a text
    that appears twice in the handout is left out of this". In an interaction table answers repeat — that is
    what such tables are: "With alcohol | Never combine", "With opioids | Never combine", "With water | Safe to
    combine", "With juice | Safe to combine". The project's `handout.xml.j2` prints each row's first cell with
    the answer two rows down (`block.rows[(loop.index0 + 2) % n]`): the topics are in order, and every answer
    appears twice, so no order is checked. On main 3c5e974 `check` said ok and, approved, `build --release`
    printed "With alcohol | Safe to combine" and "With water | Never combine" under "Reviewed … · MD" (page 1
    at 60 dpi, looked at). Which answer belongs to which row is what the reviewer approved."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    rows = [("alcohol", "With alcohol", "Never combine"), ("opioids", "With opioids", "Never combine"),
            ("water", "With water", "Safe to combine"), ("juice", "With juice", "Safe to combine")]
    written = "\n".join(f'          - id: {key}\n            cells: {{topic: "{topic}", answer: "{answer}"}}'
                        for key, topic, answer in rows)
    old_row = '          - id: onset\n            cells: {topic: "How fast", answer: "Within hours"}'
    assert old_row in text
    path.write_text(text.replace(old_row, written).replace("{id: topic, text: Topic}", "{id: topic, text: Taken with}")
                    .replace("{id: answer, text: Answer}", '{id: answer, text: "Is it safe?"}'), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '      <row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>'
    new = ('      {%- set other = block.rows[(loop.index0 + 2) % (block.rows|length)] %}<row>{{ pair("cell", row[0]) }}'
           '{% for cell in other %}{% if not loop.first %}{{ pair("cell", cell) }}{% endif %}{% endfor %}</row>')
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new), encoding="utf-8")
    approved = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "MD",
                   project / UI, project / "content/facts.yaml", project / HANDOUT)
    assert approved.exit_code == 0, approved.output + approved.stderr
    result = run("build", "-j", "1", "--release", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr
        return
    from tests.hardening.hostile import all_text, squeeze

    printed = squeeze(all_text(project / "output/en/tiny.pdf"))
    assert "Reviewed" in all_text(project / "output/en/tiny.pdf")
    for _, topic, answer in rows:
        assert squeeze(f"{topic} {answer}") in printed, f"{topic} is printed with another row's answer"


# -- a project template's own words: the view's machine strings count as the handout's text -----------------------
@pytest.mark.parametrize("expression", ["section.id", "doc.review_status", "doc.direction", "doc.handout",
                                        "section.blocks[0].kind"])
def test_a_template_cannot_print_the_handout_s_machine_strings_as_words(project: Path, expression: str) -> None:
    """faithful.py accepts as "the handout's own" every string of the view (_walk yields each `str` in it), not
    only its texts: the section and block IDs, the block kinds, the review status, the direction, the handout's
    file name. A project `handout.xml.j2` writing `<p>{{ section.id }} {{ doc.review_status }} {{ doc.direction
    }}</p>` under every heading passed `check` and `build` on main 3c5e974: the PDF reads "What to expect /
    expect draft ltr / An introduction." (pdftotext). IDs are identifiers a reviewer never approved as
    words for patients (the shipped ones include "no-driving", "home-use", "with-pill", "better-options",
    "stopping"): a template prints content, never words of its own or of the machinery."""
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    {{ pair("heading", section.heading) }}\n'
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        source.replace(old, old + f"    <p>{{{{ {expression} }}}}</p>\n", 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, \
        f"a template printing {{{{ {expression} }}}} as a paragraph passed check: {result.output}{result.stderr}"


# -- the front desk: a language folder linked from content/ ----------------------------------------------------------
def test_the_desk_serves_the_edited_text_of_a_language_folder_linked_inside_the_project(project: Path) -> None:
    """content/en is a link to the project's own `master/en` folder (a clinic keeping its reviewed sources in one
    place; the loader follows links that stay inside the project, and check/build read through it). The desk
    served tiny.pdf with "Take 10 mg."; then master/en/tiny.yaml was edited to "Take 90 mg." (a normal save,
    new mtime, ctime and size unchanged or not). On main 3c5e974 the desk kept answering with the 10 mg PDF:
    serve/catalog._signature walks content/ with os.walk, which does not descend into a linked folder, so the
    edit changes nothing it looks at and the project is never read again (a fresh `handouts build` prints
    90 mg). The desk must never hand out a dose the content no longer says."""
    import io
    import os
    import time

    from pypdf import PdfReader

    from generator.serve.app import create_app

    (project / "master").mkdir()
    os.rename(project / "content/en", project / "master/en")
    os.symlink("../master/en", project / "content/en")
    handout = project / "master/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take 10 mg.", 1),
                       encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0
    from generator.serve.catalog import RACY_SECONDS

    time.sleep(RACY_SECONDS + 0.5)  # older than the desk's racy window: its signature is now taken as settled
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    first = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == 200
    assert "Take 10 mg." in PdfReader(io.BytesIO(first.data)).pages[0].extract_text()
    handout.write_text(handout.read_text(encoding="utf-8").replace("Take 10 mg.", "Take 90 mg.", 1),
                       encoding="utf-8")
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    if again.status_code == 200:
        text = PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
        assert "Take 10 mg." not in text and "Take 90 mg." in text, "the desk served the old dose"


def test_watch_rebuilds_when_a_file_in_a_language_folder_linked_inside_the_project_is_saved(project: Path) -> None:
    """The same linked folder (content/en → ../master/en, inside the project) under `build --watch`: the first
    build prints "Take 10 mg."; master/en/tiny.yaml is then saved with "Take 90 mg.". On main 3c5e974 the watch
    never rebuilt: incremental.input_files lists content/ with files_under, which follows a linked folder only
    when it leads inside content/ itself, while the project load (and a plain `build`, which then says "built
    1") follows any link inside the project. The PDF on disk — the one staff print — kept the old dose."""
    import os

    from tests.hardening.hostile import all_text, watching

    (project / "master").mkdir()
    os.rename(project / "content/en", project / "master/en")
    os.symlink("../master/en", project / "content/en")
    handout = project / "master/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take 10 mg.", 1),
                       encoding="utf-8")
    with watching(project, seconds=60) as (lines, wait_for):
        assert wait_for("built 1, skipped 0"), "\n".join(lines)
        assert "Take 10 mg." in all_text(project / "output/en/tiny.pdf")
        handout.write_text(handout.read_text(encoding="utf-8").replace("Take 10 mg.", "Take 90 mg.", 1),
                           encoding="utf-8")
        wait_for("built 1, skipped 0", times=2, within=8)
    assert "Take 90 mg." in all_text(project / "output/en/tiny.pdf"), "\n".join(lines)


@pytest.mark.parametrize("link", [
    "[98\\u20288](tel:+15550000666)",  # U+2028 LINE SEPARATOR, drawn as a space
    "[9\\u20298\\u20298](tel:+15550000666)",  # U+2029 PARAGRAPH SEPARATOR
    "[clinic\\u2028.example.org](https://evil.example/)",
])
def test_a_link_cannot_split_a_number_or_address_with_a_line_separator(project: Path, link: str) -> None:
    """Link words are read "as seen" (markup._as_seen: NFKC, invisible characters dropped), and a number split
    by a space, a thin or a medium mathematical space (`[98\\u205f8](tel:…)`) is refused as "the number '98 8'".
    U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are not folded (NFKC leaves them, they are Zl/Zp, not
    Cf) and are not in _SHOWN_PHONE's separators: `Call [98\\u20288](tel:+15550000666) now.` passed check and
    build on main 3c5e974, and the PDF draws the separator as a space — the same "98 8" the check refuses with
    any other space (the page drew U+2028 and U+2029 as spaces: "Do not drive for 24 hours. Do not drink.",
    looked at). Check also lets these characters into content at all, where the PDF prints a space; a
    `translate import` of a msgstr holding U+2028 is accepted the same way."""
    set_intro(project, f"Call {link} now.")
    refused_at_intro(project, link)


# -- fonts.yaml: a direction stated against the script ---------------------------------------------------------------
@pytest.mark.parametrize("lang", ["prs", "arz"])  # Dari, Egyptian Arabic: both unknown to CLDR (Babel)
def test_a_language_cldr_does_not_know_cannot_be_declared_left_to_right_in_an_arabic_script(
        project: Path, tmp_path: Path, lang: str) -> None:
    """On the eighth-pass direction fix (7e211d4: "a language CLDR does not know must say its direction"):
    saying it is enough, whatever it says. fonts.yaml declares `prs: {family: dejavu-sans, direction: ltr,
    breaking: words}` (or `arz`, Egyptian Arabic, also unknown to Babel), and the file's text is Dari, "این یک
    معرفی کوتاه است.". On main 3c5e974 `check` said ok and the PDF was laid out left to right, letters in
    reverse reading order — the page differs from the same build with `direction: rtl`. The eighth pass refused
    exactly this for Arabic (`ar: {direction: ltr}`); the letters' own bidi class tells the direction for a code
    CLDR does not know."""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts"
    (project / "templates/fonts").mkdir(parents=True)
    for family in ("noto-sans", "dejavu-sans"):
        shutil.copytree(shipped / family, project / "templates/fonts" / family)
    fonts = ("families:\n  noto-sans:\n    regular: fonts/noto-sans/NotoSans-Regular.ttf\n"
             "    bold: fonts/noto-sans/NotoSans-Bold.ttf\n  dejavu-sans:\n"
             "    regular: fonts/dejavu-sans/DejaVuSans.ttf\n    bold: fonts/dejavu-sans/DejaVuSans-Bold.ttf\n"
             "languages:\n  en: {family: noto-sans, direction: ltr, breaking: words}\n"
             f"  {lang}: {{family: dejavu-sans, direction: ltr, breaking: words}}\n")
    (project / "templates/fonts.yaml").write_text(fonts, encoding="utf-8")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", f"  - en\n  - {lang}\n"),
                        encoding="utf-8")
    assert run("translate", "new", lang, "--project", project).exit_code == 0
    translated = project / f"content/{lang}/tiny.yaml"
    words = ("\u0627\u06cc\u0646 \u06cc\u06a9 \u0645\u0639\u0631\u0641\u06cc "
             "\u06a9\u0648\u062a\u0627\u0647 \u0627\u0633\u062a.")  # "this is a short introduction."
    translated.write_text(translated.read_text(encoding="utf-8").replace('"An introduction."', f'"{words}"'),
                          encoding="utf-8")
    assert run("translate", "done", lang, "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code != 0:  # refused, naming fonts.yaml
        assert checked.exit_code == 1 and "fonts.yaml" in checked.stderr, checked.output + checked.stderr
        return
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")

    def page(name: str) -> Image.Image:
        built = handouts("build", "-j", "1", "-q", "--force", "--lang", lang, "--project", project)
        assert built.returncode == 0, built.stdout + built.stderr
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(project / f"output/{lang}/tiny.pdf"),
                        str(tmp_path / name)], check=True, timeout=60)
        return Image.open(tmp_path / f"{name}-1.png").convert("L")

    drawn = page("declared")
    (project / "templates/fonts.yaml").write_text(fonts.replace(f"{lang}: {{family: dejavu-sans, direction: ltr,",
                                                                f"{lang}: {{family: dejavu-sans, direction: rtl,"),
                                                  encoding="utf-8")
    meant = page("rtl")
    assert ImageChops.difference(drawn, meant).getbbox() is None, f"the {lang} page is laid out left to right"


# -- fonts: one name for ReportLab, two for the check -----------------------------------------------------------------
@pytest.mark.parametrize("names", ["spaces", "no-postscript-name", "uk-english-record"])
def test_two_fonts_reportlab_names_alike_are_refused_before_the_build(project: Path, names: str) -> None:
    """fonts.yaml: `latin` (Noto Sans cut to ASCII) for English, `full` (all of Noto Sans) for Spanish — two
    different files. The eighth pass refuses two files giving one PostScript name (name ID 6, in any record),
    compared as written. ReportLab does not take the name as written: it turns spaces into hyphens, falls back to
    the full name (ID 4) when a font has no ID 6, and reads only the Macintosh (1,0,0) and Windows US-English
    (3,1,0x409) records. So (a) PostScript names "NotoSans Regular" / "NotoSans-Regular", (b) no ID 6 in either
    file (both full names "Noto Sans Regular"), (c) ID 6 only in Windows UK-English (3,1,0x809) records,
    "ClinicA-Regular" / "ClinicB-Regular" (ReportLab falls back to the shared full name): on main 3c5e974
    `check` said ok and `build` ended "cannot lay out the standard pdf edition of this handout (ValueError:
    redefining named object: 'toUnicodeCMap:AAAAAA+Noto…'); report this with the file", blaming
    content/en/tiny.yaml — the check and the build disagree, and no PDF of the handout can be made."""

    from fontTools import subset
    from fontTools.ttLib import TTFont

    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"An introduction."',
                                                                   '"Una introducción: año, niño, señal."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    for style in ("Regular", "Bold"):
        for family in ("full", "latin"):
            (project / f"templates/fonts/{family}").mkdir(parents=True, exist_ok=True)
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        font.save(project / f"templates/fonts/full/NotoSans-{style}.ttf")
        options = subset.Options()
        options.name_IDs, options.name_languages, options.notdef_outline = ["*"], ["*"], True
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=[*range(0x20, 0x7F), 0xA0, 0xB7, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D, 0x2022,
                                  0x2026, 0x25A1])
        cutter.subset(font)
        font.save(project / f"templates/fonts/latin/NotoSans-{style}.ttf")
        for family, tag in (("latin", "A"), ("full", "B")):
            path = project / f"templates/fonts/{family}/NotoSans-{style}.ttf"
            font = TTFont(path)
            table = font["name"]
            table.names = [record for record in table.names if record.nameID != 6]
            if names == "spaces":
                table.setName(f"NotoSans {style}" if tag == "A" else f"NotoSans-{style}", 6, 3, 1, 0x409)
            elif names == "uk-english-record":
                table.setName(f"Clinic{tag}-{style}", 6, 3, 1, 0x809)
            font.save(path)
    fonts = ("families:\n  latin:\n    regular: fonts/latin/NotoSans-Regular.ttf\n"
             "    bold: fonts/latin/NotoSans-Bold.ttf\n  full:\n    regular: fonts/full/NotoSans-Regular.ttf\n"
             "    bold: fonts/full/NotoSans-Bold.ttf\nlanguages:\n"
             "  en: {family: latin, direction: ltr, breaking: words}\n"
             "  es: {family: full, direction: ltr, breaking: words}\n")
    (project / "templates/fonts.yaml").write_text(fonts, encoding="utf-8")
    built = handouts("build", "-j", "1", "-q", "--project", project)
    assert "Traceback" not in built.stderr, built.stderr
    if built.returncode != 0:  # refused, naming the fonts (and `check` refuses the same): no bug message
        assert built.returncode == 1 and "fonts" in built.stderr and "report this" not in built.stderr, \
            built.stdout + built.stderr
        checked = run("check", "--project", project)
        assert checked.exit_code == 1 and "fonts" in checked.stderr, checked.output + checked.stderr


# -- fonts: letters drawn on top of one another, or spread off the paper (advance widths) --------------------------
@pytest.mark.parametrize("scale", [0.0, 0.1, 20.0])
def test_a_font_whose_advance_widths_are_wrong_cannot_make_the_page_unreadable(project: Path, scale: float) -> None:
    """The fifth and eighth passes bound a font's outlines (empty, specks, far off the line); nothing bounds how
    far the pen moves after each glyph. A copy of Noto Sans (regular and bold) with every advance width in
    `hmtx` set to 0 (or a tenth of itself, or twenty times itself), the outlines untouched, declared for English
    in the project's fonts.yaml: on main 3c5e974 `check` said ok and `build` wrote the PDF. With 0, every word
    is one overstruck blob at the start of its line: the title, every instruction, the DRAFT watermark (a grey
    smudge), the footer's "Draft - not reviewed" and the disclaimer cannot be read (page 1 at 60 dpi, looked
    at); pypdf still extracts every word; a tenth of itself is built the same way. Twenty times is refused, but
    blamed on content/en/ui.yaml:13 ("footer.version … 7401 pt wide … shorten it to about 1 characters"), not
    on the font. Whatever a project's font does, the review state, stamp and disclaimer stay readable, and a
    font refused is named."""

    from fontTools.ttLib import TTFont

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/odd").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        metrics = font["hmtx"].metrics
        for glyph, (advance, bearing) in list(metrics.items()):
            metrics[glyph] = (min(65535, int(advance * scale)), bearing)
        font.save(project / f"templates/fonts/odd/NotoSans-{style}.ttf")
    use_noto_copy(project, "odd")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code != 0:
        assert checked.exit_code == 1 and "Noto" in checked.stderr + checked.output, checked.output + checked.stderr
        return
    built = handouts("build", "-j", "1", "-q", "--project", project)
    assert "Traceback" not in built.stderr, built.stderr
    assert built.returncode == 1, "a font drawing every letter on top of the last (or far apart) was built"


# -- init: a name that is a dangling link ----------------------------------------------------------------------------
def test_init_through_a_dangling_link_creates_nothing_where_the_link_points(tmp_path: Path) -> None:
    """`handouts init clinic` where `clinic` is a dangling link (to `elsewhere/deep/new`: a link left by a removed
    checkout, a synced folder not mounted). On main 3c5e974 init said "error: clinic: cannot create the project
    (Not a directory); nothing was written", exit 1 — but it had created `elsewhere/` and `elsewhere/deep/`
    where the link points (scaffold.create resolves the name, mkdir(parents=True) of the target's parent, and
    stages the project there before the rename fails). A command writes only where it is told to, and "nothing
    was written" must be true."""
    outside = tmp_path / "elsewhere"
    link = tmp_path / "clinic"
    link.symlink_to(outside / "deep" / "new")
    result = run("init", link)
    no_traceback(result)
    assert not outside.exists(), f"init created {sorted(str(p) for p in outside.rglob('*'))} and {outside}"
    if result.exit_code == 0:  # made the project at the name it was given, the link replaced
        assert (link / "handouts.yaml").is_file() and not link.is_symlink()


# -- check and build disagree: the project's own HTML companion template ---------------------------------------------
@pytest.mark.parametrize("added", ["{{ nothing.here }}", "<p>Take ten times the dose.</p>"])
def test_check_finds_what_build_refuses_in_the_project_s_html_template(project: Path, added: str) -> None:
    """The project's own templates/handout.html.j2 (the shipped one) with `{{ nothing.here }}` added after the
    title (or a paragraph of its own words, which the HTML faithfulness check refuses at build): on main 3c5e974
    `check` said "ok: 1 handout file(s) … no errors" and `build --format html` then failed, "tiny (en):
    handout.html.j2: template error: 'nothing' is undefined". The eighth pass made check render a project's own
    PDF template in every edition; its HTML companion template is only parsed (checks.py: template.check), never
    rendered — the desk and `build --format html` meet the error first."""

    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.html.j2").read_text(encoding="utf-8")
    old = "<h1>{{ doc.title | html_inline }}{{ also(doc.title) }}</h1>"
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.html.j2").write_text(source.replace(old, old + added, 1), encoding="utf-8")
    built = handouts("build", "-j", "1", "-q", "--format", "html", "--project", project)
    assert built.returncode == 1 and "handout.html.j2" in built.stderr, built.stdout + built.stderr
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "handout.html.j2" in checked.stderr, \
        f"check passed what build --format html refuses: {checked.output}"


# -- a bilingual edition: the second language's disclaimer drawn in the first language's fonts ---------------------
def _with_arabic(project: Path) -> str:
    """Add Arabic to the tiny project: its UI strings from the shipped Arabic ui.yaml, every text of the handout a
    short Arabic sentence, all marked translated. Returns words only the Arabic full disclaimer holds (pypdf
    extracts reshaped Arabic with its lam-alef ligatures and wrapped lines in its own way: whole words suffice)."""
    import re

    import yaml

    declare(project, "ar")
    assert run("translate", "new", "ar", "--project", project).exit_code == 0
    shipped = yaml.safe_load((Path(__file__).resolve().parents[2] / "content/ar/ui.yaml")
                             .read_text(encoding="utf-8"))["strings"]
    ui = project / "content/ar/ui.yaml"

    def arabic(match: re.Match[str]) -> str:
        key = match.group(1)
        return f'  {key}: "{shipped[key]}"' if key in shipped else match.group(0)

    ui.write_text(re.sub(r"^  ([a-z_.]+): .*$", arabic, ui.read_text(encoding="utf-8"), flags=re.M),
                  encoding="utf-8")
    handout = project / "content/ar/tiny.yaml"
    text = re.sub(r'(text|title|summary): "([^"{]*)"', r'\1: "نص عربي قصير."', handout.read_text(encoding="utf-8"))
    text = text.replace('cells: {topic: "How fast", answer: "Within hours"}', 'cells: {topic: "نص", answer: "نص آخر"}')
    handout.write_text(text.replace("{id: topic, text: Topic}", '{id: topic, text: "موضوع"}')
                       .replace("{id: answer, text: Answer}", '{id: answer, text: "جواب"}'), encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0
    words = ["طبيبك", "الهواتف"]  # "your doctor", "telephone": neither in the short disclaimer nor elsewhere
    assert all(word in shipped["disclaimer.full"] for word in words)
    return words


def test_a_bilingual_template_cannot_draw_the_second_language_s_disclaimer_in_the_first_s_fonts_in_a_composed_line(
        project: Path) -> None:
    """The seventh pass refused a unit of one language marked as the other's (second="yes"): it would be drawn in
    the other language's fonts. The side is checked only for a flow that is exactly one unit. A project
    handout.xml.j2 prints, in the en-ar edition, the English disclaimer and then `<p>{{ second.disclaimer_full |
    inline }} ·</p>` (no second="yes", a middle dot after it: a composed line of a whole unit and punctuation)
    instead of the pair's second-language paragraph. On main 3c5e974 `check` said ok and `build --lang en
    --bilingual ar` wrote the PDF: under "Important / مهم" the English disclaimer, then a few dots where the
    Arabic one should be — Noto Sans has no Arabic (page 2 at 70 dpi, looked at; pdftotext: "." lines); the
    Arabic disclaimer is in no text of the PDF at all. The same template with the shipped one's pair prints
    it."""
    import subprocess

    from tests.hardening.hostile import all_text

    disclaimer = _with_arabic(project)

    def build() -> subprocess.CompletedProcess[str]:
        return handouts("build", "-j", "1", "-q", "--force", "--lang", "en", "--bilingual", "ar", "--project", project)

    pdf = project / "output/en/tiny.en-ar.pdf"
    shipped = build()
    assert shipped.returncode == 0, shipped.stdout + shipped.stderr
    assert all(word in all_text(pdf) for word in disclaimer), "the shipped template's edition lacks the disclaimer"
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    {{ pair("p", doc.disclaimer_full) }}\n'
    assert old in source
    new = ('    <p id="{{ doc.disclaimer_full.id }}">{{ doc.disclaimer_full | inline }}</p>'
           '{% if second %}<p>{{ second.disclaimer_full | inline }} ·</p>{% endif %}\n')
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    result = build()
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert result.returncode == 1 and "handout.xml.j2" in result.stderr, result.stdout + result.stderr
        return
    assert all(word in all_text(pdf) for word in disclaimer), "the Arabic disclaimer is not drawn"


# -- error positions: YAML's line count is not the editor's ----------------------------------------------------------
@pytest.mark.parametrize("breaks", ["\u2028\u2028\u2028", "\u2029", "\u0085\u0085"])
def test_an_error_s_line_is_the_line_an_editor_shows(project: Path, breaks: str) -> None:
    """A comment line holding U+2028 LINE SEPARATOR (or U+2029, or NEL) — pasted from a web page or a word
    processor, invisible in most editors — above a content error ("Safety **first.", an unclosed bold on the
    file's line 39 as vim, nano, grep -n, less and Python's readlines count it). On main 3c5e974 `check` said
    "content/en/tiny.yaml:42:23: … '**' (bold) is opened but never closed" (and quoted the right text under
    "42 |"): PyYAML counts U+2028, U+2029 and NEL as line breaks (YAML 1.1), so every line after the comment is
    numbered off by as many. A translator's editor goes to line 42 and finds another line. `path:line:col`
    must point where the translator's editor is."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8").replace("sections:\n", f"# note{breaks}\nsections:\n", 1)
    path.write_text(text.replace('text: "Safety first."', 'text: "Safety **first."'), encoding="utf-8")
    # Since the tenth pass (such a break can hide a whole entry inside what editors show as a comment), the file
    # is refused at the break itself, at the line an editor shows it on.
    line = next(n for n, row in enumerate(path.read_bytes().split(b"\n"), 1) if row.startswith(b"# note"))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"tiny.yaml:{line}:" in result.stderr, f"the error is not at line {line}: {result.stderr}"


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "In an emergency, [call nine-one-one](tel:+15550000666)."),  # how 911 is spelled out in English
    ("en", "In a crisis, [call nine eight eight](tel:+15550000666)."),
    ("zh-Hans", "紧急情况请[拨打幺幺零](tel:+15550000666)。"),  # 幺 (yāo): how 1 is said and written in phone numbers
    ("zh-Hans", "请[拨打玖捌捌](tel:+15550000666)。"),  # the financial numerals, used against tampering
])
def test_a_link_cannot_spell_out_a_number_it_does_not_dial(project: Path, lang: str, words: str) -> None:
    """The eighth pass reads Chinese numerals 〇零一…九 in link words as digits (`[请拨打九八八](tel:…)` is refused).
    A number spelled out in words is still not read: `[call nine-one-one](tel:+15550000666)` — how "911" is
    written out in English prose and scripts — passed check on main 3c5e974 and dials +1 555 000 0666; in
    Chinese, 幺 (yāo) stands for 1 in spoken and written phone numbers (幺幺零 = 110, the police) and the
    financial numerals 壹…玖 write the same digits (玖捌捌 = 988): both passed too. A link's words must not
    show, in any usual way of writing it, a number the link does not dial."""
    target = project / HANDOUT
    if lang != "en":
        settings = project / "handouts.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", f"  - en\n  - {lang}\n"),
                            encoding="utf-8")
        assert run("translate", "new", lang, "--project", project).exit_code == 0
        assert run("translate", "done", lang, "--all", "--project", project).exit_code == 0
        target = project / f"content/{lang}/tiny.yaml"
    source = target.read_text(encoding="utf-8")
    assert 'text: "An introduction."' in source
    target.write_text(source.replace('text: "An introduction."', f'text: "{words}"', 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, f"{words!r} passed check"
    assert "tiny.yaml:" in result.stderr and "link" in result.stderr, result.stderr


# -- many clinics: a clinic's folder in the named output folder is a link ---------------------------------------------
def test_a_many_clinics_build_never_writes_through_a_clinic_folder_that_is_a_link(tmp_path: Path) -> None:
    """`handouts build --project clinics/A --project clinics/B --out X` writes each clinic into X/A and X/B.
    X/A was a link to a folder elsewhere (`outside/`, another user's share, a synced folder). On main 3c5e974
    the build said "built 1 … (output: X/A)" and wrote outside/en/tiny.pdf, outside/manifest.json and
    outside/.handouts.lock through the link. For one project the same entry is refused: `output/en` a link
    gives "S1/output/en: is a link, not a folder of its own; nothing was changed; remove the link" (exit 1).
    The output folder's entries are untrusted; a build writes only inside the folder it was named."""
    import os

    clinics = tmp_path / "clinics"
    clinics.mkdir()
    for name in ("A", "B"):
        tiny_copy(clinics / name)
    out, outside = tmp_path / "X", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    os.symlink(outside, out / "A")
    result = run("build", "-j", "1", "--project", clinics / "A", "--project", clinics / "B", "--out", out)
    no_traceback(result)
    assert not list(outside.iterdir()), f"written through X/A: {sorted(p.name for p in outside.rglob('*'))}"
    if result.exit_code == 0:  # the link was replaced by a folder of the build's own
        assert not (out / "A").is_symlink() and (out / "A/en/tiny.pdf").is_file()


# -- dropped glyphs: the generator's own digits (the content fingerprint) -------------------------------------------
def test_the_content_fingerprint_is_never_printed_with_a_digit_dropped(project: Path) -> None:
    """The eighth pass glyph-checks the dates the generator writes; the content fingerprint it prints in every
    footer and beside the QR code ("Content fingerprint 9a579f191d9f.") is not checked. A project font — Noto Sans
    with the digit 7 (or 3, or 4: digits the tiny handout's text never uses) taken out of its cmap, declared for
    English: on main 3c5e974 `check` said ok and the PDF printed "Version 1.0.0 · 9a59f191d9f · en" and "Content
    fingerprint 9a59f191d9f." — eleven characters, the 7 silently dropped (page 2 at 110 dpi, looked at). The
    fingerprint is how staff and patients match a printed page with `handouts verify` and the approval; a wrong
    one prints silently. (Page numbers "Page 3 of 3" are the same generator digits.)"""
    import re

    from fontTools.ttLib import TTFont

    from tests.hardening.hostile import all_text

    missing = ""
    for attempt in range(30):  # a fingerprint holding a digit the text never uses (it is a hash of the text)
        if attempt:
            handout_text = (project / HANDOUT).read_text(encoding="utf-8")
            (project / HANDOUT).write_text(re.sub(r'text: "An introduction[ x]*\."',
                                                  f'text: "An introduction {"x" * attempt}."', handout_text, count=1),
                                           encoding="utf-8")
        assert run("build", "-j", "1", "-q", "--force", "--project", project).exit_code == 0
        printed = re.search(r"Content fingerprint ([0-9a-f]+)\.", all_text(project / "output/en/tiny.pdf"))
        assert printed
        fingerprint = printed.group(1)
        missing = next((digit for digit in "347" if digit in fingerprint), "")
        if missing:
            break
    assert missing, "no fingerprint with 3, 4 or 7 in 30 tries"
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/cut").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        for table in font["cmap"].tables:
            table.cmap.pop(ord(missing), None)
        font.save(project / f"templates/fonts/cut/NotoSans-{style}.ttf")
    use_noto_copy(project, "cut")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code != 0:  # refused, naming the font and the character
        assert checked.exit_code == 1 and missing in checked.stderr, checked.output + checked.stderr
        return
    built = handouts("build", "-j", "1", "-q", "--force", "--project", project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"Content fingerprint {fingerprint}." in all_text(project / "output/en/tiny.pdf"), \
        f"the fingerprint {fingerprint} is printed without its {missing}"


# -- translate sync: a translator's value that is no text, replaced without a word ----------------------------------
def test_sync_never_replaces_a_translator_s_source_address_without_a_word(project: Path) -> None:
    """The Spanish file's source points to the Spanish edition of the page (`url: https://example.org/es/`),
    which `check` accepts (a translation may cite its own language's page). The English author then adds a list
    item. On main 3c5e974 `translate sync es` said "updated: content/es/tiny.yaml", exit 0, and the URL is back to
    https://example.org/ — no "removed:" line, nothing said (translators/reshape.reconcile overwrites every value
    that is not a text with the source's, `target[key] = value`). The eighth pass listed what sync removes;
    a translator's value it replaces is lost the same way. Nothing of a translator's is lost silently: keep it,
    or name it."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"The first point."', '"El primer punto."')
                       .replace("url: https://example.org/", "url: https://example.org/es/"), encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    assert run("check", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace(
        '            text: "The first point."\n',
        '            text: "The first point."\n          - id: second\n            text: "A second point."\n', 1),
        encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    if "https://example.org/es/" in spanish.read_text(encoding="utf-8"):
        return  # kept
    assert "https://example.org/es/" in result.output + result.stderr, \
        f"the translator's address was replaced without a word: {result.output}{result.stderr}"


@pytest.mark.parametrize(("lang", "direction", "words"), [
    ("ur-Latn", "ltr", "Yeh ek mukhtasar taaruf hai."),  # Roman Urdu, as Urdu speakers often write it
    ("ckb-Latn", "ltr", "Ev kurteyek nasandinê ye."),  # Central Kurdish in Latin letters
    ("so-Arab", "rtl", "\u0627\u06cc\u0646 \u06cc\u06a9 \u0645\u0639\u0631\u0641\u06cc \u0627\u0633\u062a."),
])
def test_a_language_s_script_subtag_decides_its_direction(project: Path, lang: str, direction: str,
                                                          words: str) -> None:
    """The eighth pass makes a language's direction the one CLDR (Babel) knows. Babel answers for the language and
    ignores the script subtag: `ur-Latn` (Urdu in Latin letters — Roman Urdu, how many Urdu speakers write),
    `ckb-Latn` come back "right-to-left", `so-Arab` (Somali in Arabic script) "left-to-right". On main 3c5e974
    fonts.yaml `ur-Latn: {family: noto-sans, direction: ltr}` was refused, "language 'ur-Latn' is written rtl,
    not ltr; set `direction: rtl`" — the only direction check accepts lays Latin text out right to left
    (punctuation on the wrong side, right-aligned); `so-Arab` may only be ltr, which prints Arabic letters
    reversed and unjoined (the eighth-pass finding for `ar`). The script subtag says how a language is
    written; the right direction must be accepted. (Babel's ur_Latn data is Urdu's: the "dates" check also
    demands Arabic letters of a Latin font for `ur-Latn`, its month names and own name being اردو's.)"""
    import shutil

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts"
    (project / "templates/fonts").mkdir(parents=True)
    for family in ("noto-sans", "dejavu-sans"):
        shutil.copytree(shipped / family, project / "templates/fonts" / family)
    family = "noto-sans" if direction == "ltr" else "dejavu-sans"
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
    translated.write_text(translated.read_text(encoding="utf-8").replace('"An introduction."', f'"{words}"'),
                          encoding="utf-8")
    assert run("translate", "done", lang, "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert f"language '{lang}' is written" not in checked.stderr + checked.output, checked.output + checked.stderr


# -- a link moved onto another unit inside a composed line --------------------------------------------------------
def _linked_texts(pdf: Path) -> list[tuple[str, str]]:
    """(address, the text under the link's box) of every link annotation in the PDF (pdftotext, cropped)."""
    import shutil
    import subprocess

    from pypdf import PdfReader

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    found = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        height = float(page.mediabox.height)
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-x", str(int(x0)), "-y",
                                   str(int(height - y1)), "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) + 1),
                                   str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
            found.append((uri, " ".join(text.split())))
    return found


def test_a_template_cannot_move_a_unit_s_link_onto_the_crisis_number_in_a_composed_line(project: Path) -> None:
    """The sixth pass refused a template wrapping the crisis number in the clinic's tel: link; since then a flow
    that is one unit must carry exactly its own links. A flow composed of several units is only checked for
    carrying links *some* unit in it has. The intro says "Book a visit: [call the clinic](tel:+15550100100)."; a
    project handout.xml.j2 prints, in the help section, `<p>{{ intro | inline }} <a href="tel:+15550100100">{{
    block.text.plain }}</a></p>`. On main 3c5e974 `check` said ok and the PDF's help box reads "Book a visit:
    call the clinic. In a crisis, call 988." (page 1 at 70 dpi, looked at) — with "In a crisis, call 988." one
    link dialling the clinic (and "Test Crisis Line: call 988." too). A patient in crisis who taps 988 calls the
    clinic's booking line."""

    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "Book a visit: [call the clinic](tel:+15550100100)."', 1), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '{%- if block.kind == "paragraph" %}\n    {{ pair("p", block.text) }}'
    assert old in source
    new = ('{%- if block.kind == "paragraph" and section.id == "help" %}\n'
           '    <p>{{ doc.sections[0].blocks[0].text | inline }} '
           '<a href="tel:+15550100100">{{ block.text.plain }}</a></p>\n'
           '    {%- elif block.kind == "paragraph" %}\n    {{ pair("p", block.text) }}')
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    built = handouts("build", "-j", "1", "-q", "--project", project)
    assert "Traceback" not in built.stderr, built.stderr
    if built.returncode != 0:
        assert built.returncode == 1 and "handout.xml.j2" in built.stderr, built.stdout + built.stderr
        return
    wrong = [(uri, text) for uri, text in _linked_texts(project / "output/en/tiny.pdf") if "988" in text]
    assert not wrong, f"the crisis number is a link to another number: {wrong}"


def test_a_template_cannot_pair_rows_wrongly_in_composed_lines_with_a_repeat_after_them(project: Path) -> None:
    """The eighth pass's order check (faithful._in_place) takes, for each unit, its first printing after the unit
    before it; a unit may be printed again, and a composed line counts for every unit in it. A table "Taken
    with | Is it safe?" with rows "With alcohol | Dangerous: never combine" and "With water | Safe to combine"
    (every answer unique). A project handout.xml.j2 prints the header row, then one line per row pairing its
    topic with the *next* row's answer — "With alcohol: Safe to combine", "With water: Dangerous: never
    combine" — and then "Safe to combine" once more on its own. Every unit is whole, and an in-order reading
    exists (alcohol, its answer on line 2, water on line 2, its answer on line 3). On main 3c5e974 `check` said
    ok and, approved, `build --release` printed exactly that under "Reviewed … · MD" (page 1 at 70 dpi, looked
    at). Which answer belongs to which row is what the reviewer approved."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    text = text.replace('            cells: {topic: "How fast", answer: "Within hours"}',
                        '            cells: {topic: "With alcohol", answer: "Dangerous: never combine"}\n'
                        '          - id: water\n'
                        '            cells: {topic: "With water", answer: "Safe to combine"}')
    path.write_text(text.replace("{id: topic, text: Topic}", "{id: topic, text: Taken with}")
                    .replace("{id: answer, text: Answer}", '{id: answer, text: "Is it safe?"}'), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = ('      {%- for row in block.rows %}\n'
           '      <row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>\n'
           '      {%- endfor %}\n'
           '    </table>')
    new = ('    </table>\n'
           '    {%- for row in block.rows %}\n'
           '    {%- set other = block.rows[(loop.index0 + 1) % (block.rows|length)] %}\n'
           '    <p>{{ row[0] | inline }}: {{ other[1] | inline }}</p>\n'
           '    {%- endfor %}\n'
           '    <p>{{ block.rows[-1][1] | inline }}</p>')
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    approved = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "MD",
                   project / UI, project / "content/facts.yaml", project / HANDOUT)
    assert approved.exit_code == 0, approved.output + approved.stderr
    result = run("build", "-j", "1", "--release", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr
        return
    from tests.hardening.hostile import all_text, squeeze

    printed = squeeze(all_text(project / "output/en/tiny.pdf"))
    assert squeeze("With alcohol: Safe to combine") not in printed, "the rows' answers were swapped"


def test_an_html_template_cannot_move_a_unit_s_link_onto_the_crisis_number_in_a_composed_block(
        project: Path) -> None:
    """The same in the HTML companion: the project's own handout.html.j2 prints, in the help section, `<p>{{
    intro | html_inline }} <a href="tel:+15550100100">{{ block.text.plain }}</a></p>` (the intro holding "[call the
    clinic](tel:+15550100100)"). On main 3c5e974 `check` said ok and `build --format html` wrote
    `<a href="tel:+15550100100">In a crisis, call 988.</a>` and `<a href="tel:+15550100100">Test Crisis Line: call
    988.</a>`: on a phone, tapping the crisis number calls the clinic."""
    import re

    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "Book a visit: [call the clinic](tel:+15550100100)."', 1), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.html.j2").read_text(encoding="utf-8")
    old = '{%- if block.kind == "paragraph" %}\n<p>{{ block.text | html_inline }}</p>'
    assert old in source
    new = ('{%- if block.kind == "paragraph" and section.id == "help" %}\n'
           '<p>{{ doc.sections[0].blocks[0].text | html_inline }} '
           '<a href="tel:+15550100100">{{ block.text.plain }}</a></p>\n'
           '{%- elif block.kind == "paragraph" %}\n<p>{{ block.text | html_inline }}</p>')
    (project / "templates").mkdir()
    (project / "templates" / "handout.html.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    built = handouts("build", "-j", "1", "-q", "--format", "html", "--project", project)
    assert "Traceback" not in built.stderr, built.stderr
    if built.returncode != 0:
        assert built.returncode == 1 and "handout.html.j2" in built.stderr, built.stdout + built.stderr
        return
    page = (project / "output/en/tiny.html").read_text(encoding="utf-8")
    wrong = [m.group(0) for m in re.finditer(r'<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>', page)
             if "988" in m.group(2) and m.group(1) != "tel:988"]
    assert not wrong, f"the crisis number links to another number: {wrong}"


# -- fonts: a digit drawn as another --------------------------------------------------------------------------------
def test_a_font_cannot_draw_the_crisis_number_as_another_number(project: Path) -> None:
    """The font checks ask whether each character has a glyph that draws something visible, never whether it is
    that character's glyph. A copy of Noto Sans whose cmap maps "8" to the glyph of "1" (one entry changed; the
    glyph exists, is full size, on its line), declared for English in the project's fonts.yaml: on main 3c5e974
    `check` said ok and the PDF's help box reads "In a crisis, call 911." and "Test Crisis Line: call 911." (page
    1 at 70 dpi, looked at) while pdftotext and pypdf extract "988" — so do verify and every text check. A dose,
    a phone number, a date can be drawn as other digits by a project font. Now a project's own face draws every
    number with the shipped glyphs: the page prints as it does in Noto Sans itself."""
    from fontTools.ttLib import TTFont

    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    (project / "templates/fonts/swapped").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        for table in font["cmap"].tables:
            if ord("1") in table.cmap and ord("8") in table.cmap:
                table.cmap[ord("8")] = table.cmap[ord("1")]
        font.save(project / f"templates/fonts/swapped/NotoSans-{style}.ttf")
    use_noto_copy(project, "swapped")
    prints_as_shipped(project)  # numbers drawn with the shipped glyphs (fontguard)



# -- translate sync: a comment above an entry, where the hint asks for it -----------------------------------------
def test_sync_keeps_a_comment_written_above_the_next_block_when_the_block_before_goes(project: Path) -> None:
    """The Spanish file has, between the translated intro paragraph and the subheading, the translator's note
    `# Nota del traductor: "Más información" a propósito, no "Más para saber".` — above the entry it is about.
    The English author deletes the intro paragraph. On main 3c5e974 `translate sync es` refused, exit 1:
    "content/es/tiny.yaml:20:7: this command would drop the comment '# Nota del traductor: …' (a comment inside
    { } cannot be kept); nothing was written; move the comment above the entry, then run it again" — there is no
    { }, and the comment already is above the entry; ruamel hangs it on the end of the paragraph being removed.
    The translator cannot bring the file up to date without deleting their own note. Sync must keep it (above
    the subheading) and name the removed paragraph."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    note = '# Nota del traductor: "Más información" a propósito, no "Más para saber".'
    text = spanish.read_text(encoding="utf-8")
    old = '        text: "An introduction."\n      - subheading: more\n'
    assert old in text
    new = f'        text: "Una introducción."\n      {note}\n      - subheading: more\n'
    spanish.write_text(text.replace(old, new), encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace(
        '      - paragraph: intro\n        text: "An introduction."\n', "", 1), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    kept = spanish.read_text(encoding="utf-8")
    assert note in kept and kept.index(note) < kept.index("- subheading: more"), kept
    assert "Una introducción." in result.output + result.stderr  # named as removed


# -- check and build disagree: the large-print bilingual edition ----------------------------------------------------
def test_check_finds_a_template_that_fails_only_in_the_large_print_bilingual_edition(project: Path) -> None:
    """The eighth pass made `check` render a project's own template in the standard, large-print, release and
    bilingual editions — each alone. `build --large-print --bilingual es` (both: a clinic's large-print copy for a
    Spanish-speaking family) is not among them. A template with `{% if second and large_print %}{{ nothing.here
    }}{% endif %}`: on main 3c5e974 `check` said "ok: 2 handout file(s) in 2 language(s)", and `build --lang en
    --bilingual es --large-print` (and es with en beneath) failed "tiny (en): handout.xml.j2: template error:
    'nothing' is undefined"."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    start = '<handout lang="{{ doc.lang }}" dir="{{ doc.direction }}">'
    assert start in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        source.replace(start, "{%- if second and large_print %}{{ nothing.here }}{% endif %}\n" + start, 1),
        encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 0:  # then the edition builds
        built = run("build", "-j", "1", "--lang", "en", "--bilingual", "es", "--large-print", "--project", project)
        no_traceback(built)
        assert built.exit_code == 0, built.output + built.stderr
    else:
        assert checked.exit_code == 1 and "handout.xml.j2" in checked.stderr, checked.output + checked.stderr


# -- tracebacks: an unclosed quote after an escaped one ---------------------------------------------------------------
@pytest.mark.parametrize("command", [("check",), ("build", "-j", "1"), ("status",), ("lint",), ("list",),
                                     ("translate", "sync", "es")])
def test_an_unclosed_quote_after_an_escaped_quote_is_no_traceback(project: Path, command: tuple[str, ...]) -> None:
    """A translator's (or author's) typo: `text: "Say \\"no\\" to alcohol.` — escaped quotes inside, the closing one
    forgotten. On main 3c5e974 `check`, `build`, `status`, `lint` and `list` ended in "ValueError: substring not
    found" (a traceback, twice over: yamlread._unclosed_quote looks for the text with its `\\"` removed in the
    line that still holds them); the same line in the Spanish file ended `translate sync es` the same way. The
    error must be `content/en/tiny.yaml:17:…: YAML syntax error: a quoted text is never closed`, exit 1."""
    if command[0] == "translate":
        declare(project, "es")
        assert run("translate", "new", "es", "--project", project).exit_code == 0
        target = project / "content/es/tiny.yaml"
    else:
        target = project / HANDOUT
    text = target.read_text(encoding="utf-8")
    assert 'text: "An introduction."' in text
    target.write_text(text.replace('text: "An introduction."', 'text: "Say \\"no\\" to alcohol.', 1),
                      encoding="utf-8")
    line = next(n for n, row in enumerate(target.read_text(encoding="utf-8").split("\n"), 1) if "Say \\" in row)
    result = run(*command, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"tiny.yaml:{line}:15:" in result.stderr, result.output + result.stderr


# -- a template that prints a unit's plain text: values lose their left-to-right isolation --------------------------
def test_a_template_printing_plain_text_cannot_reverse_a_phone_number_in_arabic(project: Path) -> None:
    """A value (a phone number, the crisis line) inside Arabic text is kept left to right by the generator (an
    isolate around it: a Latin-digit phone number's groups would otherwise be laid out right to left). A project
    handout.xml.j2 prints the contact lines as `<p id="{{ line.id }}">{{ line.plain }}</p>` — `Text.plain`, the
    natural thing for a template author to write, and exactly the unit's words, so faithful.py accepts it. On main
    3c5e974 `check` said ok and the Arabic PDF's contact line reads, left to right, "0100 010 555 +1 :الهاتف"
    (page 1 at 200 dpi, looked at beside the shipped template's "+1 555 010 0100 :الهاتف"; pdftotext "0100 010 555
    1+"): a patient reading the digits dials 0100 010 555 1. The order of a value's characters is content: a
    template must not change it."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    _with_arabic(project)

    def contact_line() -> str:
        built = handouts("build", "-j", "1", "-q", "--force", "--lang", "ar", "--project", project)
        assert built.returncode == 0, built.stdout + built.stderr
        text = subprocess.run(["pdftotext", str(project / "output/ar/tiny.pdf"), "-"], capture_output=True,
                              text=True, timeout=60, check=True).stdout
        return next(line for line in text.splitlines() if "الهاتف" in line)

    assert "+1 555 010 0100" in contact_line()  # the shipped template: the number in its order
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    {%- for line in doc.contact_lines %}\n    {{ pair("p", line) }}\n'
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        source.replace(old, '    {%- for line in doc.contact_lines %}\n'
                       '    <p id="{{ line.id }}">{{ line.plain }}</p>\n', 1), encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code != 0:
        assert checked.exit_code == 1 and "handout.xml.j2" in checked.stderr, checked.output + checked.stderr
        return
    line = contact_line()
    assert "+1 555 010 0100" in line, f"the phone number is laid out in another order: {line!r}"
