"""The fifteenth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and every
drawing path of the PDF and the HTML companion. Written against main ae88a48; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run
from tests.hardening.hostile import _pages, no_traceback, own_template, refused_by_check_and_build, tiny_copy

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "templates"

# A table whose columns say which drug each answer is about: a template that moves them changes the handout.
DRUG_TABLE = '''      - table: compare
        columns:
          - {id: topic, text: Topic}
          - {id: ketamine, text: Ketamine}
          - {id: psilocybin, text: Psilocybin}
        rows:
          - id: forms
            cells: {topic: "How it is given", ketamine: "IV drip or shot", psilocybin: "By mouth"}
          - id: session
            cells: {topic: "Length of a session", ketamine: "About 2 hours", psilocybin: "About 6 to 8 hours"}
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _drug_table(project: Path) -> None:
    handout = project / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    start, end = text.index("      - table: compare"), text.index("  - id: safety")
    handout.write_text(text[:start] + DRUG_TABLE + text[end:], encoding="utf-8")


PDF_HEADER = '<row header="yes">{% for cell in block.columns %}{{ pair("cell", cell) }}{% endfor %}</row>'
PDF_ROW = '<row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>'


def test_pdf_table_column_names_swapped(project: Path) -> None:
    """A template printed the column names in order on a line above the table ("Topic · Ketamine · Psilocybin"),
    then the table's heading row as Topic | Psilocybin | Ketamine: `check` passed and the PDF said psilocybin is
    given by IV drip and lasts 2 hours. The in-order check allowed a unit to be printed again ("a caption naming
    the columns"); which column a cell is under was never checked."""
    _drug_table(project)
    own_template(project, "handout.xml.j2", (
        PDF_HEADER,
        '<row header="yes">{% for cell in [block.columns[0], block.columns[2], block.columns[1]] %}'
        '{{ pair("cell", cell) }}{% endfor %}</row>'), (
        "    <table>",
        '    <p>{% for cell in block.columns %}{{ cell | inline }}{% if not loop.last %} · {% endif %}{% endfor %}'
        '</p>\n    <table>'))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_pdf_table_cells_shifted_by_empty_cells(project: Path) -> None:
    """A template put an empty cell after the heading row's first name and one at the end of every row: each row's
    ketamine answer stood under the empty column and its psilocybin answer under "Ketamine" ("Ketamine: By mouth,
    About 6 to 8 hours"). Nothing was printed twice or out of order, so `check` passed."""
    _drug_table(project)
    own_template(project, "handout.xml.j2", (
        PDF_HEADER,
        '<row header="yes">{{ pair("cell", block.columns[0]) }}<cell></cell>{{ pair("cell", block.columns[1]) }}'
        '{{ pair("cell", block.columns[2]) }}</row>'), (
        PDF_ROW, '<row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}<cell></cell></row>'))
    refused_by_check_and_build(project, "handout.xml.j2")


HTML_CAPTION = '{% for cell in block.columns[1:] %}{% if not loop.first %} · {% endif %}'
HTML_HEAD = '<thead><tr>{% for cell in block.columns %}'


@pytest.mark.parametrize("edits", [
    # the caption names every column in order; the heading row swaps the two drugs
    ((HTML_CAPTION, '{% for cell in block.columns %}{% if not loop.first %} · {% endif %}'),
     (HTML_HEAD, '<thead><tr>{% for cell in [block.columns[0], block.columns[2], block.columns[1]] %}')),
    # an empty cell in the heading row moves every name one column right
    ((HTML_HEAD, '<thead><tr><th></th>{% for cell in block.columns %}'),),
    # the first name spans two columns
    (('<th scope="col">{{ cell | html_inline }}',
      '<th scope="col"{% if loop.first %} colspan="2"{% endif %}>{{ cell | html_inline }}'),),
], ids=["swapped", "empty-cell", "colspan"])
def test_html_table_column_names_moved(project: Path, edits: tuple[tuple[str, str], ...]) -> None:
    """The HTML companion's tables, the same way: a project's handout.html.j2 put the column names over other
    columns (swapped after a caption naming them in order, shifted by an empty <th>, or by colspan=2) and
    `check` and `build --format html` passed: the page paired ketamine's answers with "Psilocybin"."""
    _drug_table(project)
    own_template(project, "handout.html.j2", *edits)
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_continued_heading_prints_words_of_the_template(project: Path) -> None:
    """The help box's heading repeated on the next page ("When to get help (continued)") took the words of the
    template's <continued> element, which the laid-out check never saw: `<continued>Do drive for 24 hours.
    </continued>`, made of pieces of "Do **not** drive for 24 hours.", printed "When to get help Do drive for 24
    hours." at the top of page 2, and `check` passed."""
    handout = project / "content/en/tiny.yaml"
    items = "".join(f'          - id: p{n}\n            text: "Point number {n} to keep in mind."\n' for n in range(40))
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        '        text: "In a crisis, call {fact.crisis_line}."\n',
        '        text: "In a crisis, call {fact.crisis_line}."\n      - paragraph: drive\n'
        '        text: "Do **not** drive for 24 hours."\n      - list: many\n        items:\n' + items),
        encoding="utf-8")
    own_template(project, "handout.xml.j2", ('{{ pair("continued", doc.continued) }}',
                                              '<continued id="heading.continued">Do drive for 24 hours.</continued>'))
    checked = run("check", "--project", project)
    no_traceback(checked)
    built = run("build", "--project", project, "--out", project / "out")
    no_traceback(built)
    if built.exit_code == 0:
        text = " ".join(page.extract_text() for page in PdfReader(project / "out/en/tiny.pdf").pages)
        assert "Do drive" not in " ".join(text.split())
    assert checked.exit_code == 1 and "handout.xml.j2" in checked.stderr, checked.output + checked.stderr


