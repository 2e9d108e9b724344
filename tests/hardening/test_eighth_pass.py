"""The eighth hostile pass (issue 12): new inputs, none repeated from the seven earlier passes or their corpus.
Written against main 9506dfa, and (the tests saying "on the fix", "on main 0a2393e" or "7ca0ee1") against the
lead's fixes made during the pass; every test here failed on the code it names when written. Two tests (the
240,000 empty boxes and the long terminology table) cost their 60 s timeout while they fail.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import run
from tests.hardening.hostile import HANDOUT, UI, declare, no_traceback, refused_at_intro, set_intro, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- approve records what the footer cannot hold ---------------------------------------------------------------
def test_approve_refuses_a_name_and_role_too_wide_for_the_footer(project: Path) -> None:
    """`approve --reviewer WWW…(80) --role WWW…(80)` of the handout, its ui.yaml and facts.yaml: each is at the
    80-character limit, every character is one the fonts draw, so on main 9506dfa approve said "approved"
    (exit 0) three times. The next `build` fails: "review.role: … makes the approval line 827 pt wide, more than
    the 505 pt of the narrowest page … approve again with a shorter --role" — a clinic cannot print anything
    until the reviewer approves again. The issue: approve must refuse what no build can draw; the limit counts
    characters while the footer is measured in points (a W is four times an i)."""
    wide = "W" * 80
    result = run("approve", "--project", project, "--reviewer", wide, "--role", wide,
                 project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(result)
    if result.exit_code != 0:  # refused at approve, where it belongs, and nothing recorded
        assert result.exit_code in (1, 2) and "review:\n  status: draft" in (project / HANDOUT).read_text()
        return
    build = run("build", "-j", "1", "-q", "--project", project)
    no_traceback(build)
    assert build.exit_code == 0, build.output + build.stderr


# -- deceptive links: what the words show is not where the link goes -------------------------------------------
@pytest.mark.parametrize("link", [
    "[9\u200b88](tel:+15550000666)",  # a zero-width space between the digits
    "[Call 9\u200c8\u200d8](tel:+15550000666)",  # zero-width non-joiner and joiner
    "[9\u00ad88](tel:+15550000666)",  # a soft hyphen (drawn as nothing mid-line)
    "[9\u034f88](tel:+15550000666)",  # a combining grapheme joiner
    "[9\u20108\u20108](tel:+15550000666)",  # U+2010 HYPHEN, how typesetting writes 9-8-8
    "[98\u20118](tel:+15550000666)",  # U+2011 NON-BREAKING HYPHEN: "98" and "8" are each too short to count
    "[clinic\u200b.example.org](https://evil.example/)",
    "[help@clinic.example.org](mailto:help@clinic.example.org?bcc=spy@evil.example)",
])
def test_a_link_cannot_show_a_number_or_address_split_by_invisible_or_dash_characters(project: Path,
                                                                                      link: str) -> None:
    """The seventh pass made link words read NFKC-folded, in any script. Characters that draw nothing still
    split what the patient sees: `[9\\u200b88](tel:+15550000666)` prints "988" (page 1 at 110 dpi, looked at)
    and its annotation dials +1 555 000 0666; the same with U+200C/U+200D, a soft hyphen and U+034F. A number
    written with typographic hyphens `9‐8‐8` (U+2010) or `98‑8` (U+2011) is no number to _SHOWN_PHONE (its
    separators are ASCII `-`, space, `.`, parentheses), and a number of two digits is "too short" to count.
    `[clinic​.example.org](https://evil.example/)` shows the clinic's site and opens another; a mailto whose
    words show the clinic's address and whose `?bcc=` sends a copy of the patient's mail elsewhere passes
    too (the comparison cuts the address at `?`). On main 9506dfa `check` and `build` passed every one."""
    set_intro(project, f"Call {link} now.")
    refused_at_intro(project, link)


# -- the front desk: an edit it does not see ---------------------------------------------------------------------
def test_the_desk_serves_the_edited_text_when_an_edit_keeps_the_file_s_size_and_time(project: Path) -> None:
    """The desk served tiny.pdf; then content/en/tiny.yaml was edited, one digit for another ("Take 10 mg." →
    "Take 90 mg.", the same size), with the same modification time — what two saves within one timestamp tick
    give (FAT/exFAT keep 2 s, SMB shares and coarse kernel clocks a few ms), and what `cp -p`, `rsync -t`,
    `tar x` or `unzip` of a translator's package give when its file had that time. On main 9506dfa the desk
    answered with the old PDF ("10 mg"): serve/catalog._signature compares only each file's size and mtime
    (not its change time or inode, which no copy can restore), so the project is not read again, and `is_built`
    judges the PDF current against the old text. The check cache guards exactly this (RACY_SECONDS, ctime,
    a hash of every small file); the desk must not hand out a dose the content no longer says."""
    import io
    import os

    from pypdf import PdfReader

    from generator.serve.app import create_app

    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take 10 mg.", 1),
                       encoding="utf-8")
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    first = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == 200
    assert "Take 10 mg." in PdfReader(io.BytesIO(first.data)).pages[0].extract_text()
    before = handout.stat()
    handout.write_text(handout.read_text(encoding="utf-8").replace("Take 10 mg.", "Take 90 mg.", 1),
                       encoding="utf-8")
    os.utime(handout, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert handout.stat().st_size == before.st_size
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    if again.status_code == 200:
        text = PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
        assert "Take 10 mg." not in text and "Take 90 mg." in text, "the desk served the old dose"


# -- --watch: an input it does not look at -----------------------------------------------------------------------
def test_watch_rebuilds_when_the_clinic_s_logo_is_replaced(project: Path) -> None:
    """handouts.yaml names `logo: logo.png` (a PNG at the project's root, as docs suggest for a clinic's
    branding). `build --watch` built tiny.pdf; then the clinic replaced logo.png by its new logo (another
    picture, same name). On main 9506dfa the watch never rebuilt: watch.watched_files polls handouts.yaml,
    content/**/*.yaml and templates/ only, while the logo is an input of every PDF (incremental.inputs_fingerprint
    hashes it, and a plain `build` afterwards says "built 1"). The guarantee: --watch tracks every file a build
    reads, so the PDF on disk (and the one the desk serves from it) is never the old one."""
    from PIL import Image
    from pypdf import PdfReader

    from tests.hardening.hostile import watching

    Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    with watching(project, seconds=60) as (lines, wait_for):
        assert wait_for("built 1, skipped 0"), "\n".join(lines)
        first = (project / "output/en/tiny.pdf").read_bytes()
        Image.new("RGB", (300, 100), (200, 30, 30)).save(project / ".logo-new.png")
        (project / ".logo-new.png").rename(project / "logo.png")
        rebuilt = wait_for("built 1, skipped 0", times=2, within=8)
    assert rebuilt and (project / "output/en/tiny.pdf").read_bytes() != first, "\n".join(lines)
    assert PdfReader(project / "output/en/tiny.pdf").pages  # whole


# -- a project template: whole units, put where they do not belong ------------------------------------------------
def test_a_template_cannot_pair_a_table_row_with_another_row_s_cells(project: Path) -> None:
    """A table "Taken with | Is it safe?" with rows "With alcohol | Dangerous: never combine" and "With water |
    Safe to combine". The project's `handout.xml.j2` prints each row's first cell with the *next* row's other
    cells (`block.rows[(loop.index0 + 1) % n]`). Every cell is one whole unit, every unit is printed, so
    render/faithful.py is satisfied: on main 9506dfa `check` said ok and, approved, `build --release` printed
    "With alcohol  Safe to combine" under "Reviewed … MD". The faithfulness check compares words, never where a
    unit stands; a reviewer approved which answer belongs to which row. Whatever the template arranges, a
    table's cells stay in their own rows (and a unit under its own heading, an item in its own list)."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    text = text.replace('            cells: {topic: "How fast", answer: "Within hours"}',
                        '            cells: {topic: "With alcohol", answer: "Dangerous: never combine"}\n'
                        '          - id: water\n'
                        '            cells: {topic: "With water", answer: "Safe to combine"}')
    path.write_text(text.replace("{id: topic, text: Topic}", "{id: topic, text: Taken with}")
                    .replace("{id: answer, text: Answer}", '{id: answer, text: "Is it safe?"}'), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '      <row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>'
    new = ('      {%- set other = block.rows[(loop.index0 + 1) % (block.rows|length)] %}<row>{{ pair("cell", row[0]) }}'
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

    text = squeeze(all_text(project / "output/en/tiny.pdf"))
    assert "Reviewed" in all_text(project / "output/en/tiny.pdf")
    assert squeeze("With alcohol Dangerous: never combine") in text, "the rows' answers were swapped"


# -- translate sync: a translator's text replaced by the source's ------------------------------------------------
def test_sync_keeps_the_translation_of_a_list_the_source_turns_into_a_checklist(project: Path) -> None:
    """Spanish is started (`translate new es`), its list item translated ("El primer punto.") and marked done.
    Then the English author turns `- list: points` into `- checklist: points` (bullets become boxes; not a
    word changes). `translate sync es` on main 9506dfa said "updated: content/es/tiny.yaml", exit 0, and
    replaced the block with a copy of the English one: "El primer punto." is gone, the Spanish file holds "The
    first point.", and because the unit's ID and its source text are unchanged, its translation record still
    says current — `status` shows es 15/15 translated, `check` passes and the Spanish PDF prints English.
    sync.reconcile matches blocks by (kind, ID), so a kind change is a removed block plus a new one, and the
    "removed" report compares unit IDs only. Nothing of a translator's is lost silently, and English is never
    substituted: the unit IDs are the same, the translation must stay."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"The first point."', '"El primer punto."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace("- list: points", "- checklist: points"),
                      encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    text = spanish.read_text(encoding="utf-8")
    if result.exit_code == 0:
        assert "El primer punto." in text and "The first point." not in text, result.output
    else:  # refused, saying why, with the translator's file untouched
        assert result.exit_code == 1 and "El primer punto." in text, result.output + result.stderr


# -- a project font: glyphs with ink too small to see ------------------------------------------------------------
def _dots_font(target: Path) -> None:
    """A copy of the shipped Noto Sans whose every outline is scaled to 1 % (a speck at the glyph's origin); its
    `cmap`, advance widths and metrics unchanged, so text lays out exactly as before."""
    from fontTools.ttLib import TTFont

    font = TTFont(Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans/NotoSans-Regular.ttf")
    glyf = font["glyf"]
    for name in glyf.keys():
        glyph = glyf[name]
        if glyph.numberOfContours > 0:
            glyph.coordinates.scale((0.01, 0.01))
            glyph.program = type(glyph.program)()
            glyph.program.fromBytecode(b"")
            glyph.recalcBounds(glyf)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def _build(project: Path, *options: str):  # noqa: ANN202 - a CompletedProcess
    """`handouts build` in a process of its own: ReportLab registers a font once per process (by its PostScript
    name), so a build after another one in this process could draw with the faces of the one before (forked from
    a process that has only imported the generator: tests/cliserver.py)."""
    return handouts("build", "-j", "1", "-q", "--project", project, *options)


def _ink(pdf: Path, tmp_path: Path, name: str) -> int:
    """Pixels of page 1 (pdftoppm, 50 dpi) with ink: darker than the callout's and table heading's fills (the
    watermark's grey and every text colour are)."""
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)],
                   check=True, timeout=60)
    image = Image.open(tmp_path / f"{name}-1.png").convert("L")
    return sum(1 for pixel in image.get_flattened_data() if pixel < 235)


def test_a_font_of_specks_cannot_hide_the_stamp_the_watermark_and_the_disclaimer(project: Path,
                                                                                 tmp_path: Path) -> None:
    """The fifth pass refused a project font whose glyphs are empty outlines. This one has ink: Noto Sans with
    every outline scaled to 1 % of its size (320 kB, in templates/fonts/, declared for English in fonts.yaml).
    Each glyph is a speck at its origin, under a tenth of a point. On main 9506dfa `check` said "ok" and
    `build` wrote a page 1 that shows only rules, boxes and the callout's fill (looked at, 60 dpi): no title, no
    text, no DRAFT watermark, no review state, no disclaimer — while pypdf extracts every word.
    fontbounds.blank_glyphs looks for empty outlines only. Whatever a project's fonts are, the review state, the
    watermark and the disclaimer must be visible (glyphs of a plausible size for their advance, or refused)."""
    assert _build(project).returncode == 0
    shipped = _ink(project / "output/en/tiny.pdf", tmp_path, "shipped")
    _dots_font(project / "templates/fonts/dots/Dots.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  dots:\n    regular: fonts/dots/Dots.ttf\n    bold: fonts/dots/Dots.ttf\n"
        "languages:\n  en: {family: dots, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = _build(project)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert result.returncode == 1 and ("Dots.ttf" in result.stderr or "fonts.yaml" in result.stderr), \
            result.stdout + result.stderr
        return
    specks = _ink(project / "output/en/tiny.pdf", tmp_path, "specks")
    # main 9506dfa: 19,211 → 2,763 (what is left: the rules, box borders and bullets)
    assert specks >= shipped // 2, (shipped, specks)


# -- two project fonts with one PostScript name ------------------------------------------------------------------
@pytest.mark.parametrize("names", ["same-name", "mac-record-first"])
def test_a_language_is_drawn_in_its_own_declared_font_when_another_font_has_the_same_postscript_name(
        project: Path, tmp_path: Path, names: str) -> None:
    """fonts.yaml declares two families: `latin` (Noto Sans cut down to ASCII, for English: a clinic's lighter
    file) and `full` (the whole Noto Sans, for Spanish). Both files call themselves "NotoSans-Regular" in their
    name table, as any subset or other version of a font does. `check` verifies Spanish against `full` and says
    ok; on main 9506dfa `build` (one process, -j 1) wrote output/es/tiny.pdf with boxes for ó, ñ and "espa□ol"
    (page 1 at 110 dpi, looked at): ReportLab's registerFont maps a second font whose face name it already
    knows to the first one (`_dynFaceNames`), so fonts.register gave `full-regular` the `latin` font. pypdf
    still extracts "ñ". No silent loss: every language is drawn in the font its check passed, or the build stops.
    The same mapping makes --watch and the front desk keep drawing with a font file the clinic has replaced.
    On the fix (main 0a2393e: a face registered per file version under a name of its own) the build fails
    instead: "cannot lay out the standard pdf edition of this handout (ValueError: redefining named object:
    'toUnicodeCMap:AAAAAA+NotoSans-Regular'); report this with the file" — two subsets of one PostScript name
    in one PDF (Spanish text and the "English" name in the other-languages line), blamed on the content.
    On main 7ca0ee1 two files with one PostScript name are refused — as fontTools reads the name (getDebugName
    prefers the Windows record). ReportLab takes the first of the Macintosh (1,0,0) and Windows (3,1,0x409)
    records in table order, the Macintosh one: with a Mac record "NotoSans-Regular" in both files and Windows
    records "ClinicA-Regular" / "ClinicB-Regular", `check` says ok and `build` again ends "cannot lay out …
    (ValueError: redefining named object: 'toUnicodeCMap:AAAAAA+NotoSans-Regular'); report this"."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from PIL import Image, ImageChops

    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"An introduction."',
                                                                   '"Una introducción: año, niño, señal."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"
    for style in ("Regular", "Bold"):
        (project / "templates/fonts/full").mkdir(parents=True, exist_ok=True)
        (project / "templates/fonts/latin").mkdir(parents=True, exist_ok=True)
        data = (shipped / f"NotoSans-{style}.ttf").read_bytes()
        (project / f"templates/fonts/full/NotoSans-{style}.ttf").write_bytes(data)
        font = TTFont(shipped / f"NotoSans-{style}.ttf")
        options = subset.Options()
        options.name_IDs, options.name_languages, options.notdef_outline = ["*"], ["*"], True
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=[*range(0x20, 0x7F), 0xA0, 0xB7, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D, 0x2022,
                                  0x2026, 0x25A1])
        cutter.subset(font)
        font.save(project / f"templates/fonts/latin/NotoSans-{style}.ttf")
    if names == "mac-record-first":  # the name ReportLab reads, and another one fontTools prefers, per file
        for family, tag in (("latin", "A"), ("full", "B")):
            for style in ("Regular", "Bold"):
                path = project / f"templates/fonts/{family}/NotoSans-{style}.ttf"
                font = TTFont(path)
                font["name"].names = [record for record in font["name"].names if record.nameID != 6]
                font["name"].setName(f"NotoSans-{style}", 6, 1, 0, 0)
                font["name"].setName(f"Clinic{tag}-{style}", 6, 3, 1, 0x409)
                font.save(path)
    fonts = ("families:\n  latin:\n    regular: fonts/latin/NotoSans-Regular.ttf\n"
             "    bold: fonts/latin/NotoSans-Bold.ttf\n  full:\n    regular: fonts/full/NotoSans-Regular.ttf\n"
             "    bold: fonts/full/NotoSans-Bold.ttf\nlanguages:\n"
             "  en: {family: latin, direction: ltr, breaking: words}\n"
             "  es: {family: full, direction: ltr, breaking: words}\n")
    (project / "templates/fonts.yaml").write_text(fonts, encoding="utf-8")
    first = _build(project)
    assert "Traceback" not in first.stderr, first.stderr
    if first.returncode != 0:  # refused, naming the fonts: no PDF drawn in the wrong one
        assert first.returncode == 1 and "fonts" in first.stderr and "report this" not in first.stderr, \
            first.stdout + first.stderr
        return
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    pdf = project / "output/es/tiny.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "drawn")],
                   check=True, timeout=60)
    # The same Spanish page with English on the full font too: nothing of Spanish changes but the face chosen.
    (project / "templates/fonts.yaml").write_text(fonts.replace("en: {family: latin", "en: {family: full"),
                                                  encoding="utf-8")
    assert _build(project, "--force").returncode == 0
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "meant")],
                   check=True, timeout=60)
    drawn = Image.open(tmp_path / "drawn-1.png").convert("L")
    meant = Image.open(tmp_path / "meant-1.png").convert("L")
    differing = sum(1 for pixel in ImageChops.difference(drawn, meant).get_flattened_data() if pixel > 60)
    assert differing == 0, f"{differing} pixels differ: Spanish drawn in another face than its own (main: 622)"


# -- two commands, or a command and an editor, on one file ------------------------------------------------------
_PAUSED = r"""
import os, sys, time
from pathlib import Path
marker, release, target = sys.argv[1:4]
name = "." + os.path.basename(target) + "."
def hook(event, args):
    # Pause the command when it creates the temporary file of its new text for `target` (after it read the file,
    # before it writes and renames): a slow disk, a busy machine.
    if event == "open" and isinstance(args[0], str) and os.path.basename(args[0]).startswith(name) \
            and args[0].endswith(".tmp") and not os.path.exists(marker):
        Path(marker).touch()
        deadline = time.monotonic() + 30
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.02)
sys.addaudithook(hook)
from generator.cli import main
main(sys.argv[4:], standalone_mode=True)
"""


def test_a_save_made_while_approve_runs_is_not_overwritten(project: Path, tmp_path: Path) -> None:
    """`approve` of content/en/tiny.yaml reads the file, builds its new text, then renames it into place. While
    it runs (here held as it creates its temporary file, as a busy machine or a slow network share holds it), the writer
    saves a correction in their editor: "An introduction." → "An introduction. Do not drive for 24 hours." On
    main 9506dfa approve then said "approved" and its rename put back the text it had read: the saved
    correction is gone, with no word to anyone, and the file says approved. The same holds for `translate
    sync/done/import` (import takes a second on the shipped project, between its read and its write) and for
    two of these commands at once. Every write keeps what it did not change: a file that changed since the
    command read it is refused (or merged), never overwritten."""
    import subprocess
    import sys
    import time

    marker, release = tmp_path / "paused", tmp_path / "release"
    command = [sys.executable, "-c", _PAUSED, str(marker), str(release), "content/en/tiny.yaml",
               "approve", "--project", str(project), "--reviewer", "Dr. A. Example", "--role", "MD",
               str(project / HANDOUT)]
    approving = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert approving.poll() is None, approving.communicate()
            assert time.monotonic() < deadline, "approve never wrote its temporary file"
            time.sleep(0.02)
        handout = project / HANDOUT
        handout.write_text(handout.read_text(encoding="utf-8").replace(
            '"An introduction."', '"An introduction. Do not drive for 24 hours."', 1), encoding="utf-8")
        release.touch()
        out, err = approving.communicate(timeout=60)
    finally:
        release.touch()
        if approving.poll() is None:
            approving.kill()
    assert "Traceback" not in err, err
    assert "Do not drive for 24 hours." in handout.read_text(encoding="utf-8"), out + err


# -- a project template: its output nested deep ------------------------------------------------------------------
@pytest.mark.parametrize("where", ["sections", "bold"])
def test_a_template_whose_output_nests_sections_deep_is_refused_without_a_traceback(project: Path, where: str
                                                                                   ) -> None:
    """The project's `handout.xml.j2` writes 1,500 empty `<section>` elements one inside the other before the
    real sections (a loop of `<section>` then a loop of `</section>`: a 20 kB output, far under every bound).
    On main 9506dfa `check` and `build` both ended in a Python traceback, "RecursionError: maximum recursion
    depth exceeded" (flowables.Builder.children → section → _section → children …, and tagging.Node.add).
    The same with a paragraph's text inside 1,500 nested `<b>` (flowables.spans_of recurses).
    The issue fixed a template *nested* 2,000 deep (a RecursionError in Jinja2); its *output* nested deep is
    the same class. No traceback, ever: the template is refused, naming it."""
    (project / "templates").mkdir()
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = "  {%- for section in doc.sections %}"
    new = ("  {%- for n in range(1500) %}<section>{% endfor %}{%- for n in range(1500) %}</section>{% endfor %}\n"
           + old)
    if where == "bold":  # the same inside a paragraph: its text in 1,500 nested <b> (flowables.spans_of)
        old = '    {{ pair("p", block.text) }}'
        new = ('    <p id="{{ block.text.id }}">{% for n in range(1500) %}<b>{% endfor %}{{ block.text | inline }}'
               '{% for n in range(1500) %}</b>{% endfor %}</p>')
    assert old in source
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    for command in ("check", "build"):  # in processes of their own: pytest takes seconds to print the traceback
        result = handouts(command, "--project", project, *(("-j", "1") if command == "build" else ()), timeout=60)
        assert "Traceback" not in result.stderr, result.stderr[-600:]
        assert result.returncode == 1 and "handout.xml.j2" in result.stderr, result.stdout + result.stderr


# -- the output folder: what a write keeps to put back --------------------------------------------------------------
def test_translate_review_over_large_files_in_the_output_folder_stays_within_memory(project: Path) -> None:
    """A project of 20 handouts with Spanish started; `output/review/es/` holds, where the review PDFs go, files
    of 63 MB each (sparse: no disk used; anyone who can write to the output folder can put them there). On main
    9506dfa `translate review es` took 1.4 GB (max RSS, /usr/bin/time), and under a 1 GiB address-space limit
    ended in a MemoryError traceback: files.write_files → _commit reads every file it is about to replace
    whole (up to 64 MB each, MAX_OUTPUT_BYTES) and keeps them all, to put them back if a later rename fails.
    The output folder is untrusted input; no command may take over 1 GB for what it holds."""

    source = (project / HANDOUT).read_text(encoding="utf-8")
    for number in range(19):
        (project / f"content/en/t{number:02d}.yaml").write_text(
            source.replace("handout: tiny", f"handout: t{number:02d}", 1), encoding="utf-8")
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    folder = project / "output/review/es"
    folder.mkdir(parents=True)
    for name in [*(f"t{number:02d}" for number in range(19)), "tiny", "ui"]:
        with open(folder / f"{name}.review.pdf", "wb") as handle:
            handle.truncate(63_000_000)

    result = handouts("translate", "review", "es", "--project", project, memory=1 << 30)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-800:]
    assert result.returncode in (0, 1), result.stdout + result.stderr


def test_a_failed_write_never_copies_a_linked_outside_file_into_the_output_folder(project: Path,
                                                                                   tmp_path: Path) -> None:
    """`translate review es` writes output/review/es/tiny.review.pdf and ui.review.pdf together. Someone with
    access to the output folder made the first a link to a file outside it (here `secret.txt`, "TOP SECRET");
    the second cannot be replaced (immutable here; in a shared sticky folder, another user's file). On main
    9506dfa the command said "cannot replace …ui.review.pdf; nothing was changed", exit 1 — but the link was
    gone: in its place a regular file holding the outside file's text, mode 0777 (the link's own mode).
    files._commit read the link's target as "the original" (read_bytes follows links) and, putting things
    back after the failed rename, wrote those bytes where the link was. A command never reads outside the
    project or output folder, never copies an outside file in, and "nothing was changed" must be true."""
    import os
    import subprocess

    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    assert run("translate", "review", "es", "--project", project).exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET outside the project\n", encoding="utf-8")
    folder = project / "output/review/es"
    (folder / "tiny.review.pdf").unlink()
    (folder / "tiny.review.pdf").symlink_to(secret)
    stuck = folder / "ui.review.pdf"
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here (not root, or a file system without it): cannot make a "
                    "rename fail for real")
    try:
        result = run("translate", "review", "es", "--project", project)
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], check=True)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    copied = folder / "tiny.review.pdf"
    assert os.path.islink(copied) or b"TOP SECRET" not in copied.read_bytes(), \
        f"the outside file was copied in, mode {os.stat(copied).st_mode & 0o777:o}"


def _font_names(pdf: Path) -> set[str]:
    """The BaseFont names of every font page 1 uses (subset prefix removed)."""
    from pypdf import PdfReader

    fonts = PdfReader(pdf).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1] for font in fonts.values()}


def test_each_clinic_of_a_many_clinics_build_is_drawn_in_its_own_fonts(tmp_path: Path) -> None:
    """Two clinics built in one run (`build --project A --project B -j 1`). A uses the shipped fonts; B's own
    templates/fonts.yaml keeps the family *name* `noto-sans` but points it at its own files (DejaVu Sans, which
    has ✓ and →), and B's handout says "✓ Arrange a ride home → then rest." `check` of B passes (its glyphs
    are checked against DejaVu). On main 9506dfa B's PDF embedded NotoSans-Regular/Bold — A's files — and
    printed "Arrange a ride home  then rest." (page 1 at 110 dpi, looked at: ✓ and → gone, not even a box);
    built alone it embeds DejaVuSans. fonts.register registers a face once per process by the name
    "<family>-<face>", and returns that name for any later file of the same family name. The bad PDF then
    stays: B's next build alone says "skipped" (its inputs did not change). No silent loss of glyphs, in a
    many-clinics build or any long-running process (--watch, the desk)."""
    shipped = Path(__file__).resolve().parents[2] / "templates/fonts/dejavu-sans"
    first, second = tiny_copy(tmp_path / "a"), tiny_copy(tmp_path / "b")
    (second / "templates/fonts/own").mkdir(parents=True)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        (second / "templates/fonts/own" / name).write_bytes((shipped / name).read_bytes())
    (second / "templates/fonts.yaml").write_text(
        "families:\n  noto-sans:\n    regular: fonts/own/DejaVuSans.ttf\n    bold: fonts/own/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: noto-sans, direction: ltr, breaking: words}\n", encoding="utf-8")
    path = second / HANDOUT
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"Arrange a ride home."', '"\u2713 Arrange a ride home \u2192 then rest."', 1), encoding="utf-8")
    assert run("check", "--project", second).exit_code == 0
    result = _build_many(first, second)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert _font_names(second / "output/en/tiny.pdf") == {"DejaVuSans", "DejaVuSans-Bold"}, \
        _font_names(second / "output/en/tiny.pdf")


def _build_many(*projects: Path):  # noqa: ANN202 - a CompletedProcess
    """One `handouts build` of several projects, in a process of its own (fonts are registered per process)."""
    options = [part for project in projects for part in ("--project", str(project))]
    return handouts("build", "-j", "1", "-q", *options)


def test_the_large_print_review_line_is_never_set_below_the_large_print_footer_size(project: Path) -> None:
    """templates/style.yaml promises: "a line that still does not fit is set smaller, never below 8 pt (large
    print: never below its size)" — 12 pt. Approved with `--role` of 30 × "W" (accepted: the line fits the
    standard edition at 8 pt), `build --large-print` on main 9506dfa printed the review line "Reviewed … ·
    WWW… · next review …" at 9 pt between footer lines of 12 pt (pypdf's text visitor; page 1 at 60 dpi looked
    at), and `check` said ok. layout.fit_footer_line shrinks every edition's lines down to FOOTER_SIZE_MIN.
    A large-print reader needs the review state at large-print size: refuse the role at approve (or at check,
    naming it), or keep the promise."""
    from pypdf import PdfReader

    approved = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "W" * 30,
                   project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(approved)
    if approved.exit_code != 0:
        return
    result = run("build", "-j", "1", "--large-print", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:  # refused, naming the role's file
        assert result.exit_code == 1 and "tiny.yaml" in result.stderr, result.output + result.stderr
        return
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        if text.strip() and abs(cm[1]) < 0.01 and cm[5] + tm[5] < 80:
            sizes[text.strip()[:20]] = round(size * scale, 2)

    PdfReader(project / "output/en/tiny.large.pdf").pages[0].extract_text(visitor_text=visit)
    review = [size for text, size in sizes.items() if text.startswith("Reviewed")]
    assert review and min(review) >= 12.0, sizes


def test_sync_never_deletes_a_translator_s_text_without_a_word(project: Path) -> None:
    """A translator kept a second wording beside a list item in content/es/tiny.yaml: `alternative: "Primer
    punto (otra opción, preguntar a la Dra. Ruiz)"` (`check` reports it: "unknown key 'alternative'"). The
    English author then edits another unit, and `translate sync es` runs: on main 9506dfa it said "updated:
    content/es/tiny.yaml", exit 0, and the `alternative:` line — the translator's text and note — was gone,
    named nowhere (sync.reconcile deletes every key the source lacks; its "removed:" report lists only units).
    A translator's words are never deleted without a word: refuse (naming the line), keep it, or say what went."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    note = 'alternative: "Primer punto (otra opción, preguntar a la Dra. Ruiz)"'
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        '            text: "The first point."', f'            text: "El primer punto."\n            {note}'),
        encoding="utf-8")
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('"Safety first."', '"Safety first, always."'),
                      encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    kept = note in spanish.read_text(encoding="utf-8")
    said = "Primer punto (otra" in result.output + result.stderr or "alternative" in result.output + result.stderr
    assert kept or said, result.output + result.stderr


