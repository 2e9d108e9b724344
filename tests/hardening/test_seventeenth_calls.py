"""Judgement calls left open by the fifteenth and sixteenth passes, taken up in the seventeenth session (issue 12)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import declare, no_traceback, own_template, refused_by_check_and_build, tiny_copy

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


NOT_A_FOLDER = "content/pt is not a folder"


@pytest.mark.parametrize("command", [
    ("check",), ("build",), ("status",), ("translate", "new", "pt"), ("translate", "sync", "pt"),
    ("translate", "done", "pt", "--all"), ("translate", "review", "pt"),
    ("translate", "export", "pt", "-o", "pt.po"),
])
def test_a_language_that_is_a_file_is_named_as_such_by_every_command(project: Path, command: tuple[str, ...]) -> None:
    """`content/pt` a file: check said "cannot be read; chmod u+rx", `new` "exists; use sync" and `sync` "does
    not exist; use new" (a loop of advice), status "missing" with exit 0."""
    declare(project, "pt")
    (project / "content/pt").write_text("a note to self\n", encoding="utf-8")
    result = run(*command, "--project", project)
    no_traceback(result)
    said = result.stderr.replace("content/pt: is not", NOT_A_FOLDER)
    assert result.exit_code == 1 and NOT_A_FOLDER in said and "translate new pt" in said, result.stderr
    assert (project / "content/pt").read_text(encoding="utf-8") == "a note to self\n"
    assert not (project / "output").exists() and not (project / "pt.po").exists()


@pytest.mark.parametrize("command", [("build",), ("translate", "review", "en"), ("serve",), ("print", "tiny")])
def test_an_output_folder_in_a_link_loop_is_named_as_one(project: Path, command: tuple[str, ...]) -> None:
    """`--out loop` (loop → other → loop): build said the folder was "inside the project's own files"."""
    os.symlink("other", project.parent / "loop")
    os.symlink("loop", project.parent / "other")
    for out in ("loop", "loop/sub"):
        result = run(*command, "--project", project, "--out", project.parent / out)
        no_traceback(result)
        assert result.exit_code == 2 and "a link loop" in result.stderr, result.stderr
        assert "own files" not in result.stderr


@pytest.mark.parametrize("command", [("translate", "export", "es", "--format", "po"),
                                     ("translate", "export", "es", "--format", "xliff"), ("translate", "template")])
def test_an_exchange_file_is_named_as_one_so_nothing_else_is_replaced(project: Path,
                                                                       command: tuple[str, ...]) -> None:
    """`translate export es --format po -o output/manifest.json` replaced the build's manifest (the next build
    then refused it as foreign); so would `-o handout.pdf`. An exchange file is named for its kind."""
    assert run("build", "--project", project).exit_code == 0
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    out = project / "output"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for victim in [out / "manifest.json", *(p for p in before if p.suffix == ".pdf")]:
        result = run(*command, "-o", victim, "--project", project)
        no_traceback(result)
        assert result.exit_code == 2 and "name it" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


CURRENT = '    {{ pair("contact", doc.current) }}\n'
SOURCES = ('    <sources>\n      {{ pair("subheading", doc.sources_heading) }}\n      <p id="sources">{% for source in '
           'doc.sources %}<v>{{ source }}</v>{% if not loop.last %} · {% endif %}{% endfor %}</p>\n    </sources>\n')


