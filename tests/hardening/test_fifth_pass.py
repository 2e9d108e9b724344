"""The fifth hostile pass (issue 12): new variants, none repeated from the earlier passes or their corpus.

Found on main 6681d8b (each docstring names the commit; some were fixed on main while the pass ran, by
ccc3bcd, and stay here as regression tests):
review records a careless or hostile hand can make (an approval that never expires, a review or a source
check dated in the future, a role blamed on another file); a review state and disclaimer made invisible (by
zero-width UI strings, by a font that draws nothing, by a box in the watermark's grey, to a screen reader);
a project template dropping a section or printing its own text under the approval; incremental builds that
miss settings and languages; the desk replacing a build with another paper and stopped by a duplicated
manifest entry; verify blind to a clinic's verify_url and exhausted by a huge payload; tap-to-call links to
numbers that do not exist, and links that show one number or address and go to another; tracebacks on a
Latin-1 terminal and for a language CLDR does not know; a handout saved as .yml, a terminology table with a
BOM, a withdrawn handout, all without a word; check accepting a template that fails for one language.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import REPO, run
from tests.hardening.hostile import HANDOUT, no_traceback, pdf_of, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _approve(project: Path, *extra: str) -> None:
    result = run("approve", project / HANDOUT, project / "content/en/ui.yaml", project / "content/facts.yaml",
                 "--reviewer", "Dr A", "--role", "MD", "--project", project, *extra)
    assert result.exit_code == 0, result.output + result.stderr


def _spanish(project: Path) -> None:
    """Spanish, declared and fully translated (each text "ES " + its English) through a PO round trip."""
    import re

    assert run("translate", "new", "es", "--project", project).exit_code == 0
    _edit(project / "handouts.yaml", "  - en\n", "  - en\n  - es\n")
    po = project.parent / "es.po"
    assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
    filled = re.sub(r'msgid "(.+)"\nmsgstr ""', lambda m: f'msgid "{m[1]}"\nmsgstr "ES {m[1]}"',
                    po.read_text(encoding="utf-8"))
    po.write_text(filled, encoding="utf-8")
    imported = run("translate", "import", po, "--project", project)
    assert imported.exit_code == 0, imported.output + imported.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- review records: an approval must expire, and be dated when it was made -------------------------------
def test_an_approval_cannot_be_recorded_to_last_for_ever(project: Path) -> None:
    """`approve --next-review 9999-12-31` (a reviewer's typo for 2027, or a shortcut round review) was accepted
    on main 6681d8b: exit 0, `handouts list` says approved and every PDF prints "next review December 31, 9999",
    so the approval never expires. An approval binds to the text and *expires* (README); one that outlives
    every source it rests on is no review cycle at all. Any sane bound (a few years) refuses this date."""
    result = run("approve", project / HANDOUT, "--reviewer", "Dr A", "--role", "MD", "--next-review",
                 "9999-12-31", "--project", project)
    no_traceback(result)
    assert result.exit_code != 0, result.output
    assert "9999" not in (project / HANDOUT).read_text(encoding="utf-8")


def test_check_refuses_a_review_dated_in_the_future(project: Path) -> None:
    """A review block edited by hand to `date: "2030-01-01"` (four years after today; the fingerprint copied
    from a real approval) passed `check` and `build` on main 6681d8b: every page says "Reviewed January 1,
    2030". A record of a review that has not happened yet is a forged or mistyped record, printed to patients;
    `approve` never writes one, so `check` must refuse it with its position."""
    _approve(project)
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    recorded = next(line for line in text.splitlines() if line.strip().startswith("date:"))
    path.write_text(text.replace(recorded, '  date: "2030-01-01"', 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/en/tiny.yaml:" in result.stderr and "2030" in result.stderr, result.stderr



def test_a_source_checked_in_the_future_is_refused(project: Path) -> None:
    """Every `checked:` date of the handout's sources and of `content/facts.yaml` set to "2031-05-05" (a
    slip of the keyboard, or a wish): on main 6681d8b `check` said "ok" and every PDF printed "Current as of
    May 5, 2031" under the title — a promise, to patients, about a check nobody has made yet. A date a source
    was checked cannot lie after today; `check` must refuse it with its position."""
    for name in (HANDOUT, "content/facts.yaml"):
        path = project / name
        path.write_text(path.read_text(encoding="utf-8").replace('checked: "2026-01-01"', 'checked: "2031-05-05"'),
                        encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "2031" in result.stderr and ":" in result.stderr.splitlines()[0], result.stderr

def test_a_role_too_long_for_the_stamp_is_blamed_on_its_own_file(project: Path) -> None:
    """A review block whose `role:` was made 3,000 characters long by hand (`approve` refuses that since pass
    one, an editor does not): on main 6681d8b `check` and `build` blamed `content/en/ui.yaml:23:21:
    strings.review.approved ... shorten it to about 1 characters` — a file the translator never touched, and a
    fix that cannot work. An error must name the file and line that is wrong (the role in tiny.yaml)."""
    _approve(project)
    _edit(project / HANDOUT, 'role: "MD"', 'role: "' + "M" * 3000 + '"')
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("content/en/tiny.yaml:"), result.stderr[:600]


# -- the stamp and the disclaimer: never made of characters that draw nothing ----------------------------
@pytest.mark.parametrize("key, old, invisible", [
    ("disclaimer.short", "General information only.", "\\u200b"),
    ("review.draft", "Draft - not reviewed", "\\u2060"),
    ("disclaimer.full", '"This handout gives general information only. It is not medical advice."', "\\u00ad"),
])
def test_the_stamp_and_disclaimer_cannot_be_made_of_invisible_characters(project: Path, key: str, old: str,
                                                                         invisible: str) -> None:
    """`content/en/ui.yaml` with `disclaimer.short: "\\u200b"` (a zero-width space), `review.draft: "\\u2060"`
    (a word joiner) or `disclaimer.full: "\\u00ad"` (a soft hyphen): on main 6681d8b `check` and `build` passed
    (exit 0) and every page's footer printed no review state and no disclaimer (looked at: the footer holds the
    title line only), the large-print body's "Important" box is empty, and the HTML companion's notice is blank
    too. An empty or blank string is refused ("text is empty"), these are not: the font has the characters and
    they draw nothing. The review state and the disclaimer must stay visible whatever a translator writes."""
    _edit(project / "content/en/ui.yaml", f"{key}: {old}", f'{key}: "{invisible}"')
    result = run("build", "--project", project, "-j", "1", "--format", "pdf,html")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/en/ui.yaml:" in result.stderr and key in result.stderr, result.stderr
    assert not (project / "output").exists()


def _blank_font(target: Path) -> None:
    """A copy of the shipped Noto Sans whose every glyph outline is empty: the `cmap` maps every character the
    real font has, and nothing is ever drawn."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = TTFont(REPO / "templates/fonts/noto-sans/NotoSans-Regular.ttf")
    glyf = font["glyf"]
    for name in glyf.keys():
        glyf[name] = Glyph()
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def test_a_font_that_draws_nothing_cannot_hide_the_stamp_the_watermark_and_the_disclaimer(project: Path) -> None:
    """The project declares its own font for English: Noto Sans with every glyph's outline emptied (a 141 kB
    TrueType file in `templates/fonts/`, well within the font bounds; its `cmap` still maps every character).
    On main 6681d8b `check` said "ok" and `build` wrote a PDF that is blank but for rules, boxes and bullets
    (looked at: no title, no text, no DRAFT watermark, no review state, no disclaimer), and pypdf still extracts
    every word, so no text-based test notices. Whatever a project's fonts are, the review state, the watermark
    and the disclaimer must be drawn: a face must have ink for the characters they use (a non-empty outline for
    every non-space character), or the build is refused naming the font."""
    _blank_font(project / "templates/fonts/blank/Blank.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  blank:\n    regular: fonts/blank/Blank.ttf\n    bold: fonts/blank/Blank.ttf\n"
        "languages:\n  en: {family: blank, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "Blank.ttf" in result.stderr or "fonts.yaml" in result.stderr, result.stderr
    built = run("build", "--project", project, "-j", "1")
    assert built.exit_code == 1 and not (project / "output" / "en" / "tiny.pdf").exists(), built.output


# -- incremental builds: every input of a page, the project's language list included ---------------------
def test_a_language_removed_from_the_project_is_no_longer_offered_by_a_kept_pdf(project: Path) -> None:
    """Spanish translated and declared; `build --lang en` prints "This handout is also available in: español"
    on the English PDF. Then Spanish was removed (its folder deleted, its line taken out of `languages:`) and
    `build --lang en` run again: on main 6681d8b it said "built 0, skipped 1" and kept the PDF that still
    offers a Spanish edition the clinic no longer has (`build --force` drops the line; `verify` even calls the
    kept file "outdated ... build it again" while `build` calls it current). Adding the language back is missed
    the same way. An incremental build must track every input of the page, the project's languages included."""
    import shutil

    from tests.hardening.hostile import all_text

    _spanish(project)
    assert run("build", "--project", project, "-j", "1", "--lang", "en").exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    assert "español" in all_text(pdf)
    shutil.rmtree(project / "content/es")
    _edit(project / "handouts.yaml", "  - es\n", "")
    again = run("build", "--project", project, "-j", "1", "--lang", "en")
    assert again.exit_code == 0, again.output + again.stderr
    assert "español" not in all_text(pdf), again.output


# -- the front desk: a request for another paper size ------------------------------------------------------
def test_a_desk_request_for_the_other_paper_does_not_replace_the_built_pdf(project: Path) -> None:
    """`handouts build` made the clinic's Letter PDF `output/en/tiny.pdf`; then one request to the desk,
    `GET /pdf/en/tiny.pdf?paper=a4` (any visitor of the page, or its paper menu). On main 6681d8b the desk
    rebuilt the handout on A4 into the very same file: `output/en/tiny.pdf` is now A4 (595 x 842 pt), with no
    trace in its name or manifest entry (which records no paper), so staff printing from the output folder
    get the wrong paper. Requests alternating `paper=letter` and `paper=a4` rebuild and rewrite it every time
    (logged "built en/tiny.pdf" six times for six requests), each render holding the desk's one build lock:
    one client can keep the desk busy rendering. A desk request must not replace the file a build made for
    another paper size. (Fixed on main d8570ec: the other size is rendered in memory, "not kept"; each such
    request still costs a render, 0.12 s for a large-print Arabic handout, under the one build lock.)"""
    from pypdf import PdfReader

    from generator.serve.app import create_app

    assert run("build", "--project", project, "-j", "1").exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    before = pdf.read_bytes()
    assert round(float(PdfReader(pdf).pages[0].mediabox.height)) == 792
    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    for paper in ("a4", "letter", "a4", "letter"):
        answer = client.get(f"/pdf/en/tiny.pdf?paper={paper}", headers={"Host": "127.0.0.1:8000"})
        assert answer.status_code == 200
        assert pdf.read_bytes() == before, f"after ?paper={paper}: the desk replaced the Letter PDF the build made"


# -- the review state, for a reader who cannot see the page --------------------------------------------------
def _tagged_text(pdf: Path) -> str:
    """The text of the PDF that is content (what a screen reader reads), leaving out everything drawn inside
    /Artifact marked content (page furniture, which assistive technology skips); a sequence carrying /ActualText
    is read as that text, as assistive technology reads it (the PDF's own replacement for what is drawn)."""
    from pypdf import PdfReader

    found: list[str] = []
    stack: list[str] = []  # the marked-content tags open where the next text is drawn ("=" once replaced)

    def before(op: bytes, args: list[object], *_: object) -> None:
        if op in (b"BMC", b"BDC"):
            properties = args[1] if op == b"BDC" and len(args) > 1 else None
            actual = properties.get("/ActualText") if hasattr(properties, "get") else None
            if actual is not None and "/Artifact" not in stack and "=" not in stack:
                found.append(str(actual))
                stack.append("=")
            else:
                stack.append(str(args[0]))
        elif op == b"EMC" and stack:
            stack.pop()

    def text(chunk: str, *_: object) -> None:
        if chunk.strip() and "/Artifact" not in stack and "=" not in stack:
            found.append(chunk)

    for page in PdfReader(pdf).pages:
        stack.clear()
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return " ".join(found)


@pytest.mark.parametrize("edition", [(), ("--large-print",)], ids=["standard", "large-print"])
def test_a_screen_reader_is_told_the_handout_is_a_draft(project: Path, edition: tuple[str, ...]) -> None:
    """A draft handout built as a tagged PDF (PDF/UA, for readers with assistive technology). On main 6681d8b
    every word that says it is a draft — the DRAFT watermark and the footer's "Draft - not reviewed" — is drawn
    inside /Artifact marked content on every page, and nothing else in the tagged content says so (the full
    disclaimer is there; the review state is not), in the standard and the large-print edition alike. A screen
    reader skips artifacts: a blind patient hears an unreviewed draft as if it were the clinic's reviewed
    handout. The HTML companion puts its notice in real text for this reason; the PDF must carry the review
    state (at least once) as content too."""
    built = run("build", "--project", project, "-j", "1", *edition)
    assert built.exit_code == 0, built.output
    name = "tiny.large.pdf" if edition else "tiny.pdf"
    spoken = _tagged_text(project / "output/en" / name)
    assert "general information only" in spoken.lower()  # the body's disclaimer is content: the probe works
    assert "draft" in spoken.lower(), spoken[-400:]


# -- verify: an authentic file of a clinic that prints its own QR address ---------------------------------
def test_verify_recognises_an_authentic_pdf_of_a_clinic_with_a_verify_url(project: Path) -> None:
    """The clinic sets the documented `verify_url:` in handouts.yaml (its QR codes open its desk's /verify
    page), builds, and runs `handouts verify` on the files it has just built. On main 6681d8b both the PDF and
    the HTML companion were "unknown (no patient-handouts verification data)", exit 1: with a verify_url the
    document's keywords hold only the address, not the verification data, so `verify` can no longer tell an
    authentic file from an altered or forged one for any clinic that uses the QR feature (and an altered file
    is "unknown" too, never "altered"). A file the generator has just made must be "current (identical)"."""
    with (project / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write('verify_url: "https://clinic.example.org/verify?h={handout}&l={lang}&v={version}'
                       '&f={fingerprint}"\n')
    assert run("build", "--project", project, "-j", "1", "--format", "pdf,html").exit_code == 0
    out = project / "output/en"
    result = run("verify", out / "tiny.pdf", out / "tiny.html", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.output.count("current (identical)") == 2, result.output


# -- terminals: a legacy (ISO-8859-1) terminal gets messages, never a traceback ---------------------------
@pytest.mark.parametrize("command, text", [
    (("sources", "tiny"), "An introduction \u2014 read it."),
    (("lint", "--lang", "en", "--max-words", "2"), "An introduction \u2014 a sentence too long."),
], ids=["sources", "lint"])
def test_a_latin1_terminal_gets_no_traceback(project: Path, command: tuple[str, ...], text: str) -> None:
    """An English statement holding an em dash ("An introduction — read it.", U+2014, not in ISO-8859-1), and
    the command run where the terminal's encoding is ISO-8859-1 (an older clinic PC's `LANG=de_DE.ISO-8859-1`;
    here PYTHONIOENCODING=latin-1, which sets the same stream encoding). On main 6681d8b `handouts sources
    tiny` (and `lint`, listing the long sentence) ended in a UnicodeEncodeError traceback, exit 1, half their
    output printed (the shipped project's Arabic does the same in `sources --lang ar` and `lint --lang ar`).
    ASCII terminals are
    handled (click rewraps them); any other encoding must be too: characters it cannot show are escaped,
    never a traceback."""
    import os
    import subprocess
    import sys

    _edit(project / HANDOUT, '"An introduction."', f'"{text}"')
    env = {**os.environ, "PYTHONIOENCODING": "latin-1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "generator", *command, "--project", str(project)],
                          capture_output=True, env=env, timeout=120)
    output = (done.stdout + done.stderr).decode("latin-1")
    assert "Traceback" not in output, output[-800:]
    assert "introduction" in output


@pytest.mark.parametrize("setting, printed, gone", [
    ('web_url: "https://clinic.example.org/h/{lang}/{handout}.html"\n', "clinic.example.org/h/en/tiny.html", ""),
    ("print_sources: false\n", "", "An example source"),
], ids=["web_url", "print_sources"])
def test_a_setting_the_page_prints_rebuilds_the_pdf(project: Path, setting: str, printed: str, gone: str) -> None:
    """`handouts build`, then one documented setting added to handouts.yaml — `web_url:` (the page then prints
    "Read it online: <address>") or `print_sources: false` (the Sources list is left out) — and `handouts build`
    again. On main 6681d8b the second build said "built 0, skipped 1" and kept the old PDF (no address; the
    Sources list still printed); changing the web_url's address is missed the same way. Only `build --force`
    shows the setting. The inputs fingerprint holds the clinic, the jurisdiction and verify_url but not
    web_url, print_sources or languages: every setting a page shows must be one of its inputs."""
    from tests.hardening.hostile import all_text

    assert run("build", "--project", project, "-j", "1").exit_code == 0
    with (project / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write(setting)
    again = run("build", "--project", project, "-j", "1")
    assert again.exit_code == 0, again.output + again.stderr
    text = all_text(project / "output/en/tiny.pdf").replace("\n", "")
    if printed:
        assert printed in text, again.output
    if gone:
        assert gone not in text, again.output


# -- nothing ignored silently: a content file saved under the other YAML extension ------------------------
@pytest.mark.parametrize("name", ["extra.yml", "extra.YAML"])
def test_a_handout_saved_as_yml_is_not_ignored_silently(project: Path, name: str) -> None:
    """A new, valid handout saved as `content/en/extra.yml` (the other common YAML extension, what many editors
    and translators' tools default to) or `extra.YAML`: on main 6681d8b `check` said "ok: 1 handout file(s)"
    and `build` built only tiny — the new handout is skipped without a word, and a clinic believes it is
    printing it. (Editor backups such as `tiny.yaml~` may well be ignored; a file only YAML can be, named as
    YAML is named, must at least be mentioned.)"""
    text = (project / HANDOUT).read_text(encoding="utf-8").replace("handout: tiny", "handout: extra", 1)
    (project / "content/en" / name).write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert name in result.output + result.stderr, result.output + result.stderr


# -- the output folder: a withdrawn handout is not left vouched for -------------------------------------------
def test_a_withdrawn_handout_is_not_left_in_the_manifest(project: Path) -> None:
    """A second handout `withdrawn` built beside tiny; then its content file deleted (the clinic withdraws it,
    say for a safety reason) and `handouts build` run again. On main 6681d8b the build said "built 0, skipped
    1", and `output/en/withdrawn.pdf` stayed, still listed in `output/manifest.json` with its sha256 and a valid
    seal, exactly like a current handout — for whoever prints from the output folder or publishes it (the
    `web_url` setting is for an output folder published on the web). Nothing tells anyone it is withdrawn.
    A build must not leave the manifest vouching for a handout the project no longer has (drop the entry and
    the file, or at the least say so)."""
    import json

    text = (project / HANDOUT).read_text(encoding="utf-8").replace("handout: tiny", "handout: withdrawn", 1)
    (project / "content/en/withdrawn.yaml").write_text(text, encoding="utf-8")
    assert run("build", "--project", project, "-j", "1").exit_code == 0
    (project / "content/en/withdrawn.yaml").unlink()
    again = run("build", "--project", project, "-j", "1")
    assert again.exit_code == 0, again.output
    listed = [entry["file"] for entry in json.loads((project / "output/manifest.json").read_text("utf-8"))]
    said = (again.output + again.stderr).replace(str(project), "PROJECT")
    assert "en/withdrawn.pdf" not in listed or "withdrawn" in said, (listed, said)


# -- a language CLDR does not know -------------------------------------------------------------------------
def test_a_language_without_cldr_dates_is_no_traceback(project: Path) -> None:
    """Hmong (`hmn`), one of the languages US clinics most often need, is a well-formed code with fonts
    (Latin script: Noto Sans, declared in the project's `templates/fonts.yaml`), started with `translate new
    hmn` and declared. On main 6681d8b `handouts translate export hmn -o hmn.po` ended in a traceback:
    `babel.core.UnknownLocaleError: unknown locale 'hmn'`, from the long date of "Current as of" (the same for
    Chuukese `chk`, Marshallese `mh`, Samoan `sm`, Dari `prs`, Karen `kar`). Every command that formats that
    date (check, build, export) must say what is wrong (or fall back to a numeric date), never a traceback."""
    import shutil

    fonts = project / "templates/fonts"
    fonts.mkdir(parents=True)
    for face in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{face}.ttf", fonts)
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto-sans:\n    regular: fonts/NotoSans-Regular.ttf\n    bold: fonts/NotoSans-Bold.ttf\n"
        "languages:\n  en: {family: noto-sans, direction: ltr, breaking: words}\n"
        "  hmn: {family: noto-sans, direction: ltr, breaking: words}\n", encoding="utf-8")
    assert run("translate", "new", "hmn", "--project", project).exit_code == 0
    _edit(project / "handouts.yaml", "  - en\n", "  - en\n  - hmn\n")
    result = run("translate", "export", "hmn", "-o", project.parent / "hmn.po", "--project", project)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output


# -- links: a tel: link dials the number its text shows ------------------------------------------------------
@pytest.mark.parametrize("file, old, new, wrong", [
    ("content/facts.yaml", 'value: "988"', 'value: "988, then press 1"', "tel:9881"),
    ("handouts.yaml", 'phone: "+1 555 010 0100"', 'phone: "+1 555 010 0100 ext. 204"', "tel:+15550100100204"),
    ("handouts.yaml", 'phone: "+1 555 010 0100"', 'phone: "555-0100 or 555-0199"', "tel:55501005550199"),
], ids=["crisis-line-press-1", "clinic-phone-extension", "two-numbers"])
def test_a_phone_link_dials_a_number_the_text_shows(project: Path, file: str, old: str, new: str,
                                                    wrong: str) -> None:
    """The crisis line fact written "988, then press 1" (how the Veterans Crisis Line is reached), the clinic's
    phone "+1 555 010 0100 ext. 204", or "555-0100 or 555-0199": `check` accepts each (they are text), and
    on main 6681d8b the HTML companion (read on phones: the desk's preview, `web_url`) made each a tap-to-call
    link from *all* its digits run together — `tel:9881`, `tel:+15550100100204`, `tel:55501005550199`:
    numbers that exist nowhere, on the crisis line's link among others. A patient in crisis who taps it
    reaches no one. A link must dial a number its text shows (the first number, without the extension), or
    the value must be refused or left unlinked."""
    _edit(project / file, old, new)
    built = run("build", "--project", project, "-j", "1", "--format", "html")
    assert built.exit_code == 0, built.output + built.stderr
    html = (project / "output/en/tiny.html").read_text(encoding="utf-8")
    assert f'href="{wrong}"' not in html


# -- the output folder: a duplicated manifest entry ----------------------------------------------------------
def test_a_forged_duplicate_manifest_entry_does_not_stop_the_desk(project: Path) -> None:
    """`output/manifest.json` given a second entry for `en/tiny.pdf`, placed first, whose sha256 is forged
    (zeros; the real, sealed entry stays after it). On main 6681d8b `handouts build` said "built 0, skipped 1"
    and left the manifest as it was, and the desk answered `GET /pdf/en/tiny.pdf` with "500 could not build
    this handout" for good: the build judges the file by one entry, the desk reads the first. Only `build
    --force` repaired it. The output folder is untrusted: a build must leave one sealed entry per file, and
    the desk must serve the authentic file it just judged current."""
    import json

    from generator.serve.app import create_app

    assert run("build", "--project", project, "-j", "1").exit_code == 0
    manifest = project / "output/manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps([{**entries[0], "sha256": "0" * 64}, *entries]), encoding="utf-8")
    again = run("build", "--project", project, "-j", "1")
    assert again.exit_code == 0, again.output
    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    answer = app.test_client().get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert answer.status_code == 200, answer.data[:200]
    assert answer.data == (project / "output/en/tiny.pdf").read_bytes()


# -- check and build agree: a project template that fails for one language --------------------------------
def test_check_finds_a_template_that_fails_for_one_language(project: Path) -> None:
    """The project's `templates/handout.xml.j2` (the shipped one plus `{% if doc.lang == "es" %}{{ [][1] }}
    {% endif %}`) fails for Spanish only. On main 6681d8b `handouts check` said "ok: 2 handout file(s) in 2
    language(s), no errors" and `handouts build` then failed ("tiny (es): handout.xml.j2: template error: list
    object has no element 1"); the same for a failure only in the bilingual edition (`{% if second %}`). `check`
    is what translators and CI run before a clinic builds: whatever it accepts must build, in every declared
    language (as it already holds for styles)."""
    text = (REPO / "templates/handout.xml.j2").read_text(encoding="utf-8")
    anchor = '{{ pair("title", doc.title) }}'
    assert anchor in text
    (project / "templates").mkdir()
    (project / "templates/handout.xml.j2").write_text(
        text.replace(anchor, anchor + '{% if doc.lang == "es" %}{{ [][1] }}{% endif %}', 1), encoding="utf-8")
    _spanish(project)
    checked = run("check", "--project", project)
    no_traceback(checked)
    built = run("build", "--project", project, "-j", "1")
    assert built.exit_code == 1, built.output  # the build refuses it: so must check
    assert checked.exit_code == 1 and "handout.xml.j2" in checked.stderr, checked.output + checked.stderr


# -- a project template: arranges the approved text, never drops or rewrites it -----------------------------
def _own_xml_template(project: Path, old: str, new: str) -> None:
    text = (REPO / "templates/handout.xml.j2").read_text(encoding="utf-8")
    assert old in text, old
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/handout.xml.j2").write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_a_project_template_cannot_leave_out_the_safety_section(project: Path, fmt: str) -> None:
    """The project's `templates/handout.xml.j2` (or `handout.html.j2`): the shipped one with its section loop
    made `{%- for section in doc.sections if section.id != "safety" %}`. The content approved, `check` ok, and on
    main 6681d8b `build --release` wrote a PDF (an HTML companion) without the Safety section, stamped
    "Reviewed ... MD", exit 0. "Nothing lost silently: ... a missing section ... stops the build"
    (docs/guarantees.md) holds for content but not for what a template leaves out: every unit of the content
    must reach the page."""
    from tests.hardening.hostile import all_text

    name = "handout.xml.j2" if fmt == "pdf" else "handout.html.j2"
    text = (REPO / "templates" / name).read_text(encoding="utf-8")
    loop = "{%- for section in doc.sections %}"
    assert loop in text
    (project / "templates").mkdir()
    (project / "templates" / name).write_text(
        text.replace(loop, '{%- for section in doc.sections if section.id != "safety" %}', 1), encoding="utf-8")
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", fmt)
    no_traceback(result)
    out = project / "output/en" / f"tiny.{fmt}"
    if out.exists():
        shown = all_text(out) if fmt == "pdf" else out.read_text(encoding="utf-8")
        assert "Safety first." in shown, result.output
    else:
        assert result.exit_code == 1, result.output


def test_a_project_template_cannot_print_its_own_text_under_the_approval(project: Path) -> None:
    """The project's template prints `<p id="integration.intro">Take ten times the dose.</p>` in place of the
    approved paragraph "Take time to rest." (a Jinja `if` on the unit's ID). On main 6681d8b `check` said ok
    and `build --release` wrote it, exit 0: the PDF says "Take ten times the dose." under "Reviewed December
    6, 2026 · MD" — text no reviewer ever saw, stamped approved. An approval binds to the exact text; a
    template may arrange that text, not write its own into the body."""
    from tests.hardening.hostile import all_text

    old = '{{ pair("p", block.text) }}'
    _own_xml_template(project, old, '{% if block.text.id == "integration.intro" %}<p id="integration.intro">'
                                    'Take ten times the dose.</p>{% else %}' + old + '{% endif %}')
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    assert not pdf.exists() or "ten times" not in all_text(pdf), result.output
    assert result.exit_code == 1, result.output


# -- the watermark: visible over a box whose fill is the watermark's own grey --------------------------------
def _watermark_ink(project: Path, tmp_path: Path, name: str) -> int:
    """Pixels of page 1's body (50 dpi, the footer left out) that differ between the draft and the approved
    build of the same text: what the DRAFT watermark adds to the page a reader sees."""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    work = tmp_path / name
    shutil.copytree(project, work)
    pngs = []
    for state in ("draft", "approved"):
        if state == "approved":
            _approve(work)
        assert run("build", "--project", work, "-j", "1", "--force").exit_code == 0
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(work / "output/en/tiny.pdf"),
                        str(tmp_path / f"{name}-{state}")], check=True, timeout=60)
        pngs.append(Image.open(tmp_path / f"{name}-{state}-1.png").convert("RGB"))
    width, height = pngs[0].size
    body = (0, 0, width, int(height * 0.85))
    red, green, blue = ImageChops.difference(pngs[0].crop(body), pngs[1].crop(body)).split()
    most = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # each pixel's largest channel difference
    return sum(most.histogram()[31:])


def test_a_box_filled_with_the_watermark_grey_cannot_hide_the_draft_watermark(project: Path,
                                                                              tmp_path: Path) -> None:
    """`templates/style.yaml`: the shipped one with `callout_background` and `table_header_background` set to
    "#d6d6d6" — the watermark's own grey (text on it keeps 11:1, so the contrast checks pass) — and a project
    template that makes every section a callout. On main 6681d8b (after the fix that redraws the watermark over
    box fills) page 1 of the draft shows no DRAFT at all (looked at): the watermark is drawn in the colour of
    the box it lies on. Measured as what the watermark adds to the page (draft minus approved, 50 dpi): 4,779
    pixels with the shipped style, 281 with this one. The watermark's contrast is checked against white paper
    only; it must hold against every background it is drawn over (or be drawn so that it always shows)."""
    main = (REPO / "templates/handout.xml.j2").read_text(encoding="utf-8")
    old = '<section id="{{ section.id }}"{% if section.id == "help" %} style="callout"{% endif %}>'
    assert old in main
    (project / "templates").mkdir()
    (project / "templates/handout.xml.j2").write_text(
        main.replace(old, '<section id="{{ section.id }}" style="callout">', 1), encoding="utf-8")
    text = (project / HANDOUT).read_text(encoding="utf-8")
    text = text.replace('text: "An introduction."', 'text: "' + "An introduction that goes on. " * 60 + '"', 1)
    (project / HANDOUT).write_text(text, encoding="utf-8")
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    shipped = _watermark_ink(project, tmp_path, "shipped-style")
    for key in ("callout_background", "table_header_background"):
        style = re.sub(rf'{key}: "#[0-9a-f]{{6}}"', f'{key}: "#d6d6d6"', style)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    checked = run("check", "--project", project)
    if checked.exit_code == 1 and "style.yaml" in checked.stderr:
        return  # refused: fine
    grey = _watermark_ink(project, tmp_path, "grey-boxes")
    assert shipped > 2000 and grey >= shipped // 2, (shipped, grey)


# -- verify: a file within the size bound whose verification data is huge -------------------------------------
def _pdf_with_keywords(path: Path, keywords: bytes) -> None:
    """A one-page PDF, written by hand, whose document information holds `keywords`."""
    stream = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Keywords (" + keywords + b") >>"]
    path.write_bytes(pdf_of(objects, info=5))


def test_verify_a_pdf_whose_verification_data_is_eleven_million_fields(project: Path, tmp_path: Path) -> None:
    """A 44 MB PDF (under verify's 50 MB bound) whose /Keywords is the verification prefix followed by
    "a=b;" eleven million times. On main 6681d8b `handouts verify` split it into eleven million strings: 1.08 GB
    resident and 8.6 s, and under a 1 GiB address-space limit a MemoryError traceback (verify.read_payload).
    The verification data is a few hundred bytes: anything longer is not ours ("unknown"), read within bounds."""

    pdf = tmp_path / "fields.pdf"
    _pdf_with_keywords(pdf, b"patient-handouts:verify:v1;" + b"a=b;" * 11_000_000)

    done = handouts("verify", pdf, "--project", project, memory=1 << 30)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-600:]
    assert done.returncode == 1 and ": unknown (" in done.stdout, done.stdout + done.stderr


