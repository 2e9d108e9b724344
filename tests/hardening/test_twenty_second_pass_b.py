"""The twenty-second hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and
every drawing path of the PDF and the HTML companion. Written against main 794c2e7; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.hardening.hostile import (
    HANDOUT,
    UI,
    line_differs,
    no_traceback,
    own_template,
    refused_by_check_and_build,
    set_intro,
    tiny_copy,
)

# Characters Unicode calls default-ignorable (drawn as nothing), each between the digits of a dose.
UNDRAWN = {"soft hyphen": "\u00ad", "word joiner": "\u2060", "function application": "\u2061",
           "invisible times": "\u2062", "grapheme joiner": "\u034f", "left-to-right mark": "\u200e",
           "inhibit swapping": "\u206a", "nominal digit shapes": "\u206f"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _built(project: Path, *args: str) -> Path:
    from tests.conftest import run

    result = run("build", "--project", project, "--out", project / "out", *args)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    return project / "out/en/tiny.pdf"


# -- invisible characters drawn as marks or gaps ------------------------------------------------------------------
def test_a_default_ignorable_character_in_a_dose_prints_nothing(tmp_path: Path) -> None:
    """A paragraph "Take 2\\u00ad5 mg" (a soft hyphen, as Word's optional hyphen pastes it): `check` and `build`
    said ok, the text extracted as "25 mg" and the HTML companion showed "25 mg", but the PDF (looked at) printed
    "Take 2-5 mg" — a dose range — since Noto Sans (and DejaVu Sans, WenQuanYi) draws U+00AD as a hyphen. The
    generator itself treats it as drawing nothing (a unit of soft hyphens is "only invisible characters"). A word
    joiner printed "2  5 mg" (Noto Sans gives U+2060-U+2064 a 0.6 em blank advance); a grapheme joiner a dotted
    box over the digits; a left-to-right mark and U+206A-U+206F a bar between them ("2|5": "215 mg"). Every
    default-ignorable character is drawn as nothing: the line prints exactly as the text without it."""
    # A soft hyphen beside a digit is refused since (a browser may break the number there: test_twenty_second_calls),
    # and so is any of them inside a number (thirty-fourth pass: a zero-width space is a line break to a browser, a
    # right-to-left mark reorders Arabic digits): inside a word each is drawn as nothing.
    plain, marked = tiny_copy(tmp_path / "plain"), tiny_copy(tmp_path / "marked")
    set_intro(plain, "Take " + ", ".join(f"{n}5 mg" for n in range(1, len(UNDRAWN) + 1)) + ".")
    set_intro(marked, "Take " + ", ".join(f"{n}5 m{ch}g" for n, ch in enumerate(UNDRAWN.values(), 1)) + ".")
    assert line_differs(_built(marked), _built(plain), "Take") == 0


def test_default_ignorable_characters_in_a_table_cell_and_a_checklist_item_print_nothing(project: Path) -> None:
    """The same in a table cell and a checklist item (every text is a flow of the same kind): "Within 1\\u00ad0
    hours" printed "Within 1-0 hours" (inside a number they are refused since: thirty-fourth pass)."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    source = source.replace('"Within hours"', '"With\\u00adin 10 ho\\u2060urs"').replace('"Arrange a ride home."',
                                                                              '"Arrange 20 ri\\u2060des home."')
    path.write_text(source, encoding="utf-8")
    pdf = _built(project)
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Within 10 hours" in words and "Arrange 20 rides home." in words, words


# -- no-break spaces in numbers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("space", ["\u202f", "\u2007", "\u00a0", "\u2009"],
                         ids=["narrow-no-break", "figure", "no-break", "thin"])
