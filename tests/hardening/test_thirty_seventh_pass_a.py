"""The thirty-seventh hostile pass, part A (issue 12): the default output folder linked into the project's own files,
a translator's comment on a block text's indicator line, an XLIFF unit in another language, verify of a hand-made
page, and wordings. Written against main dac1b04; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy

REPO = Path(__file__).resolve().parents[2]

_LINKED = {  # (the folder made, the link, where the link leads)
    "output -> templates": ("templates", "output", "templates"),
    "output -> content": (None, "output", "content"),
    "output -> docs": ("docs", "output", "docs"),
    "templates -> output": ("output", "templates", "output"),
}


def _linked_output(tmp_path: Path, layout: str) -> tuple[Path, Path, set[str]]:
    """The tiny project with its output folder linked into its own files as `layout` says; the folder the build
    would write into, and what it held before."""
    project = tiny_copy(tmp_path / "p")
    made, link, target = _LINKED[layout]
    if made:
        (project / made).mkdir()
    (project / link).symlink_to(target)
    written = project / target
    return project, written, {entry.name for entry in written.rglob("*")}


def _handouts(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`handouts` in a process of its own (a watch or a server that is not refused would run until killed)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.mark.parametrize("layout", sorted(_LINKED))
def test_default_output_folder_linked_into_the_project_is_refused(tmp_path: Path, layout: str) -> None:
    """`output -> templates` (or content, docs; or `templates -> output`): only a link leading *out* of the project
    was refused, so a plain `build` wrote en/tiny.pdf, manifest.json and .handouts.lock into templates/, never
    skipped ("built 1, skipped 0" every time), and `verify` of the file just built said outdated; the same folder as
    `--out output` was refused. Now refused like the link leading out: exit 1, at output, nothing written."""
    project, written, before = _linked_output(tmp_path, layout)
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert f"{project / 'output'}: the output folder is (through a link) inside the project's own files" \
        in result.stderr, result.stderr
    assert {entry.name for entry in written.rglob("*")} == before
    if layout == "templates -> output":  # named with --out, refused as well (it was written into)
        named = run("build", "--project", project, "--out", project / "output")
        assert named.exit_code == 2 and "a build would change its inputs" in named.stderr, named.stderr
        assert {entry.name for entry in written.rglob("*")} == before


@pytest.mark.parametrize("command", ["build --watch", "serve"])
def test_watch_and_desk_refuse_a_default_output_folder_linked_into_the_templates(tmp_path: Path,
                                                                                command: str) -> None:
    """`build --watch` with `output -> templates` rebuilt endlessly (each build wrote into templates/, which it
    watches); `serve` started, then answered 500 to every PDF. Both now refuse at once, as `build` does: exit 1,
    the output folder named, nothing written."""
    project, written, before = _linked_output(tmp_path, "output -> templates")
    args: list[str | Path] = [*command.split(), "--project", project]
    if command == "serve":
        with socket.socket() as probe:  # a free port: a desk that is not refused would listen there
            probe.bind(("127.0.0.1", 0))
            args += ["--port", str(probe.getsockname()[1])]
    result = _handouts(*args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the output folder is (through a link) inside the project's own files" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert {entry.name for entry in written.rglob("*")} == before


def test_print_refuses_a_default_output_folder_linked_into_the_templates(tmp_path: Path, monkeypatch) -> None:
    """`print` builds into the default output folder before it prints: with `output -> templates` it wrote the PDF
    into templates/. Now refused as `build` refuses it, and nothing is sent to the printer."""
    import generator.serve.printing as printing

    project, written, before = _linked_output(tmp_path, "output -> templates")
    sent: list[str] = []
    monkeypatch.setattr(printing, "choose_printer", lambda name: "Desk-7")
    monkeypatch.setattr(printing, "print_pdf", lambda data, printer, copies, title: sent.append(title) or
                        printing.PrintJob("Desk-7", printer, copies, True))
    result = run("print", "tiny", "--lang", "en", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert "the output folder is (through a link) inside the project's own files" in result.stderr, result.stderr
    assert not sent and {entry.name for entry in written.rglob("*")} == before


_FOLDED = '        text: >-  # asked Dr K about wording\n          An\n          introduction.\n'
_LITERAL = '        text: |  # keep this note\n          An introduction.\n        # a note below\n'


@pytest.mark.parametrize("block", [_FOLDED, _LITERAL], ids=["folded", "literal"])
def test_import_keeps_a_comment_on_a_block_texts_indicator_line(tmp_path: Path, block: str) -> None:
    """`text: >-  # asked Dr K about wording` (folded over two lines) in content/es/tiny.yaml, then a PO import of
    that unit: the file said `text: "Una introducción."` and the translator's comment was gone, nothing said (the
    safety net read the comment as part of the text). Now kept after the new quoted text, with any comment below."""
    project = spanish_started(tmp_path / "p")
    target = project / "content/es/tiny.yaml"
    text = target.read_text(encoding="utf-8")
    assert '        text: "An introduction."\n' in text
    target.write_text(text.replace('        text: "An introduction."\n', block, 1), encoding="utf-8")
    po = tmp_path / "in.po"
    assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
    exported = po.read_text(encoding="utf-8")
    entry = 'msgctxt "tiny|expect.intro"\nmsgid "An introduction."\nmsgstr ""'
    assert entry in exported
    po.write_text(exported.replace(entry, entry[:-2] + '"Una introducción."'), encoding="utf-8")
    result = run("translate", "import", po, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    after = target.read_text(encoding="utf-8")
    note = block[block.index("#"):block.index("\n")]
    assert f'        text: "Una introducción."  {note}\n' in after, after
    if "a note below" in block:
        assert '"Una introducción."  # keep this note\n        # a note below\n' in after, after


def test_approve_keeps_a_comment_on_a_block_review_notes_indicator_line(tmp_path: Path) -> None:
    """A reviewer's `note: >-  # ask Dr K first` in the review block: `approve` rewrites the block and keeps its
    comments (as lines of their own above it), but this one was read as part of the note and dropped. Kept now."""
    project = tiny_copy(tmp_path / "p")
    target = project / "content/en/tiny.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  status: draft\n", "  status: draft\n  note: >-  # ask Dr K first\n"
                                   "    waiting for\n    the lab\n", 1), encoding="utf-8")
    result = run("approve", target, "--reviewer", "Dr K", "--role", "MD", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    assert "# ask Dr K first" in target.read_text(encoding="utf-8")


def _exported_xliff(tmp_path: Path) -> tuple[Path, Path, str]:
    project = spanish_started(tmp_path / "p")
    xlf = tmp_path / "es.xlf"
    assert run("translate", "export", "es", "-o", xlf, "--project", project).exit_code == 0
    return project, xlf, xlf.read_text(encoding="utf-8")


@pytest.mark.parametrize("element", ["target", "source"])
def test_xliff_unit_in_another_language_is_refused_at_its_line(tmp_path: Path, element: str) -> None:
    """`<target xml:lang="fr">Une brochure</target>` in a file for 'es' was imported into es without a word,
    while the same change on <file target-language> was refused ("a tool or a person changed the language").
    Now refused the same way at the element's line:col; a <source xml:lang> other than the file's too."""
    project, xlf, text = _exported_xliff(tmp_path)
    old = '<source>A tiny handout</source>\n        <target state="needs-translation" />'
    assert old in text
    if element == "target":
        new = '<source>A tiny handout</source>\n        <target state="translated" xml:lang="fr">Une brochure</target>'
    else:
        new = '<source xml:lang="de">A tiny handout</source>\n        <target state="translated">Un folleto</target>'
    xlf.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1 + (element == "target")
    result = run("translate", "import", xlf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    assert f":{line}:" in result.stderr and "a tool or a person changed the language" in result.stderr, result.stderr
    assert f'its <{element}> says xml:lang="{"fr" if element == "target" else "de"}"' in result.stderr
    assert 'title: "A tiny handout"' in (project / "content/es/tiny.yaml").read_text(encoding="utf-8")


def test_xliff_target_naming_the_files_own_language_is_imported(tmp_path: Path) -> None:
    """The check above refuses another language only: `xml:lang="es"` (or `ES`) on a target of an es file is the
    file's own language, and is imported."""
    project, xlf, text = _exported_xliff(tmp_path)
    old = '<target state="needs-translation" />'
    xlf.write_text(text.replace(old, '<target state="translated" xml:lang="ES">Un folleto</target>', 1),
                   encoding="utf-8")
    result = run("translate", "import", xlf, "--project", project)
    assert result.exit_code == 0, result.output + result.stderr
    assert 'title: "Un folleto"' in (project / "content/es/tiny.yaml").read_text(encoding="utf-8")


