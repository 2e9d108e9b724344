"""The second hostile pass (issue 12): new variants of every defect class, each found once and fixed as a class.

Fonts whose declared counts make ReportLab or fontTools loop for hours (in any thread: the front desk renders
in its request threads), the check cache and the manifest as untrusted files, exchange files whose size makes a
parser quadratic, project files linked out of the project that `translate export` and `lint` read, verify
trusting a manifest planted beside a forged file, the front desk writing through a linked output folder, usage
errors echoing escape sequences, a template squaring integers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable

from generator.cli import main
from tests.conftest import REPO, run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy
from tests.helpers import own_style

NOTO = REPO / "templates" / "fonts" / "noto-sans"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- fonts: every count a parser loops over is bounded before it parses ------------------------------------
def _cmap(records: list[tuple[int, int, bytes]]) -> bytes:
    head, blob = struct.pack(">HH", 0, len(records)), b""
    offset = 4 + 8 * len(records)
    for platform, encoding, sub in records:
        head += struct.pack(">HHI", platform, encoding, offset + len(blob))
        blob += sub + b"\0" * (-len(sub) % 4)
    return head + blob


def _format12(groups: list[tuple[int, int, int]]) -> bytes:
    body = b"".join(struct.pack(">III", *group) for group in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


def _format4_full_ranges(segments: int) -> bytes:
    """`segments` segments each mapping 0..0xFFFE: ReportLab and fontTools visit segments × 65,535 points."""
    n = segments + 1
    body = struct.pack(">HHHH", 2 * n, 0, 0, 0) + struct.pack(f">{n}H", *([0xFFFE] * segments + [0xFFFF])) + b"\0\0"
    body += struct.pack(f">{n}H", *([0] * segments + [0xFFFF])) + struct.pack(f">{n}h", *[1] * n)
    body += struct.pack(f">{n}H", *[0] * n)
    return struct.pack(">HHH", 4, min(6 + len(body), 0xFFFF), 0) + body


def _format10(count: int) -> bytes:
    return struct.pack(">HHIIII", 10, 0, 20 + 2 * count, 0, 0, count) + b"\0\1" * count


BENIGN = _format12([(0x20, 0x7E, 3), (0xA0, 0x17F, 100)])
# ReportLab reads the LAST usable subtable, fontTools' getBestCmap prefers (3, 10): the hostile one is the one
# only ReportLab reads, so a check through fontTools alone never sees it.
CRAFTED_CMAPS = {
    "format 4, 8,000 full-range segments": _cmap([(3, 10, BENIGN), (3, 1, _format4_full_ranges(8_000))]),
    "format 10, 3 million entries": _cmap([(3, 10, BENIGN), (3, 1, _format10(3_000_000))]),
    "200 subtables": _cmap([(3, 10, BENIGN)] * 200),
}


def _font_project(project: Path, make_regular) -> Path:  # type: ignore[no-untyped-def]
    fonts = project / "templates" / "fonts" / "noto-sans"
    fonts.mkdir(parents=True)
    shutil.copy(REPO / "templates" / "fonts.yaml", project / "templates" / "fonts.yaml")
    for face in ("Bold", "Italic", "BoldItalic"):
        shutil.copy(NOTO / f"NotoSans-{face}.ttf", fonts)
    make_regular(fonts / "NotoSans-Regular.ttf")
    return fonts / "NotoSans-Regular.ttf"


def _with_cmap(raw: bytes):  # type: ignore[no-untyped-def]
    def make(dest: Path) -> None:
        font = TTFont(NOTO / "NotoSans-Regular.ttf")
        table = DefaultTable("cmap")
        table.data = raw
        font["cmap"] = table
        font.save(dest)
    return make


def _with_composite_chain(components: int, inside: bool):  # type: ignore[no-untyped-def]
    """The glyph of 'a' becomes a composite whose components run on for megabytes: past the glyph's own end
    (ReportLab's subsetter reads on regardless), or inside one enormous glyph (which it copies once per
    component). Glyph locations stay in order: only the composite check can refuse it."""
    def make(dest: Path) -> None:
        font = TTFont(NOTO / "NotoSans-Regular.ttf", recalcBBoxes=False, recalcTimestamp=False)
        count = font["maxp"].numGlyphs
        long = font["head"].indexToLocFormat == 1
        raw = font.reader["loca"][: (count + 1) * (4 if long else 2)]
        offsets = [o * (1 if long else 2) for o in struct.unpack(f">{count + 1}{'I' if long else 'H'}", raw)]
        glyf = font.reader["glyf"]
        letter = font.getGlyphID(font.getBestCmap()[ord("a")])
        chain = struct.pack(">hhhhh", -1, 0, 0, 100, 100) + struct.pack(">HHbb", 0x20, 0, 0, 0) * components
        chain += struct.pack(">HHbb", 0, 0, 0, 0)
        begin, end = offsets[letter], offsets[letter + 1]
        delta = len(chain) - (end - begin)
        offsets = offsets[:letter + 1] + [o + delta for o in offsets[letter + 1:]]
        if not inside:
            offsets[letter + 1] = begin + 20  # the glyph says it is 20 bytes long; its components go on
        table, locations = DefaultTable("glyf"), DefaultTable("loca")
        table.data, locations.data = glyf[:begin] + chain + glyf[end:], struct.pack(f">{count + 1}I", *offsets)
        font["glyf"], font["loca"] = table, locations
        font["head"].indexToLocFormat = 1
        font.save(dest)
    return make


@pytest.mark.parametrize("name", sorted(CRAFTED_CMAPS))
def test_a_cmap_only_reportlab_reads_is_bounded_too(project: Path, name: str) -> None:
    path = _font_project(project, _with_cmap(CRAFTED_CMAPS[name]))
    for command in ("check", "build"):
        result = run(command, "--project", project, *(["--jobs", "1"] if command == "build" else []))
        no_traceback(result)
        assert result.exit_code == 1, result.output
        assert f"{path}: cannot be used as a font (" in result.stderr
        assert "'cmap'" in result.stderr


@pytest.mark.parametrize("inside", [False, True], ids=["past-the-glyph", "enormous-glyph"])
def test_a_composite_glyph_that_never_ends_is_refused(project: Path, inside: bool) -> None:
    path = _font_project(project, _with_composite_chain(200_000, inside))
    result = run("build", "--project", project, "--jobs", "1")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{path}: cannot be used as a font (" in result.stderr
    assert "glyph" in result.stderr


def test_a_collection_declaring_millions_of_faces_is_refused(project: Path) -> None:
    def make(dest: Path) -> None:
        count = 2_000_000
        dest.write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, count) + struct.pack(">I", 12 + 4 * count) * count
                         + (NOTO / "NotoSans-Regular.ttf").read_bytes())
    path = _font_project(project, make)
    result = run("check", "--project", project)
    assert result.exit_code == 1 and f"{path}: cannot be used as a font (the collection declares" \
        in result.stderr, result.output


def test_the_shipped_fonts_pass_the_bounds() -> None:
    from generator.render.fontbounds import verified_font as _verified

    for path in sorted((REPO / "templates" / "fonts").rglob("*.tt[fc]")):
        data = path.read_bytes()
        faces = struct.unpack_from(">I", data, 8)[0] if data[:4] == b"ttcf" else 1
        for index in range(faces):
            _verified(data, index)


def test_the_time_bound_holds_in_any_thread() -> None:
    """The front desk renders in request threads, which no timer signal reaches: a loop that never calls back
    (as a font parser's) is still stopped there, and the bound leaves nothing behind once it is over."""
    from generator.content.limits import TimeLimit, deadline

    outcome: list[object] = []

    def spin() -> None:
        try:
            with deadline(0.2, "spinning"):
                while True:
                    pass
        except TimeLimit as exc:
            outcome.append(str(exc))
        with deadline(0.2, "a quick job"):
            pass
        time.sleep(1.0)  # a cancelled bound never fires later
        outcome.append("after")

    worker = threading.Thread(target=spin)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert outcome[0] == "spinning took more than 0.2 s" and outcome[1] == "after"


# -- the check cache and the manifest are untrusted files too ----------------------------------------------
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "deep-json"])
def test_a_hostile_check_cache_entry_is_ignored(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                kind: str) -> None:
    from generator.batch import checkcache

    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    entry = checkcache.cache_file(project)
    entry.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(entry)  # was read with read_text: every check and build hung here
    elif kind == "dev-zero":
        entry.symlink_to("/dev/zero")
    else:
        entry.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # a RecursionError traceback
    for _ in range(2):  # the second run reads the entry the first one replaced (a link or pipe: replaced too)
        result = run("check", "--project", project)
        no_traceback(result)
        assert result.exit_code == 0, result.output


