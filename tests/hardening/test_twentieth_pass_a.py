"""The twentieth hostile pass, part A (issue 12): every command but drawing, with new inputs none of the nineteen
earlier passes or their corpus tried. Written against main ddd35a0; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


# What `git merge` leaves when two branches changed one quoted text that runs over several lines: YAML reads the
# markers as words of the text (a line at column 0 continues a quoted scalar).
CONFLICT = '"Take\n<<<<<<< HEAD\n10 mg.\n=======\n20 mg.\n>>>>>>> dose-change\n"'


@pytest.mark.parametrize(("file", "old"), [
    ("content/en/tiny.yaml", 'summary: "What this tiny handout is for."'),
    ("content/en/ui.yaml", "section.safety: Safety"),
    ("handouts.yaml", "address: 1 Test Street"),
])
def test_a_git_merge_conflict_in_a_quoted_text_is_refused_at_its_marker(project: Path, file: str,
                                                                         old: str) -> None:
    """Two branches changed the handout's summary (a quoted text over several lines); `git merge` left both sides
    with its markers. YAML reads a line at column 0 as more of the quoted text, so `check` said "ok" and the PDF
    printed "Take <<<<<<< HEAD 10 mg. ======= 20 mg. >>>>>>> dose-change" to patients — both doses. The same in
    ui.yaml (a section's heading) and handouts.yaml (the clinic's address). A marker line is refused at its
    position, naming the conflict."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, old.split(":")[0] + ": " + CONFLICT, 1), encoding="utf-8")
    marker = text[:text.index(old)].count("\n") + 2
    result = run("check", "--project", project)  # what check refuses, build does (build checks first)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert f"{file}:{marker}:1: " in result.stderr and "merge conflict" in result.stderr, result.stderr


