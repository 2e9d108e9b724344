"""The thirty-seventh hostile pass, part B (issue 12): errors that say where. Written against main dac1b04; every
test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, own_template, tiny_copy


def _refused(project: Path, *words: str) -> str:
    """`check` refuses the project (exit 1, no traceback), saying each of `words`; its stderr."""
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


@pytest.mark.parametrize(("snippet", "words"), [
    ("{{ 1/0 }}", ["divides by zero"]),
    ('{% include "" %}', ["templates can only include files under templates/", "empty name"]),
    ('{% include "/etc/hostname" %}', ["templates can only include files under templates/", "absolute path"]),
    ('{% include "fonts" %}', ["templates can only include files under templates/", "is a folder"]),
    ('{% include "missing.j2" %}', ["templates can only include files under templates/", "'missing.j2'"]),
    ("{{ doc.nope }}", ["has no field 'nope'"]),
    ("{{ 1 + 'a' }}", ["cannot be worked out"]),
])
def test_a_template_failing_as_it_renders_is_reported_at_its_line_in_words(
        tmp_path: Path, snippet: str, words: list[str]) -> None:
    """A template that failed as it rendered was reported without line or column, in Python's words:
    `handout.xml.j2: template error (ZeroDivisionError: division by zero)`, `(IsADirectoryError: [Errno 21] Is a
    directory: 3)` for `{% include "" %}`, `'generator.render.localize.View object' has no attribute 'nope'`, and
    just `template error: /etc/hostname` for an include refused without saying why. Now the template's file and
    line (from the traceback frames Jinja2 gives the template's own file and line), and what went wrong."""
    project = tiny_copy(tmp_path / "tiny")
    (project / "templates/fonts").mkdir(parents=True)
    own_template(project, "handout.xml.j2", ("<handout lang=", f"{snippet}\n<handout lang="))
    line = (project / "templates/handout.xml.j2").read_text(encoding="utf-8").splitlines().index(snippet) + 1
    stderr = _refused(project, f"templates/handout.xml.j2:{line}: ", *words)
    for internal in ("Error:", "Errno", "generator.", "object'", "View"):
        assert internal not in stderr, stderr


def test_a_failure_inside_an_included_template_is_reported_at_that_file_and_line(tmp_path: Path) -> None:
    """The included file is where the fault is: its own path and line, not the including template's."""
    project = tiny_copy(tmp_path / "tiny")
    own_template(project, "handout.xml.j2", ("<handout lang=", '{% include "parts/bad.j2" %}\n<handout lang='))
    (project / "templates/parts").mkdir()
    (project / "templates/parts/bad.j2").write_text("\n\n{{ 2 // 0 }}\n", encoding="utf-8")
    _refused(project, "templates/parts/bad.j2:3: ", "divides by zero")
