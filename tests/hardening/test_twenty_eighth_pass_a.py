"""The twenty-eighth hostile pass, part A (issue 12): every command but drawing — the cache folder, shared output
folders, verify of odd PDFs, approve with partial failure, translator files a tool or a hand saved. Written against
main 7c0c58e; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started

_WORK = {  # a translation made in the file, and one slip beside it that makes the file unreadable as an export
    "po-escape": ('msgid "An introduction."\nmsgstr ""', 'msgid "An introduction."\nmsgstr "Una introducción.\\q"'),
    "po-quote": ('msgid "An introduction."\nmsgstr ""', 'msgid "An introduction."\nmsgstr "Una "introducción""'),
    "xliff-ampersand": ('introduction.</source>\n        <target state="needs-translation" />',
                        'introduction.</source>\n        <target state="translated">Una introducción & más</target>'),
}


@pytest.mark.parametrize("slip", sorted(_WORK))
def test_export_never_replaces_a_worked_file_it_cannot_read(tmp_path: Path, slip: str) -> None:
    """A translator exported Spanish to es.po (es.xlf), translated in it, and slipped once: a `\\q` or an unescaped
    quote typed in a text editor, a bare `&` in an XLIFF target. `translate import` refused the file, rightly,
    saying "fix the XML, or export the file again"; `translate export es -o es.po` then said "exported 46 unit(s)",
    exit 0, and every translation in the file was gone, unsaid: the twenty-second pass's guard read the file to find
    work not yet imported, and a file it could not read counted as holding none. A regular file that cannot be read
    as an exchange file (also one a tool saved as UTF-16 or Latin-1) is now refused, naming why, and left as it is."""
    root = spanish_started(tmp_path / "p")
    exchange = tmp_path / ("es.xlf" if slip.startswith("xliff") else "es.po")
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    old, new = _WORK[slip]
    worked = exchange.read_text(encoding="utf-8").replace(old, new)
    assert worked != exchange.read_text(encoding="utf-8")
    exchange.write_text(worked, encoding="utf-8")
    assert run("translate", "import", exchange, "--project", root).exit_code == 1  # the slip, named
    result = run("translate", "export", "es", "-o", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert exchange.read_text(encoding="utf-8") == worked, "the translator's file was replaced"
    assert "cannot be read" in result.stderr and "nothing was written" in result.stderr, result.stderr


def test_export_never_replaces_a_worked_file_saved_in_another_encoding(tmp_path: Path) -> None:
    """The same for a file a tool saved as UTF-16 (Windows Notepad's "Unicode"): import refuses it (not UTF-8), and a
    new export replaced it whole, unsaid. A file exported and saved back unchanged is still replaced."""
    root = spanish_started(tmp_path / "p")
    exchange = tmp_path / "es.po"
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    old, new = 'msgid "An introduction."\nmsgstr ""', 'msgid "An introduction."\nmsgstr "Una introducción."'
    data = exchange.read_text(encoding="utf-8").replace(old, new).encode("utf-16")
    exchange.write_bytes(data)
    result = run("translate", "export", "es", "-o", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert exchange.read_bytes() == data
    exchange.unlink()
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0  # as exported


def test_a_changed_file_the_manifest_does_not_list_is_kept_aside(tmp_path: Path) -> None:
    """A clinician saved notes into output/en/tiny.pdf; the manifest was then damaged (a sync client's conflict, a
    hand edit) and the build said, rightly, "this manifest.json was not written by handouts …; move it out of the
    folder". Done so, the next build replaced the annotated PDF, unsaid: the keep-aside (fourteenth session) looked
    only at files the manifest lists. The same for `build --out DIR` into a folder holding the clinic's own
    en/tiny.pdf. A file the manifest does not list is now kept aside when its bytes are not what replaces it; one
    identical to the fresh build is replaced, nothing kept."""
    from tests.hardening.hostile import tiny_copy

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project, "-j", "1").exit_code == 0
    pdf, manifest = project / "output/en/tiny.pdf", project / "output/manifest.json"
    manifest.unlink()
    assert run("build", "--project", project, "-j", "1").exit_code == 0  # identical: replaced, nothing kept
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["tiny.pdf"]
    notes = pdf.read_bytes() + b"%a clinician's notes\n"
    pdf.write_bytes(notes)
    manifest.write_text("{", encoding="utf-8")
    assert run("build", "--project", project, "-j", "1").exit_code == 1  # "move it out of the folder"
    manifest.unlink()
    result = run("build", "--project", project, "-j", "1")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    kept = project / "output/en/tiny.changed.pdf"
    assert kept.is_file() and kept.read_bytes() == notes, "the annotated PDF was replaced unsaid"
    assert str(kept) in result.stderr, result.stderr