def test_a_git_merge_conflict_in_a_translation_is_never_written_back_as_text(tmp_path: Path) -> None:
    """A Spanish file whose summary two translators changed, merged with conflict markers: `translate done es
    --unit summary` marked the conflicted text — both sides and the markers — as the finished translation (and
    `translate sync` kept it). A marker line is refused; nothing is written."""
    root = spanish_started(tmp_path / "p")
    path = root / "content/es/tiny.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'summary: "What this tiny handout is for."'
    assert old in text
    path.write_text(text.replace(old, "summary: " + CONFLICT, 1), encoding="utf-8")
    before = path.read_bytes()
    result = run("translate", "done", "es", "--unit", "summary", "--handout", "tiny", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert "merge conflict" in result.stderr
    assert path.read_bytes() == before


def test_a_git_merge_conflict_in_the_glossary_is_refused(tmp_path: Path) -> None:
    """content/glossary.yaml with a merged note over several lines: `translate export` wrote both sides and the
    markers into every PO comment the note is repeated at. Refused, naming the line."""
    root = spanish_started(tmp_path / "p")
    (root / "content/glossary.yaml").write_text(
        'terms:\n  - term: "introduction"\n    note: "Keep it\n<<<<<<< HEAD\nshort.\n=======\nlong.\n>>>>>>> b\n"\n',
        encoding="utf-8")
    result = run("translate", "export", "es", "-o", tmp_path / "es.po", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert "merge conflict" in result.stderr and "line 4" in result.stderr, result.stderr
    assert not (tmp_path / "es.po").exists()


def test_a_build_waits_for_the_output_folders_lock_only_so_long(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holding `output/.handouts.lock` (any user who can read the file can lock it: `flock
    output/.handouts.lock sleep 1d`, or a build stuck on a hung network share): `build`, a no-op build too, and the
    desk's request threads waited for it forever, saying nothing. The wait is bounded; then the build says what holds
    the folder, and nothing is changed."""
    import fcntl
    import threading
    import time

    from generator.render import write

    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    before = pdf.read_bytes()
    monkeypatch.setattr(write, "LOCK_WAIT_SECONDS", 1.0, raising=False)
    held = open(project / "output/.handouts.lock", "a+b")  # noqa: SIM115 - released by the thread below
    fcntl.flock(held.fileno(), fcntl.LOCK_EX)
    release = threading.Timer(8.0, held.close)  # on the code as it was, the build would wait for ever
    release.start()
    try:
        started = time.monotonic()
        result = run("build", "--force", "--project", project)
        waited = time.monotonic() - started
    finally:
        release.cancel()
        held.close()
    no_traceback(result)
    assert result.exit_code == 1 and ".handouts.lock" in result.stderr, result.output + result.stderr
    assert waited < 6, f"waited {waited:.1f} s"
    assert pdf.read_bytes() == before


def test_init_fills_the_empty_folder_it_is_given_and_never_replaces_it(tmp_path: Path) -> None:
    """`mkdir clinic; chmod 2770 clinic; chgrp staff clinic; handouts init clinic` (a folder made ready for a team:
    its group, the setgid bit, an access list): init removed the empty folder and renamed a new one into its place,
    so the project came out 0755, owned by whoever ran init, world-readable, group and access list gone. The same
    rmdir made `init` fail on an empty mount point ("Device or resource busy": a Docker volume, a mounted share) and
    on the current folder (`handouts init .`: "Invalid argument"). The folder given is filled, never replaced."""
    import os
    import stat

    folder = tmp_path / "clinic"
    folder.mkdir()
    os.chmod(folder, 0o2750)
    before = os.stat(folder)
    result = run("init", folder)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    after = os.stat(folder)
    assert (after.st_ino, stat.S_IMODE(after.st_mode)) == (before.st_ino, 0o2750), "the folder was replaced"
    assert (folder / "handouts.yaml").is_file() and (folder / "content/facts.yaml").is_file()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "README.md", "content", "docs", "handouts.yaml"]


def test_init_of_the_current_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdir clinic && cd clinic && handouts init .`: "error: .: cannot create the project (Invalid argument) …
    check free space and permissions" — the folder the shell is in cannot be removed and replaced."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = run("init", ".")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    assert (folder / "handouts.yaml").is_file()
    assert Path.cwd().samefile(folder)  # the shell's folder is the project, not a removed one


_OPENS = r"""
import os, sys
outside = sys.argv[1]
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)) and os.fsdecode(args[0]).startswith(outside):
        opened.append(os.fsdecode(args[0]))
sys.addaudithook(hook)
from click.testing import CliRunner
from generator.cli import main
for command in (["build", "-j", "1"], ["check"]):
    result = CliRunner().invoke(main, command + ["--project", sys.argv[2]])
    print(command[0], result.exit_code, result.output.strip().replace("\n", " | "))
print("opened:", sorted(set(opened)))
"""


def test_a_templates_file_linked_out_of_the_project_is_never_read(project: Path, tmp_path: Path) -> None:
    """templates/notes.txt a link to a file outside the project (a clinic's shared drive, `/root/.ssh/id_rsa`),
    and templates/sub/ a file link the same way: `check` and `build` read the outside file whole, five times (the
    inputs fingerprint and the "renders as shipped" check hash every file of the templates folder, following
    file links anywhere; only folder links were held inside). Nothing outside the project is read: a file link
    leading out of its folder is no template input (a template can never include it)."""
    import subprocess
    import sys

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not the project's\n", encoding="utf-8")
    (project / "templates/sub").mkdir(parents=True)
    (project / "templates/notes.txt").symlink_to(outside / "secret.txt")
    (project / "templates/sub/more.txt").symlink_to(outside / "secret.txt")
    done = subprocess.run([sys.executable, "-c", _OPENS, str(outside), str(project)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "opened: []" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_seal_key_left_half_made_by_a_process_of_the_same_number_is_no_obstacle(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seal key is made through `.seal.key.<pid>.tmp`, opened exclusively and not removed when writing it fails
    (a full disk left one per command) or the command is killed. In a container every run has the same process
    number: once such a file was left, no later run could make the key (the exclusive open failed), so each one
    sealed with a key of its own and the next rebuilt every handout, for ever and unsaid. A leftover is no
    obstacle: the next command makes the key."""
    import os

    from generator.content import seal

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(cache))
    monkeypatch.setattr(seal, "_secret", None)
    (cache / f".seal.key.{os.getpid()}.tmp").write_bytes(b"")  # a run of this number died making the key
    assert run("build", "--project", project).exit_code == 0
    monkeypatch.setattr(seal, "_secret", None)  # the next command (a process of its own)
    again = run("build", "--project", project)
    assert again.exit_code == 0 and "skipped 1" in again.output, again.output
    assert (cache / "seal.key").is_file()


def test_sync_and_import_keep_a_translation_file_of_carriage_returns(tmp_path: Path) -> None:
    """A Spanish file saved with old-Mac line endings (a lone CR ends each line; `check`, `approve` and `translate
    done` read and keep them since the second pass): `translate sync es` refused it, "a carriage return without a
    line feed in the file … (in the file as sync would write it)", and `translate import` blamed the translator's
    file, "content/es/tiny.yaml:1:132: … delete it" — the round trip wrote the comments' CRs and its own LFs into
    one text. Both now work, and the file keeps its CRs and byte-order mark."""
    root = spanish_started(tmp_path / "p")
    exported = tmp_path / "es.po"
    assert run("translate", "export", "es", "-o", exported, "--project", root).exit_code == 0
    po = exported.read_text(encoding="utf-8")
    exported.write_text(po.replace('msgid "An introduction."\nmsgstr ""',
                                   'msgid "An introduction."\nmsgstr "Una introducción."'), encoding="utf-8")
    spanish = root / "content/es/tiny.yaml"
    spanish.write_bytes(b"\xef\xbb\xbf" + spanish.read_bytes().replace(b"\n", b"\r"))
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("The first point.", "The first point!"),
                       encoding="utf-8")
    for command in (("translate", "sync", "es"), ("translate", "import", exported)):
        result = run(*command, "--project", root)
        no_traceback(result)
        assert result.exit_code == 0, result.output + result.stderr
        data = spanish.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data and data.count(b"\r") > 40, data[:200]
    assert "Una introducción." in spanish.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["", "ES", "..", "es/.", "en/../es"])
