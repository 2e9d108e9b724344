"""The nineteenth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and every
drawing path of the PDF and the HTML companion. Written against main fc3bbfa; every test here failed there but those
holding what must still build.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import own_template, refused_by_check_and_build, tiny_copy

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
VERIFY = '<meta name="patient-handouts-verify" content="{{ doc.verify_payload }}">'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- the HTML companion's <meta> tags: words, a payload and a zoom of the template's own -----------------------------
@pytest.mark.parametrize("edit", [
    ("{{ doc.summary.plain }}", "Take 50 mg every hour. Driving is safe."),
    (VIEWPORT, '<meta name="viewport" content="width=device-width, initial-scale=0.1, maximum-scale=0.1, '
               'user-scalable=no">'),
    ('content="{{ doc.verify_payload }}"', 'content="{{ doc.verify_payload | replace(\'review=draft\', '
                                           '\'review=approved\') }}"'),
    (VERIFY, ""),
    (VIEWPORT, VIEWPORT + '<meta name="keywords" content="safe at any dose">'),
], ids=["description", "zoom", "verify-forged", "verify-dropped", "keywords"])
def test_html_template_writes_a_meta_tag_of_its_own(project: Path, edit: tuple[str, str]) -> None:
    """An own `handout.html.j2` wrote `<meta name="description" content="Take 50 mg every hour…">` (what a search
    engine or a shared link's preview shows as the page's summary), a viewport that draws the page at a tenth on a
    phone and forbids zooming (`maximum-scale=0.1, user-scalable=no`: WCAG 1.4.4), the verification payload of an
    approved handout on a draft (`verify` then said the file "was approved"), or no payload at all: `check` and
    `build` said ok. A `<meta>`'s content is the page's too: each must be one the shipped template writes."""
    own_template(project, "handout.html.j2", edit)
    refused_by_check_and_build(project, "<meta", "--format", "html")


def test_the_shipped_meta_tags_copied_are_kept(project: Path) -> None:
    """The shipped template copied as the project's own, its meta tags in another order, still builds."""
    from tests.conftest import run

    own_template(project, "handout.html.j2", (VIEWPORT, ""), (VERIFY, VERIFY + VIEWPORT))
    result = run("build", "--project", project, "--out", project / "out", "--format", "html")
    assert result.exit_code == 0, result.output + result.stderr


# -- translate review: a character the fonts cannot draw ------------------------------------------------------------
def test_review_sheet_shows_a_character_its_fonts_cannot_draw(tmp_path: Path) -> None:
    """A Spanish summary "Tome 5 mg ✓ ب al día." (a check mark and an Arabic letter pasted in; Noto Sans has
    neither): `check` refuses it, but `translate review es`, which draws files `check` refuses, printed
    "Tome 5 mg    al día." — the characters drawn as nothing, in the sheet a reviewer approves from."""
    from pypdf import PdfReader

    from tests.conftest import run
    from tests.hardening.hostile import set_scalar, spanish_started

    project = spanish_started(tmp_path / "project")
    set_scalar(project / "content/es", "tiny.yaml", '"What this tiny handout is for."', '"Tome 5 mg ✓ ب al día."')
    result = run("translate", "review", "es", "--project", project)
    assert result.exit_code == 0, result.output + result.stderr
    sheet = PdfReader(project / "output/review/es/tiny.review.pdf")
    text = " ".join(page.extract_text() for page in sheet.pages)
    assert "[U+2713]" in text and "[U+0628]" in text, text


# -- the HTML companion: a region named by another section's heading ------------------------------------------------
@pytest.mark.parametrize("named", ['h-{{ "help" if section.id == "safety" else section.id }}', "h-disclaimer",
                                  "nowhere"])
def test_html_section_named_by_another_heading(project: Path, named: str) -> None:
    """An own `handout.html.j2` wrote the Safety section's `aria-labelledby` as the help section's heading id (or
    every section's as the disclaimer's, "Important"): `check` and `build` said ok, and a screen reader listing the
    page's regions announced the Safety instructions as "When to get help". A region is named by its own heading."""
    own_template(project, "handout.html.j2", ('aria-labelledby="h-{{ section.id }}"', f'aria-labelledby="{named}"'))
    refused_by_check_and_build(project, "aria-labelledby", "--format", "html")


# -- the HTML companion: a table's header cells ---------------------------------------------------------------------
@pytest.mark.parametrize("edit", [
    ('<th scope="col">{{ cell | html_inline }}{{ also(cell) }}</th>',
     "<td>{{ cell | html_inline }}{{ also(cell) }}</td>"),
    ('<th scope="col">', '<th scope="row">'),
    ('<th scope="row">', '<th scope="col">'),
], ids=["names-as-td", "names-as-row-headers", "row-header-as-column"])
def test_html_table_header_cells_in_another_role(project: Path, edit: tuple[str, str]) -> None:
    """An own `handout.html.j2` wrote the table's column names as `<td>` (read as a row of answers, the cells below
    with no column names), as `<th scope="row">`, or each row's first cell as `<th scope="col">` (read as the column
    name of the cells under it): `check` and `build` said ok; a screen reader paired cells with other headers."""
    own_template(project, "handout.html.j2", edit)
    refused_by_check_and_build(project, "screen reader reads a table", "--format", "html")


@pytest.mark.parametrize("title", ["<title>{{ doc.disclaimer_heading.plain }}</title>", ""], ids=["other", "none"])
def test_html_page_title_is_not_the_handout_s(project: Path, title: str) -> None:
    """An own `handout.html.j2` wrote the page's `<title>` as the disclaimer's heading, "Important" (or none): a
    browser's tab and bookmarks showed it, a screen reader announced the page as it. It must name the handout."""
    own_template(project, "handout.html.j2", ("<title>{{ doc.title.plain }} – {{ doc.clinic_name }}</title>", title))
    refused_by_check_and_build(project, "<title>", "--format", "html")


@pytest.mark.parametrize("group", ["tfoot", "thead"])
def test_html_table_rows_drawn_in_another_order(project: Path, group: str) -> None:
    """An own `handout.html.j2` wrapped a table's first row in `<tfoot>` (or its second row in `<thead>`, the column
    names in `<tbody>`): a browser draws a footer group under every other row and the first header group above
    them, so "How fast" printed under "How long" (a Chromium screenshot looked at) while the source order, which
    every check reads, was the handout's."""
    from tests.hardening.hostile import set_scalar

    set_scalar(project / "content/en", "tiny.yaml", '{topic: "How fast", answer: "Within hours"}',
               '{topic: "How fast", answer: "Within hours"}\n          - id: later\n'
               '            cells: {topic: "How long", answer: "About a day"}')
    row = '{%- for row in block.rows %}\n<tr>'
    edits = [(row, "{%- for row in block.rows %}\n{% if loop.first %}</tbody><tfoot>{% elif loop.index == 2 %}"
                   "</tfoot><tbody>{% endif %}<tr>")] if group == "tfoot" else [
        ("<thead><tr>", "<tbody><tr>"), ("</tr></thead>\n<tbody>", "</tr>"),
        (row, "{%- for row in block.rows %}\n{% if loop.index == 2 %}</tbody><thead>{% endif %}<tr>")]
    own_template(project, "handout.html.j2", *edits,
                 ('{% if loop.first %}<th scope="row">{{ cell | html_inline }}{{ also(cell) }}</th>{% else %}',
                  "{% if false %}{% else %}"))
    refused_by_check_and_build(project, f"<{group}>", "--format", "html")
