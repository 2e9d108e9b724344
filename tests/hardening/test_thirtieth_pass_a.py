"""The thirtieth hostile pass, part A (issue 12): every command but drawing — interrupted commands, closed standard
streams, clocks that lie, a port in use. Written against main 544ee59; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


def _ignores_ctrl_c(_item: object) -> bool:
    """In a worker: whether Ctrl-C is ignored there (the building process alone acts on it)."""
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_ctrl_c_during_a_parallel_build_prints_no_worker_traceback() -> None:
    """Ctrl-C in a terminal signals the whole foreground process group: the build and each of its forked workers.
    The build said "Aborted!", exit 1, but an idle worker (waiting for its next batch) raised KeyboardInterrupt too
    and Python printed "Process ForkProcess-2:" and its traceback (…/multiprocessing/queues.py … KeyboardInterrupt)
    under it: 3 of 16 interrupts of `handouts build --lang en` of the shipped project, one or two tracebacks each.
    Now the workers ignore Ctrl-C (blocked from before the fork until then, so none slips in between) and the
    building process, which stops them (`pool.Running.abort`), is the only one to act on it."""
    from generator.batch import pool

    before = signal.getsignal(signal.SIGINT)
    results = pool.run(_ignores_ctrl_c, [[1], [2]], 2, lambda _n: None)
    assert results == [True, True]
    assert signal.getsignal(signal.SIGINT) == before  # the building process still acts on Ctrl-C
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # and it is not left blocked


def _closed(*numbers: int):  # type: ignore[no-untyped-def]
    def close() -> None:
        for number in numbers:
            os.close(number)
    return close


def test_a_build_with_standard_error_closed_builds(tmp_path: Path) -> None:
    """`handouts build 2>&-` (a cron line or service unit that closes standard error, `exec 2>&-` in a script):
    Python sets sys.stderr to None, and the build ended at once in an AttributeError (`sys.stderr.isatty()`), its
    traceback going nowhere: exit 1, nothing built, not a word on standard output, which was open. `print` the
    same. And with descriptor 2 closed, the next file the command opened (a lock file, a PDF being written) took
    number 2, where anything writing "to standard error" below Python would have written into it. Now a closed
    standard input or error is the null device from the start: the build runs and says so on standard output."""
    project = tiny_copy(tmp_path / "clinic")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--lang", "en"], cwd=project,
                          stdout=subprocess.PIPE, preexec_fn=_closed(0, 2), timeout=60, check=False)
    assert done.returncode == 0, done.stdout
    assert done.stdout.decode().startswith("built 1, skipped 0, failed 0"), done.stdout
    assert (project / "output/en/tiny.pdf").is_file()


def test_init_stopped_by_ctrl_c_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`handouts init clinics/north`, Ctrl-C while the starter content was copied (0.3 s in, once in eight tries):
    "Aborted!", and `clinics/` kept `.north._ttwy7h1/`, a hidden 0700 folder holding half a project, for ever;
    given an empty folder to fill, the half project stayed inside it as `.handouts-init.…/`, so the folder was no
    longer empty and `init` refused it from then on ("exists and is not empty"). init promises "written whole or not
    at all". Now the staging folder is removed whatever stops init, and the moves into place are not interrupted."""
    import shutil

    from generator import scaffold

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copytree", interrupted)
    parent = tmp_path / "clinics"
    parent.mkdir()
    with pytest.raises(KeyboardInterrupt):
        scaffold.create(parent / "north")
    assert list(parent.iterdir()) == []
    given = parent / "south"
    given.mkdir()
    with pytest.raises(KeyboardInterrupt):
        scaffold.create(given)
    assert list(given.iterdir()) == []


