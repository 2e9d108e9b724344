"""The seventh hostile pass (issue 12): a short final pass with new inputs, none repeated from the six earlier
passes or their corpus. Written against main ed3861a; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, declare, no_traceback, set_intro, tiny_copy, watermark_pixels


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _refused(project: Path) -> str:
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    return result.stderr


# -- deceptive links: what the words show is not where the link goes -------------------------------------
def test_a_link_cannot_show_a_look_alike_web_address_of_another_site(project: Path) -> None:
    """`[www.nіh.gov](https://evil.example/)` — the `і` is Cyrillic (U+0456), drawn like a Latin i by Noto
    Sans. markup.shown_elsewhere looks for addresses in a link's words with an ASCII-only pattern, so it finds
    none and the link passes `check` and `build`: the PDF shows "www.nih.gov" and opens evil.example (seen in
    the built PDF's annotation on main ed3861a). The guarantee: a link's words may show only the address it
    goes to. A patient trusts a government address; a homograph is the oldest phishing trick."""
    set_intro(project, "Read more at [www.n\u0456h.gov](https://evil.example/).")
    assert "www.n" in _refused(project)


def test_a_link_cannot_show_a_look_alike_mail_address(project: Path) -> None:
    """`[help@clinic.оrg](mailto:x@evil.example)` with a Cyrillic `о` (U+043E) in `org`: the e-mail and web
    patterns want an ASCII top-level domain, so they see no address in the words; check passed on main
    ed3861a. The page shows the clinic's address, and a patient's mail (symptoms, medication) goes to another."""
    set_intro(project, "Write to [help@clinic.\u043erg](mailto:x@evil.example).")
    assert "help@" in _refused(project)


def test_a_tel_link_cannot_show_fullwidth_digits_of_another_number(tmp_path: Path) -> None:
    """In Chinese text digits are often fullwidth: `[请拨打９８８](tel:+15550000666)` in
    content/zh-Hans/microdosing.yaml. shown_elsewhere's phone pattern is `[0-9]` only, so it sees no number in
    the words; check and build passed on main ed3861a and the PDF showed ９８８ linked to +1 555 000 0666
    (pypdf: the annotation's URI). The fifth pass fixed exactly this for ASCII digits: a patient in crisis who
    taps "988" must reach 988. Any digit a font draws (fullwidth, Arabic-Indic…) counts as a digit."""
    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    path = folder / "content/zh-Hans/microdosing.yaml"
    source = path.read_text(encoding="utf-8")
    at = source.index('text: "', source.index("sections:")) + len('text: "')
    path.write_text(source[:at] + "[\u8bf7\u62e8\u6253\uff19\uff18\uff18](tel:+15550000666)\u3002" + source[at:],
                    encoding="utf-8")
    stderr = _refused(folder)
    assert "microdosing.yaml" in stderr


# -- a project template: the disclaimer drawn in a font that has none of its letters --------------------------
def test_a_bilingual_template_cannot_draw_a_language_s_disclaimer_in_the_other_language_s_fonts(
        tmp_path: Path) -> None:
    """A project's `handout.xml.j2` writes the first language's full disclaimer with `second="yes"
    lang="{{ second.lang }}"` in a bilingual edition. For `build microdosing --lang ar --bilingual en` the
    layout then draws the Arabic disclaimer in English's Noto Sans, which has no Arabic letter: on main ed3861a
    `check` and the build passed (exit 0), and page 6 shows only the full stops under "مهم" — the Arabic
    reader's disclaimer is gone (pdftotext: dots; seen at 80 dpi). render/faithful.py counts the text as
    laid out, and the glyph check ran on the content's languages, not on the font the template chose. The
    disclaimer must stay visible whatever a template does; a unit must be drawn in its own language's fonts."""
    from tests.helpers import arabic_found, arabic_text, load

    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '    {{ pair("p", doc.disclaimer_full) }}'
    assert old in source
    new = ('    <p id="{{ doc.disclaimer_full.id }}"{% if second %} second="yes" lang="{{ second.lang }}"{% endif %}>'
           '{{ doc.disclaimer_full | inline }}</p>{%- if second %}<p id="{{ doc.disclaimer_full.id }}" '
           'second="yes" lang="{{ second.lang }}">{{ second.unit(doc.disclaimer_full.id) | inline }}</p>'
           '{% endif %}')
    (folder / "templates").mkdir()
    (folder / "templates" / "handout.xml.j2").write_text(source.replace(old, new, 1), encoding="utf-8")
    result = run("build", "microdosing", "--lang", "ar", "--bilingual", "en", "-j", "1", "-q", "--project", folder)
    no_traceback(result)
    pdf = folder / "output" / "ar" / "microdosing.ar-en.pdf"
    if result.exit_code == 0:  # built: the Arabic disclaimer must then be on the page, drawn
        disclaimer = load(folder).strings_for("ar").get("disclaimer.full").text
        assert arabic_found(disclaimer, arabic_text(pdf)), "the Arabic full disclaimer is not drawn"
    else:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr


# -- incremental builds: a template the fingerprint does not see ---------------------------------------------
def test_an_edit_to_an_included_template_without_the_j2_suffix_rebuilds_the_pdf(project: Path) -> None:
    """The project's `handout.xml.j2` keeps its disclaimer in `templates/disc.part` (`{% include "disc.part"
    %}`; Jinja2 includes any file of the folder). After a build, the part is edited (the disclaimer's text put
    before its heading) and `build` runs again: on main ed3861a it said "built 0, skipped 1" and kept the old
    PDF, while `build --force` then gives another file. incremental.static_inputs hashes only
    `*.j2` files of the templates folders. A clinic that fixes its layout keeps printing the old one (and the
    front desk serves it), with nothing said; the guarantee is that an edit to an included template rebuilds."""
    (project / "templates").mkdir()
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    start, end = source.index("  <disclaimer>"), source.index("</disclaimer>") + len("</disclaimer>")
    (project / "templates" / "disc.part").write_text(source[start:end], encoding="utf-8")
    (project / "templates" / "handout.xml.j2").write_text(source[:start] + '{% include "disc.part" %}' +
                                                          source[end:], encoding="utf-8")
    first = run("build", "-j", "1", "-q", "--project", project)
    assert first.exit_code == 0, first.output + first.stderr
    part = project / "templates" / "disc.part"
    text = part.read_text(encoding="utf-8")
    heading, body = '{{ pair("heading", doc.disclaimer_heading) }}', '{{ pair("p", doc.disclaimer_full) }}'
    assert heading in text and body in text
    part.write_text(text.replace(heading, "@@").replace(body, heading).replace("@@", body), encoding="utf-8")
    again = run("build", "-j", "1", "-q", "--project", project)
    assert again.exit_code == 0, again.output + again.stderr
    kept = (project / "output/en/tiny.pdf").read_bytes()
    forced = run("build", "-j", "1", "-q", "--force", "--project", project)
    assert forced.exit_code == 0, forced.output + forced.stderr
    assert kept == (project / "output/en/tiny.pdf").read_bytes(), again.output


# -- the DRAFT watermark under a table header's fill ---------------------------------------------------------
def test_a_template_cannot_cover_the_draft_watermark_with_table_header_cells(project: Path,
                                                                               tmp_path: Path) -> None:
    """The fourth pass made the watermark be redrawn over callout boxes. A project's `handout.xml.j2` that
    writes every paragraph and list item as a one-cell table whose row is `header="yes"` (filled with
    `table_header_background`) is faithful (each cell is one whole unit), and on main ed3861a it built: page 1
    (80 dpi, looked at) shows the "AF" of DRAFT hidden under the blue-grey header cell — the watermark is not
    redrawn over a table header's fill. With long paragraphs the watermark is mostly gone. Whatever a template
    does, a draft must look like a draft."""
    source = project / "content" / "en" / "tiny.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace('text: "An introduction."', 'text: "' + "An introduction that goes on. " * 12 + '"', 1)
    source.write_text(text.replace('text: "Safety first."', 'text: "' + "Safety first, always. " * 12 + '"', 1),
                      encoding="utf-8")
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    shipped = watermark_pixels(project / "output" / "en" / "tiny.pdf", tmp_path, "shipped")
    main = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    edits = [('    {{ pair("p", block.text) }}', '    <table><row header="yes">{{ pair("cell", block.text) }}</row>'
              '</table>'),
             ('      {{ pair("item", item) }}', '      </list><table><row header="yes">{{ pair("cell", item) }}'
              '</row></table><list marker="bullet">')]
    for old, new in edits:
        assert old in main, old
        main = main.replace(old, new, 1)
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(main, encoding="utf-8")
    result = run("build", "-j", "1", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr
        return
    boxed = watermark_pixels(project / "output" / "en" / "tiny.pdf", tmp_path, "boxed")
    # ed3861a: 6,099 → 3,012 (half the word under the fills); redrawn over them: 6,376 → 5,368 (text on top).
    assert shipped > 2000 and boxed >= shipped * 3 // 4, (shipped, boxed)


# -- check and build agree: a long table heading --------------------------------------------------------------
def test_a_table_column_heading_longer_than_a_page_is_refused_by_check_or_laid_out(project: Path) -> None:
    """A table's column heading of 3,450 characters (under the 5,000 a text may have) in the shipped template:
    on main ed3861a `check` said "ok", then `build` failed with "content/en/tiny.yaml: cannot lay out the
    standard pdf edition of this handout (LayoutError: … tallest cell 2865.0 points, too large …); report
    this" — a message for a bug, no line or column. Body cells split across pages; a header row repeats and
    does not. What `check` accepts must lay out; what it refuses it names at its `path:line:col`."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    assert "{id: topic, text: Topic}" in source
    path.write_text(source.replace("{id: topic, text: Topic}",
                                   '{id: topic, text: "' + "Topic words here again. " * 150 + '"}', 1),
                    encoding="utf-8")
    checked = run("check", "--project", project)
    built = run("build", "-j", "1", "-q", "--project", project)
    no_traceback(checked)
    no_traceback(built)
    assert "report this" not in built.stderr, built.stderr
    assert checked.exit_code == built.exit_code, (checked.output + checked.stderr, built.stderr)


# -- verify: a verdict line forged by the file handed in --------------------------------------------------------
def test_verify_prints_one_verdict_line_per_file_whatever_its_verification_data_says(project: Path,
                                                                                     tmp_path: Path) -> None:
    """A PDF built here, its `/Keywords` verification data edited (pypdf) so that `handout=` holds a line
    break and a verdict of its own: `handout=x⏎/srv/handouts/output/en/tiny.pdf: current (identical) (handout
    'tiny`. On main ed3861a `handouts verify forged.pdf` printed two lines, the second reading
    "/srv/handouts/output/en/tiny.pdf: current (identical) (handout 'tiny' in 'en' is not in this project)" —
    a verdict the tool never gave, about a file it never read (terminal output has its control characters
    written visibly, everywhere else). Whoever checks a stack of handouts reads the lines, not the exit code."""
    from pypdf import PdfReader, PdfWriter

    assert run("build", "-j", "1", "-q", "--project", project).exit_code == 0
    reader = PdfReader(project / "output/en/tiny.pdf")
    writer = PdfWriter(clone_from=reader)
    metadata = dict(reader.metadata or {})
    assert "handout=tiny;" in metadata["/Keywords"]
    forged_line = "/srv/handouts/output/en/tiny.pdf: current (identical) (handout 'tiny"
    metadata["/Keywords"] = metadata["/Keywords"].replace("handout=tiny;", f"handout=x\n{forged_line};")
    writer.add_metadata(metadata)
    forged = tmp_path / "forged.pdf"
    with forged.open("wb") as stream:
        writer.write(stream)
    result = run("verify", forged, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(str(forged)), result.output


# -- translate sync: a translator's comment stays with its unit -------------------------------------------------
def test_sync_keeps_a_translator_s_comment_above_its_unit_when_the_source_reorders_blocks(project: Path) -> None:
    """Spanish: `# nota del traductor: revisar con la clínica` above `- paragraph: intro`. The English source
    then puts its subheading `more` before the paragraph (same texts, new order) and `translate sync es` runs:
    on main ed3861a the blocks were reordered but the comment stayed on its line, now above `- subheading:
    more` — the translator's note about one text is attached to another, without a word. The third pass fixed
    the same for `import`; a comment belongs to the unit it was written above."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    declare(project, "es")
    spanish = project / "content/es/tiny.yaml"
    note = "      # nota del traductor: revisar con la clínica\n"
    para = '      - paragraph: intro\n        text: "An introduction."\n'
    text = spanish.read_text(encoding="utf-8")
    assert para in text
    spanish.write_text(text.replace(para, note + para.replace("An introduction.", "Una introducción."), 1),
                       encoding="utf-8")
    english = project / HANDOUT
    sub = '      - subheading: more\n        text: "More to know"\n'
    source = english.read_text(encoding="utf-8")
    assert para + sub in source
    english.write_text(source.replace(para + sub, sub + para, 1), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    lines = spanish.read_text(encoding="utf-8").splitlines()
    at = lines.index(note.rstrip("\n"))
    assert lines[at + 1] == "      - paragraph: intro", lines[at - 1:at + 4]


# -- an approval binds to what the reviewer approved: which legal text applies where -----------------------
def test_a_same_as_jurisdiction_added_after_approval_ends_the_approval(project: Path) -> None:
    """facts.yaml has a dated legal entry for US-OR; the handout has legal text for US only; the handout, UI
    strings and facts are approved. Then the clinic moves to `jurisdiction: US-OR` and the handout gains
    `US-OR: {same_as: US}` in its legal section. On main ed3861a `status` still said "approved" and the PDF
    printed the US text under "Reviewed December 6, 2026 · MD": review/state.fingerprint_handout hashes the
    units (IDs and texts) and the sources, not `same_as`, though the parser calls it "explicit and
    reviewable". Whether a legal-status text is true in Oregon is exactly what a reviewer signs; a changed
    declaration must show "changed since approval"."""
    facts = project / "content/facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "legal:\n  US:\n" in text
    facts.write_text(text.replace("legal:\n  US:\n", 'legal:\n  US-OR:\n    source: https://www.oregon.gov/oha/\n'
                                  '    checked: "2026-01-01"\n    review_by: "2099-01-01"\n  US:\n', 1),
                     encoding="utf-8")
    approved = run("approve", project / HANDOUT, project / "content/en/ui.yaml", facts, "--reviewer", "Dr A",
                   "--role", "MD", "--project", project)
    assert approved.exit_code == 0, approved.output + approved.stderr
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("jurisdiction: US\n", "jurisdiction: US-OR\n",
                                                                     1), encoding="utf-8")
    handout = project / HANDOUT
    source = handout.read_text(encoding="utf-8")
    assert "    jurisdictions:\n      US:\n" in source
    handout.write_text(source.replace("    jurisdictions:\n      US:\n",
                                      "    jurisdictions:\n      US-OR: {same_as: US}\n      US:\n", 1),
                       encoding="utf-8")
    result = run("status", "--json", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    tiny = [row for row in json.loads(result.output) if row["handout"] == "tiny"]
    assert tiny and tiny[0]["review"] != "approved", result.output


# -- the front desk: an edit it does not see --------------------------------------------------------------------
def test_the_desk_serves_the_edited_text_even_in_a_project_of_many_files(project: Path) -> None:
    """The project holds `content/aaa-notes/` with 20,001 empty files (a clinic's notes; any folder sorted
    before the languages). The desk served tiny.pdf, then content/en/tiny.yaml was edited ("An introduction."
    → "Take ten times the dose.") and the PDF asked for again: on main ed3861a the desk answered with the old
    PDF. serve/catalog._signature stopped looking after 20,000 files (a cap since replaced), so the catalog — and
    with it the inputs `is_built` compares — is never loaded again. The desk must never hand out a PDF of text
    the content no longer says (after a bound, look at the files the project is read from, or reload)."""
    import io

    from pypdf import PdfReader

    from generator.serve.app import create_app

    notes = project / "content" / "aaa-notes"
    notes.mkdir()
    for number in range(20_001):
        (notes / f"n{number:05d}.txt").touch()
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    first = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == 200
    assert "An introduction." in PdfReader(io.BytesIO(first.data)).pages[0].extract_text()
    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take ten times the dose.",
                                                                   1), encoding="utf-8")
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    if again.status_code == 200:
        text = PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
        assert "An introduction." not in text and "ten times" in text


def test_the_desk_loads_the_project_again_when_it_cannot_look_at_every_file_in_time(project: Path,
                                                                                   monkeypatch) -> None:
    """The fix for the test above: the desk looks at every file, within a time budget; past it, it cannot
    tell that nothing changed and loads the project again. With no time at all, an edit is still served."""
    import io

    from pypdf import PdfReader

    from generator.serve import catalog
    from generator.serve.app import create_app

    monkeypatch.setattr(catalog, "WATCH_BUDGET_S", 0.0)
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    assert client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take ten times the dose.",
                                                                   1), encoding="utf-8")
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert again.status_code == 200
    text = PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
    assert "An introduction." not in text and "ten times" in text


# -- on the fixes (main 406edbc): look-alike dots and digits that are not decimal digits ---------------------------
@pytest.mark.parametrize("words", ["nih\u2024gov", "Call \u2079\u2078\u2078"],
                         ids=["one-dot-leader", "superscript-digits"])
def test_a_link_cannot_show_an_address_or_number_with_look_alike_dots_or_digits(project: Path, words: str) -> None:
    """On the fix of the look-alike tests above (main 406edbc), the address and number patterns take any
    script's letters and decimal digits, but not what only looks like a dot or a digit: `[nih․gov](https://
    evil.example/)` with U+2024 ONE DOT LEADER (Noto Sans draws it as a full stop) and `[Call ⁹⁸⁸](tel:+1555
    0000666)` with superscript digits (category No, which `\\d` leaves out; Noto Sans has them) both passed
    `check`. (In Chinese text the same holds for `nih．gov` and `nih。gov`, U+FF0E and U+3002, which browsers
    even read as dots.) NFKC-folding the words before looking for an address or number would cover all four."""
    target = "tel:+15550000666" if "Call" in words else "https://evil.example/"
    set_intro(project, f"See [{words}]({target}).")
    _refused(project)
