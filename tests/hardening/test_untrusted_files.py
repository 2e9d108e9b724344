"""Every command treats the project's files, the output folder and the files it is given as untrusted: bounded
reads of regular files only, atomic writes that keep line endings and modes, fonts and logos within bounds,
verify that tells an altered file from the one the generator made, incremental builds that see every template.
"""

from __future__ import annotations

import io
import stat
import struct
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.conftest import REPO, run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy

APPROVE = ("--reviewer", "Dr. Jane Doe", "--role", "MD")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- approve: the review block, by YAML's own positions, in the file's own style ---------------------------
def test_approve_keeps_crlf_line_endings_and_the_mode(project: Path) -> None:
    path = project / HANDOUT
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    path.chmod(0o640)
    result = run("approve", path, *APPROVE, "--project", project)
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and b'reviewer: "Dr. Jane Doe"\r\n' in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert run("check", "--project", project).exit_code == 0


def test_approve_refuses_a_read_only_file(project: Path) -> None:
    path = project / HANDOUT
    before = path.read_bytes()
    path.chmod(0o444)
    result = run("approve", path, *APPROVE, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "is read-only; nothing was changed" in result.stderr
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_approve_with_a_yaml_line_break_inside_a_comment(project: Path, separator: str) -> None:
    """YAML breaks lines at U+2028, U+2029 and NEL: a comment ending in one once made approve shift the review
    block. Since the tenth pass such a break (which can hide an entry inside what an editor shows as a comment)
    is refused wherever it stands: approve says where, and the file is left exactly as it was."""
    path = project / HANDOUT
    text = path.read_text(encoding="utf-8").replace("review:\n", f"# reviewed soon{separator}\nreview:\n", 1)
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result = run("approve", path, *APPROVE, "--project", project)
    assert result.exit_code == 1 and "YAML ends a line there" in result.output + result.stderr, result.output
    assert "Traceback" not in result.output and path.read_bytes() == before


# -- translate: atomic, same line endings and mode ----------------------------------------------------------
def test_translate_done_keeps_crlf_and_mode(project: Path) -> None:
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    path = project / "content" / "es" / "tiny.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    path.chmod(0o600)
    result = run("translate", "done", "es", "--all", "--project", project)
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(project.rglob("*.tmp"))


def test_translate_done_and_sync_keep_each_line_s_own_ending_in_a_mixed_file(project: Path) -> None:
    """Third hostile pass: a file mixing CRLF and LF came back all LF (or all CRLF) from `translate done`."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    path = project / "content" / "es" / "tiny.yaml"
    lines = path.read_bytes().split(b"\n")
    mixed = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines[:-1])) + lines[-1]
    path.write_bytes(b"# a translator's note\r\n# still the note\n" + mixed)  # (a NEL here is refused now)
    before = path.read_bytes()
    for command in (("done", "es", "--all"), ("sync", "es")):
        result = run("translate", *command, "--project", project)
        assert result.exit_code == 0, result.output
    after = path.read_bytes()
    # Every line before the record `translate` keeps is the translator's, byte for byte.
    cut = before.index(b"translation:")
    assert after[:cut] == before[:cut]
    assert after.count(b"\r\n") >= before[:cut].count(b"\r\n")
    assert run("check", "--project", project).exit_code == 0


def test_translate_new_leaves_no_folder_when_refused(project: Path) -> None:
    bad = project / "content" / "en" / "tiny.yaml"
    bad.write_text("handout: tiny\ntitle: \"unclosed\n", encoding="utf-8")
    result = run("translate", "new", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and not (project / "content" / "es").exists()


# -- fonts -----------------------------------------------------------------------------------------------
def _font_with_cmap(groups: list[tuple[int, int, int]], dest: Path) -> None:
    """The shipped Noto Sans with its cmap replaced by one format 12 subtable of the given groups."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    font = TTFont(REPO / "templates" / "fonts" / "noto-sans" / "NotoSans-Regular.ttf")
    sub = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    sub += b"".join(struct.pack(">III", *group) for group in groups)
    table = DefaultTable("cmap")
    table.data = struct.pack(">HH", 0, 1) + struct.pack(">HHI", 3, 10, 12) + sub
    font["cmap"] = table
    font.save(dest)


@pytest.mark.parametrize("groups", [[(0x20, 0x7E, 3), (0x80, 0x7FFFFFFF, 1)], [(0x20, 0x10FFFF, 3)]])
def test_font_with_a_crafted_cmap_is_refused_quickly(project: Path, groups: list[tuple[int, int, int]]) -> None:
    """A cmap mapping billions of code points once took 36 s and 6 GB; it is refused before it is expanded."""
    fonts = project / "templates" / "fonts" / "noto-sans"
    fonts.mkdir(parents=True)
    for name in ("fonts.yaml",):
        (project / "templates" / name).write_bytes((REPO / "templates" / name).read_bytes())
    for face in ("Bold", "Italic", "BoldItalic"):
        name = f"NotoSans-{face}.ttf"
        (fonts / name).write_bytes((REPO / "templates" / "fonts" / "noto-sans" / name).read_bytes())
    _font_with_cmap(groups, fonts / "NotoSans-Regular.ttf")
    for command in ("check", "build"):
        result = run(command, "--project", project)
        no_traceback(result)
        assert result.exit_code == 1
        assert "NotoSans-Regular.ttf: cannot be used as a font (the 'cmap' table maps" in result.stderr


# -- the logo: decoded once, embedded scaled down ----------------------------------------------------------
def test_a_large_logo_is_embedded_scaled_down(project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4000, 3000), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "1")
    assert result.exit_code == 0, result.output
    heights = [int(x.image.height) for page in PdfReader(project / "output" / "en" / "tiny.pdf").pages
               for x in page.images]
    assert heights == [600]