FORGED = {  # third hostile pass: a recorded check edited by hand (each was a traceback, or reading elsewhere)
    "counts-empty": lambda d: d.update(counts={}),
    "warning-without-line": lambda d: d.update(warnings=[{"path": "x"}]),
    "warning-line-text": lambda d: d.update(warnings=[{"path": "x", "line": "x", "col": 1, "key": "k",
                                                      "message": "m", "hint": "h", "severity": "warning"}]),
    "warnings-text": lambda d: d.update(warnings="abc"),
    "plan-of-triples": lambda d: d.update(plans={k: [[1, 2, 3]] for k in d["plans"]} or {"x": [[1, 2, 3]]}),
    "plan-of-numbers": lambda d: d.update(plans={k: [5] for k in d["plans"]} or {"x": [5]}),
    "outside-file": lambda d: d["files"].update({"/usr/bin/../bin/env": [1, 0, 0, 0, "", True]}),
    "outside-file-plain": lambda d: d["files"].update({"/etc/hostname": [1, 0, 0, 0, "", True]}),
}


@pytest.mark.parametrize("kind", sorted(FORGED))
def test_a_forged_check_cache_entry_is_ignored(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               kind: str) -> None:
    """A recorded check that this generator could not have written is ignored: the project is checked again,
    no traceback, and no file outside the project, the generator and its libraries is read for it."""
    from generator.batch import checkcache

    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    entry = checkcache.cache_file(project)
    data = json.loads(entry.read_text(encoding="utf-8"))
    FORGED[kind](data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert checkcache.recorded(project, date.today()) is None
    for args in (["check"], ["build", "--jobs", "1"]):
        result = run(*args, "--project", project)
        no_traceback(result)
        assert result.exit_code == 0, result.output


def test_a_huge_sparse_file_in_content_is_not_hashed(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The check cache hashed every file under content/ whole: a 1 TB sparse file there took hours."""
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    with open(project / "content" / "en" / "notes.bin", "wb") as handle:
        handle.truncate(1 << 40)
    for _ in range(2):
        result = run("check", "--project", project)
        assert result.exit_code == 0 and "nothing changed since the last check" not in result.output


def test_a_linked_folder_in_content_is_not_walked(project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A link to a big outside tree (here the generator's own sources) was walked and hashed by the cache."""
    from generator.batch import checkcache

    (project / "content" / "zz").symlink_to(REPO / "generator")
    snapshot = checkcache.take(project, [])
    assert not any(path.startswith(str(project / "content" / "zz")) for path in [*snapshot.files,
                                                                                  *snapshot.folders])
    assert not snapshot.complete  # never cached while it is there (check refuses the link anyway)


def test_a_deeply_nested_manifest_is_refused_without_a_traceback(project: Path) -> None:
    """No manifest of ours is nested; one that is was not written by the generator: refused, not replaced
    (eleventh pass: a file the generator did not write is never replaced silently)."""
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    manifest = project / "output" / "manifest.json"
    manifest.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "1")
    no_traceback(result)
    assert result.exit_code == 1 and "this manifest.json was not written by handouts" in result.stderr, result.output
    assert manifest.read_text(encoding="utf-8") == "[" * 100_000 + "]" * 100_000


# -- project files linked out of the project: never read by any command ------------------------------------
SECRET = "SECRET-OUTSIDE-7f3a"


def _spanish(project: Path) -> None:
    assert run("translate", "new", "es", "--project", project).exit_code == 0


@pytest.mark.parametrize("name, text", [
    ("content/facts.yaml", f"facts:\n  crisis_line:\n    US: {{value: '{SECRET}'}}\n"),
    ("content/glossary.yaml", f"terms:\n  - term: tiny\n    note: '{SECRET}'\n    translations: {{es: '{SECRET}'}}\n"),
    ("content/source-history.yaml", "texts: {}\n"),
])
def test_translate_export_never_reads_a_linked_side_file(project: Path, tmp_path: Path, name: str, text: str) -> None:
    _spanish(project)
    outside = tmp_path / "outside.yaml"
    outside.write_text(text, encoding="utf-8")
    (project / name).unlink(missing_ok=True)
    (project / name).symlink_to(outside)
    for fmt in ("po", "xliff"):
        result = run("translate", "export", "es", "--format", fmt, "--project", project)
        no_traceback(result)
        assert SECRET not in result.output + result.stderr


def test_lint_never_reads_a_linked_terminology_table(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "table.md"
    outside.write_text(f"| concept | use | avoid |\n|---|---|---|\n| tiny | {SECRET} | tiny |\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "terminology.md").symlink_to(outside)
    result = run("lint", "--project", project)
    no_traceback(result)
    assert SECRET not in result.output + result.stderr
    assert result.exit_code == 1 and "docs/terminology.md: the terminology table is a link that leads outside " \
        "the project" in result.stderr


# -- verify: a manifest planted beside a forged file vouches for nothing -----------------------------------
def test_a_manifest_beside_a_forged_pdf_does_not_make_it_current(project: Path, tmp_path: Path) -> None:
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    forged = tmp_path / "handed-in" / "en" / "tiny.pdf"
    forged.parent.mkdir(parents=True)
    data = (project / "output" / "en" / "tiny.pdf").read_bytes() + b"\n% TAKE TEN TIMES THE DOSE\n"
    forged.write_bytes(data)
    (forged.parent.parent / "manifest.json").write_text(json.dumps(
        [{"file": "en/tiny.pdf", "sha256": hashlib.sha256(data).hexdigest()}]), encoding="utf-8")
    result = run("verify", forged, "--project", project)
    assert result.exit_code == 1 and f"{forged}: content current but this file was altered (handout 'tiny' in 'en'" \
        in result.output


def test_the_projects_own_manifest_does_not_vouch_for_an_altered_file(project: Path) -> None:
    """Third hostile pass: the output folder is untrusted too; an altered PDF listed (by whoever altered it) in
    the project's own output/manifest.json was "current (identical)". Only a fresh render vouches now."""
    assert run("build", "--project", project, "--jobs", "1").exit_code == 0
    pdf = project / "output" / "en" / "tiny.pdf"
    authentic = pdf.read_bytes()
    assert "current (identical)" in run("verify", pdf, "--project", project).output
    data = authentic + b"\n% TAKE TEN TIMES THE DOSE\n"
    pdf.write_bytes(data)
    manifest = project / "output" / "manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in entries:
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    manifest.write_text(json.dumps(entries), encoding="utf-8")
    result = run("verify", pdf, "--project", project)
    assert result.exit_code == 1 and "content current but this file was altered" in result.output, result.output


# -- the front desk never writes through a linked output folder -------------------------------------------
def test_the_desk_refuses_a_linked_output_folder(project: Path, tmp_path: Path) -> None:
    from generator.serve.app import create_app

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "output").symlink_to(elsewhere)
    result = run("serve", "--port", "0", "--project", project)  # refused before it listens
    no_traceback(result)
    assert result.exit_code == 1 and "the output folder leads outside the project" in result.stderr
    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    page = app.test_client().get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert page.status_code == 500 and b"leads outside the project" in page.data
    assert not any(elsewhere.iterdir())


# -- what a command prints about what was typed ------------------------------------------------------------
@pytest.mark.parametrize("args", [["\x1b]0;owned\x07"], ["check", "--\x1b[2Jx"], ["lint", "--max-grade", "\x1b[2J"],
                                  ["status", "--fail-under", "\u202e50"],
                                  ["translate", "export", "es", "--format", "po", "--handout", "\x1b[31mx"]])
def test_a_usage_error_never_echoes_an_escape_sequence(project: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, *(["--project", str(project)] if len(args) > 1 else [])])
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output or "\\u202e" in result.output


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "101"])
def test_status_fail_under_must_be_a_percentage(project: Path, value: str) -> None:
    """`--fail-under nan` made every comparison false: status passed whatever was missing."""
    result = CliRunner().invoke(main, ["status", "--fail-under", value, "--project", str(project)])
    assert result.exit_code == 2, result.output


