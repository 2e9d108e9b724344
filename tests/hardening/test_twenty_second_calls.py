"""Judgement calls left open by earlier passes, taken up in the thirteenth session (issue 12)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hardening.hostile import declare, no_traceback, refused_by_check_and_build, spanish_started, tiny_copy


@pytest.mark.parametrize("name", ["style.yaml", "fonts.yaml"])
@pytest.mark.parametrize(("text", "said"), [
    ("", "the file is empty"),
    ("---\n", "the file is empty"),
    ("[]\n", "the file is a list, not settings"),
    # `page: 1`, `families: 1`: said at the value's line since the thirty-seventh pass (test_thirty_seventh_pass_b)
    ("colors: {}\nlanguages: {}\n", "is missing; add it"),
])
def test_a_settings_file_of_the_wrong_shape_is_named_in_its_reader_s_words(tmp_path: Path, name: str, text: str,
                                                                          said: str) -> None:
    """An empty templates/style.yaml or fonts.yaml (a sync tool's placeholder, a `touch`) was refused as
    "cannot read styles (TypeError(\"'NoneType' object is not subscriptable\"))" — Python's words, no fix named (a
    judgement call of the twenty-first pass)."""
    # Each file's own keys only: the other file's would be unknown keys, said first (thirty-third pass)
    own = {"style.yaml": ("page", "colors"), "fonts.yaml": ("families", "languages")}[name]
    text = "".join(line for line in text.splitlines(keepends=True) if not line[:1].isalpha() or
                   line.split(":")[0] in own)
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"templates/{name}: " in result.stderr and said in result.stderr, result.stderr
    assert f"compare it with the shipped templates/{name}, or delete it" in result.stderr
    assert "Error" not in result.stderr  # no Python exception named


def test_a_build_names_an_empty_style_file_the_same_way(tmp_path: Path) -> None:
    """The build reads style.yaml itself (and the large-print sizes): the same words."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.yaml").write_text("", encoding="utf-8")
    refused_by_check_and_build(project, "templates/style.yaml: the file is empty", "--large-print")