@pytest.mark.parametrize(("edit", "named"), [
    ((CURRENT, ""), "en current"),
    (('    {{ pair("contact", doc.contact) }}\n', ""), "en contact"),
    (('    {{ pair("p", line) }}\n', ""), "en contact.phone"),
    (('    {{ pair("heading", doc.contact_heading) }}\n', ""), "en heading.contact"),
    (('    {{ pair("p", doc.provenance) }}\n', ""), "en provenance"),
    ((SOURCES, ""), "en heading.sources"),
    (('<v>{{ source }}</v>{% if not loop.last %} · {% endif %}', ""), "An example source"),
    (('    {{ pair("p", doc.web_line) }}\n', ""), "en editions.web"),
    (('<provenance payload="{{ doc.verify_payload }}">', '<section id="provenance">'), "<provenance>"),
])
def test_a_template_may_not_leave_out_what_a_patient_acts_on(project: Path, edit: tuple[str, str],
                                                             named: str) -> None:
    """A project template left out the clinic's phone, "Current as of", the provenance line and QR code, or the
    Sources, and `check` and `build --release` passed: a handout nobody can call about, date or trace."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "web_url: https://clinic.example.org/h/{lang}/"
                        "{handout}.html\n", encoding="utf-8")
    old, new = edit
    if new == '<section id="provenance">':
        own_template(project, "handout.xml.j2", (old, new), ("  </provenance>", "  </section>"))
    else:
        own_template(project, "handout.xml.j2", (old, new))
    source = (project / "content/en/tiny.yaml").read_text(encoding="utf-8")
    assert named != "An example source" or "An example source" in source, source
    refused_by_check_and_build(project, named)


@pytest.mark.parametrize(("old", "named"), [
    ('<p class="contact">{{ doc.current | html_inline }}</p>\n', "en current"),
    ('<li><bdi>{{ source }}</bdi></li>\n', "An example source"),
    ("{{ qr }}\n", "QR code"),
])
def test_an_html_template_may_not_leave_them_out_either(project: Path, old: str, named: str) -> None:
    """The HTML companion's own template, likewise."""
    own_template(project, "handout.html.j2", (old, ""))
    result = run("build", "--format", "html", "--project", project, "--out", project / "out")
    no_traceback(result)
    assert result.exit_code == 1 and named in result.stderr, result.stderr
    assert not (project / "out").exists()


def test_a_template_may_not_leave_out_the_other_editions(tmp_path: Path) -> None:
    """The line naming the handout's other languages (in their own scripts) tells a patient it exists in theirs."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "handouts.yaml", project / "handouts.yaml")
    own_template(project, "handout.xml.j2", ('    {{ pair("p", doc.editions_label) }}\n', ""))
    result = run("build", "--project", project, "--out", project / "out", "--lang", "es", "-j", "1", "microdosing")
    no_traceback(result)
    assert result.exit_code == 1 and "editions.languages: " in result.stderr, result.stderr


LIST_ITEMS = '      {%- for item in block["items"] %}\n      {{ pair("item", item) }}\n      {%- endfor %}\n'
SHIFTED = ('      {%- for item in block["items"] %}\n      <item id="{{ item.id }}">{{ item | inline }}</item>'
           '{% if second and not loop.first %}<item id="{{ item.id }}" second="yes" lang="{{ second.lang }}">'
           '{{ second.unit(loop.previtem.id) | inline }}</item>{% endif %}\n      {%- endfor %}'
           '{% if second %}<item id="x" second="yes" lang="{{ second.lang }}">'
           '{{ second.unit(block["items"][-1].id) | inline }}</item>{% endif %}\n')


def test_a_bilingual_template_prints_each_translation_under_its_own_unit(tmp_path: Path) -> None:
    """Each list item's translation printed under the next item: both languages in their own order, every
    unit there, and each English instruction paired with the Spanish of the one before it."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "handouts.yaml", project / "handouts.yaml")
    own_template(project, "handout.xml.j2", (LIST_ITEMS, SHIFTED))
    out = project / "out"
    result = run("build", "--project", project, "--out", out, "--lang", "es", "--bilingual", "en", "-j", "1",
                 "microdosing")
    no_traceback(result)
    assert result.exit_code == 1 and "out of the handout's order" in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.parametrize("line", ['{{ item | inline }} ·', '· {{ item | inline }}', '({{ item | inline }})'])
def test_a_unit_printed_again_inside_a_composed_line_is_counted(project: Path, line: str) -> None:
    """The sixteenth pass refused "The first point." printed again under Safety on a line of its own; printed
    again with a middle dot beside it ("The first point. ·"), it was not counted and passed."""
    own_template(project, "handout.xml.j2", (
        '{{ pair("heading", section.heading) }}\n    {%- if section.id == "help" %}',
        '{{ pair("heading", section.heading) }}\n    {%- if section.id == "safety" %}'
        '{% set item = doc.sections[0].blocks[2]["items"][0] %}<p>' + line + '</p>{% endif %}\n'
        '    {%- if section.id == "help" %}'))
    refused_by_check_and_build(project, "more often than the handout holds it")