def test_translate_import_checks_its_lang_option_as_every_command_does(tmp_path: Path, lang: str) -> None:
    """`translate import --lang ES file.po` imported into es, though every other command refuses `ES` ("is not a
    language code", exit 2); `--lang ""` (a script's empty $LANG_CODE) silently meant "the file's"; `--lang ..`,
    `es/.`, `en/../es` were taken as languages — exit 1, "start it with `handouts translate new ..`" (with
    --accept-language). A usage error (exit 2), nothing written."""
    root = spanish_started(tmp_path / "p")
    exported = tmp_path / "es.po"
    assert run("translate", "export", "es", "-o", exported, "--project", root).exit_code == 0
    exported.write_text(exported.read_text(encoding="utf-8").replace(
        'msgid "An introduction."\nmsgstr ""', 'msgid "An introduction."\nmsgstr "Una introducción."'),
        encoding="utf-8")
    before = (root / "content/es/tiny.yaml").read_bytes()
    result = run("translate", "import", "--accept-language", "--lang", lang, exported, "--project", root)
    no_traceback(result)
    assert result.exit_code == 2, result.output + result.stderr
    assert "--lang" in result.stderr and "language code" in result.stderr, result.stderr
    assert (root / "content/es/tiny.yaml").read_bytes() == before


