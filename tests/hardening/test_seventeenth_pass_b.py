"""The seventeenth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and every
drawing path of the PDF and the HTML companion. Written against main 1c23bb2; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import FONTS, no_traceback, own_template, refused_by_check_and_build, set_safety, tiny_copy

SHIPPED = FONTS.parent
YOU_MAY_DRIVE = "You may drive the next day."
PDF_PARAGRAPH = '{{ pair("p", block.text) }}'
HTML_PARAGRAPH = "<p>{{ block.text | html_inline }}</p>"
DISCLAIMER_P = '<disclaimer><p id="{{ block.text.id }}">{{ block.text | inline }}</p></disclaimer>'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _style(project: Path, *edits: tuple[str, str]) -> None:
    """The project's own style.yaml: the shipped one with each (old, new) edit made."""
    (project / "templates").mkdir(exist_ok=True)
    style = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in style, old
        style = style.replace(old, new)
    (project / "templates/style.yaml").write_text(style, encoding="utf-8")


def _only_in(section: str, printed: str, tag: str = "p") -> tuple[str, str]:
    """A template edit printing the paragraphs of `section` as `printed` (the unit is `{{ block.text | inline }}`),
    every other paragraph as the shipped template does."""
    return (PDF_PARAGRAPH, f'{{% if section.id == "{section}" %}}{printed}{{% else %}}{PDF_PARAGRAPH}{{% endif %}}')


# -- a unit printed in another kind's type -------------------------------------------------------------------------
@pytest.mark.parametrize("printed", [
    '<titleblock><clinic id="{{ block.text.id }}">{{ block.text | inline }}</clinic></titleblock>',
    '<table><row header="yes"><cell id="{{ block.text.id }}">{{ block.text | inline }}</cell></row></table>',
])
def test_pdf_template_prints_a_unit_in_a_bold_style(project: Path, printed: str) -> None:
    """A template printed the Safety paragraph ("You may drive the next day.") as the clinic's name line
    (`<titleblock><clinic>`: bold, in the heading colour) or as the heading row of a table of one cell of its own:
    `check` and `build` passed and the PDF set the whole instruction in bold (pages looked at). The sixteenth pass
    refused a unit wrapped in `<b>`; a style that is bold said the same and was never compared."""
    set_safety(project, YOU_MAY_DRIVE)
    own_template(project, "handout.xml.j2", _only_in("safety", printed))
    refused_by_check_and_build(project, "handout.xml.j2")


def test_pdf_template_prints_the_help_box_at_the_disclaimers_size(project: Path) -> None:
    """A template printed the help box's paragraphs ("In a crisis, call 988.", the crisis line) through
    `<disclaimer><p>`: `check` and `build` passed, the crisis help set at the disclaimer's 10 pt among 12 pt text
    (style.yaml may set the disclaimer at 10 pt and the body at 20). A warning shrunk is a warning hidden."""
    own_template(project, "handout.xml.j2", _only_in("help", DISCLAIMER_P))
    refused_by_check_and_build(project, "handout.xml.j2")


@pytest.mark.parametrize("printed", [
    '<p class="clinic">{{ block.text | html_inline }}</p>',
    "<table><caption>{{ block.text | html_inline }}</caption></table>",
    "<table><thead><tr><th>{{ block.text | html_inline }}</th></tr></thead></table>",
    "<p><cite>{{ block.text | html_inline }}</cite></p>",
    "<address>{{ block.text | html_inline }}</address>",
    "<p><u>{{ block.text | html_inline }}</u></p>",
    "<p><mark>{{ block.text | html_inline }}</mark></p>",
    "<p><a>{{ block.text | html_inline }}</a></p>",
])
def test_html_template_gives_a_unit_emphasis_through_an_element_or_class(project: Path, printed: str) -> None:
    """An own `handout.html.j2` printed the Safety paragraph as `<p class="clinic">` (the shipped style sets the
    clinic's name bold), as a table's caption or heading cell (bold by the browser's own style), inside `<cite>` or
    `<address>` (italic), `<u>` (underlined), `<mark>` (highlighted) or an `<a>` of no address (underlined in the
    link colour, and no link): `check` and `build --format html` passed. Only `<strong>`, `<b>`, `<em>` and `<i>`
    counted as emphasis."""
    set_safety(project, YOU_MAY_DRIVE)
    own_template(project, "handout.html.j2", (HTML_PARAGRAPH, printed))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


