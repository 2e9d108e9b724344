"""The thirty-first hostile pass, part C (issue 12): whole workflows of one user at a time — a translator starting
a new language in a project `handouts init` made, in the YAML file and through a CAT tool, while the English changes,
and front desk staff serving handouts all day. Written against main 8dde26f; every test here failed on it when
written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


def test_a_new_language_is_declared_in_a_copy_of_the_shipped_fonts_yaml_alone(tmp_path: Path) -> None:
    """A clinic whose project `handouts init` made (no templates/ folder: "files you do not copy keep coming from the
    tool", its README says) started French: `translate new fr` said "next: add 'fr' to templates/fonts.yaml", a file
    the project does not have, and `check` with 'fr' declared said "templates/fonts.yaml: no fonts declared for
    language 'fr'; add it under 'languages:'" — naming no file to copy. Copying the shipped fonts.yaml into
    templates/ as the README says and adding the line, every command then refused: "templates/fonts/noto-sans/
    NotoSans-Regular.ttf: font file is missing or unreadable" — the clinic had to copy 20 MB of the generator's
    fonts into its project (which then stay behind at every upgrade) to print a language in Latin letters. A font
    file the project's folder does not hold is now the generator's own of that path, and the messages name the file
    to copy."""
    project = tiny_copy(tmp_path / "p")
    started = run("translate", "new", "fr", "--project", project)
    no_traceback(started)
    shipped = default_templates() / "fonts.yaml"
    assert str(shipped) in started.output.replace("\n", "")
    (project / "templates").mkdir()
    (project / "templates/fonts.yaml").write_text(
        shipped.read_text(encoding="utf-8") + "  fr: {family: noto-sans}\n", encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 0, checked.output
    assert "missing or unreadable" not in checked.output and "no fonts declared" not in checked.output


def test_an_editors_byte_order_mark_does_not_hide_a_text_cut_by_a_comment(tmp_path: Path) -> None:
    """A French translator's editor saved content/fr/tiny.yaml with a byte order mark (and CRLF, and typed quotes
    turned curly: `text: “Prévoyez un retour, formulaire #2 signé.”`). Unquoted — curly quotes are not YAML's —
    the text ends at ' #': the handout printed "“Prévoyez un retour, formulaire", the rest read as a comment. `check`
    refuses exactly this ("the text continues after ' #' …") in a file without the mark, but said "ok" with it:
    libyaml skips the mark without counting it, so the check looked one character early and saw a letter, not the
    '#'. The same for the English file, and for the lone '!' check. The mark is set aside before parsing."""
    project = tiny_copy(tmp_path / "p")
    source = project / "content/en/tiny.yaml"
    text = source.read_text(encoding="utf-8").replace('text: "Arrange a ride home."',
                                                      "text: “Arrange a ride home, form #2 signed.”")
    assert "#2" in text
    source.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "content/en/tiny.yaml:27:46:" in result.output and "the text continues after ' #'" in result.output
