"""The nineteenth hostile pass, part A (issue 12): every command but drawing, with new inputs none of the eighteen
earlier passes or their corpus tried. Written against main fc3bbfa; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


CONFLICTED = ("texts:\n<<<<<<< HEAD\n  {entry}\n=======\n  abc: \"x\"\n>>>>>>> theirs\n")


@pytest.mark.parametrize("broken", ["conflict", "not a mapping", "a folder"])
def test_a_source_history_that_cannot_be_read_is_never_replaced(tmp_path: Path, broken: str) -> None:
    """Spanish started, es `safety.intro` marked done, then English "Safety first." changed (the unit is stale and
    content/source-history.yaml keeps its old text). The history then holds a git merge conflict (two translators'
    branches merged: every `translate done` touches it), or `texts:` is not a mapping: `translate done es --unit
    expect.intro` read it as empty and wrote a new one holding only "An introduction." — the other side of the
    conflict and "Safety first." were gone, silently, and the export said "the previous source text was not kept".
    A history that cannot be read is left as it is (a folder there too: no traceback)."""
    root = spanish_started(tmp_path / "p")
    assert run("translate", "done", "es", "--unit", "safety.intro", "--handout", "tiny", "--project",
               root).exit_code == 0
    history = root / "content/source-history.yaml"
    entry = next(line.strip() for line in history.read_text(encoding="utf-8").splitlines() if "Safety first." in line)
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("Safety first.", "Safety comes first."),
                       encoding="utf-8")
    if broken == "a folder":
        history.unlink()
        history.mkdir()
    else:
        history.write_text(CONFLICTED.format(entry=entry) if broken == "conflict" else f"texts:\n  - {entry}\n",
                           encoding="utf-8")
    before = None if broken == "a folder" else history.read_bytes()
    result = run("translate", "done", "es", "--unit", "expect.intro", "--handout", "tiny", "--project", root)
    no_traceback(result)
    if before is None:
        assert history.is_dir()
        return
    assert result.exit_code == 0, result.stderr
    assert history.read_bytes() == before, "the unreadable history was replaced"


@pytest.mark.parametrize("kind", ["dangling link", "folder", "fifo"])
def test_a_glossary_that_is_there_but_unreadable_is_never_skipped_silently(tmp_path: Path, kind: str) -> None:
    """content/glossary.yaml a link to a shared glossary not mounted (dangling), a folder, or a named pipe:
    `translate export es` said "exported 46 unit(s)" with exit 0 and no glossary at all — no do-not-translate marks,
    no agreed terms for the translator — as if the project had none. A glossary that is there is read or refused."""
    import os

    root = spanish_started(tmp_path / "p")
    glossary = root / "content/glossary.yaml"
    if kind == "dangling link":
        glossary.symlink_to("../shared/glossary.yaml")
    elif kind == "folder":
        glossary.mkdir()
    else:
        os.mkfifo(glossary)
    result = run("translate", "export", "es", "-o", tmp_path / "es.po", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/glossary.yaml" in result.stderr
    assert not (tmp_path / "es.po").exists()


@pytest.mark.parametrize("lang", ["EN", "En", "english", "en_US"])
def test_a_terminology_row_of_no_language_of_the_project_spelt_otherwise_is_reported(project: Path,
                                                                                     lang: str) -> None:
    """docs/terminology.md with the row `| point | EN | item | first |` (the language typed in capitals, as a
    name, with an underscore): `lint` passed with exit 0, "The first point." never flagged (`--strict` too) — the row
    matched no language and was skipped in silence, though the table's rule is "a row that cannot be read is a
    problem reported at its line, never skipped"."""
    (project / "docs").mkdir()
    (project / "docs/terminology.md").write_text(
        f"| concept | lang | use | not |\n|---|---|---|---|\n| point | {lang} | item | first |\n", encoding="utf-8")
    result = run("lint", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "docs/terminology.md:3:" in result.stderr + result.output


@pytest.mark.parametrize("args", [("translate", "review", "es", "nope"), ("translate", "review", "es", "../x"),
                                  ("translate", "done", "es", "--handout", "nope", "--all")])
def test_a_handout_the_project_lacks_is_a_usage_error_in_every_translator_command(tmp_path: Path,
                                                                                  args: tuple[str, ...]) -> None:
    """`translate review es nope` (or `../x`) and `translate done es --handout nope --all` ended with exit 1
    ("error: no handout nope"), where `build nope`, `sources nope`, `print nope` and `translate export
    --handout nope` give the usage error (exit 2) the exit-code table promises for a handout the project lacks."""
    root = spanish_started(tmp_path / "p")
    result = run(*args, "--project", root)
    no_traceback(result)
    assert result.exit_code == 2, result.output + result.stderr
    assert "available: tiny, ui" in result.stderr


@pytest.mark.parametrize("command", [("check",), ("build",), ("list",), ("status",), ("lint",),
                                     ("translate", "sync", "es"), ("serve",)])
def test_a_project_folder_that_is_a_link_loop_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              command: tuple[str, ...]) -> None:
    """`--project loop` where `loop` is a link to itself (a link left by a script, `ln -s loop loop`), or a folder
    below one: every command ended in a Python traceback (RuntimeError "Symlink loop" from Path.resolve in the
    check cache). `--out` had been refused so since the sixteenth pass; `--project` is checked the same way."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loop").symlink_to("loop")
    for folder in ("loop", "loop/x"):
        result = run(*command, "--project", folder)
        no_traceback(result)
        assert result.exit_code == 2, result.output + result.stderr
        assert "link loop" in result.stderr


@pytest.mark.parametrize("command", [("check", "--project", ""), ("approve", "--reviewer", "Dr A", "--role", "MD",
                                      "--project", "", "content/en/tiny.yaml"), ("init", "")])
def test_an_empty_project_folder_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 command: tuple[str, ...]) -> None:
    """A script's empty `$PROJECT` (`handouts approve --project "$PROJECT" …`) or `handouts init ""`: click read ""
    as the current folder, so the command ran on (approved in, built) whatever project the shell stood in, or `init`
    said ". exists and is not empty" (exit 1). An empty `--out` has been a usage error since the sixteenth pass."""
    monkeypatch.chdir(project)
    before = (project / "content/en/tiny.yaml").read_bytes()
    result = run(*command)
    no_traceback(result)
    assert result.exit_code == 2, result.output + result.stderr
    assert "empty" in result.stderr
    assert (project / "content/en/tiny.yaml").read_bytes() == before


def test_an_error_naming_a_link_loop_is_reported_without_a_traceback(project: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`HOME` a link to itself (a broken profile, `ln -s ~ ~` by mistake): ReportLab, imported by `check`, looks for
    `~/.reportlab_mods` and raises ELOOP; the error reporter then made the path relative with `Path.resolve()`,
    which raises RuntimeError("Symlink loop") — a Python traceback instead of "cannot be read". Here the OSError is
    raised where ReportLab raised it (check's first render import) naming such a loop."""
    import errno

    import generator.incremental

    loop = tmp_path / "home"
    loop.symlink_to("home")

    def looping(*_: object, **__: object) -> None:
        raise OSError(errno.ELOOP, "Too many levels of symbolic links", str(loop / ".reportlab_mods"))

    monkeypatch.setattr(generator.incremental, "check", looping)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert ".reportlab_mods: cannot be read" in result.stderr