# -- the help box --------------------------------------------------------------------------------------------------
CONTINUED = '    {%- if section.id == "help" %}\n    {{ pair("continued", doc.continued) }}\n    {%- endif %}\n'


@pytest.mark.parametrize("edits", [
    [('{% if section.id == "help" %} style="callout"{% endif %}', ""), (CONTINUED, "")],  # no box at all
    [('{{ pair("p", block.text) }}',  # the box holds its heading; the crisis lines are printed after it
      '{% if section.id == "help" %}</section><section id="after">{% endif %}{{ pair("p", block.text) }}')],
])
def test_pdf_template_prints_the_help_section_outside_its_box(project: Path, edits: list[tuple[str, str]]) -> None:
    """A template printed the help section ("When to get help": "In a crisis, call 988.", the crisis line) as any
    other section, without its shaded box, or boxed its heading alone and printed the crisis lines after the box:
    `check` and `build` passed. content-format.md promises the help section "printed as a shaded callout"; the
    box is what makes the crisis number stand out from the page."""
    own_template(project, "handout.xml.j2", *edits)
    refused_by_check_and_build(project, "handout.xml.j2")


def test_html_template_prints_the_help_section_outside_its_box(project: Path) -> None:
    """The HTML companion the same way: the help section's `<section>` without `class="callout"`."""
    own_template(project, "handout.html.j2", ('{% if section.id == "help" %} class="callout"{% endif %}', ""))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


@pytest.mark.parametrize("edit", [
    *[("else 'bullet' }}", f"else '{marker}' }}}}") for marker in ("", "none", "1.")],
    ('{{ pair("item", item) }}', '</list>{{ pair("p", item) }}<list marker="bullet">'),
])
def test_pdf_template_draws_a_list_without_its_bullets(project: Path, edit: tuple[str, str]) -> None:
    """A template wrote the bulleted list as `<list marker="">`, or printed each item as a paragraph: `check` and
    `build` passed and its items printed as lines of text with no bullet or check box (page looked at): a list of
    separate points ran together as one paragraph's lines, a checklist lost its boxes. (Any other marker drew a
    bullet while its word went unchecked.) The roles check let any unit but a heading be printed as text."""
    own_template(project, "handout.xml.j2", edit)
    refused_by_check_and_build(project, "handout.xml.j2")


def test_html_template_prints_a_lists_items_as_paragraphs(project: Path) -> None:
    """The HTML companion the same way: each `<li>` written as a `<p>`."""
    own_template(project, "handout.html.j2", ("<li>{{ item | html_inline }}{{ also(item) }}</li>",
                                              "</ul><p>{{ item | html_inline }}{{ also(item) }}</p><ul>"))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


# -- the translation review sheets ---------------------------------------------------------------------------------
def _words(pdf: Path) -> tuple[float, list[tuple[float, float, float, float, str]]]:
    """The first page's height and its words' boxes (x0, top, x1, bottom, word), as pdftotext -bbox finds them."""
    import re
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))  # type: ignore[union-attr]
    return height, [(float(a), float(b), float(c), float(d), word) for a, b, c, d, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def test_translate_review_sheet_keeps_its_labels_and_footer_on_the_paper(tmp_path: Path) -> None:
    """style.yaml set the body text at 30 pt, the footer stamp at 24 pt and the bottom margin at 12.7 mm (each within
    its bounds): `translate review es` wrote sheets whose column labels ("Source: English (en)", "Translation:
    Spanish (es)"), set in the body style in a header 50 pt tall, ran under the table (the table's rows drawn over
    their second line), and whose footer ("… not for patients · tiny · es · page 1 of 2") ran off the bottom of the
    paper (pages looked at). The handouts grow their bottom margin for the footer; the review sheets did not."""
    from tests.hardening.hostile import spanish_started

    project = spanish_started(tmp_path / "project")
    _style(project, ("  body: {size: 12, leading: 15.6, space_after: 4}", "  body: {size: 30, leading: 39}"),
           ("bottom: 22,", "bottom: 12.7,"), ("  footer_size: 8\n", "  footer_size: 24\n"))
    result = run("translate", "review", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    height, words = _words(project / "output/review/es/tiny.review.pdf")
    safe = 12.7 * 72 / 25.4 - 0.5
    assert all(safe <= top and bottom <= height - safe for _, top, _, bottom, _ in words), \
        [word for word in words if not (safe <= word[1] and word[3] <= height - safe)]
    # (a word's box is its face's ascent and descent, taller than the leading: lines of one text touch a little)
    overlapping = [(a[4], b[4]) for index, a in enumerate(words) for b in words[index + 1:]
                   if min(a[2], b[2]) - max(a[0], b[0]) > 1
                   and min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])]
    assert not overlapping, overlapping


