"""The twenty-seventh hostile pass, part A (issue 12): every command but drawing — the output folder's kept-aside
copies, many language folders, approve and verify on unusual but legal inputs, two commands on one project. Written
against main d2aa693; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_status_parses_each_source_file_once_however_many_language_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`handouts status` lists every folder under content/ named like a language (a translation not yet declared).
    It parsed every English file again for each of them: 300 empty folders beside the shipped content took 11.6 s,
    1,600 over a minute (20,000 beside the tiny project: 98 s), a hang in the issue's sense for a project anyone can
    hand over (or a sync tool that made folders). Now each source file is parsed once per run; the shipped content
    with 1,600 empty folders takes a few seconds. Counted here rather than timed."""
    from generator.translators import status as status_module

    project = tiny_copy(tmp_path / "tiny")
    for number in range(40):
        (project / f"content/x{number:02d}").mkdir()  # not language codes: not listed
        (project / f"content/q{chr(97 + number % 26)}{chr(97 + number // 26)}").mkdir()
    parsed: list[str] = []
    real = status_module.parse_file
    monkeypatch.setattr(status_module, "parse_file", lambda path, *a: parsed.append(str(path)) or real(path, *a))
    result = run("status", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert sum(line.endswith(" missing") for line in result.output.splitlines()) == 80  # 40 languages × 2
    assert len(parsed) <= 4, f"{len(parsed)} parses for 2 source files"


def test_status_names_a_broken_source_file_once(tmp_path: Path) -> None:
    """The broken English file is one problem, not one per language folder."""
    project = tiny_copy(tmp_path / "tiny")
    for code in ("es", "fr", "de"):
        (project / f"content/{code}").mkdir()
    (project / HANDOUT).write_text("handout: tiny\nlang: en\ntitle: [\n", encoding="utf-8")
    result = run("status", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.count("content/en/tiny.yaml:") == 1, result.stderr


def test_a_changed_file_too_large_to_read_is_kept_aside_not_replaced_unsaid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keeping a changed file aside read it whole, at most 50 MB; one larger (a PDF a clinician attached scans to
    in a reader, the desk's own bound) was "a link, a pipe or an outsized file: replaced as an entry, never read"
    — the rebuild renamed over it and nothing was said. No build writes a file that large, so it has changed; it
    is now kept under its aside name as a second name of the same file (a hard link: nothing read, no memory).
    The bound is lowered here so that a real PDF stands for a large one."""
    from generator.render import keepaside

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    notes = pdf.read_bytes() + b"%a clinician's notes\n"
    pdf.write_bytes(notes)
    monkeypatch.setattr(keepaside, "MAX_KEPT_BYTES", 1_000)
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/tiny.changed.pdf"
    assert kept.is_file() and kept.read_bytes() == notes, "a changed file over the read bound was replaced unsaid"
    assert str(kept) in result.stderr and pdf.read_bytes() != notes


def test_a_listed_file_this_user_cannot_read_is_kept_aside_not_replaced_unsaid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In an output folder several people build into (a clinic's share), a colleague's reader saved notes into a
    PDF with their own umask (077): mode 0600, someone else's. Another user's build cannot read it, so cannot
    tell whether it changed; it was replaced as if it were a link or a pipe, unsaid. Now it is kept aside like a
    changed one (a second name: nothing read), or, where no second name can be made, the build stops naming it,
    nothing changed. (Run as root here: the unreadable file is simulated.)"""
    import errno
    import os
    import types

    from generator.render import keepaside

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    notes = pdf.read_bytes() + b"%a colleague's notes\n"
    pdf.write_bytes(notes)
    real_open = os.open

    def unreadable(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == pdf and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    fake_os = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os) if not name.startswith("__")})
    fake_os.open = unreadable
    monkeypatch.setattr(keepaside, "os", fake_os)
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/tiny.changed.pdf"
    assert kept.is_file() and kept.read_bytes() == notes
    assert str(kept) in result.stderr

    pdf.write_bytes(notes + b"%more\n")
    fake_os.link = lambda *a, **k: (_ for _ in ()).throw(PermissionError(errno.EPERM, "no"))
    before = pdf.read_bytes()
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "nothing was changed" in result.stderr, result.stderr
    assert str(pdf) in result.stderr and pdf.read_bytes() == before
    assert not (project / "output/en/tiny.changed-2.pdf").exists()


def test_a_comment_above_the_document_start_is_refused_with_a_hint_that_works(tmp_path: Path) -> None:
    """A translation file starting with a comment, then YAML's document start line (`# revisado por M.\\n---\\n…`,
    as some editors' templates and YAML habits write a file): `translate sync` and `translate done` refused, rightly
    (the round trip drops a comment above `---`), but said "move the comment to a line of its own above the entry":
    it was on a line of its own, and doing so changed nothing — the same refusal again. Now the message names the
    `---` line and says to move the comment below it (which then syncs, the comment kept)."""
    project = tiny_copy(tmp_path / "tiny")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    path = project / "content/es/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# revisado por M.\n---\n" + text, encoding="utf-8")
    for args in (("translate", "sync", "es"), ("translate", "done", "es", "--handout", "tiny", "--all")):
        result = run(*args, "--project", project)
        no_traceback(result)
        assert result.exit_code == 1
        assert "content/es/tiny.yaml:1:1:" in result.stderr and "below the '---' line" in result.stderr, \
            result.stderr
    path.write_text("---\n# revisado por M.\n" + text, encoding="utf-8")  # as the message says
    result = run("translate", "done", "es", "--handout", "tiny", "--all", "--project", project)
    assert result.exit_code == 0, result.stderr
    assert "# revisado por M." in path.read_text(encoding="utf-8")
    path.write_text(text + "...\n# fin\n", encoding="utf-8")  # the same below YAML's document end line
    result = run("translate", "done", "es", "--handout", "tiny", "--all", "--project", project)
    assert result.exit_code == 1 and "above the '...' line" in result.stderr, result.stderr


def test_a_large_file_no_template_can_read_does_not_stop_every_build(tmp_path: Path) -> None:
    """A clinic's templates/ folder holding a file no template can read — the 100 MB zip of Noto CJK downloaded to
    take one face from, a designer's 70 MB .psd of the logo: `check` said ok, and every `build` (the desk's and the
    watch's too) stopped with "templates/x: is 73,400,320 bytes, larger than 64,000,000; use a smaller file": the
    inputs fingerprint hashed every file of the folder whole. A template cannot read a file over 1 MB (the loader
    refuses it, so no output can depend on its bytes), so such a file counts by its size; fonts.yaml's faces and
    the logo are hashed as before. A template that includes it is still refused, naming it."""
    project = tiny_copy(tmp_path / "tiny")
    (project / "templates").mkdir()
    with open(project / "templates/Noto-Sans-CJK.zip", "wb") as handle:
        handle.truncate(70_000_000)  # sparse: no disk used
    assert run("check", "--project", project).exit_code == 0
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    result = run("build", "--project", project)
    assert "skipped 1" in result.output, result.output