# -- fonts.yaml: a language's direction ---------------------------------------------------------------------------
def test_fonts_yaml_cannot_set_arabic_left_to_right(tmp_path: Path) -> None:
    """A clinic's templates/fonts.yaml (the shipped one with its fonts copied in) says `ar: {family:
    dejavu-sans, direction: ltr, …}`. On main 9506dfa `check` said "ok: 30 handout file(s) in 6 language(s)"
    and `build --lang ar` wrote every Arabic handout with its letters unjoined (isolated forms), each word's
    letters and the words of each line in reverse reading order, left-aligned (page 1 at 80 dpi, looked at
    beside the shipped build): the whole Arabic handout — Safety, the crisis line, the disclaimer and the
    review stamp included — is unreadable to an Arabic reader, while pypdf extracts it in perfect order.
    A language's direction is the language's (Babel: ar is right-to-left); fonts.yaml may not print it
    backwards. (`en: {direction: rtl}` moves the punctuation of every English line: ".(Take 2 tablets …".)"""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    templates = Path(__file__).resolve().parents[2] / "templates"
    (folder / "templates").mkdir(exist_ok=True)
    shutil.copytree(templates / "fonts", folder / "templates/fonts", dirs_exist_ok=True)
    shipped = (templates / "fonts.yaml").read_text(encoding="utf-8")
    assert "ar: {family: dejavu-sans, direction: rtl" in shipped
    (folder / "templates/fonts.yaml").write_text(shipped.replace(
        "ar: {family: dejavu-sans, direction: rtl", "ar: {family: dejavu-sans, direction: ltr"), encoding="utf-8")
    checked = run("check", "--project", folder)
    no_traceback(checked)
    if checked.exit_code != 0:
        assert checked.exit_code == 1 and "fonts.yaml" in checked.stderr, checked.output + checked.stderr
        return
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    pdf = folder / "output/ar/microdosing.pdf"

    def page(name: str) -> Image.Image:
        built = handouts("build", "-j", "1", "-q", "--force", "--lang", "ar", "microdosing", "--project", folder)
        assert built.returncode == 0, built.stdout + built.stderr
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)],
                       check=True, timeout=60)
        return Image.open(tmp_path / f"{name}-1.png").convert("L")

    drawn = page("ltr")
    (folder / "templates/fonts.yaml").write_text(shipped, encoding="utf-8")
    meant = page("rtl")
    assert ImageChops.difference(drawn, meant).getbbox() is None, "the Arabic page is drawn left to right"


