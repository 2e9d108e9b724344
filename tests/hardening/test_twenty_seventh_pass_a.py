"""The twenty-seventh hostile pass, part A (issue 12): every command but drawing — the output folder's kept-aside
copies, many language folders, approve and verify on unusual but legal inputs, two commands on one project. Written
against main d2aa693; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy


def _second_handout(project: Path, handout_id: str) -> Path:
    """A copy of the tiny handout under another ID (content/en/ID.yaml)."""
    text = (project / HANDOUT).read_text(encoding="utf-8").replace("handout: tiny", f"handout: {handout_id}", 1)
    path = project / f"content/en/{handout_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_changed_file_of_a_withdrawn_handout_is_kept_aside_not_deleted(tmp_path: Path) -> None:
    """A clinician saved notes into output/en/other.pdf in a PDF reader; the handout was then withdrawn (its content
    file removed, or renamed). The next `handouts build` said "removed 1 withdrawn" and deleted the changed file —
    the notes with it — while a changed file of a handout still built is kept as ID.changed.pdf (the fourteenth
    session's keep-aside): the withdrawal path never looked at what it deleted. Now a withdrawn file that is no
    longer what its build wrote is kept aside the same way (and the build warns); an unchanged one is removed."""
    project = tiny_copy(tmp_path / "tiny")
    source = _second_handout(project, "other")
    _second_handout(project, "third")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/other.pdf"
    notes = pdf.read_bytes() + b"%a clinician's notes\n"
    pdf.write_bytes(notes)
    source.unlink()
    (project / "content/en/third.yaml").unlink()  # unchanged: removed as before
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/other.changed.pdf"
    assert kept.is_file() and kept.read_bytes() == notes, "the changed copy of a withdrawn handout was deleted"
    assert f"{pdf}: warning: changed since it was built" in result.stderr and str(kept) in result.stderr
    assert not pdf.exists() and not (project / "output/en/third.pdf").exists()
    assert sorted(p.name for p in (project / "output/en").iterdir()) == ["other.changed.pdf", "tiny.pdf"]
