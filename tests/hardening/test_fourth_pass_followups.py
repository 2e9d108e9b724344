"""What the fourth hostile pass left borderline (issue 12), fixed since: each test fails on the code before.

A reviewer's comment after a value in the review block, a killed command's temporary files, a number a lint
target cannot be, a damaged seal key that made every later build rebuild everything without a word.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.cliserver import handouts
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def test_approve_keeps_a_comment_written_after_a_value_of_the_review_block(project: Path) -> None:
    """`status: draft  # waiting for Dr. Lee's second read` — approve rewrote the block and the note was gone
    (only whole-line comments were kept)."""
    path = project / "content" / "en" / "tiny.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  status: draft\n" in text
    path.write_text(text.replace("  status: draft\n", "  status: draft  # waiting for a second read\n", 1),
                    encoding="utf-8")
    result = run("approve", path, "--reviewer", "R. Example", "--role", "MD", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "# waiting for a second read" in after and "status: approved" in after


def test_a_killed_command_s_temporary_file_is_removed_by_the_next_write(project: Path) -> None:
    """A command killed between writing its temporary file and the rename left `.tiny.yaml.XXXXXXXX.tmp` in the
    translator's folder for ever; the next write of the same file removes one that old (never a fresh one: it
    could be another command's, still writing)."""
    folder = project / "content" / "en"
    stale, fresh = folder / ".tiny.yaml.abcd1234.tmp", folder / ".tiny.yaml.efgh5678.tmp"
    for leftover in (stale, fresh):
        leftover.write_text("half a file\n", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    result = run("approve", folder / "tiny.yaml", "--reviewer", "R. Example", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.output
    assert not stale.exists() and fresh.exists()


@pytest.mark.parametrize(("option", "value"), [("--max-grade", "-1"), ("--min-es-score", "101"),
                                               ("--max-words", "0"), ("--max-chars", "-5")])
def test_lint_refuses_a_target_no_text_can_have(project: Path, option: str, value: str) -> None:
    """`lint --max-grade -1` was accepted: every section then "misses" a target no text can meet."""
    result = run("lint", option, value, "--project", project)
    no_traceback(result)
    assert result.exit_code == 2 and "is not between" in result.output, result.output


def test_a_damaged_seal_key_is_replaced_so_the_next_build_skips_again(project: Path, tmp_path: Path) -> None:
    """A seal key cut short (a full disk, a botched copy of the cache) was never replaced: each process made a
    key of its own, so every build rebuilt every file and the desk trusted none, without a word."""
    cache = tmp_path / "cache"
    env = {**os.environ, "HANDOUTS_CACHE_DIR": str(cache)}

    def build() -> str:
        done = handouts("build", "-j", "1", "--project", project, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    build()
    (cache / "seal.key").write_bytes(b"short")
    assert "built 1" in build()  # its seals are void: rebuilt once
    assert len((cache / "seal.key").read_bytes()) == 32
    assert "skipped 1" in build()
