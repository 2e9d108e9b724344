"""The eighteenth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and every
drawing path of the PDF and the HTML companion. Written against main e1a3689; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import own_template, refused_by_check_and_build, set_safety, tiny_copy

PDF_PARAGRAPH = '{{ pair("p", block.text) }}'
HTML_PARAGRAPH = "<p>{{ block.text | html_inline }}</p>"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- a template's punctuation written against a number --------------------------------------------------------------
@pytest.mark.parametrize("mark", ["-", ".", "%"])
def test_pdf_template_writes_a_mark_against_a_dose(project: Path, mark: str) -> None:
    """The Safety paragraph says "5 mg at night, at most 10"; a template printed it as `-{{ unit }}` (or `.`) or with
    a `%` after it: the page read "-5 mg at night", ".5 mg" (a tenth of the dose) or "at most 10%". `check` and
    `build` said ok: the composed-line rule let any punctuation stand between whole pieces, and a line of one unit
    and a mark is such a line. A mark touching a number is part of the number."""
    set_safety(project, "5 mg at night, at most 10")
    printed = '<p id="{{ block.text.id }}">' + ("{{ block.text | inline }}%" if mark == "%"
                                                 else mark + "{{ block.text | inline }}") + "</p>"
    own_template(project, "handout.xml.j2", (PDF_PARAGRAPH, printed))
    refused_by_check_and_build(project, "against the number")


def test_html_template_writes_a_decimal_point_before_a_dose(project: Path) -> None:
    """The same in the HTML companion: `<p>.{{ unit }}</p>` printed "5 mg at night, at most 10" as ".5 mg…"."""
    set_safety(project, "5 mg at night, at most 10")
    own_template(project, "handout.html.j2", (HTML_PARAGRAPH, "<p>.{{ block.text | html_inline }}</p>"))
    refused_by_check_and_build(project, "against the number", "--format", "html")


@pytest.mark.parametrize("printed", ["({{ block.text | inline }})", "- {{ block.text | inline }}",
                                     "«{{ block.text | inline }}»", "{{ block.text | inline }}.",
                                     "{{ block.text | inline }}, ·"])
def test_a_bracket_quote_or_spaced_dash_around_a_number_is_kept(project: Path, printed: str) -> None:
    """Brackets and quotation marks do not change a number, a space keeps a dash apart, and a full stop or a comma
    after its last digit ends the sentence: still built."""
    from tests.conftest import run

    set_safety(project, "5 mg at night, at most 10")
    own_template(project, "handout.xml.j2", (PDF_PARAGRAPH, f'<p id="{{{{ block.text.id }}}}">{printed}</p>'))
    result = run("build", "--project", project, "--out", project / "out")
    assert result.exit_code == 0, result.output + result.stderr


# -- the HTML companion: a unit marked as another language's by an inline element -----------------------------------
@pytest.mark.parametrize("printed", ['<p><span lang="es">{{ block.text | html_inline }}</span></p>',
                                    '<p><b lang="zh-Hans"></b><bdi lang="ar">{{ block.text | html_inline }}</bdi></p>',
                                    '<p><span lang="">{{ block.text | html_inline }}</span></p>'])
def test_html_template_marks_a_unit_as_another_language_inline(project: Path, printed: str) -> None:
    """An own `handout.html.j2` wrapped each English paragraph in `<span lang="es">` (or `<bdi lang="ar">`, or
    `lang=""`): `check` and `build` passed (a block's lang= was held to the page's since the seventeenth pass; an
    inline element's was not), and a screen reader read the instructions in a Spanish (Arabic) voice, a browser
    drew them in that language's fonts and offered to translate them from it."""
    own_template(project, "handout.html.j2", (HTML_PARAGRAPH, printed))
    refused_by_check_and_build(project, "as written in lang=", "--format", "html")


# -- the translation review sheets ---------------------------------------------------------------------------------
def _page_words(pdf: Path) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """Every page's height and its words' boxes (x0, top, x1, bottom, word), as pdftotext -bbox finds them."""
    import re
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(height), [(float(a), float(b), float(c), float(d), word) for a, b, c, d, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
        for height, page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S)]


def test_translate_review_sheet_at_a_large_body_size(tmp_path: Path) -> None:
    """style.yaml set the body text at 72 pt, table cells at 40 pt and 30 mm side margins (each within its bounds;
    `check` and `build` pass): `translate review es` ended in a Python traceback (ReportLab's LayoutError: the column
    labels, set at the body's 72 pt on every page, left 86 pt for the rows; then, the labels smaller, an IndexError
    splitting a cell, which the handouts' tables were fixed for in the fifteenth pass). Once it ran, a row split at
    the foot of page 1 drew its next line over the footer (page looked at). The sheet is written, every word on the
    paper and none over another, rows moving to the next page whole as the handouts' do."""
    from tests.conftest import run
    from tests.hardening.hostile import FONTS, no_traceback, spanish_started

    project = spanish_started(tmp_path / "project")
    style = (FONTS.parent / "style.yaml").read_text(encoding="utf-8")
    for old, new in (("  body: {size: 12, leading: 15.6, space_after: 4}", "  body: {size: 72, leading: 94}"),
                     ("  cell: {size: 11, leading: 14.3}", "  cell: {size: 40, leading: 52}"),
                     ("left: 16, right: 16", "left: 30, right: 30")):
        assert old in style
        style = style.replace(old, new, 1)
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    result = run("translate", "review", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    for height, words in _page_words(project / "output/review/es/tiny.review.pdf"):
        assert all(0 <= top and bottom <= height for _, top, _, bottom, _ in words)
        overlapping = [(a[4], b[4]) for index, a in enumerate(words) for b in words[index + 1:]
                       if min(a[2], b[2]) - max(a[0], b[0]) > 1
                       and min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])]
        assert not overlapping, overlapping


# -- a unit of the UI printed again, over a section's unit ---------------------------------------------------------
@pytest.mark.parametrize("printed", ['{{ pair("heading", doc.disclaimer_heading) }}',  # "Important"
                                     '{{ pair("heading", doc.contact_heading) }}',  # "Contact us"
                                     '{{ pair("subheading", doc.sources_heading) }}',  # "Sources"
                                     '{{ pair("p", doc.large_print_line) }}'])
def test_pdf_template_prints_a_ui_unit_again_inside_a_section(project: Path, printed: str) -> None:
    """A template printed the disclaimer's heading "Important" (or "Contact us", "Sources", the large-print line) a
    second time, between the Safety heading and its paragraph ("You may drive the next day."): the instruction read
    as part of the disclaimer (of the contact details, of the sources), under a heading not its own. The seventeenth
    session counted how often a section's units are printed; the UI's units (headings and lines the handout holds
    once) could be printed any number of times, anywhere."""
    set_safety(project, "You may drive the next day.")
    own_template(project, "handout.xml.j2", (PDF_PARAGRAPH, f'{{% if section.id == "safety" %}}{printed}'
                                                            f'{{% endif %}}{PDF_PARAGRAPH}'))
    refused_by_check_and_build(project, "more often than the handout holds it")


def test_html_template_prints_a_ui_heading_again_inside_a_section(project: Path) -> None:
    """The same in the HTML companion: `<h2>Important</h2>` before the Safety paragraph."""
    set_safety(project, "You may drive the next day.")
    own_template(project, "handout.html.j2", (HTML_PARAGRAPH, '{% if section.id == "safety" %}<h2>'
                                              '{{ doc.disclaimer_heading | html_inline }}</h2>{% endif %}'
                                              + HTML_PARAGRAPH))
    refused_by_check_and_build(project, "more often than the handout holds it", "--format", "html")
