"""Bad input gets `path:line:col: key: what is wrong; how to fix it`, exit 1, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.helpers import edit, load, replace_line, snapshot

KAT = "content/en/ketamine-assisted-therapy.yaml"
ES_KAT = "content/es/ketamine-assisted-therapy.yaml"


@pytest.fixture
def prebuilt(project: Path) -> Path:
    """A project with an earlier good build of one handout, to prove a failed build leaves it untouched."""
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    return project


def fails_cleanly(root: Path, *expected: str) -> str:
    before = snapshot(root / "output")
    for command in (["check"], ["build"]):
        result = run(*command, "--project", root)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        for piece in expected:
            assert piece in result.stderr, result.stderr
    assert snapshot(root / "output") == before
    return result.stderr


def test_broken_yaml_syntax(prebuilt: Path) -> None:
    line = replace_line(prebuilt, KAT, "title:", 'title: "Ketamine-assisted therapy')
    err = fails_cleanly(prebuilt, f"{KAT}:{line}:8: YAML syntax error")
    assert "closing quote" in err or "quote" in err


def test_missing_required_section(prebuilt: Path) -> None:
    text = (prebuilt / KAT).read_text(encoding="utf-8")
    start = text.index("  - id: integration")
    end = text.index("  - id: help")
    (prebuilt / KAT).write_text(text[:start] + text[end:], encoding="utf-8")
    fails_cleanly(prebuilt, f"{KAT}:", "sections: missing required section 'integration'")


def test_wrong_type_list_where_text_expected(prebuilt: Path) -> None:
    line = replace_line(prebuilt, KAT, "title:", "title:\n  - Ketamine-assisted therapy")
    fails_cleanly(prebuilt, f"{KAT}:{line + 1}:3: title: expected text but found a list")


def test_sentence_read_as_mapping(prebuilt: Path) -> None:
    line = replace_line(prebuilt, KAT, "title:", "title: Ketamine: assisted therapy")
    fails_cleanly(prebuilt, f"{KAT}:{line}:", "text containing ': ' must be quoted")


def test_unknown_key(prebuilt: Path) -> None:
    line = edit(prebuilt, KAT, "version: 1.1.0", "version: 1.1.0\nauthor: Someone")
    fails_cleanly(prebuilt, f"{KAT}:{line + 1}:1: author: unknown key 'author'")


def test_unknown_placeholder(prebuilt: Path) -> None:
    line = edit(prebuilt, KAT, "{clinic.phone}", "{clinic.fax}")
    fails_cleanly(prebuilt, f"{KAT}:{line}:", "unknown placeholder {clinic.fax}")


def test_placeholder_reaching_into_objects_is_refused(prebuilt: Path) -> None:
    edit(prebuilt, KAT, "{clinic.phone}", "{clinic.__class__}")
    fails_cleanly(prebuilt, "'{' does not start a valid placeholder")


def test_duplicate_unit_id(prebuilt: Path) -> None:
    text = (prebuilt / KAT).read_text(encoding="utf-8")
    first_item = text.index("          - id: ")
    second_item = text.index("          - id: ", first_item + 1)
    first_id = text[first_item:].split("\n", 1)[0].split("id: ")[1]
    second_id = text[second_item:].split("\n", 1)[0].split("id: ")[1]
    line = text[:second_item].count("\n") + 1
    text = text[:second_item] + text[second_item:].replace(f"id: {second_id}", f"id: {first_id}", 1)
    (prebuilt / KAT).write_text(text, encoding="utf-8")
    fails_cleanly(prebuilt, f"{KAT}:{line}:", f"duplicate item ID '{first_id}'")


def test_language_without_content(prebuilt: Path) -> None:
    line = edit(prebuilt, "handouts.yaml", "languages:", "languages:\n  - fr")
    fails_cleanly(prebuilt, f"handouts.yaml:{line + 1}:5: languages:",
                  "language 'fr' is listed but content/fr/ does not exist")


def test_missing_logo(prebuilt: Path) -> None:
    line = edit(prebuilt, "handouts.yaml", "jurisdiction:", "  logo: images/logo.png\njurisdiction:")
    fails_cleanly(prebuilt, f"handouts.yaml:{line}:9: clinic.logo: logo file 'images/logo.png' does not exist",
                  "check the path")


@pytest.mark.parametrize("logo", ["../outside.png", "/etc/passwd"])
def test_logo_outside_the_project(prebuilt: Path, logo: str) -> None:
    edit(prebuilt, "handouts.yaml", "jurisdiction:", f"  logo: {logo}\njurisdiction:")
    fails_cleanly(prebuilt, f"logo path '{logo}' leaves the project")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "http://example.org"])
def test_link_with_forbidden_scheme(prebuilt: Path, url: str) -> None:
    replace_line(prebuilt, KAT, "title:", f'title: "Ketamine [see]({url})"')
    fails_cleanly(prebuilt, f"link address '{url}' is not allowed", "https:, mailto: or tel:")


@pytest.mark.parametrize("site", ["https://clinic.example.org@evil.example/", "https://clinic.example.org%2F@evil.example/",
                                  "https://clinic.example.org%2eevil.example/"])
def test_a_website_that_goes_elsewhere_than_it_reads_is_refused(prebuilt: Path, site: str) -> None:
    """Printed as plain text on every handout: a reader takes clinic.example.org for the site (eleventh pass)."""
    replace_line(prebuilt, "handouts.yaml", "  website:", f"  website: {site}")
    fails_cleanly(prebuilt, "handouts.yaml:7:12: clinic.website:", "does not go where it seems to")


def test_implicit_non_text_value(prebuilt: Path) -> None:
    line = replace_line(prebuilt, KAT, "title:", "title: no")
    fails_cleanly(prebuilt, f"{KAT}:{line}:8: title: 'no' is read as a yes/no value, not text; put the text in")


def test_unclosed_bold(prebuilt: Path) -> None:
    replace_line(prebuilt, KAT, "title:", 'title: "**Ketamine-assisted therapy"')
    fails_cleanly(prebuilt, "'**' (bold) is opened but never closed")


def test_every_problem_in_one_pass(prebuilt: Path) -> None:
    edit(prebuilt, KAT, "{clinic.phone}", "{clinic.fax}")
    edit(prebuilt, KAT, "version: 1.1.0", "version: 1.1.0\nauthor: Someone")
    err = fails_cleanly(prebuilt, "unknown placeholder {clinic.fax}", "unknown key 'author'",
                        f"{ES_KAT}:", "placeholders differ from the source: expected {clinic.fax}")
    translations = len(load(REPO).settings.languages) - 1  # each translation no longer matches its source
    assert f"{2 + translations} error(s); nothing was written." in err


def test_raw_markup_renders_literally(project: Path) -> None:
    hostile = '<b>bold?</b> <img src="/etc/hosts"/> a<b & c'
    replace_line(project, KAT, "title:", f"title: '{hostile}'")
    result = run("build", "--project", project, "--lang", "en", "ketamine-assisted-therapy")
    assert result.exit_code == 0, result.output
    from tests.helpers import normalise, pdf_text

    text = pdf_text(project / "output" / "en" / "ketamine-assisted-therapy.pdf", "en")
    assert normalise(hostile, "en") in text


@pytest.mark.parametrize(("key", "url"), [("web_url", "https://clinic.example.org@evil.example/{lang}/{handout}"),
                                          ("verify_url", "https://clinic.example.org%2F@evil.example/v?f={fingerprint}")])
def test_an_address_template_that_goes_elsewhere_than_it_reads_is_refused(prebuilt: Path, key: str, url: str) -> None:
    """Printed under every handout and put in its QR code (twelfth pass)."""
    edit(prebuilt, "handouts.yaml", "jurisdiction:", f'{key}: "{url}"\njurisdiction:')
    fails_cleanly(prebuilt, f"{key} does not go where it seems to")
