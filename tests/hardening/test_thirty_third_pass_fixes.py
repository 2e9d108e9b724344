"""Findings of the report-only thirty-third hostile pass, fixed (each test failed before its fix)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy

IN_THE_WAY = "move or remove it, or choose another --out"


def _refused(result: object, words: str) -> None:
    no_traceback(result)  # type: ignore[arg-type]
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert words in result.stderr, result.stderr  # type: ignore[attr-defined]
    assert "free space" not in result.stderr and "File exists" not in result.stderr, result.stderr  # type: ignore


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_copy(tmp_path_factory.mktemp("thirty-third") / "tiny")


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spanish_started(tmp_path_factory.mktemp("thirty-third-es") / "tiny")


def test_a_file_or_a_pipe_where_the_language_folder_goes_is_named(tiny: Path) -> None:
    """`output/en` a file or a FIFO: "p/output: cannot write output (File exists); … check free space and
    permissions" named the output folder, in mkdir's words."""
    out = tiny.parent / "out-en"
    out.mkdir()
    (out / "en").write_text("notes", encoding="utf-8")
    _refused(run("build", "--project", tiny, "--out", out), f"{out / 'en'}: is a file, not a folder; {IN_THE_WAY}")
    (out / "en").unlink()
    os.mkfifo(out / "en")
    _refused(run("build", "--project", tiny, "--out", out), f"{out / 'en'}: is a named pipe (FIFO), not a folder")
    assert os.listdir(out) == ["en"]  # nothing else written: refused before anything renders


def test_a_file_above_the_output_folder_is_named(tiny: Path) -> None:
    notes = tiny.parent / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    _refused(run("build", "--project", tiny, "--out", notes / "sub"), f"{notes}: is a file, not a folder; {IN_THE_WAY}")
    _refused(run("translate", "template", "-o", notes / "x.pot", "--project", tiny),
             f"{notes}: is a file, not a folder; move or remove it, or choose another -o")



def test_a_file_where_the_review_folder_goes_is_named(spanish: Path) -> None:
    notes = spanish.parent / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    _refused(run("translate", "review", "es", "--project", spanish, "--out", notes / "sub"), f"{notes}: is a file")
    out = spanish.parent / "out-review"
    out.mkdir()
    (out / "review").write_text("x", encoding="utf-8")
    _refused(run("translate", "review", "es", "--project", spanish, "--out", out),
             f"{out / 'review'}: is a file, not a folder; {IN_THE_WAY}")
    (out / "review").unlink()
    (out / "review").mkdir()
    (out / "review/es").write_text("x", encoding="utf-8")
    _refused(run("translate", "review", "es", "--project", spanish, "--out", out),
             f"{out / 'review/es'}: is a file, not a folder; {IN_THE_WAY}")


def test_a_file_on_the_cache_folders_path_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.content.seal import private_cache_dir

    (tmp_path / "notes").write_text("x", encoding="utf-8")
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "notes/cache"))
    with pytest.raises(OSError, match="notes: is a file, not a folder"):
        private_cache_dir()


def test_init_under_a_pipe_says_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    _refused(run("init", tmp_path / "pipe/clinic"), f"{tmp_path / 'pipe'} is a named pipe (FIFO), not a folder")


# -- style.yaml's large_print: section, errors at its own lines ----------------------------------------------
SHIPPED = Path(__file__).resolve().parents[2] / "templates"
LARGE_BODY = "    body: {size: 16, leading: 22.4, space_after: 6}"


def _style(folder: Path, old: str, new: str) -> Path:
    """The shipped style.yaml with one edit, in `folder`; the line the edit is on."""
    text = (SHIPPED / "style.yaml").read_text(encoding="utf-8")
    assert old in text, old
    (folder / "style.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return folder / "style.yaml"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("body", ["    body: {size: 80, leading: 100, space_after: 6}",
                                  "    body: {size: 16, leading: 22.4, space_after: 6, bold: \"yes\"}",
                                  "    body: {size: 16, leading: 22.4, space_after: 999}"])
def test_a_large_print_error_is_placed_in_the_large_print_section(tmp_path: Path, body: str) -> None:
    """Each was reported at the standard `text.body:` line (30), not the large_print one."""
    from generator.render.styles import StyleError, load

    path = _style(tmp_path, LARGE_BODY, body)
    with pytest.raises(StyleError) as raised:
        load(path, large_print=True)
    where = rf"{re.escape(str(path))}:{_line_of(path, body)}:\d+: large_print\.text\.body"
    assert re.match(where, str(raised.value)), raised.value


def test_a_large_print_footer_error_is_placed_in_the_large_print_section(tmp_path: Path) -> None:
    from generator.render.styles import StyleError, load

    path = _style(tmp_path, "  footer_size: 12", "  footer_size: 30")
    with pytest.raises(StyleError) as raised:
        load(path, large_print=True)
    assert f"{path}:{_line_of(path, 'footer_size: 30')}:3: large_print.footer_size" in str(raised.value), raised.value


# -- unknown keys in style.yaml and fonts.yaml ------------------------------------------------------------------
def test_unknown_keys_in_style_and_fonts_are_named_with_the_nearest_key_all_in_one_pass(tmp_path: Path) -> None:
    """`italik:` in fonts.yaml was ignored (the content's `*` markup was then blamed), `leadng:` in style.yaml too."""
    project = tiny_copy(tmp_path / "tiny")
    (project / "templates").mkdir()
    fonts = (SHIPPED / "fonts.yaml").read_text(encoding="utf-8").replace("    italic: fonts", "    italik: fonts", 1)
    (project / "templates/fonts.yaml").write_text(fonts, encoding="utf-8")
    style = _style(project / "templates", "  body: {size: 12, leading: 15.6,", "  body: {size: 12, leadng: 15.6,")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("paper: letter", "paper: lettr"), encoding="utf-8")
    italik = _line_of(project / "templates/fonts.yaml", "italik:")
    for result in (run("check", "--project", project), run("build", "--project", project)):
        no_traceback(result)
        assert result.exit_code == 1, result.output
        assert f'templates/fonts.yaml:{italik}:5: unknown key "italik"; did you mean "italic"?' in result.stderr
        assert f'templates/style.yaml:{_line_of(style, "leadng")}:20: unknown key "leadng"; did you mean "leading"?' \
            in result.stderr, result.stderr
        assert "handouts.yaml:9:8: paper" in result.stderr and "3 error(s)" in result.stderr, result.stderr


def test_a_style_file_read_alone_names_its_unknown_key(tmp_path: Path) -> None:
    from generator.render.styles import StyleError, load

    path = _style(tmp_path, "  margin_mm: {top: 16,", "  margin_mm: {topp: 16, top: 16,")
    with pytest.raises(StyleError, match=rf'^{re.escape(str(path))}:7:15: unknown key "topp"; did you mean "top"\?$'):
        load(path)


# -- a template listing the handout's own language among the other editions ----------------------------------
def test_the_handouts_own_language_among_the_other_editions_is_refused_for_what_it_is(tmp_path: Path) -> None:
    """Refused as "the template names language 'en', which this project does not build": the project builds it."""
    from tests.hardening.hostile import own_template, refused_by_check_and_build

    project = tiny_copy(tmp_path / "tiny")
    label = '    {{ pair("p", doc.editions_label) }}\n    <languages>'
    own_template(project, "handout.xml.j2", (f"    {{%- if doc.other_languages %}}\n{label}",
                                             f"    {{%- if true %}}\n{label}"
                                             '<language lang="{{ doc.lang }}">English</language>'))
    refused_by_check_and_build(project, "the template lists language 'en', the handout's own, among its other "
                                        "editions")
