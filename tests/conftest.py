"""Shared fixtures: a throwaway copy of the shipped project, a CLI runner, and one shared build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent


def copy_project(dest: Path) -> Path:
    """Copy the shipped project (settings and content; templates come from the defaults) into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "handouts.yaml", dest / "handouts.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    return dest


def run(*args: str) -> Result:
    """Run the CLI in-process; stderr is kept apart from stdout."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True, scope="session")
def _own_check_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The check cache of the test session lives in its own folder, never in the user's."""
    import os

    os.environ["HANDOUTS_CACHE_DIR"] = str(tmp_path_factory.mktemp("check-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project, built once with default settings; returns the project folder."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


BILINGUAL = [("es", "en"), ("ar", "en"), ("en", "ar"), ("zh-Hans", "ru")]


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built as large print (every language) and as four bilingual pairs."""
    root = copy_project(tmp_path_factory.mktemp("editions") / "project")
    result = run("build", "--project", root, "--large-print")
    assert result.exit_code == 0, result.output
    for first, second in BILINGUAL:
        result = run("build", "--project", root, "--lang", first, "--bilingual", second)
        assert result.exit_code == 0, result.output
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/render/golden/ from the current build instead of comparing with it")
