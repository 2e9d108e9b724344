"""Faults: an output folder that cannot be written, a full disk, a build killed half-way, two builds at once,
a missing or damaged font, a broken template. Each ends in a clear error (or, for a killed build, a state the
next build repairs), never a partial or corrupt PDF, and earlier PDFs and the manifest stay consistent:
every manifest entry's sha256 matches its file.

Real faults are used wherever this machine allows (a read-only bind mount and a tiny tmpfs in a private
user namespace, real SIGKILLs, real concurrent processes); the in-process variants (a write that raises
EROFS, ENOSPC or EIO) always run, so CI without user namespaces still covers every path.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hardening.hostile import assert_consistent, no_traceback, refuse_reads, tiny_copy
from tests.helpers import snapshot

HANDOUTS = 4


def batch(dest: Path, count: int = HANDOUTS) -> Path:
    """The tiny project with `count` handouts (copies of the tiny one under other IDs)."""
    root = tiny_copy(dest)
    source = (root / "content" / "en" / "tiny.yaml").read_text(encoding="utf-8")
    for number in range(2, count + 1):
        (root / "content" / "en" / f"tiny-{number}.yaml").write_text(
            source.replace("handout: tiny", f"handout: tiny-{number}"), encoding="utf-8")
    return root


@pytest.fixture
def prebuilt(tmp_path: Path) -> Path:
    """A batch project with a good build in output/ (made with `-j 1`: the same files, manifest and recorded plan
    as a parallel build, tests/test_performance.py, without two new workers parsing the fonts for each test)."""
    root = batch(tmp_path / "project")
    result = run("build", "--project", root, "-j", "1")
    assert result.exit_code == 0, result.output
    assert len(assert_consistent(root / "output")) == HANDOUTS
    return root


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def handouts(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run `handouts` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          env=env(), timeout=300, **kwargs)  # type: ignore[call-overload]


def user_namespaces() -> bool:
    """Whether this machine lets an unprivileged process mount file systems in its own namespace."""
    if shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || "
                                "mount -t tmpfs tmpfs \"$0\"", "/tmp"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(not user_namespaces(), reason="no user namespaces to mount in")


def rebuild_repairs(root: Path) -> None:
    """After any fault, the next ordinary build succeeds and leaves a complete, consistent output."""
    result = run("build", "--project", root)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert len(assert_consistent(root / "output")) == HANDOUTS


# -- an output folder that cannot be written ---------------------------------------------------------
def test_output_under_a_regular_file(prebuilt: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n", encoding="utf-8")
    result = run("build", "--project", prebuilt, "--out", blocker / "out")
    no_traceback(result)
    assert result.exit_code == 1
    # the file in the way is named, not the output folder in mkdir's words (thirty-third pass)
    assert f"{blocker}: is a file, not a folder; move or remove it, or choose another --out" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be\n"


@needs_namespaces
def test_read_only_output_folder(prebuilt: Path) -> None:
    out = prebuilt / "output"
    before = snapshot(out)
    script = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && '
              'exec "$2" -m generator build --force --paper a4 --project "$3"')
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", out, sys.executable, prebuilt],
                            capture_output=True, text=True, env=env(), timeout=300)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert "cannot write output (Read-only file system); nothing was changed" in result.stderr
    assert snapshot(out) == before
    rebuild_repairs(prebuilt)


def test_write_that_raises_read_only(prebuilt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    before = snapshot(prebuilt / "output")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run("build", "--project", prebuilt, "--force", "--paper", "a4")
    no_traceback(result)
    assert result.exit_code == 1
    assert "cannot write output (Read-only file system); nothing was changed" in result.stderr
    assert snapshot(prebuilt / "output") == before


# -- a full disk -----------------------------------------------------------------------------------------
@needs_namespaces
def test_disk_full_on_a_tiny_file_system(tmp_path: Path) -> None:
    root = batch(tmp_path / "project")
    mount, before, after, log = (tmp_path / name for name in ("out", "before", "after", "log"))
    mount.mkdir()
    script = r'''
        set -u
        mount -t tmpfs -o size=1m tmpfs "$OUT" || exit 90
        "$PY" -m generator build --project "$ROOT" --out "$OUT" || exit 91
        cp -a "$OUT" "$BEFORE"
        dd if=/dev/zero of="$OUT/filler" bs=4k 2>/dev/null
        "$PY" -m generator build --force --paper a4 --project "$ROOT" --out "$OUT" > "$LOG.out" 2> "$LOG.err"
        echo $? > "$LOG.code"
        rm -f "$OUT/filler"
        cp -a "$OUT" "$AFTER"
    '''
    variables = {"OUT": str(mount), "PY": sys.executable, "ROOT": str(root), "BEFORE": str(before),
                 "AFTER": str(after), "LOG": str(log)}
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                          env={**env(), **variables}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    stderr = Path(f"{log}.err").read_text(encoding="utf-8")
    assert Path(f"{log}.code").read_text().strip() == "1", stderr
    assert "Traceback" not in stderr
    assert "cannot write output (No space left on device); nothing was changed" in stderr
    assert snapshot(after) == snapshot(before)
    assert len(assert_consistent(after)) == HANDOUTS



def disk_full_on_second_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second file flushed to disk fails with ENOSPC, as on a disk that fills up mid-write."""
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_write_that_raises_disk_full(prebuilt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second PDF's temp file fails to reach the disk: the first one's temp is removed too."""
    before = snapshot(prebuilt / "output")
    disk_full_on_second_fsync(monkeypatch)
    result = run("build", "--project", prebuilt, "--force", "--paper", "a4")
    no_traceback(result)
    assert result.exit_code == 1
    assert "cannot write output (No space left on device); nothing was changed" in result.stderr
    assert snapshot(prebuilt / "output") == before
    assert_consistent(prebuilt / "output")


def test_rename_that_fails_half_way(prebuilt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename failing after others succeeded: said plainly, the manifest still vouches only for what matches."""
    calls = []
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:  # the interim manifest and one PDF are in place
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)  # type: ignore[arg-type]

    before = {e["file"]: e for e in assert_consistent(prebuilt / "output")}
    monkeypatch.setattr(os, "replace", replace)
    result = run("build", "--project", prebuilt, "--force", "--paper", "a4")
    no_traceback(result)
    assert result.exit_code == 1
    assert "output only partly written (Input/output error): 1 of 4 PDF(s) replaced" in result.stderr
    entries = {e["file"]: e for e in assert_consistent(prebuilt / "output")}
    assert len(entries) == HANDOUTS  # one new PDF, three earlier ones, each listed as it is
    assert sum(e["inputs"] != before[e["file"]]["inputs"] for e in entries.values()) == 1
    monkeypatch.setattr(os, "replace", real_replace)
    rebuild_repairs(prebuilt)