def test_a_release_pdf_offers_only_languages_the_clinic_may_print(project: Path) -> None:
    """English approved; Spanish translated but a draft. `handouts build --release --lang en` (the edition a
    clinic gives patients) printed "This handout is also available in: español" on main 6681d8b, while
    `build --release --lang es` refuses Spanish and the desk in release mode answers "not approved in that
    language, so it is not offered". The patient is promised a handout the clinic may not give. In a release
    build the other-languages line names only languages whose edition is approved too."""
    from tests.hardening.hostile import all_text

    _spanish(project)
    _approve(project)
    assert run("build", "--project", project, "-j", "1", "--release", "--lang", "es").exit_code == 1
    result = run("build", "--project", project, "-j", "1", "--release", "--lang", "en")
    assert result.exit_code == 0, result.output + result.stderr
    assert "español" not in all_text(project / "output/en/tiny.pdf")


# -- lint: a terminology table saved by another editor is not skipped without a word ---------------------------
@pytest.mark.parametrize("table", [
    b"\xef\xbb\xbf| concept | lang | use | not |\r\n|---|---|---|---|\r\n| ride | en | ride | home |\r\n",
    b"concept | lang | use | not\n--- | --- | --- | ---\nride | en | ride | home\n",
], ids=["utf8-bom-crlf", "table-without-outer-pipes"])
def test_lint_never_skips_a_terminology_table_silently(project: Path, table: bytes) -> None:
    """`docs/terminology.md` with one row (`ride`, en: avoid "home"; the tiny handout says "Arrange a ride
    home."), saved by Windows Notepad (a UTF-8 byte-order mark, CRLF), or written as a GitHub table without
    the outer pipes (valid Markdown). With the plain file `lint --strict` reports "uses 'home' for 'ride'"; on
    main 6681d8b, with either of these it reported nothing about terminology and gave no sign that it had read
    no table: the BOM hides the header row's first `|`, and rows without outer pipes are not looked at. The
    module promises "a row that cannot be read is a problem reported at its line in the table, never skipped"."""
    (project / "docs").mkdir()
    (project / "docs/terminology.md").write_bytes(table)
    result = run("lint", "--strict", "--project", project)
    no_traceback(result)
    shown = result.output + result.stderr
    assert "uses 'home'" in shown or "docs/terminology.md:" in shown, shown


