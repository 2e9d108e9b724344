"""Fixes of the eighth hostile pass, second part (issue 12): the pass's failing tests, copied from
tests/hardening/test_eighth_pass.py (branch issue-12-pass8) with their docstrings, each with one line on the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")



# -- a command's output file that is not a regular file ------------------------------------------------------------
@pytest.mark.parametrize("kind", ["named-pipe", "device"])
def test_translate_export_never_replaces_a_device_or_a_named_pipe(project: Path, tmp_path: Path, kind: str) -> None:
    """`translate export es --format po -o X` where X is a named pipe, or a character device (here a private
    copy of /dev/null, `mknod X c 1 3`). On main 9506dfa both exports said "exported 46 unit(s) … to X", exit
    0, and X was a regular file of 12 kB afterwards: files.write_files renames its temporary file over whatever
    the target is (replace_texts refuses a target that is not a regular file; write_files does not). Run as
    root — as CI and many a clinic's admin run it — `-o /dev/null` replaces the system's /dev/null with a PO
    file. Only regular files are replaced; anything else is a clear error and stays as it was.
    Fix: files.write_files (every named output: export, template, review PDFs) refuses an entry that is neither
    a regular file, a link nor a new name before anything is written."""
    import os
    import stat
    import subprocess

    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    target = tmp_path / "target"
    if kind == "named-pipe":
        os.mkfifo(target)
    elif subprocess.run(["mknod", str(target), "c", "1", "3"], capture_output=True).returncode != 0:
        pytest.skip("mknod is not possible here (not root): no device to write to")
    before = os.lstat(target).st_mode
    result = run("translate", "export", "es", "--format", "po", "-o", target, "--project", project)
    no_traceback(result)
    after = os.lstat(target).st_mode
    assert not stat.S_ISREG(after) and stat.S_IFMT(after) == stat.S_IFMT(before), result.output
    assert result.exit_code in (1, 2), result.output


# -- a translation file another translator broke ---------------------------------------------------------------------
@pytest.mark.parametrize(("command", "file", "record"), [
    ("sync", "ru", "translation: done\n"), ("done", "ru", "translation: done\n"),
    ("sync", "es", "translation: done\n"), ("sync", "es", "translation:\n  units: [a, b]\n"),
    ("sync", "es", "translation:\n  units: 5\n"), ("sync", "es", "- paragraph: [intro]")],
    ids=["sync-other", "done-other", "sync-own-text", "sync-own-list", "sync-own-number", "sync-own-block-id"])
def test_a_broken_translation_record_in_another_language_is_no_traceback(project: Path, command: str, file: str,
                                                                          record: str) -> None:
    """Spanish and Russian are started; the Russian translator replaced the machine-kept `translation:` block of
    content/ru/tiny.yaml by `translation: done` (a note to self; `check` names it). Then the Spanish translator
    runs `translate sync es` (or `translate done es --all`): on main 9506dfa both ended in a traceback,
    "AttributeError: 'str' object has no attribute 'get'" in translators/history.recorded_hashes, which reads
    every language's record to prune content/source-history.yaml. One translator's typo must not crash every
    other translator's commands; no traceback, ever. In the Spanish file itself — the file sync is meant to
    mend — `translation: done` gives the same traceback, and `translation: {units: [a, b]}` "ValueError:
    dictionary update sequence element #0 has length 1; 2 is required" (sync.sync); `units: 5` "TypeError: 'int'
    object is not iterable", and a block ID written as a list (`- paragraph: [intro]`) "TypeError: unhashable
    type: 'CommentedSeq'" (sync._identity keys a dict by it)."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n  - ru\n"),
                        encoding="utf-8")
    for lang in ("es", "ru"):
        assert run("translate", "new", lang, "--project", project).exit_code == 0
    broken = project / f"content/{file}/tiny.yaml"
    text = broken.read_text(encoding="utf-8")
    if record.startswith("- paragraph:"):
        assert "- paragraph: intro" in text
        broken.write_text(text.replace("- paragraph: intro", record, 1), encoding="utf-8")
    else:
        broken.write_text(text[:text.index("\ntranslation:")] + "\n" + record, encoding="utf-8")
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('"Safety first."', '"Safety first, always."'),
                      encoding="utf-8")
    args = ["translate", command, "es", *(["--all"] if command == "done" else []), "--project", project]
    result = run(*args)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output + result.stderr




@pytest.mark.parametrize("facts", ["facts: 5", 'facts: "see the clinic binder"'])
@pytest.mark.parametrize("command", [("export", "es", "--format", "po"), ("template",)], ids=["export", "template"])
def test_translate_export_of_a_project_with_mistyped_facts_is_no_traceback(project: Path, facts: str,
                                                                            command: tuple[str, ...]) -> None:
    """content/facts.yaml holds `facts: 5` (or a sentence) instead of the mapping of facts — a file `check`
    refuses with its position. The second pass fixed `translate export` on a facts.yaml that does not load;
    one that loads but has the wrong type still ended, on main 7ca0ee1, `translate export es --format po` and
    `translate template` in a traceback: "AttributeError: 'int' object has no attribute 'items'"
    (exchange._placeholder_meanings). No traceback, ever: a clear error naming content/facts.yaml, or the
    export without the facts' notes."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    path = project / "content/facts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("facts:")] + facts + "\n" + text[text.index("legal:"):], encoding="utf-8")
    result = run("translate", *command, "--project", project)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output + result.stderr