_HAND_MADE = ('<!doctype html><html><head><meta name="patient-handouts-verify" content="patient-handouts:verify:v1;'
              'handout=tiny;lang=en;version=1.0.0;fingerprint={fingerprint};review=draft"></head><body><p>{shown}'
              '</p></body></html>')


def test_verify_of_a_hand_made_page_with_a_short_fingerprint_is_unknown(tmp_path: Path) -> None:
    """A hand-made HTML whose verification data carries the 12 printed digits as its fingerprint: "outdated
    (content changed: built from 9a579f191d9f, now 9a579f191d9f; …)" — a change that names no change. Every file
    this generator builds carries the whole fingerprint: the page is now unknown, said as made by hand or
    altered."""
    project = tiny_copy(tmp_path / "p")
    page = project / "x.html"
    short = _current_fingerprint(project)[7:19]
    page.write_text(_HAND_MADE.format(fingerprint=short, shown=short), encoding="utf-8")
    result = run("verify", page, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "unknown" in result.output and "outdated" not in result.output, result.output
    assert f"built from {short}, now {short}" not in result.output


def test_verify_names_whole_fingerprints_that_share_their_first_twelve_digits(tmp_path: Path) -> None:
    """A page whose whole fingerprint is forged to share the current one's first 12 digits was "content changed:
    built from X, now X". Both are now said whole, so the change is visible."""
    project = tiny_copy(tmp_path / "p")
    page = project / "x.html"
    current = _current_fingerprint(project)
    forged = current[:19] + "0" * 52
    page.write_text(_HAND_MADE.format(fingerprint=forged, shown=current[7:19]), encoding="utf-8")
    result = run("verify", page, "--project", project)
    no_traceback(result)
    assert f"built from {forged}, now {current}" in result.output, result.output


def _current_fingerprint(project: Path) -> str:
    """The tiny handout's whole fingerprint now (sha256:…), as a build records it."""
    from datetime import date

    from generator.content.project import load_or_raise
    from generator.review.state import handout_state

    loaded, _ = load_or_raise(project)
    return handout_state(loaded, loaded.handout("tiny", "en"), date.today())[2]


def test_xliff_units_stamped_for_several_languages_are_not_advised_as_one(tmp_path: Path) -> None:
    """One unit's extradata changed to `lang=fr` in an es file: the import advised "Import it as 'es,fr' (--lang
    es,fr --accept-language)", a command that cannot work ('es,fr' is no language code). Now the file is said to
    hold units exported for different languages, and the way on is to export it again."""
    project, xlf, text = _exported_xliff(tmp_path)
    assert text.count("patient-handouts lang=es ") > 2
    xlf.write_text(text.replace("patient-handouts lang=es ", "patient-handouts lang=fr ", 1), encoding="utf-8")
    result = run("translate", "import", xlf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "units exported for different languages (es, fr)" in result.stderr, result.stderr
    assert "es,fr" not in result.stderr and "Export the file again" in result.stderr


def test_po_file_with_cr_only_line_endings_is_said_for_what_it_is(tmp_path: Path) -> None:
    """A PO file saved with old Mac line endings (CR alone): "the PO header names no Language", though it names
    one (the whole file read as one comment line). Now the line endings are named, with where the first is."""
    project = spanish_started(tmp_path / "p")
    po = tmp_path / "in.po"
    assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
    text = po.read_text(encoding="utf-8")
    po.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    result = run("translate", "import", po, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "names no Language" not in result.stderr, result.stderr
    assert f":1:{text.index(chr(10)) + 1}: a line ends in a carriage return alone" in result.stderr, result.stderr


def test_import_from_a_pipe_through_dev_stdin_is_said_to_be_no_regular_file(tmp_path: Path) -> None:
    """`cat in.po | handouts translate import /dev/stdin`: "cannot be read (No such file or directory)" (the link
    resolves to a pipe's pseudo-name). Now "is not a regular file", as for a named pipe given by its name."""
    project = spanish_started(tmp_path / "p")
    po = tmp_path / "in.po"
    assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "generator", "translate", "import", "/dev/stdin", "--project",
                             str(project)], input=po.read_text(encoding="utf-8"), capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 1
    assert "/dev/stdin: is not a regular file" in result.stderr and "No such file" not in result.stderr, \
        result.stderr


@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
@pytest.mark.parametrize("log", ["built.log", "imported.log"])
def test_a_cache_log_that_is_no_file_is_warned_about(tmp_path: Path, monkeypatch, log: str, kind: str) -> None:
    """built.log (or imported.log) in the cache folder replaced by a link, a folder or a named pipe: never read
    nor written (rightly), and nothing said, so `verify` quietly stopped recognising files built here (an import,
    its own earlier import). One warning line now names the entry and what to do."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(cache))
    entry = cache / log
    if kind == "link":
        (tmp_path / "victim").write_text("victim\n", encoding="utf-8")
        entry.symlink_to(tmp_path / "victim")
    elif kind == "folder":
        entry.mkdir()
    else:
        os.mkfifo(entry)
    if log == "built.log":
        project = tiny_copy(tmp_path / "p")
        result = run("build", "--project", project)
    else:
        project = spanish_started(tmp_path / "p")
        po = tmp_path / "in.po"
        assert run("translate", "export", "es", "-o", po, "--project", project).exit_code == 0
        entry_text = 'msgctxt "tiny|expect.intro"\nmsgid "An introduction."\nmsgstr ""'
        po.write_text(po.read_text(encoding="utf-8").replace(entry_text, entry_text[:-2] + '"Una introducción."'),
                      encoding="utf-8")
        result = run("translate", "import", po, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    shown = {"link": "a link", "folder": "a folder", "fifo": "a named pipe (FIFO)"}[kind]
    assert f"warning: {entry}: is {shown}, not the cache's log of" in result.stderr, result.stderr
    if kind == "link":
        assert (tmp_path / "victim").read_text(encoding="utf-8") == "victim\n"
