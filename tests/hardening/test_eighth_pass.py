"""The eighth hostile pass (issue 12): new inputs, none repeated from the seven earlier passes or their corpus.
Written against main 9506dfa; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, UI, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# -- approve records what the footer cannot hold ---------------------------------------------------------------
def test_approve_refuses_a_name_and_role_too_wide_for_the_footer(project: Path) -> None:
    """`approve --reviewer WWW…(80) --role WWW…(80)` of the handout, its ui.yaml and facts.yaml: each is at the
    80-character limit, every character is one the fonts draw, so on main 9506dfa approve said "approved"
    (exit 0) three times. The next `build` fails: "review.role: … makes the approval line 827 pt wide, more than
    the 505 pt of the narrowest page … approve again with a shorter --role" — a clinic cannot print anything
    until the reviewer approves again. The issue: approve must refuse what no build can draw; the limit counts
    characters while the footer is measured in points (a W is four times an i)."""
    wide = "W" * 80
    result = run("approve", "--project", project, "--reviewer", wide, "--role", wide,
                 project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(result)
    if result.exit_code != 0:  # refused at approve, where it belongs, and nothing recorded
        assert result.exit_code in (1, 2) and "review:\n  status: draft" in (project / HANDOUT).read_text()
        return
    build = run("build", "-j", "1", "-q", "--project", project)
    no_traceback(build)
    assert build.exit_code == 0, build.output + build.stderr
