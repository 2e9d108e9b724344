"""The sixth hostile pass (issue 12): new inputs, none repeated from the five earlier passes or their corpus.

Found on main b062c3a (28 tests, all fixed by the lead on main by 2a743b7). Mostly a project's own templates
getting past render/faithful.py: the PDF layout skips elements the faithfulness check counts as printed; the
pieces of a unit can be rearranged (a "not" moved away); attributes carry words or addresses of the template's
own (the QR code, aria-label, title, alt, a data: image, an inline SVG); the HTML companion's own style hides a
section, reverses a number or prints words through `quotes`; the check and the layout were unbounded in the
number of nodes. Besides: translators' comments lost by sync and import, an import traceback, verify blind to
an altered outdated file, check accepting a template the layout refuses.

The tests marked "on the fixes" were found on main 2a743b7 (open when written): styles past the HTML hiding
blocklist, the HTML companion still checked node by node (a word taken out, a tel: link moved, an instruction
struck through), and composed nodes bounded in number but not in length.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import REPO, run
from tests.hardening.hostile import HANDOUT, all_text, declare, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _approve(project: Path) -> None:
    result = run("approve", project / HANDOUT, project / "content/en/ui.yaml", project / "content/facts.yaml",
                 "--reviewer", "Dr A", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.output + result.stderr


def _own_template(project: Path, name: str, *edits: tuple[str, str]) -> None:
    """The project's own copy of a shipped template, with each (old, new) edit made once."""
    text = (REPO / "templates" / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")


SECTION_LOOP = "{%- for section in doc.sections %}"
PROVENANCE = '<provenance payload="{{ doc.verify_payload }}">'
HTML_SECTION = '<section id="{{ section.id }}" aria-labelledby="h-{{ section.id }}"'


# -- the PDF: an element the layout skips is not printed --------------------------------------------------
def test_a_pdf_template_cannot_drop_a_section_into_an_element_the_layout_skips(project: Path) -> None:
    """The project's `handout.xml.j2` leaves Safety out of the section loop and writes its heading and text
    inside `<provenance>` as `<x>…</x>` elements. render/faithful.py reads every text node of the XML, so it
    counts Safety as printed; but the layout's `provenance` handler only lays out `<p>` and `<sources>`
    children and silently skips any other. On main b062c3a `check` said ok and `build --release` wrote a PDF
    without "Safety first.", stamped Reviewed, exit 0. The fifth pass's fix ("every unit must be there") is
    defeated by any element the layout ignores (`<table>` skips non-`<row>` children the same way): what
    faithful.py counts must be what the layout draws, or an unknown element must be an error."""
    _own_template(project, "handout.xml.j2",
                  (SECTION_LOOP, '{%- for section in doc.sections if section.id != "safety" %}'),
                  (PROVENANCE, PROVENANCE + '{% for section in doc.sections if section.id == "safety" %}'
                   '<x>{{ section.heading | inline }}</x>{% for b in section.blocks %}<x>{{ b.text | inline }}</x>'
                   '{% endfor %}{% endfor %}'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code == 0:
        assert "Safety first." in all_text(pdf), "the PDF was written without the Safety section"
    else:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr


def test_a_pdf_template_cannot_skip_text_inside_a_table(project: Path) -> None:
    """Variant of the class above: the template writes the Safety paragraph as `<note>…</note>` inside the
    comparison `<table>` (and leaves the section out of the loop). The layout reads only `<row>` children of a
    table, so the paragraph is never drawn, while faithful.py counts it. Main b062c3a: exit 0, no "Safety
    first." in the PDF."""
    _own_template(project, "handout.xml.j2",
                  (SECTION_LOOP, '{%- for section in doc.sections if section.id != "safety" %}'),
                  ('<row header="yes">', '{% for section in doc.sections if section.id == "safety" %}<note>'
                   '{{ section.heading | inline }}</note>{% for b in section.blocks %}<note>{{ b.text | inline }}'
                   '</note>{% endfor %}{% endfor %}<row header="yes">'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code == 0:
        assert "Safety first." in all_text(pdf), "the PDF was written without the Safety section"
    else:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr


# -- the PDF's QR code: the verification data, never an address of the template's own --------------------
def _qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        pytest.skip("zbarimg or pdftoppm is not installed (apt-get install zbar-tools poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(pdf), str(tmp_path / "page")], check=True)
    found = []
    for png in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
        found += [line for line in out.stdout.splitlines() if line]
    return found


def test_a_pdf_template_cannot_put_its_own_address_in_the_qr_code(project: Path, tmp_path: Path) -> None:
    """The project's template writes `<provenance payload="https://evil.example/take-ten">`. The QR code beside
    the fingerprint ("Scan to check this handout is current") is drawn from the attribute as written; faithful.py
    checks text nodes and `<a href>` only. Main b062c3a: `check` ok, `build --release` exit 0, and zbarimg
    reads `https://evil.example/take-ten` from the approved PDF. A patient scanning the code is sent to an
    address no reviewer saw, unchecked for scheme or host (the content may only link https:, mailto:, tel:,
    and a template no link of its own). The code must hold the generator's own verification data (or the
    clinic's verify_url), whatever the template writes."""
    _own_template(project, "handout.xml.j2", (PROVENANCE, '<provenance payload="https://evil.example/take-ten">'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr
        return
    codes = _qr_codes(pdf, tmp_path)
    assert codes, "no QR code found in the PDF"
    assert not [code for code in codes if "evil.example" in code], codes


# -- the HTML companion: a section hidden by the template's style, words in attributes ---------------------
def _printed_by_chromium(html: Path, tmp_path: Path) -> str:
    """What a real Chromium prints of the page (its print-to-PDF, read back by pdftotext)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium or pdftotext is not installed (apt-get install chromium poppler-utils)")
    out = tmp_path / "printed.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
                    "--no-pdf-header-footer", html.as_uri()], capture_output=True, timeout=120, check=True)
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


HIDING_SAFETY = {
    "a style sheet rule": [("</style>", "#safety { display: none; }\n</style>")],
    "a style attribute": [(HTML_SECTION, HTML_SECTION + '{% if section.id == "safety" %} style="display:none"'
                                                        '{% endif %}')],
    "white text of no size": [("</style>", "#safety * { font-size: 0; color: #fff; }\n</style>")],
}


@pytest.mark.parametrize("how", sorted(HIDING_SAFETY))
def test_an_html_template_cannot_hide_a_section_with_its_style(project: Path, tmp_path: Path, how: str) -> None:
    """The project's `handout.html.j2` hides the Safety section with CSS (`#safety { display: none }`, a
    `style="display:none"` on that section, or its text at size 0 in white). The text nodes are all there, so
    faithful.py is satisfied, and the style checks guard only the generator's notice. Main b062c3a: `check`
    ok, `build --release --format html` exit 0, and a real Chromium prints the page without "Safety first.".
    A template may arrange the handout, never leave part of it out (docs/guarantees.md, trust model); in the
    HTML companion, what a reader sees is what the browser draws."""
    _own_template(project, "handout.html.j2", *HIDING_SAFETY[how])
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    printed = _printed_by_chromium(html, tmp_path)
    assert "Approved" in printed or "Reviewed" in printed, printed[:500]  # the page did print
    assert "Safety first." in printed, "Chromium printed the page without the Safety section"


OWN_WORDS = {
    "aria-label on a section": (HTML_SECTION, HTML_SECTION + ' aria-label="Take ten times the dose"'),
    "title on a section": (HTML_SECTION, HTML_SECTION + ' title="Take ten times the dose"'),
    "alt of an embedded image": (SECTION_LOOP, '<img src="data:image/png;base64,AAAA" alt="Take ten times the '
                                               'dose.">' + SECTION_LOOP),
}


@pytest.mark.parametrize("how", sorted(OWN_WORDS))
def test_an_html_template_cannot_say_its_own_words_in_attributes(project: Path, how: str) -> None:
    """The project's `handout.html.j2` adds "Take ten times the dose" as an attribute: `aria-label` (a screen
    reader announces it as the section's name), `title` (a tooltip) or the `alt` of a broken embedded image
    (Chromium draws the alt text in its place). faithful.py checks text nodes and link addresses only. Main
    b062c3a: `check` ok, `build --release --format html` exit 0, and the words are in the approved page. Every
    word a reader sees or hears must be the handout's own; attributes that a browser shows or speaks are words
    too."""
    _own_template(project, "handout.html.j2", OWN_WORDS[how])
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    assert "ten times" not in html.read_text(encoding="utf-8")


# -- the PDF: pieces of one unit rearranged, links moved onto other words ----------------------------------
BODY_P = '{{ pair("p", block.text) }}'


def _safety_says(project: Path, text: str) -> None:
    path = project / HANDOUT
    path.write_text(path.read_text(encoding="utf-8").replace('"Safety first."', text, 1), encoding="utf-8")


def test_a_pdf_template_cannot_take_a_word_out_of_a_sentence(project: Path) -> None:
    """The Safety paragraph says `"Do **not** drive for 24 hours."`. The project's template prints that unit
    from its spans without the bold one (`{% for s in block.text.spans if not s.bold %}`) and prints the bold
    span's text, "not", at the start of the Sources line instead. faithful.py checks that each text node is made
    of the view's pieces and that each span was printed *somewhere*; neither the order nor the unit the pieces
    belong to. Main b062c3a: `check` ok, `build --release` exit 0, and the approved PDF says "Do drive for 24
    hours." — the opposite of the reviewed instruction — under "Reviewed … MD". A unit's spans must be printed
    together, in order, in its own element."""
    _safety_says(project, '"Do **not** drive for 24 hours."')
    _own_template(project, "handout.xml.j2",
                  (BODY_P, '{% if block.text.id == "safety.intro" %}<p id="safety.intro">{% for s in block.text.spans '
                   'if not s.bold %}{{ s.text }}{% endfor %}</p>{% else %}' + BODY_P + '{% endif %}'),
                  ('<p id="sources">', '<p id="sources">{% for s in doc.sections %}{% for b in s.blocks %}{% if '
                   'b.text and b.text.id == "safety.intro" %}{% for x in b.text.spans if x.bold %}{{ x.text }}'
                   '{% endfor %}{% endif %}{% endfor %}{% endfor %} '))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr
        return
    text = " ".join(all_text(pdf).split())
    assert "Do drive" not in text
    assert "Do not drive for 24 hours." in text


def _link_words(pdf: Path) -> list[tuple[str, str]]:
    """(address, the words under its link area) for every link annotation of the PDF."""
    import re

    from pypdf import PdfReader

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    out = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        height = float(page.mediabox.height)
        bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        words = [(float(a), height - float(d), float(c), height - float(b), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', bbox)]
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            uri = str((annot.get("/A") or {}).get("/URI", ""))
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            inside = [w for wx0, wy0, wx1, wy1, w in words
                      if x0 < (wx0 + wx1) / 2 < x1 and y0 < (wy0 + wy1) / 2 < y1]
            out.append((uri, " ".join(inside)))
    return out


def test_a_pdf_template_cannot_make_the_crisis_number_dial_another(project: Path) -> None:
    """The project's template wraps the substituted crisis number of "In a crisis, call {fact.crisis_line}." in
    `<a href="tel:+15550100100">` — the clinic's own tel: address, one of the view's links, so faithful.py lets
    it through (it checks that an address is the handout's, not that it belongs to those words). Main b062c3a:
    `check` ok, `build --release` exit 0, and in the approved PDF the words "988." are a link that dials the
    clinic's +1 555 010 0100. The fifth pass refused this in content (`[988](tel:+1555…)`); a template must not
    be able to do what content may not: a link's words show only the number it dials."""
    _own_template(project, "handout.xml.j2",
                  (BODY_P, '{% if block.text.id == "help.crisis" %}<p id="help.crisis">{% for s in block.text.spans %}'
                   '{% if s.value %}<a href="tel:+15550100100">{{ s.text }}</a>{% else %}{{ s.text }}{% endif %}'
                   '{% endfor %}</p>{% else %}' + BODY_P + '{% endif %}'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr
        return
    links = _link_words(pdf)
    wrong = [(uri, words) for uri, words in links if uri.startswith("tel:") and "988" in words]
    assert not wrong, wrong


# -- translators' words: nothing of theirs destroyed -------------------------------------------------------
def _spanish_started(project: Path) -> Path:
    """Spanish started with `translate new es` and declared in the settings; returns its handout file."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    declare(project, "es")
    return project / "content/es/tiny.yaml"


def test_translate_sync_keeps_a_comment_inside_a_flow_mapping(project: Path) -> None:
    """The translator writes the table row's cells as a multi-line flow mapping with a note of theirs inside it
    (`cells: {⏎ # nota del traductor ⏎ topic: "Qué tan rápido", ⏎ answer: "En horas" ⏎ }` — valid YAML, and how
    an editor formats a long flow mapping). The English source then changes one paragraph and the translator
    runs `translate sync es`. Main b062c3a: exit 0, "updated", and the comment "# nota del traductor" is gone
    (ruamel's round trip drops comments inside flow collections; the row is rewritten on one line). "Nothing
    of theirs destroyed": the translator's note must be in the file after sync, or sync must refuse the file
    and change nothing."""
    spanish = _spanish_started(project)
    text = spanish.read_text(encoding="utf-8")
    old = 'cells: {topic: "How fast", answer: "Within hours"}'
    assert old in text
    spanish.write_text(text.replace(old, 'cells: {\n              # nota del traductor\n              topic: "Qué tan '
                                         'rápido",\n              answer: "En horas"\n            }'), encoding="utf-8")
    before = spanish.read_bytes()
    english = project / HANDOUT
    english.write_text(english.read_text(encoding="utf-8").replace("Take time to rest.", "Take time to rest well."),
                       encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    after = spanish.read_text(encoding="utf-8")
    if result.exit_code == 0:
        assert "# nota del traductor" in after, after
        assert "Qué tan rápido" in after and "En horas" in after
    else:
        assert result.exit_code == 1 and spanish.read_bytes() == before, result.output + result.stderr


def test_a_pdf_template_cannot_drop_an_item_whose_words_appear_in_another_unit(project: Path) -> None:
    """The list item says "Chest pain." and the Safety paragraph says "**Chest pain.** Call 911 at once." (a side
    effect listed, then repeated in bold where the handout says what to do — common in real handouts). The project's
    template leaves that list item out (`{% for item in block["items"] if item.id != "expect.points.first" %}`).
    faithful.py marks a piece printed when it occurs anywhere inside a text node that is not itself one piece,
    so the Safety paragraph (two spans, one node) counts as printing the item. (Without the bold, the paragraph
    is one piece and the item's absence is caught.) Main b062c3a: `check` ok, `build --release` exit 0, and the list of
    what to expect no longer has "Chest pain." as an item. Every unit must be printed as itself, not found as
    a substring of another."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8").replace('"The first point."', '"Chest pain."', 1)
    path.write_text(text.replace('"Safety first."', '"**Chest pain.** Call 911 at once."', 1), encoding="utf-8")
    _own_template(project, "handout.xml.j2",
                  ('{%- for item in block["items"] %}',
                   '{%- for item in block["items"] if item.id != "expect.points.first" %}'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr
        return
    text = " ".join(all_text(pdf).split())
    assert text.count("Chest pain.") >= 2, "the list item 'Chest pain.' was left out"


# -- the HTML companion: a number printed backwards ---------------------------------------------------------
HTML_P = '<p>{{ block.text | html_inline }}</p>'
REVERSING = {
    "a <bdo dir=rtl> element": '<bdo dir="rtl">{{ s.text }}</bdo>',
    "a bidi-override style": '<span style="unicode-bidi: bidi-override; direction: rtl">{{ s.text }}</span>',
}


@pytest.mark.parametrize("how", sorted(REVERSING))
def test_an_html_template_cannot_print_the_crisis_number_backwards(project: Path, tmp_path: Path, how: str) -> None:
    """The project's `handout.html.j2` writes the substituted crisis number of "In a crisis, call
    {fact.crisis_line}." inside `<bdo dir="rtl">` (an allowed element) or a span styled `unicode-bidi:
    bidi-override; direction: rtl`. The text node is still "988", so faithful.py is satisfied. Main b062c3a:
    `check` ok, `build --release --format html` exit 0, and a real Chromium prints "In a crisis, call 889.".
    Content may not hold direction controls because they "could print 12 as 21" (docs/guarantees.md); the
    template's markup and style do the same to a crisis number or a dose."""
    _own_template(project, "handout.html.j2",
                  (HTML_P, '{% if block.text.id == "help.crisis" %}<p>{% for s in block.text.spans %}{% if s.value %}'
                   + REVERSING[how] + '{% else %}{{ s.text }}{% endif %}{% endfor %}</p>{% else %}' + HTML_P
                   + '{% endif %}'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    printed = " ".join(_printed_by_chromium(html, tmp_path).split())
    assert "In a crisis, call" in printed, printed[:800]
    assert "call 889" not in printed and "call 988." in printed, printed[:800]


# -- bounded time: the faithfulness check itself --------------------------------------------------------------
def test_check_of_a_template_printing_many_small_nodes_ends_within_60_seconds(project: Path) -> None:
    """The tiny handout given 1,900 list items (within the 2,000-text bound), and a project template that
    prints `<p>{{ doc.lang }} {{ doc.lang }}</p>` 100,000 times after the disclaimer (two nested loops of 100
    and 1,000: within the sandbox's bounds, 1.6 MB of output, rendered in about a second). Each such text node
    is made of the view's pieces but is not one piece itself, so faithful.py tries every piece of the view
    against it, shortest ("en") last, and scans the rest for letters after each: nodes × pieces. Main b062c3a:
    `handouts check` took 108 s (then said ok); a real handout has more pieces, and every handout and language
    is checked. No input may make a command run over 60 s; the template's 10 s bound does not cover the check
    of its output."""

    path = project / HANDOUT
    items = "".join(f'          - id: i{n}\n            text: "Point number {n}."\n' for n in range(1900))
    old = '          - id: first\n            text: "The first point."\n'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, items, 1), encoding="utf-8")
    end = '{{ pair("p", doc.disclaimer_full) }}'
    _own_template(project, "handout.xml.j2", (end, end + '{% for i in range(100) %}{% for j in range(1000) %}'
                                                     '<p>{{ doc.lang }} {{ doc.lang }}</p>{% endfor %}{% endfor %}'))
    try:
        done = handouts("check", "--project", project, timeout=60, cwd=project)
    except subprocess.TimeoutExpired:
        pytest.fail("handouts check ran over 60 s on a template of 100,000 small text nodes")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr


def test_a_pdf_template_cannot_hide_the_full_disclaimer_in_a_continuation_heading(project: Path) -> None:
    """The project's template moves the full disclaimer ("This handout gives general information only. It is
    not medical advice.") out of `<disclaimer>` and into a second `<continued>` element of the help callout.
    A callout draws its `<continued>` text only when the box breaks across a page (as the repeated heading);
    the tiny handout's box never does. faithful.py sees the text node and counts the disclaimer printed. Main
    b062c3a: `check` ok, `build --release` exit 0, and the approved PDF has no full disclaimer anywhere (the
    "Important" heading stands over nothing). The full disclaimer is one of the things every edition must print
    (render/faithful.py's own list)."""
    _own_template(project, "handout.xml.j2",
                  ('{{ pair("p", doc.disclaimer_full) }}', ''),
                  ('{{ pair("continued", doc.continued) }}', '{{ pair("continued", doc.continued) }}<continued '
                   'id="disclaimer">{{ doc.disclaimer_full | inline }}</continued>'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release")
    no_traceback(result)
    pdf = project / "output/en/tiny.pdf"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not pdf.exists(), result.output + result.stderr
        return
    text = " ".join(all_text(pdf).split())
    assert "It is not medical advice." in text, "the approved PDF has no full disclaimer"


def _change_english_and(project: Path, command: str) -> object:
    """Change one English paragraph, then run `translate sync es`, or export Spanish as PO, fill its first
    empty msgstr and import it."""
    english = project / HANDOUT
    english.write_text(english.read_text(encoding="utf-8").replace("The law differs by place.",
                                                                   "The law differs by state."), encoding="utf-8")
    if command == "sync":
        return run("translate", "sync", "es", "--project", project)
    po = project.parent / "es.po"
    assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "X"\n\n', 1), encoding="utf-8")
    return run("translate", "import", po, "--project", project)


@pytest.mark.parametrize("command", ["sync", "import"])
def test_a_comment_after_a_one_line_flow_mapping_survives(project: Path, command: str) -> None:
    """The translator's table columns, as `translate new` wrote them (`- {id: topic, text: Topic}`), translated
    and annotated the way anyone annotates a YAML line: `- {id: topic, text: Tema}  # c1 …` and
    `- {⏎ id: answer,  # c2 … ⏎ text: Respuesta ⏎ }`. The English source changes one paragraph; the translator
    runs `translate sync es` (or imports a PO). Main b062c3a: exit 0, and the comments are gone from the file
    — ruamel's round trip keeps no comment inside or after a flow collection, and the line-ending
    and comment keeping of content/endings.py works on ruamel's output. Nothing of a translator's is destroyed."""
    spanish = _spanish_started(project)
    text = spanish.read_text(encoding="utf-8")
    old = '          - {id: topic, text: Topic}\n          - {id: answer, text: Answer}\n'
    assert old in text
    spanish.write_text(text.replace(old, '          - {id: topic, text: Tema}  # c1 "tema", not "tópico"\n'
                                         '          - {\n              id: answer,  # c2 checked with the clinic\n'
                                         '              text: Respuesta\n            }\n'), encoding="utf-8")
    before = spanish.read_bytes()
    result = _change_english_and(project, command)
    no_traceback(result)
    after = spanish.read_text(encoding="utf-8")
    if result.exit_code == 0:
        assert '# c1 "tema", not "tópico"' in after and "# c2 checked with the clinic" in after, after
    else:
        assert result.exit_code == 1 and spanish.read_bytes() == before, result.output + result.stderr


@pytest.mark.parametrize("command", ["sync", "import"])
def test_a_comment_after_the_document_end_marker_survives(project: Path, command: str) -> None:
    """The translator's file written as an explicit YAML document: `%YAML 1.1`, `---`, the handout, `...`, then
    their notes (`# c7 glossary questions for the clinic`) — valid YAML that `check` reads. After a change to
    the English source, `translate sync es` (or an import) on main b062c3a: exit 0, and the file lost the
    directive, the markers and the notes after `...`. A command that cannot keep a translator's text must
    refuse the file and change nothing."""
    spanish = _spanish_started(project)
    spanish.write_text("%YAML 1.1\n---\n" + spanish.read_text(encoding="utf-8")
                       + "...\n# c7 glossary questions for the clinic\n", encoding="utf-8")
    assert run("check", "--project", project).exit_code in (0, 1)
    before = spanish.read_bytes()
    result = _change_english_and(project, command)
    no_traceback(result)
    after = spanish.read_text(encoding="utf-8")
    if result.exit_code == 0:
        assert "# c7 glossary questions for the clinic" in after, after
    else:
        assert result.exit_code == 1 and spanish.read_bytes() == before, result.output + result.stderr


# -- tracebacks -------------------------------------------------------------------------------------------------
def test_translate_import_into_a_file_with_a_tab_before_a_comment_ends_without_a_traceback(project: Path) -> None:
    """The translator's Spanish file has `text: "Una introducción."<TAB># …` — a tab before a comment, which an
    editor inserts and YAML 1.2 allows as separation space (the safe loader that `check` uses reads it;
    ruamel's round-trip scanner does not). `translate export es` then `translate import` of the PO. Main
    b062c3a: a ruamel ScannerError traceback, exit 1 (`translate sync` on the same file gives a clear
    "cannot be read for editing" error). "A traceback is a bug": the import must name the file and line."""
    spanish = _spanish_started(project)
    text = spanish.read_text(encoding="utf-8")
    old = 'text: "An introduction."'
    assert old in text
    spanish.write_text(text.replace(old, 'text: "Una introducción."\t# revisado', 1), encoding="utf-8")
    before = spanish.read_bytes()
    result = _change_english_and(project, "import")
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output + result.stderr
    if result.exit_code == 1:
        assert spanish.read_bytes() == before
        assert "content/es/tiny.yaml" in result.stderr, result.stderr


def test_build_of_a_template_printing_a_quarter_million_paragraphs_stays_within_bounds(project: Path) -> None:
    """A project template that prints `<p>{{ doc.lang }}</p>` 250,000 times after the disclaimer (nested loops
    of 250 and 1,000; 2.5 MB of output, under the sandbox's 10-million-character bound; every node is one of the
    view's pieces, so faithful.py passes it at once). `check` says ok. Main b062c3a: `handouts build -j 1` ran
    87 s and took 1.41 GB (maximum resident set), then wrote a PDF of some 5,000 pages, exit 0. "No traceback,
    hang (over 60 s) or memory use over 1 GB" for any project input: the layout needs a bound of its own (on
    paragraphs or pages), refused with a clear error. Run here as the corpus runs commands: a fresh process
    under a 1 GiB address-space limit and a 60 s timeout."""

    end = '{{ pair("p", doc.disclaimer_full) }}'
    _own_template(project, "handout.xml.j2", (end, end + '{% for i in range(250) %}{% for j in range(1000) %}'
                                                     '<p>{{ doc.lang }}</p>{% endfor %}{% endfor %}'))

    try:
        done = handouts("build", "-j", "1", "--project", project, memory=1024 ** 3, timeout=60, cwd=project)
    except subprocess.TimeoutExpired:
        pytest.fail("handouts build ran over 60 s on a template of 250,000 one-word paragraphs")
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1), done.stderr[-2000:]


def test_an_html_template_cannot_print_words_through_css_quotes(project: Path, tmp_path: Path) -> None:
    """The project's `handout.html.j2` wraps each paragraph in `<q>` (an allowed element) and its style sheet
    says `q { quotes: "Take ten times the dose. " ""; }`. A browser draws a `<q>`'s opening quotation mark
    from the `quotes` property (its default `q::before { content: open-quote }`), so every paragraph opens
    with the template's sentence. The fifth pass refused `content:` strings, list markers and counters, not
    `quotes`. Main b062c3a: `check` ok, `build --release --format html` exit 0, and a real Chromium prints
    "Take ten times the dose. Safety first." under "Reviewed … MD"."""
    _own_template(project, "handout.html.j2", (HTML_P, '<p><q>{{ block.text | html_inline }}</q></p>'),
                  ("</style>", 'q { quotes: "Take ten times the dose. " ""; }\n</style>'))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    printed = " ".join(_printed_by_chromium(html, tmp_path).split())
    assert "Safety first." in printed, printed[:800]
    assert "ten times" not in printed, printed[:800]


# -- verify: an altered copy of an older file ------------------------------------------------------------------
def test_verify_tells_an_altered_outdated_file_from_an_authentic_one(project: Path, tmp_path: Path) -> None:
    """A PDF built and approved here, then altered (pypdf adds a FreeText annotation "TAKE TEN TIMES THE DOSE"
    on page 1); then the English text changes (a new version is due). Before the change `verify` says
    "altered" for the altered copy and "current (identical)" for the authentic one. After it, on main b062c3a,
    both get the same verdict word for word: "outdated (content changed …)" — though the project keeps a sealed
    log of the sha256 of every file built here (fourth pass), which the altered copy is not in. A clinic told
    "outdated" reprints later; told "altered", it knows a forged handout is in circulation. verify must still
    tell an altered file from an authentic one when both are outdated."""
    import shutil as _shutil

    from pypdf import PdfWriter
    from pypdf.annotations import FreeText

    _approve(project)
    assert run("build", "--project", project, "-j", "1").exit_code == 0
    authentic = tmp_path / "authentic.pdf"
    _shutil.copy(project / "output/en/tiny.pdf", authentic)
    writer = PdfWriter(clone_from=str(authentic))
    writer.add_annotation(0, FreeText(text="TAKE TEN TIMES THE DOSE", rect=(72, 400, 400, 440)))
    altered = tmp_path / "altered.pdf"
    with altered.open("wb") as handle:
        writer.write(handle)
    english = project / HANDOUT
    english.write_text(english.read_text(encoding="utf-8").replace("Take time to rest.", "Take time to rest well."),
                       encoding="utf-8")
    verdicts = {}
    for name, path in (("authentic", authentic), ("altered", altered)):
        result = run("verify", path, "--project", project)
        no_traceback(result)
        verdicts[name] = result.output.replace(str(path), "FILE").strip()
    assert "outdated" in verdicts["authentic"], verdicts
    assert verdicts["altered"] != verdicts["authentic"], verdicts


# -- check and build agree ----------------------------------------------------------------------------------
def test_check_refuses_a_template_whose_output_the_layout_cannot_place(project: Path) -> None:
    """The project's template writes the summary as `<p id="summary">…</p>` inside `<titleblock>` (where the
    layout takes only clinic, logo, title, summary and contact). faithful.py is satisfied and `check` says "ok"
    (it renders the template but does not lay it out); on main b062c3a `build` then fails with "error:
    content/en/tiny.yaml: cannot lay out … (ValueError: template produced an unknown element <p> in
    <titleblock>); report this with the file" — blaming the content file, and asking for a bug report, for a
    mistake in the template. What `check` accepts must build (fifth pass: check and build agree), and an error
    names the file that is wrong."""
    _own_template(project, "handout.xml.j2",
                  ('{{ pair("summary", doc.summary) }}', '<p id="summary">{{ doc.summary | inline }}</p>'))
    checked = run("check", "--project", project)
    no_traceback(checked)
    built = run("build", "--project", project, "-j", "1")
    no_traceback(built)
    assert built.exit_code == 1, built.output
    assert "handout.xml.j2" in built.stderr, built.stderr
    assert checked.exit_code == 1, checked.output + checked.stderr


def test_an_html_template_cannot_embed_an_image_of_its_own_words(project: Path, tmp_path: Path) -> None:
    """The project's `handout.html.j2` puts `<img src="data:image/svg+xml;base64,…" alt="">` before the sections:
    an SVG of one `<text>` element, "Take ten times the dose.". Embedded `data:image` sources are allowed (for
    the clinic's logo), of any content; faithful.py reads the page's text nodes, not the images'. Main
    b062c3a: `check` ok, `build --release --format html` exit 0, and a real Chromium prints "Take ten times the
    dose." at the top of the approved page. In the PDF a template may embed no image but the checked logo; the
    HTML companion must hold to the same rule."""
    import base64

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><text x="0" y="30" font-size="28">'
           'Take ten times the dose.</text></svg>')
    image = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="">'
    _own_template(project, "handout.html.j2", (SECTION_LOOP, image + SECTION_LOOP))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    printed = " ".join(_printed_by_chromium(html, tmp_path).split())
    assert "Safety first." in printed, printed[:800]
    assert "ten times" not in printed, printed[:800]


def test_an_html_template_cannot_draw_its_own_qr_code(project: Path, tmp_path: Path) -> None:
    """The HTML variant of the QR finding: the project's `handout.html.j2` replaces `{{ qr }}` with an inline
    `<svg>` of `<rect>` elements (allowed: the generator's own QR code is one) drawing a QR code of
    `https://evil.example/take-ten`. Main b062c3a: `check` ok, `build --release --format html` exit 0, and
    zbarimg reads the address from Chromium's print of the approved page. The code beside the fingerprint must
    be the generator's."""
    from generator.render.qr import matrix

    rows = matrix("https://evil.example/take-ten")
    cells = "".join(f'<rect x="{x + 4}" y="{y + 4}" width="1" height="1"/>' for y, row in enumerate(rows)
                    for x, dark in enumerate(row) if dark)
    size = len(rows) + 8
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {size} {size}" width="200" '
           f'height="200"><rect x="0" y="0" width="{size}" height="{size}" fill="#fff"/><g fill="#000">{cells}</g>'
           '</svg>')
    _own_template(project, "handout.html.j2", ("{{ qr }}", svg))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    _printed_by_chromium(html, tmp_path)
    codes = _qr_codes(tmp_path / "printed.pdf", tmp_path)
    assert not [code for code in codes if "evil.example" in code], codes


# -- on the fixes (main 2a743b7): the style blocklist ------------------------------------------------------------
def _ink_of_word(pdf: Path, word: str, tmp_path: Path) -> tuple[float, float]:
    """(height in points, luminance range 0-255) of the box of the first `word` in a printed PDF: text a reader
    can see has a box of a readable height with dark and light pixels in it."""
    import re

    from PIL import Image

    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                          + re.escape(word) + "</word>", page)
        if not found:
            continue
        x0, y0, x1, y1 = (float(v) for v in found.groups())
        subprocess.run(["pdftoppm", "-png", "-r", "144", "-f", str(number), "-l", str(number), str(pdf),
                        str(tmp_path / "ink")], check=True)
        image = Image.open(next(tmp_path.glob("ink*.png"))).convert("L")
        box = image.crop((int(x0 * 2), int(y0 * 2), max(int(x1 * 2), int(x0 * 2) + 1),
                          max(int(y1 * 2), int(y0 * 2) + 1)))
        low, high = box.getextrema()
        return y1 - y0, float(high - low)
    return 0.0, 0.0


STILL_HIDING = {
    "the translate property": "#safety { translate: 0 -100000px; }",
    "negative letter spacing": "#safety * { letter-spacing: -1em; }",
    "contain: strict on a 1 px box": "#safety { contain: strict; height: 1px; }",
    "a calc() font size": "#safety * { font-size: calc(1px * 0.01); }",
    "white as rgb()": "#safety * { color: rgb(255 255 255); }",
    "the Canvas system colour": "#safety * { color: Canvas; }",
    "the font shorthand at 1 px": "#safety * { font: 1px/1px serif; }",
}


@pytest.mark.parametrize("how", sorted(STILL_HIDING))
def test_an_html_template_cannot_hide_a_section_past_the_style_blocklist(project: Path, tmp_path: Path,
                                                                          how: str) -> None:
    """On main 2a743b7 (the fixes of this pass) the HTML companion's style sheet is refused when it matches a
    list of hiding properties (display:none, visibility, opacity, transform, white as #fff, font sizes under
    0.7em…). Each style here hides the Safety section just as well and is not on the list: `build --release
    --format html` exit 0, and in a real Chromium's print the words "Safety first." are either gone (translate,
    letter-spacing, contain, calc) or drawn without contrast or at no readable size (rgb() white, Canvas,
    the `font` shorthand; black on black hides it on screen too, but Chromium prints without backgrounds).
    A blocklist of CSS cannot be complete; what the fix must guarantee is
    that the section is visible in a browser."""
    _own_template(project, "handout.html.j2", ("</style>", STILL_HIDING[how] + "\n</style>"))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    printed = " ".join(_printed_by_chromium(html, tmp_path).split())
    assert "Safety first." in printed, "Chromium printed the page without the Safety section"
    height, contrast = _ink_of_word(tmp_path / "printed.pdf", "Safety", tmp_path)
    assert height >= 6 and contrast >= 100, (height, contrast)


HTML_REARRANGED = {
    "a word taken out of a sentence": (
        '{% if block.text.id == "safety.intro" %}<p>{% for s in block.text.spans if not s.bold %}{{ s.text }}'
        '{% endfor %}</p><p>{% for s in block.text.spans if s.bold %}{{ s.text }}{% endfor %}</p>{% else %}'
        + HTML_P + '{% endif %}', "Do drive"),
    "the crisis number dialling the clinic": (
        '{% if block.text.id == "help.crisis" %}<p>{% for s in block.text.spans %}{% if s.value %}<a href="tel:'
        '+15550100100">{{ s.text }}</a>{% else %}{{ s.text }}{% endif %}{% endfor %}</p>{% else %}' + HTML_P
        + '{% endif %}', 'href="tel:+15550100100">988'),
    "an instruction struck through": (
        '{% if block.text.id == "safety.intro" %}<p><s>{{ block.text | html_inline }}</s></p>{% else %}' + HTML_P
        + '{% endif %}', "<s>Do"),
}


@pytest.mark.parametrize("how", sorted(HTML_REARRANGED))
def test_an_html_template_cannot_rearrange_a_unit(project: Path, how: str) -> None:
    """On main 2a743b7 the PDF is checked flow by flow (each unit whole, its words in order, its own links),
    but the HTML companion still only text node by text node. The Safety paragraph says "Do **not** drive for
    24 hours."; the project's `handout.html.j2` prints it without its bold span (and "not" in a paragraph of
    its own), or wraps the crisis number "988" in the clinic's `tel:+15550100100`, or strikes the instruction
    through with `<s>` (an allowed element: a struck-out instruction reads as withdrawn). `build --release
    --format html` exit 0 for each: the approved companion says "Do  drive for 24 hours.", dials the clinic
    from "988", or shows the safety instruction crossed out."""
    path = project / HANDOUT
    path.write_text(path.read_text(encoding="utf-8").replace('"Safety first."', '"Do **not** drive for 24 hours."'),
                    encoding="utf-8")
    template, shown = HTML_REARRANGED[how]
    _own_template(project, "handout.html.j2", (HTML_P, template))
    _approve(project)
    result = run("build", "--project", project, "-j", "1", "--release", "--format", "html")
    no_traceback(result)
    html = project / "output/en/tiny.html"
    if result.exit_code != 0:
        assert result.exit_code == 1 and not html.exists(), result.output + result.stderr
        return
    page = " ".join(html.read_text(encoding="utf-8").split())
    assert shown not in page, shown


def test_check_of_a_few_huge_composed_nodes_stays_within_bounds(project: Path) -> None:
    """On main 2a743b7 the faithfulness check is bounded to 500 composed texts (nodes that are no whole piece);
    their length is not bounded. The tiny handout with 1,900 list items, and a template that doubles
    `doc.lang ~ " "` 19 times into a 1.57-million-character string ("en en en …", under the 2-million value
    bound, built in 19 steps so the 10 s render limit never bites) and prints it in 6 distinct `<p>` nodes
    (9.4 MB, under the 10-million output bound). Each node is made of the view's pieces, so it is accepted —
    after every one of the ~1,900 pieces is searched for in it. Main 2a743b7: 5 such nodes made `handouts check`
    run 50 s with a maximum resident set of 1.18 GB, exit 0; 6 under a 1 GiB limit end in a MemoryError
    traceback. No input may take over 60 s or 1 GB. Run as the
    corpus runs commands: a fresh process under a 1 GiB address-space limit and a 60 s timeout."""

    path = project / HANDOUT
    items = "".join(f'          - id: i{n}\n            text: "Point number {n}."\n' for n in range(1900))
    old = '          - id: first\n            text: "The first point."\n'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, items, 1), encoding="utf-8")
    end = '{{ pair("p", doc.disclaimer_full) }}'
    _own_template(project, "handout.xml.j2", (end, end + '{% set ns = namespace(s=doc.lang ~ " ") %}{% for i in '
                                                     'range(19) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{% for k in '
                                                     'range(6) %}<p>{% for z in range(k) %}{{ doc.version }} '
                                                     '{% endfor %}{{ ns.s }}</p>{% endfor %}'))

    try:
        done = handouts("check", "--project", project, memory=1024 ** 3, timeout=60, cwd=project)
    except subprocess.TimeoutExpired:
        pytest.fail("handouts check ran over 60 s on six huge composed text nodes")
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1), done.stderr[-2000:]
