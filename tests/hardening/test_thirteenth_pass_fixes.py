"""The thirteenth pass's judgement calls taken up (issue 12): each small, each tested on the tiny project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import UI, declare, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def test_the_page_number_placeholder_is_used_once(project: Path) -> None:
    """`footer.page: "{page}{page}{page} of {pages}"` printed page 1 of 2 as "111 of 2"."""
    path = project / UI
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip().startswith("footer.page:"))
    path.write_text(text.replace(line, '  footer.page: "Page {page}{page}{page} of {pages}"'), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "placeholder {page} is used 3 times" in result.stderr, result.stderr


def test_approve_takes_the_whole_printed_fingerprint(project: Path) -> None:
    """Eight of the twelve printed digits were accepted: a text made to collide with 32 bits would pass."""
    result = run("approve", project / "content/en/tiny.yaml", "--reviewer", "Dr. Jane Doe", "--role", "MD",
                 "--fingerprint", "deadbeef", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "12 characters" in result.stderr, result.stderr


def test_a_logo_that_is_a_folder_is_called_a_folder(project: Path) -> None:
    settings = project / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "clinic:\n" in text
    settings.write_text(text.replace("clinic:\n", "clinic:\n  logo: content\n", 1), encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "logo file 'content' is a folder" in result.stderr, result.stderr


def test_translate_new_of_the_source_language_says_so(project: Path) -> None:
    result = run("translate", "new", "en", "--project", project)
    assert result.exit_code == 1 and "it is the source language" in result.stderr, result.stderr


def test_done_warns_about_a_copy_of_the_source_with_a_no_break_space(project: Path) -> None:
    """A copy of the English with one space made a no-break space is still English."""
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('text: "An introduction."',
                                                                   'text: "An\\u00a0introduction."', 1),
                       encoding="utf-8")
    result = run("translate", "done", "es", "--all", "--project", project)
    assert result.exit_code == 0 and "still hold the source's own text" in result.stderr, result.stderr


def test_lint_names_a_number_the_translation_lost(project: Path) -> None:
    """"Do not drive for 24 hours" translated "No maneje durante 48 horas" passed check, status and import."""
    from tests.hardening.hostile import set_intro

    set_intro(project, "Do not drive for 24 hours.")
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('text: "Do not drive for 24 hours."',
                                                                   'text: "No maneje durante 48 horas."', 1),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", project).exit_code == 0
    result = run("lint", "--project", project)
    no_traceback(result)
    assert "content/es/tiny.yaml:19:16: tiny: expect.intro: 24 not in the translation" in result.output, result.output


def test_done_of_a_unit_id_several_handouts_share_needs_the_handout(tmp_path: Path) -> None:
    """Unit IDs repeat across handouts (`expect.intro` is in all five): `done es --unit expect.intro` marked it in
    every one, clearing the staleness of four a translator never revised (fourteenth pass's judgement call)."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "shipped")
    before = {path: path.read_bytes() for path in (project / "content/es").glob("*.yaml")}
    result = run("translate", "done", "es", "--unit", "expect.intro", "--project", project)
    assert result.exit_code == 1 and "is in several files" in result.stderr and "--handout" in result.stderr
    assert {path: path.read_bytes() for path in before} == before  # nothing marked
    named = run("translate", "done", "es", "--handout", "microdosing", "--unit", "expect.intro", "--project", project)
    assert named.exit_code == 0, named.output + named.stderr
