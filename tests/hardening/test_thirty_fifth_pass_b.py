"""The thirty-fifth hostile pass, part B (issue 12): what a project holds and `check`/`build` read, and the files
translators send back. Written against main 578acb6; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture(scope="module")
def _exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project with Spanish started and declared, and its XLIFF export beside it (made once)."""
    base = tmp_path_factory.mktemp("spanish")
    project = tiny_copy(base / "tiny")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "  - es\n", encoding="utf-8")
    assert run("translate", "export", "es", "-o", base / "es.xlf", "--project", project).exit_code == 0
    return base


@pytest.fixture
def spanish(_exported: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of that project and its XLIFF export: (project, xliff file)."""
    shutil.copytree(_exported / "tiny", tmp_path / "tiny")
    shutil.copy(_exported / "es.xlf", tmp_path / "es.xlf")
    return tmp_path / "tiny", tmp_path / "es.xlf"


@pytest.mark.parametrize("mark", ["x-sdl-deleted", "x-review-removed"])
def test_a_tracked_deletion_in_an_xliff_target_is_refused_not_imported_as_text(
        spanish: tuple[Path, Path], mark: str) -> None:
    """Trados (and other CAT tools) keep a reviser's tracked changes in the XLIFF target: the deleted words inside
    `<mrk mtype="x-sdl-deleted">`, shown struck through, to be accepted or rejected. A file sent back before the
    changes were accepted imported the deleted words as text: "Tome <mrk mtype="x-sdl-deleted">10</mrk>5 mg."
    became "Tome 105 mg.", exit 0 — a dose no one wrote. A mark the import cannot tell is part of the translation
    (any `x-` mark but a comment, an insertion or a term) is refused at its line, nothing written."""
    project, xlf = spanish
    text = xlf.read_text(encoding="utf-8")
    empty = '<source>What this tiny handout is for.</source>\n        <target state="needs-translation" />'
    assert empty in text
    xlf.write_text(text.replace(empty, empty.replace(
        '<target state="needs-translation" />',
        f'<target state="translated">Tome <mrk mtype="{mark}">10</mrk>5 mg.</target>')), encoding="utf-8")
    before = (project / "content/es/tiny.yaml").read_bytes()
    result = run("translate", "import", xlf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "es.xlf:" in result.stderr and mark in result.stderr, result.stderr
    assert (project / "content/es/tiny.yaml").read_bytes() == before


def test_comments_insertions_and_segments_in_an_xliff_target_still_import(spanish: tuple[Path, Path]) -> None:
    """The marks whose text is the translation's are kept: a segment, a comment, a tracked insertion, a term; and
    an empty mark of any type (Trados's `x-sdl-location`), which holds no text."""
    project, xlf = spanish
    text = xlf.read_text(encoding="utf-8")
    empty = '<source>What this tiny handout is for.</source>\n        <target state="needs-translation" />'
    xlf.write_text(text.replace(empty, empty.replace(
        '<target state="needs-translation" />',
        '<target state="translated"><mrk mtype="seg" mid="1">Para <mrk mtype="x-sdl-comment" comment="ok">qué'
        '</mrk> <mrk mtype="x-sdl-added">sirve</mrk> <mrk mtype="term">esto</mrk>.<mrk mtype="x-sdl-location" '
        'mid="l1"/></mrk></target>')),
        encoding="utf-8")
    result = run("translate", "import", xlf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    assert 'summary: "Para qué sirve esto."' in (project / "content/es/tiny.yaml").read_text(encoding="utf-8")


def test_an_xliff_whose_segmented_source_is_other_words_than_its_source_is_refused(spanish: tuple[Path, Path]) -> None:
    """Trados shows a translator the `<seg-source>` (the source cut into `<mrk mtype="seg">` segments), not the
    `<source>`. A file whose `<source>` was as exported ("An introduction.") but whose `<seg-source>` read "Take 50
    mg." imported "Tome 50 mg." as the translation of "An introduction.", exit 0: the import checks a changed
    `<source>` (a translation of other words), and the words the tool showed were never looked at. Now a
    `<seg-source>` must hold the source's text; otherwise the unit is refused at its line."""
    project, xlf = spanish
    text = xlf.read_text(encoding="utf-8")
    empty = '<source>An introduction.</source>\n        <target state="needs-translation" />'
    assert empty in text
    xlf.write_text(text.replace(empty, '<source>An introduction.</source>\n        <seg-source><mrk mtype="seg" '
                                'mid="1">Take 50 mg.</mrk></seg-source>\n        <target state="translated"><mrk '
                                'mtype="seg" mid="1">Tome 50 mg.</mrk></target>'), encoding="utf-8")
    before = (project / "content/es/tiny.yaml").read_bytes()
    result = run("translate", "import", xlf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "es.xlf:" in result.stderr and "seg-source" in result.stderr, result.stderr
    assert (project / "content/es/tiny.yaml").read_bytes() == before


@pytest.mark.parametrize(("old", "new", "field"), [
    ('title: "An example source"', 'title: "An example 田 source"', "sources.example"),
    ("status: draft", 'status: approved\n  reviewer: "Dr 田"\n  role: "MD"\n  date: "2026-01-02"\n'
     '  next_review: "2027-01-02"\n  fingerprint: "sha256:0"', "review.reviewer"),
])
def test_a_character_the_fonts_lack_in_a_reviewer_or_source_title_is_placed_at_its_line(
        tmp_path: Path, old: str, new: str, field: str) -> None:
    """A character the language's fonts cannot draw in an approved handout's reviewer (hand-edited) or in a
    source's title was reported at the handout file's line 1, column 1 ("content/en/tiny.yaml:1:1:
    review.reviewer: character '田' … is not in font"), the excerpt showing `handout: tiny`: the model kept no
    position for these printed fields. Now the error is at the field's own line."""
    project = tiny_copy(tmp_path / "tiny")
    handout = project / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    assert old in text
    handout.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, row in enumerate(handout.read_text(encoding="utf-8").splitlines(), 1) if "田" in row)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    said = [row for row in result.stderr.splitlines() if f"{field}: character '田'" in row]
    assert said and said[0].startswith(f"content/en/tiny.yaml:{line}:"), result.stderr


def test_a_fonts_yaml_naming_more_families_than_a_project_needs_is_refused_at_the_first_extra(tmp_path: Path) -> None:
    """fonts.yaml under its 2 MB bound can name 50,000 families (`f1: {regular: a.ttf, bold: b.ttf}`), none of them
    used: each was located and checked at every load of the settings, and a build of the tiny handout took 72 s
    (307 MB), past the issue's 60-second bound. More than 200 families (or languages) is now refused at the first
    entry past the bound, before any is located; 50,000 are refused in about 10 s, the file's parsing."""
    from generator.render.settingkeys import MAX_NAMED

    project = tiny_copy(tmp_path / "tiny")
    (project / "templates").mkdir()
    families = "".join(f"  f{n}: {{regular: fonts/noto-sans/NotoSans-Regular.ttf, "
                       f"bold: fonts/noto-sans/NotoSans-Bold.ttf}}\n" for n in range(MAX_NAMED + 1))
    (project / "templates/fonts.yaml").write_text(
        "families:\n" + families + "languages:\n  en: {family: f0, direction: ltr, breaking: words}\n",
        encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"templates/fonts.yaml:{MAX_NAMED + 2}:3: {MAX_NAMED + 1} entries here" in result.stderr, result.stderr


def test_handouts_yaml_listing_more_languages_than_a_project_has_is_refused_at_once(tmp_path: Path) -> None:
    """handouts.yaml's `languages:` of 60,000 codes (`aa-AA`, `aa-AB`, …: a 600 KB file, under its bound) kept
    `check` busy past 120 s (killed): each code was compared with every one before it (two list scans), then
    looked up in Babel and its content folder. More than 200 languages is now refused at the first one past the
    bound, and the duplicate check is a set look-up."""
    from generator.content.parse.settings import MAX_LANGUAGES

    project = tiny_copy(tmp_path / "tiny")
    settings = project / "handouts.yaml"
    codes = "".join(f"  - {chr(97 + n // 676 % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}\n"
                    for n in range(MAX_LANGUAGES + 5))
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  - en\n", "  - en\n" + codes.replace("  - eng\n", "")), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{MAX_LANGUAGES + 6} languages are listed, more than the {MAX_LANGUAGES} read" in result.stderr