def test_callout_draws_a_later_heading_at_its_top(project: Path) -> None:
    """A template ended the help box with the next section's heading ("Questions to ask your care team"): the box
    drew every heading it held at its top, so the crisis line stood under "Questions to ask your care team" and the
    questions' checklist, after the box, had no heading. The laid-out order (help's units, then the questions'
    heading) was right, so `check` passed. The page must print what it holds in that order."""
    own_template(project, "handout.xml.j2", (
        '''    {%- endfor %}
  </section>
  {%- endfor %}''',
        '''    {%- endfor %}
    {%- if section.id == "help" %}{{ pair("heading", doc.sections[loop.index].heading) }}{% endif %}
  </section>
  {%- endfor %}'''), (
        '''  <section id="{{ section.id }}"{% if section.id == "help" %} style="callout"{% endif %}>
    {{ pair("heading", section.heading) }}''',
        '''  <section id="{{ section.id }}"{% if section.id == "help" %} style="callout"{% endif %}>
    {%- if loop.index0 == 0 or doc.sections[loop.index0 - 1].id != "help" %}
    {{ pair("heading", section.heading) }}{% endif %}'''))
    built = run("build", "--project", project, "--out", project / "out")
    no_traceback(built)
    if built.exit_code == 0:
        text = " ".join(PdfReader(project / "out/en/tiny.pdf").pages[0].extract_text().split())
        assert text.index("In a crisis") < text.index("Questions to ask your care team"), text


def _built_unless_the_style_is_refused(project: Path) -> bool:
    """Whatever `check` accepts must build: either `check` refuses the project naming style.yaml (False), or the
    build into `out/` succeeds (True)."""
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1:
        assert "style.yaml" in checked.stderr, checked.stderr
        return False
    built = run("build", "--project", project, "--out", project / "out")
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr
    return True


