"""Judgement calls left open by earlier passes, taken up in the fifteenth session (each test failed before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.write import read_manifest
from tests.conftest import run
from tests.hardening.hostile import HANDOUT, SETTINGS, set_scalar, tiny_copy

PARTS = [HANDOUT, "content/en/ui.yaml", "content/facts.yaml"]


def _with_oregon(project: Path) -> None:
    """The tiny handout with Oregon declared the same as the US text, and Oregon's legal fact dated."""
    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        "    jurisdictions:\n", "    jurisdictions:\n      US-OR: {same_as: US}\n"), encoding="utf-8")
    facts = project / "content/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("legal:\n", "legal:\n  US-OR:\n    source: "
                     "https://www.oregon.gov/\n    checked: \"2026-01-01\"\n    review_by: \"2099-01-01\"\n"),
                     encoding="utf-8")


def _approve(project: Path, *paths: str) -> None:
    result = run("approve", *(project / p for p in paths), "--reviewer", "Dr. A B", "--role", "MD",
                 "--project", project)
    assert result.exit_code == 0, result.output


def _state(project: Path) -> str:
    assert (result := run("build", "--project", project)).exit_code == 0, result.output
    return read_manifest(project / "output")[0]["review_status"]


def test_an_approval_holds_only_for_the_jurisdiction_whose_legal_text_the_reviewer_read(tmp_path: Path) -> None:
    """A handout file holds every jurisdiction's legal text, its PDF prints the clinic's only: approved in a US
    project and copied to an Oregon one (or the clinic's jurisdiction changed), it printed "Reviewed" over legal
    text nobody read."""
    project = tiny_copy(tmp_path / "tiny")
    _with_oregon(project)
    _approve(project, *PARTS)
    assert 'jurisdiction: "US"' in (project / HANDOUT).read_text(encoding="utf-8")
    assert "jurisdiction" not in (project / "content/en/ui.yaml").read_text(encoding="utf-8").split("review:")[1]
    assert _state(project) == "approved"
    set_scalar(project, SETTINGS, "jurisdiction: US", "jurisdiction: US-OR")
    assert _state(project) == "changed since approval"
    status = run("status", "--project", project)
    assert "changed since approval" in status.output, status.output
    _approve(project, HANDOUT)
    assert _state(project) == "approved"
    assert 'jurisdiction: "US-OR"' in (project / HANDOUT).read_text(encoding="utf-8")


def test_an_approval_recorded_before_jurisdictions_were_recorded_still_holds(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "tiny")
    _approve(project, *PARTS)
    handout = project / HANDOUT
    handout.write_text(handout.read_text(encoding="utf-8").replace('  jurisdiction: "US"\n', ""), encoding="utf-8")
    assert _state(project) == "approved"


def test_a_hand_written_review_jurisdiction_is_checked(tmp_path: Path) -> None:
    project = tiny_copy(tmp_path / "tiny")
    _approve(project, HANDOUT)
    set_scalar(project, HANDOUT, 'jurisdiction: "US"', 'jurisdiction: "us/../x"')
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "review.jurisdiction" in result.stderr and "Traceback" not in result.output


def test_init_under_a_file_names_the_file(tmp_path: Path) -> None:
    """`init notes.txt/clinic` said "cannot create the project (File exists)": mkdir's words, naming neither the file
    in the way nor what to do."""
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run("init", tmp_path / "notes.txt/clinic/x")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in result.stderr, result.stderr


def test_a_bilingual_pair_taller_than_a_page_splits_under_its_heading_and_is_named_in_both_files(
        tmp_path: Path) -> None:
    """`en --bilingual es --large-print`, a Spanish paragraph of 4,860 characters (within the 5,000 bound): the pair
    was sent to the next page's top, leaving "What to expect / Qué esperar" alone at the foot of a page two-thirds
    blank ("a heading is the last thing on the page"). And in the help box, where such a pair is split inside with
    a warning, the warning named only the English file's line, where the text is short."""
    import shutil

    from pypdf import PdfReader

    repo = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(repo / "content", project / "content")
    shutil.copy(repo / "handouts.yaml", project)
    spanish = project / "content/es/microdosing.yaml"
    text = spanish.read_text(encoding="utf-8")
    for start in ('text: "Tomar microdosis', 'text: "Confusión o pánico'):
        at = text.index(start)
        text = text[:at] + 'text: "' + "Una frase larga de prueba. " * 180 + text[text.index('"\n', at):]
    spanish.write_text(text, encoding="utf-8")
    built = run("build", "--project", project, "--out", project / "out", "--lang", "en", "--bilingual", "es",
                "--large-print", "-j", "1", "microdosing")
    assert built.exit_code == 0, built.output
    assert "a heading is the last thing on the page" not in built.output, built.output
    first = PdfReader(project / "out/en/microdosing.en-es.large.pdf").pages[0].extract_text()
    assert "Qué esperar" in first and "Una frase larga de prueba" in first
    warning = next(line for line in built.output.splitlines() if ".confusion" in line and "taller" in line)
    assert warning.startswith("content/en/microdosing.yaml:")
    assert "with its translation at content/es/microdosing.yaml:239:20" in warning, warning


