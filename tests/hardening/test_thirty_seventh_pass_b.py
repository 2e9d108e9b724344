"""The thirty-seventh hostile pass, part B (issue 12): errors that say where. Written against main dac1b04; every
test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, own_template, tiny_copy


def _refused(project: Path, *words: str) -> str:
    """`check` refuses the project (exit 1, no traceback), saying each of `words`; its stderr."""
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


@pytest.mark.parametrize(("snippet", "words"), [
    ("{{ 1/0 }}", ["divides by zero"]),
    ('{% include "" %}', ["templates can only include files under templates/", "empty name"]),
    ('{% include "/etc/hostname" %}', ["templates can only include files under templates/", "absolute path"]),
    ('{% include "fonts" %}', ["templates can only include files under templates/", "is a folder"]),
    ('{% include "missing.j2" %}', ["templates can only include files under templates/", "'missing.j2'"]),
    ('{% include "a\\x00b" %}', ["templates can only include files under templates/", "'a\\x00b' is no file's"]),
    pytest.param('{% include "' + "a" * 5000 + '" %}', ["templates can only include files", "is no file's"],
                 id="a-5000-character-name"),
    ("{{ doc.nope }}", ["has no field 'nope'"]),
    ("{{ 1 + 'a' }}", ["cannot be worked out"]),
])
def test_a_template_failing_as_it_renders_is_reported_at_its_line_in_words(
        tmp_path: Path, snippet: str, words: list[str]) -> None:
    """A template that failed as it rendered was reported without line or column, in Python's words:
    `handout.xml.j2: template error (ZeroDivisionError: division by zero)`, `(IsADirectoryError: [Errno 21] Is a
    directory: 3)` for `{% include "" %}`, `'generator.render.localize.View object' has no attribute 'nope'`, and
    just `template error: /etc/hostname` for an include refused without saying why. Now the template's file and
    line (from the traceback frames Jinja2 gives the template's own file and line), and what went wrong."""
    project = tiny_copy(tmp_path / "tiny")
    (project / "templates/fonts").mkdir(parents=True)
    own_template(project, "handout.xml.j2", ("<handout lang=", f"{snippet}\n<handout lang="))
    line = (project / "templates/handout.xml.j2").read_text(encoding="utf-8").splitlines().index(snippet) + 1
    stderr = _refused(project, f"templates/handout.xml.j2:{line}: ", *words)
    for internal in ("Error:", "Errno", "generator.", "object'", "View"):
        assert internal not in stderr, stderr


def test_a_failure_inside_an_included_template_is_reported_at_that_file_and_line(tmp_path: Path) -> None:
    """The included file is where the fault is: its own path and line, not the including template's."""
    project = tiny_copy(tmp_path / "tiny")
    own_template(project, "handout.xml.j2", ("<handout lang=", '{% include "parts/bad.j2" %}\n<handout lang='))
    (project / "templates/parts").mkdir()
    (project / "templates/parts/bad.j2").write_text("\n\n{{ 2 // 0 }}\n", encoding="utf-8")
    _refused(project, "templates/parts/bad.j2:3: ", "divides by zero")


@pytest.mark.parametrize(("name", "old", "new", "words"), [
    ("style.yaml", "  footer_size: 8", "  footer_size: [8]", "page.footer_size must be a number (points), "
     "not a list"),
    ("style.yaml", "space_before: 8,", "space_before: [8],", "text.heading.space_before must be a number (points), "
     "not a list"),
    ("style.yaml", "space_before: 8,", "space_before: true,", "text.heading.space_before must be a number (points), "
     "not true"),
    ("style.yaml", "size_ratio: 0.9", "size_ratio: {a: 1}", "bilingual.size_ratio must be a number (a ratio), "
     "not settings"),
    ("style.yaml", "right: 16}", 'right: "x"}', "page.margin_mm.right must be a number (millimetres), "
     "not the text 'x'"),
    ("style.yaml", 'text: "#1a1a1a"', "text: #1a1a1a", "a # starts a comment, so a colour needs quotes"),
    ("style.yaml", "bold: true}", 'bold: "true"}', "text.clinic.bold must be true or false, not the text 'true'"),
    ("style.yaml", "\npage:\n", "\npage: 1\nx:\n", "page must be settings (key: value lines"),
    ("fonts.yaml", "{family: noto-sans,", "{family: [noto-sans],", "languages.en.family must be a name, not a list"),
    ("fonts.yaml", "regular: fonts/noto-sans/NotoSans-Regular.ttf", "regular: [fonts/noto-sans/NotoSans-Regular.ttf]",
     "families.noto-sans.regular must be a file path"),
])
def test_a_setting_of_the_wrong_kind_is_named_at_its_line_and_column(
        tmp_path: Path, name: str, old: str, new: str, words: str) -> None:
    """Values of the wrong kind in style.yaml and fonts.yaml were reported without line or key: `footer_size: [8]`,
    `space_before: [8]`, `size_ratio: {a: 1}`, fonts.yaml's `family: [noto-sans]` all "a setting is empty or holds
    a list…"; `right: "x"` Python's "could not convert string to float: 'x'"; `regular: [fonts/…]` became
    "templates/['fonts/noto-sans/NotoSans-Regular.ttf']: font file is missing"; `space_before: true` was read as
    1 pt. Each value's kind is now checked at its own position, by `check` and the build alike."""
    project = tiny_copy(tmp_path / "tiny")
    shipped = Path(__file__).resolve().parents[2] / "templates"
    (project / "templates").mkdir()
    text = (shipped / name).read_text(encoding="utf-8")
    assert old in text, old
    (project / "templates" / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    if name == "fonts.yaml":
        (project / "templates/fonts").symlink_to(shipped / "fonts")  # never read: the value is refused first
    line = text.replace(old, new, 1).splitlines().index(next(
        row for row in text.replace(old, new, 1).splitlines() if new.strip().splitlines()[0] in row)) + 1
    stderr = _refused(project, f"templates/{name}:{line}:", words)
    assert "could not convert" not in stderr and "holds a list" not in stderr, stderr
    result = run("build", "--project", project, "--out", tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 1 and words in result.stderr, result.stderr


def test_the_shipped_settings_hold_every_value_in_its_kind() -> None:
    """The shipped style.yaml and fonts.yaml pass the kind checks (quoted colours, numbers, file paths)."""
    from generator.render.settingkeys import FONTS, STYLE, unknown_keys

    shipped = Path(__file__).resolve().parents[2] / "templates"
    assert unknown_keys(shipped / "style.yaml", STYLE) == []
    assert unknown_keys(shipped / "fonts.yaml", FONTS) == []


@pytest.mark.parametrize(("field", "value", "words"), [
    ("next_review", '"2027-02-29"', "review.next_review: '2027-02-29' is not a real date"),
    ("date", "2026-12-08", "review.date: '2026-12-08' is read as a date, not text; put the text in double quotes"),
    ("date", '"2026-12-08T00:00"', "review.date: '2026-12-08T00:00' is not a date"),
    ("date", '"20261208"', "review.date: '20261208' is not a date"),  # Python 3.11's fromisoformat took it
])
def test_a_hand_edited_review_date_is_refused_at_its_own_line(tmp_path: Path, field: str, value: str,
                                                              words: str) -> None:
    """A hand-edited approval with `next_review: "2027-02-29"` (no such day), an unquoted `date: 2026-12-08` or
    `date: "2026-12-08T00:00"` was reported as "review: an approved review needs 'next_review'" (or 'date') at the
    `status:` line, as if the field were missing. Now only at the field's own line and column, saying what is
    wrong with it."""
    project = tiny_copy(tmp_path / "tiny")
    approved = run("approve", project / "content/en/tiny.yaml", "--reviewer", "Dr A", "--role", "MD",
                   "--project", project)
    assert approved.exit_code == 0, approved.output + approved.stderr
    handout = project / "content/en/tiny.yaml"
    lines = handout.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}: "))
    lines[row] = f"  {field}: {value}\n"
    handout.write_text("".join(lines), encoding="utf-8")
    stderr = _refused(project, f"content/en/tiny.yaml:{row + 1}:{len(field) + 5}: {words}")
    assert "needs" not in stderr, stderr


def test_an_approval_without_its_date_still_needs_it(tmp_path: Path) -> None:
    """A date left out of an approved review is still named as needed, at the review."""
    project = tiny_copy(tmp_path / "tiny")
    assert run("approve", project / "content/en/tiny.yaml", "--reviewer", "Dr A", "--role", "MD",
               "--project", project).exit_code == 0
    handout = project / "content/en/tiny.yaml"
    handout.write_text("".join(line for line in handout.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("  date: ")), encoding="utf-8")
    _refused(project, "an approved review needs 'date'")


@pytest.mark.parametrize("url", ["https://www.fd\u0430.gov/drugs", "https://example.org@evil.example/",
                                 "https://ex%61mple.org/"])
def test_a_source_address_whose_host_is_not_a_plain_host_name_is_refused_at_it(tmp_path: Path, url: str) -> None:
    """A source `url:` whose host used a Cyrillic "а" (`https://www.fdа.gov/...`) was accepted and printed
    "FDA (fdа.gov) 2023", the same on paper as fda.gov; the same host in `clinic.website` was refused
    ("characters no host name has"). Source addresses now follow the website's host rule (hostname.py), refused at
    the url's line and column."""
    project = tiny_copy(tmp_path / "tiny")
    handout = project / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    assert "    url: https://example.org/\n" in text
    handout.write_text(text.replace("    url: https://example.org/\n", f'    url: "{url}"\n'), encoding="utf-8")
    row = text.splitlines().index("    url: https://example.org/") + 1
    _refused(project, f"content/en/tiny.yaml:{row}:10: sources[0].url: ", "does not go where it seems to")


def test_a_source_address_with_an_escape_in_its_path_is_still_accepted(tmp_path: Path) -> None:
    """Only the host follows the website's rule: a source's path may hold escapes (a search, a PDF's name)."""
    project = tiny_copy(tmp_path / "tiny")
    handout = project / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    handout.write_text(text.replace("url: https://example.org/\n", "url: https://example.org/a%20b.pdf\n"),
                       encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0


def _scaled_face(dest: Path, scale: float, chars: str) -> None:
    """A copy of the shipped Noto Sans Regular whose `chars` are drawn at `scale` of their size (renamed)."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans/NotoSans-Regular.ttf")
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    for ch in chars:
        pen = TTGlyphPen(glyphs)
        glyphs[cmap[ord(ch)]].draw(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
        font["glyf"][cmap[ord(ch)]] = pen.glyph()
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = record.toUnicode().replace("NotoSans", "TinySans").replace("Noto Sans", "Tiny Sans")
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)


@pytest.mark.parametrize("scale", [0.2, 0.35])
def test_a_face_drawing_letters_as_specks_is_refused_naming_its_file_not_the_content(tmp_path: Path,
                                                                                     scale: float) -> None:
    """A project face drawing n, o and t at 0.35 or 0.2 of their size was refused with a dozen errors "character
    'n' … is not in font noto-sans-regular; replace the character" at the handout's and the facts' lines, never
    naming the font file: the coverage left out glyphs smaller than a speck as blank, and a character left out was
    said as one the face lacks. At 0.55 the right error appeared ("font … (T.ttf) … draws character 'n' without
    visible ink"); now at any scale, once per character."""
    project = tiny_copy(tmp_path / "tiny")
    _scaled_face(project / "templates/fonts/x/T.ttf", scale, "not")
    shutil.copy(Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans/NotoSans-Bold.ttf",
                project / "templates/fonts/x/B.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  tiny:\n    regular: fonts/x/T.ttf\n    bold: fonts/x/B.ttf\n"
        "languages:\n  en: {family: tiny, direction: ltr, breaking: words}\n", encoding="utf-8")
    stderr = _refused(project, "(T.ttf) for en draws character")
    assert "is not in font" not in stderr and "replace the character" not in stderr, stderr
    drawn = [line for line in stderr.splitlines() if "(T.ttf) for en draws character" in line]
    assert sorted(line.split("draws character '")[1][0] for line in drawn) == ["n", "o", "t"], stderr