def test_a_watch_settles_with_a_file_dated_in_the_future(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`build --watch` builds once more when the files have settled, for a file system whose clock ticks by the
    second or two (FAT and exFAT USB sticks, HFS+, shares): a second save within one tick keeps every time, and
    only that later build sees it (twenty-sixth pass). Whether the files had settled was read from their times: any
    file modified within 3 s *or later than now*. A file dated in the future — a FAT stick written in a time zone
    ahead (FAT keeps local time), an archive or `cp -p` from a machine whose clock is ahead, `touch -d tomorrow` —
    made the project unsettled until that date: the settling build never came, and the translator's correction
    saved within the tick ("Take 10 mg" then "Take 50 mg") never reached the PDF, unsaid. Now the watch times the
    settling itself, by its own clock from the moment it saw the change. Simulated with the build counted and the
    times frozen, one file dated a day ahead."""
    import generator.watch

    project = tiny_copy(tmp_path / "clinic")
    ahead = time.time_ns() + 86_400 * 1_000_000_000
    stamps = {str(project / "content/en/tiny.yaml"): (ahead, time.time_ns() - 10**11, 100, 1)}
    monkeypatch.setattr(generator.watch, "watched_files", lambda _root: dict(stamps))
    monkeypatch.setattr(generator.watch, "RACY_SECONDS", 0.2, raising=False)
    builds: list[bool] = []
    monkeypatch.setattr(generator.watch, "_captured", lambda *_args: builds.append(True) or [])
    stop = threading.Event()
    watcher = threading.Thread(target=generator.watch.watch, daemon=True, args=(project, None),
                               kwargs={"echo": lambda *_a, **_k: None, "stop": stop, "interval": 0.02})
    watcher.start()
    deadline = time.monotonic() + 3
    while len(builds) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    watcher.join(5)
    assert len(builds) == 2, builds


def test_serve_on_a_port_in_use_says_how_to_fix(tmp_path: Path) -> None:
    """`handouts serve` while another program (an earlier `serve` left running in another window) listens on port
    8000: "error: Address already in use", exit 1 — what, but no how to fix. Now it names the address and port and
    says to stop the other program or choose another port with --port."""
    project = tiny_copy(tmp_path / "clinic")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--project", project, "--port", port)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr, result.stderr


def test_a_path_too_long_is_not_blamed_on_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project moved 4,000 characters deep (nested exports, a sync client's folders): every command said
    "content/en: the folder content/en/ cannot be read (File name too long); check its permissions (the folder needs
    r and x: chmod u+rx)" and "content/en/tiny.yaml: this file cannot be read (File name too long); check the path and
    its permissions" — a fix that fixes nothing. Now the fix is to move the project to a shorter path. (Simulated:
    reading the folder fails with ENAMETOOLONG, as it did by hand at 4,077 characters.)"""
    import errno

    from generator.content import folders

    project = tiny_copy(tmp_path / "clinic")

    def too_long(path: object) -> list[str]:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))

    monkeypatch.setattr(folders.os, "listdir", too_long)
    reason = folders.folder_unreadable(project / "content/en")
    assert reason is not None and "shorter path" in reason[1] and "chmod" not in reason[1], reason


def test_translate_new_that_loses_a_race_says_the_folder_exists(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Two translators ran `handouts translate new vi` at once (a shared folder, two windows): one made the files,
    the other said "content/vi: cannot be read (File exists); check its permissions" — nothing wrong with the
    permissions, and no word of what happened (2 of 3 tries by hand). Now it says what one started first says:
    "content/vi/ already exists; use `handouts translate sync vi`". (Simulated: the folder appears between the
    command's look and its mkdir.)"""
    from generator.translators import sync

    project = tiny_copy(tmp_path / "clinic")
    reads = sync.source_language

    def made_meanwhile(root: Path) -> str:
        (project / "content/vi").mkdir(exist_ok=True)
        return reads(root)

    monkeypatch.setattr(sync, "source_language", made_meanwhile)
    with pytest.raises(sync.TranslateError, match=r"content/vi/ already exists; use `handouts translate sync vi`"):
        sync.new(project, "vi")