def test_a_number_grouped_with_no_break_spaces_is_never_broken_over_lines(project: Path, space: str) -> None:
    """"Take 1\\u202f000\\u202f000 units" (a narrow no-break space between digit groups, as CLDR writes French
    numbers; a figure space, as typesetters align them) at the end of a line: the PDF broke the line inside the
    number, printing "… take 1 000" and, on the next line, "000 units." — a patient reads the first line's "1 000".
    A thin space (U+2009, as SI groups digits) did the same. No-break spaces (U+00A0, U+202F, U+2007) are no break
    opportunity, in a number or between a number and its unit ("10\\u00a0mg"), and no space but the plain one is
    between two digits."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    paragraphs = "".join(
        f'\n      - paragraph: p{n}\n        text: "{"aaaaaaa " * (n // 8)}{"x" * (n % 8)} take 1{space}000{space}000 '
        f'units, 10\u00a0mg."' for n in range(66, 90))
    source = source.replace('        text: "An introduction."', '        text: "An introduction."' + paragraphs, 1)
    path.write_text(source, encoding="utf-8")
    pdf = _built(project)
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.splitlines()
    whole = [line for line in lines if re.search(r"1\W000\W000", line)]
    units = [line for line in lines if re.search(r"10\Wmg", line)]
    assert len(whole) == 24 and len(units) == 24, "\n".join(line for line in lines if "000" in line or "mg" in line)


def test_a_soft_hyphen_in_the_watermark_word_prints_nothing(tmp_path: Path) -> None:
    """The language's DRAFT word in ui.yaml written "ENT\\u00adWURF" (a translator's optional hyphen): the watermark
    (looked at) printed "ENT-WURF" across every page; the watermark is drawn apart from the text flows. Page 1,
    above its footer (whose fingerprint differs), prints as with "ENTWURF"."""
    from PIL import Image, ImageChops

    pictures = []
    for word in ("ENTWURF", "ENT\u00adWURF"):
        project = tiny_copy(tmp_path / str(len(pictures)))
        ui = (project / UI).read_text(encoding="utf-8")
        (project / UI).write_text(ui.replace('watermark: "DRAFT"', f'watermark: "{word}"'), encoding="utf-8")
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(_built(project)), str(project / "page")], check=True)
        page = Image.open(project / "page.png")
        pictures.append(page.crop((0, 0, page.width, int(page.height * 0.85))))
    assert ImageChops.difference(*pictures).getbbox() is None


@pytest.mark.parametrize("joiner", ["\\u00a0", "\\u202f"])
def test_a_template_cannot_join_the_handouts_words_with_no_break_spaces(project: Path, joiner: str) -> None:
    """(Found while fixing the row above.) An own `handout.xml.j2` printing every unit as `(text | inline) |
    replace(" ", "\\u00a0")`: the faithfulness checks read every space as one, so `check` and `build` said ok; once
    no-break spaces stopped being breaks, each paragraph was one long word, cut between any two characters ("some
    food" / ", then": digits too). Refused: such a space must stand where the handout's own text has it."""
    own_template(project, "handout.xml.j2", ('<{{ tag }} id="{{ text.id }}">{{ text | inline }}</{{ tag }}>',
                                             '<{{ tag }} id="{{ text.id }}">{{ (text | inline) | replace(" ", "'
                                             + joiner + '") }}</{{ tag }}>'))
    refused_by_check_and_build(project, "a space no line breaks at")


def test_an_html_template_cannot_join_the_handouts_words_with_no_break_spaces(project: Path) -> None:
    """An own `handout.html.j2` printing a paragraph as `(block.text | html_inline) | replace("e ", "e\\u00a0")`
    (every space would do, but a link's `<a href>`'s): `build --format html` said ok, and a browser never wraps
    the words so joined — a paragraph of them runs past a phone's screen edge, out of sight. Refused as in the PDF."""
    own_template(project, "handout.html.j2", ("<p>{{ block.text | html_inline }}</p>",
                                              '<p>{{ (block.text | html_inline) | replace("e ", "e\\u00a0") }}</p>'))
    refused_by_check_and_build(project, "a space no line breaks at", "--format", "html")