# -- verify: the very file the generator made, or an altered one ---------------------------------------------
def _overlay(pdf: Path, dest: Path) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(60, 400, "TAKE TEN TIMES THE DOSE")
    sheet.save()
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    writer.write(dest)


def _javascript(pdf: Path, dest: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(pdf))
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hello');")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)  # noqa: SLF001 - no public API
    writer.write(dest)


def test_verify_tells_an_altered_pdf_from_the_authentic_one(project: Path, tmp_path: Path) -> None:
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    pdf = project / "output" / "en" / "tiny.pdf"
    copy, overlaid, scripted = tmp_path / "copy.pdf", tmp_path / "overlaid.pdf", tmp_path / "scripted.pdf"
    copy.write_bytes(pdf.read_bytes())
    _overlay(pdf, overlaid)
    _javascript(pdf, scripted)
    assert "TAKE TEN TIMES THE DOSE" in PdfReader(overlaid).pages[0].extract_text()
    result = run("verify", pdf, copy, overlaid, scripted, "--project", project)
    assert result.exit_code == 1
    assert f"{pdf}: current (identical)" in result.output
    assert f"{copy}: current (identical)" in result.output
    assert f"{overlaid}: content current but this file was altered" in result.output
    assert f"{scripted}: content current but this file was altered" in result.output


def test_verify_finds_a_file_built_elsewhere_by_rendering_it_again(project: Path, tmp_path: Path) -> None:
    """A file built into another folder (A4 paper) is in no manifest verify knows: a fresh render proves it."""
    assert run("build", "--project", project, "--paper", "a4", "--out", tmp_path / "print").exit_code == 0
    moved = tmp_path / "handed-in.pdf"
    moved.write_bytes((tmp_path / "print" / "en" / "tiny.pdf").read_bytes())
    result = run("verify", moved, "--project", project)
    assert result.exit_code == 0 and f"{moved}: current (identical)" in result.output


# -- incremental builds see every template ---------------------------------------------------------------
def test_an_edit_to_an_included_template_rebuilds(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    main = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    (templates / "handout.xml.j2").write_text(main.replace("<titleblock>", "<titleblock>{% include 'part.j2' %}", 1),
                                              encoding="utf-8")
    (templates / "part.j2").write_text("", encoding="utf-8")
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    # A template arranges the handout's own words (render/faithful.py): here the clinic's name and the version,
    # as a marker (the handout's ID is no word of the handout's: ninth pass).
    part = "<clinic><v>{{ doc.clinic_name }} / {{ doc.version }} / {{ doc.clinic_name }}</v></clinic>"
    (templates / "part.j2").write_text(part, encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "1")
    assert result.exit_code == 0 and "built 1, skipped 0" in result.output
    assert "Tiny Test Clinic / " in PdfReader(project / "output" / "en" / "tiny.pdf").pages[0].extract_text()


def test_watch_sees_a_newly_added_template(project: Path) -> None:
    import threading
    import time

    from generator.build import Selection
    from generator.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, Selection(jobs=1), lambda m, err=False: lines.append(m),
                                                  stop), kwargs={"interval": 0.05})
    thread.start()

    def wait_for(text: str, count: int) -> None:
        deadline = time.monotonic() + 60
        while sum(text in line for line in lines) < count:
            assert time.monotonic() < deadline, "\n".join(lines)
            time.sleep(0.05)

    try:
        wait_for("built 1, skipped 0", 1)
        staged = project / "staged"  # both files appear at once, as a saved folder does
        staged.mkdir()
        main = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
        (staged / "part.j2").write_text("<clinic><v>{{ doc.clinic_name }} / {{ doc.clinic_name }}</v></clinic>",
                                        encoding="utf-8")
        (staged / "handout.xml.j2").write_text(
            main.replace("<titleblock>", "<titleblock>{% include 'part.j2' %}", 1), encoding="utf-8")
        staged.rename(project / "templates")
        wait_for("built 1, skipped 0", 2)
    finally:
        stop.set()
        thread.join(timeout=30)
    first_page = PdfReader(project / "output" / "en" / "tiny.pdf").pages[0].extract_text()
    assert "Tiny Test Clinic / Tiny Test Clinic" in first_page


def test_a_template_loop_is_bounded_in_time_outside_the_main_thread(project: Path, monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:
    """Where no timer signal can fire (a render in a server's worker thread), a loop that calls nothing still
    stops at the time bound."""
    import threading

    import jinja2

    from generator.content.limits import TimeLimit
    from generator.render import sandbox

    monkeypatch.setattr(sandbox, "SECONDS", 1.0)
    env = sandbox.BoundedSandbox(undefined=jinja2.StrictUndefined)
    loops = env.from_string("{% set x = range(100000)|list %}{% for i in x %}{% for j in x %}{% endfor %}{% endfor %}")
    caught: list[BaseException] = []

    def render() -> None:
        try:
            sandbox.render_bounded(loops)
        except TimeLimit as exc:
            caught.append(exc)

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and caught
    ordinary = env.from_string("{% for a, b in [(1, 2)] %}{{ a }}{{ b }}{{ loop.length }}{% endfor %}"
                               "{% for i in [] %}x{% else %}empty{% endfor %}")
    assert sandbox.render_bounded(ordinary) == "121empty"
