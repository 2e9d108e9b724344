"""A project's own HTML companion says the handout's language and direction (render/htmlcheck.check_directions):
`<html dir="ltr">` on the Arabic page set every paragraph left to right."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy
from tests.hardening.test_fourth_pass import _own_html
from tests.hardening.test_ninth_pass import _with_arabic


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tiny_copy(tmp_path / "project")
    _with_arabic(root)
    return root


@pytest.mark.parametrize(("old", "new", "said"), [
    ('<html lang="{{ doc.lang }}" dir="{{ doc.direction }}">', '<html lang="{{ doc.lang }}" dir="ltr">',
     'dir="ltr"'),
    ('<html lang="{{ doc.lang }}" dir="{{ doc.direction }}">', '<html lang="{{ doc.lang }}">', "must say"),
    ('<html lang="{{ doc.lang }}" dir="{{ doc.direction }}">', '<html lang="en" dir="{{ doc.direction }}">',
     'lang="en"'),
    ("<body>", '<body dir="ltr">', 'dir="ltr"'),
])
def test_an_own_html_template_cannot_say_another_direction_or_language(project: Path, old: str, new: str,
                                                                     said: str) -> None:
    _own_html(project, old, new)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.stderr and said in result.stderr, result.stderr


def test_the_shipped_companion_and_a_faithful_copy_pass(project: Path) -> None:
    _own_html(project, "<body>", '<body dir="{{ doc.direction }}">')
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("old", "new"), [
    ('<html lang="{{ doc.lang }}" dir="{{ doc.direction }}">',
     '<html lang="{{ doc.lang }}" dir="ltr" dir="{{ doc.direction }}">'),
    ("<body>", '<body class="a" class="b">'),
])
def test_an_attribute_written_twice_is_refused(project: Path, old: str, new: str) -> None:
    """A browser keeps an attribute's first value, a parser's dict its last: `<a href="tel:X" href="tel:988">`
    dialled X under words the check read as 988 (twelfth pass)."""
    _own_html(project, old, new)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "twice" in result.stderr, result.stderr
