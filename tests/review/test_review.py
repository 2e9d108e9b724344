"""Review and provenance: approvals bound to the exact text, watermarks, release mode, verify, dated facts."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tests.conftest import REPO, run
from tests.content.test_errors import fails_cleanly
from tests.helpers import PAIRS, load, page_texts, replace_line, snapshot

MD = "content/en/microdosing.yaml"
APPROVE_EN = [MD, "content/en/ui.yaml", "content/facts.yaml"]


def approve(root: Path, *paths: str, **options: str) -> None:
    extra = [item for key, value in options.items() for item in (f"--{key.replace('_', '-')}", value)]
    result = run("approve", *[root / p for p in paths], "--reviewer", "Test Reviewer", "--role", "MD",
                 "--project", root, *extra)
    assert result.exit_code == 0, result.output


def build(root: Path, *args: str) -> tuple[int, str]:
    result = run("build", "--project", root, *args)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_shipped_content_is_watermarked_on_every_page(built: Path, handout: str, lang: str) -> None:
    project = load(REPO)
    local = project.strings_for(lang).get("watermark").text
    for text in page_texts(built / "output" / lang / f"{handout}.pdf"):
        assert "DRAFT" in text
        if lang not in ("ar",):  # Arabic is drawn in visual order; checked in test_arabic_watermark
            assert local in text


def test_release_refuses_unapproved_content_and_writes_nothing(project: Path) -> None:
    code, err = build(project, "--release")
    assert code == 1
    assert not (project / "output").exists()
    for handout in load(project).handout_ids():
        assert f"not approved: content/en/{handout}.yaml: draft" in err
    assert "not approved: content/facts.yaml: draft" in err
    assert "not approved: content/ar/ui.yaml: draft" in err


def test_approve_keeps_everything_but_the_review_block(project: Path) -> None:
    before = (project / MD).read_text(encoding="utf-8").split("\n")
    approve(project, MD)
    after = (project / MD).read_text(encoding="utf-8").split("\n")
    start = before.index("review:")
    assert before[:start] == after[:start]  # comments and text above are untouched, byte for byte
    end_before = next(i for i in range(start + 1, len(before)) if not before[i].startswith("  "))
    end_after = next(i for i in range(start + 1, len(after)) if not after[i].startswith("  "))
    assert before[end_before:] == after[end_after:]
    block = "\n".join(after[start:end_after])
    assert "status: approved" in block and 'reviewer: "Test Reviewer"' in block and 'role: "MD"' in block
    assert f'next_review: "{date.today().replace(year=date.today().year + 1).isoformat()}"' in block
    assert re.search(r'fingerprint: "sha256:[0-9a-f]{64}"', block)


def test_approved_handout_builds_clean_with_reviewer_stamp_and_releases(project: Path) -> None:
    approve(project, *APPROVE_EN)
    code, err = build(project, "microdosing", "--lang", "en", "--release")
    assert code == 0, err
    pdf = project / "output" / "en" / "microdosing.pdf"
    today = date.today()
    stamp = f"Reviewed {today:%B} {today.day}, {today.year} · MD · next review"
    for text in page_texts(pdf):
        assert "DRAFT" not in text
        assert stamp in text.replace("\n", " ")
    entry = json.loads((project / "output" / "manifest.json").read_text())[0]
    assert entry["review_status"] == "approved"
    assert "Test Reviewer (MD)" in "\n".join(page_texts(pdf)[-2:])  # beside the QR code; Sources may follow


def test_one_changed_word_brings_the_watermark_back(project: Path) -> None:
    approve(project, *APPROVE_EN)
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    old = project / "old.pdf"
    old.write_bytes((project / "output" / "en" / "microdosing.pdf").read_bytes())
    text = (project / MD).read_text(encoding="utf-8")
    (project / MD).write_text(text.replace("Microdosing psilocybin", "Microdosing of psilocybin", 1), "utf-8")
    code, err = build(project, "microdosing", "--lang", "en", "--release")
    assert code == 1 and f"not approved: {MD}: changed since approval" in err
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    fresh = project / "output" / "en" / "microdosing.pdf"
    for page in page_texts(fresh):
        assert "DRAFT" in page and "Draft - changed since approval" in page
    result = run("verify", old, "--project", project)
    assert result.exit_code == 1
    assert "old.pdf: outdated (content changed: built from" in result.output
    result = run("verify", fresh, "--project", project)
    assert result.exit_code == 0 and "microdosing.pdf: current" in result.output


def test_review_overdue(project: Path) -> None:
    approve(project, *APPROVE_EN)
    past = (date.today() - timedelta(days=1)).isoformat()
    reviewed = (date.today() - timedelta(days=366)).isoformat()  # approved a year and a day ago
    replace_line(project, MD, "  date:", f'  date: "{reviewed}"')
    replace_line(project, MD, "  next_review:", f'  next_review: "{past}"')
    code, err = build(project, "microdosing", "--lang", "en", "--release")
    assert code == 1 and f"{MD}: review overdue" in err
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    assert "Draft - review overdue" in page_texts(project / "output" / "en" / "microdosing.pdf")[0]


def test_verify_unknown_for_foreign_or_tampered_pdfs(project: Path, tmp_path: Path) -> None:
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    pdf = project / "output" / "en" / "microdosing.pdf"
    foreign = tmp_path / "foreign.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(foreign)
    tampered = tmp_path / "tampered.pdf"
    writer = PdfWriter(clone_from=PdfReader(pdf))
    keywords = str(writer.metadata["/Keywords"])
    writer.add_metadata({"/Keywords": re.sub(r"fingerprint=sha256:\w+", "fingerprint=sha256:" + "0" * 64, keywords)})
    writer.write(tampered)
    result = run("verify", foreign, tampered, pdf, "--project", project)
    assert result.exit_code == 1
    assert "foreign.pdf: unknown (no patient-handouts verification data)" in result.output
    assert "tampered.pdf: unknown (the printed fingerprint does not match the metadata" in result.output
    assert "microdosing.pdf: current" in result.output


def test_metadata_carries_the_verification_payload(built: Path) -> None:
    reader = PdfReader(built / "output" / "es" / "microdosing.pdf")
    keywords = str(reader.metadata["/Keywords"])
    assert re.search(r"patient-handouts:verify:v1;handout=microdosing;lang=es;version=1\.1\.0;"
                     r"fingerprint=sha256:[0-9a-f]{64};review=draft", keywords)


def test_verify_url_template(project: Path) -> None:
    replace_line(project, "handouts.yaml", "jurisdiction:",
                 'verify_url: "https://clinic.example.org/v?h={handout}&l={lang}&f={fingerprint}"\njurisdiction: US')
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    keywords = str(PdfReader(project / "output" / "en" / "microdosing.pdf").metadata["/Keywords"])
    assert re.search(r"https://clinic\.example\.org/v\?h=microdosing&l=en&f=[0-9a-f]{12}", keywords)


def test_approve_refuses_unknown_files_and_past_dates(project: Path) -> None:
    result = run("approve", project / "handouts.yaml", "--reviewer", "X", "--role", "MD", "--project", project)
    assert result.exit_code == 1 and "not a content file of this project" in result.stderr
    result = run("approve", project / MD, "--reviewer", "X", "--role", "MD", "--next-review", "2000-01-01",
                 "--project", project)
    assert result.exit_code == 1 and "is not after today and within 2 years" in result.stderr
    result = run("approve", project / MD, "--reviewer", "X", "--role", "MD", "--next-review", "9999-12-31",
                 "--project", project)  # an approval that never expires (fifth pass)
    assert result.exit_code == 1 and "is not after today and within 2 years" in result.stderr
    assert "status: draft" in (project / MD).read_text(encoding="utf-8")


def test_fact_past_review_date_fails_check(project: Path) -> None:
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    past = (date.today() - timedelta(days=1)).isoformat()
    line = replace_line(project, "content/facts.yaml", "      review_by:", f'      review_by: "{past}"')
    fails_cleanly(project, f"content/facts.yaml:{line}:18: facts.emergency_number.US: ",
                  f"fact is past its review-by date {past}")


def test_fact_due_soon_is_a_warning(project: Path) -> None:
    soon = (date.today() + timedelta(days=10)).isoformat()
    replace_line(project, "content/facts.yaml", "      review_by:", f'      review_by: "{soon}"')
    result = run("check", "--project", project)
    assert result.exit_code == 0
    assert f"warning: fact is due for review by {soon}" in result.stderr


def test_nothing_written_when_release_refused(project: Path) -> None:
    assert build(project, "microdosing", "--lang", "en")[0] == 0
    before = snapshot(project / "output")
    assert build(project, "--release")[0] == 1
    assert snapshot(project / "output") == before


def legal_text(root: Path) -> str:
    from tests.helpers import body_text

    return body_text(root / "output" / "en" / "psilocybin-assisted-therapy.pdf")


def test_jurisdiction_chooses_the_legal_text(project: Path) -> None:
    assert build(project, "psilocybin-assisted-therapy", "--lang", "en")[0] == 0
    federal = legal_text(project)
    replace_line(project, "handouts.yaml", "jurisdiction:", "jurisdiction: US-OR")
    assert build(project, "psilocybin-assisted-therapy", "--lang", "en")[0] == 0
    oregon = legal_text(project)
    assert oregon != federal
    assert "Oregon" in oregon and "Measure 109" in oregon


def test_jurisdiction_same_as_uses_the_named_text(project: Path) -> None:
    replace_line(project, "handouts.yaml", "jurisdiction:", "jurisdiction: US-CO")
    assert build(project, "ketamine-assisted-therapy", "--lang", "en")[0] == 0


@pytest.mark.parametrize(("code", "expected"), [
    ("US-TX", "jurisdiction 'US-TX' has no dated legal-status entry in content/facts.yaml"),
    ("US-TX", "no legal-status text for jurisdiction 'US-TX' (has: US, US-OR, US-CO, AU)"),
])
def test_jurisdiction_without_an_entry_is_an_error(project: Path, code: str, expected: str) -> None:
    replace_line(project, "handouts.yaml", "jurisdiction:", f"jurisdiction: {code}")
    fails_cleanly(project, expected)


def test_approve_binds_to_the_fingerprint_the_reviewer_read(project: Path) -> None:
    """The reviewer reads the draft PDF, whose footer prints the content fingerprint; a text edited before they
    run `approve` is refused with --fingerprint (eleventh pass, a judgement call), and approve always prints it."""
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    footer = "".join(page_texts(project / "output/en/microdosing.pdf"))
    read = re.search(r"fingerprint ([0-9a-f]{12})", footer)
    assert read, footer[-400:]
    replace_line(project, MD, "summary:", 'summary: "Edited after the reviewer read it."')
    before = snapshot(project / "content")
    refused = run("approve", project / MD, "--reviewer", "Test Reviewer", "--role", "MD",
                  "--fingerprint", read.group(1),
                  "--project", project)
    assert refused.exit_code == 1 and "its text is not the text you read" in refused.stderr, refused.output
    assert snapshot(project / "content") == before
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    now = re.search(r"fingerprint ([0-9a-f]{12})", "".join(page_texts(project / "output/en/microdosing.pdf")))
    assert now and now.group(1) != read.group(1)
    done = run("approve", project / MD, "--reviewer", "Test Reviewer", "--role", "MD", "--fingerprint", now.group(1),
               "--project", project)
    assert done.exit_code == 0 and f"approved: {MD} (fingerprint {now.group(1)})" in done.output, done.output
