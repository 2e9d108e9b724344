"""The eighth hostile pass (issue 12): new inputs, none repeated from the seven earlier passes or their corpus.
Written against main 9506dfa; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, UI, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- approve records what the footer cannot hold ---------------------------------------------------------------
def test_approve_refuses_a_name_and_role_too_wide_for_the_footer(project: Path) -> None:
    """`approve --reviewer WWW…(80) --role WWW…(80)` of the handout, its ui.yaml and facts.yaml: each is at the
    80-character limit, every character is one the fonts draw, so on main 9506dfa approve said "approved"
    (exit 0) three times. The next `build` fails: "review.role: … makes the approval line 827 pt wide, more than
    the 505 pt of the narrowest page … approve again with a shorter --role" — a clinic cannot print anything
    until the reviewer approves again. The issue: approve must refuse what no build can draw; the limit counts
    characters while the footer is measured in points (a W is four times an i)."""
    wide = "W" * 80
    result = run("approve", "--project", project, "--reviewer", wide, "--role", wide,
                 project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(result)
    if result.exit_code != 0:  # refused at approve, where it belongs, and nothing recorded
        assert result.exit_code in (1, 2) and "review:\n  status: draft" in (project / HANDOUT).read_text()
        return
    build = run("build", "-j", "1", "-q", "--project", project)
    no_traceback(build)
    assert build.exit_code == 0, build.output + build.stderr


# -- deceptive links: what the words show is not where the link goes -------------------------------------------
def _intro(project: Path, text: str) -> None:
    """Put `text` (a double-quoted YAML scalar's content) into the tiny handout's first paragraph."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    assert 'text: "An introduction."' in source
    path.write_text(source.replace('text: "An introduction."', f'text: "{text}"', 1), encoding="utf-8")


@pytest.mark.parametrize("link", [
    "[9\u200b88](tel:+15550000666)",  # a zero-width space between the digits
    "[Call 9\u200c8\u200d8](tel:+15550000666)",  # zero-width non-joiner and joiner
    "[9\u00ad88](tel:+15550000666)",  # a soft hyphen (drawn as nothing mid-line)
    "[9\u034f88](tel:+15550000666)",  # a combining grapheme joiner
    "[9\u20108\u20108](tel:+15550000666)",  # U+2010 HYPHEN, how typesetting writes 9-8-8
    "[98\u20118](tel:+15550000666)",  # U+2011 NON-BREAKING HYPHEN: "98" and "8" are each too short to count
    "[clinic\u200b.example.org](https://evil.example/)",
    "[help@clinic.example.org](mailto:help@clinic.example.org?bcc=spy@evil.example)",
])
def test_a_link_cannot_show_a_number_or_address_split_by_invisible_or_dash_characters(project: Path,
                                                                                      link: str) -> None:
    """The seventh pass made link words read NFKC-folded, in any script. Characters that draw nothing still
    split what the patient sees: `[9\\u200b88](tel:+15550000666)` prints "988" (page 1 at 110 dpi, looked at)
    and its annotation dials +1 555 000 0666; the same with U+200C/U+200D, a soft hyphen and U+034F. A number
    written with typographic hyphens `9‐8‐8` (U+2010) or `98‑8` (U+2011) is no number to _SHOWN_PHONE (its
    separators are ASCII `-`, space, `.`, parentheses), and a number of two digits is "too short" to count.
    `[clinic​.example.org](https://evil.example/)` shows the clinic's site and opens another; a mailto whose
    words show the clinic's address and whose `?bcc=` sends a copy of the patient's mail elsewhere passes
    too (the comparison cuts the address at `?`). On main 9506dfa `check` and `build` passed every one."""
    _intro(project, f"Call {link} now.")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, f"{link!r} passed check"
    assert "tiny.yaml:17:" in result.stderr, result.stderr


# -- the front desk: an edit it does not see ---------------------------------------------------------------------
def test_the_desk_serves_the_edited_text_when_an_edit_keeps_the_file_s_size_and_time(project: Path) -> None:
    """The desk served tiny.pdf; then content/en/tiny.yaml was edited, one digit for another ("Take 10 mg." →
    "Take 90 mg.", the same size), with the same modification time — what two saves within one timestamp tick
    give (FAT/exFAT keep 2 s, SMB shares and coarse kernel clocks a few ms), and what `cp -p`, `rsync -t`,
    `tar x` or `unzip` of a translator's package give when its file had that time. On main 9506dfa the desk
    answered with the old PDF ("10 mg"): serve/catalog._signature compares only each file's size and mtime
    (not its change time or inode, which no copy can restore), so the project is not read again, and `is_built`
    judges the PDF current against the old text. The check cache guards exactly this (RACY_SECONDS, ctime,
    a hash of every small file); the desk must not hand out a dose the content no longer says."""
    import io
    import os

    from pypdf import PdfReader

    from generator.serve.app import create_app

    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace("An introduction.", "Take 10 mg.", 1),
                       encoding="utf-8")
    app = create_app(project, None, False, "127.0.0.1", 8000, "", lambda line: None)
    client = app.test_client()
    first = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert first.status_code == 200
    assert "Take 10 mg." in PdfReader(io.BytesIO(first.data)).pages[0].extract_text()
    before = handout.stat()
    handout.write_text(handout.read_text(encoding="utf-8").replace("Take 10 mg.", "Take 90 mg.", 1),
                       encoding="utf-8")
    os.utime(handout, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert handout.stat().st_size == before.st_size
    again = client.get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    if again.status_code == 200:
        text = PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
        assert "Take 10 mg." not in text and "Take 90 mg." in text, "the desk served the old dose"


# -- --watch: an input it does not look at -----------------------------------------------------------------------
def test_watch_rebuilds_when_the_clinic_s_logo_is_replaced(project: Path) -> None:
    """handouts.yaml names `logo: logo.png` (a PNG at the project's root, as docs suggest for a clinic's
    branding). `build --watch` built tiny.pdf; then the clinic replaced logo.png by its new logo (another
    picture, same name). On main 9506dfa the watch never rebuilt: watch.watched_files polls handouts.yaml,
    content/**/*.yaml and templates/ only, while the logo is an input of every PDF (incremental.inputs_fingerprint
    hashes it, and a plain `build` afterwards says "built 1"). The guarantee: --watch tracks every file a build
    reads, so the PDF on disk (and the one the desk serves from it) is never the old one."""
    import threading
    import time

    from PIL import Image
    from pypdf import PdfReader

    from generator.build import Selection
    from generator.watch import watch

    Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, Selection(jobs=1), lambda m, err=False: lines.append(m),
                                                  stop), kwargs={"interval": 0.05})
    thread.start()

    def built(count: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while sum("built 1, skipped 0" in line for line in lines) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    try:
        assert built(1, 60), "\n".join(lines)
        first = (project / "output/en/tiny.pdf").read_bytes()
        Image.new("RGB", (300, 100), (200, 30, 30)).save(project / ".logo-new.png")
        (project / ".logo-new.png").rename(project / "logo.png")
        rebuilt = built(2, 8)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert rebuilt and (project / "output/en/tiny.pdf").read_bytes() != first, "\n".join(lines)
    assert PdfReader(project / "output/en/tiny.pdf").pages  # whole


# -- a project template: whole units, put where they do not belong ------------------------------------------------
def test_a_template_cannot_pair_a_table_row_with_another_row_s_cells(project: Path) -> None:
    """A table "Taken with | Is it safe?" with rows "With alcohol | Dangerous: never combine" and "With water |
    Safe to combine". The project's `handout.xml.j2` prints each row's first cell with the *next* row's other
    cells (`block.rows[(loop.index0 + 1) % n]`). Every cell is one whole unit, every unit is printed, so
    render/faithful.py is satisfied: on main 9506dfa `check` said ok and, approved, `build --release` printed
    "With alcohol  Safe to combine" under "Reviewed … MD". The faithfulness check compares words, never where a
    unit stands; a reviewer approved which answer belongs to which row. Whatever the template arranges, a
    table's cells stay in their own rows (and a unit under its own heading, an item in its own list)."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8")
    text = text.replace('            cells: {topic: "How fast", answer: "Within hours"}',
                        '            cells: {topic: "With alcohol", answer: "Dangerous: never combine"}\n'
                        '          - id: water\n'
                        '            cells: {topic: "With water", answer: "Safe to combine"}')
    path.write_text(text.replace("{id: topic, text: Topic}", "{id: topic, text: Taken with}")
                    .replace("{id: answer, text: Answer}", '{id: answer, text: "Is it safe?"}'), encoding="utf-8")
    source = (Path(__file__).resolve().parents[2] / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '      <row>{% for cell in row %}{{ pair("cell", cell) }}{% endfor %}</row>'
    new = ('      {%- set other = block.rows[(loop.index0 + 1) % (block.rows|length)] %}<row>{{ pair("cell", row[0]) }}'
           '{% for cell in other %}{% if not loop.first %}{{ pair("cell", cell) }}{% endif %}{% endfor %}</row>')
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(source.replace(old, new), encoding="utf-8")
    approved = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "MD",
                   project / UI, project / "content/facts.yaml", project / HANDOUT)
    assert approved.exit_code == 0, approved.output + approved.stderr
    result = run("build", "-j", "1", "--release", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output + result.stderr
        return
    from tests.hardening.hostile import all_text, squeeze

    text = squeeze(all_text(project / "output/en/tiny.pdf"))
    assert "Reviewed" in all_text(project / "output/en/tiny.pdf")
    assert squeeze("With alcohol Dangerous: never combine") in text, "the rows' answers were swapped"


# -- translate sync: a translator's text replaced by the source's ------------------------------------------------
def test_sync_keeps_the_translation_of_a_list_the_source_turns_into_a_checklist(project: Path) -> None:
    """Spanish is started (`translate new es`), its list item translated ("El primer punto.") and marked done.
    Then the English author turns `- list: points` into `- checklist: points` (bullets become boxes; not a
    word changes). `translate sync es` on main 9506dfa said "updated: content/es/tiny.yaml", exit 0, and
    replaced the block with a copy of the English one: "El primer punto." is gone, the Spanish file holds "The
    first point.", and because the unit's ID and its source text are unchanged, its translation record still
    says current — `status` shows es 15/15 translated, `check` passes and the Spanish PDF prints English.
    sync.reconcile matches blocks by (kind, ID), so a kind change is a removed block plus a new one, and the
    "removed" report compares unit IDs only. Nothing of a translator's is lost silently, and English is never
    substituted: the unit IDs are the same, the translation must stay."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"The first point."', '"El primer punto."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace("- list: points", "- checklist: points"),
                      encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    text = spanish.read_text(encoding="utf-8")
    if result.exit_code == 0:
        assert "El primer punto." in text and "The first point." not in text, result.output
    else:  # refused, saying why, with the translator's file untouched
        assert result.exit_code == 1 and "El primer punto." in text, result.output + result.stderr