@pytest.mark.parametrize("file, old, new", [
    ("content/facts.yaml", 'value: "988"', 'value: "\\u200b"'),
    ("content/facts.yaml", 'call: "988"', 'call: "\\u2060"'),
    ("handouts.yaml", 'phone: "+1 555 010 0100"', 'phone: "\\u200b"'),
], ids=["crisis-line-fact", "crisis-service-call", "clinic-phone"])
def test_the_crisis_number_cannot_be_made_of_invisible_characters(project: Path, file: str, old: str,
                                                                   new: str) -> None:
    """`content/facts.yaml` with the crisis line's value `"\\u200b"` (a zero-width space) or the crisis
    service's `call: "\\u2060"` (a word joiner). On main ccc3bcd — after UI strings with no visible letter or
    digit were refused — `check` and `build` still passed: the handout prints "In a crisis, call ." and "Test
    Crisis Line: call ." — the number a patient in crisis needs, printed as nothing (and the clinic's phone,
    `phone: "\\u200b"` in handouts.yaml: "Questions? Call Tiny Test Clinic at ."). Facts and settings are
    drawn on the page like UI strings: a value with nothing visible must be refused at its position."""
    _edit(project / file, old, new)
    result = run("build", "--project", project, "-j", "1")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{file}:" in result.stderr, result.stderr