# -- a build killed half-way ---------------------------------------------------------------------------
KILLER = r'''
import os, signal, sys
point, nth = sys.argv[1], int(sys.argv[2])
count = [0]

def kill_on_nth(original):
    def wrapper(*args, **kwargs):
        count[0] += 1
        if count[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapper

import generator.build as build
import generator.render.write as write
if point == "render":
    build.render_one = kill_on_nth(build.render_one)
elif point == "rename":
    os.replace = kill_on_nth(os.replace)
elif point == "temp-half-written":
    real_fdopen = os.fdopen
    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        if "w" not in (args[0] if args else kwargs.get("mode", "r")):
            return handle  # a read (keep-aside hashing the file a PDF replaces): only temp writes are counted
        count[0] += 1
        if count[0] != nth:
            return handle
        class HalfThenKilled:
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return False
            def write(self, data):
                handle.write(data[: len(data) // 2])
                handle.flush()
                os.kill(os.getpid(), signal.SIGKILL)
        return HalfThenKilled()
    os.fdopen = fdopen
from generator.cli import main
main(sys.argv[3:])
'''


@pytest.mark.parametrize(("point", "nth"), [
    ("render", 3),  # while rendering the third PDF: nothing written yet
    ("temp-half-written", 2),  # half-way through writing the second PDF's temp file
    ("rename", 1),  # after every temp file is on disk, before the interim manifest
    ("rename", 3),  # after the interim manifest and one PDF are in place
    ("rename", HANDOUTS + 2),  # every PDF in place, the final manifest not yet
])
def test_killed_mid_build(prebuilt: Path, point: str, nth: int) -> None:
    out = prebuilt / "output"
    before = snapshot(out)
    result = subprocess.run([sys.executable, "-c", KILLER, point, str(nth), "build", "--project", str(prebuilt),
                             "--force", "--paper", "a4", "--jobs", "1"], capture_output=True, text=True, env=env(),
                            timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    entries = {e["file"] for e in _consistent_but_for_temps(out)}
    if point != "rename":  # killed before any rename: earlier output exactly as it was, temp files aside
        after = {name: data for name, data in snapshot(out).items() if not name.endswith(".tmp")}
        assert after == before
        assert len(entries) == HANDOUTS
    rebuild_repairs(prebuilt)
    assert not list(out.rglob("*.tmp"))


def _consistent_but_for_temps(out: Path) -> list[dict]:
    """Like assert_consistent, but temp files of the killed build may remain (the next build removes them)."""
    temps = list(out.rglob("*.tmp"))
    hidden = out.parent / "temps-aside"
    hidden.mkdir()
    for temp in temps:
        temp.rename(hidden / temp.name)
    try:
        return assert_consistent(out)
    finally:
        for temp, original in zip(sorted(hidden.iterdir()), sorted(temps, key=lambda p: p.name), strict=True):
            temp.rename(original)
        hidden.rmdir()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_render_worker_killed_by_the_system_is_a_clear_error(prebuilt: Path) -> None:
    """A render worker killed from outside (as the OOM killer does): the build says so and exits 1, with no
    BrokenProcessPool traceback and nothing written."""
    out = prebuilt / "output"
    before = snapshot(out)
    killer = KILLER.replace("if point == \"render\":", "if point == \"worker\":\n    parent = os.getpid()\n"
                            "    real_render = build.render_one\n"
                            "    def render_one(*args, **kwargs):\n"
                            "        if os.getpid() != parent:\n"
                            "            os.kill(os.getpid(), signal.SIGKILL)\n"
                            "        return real_render(*args, **kwargs)\n"
                            "    build.render_one = render_one\nelif point == \"render\":")
    result = subprocess.run([sys.executable, "-c", killer, "worker", "0", "build", "--project", str(prebuilt),
                             "--force", "--paper", "a4", "--jobs", "2"], capture_output=True, text=True, env=env(),
                            timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert "a render worker stopped unexpectedly (killed, perhaps for lack of memory)" in result.stderr
    assert snapshot(out) == before
    rebuild_repairs(prebuilt)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see worker processes")
def test_killed_while_workers_render(tmp_path: Path) -> None:
    """A real SIGKILL of a parallel build while its workers render: no PDF written, no worker left behind."""
    root = batch(tmp_path / "project", 24)
    assert run("build", "--project", root).exit_code == 0
    out = root / "output"
    before = snapshot(out)
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(root), "--force",
                                "--paper", "a4", "--jobs", "2"], env=env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not _children(process.pid):  # the workers exist once rendering has started
            assert process.poll() is None and time.monotonic() < deadline, "the build ended before rendering"
            time.sleep(0.01)
        workers = _children(process.pid)
        process.kill()
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in workers):
            assert time.monotonic() < deadline, "workers outlived the killed build"
            time.sleep(0.1)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert snapshot(out) == before
    result = run("build", "--project", root)
    assert result.exit_code == 0
    assert len(assert_consistent(out)) == 24


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