def test_a_title_worded_as_a_heading_still_prints(project: Path) -> None:
    """The footer's line names the title; a heading worded as the title is not printed "more often" for it."""
    path = project / "content/en/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text: "More to know"', 'text: "A tiny handout"', 1), encoding="utf-8")
    result = run("build", "--format", "pdf,html", "--project", project, "--out", project / "out")
    assert result.exit_code == 0, result.stderr


BODY = "  body: {size: 12, leading: 15.6, space_after: 4}"
LARGE_ITEM = "    item: {size: 16, leading: 22.4, space_after: 3}"
CELL = "  cell: {size: 11, leading: 14.3}"


@pytest.mark.parametrize(("old", "new", "edition"), [
    (BODY, BODY.replace("}", ", bold: true}"), ()),
    (LARGE_ITEM, LARGE_ITEM.replace("}", ", bold: yes}"), ("--large-print",)),
    (CELL, CELL.replace("}", ", bold: true}"), ()),
])
def test_text_carrying_the_content_s_bold_words_is_not_set_in_bold(project: Path, old: str, new: str,
                                                                    edition: tuple[str, ...]) -> None:
    """style.yaml set the body (or list items, or table cells) in bold: "Do **not** drive" printed with its "not"
    no different from the rest, and `check` passed."""
    (project / "templates").mkdir()
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    assert old in style
    (project / "templates/style.yaml").write_text(style.replace(old, new, 1), encoding="utf-8")
    refused_by_check_and_build(project, "the content's own bold words", *edition)


def _family(project: Path, regular: Path, bold: Path) -> None:
    fonts = project / "templates/fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for face, path in (("regular", regular), ("bold", bold)):
        (fonts / f"{face}.ttf").write_bytes(path.read_bytes())
    (fonts / "OFL.txt").write_text("the faces' licences are the shipped ones\n", encoding="utf-8")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  mixed:\n    regular: fonts/regular.ttf\n    bold: fonts/bold.ttf\n"
        "languages:\n  en: {family: mixed, direction: ltr, breaking: words}\n", encoding="utf-8")