@pytest.mark.parametrize("linked", ["file", "language-folder"])
def test_a_built_pdf_replaced_by_a_link_to_an_outside_copy_is_rebuilt(project: Path, tmp_path: Path,
                                                                       linked: str) -> None:
    """After a build, output/en/tiny.pdf is replaced by a link to a byte-identical copy outside the output
    folder (`/elsewhere/copy.pdf`, a file its maker can change at any time). On main 9506dfa the next `build`
    said "built 0, skipped 1" and left the link in place: incremental.is_current hashed the file through the
    link (files.read_bytes resolves links; O_NOFOLLOW guards only the resolved last step), found the sealed
    sha256, and called it current. docs/guarantees.md: a PDF that is a link "is never opened (it is rebuilt,
    and the new file replaces the entry itself)". Staff printing output/en/tiny.pdf then print whatever the
    outside file says after that build; nothing outside the output folder may be read or vouched for.
    On the fix (main 041eb36: a file that is a link is never current) the same holds for output/en itself made
    a link to an outside folder holding the copy: "built 0, skipped 1", the link kept."""
    import os
    import shutil

    assert run("build", "-j", "1", "-q", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    if linked == "file":
        copy = tmp_path / "elsewhere" / "copy.pdf"
        copy.parent.mkdir()
        copy.write_bytes(pdf.read_bytes())
        pdf.unlink()
        pdf.symlink_to(copy)
    else:
        shutil.move(project / "output/en", tmp_path / "en")
        (project / "output/en").symlink_to(tmp_path / "en")
    result = run("build", "-j", "1", "--project", project)
    no_traceback(result)
    if linked == "language-folder" and result.exit_code == 1:  # refused: a language folder may not be a link
        assert "output/en" in result.stderr, result.stderr
        return
    assert not os.path.islink(pdf) and not os.path.islink(project / "output/en"), result.output + result.stderr


_MEASURED = r"""
import atexit, resource, sys
def report():
    with open(sys.argv[1], "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
atexit.register(report)
from generator.cli import main
main(sys.argv[2:], standalone_mode=True)
"""


def _measured(tmp_path: Path, *args: str, timeout: float = 120):  # noqa: ANN202 - (CompletedProcess, peak kB)
    """A command in a process of its own, with its own peak memory (max RSS, kB; Linux)."""
    import os
    import subprocess
    import sys

    report = tmp_path / "peak.txt"
    result = subprocess.run([sys.executable, "-c", _MEASURED, str(report), *args], capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, "HANDOUTS_CACHE_DIR": str(tmp_path / "cache")})
    return result, int(report.read_text()) if report.exists() else 0