def test_the_shipped_templates_as_a_projects_own_pass_in_every_edition(project: Path) -> None:
    """The checks above hold the shipped templates' output too: copied as the project's own (so `check` lays them
    out for every edition: standard, large print, release, bilingual with Arabic, right to left), they pass, and
    the bilingual HTML companion with its help box builds (the box check once missed a translation's heading)."""
    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    for name in ("handout.xml.j2", "handout.html.j2"):
        own_template(project, name, ("{%- endmacro -%}", "{%- endmacro -%}\n"))
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 0, checked.output + checked.stderr
    built = run("build", "--project", project, "--out", project / "out", "--bilingual", "ar", "--format", "pdf,html")
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr


# -- heading levels ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("edit", [
    ('{{ pair("heading", section.heading) }}',  # "Legal status" as a subheading of Safety
     '{{ pair("subheading" if section.id == "legal" else "heading", section.heading) }}'),
    ('{{ pair("subheading", block.text) }}', '{{ pair("heading", block.text) }}'),  # "More to know" as a section
    ('{{ pair("heading", section.heading) }}',  # "Safety" as a second title
     '{% if section.id == "safety" %}<titleblock>{{ pair("title", section.heading) }}</titleblock>'
     '{% else %}{{ pair("heading", section.heading) }}{% endif %}'),
])
def test_pdf_template_prints_a_heading_at_another_level(project: Path, edit: tuple[str, str]) -> None:
    """A template printed the "Legal status" section's heading as a subheading (the law's paragraph then read as
    part of Safety, page looked at), the subheading "More to know" as a section's heading, or "Safety" in the
    title's type: `check` and `build` passed. The roles check knew one kind of heading."""
    own_template(project, "handout.xml.j2", edit)
    refused_by_check_and_build(project, "handout.xml.j2")


def test_html_template_prints_a_heading_at_another_level(project: Path) -> None:
    """The HTML companion the same way: the "Legal status" section's heading as an `<h3>`."""
    own_template(project, "handout.html.j2", (
        '<h2 id="h-{{ section.id }}">{{ section.heading | html_inline }}{{ also(section.heading) }}</h2>',
        '{% set h = "h3" if section.id == "legal" else "h2" %}<{{ h }} id="h-{{ section.id }}">'
        '{{ section.heading | html_inline }}{{ also(section.heading) }}</{{ h }}>'))
    refused_by_check_and_build(project, "handout.html.j2", "--format", "html")


# -- a unit marked as the other language's ------------------------------------------------------------------------
@pytest.mark.parametrize("marked", [' class="second" lang="{{ second.lang }}" dir="{{ second.direction }}"',
                                    ' class="second"'])
def test_html_template_marks_a_unit_as_the_second_languages(project: Path, marked: str) -> None:
    """In the bilingual HTML companion (English with Arabic), an own template wrote the English Safety paragraph as
    the Arabic translation's passage, `<p class="second" lang="ar" dir="rtl">Safety first.</p>` (or with the class
    alone): `check` and `build --bilingual ar --format html` passed, and the instruction printed smaller, grey, set
    right to left (".Safety first") and said by a screen reader with an Arabic voice. The PDF has refused this since
    the seventh pass (a flow drawn in the other language's fonts); the companion's flows did not say their
    language."""
    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    own_template(project, "handout.html.j2", (HTML_PARAGRAPH, (
        f'<p{{% if section.id == "safety" and second %}}{marked}{{% endif %}}>{{{{ block.text | html_inline }}}}</p>')))
    refused_by_check_and_build(project, "handout.html.j2", "--bilingual", "ar", "--format", "html")
