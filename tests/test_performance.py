"""Batch builds: parallel output identical to serial, incremental rebuilds, fast start, watch mode."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.build import Selection
from generator.watch import watch
from tests.conftest import REPO, run
from tests.helpers import load, replace_line, snapshot, summary


def test_parallel_and_serial_builds_are_byte_identical(project: Path) -> None:
    # English, Arabic (right to left, shaped) and Chinese (CJK breaking): each kind of layout a worker does.
    langs = ("--lang", "en", "--lang", "ar", "--lang", "zh-Hans")
    assert run("build", "--project", project, "--jobs", "1", "--out", project / "one", *langs).exit_code == 0
    assert run("build", "--project", project, "--jobs", "2", "--out", project / "two", *langs).exit_code == 0
    one, two = snapshot(project / "one"), snapshot(project / "two")
    assert one == two and len([name for name in one if name.endswith(".pdf")]) == 15


def test_one_changed_paragraph_rebuilds_exactly_its_pdf(built: Path, tmp_path: Path) -> None:
    # A copy of the shared default build (a build of its own was 12 s of the suite): a copied project is a moved one,
    # and its output is current there too.
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    total = len(list((project / "output").glob("*/*.pdf")))
    assert summary(run("build", "--project", project).output) == (0, total)
    replace_line(project, "content/en/microdosing.yaml", "title:", 'title: "Microdosing: what to know"')
    before = snapshot(project / "output")
    result = run("build", "--project", project)
    # Affected: the English PDF, and every translation of that handout, now stamped "translation out of date".
    languages = len(load(REPO).settings.languages)
    assert summary(result.output) == (languages, total - languages)
    after = snapshot(project / "output")
    changed = {name for name in after if after[name] != before.get(name)} - {"manifest.json"}
    assert changed == {f"{lang}/microdosing.pdf" for lang in load(REPO).settings.languages}
    manifest = json.loads((project / "output" / "manifest.json").read_text())
    assert len(manifest) == total
    assert summary(run("build", "--project", project, "--force", "--lang", "en").output) == (5, 0)


def test_a_damaged_pdf_is_rebuilt(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "en").exit_code == 0
    (project / "output" / "en" / "microdosing.pdf").write_bytes(b"%PDF-1.4 damaged")
    assert summary(run("build", "--project", project, "--lang", "en").output)[0] == 1


def test_settings_change_rebuilds_everything(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "en").exit_code == 0
    replace_line(project, "handouts.yaml", "  phone:", '  phone: "+1 555 010 0199"')
    assert summary(run("build", "--project", project, "--lang", "en").output)[1] == 0


def test_one_failing_handout_names_itself_and_writes_nothing(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "en").exit_code == 0
    before = snapshot(project / "output")
    (project / "templates").mkdir()
    template = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    broken = template.replace("<titleblock>", "<titleblock>{% if doc.handout == 'microdosing' %}"
                                              "{{ doc.no_such_field }}{% endif %}", 1)
    (project / "templates" / "handout.xml.j2").write_text(broken, encoding="utf-8")
    result = run("build", "--project", project, "--jobs", "2", "--force", "--lang", "en")
    assert result.exit_code == 1
    assert "microdosing (en)" in result.stderr and "no_such_field" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project / "output") == before


@pytest.mark.parametrize("command", [["--help"], ["check"], ["list"], ["build", "--help"]])
def test_fast_commands_do_not_import_reportlab(project: Path, command: list[str]) -> None:
    """`--help`, `list` and a `check` of an unchanged project never import ReportLab. (A check of changed fonts
    reads each face's name with ReportLab's own code, the name the build will use: that one may.)"""
    if command == ["check"]:
        assert run("check", "--project", project).exit_code == 0  # recorded: the next one is a no-op
    code = ("import sys\nfrom generator.cli import main\n"
            f"try:\n    main({command + ['--project', str(project)] if command[0] != '--help' else command!r})\n"
            "except SystemExit:\n    pass\n"
            "print('REPORTLAB' if any(m.startswith('reportlab') for m in sys.modules) else 'CLEAN')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.strip().endswith("CLEAN"), result.stdout + result.stderr


def test_watch_rebuilds_what_changed_and_reports_problems(project: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    selection = Selection(langs=("en",), jobs=1)
    thread = threading.Thread(target=watch, args=(project, selection, lambda m, err=False: lines.append(m), stop),
                              kwargs={"interval": 0.05})
    thread.start()
    try:
        def wait_for(text: str) -> None:
            deadline = time.monotonic() + 60
            while not any(text in line for line in lines):
                assert time.monotonic() < deadline, "\n".join(lines)
                time.sleep(0.05)

        wait_for("built 5, skipped 0")
        time.sleep(0.05)
        replace_line(project, "content/en/microdosing.yaml", "title:", 'title: "Microdosing: what to know"')
        wait_for("built 1, skipped 4")
        replace_line(project, "content/en/microdosing.yaml", "title:", "title: Microdosing: broken")
        wait_for("text containing ': ' must be quoted")
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert lines[-1] == "stopped watching"


def test_a_check_failing_while_the_workers_render_stops_them_and_writes_nothing(project: Path) -> None:
    """The workers start rendering before the glyph and footer checks end: a check that fails stops them, with
    the same message as before and every earlier file untouched."""
    import multiprocessing

    assert run("build", "--project", project, "--jobs", "2", "--lang", "zh-Hans").exit_code == 0
    before = snapshot(project / "output")
    line = replace_line(project, "content/zh-Hans/microdosing.yaml", "title:", 'title: "𠀀微剂量"')
    result = run("build", "--project", project, "--jobs", "2", "--force")
    assert result.exit_code == 1, result.output
    assert (f"content/zh-Hans/microdosing.yaml:{line}:9: title: character '𠀀' (U+20000) is not in font "
            "wqy-microhei") in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project / "output") == before
    assert multiprocessing.active_children() == []  # no worker left rendering
    # In a process of its own, where a thread of the stopped pool would print a traceback of its own.
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "--jobs", "2",
                           "--force", "-q"], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 1
    assert done.stderr.endswith("1 error(s); nothing was written.\n"), done.stderr
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr
    assert snapshot(project / "output") == before


@pytest.mark.parametrize("also", [["--lang", "xx"], ["--release"], ["--bilingual", "xx"]])
def test_a_glyph_error_is_still_reported_before_what_the_plan_finds_after_it(project: Path, also: list[str]) -> None:
    """The checks that run beside the workers came first in the build: their errors still win over an unknown
    language or a refused release, which are found later."""
    ui = project / "content" / "en" / "ui.yaml"
    original = ui.read_bytes()
    later = run("build", "--project", project, "--jobs", "2", *also)
    assert later.exit_code != 0 and "is not in font" not in later.stderr
    line = replace_line(project, "content/en/ui.yaml", "  section.safety:", "  section.safety: Safety ✓")
    result = run("build", "--project", project, "--jobs", "2", *also)
    assert result.exit_code == 1, result.output
    assert f"content/en/ui.yaml:{line}:26: section.safety: character '✓' (U+2713) is not in font" in result.stderr
    assert later.stderr.strip() not in result.stderr
    ui.write_bytes(original)
    assert run("build", "--project", project, "--jobs", "2", *also).stderr == later.stderr


# The loading child is forked only from a process with no other thread; a pytest worker may have some (xdist's
# channel, an earlier test's server), so these tests run in a fresh interpreter, where it must be forked.
_LOADER_TEST = """
import os, signal, sys
from datetime import date
from pathlib import Path