@pytest.mark.parametrize("epoch", ["86400", "abc"])
def test_source_date_epoch_changes_no_pdf(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          epoch: str) -> None:
    """`SOURCE_DATE_EPOCH` is set in every reproducible-build environment (Nix shells and builds, Debian packaging,
    CI jobs made reproducible); ReportLab reads it for every PDF's dates, over its invariant mode. A PDF built there
    differed from the one built anywhere else (71f846e7… → 9bd79c5d…), so `verify` elsewhere said the authentic file
    was "outdated (built … with other templates, style, fonts or settings)"; and `SOURCE_DATE_EPOCH=abc` failed
    every build "cannot lay out … (ValueError: invalid literal for int()); report this with the file", blaming the
    content. Builds depend on the project alone (the nineteenth pass did this for `RL_*`)."""
    assert run("build", "--project", project, "--out", tmp_path / "plain").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run("build", "--project", project, "--out", tmp_path / "epoch", "-j", "1")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    assert (tmp_path / "epoch/en/tiny.pdf").read_bytes() == (tmp_path / "plain/en/tiny.pdf").read_bytes()


def test_a_command_run_in_a_folder_that_was_deleted_says_so(tmp_path: Path) -> None:
    """A terminal left in a project folder that was then deleted or replaced (`git worktree remove`, a sync tool
    replacing the folder, `rm -rf` and a fresh clone under the same name): `handouts check` said "error: a file:
    cannot be read (No such file or directory); check its permissions" — no file named, a wrong fix."""
    import os
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    script = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
              "from generator.cli import main; main(['check'])")
    done = subprocess.run([sys.executable, "-c", script, str(gone)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HANDOUTS_CACHE_DIR": str(tmp_path / "cache")})
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert "current folder" in done.stderr and "a file:" not in done.stderr, done.stderr


def test_an_arabic_reshaper_configuration_file_named_in_the_environment_is_never_read(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """arabic_reshaper reads the file named by `PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE` (a file outside the
    project, set for some other program) for every ArabicReshaper the generator makes: `support_ligatures = no`
    changed every Arabic PDF's bytes (shipped microdosing: eb8cb622… → 67c5dd35…), so `verify` elsewhere called
    authentic files altered, and its `language`, `delete_tatweel` or `support_zwj` change what an Arabic text
    prints. Dropped with ReportLab's settings, before anything is drawn."""
    import os

    from generator.render import rtl

    config = tmp_path / "reshaper.ini"
    config.write_text("[ArabicReshaper]\nsupport_ligatures = no\n", encoding="utf-8")
    monkeypatch.setenv("PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE", str(config))
    rtl._reshaper.cache_clear()
    try:
        assert run("check", "--project", project).exit_code == 0
        assert "PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE" not in os.environ
        assert rtl._reshaper().configuration.getboolean("support_ligatures")  # noqa: SLF001 - what it was made with
    finally:
        rtl._reshaper.cache_clear()


def test_init_from_a_read_only_installation_makes_a_project_one_can_edit(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The package installed read-only (the Nix store: files 0444, folders 0555; an image layer copied so): `init`
    copied each starter file's mode with it, so the clinic's new project had read-only content files in read-only
    folders — `approve` refuses a read-only file, `translate new` cannot make its folder. A new project's files and
    folders are ordinary ones, as every other new file is (0666 / 0777 less the umask)."""
    import os
    import shutil
    import stat

    from generator import scaffold

    for name, shipped in (("content", scaffold.shipped_content()), ("docs", scaffold.shipped_docs())):
        copy = tmp_path / "installed" / name
        shutil.copytree(shipped, copy)
        for folder, _, files in os.walk(copy):
            for file in files:
                os.chmod(os.path.join(folder, file), 0o444)
            os.chmod(folder, 0o555)
        monkeypatch.setattr(scaffold, f"shipped_{name}", lambda copy=copy: copy)
    try:
        result = run("init", tmp_path / "clinic")
        no_traceback(result)
        assert result.exit_code == 0, result.output + result.stderr
        for path in [tmp_path / "clinic", *(tmp_path / "clinic").rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o200 and (not path.is_dir() or mode & 0o100), f"{path}: {oct(mode)}"
    finally:
        for folder, _, _ in os.walk(tmp_path / "installed"):
            os.chmod(folder, 0o755)