# -- a project template: many values, each under the bound ---------------------------------------------------------
def test_a_template_cannot_keep_many_values_each_under_the_size_bound(project: Path, tmp_path: Path) -> None:
    """The sandbox bounds each value a template builds (2 million characters) and the time (10 s), not what it
    keeps: `{% set ns = namespace(keep=[]) %}{% for i in range(700) %}{% set ns.keep = ns.keep + [("x" *
    1999990) ~ i] %}{% endfor %}` keeps 700 distinct strings of 2 MB. On main 9506dfa `check` said "ok" after
    1.9 s with a peak of 1.42 GB (range(1500): 2.98 GB in 4 s, and `build` the same; under a 1 GiB limit a
    clean "template error (MemoryError)"); in its 10 s the loop can keep well over 10 GB — the OOM killer's
    business, not a clear error. The issue: no memory use over 1 GB for a template, whatever it does."""

    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    start = '<handout lang="{{ doc.lang }}" dir="{{ doc.direction }}">'
    assert start in source
    hoard = ('{%- set ns = namespace(keep=[]) %}{%- for i in range(700) %}'
             '{%- set ns.keep = ns.keep + [("x" * 1999990) ~ i] %}{%- endfor %}\n')
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(start, hoard + start, 1), encoding="utf-8")
    result, peak = _measured(tmp_path, "check", "--project", str(project))
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert 0 < peak < 1_000_000, f"check took {peak / 1e6:.2f} GB ({result.stdout.strip()})"