from generator.batch.loader import HeadStart, can_load_beside, load_beside
from generator.content.project import load_or_raise

def children():
    return [int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()]

project, case = Path(sys.argv[1]), sys.argv[2]
assert can_load_beside(), "a fresh process with one thread could not fork its loading child"
here, here_problems = load_or_raise(project, date.today())
if case == "same":
    seen, taken = [], []
    loaded, problems = load_beside(project, date.today(),
                                   HeadStart(lambda: seen.append(children()), lambda: os.getpid(), taken.append))
    assert loaded == here and len(loaded.handouts) == 30
    assert problems.warnings == here_problems.warnings and problems.errors == []
    assert seen and seen[0], "the head start ran with no loading child beside it"
    assert taken == seen[0], "what the child did beside the load came back from the child"
    assert all(pid not in children() for pid in seen[0])  # the child was waited for
else:
    def kill_the_child():
        for pid in children():
            os.kill(pid, signal.SIGKILL)

    loaded, _ = load_beside(project, date.today(), HeadStart(kill_the_child))
    assert loaded == here
print("ok")
"""


@pytest.mark.parametrize("case", ["same", "killed"])
def test_a_project_loaded_in_a_child_is_the_project_loaded_here(project: Path, case: str) -> None:
    """A cold build loads the project in a forked child while this process gets ready (batch/loader.py): what
    comes back is the very project `load_or_raise` gives, and the head start ran while the child was loading
    ("same"); a loading child that dies leaves the load to the parent ("killed")."""
    import os

    if not hasattr(os, "fork") or not Path("/proc/self/task").is_dir():
        pytest.skip("no fork or no /proc on this platform: builds load the project themselves")
    done = subprocess.run([sys.executable, "-c", _LOADER_TEST, str(project), case], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr


def test_a_project_with_errors_fails_alike_with_and_without_the_loading_child(project: Path) -> None:
    """The child fails on content errors; the parent then loads the project itself and reports the errors
    exactly as a one-process build does, with nothing written."""
    replace_line(project, "content/es/microdosing.yaml", "title:", "title: [broken")
    one = run("build", "--project", project, "--jobs", "1", "--force")
    two = run("build", "--project", project, "--jobs", "2", "--force")
    assert one.exit_code == two.exit_code == 1
    assert "content/es/microdosing.yaml:" in two.stderr and "YAML syntax error" in two.stderr
    assert "Traceback" not in two.output
    assert one.stderr == two.stderr and one.output == two.output
    assert not (project / "output").exists()


def test_a_damaged_large_face_fails_alike_with_and_without_the_loading_child(project: Path) -> None:
    """The loading child checks the large face files (the CJK collection) for the parent: a damaged one is
    refused by `-j 2` exactly as by `-j 1`, nothing written."""
    import shutil

    from fontTools.ttLib import TTFont

    shutil.copytree(REPO / "templates", project / "templates")
    font = project / "templates" / "fonts" / "wqy-microhei" / "wqy-microhei.ttc"
    entry = TTFont(str(font), fontNumber=0, lazy=True).reader.tables["glyf"]
    data = bytearray(font.read_bytes())
    data[entry.offset + 1000: entry.offset + 3000] = b"\xff" * 2000
    font.write_bytes(bytes(data))
    results = [run("build", "--project", project, "--jobs", jobs, "--force") for jobs in ("2", "1")]
    for result in results:
        assert result.exit_code == 1, result.output
        assert "wqy-microhei.ttc: cannot be used as a font (table 'glyf' is damaged" in result.stderr
        assert "Traceback" not in result.output
    assert results[0].stderr == results[1].stderr
    assert not (project / "output").exists()


def _half_sent(marker: str) -> None:
    """A pool job that sends half a result and stops there, as a worker stopped while sending one leaves it."""
    import multiprocessing
    import struct

    # This worker's own result queue, from its process's arguments (call queue, result queue, ...): looking for
    # "the" executor among all objects found a stale one left by an earlier test in the same process (flaky).
    queue = multiprocessing.current_process()._args[1]  # type: ignore[attr-defined]
    queue._writer._send(struct.pack("!i", 1000) + b"half")  # a message of 1,000 bytes, of which 4 come
    Path(marker).touch()
    time.sleep(600)


def test_workers_stopped_while_sending_a_result_do_not_hang_the_build(tmp_path: Path) -> None:
    """A check that fails stops the workers (pool.Running.abort) whatever they are doing: one stopped half-way
    through sending its result left half a message in the pipe, and the build waited for the rest forever."""
    from generator.batch import pool

    if not pool.can_fork():
        pytest.skip("no fork here: builds render in one process")
    markers = [str(tmp_path / f"sending-{n}") for n in range(2)]
    running = pool.start(_half_sent, [[marker] for marker in markers], 2, lambda n: None)
    deadline = time.monotonic() + 60
    while not all(Path(m).exists() for m in markers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(Path(m).exists() for m in markers)
    stopping = threading.Thread(target=running.abort, daemon=True)
    stopping.start()
    stopping.join(timeout=60)
    assert not stopping.is_alive(), "stopping the workers hangs"