def _renamed_language(tmp_path: Path, code: str) -> Path:
    """The tiny project with its one language under `code`, declared in handouts.yaml and fonts.yaml."""
    import shutil

    project = tiny_copy(tmp_path / "tiny")
    (project / "content/en").rename(project / "content" / code)
    settings = (project / SETTINGS).read_text(encoding="utf-8")
    (project / SETTINGS).write_text(settings.replace("source_language: en", f"source_language: {code}")
                                    .replace("  - en\n", f"  - {code}\n"), encoding="utf-8")
    for name in ("tiny.yaml", "ui.yaml"):
        path = project / "content" / code / name
        path.write_text(path.read_text(encoding="utf-8").replace("lang: en", f"lang: {code}"), encoding="utf-8")
    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "templates/fonts", project / "templates/fonts")
    fonts = (repo / "templates/fonts.yaml").read_text(encoding="utf-8")
    (project / "templates/fonts.yaml").write_text(fonts.replace(
        "languages:\n", f"languages:\n  {code}: {{family: noto-sans, direction: ltr, breaking: words}}\n"),
        encoding="utf-8")
    return project


def test_a_long_language_code_is_blamed_not_the_footer_words(tmp_path: Path) -> None:
    """A 64-character language code (valid by the code grammar) was refused through the footer's width check,
    which told the translator to shorten footer.version in ui.yaml to "about 12 characters"; a 2,400-digit version
    was printed whole in its error."""
    code = "en-aaaaaaaa-bbbbbbbb-cccccccc-ddddd"  # 35 characters: a well-formed code, too wide for a large footer
    result = run("check", "--project", _renamed_language(tmp_path / "a", code))
    assert result.exit_code == 1 and "footer.version" not in result.stderr, result.stderr
    assert f"handouts.yaml:12:5: languages: the language code '{code}' (35 characters)" in result.stderr
    longer = code + "d"
    result = run("check", "--project", _renamed_language(tmp_path / "b", longer))
    assert result.exit_code == 1 and f"'{longer}' is not a language code" in result.stderr
    assert "at most 35 characters" in result.stderr
    assert run("translate", "new", longer, "--project", tmp_path / "b/tiny").exit_code == 2
    project = tiny_copy(tmp_path / "c")
    set_scalar(project, HANDOUT, "1.0.0", "1.0." + "9" * 2400)
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "at most 6 digits" in result.stderr and "9" * 200 not in result.stderr


def test_sources_of_an_undeclared_language_says_to_declare_it(tmp_path: Path) -> None:
    """`sources tiny --lang es` with content/es/ present but not declared said "no content for language 'es'"."""
    project = tiny_copy(tmp_path / "tiny")
    (project / "content/es").mkdir()
    result = run("sources", "tiny", "--lang", "es", "--project", project)
    assert result.exit_code == 2 and "'es' is not in languages: in handouts.yaml" in result.output, result.output
    assert "no content for language 'fr'" in run("sources", "tiny", "--lang", "fr", "--project", project).output


def test_a_translation_marked_done_against_new_source_text_is_no_longer_approved(tmp_path: Path) -> None:
    """The Spanish was approved; the English then added "Do not drive for 24 hours." and a translator ran
    `translate done` without changing the Spanish: it read "approved" again, and a bilingual copy printed "Reviewed"
    over a pairing of texts no reviewer read (twenty-ninth and thirtieth passes, C)."""
    import json
    import shutil

    repo = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(repo / "content", project / "content")
    shutil.copy(repo / "handouts.yaml", project)
    spanish = "content/es/microdosing.yaml"
    _approve(project, spanish)
    assert 'source_digest: "' in (project / spanish).read_text(encoding="utf-8")

    def review() -> str:
        result = run("status", "--lang", "es", "--json", "--project", project)
        assert result.exit_code == 0, result.output
        return next(r["review"] for r in json.loads(result.output) if r["handout"] == "microdosing")

    assert review() == "approved"
    english = project / "content/en/microdosing.yaml"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("focus or creativity.", "focus or creativity. Do not drive for 24 hours.", 1),
                       encoding="utf-8")
    assert review() == "translation out of date"
    done = run("translate", "done", "es", "--handout", "microdosing", "--unit", "expect.intro", "--project", project)
    assert done.exit_code == 0, done.output
    assert review() == "changed since approval"
    _approve(project, spanish)
    assert review() == "approved"


def test_the_look_digest_is_the_same_for_an_installed_generator_and_a_checkout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed wheel keeps the shipped templates in `generator/_templates`, a checkout in `templates`: the files'
    names in the `look=` digest held the folder's name, so a PDF built by `python -m generator` (the installed copy)
    differed from the same build in the test process (the checkout), and `verify` elsewhere could not match it. A
    project's own copy of the shipped templates also counted as other files than the shipped ones."""
    import shutil

    from generator.content.project import load_or_raise
    from generator.render import template
    from generator.render.look import look_digest

    project = tiny_copy(tmp_path / "p")
    loaded, _ = load_or_raise(project)
    here = look_digest(loaded, "en")
    installed = tmp_path / "site/_templates"
    shutil.copytree(template.default_templates(), installed)
    monkeypatch.setattr(template, "default_templates", lambda: installed)
    assert look_digest(loaded, "en") == here != ""
    # The repository is both: installed, its templates/ is a project's own copy of the shipped files
    shutil.copytree(installed, project / "templates")
    assert look_digest(load_or_raise(project)[0], "en") == here


@pytest.mark.parametrize("year", ["9998", "9999"])
def test_a_review_dated_in_the_year_9998_is_an_error_not_a_traceback(tmp_path: Path, year: str) -> None:
    """A hand-written `review.date` in 9998 or 9999 with a next review: "ValueError: year 10000 is out of range", a
    traceback in every command that loads the project (found by the thirty-third, report-only pass)."""
    project = tiny_copy(tmp_path / "tiny")
    _approve(project, HANDOUT)
    text = (project / HANDOUT).read_text(encoding="utf-8")
    start = text.index('  date: "') + len('  date: "')
    (project / HANDOUT).write_text(text[:start] + f"{year}-03-01" + text[start + 10:], encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "content/en/tiny.yaml:" in result.stderr and "review" in result.stderr