@pytest.mark.parametrize("link", [
    "[988](tel:+15550000666)",
    "[https://clinic.example.org/book](https://clinic-example.evil.example/book)",
], ids=["number-text-other-number", "address-text-other-address"])
def test_a_link_cannot_show_one_number_or_address_and_go_to_another(project: Path, link: str) -> None:
    """A content (or translation) paragraph "In a crisis, call [988](tel:+15550000666)." or "Book at
    [https://clinic.example.org/book](https://clinic-example.evil.example/book).": the schemes are allowed, so on
    main 6681d8b (and ccc3bcd) `check` said ok and both the PDF's link annotation and the HTML companion's `<a>`
    went to the hidden target while the page shows 988 or the clinic's address. A reviewer reading the PDF, and
    a patient tapping the number, see one thing and get another. Link text that is itself a phone number or a
    web address must be the link's target (or the link refused, with its position)."""
    _edit(project / HANDOUT, '"An introduction."', f'"In a crisis, call {link}."')
    result = run("build", "--project", project, "-j", "1", "--format", "pdf,html")
    no_traceback(result)
    target = link[link.index("](") + 2:-1]
    if result.exit_code == 1:
        assert "content/en/tiny.yaml:" in result.stderr, result.stderr
        return
    html = (project / "output/en/tiny.html").read_text(encoding="utf-8")
    assert f'href="{target}"' not in html, "the link goes where its text does not say"


