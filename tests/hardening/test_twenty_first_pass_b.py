"""The twenty-first hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and
every drawing path of the PDF and the HTML companion. Written against main 9612e0e; every test here failed there
but the `~` case, whose message already said "would build" (after `str()` had built the text).

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import no_traceback, set_scalar, tiny_copy

CRISIS = 'text: "In a crisis, call {fact.crisis_line}."'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _help_table(project: Path, rows: int) -> None:
    """Give the tiny handout's help section, after its crisis paragraph, a table of `rows` two-line rows."""
    answer = "Call 988 or 911 now; take 10 mg only. " * 3
    body = "".join(f'\n          - id: r{i}\n            cells: {{topic: "Sign {i}", answer: "{answer.strip()}"}}'
                   for i in range(rows))
    set_scalar(project / "content/en", "tiny.yaml", CRISIS,
               CRISIS + "\n      - table: signs\n        columns:\n          - {id: topic, text: Topic}\n"
               "          - {id: answer, text: Answer}\n        rows:" + body)


def _outside_the_box(pdf: Path, marker: str) -> list[str]:
    """The lines holding `marker` (spaces are not extracted) drawn outside the help box's background."""
    from tests.render.pages import pages

    outside = []
    for number, page in enumerate(pages(pdf), 1):
        for line in page.body:
            if marker in line.text and not any(low <= line.y <= high for low, high in page.callout):
                outside.append(f"page {number}: {line.text}")
    return outside


# -- the help box: a table in it longer than a page ----------------------------------------------------------------
@pytest.mark.parametrize("edition", [(), ("--large-print",)], ids=["standard", "large-print"])
def test_a_help_section_table_longer_than_a_page_stays_in_its_box(project: Path, edition: tuple[str, ...]) -> None:
    """A table of 40 rows in the help section, under its crisis paragraph (a valid handout: the shipped template
    boxes the whole help section): `check` and `build` said ok, and the PDF (pages looked at) drew the box on page 1
    around the crisis line alone, then "When to get help (continued)" with no box, and two more pages of the help
    section's table with neither box nor heading: a patient reading page 3 cannot tell these rows are when to get
    help. A box splits between its units, but a unit taller than a page was split only when it was text: a table
    made the box give up and lay out its contents unboxed."""
    from tests.conftest import run

    _help_table(project, 40)
    result = run("build", "--project", project, "--out", project / "out", *edition)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    pdf = next((project / "out/en").glob("tiny*.pdf"))
    assert _outside_the_box(pdf, "Sign") == []
    assert _outside_the_box(pdf, "Whentogethelp") == []


