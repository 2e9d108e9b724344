"""Judgement calls left open by earlier passes, taken up in the twelfth session (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, refused_by_check_and_build, spanish_started, tiny_copy

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def test_a_build_says_when_the_cache_folder_cannot_be_used(project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`HANDOUTS_CACHE_DIR` a folder others can write (seventeenth pass: then not used): every build rendered every
    handout again and `verify` could not tell files built here, and nothing said so."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(shared))
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0 and "the cache folder cannot be used" in result.stderr, result.stderr
    assert str(shared) in result.stderr and "HANDOUTS_CACHE_DIR" in result.stderr
    assert not list(shared.iterdir())  # nothing written into it
    shared.chmod(0o700)
    result = run("build", "--project", project)
    assert result.exit_code == 0 and "cache folder" not in result.stderr, result.stderr


@pytest.mark.parametrize("value", ['"false"', "'no'", "0", "maybe", "[]"])
def test_a_style_s_bold_is_true_or_false(project: Path, value: str) -> None:
    """style.yaml `bold: "false"` (quoted) was a non-empty string, so the heading printed bold and the body was
    refused with a message asking to remove `bold: true` (a judgement call of the eighteenth pass)."""
    (project / "templates").mkdir()
    style = (REPO / "templates/style.yaml").read_text(encoding="utf-8")
    old = "  body: {size: 12, leading: 15.6, space_after: 4}"
    assert old in style
    (project / "templates/style.yaml").write_text(style.replace(old, old.replace("}", f", bold: {value}}}"), 1),
                                                  encoding="utf-8")
    refused_by_check_and_build(project, "text.body.bold")


@pytest.mark.parametrize(("code", "hint"), [("ES", "e.g. es"), ("es-MX", "e.g. es"), ("spanish", "e.g. es")])
def test_a_glossary_translation_is_under_a_language_of_the_project(tmp_path: Path, code: str, hint: str) -> None:
    """content/glossary.yaml `translations: {ES: "Seguridad"}`: the Spanish export's notes said nothing of the agreed
    term, in silence (a judgement call of the nineteenth pass: the keys were not checked)."""
    root = spanish_started(tmp_path / "project")
    (root / "content/glossary.yaml").write_text(
        f'terms:\n  - term: "Safety"\n    translations: {{{code}: "Seguridad"}}\n', encoding="utf-8")
    out = tmp_path / "es.po"
    exported = run("translate", "export", "es", "--project", root, "-o", out)
    no_traceback(exported)
    assert exported.exit_code == 1 and f"translations: '{code}' is not a language" in exported.stderr, \
        exported.stderr
    assert hint in exported.stderr and not out.exists()
    (root / "content/glossary.yaml").write_text(
        'terms:\n  - term: "Safety"\n    translations: {es: "Seguridad"}\n', encoding="utf-8")
    exported = run("translate", "export", "es", "--project", root, "-o", out)
    assert exported.exit_code == 0 and "use 'Seguridad'" in out.read_text(encoding="utf-8"), exported.stderr


def test_approve_with_fingerprints_binds_every_file_named_and_every_fingerprint_given(project: Path) -> None:
    """`approve content/en/tiny.yaml content/en/ui.yaml --fingerprint F`: ui.yaml (it prints no fingerprint) was
    approved whatever F said, and a fingerprint matching no file named was not reported (a judgement call of the
    nineteenth pass): the reviewer believed each approval bound to the pages read."""
    import json

    built = run("build", "-j", "1", "--project", project)
    assert built.exit_code == 0, built.stderr
    printed = json.loads((project / "output/manifest.json").read_text(encoding="utf-8"))[0]["fingerprint"]
    printed = printed.removeprefix("sha256:")[:12]
    before = {path: path.read_bytes() for path in (project / "content/en").iterdir()}
    person = ("--reviewer", "Dr. A", "--role", "MD", "--project", project)
    mixed = run("approve", project / "content/en/tiny.yaml", project / "content/en/ui.yaml", "--fingerprint",
                printed, *person)
    no_traceback(mixed)
    assert mixed.exit_code == 1 and "content/en/ui.yaml: prints no fingerprint" in mixed.stderr, mixed.stderr
    stray = run("approve", project / "content/en/tiny.yaml", "--fingerprint", printed, "--fingerprint",
                "0123456789ab", *person)
    assert stray.exit_code == 1 and "--fingerprint 0123456789ab: no file named" in stray.stderr, stray.stderr
    assert {path: path.read_bytes() for path in (project / "content/en").iterdir()} == before
    bound = run("approve", project / "content/en/tiny.yaml", "--fingerprint", printed, *person)
    assert bound.exit_code == 0, bound.stderr


def test_verify_calls_a_companion_with_a_comment_added_altered(project: Path, tmp_path: Path) -> None:
    """An HTML companion with `<!-- ... -->` appended (an editor's or a mail filter's) was "unknown (no
    verification data)" rather than "altered" (a judgement call of the nineteenth pass). A comment hiding the
    verification tag still leaves no data to read, as a browser reads none."""
    built = run("build", "-j", "1", "--format", "html", "--project", project)
    assert built.exit_code == 0, built.stderr
    page = next((project / "output/en").glob("*.html")).read_text(encoding="utf-8")
    appended = tmp_path / "appended.html"
    appended.write_text(page + "<!-- checked by front desk -->\n", encoding="utf-8")
    result = run("verify", appended, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "content current but this file was altered" in result.stdout + result.stderr
    start = page.index('<meta name="patient-handouts-verify"')
    hidden = tmp_path / "hidden.html"
    hidden.write_text(page[:start] + "<!--" + page[start:page.index(">", start) + 1] + "-->" + page[
        page.index(">", start) + 1:], encoding="utf-8")
    result = run("verify", hidden, "--project", project)
    assert result.exit_code == 1 and "unknown" in result.stdout + result.stderr
