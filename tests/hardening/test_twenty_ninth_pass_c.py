"""The twenty-ninth hostile pass, part C (issue 12): whole workflows of one user at a time — a clinic manager moving
the project to another computer, a translator working through review sheets and `translate sync/done` while the
English changes, a reviewer's approval followed by a change of clinic settings. Written against main 010ae3d; every
test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


def test_done_on_a_stale_unit_names_the_english_it_binds_the_translation_to(tmp_path: Path) -> None:
    """A Vietnamese translator read the review sheet of a unit the English had changed ("… version two"), revised
    the translation, and ran `translate done vi --unit expect.intro`; meanwhile the author changed the English a
    second time ("… version three: do not drive for 24 hours."). `done` said "marked: content/vi/tiny.yaml:
    expect.intro", exit 0: the translation of version two was recorded as made from version three, the added
    safety instruction missing from the Vietnamese handout with nothing left stale. `done` cannot know what the
    translator read, but it now names, for each stale unit it marks, the English it binds the translation to."""
    project = tiny_copy(tmp_path / "p")
    en = project / "content/en/tiny.yaml"
    assert run("translate", "new", "vi", "--project", project).exit_code == 0
    vi = project / "content/vi/tiny.yaml"
    vi.write_text(vi.read_text(encoding="utf-8").replace("An introduction.", "Một lời giới thiệu."), encoding="utf-8")
    assert run("translate", "done", "vi", "--unit", "expect.intro", "--project", project).exit_code == 0
    was = "An introduction."
    for words in ("An introduction, version two.", "An introduction, version three: do not drive for 24 hours."):
        en.write_text(en.read_text(encoding="utf-8").replace(was, words, 1), encoding="utf-8")
        was = words
        assert run("translate", "sync", "vi", "--project", project).exit_code == 0
    result = run("translate", "done", "vi", "--unit", "expect.intro", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0
    assert 'against the English now "An introduction, version three: do not drive for 24 hours."' in result.output


def test_a_copy_built_for_the_clinic_under_its_old_name_on_another_computer_is_not_called_altered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clinic manager copied the project folder to a new computer (the cache folder, with its log of files built
    here, stays behind), renamed the clinic in handouts.yaml there, and ran `handouts verify` on a handout printed
    on the old computer, untouched: "content current but this file was altered … print it again", a genuine copy
    called tampered (the eighth-session fix of this for a file of another generator version did not cover
    settings). The file names the clinic it was built for (its Author); when that is not the clinic handouts.yaml
    names, verify now says "unknown" with the reason (exit 1 as before: nothing unproven is called current), and a
    file changed since it was built for the current clinic is still "altered"."""
    project = tiny_copy(tmp_path / "p")
    assert run("build", "--lang", "en", "--project", project).exit_code == 0
    old = tmp_path / "printed.pdf"
    old.write_bytes((project / "output/en/tiny.pdf").read_bytes())
    new_computer = tmp_path / "cache"
    new_computer.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(new_computer))
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Tiny Test Clinic", "Tiny Clinic North"),
                        encoding="utf-8")
    result = run("verify", old, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    # Since the thirtieth pass (C) the file carries a digest of the settings it was printed with: "outdated", naming
    # what changed, rather than "unknown" (which a file made before then, without that digest, still gets).
    assert "outdated (page texts, facts, crisis lines or clinic details changed" in result.output, result.output
    old.write_bytes(old.read_bytes() + b"%notes\n")
    settings.write_text(settings.read_text(encoding="utf-8").replace("Tiny Clinic North", "Tiny Test Clinic"),
                        encoding="utf-8")
    assert "content current but this file was altered" in run("verify", old, "--project", project).output