def test_table_cell_style_runs_over_its_neighbours(project: Path) -> None:
    """style.yaml set table cells at 72 pt (within the 72 pt bound) with 38 mm margins, and a table had six columns:
    `check` passed, and every cell was set at least two ems wide whatever its column, so the cells' words ran over
    each other ("Take 10 mg", "By mouth", "20 mg" printed on top of one another) and the last column's past the
    right margin, within the 12.7 mm the printer cannot print. A style that passes `check` must print each cell in
    its own column."""
    handout = project / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    start, end = text.index("      - table: compare"), text.index("  - id: safety")
    columns = "".join(f"          - {{id: {key}, text: {name}}}\n" for key, name in
                      (("topic", "Topic"), ("a", "Dose"), ("b", "Route"), ("c", "When"), ("d", "Max"), ("e", "Note")))
    table = ("      - table: compare\n        columns:\n" + columns + "        rows:\n          - id: adults\n"
             '            cells: {topic: Adults, a: "Take 10 mg", b: "By mouth", c: "Twice daily", d: "20 mg", '
             'e: "Never more"}\n')
    handout.write_text(text[:start] + table + text[end:], encoding="utf-8")
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    style = style.replace("margin_mm: {top: 16, bottom: 22, left: 16, right: 16}",
                          "margin_mm: {top: 16, bottom: 22, left: 38, right: 38}")
    style = style.replace("  cell: {size: 11, leading: 14.3}\n  disclaimer", "  cell: {size: 72, leading: 93.6}\n"
                          "  disclaimer", 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    if not _built_unless_the_style_is_refused(project):
        return
    right = (612 - 38 * 72 / 25.4) * 100 / 72  # the right margin, in pixels at 100 dpi
    for page in _pages(project / "out/en/tiny.pdf"):
        margin = page.crop((round(right) + 2, 0, page.width, page.height))
        assert margin.point(lambda level: 255 if level < 128 else 0).getbbox() is None, "text in the right margin"


@pytest.mark.parametrize("wrap", [("<sub>" * 12, "</sub>" * 12), ("<small>" * 12, "</small>" * 12),
                                  ('<span class="second">' * 8, "</span>" * 8)],
                         ids=["sub", "small", "second"])
def test_html_template_shrinks_the_disclaimer(project: Path, wrap: tuple[str, str]) -> None:
    """A project's handout.html.j2 wrapped the full disclaimer in twelve nested <sub> (or <small>, or eight of the
    shipped template's own `second` spans): each makes its text smaller than its parent's, and the disclaimer
    printed at a few pixels. Style sheets under 0.7 em are refused; nesting elements did the same unchecked."""
    own_template(project, "handout.html.j2", ("<p>{{ doc.disclaimer_full | html_inline }}</p>",
                                               f"<p>{wrap[0]}{{{{ doc.disclaimer_full | html_inline }}}}{wrap[1]}</p>"))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


@pytest.mark.parametrize("cls", ["keep", "qr"])
def test_html_template_puts_a_shipped_class_on_a_paragraph(project: Path, cls: str) -> None:
    """A project's handout.html.j2 gave every paragraph the shipped template's `keep` class (white-space: nowrap,
    made for a phone number): a long paragraph printed as one line, cut at the paper's edge ("…for 24 hours after
    it, becau"); `qr` (a 6 em float, made for the QR code) squeezed a paragraph into a 6 em column that ran over
    what follows. Its style sheets are the shipped ones, so `check` passed: the classes the shipped template gives
    one kind of element restyle another."""
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "Safety first."', 'text: "Safety first. Never drive a car, ride a bike or operate machinery on the day '
        'of a session, and do not drink alcohol for 24 hours after it: the effects last longer than you expect."'),
        encoding="utf-8")
    own_template(project, "handout.html.j2", ('<p>{{ block.text | html_inline }}</p>',
                                               f'<p class="{cls}">{{{{ block.text | html_inline }}}}</p>'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_bilingual_html_second_language_below_its_minimum(tmp_path: Path) -> None:
    """style.yaml's `bilingual.size_ratio: 0.5` (within its 0.5-1.0 bound) passed `check`: the PDF keeps the second
    language at `bilingual.min_size` (10.5 pt) at least, but the HTML companion's shipped template set it at 0.5
    em, which its own style check then refused: `build --bilingual en --format html` failed ("'font-size: 0.5em' is
    not allowed") after `check` passed. The companion's second language must keep the PDF's minimum relative to its
    body text (10.5 of 12 pt), and whatever `check` accepts must build."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "handouts.yaml"):
        (shutil.copytree if name == "content" else shutil.copy)(REPO / name, project / name)
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8").replace("size_ratio: 0.9", "size_ratio: 0.5", 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    built = run("build", "--project", project, "--out", project / "out", "--bilingual", "en", "--lang", "es",
                "--format", "html", "-j", "1", "microdosing")
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr
    page = next((project / "out/es").glob("microdosing.*.html")).read_text(encoding="utf-8")
    import re

    size = re.search(r"\.second \{[^}]*font-size: ([\d.]+)em", page)
    assert size is not None
    # the PDF's rule: at least min_size (10.5 pt) against a 12 pt body
    assert float(size.group(1)) >= 10.5 / 12 - 1e-6, size.group()


def test_style_heading_leaves_the_help_box_unplaceable(project: Path) -> None:
    """style.yaml set headings at 72 pt (leading 144) with 200 pt after them, 45 mm top and bottom margins and a
    24 pt footer stamp, each within its bound: `check` passed and the build failed, blaming the content ("content/
    en/tiny.yaml: cannot lay out the standard pdf edition of this handout (LayoutError: Flowable <Callout…> too
    large…)"): the help box's heading repeated on its next page ("When to get help (continued)", three lines)
    was taller than a page, so no part of the box could be placed. Whatever `check` accepts must build (or `check`
    must name style.yaml)."""
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    for old, new in (("heading: {size: 16, leading: 20.8, bold: true, space_before: 8, space_after: 3}",
                      "heading: {size: 72, leading: 144, bold: true, space_before: 0, space_after: 200}"),
                     ("top: 16, bottom: 22", "top: 45, bottom: 45"), ("  footer_size: 8", "  footer_size: 24")):
        assert old in style
        style = style.replace(old, new, 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    if not _built_unless_the_style_is_refused(project):
        return
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(project / "out/en/tiny.pdf").pages).split())
    assert "In a crisis, call 988." in text and "Test Crisis Line: call 988." in text


@pytest.mark.parametrize("args", [
    ("--lang", "ru", "--bilingual", "en", "esketamine-nasal-spray"),  # the help box's heading, taller than a page
    ("--lang", "ru", "--bilingual", "en", "ketamine-or-psilocybin"),  # the QR code's row, taller than a page
    ("--lang", "en", "--large-print", "--bilingual", "ru", "ketamine-or-psilocybin"),  # a table row split inside
], ids=["help-box", "qr-row", "table-row"])
def test_shipped_handouts_lay_out_in_the_largest_style_check_accepts(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Found while fixing the case above, on the shipped project with style.yaml at its bounds (45 mm top and bottom
    margins, a 24 pt footer stamp, 72 pt headings with 200 pt before and after them, a 16 pt disclaimer on a 32 pt
    leading): `check` passed, and three editions failed, each blaming the content ("report this with the file"): a
    box's two-language heading taller than a page ("Splitting error"), the QR code's row (the fingerprint and
    Sources beside it) taller than a page, and a large-print table row split inside ("IndexError: list index out of
    range", on main too: ReportLab measured the cell's text narrower than it split it)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "handouts.yaml", project / "handouts.yaml")
    (project / "templates").mkdir()
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    for old, new in (("top: 16, bottom: 22", "top: 45, bottom: 45"), ("  footer_size: 8\n", "  footer_size: 24\n"),
                     ("  disclaimer: {size: 10, leading: 13}", "  disclaimer: {size: 16, leading: 32}"),
                     ("heading: {size: 16, leading: 20.8, bold: true, space_before: 8, space_after: 3}",
                      "heading: {size: 72, leading: 144, bold: true, space_before: 200, space_after: 200}")):
        assert old in style
        style = style.replace(old, new, 1)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.output + checked.stderr
    built = run("build", "--project", project, "--out", project / "out", "--paper", "letter", "-j", "1", *args)
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr


@pytest.mark.parametrize("edit", [
    ('<ul{% if block.kind == "checklist" %} class="checklist"{% endif %}>\n{%- for item in block["items"] %}',
     '<ol start="10">\n{%- for item in block["items"] %}'),
    ('<li>{{ item | html_inline }}', '<li type="1">{{ item | html_inline }}'),
], ids=["ol-start", "li-type"])
def test_html_template_numbers_the_handout_s_items(project: Path, edit: tuple[str, str]) -> None:
    """A project's handout.html.j2 wrote the lists as `<ol start="10">` (the browser printed "10. The first point.",
    "11. Arrange a ride home."), or gave each item `type="1"` (which browsers number too): numbers no reviewer
    wrote, before instructions ("10. Take with food"), and `check` passed. Every number on the page is the
    content's."""
    edits = [edit] + ([("</ul>\n{%- elif block.kind == \"table\" %}", "</ol>\n{%- elif block.kind == \"table\" %}")]
                      if "<ol" in edit[1] else [])
    own_template(project, "handout.html.j2", *edits)
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_html_template_sets_a_paragraph_preformatted(project: Path) -> None:
    """A project's handout.html.j2 wrote paragraphs as <pre> (never broken over lines, like the `keep` class): the
    Safety paragraph printed as one line, cut at the paper's edge after "and do not drink alcohol", and `check`
    passed."""
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "Safety first."', 'text: "Safety first. Never drive a car, ride a bike or operate machinery on the day '
        'of a session, and do not drink alcohol for 24 hours after it: the effects last longer than you expect."'),
        encoding="utf-8")
    own_template(project, "handout.html.j2", ('<p>{{ block.text | html_inline }}</p>',
                                               '<pre>{{ block.text | html_inline }}</pre>'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


def test_html_template_squeezes_the_disclaimer_into_a_column(project: Path) -> None:
    """A project's handout.html.j2 put the full disclaimer inside nine nested <blockquote>s: each indents its text
    40 px on both sides, and the disclaimer printed one word a line in a column a word wide (on a phone, nothing
    was left of the line at all); `check` passed. Indentation nests two deep at most (a list in a quotation)."""
    own_template(project, "handout.html.j2", ("<p>{{ doc.disclaimer_full | html_inline }}</p>",
                                               "<blockquote>" * 9 + "<p>{{ doc.disclaimer_full | html_inline }}</p>"
                                               + "</blockquote>" * 9))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")