@pytest.mark.parametrize(("name", "value"), [("RUAMEL_DEBUG", "7"), ("RUAMEL_DEBUG", "abc"), ("YAMLDEBUG", "x")])
def test_ruamel_s_debugging_switches_change_nothing(tmp_path: Path, name: str, value: str) -> None:
    """`RUAMEL_DEBUG=7` made ruamel.yaml print its whole parse to standard output, unfiltered (escape sequences of a
    file's text reached the terminal); `YAMLDEBUG=x` ended in a ValueError traceback and `RUAMEL_DEBUG=abc` blamed
    content/en/tiny.yaml, "cannot be read for editing" (a judgement call of the twentieth pass)."""
    root = spanish_started(tmp_path / "project")
    env = {**os.environ, name: value}
    done = subprocess.run([sys.executable, "-m", "generator", "translate", "sync", "es", "--project", str(root)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == "0 file(s) updated\n", done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stderr == ""


def test_ctrl_c_between_two_renames_waits_for_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A multi-file write (approve of several files, an import into two) stopped by Ctrl-C between two of its
    renames left the first file changed and the second not (a judgement call of the twentieth pass): the signal is
    held until every file is in place, then acted on."""
    from generator.content.files import replace_texts

    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for path in files:
        path.write_text("old\n", encoding="utf-8")
    real = os.replace

    def interrupted(src: str | Path, dst: str | Path) -> None:
        real(src, dst)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C right after the first rename

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace_texts({path: "new\n" for path in files}, tmp_path)
    monkeypatch.undo()
    assert [path.read_text(encoding="utf-8") for path in files] == ["new\n", "new\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temporary file, no backup


def test_a_kill_between_two_renames_waits_for_the_last(tmp_path: Path) -> None:
    """`kill` (SIGTERM, the default action: the process ends at once) between two renames: the same."""
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for path in files:
        path.write_text("old\n", encoding="utf-8")
    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom generator.content.files import replace_texts\n"
              "real = os.replace\n"
              "def killed(src, dst):\n    real(src, dst)\n    os.kill(os.getpid(), signal.SIGTERM)\n"
              "os.replace = killed\n"
              f"replace_texts({{Path(p): 'new\\n' for p in {[str(p) for p in files]!r}}}, Path({str(tmp_path)!r}))\n"
              "print('not stopped')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == -signal.SIGTERM, done.stdout + done.stderr
    assert [path.read_text(encoding="utf-8") for path in files] == ["new\n", "new\n"]


def test_a_long_word_is_never_cut_inside_a_number(tmp_path: Path) -> None:
    """A word longer than the line was cut between any two characters, digits too: "…1000mg" printed as "…10" on one
    line and "00mg" on the next, a dose of 10 to a reader (a judgement call of the eighteenth pass). It is cut
    before the number now; only a number longer than a whole line is still cut."""
    project = tiny_copy(tmp_path / "project")
    tiny = project / "content/en/tiny.yaml"
    words = [f"{'x' * n}1000mg" for n in range(66, 106, 3)]  # longer than a line; the cut lands at each place
    tiny.write_text(tiny.read_text(encoding="utf-8").replace('text: "An introduction."',
                                                              f'text: "{" ".join(words)}"'), encoding="utf-8")
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output + result.stderr
    lines = subprocess.run(["pdftotext", str(project / "output/en/tiny.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    numbers = [number for line in lines if "x" in line or line[:1].isdigit() for number in re.findall(r"\d+", line)]
    assert numbers == ["1000"] * len(words), lines  # each whole on its line, never "10" and "00"
    # The cut itself, at widths where a plain cut falls inside the number.
    from generator.render.words import Piece, Word
    from generator.render.words import cut as cut_word

    word = Word([Piece("dose1,000.5mg", False, False, "")], True)
    for width in range(70, 130, 10):  # "1,000.5" is 70 wide
        parts = ["".join(p.text for p in w.pieces) for w in cut_word(word, width, lambda ch, piece: 10.0)]
        assert "".join(parts) == "dose1,000.5mg" and any("1,000.5" in p for p in parts), parts
        assert all(len(p) * 10 <= width for p in parts), parts


@pytest.mark.parametrize("text", ["Take 2\\u00ad5 mg.", "Take 25\\u00ad mg.", "Call \\u00ad911 now."])
def test_a_soft_hyphen_beside_a_digit_is_refused(tmp_path: Path, text: str) -> None:
    """The PDF draws a soft hyphen as nothing (twenty-second pass B), but the HTML companion's browser may break
    "2\u00ad5 mg" there and show "2-" at a line's end, "5 mg" below (left open by that pass): refused where it is."""
    project = tiny_copy(tmp_path / "project")
    tiny = project / "content/en/tiny.yaml"
    tiny.write_text(tiny.read_text(encoding="utf-8").replace('"An introduction."', f'"{text}"'), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "tiny.yaml:17:" in result.stderr and "a soft hyphen (U+00AD) beside a digit" in result.stderr


def test_a_soft_hyphen_inside_a_word_is_still_allowed(tmp_path: Path) -> None:
    """A word's soft hyphen (Word's optional hyphen) is where a browser may hyphenate it: harmless, kept."""
    project = tiny_copy(tmp_path / "project")
    tiny = project / "content/en/tiny.yaml"
    tiny.write_text(tiny.read_text(encoding="utf-8").replace('"An introduction."', '"An intro\\u00adduction."'),
                    encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0


@pytest.mark.parametrize(("name", "old", "new", "said"), [
    # at the value itself since the thirty-seventh pass
    ("style.yaml", "  body: {size: 12,", '  body: {bold: "no", size: 12,',
     "style.yaml:31:16: text.body.bold must be true"),
    ("style.yaml", "top: 16,", "top: 1,", "style.yaml:7:15: page.margin_mm.top must be at least"),
    ("style.yaml", "  body: {size: 12,", "  body: {size: [12,", "style.yaml:31:"),
    ("fonts.yaml", "  en: {family: noto-sans", "  en: {family: nosuch", "fonts.yaml:LINE:3: language 'en' uses"),
])
def test_a_settings_file_s_error_gives_the_line_and_column(tmp_path: Path, name: str, old: str, new: str,
                                                          said: str) -> None:
    """style.yaml's and fonts.yaml's errors named the setting ("text.body.bold") but no position, unlike every
    content error (`path:line:col: what; how to fix`; left open by the twenty-second pass B): the setting's own
    line and column now lead the message, and a YAML syntax error's position too."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    shipped = (REPO / "templates" / name).read_text(encoding="utf-8")
    assert old in shipped
    (project / "templates" / name).write_text(shipped.replace(old, new, 1), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    line = shipped.split(old)[0].count("\n") + 1
    assert result.exit_code == 1 and said.replace("LINE", str(line)) in result.stderr, result.stderr


def test_init_refused_deep_down_leaves_no_folder_on_the_way(tmp_path: Path) -> None:
    """`init a/b/<300 characters>/c` (a name too long three levels down) failed, but left `a/b` behind (a
    judgement call of the twenty-second pass A): the folders it made on the way go again; one that was there stays."""
    (tmp_path / "kept").mkdir()
    for name in ("a/b/" + "x" * 300 + "/c", "kept/b/" + "x" * 300 + "/c"):
        result = run("init", tmp_path / name)
        no_traceback(result)
        assert result.exit_code == 1 and "nothing was written" in result.stderr, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["kept"] and not list((tmp_path / "kept").iterdir())


def test_a_template_refused_inside_the_project_is_told_a_pot_name(tmp_path: Path) -> None:
    """`translate template -o content/x.pot` was told to write "elsewhere, e.g. es.po" (left open by the twenty-
    second pass A): a POT template's example is a .pot name."""
    project = tiny_copy(tmp_path / "project")
    result = run("translate", "template", "-o", project / "content/x.pot", "--project", project)
    assert result.exit_code == 1 and "e.g. template.pot" in result.stderr, result.stderr


def test_no_command_writes_into_another_project_s_own_files(tmp_path: Path) -> None:
    """`build --out ../other-clinic/content` wrote `en/tiny.pdf`, a manifest and a lock file into the other
    project's content folder (a judgement call of the twentieth pass A: only the project's own files were
    refused); `translate export -o` and `translate review --out` the same. Another project's settings, content,
    templates and docs are refused as the project's own are, nothing written."""
    project, other = tiny_copy(tmp_path / "clinic"), tiny_copy(tmp_path / "other-clinic")
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    before = sorted(p.relative_to(other) for p in other.rglob("*"))
    for command in (("build", "--out", other / "content"), ("build", "--out", other / "templates" / "x"),
                    ("translate", "export", "es", "-o", other / "docs" / "es.po"),
                    ("translate", "review", "es", "--out", other / "content" / "review")):
        result = run(*command, "--project", project)
        no_traceback(result)
        assert result.exit_code in (1, 2) and "own files" in result.stderr, (command, result.stderr)
    assert sorted(p.relative_to(other) for p in other.rglob("*")) == before


@pytest.mark.parametrize("charset", ["ISO-8859-1", "windows-1252", "GB2312"])
def test_an_import_of_a_po_file_in_another_encoding_is_refused(tmp_path: Path, charset: str) -> None:
    """`translate import` read every PO file as UTF-8 whatever its `charset=` said (a judgement call of the
    eighteenth pass A): a file saved in another encoding whose bytes happen to be valid UTF-8 was read as other
    letters, unsaid. A charset other than UTF-8 is refused at the header, naming the conversion."""
    root = spanish_started(tmp_path / "project")
    out = tmp_path / "es.po"
    assert run("translate", "export", "es", "--project", root, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "charset=UTF-8" in text
    out.write_text(text.replace("charset=UTF-8", f"charset={charset}"), encoding="utf-8")
    before = sorted((p, p.read_bytes()) for p in (root / "content").rglob("*.yaml"))
    result = run("translate", "import", out, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1 and f"the PO header says the file is in {charset}" in result.stderr, result.stderr
    assert "es.po:" in result.stderr and "msgconv --to-code=UTF-8" in result.stderr
    assert sorted((p, p.read_bytes()) for p in (root / "content").rglob("*.yaml")) == before
    out.write_text(text.replace("charset=UTF-8", "charset=utf8"), encoding="utf-8")
    assert run("translate", "import", out, "--project", root).exit_code == 0


def test_a_po_string_continued_on_the_same_line_is_read_as_msgfmt_reads_it(tmp_path: Path) -> None:
    """`msgstr "Seguridad" " primero"` (strings side by side on one line, which msgfmt accepts) was refused as
    "unexpected text after the closing quote" (a judgement call of the eighteenth pass A): it is one string."""
    root = spanish_started(tmp_path / "project")
    out = tmp_path / "es.po"
    assert run("translate", "export", "es", "--project", root, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    old = 'msgid "A tiny handout"\nmsgstr ""'
    assert old in text
    out.write_text(text.replace(old, 'msgid "A tiny handout"\nmsgstr "Un folleto" " pequeño"'), encoding="utf-8")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True).returncode == 0
    result = run("translate", "import", out, "--project", root)
    assert result.exit_code == 0, result.stderr
    assert 'title: "Un folleto pequeño"' in (root / "content/es/tiny.yaml").read_text(encoding="utf-8")


def test_a_file_made_by_another_command_meanwhile_is_not_replaced(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two `translate done` (for two languages) at once, with no content/source-history.yaml yet: each found no
    file, and the second replaced the first's, whose previous source texts were gone (left open by the twenty-third
    pass A). A file that was not there when the command looked, and is there at its rename, is not replaced."""
    from generator.translators import history

    root = spanish_started(tmp_path / "project")
    record = root / "content/source-history.yaml"
    record.unlink(missing_ok=True)  # not made yet
    real = history._read

    def meanwhile(root: Path) -> object:  # another command writes it once this one has looked
        found = real(root)
        record.write_text("texts: {}\n", encoding="utf-8")
        return found

    monkeypatch.setattr(history, "_read", meanwhile)
    before = (root / "content/es/tiny.yaml").read_bytes()
    result = run("translate", "done", "es", "--all", "--project", root)
    no_traceback(result)
    assert result.exit_code == 1 and "changed while this command ran" in result.stderr, result.stderr
    assert record.read_text(encoding="utf-8") == "texts: {}\n"
    assert (root / "content/es/tiny.yaml").read_bytes() == before


def test_approving_a_translation_out_of_date_says_it_stays_out_of_date(tmp_path: Path) -> None:
    """`approve content/es/tiny.yaml` after the English changed said "approved", exit 0, while the handout went on
    printing "translation out of date" and `build --release` refused it (left open by the twenty-fourth pass A): the
    approval is recorded, and a warning says why it does not make the handout current yet."""
    root = spanish_started(tmp_path / "project")
    assert run("translate", "done", "es", "--all", "--project", root).exit_code == 0
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("Safety first.", "Safety comes first."),
                       encoding="utf-8")
    result = run("approve", root / "content/es/tiny.yaml", "--reviewer", "Dr. A", "--role", "MD", "--project", root)
    assert result.exit_code == 0 and "approved: " in result.output, result.output + result.stderr
    assert "is a translation out of date" in result.stderr and "translate done" in result.stderr, result.stderr
    current = run("approve", root / "content/en/tiny.yaml", "--reviewer", "Dr. A", "--role", "MD", "--project", root)
    assert current.exit_code == 0 and "out of date" not in current.stderr, current.stderr


def test_a_note_the_team_removed_since_the_export_does_not_block_the_next_export(tmp_path: Path) -> None:
    """A comment in content/es/tiny.yaml went out in es.po; the project manager then deleted it. The export guard
    (twenty-third pass) counted the file's copy as a translator's unimported note and refused every new export,
    while `translate import` — which the message asked for — rightly brought nothing back (twenty-fourth pass): no
    way out but moving the file away. The guard now asks what the import would bring in."""
    root = spanish_started(tmp_path / "project")
    spanish = root / "content/es/tiny.yaml"
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text.replace("\ntitle: ", "\n# ask Dr A about the brand name\ntitle: ", 1), encoding="utf-8")
    out = tmp_path / "es.po"
    assert run("translate", "export", "es", "-o", out, "--project", root).exit_code == 0
    assert "ask Dr A" in out.read_text(encoding="utf-8")
    spanish.write_text(text, encoding="utf-8")  # the question answered: the comment removed
    result = run("translate", "export", "es", "-o", out, "--project", root)
    assert result.exit_code == 0, result.stderr
    assert "ask Dr A" not in out.read_text(encoding="utf-8")
