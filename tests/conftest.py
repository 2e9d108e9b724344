"""Shared fixtures: a throwaway copy of the shipped project, a CLI runner, and one shared build."""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests import pdflayout
from tests.cliserver import CliServer, shared

REPO = Path(__file__).resolve().parent.parent

# The test processes collect cyclic garbage less often than Python's default (700 new objects): a build in a test
# allocates millions of short-lived layout and pdfminer objects, and with the default the young generation is
# scanned thousands of times (measured on a 30-PDF build plus pdfminer reading 10 of them, three runs each: 8-15%
# less CPU; seventeenth session). Commands the tests run as processes of their own (tests/cliserver.py, subprocesses)
# run with the defaults, as a user's do.
gc.set_threshold(50_000, 20, 20)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the CPUs this process may use. Many tests wait on child processes, a
    browser or a slow desk client; the extra worker fills that idle CPU (CI on two CPUs: 8 min 43 s of tests with two
    workers, 8 min 23 s with three, twelfth session)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cpus + 1


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
    """The check cache (and the manifest seal's key) of the test session live in its own folder, never in the
    user's; one folder for every xdist worker, since a build one worker made is reused by the others. A bug is
    raised, not said (HANDOUTS_TRACEBACK=1)."""
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else \
        tmp_path_factory.getbasetemp()
    folder = shared / "check-cache"
    folder.mkdir(exist_ok=True)
    os.environ["HANDOUTS_CACHE_DIR"] = str(folder)
    os.environ[pdflayout.SHARED] = str(shared / "pdf-layouts")  # pdfminer's readings, shared by the workers too
    # A bug raises its exception as it is (cli/crash.py), so it fails its test rather than exiting 1 as one of the
    # clear errors many tests expect; commands the tests run as processes inherit it.
    os.environ["HANDOUTS_TRACEBACK"] = "1"


@pytest.fixture(scope="session")
def cli_server() -> Iterator[CliServer]:
    """Commands run each in its own process, forked from one that has imported the generator (tests/cliserver)."""
    server = shared()
    yield server
    server.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def shared_build(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A project copy built once for the whole run: with pytest-xdist the first worker builds it under a lock
    and the others use it (read only), so the suite pays each shared build once, not once per worker."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        root = copy_project(factory.mktemp(name) / "project")
        make(root)
        return root
    folder = factory.getbasetemp().parent / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root, done = folder / "project", folder / "done"
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a worker that failed half-way leaves nothing usable
            make(copy_project(root))
            done.touch()
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project, built once with default settings; returns the project folder."""
    def make(root: Path) -> None:
        result = run("build", "--project", root)
        assert result.exit_code == 0, result.output

    return shared_build(tmp_path_factory, "built", make)


BILINGUAL = [("es", "en"), ("ar", "en"), ("en", "ar"), ("zh-Hans", "ru")]


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built as large print (every language) and as four bilingual pairs."""
    def make(root: Path) -> None:
        result = run("build", "--project", root, "--large-print")
        assert result.exit_code == 0, result.output
        for first, second in BILINGUAL:
            result = run("build", "--project", root, "--lang", first, "--bilingual", second)
            assert result.exit_code == 0, result.output

    return shared_build(tmp_path_factory, "editions", make)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/render/golden/ from the current build instead of comparing with it")
