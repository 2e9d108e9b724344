"""Per-statement sources (a handout's claims: map) and the terminology table (docs/terminology.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, run
from tests.helpers import edit

MD = "content/en/microdosing.yaml"


@pytest.fixture
def with_table(project: Path) -> Path:
    """The shipped project with its terminology table (the project fixture copies settings and content only)."""
    (project / "docs").mkdir()
    shutil.copy(REPO / "docs" / "terminology.md", project / "docs" / "terminology.md")
    return project


def test_shipped_english_passes_lint_strict() -> None:
    """Every English section at grade 8 or below, no sentence over 25 words, every statement sourced."""
    result = run("lint", "--project", REPO, "--lang", "en", "--strict")
    assert result.exit_code == 0, result.output
    assert "statements without a source" not in result.output


def test_shipped_translations_use_the_agreed_terms() -> None:
    result = run("lint", "--project", REPO)
    assert "terminology:" not in result.output, result.output


def test_check_refuses_an_unknown_source_id(project: Path) -> None:
    line = edit(project, MD, "  expect.intro: [kuypers-2019]", "  expect.intro: [kuypers-2020]")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{MD}:{line}:18: claims.expect.intro: unknown source ID 'kuypers-2020'; use one of this handout's " \
           "sources (" in result.stderr


def test_check_refuses_a_claim_about_a_unit_that_does_not_exist(project: Path) -> None:
    line = edit(project, MD, "  expect.intro: [kuypers-2019]", "  expect.outro: [kuypers-2019]")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"{MD}:{line}:17: claims.expect.outro: unit 'expect.outro' does not exist in this handout" in result.stderr


def test_lint_lists_a_statement_without_a_source(project: Path) -> None:
    edit(project, MD, "  expect.no-dose: [kuypers-2019]\n", "")
    result = run("lint", "--project", project, "--lang", "en")
    assert result.exit_code == 0  # a report, unless --strict
    assert re.search(rf"{MD}:\d+:16: microdosing: expect\.no-dose: names no source in claims:", result.output)
    strict = run("lint", "--project", project, "--lang", "en", "--strict")
    assert strict.exit_code == 1 and "1 terminology or source finding(s)" in strict.stderr


def test_sources_command_shows_each_statement_with_its_sources() -> None:
    result = run("sources", "microdosing", "--project", REPO)
    assert result.exit_code == 0, result.output
    assert "expect.studies.szigeti\n  In a 2021 study, 191 people who microdosed psilocybin or LSD" in result.output
    assert "  - szigeti-2021: Szigeti B et al." in result.output and "<https://doi.org/10.7554/eLife.62878>" \
        in result.output
    assert "NO SOURCE" not in result.output
    assert run("sources", "no-such-handout", "--project", REPO).exit_code == 2


def test_review_pdf_shows_the_sources_under_each_unit_id(project: Path) -> None:
    result = run("translate", "review", "es", "microdosing", "--project", project)
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "review" / "es" / "microdosing.review.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "expect.studies.szigeti\nsources: szigeti-2021" in text
    assert "sources: szigeti-2021, marschall-2022, cavanna-2022" in text


def test_lint_flags_a_term_the_table_says_to_avoid(with_table: Path) -> None:
    zh = "content/zh-Hans/psilocybin-assisted-therapy.yaml"
    line = edit(with_table, zh, "在研究中，单次治疗约需6到8小时", "在研究中，一次疗程约需6到8小时")
    result = run("lint", "--project", with_table, "--lang", "zh-Hans")
    assert result.exit_code == 0
    assert (f"{zh}:{line}:20: expect.phases-list.session: uses '疗程' for 'session (one treatment sitting)'; "
            "docs/terminology.md says '治疗'") in result.output
    assert run("lint", "--project", with_table, "--lang", "zh-Hans", "--strict").exit_code == 1


def test_an_unreadable_table_row_is_reported_at_its_line(with_table: Path) -> None:
    table = with_table / "docs" / "terminology.md"
    lines = table.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("| off-label | es |"))
    lines[number - 1] = "| off-label | es |"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("lint", "--project", with_table)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"docs/terminology.md:{number}:1: terminology: a row needs 4 cells" in result.stderr
