"""Judgement calls left open by the fifteenth and sixteenth passes, taken up in the seventeenth session (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import declare, no_traceback, tiny_copy


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