def test_a_build_never_removes_what_another_project_built_into_the_same_folder(tmp_path: Path) -> None:
    """Two projects (tiny, and a copy whose only handout is `other`) built one after the other with the same
    `--out` folder (a clinic's print folder shared by two of its projects). Up to main 6681d8b both PDFs were
    kept and the manifest listed both. On main 3d25974 (the fix that removes a withdrawn handout's files)
    the second build said "removed 1 withdrawn" and deleted `en/tiny.pdf`, built a minute earlier by the other
    project, which still has that handout: a build judged another project's file withdrawn because its own
    project lacks the handout (and the entry's handout and language fields, which decide it, are not under the
    seal). A build may remove only what it built from this project."""
    first = tiny_copy(tmp_path / "first")
    second = tiny_copy(tmp_path / "second")
    text = (second / HANDOUT).read_text(encoding="utf-8").replace("handout: tiny", "handout: other", 1)
    (second / "content/en/other.yaml").write_text(text, encoding="utf-8")
    (second / HANDOUT).unlink()
    shared = tmp_path / "print-folder"
    assert run("build", "--project", first, "-j", "1", "--out", shared).exit_code == 0
    result = run("build", "--project", second, "-j", "1", "--out", shared)
    assert result.exit_code == 0, result.output + result.stderr
    assert (shared / "en/tiny.pdf").is_file(), result.output
    assert (shared / "en/other.pdf").is_file()


