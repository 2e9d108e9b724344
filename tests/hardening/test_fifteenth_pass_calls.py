"""Judgement calls left open by the fourteenth and sixteenth passes, taken up (issue 12), each on the tiny project."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import declare, no_traceback, set_intro, tiny_copy, watching


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def test_a_link_showing_988_may_not_dial_plus_988(project: Path) -> None:
    """`[Call 988](tel:+988)` dials Iran (+98), not the US crisis line the words show; the digits alone agreed."""
    set_intro(project, "In a crisis, [call 988](tel:+988) at once.")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "the link shows the number '988' but goes to 'tel:+988'" in result.stderr, \
        result.stderr
    path = project / "content/en/tiny.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "[call 988](tel:+988)", "[call 988](tel:988) or [+1 555 0100](tel:+15550100)"), encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0


def test_a_hand_written_reviewer_of_punctuation_alone_is_refused(project: Path) -> None:
    """`reviewer: "—"` names nobody, yet an approved page printed "Reviewed by — (MD)"."""
    path = project / "content/en/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    assert "review:\n" in text
    path.write_text(text.replace("review:\n", 'review:\n  reviewer: "—"\n', 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "the reviewer must have letters" in result.stderr, result.stderr


def test_done_warns_about_a_copy_of_the_source_with_curly_quotes(project: Path) -> None:
    """A CAT tool's smart quotes and dashes turn `Don't drive - 24 hours` into `Don’t drive – 24 hours`: still
    the English, not a translation."""
    set_intro(project, "Don't drive - not for 24 hours.")
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    text = spanish.read_text(encoding="utf-8")
    assert "Don't drive - not for 24 hours." in text
    spanish.write_text(text.replace("Don't drive - not for 24 hours.", "Don\u2019t drive \u2013 not for 24 hours."),
                       encoding="utf-8")
    result = run("translate", "done", "es", "--all", "--project", project)
    assert result.exit_code == 0 and "still hold the source's own text" in result.stderr, result.stderr


def test_watch_rebuilds_when_an_approval_expires_at_midnight(project: Path) -> None:
    """No file changes at midnight, but an approval that ends today makes every page "review overdue" tomorrow:
    the watch built the handout approved and kept it so, while a plain `build` the next morning rebuilt it."""
    from pypdf import PdfReader

    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    for name in ("content/en/tiny.yaml", "content/en/ui.yaml"):
        result = run("approve", project / name, "--reviewer", "Dr. Jane Doe", "--role", "MD", "--next-review",
                     tomorrow.isoformat(), "--project", project)
        assert result.exit_code == 0, result.stderr
    clock = [today]

    def stamp() -> str:
        return PdfReader(project / "output/en/tiny.pdf").pages[0].extract_text()

    with watching(project, seconds=60, today=lambda: clock[0]) as (lines, wait_for):
        assert wait_for("built 1, skipped 0"), "\n".join(lines)
        assert "review overdue" not in stamp().lower()
        clock[0] = tomorrow + datetime.timedelta(days=1)
        assert wait_for("built 1, skipped 0", times=2), "\n".join(lines)
    assert "review overdue" in stamp().lower(), stamp()


@pytest.mark.parametrize("command", [["build"], ["print", "tiny", "--lang", "en"], ["translate", "review", "en"],
                                     ["serve"]])
def test_an_empty_out_is_a_usage_error(project: Path, command: list[str]) -> None:
    """`--out ''` (a script's empty $OUT) built into the current folder: es/, manifest.json and the lock file
    landed in the project's root (a judgement call of the sixteenth pass, taken up)."""
    before = sorted(path.name for path in project.iterdir())
    result = run(*command, "--out", "", "--project", project)
    assert result.exit_code == 2 and "'--out': is empty" in result.stderr, result.output + result.stderr
    assert sorted(path.name for path in project.iterdir()) == before
