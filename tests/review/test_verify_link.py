"""verify_link: what a scanned verify_url says (current, outdated and what changed, unknown); the {review}
field of verify_url; and the printer: setting `handouts print` and the desk use."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from generator.review.state import handout_state, short
from generator.review.verify import CURRENT, OUTDATED, UNKNOWN, verify_link
from tests.conftest import run
from tests.helpers import load, replace_line
from tests.review.test_review import APPROVE_EN, approve

TODAY = date.today()


def fields(root: Path, handout: str = "microdosing", lang: str = "es", **extra: str) -> dict[str, str]:
    """The fields a QR code printed today would carry (the fingerprint's 12 printed digits)."""
    project = load(root)
    item = project.handout(handout, lang)
    found = {"handout": handout, "lang": lang, "version": item.version,
             "fingerprint": short(handout_state(project, item, TODAY)[2])}
    return {**found, **extra}


def test_a_link_of_current_content_is_current(project: Path) -> None:
    assert verify_link(load(project), fields(project), TODAY).status == CURRENT
    assert verify_link(load(project), fields(project, review="draft"), TODAY).status == CURRENT


def test_a_link_of_older_content_is_outdated_and_says_what_changed(project: Path) -> None:
    printed = fields(project)
    replace_line(project, "content/es/microdosing.yaml", "summary:", 'summary: "Un resumen revisado."')
    verdict = verify_link(load(project), printed, TODAY)
    assert verdict.status == OUTDATED and "content changed" in verdict.detail
    verdict = verify_link(load(project), {**fields(project), "version": "0.9.0"}, TODAY)
    assert verdict.status == OUTDATED and verdict.detail == "version 0.9.0 → 1.1.0"


def test_a_draft_printout_is_outdated_once_approved(project: Path) -> None:
    printed = fields(project, "microdosing", "en", review="draft")
    approve(project, *APPROVE_EN)
    verdict = verify_link(load(project), printed, TODAY)
    assert verdict.status == OUTDATED and "review state was 'draft', now 'approved'" in verdict.detail
    # The approval's own date, not TODAY: a run that crosses midnight approves on the next day.
    reviewed = load(project).handout("microdosing", "en").review.date
    approved_now = fields(project, "microdosing", "en", review=f"approved-{reviewed}")
    assert verify_link(load(project), approved_now, TODAY).status == CURRENT


def test_incomplete_or_foreign_links_are_unknown(project: Path) -> None:
    loaded = load(project)
    assert verify_link(loaded, {}, TODAY).status == UNKNOWN
    assert verify_link(loaded, {**fields(project), "handout": "not-ours"}, TODAY).status == UNKNOWN
    assert verify_link(loaded, {**fields(project), "lang": "fr"}, TODAY).status == UNKNOWN
    assert verify_link(loaded, {k: v for k, v in fields(project).items() if k != "fingerprint"}, TODAY
                       ).status == UNKNOWN


def test_verify_url_may_carry_the_review_state(project: Path) -> None:
    replace_line(project, "handouts.yaml", "jurisdiction:",
                 'verify_url: "https://clinic.example.org/v?h={handout}&f={fingerprint}&r={review}"\njurisdiction: US')
    assert run("build", "microdosing", "--lang", "en", "--project", project, "-j", "1").exit_code == 0
    keywords = str(PdfReader(project / "output/en/microdosing.pdf").metadata["/Keywords"])
    # the address, then the verification data `verify` reads back (fifth pass: it was the address alone)
    assert re.search(r"https://clinic\.example\.org/v\?h=microdosing&f=[0-9a-f]{12}&r=draft&shared=[0-9a-f]{12}, "
                     r"patient-handouts:verify:v1;handout=microdosing;lang=en;", keywords)


def test_printer_setting_is_a_cups_queue_name(project: Path) -> None:
    line = replace_line(project, "handouts.yaml", "paper:", "paper: letter\nprinter: Front Desk")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"handouts.yaml:{line + 1}:10: printer: 'Front Desk' is not a CUPS printer name" in result.stderr
    replace_line(project, "handouts.yaml", "printer:", "printer: --option")
    assert "'--option' is not a CUPS printer name" in run("check", "--project", project).stderr
    replace_line(project, "handouts.yaml", "printer:", "printer: FrontDesk_2")
    assert run("check", "--project", project).exit_code == 0
    assert load(project).settings.printer == "FrontDesk_2"