def test_a_template_printing_the_logo_thousands_of_times_stays_within_bounds(project: Path, tmp_path: Path) -> None:
    """The clinic has a logo (a 300 × 100 PNG); the project's `handout.xml.j2` writes `<logo src="{{ doc.logo
    }}"/>` 5,000 times in the title block (110 kB of output). The sixth pass bounded what a template lays out
    at 5,000 *texts* (MAX_FLOWS); images are not counted. On main 9506dfa `check` said ok and `build` wrote a
    314-page PDF in 5.9 s with a peak of 1.24 GB; under a 1 GiB limit it failed "content/en/tiny.yaml: cannot
    lay out the standard pdf edition of this handout (MemoryError …); report this with the file" — blaming
    the content for the template. 20,000 logos (440 kB) would take about four times as much. Bounded time and
    memory for any template; an error names the template."""

    from PIL import Image

    Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    <logo src="{{ doc.logo }}"/>'
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        source.replace(old, '    {%- for n in range(5000) %}<logo src="{{ doc.logo }}"/>{% endfor %}', 1),
        encoding="utf-8")
    result, peak = _measured(tmp_path, "build", "-j", "1", "--project", str(project))
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    if result.returncode != 0:
        assert result.returncode == 1 and "handout.xml.j2" in result.stderr, result.stderr
    assert 0 < peak < 1_000_000, f"build took {peak / 1e6:.2f} GB ({result.stdout.strip()})"


def test_a_template_printing_a_quarter_million_empty_boxes_is_refused_or_built_within_bounds(
        project: Path, tmp_path: Path) -> None:
    """The project's `handout.xml.j2` writes `<section style="callout"></section>` 240,000 times (3 loops of
    80,000: a number over 100,000 is refused; 8.6 MB, under the 10 million characters of output) before the
    real sections. Empty boxes are no texts, so MAX_FLOWS (5,000 texts) does not count them. On main 9506dfa
    `check` said ok in 5 s (388 MB), and `build` took 155 s and 1.13 GB, for a PDF of empty space. No hang over
    60 s, no memory over 1 GB, whatever the template: bound what the layout takes (boxes, lists, logos,
    rules), not only its texts. (This test costs its 60 s timeout while it fails.)"""
    import os
    import subprocess

    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = "  {%- for section in doc.sections %}"
    assert old in source
    boxes = ('  {%- for m in range(3) %}{%- for n in range(80000) %}<section style="callout"></section>{% endfor %}'
             '{% endfor %}\n')
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, boxes + old, 1), encoding="utf-8")
    env = {**os.environ, "HANDOUTS_CACHE_DIR": str(tmp_path / "cache")}

    checked = handouts("check", "--project", project, timeout=60, env=env, memory=1 << 30)
    assert "Traceback" not in checked.stderr, checked.stderr[-600:]
    if checked.returncode != 0:
        assert checked.returncode == 1 and "handout.xml.j2" in checked.stderr, checked.stderr
        return
    try:
        built = handouts("build", "-j", "1", "--project", project, timeout=60, env=env, memory=1 << 30)
    except subprocess.TimeoutExpired:
        pytest.fail("build ran over 60 s (main 9506dfa: 155 s, 1.13 GB)")
    assert "Traceback" not in built.stderr and "MemoryError" not in built.stderr, built.stderr[-600:]
    assert built.returncode in (0, 1), built.stdout + built.stderr


def test_sync_names_a_translator_s_error_at_its_line_in_the_file(project: Path) -> None:
    """Spanish started; the translator wrote "Tómese **tiempo para descansar." (an unclosed `**`) at line 49 of
    content/es/tiny.yaml; the English author then deleted the list block `points` (four lines above it).
    `translate sync es` on main 9506dfa refused, rightly, but said "content/es/tiny.yaml:45:23: … '**' (bold)
    is opened but never closed" and quoted line 45 of the file — `text: "The law differs by place."`, which
    has no `**`: the position is in the text sync meant to write (the block already taken out), the excerpt
    from the file on disk. Errors point at `file:line:col` of the file the translator has."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    text = spanish.read_text(encoding="utf-8").replace('text: "Take time to rest."',
                                                       'text: "Tómese **tiempo para descansar."')
    spanish.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), 1) if "**tiempo" in content)
    source = project / HANDOUT
    block = ('      - list: points\n        items:\n          - id: first\n            text: "The first point."\n')
    assert block in source.read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace(block, ""), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"content/es/tiny.yaml:{line}:" in result.stderr and "**tiempo" in result.stderr, result.stderr


def test_sync_says_which_translation_it_removes_even_in_a_file_with_another_problem(project: Path) -> None:
    """Normally, when the source drops a unit, `translate sync` says "removed: content/es/tiny.yaml:
    expect.points.first (its text was: El primer punto.)". Here the Spanish file also has a line `check` refuses
    (`notas: "revisar con la Dra. Ruiz"`, an unknown key). On main 9506dfa sync said only "updated:
    content/es/tiny.yaml", exit 0: "El primer punto." and the note were gone, neither named — sync.sync reads
    the translator's units only from a file that parses (`translated = {}` otherwise), so the "removed" report
    is empty exactly when the file already had a problem. Nothing of a translator's is lost silently."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"The first point."', '"El primer punto."')
                       .replace("version: 1.0.0\n", 'version: 1.0.0\nnotas: "revisar con la Dra. Ruiz"\n'),
                       encoding="utf-8")
    source = project / HANDOUT
    block = ('      - list: points\n        items:\n          - id: first\n            text: "The first point."\n')
    source.write_text(source.read_text(encoding="utf-8").replace(block, ""), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    if result.exit_code == 0:
        assert "El primer punto." in result.output, result.output
    else:  # refused: the file as it was
        assert result.exit_code == 1 and "El primer punto." in spanish.read_text(encoding="utf-8")


@pytest.mark.parametrize("mark", ["\u00d7", "\u00ac", "\u2717"], ids=["times", "not", "ballot-x"])
def test_a_template_cannot_mark_an_instruction_with_a_symbol_of_its_own(project: Path, mark: str) -> None:
    """The project's `handout.xml.j2` writes the checklist item "Arrange a ride home." as `<item>× Arrange a
    ride home.</item>` (also `¬`, NOT SIGN, and `✗`, BALLOT X): on a patient handout a cross before an
    instruction says "do not". render/faithful.py lets a template put "punctuation" between whole units, and
    counts as punctuation every character that is not a letter or digit, symbols included. On main 9506dfa
    `check` and `build` passed all three; × and ¬ are printed (pypdf: "¬ Arrange a ride home."), and ✗ — which
    Noto Sans does not have — is silently left out (page 1 at 110 dpi, looked at: a blank before the item), as
    no glyph check covers what a template adds. A template prints no words — nor signs — of its own."""
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '      {{ pair("item", item) }}'
    assert old in source
    new = (f'      <item id="{{{{ item.id }}}}">{{% if item.id.endswith("ride") %}}{mark} {{% endif %}}'
           '{{ item | inline }}</item>')
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr


def test_a_template_cannot_put_direction_controls_around_a_unit(tmp_path: Path) -> None:
    """Content may not hold text-direction controls (U+202A–U+202E, U+2066–U+2069: they "could print 12 as 21",
    docs/guarantees.md). A project's `handout.xml.j2` may: it writes every paragraph as
    `<p id="…">&#x202D;{{ block.text | inline }}&#x202C;</p>` (LEFT-TO-RIGHT OVERRIDE … POP), and faithful.py
    takes the two invisible characters for punctuation. On main 9506dfa `check` said ok and `build --lang ar
    microdosing` drew every Arabic paragraph with its letters in reverse order and unjoined (page 1 at 80 dpi,
    looked at beside the shipped build), while pypdf extracts the same text as before. Whatever a template
    adds is checked like content: no direction controls, nothing that reorders what is printed."""
    import subprocess

    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    {{ pair("p", block.text) }}'
    assert old in source
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "handout.xml.j2").write_text(source.replace(
        old, '    <p id="{{ block.text.id }}">&#x202D;{{ block.text | inline }}&#x202C;</p>', 1), encoding="utf-8")
    import shutil

    from PIL import Image, ImageChops

    def page(name: str) -> Image.Image | None:
        built = handouts("build", "-j", "1", "-q", "--force", "--lang", "ar", "microdosing", "--project", folder)
        assert "Traceback" not in built.stderr, built.stderr
        if built.returncode != 0:  # refused, naming the template
            assert built.returncode == 1 and "handout.xml.j2" in built.stderr, built.stdout + built.stderr
            return None
        if shutil.which("pdftoppm") is None:
            pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1",
                        str(folder / "output/ar/microdosing.pdf"), str(tmp_path / name)], check=True, timeout=60)
        return Image.open(tmp_path / f"{name}-1.png").convert("L")

    drawn = page("controls")
    if drawn is None:
        return
    (folder / "templates" / "handout.xml.j2").unlink()
    meant = page("shipped")
    assert meant is not None
    assert ImageChops.difference(drawn, meant).getbbox() is None, "Arabic paragraphs drawn in another order"