def _grid_outside_the_box(pdf: Path) -> list[float]:
    """The x of each table grid line drawn beside the help box's background on its page but outside it."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTCurve, LTRect

    from tests.render.pages import CALLOUT_BACKGROUND, TABLE_GRID, _same

    outside = []
    for layout in extract_pages(str(pdf)):
        stack, boxes, grid = list(layout), [], []
        while stack:
            item = stack.pop()
            if isinstance(item, LTRect) and item.fill and _same(item.non_stroking_color, CALLOUT_BACKGROUND):
                boxes.append(item)
            elif isinstance(item, LTCurve) and _same(item.stroking_color, TABLE_GRID):
                grid.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        for line in grid:
            box = next((b for b in boxes if b.y0 - 1 <= line.y0 and line.y1 <= b.y1 + 1), None)
            if box is not None and (line.x0 < box.x0 - 0.5 or line.x1 > box.x1 + 0.5):
                outside.append(round(max(box.x0 - line.x0, line.x1 - box.x1), 1))
    return outside


@pytest.mark.parametrize("edition", [(), ("--large-print",)], ids=["standard", "large-print"])
def test_a_help_section_table_is_drawn_inside_its_box(project: Path, edition: tuple[str, ...]) -> None:
    """A table of three rows in the help section: `check` and `build` said ok, and the PDF (pages looked at) drew the
    table 14 pt wider than the box's inside, its grid and heading row's fill running 7 pt past the box's right border
    and its answers' text to the border line. A table was set at the page's width wherever it stood."""
    from tests.conftest import run

    _help_table(project, 3)
    result = run("build", "--project", project, "--out", project / "out", *edition)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    assert _grid_outside_the_box(next((project / "out/en").glob("tiny*.pdf"))) == []


# -- an own PDF template: empty table rows --------------------------------------------------------------------------
@pytest.mark.parametrize("rows", ["<row></row>", '<row header="no"/>', "<row> </row>"], ids=["empty", "self-closed",
                                                                                               "blank"])
def test_pdf_template_pads_a_table_with_rows_of_no_cells(project: Path, rows: str) -> None:
    """An own `handout.xml.j2` wrote 300 `<row></row>` after a table's rows: `check` and `build` said ok, and the PDF
    (pages looked at) drew eight pages of an empty two-column grid between "What to expect" and the Safety section
    (10 pages for a one-page handout). The twentieth pass refused an element of no words, an empty `<cell>`, and a
    block laying out no text, but a row of no cells is neither: it lays out nothing, and ReportLab draws its grid."""
    from tests.hardening.hostile import own_template, refused_by_check_and_build

    own_template(project, "handout.xml.j2", ("      {%- endfor %}\n    </table>",
                                             "      {%- endfor %}\n      {%- for i in range(300) %}" + rows
                                             + "{%- endfor %}\n    </table>"))
    refused_by_check_and_build(project, "handout.xml.j2:")
    from tests.conftest import run

    assert "<row>" in run("check", "--project", project).stderr


# -- an own template: a filter or method whose output repeats one of its arguments ---------------------------------
WIDENING = [
    '(["a"] * 100) | join("x" * 99999)',
    '("x" * 99999).join(["a"] * 100)',
    '["a"] | map("string") | join("x" * 99999) ~ (["a"] * 100) | map("string") | join("x" * 99999)',
    '("a\\n" * 100) | indent(width=99999)',
    '("a\\n" * 100) | indent("x" * 99999)',
    '("a " * 100) | wordwrap(1, wrapstring="x" * 99999)',
    '(["a"] * 100) | tojson(indent=99999)',
    '("https://a.io " * 100) | urlize(target="x" * 99999)',
    '([["x"] * 3000] * 3000) | tojson',
    '[["x" * 50] * 200] * 1000',
    '([["x" * 50] * 200] * 1000) | string',
    '([["x" * 50] * 200] * 1000) | upper',
    '([["x" * 50] * 200] * 1000) ~ ""',
]


@pytest.mark.parametrize("expression", WIDENING, ids=["join", "str-join", "join-of-map", "indent-width",
                                                       "indent-text", "wordwrap", "tojson", "urlize",
                                                       "tojson-shared", "printed", "string", "upper", "tilde"])
def test_template_filter_repeating_an_argument_is_refused_before_it_is_built(project: Path, expression: str) -> None:
    """An own `handout.xml.j2` wrote `{% set junk %}{{ (["a"] * 12000) | join("x" * 99999) }}{% endset %}` (every
    number under the 100,000 a filter may take, every value under the 2 million characters one may hold): `check`
    and `build` each built the joined text, 1.2 billion characters, before refusing it (1.2 GB; `indent(width=)`,
    `tojson(indent=)`, `urlize(target=)` 2.4 GB; under the adversarial tests' 1 GiB limit, a MemoryError). A join's
    separator, an indent given as text or by name, a wrap string, a JSON indent and a link's target repeat once per
    item, line, break or link; only the items were counted. Here 10 million: refused before it is made, as a
    replacement that would grow past the bound is. `tojson` of a list holding one list of 30,000 items 30,000 times
    ran 47 s (its C encoder never checks the time bound) to 3 GB; printed as text (`{{ }}`, `~`, `string`, `upper`),
    a list holding a list of 400 texts of 5,000 characters 30,000 times took 2.8 GB in 5 s, before the time bound."""
    from tests.conftest import run
    from tests.hardening.hostile import own_template

    own_template(project, "handout.xml.j2", ("<handout lang", "{% set junk %}{{ " + expression
                                             + " }}{% endset %}<handout lang"))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "would build" in result.stderr, result.output + result.stderr


@pytest.mark.parametrize("expression", [
    '(("x" * 99999).encode()).join(["a".encode()] * 100) | length',
    '(("a" * 100).encode()).replace("a".encode(), ("x" * 99999).encode()) | length',
    '(("\\t" * 100).encode()).expandtabs(99999) | length',
], ids=["join", "replace", "expandtabs"])
def test_template_bytes_are_refused(project: Path, expression: str) -> None:
    """An own `handout.xml.j2` made bytes with `str.encode()`: the bounds on `join`, `replace` and `expandtabs` hold
    for text only, so `("x" * 99999).encode().join(["a".encode()] * 12000)`, a replacement or `expandtabs(99999)`
    of 12,000 tabs built 1.2 billion bytes (1.2 GB) before the value bound refused them. A handout's template
    prints text; it has no use for bytes."""
    from tests.conftest import run
    from tests.hardening.hostile import own_template

    own_template(project, "handout.xml.j2", ("<handout lang", "{% set junk %}{{ " + expression
                                             + " }}{% endset %}<handout lang"))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "str.encode is not allowed" in result.stderr, result.output + result.stderr


# -- an own template: comparing lists that hold one list many times -------------------------------------------------
DOUBLED = ("{% set ns = namespace(x=[1], y=[1]) %}{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}"
           "{% set ns.y = [ns.y, ns.y] %}{% endfor %}")


@pytest.mark.parametrize("comparison", ["{{ ns.x == ns.y }}", "{{ ns.x in [ns.y] }}", "{{ ns.x is eq(ns.y) }}",
                                        "{{ [ns.x, ns.y] | sort }}", "{{ [ns.x, ns.y] | max }}"],
                         ids=["equal", "in", "test", "sort", "max"])
def test_template_comparing_doubled_lists_is_refused_in_time(project: Path, comparison: str) -> None:
    """An own `handout.xml.j2` built two lists, each holding the one before twice, 40 times over (a few kilobytes,
    2^40 items as they are listed), and compared them: `check` ran until it was killed at 75 s — Python compares the
    lists item by item inside C, where the 10 s time bound (a timer signal, a check at each call) never runs."""
    import subprocess
    import sys

    from tests.hardening.hostile import own_template

    own_template(project, "handout.xml.j2", ("<handout lang", "{% set junk %}" + DOUBLED + comparison
                                             + "{% endset %}<handout lang"))
    # in a process of its own: a comparison inside C cannot be interrupted, and would hang the test run
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--project", str(project)],
                            capture_output=True, text=True, timeout=30, cwd=project.parent)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1 and "handout.xml.j2" in result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("comparison", ["{{ [ns.x].index(ns.y) }}", "{{ [ns.x].count(ns.y) }}",
                                        "{% for v in [ns.x, ns.y] %}{{ loop.changed(v) }}{% endfor %}"],
                         ids=["index", "count", "changed"])
def test_template_method_comparing_doubled_lists_is_refused_in_time(project: Path, comparison: str) -> None:
    """The same lists compared by a method (`list.index`, `list.count`, `loop.changed`): killed at 20 s (found while
    fixing the comparisons)."""
    test_template_comparing_doubled_lists_is_refused_in_time(project, comparison)
