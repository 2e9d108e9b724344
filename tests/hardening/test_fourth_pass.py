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

from tests.conftest import REPO, run
from tests.hardening.hostile import HANDOUT, all_text, no_traceback, tiny_copy
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