def test_an_output_folder_inside_the_templates_folder_is_refused_or_settles(project: Path) -> None:
    """`build --out PROJECT/templates/out` (the project has its own templates/style.yaml). On main 9506dfa every
    build said "built 1, skipped 0": the PDFs and manifest it writes are files of the templates folder, which
    incremental.static_inputs hashes as inputs (seventh pass: every file there may be included), so each
    build changes the inputs of the next. `build --watch` with that --out rebuilt 11 times in 6 s with no edit,
    for ever, and the check cache is void after every build. `translate export` refuses to write into
    templates/ (project_input); a build's output folder inside the project's inputs is refused the same way,
    or at least not counted as an input."""
    (project / "templates").mkdir()
    shipped = Path(__file__).resolve().parents[2] / "templates" / "style.yaml"
    (project / "templates" / "style.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    out = project / "templates" / "out"
    first = run("build", "-j", "1", "--project", project, "--out", out)
    no_traceback(first)
    if first.exit_code != 0:  # refused, as a usage or output error
        assert first.exit_code in (1, 2) and not out.exists(), first.output + first.stderr
        return
    again = run("build", "-j", "1", "--project", project, "--out", out)
    assert again.exit_code == 0 and "built 0, skipped 1" in again.output, again.output


# -- a command's output file that is not a regular file ------------------------------------------------------------
@pytest.mark.parametrize("kind", ["named-pipe", "device"])
def test_translate_export_never_replaces_a_device_or_a_named_pipe(project: Path, tmp_path: Path, kind: str) -> None:
    """`translate export es --format po -o X` where X is a named pipe, or a character device (here a private
    copy of /dev/null, `mknod X c 1 3`). On main 9506dfa both exports said "exported 46 unit(s) … to X", exit
    0, and X was a regular file of 12 kB afterwards: files.write_files renames its temporary file over whatever
    the target is (replace_texts refuses a target that is not a regular file; write_files does not). Run as
    root — as CI and many a clinic's admin run it — `-o /dev/null` replaces the system's /dev/null with a PO
    file. Only regular files are replaced; anything else is a clear error and stays as it was."""
    import os
    import stat
    import subprocess

    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    target = tmp_path / "target"
    if kind == "named-pipe":
        os.mkfifo(target)
    elif subprocess.run(["mknod", str(target), "c", "1", "3"], capture_output=True).returncode != 0:
        pytest.skip("mknod is not possible here (not root): no device to write to")
    before = os.lstat(target).st_mode
    result = run("translate", "export", "es", "--format", "po", "-o", target, "--project", project)
    no_traceback(result)
    after = os.lstat(target).st_mode
    assert not stat.S_ISREG(after) and stat.S_IFMT(after) == stat.S_IFMT(before), result.output
    assert result.exit_code in (1, 2), result.output


def test_a_template_cannot_draw_a_language_s_name_in_another_language_s_fonts(tmp_path: Path) -> None:
    """The other-languages line ("This handout is also available in: español · العربية · 中文 (简体) · …") names
    each language in its own script and fonts, chosen by each `<language lang="…">` the template writes. A
    project's `handout.xml.j2` shifts the codes by one (`doc.other_languages[(loop.index0 + 1) % n][0]`), so
    العربية is drawn in the Chinese face and 中文 (简体) in the Arabic one. On main 9506dfa `check` said ok and
    the English microdosing PDF read "español ·            · ( ) · Tiếng Việt · русский" (page 3 at 110 dpi,
    looked at; pypdf extracts blanks too): two languages' names silently gone. The seventh pass made a flow
    marked as one language's be that language's text; `<language lang>` was left out."""
    from tests.hardening.hostile import all_text

    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '      <language lang="{{ code }}">{{ name }}</language>'
    assert old in source
    new = ('      <language lang="{{ doc.other_languages[(loop.index0 + 1) % (doc.other_languages|length)][0] }}">'
           '{{ name }}</language>')
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    result = run("build", "-j", "1", "--lang", "en", "microdosing", "--project", folder)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr
        return
    text = all_text(folder / "output/en/microdosing.pdf")
    assert "\u0627\u0644\u0639\u0631\u0628\u064a\u0629" in text and "\u4e2d\u6587" in text, text[-300:]


# -- a translation file another translator broke ---------------------------------------------------------------------
@pytest.mark.parametrize(("command", "file", "record"), [
    ("sync", "ru", "translation: done\n"), ("done", "ru", "translation: done\n"),
    ("sync", "es", "translation: done\n"), ("sync", "es", "translation:\n  units: [a, b]\n"),
    ("sync", "es", "translation:\n  units: 5\n"), ("sync", "es", "- paragraph: [intro]")],
    ids=["sync-other", "done-other", "sync-own-text", "sync-own-list", "sync-own-number", "sync-own-block-id"])
def test_a_broken_translation_record_in_another_language_is_no_traceback(project: Path, command: str, file: str,
                                                                          record: str) -> None:
    """Spanish and Russian are started; the Russian translator replaced the machine-kept `translation:` block of
    content/ru/tiny.yaml by `translation: done` (a note to self; `check` names it). Then the Spanish translator
    runs `translate sync es` (or `translate done es --all`): on main 9506dfa both ended in a traceback,
    "AttributeError: 'str' object has no attribute 'get'" in translators/history.recorded_hashes, which reads
    every language's record to prune content/source-history.yaml. One translator's typo must not crash every
    other translator's commands; no traceback, ever. In the Spanish file itself — the file sync is meant to
    mend — `translation: done` gives the same traceback, and `translation: {units: [a, b]}` "ValueError:
    dictionary update sequence element #0 has length 1; 2 is required" (sync.sync); `units: 5` "TypeError: 'int'
    object is not iterable", and a block ID written as a list (`- paragraph: [intro]`) "TypeError: unhashable
    type: 'CommentedSeq'" (sync._identity keys a dict by it)."""
    declare(project, "es", "ru")
    for lang in ("es", "ru"):
        assert run("translate", "new", lang, "--project", project).exit_code == 0
    broken = project / f"content/{file}/tiny.yaml"
    text = broken.read_text(encoding="utf-8")
    if record.startswith("- paragraph:"):
        assert "- paragraph: intro" in text
        broken.write_text(text.replace("- paragraph: intro", record, 1), encoding="utf-8")
    else:
        broken.write_text(text[:text.index("\ntranslation:")] + "\n" + record, encoding="utf-8")
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('"Safety first."', '"Safety first, always."'),
                      encoding="utf-8")
    args = ["translate", command, "es", *(["--all"] if command == "done" else []), "--project", project]
    result = run(*args)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output + result.stderr


