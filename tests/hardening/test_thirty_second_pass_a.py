"""The thirty-second hostile pass, part A (issue 12): the clinic IT administrator's workflow — installing,
upgrading (build and print with an older commit, then install the current one), several clinics, a nightly cron
job, a project on a share or a stick, backups restored. Written against main 0cfd679; every test here failed on it
when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import run
from tests.hardening.hostile import tiny_copy


@pytest.mark.parametrize("old_code", ["", "0123456789ab"])
def test_a_copy_printed_before_an_upgrade_is_not_called_altered_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_code: str) -> None:
    """The administrator built and printed the handouts with an older commit (544ee59), then installed the current
    one (`pip install .`, as the README says). Both call themselves patient-handouts 0.1.0: the version string is
    not bumped from commit to commit, so the twenty-fourth pass's "made by another version … unknown" never
    applied. `verify` of an untouched copy printed before the upgrade, on the pharmacy's computer or after the
    cache folder was cleared, said "content current but this file was altered … print it again" — every
    pre-upgrade copy called tampered. The verification data now carries `code=`, 12 hex digits of the generator's
    own code (what the incremental build already rebuilds on): a copy made by other code (or before the field, "")
    that is not identical to this installation's render is "unknown (… made by another build of the generator …)".
    One made by this code is still "altered"."""
    from generator import authentic
    from generator.content.project import load_or_raise
    from generator.render import codedigest as maker
    from generator.review.verify import ALTERED, UNKNOWN, read_payload, verify

    project = tiny_copy(tmp_path / "p")
    today = date(2026, 12, 7)
    assert run("build", "--project", project, "-q", "-j", "1").exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    fields = read_payload(pdf)
    assert fields is not None and fields.get("code") == maker.build_code()
    loaded, _ = load_or_raise(project, today)
    # Another computer: no log of this file, and (the renders stubbed, for speed) no fresh build is these bytes
    monkeypatch.setattr(authentic, "was_built", lambda digest: False)
    monkeypatch.setattr(authentic, "render_one", lambda *args: SimpleNamespace(data=b"another build"))
    verdict = verify(loaded, pdf, today, authentic.checker(loaded, project, today))
    assert verdict.status == ALTERED, verdict.format()  # made by this code: altered, as before
    # The same file as the earlier build wrote it: the installation's code now differs from the file's
    now = maker.build_code()
    monkeypatch.setattr(maker, "build_code", lambda: "fedcba987654")
    fields_then = dict(fields, code=old_code) if old_code else {k: v for k, v in fields.items() if k != "code"}
    monkeypatch.setattr("generator.review.verify.read_payload", lambda path, data=None: fields_then)
    verdict = verify(loaded, pdf, today, authentic.checker(loaded, project, today))
    assert verdict.status == UNKNOWN, verdict.format()
    assert "another build of patient-handouts" in verdict.detail and "print it again" in verdict.detail
    assert now != "fedcba987654"


def test_a_copy_built_here_before_an_upgrade_names_the_upgrade(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """On the computer that built it, a copy printed before the upgrade was "outdated (… built here with this
    generator or other templates, style, fonts or settings …)": not this generator — the administrator upgraded it,
    and nothing else changed. It now says "built here with an earlier build of this generator"."""
    from generator import authentic
    from generator.content.project import load_or_raise
    from generator.render import codedigest as maker
    from generator.review.verify import OUTDATED, verify

    project = tiny_copy(tmp_path / "p")
    today = date(2026, 12, 7)
    assert run("build", "--project", project, "-q", "-j", "1").exit_code == 0
    loaded, _ = load_or_raise(project, today)
    monkeypatch.setattr(authentic, "render_one", lambda *args: SimpleNamespace(data=b"the upgraded build"))
    monkeypatch.setattr(maker, "build_code", lambda: "fedcba987654")
    verdict = verify(loaded, project / "output/en/tiny.pdf", today, authentic.checker(loaded, project, today))
    assert verdict.status == OUTDATED and "an earlier build of this generator" in verdict.detail, verdict.format()


def test_another_clinic_s_copy_is_named_as_such(tmp_path: Path) -> None:
    """One administrator builds two clinics into one shared output folder (`build --project north --out shared`,
    then `--project south --out shared`; the same handout IDs, so south's build replaces north's files, as the
    twenty-eighth pass recorded). `verify shared/en/tiny.pdf` from north's project said "outdated (page texts,
    facts, crisis lines or clinic details changed since it was printed …)": nothing changed — it is south's copy.
    The verdict now names the clinic the file was built for."""
    from generator.content.project import load_or_raise
    from generator.review.verify import OUTDATED, verify

    north, south = tiny_copy(tmp_path / "north"), tiny_copy(tmp_path / "south")
    settings = south / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Tiny Test Clinic", "South Clinic"),
                        encoding="utf-8")
    shared = tmp_path / "shared"
    assert run("build", "--project", south, "--out", shared, "-q", "-j", "1").exit_code == 0
    today = date(2026, 12, 7)
    loaded, _ = load_or_raise(north, today)
    verdict = verify(loaded, shared / "en/tiny.pdf", today)
    assert verdict.status == OUTDATED
    named = "built for the clinic 'South Clinic', and handouts.yaml names 'Tiny Test Clinic'"
    assert named in verdict.detail, verdict.format()


@pytest.mark.parametrize("code", ["ENOTSUP", "EPERM"])
def test_a_project_on_a_share_that_keeps_no_modes_builds_and_approves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """A project kept on a network share opened through GNOME's gvfs (FUSE: chmod answers "Operation not
    supported"), or a FUSE or NAS mount that refuses mode changes with EPERM: every write sets the new file's mode
    first, so `build` said "cannot write output (Operation not supported); … check free space and permissions" and
    `approve` "cannot write content/en/ui.yaml" — nothing could be built or approved there, and the hint sent the
    administrator to permissions that were fine. A file system that keeps no modes now gets its own (the file is
    still written atomically, whole or not at all)."""
    import errno
    import os

    def refused(fd: int, mode: int) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(os, "fchmod", refused)
    project = tiny_copy(tmp_path / "p")
    result = run("build", "--project", project, "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (project / "output/en/tiny.pdf").read_bytes().startswith(b"%PDF")
    result = run("approve", project / "content/en/ui.yaml", "--project", project, "--reviewer", "A", "--role", "MD")
    assert result.exit_code == 0, result.output
    assert "status: approved" in (project / "content/en/ui.yaml").read_text(encoding="utf-8")

