"""The seventeenth hostile pass, part A (issue 12): every command but drawing, with new inputs none of the sixteen
earlier passes or their corpus tried. Written against main 1c23bb2; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import tiny_copy

FORGED = "ok: 1 handout file(s) in 1 language(s), no errors"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _one_line_each(output: str) -> None:
    """No line of a command's output is one a path or a name put there (a forged verdict line)."""
    assert not any(line.startswith(FORGED[:3]) and "no errors" in line for line in output.splitlines()), output


def test_a_line_break_in_a_path_never_prints_a_line_of_its_own(project: Path, tmp_path: Path) -> None:
    """An output folder, an export file and an imported file named with a line break (`/srv/out\\nok: 1
    handout file(s) … no errors`, as a script's variable may hold): `translate export -o` printed the name
    raw ("exported … to /srv/out" then a forged "ok: … no errors" line), and every error of the write, file and
    translator kinds (a foreign manifest in that folder, an import without its export stamp) did too. A name is
    shown on one line, its break escaped, in every message (the sixteenth pass did so for usage errors)."""
    odd = tmp_path / f"x\n{FORGED}\n"
    odd.mkdir()
    (odd / "manifest.json").write_text("{not json", encoding="utf-8")
    result = run("build", "--project", project, "--out", odd)
    assert result.exit_code == 1 and "not written by handouts" in result.stderr
    _one_line_each(result.stdout + result.stderr)
    export = odd / "es.po"
    result = run("translate", "export", "en", "--project", project, "--format", "po", "-o", export)
    _one_line_each(result.stdout + result.stderr)
    stampless = odd / "bare.po"
    stampless.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n', encoding="utf-8")
    result = run("translate", "import", stampless, "--project", project)
    assert result.exit_code == 1 and "export stamp" in result.stderr
    _one_line_each(result.stdout + result.stderr)