# -- on the fixes (main 0a2393e): a number written in Chinese numerals ------------------------------------------
def test_a_tel_link_cannot_show_a_number_in_chinese_numerals_and_dial_another(tmp_path: Path) -> None:
    """Chinese text writes short numbers in characters as often as in digits — "请拨打一二〇" (call 120, the
    ambulance) is how signs and leaflets say it. In content/zh-Hans/microdosing.yaml, `[请拨打九八八](tel:+1555000
    0666)` ("please call 988"): the link check reads digits only (`\\d`, unicodedata.digit), so on main 0a2393e
    — after the fixes for full-width, superscript and invisible-character digits — `check` passed, and the PDF
    shows 九八八 linked to +1 555 000 0666. A number shown in a link's words, in any way a reader reads it as
    one, is the number it dials."""
    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    path = folder / "content/zh-Hans/microdosing.yaml"
    source = path.read_text(encoding="utf-8")
    at = source.index('text: "', source.index("sections:")) + len('text: "')
    path.write_text(source[:at] + "[\u8bf7\u62e8\u6253\u4e5d\u516b\u516b](tel:+15550000666)\u3002" + source[at:],
                    encoding="utf-8")
    result = run("check", "--project", folder)
    no_traceback(result)
    assert result.exit_code == 1 and "microdosing.yaml" in result.stderr, result.output + result.stderr


# -- on the fixes (main 0a2393e): a font whose glyphs are drawn far below their line ----------------------------------
def _grey_pixels(pdf: Path, tmp_path: Path, name: str) -> int:
    """Pixels of page 1 (pdftoppm, 50 dpi) in the watermark's grey (#d6d6d6, give or take), as the fourth and
    seventh passes count them."""
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)],
                   check=True, timeout=60)
    image = Image.open(tmp_path / f"{name}-1.png").convert("RGB")
    return sum(1 for pixel in image.get_flattened_data() if all(abs(channel - 214) <= 8 for channel in pixel))


