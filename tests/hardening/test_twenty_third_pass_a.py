"""The twenty-third hostile pass, part A (issue 12): every command but drawing, with new inputs none of the
twenty-two earlier passes or their corpus tried. Written against main 0a45231; every test here failed on it when
written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import export_refused_over_work, no_traceback, spanish_started, tiny_copy

# A translator's note as Poedit (a `# ` comment) and memoQ / Trados (`<note from="translator">`) save it
_NOTE = {".po": ('#. handout tiny, unit title\n', '# is "tiny" a brand name? ask Dr A\n#. handout tiny, unit title\n'),
         ".xlf": ('<note from="patient-handouts">handout tiny, unit title</note>',
                  '<note from="patient-handouts">handout tiny, unit title</note>\n        '
                  '<note from="translator">is "tiny" a brand name? ask Dr A</note>')}


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_export_never_replaces_a_file_holding_translator_notes_not_yet_imported(tmp_path: Path, suffix: str) -> None:
    """A translator exported Spanish to `es.po` (`es.xlf`) and, before translating, wrote questions for the project
    manager as comments (Poedit's translator comment, memoQ's and Trados's note) — which `translate import` brings
    into the translation file ("comments here are yours"). Before it was imported, `translate export es -o es.po` ran
    again: "exported 46 unit(s) … to es.po", exit 0, every note gone, unsaid. The twenty-second pass refused this for
    translations only. The file is refused, naming the unit; once imported it is replaced as before."""
    root = spanish_started(tmp_path / "p")
    exchange = tmp_path / f"es{suffix}"
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    export_refused_over_work(root, exchange, *_NOTE[suffix], "tiny|title")
    imported = run("translate", "import", exchange, "--project", root)
    assert imported.exit_code == 0, imported.stderr
    assert "ask Dr A" in (root / "content/es/tiny.yaml").read_text(encoding="utf-8")
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    assert "ask Dr A" in exchange.read_text(encoding="utf-8")  # the note, now the project's, goes out again


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_export_never_replaces_a_file_where_stale_units_were_confirmed(tmp_path: Path, suffix: str) -> None:
    """The English title changed after it was translated, so `translate export es` wrote it stale (PO `#, fuzzy` with
    the old source as `#| msgid`; XLIFF `needs-review-translation`). The translator read it against the new source,
    found the Spanish still right and confirmed it as it is (Poedit's "Needs work" off, memoQ / Trados "translated") —
    what `translate import` records as "confirmed against the current source". Before the import, `translate export
    es -o` ran again: exit 0, the unit back to fuzzy, the review gone, unsaid (the twenty-second pass's guard looked
    at changed translations only). The file is refused; once imported it is replaced as before."""
    root = spanish_started(tmp_path / "p")
    tiny = root / "content/es/tiny.yaml"
    tiny.write_text(tiny.read_text(encoding="utf-8").replace('title: "A tiny handout"', 'title: "Un folleto"', 1),
                    encoding="utf-8")
    assert run("translate", "done", "es", "--unit", "title", "--handout", "tiny", "--project", root).exit_code == 0
    source = root / "content/en/tiny.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("A tiny handout", "A small handout", 1),
                      encoding="utf-8")
    exchange = tmp_path / f"es{suffix}"
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    old, new = (('#, fuzzy, max-length:35\n', '#, max-length:35\n') if suffix == ".po" else
                ('<target state="needs-review-translation">Un folleto', '<target state="translated">Un folleto'))
    export_refused_over_work(root, exchange, old, new, "tiny|title")
    imported = run("translate", "import", exchange, "--project", root)
    assert imported.exit_code == 0 and "1 confirmed" in imported.output, imported.output + imported.stderr
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0


def test_sync_keeps_a_comment_above_the_block_it_heads_when_a_last_unit_is_added(tmp_path: Path) -> None:
    """The English gained a question at the end of its last section (and a crisis line at the end of `ui.yaml`'s
    strings); `translate sync es` added each below the comment that heads the file's `translation:` block ("Which
    source text each unit was translated from …; do not edit by hand"), so the comment then stood above the new unit:
    `translate export` gave it to the translator as that unit's note ("do not edit by hand" on a text to translate;
    the shipped `content/es/ui.yaml` shows it above `crisis.call`), and a translator's note above a later block moved
    the same way. A comment above a key that opens a block stays above it."""
    root = spanish_started(tmp_path / "p")
    source = root / "content/en/tiny.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '            text: "Is this right for me?"\n',
        '            text: "Is this right for me?"\n          - id: cost\n            text: "What will it cost?"\n', 1),
        encoding="utf-8")
    ui = root / "content/en/ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8") + '  crisis.free: "It is free."\n', encoding="utf-8")
    synced = run("translate", "sync", "es", "--project", root)
    assert synced.exit_code == 0, synced.stderr
    for name in ("tiny.yaml", "ui.yaml"):
        lines = (root / "content/es" / name).read_text(encoding="utf-8").splitlines()
        at = lines.index("translation:")
        assert lines[at - 1].startswith("# Which source text"), "\n".join(lines[at - 8:at + 1])
    exported = run("translate", "export", "es", "--format", "po", "--project", root).output
    for unit in ("tiny|questions.ask.cost", "ui|crisis.free"):
        entry = exported[:exported.index(f'msgctxt "{unit}"')].rsplit("\n\n", 1)[-1]
        assert "do not edit by hand" not in entry, entry


@pytest.mark.parametrize("command", [("translate", "done", "es", "--all"),
                                     ("approve", "content/en/tiny.yaml", "--reviewer", "Dr A", "--role", "MD")])
def test_a_folder_that_takes_no_new_file_is_named_not_a_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       command: tuple[str, ...]) -> None:
    """A translator may write `content/es/tiny.yaml` but not create files in `content/es/` (a shared folder whose
    files were made writable one by one; the user running it is not the folder's owner): `translate done es --all`
    (and `approve`) said "error: cannot write /…/content/es/.tiny.yaml.jk51kb71.tmp (Permission denied)" — a file
    that does not exist and was never named, the folder that refuses it not named either. (Run as `nobody` with the
    real CLI; simulated here, where the suite may run as root, whom permissions do not stop.) The message names the
    folder."""
    import tempfile

    root = spanish_started(tmp_path / "p") if command[0] == "translate" else tiny_copy(tmp_path / "p")

    def refused(*args: object, dir: str = "", **kwargs: object) -> tuple[int, str]:  # noqa: A002 - mkstemp's name
        raise PermissionError(13, "Permission denied", str(Path(dir) / ".tiny.yaml.jk51kb71.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run(*command, "--project", root) if command[0] == "translate" else \
        run(command[0], root / command[1], *command[2:], "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert ".tmp" not in result.stderr and "Permission denied" in result.stderr, result.stderr
    folder = "content/es" if command[0] == "translate" else "content/en"
    assert f"{folder} (Permission denied)" in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["link", "shared"])
def test_an_unusable_cache_folder_is_told_for_what_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         kind: str) -> None:
    """`HANDOUTS_CACHE_DIR=~/cache` where `~/cache` is a link to a private folder on a larger disk (a usual way to keep
    a cache off a small home partition), or a folder made with a umask of 000 (mode 777): every build warned "the cache
    folder cannot be used (~/cache is not a folder of this user's that only this user can write)" — of a folder that
    is this user's and only theirs, behind a link; the user was not told what to change. The warning says which: a
    link, and the folder to name instead; a folder others can write, and its mode."""
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    if kind == "link":
        given = tmp_path / "cache"
        given.symlink_to(real)
    else:
        given = real
        given.chmod(0o777)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(given))
    result = run("build", "--project", tiny_copy(tmp_path / "p"))
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert "not a folder of this user's" not in result.stderr, result.stderr
    expected = f"is a link to {real}" if kind == "link" else "others can write it (mode 777)"
    assert expected in result.stderr, result.stderr


def test_a_watch_whose_folder_is_deleted_does_not_blame_its_output(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`cd clinic && handouts build --watch`, then the project folder deleted (a colleague's clean-up, a `git clone`
    done again beside it): the watch stopped with "error: the output cannot be written (No such file or directory);
    free some space, or write it elsewhere" — the disk and the output blamed, where the folder it ran in was gone. Any
    error with no file name that reached the command line's last handler was said so. It names the folder, as every
    other command has since the twentieth pass."""
    import shutil

    import generator.watch

    project = tiny_copy(tmp_path / "clinic")
    started = generator.watch.watch

    def deleted_first(*args: object, **kwargs: object) -> None:
        shutil.rmtree(project)
        started(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.watch, "watch", deleted_first)
    monkeypatch.chdir(project)
    result = run("build", "--watch")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "free some space" not in result.stderr and "the current folder no longer exists" in result.stderr, \
        result.stderr
