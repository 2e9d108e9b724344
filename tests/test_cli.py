"""Command-line contract: help everywhere, usage errors exit 2, listing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["list"], ["init"]])
def test_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_unknown_language_is_a_usage_error(project: Path) -> None:
    result = run("build", "--project", project, "--lang", "xx")
    assert result.exit_code == 2
    assert "no content for language 'xx'; available: en" in result.stderr
    assert not (project / "output").exists()


def test_unknown_handout_is_a_usage_error(project: Path) -> None:
    result = run("build", "--project", project, "nope")
    assert result.exit_code == 2
    assert "no handout 'nope'; available:" in result.stderr


def test_bad_option_is_a_usage_error(project: Path) -> None:
    assert run("build", "--project", project, "--paper", "legal").exit_code == 2


def test_no_project_here(tmp_path: Path) -> None:
    result = run("check", "--project", tmp_path)
    assert result.exit_code == 1
    assert "no handouts.yaml here" in result.stderr


def test_check_and_list_on_shipped_content(project: Path) -> None:
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    listing = run("list", "--project", project)
    assert listing.exit_code == 0
    assert re.search(r"^ketamine-assisted-therapy +en +1\.1\.0 +[0-9a-f]{12} +draft$", listing.output, re.M)
    assert "draft" in listing.output
