"""Fixes of the ninth hostile pass, templates and the faithfulness check (issue 12): the fixer's own tests of
each mechanism. The pass's findings themselves are tested once, in tests/hardening/test_ninth_pass.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from generator.content.markup import Span
from generator.render import faithful, faithmarks
from generator.render.localize import Text, View
from tests.conftest import run
from tests.hardening.hostile import HANDOUT, all_text, declare, no_traceback, squeeze, tiny_copy

SHIPPED = Path(__file__).resolve().parents[2] / "templates"
ROW = '      <row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _view(project: Path) -> View:
    """The tiny handout's English view, as `build` makes it."""
    from generator.build import _view as view_of
    from generator.content.project import load_or_raise

    loaded, _ = load_or_raise(project, date.today())
    return view_of(loaded, project, "tiny", "en", date.today())[0]


def _rows(project: Path, rows: list[tuple[str, str, str]]) -> None:
    """Replace the tiny handout's one table row with `rows` (ID, topic, answer)."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    old = '          - id: onset\n            cells: {topic: "How fast", answer: "Within hours"}'
    assert old in text
    written = "\n".join(f'          - id: {key}\n            cells: {{topic: "{topic}", answer: "{answer}"}}'
                        for key, topic, answer in rows)
    path.write_text(text.replace(old, written), encoding="utf-8")


def _own_template(project: Path, old: str, new: str, name: str = "handout.xml.j2") -> None:
    source = (SHIPPED / name).read_text(encoding="utf-8")
    assert old in source
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(source.replace(old, new, 1), encoding="utf-8")


def _refused(project: Path, name: str = "handout.xml.j2") -> str:
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and name in result.stderr, result.output + result.stderr
    return result.stderr


REPEATED = [("alcohol", "With alcohol", "Never combine"), ("opioids", "With opioids", "Never combine"),
            ("water", "With water", "Safe to combine")]


# -- 1. a text the handout holds twice is two units, each in its place --------------------------------------------
def test_a_table_of_repeated_answers_printed_as_written_builds_with_each_row_whole(project: Path) -> None:
    """The order check now counts repeated texts: a template that prints the table as it is (here the shipped one,
    copied as the project's own) is not refused, and each row is printed with its own answer."""
    _rows(project, REPEATED)
    _own_template(project, ROW, ROW)
    result = run("build", "-j", "1", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    printed = squeeze(all_text(project / "output/en/tiny.pdf"))
    assert all(squeeze(f"{topic} {answer}") in printed for _, topic, answer in REPEATED)


def test_a_repeated_answer_printed_once_for_two_rows_is_refused(project: Path) -> None:
    """A template that prints a row's answer only when it differs from the row before ("ditto"): the handout
    holds "Never combine" twice, the page once, so the second row has no answer. Each repeated text must be
    printed as often as the handout holds it, each in its place."""
    _rows(project, REPEATED)
    _own_template(project, ROW, '      <row>{{ pair("cell", row[0]) }}{% if loop.first or row[1].plain != '
                                'block.rows[loop.index0 - 1][1].plain %}{{ pair("cell", row[1]) }}{% endif %}</row>')
    assert "Never combine" in _refused(project)


def test_rows_reversed_are_refused_even_when_every_answer_repeats(project: Path) -> None:
    """Rows whose answers all repeat, printed bottom to top: every text is the handout's and printed as often
    as the handout holds it, but out of order."""
    _rows(project, [("alcohol", "With alcohol", "Never combine"), ("opioids", "With opioids", "Never combine")])
    _own_template(project, "{%- for row in block.rows %}", "{%- for row in block.rows | reverse %}")
    assert "out of the handout's order" in _refused(project)


def test_a_composed_line_keeps_its_pieces_in_the_handout_s_order(project: Path) -> None:
    """A row printed as one composed line ("answer · topic"): the pieces of a line are placed at their offsets,
    so their order counts as the order of whole flows does; the same line in the handout's order is accepted."""
    line = '      <row><cell>{{ row[%d] | inline }} · {{ row[%d] | inline }}</cell><cell>·</cell></row>'
    _own_template(project, ROW, line % (1, 0))
    assert "out of the handout's order" in _refused(project)
    _own_template(project, ROW, line % (0, 1))
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.output + checked.stderr


@pytest.mark.parametrize("again", [
    # a second table, each topic with the answer of the row after it
    '<table>{% for row in block.rows %}<row>{{ pair("cell", row[0]) }}{{ pair("cell", block.rows[(loop.index0 + 1) '
    '% (block.rows | length)][1]) }}</row>{% endfor %}</table>',
    # the same as paragraphs, and as composed lines
    '{% for row in block.rows %}<p>{{ row[0] | inline }}</p><p>{{ block.rows[(loop.index0 + 1) % (block.rows | '
    'length)][1] | inline }}</p>{% endfor %}',
    '{% for row in block.rows %}<p>{{ row[0] | inline }}: {{ block.rows[(loop.index0 + 1) % (block.rows | '
    'length)][1] | inline }}</p>{% endfor %}',
])
def test_a_second_arrangement_of_a_table_s_cells_is_refused(project: Path, again: str) -> None:
    """One printing in order suffices for the order check, so the table printed right and then again with each
    topic beside another row's answer would pass it: a table row's cells may be printed no more often than the
    handout holds them (a column name may: the HTML companion's caption names the columns)."""
    _rows(project, REPEATED)
    table_end = "    </table>\n"
    _own_template(project, table_end, table_end + "    " + again + "\n")
    refused = _refused(project)  # a second <table> also has no heading row (sixteenth pass): refused for that first
    assert "more often than the handout holds it" in refused or "is its heading row" in refused


def test_pieces_of_a_composed_line_come_with_their_offsets_in_reading_order() -> None:
    """The mechanism: the longest piece is found first, and the pieces are given back in reading order, each
    printing with its start in the normalised line."""
    found = faithful.pieces_of("Never combine · With alcohol · Never combine",
                                ("With alcohol", "Never combine", "With"))
    assert found == [("Never combine", 0), ("With alcohol", 16), ("Never combine", 31)]


# -- 2. only a view's words are the handout's words ----------------------------------------------------------------
@pytest.mark.parametrize("machine", ["section_id", "block_kind", "block_id", "review_status", "direction", "handout",
                                     "logo", "current_date", "text_id"])
def test_a_view_s_machine_strings_are_no_words_of_the_handout(project: Path, machine: str) -> None:
    """Every unit of the real view printed, plus one of its machine strings as a text of its own: refused;
    the same with a printed value (the clinic's name, the version, the fingerprint, the reviewer's line) passes."""
    view = _view(project)
    view = replace(view, logo="images/logo.png", current_date="2026-01-01")
    section, block = view.sections[0], view.sections[0]["blocks"][0]
    strings = {"section_id": section["id"], "block_kind": block["kind"], "block_id": block["id"],
               "review_status": view.review_status, "direction": view.direction, "handout": view.handout,
               "logo": view.logo, "current_date": view.current_date, "text_id": view.title.id}
    units = [span.text for text in view.texts() for span in text.spans] + list(faithful.printed_names(view))
    for value in (view.clinic_name, view.version, view.fingerprint):
        faithful.check([*units, value], view)
    with pytest.raises(faithful.Unfaithful, match="not the handout's"):
        faithful.check([*units, strings[machine]], view)


# -- 3. a language's units are drawn in its own fonts, composed or not ---------------------------------------------
def _drawn(text: Text) -> list[tuple[str, str, bool]]:
    """A unit's spans as the PDF's layout takes them: a value's link is not drawn, and it is marked a value."""
    return [(s.text, "" if s.value else s.href, s.value) for s in text.spans]


def _pair(view: View) -> tuple[View, list[tuple[bool, list[tuple[str, str, bool]]]]]:
    """A second language's view (its disclaimer its own) and the flows of a faithful bilingual layout."""
    second = replace(view, lang="es", disclaimer_full=Text("disclaimer.full", (Span("Solo información general."),)))
    flows: list[tuple[bool, list[tuple[str, str, bool]]]] = []
    for text in view.texts():
        flows.append((False, _drawn(text)))
        flows.append((True, _drawn(second.unit(text.id))))
    flows += [(False, [(name, "", False)]) for name in faithful.printed_names(view)]  # the clinic, the sources
    return second, flows


@pytest.mark.parametrize("line", ["{other} ·", "· {other}", "{own} · {other}", "({other})"])
@pytest.mark.parametrize("side", [False, True])
def test_a_unit_of_the_other_language_in_a_composed_line_is_refused(project: Path, line: str, side: bool) -> None:
    """A composed line holding the other language's disclaimer (with punctuation, or beside a unit of its own
    language), drawn in either language's fonts: refused; the faithful layout passes."""
    view = _view(project)
    second, flows = _pair(view)
    faithful.check_laid_out(flows, view, second)
    own = (second if side else view).disclaimer_full.plain
    other = (view if side else second).disclaimer_full.plain
    with pytest.raises(faithful.Unfaithful, match="the other language's"):
        faithful.check_laid_out([*flows, (side, [(line.format(own=own, other=other), "", False)])], view, second)


# -- 5. a link covers its own words, in a whole unit or a composed line ----------------------------------------------
def _linked(project: Path) -> tuple[View, list[list[tuple[str, str, bool]]], Text, Text]:
    """The tiny view with a linked intro, the flows of a faithful layout (one unit each), the intro and the
    help box's crisis sentence."""
    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "Book a visit: [call the clinic](tel:+15550100100)."', 1),
        encoding="utf-8")
    view = _view(project)
    flows = [_drawn(text) for text in view.texts()] + [[(name, "", False)] for name in faithful.printed_names(view)]
    intro = view.sections[0]["blocks"][0]["text"]
    crisis = next(block["text"] for section in view.sections for block in section["blocks"]
                  if block["text"] is not None and "crisis" in block["text"].plain)
    return view, flows, intro, crisis


@pytest.mark.parametrize("moved", ["Book a visit: ", "Book", "call the clinic."])
def test_a_unit_s_link_moved_onto_other_words_of_it_is_refused(project: Path, moved: str) -> None:
    """A whole unit carrying its own link over other words of its own ("Book a visit:" dialling, the link
    widened over the full stop): the same address, but not on the words the reviewer saw linked."""
    view, flows, intro, _ = _linked(project)
    faithful.check_laid_out(flows, view)
    plain = intro.plain
    at = plain.index(moved)
    wrong = [(plain[:at], "", False), (moved, "tel:+15550100100", False), (plain[at + len(moved):], "", False)]
    with pytest.raises(faithful.Unfaithful, match="links that are not its own"):
        faithful.check_laid_out([*flows, [span for span in wrong if span[0]]], view)


def test_a_unit_s_link_laid_over_another_unit_in_a_composed_line_is_refused(project: Path) -> None:
    """A composed line of the linked intro and the unit after it (in place of their own lines): each with its own
    links passes; the intro's tel: link laid over the next unit (or over the punctuation between them) is
    refused. (The crisis sentence was the next unit here until a unit printed twice, once inside a composed line,
    was counted: seventeenth session.)"""
    view, flows, intro, _ = _linked(project)
    own = _drawn(intro)
    at = flows.index(own)
    after = flows[at + 1]
    plain = "".join(text for text, *_ in after)

    def composed(line: list[tuple[str, str, bool]]) -> list[list[tuple[str, str, bool]]]:
        return [*flows[:at], line, *flows[at + 2:]]

    faithful.check_laid_out(composed([*own, (" · ", "", False), *after]), view)
    for wrong in ([*own, (" · ", "", False), (plain, "tel:+15550100100", False)],
                  [*own, (" · ", "tel:+15550100100", False), *after]):
        with pytest.raises(faithful.Unfaithful, match="not its own|not a link of the handout's"):
            faithful.check_laid_out(composed(wrong), view)


def test_runs_are_the_same_whatever_spaces_a_link_ends_on() -> None:
    """The words a link covers, not the spaces around them: "call the clinic" linked with or without the space
    after it is the same link; one word more is another."""
    def runs(spans: list[tuple[str, str]]) -> tuple:
        return faithmarks.marked_runs(*faithmarks.normalised(spans))

    base = runs([("Book a visit: ", ""), ("call the clinic", "tel:1"), (".", "")])
    spaced = runs([("Book a visit:", ""), (" call the clinic ", "tel:1"), (" .", "")])
    wider = runs([("Book a visit: ", ""), ("call the clinic.", "tel:1")])
    assert base == ((11, 23, ("tel:1", False, "")),)  # no emphasis (sixteenth pass: a mark's third part)
    assert faithmarks.normalised([("Book a visit:", ""), (" call the clinic ", "tel:1"), (" .", "")])[0] == \
        "Book a visit: call the clinic ."
    assert spaced == base and wider != base


@pytest.mark.parametrize("pieces", [
    ["call", "988"], [" Call ", " 988 ", " now. "], ["", "  ", "a"], ["a\u2028", "\u00a0b", "\tc\n"],
    ["x", " ", "", "y"], ["  "], [], ["We", "ll"], ["\u3000Ю", "\u0085", "z\u2029"],
])
def test_the_collapsed_text_is_the_text_faithful_compares(pieces: list[str]) -> None:
    """normalised() collapses white space span by span (no walk character by character) and must give exactly
    `" ".join(text.split())`, each marked span where its words are."""
    spans = [(piece, f"tel:{at}" if piece.strip() else "", False) for at, piece in enumerate(pieces)]
    text, segments = faithmarks.normalised(spans)
    assert text == " ".join("".join(pieces).split())
    for start, end, (link, *_) in segments:
        at = int(link.removeprefix("tel:"))
        assert text[start:end] == " ".join(pieces[at].split())


# -- 7. a value (a phone number) stays a value: right-to-left text cannot reorder its characters ----------------------
def _contact_phone(project: Path) -> tuple[View, list[list[tuple[str, str, bool]]], Text]:
    view = _view(project)
    phone = next(line for line in view.contact_lines if any(span.value for span in line.spans))
    names = [[(name, "", False)] for name in faithful.printed_names(view)]
    return view, [_drawn(text) for text in view.texts()] + names, phone


def test_a_unit_s_value_printed_as_plain_text_is_refused(project: Path) -> None:
    """The contact line's phone number laid out as plain text (`{{ line.plain }}`: the unit's very words, no
    value isolate), whole or in a composed line, is refused; a plain word laid out as a value is too; the line as
    `| inline` gives it passes."""
    view, flows, phone = _contact_phone(project)
    faithful.check_laid_out(flows, view)  # the phone's line among them once, as `| inline` gives it (a second
    # printing on a line of its own is refused since the eighteenth pass)
    plain = [(span.text, "", False) for span in phone.spans]
    as_value = [(span.text, "", True) for span in phone.spans]
    for wrong in (plain, as_value, [*plain, (" ·", "", False)]):
        with pytest.raises(faithful.Unfaithful, match="links that are not its own"):
            faithful.check_laid_out([*flows, wrong], view)
    faithful.check_laid_out([*flows, [*_drawn(phone), (" ·", "", False)]], view)  # composed, its value kept


# -- 4. check renders the project's own HTML companion in every edition -------------------------------------------
def test_check_renders_the_own_html_template_in_the_large_print_edition(project: Path) -> None:
    """An HTML template that fails in the large-print edition only: `check` renders each edition, as `build
    --large-print --format html` would, and names the edition; the unbroken own template passes check."""
    old = "<h1>{{ doc.title | html_inline }}{{ also(doc.title) }}</h1>"
    _own_template(project, old, old, "handout.html.j2")
    assert run("check", "--project", project).exit_code == 0
    _own_template(project, old, old + "{% if large_print %}{{ nothing.here }}{% endif %}", "handout.html.j2")
    stderr = _refused(project, "handout.html.j2")
    assert "large print" in stderr and "nothing" in stderr, stderr


# -- 6. the HTML companion: a screen reader reads the page's own text, all of it, in its order ---------------------
DISCLAIMER_P = "<p>{{ doc.disclaimer_full | html_inline }}</p>"


@pytest.mark.parametrize("old, new", [
    (DISCLAIMER_P, '<p aria-hidden="true">{{ doc.disclaimer_full | html_inline }}</p>'),  # hidden from it
    (DISCLAIMER_P, '<p><span aria-hidden="true">{{ doc.disclaimer_full | html_inline }}</span></p>'),
    ("<td>", '<td aria-label="{{ doc.title.plain }}">'),  # another unit said in the cell's place
    ("<td>", '<td title="{{ doc.title.plain }}">'),
    ('<th scope="row">', '<th scope="row" abbr="{{ doc.title.plain }}">'),  # said as the row's header
    ("<td>", '<td headers="h-expect">'),  # paired with another header
    (DISCLAIMER_P, '<p role="presentation" aria-owns="h-contact">{{ doc.disclaimer_full | html_inline }}</p>'),
    (DISCLAIMER_P, '<p aria-flowto="h-contact">{{ doc.disclaimer_full | html_inline }}</p>'),  # read elsewhere
    (DISCLAIMER_P, '<p role="img">{{ doc.disclaimer_full | html_inline }}</p>'),  # its text no longer read
])
def test_an_html_template_cannot_change_what_a_screen_reader_reads(project: Path, old: str, new: str) -> None:
    """Attributes that make a screen reader skip, replace or reorder the page's text (each of these with the
    handout's own words passed `check` and `build --format html` before): refused, naming the attribute; the
    shipped template's own (a region's aria-labelledby, role="region", the QR code's aria-hidden) still pass."""
    _own_template(project, old, old, "handout.html.j2")
    assert run("check", "--project", project).exit_code == 0
    _own_template(project, old, new, "handout.html.j2")
    assert "is not allowed in the HTML companion" in _refused(project, "handout.html.j2")


def test_check_renders_the_own_html_template_on_every_paper(project: Path) -> None:
    """The HTML template is given the paper (its @page size): one failing on A4 only, in a Letter project, is
    found by `check` (naming the paper), not by `build --paper a4 --format html`."""
    old = "<h1>{{ doc.title | html_inline }}{{ also(doc.title) }}</h1>"
    _own_template(project, old, old + '{% if paper == "a4" %}<p>Take ten times the dose.</p>{% endif %}',
                  "handout.html.j2")
    stderr = _refused(project, "handout.html.j2")
    assert "a4" in stderr and "not the handout's" in stderr, stderr


def test_an_html_template_as_shipped_beside_an_own_pdf_template_renders_as_shipped(project: Path) -> None:
    """The shortcut that spares the HTML check beside a clinic's own handout.xml.j2: only a byte-for-byte copy of
    the shipped handout.html.j2 (which includes no other file) counts as rendering as shipped; one byte more
    does not, and `check` then renders it."""
    from generator.render import template

    _own_template(project, ROW, ROW)  # an own PDF template: the folder is the clinic's
    (project / "templates" / "handout.html.j2").write_bytes((SHIPPED / "handout.html.j2").read_bytes())
    assert not template.is_shipped(project, "handout.html.j2")
    assert template.renders_as_shipped(project, "handout.html.j2")
    assert run("check", "--project", project).exit_code == 0
    old = "<h1>{{ doc.title | html_inline }}{{ also(doc.title) }}</h1>"
    _own_template(project, old, old + "{{ nothing.here }}", "handout.html.j2")
    assert not template.renders_as_shipped(project, "handout.html.j2")
    assert "nothing" in _refused(project, "handout.html.j2")


def test_check_renders_every_combination_of_editions(project: Path) -> None:
    """A template failing only in Spanish with English beneath it in large print (the pairing the other way
    round, large print and bilingual at once): `check` renders that combination and names it."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    old = '    {{ pair("heading", section.heading) }}\n'
    _own_template(project, old, old)
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.output + checked.stderr
    _own_template(project, old, old + '{% if second and large_print and doc.lang == "es" %}{{ nothing.here }}'
                  "{% endif %}\n")
    stderr = _refused(project)
    assert "(es, bilingual with en, large print)" in stderr and "nothing" in stderr, stderr


CONTACT_LINE = "<p>{{ line | html_inline }}</p>"


@pytest.mark.parametrize("new", [
    "<p>{{ line.plain }}</p>",  # the value's isolate gone: Arabic around it reorders its digits
    '<p>{% for span in line.spans %}{% if span.value %}<bdi dir="rtl">{{ span.text }}</bdi>{% else %}'
    "{{ span.text }}{% endif %}{% endfor %}</p>",  # isolated right to left: "0100 010 555 +1"
    '<p><bdi dir="ltr">{{ line.plain }}</bdi></p>',  # the whole line isolated, the label with it
])
def test_an_html_template_keeps_a_value_in_its_own_isolate(project: Path, new: str) -> None:
    """The HTML companion's flows tell the direction each character is isolated in; a unit's value (the clinic's
    phone number in the contact line) must be in the isolate the shipped template gives it (`<bdi dir="ltr">`),
    and nothing else of it isolated; the shipped way passes."""
    _own_template(project, CONTACT_LINE, CONTACT_LINE, "handout.html.j2")
    assert run("check", "--project", project).exit_code == 0
    _own_template(project, CONTACT_LINE, new, "handout.html.j2")
    assert "plain text" in _refused(project, "handout.html.j2")
