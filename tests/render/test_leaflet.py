"""What a patient leaflet carries (contact block, Current as of, other editions, Sources), the type-size
minimums style.yaml may not go under, footer fitting, the page-break rules of a paragraph, and the warnings of
the print-quality check."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.content.markup import Span
from generator.render.fonts import load_config
from generator.render.localize import language_name, long_date
from generator.render.styles import load
from generator.render.textflow import MIN_LINES, TextFlow
from tests.conftest import REPO, run
from tests.helpers import arabic_text, body_text, edit, normalise, own_style, page_texts, snapshot
from tests.helpers import load as load_project
from tests.render.pages import ends_sentence, pages

FONTS = load_config(REPO / "templates")
STYLES = load(REPO / "templates" / "style.yaml")


# -- printed on every handout ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "current", "sources"), [
    ("en", "Current as of {date}", "Sources"),
    ("es", "Información vigente al {date}", "Fuentes"),
    ("zh-Hans", "内容更新至{date}", "资料来源"),
    ("ru", "Информация актуальна на {date}", "Источники"),
])
def test_contact_block_current_date_sources_and_editions_are_printed(built: Path, lang: str, current: str,
                                                                     sources: str) -> None:
    pdf = built / "output" / lang / "microdosing.pdf"
    text = normalise(body_text(pdf), lang)
    # The date: the newest `checked:` of the content file's sources (a draft), written the language's way.
    checked = max(s.checked for s in load_project(built).handout("microdosing", lang).sources)
    current = current.format(date=long_date(checked, lang))
    for expected in ("100 Example Street, Springfield", "https://clinic.example.org", "+1 555 010 0100", current,
                     sources, "Szigeti et al. 2021", "FDA (fda.gov) 2023"):
        assert normalise(expected, lang) in text, expected
    for other in ("English", "español", "Tiếng Việt", "русский"):  # the other languages, each in its own words
        if normalise(other, lang) != normalise(language_name(lang), lang):
            assert normalise(other, lang) in text, other
    # The Sources list sits beside the QR code, heading and list on one page, one of the last two.
    pages = page_texts(pdf)
    at = next(n for n, page in enumerate(pages) if "Szigeti et al. 2021" in page)
    assert at >= len(pages) - 2 and sources in pages[at]


def test_arabic_handout_has_the_contact_block_and_current_date(built: Path) -> None:
    text = normalise(arabic_text(built / "output" / "ar" / "microdosing.pdf"), "ar")
    for expected in ("المعلومات محدّثة حتى", "العنوان", "100 Example Street", "المصادر", "Szigeti et al"):
        assert normalise(expected, "ar") in text, expected


def test_pdf_creation_date_is_the_content_date_never_the_clock(built: Path) -> None:
    project = load_project(built)
    for lang in ("en", "ar", "zh-Hans"):
        checked = max(s.checked for s in project.handout("microdosing", lang).sources)
        meta = PdfReader(built / "output" / lang / "microdosing.pdf").metadata
        assert meta["/CreationDate"] == meta["/ModDate"] == f"D:{checked.replace('-', '')}000000+00'00'"


def test_clinic_can_turn_sources_off_and_publish_web_pages(project: Path) -> None:
    edit(project, "handouts.yaml", "paper: letter", "paper: letter\nprint_sources: false\n"
         "web_url: https://clinic.example.org/handouts/{lang}/{handout}.html")
    result = run("build", "--project", project, "--lang", "es", "microdosing")
    assert result.exit_code == 0, result.output
    text = normalise(body_text(project / "output" / "es" / "microdosing.pdf"), "es")
    assert "Szigeti" not in text and "Fuentes" not in text
    assert normalise("Léalo en internet: https://clinic.example.org/handouts/es/microdosing.html", "es") in text


@pytest.mark.parametrize(("setting", "message"), [
    ("print_sources: no", "print_sources: 'no' is not true or false"),
    ("web_url: https://clinic.example.org/{version}", "unknown field {version} in web_url"),
    ("web_url: http://clinic.example.org/", "web_url must be an https:// address template"),
])
def test_bad_leaflet_settings_are_refused_with_their_position(project: Path, setting: str, message: str) -> None:
    edit(project, "handouts.yaml", "paper: letter", f"paper: letter\n{setting}")
    result = run("build", "--project", project)
    assert result.exit_code == 1 and "handouts.yaml:" in result.stderr and message in result.stderr, result.stderr


# -- type sizes style.yaml may not go under -------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new", "message"), [
    ("  body: {size: 12,", "  body: {size: 11.5,", "text.body: size 11.5 pt is below the 12 pt"),
    ("  item: {size: 12,", "  item: {size: 10,", "text.item: size 10 pt is below the 12 pt"),
    ("  cell: {size: 11,", "  cell: {size: 10.5,", "text.cell: size 10.5 pt is below the 11 pt"),
    ("  heading: {size: 16,", "  heading: {size: 13,", "text.heading: size 13 pt is below the 14 pt"),
    ("  disclaimer: {size: 10,", "  disclaimer: {size: 9,", "text.disclaimer: size 9 pt is below the 10 pt"),
    ("  body: {size: 12, leading: 15.6", "  body: {size: 12, leading: 14", "text.body: leading 14 pt is less than 1.3"),
    ("  footer_size: 8", "  footer_size: 7", "footer_size 7 pt is below the 8 pt minimum"),
    ("  min_size: 10.5", "  min_size: 9", "bilingual.min_size 9 pt is below the 10.5 pt"),
])
def test_a_style_under_the_patient_minimums_is_refused(project: Path, old: str, new: str, message: str) -> None:
    own_style(project, old, new)
    before = snapshot(project / "output") if (project / "output").exists() else {}
    result = run("build", "--project", project, "--lang", "en", "microdosing")
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output, result.stderr
    assert (snapshot(project / "output") if (project / "output").exists() else {}) == before


def test_second_language_never_under_10_5_pt() -> None:
    for name, style in STYLES.text.items():
        assert STYLES.second(style).size >= min(10.5, style.size), name


# -- footer ---------------------------------------------------------------------------------------------------
def test_a_long_title_is_shortened_in_the_footer_which_never_wraps(project: Path) -> None:
    long_title = "Microdosing psilocybin or ketamine: what the research says, the risks, the law and how to stop"
    edit(project, "content/es/microdosing.yaml", 'title: "', f'title: "{long_title} — ')
    result = run("build", "--project", project, "--lang", "es", "microdosing", "--large-print")
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "es" / "microdosing.large.pdf"
    for page in pages(pdf):
        assert len(page.footer) == 3
        assert page.footer[0].text.count("…") == 1 and "Página" in page.footer[0].text


# -- page-break rules of one paragraph ------------------------------------------------------------------------
def _paragraph(text: str) -> TextFlow:
    return TextFlow((Span(text),), STYLES.text["body"], FONTS.for_lang("en"))


def test_a_split_paragraph_keeps_two_lines_each_side_and_breaks_after_a_sentence() -> None:
    text = " ".join(f"Sentence number {n} says a little more about what to expect on the day." for n in range(12))
    flow = _paragraph(text)
    _, height = flow.wrap(300, 10_000)
    lines = round(height / flow.style.leading)
    assert lines > 8
    for room in range(1, lines):
        parts = flow.split(300, room * flow.style.leading)
        if not parts:
            continue  # moved whole to the next page
        first, rest = parts
        first_lines = round(first.wrap(300, 10_000)[1] / flow.style.leading)
        rest_lines = round(rest.wrap(300, 10_000)[1] / flow.style.leading)
        assert first_lines >= MIN_LINES and rest_lines >= MIN_LINES
        assert first_lines + rest_lines == lines and first_lines <= room
        assert first.ends_sentence(first_lines - 1)


def test_a_paragraph_without_a_sentence_end_in_reach_moves_whole() -> None:
    flow = _paragraph("one long sentence that goes on " * 20 + "and ends here.")
    _, height = flow.wrap(300, 10_000)
    assert flow.split(300, height - flow.style.leading) == []


def test_phone_numbers_in_text_are_never_broken_over_lines() -> None:
    flow = _paragraph("If you feel worse, call the clinic at +1 555 010 0100 or the line at 1-800-662-4357 today.")
    for width in range(130, 420, 3):  # from the width of the longer number on
        flow.wrap(width, 10_000)
        lines = ["".join(p.text for w in line for p in w.pieces) for line in flow._lines]
        assert any("+1 555 010 0100" in line for line in lines) and any("1-800-662-4357" in ln for ln in lines)


def test_ends_sentence_reads_closing_quotes_and_other_scripts() -> None:
    assert ends_sentence("It is free.”") and ends_sentence("请当天拨打。") and ends_sentence("هل تشعر بتحسن؟")
    assert not ends_sentence("请当天拨打") and not ends_sentence("Call 911 if")


# -- the print-quality check's warnings -----------------------------------------------------------------------
def test_a_help_text_taller_than_a_page_is_a_warning_naming_handout_language_and_unit(project: Path) -> None:
    long = " ".join(["If you feel worse, call your care team the same day and tell them what changed."] * 50)
    edit(project, "content/en/microdosing.yaml", 'text: "Call your care team at {clinic.phone} the same day',
         f'text: "{long} Call your care team at {{clinic.phone}} the same day')
    result = run("build", "--project", project, "--lang", "en", "microdosing")
    assert result.exit_code == 0, result.output
    warning = [line for line in (result.output + result.stderr).splitlines() if "warning" in line]
    assert warning and "content/en/microdosing.yaml" in warning[0] and "standard edition" in warning[0], warning
    assert "taller than a page" in warning[0] and ": clinic:" not in warning[0]
    pdf = project / "output" / "en" / "microdosing.pdf"
    assert all(len(page.footer) == 3 for page in pages(pdf))


def test_a_table_row_taller_than_a_page_is_a_warning_naming_the_row(project: Path) -> None:
    long = " ".join(["Ask your care team how long each part of the day takes and who stays with you."] * 45)
    line = edit(project, "content/en/ketamine-or-psilocybin.yaml", 'psilocybin: "By mouth"}',
                f'psilocybin: "By mouth. {long}"}}')
    result = run("build", "--project", project, "--lang", "en", "ketamine-or-psilocybin")
    assert result.exit_code == 0, result.output
    warning = [ln for ln in result.stderr.splitlines() if "warning" in ln]
    assert len(warning) == 1, warning
    assert warning[0].startswith(f"content/en/ketamine-or-psilocybin.yaml:{line}:") and ".forms." in warning[0]
    assert "table row is taller than a page" in warning[0]
    assert all(len(page.footer) == 3 for page in pages(project / "output" / "en" / "ketamine-or-psilocybin.pdf"))
