"""The eighteenth hostile pass, part A (issue 12): every command but drawing, with new inputs none of the seventeen
earlier passes or their corpus tried. Written against main 0428e54; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


@contextmanager
def time_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> Iterator[None]:
    """The process's local time zone is `zone` (date.today() follows it) until the block ends."""
    with monkeypatch.context() as patch:
        patch.setenv("TZ", zone)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


def test_an_approval_made_in_a_time_zone_ahead_does_not_stop_every_build(project: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A reviewer approves on a laptop in Kiritimati (UTC+14) — or in Sydney, in the evening of the clinic's
    server in California; the server (UTC-12 here) runs `check` and `build`: "review.date: the date 2026-12-08 is
    after today (2026-12-06)", and every handout of the project, in every language, stops building (and the desk
    serves none) until the server's calendar catches up. `approve` wrote, honestly, a record the project then
    refused. A date is "after today" only when no place on Earth has reached it yet."""
    with time_zone(monkeypatch, "Pacific/Kiritimati"):
        approved = run("approve", "--reviewer", "Dr A", "--role", "MD", "--project", project,
                       project / "content/en/tiny.yaml")
    assert approved.exit_code == 0, approved.stderr
    with time_zone(monkeypatch, "Etc/GMT+12"):
        for command in ("check", "build"):
            result = run(command, "--project", project)
            no_traceback(result)
            assert result.exit_code == 0, result.stderr