def test_a_bold_face_of_another_regular_design_is_refused(project: Path, tmp_path: Path) -> None:
    """fonts.yaml naming DejaVu Sans (a regular weight) as Noto Sans's bold printed "Do **not** drive" and every
    heading as the rest; a real bold face (here Noto Sans Bold, subset so it is no copy of the shipped file)
    passes."""
    from fontTools import subset

    shipped = REPO / "templates/fonts"
    _family(project, shipped / "noto-sans/NotoSans-Regular.ttf", shipped / "dejavu-sans/DejaVuSans.ttf")
    refused_by_check_and_build(project, "draws 1.0")
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    font = subset.load_font(str(shipped / "noto-sans/NotoSans-Bold.ttf"), options)
    subsetter.populate(unicodes=[*range(0x20, 0x250), *range(0x2000, 0x2070), 0x2122, 0x2212])
    subsetter.subset(font)
    cut = tmp_path / "bold-cut.ttf"
    subset.save_font(font, str(cut), options)
    _family(project, shipped / "noto-sans/NotoSans-Regular.ttf", cut)
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("home", ["", "relative/home"])
def test_an_empty_home_never_puts_the_cache_in_the_root_folder(monkeypatch: pytest.MonkeyPatch, home: str) -> None:
    """`HOME= handouts build` run as root made /.cache/patient-handouts (Python reads an empty HOME as "/"; found
    by the seventeenth pass, part A): the cache is in the user's home from the password database then."""
    import pwd

    from generator.content.seal import cache_dir

    monkeypatch.delenv("HANDOUTS_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    assert cache_dir() == Path(pwd.getpwuid(os.geteuid()).pw_dir) / ".cache" / "patient-handouts"


@pytest.mark.parametrize("phone", ["+1 555\u200b010 0100", "+1 555 010\u00ad0100", "+1 5\u030155 010 0100"])
def test_an_invisible_character_in_the_clinic_s_phone_is_refused(project: Path, phone: str) -> None:
    """A zero-width space inside the clinic's phone number passed `check` (seventeenth pass, part A): printed, it
    looks like the number; copied into a phone, searched or read aloud, it is another."""
    settings = project / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    assert 'phone: "+1 555 010 0100"' in text
    settings.write_text(text.replace('phone: "+1 555 010 0100"', f'phone: "{phone}"'), encoding="utf-8")
    refused_by_check_and_build(project, "the phone number holds an invisible character")


def test_an_approval_drops_the_note_translate_new_started_the_file_with(project: Path) -> None:
    """The approved Spanish file still said "Not translated yet: every unit still holds the source text." in its
    review record (eighteenth pass, part A): an approval leaves out that note, and keeps any other."""
    from generator.content.translation import STARTED_NOTE

    path = project / "content/en/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  status: draft\n", f'  status: draft\n  note: "{STARTED_NOTE}"\n', 1),
                    encoding="utf-8")
    result = run("approve", path, "--reviewer", "Test Reviewer", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.stderr
    approved = path.read_text(encoding="utf-8")
    assert "status: approved" in approved and STARTED_NOTE not in approved and "note:" not in approved


@pytest.mark.parametrize("border", ["#ffffff", "#fdf1e6", "#c8c8c8"])
def test_the_help_box_border_stands_out_from_the_paper(project: Path, border: str) -> None:
    """style.yaml `callout_background` and `callout_border` both white made the help box, which patients are told
    to look for, vanish (seventeenth pass, part B): its border keeps 3:1 against white paper."""
    (project / "templates").mkdir()
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    assert 'callout_border: "#b35900"' in style
    (project / "templates/style.yaml").write_text(style.replace('callout_border: "#b35900"',
                                                                f'callout_border: "{border}"'), encoding="utf-8")
    refused_by_check_and_build(project, "colors.callout_border has a contrast of")


@pytest.mark.parametrize("order", ["1", "32767", " 5", "+1"])
def test_an_html_template_keeps_the_keyboard_in_reading_order(project: Path, order: str) -> None:
    """A positive `tabindex` (on the help box, say) moved a keyboard user's focus there before the title and the
    instructions (a judgement call of the nineteenth pass, part B): 0 and -1 only."""
    own_template(project, "handout.html.j2", ('role="region" aria-labelledby="{{ caption }}" tabindex="0"',
                                              f'role="region" aria-labelledby="{{{{ caption }}}}" tabindex="{order}"'))
    result = run("build", "--format", "html", "--project", project, "--out", project / "out")
    no_traceback(result)
    assert result.exit_code == 1 and "moves the keyboard's focus" in result.stderr, result.stderr


def test_an_empty_language_code_for_sources_is_a_usage_error(project: Path) -> None:
    """`handouts sources tiny --lang=` listed the source language's statements as if no --lang were given
    (nineteenth pass, part A): an empty code is no code."""
    result = run("sources", "tiny", "--lang=", "--project", project)
    no_traceback(result)
    assert result.exit_code == 2 and "'' is not a language code" in result.stderr, result.stderr
    assert run("sources", "tiny", "--project", project).exit_code == 0


def test_a_next_review_of_today_says_the_first_day_it_may_be(project: Path) -> None:
    """`--next-review` of today was refused as "not between today and 2 years from now", which reads as if today
    were allowed (nineteenth pass, part A): the message names the first day allowed."""
    import datetime

    today = datetime.date.today()
    result = run("approve", project / "content/en/tiny.yaml", "--reviewer", "Dr. Jane Doe", "--role", "MD",
                 "--next-review", today.isoformat(), "--project", project)
    no_traceback(result)
    first = (today + datetime.timedelta(days=1)).isoformat()
    assert result.exit_code == 1 and f"give a date from {first}" in result.stderr, result.stderr
