"""The twenty-seventh hostile pass, part C (issue 12): whole workflows of one user at a time — a clinic adding a
language, a medical reviewer's yearly re-review, a clinic upgrading its content and settings, a desk user while
someone rebuilds — with careless-but-plausible steps along the way. Written against main d2aa693; every test here
failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy

NOTES = b"%a clinician's notes, saved by a PDF reader\n"


def _second_handout(project: Path) -> Path:
    """A second English handout, `tiny2`, beside the tiny one."""
    source = (project / "content/en/tiny.yaml").read_text(encoding="utf-8")
    second = project / "content/en/tiny2.yaml"
    second.write_text(source.replace("handout: tiny\n", "handout: tiny2\n", 1), encoding="utf-8")
    return second


@pytest.mark.parametrize("links", [True, False])
def test_a_withdrawn_file_with_notes_saved_into_it_is_kept_not_deleted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool) -> None:
    """A clinician saved notes into output/en/tiny2.pdf in a PDF reader; then the clinic withdrew the handout (its
    file removed from content/, as an upgrade that renames a handout does; the same for a language taken out of
    handouts.yaml). The next build said "removed 1 withdrawn" and deleted the file, notes and all: the keep-aside
    that protects a changed file from a rebuild (docs/clinic-staff.md: "A built file you changed is kept, not
    lost") did not apply to a withdrawal. Now a withdrawn file no longer byte for byte its manifest's is kept as
    tiny2.changed.pdf, and the build warns naming it; an unchanged withdrawn file is removed as before. (Also on a
    disk that takes no hard link: the copy is then made in pieces.)"""
    if not links:
        def refused(*_: object, **__: object) -> None:
            raise PermissionError(1, "Operation not permitted")
        monkeypatch.setattr("generator.render.keepaside.os.link", refused)
    project = tiny_copy(tmp_path / "tiny")
    second = _second_handout(project)
    assert run("build", "--format", "pdf,html", "--project", project).exit_code == 0
    pdf, html = project / "output/en/tiny2.pdf", project / "output/en/tiny2.html"
    noted = pdf.read_bytes() + NOTES
    pdf.write_bytes(noted)
    second.unlink()
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/tiny2.changed.pdf"
    assert kept.read_bytes() == noted, sorted(p.name for p in pdf.parent.iterdir())
    assert str(kept) in result.stderr and "warning" in result.stderr, result.stderr
    assert not pdf.exists() and not html.exists()  # withdrawn: the unchanged HTML goes, no copy of it
    assert not (project / "output/en/tiny2.changed.html").exists()


def test_a_changed_file_too_large_to_read_is_kept_not_replaced_unsaid(tmp_path: Path) -> None:
    """A clinician saved notes and a scanned consent form (60 MB) into output/en/tiny.pdf. The next build rebuilt
    the file and renamed the fresh one over it, saying nothing: the keep-aside reads a changed file to copy it, and
    a file over its 50 MB read bound was passed over as "not one a build wrote" — and then replaced. Now such a file
    is kept aside too (linked, or copied in pieces), and the build says so."""
    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    with pdf.open("ab") as handle:
        handle.write(NOTES)
    size = 60_000_000
    os.truncate(pdf, size)  # sparse: the test writes no 60 MB
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/tiny.changed.pdf"
    assert kept.exists() and kept.stat().st_size == size, sorted(p.name for p in pdf.parent.iterdir())
    assert str(kept) in result.stderr, result.stderr
    assert pdf.stat().st_size < 1_000_000  # the fresh build in its place


def test_a_page_text_equal_to_a_section_heading_builds_as_check_said(tmp_path: Path) -> None:
    """A clinic (or a translator of a new language) gave the Sources heading the words of a section's heading
    (`heading.sources: "Safety"`; in a new language, two short headings one word). `handouts check` said ok, and
    every build failed: "handout.xml.j2: it prints 'Safety' at another level of heading than the handout gives it"
    — blaming the shipped template nobody had changed, with nothing to fix in it. The level check did not know the
    Sources heading, which the template prints as a subheading. Now it does, and the handout builds."""
    project = tiny_copy(tmp_path / "tiny")
    ui = project / "content/en/ui.yaml"
    text = ui.read_text(encoding="utf-8")
    assert 'heading.sources: "Sources"' in text
    ui.write_text(text.replace('heading.sources: "Sources"', 'heading.sources: "Safety"'), encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0
    result = run("build", "--format", "pdf,html", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr


def test_a_style_carried_over_from_an_earlier_release_is_told_what_to_change(tmp_path: Path) -> None:
    """A clinic upgrading keeps its own templates/style.yaml, a copy of an earlier release's (table heading fill
    "#dfe8f1", watermark "#d6d6d6"). Every command refused it: "colors.watermark has a contrast of 1.16:1 on
    colors.table_header_background …; make it at least 1.3:1 (e.g. "#d6d6d6" on white and on "#fdf1e6")" — the
    example was the watermark the file already had, and changing the watermark was not the only way out. Now the
    message suggests no colour the file already has, and names the fill as the other thing to change."""
    project = tiny_copy(tmp_path / "tiny")
    shipped = Path(__file__).resolve().parents[2] / "templates/style.yaml"
    (project / "templates").mkdir()
    style = shipped.read_text(encoding="utf-8")
    assert 'table_header_background: "#f0f4f9"' in style and 'watermark: "#d6d6d6"' in style
    (project / "templates/style.yaml").write_text(
        style.replace('table_header_background: "#f0f4f9"', 'table_header_background: "#dfe8f1"'), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "colors.table_header_background" in result.stderr and "lighter" in result.stderr, result.stderr
    assert 'e.g. "#d6d6d6"' not in result.stderr, result.stderr


def test_the_verify_page_answers_a_patient_while_the_project_has_an_error(tmp_path: Path) -> None:
    """A desk server runs for months; at midnight a fact's review-by date passed (or someone saved a content file
    with a mistake). A patient scanning the QR code of a Spanish handout got, in English, "The handout project has
    errors … content/facts.yaml:68:16: facts.legal-status.US: fact is past its review-by date …" with a 503: the
    staff's problem list, file paths and all, and no answer. Now the /verify page answers in the handout's language
    that the handout could not be checked (unknown), with the clinic's name and phone number; the staff line and
    the server's log name the problem."""
    from generator.serve.app import create_app

    project = tiny_copy(tmp_path / "tiny")
    logged: list[str] = []
    app = create_app(project, None, False, "127.0.0.1", 8000, "", logged.append)
    client = app.test_client()
    query = "/verify?handout=tiny&lang=en&version=1.0.0&fingerprint=0123456789ab&review=draft"
    assert client.get(query, headers={"Host": "127.0.0.1:8000"}).status_code == 200
    facts = project / "content/facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert 'review_by: "2099-01-01"' in text
    facts.write_text(text.replace('review_by: "2099-01-01"', 'review_by: "2026-02-01"', 1), encoding="utf-8")
    page = client.get(query, headers={"Host": "127.0.0.1:8000"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body
    assert 'data-verdict="unknown"' in body and "Tiny Test Clinic" in body and "+1 555 010 0100" in body, body
    assert "facts.yaml" not in body.split('class="staff"')[0], body  # no file paths in the patient's part
    assert any("facts.yaml" in line for line in logged), logged
    fresh = create_app(project, None, False, "127.0.0.1", 8000, "", logged.append)  # no good load before
    body = fresh.test_client().get(query, headers={"Host": "127.0.0.1:8000"}).get_data(as_text=True)
    assert 'data-verdict="unknown"' in body and "+1 555 010 0100" in body, body


def test_the_aside_copy_of_an_unchanged_withdrawn_file_is_not_made(tmp_path: Path) -> None:
    """The guard's other side: a withdrawn file as built is removed, with no copy and no warning."""
    project = tiny_copy(tmp_path / "tiny")
    second = _second_handout(project)
    assert run("build", "--project", project).exit_code == 0
    second.unlink()
    result = run("build", "--project", project)
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
    assert sorted(p.name for p in (project / "output/en").iterdir()) == ["tiny.pdf"]
    shutil.rmtree(project / "output")


def test_a_language_declared_before_it_is_translated_says_what_it_stops_and_the_way_out(tmp_path: Path) -> None:
    """A clinic adding French did what `translate new fr` printed, "next: add 'fr' to `languages:` in handouts.yaml
    …; translate the texts": from then on every build — `handouts build --lang en` too — and the front desk refused
    the project with 46 lines "unit … is not translated into 'fr' yet; translate it", for the weeks a translation
    takes; nothing said that a declared language must be complete, nor that taking it out of `languages:` (export,
    import and status work without it) lets the clinic print meanwhile. Now `translate new` says to declare the
    language when it is translated, and the build says once, at the language's line in handouts.yaml, what its
    untranslated units stop and the way out."""
    project = tiny_copy(tmp_path / "tiny")
    started = run("translate", "new", "fr", "--project", project)
    assert started.exit_code == 0
    assert "when it is translated" in started.output, started.output
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "  - fr\n", encoding="utf-8")
    result = run("build", "--lang", "en", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    summary = [line for line in result.stderr.splitlines() if line.startswith("handouts.yaml:")]
    assert len(summary) == 1 and "take 'fr' out of `languages:`" in summary[0], result.stderr


def test_an_import_into_a_new_right_to_left_language_refuses_markup_the_untranslated_copy_had(tmp_path: Path) -> None:
    """A clinic starting Arabic (the same for Persian, Urdu, Hebrew…): `translate new ar` copies every English unit
    untranslated, bold and all; the translator keeps the English's bold in the PO (`مقدمة **مهمة** جدا.`). `translate
    import` said "imported", exit 0, and `check` then refused the project, "bold inside right-to-left text (ar) is not
    supported": the import compares the problems after it with those before, and the untranslated copy (English
    text in an Arabic file) had that very problem at that unit, so it did not count as the file's. Now a problem at
    a unit the import changes is the file's, and the import is refused at the unit's line in the PO."""
    project = tiny_copy(tmp_path / "tiny")
    english = project / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "An **important** introduction."', 1), encoding="utf-8")
    assert run("translate", "new", "ar", "--project", project).exit_code == 0
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "  - ar\n", encoding="utf-8")
    po = tmp_path / "ar.po"
    assert run("translate", "export", "ar", "-o", po, "--project", project).exit_code == 0
    text = po.read_text(encoding="utf-8")
    entry = 'msgid "An **important** introduction."\nmsgstr ""'
    assert entry in text
    po.write_text(text.replace(entry, entry[:-2] + '"مقدمة **مهمة** جدا."'), encoding="utf-8")
    before = (project / "content/ar/tiny.yaml").read_bytes()
    result = run("translate", "import", po, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "ar.po:" in result.stderr and "right-to-left" in result.stderr, result.stderr
    assert (project / "content/ar/tiny.yaml").read_bytes() == before


def test_an_html_template_carried_over_from_an_earlier_release_is_told_to_take_the_new_style(tmp_path: Path) -> None:
    """A clinic's own templates/handout.html.j2 is the previous release's shipped one with a heading moved; the
    release changed the shipped template's CSS (`overflow-wrap: break-word`, pass 25b). After the upgrade every command
    refused the project: "the style 'html { font-size: 100%; } …' is not one of the shipped template's: a project's
    HTML template … cannot hide or restyle the handout with CSS of its own" — a clinic that wrote no CSS was not told
    what to change. Now the message says to copy the shipped template's <style> as it is (it changes between
    releases), as the <meta> check already did."""
    from tests.hardening.hostile import own_template

    project = tiny_copy(tmp_path / "tiny")
    own_template(project, "handout.html.j2", ("line-height: 1.5; overflow-wrap: break-word;", "line-height: 1.5;"))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "copy the <style>" in result.stderr and "earlier release" in result.stderr, result.stderr