# -- templates: integers that grow without bound -----------------------------------------------------------
def test_a_template_cannot_square_an_integer_for_ever(project: Path) -> None:
    """Squaring doubles the digits: each multiplication runs longer than the last, inside one call that no time
    check interrupts (it was stopped only by the 10 s bound, after 11 s); now refused at once."""
    code = "{% set ns = namespace(x=99999) %}{% for i in range(60) %}{% set ns.x = ns.x * ns.x %}{% endfor %}"
    templates = project / "templates"
    templates.mkdir()
    main_template = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    (templates / "handout.xml.j2").write_text(main_template.replace("<titleblock>", "<titleblock>" + code, 1),
                                              encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "1")
    no_traceback(result)
    assert result.exit_code == 1 and "a product would have over 4,096 bits" in result.stderr, result.output


# -- line endings: a file of lone CRs (YAML reads them as line breaks) stays so ----------------------------
def test_approve_and_translate_done_keep_lone_cr_line_endings(project: Path) -> None:
    path = project / HANDOUT
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    result = run("approve", path, "--reviewer", "Dr. Jane Doe", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.output
    assert b"\n" not in path.read_bytes() and b'reviewer: "Dr. Jane Doe"\r' in path.read_bytes()
    _spanish(project)
    spanish = project / "content" / "es" / "tiny.yaml"
    spanish.write_bytes(spanish.read_bytes().replace(b"\n", b"\r"))
    result = run("translate", "done", "es", "--all", "--project", project)
    assert result.exit_code == 0, result.output
    assert b"\n" not in spanish.read_bytes()


def test_a_template_on_standard_output_is_the_file_itself(project: Path, tmp_path: Path) -> None:
    """`translate template > handouts.pot` went through the terminal filter: a line over 2,000 characters (a long
    paragraph's msgid) was cut, leaving a broken POT. Redirected output is the file, byte for byte."""
    path = project / HANDOUT
    path.write_text(path.read_text(encoding="utf-8").replace('"An introduction."', '"' + "word " * 600 + 'end."'),
                    encoding="utf-8")
    written = tmp_path / "handouts.pot"
    assert run("translate", "template", "-o", written, "--project", project).exit_code == 0
    result = run("translate", "template", "--project", project)

    def dated(text: str) -> list[str]:  # the creation date is stamped to the minute
        return [line for line in text.split("\n") if not line.startswith('"POT-Creation-Date')]

    assert result.exit_code == 0 and dated(result.stdout) == dated(written.read_text(encoding="utf-8"))
    assert max(map(len, result.stdout.split("\n"))) > 3_000


# -- the HTML companion: a project's template can never make it run code or fetch anything -----------------
@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href=" java\tscript:alert(1)">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://elsewhere.example">', '<img src="file:///etc/passwd">',
    '<div style="background: url(https://tracker.example/p.png)">x</div>', "<iframe src=https://x.example></iframe>",
    # Where Python's parser and a browser's disagree: each hides a script from a blocklist (third pass).
    "<!--><script>alert(1)</script>-->", "<style></style/><script>alert(1)</script>",
    "<svg><animate attributeName=href to=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<math><mtext><a href=javascript:alert(1)>x</a></mtext></math>", "<![CDATA[x]]><p>y</p>",
    "<? x ><script>alert(1)</script>", '<div style="background:image-set(\'https://t.example/p.png\' 1x)">x</div>',
])
def test_the_html_companion_refuses_code_and_fetches(project: Path, markup: str) -> None:
    templates = project / "templates"
    templates.mkdir()
    page = (REPO / "templates" / "handout.html.j2").read_text(encoding="utf-8")
    (templates / "handout.html.j2").write_text(page.replace("<body>", "<body>" + markup, 1), encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "1", "--format", "html")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "handout.html.j2: " in result.stderr and "not allowed" in result.stderr
    assert not (project / "output" / "en" / "tiny.html").exists()


