"""The fourth hostile pass (issue 12): new variants of every class, none repeated from the earlier passes.

Charset confusion in the HTML companion, placeholders a translator's tool invents, files the system will not let
us read (as an unprivileged process: root reads anything), verify's verdict when it cannot render, links that
lead nowhere yet (dangling), names that differ only by case or Unicode normalisation, PDFs built to exhaust a
parser, a content file swapped for a link while `--watch` runs. Each test asserts the guarantee; the report of
the pass lists which ones failed on the code they were written against.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import REPO, copy_project, run
from tests.hardening.hostile import all_text, no_traceback, pdf_of, tiny_copy, watermark_pixels
from tests.helpers import snapshot

HTML_TEMPLATE = REPO / "templates" / "handout.html.j2"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _spanish(project: Path) -> None:
    """Start Spanish (every unit untranslated) and declare it."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"), "utf-8")


def _own_html(project: Path, old: str, new: str) -> None:
    """Give the project its own templates/handout.html.j2: the shipped one with `old` made `new`."""
    text = HTML_TEMPLATE.read_text(encoding="utf-8")
    assert old in text, old
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "handout.html.j2").write_text(text.replace(old, new, 1), encoding="utf-8")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def unprivileged(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`handouts ARGS` in a fresh process that file permissions apply to: as root, with the capabilities that
    let root read and search anything dropped (setpriv); as any other user, as it is."""
    command = [sys.executable, "-m", "generator", *map(str, args)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    return subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=120, cwd=cwd)


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr


# -- the HTML companion: what the checker reads is what a browser reads --------------------------------
@pytest.mark.parametrize("charset", ["iso-2022-jp", "ISO-2022-JP", "csISO2022JP", "utf-16le", "x-user-defined"])
def test_the_html_companion_declares_utf8_and_nothing_else(project: Path, charset: str) -> None:
    """A project template declaring another encoding makes the browser read the bytes differently from the
    checker: with ISO-2022-JP, `ESC $ B` swallows `<p title="` and `ESC ( B` hands back a `<script>` that the
    checker had read as an attribute's text (headless Chromium ran it from the built file). Refused."""
    _own_html(project, '<meta charset="utf-8">', f'<meta charset="{charset}">')
    _own_html_append = (project / "templates" / "handout.html.j2")
    text = _own_html_append.read_text(encoding="utf-8")
    _own_html_append.write_text(text.replace(
        "<main", "\x1b$B<p title=\"\x1b(B<script>document.title='PWNED'</script>\"></p><main", 1), "utf-8")
    result = run("build", "--format", "html", "-j", "1", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "handout.html.j2" in result.stderr
    assert not (project / "output" / "en" / "tiny.html").exists()


def test_the_html_companion_never_holds_escape_bytes(project: Path) -> None:
    """An ESC (or any C0 control) in the page is what switches a browser's decoder state; the page never needs
    one."""
    _own_html(project, "<main", "\x1b$B<p>\x1b(B</p><main")
    result = run("build", "--format", "html", "-j", "1", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.stderr, result.output


def test_check_finds_what_the_html_template_gets_wrong(project: Path) -> None:
    """`check` passed a project whose HTML template does not even parse; `build --format html` then failed."""
    _own_html(project, "</html>", "</html>{% if %}")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.stderr, result.output


# -- translate import: whatever the file says, a clear error ---------------------------------------------
@pytest.mark.parametrize("placeholder", ["{x}", "{page}", "{fact.nope}", "{clinic.nope}"])
@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_an_imported_placeholder_the_project_does_not_know(project: Path, tmp_path: Path, placeholder: str,
                                                           fmt: str) -> None:
    """A CAT tool's translation of the title with a placeholder no one defined: a KeyError traceback from the
    title-length check (render/checks.py → localize.resolve), exit 1, instead of `file:line:col: unknown
    placeholder`."""
    _spanish(project)
    exchange = tmp_path / f"es.{fmt}"
    assert run("translate", "export", "es", "-o", exchange, "--project", project).exit_code == 0
    text = exchange.read_text(encoding="utf-8")
    if fmt == "po":
        old = 'msgctxt "tiny|title"\nmsgid "A tiny handout"\nmsgstr ""'
        new = f'msgctxt "tiny|title"\nmsgid "A tiny handout"\nmsgstr "Un folleto {placeholder}"'
    else:
        old = '<target state="needs-translation" />'
        new = f'<target state="translated">Un folleto {placeholder}</target>'
    assert old in text
    exchange.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(project / "content")
    result = run("translate", "import", exchange, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"es.{fmt}:" in result.stderr and placeholder in result.stderr, result.stderr
    assert snapshot(project / "content") == before


# -- files the system will not let us read (permissions apply: not root) ---------------------------------
def _own_templates(project: Path) -> None:
    """The project's own copies of the shipped style and both templates."""
    (project / "templates").mkdir(exist_ok=True)
    for name in ("style.yaml", "handout.xml.j2", "handout.html.j2"):
        shutil.copy(REPO / "templates" / name, project / "templates" / name)


@pytest.mark.parametrize("name", ["handout.html.j2", "handout.xml.j2", "style.yaml"])
def test_an_unreadable_template_is_named_in_the_error(project: Path, name: str) -> None:
    """A template or style the process may not read (mode 000): exit 1 with a message that names the file.
    For handout.html.j2 the message was `error: cannot be read (Permission denied)`, naming nothing."""
    _own_templates(project)
    (project / "templates" / name).chmod(0)
    try:
        done = unprivileged("build", "--format", "pdf,html", "-j", "1", "--project", project)
    finally:
        (project / "templates" / name).chmod(0o644)
    _no_traceback(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert name in done.stderr, done.stderr
    assert not (project / "output").exists()


@pytest.mark.parametrize("name", ["style.yaml", "handout.xml.j2"])
def test_verify_never_calls_an_authentic_file_altered_when_it_cannot_render(project: Path, name: str) -> None:
    """A PDF just built, verified while the project's style or template cannot be read: verify said "content
    current but this file was altered" (exit 1) — an accusation of tampering it cannot make. Every render failed
    and authentic.checker counted a failed render as "not this file". It must say it could not verify."""
    _own_templates(project)
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    pdf = project / "output" / "en" / "tiny.pdf"
    (project / "templates" / name).chmod(0)
    try:
        done = unprivileged("verify", pdf, "--project", project)
    finally:
        (project / "templates" / name).chmod(0o644)
    _no_traceback(done)
    assert "altered" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert name in done.stdout + done.stderr


def test_verify_does_not_call_a_file_built_before_a_style_edit_altered(project: Path) -> None:
    """An authentic PDF built before someone changed a colour in style.yaml is "content current but this file
    was altered": the re-render differs, and verify blames the file. It is outdated (built with another style),
    not altered."""
    _own_templates(project)
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    style = project / "templates" / "style.yaml"
    style.write_text(style.read_text(encoding="utf-8").replace('rule: "#8a9bb0"', 'rule: "#8a9bb1"'), "utf-8")
    result = run("verify", project / "output" / "en" / "tiny.pdf", "--project", project)
    no_traceback(result)
    assert "altered" not in result.output, result.output


@pytest.mark.parametrize("name", ["content/en/tiny.yaml", "content/en/ui.yaml", "content/facts.yaml",
                                  "handouts.yaml", "content"])
@pytest.mark.parametrize("command", [("check",), ("build", "-j", "1"), ("list",), ("lint",), ("sources", "tiny"),
                                     ("translate", "template"), ("verify", "output/en/tiny.pdf")])
def test_an_unreadable_project_file_is_a_clear_error(project: Path, name: str, command: tuple[str, ...]) -> None:
    """Held: each command names what it cannot read, exit 1, no traceback, nothing written."""
    if command == ("translate", "template") and name == "content/facts.yaml":
        pytest.skip("the POT template does not need the facts (it succeeds without reading them)")
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    before = snapshot(project)
    (project / name).chmod(0)
    try:
        done = unprivileged(*command, "--project", project, cwd=project)
    finally:
        (project / name).chmod(0o755 if (project / name).is_dir() else 0o644)
    _no_traceback(done)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Permission denied" in done.stderr, done.stderr
    assert snapshot(project) == before


# -- folder trees, counts and the check cache -------------------------------------------------------------
def _chain(folder: Path, depth: int) -> None:
    """`depth` folders, each inside the last (a/a/a/...), without changing the working directory."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=fd)
            inner = os.open("a", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def _unchain(folder: Path) -> None:
    """Remove a chain made by `_chain` (shutil.rmtree, and pytest's clean-up of old runs, recurse per level)."""
    subprocess.run(["rm", "-rf", str(folder)], check=True)


@pytest.mark.parametrize("where, command", [
    ("content/en/deep", ("check",)), ("content/deep", ("check",)), ("templates/deep", ("check",)),
    ("content/en/deep", ("build", "-j", "1")), ("content/deep", ("build", "-j", "1")),
    # templates/deep with build: see test_a_deep_folder_chain_under_templates_is_walked_in_linear_time
])
def test_a_deep_folder_chain_in_the_project_is_no_traceback(project: Path, where: str,
                                                           command: tuple[str, ...]) -> None:
    """1,100 nested folders (2.2 kB of path, well within Linux's limits) under content/ or templates/: the
    check cache walked them by recursion and ended in a RecursionError traceback (checkcache._walk)."""
    _chain(project / where, 1_100)
    try:
        result = run(*command, "--project", project)
    finally:
        _unchain(project / where)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output


def test_a_relative_cache_folder_never_writes_into_the_project(project: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG_CACHE_HOME=cache (relative; the XDG spec says such a value is invalid and ignored): `check` run in
    the project folder wrote its cache entry into PROJECT/cache/patient-handouts/."""
    monkeypatch.delenv("HANDOUTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(project.parent / "home"))
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert run("check").exit_code == 0
    assert snapshot(project) == before, sorted(set(snapshot(project)) - set(before))


def test_ten_thousand_small_files_in_a_language_folder(project: Path) -> None:
    """Held: 10,000 stray files beside the content (30,000 by hand: under 2 s) are listed, not read; check and
    build stay well within the bounds."""
    for number in range(10_000):
        (project / "content" / "en" / f"junk{number}.txt").touch()
    for command in (("check",), ("build", "-j", "1")):
        result = run(*command, "--project", project)
        no_traceback(result)
        assert result.exit_code == 0, result.output


# -- links that lead nowhere yet: nothing is created through them ---------------------------------------
@pytest.mark.parametrize("link, command", [
    ("output/en", ("build", "-j", "1")),
    ("output/manifest.json", ("build", "-j", "1")),
    ("output/review", ("translate", "review", "es")),
    ("output/review/es", ("translate", "review", "es")),
    ("content/es", ("translate", "new", "es")),
])
def test_a_dangling_link_is_never_written_through(project: Path, tmp_path: Path, link: str,
                                                  command: tuple[str, ...]) -> None:
    """Held: a link whose target does not exist yet (outside the project): the command refuses, creates
    nothing outside, and exits 1 without a traceback."""
    if command[:2] == ("translate", "review"):
        _spanish(project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(outside / "target")
    result = run(*command, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert list(outside.iterdir()) == []


# -- names that differ only by case or by Unicode normalisation ------------------------------------------
@pytest.mark.parametrize("first, second", [("Clinic", "clinic"), ("caf\u00e9", "cafe\u0301")])
def test_two_projects_whose_names_collide_on_a_case_or_normalisation_insensitive_disk(
        tmp_path: Path, first: str, second: str) -> None:
    """`build --project a/Clinic --project b/clinic --out DIR` wrote DIR/Clinic and DIR/clinic (and two
    DIR/café that print the same): on macOS and Windows disks these are one folder, so the second clinic's
    PDFs and manifest land in the first's. The same folder name is refused already; these collide too."""
    a = tiny_copy(tmp_path / "a" / first)
    b = tiny_copy(tmp_path / "b" / second)
    assert unicodedata.normalize("NFC", first).casefold() == unicodedata.normalize("NFC", second).casefold()
    result = run("build", "-j", "1", "--project", a, "--project", b, "--out", tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()


def test_translate_new_refuses_a_case_variant_of_a_declared_language(project: Path) -> None:
    """With pt-BR declared and started, `translate new pt-br` created content/pt-br/ beside content/pt-BR/ (a
    second Portuguese; on a case-insensitive disk the same folder). Language tags are case-insensitive."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - pt-BR\n"), "utf-8")
    assert run("translate", "new", "pt-BR", "--project", project).exit_code == 0
    result = run("translate", "new", "pt-br", "--project", project)
    no_traceback(result)
    assert result.exit_code in (1, 2), result.output
    assert not (project / "content" / "pt-br").exists()


# -- files changing under a running command: --watch sees a file swapped for a link ---------------------
SECRET = "SECRET OUTSIDE TEXT"


def _watching(project: Path, change, expect: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Run `build --watch` in a thread, make `change` once the first build is done, wait for `expect`."""
    import threading

    from generator.build import Selection
    from generator.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, Selection(jobs=1), lambda m, err=False: lines.append(m),
                                                  stop), kwargs={"interval": 0.05})
    thread.start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60
        while not any(text in line for line in lines):
            assert time.monotonic() < deadline, "\n".join(lines)
            time.sleep(0.05)

    try:
        wait_for("built 1, skipped 0")
        change()
        wait_for(expect)
    finally:
        stop.set()
        thread.join(timeout=30)
    return lines


@pytest.mark.parametrize("swapped", ["content/en/tiny.yaml", "content/en", "templates"])
def test_watch_never_reads_a_file_swapped_for_a_link_out_of_the_project(project: Path, tmp_path: Path,
                                                                       swapped: str) -> None:
    """Held: while --watch runs, a content file, a language folder or a new templates folder is replaced by a
    link to a copy outside the project holding other text: refused, the PDF never holds the outside text."""
    outside = tmp_path / "outside"
    shutil.copytree(project / "content" / "en", outside)
    text = (outside / "tiny.yaml").read_text(encoding="utf-8").replace("An introduction.", SECRET)
    (outside / "tiny.yaml").write_text(text, encoding="utf-8")
    main = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    (outside / "handout.xml.j2").write_text(main.replace("<titleblock>", f"<titleblock><clinic>{SECRET}</clinic>",
                                                         1), encoding="utf-8")
    target = project / swapped
    source = outside / "tiny.yaml" if swapped.endswith(".yaml") else outside

    def change() -> None:
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        target.symlink_to(source, target_is_directory=source.is_dir())

    _watching(project, change, "outside the project")
    assert SECRET not in all_text(project / "output" / "en" / "tiny.pdf")


# -- verify: PDFs made to exhaust a parser --------------------------------------------------------------
PAYLOAD = ("patient-handouts:verify:v1;handout=tiny;lang=en;version=1.0.0;"
           "fingerprint=sha256:9a579f191d9f77d939461b894463bb324d960b0c5a58535d7d553b559789c028;review=draft")


def _two_gigabytes_of_spaces() -> bytes:
    """A zlib stream that inflates to 2 GiB: one 16 MiB block compressed once, repeated (a full flush makes
    each block independent), with the right checksum; made in about a second."""
    chunk = b" " * (1 << 24)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(128):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * 128 + squeeze.flush() + checksum.to_bytes(4, "big")


def _hostile_pdf(kind: str) -> bytes:
    info = b"<< /Keywords (" + PAYLOAD.encode() + b") >>"
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R %s>>"
    empty = b"<< /Length 0 >>\nstream\n\nendstream"
    if kind == "a content stream inflating to 2 GB":
        data = _two_gigabytes_of_spaces()
        stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
        return pdf_of([catalog, pages, page % b"", info, stream])
    if kind == "metadata nested 200,000 arrays deep":
        deep = info[:-2] + b" /X " + b"[" * 200_000 + b"]" * 200_000 + b" >>"
        return pdf_of([catalog, pages, page % b"", deep, empty])
    if kind == "a page tree that contains itself":
        return pdf_of([catalog, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", page % b"", info, empty])
    if kind == "a form that draws itself":
        form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X 6 0 R >> >> " \
               b"/Length 5 >>\nstream\n/X Do\nendstream"
        draw = b"<< /Length 5 >>\nstream\n/X Do\nendstream"
        return pdf_of([catalog, pages, page % b"/Resources << /XObject << /X 6 0 R >> >> ", info, draw, form])
    # ten forms, each drawing the next ten times: 10^11 draws if followed naively
    objects = [catalog, pages, page % b"/Resources << /XObject << /X 6 0 R >> >> ", info,
               b"<< /Length 5 >>\nstream\n/X Do\nendstream"]
    for level in range(11):
        body = b"/X Do " * 10 if level < 10 else b"BT ET"
        resources = b"<< /XObject << /X %d 0 R >> >>" % (7 + level) if level < 10 else b"<< >>"
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources " + resources
                       + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    return pdf_of(objects)


@pytest.mark.parametrize("kind", ["a content stream inflating to 2 GB", "metadata nested 200,000 arrays deep",
                                  "a page tree that contains itself", "a form that draws itself",
                                  "forms drawing forms, ten times each"])
def test_verify_a_pdf_made_to_exhaust_the_parser(project: Path, tmp_path: Path, kind: str) -> None:
    """Held: verification data that names a real handout, in a PDF built to blow up a parser: verify answers
    "unknown" quickly (1 GiB address space in a fresh process), no traceback."""

    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(_hostile_pdf(kind))

    done = handouts("verify", pdf, "--project", project, memory=1 << 30, timeout=60)
    _no_traceback(done)
    assert done.returncode == 1 and ": unknown (" in done.stdout, done.stdout + done.stderr


# -- a write the system refuses half-way (a file-size limit: EFBIG) ---------------------------------------
@pytest.mark.parametrize("command", [("build", "-j", "1", "--force"), ("translate", "review", "es"),
                                     ("translate", "export", "es", "-o", "es.po"),
                                     ("translate", "template", "-o", "all.pot")])
def test_a_file_size_limit_mid_write_changes_nothing(project: Path, command: tuple[str, ...]) -> None:
    """Held: with RLIMIT_FSIZE at 2 kB every larger write fails with EFBIG part-way: exit 1, "nothing was
    changed", every file as it was, no temporary file left."""
    import resource

    assert run("build", "-j", "1", "--project", project).exit_code == 0
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    (project / "es.po").write_text("old\n", encoding="utf-8")
    before = snapshot(project)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    done = subprocess.run([sys.executable, "-m", "generator", *command, "--project", str(project)],
                          capture_output=True, text=True, env=_env(), timeout=120, preexec_fn=limit, cwd=project)
    _no_traceback(done)
    assert done.returncode == 1 and "nothing was changed" in done.stderr, done.stderr
    after = snapshot(project)
    assert {k: v for k, v in after.items() if not k.endswith(".handouts.lock")} == \
        {k: v for k, v in before.items() if not k.endswith(".handouts.lock")}


# -- the HTML companion: the review state and the disclaimer stay visible, in a real browser --------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = Path(__file__).with_name("visible_probe.js")
MUST_SEE = ["DRAFT", "Draft - not reviewed", "General information only."]  # what the PDF's stamp always shows
STYLE_END = "</style>"


def _css(rule: str) -> list[tuple[str, str]]:
    return [(STYLE_END, rule + "\n</style>")]


# Each way a project template might hide what the generator puts first in <body> (render/htmlnotice.py): the
# notice must stay on the first screen, legible, and before the handout's own text.
HIDING = {
    # held on the code of 11:00 (the notice's inline !important styles and the pinned <html>/<body>)
    "display none on everything": _css("* { display: none !important }"),
    "everything invisible, white, 1 px": _css("* { visibility: hidden !important; opacity: 0 !important; "
                                              "color: #fff !important; font-size: 1px !important }"),
    "the notice's own elements styled": _css("handouts-notice, handouts-line { display: none !important; "
                                             "color: #fff !important }"),
    "every child of body fixed off the page": _css("body > * { position: fixed !important; top: -1000px "
                                                   "!important }"),
    "body's text made white (fill colour)": _css("body { -webkit-text-fill-color: #fff !important }"),
    "body's text masked (text-security)": _css("body { -webkit-text-security: disc !important }"),
    "body font size 0": _css("body { font-size: 0 !important; line-height: 0 !important }"),
    "body filtered inside @supports": _css("@supports (display: block) { body { filter: opacity(0) !important } }"),
    "body in reversed columns": _css("body { display: flex !important; flex-direction: column-reverse "
                                     "!important }"),
    # hid the notice on the code of 11:00
    "a tall body::before": _css('body::before { content: ""; display: block; height: 100000px }'),
    "a tall html::before": _css('html::before { content: ""; display: block; height: 100000px }'),
    "body padding-top": _css("body { padding-top: 100000px !important }"),
    "body border-top": _css("body { border-top: 100000px solid #fff !important }"),
    "body margin-left": _css("body { margin-left: -100000px !important }"),
    "body padding-inline-start": _css("body { padding-inline-start: 100000px !important; max-width: none "
                                      "!important }"),
    "html margin-left": _css("html { margin-left: -100000px !important }"),
    "body floated away": _css("body { float: left !important; margin-left: -100000px !important }"),
    "head shown, tall": _css("head { display: block !important; height: 100000px !important }"),
    "title shown, huge": _css("head, title { display: block !important; font-size: 100000px !important }"),
    "html as a grid, head first": _css("html { display: grid !important } head { display: block; "
                                       "height: 100000px }"),
    # the content written before <body>: a browser starts the body at the first content, so the generator's
    # notice (placed after the <body> tag) lands after the whole handout
    "the handout before the <body> tag": [("<body>", ""), ("</body>", "<body></body>")],
    # held on the code of 12:00 (a179485)
    "the handout pulled up over the notice": _css("main { position: relative; top: -300px; background: #fff; "
                                                  "min-height: 2000px }"),
    "a fixed white sheet over the page": _css("main { position: fixed; inset: 0; background: #fff; "
                                              "overflow: auto }"),
    "a pseudo-element on :root": _css(":root::before { content: ''; display: block; height: 100000px }"),
    "a huge outline and shadow": _css("main { outline: 100000px solid #fff } header { position: relative; "
                                      "box-shadow: 0 -10000px 0 10000px #fff }"),
    # hid the notice on the code of 12:00: the page opens scrolled to the first snap point, past the notice
    "scroll snapping to the handout": _css("html { scroll-snap-type: y mandatory !important } "
                                           "main { scroll-snap-align: start }"),
    # hid the notice on the code of 12:00: text before <body> that Python's str.strip() removes but a browser
    # does not count as white space (U+00A0, U+1680): the body starts there, 30,000 lines above the notice
    "no-break spaces before <body>": [("<body>", " \u00a0" * 30000 + "<body>")],
    "ogham space marks before <body>": [("<body>", "\u1680 " * 30000 + "<body>")],
    # hid the notice on the code of 12:00: any end tag inside <title> made the checker think the title had
    # ended, so it took a <body> written in the title for the page's; the generator put its notice there, and
    # the browser (for which a title is text up to </title>) showed it in the tab's title, not on the page
    "<body> inside the title, after </b>": [
        ("<title>{{ doc.title.plain }} – {{ doc.clinic_name }}</title>", "<title>x</b><body></title>"),
        ("</head>\n<body>", "</head>")],
    # hid the notice on the code of 12:05 (a4ec4ee pins scroll snapping off): Chromium's
    # `scroll-initial-target` opens the page scrolled to the element that has it, past the notice
    "scroll-initial-target on the handout": _css("main { scroll-initial-target: nearest }"),
    "scroll snapping with a negative padding": _css("html { scroll-padding-top: -1000px; scroll-snap-type: y "
                                                    "mandatory } header { scroll-snap-align: start }"),
}


def _seen_in_chromium(page: Path, tmp_path: Path) -> dict[str, str]:
    """For each MUST_SEE text, "visible" or why not, as headless Chromium lays out a test-only copy of the page
    (the probe script added; the built file has none)."""
    import html
    import json
    import re

    probe = tmp_path / "probe.html"
    script = f'<script data-need="{html.escape(json.dumps(MUST_SEE))}">{PROBE.read_text(encoding="utf-8")}</script>'
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-background-networking", "--disable-component-update", "--no-first-run",
                               f"--user-data-dir={profile}", "--window-size=1000,1400", "--dump-dom",
                               probe.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("how", list(HIDING))
def test_an_html_template_cannot_hide_the_review_state_or_the_disclaimer(project: Path, tmp_path: Path,
                                                                        how: str) -> None:
    """The PDF always shows DRAFT, the review state and the disclaimer whatever a style says; the HTML companion
    must too, whatever the project's template says: either `build` refuses the template (naming it), or a real
    browser shows each of them on the first screen, before the handout's title — rendered, legible (size,
    contrast, opacity), not covered, clipped, transformed or hidden from assistive technology."""
    _own_html(project, "{#-", "{#-")  # the shipped template, as the project's own
    template = project / "templates" / "handout.html.j2"
    text = template.read_text(encoding="utf-8")
    for old, new in HIDING[how]:
        assert old in text, old
        text = text.replace(old, new, 1)
    template.write_text(text, encoding="utf-8")
    result = run("build", "--format", "html", "-j", "1", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.html.j2" in result.stderr, result.output
        return
    seen = _seen_in_chromium(project / "output" / "en" / "tiny.html", tmp_path)
    assert seen == dict.fromkeys([*MUST_SEE, "before the title"], "visible"), seen


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_shipped_html_template_passes_the_visibility_probe(project: Path, tmp_path: Path) -> None:
    """The probe's own control: the shipped template shows all three (so a failure above is the template's)."""
    assert run("build", "--format", "html", "-j", "1", "--project", project).exit_code == 0
    seen = _seen_in_chromium(project / "output" / "en" / "tiny.html", tmp_path)
    assert seen == dict.fromkeys([*MUST_SEE, "before the title"], "visible"), seen


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_an_html_template_cannot_hide_them_only_when_printed(project: Path, tmp_path: Path) -> None:
    """`@media print { ... display: none }`: on screen all is there, on the printed page the DRAFT line and the
    disclaimer are gone. Printed from Chromium, the page must still hold them."""
    import tempfile

    from pypdf import PdfReader

    _own_html(project, "</style>", "@media print { .status, #disclaimer { display: none } }\n</style>")
    result = run("build", "--format", "html", "-j", "1", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.html.j2" in result.stderr, result.output
        return
    pdf = tmp_path / "printed.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                        (project / "output" / "en" / "tiny.html").as_uri()], capture_output=True, timeout=120)
    printed = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    for text in MUST_SEE:
        assert text in printed, (text, printed)


# -- the front desk, as a process file permissions apply to ----------------------------------------------
class Desk:
    """`handouts serve --port 0` in a fresh unprivileged process (see `unprivileged`), asked over HTTP."""

    def __init__(self, project: Path, privileged: bool = False) -> None:
        import re

        command = [sys.executable, "-m", "generator", "serve", "--port", "0", "--project", str(project)]
        if os.geteuid() == 0 and not privileged:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
            command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=_env())
        line = self.process.stdout.readline() if self.process.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.process.kill()
            raise AssertionError(line + (self.process.stderr.read() if self.process.stderr else ""))
        self.base = f"http://127.0.0.1:{found.group(1)}"

    def get(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as answer:
                return answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def stop(self) -> str:
        """Stop the server (this process only); its log."""
        self.process.terminate()
        try:
            _, log = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, log = self.process.communicate()
        return log


def _served_spanish(project: Path) -> None:
    """Spanish started, declared and marked done, so that the project passes `check` and the desk starts."""
    _spanish(project)
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    assert run("check", "--project", project).exit_code == 0


@pytest.mark.parametrize("locked, path, named", [
    ("content/es", "/?handout=tiny&lang=es", "content/es"),
    ("content/es", "/pdf/es/tiny.pdf", "content/es"),
    ("templates/style.yaml", "/pdf/en/tiny.pdf?edition=large", "style.yaml"),
    ("templates/style.yaml", "/?handout=tiny&lang=en&edition=large", "style.yaml"),
    ("templates/handout.html.j2", "/preview/en/tiny", "handout.html.j2"),
    ("content/en/tiny.yaml", "/?handout=tiny&lang=en", "content/en/tiny.yaml"),
    ("content/facts.yaml", "/pdf/en/tiny.pdf?paper=a4", "content/facts.yaml"),
    ("templates/handout.xml.j2", "/pdf/en/tiny.pdf?paper=a4", "handout.xml.j2"),
    ("templates", "/pdf/en/tiny.pdf?paper=a4", "templates"),  # served a PDF made with the shipped templates
    ("content/en", "/?handout=tiny&lang=en", "content/en"),
])
def test_the_desk_names_what_it_cannot_read(project: Path, locked: str, path: str, named: str) -> None:
    """A file or folder the desk's process may not read, made so while it runs: a page that names it (as
    `check` would), never the generic "Something went wrong" of an unexpected exception. The third pass found
    this for a language folder; a style or template the desk cannot read is the same class."""
    _served_spanish(project)
    _own_templates(project)
    desk = Desk(project)
    try:
        assert desk.get("/")[0] == 200
        (project / locked).chmod(0)
        status, page = desk.get(path)
    finally:
        (project / locked).chmod(0o755 if (project / locked).is_dir() else 0o644)
        log = desk.stop()
    assert "Traceback" not in log and "Something went wrong" not in page, (status, page[-600:], log)
    assert status in (500, 503) and named in page, (status, page[-800:])


# -- Python's HTML parser as an attack surface: verify and the companion's checker -------------------------
@pytest.mark.parametrize("tail", ["<![<![x", "<![ <![", "<!["])
def test_verify_an_html_file_that_breaks_the_html_parser(project: Path, tmp_path: Path, tail: str) -> None:
    """`verify evil.html` where evil.html holds `<![<![x`: html.parser raises AssertionError ("expected name
    token"), which verify did not expect: a traceback, exit 1. Any file may be handed in: "unknown"."""
    page = tmp_path / "evil.html"
    page.write_text(f'<meta name="patient-handouts-verify" content="{PAYLOAD}">{tail}', encoding="utf-8")
    result = run("verify", page, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and ": unknown (" in result.output, result.output


def test_an_html_template_that_breaks_the_html_parser_is_blamed_not_the_content(project: Path) -> None:
    """The same `<![<![` written by a project's HTML template: the build said "content/en/tiny.yaml: cannot lay
    out the standard html edition of this handout (AssertionError: ...); report this" — it blamed the content
    file and called it a bug. The template is at fault and must be named."""
    _own_html(project, "<main", "<![<![ <main")
    result = run("build", "--format", "html", "-j", "1", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.stderr, result.stderr
    assert "report this" not in result.stderr


def test_an_html_template_cannot_make_the_checker_quadratic(project: Path) -> None:
    """A project HTML template of 900 kB (the size limit is 1 MB) ending in `</` repeated: the companion's
    checker (html.parser's close()) is quadratic on it — 600 kB took 34 s and 900 kB 84 s for ONE file (exit
    0), and every handout × language pays it again. It must end (built or refused) within the 60 s bound; run
    in a fresh process, stopped at 60 s."""
    _own_html(project, "</html>", "</html>" + "</" * 450_000)
    try:
        done = handouts("build", "--format", "html", "-j", "1", "--project", project, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("build --format html with a 900 kB template of '</' did not end within 60 s")
    _no_traceback(done)
    assert done.returncode in (0, 1), done.stderr


# -- the output folder: a forged manifest entry vouches for an altered PDF --------------------------------
def _alter_with_forged_manifest(project: Path) -> bytes:
    """Build, then append text to the PDF and give the manifest entry the altered file's sha256 (what anyone
    who can write the output folder can do); returns the altered bytes."""
    import hashlib
    import json

    assert run("build", "-j", "1", "--project", project).exit_code == 0
    pdf, manifest = project / "output" / "en" / "tiny.pdf", project / "output" / "manifest.json"
    altered = pdf.read_bytes() + b"\n% TAKE TEN TIMES THE DOSE\n"
    pdf.write_bytes(altered)
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["file"] == "en/tiny.pdf":
            entry["sha256"] = hashlib.sha256(altered).hexdigest()
    manifest.write_text(json.dumps(entries), encoding="utf-8")
    return altered


def test_build_does_not_keep_an_altered_pdf_whose_manifest_entry_was_forged(project: Path) -> None:
    """The third pass made verify stop trusting the manifest (whoever alters a file there can list its new
    sha256); `build` still does: it said "built 0, skipped 1" and kept the altered PDF (and `print`, which
    builds "if missing or out of date", would print it)."""
    altered = _alter_with_forged_manifest(project)
    result = run("build", "-j", "1", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0
    assert (project / "output" / "en" / "tiny.pdf").read_bytes() != altered, result.output


def test_the_desk_never_serves_an_altered_pdf_whose_manifest_entry_was_forged(project: Path) -> None:
    """The desk serves a built file "only if the manifest vouches for it" (serve/ondemand.read_listed): with
    the entry forged, it served the altered PDF to the patient (the earlier test alters only the PDF)."""
    from generator.serve.app import create_app

    altered = _alter_with_forged_manifest(project)
    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    answer = app.test_client().get("/pdf/en/tiny.pdf", headers={"Host": "127.0.0.1:8000"})
    assert answer.status_code == 200
    assert b"TAKE TEN TIMES THE DOSE" not in answer.data and answer.data != altered


# -- an output file named on the command line that is one of the project's own inputs ---------------------
@pytest.mark.parametrize("target", ["content/es/tiny.yaml", "content/en/ui.yaml", "content/facts.yaml",
                                    "handouts.yaml", "docs/terminology.md"])  # the last: still replaced at 12:00
@pytest.mark.parametrize("command", [("translate", "export", "es", "--format", "po"), ("translate", "template")])
def test_an_exchange_file_never_overwrites_a_project_input(project: Path, target: str,
                                                           command: tuple[str, ...]) -> None:
    """`translate export es --format po -o content/es/tiny.yaml` (or `translate template -o handouts.yaml`):
    the translator's content file, or the clinic's settings, replaced by a PO file, exit 0 — the translation
    is gone, and every later command fails on a file that is no longer YAML. An export or template never
    replaces a file the project reads."""
    _spanish(project)
    (project / "docs").mkdir()
    (project / "docs" / "terminology.md").write_text(  # lint's terminology table, a project input too
        "| concept | lang | use | not |\n|---|---|---|---|\n| dose | en | dose | amount |\n", encoding="utf-8")
    before = snapshot(project)
    result = run(*command, "-o", project / target, "--project", project)
    no_traceback(result)
    assert result.exit_code in (1, 2), result.output
    assert snapshot(project) == before


def test_the_desk_answers_while_slow_clients_trickle_their_headers(project: Path) -> None:
    """40 connections that each send a request line, then one more header line every 5 s (a "slowloris"):
    waitress keeps each open (every byte resets its 30 s idle timer; 8 kB of headers take over an hour), the
    desk's 32 connections are used up, and a patient's request got no answer in 70 s. Any process on this
    computer (or, with --host, on the clinic's network) can take the desk down so. It must still answer."""
    import socket
    import threading
    import urllib.request

    desk = Desk(project, privileged=True)
    port = int(desk.base.rsplit(":", 1)[1])
    stop = threading.Event()
    slow: list[socket.socket] = []
    try:
        for _ in range(40):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
                slow.append(connection)
            except OSError:
                break

        def trickle() -> None:
            while not stop.wait(5):
                for connection in slow:
                    try:
                        connection.sendall(b"X-Slow: 1\r\n")
                    except OSError:
                        pass

        threading.Thread(target=trickle, daemon=True).start()
        try:
            with urllib.request.urlopen(desk.base + "/", timeout=35) as answer:
                status = answer.status
        except OSError as exc:
            pytest.fail(f"the desk did not answer within 35 s while 40 clients trickled headers ({exc})")
        assert status == 200
    finally:
        stop.set()
        for connection in slow:
            connection.close()
        desk.stop()


def test_two_declared_languages_that_differ_only_by_case(project: Path) -> None:
    """`languages: [en, es-MX, es-mx]` with both started: check passed and build wrote output/es-MX/ and
    output/es-mx/ (content/es-MX/ and content/es-mx/ too) — one folder on a case-insensitive disk, where one
    language's files replace the other's. Language tags are case-insensitive (BCP 47): refuse the pair."""
    fonts = project / "templates" / "fonts"
    shutil.copytree(REPO / "templates" / "fonts" / "noto-sans", fonts / "noto-sans")
    faces = "\n".join(f"    {face}: fonts/noto-sans/NotoSans-{name}.ttf" for face, name in
                      [("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic"), ("bold_italic", "BoldItalic")])
    languages = "\n".join(f"  {code}: {{family: noto-sans, direction: ltr, breaking: words}}"
                          for code in ("en", "es-MX", "es-mx"))
    (project / "templates" / "fonts.yaml").write_text(f"families:\n  noto-sans:\n{faces}\nlanguages:\n{languages}\n",
                                                      encoding="utf-8")
    assert run("translate", "new", "es-MX", "--project", project).exit_code == 0
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es-MX\n"), "utf-8")
    assert run("translate", "done", "es-MX", "--all", "--project", project).exit_code == 0
    upper, lower = project / "content" / "es-MX", project / "content" / "es-mx"  # made by hand: translate new
    lower.mkdir()                                                                 # refuses it since a4ec4ee
    for path in upper.iterdir():
        (lower / path.name).write_text(path.read_text(encoding="utf-8").replace("lang: es-MX", "lang: es-mx"),
                                       encoding="utf-8")
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - es-MX\n", "  - es-MX\n  - es-mx\n"),
                        "utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "es-mx" in result.stderr, result.output


# -- standard output that cannot be written: a full disk behind `>`, or no stdout at all --------------------
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", [("check",), ("status",), ("list",), ("sources", "tiny"),
                                     ("translate", "export", "es", "--format", "po"), ("translate", "template"),
                                     ("--help",)])
def test_standard_output_on_a_full_disk_is_a_clear_error(project: Path, command: tuple[str, ...]) -> None:
    """`handouts translate export es --format po > es.po` on a full disk (here: stdout is /dev/full): every
    command ended in an `OSError: [Errno 28] No space left on device` traceback from click.echo. The issue's
    full-disk class: a clear error, exit 1."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run([sys.executable, "-m", "generator", *command, "--project", str(project)]
                              if command != ("--help",) else [sys.executable, "-m", "generator", "--help"],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=_env(), timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1 and "No space left on device" in done.stderr, done.stderr


@pytest.mark.parametrize("command", [("translate", "export", "es", "--format", "po"), ("translate", "template")])
def test_no_standard_output_at_all_is_a_clear_error(project: Path, command: tuple[str, ...]) -> None:
    """Run with standard output closed (`handouts translate template >&-`, a service without a stdout):
    `AttributeError: 'NoneType' object has no attribute 'isatty'` traceback."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    done = subprocess.run([sys.executable, "-m", "generator", *command, "--project", str(project)],
                          capture_output=True, text=True, env=_env(), timeout=120,
                          preexec_fn=lambda: os.close(1))  # standard output closed in the child
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr


# -- terminal: a line break in a folder name never starts a line of its own -----------------------------
@pytest.mark.parametrize("command", [("build", "-j", "1"), ("init",), ("build", "-j", "1", "--out")])
def test_a_line_break_in_a_folder_name_never_splits_a_message(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A project (or output) folder named `clinic⏎ok: all good`: escape sequences in it are made visible, the
    line break was not — `build` printed "(output: clinic" and then a line "ok: all good/output)", `init` and
    `serve` likewise. The second pass fixed this for content file names only."""
    name = "clinic\nok: all good"
    if command == ("init",):
        result = run("init", tmp_path / name)
    else:
        project = tiny_copy(tmp_path / name)
        extra = [tmp_path / f"{name}-out"] if command[-1] == "--out" else []
        result = run(*command, *extra, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    lines = (result.stdout + result.stderr).splitlines()
    assert not [line for line in lines if line.startswith("ok: all good")], lines


# -- style.yaml's large_print: section: what check accepts, build --large-print lays out ----------------------
@pytest.mark.parametrize("old, new", [
    ("  footer_size: 12\n", "  footer_size: 400\n"),
    ("    body: {size: 16,", "    body: {size: 900,"),
    ("    cell: {size: 16, leading: 22.4}", "    cell: {size: 16, leading: 1e300}"),
    ("  bilingual: {size_ratio: 1.0, indent: 16}", "  bilingual: {size_ratio: 1e308, indent: 16}"),
    ("  bilingual: {size_ratio: 1.0, indent: 16}", "  bilingual: {size_ratio: 1.0, indent: 900}"),
])
def test_check_refuses_a_large_print_style_that_build_refuses(project: Path, old: str, new: str) -> None:
    """The second pass made check refuse `footer_size: 400` and 200 pt text in style.yaml; the same values in
    its `large_print:` section still pass `check` ("ok"), and `build --large-print` then fails — naming
    `page.footer_size` or `text.body`, not the large_print entry that is wrong."""
    style = (REPO / "templates" / "style.yaml").read_text(encoding="utf-8")
    head, tail = style.split("large_print:", 1)
    assert old in tail, old
    (project / "templates").mkdir()
    (project / "templates" / "style.yaml").write_text(head + "large_print:" + tail.replace(old, new, 1), "utf-8")
    built = run("build", "-j", "1", "--large-print", "--project", project)
    no_traceback(built)
    assert built.exit_code == 1 and "style.yaml" in built.stderr, built.output
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 1 and "style.yaml" in checked.stderr, checked.output


def test_translate_done_refuses_the_source_language(project: Path) -> None:
    """`translate done en --all` (en being the source): export, import, sync and review refuse the source
    language; done wrote a `translation:` block of 15 and 31 hashes into content/en/tiny.yaml and ui.yaml and
    said "46 unit(s) marked as translated", exit 0. The source files are not translations."""
    before = snapshot(project / "content")
    result = run("translate", "done", "en", "--all", "--project", project)
    no_traceback(result)
    assert result.exit_code in (1, 2), result.output
    assert snapshot(project / "content") == before


@pytest.mark.parametrize("length", [100, 250])
def test_check_refuses_a_handout_id_the_other_commands_refuse(project: Path, length: int) -> None:
    """A handout ID of 250 letters (file name 255 bytes, the limit): `check` said ok; `build` failed with "cannot
    write output (File name too long)" (its temporary file's name is longer still), and `translate new es`
    said "the file name is not a handout ID" (names.MAX_NAME is 64). One grammar for IDs, in check too."""
    long_id = "a" * length
    source = project / "content" / "en" / "tiny.yaml"
    text = source.read_text(encoding="utf-8").replace("handout: tiny", f"handout: {long_id}", 1)
    (project / "content" / "en" / f"{long_id}.yaml").write_text(text, encoding="utf-8")
    source.unlink()
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and long_id[:40] in result.stderr, result.output


# -- a replaced file keeps who may write it: its owner and its access list ---------------------------------
APPROVE = ("--reviewer", "Dr. Jane Doe", "--role", "MD")


def _red_uid() -> int:
    import pwd

    try:
        return pwd.getpwnam("red").pw_uid
    except KeyError:
        pytest.skip("no user 'red' on this machine")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
@pytest.mark.parametrize("command", [("approve", "content/es/tiny.yaml", *APPROVE),
                                     ("translate", "done", "es", "--all"), ("translate", "sync", "es")])
def test_a_replaced_file_keeps_its_owner(project: Path, command: tuple[str, ...]) -> None:
    """A translator's file (owner red, 664) rewritten by the clinic's administrator (root) running approve or
    translate: the new file belonged to root:root, 664 — the translator could no longer save their own
    translation. The mode was kept (third pass); the owner and group must be too."""
    _spanish(project)
    red = _red_uid()
    path = project / "content" / "es" / "tiny.yaml"
    if command[:2] == ("translate", "sync"):  # something for sync to do: a unit the source gained
        source = project / "content" / "en" / "tiny.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace(
            '      - paragraph: intro\n        text: "Safety first."\n',
            '      - paragraph: intro\n        text: "Safety first."\n      - paragraph: more\n        text: "More."\n',
            1), encoding="utf-8")
    if command[0] == "approve":
        assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    os.chown(path, red, os.getgid())
    path.chmod(0o664)
    args = [str(project / a) if a.startswith("content/") else a for a in command]
    result = run(*args, "--project", project)
    assert result.exit_code == 0, result.output
    info = path.stat()
    assert (info.st_uid, info.st_mode & 0o777) == (red, 0o664), (info.st_uid, oct(info.st_mode))


def test_a_replaced_file_keeps_its_access_list(project: Path) -> None:
    """A content file whose POSIX access list lets the translator (red) write it: `approve` replaced it with a
    file without the list (mode bits kept, 664 root:root) — red was locked out of the file."""
    import struct

    red = _red_uid()
    path = project / "content" / "en" / "tiny.yaml"
    entries = [(0x01, 6, 0xFFFFFFFF), (0x02, 6, red), (0x04, 4, 0xFFFFFFFF), (0x10, 6, 0xFFFFFFFF),
               (0x20, 4, 0xFFFFFFFF)]  # user::rw-, user:red:rw-, group::r--, mask::rw-, other::r--
    acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)
    try:
        os.setxattr(path, "system.posix_acl_access", acl)
    except OSError as exc:
        pytest.skip(f"this file system has no POSIX access lists ({exc})")
    result = run("approve", path, *APPROVE, "--project", project)
    assert result.exit_code == 0, result.output
    assert os.getxattr(path, "system.posix_acl_access") == acl


def test_approve_names_a_file_given_twice_once(project: Path) -> None:
    """`approve content/en/tiny.yaml ./content/en/tiny.yaml content/en/../en/tiny.yaml` wrote the file once but
    printed "approved: content/en/tiny.yaml" three times (the issue's repeated-argument class; verify, status,
    lint, export and review already count a repeated argument once)."""
    path = project / "content" / "en" / "tiny.yaml"
    spellings = [path, project / "content" / "." / "en" / "tiny.yaml", project / "content" / "en" / ".." / "en" /
                 "tiny.yaml"]
    result = run("approve", *spellings, *APPROVE, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0 and result.output.count("approved: content/en/tiny.yaml") == 1, result.output


@pytest.mark.parametrize("folder", ["ES", "es_MX", "\u0435s"])  # upper case, underscore, Cyrillic е + Latin s
def test_a_translation_in_a_misnamed_language_folder_is_not_ignored_silently(project: Path, folder: str) -> None:
    """A translator's whole Spanish translation in content/ES/, content/es_MX/ or content/еs/ (Cyrillic е):
    `check` said "ok: 1 handout file(s) in 1 language(s)" and `status` listed English only — the work is
    invisible, nothing says why ("nothing lost silently"). At least a warning naming the folder."""
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    (project / "content" / "es").rename(project / "content" / folder)
    result = run("check", "--project", project)
    no_traceback(result)
    assert folder in result.output + result.stderr or repr(folder)[1:-1] in result.output + result.stderr, \
        result.output


# -- the PDF: a project template's boxes drawn over the DRAFT watermark --------------------------------------
def test_a_project_template_cannot_cover_the_draft_watermark(project: Path, tmp_path: Path) -> None:
    """The watermark is drawn under each page's text; a project's handout.xml.j2 that makes every section a
    callout (a filled box) covers it: page 1 of a two-page draft showed no DRAFT at all (7,012 watermark-grey
    pixels with the shipped template, 260 — table rules — with this one), only the 8 pt footer line. Whatever a
    style says the watermark stays visible; whatever a template says, too."""
    source = project / "content" / "en" / "tiny.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace('text: "An introduction."', 'text: "' + "An introduction that goes on. " * 60 + '"', 1)
    source.write_text(text.replace('text: "Safety first."', 'text: "' + "Safety first, always. " * 60 + '"', 1),
                      encoding="utf-8")
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    shipped = watermark_pixels(project / "output" / "en" / "tiny.pdf", tmp_path, "shipped")
    main = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    old = '<section id="{{ section.id }}"{% if section.id == "help" %} style="callout"{% endif %}>'
    assert old in main
    (project / "templates").mkdir()
    (project / "templates" / "handout.xml.j2").write_text(
        main.replace(old, '<section id="{{ section.id }}" style="callout">', 1), encoding="utf-8")
    result = run("build", "-j", "1", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:
        assert result.exit_code == 1 and "handout.xml.j2" in result.stderr, result.output
        return
    boxed = watermark_pixels(project / "output" / "en" / "tiny.pdf", tmp_path, "boxed")
    assert shipped > 2000 and boxed >= shipped // 2, (shipped, boxed)


# -- translate sync: a translator's text removed without a word ---------------------------------------------
def test_sync_never_drops_a_translation_without_saying_so(project: Path) -> None:
    """The source renames a unit (paragraph `intro` → `introduction`, same text): `translate sync es` deleted the
    translator's finished Spanish text of `intro` and said only "updated: content/es/tiny.yaml". Removing a unit
    the source removed is by design; doing it silently is not ("nothing lost silently"): name the unit dropped
    (or keep its text where the translator can find it)."""
    _spanish(project)
    translation = project / "content" / "es" / "tiny.yaml"
    translation.write_text(translation.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "Una introducción muy trabajada."', 1), encoding="utf-8")
    source = project / "content" / "en" / "tiny.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '      - paragraph: intro\n        text: "An introduction."',
        '      - paragraph: introduction\n        text: "An introduction."', 1), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    kept = "Una introducción muy trabajada." in translation.read_text(encoding="utf-8")
    assert kept or "expect.intro" in result.output, result.output


# -- a source's fields: refused where they are, like every other text -------------------------------------
def test_a_control_character_in_a_source_title_is_reported_at_its_line(project: Path) -> None:
    """A BEL in `sources: - title:` (line 10) was reported as `content/en/tiny.yaml:1:1: sources.example: control
    character U+0007` — the position of the file, not of the title (every other field is reported where it
    is)."""
    path = project / "content" / "en" / "tiny.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index('title: "An example source"')].count("\n") + 1
    path.write_text(text.replace('title: "An example source"', 'title: "An example\\a source"', 1), "utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"content/en/tiny.yaml:{line}:" in result.stderr, result.stderr


def test_a_control_character_in_a_source_address_is_refused(project: Path) -> None:
    """`url: "https://example.org/\\a\\e[2J\\u202e"` (BEL, an escape sequence, a right-to-left override):
    `check` said ok (`sources` prints it escaped; the PDF and the HTML show only the host), while the same
    characters anywhere else in a content file are refused with their position."""
    path = project / "content" / "en" / "tiny.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "url: https://example.org/", 'url: "https://example.org/\\a\\e[2J\\u202e"', 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "content/en/tiny.yaml:" in result.stderr, result.output


@pytest.mark.parametrize("command", [("check",), ("build", "-j", "1", "--force")])
def test_an_unreadable_templates_folder_is_not_replaced_by_the_shipped_one(project: Path,
                                                                           command: tuple[str, ...]) -> None:
    """The project's own templates/ (its handout.xml.j2 prints the clinic's name twice) made unreadable (mode 000):
    build said "built 1", check "ok", and the desk served PDFs — all made with the SHIPPED template and style, as if the
    project had none. The clinic's own layout, wording and sizes silently gone: it must be a clear error."""
    _own_templates(project)
    template = project / "templates" / "handout.xml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<titleblock>", "<titleblock><clinic><v>{{ doc.clinic_name }} / {{ doc.clinic_name }}</v></clinic>", 1),
        encoding="utf-8")
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    (project / "templates").chmod(0)
    try:
        done = unprivileged(*command, "--project", project)
    finally:
        (project / "templates").chmod(0o755)
    _no_traceback(done)
    assert done.returncode == 1 and "templates" in done.stderr, (done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_templates_entry_that_is_not_a_folder_is_not_ignored(project: Path, kind: str) -> None:
    """PROJECT/templates as a regular file or a named pipe (a botched copy or unzip): check said ok and build
    used the shipped templates, as for a project without its own — nothing said the project's templates were
    not there. (A dangling link there is refused already.)"""
    entry = project / "templates"
    if kind == "file":
        entry.write_text("not a folder\n", encoding="utf-8")
    else:
        os.mkfifo(entry)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "templates" in result.stderr, result.output


# -- --jobs: a number of workers the machine cannot hold ------------------------------------------------------
def _children(pid: int) -> int:
    """How many processes have `pid` as their parent right now (read from /proc)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            count += fields[1] == str(pid)
    return count


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc to count processes with")
def test_a_huge_jobs_value_does_not_start_a_worker_per_file(tmp_path: Path) -> None:
    """`build -j 1000` on the shipped project (30 PDFs) on a 2-core machine started 30 render workers: 1.46 GB
    proportional memory at the peak (90 MB with -j 1; the issue's bound is 1 GB) and 10 s instead of 2.4 s.
    Workers beyond the processors only cost memory: at most twice the processors may run."""
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "-j", "1000", "-q", "--project",
                                str(project)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=_env())
    most = 0
    while process.poll() is None:
        most = max(most, _children(process.pid))
        time.sleep(0.05)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    assert most <= 2 * (os.cpu_count() or 1), most


def test_a_deep_folder_chain_under_templates_is_walked_in_linear_time(project: Path) -> None:
    """After e829336 (folder trees walked with a stack) a 1,100-deep chain under templates/ no longer ends in a
    RecursionError, but `build` took 20 s on it, and 100 s (stopped) on a 1,900-deep one (3.8 kB of path, within
    PATH_MAX): files_under (content/walk.py) resolved every folder with os.path.realpath, one lstat per level of
    every folder — quadratic. Run in a fresh process, stopped at 60 s."""
    depth = (4000 - len(str(project / "templates" / "deep"))) // 2  # the deepest path stays within PATH_MAX
    _chain(project / "templates" / "deep", depth)
    try:
        done = handouts("build", "-j", "1", "--project", project, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"build with a {depth}-deep folder chain under templates/ did not end within 60 s")
    finally:
        _unchain(project / "templates" / "deep")
    _no_traceback(done)
    assert done.returncode in (0, 1), done.stderr


def test_the_desk_shows_the_review_state_of_the_content_not_of_the_manifest(project: Path) -> None:
    """The manifest's seal (9cdc127) covers an entry's file, sha256 and inputs — not `review_status` or
    `pages`, which the desk's detail page shows. A draft handout whose entry says "approved": the desk showed
    "Review: approved" and no DRAFT banner (and 1 page for 2). What the desk says about a handout comes from the
    content, or from what the seal covers."""
    import json

    from generator.serve.app import create_app

    assert run("build", "-j", "1", "--project", project).exit_code == 0
    manifest = project / "output" / "manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in entries:
        entry["review_status"], entry["pages"] = "approved", 1
    manifest.write_text(json.dumps(entries), encoding="utf-8")
    app = create_app(project.resolve(), None, False, "127.0.0.1", 8000, "", lambda line: None)
    page = app.test_client().get("/?handout=tiny&lang=en", headers={"Host": "127.0.0.1:8000"}).data.decode()
    assert "<dt>Review</dt><dd>approved</dd>" not in page and "DRAFT" in page, page[-3000:]


def test_the_desk_answers_while_idle_keep_alive_clients_hold_connections(project: Path) -> None:
    """After 15cd627 (a request must arrive whole within 10 s), 34 clients that each send a complete, tiny
    request every 8 s on a kept-alive connection (and read the answer) still hold all 32 of the desk's
    connections: each is busy at most a moment, never idle 30 s, never slow within a request. A patient's
    request got no answer in 60 s."""
    import socket
    import threading
    import urllib.request

    desk = Desk(project, privileged=True)
    port = int(desk.base.rsplit(":", 1)[1])
    request = f"GET /static/desk.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    stop = threading.Event()
    held: list[socket.socket] = []

    def ask(connection: socket.socket) -> None:
        try:
            connection.sendall(request)
            connection.settimeout(0.3)
            connection.recv(1 << 20)
        except OSError:
            pass

    try:
        for _ in range(34):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            except OSError:
                break
        for connection in held:
            ask(connection)

        def keep() -> None:
            while not stop.wait(8):
                for connection in held:
                    ask(connection)

        threading.Thread(target=keep, daemon=True).start()
        try:
            with urllib.request.urlopen(desk.base + "/", timeout=35) as answer:
                status = answer.status
        except OSError as exc:
            pytest.fail(f"the desk did not answer within 35 s while 34 kept-alive clients held it ({exc})")
        assert status == 200
    finally:
        stop.set()
        for connection in held:
            connection.close()
        desk.stop()


def test_verify_does_not_call_an_authentic_copy_altered_after_the_next_build(project: Path, tmp_path: Path) -> None:
    """9cdc127 makes verify say "outdated" for a file built here with another style — while the manifest still
    lists it. After the next build (the entry now names the new file) the same authentic copy (the one handed to
    a patient, or kept in a shared folder) is "content current but this file was altered" again: a false
    accusation of tampering for every handout printed before a style change."""
    _own_templates(project)
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    copy = tmp_path / "handed-out.pdf"
    shutil.copy(project / "output" / "en" / "tiny.pdf", copy)
    style = project / "templates" / "style.yaml"
    style.write_text(style.read_text(encoding="utf-8").replace('rule: "#8a9bb0"', 'rule: "#8a9bb1"'), "utf-8")
    assert run("build", "-j", "1", "--project", project).exit_code == 0
    result = run("verify", copy, "--project", project)
    no_traceback(result)
    assert "altered" not in result.output, result.output