RL_SETTINGS = {"RL_pageCompression": "0", "RL_ttfAsciiReadable": "0", "RL_invariant": "0", "RL_useA85": "1"}


def test_the_environment_and_python_files_in_a_project_never_change_a_build(project: Path, tmp_path: Path) -> None:
    """Two defects, one child process (ReportLab is imported afresh there):
    - ReportLab reads `RL_*` environment variables at import (a CI job debugging PDFs sets `RL_pageCompression=0`;
      `RL_ttfAsciiReadable=0` too): the PDF built under them differed byte for byte from the same build without
      them, so `verify` on another computer (a fresh render) called an authentic file "altered", and the desk
      served different bytes for one fingerprint;
    - `python -m generator build` run inside the project (docs/performance.md times it so): Python puts the
      current folder first on its path, and ReportLab imports `reportlab_settings` at start — the project's
      `reportlab_settings.py` ran (a project can never run code). The `handouts` command was safe."""
    import os
    import subprocess
    import sys

    marker = tmp_path / "ran"
    (project / "reportlab_settings.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--out", str(tmp_path / "child")],
                   check=True, env={**os.environ, **RL_SETTINGS}, capture_output=True, cwd=project)
    assert not marker.exists(), "the project's reportlab_settings.py ran"
    assert run("build", "-q", "--project", project, "--out", tmp_path / "here").exit_code == 0
    assert (tmp_path / "child/en/tiny.pdf").read_bytes() == (tmp_path / "here/en/tiny.pdf").read_bytes(), \
        "ReportLab's environment settings changed the PDF"


def test_the_source_history_keeps_its_line_endings(tmp_path: Path) -> None:
    """content/source-history.yaml with Windows line endings (a translator's checkout, `core.autocrlf`): every
    `translate done`, `sync` and `import` rewrote it with "\\n" endings — the whole file a change in `git diff`, the
    one project file whose endings a command did not keep (its mode it kept)."""
    root = spanish_started(tmp_path / "p")
    assert run("translate", "done", "es", "--unit", "safety.intro", "--handout", "tiny", "--project",
               root).exit_code == 0
    history = root / "content/source-history.yaml"
    history.write_bytes(history.read_bytes().replace(b"\n", b"\r\n"))
    result = run("translate", "done", "es", "--unit", "expect.intro", "--handout", "tiny", "--project", root)
    assert result.exit_code == 0, result.stderr
    data = history.read_bytes()
    assert b"An introduction." in data and b"Safety first." in data
    assert data.count(b"\r\n") == data.count(b"\n"), "the history's CRLF endings were lost"
