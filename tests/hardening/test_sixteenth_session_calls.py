"""Judgement calls left open by earlier passes, taken up in the sixteenth session (each test failed before)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.content.seal import private_cache_dir
from tests.conftest import run
from tests.hardening.hostile import tiny_copy


def test_folders_made_above_the_cache_are_private_whatever_the_umask(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a umask of 000 (a service account, a misconfigured shell) the first command made `~/.cache` mode 777:
    any local user could then move the cache folder aside and the next command made a new one, its seal key and
    build log gone, so `verify` no longer knew any file built before. Every folder the command makes on the way to
    its cache is 0700, as the cache folder itself already was."""
    monkeypatch.delenv("HANDOUTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
    old = os.umask(0)
    try:
        folder = private_cache_dir()
    finally:
        os.umask(old)
    assert folder == tmp_path / "home" / ".cache" / "patient-handouts"
    for made in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, (made, oct(made.stat().st_mode))


def test_options_that_take_many_values_may_be_repeated(tmp_path: Path) -> None:
    """An option that takes one value, given twice, is a usage error (thirty-fourth pass, part A, whose tests show
    it); one that takes many (a build's `--lang`) may still be repeated."""
    project = tiny_copy(tmp_path / "p")
    result = run("build", "--project", project, "--lang", "en", "--lang", "en")
    assert result.exit_code == 0, result.output


def test_a_bug_is_said_in_plain_words_never_as_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thirty-three passes each found some input that ended in a Python traceback (the thirty-fourth: a blank UI
    string in a PO file, a KeyError): to a clinic a traceback reads as if its files were broken, and says nothing it
    can act on. Whatever a bug raises is now said in one line — what, where in the generator, that it is a bug to
    report, that nothing is half-written — and the command exits 1; HANDOUTS_TRACEBACK=1 (the tests' setting)
    raises it as it is. (A bug is simulated: the check raises a KeyError.)"""
    import generator.incremental

    def broken(root: Path) -> None:
        raise KeyError("footer.version")

    monkeypatch.setattr(generator.incremental, "check", broken)
    project = tiny_copy(tmp_path / "p")
    monkeypatch.delenv("HANDOUTS_TRACEBACK")
    said = run("check", "--project", project)
    assert said.exit_code == 1, said.output
    assert "Traceback" not in said.output and "unexpected error, KeyError: 'footer.version'" in said.stderr, said.stderr
    assert "(at generator/cli/staff.py:" in said.stderr, said.stderr  # the innermost frame of the generator
    assert "This is a bug in patient-handouts" in said.stderr and "HANDOUTS_TRACEBACK=1" in said.stderr
    monkeypatch.setenv("HANDOUTS_TRACEBACK", "1")
    with pytest.raises(KeyError):
        run("check", "--project", project)


def test_approve_keeps_a_comment_after_a_flow_review_once(tmp_path: Path) -> None:
    """(Left by the thirty-fourth pass, part A, as a nit.) `review: {status: draft}  # asked Dr K to look at this`:
    `approve` kept the translator's comment — twice, two identical lines above the new block."""
    project = tiny_copy(tmp_path / "p")
    ui = project / "content/en/ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace(
        "review:\n  status: draft\n", "review: {status: draft}  # asked Dr K to look at this\n"), encoding="utf-8")
    result = run("approve", ui, "--reviewer", "Dr A", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.output
    assert ui.read_text(encoding="utf-8").count("# asked Dr K to look at this") == 1, ui.read_text(encoding="utf-8")
