"""tests/cliserver.py, which the adversarial corpus runs its commands through, is a process per command: exit
codes, output, the folder, the memory limit and the timeout are each the command's own."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.cliserver import CliServer
from tests.conftest import copy_project

GIB = 1 << 30


def test_exit_codes_and_output_are_the_commands(cli_server: CliServer, tmp_path: Path) -> None:
    done = cli_server.run(["--version"], tmp_path, GIB, 60)
    assert done.returncode == 0 and "handouts" in done.stdout and done.stderr == ""
    done = cli_server.run(["no-such-command"], tmp_path, GIB, 60)
    assert done.returncode == 2 and "No such command" in done.stderr and done.stdout == ""
    done = cli_server.run(["check", "--project", "missing"], tmp_path, GIB, 60)  # relative to the folder given
    assert done.returncode != 0 and str(tmp_path / "missing") in done.stderr + done.stdout


def test_a_command_runs_in_its_folder_and_leaves_nothing_behind_for_the_next(cli_server: CliServer,
                                                                             tmp_path: Path) -> None:
    copy_project(tmp_path / "project")
    first = cli_server.run(["check"], tmp_path / "project", GIB, 120)
    assert first.returncode == 0, first.stderr
    second = cli_server.run(["check"], tmp_path, GIB, 120)  # no project here: what the first loaded is gone
    assert second.returncode != 0


def test_the_memory_limit_is_the_commands(cli_server: CliServer, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chinese build needs more than 70 MB of address space: under that limit it fails, under 1 GiB it works."""
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))  # nothing vouched for by another test
    for limit, works in ((70 << 20, False), (GIB, True)):
        copy_project(tmp_path / str(limit))
        done = cli_server.run(["build", "--lang", "zh-Hans", "-j", "1"], tmp_path / str(limit), limit, 120)
        assert (done.returncode == 0) == works, done.stderr


def test_a_command_that_outlives_its_timeout_is_killed(cli_server: CliServer, tmp_path: Path) -> None:
    """The front desk serves until stopped: after the timeout it is killed, as subprocess.run would kill it."""
    copy_project(tmp_path / "project")
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        cli_server.run(["serve", "--port", "0"], tmp_path / "project", GIB, 3)
    assert time.monotonic() - started < 30
    assert cli_server.run(["--version"], tmp_path, GIB, 60).returncode == 0  # and the server goes on
