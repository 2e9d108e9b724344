"""The sixteenth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and every
drawing path of the PDF and the HTML companion. Written against main 61f0bbe; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run
from tests.hardening.hostile import FONTS, no_traceback, own_template, refused_by_check_and_build, set_safety, tiny_copy

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "templates"
NOT_DRIVE = "Do **not** drive for 24 hours."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


PDF_UNIT = '<{{ tag }} id="{{ text.id }}">{{ text | inline }}</{{ tag }}>'
PLAIN_IF_BOLD = ('{% if text.spans | selectattr("bold") | list %}{{ text.plain }}'
                 '{% else %}{{ text | inline }}{% endif %}')


def test_pdf_template_drops_the_bold_not(project: Path) -> None:
    """A template printed every unit holding bold words through `.plain` ("Do **not** drive for 24 hours." as
    "Do not drive for 24 hours.", the "not" no longer set apart): `check` passed and the PDF printed it. The
    faithfulness check compared a unit's words, links and values, never its emphasis; the reviewer approved the
    bold "not" (a template could as well set a whole unit in bold: "You may drive.")."""
    set_safety(project, NOT_DRIVE)
    own_template(project, "handout.xml.j2", (PDF_UNIT, PDF_UNIT.replace("{{ text | inline }}", PLAIN_IF_BOLD)))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_pdf_template_bolds_a_whole_unit(project: Path) -> None:
    """A template set the Safety paragraph ("You may drive the next day.") all in bold, emphasis nobody wrote:
    `check` passed."""
    set_safety(project, "You may drive the next day.")
    own_template(project, "handout.xml.j2", (
        '{{ pair("p", block.text) }}',
        '{% if section.id == "safety" %}<p id="{{ block.text.id }}"><b>{{ block.text | inline }}</b></p>'
        '{% else %}{{ pair("p", block.text) }}{% endif %}'))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_html_template_drops_the_bold_not(project: Path) -> None:
    """The HTML companion the same way: a paragraph holding bold words printed as `block.text.plain`: "Do not
    drive for 24 hours." with no <strong>; `check` and `build --format html` passed."""
    set_safety(project, NOT_DRIVE)
    own_template(project, "handout.html.j2", (
        "<p>{{ block.text | html_inline }}</p>",
        '<p>{% if block.text.spans | selectattr("bold") | list %}{{ block.text.plain }}'
        '{% else %}{{ block.text | html_inline }}{% endif %}</p>'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


SECTION_OPEN = '<section id="{{ section.id }}"{% if section.id == "help" %} style="callout"{% endif %}>'
SECTION_CLOSE = "  </section>\n  {%- endfor %}\n  <section id=\"contact\">"


def test_pdf_template_nests_boxes(project: Path) -> None:
    """A template put every section in 35 boxes, one inside the other (`<section style="callout">`, within the
    40-level nesting bound): `check` passed, and the build failed blaming the content ("cannot lay out the
    standard pdf edition of this handout ... report this with the file"); at 30 boxes it built, each section's
    text squeezed into a column a few words wide in the middle of the page."""
    own_template(project, "handout.xml.j2",
                  (SECTION_OPEN, '{% for i in range(35) %}<section style="callout">{% endfor %}' + SECTION_OPEN),
                  (SECTION_CLOSE, SECTION_CLOSE.replace("</section>", "</section>{% for i in range(35) %}"
                                                                      "</section>{% endfor %}", 1)))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_pdf_template_prints_an_item_again_under_another_heading(project: Path) -> None:
    """A template printed the first list's item ("The first point.") a second time, under the Safety heading:
    `check` passed. A unit printed again was allowed anywhere ("a caption naming the columns"), so a "do" could
    be printed again among the "do not"s, under a heading that changes what it says."""
    own_template(project, "handout.xml.j2", (
        '{{ pair("heading", section.heading) }}\n    {%- if section.id == "help" %}',
        '{{ pair("heading", section.heading) }}\n    {%- if section.id == "safety" %}<list marker="bullet">'
        '{{ pair("item", doc.sections[0].blocks[2]["items"][0]) }}</list>{% endif %}\n'
        '    {%- if section.id == "help" %}'))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_pdf_template_swaps_bullets_and_check_boxes(project: Path) -> None:
    """A template drew the checklist ("Arrange a ride home.") with bullets and the bullet list with empty check
    boxes: `check` passed. A check box says "do this"; a list of things to avoid drawn as one reads as a to-do
    list."""
    own_template(project, "handout.xml.j2", (
        "marker=\"{{ 'box' if block.kind == 'checklist' else 'bullet' }}\"",
        "marker=\"{{ 'bullet' if block.kind == 'checklist' else 'box' }}\""))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_large_print_footer_stamp_not_large(project: Path) -> None:
    """style.yaml's `large_print.footer_size: 8` passed `check`, and `build --large-print` printed the review
    state ("Draft - not reviewed") and the short disclaimer at 8 pt on every page of the large-print edition,
    the standard edition's size (the shipped style: 12 pt; the guarantees: large print's footer is never below
    its size)."""
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    assert "\n  footer_size: 12\n" in style
    (project / "templates/style.yaml").write_text(style.replace("\n  footer_size: 12\n", "\n  footer_size: 8\n"),
                                                  encoding="utf-8")
    refused_by_check_and_build(project, "style.yaml", "--large-print")


def test_bold_face_is_the_regular_face(project: Path) -> None:
    """fonts.yaml named the regular face's file as the bold face too (no `synthetic_bold`): `check` passed, and
    every bold word printed as regular: "Do **not** drive" lost its bold "not", headings looked like body text.
    Now such a bold face is drawn by stroking the regular outlines, as `synthetic_bold: true` asks (text render
    mode 2 in the page)."""
    set_safety(project, NOT_DRIVE)
    (project / "templates/fonts/own").mkdir(parents=True)
    shutil.copy(FONTS / "noto-sans/NotoSans-Regular.ttf", project / "templates/fonts/own/")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  own:\n    regular: fonts/own/NotoSans-Regular.ttf\n    bold: fonts/own/NotoSans-Regular.ttf\n"
        "languages:\n  en: {family: own, direction: ltr, breaking: words}\n", encoding="utf-8")
    built = run("build", "--project", project, "--out", project / "out")
    no_traceback(built)
    assert built.exit_code == 0, built.stderr
    page = PdfReader(project / "out/en/tiny.pdf").pages[0].get_contents()
    assert page is not None and b" 2 Tr" in page.get_data(), "bold words printed as regular ones"


def test_pdf_template_prints_a_heading_as_text_and_text_as_a_heading(project: Path) -> None:
    """A template printed the "Integration tips" heading as a paragraph and the Safety paragraph ("Stop all other
    medicines.") as a section heading: `check` passed, and the PDF showed "Take time to rest." under "Legal
    status" and an instruction as the title of a section. Every unit's words were there, in order; which of
    them are headings was never checked."""
    set_safety(project, "Stop all other medicines.")
    own_template(project, "handout.xml.j2", (
        '{{ pair("heading", section.heading) }}\n    {%- if section.id == "help" %}',
        '{{ pair("p" if section.id == "integration" else "heading", section.heading) }}\n'
        '    {%- if section.id == "help" %}'),
        ('{{ pair("p", block.text) }}', '{{ pair("heading" if section.id == "safety" else "p", block.text) }}'))
    refused_by_check_and_build(project, "handout.xml.j2")


HTML_H2 = '<h2 id="h-{{ section.id }}">{{ section.heading | html_inline }}{{ also(section.heading) }}</h2>'


def test_html_template_prints_a_heading_as_text_and_text_as_a_heading(project: Path) -> None:
    """The HTML companion the same way: the "Integration tips" heading as a `<p>`, the Safety paragraph as an
    `<h2>`: `check` and `build --format html` passed."""
    set_safety(project, "Stop all other medicines.")
    own_template(project, "handout.html.j2", (
        HTML_H2, '{% if section.id == "integration" %}<p>{{ section.heading | html_inline }}</p>{% else %}'
                 + HTML_H2 + '{% endif %}'), (
        "<p>{{ block.text | html_inline }}</p>",
        '{% if section.id == "safety" %}<h2>{{ block.text | html_inline }}</h2>'
        '{% else %}<p>{{ block.text | html_inline }}</p>{% endif %}'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_html_template_swaps_bullets_and_check_boxes(project: Path) -> None:
    """An own `handout.html.j2` gave the bullet list the shipped `checklist` class (empty check boxes) and the
    checklist none: `check` passed (the class is on a `<ul>`, where the shipped template puts it)."""
    own_template(project, "handout.html.j2", (
        '<ul{% if block.kind == "checklist" %} class="checklist"{% endif %}>',
        '<ul{% if block.kind != "checklist" %} class="checklist"{% endif %}>'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_style_headings_look_like_body_text(project: Path) -> None:
    """style.yaml set section headings at 14 pt, not bold, in the text colour, and body text at 14 pt (each within
    its bounds): `check` passed, and the PDF printed "Safety", "Legal status", "Integration tips" as lines of the
    text, each section's words running on from the one before, the subheading "More to know" standing out more
    than any section heading. Judgement call: a heading must stand apart from the text it heads."""
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    for old, new in (('  heading: "#123a5c"', '  heading: "#1a1a1a"'),
                     ("  heading: {size: 16, leading: 20.8, bold: true, space_before: 8, space_after: 3}",
                      "  heading: {size: 14, leading: 18.2}"),
                     ("  body: {size: 12, leading: 15.6, space_after: 4}", "  body: {size: 14, leading: 18.2}")):
        assert old in style
        style = style.replace(old, new)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    refused_by_check_and_build(project, "style.yaml")


@pytest.mark.parametrize("edit", [
    ('      <row>{% for cell in row %}', '      <row header="yes">{% for cell in row %}'),
    ('<row header="yes">{% for cell in block.columns %}', '<row>{% for cell in block.columns %}'),
])
def test_pdf_template_moves_a_tables_heading_row(project: Path, edit: tuple[str, str]) -> None:
    """A template marked the table's data rows `header="yes"` (drawn bold, on the heading fill, as column names),
    or the column names' row not: `check` passed. Minor: the cells stay in their grid."""
    own_template(project, "handout.xml.j2", edit)
    refused_by_check_and_build(project, "handout.xml.j2")
