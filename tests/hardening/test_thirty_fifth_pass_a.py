"""The thirty-fifth hostile pass, part A (issue 12): the output folder and what reads it, the front desk, print, watch,
init, approve and the cache folder. Written against main 578acb6; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.mark.parametrize("kind", ["fifo", "folder", "device link", "dangling link"])
def test_settings_file_that_is_no_file_is_said_for_what_it_is(tmp_path: Path, kind: str) -> None:
    """handouts.yaml a named pipe, a folder, a link to /dev/zero or a link to nothing: every command (check, build,
    the watch, the desk) said "no handouts.yaml here; … create one with handouts init" — the file is there, and
    `init` refuses the (non-empty) folder. Said now for what it is, with what to do."""
    project = tiny_copy(tmp_path / "p")
    settings = project / "handouts.yaml"
    settings.unlink()
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "folder":
        settings.mkdir()
    elif kind == "device link":
        settings.symlink_to("/dev/zero")
    else:
        settings.symlink_to(tmp_path / "nowhere.yaml")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "no handouts.yaml here" not in result.stderr and "handouts init" not in result.stderr, result.stderr
    expected = {"fifo": "a named pipe", "folder": "a folder", "device link": "a device",
                "dangling link": "a link to a place that does not exist"}[kind]
    assert f"handouts.yaml: is {expected}" in result.stderr, result.stderr
