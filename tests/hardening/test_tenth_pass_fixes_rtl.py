"""The tenth pass's right-to-left and translation findings, fixed as classes (docs/guarantees.md, "Tenth hostile
pass"): what a reader reads left to right stays so inside Arabic text, wherever it was written; a translation
links the numbers and addresses its source links, and its reviewer sees where each link goes; a cited source's
corrected entry reaches every translation."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render import rtl
from tests.conftest import run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy
from tests.hardening.hostile import set_intro as _intro
from tests.hardening.test_ninth_pass import _with_arabic
from tests.hardening.test_tenth_pass import _spanish


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- what a reader reads left to right, inside right-to-left text --------------------------------------------------
KEPT = ["+1 555 010 0100", "(555) 010-0100", "+1 (555) 010-0100", "555-010-0100", "0800 111 0111", "555 0100",
        "+15550100100", "2026-12-06", "1 000 000", "555-0100@clinic.example", "info@clinic.example",
        "https://clinic.example/book"]


@pytest.mark.parametrize("written", KEPT)
def test_a_number_or_address_keeps_its_order_in_arabic_text(written: str) -> None:
    """Each is one unit a reader reads left to right; without the isolate the bidi algorithm orders its digit
    groups (or an address's leading digits) right to left: "+1 555 010 0100" became "0100 010 555 1+"."""
    line = f"للمواعيد: اتصل على {written} الآن."
    assert [line[start:end] for start, end in rtl.number_runs(line)] == [written]
    assert written in rtl.visual(rtl.isolate_numbers(line))


@pytest.mark.parametrize("written", ["1-2", "2019-2025", "2.5 mg", "10:30", "0.5-1 mg", "COVID-19"])
def test_a_range_a_dose_or_a_time_is_ordered_as_arabic_reads_it(written: str) -> None:
    """A range reads right to left in Arabic ("from 1 to 2" prints 2-1), a dose's number comes before its unit in
    reading order, and a time or a decimal is one number already: none is forced left to right."""
    line = f"خذ {written} يوميًا"
    assert rtl.number_runs(line) == []
    assert rtl.isolate_numbers(line) == line


def _arabic_intro(project: Path, text: str) -> None:
    _with_arabic(project)
    arabic = project / "content/ar/tiny.yaml"
    source = arabic.read_text(encoding="utf-8")
    at = source.index('text: "نص عربي قصير."', source.index("paragraph: intro"))
    arabic.write_text(source[:at] + f'text: "{text}"' + source[at + len('text: "نص عربي قصير."'):],
                      encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0


def _words_left_to_right(pdf: Path) -> list[str]:
    """The first page's words as drawn, line by line from the top, each line from left to right (pdftotext
    -bbox: where each word is, not the order a reader would take them in)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    found = [(round(float(y)), float(x), word) for x, y, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]
    return [word for _, _, word in sorted(found)]


def test_numbers_and_addresses_a_translator_writes_print_left_to_right_in_pdf_and_html(project: Path) -> None:
    """Phone numbers, a date and an address written in the Arabic text itself (not through a placeholder) are
    drawn in their own order in the PDF, put in a left-to-right isolate in the HTML companion, and the faithful-
    output check accepts the shipped templates' way of drawing them."""
    _arabic_intro(project, "اتصل على 555-010-0100 أو (555) 010-0100، في 2026-12-06، أو 555-0100@clinic.example")
    assert run("check", "--project", project).exit_code == 0
    built = run("build", "--project", project, "--lang", "ar", "-j", "1", "--format", "pdf,html")
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr
    drawn = " ".join(_words_left_to_right(project / "output/ar/tiny.pdf"))
    for written in ("555-010-0100", "(555) 010-0100", "2026-12-06", "555-0100@clinic.example"):
        assert written in drawn, f"{written!r} not drawn in its own order: {drawn}"
    assert "0100-010-555" not in drawn and "06-12-2026" not in drawn
    page = (project / "output/ar/tiny.html").read_text(encoding="utf-8")
    for written in ("555-010-0100", "(555) 010-0100", "2026-12-06", "555-0100@clinic.example"):
        assert re.search(rf'<bdi dir="ltr"[^>]*>{re.escape(written)}</bdi>', page), written


@pytest.mark.parametrize(("intro", "refused"), [("اتصل الآن", False), ("اتصل على 555-010-0100 الآن", True)])
def test_an_html_template_printing_the_text_plain_loses_the_isolate_and_is_refused(project: Path, intro: str,
                                                                                   refused: bool) -> None:
    """A translator's number is a value like a substituted one: a project's HTML template that prints the unit
    through `.plain` (no isolate: the browser reorders the digit groups) is refused by check, as for values; the
    same template passes while the unit holds no such number."""
    _arabic_intro(project, intro)
    templates = project / "templates"
    templates.mkdir(exist_ok=True)
    text = (Path(__file__).resolve().parents[2] / "templates/handout.html.j2").read_text(encoding="utf-8")
    shipped = "<p>{{ block.text | html_inline }}</p>"
    assert shipped in text
    own = ('<p>{% if block.id == "intro" %}{{ block.text.plain }}{% else %}{{ block.text | html_inline }}'
           "{% endif %}</p>")
    (templates / "handout.html.j2").write_text(text.replace(shipped, own), encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == int(refused), checked.output + checked.stderr
    if refused:
        assert "handout.html.j2" in checked.stderr and "(ar" in checked.stderr, checked.stderr


# -- a translation links what its source links ---------------------------------------------------------------------
def _translated_intro(project: Path, english: str, spanish: str) -> Path:
    _intro(project, english)
    file = _spanish(project)
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace(f'text: "{english}"', f'text: "{spanish}"'), encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    return file


@pytest.mark.parametrize(("english", "spanish", "theirs", "ours"), [
    ("Write to [the clinic](mailto:care@clinic.example).", "Escriba a [la clínica](mailto:care@evil.example).",
     "mailto:care@evil.example", "mailto:care@clinic.example"),
    ("Book a visit: [call us](tel:+15550100100).", "Pida cita: llame al 555 0100.",  # the link left out
     "no number or e-mail address", "tel:+15550100100"),
    ("Book a visit: call us.", "Pida cita: [llame](tel:+15550000666).", "tel:+15550000666",
     "no number or e-mail address"),  # a link the source does not have
])
def test_a_translation_linking_another_number_or_address_is_refused_at_its_link(
        project: Path, english: str, spanish: str, theirs: str, ours: str) -> None:
    file = _translated_intro(project, english, spanish)
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1
    line = next(n for n, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if spanish in text)
    column = file.read_text(encoding="utf-8").splitlines()[line - 1].find(theirs) + 1
    where = f"content/es/tiny.yaml:{line}:{column if theirs.startswith(('tel:', 'mailto:')) else ''}"
    assert where in checked.stderr, checked.stderr
    assert theirs in checked.stderr and ours in checked.stderr and "content/en/tiny.yaml:17" in checked.stderr


def test_a_translation_may_write_the_same_number_its_own_way(project: Path) -> None:
    """tel:+1-555-010-0100 dials what tel:+15550100100 dials; a web link may go to the translation's own page."""
    _translated_intro(project, "Book a visit: [call us](tel:+15550100100) or [read more](https://clinic.example/).",
                      "Pida cita: [llámenos](tel:+1-555-010-0100) o [lea más](https://clinic.example/es/).")
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.output + checked.stderr


def test_the_review_pdf_shows_where_each_link_goes_on_both_sides(project: Path) -> None:
    _translated_intro(project, "Book a visit: [call us](tel:+15550100100) or [read more](https://clinic.example/).",
                      "Pida cita: [llámenos](tel:+1-555-010-0100) o [lea más](https://clinic.example/es/).")
    reviewed = run("translate", "review", "es", "tiny", "--project", project)
    assert reviewed.exit_code == 0, reviewed.output + reviewed.stderr
    shown = " ".join(" ".join(page.extract_text().split())
                     for page in PdfReader(project / "output/review/es/tiny.review.pdf").pages)
    for words, target in (("call us", "tel:+15550100100"), ("read more", "https://clinic.example/"),
                          ("llámenos", "tel:+1-555-010-0100"), ("lea más", "https://clinic.example/es/")):
        assert f"{words} <{target}>" in shown, shown


# -- a cited source's corrected entry reaches the translation ------------------------------------------------------
def test_sync_carries_a_corrected_source_title_and_says_what_it_replaced(project: Path) -> None:
    file = _spanish(project)
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('title: "An example source"', 'title: "Una fuente de ejemplo"'), encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('title: "An example source"',
                                                                 'title: "An example source, 2nd ed."'),
                      encoding="utf-8")
    synced = run("translate", "sync", "es", "--project", project)
    assert synced.exit_code == 0, synced.output + synced.stderr
    assert 'title: "An example source, 2nd ed."' in file.read_text(encoding="utf-8")
    assert "sources › example › title" in synced.output and "Una fuente de ejemplo" in synced.output, synced.output
    assert run("translate", "sync", "es", "--project", project).output.count("removed:") == 0  # nothing more
    # The handout's own title is still the translator's text.
    assert 'title: "A tiny handout"' in file.read_text(encoding="utf-8")