@pytest.mark.parametrize("how", ["moved-25-em-down", "cancelling-contours", "specks-in-a-full-size-box"])
def test_a_font_whose_glyphs_hang_far_below_their_line_cannot_hide_the_watermark_and_the_stamp(
        project: Path, tmp_path: Path, how: str) -> None:
    """On the speck fix (main 0a2393e: a glyph too small to see counts as not drawn), two fonts whose glyphs keep
    their full size and still show nothing where they should. (1) Noto Sans with every outline moved 25 em down
    (`coordinates.translate((0, -25000))`): `build` draws every text 25 × its size below its line — the DRAFT
    watermark and the whole footer stamp (review state, disclaimer) fall off the paper, body text lands on
    other lines (watermark-grey pixels 6,310 → 401). (2) Noto Sans with each contour followed by the same
    contour reversed: under TrueType's non-zero winding rule they cancel, so every glyph is a full-size outline
    that fills nothing — page 1 is blank but for rules and boxes. (3) On main 7ca0ee1, the very font of
    specks of the test above with each glyph's header keeping its original bounding box: the speck check reads
    the header's box (fontbounds.glyph_extents), a renderer draws the points — page 1 blank again, watermark
    pixels 0. On main 0a2393e/7ca0ee1 `check` and `build` passed all three (pages at 50 dpi, looked at), and
    pypdf extracts every word. Whatever a project's fonts are, the
    review state, the watermark and the disclaimer are drawn where they belong, or the font is refused."""
    assert _build(project).returncode == 0
    shipped = _grey_pixels(project / "output/en/tiny.pdf", tmp_path, "shipped")
    from fontTools.pens.reverseContourPen import ReverseContourPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans/NotoSans-Regular.ttf",
                  recalcBBoxes=how != "specks-in-a-full-size-box")
    glyf, glyphs = font["glyf"], font.getGlyphSet()
    outlines = {}
    for name in glyf.keys():
        glyph = glyf[name]
        if glyph.numberOfContours <= 0:
            continue
        if how == "moved-25-em-down":
            glyph.coordinates.translate((0, -25000))
            glyph.program = type(glyph.program)()
            glyph.program.fromBytecode(b"")
            glyph.recalcBounds(glyf)
        elif how == "specks-in-a-full-size-box":  # the points scaled to 1 %, the header's box left as it was
            box = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
            glyph.coordinates.scale((0.01, 0.01))
            glyph.program = type(glyph.program)()
            glyph.program.fromBytecode(b"")
            glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax = box
        else:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(pen)
            glyphs[name].draw(ReverseContourPen(pen))
            outlines[name] = pen.glyph()
    for name, glyph in outlines.items():
        glyf[name] = glyph
    if how == "moved-25-em-down":
        font["head"].yMin = -26000
    (project / "templates/fonts/odd").mkdir(parents=True)
    font.save(project / "templates/fonts/odd/Odd.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  odd:\n    regular: fonts/odd/Odd.ttf\n    bold: fonts/odd/Odd.ttf\n"
        "languages:\n  en: {family: odd, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = _build(project)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert result.returncode == 1 and ("Odd.ttf" in result.stderr or "fonts.yaml" in result.stderr), \
            result.stdout + result.stderr
        return
    drawn = _grey_pixels(project / "output/en/tiny.pdf", tmp_path, "odd")
    assert drawn >= shipped * 3 // 4, (shipped, drawn)


@pytest.mark.parametrize("edited", ["template", "logo"])
def test_the_desk_never_renders_with_an_old_copy_of_an_edited_template(project: Path, edited: str) -> None:
    """The project has its own handout.xml.j2; the desk served tiny.pdf. The clinic then edits the template
    (the disclaimer moved above the sections) and the file keeps its modification time (two saves in one
    timestamp tick, `cp -p`, `rsync -t`, `unzip`). The next request on main 0a2393e was rebuilt — the inputs
    hash the template's bytes — but rendered with Jinja2's cached compile of the old text: the ProjectLoader's
    `uptodate` compares st_mtime_ns only. The PDF (old layout) is recorded, sealed, with the new template's
    inputs, so even a fresh `build` afterwards says "skipped 1": the stale PDF stays for good. The same with
    the clinic's logo replaced by another picture of the same byte size (solid colours: 363 bytes each):
    render/logo._scaled is cached by size and mtime only, and the desk embeds the old logo. A file is read
    again when its bytes change (its change time and inode tell, as the desk's catalog now checks)."""
    import io
    import os

    from PIL import Image
    from pypdf import PdfReader

    from generator.serve.app import create_app

    if edited == "logo":
        Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
        settings = project / "handouts.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
            encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    (project / "templates").mkdir()
    template = project / "templates" / "handout.xml.j2"
    template.write_text(source, encoding="utf-8")
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    first = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == 200
    def text_of(data: bytes) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    text = text_of(first.data)
    assert text.index("What to expect") < text.index("This handout gives general information")
    if edited == "logo":
        logo = project / "logo.png"
        before = logo.stat()
        Image.new("RGB", (300, 100), (200, 30, 30)).save(logo)
        assert logo.stat().st_size == before.st_size
        os.utime(logo, ns=(before.st_atime_ns, before.st_mtime_ns))
        again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
        assert again.status_code == 200
        fresh = _build(project, "--force", "--out", str(project / "fresh"))
        assert fresh.returncode == 0, fresh.stderr
        assert again.data == (project / "fresh/en/tiny.pdf").read_bytes(), "the desk embedded the old logo"
        return
    before = template.stat()
    start, end = source.index("  <disclaimer>"), source.index("</disclaimer>") + len("</disclaimer>")
    sections = source.index("  {%- for section in doc.sections %}")
    moved = source[:sections] + source[start:end] + "\n" + source[sections:start] + source[end:]
    template.write_text(moved, encoding="utf-8")
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert again.status_code == 200
    text = text_of(again.data)
    assert text.index("This handout gives general information") < text.index("What to expect"), \
        "the desk rendered the old template"


# -- lint: a terminology table of many rows ------------------------------------------------------------------------
def test_lint_with_a_long_terminology_table_stays_within_bounds(tmp_path: Path) -> None:
    """The shipped project (`handouts init`) with docs/terminology.md of 12,000 rows `| cN | en | x | e |` (180 kB;
    the table may be 1 MB): each says "for concept cN, avoid 'e'". On main 0a2393e `lint --lang en` was still
    running after 60 s, printing a line per unit per row; 10,000 rows took 52.6 s and 945 MB and printed
    2,850,046 lines (/usr/bin/time). Lint
    compares every avoided term with every unit and keeps every finding (terminology.check), unbounded in
    both. No hang over 60 s, no memory over 1 GB, no flood of millions of lines, whatever docs/ holds.
    (This test costs its 60 s timeout while it fails.)"""
    import subprocess

    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    rows = ["| concept | lang | use | not |", "|---|---|---|---|", *(f"|c{n}|en|x|e|" for n in range(12_000))]
    (folder / "docs/terminology.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    try:
        result, peak = _measured(tmp_path, "lint", "--lang", "en", "--project", str(folder), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("lint ran over 60 s (main 0a2393e: 10,000 rows took 52.6 s and 945 MB)")
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert 0 < peak < 1_000_000, f"lint took {peak / 1e6:.2f} GB"
    assert len(result.stdout.splitlines()) < 100_000, f"{len(result.stdout.splitlines()):,} lines printed"


# -- text the generator writes itself: dates --------------------------------------------------------------------------
def test_a_date_the_generator_writes_is_glyph_checked_like_content(project: Path) -> None:
    """The clinic cut its font down to the characters it uses (a common way to make a font file small): Noto
    Sans without "J". No content, UI string, fact or setting of the tiny project has a J, so `check` says ok —
    but the page says "Current as of January 1, 2026", a date Babel writes at build time. On main 0a2393e
    `build` printed "Current as of □anuary 1, 2026" (page 1 at 110 dpi, looked at; pypdf extracts "\\x00anuary").
    The same holds for the review stamp ("Reviewed December 6, 2026") and any month a later source date or
    approval brings. No silent loss: every character drawn — content's or the generator's own — is checked
    against the fonts, or the build stops naming the font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from tests.hardening.hostile import all_text

    (project / "templates/fonts/nj").mkdir(parents=True)
    keep = [code for code in range(0x20, 0x250) if code != ord("J")]
    keep += [0xB7, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x25A1, 0x2610]
    for style in ("Regular", "Bold"):
        font = TTFont(Path(__file__).resolve().parents[2] / f"templates/fonts/noto-sans/NotoSans-{style}.ttf")
        options = subset.Options()
        options.name_IDs, options.notdef_outline = ["*"], True
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=keep)
        cutter.subset(font)
        font.save(project / f"templates/fonts/nj/NJ-{style}.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  nj:\n    regular: fonts/nj/NJ-Regular.ttf\n    bold: fonts/nj/NJ-Bold.ttf\n"
        "languages:\n  en: {family: nj, direction: ltr, breaking: words}\n", encoding="utf-8")
    assert "J" not in "".join(p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.yaml"))
    result = _build(project)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        assert result.returncode == 1 and ("NJ-" in result.stderr or "fonts.yaml" in result.stderr or "J" in
                                           result.stderr), result.stdout + result.stderr
        return
    assert "January" in all_text(project / "output/en/tiny.pdf")


@pytest.mark.parametrize("link", ["[Call 988](https://evil.example/help)",
                                  "[Call +1 555 010 0100](https://evil.example/)",
                                  "[Call 911 now](mailto:x@evil.example)"])
def test_a_link_whose_words_show_a_phone_number_dials_it(project: Path, link: str) -> None:
    """shown_elsewhere looks for numbers in the words of tel: links only; on any other link it objects only to
    words that are nothing but a long number. So `[Call 988](https://evil.example/help)`, `[Call +1 555 010
    0100](https://evil.example/)` and `[Call 911 now](mailto:…)` passed `check` on main 0a2393e: the page says
    "Call 988" and the tap opens a web page (or a mail form) of someone else's choosing — which may show
    another "crisis" number. docs/guarantees.md: a link's words may not show a number the link does not go to."""
    set_intro(project, f"In a crisis: {link}.")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "tiny.yaml:17:" in result.stderr, f"{link!r} passed check"


def test_a_language_babel_does_not_know_is_not_printed_left_to_right_in_an_arabic_script(project: Path,
                                                                                         tmp_path: Path) -> None:
    """On the direction fix (main 7ca0ee1: a language's direction must be the one CLDR knows): Dari (`prs`, one of
    the languages US clinics serve most) is not in Babel, so `written_direction` is None, any direction is
    accepted, and an omitted one defaults to "ltr". fonts.yaml declares `prs: {family: dejavu-sans, breaking:
    words}` (no direction: the natural omission), the Dari file says "این یک معرفی کوتاه است.": on main 7ca0ee1
    `check` said ok (only the dates warning) and the PDF printed it left to right, letters unjoined and reversed
    (page 1 at 110 dpi, looked at). Text in a right-to-left script is laid out right to left, whatever CLDR knows
    of the language's code (the letters' own bidi class says so)."""
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
             "  prs: {family: dejavu-sans, breaking: words}\n")
    (project / "templates/fonts.yaml").write_text(fonts, encoding="utf-8")
    declare(project, "prs")
    assert run("translate", "new", "prs", "--project", project).exit_code == 0
    dari = project / "content/prs/tiny.yaml"
    words = ("\u0627\u06cc\u0646 \u06cc\u06a9 \u0645\u0639\u0631\u0641\u06cc "
             "\u06a9\u0648\u062a\u0627\u0647 \u0627\u0633\u062a.")  # "this is a short introduction."
    dari.write_text(dari.read_text(encoding="utf-8").replace('"An introduction."', f'"{words}"'),
                    encoding="utf-8")
    assert run("translate", "done", "prs", "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code != 0:  # refused, naming fonts.yaml
        assert checked.exit_code == 1 and "fonts.yaml" in checked.stderr, checked.output + checked.stderr
        return
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")

    def page(name: str) -> Image.Image:
        built = handouts("build", "-j", "1", "-q", "--force", "--lang", "prs", "--project", project)
        assert built.returncode == 0, built.stdout + built.stderr
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(project / "output/prs/tiny.pdf"),
                        str(tmp_path / name)], check=True, timeout=60)
        return Image.open(tmp_path / f"{name}-1.png").convert("L")

    drawn = page("default")
    (project / "templates/fonts.yaml").write_text(fonts.replace("prs: {family: dejavu-sans,",
                                                                "prs: {family: dejavu-sans, direction: rtl,"),
                                                  encoding="utf-8")
    meant = page("rtl")
    assert ImageChops.difference(drawn, meant).getbbox() is None, "the Dari page is laid out left to right"


@pytest.mark.parametrize("facts", ["facts: 5", 'facts: "see the clinic binder"'])
@pytest.mark.parametrize("command", [("export", "es", "--format", "po"), ("template",)], ids=["export", "template"])
def test_translate_export_of_a_project_with_mistyped_facts_is_no_traceback(project: Path, facts: str,
                                                                            command: tuple[str, ...]) -> None:
    """content/facts.yaml holds `facts: 5` (or a sentence) instead of the mapping of facts — a file `check`
    refuses with its position. The second pass fixed `translate export` on a facts.yaml that does not load;
    one that loads but has the wrong type still ended, on main 7ca0ee1, `translate export es --format po` and
    `translate template` in a traceback: "AttributeError: 'int' object has no attribute 'items'"
    (exchange._placeholder_meanings). No traceback, ever: a clear error naming content/facts.yaml, or the
    export without the facts' notes."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    path = project / "content/facts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("facts:")] + facts + "\n" + text[text.index("legal:"):], encoding="utf-8")
    result = run("translate", *command, "--project", project)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output + result.stderr


# -- check and build agree: every edition the clinic offers ------------------------------------------------------
@pytest.mark.parametrize("edition", ["bilingual", "large-print", "release"])
def test_check_finds_a_template_that_fails_only_for_one_edition(project: Path, edition: str) -> None:
    """The fifth pass made `check` render a project's template for every handout in every language. A template
    that fails only in one edition — `{% if second %}{{ nothing.here }}{% endif %}` (the bilingual edition), or
    `{% if large_print %}…` — passed `check` on main 7ca0ee1 ("ok: 2 handout file(s) in 2 language(s)"), and
    `build --lang en --bilingual es` (or `--large-print`) then failed "handout.xml.j2: template error: 'nothing'
    is undefined". The same for a release: `{% if not doc.other_languages %}…` fails only in `build --release`
    (which names approved languages only; Spanish is a draft) — the build a clinic prints from. The front desk
    offers both editions on every handout; `check` says ok only when every edition the project offers can be
    built (docs/guarantees.md, fourth pass)."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    start = '<handout lang="{{ doc.lang }}" dir="{{ doc.direction }}">'
    condition = {"bilingual": "second", "large-print": "large_print", "release": "not doc.other_languages"}[edition]
    if edition == "release":
        assert run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "MD", project / UI,
                   project / "content/facts.yaml", project / HANDOUT).exit_code == 0
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        source.replace(start, f"{{%- if {condition} %}}{{{{ nothing.here }}}}{{% endif %}}\n{start}", 1),
        encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 0:  # then the edition builds
        options = {"bilingual": ["--bilingual", "es"], "large-print": ["--large-print"],
                   "release": ["--release"]}[edition]
        built = run("build", "-j", "1", "--lang", "en", *options, "--project", project)
        no_traceback(built)
        assert built.exit_code == 0, built.output + built.stderr
    else:
        assert checked.exit_code == 1 and "handout.xml.j2" in checked.stderr, checked.output + checked.stderr