def test_translate_review_never_writes_through_a_linked_folder(project: Path, tmp_path: Path) -> None:
    _spanish(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "output").mkdir()
    (project / "output" / "review").symlink_to(elsewhere)
    result = run("translate", "review", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "a link leads outside the output folder" in result.stderr, result.output
    assert not any(elsewhere.iterdir())


# -- exchange files: positions and strings read in linear time --------------------------------------------
def test_xliff_unit_positions_are_found_in_linear_time() -> None:
    """Each unit's line was counted from the start of the file: 300,000 units on one line (6 MB, well under the
    20 MB an exchange file may be) took hours; the import of such a file now fails in seconds."""
    from generator.translators.xliff import _unit_lines

    text = "<body>\n" + '<trans-unit id="x"/>' * 300_000 + "\n<trans-unit id='last'>"
    found = _unit_lines(text)
    assert len(found) == 300_001 and found[0] == (2, 1) and found[1] == (2, 21) and found[-1] == (3, 1)


def test_po_strings_are_read_in_linear_time() -> None:
    """A msgstr continued over 300,000 lines, or one line of 300,000 escapes: each was copied again per line or
    per escape (a 12 MB file never finished)."""
    from generator.translators import po

    lines = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgctxt "tiny|a"\nmsgid "x"\nmsgstr ""\n' + '"ab"\n' * 300_000
    assert po.parse(lines)[1].msgstr == "ab" * 300_000
    escapes = 'msgctxt "tiny|a"\nmsgid "x"\nmsgstr "' + "\\x41\\101" * 150_000 + '"\n'
    assert po.parse(escapes)[0].msgstr == "AA" * 150_000


def test_the_desk_never_echoes_control_or_direction_characters(project: Path) -> None:
    from generator.serve.app import create_app

    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    page = app.test_client().get("/?q=%1b%5b2Jtiny%e2%80%ae", headers={"Host": "127.0.0.1:8000"})
    assert page.status_code == 200 and b"tiny" in page.data
    assert b"\x1b" not in page.data and "\u202e".encode() not in page.data


def test_translate_export_with_a_broken_facts_file(project: Path) -> None:
    """The title-length estimate rendered each title from a partial load: a facts.yaml that did not load (a
    syntax error, a link refused) left a placeholder without a value, and export ended in a KeyError traceback."""
    _spanish(project)
    (project / "content" / "facts.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    result = run("translate", "export", "es", "--format", "po", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0 and 'msgctxt "tiny|title"' in result.stdout


# -- style.yaml: whatever check accepts lays out; an error names style.yaml -------------------------------
@pytest.mark.parametrize("old, new, message", [
    ("footer_size: 8", "footer_size: 400", "page.footer_size is 400 pt; at most 24 pt"),
    ("footer_size: 8", "footer_size: 1e400", "page.footer_size: 1e400 is not a number"),
    ("body: {size: 12,", 'body: {size: "nan",', "text.body.size: nan is not a number"),
    ("disclaimer: {size: 10, leading: 13", "disclaimer: {size: 200, leading: 260", "text.disclaimer: size 200 pt"),
    ("heading: {size: 16, leading: 20.8", "heading: {size: 200, leading: 260", "text.heading: size 200 pt"),
])
def test_a_style_that_cannot_lay_out_is_refused_by_check(project: Path, old: str, new: str, message: str) -> None:
    own_style(project, old, new)
    for command in ("check", "build"):
        result = run(command, "--project", project)
        no_traceback(result)
        # at the setting's line and column (thirteenth session): "templates/style.yaml:10:3: page.footer_size …"
        assert result.exit_code == 1 and re.search(r"style\.yaml:\d+:\d+: ", result.stderr), result.output
        assert message in result.stderr, result.output


def test_init_with_a_name_too_long_is_a_clear_error(tmp_path: Path) -> None:
    result = run("init", tmp_path / ("a" * 300))
    no_traceback(result)
    assert result.exit_code == 1 and "cannot create the project here (File name too long)" in result.stderr


def test_a_content_file_name_with_a_line_break_never_splits_a_message(project: Path) -> None:
    _spanish(project)
    (project / "content" / "en" / "a\nok: all good.yaml").write_text("x: 1\n", encoding="utf-8")
    result = run("translate", "export", "es", "--format", "po", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "content/en/a\\x0aok: all good.yaml: the file name is not a handout ID" \
        in result.stderr
    assert not any(line.startswith("ok:") for line in result.stderr.splitlines())