# -- two builds at once ------------------------------------------------------------------------------
def test_two_builds_into_one_folder_at_once(prebuilt: Path) -> None:
    """Two real builds with different paper, started together, three times: both succeed, the result is whole."""
    for _ in range(3):
        first, second = (subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(prebuilt),
                                           "--force", "--paper", paper], env=env(), stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True) for paper in ("a4", "letter"))
        for process in (first, second):
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0 and "Traceback" not in stderr, stderr
        assert len(assert_consistent(prebuilt / "output")) == HANDOUTS


def _waiting_for(lock: Path, pid: int) -> bool:
    """Whether the process has the lock file open: it reached the lock and tries to take it (Linux /proc)."""
    try:
        return any(os.path.realpath(fd) == os.path.realpath(lock) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # it ended, or an fd closed while listed
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see a waiting build")
def test_second_build_waits_for_the_first(prebuilt: Path) -> None:
    out = prebuilt / "output"
    before = snapshot(out)
    lock = out / ".handouts.lock"
    with open(lock, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as a first build does while it writes
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(prebuilt),
                                    "--force", "--paper", "a4"], env=env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while not _waiting_for(lock, process.pid):
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the second build never reached the lock"
                time.sleep(0.02)
            assert snapshot(out) == before  # it waits with everything rendered, nothing written
        finally:
            fcntl.flock(held.fileno(), fcntl.LOCK_UN)
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert snapshot(out) != before
    assert len(assert_consistent(out)) == HANDOUTS


# -- fonts and templates ---------------------------------------------------------------------------
def own_templates(root: Path) -> Path:
    shutil.copytree(REPO / "templates", root / "templates")
    return root / "templates"


@pytest.mark.parametrize("damage", ["missing", "empty", "truncated", "garbage"])
def test_font_missing_or_corrupt_is_found_by_check(prebuilt: Path, damage: str) -> None:
    font = own_templates(prebuilt) / "fonts" / "noto-sans" / "NotoSans-Bold.ttf"
    data = font.read_bytes()
    if damage == "missing":
        font.unlink()
    else:
        font.write_bytes({"empty": b"", "truncated": data[: len(data) // 3],
                          "garbage": b"\x00\x01\x00\x00" + bytes(range(256)) * 40}[damage])
    before = snapshot(prebuilt / "output")
    for command in ("check", "build"):
        result = run(command, "--project", prebuilt)
        no_traceback(result)
        assert result.exit_code == 1
        said = "font file is missing or unreadable" if damage == "missing" else "cannot be used as a font"
        assert f"NotoSans-Bold.ttf: {said}" in result.stderr, result.stderr
    assert snapshot(prebuilt / "output") == before


def test_font_damaged_beyond_what_check_reads(prebuilt: Path) -> None:
    """A damaged table that only ReportLab reads, late, while writing the PDF ('glyf'): check finds it."""
    from fontTools.ttLib import TTFont

    font = own_templates(prebuilt) / "fonts" / "noto-sans" / "NotoSans-Bold.ttf"
    entry = TTFont(str(font), lazy=True).reader.tables["glyf"]
    data = bytearray(font.read_bytes())
    data[entry.offset + 1000: entry.offset + 3000] = b"\xff" * 2000
    font.write_bytes(bytes(data))
    before = snapshot(prebuilt / "output")
    for command in (["check"], ["build", "--force"]):
        result = run(*command, "--project", prebuilt)
        no_traceback(result)
        assert result.exit_code == 1
        assert "NotoSans-Bold.ttf: cannot be used as a font (table 'glyf' is damaged" in result.stderr
    assert snapshot(prebuilt / "output") == before


def test_template_syntax_error_is_found_by_check(prebuilt: Path) -> None:
    template = own_templates(prebuilt) / "handout.xml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("{%- endif %}", "{%- endiff %}", 1),
                        encoding="utf-8")
    before = snapshot(prebuilt / "output")
    for command in ("check", "build"):
        result = run(command, "--project", prebuilt)
        no_traceback(result)
        assert result.exit_code == 1
        assert re.search(r"handout\.xml\.j2:\d+:1: template syntax error: .*'endiff'", result.stderr), result.stderr
    assert snapshot(prebuilt / "output") == before


def test_stale_temp_files_are_removed_and_others_kept(prebuilt: Path) -> None:
    out = prebuilt / "output"
    stale = out / "en" / ".tiny.pdf.abcd1234.tmp"
    stale.write_bytes(b"%PDF-1.4 half")
    stale_manifest = out / ".manifest.json.x_9y8z7w.tmp"
    stale_manifest.write_bytes(b"[")
    keep = [out / "en" / "notes.tmp", out / ".editor.abcd1234.tmp"]  # not ours: never touched
    for path in keep:
        path.write_text("mine\n", encoding="utf-8")
    assert run("build", "--project", prebuilt, "--force").exit_code == 0
    assert not stale.exists() and not stale_manifest.exists()
    assert all(path.read_text(encoding="utf-8") == "mine\n" for path in keep)


def test_output_subfolder_linking_elsewhere_is_refused(prebuilt: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = prebuilt / "output"
    shutil.rmtree(out / "en")
    (out / "en").symlink_to(elsewhere)
    result = run("build", "--project", prebuilt)
    no_traceback(result)
    assert result.exit_code == 1
    assert "output/en: is a link, not a folder of its own; nothing was changed" in result.stderr
    assert not list(elsewhere.iterdir())


def test_approve_that_cannot_write_changes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Approving two files when the disk is full: neither is touched (a translator's file is never half-written)."""
    root = tiny_copy(tmp_path / "project")
    files = [root / "content" / "en" / "tiny.yaml", root / "content" / "en" / "ui.yaml"]
    before = [f.read_bytes() for f in files]
    disk_full_on_second_fsync(monkeypatch)
    result = run("approve", *files, "--reviewer", "Dr. Test", "--role", "MD", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1
    assert "(No space left on device); nothing was changed" in result.stderr
    assert [f.read_bytes() for f in files] == before
    assert not list(root.rglob("*.tmp"))


def test_translate_sync_on_a_full_disk_changes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """translate sync writing two files when the disk fills up: both stay whole as they were, no traceback."""
    root = tiny_copy(tmp_path / "project")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    settings = root / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"), "utf-8")
    source = root / "content" / "en" / "tiny.yaml"  # the source grows a unit: sync rewrites the handout...
    source.write_text(source.read_text(encoding="utf-8").replace(
        'text: "An introduction."', 'text: "An introduction."\n      - paragraph: added\n        text: "More."', 1),
        "utf-8")
    ui = root / "content" / "es" / "ui.yaml"  # ...and the UI strings, which lost one
    ui.write_text(ui.read_text(encoding="utf-8").replace("  section.safety: Safety\n", "", 1), "utf-8")
    files = sorted((root / "content" / "es").iterdir())
    before = {f: f.read_bytes() for f in files}
    disk_full_on_second_fsync(monkeypatch)
    result = run("translate", "sync", "es", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "(No space left on device); nothing was changed" in result.stderr
    assert {f: f.read_bytes() for f in sorted((root / "content" / "es").iterdir())} == before


@pytest.mark.parametrize("command", [("check",), ("build", "--jobs", "1"), ("status",), ("list",),
                                     ("translate", "sync", "es"), ("translate", "export", "es", "--format", "po")])
def test_an_unreadable_language_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       command: tuple[str, ...]) -> None:
    """A language folder the system will not let us read (mode 000; root reads anything, so the refusal is
    made in-process): exit 1 naming it, never a traceback, nothing written."""
    root = tiny_copy(tmp_path / "project")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    settings = root / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"), "utf-8")
    refuse_reads(monkeypatch, root / "content" / "es")
    before = snapshot(root)
    result = run(*command, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/es" in result.stderr
    assert snapshot(root) == before


def test_a_rename_that_fails_half_way_puts_every_file_back(project: Path) -> None:
    """Third hostile pass: approving two files where the second cannot be replaced (a sticky folder, here an
    immutable file) approved the first, left a temporary file and said "nothing was written". The files
    already replaced are now put back, the temporary files removed."""
    first, second = project / "content/en/microdosing.yaml", project / "content/es/microdosing.yaml"
    before = snapshot(project / "content")
    if subprocess.run(["chattr", "+i", str(second)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here (not root, or a file system without it): cannot make a "
                    "rename fail for real")
    try:
        result = run("approve", first, second, "--reviewer", "Dr A", "--role", "MD", "--project", project)
    finally:
        subprocess.run(["chattr", "-i", str(second)], check=True)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "cannot replace" in result.stderr and "nothing was changed" in result.stderr, result.stderr
    assert snapshot(project / "content") == before  # the first file as it was, and no temporary file left


def test_a_replaced_output_keeps_its_mode(project: Path, tmp_path: Path) -> None:
    """Third hostile pass: `translate export` over a private (600) or read-only (444) file, and a build over
    read-only PDFs and manifest, left them 644: readable by everyone, writable again. Modes are kept now."""
    export = tmp_path / "es.po"
    export.write_text("old", encoding="utf-8")
    export.chmod(0o600)
    assert run("translate", "export", "es", "--output", export, "--project", project).exit_code == 0
    assert export.stat().st_mode & 0o777 == 0o600 and "msgid" in export.read_text(encoding="utf-8")
    assert run("build", "--project", project, "--lang", "en", "microdosing", "-j", "1").exit_code == 0
    pdf, manifest = project / "output/en/microdosing.pdf", project / "output/manifest.json"
    for path in (pdf, manifest):
        path.chmod(0o444)
    assert run("build", "--project", project, "--lang", "en", "microdosing", "-j", "1", "--force").exit_code == 0
    assert [p.stat().st_mode & 0o777 for p in (pdf, manifest)] == [0o444, 0o444]
