"""The twenty-ninth hostile pass, part A (issue 12): every command but drawing — the user's cache folder's logs
(`built.log`, `imported.log`) in unusual states. Written against main 010ae3d; every test here failed on it when
written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.content import seal
from generator.translators import reimport
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder of this test's own."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(folder))
    return folder


class Blocked(Exception):
    """The test blocked past its deadline (not an OSError: the code under test catches those)."""


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the suite) when the test blocks for more than 2 s."""
    def expired(*_: object) -> None:
        raise Blocked("blocked for 2 s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("log", [seal.BUILT_FILE, reimport.LOG])
def test_a_pipe_in_place_of_a_log_never_hangs(cache: Path, deadline: None, log: str) -> None:
    """A named pipe at `$HANDOUTS_CACHE_DIR/built.log` (or `imported.log`; a script's `mkfifo` meant for another
    folder, a sync tool recreating special files): every `handouts build` printed nothing and hung for ever after
    writing its files (the log was opened for writing with no reader; its read side refused the pipe, rightly), and
    so did `translate import`, the desk's PDF requests and each `--watch` round. The logs are best effort: a log
    that is not a regular file is now left alone and the command goes on (`seal.remember_built`)."""
    os.mkfifo(cache / log)
    seal.remember_built(["0" * 64], log)  # blocked here for ever on main
    assert not seal.was_built("0" * 64, log)


def test_an_outsized_log_is_cut_back_not_given_up(cache: Path) -> None:
    """A `built.log` grown past the bound its read takes (three times the lines kept: one build that wrote more
    files than the log keeps, appended to a log nearly due to be cut; or a log copied in by hand): every read
    refused it, so `verify` never again said "built here earlier" of any copy — and the cut that keeps the log
    bounded read it the same way, failed, and the log grew by each build's lines for ever, unsaid. The cut now
    reads only the newest lines it keeps, so the log is bounded again and its newest lines count."""
    line = 64 + 1 + 32 + 1
    (cache / seal.BUILT_FILE).write_bytes(b"f" * (3 * seal._BUILT_KEPT * line + 10) + b"\n")
    seal.remember_built(["1" * 64])
    assert (cache / seal.BUILT_FILE).stat().st_size <= 2 * seal._BUILT_KEPT * line
    assert seal.was_built("1" * 64)


def test_a_folder_at_the_seal_keys_name_is_named(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder at `$HANDOUTS_CACHE_DIR/seal.key` (a `mkdir -p` of a wrong path, a backup tool restoring it so): every
    build warned "the cache folder cannot be used (…/.seal.key.9366.1be8fb73.tmp: Is a directory)" — a name that
    no longer exists when it is read (the temp file the key was to be made through, removed) — and rendered every
    handout again, build after build; the user could not tell what to move. The warning now names `seal.key`
    itself, and says to move it away."""
    (cache / seal.KEY_FILE).mkdir()
    monkeypatch.setattr(seal, "_secret", None)
    monkeypatch.setattr(seal, "_no_key", None)
    said = seal.cache_refused() or ""
    assert f"{cache / seal.KEY_FILE} " in said and ".tmp" not in said and "move it away" in said, said


def test_approving_a_language_not_yet_declared_says_so(tmp_path: Path) -> None:
    """`translate new es` says to add 'es' to `languages:` "when it is translated"; a reviewer then approved the
    finished translation first: `approve content/es/ui.yaml` said "not a content file of this project; approve
    content/<lang>/<handout>.yaml, content/<lang>/ui.yaml or content/facts.yaml" — the very form given, so the hint
    led nowhere. A file of a language folder the project does not declare is now named as such, with the fix."""
    root = tiny_copy(tmp_path / "p")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    for name in ("ui.yaml", "tiny.yaml"):
        result = run("approve", "--reviewer", "Dr A", "--role", "MD", "--project", root, root / "content/es" / name)
        no_traceback(result)
        assert result.exit_code == 1, result.output
        assert "'es' is not in languages: in handouts.yaml" in result.stderr, result.stderr
