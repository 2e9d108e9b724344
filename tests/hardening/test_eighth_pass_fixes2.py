"""Fixes of the eighth hostile pass, second part (issue 12): the fixers' own tests of each mechanism. The pass's
findings themselves are tested once, in tests/hardening/test_eighth_pass.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- a named output that is not a regular file --------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["named-pipe", "folder", "socket"])
def test_no_named_output_replaces_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    """The class of the export finding, at files.write_files (every named output: export, template, review
    PDFs): one target of a batch a named pipe, a folder or a socket — WriteError naming it, the entry as it was,
    and nothing of the batch written (the other target not created)."""
    import os
    import socket
    import stat

    from generator.content.files import WriteError, write_files

    target = tmp_path / "target"
    if kind == "named-pipe":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    before = os.lstat(target).st_mode
    with pytest.raises(WriteError) as raised:
        write_files([(tmp_path / "first.po", b"first"), (target, b"second")])
    assert str(target) in str(raised.value) and "nothing was changed" in str(raised.value)
    assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(before)
    assert sorted(os.listdir(tmp_path)) == ["target"]


# -- an output folder among the project's inputs ---------------------------------------------------------------
def test_a_watch_with_an_output_folder_inside_the_project_s_inputs_is_refused_before_it_starts(project: Path) -> None:
    """`build --watch --out PROJECT/content/out` would rebuild for ever (each build changes the next one's
    inputs): refused as a usage error before watching, nothing written (the watch's rounds reported it and went
    on watching)."""
    out = project / "content" / "out"
    result = run("build", "--watch", "-j", "1", "--project", project, "--out", out)
    no_traceback(result)
    assert result.exit_code == 2 and "--out" in result.output + result.stderr and not out.exists()