@pytest.mark.parametrize("key", ["disclaimer.short", "review.draft"])
def test_a_hangul_filler_cannot_make_the_chinese_stamp_invisible(tmp_path: Path, key: str) -> None:
    """The shipped project's `content/zh-Hans/ui.yaml` with `disclaimer.short` (or `review.draft`) set to
    "\\u3164", HANGUL FILLER: a *letter* to Unicode (category Lo), present in the Chinese font (WenQuanYi Micro
    Hei maps it), and drawn as nothing. On main ce9689c — after "UI strings with no visible letter or digit
    refused" — `build --lang zh-Hans` succeeded and the footer of every page showed the title line only, no
    review state or no disclaimer (looked at, 60 dpi). "Visible" has to mean ink, not a Unicode category: the
    fillers U+3164, U+115F, U+1160, U+FFA0 (and any character the language's font draws with an empty
    outline) do not count."""
    import re as regex

    from tests.conftest import copy_project
    from tests.hardening.hostile import all_text

    project = copy_project(tmp_path / "project")
    ui = project / "content/zh-Hans/ui.yaml"
    text = ui.read_text(encoding="utf-8")
    original = regex.search(rf"^  {regex.escape(key)}: (.*)$", text, regex.M)
    assert original
    ui.write_text(text.replace(original.group(0), f'  {key}: "\\u3164"', 1), encoding="utf-8")
    handout = sorted(p.stem for p in (project / "content/en").glob("*.yaml") if p.stem != "ui")[0]
    result = run("build", "--project", project, "-j", "1", "--lang", "zh-Hans", handout)
    no_traceback(result)
    pdf = project / "output/zh-Hans" / f"{handout}.pdf"
    if result.exit_code == 0:
        assert "\u3164" not in all_text(pdf), "the stamp is printed as Hangul fillers: nothing visible"
    else:
        assert "content/zh-Hans/ui.yaml:" in result.stderr, result.stderr


@pytest.mark.parametrize("link", ["[Call 988 now](tel:+15550000666)", "[988.](tel:+15550000666)",
                                  "[(988)](tel:+15550000666)"],
                         ids=["words-around-the-number", "trailing-period", "parentheses"])
def test_a_link_showing_a_number_among_other_characters_goes_to_that_number(project: Path, link: str) -> None:
    """After main 4bc5b59 refused "[988](tel:+15550000666)", the same link with the number among other
    characters — "[Call 988 now](tel:+15550000666)", "[988.](tel:…)", "[(988)](tel:…)" — still passed
    `check` and built (exit 0), the HTML's and the PDF's link going to +1 555 000 0666 while the page shows
    988. The rule must look at the number inside the link text, whatever surrounds it."""
    _edit(project / HANDOUT, '"An introduction."', f'"In a crisis, {link}."')
    result = run("build", "--project", project, "-j", "1", "--format", "pdf,html")
    no_traceback(result)
    if result.exit_code == 1:
        assert "content/en/tiny.yaml:" in result.stderr, result.stderr
        return
    html = (project / "output/en/tiny.html").read_text(encoding="utf-8")
    assert 'href="tel:+15550000666"' not in html, "the link goes where its text does not say"
