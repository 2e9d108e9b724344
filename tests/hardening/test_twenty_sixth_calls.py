"""Judgement calls left open by earlier passes, taken up in the fourteenth session (each test failed before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.write import read_manifest
from tests.conftest import run
from tests.hardening.hostile import set_intro, tiny_copy


def test_the_desk_reads_a_file_again_when_a_terminal_build_replaced_it_between_manifest_and_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk read the manifest, then the file: a `handouts build` in a terminal replacing both in between
    made the request fail ("does not match its manifest entry"). Here the desk's first manifest read is the one
    taken before the terminal build; the second is today's."""
    from generator.serve import ondemand

    project = tiny_copy(tmp_path / "tiny")
    out = project / "output"
    assert run("build", "--project", project).exit_code == 0
    before = read_manifest(out)
    set_intro(project, "An introduction, edited at the terminal.")
    assert run("build", "--project", project).exit_code == 0
    reads = iter([before])
    monkeypatch.setattr(ondemand, "read_manifest", lambda folder: next(reads, None) or read_manifest(folder))
    served = ondemand.read_listed(out, "en/tiny.pdf")
    assert served.data == (out / "en/tiny.pdf").read_bytes()
    assert served.entry == next(e for e in read_manifest(out) if e["file"] == "en/tiny.pdf")


def test_the_desk_still_refuses_a_file_altered_after_its_build(tmp_path: Path) -> None:
    from generator.serve.ondemand import NotServable, read_listed

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%altered\n")
    with pytest.raises(NotServable, match="does not match its manifest entry"):
        read_listed(project / "output", "en/tiny.pdf")


def test_a_built_file_changed_since_its_build_is_kept_aside_not_replaced_unsaid(tmp_path: Path) -> None:
    """Notes a clinician saved into output/en/tiny.pdf in a PDF reader were lost at the next build: the file no
    longer matched its manifest entry, so it was rebuilt and renamed over, nothing said."""
    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    first = pdf.read_bytes() + b"%a clinician's notes\n"
    pdf.write_bytes(first)
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output
    kept = project / "output/en/tiny.changed.pdf"
    assert kept.read_bytes() == first
    assert f"{pdf}: warning: changed since it was built" in result.stderr and str(kept) in result.stderr
    assert "current" in run("verify", pdf, "--project", project).output
    second = pdf.read_bytes() + b"%more notes\n"
    pdf.write_bytes(second)
    assert run("build", "--project", project).exit_code == 0
    assert (project / "output/en/tiny.changed-2.pdf").read_bytes() == second and kept.read_bytes() == first
    result = run("build", "--project", project)  # nothing changed: nothing kept, nothing said
    assert "warning" not in result.stderr and len(list(pdf.parent.iterdir())) == 3


def test_a_build_that_fails_to_write_leaves_no_kept_copy(tmp_path: Path) -> None:
    """The changed HTML companion (19 kB) is kept aside, then the PDF (41 kB) cannot be written under a 30 kB
    file-size limit: the build changes nothing, and the copy it kept is removed with its temp files."""
    import resource
    import subprocess
    import sys

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--format", "pdf,html", "--project", project).exit_code == 0
    html = project / "output/en/tiny.html"
    changed = html.read_bytes().replace(b"</body>", b"<p>a colleague's edit</p></body>")
    html.write_bytes(changed)
    pdf = (project / "output/en/tiny.pdf").read_bytes()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))

    done = subprocess.run([sys.executable, "-m", "generator", "build", "--force", "--format", "pdf,html",
                           "--project", str(project)], capture_output=True, text=True, timeout=120,
                          preexec_fn=limit)
    assert done.returncode == 1 and "nothing was changed" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert html.read_bytes() == changed and (project / "output/en/tiny.pdf").read_bytes() == pdf
    assert sorted(p.name for p in html.parent.iterdir()) == ["tiny.html", "tiny.pdf"]


@pytest.mark.parametrize("value", ["", " ", ".", "..", "x/", "a/."])
@pytest.mark.parametrize("command", [("translate", "export", "es", "--format", "po"), ("translate", "template")])
def test_an_output_file_that_names_no_file_is_a_usage_error(tmp_path: Path, command: tuple[str, ...],
                                                            value: str) -> None:
    """`translate export es --format po -o ''` and `translate template -o ''` ended in a ValueError traceback
    (found by the lead's argument fuzz, fourteenth session)."""
    project = tiny_copy(tmp_path / "tiny")
    result = run(*command, "-o", value, "--project", project)
    assert result.exit_code == 2, result.output
    assert "names no file; give a file name" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["pipe", "not a zone file"])
def test_a_project_file_named_like_the_users_time_zone_is_never_read(tmp_path: Path, kind: str) -> None:
    """With TZ=Pacific/Kiritimati (a zone name, as many systems set it), Babel read the file of that name in the
    working folder when it was first imported: a project holding a pipe there hung every command run in it, any
    other file ended in a traceback (found by the lead's environment fuzz, fourteenth session)."""
    import os
    import subprocess
    import sys
    from datetime import datetime
    from zoneinfo import ZoneInfo

    project = tiny_copy(tmp_path / "tiny")
    (project / "Pacific").mkdir()
    if kind == "pipe":
        os.mkfifo(project / "Pacific/Kiritimati")
    else:
        (project / "Pacific/Kiritimati").write_text("not a zone file\n", encoding="utf-8")
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--project", "."], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    today = subprocess.run([sys.executable, "-c", "import generator, datetime, babel.dates; "
                            "print(datetime.date.today())"], cwd=project, env=env, capture_output=True, text=True,
                           timeout=60)
    # The user's zone still gives today's date (UTC+14: a day ahead of most of the world for ten hours).
    assert today.stdout.strip() == str(datetime.now(ZoneInfo("Pacific/Kiritimati")).date()), today.stderr
