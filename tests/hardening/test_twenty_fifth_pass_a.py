"""The twenty-fifth hostile pass, part A (issue 12): every command but drawing, with the medical reviewer's workflow
and the front desk in mind. Written against main 7a16eea; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import run

VERIFY_URL = ('verify_url: "https://desk.clinic.example/verify?handout={handout}&lang={lang}&version={version}'
              '&fingerprint={fingerprint}"\n')


def _desk_page(root: Path, address: str) -> str:
    """The text of the desk's /verify page for a scanned address (its path and query), tags removed."""
    from generator.serve.app import create_app

    app = create_app(root, None, False, "127.0.0.1", 8000, "", lambda line: None)
    path = address.removeprefix("https://desk.clinic.example")
    response = app.test_client().get(path, headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_bilingual_copy_whose_second_language_changed_is_not_current_on_the_desk_page(project: Path) -> None:
    """A clinic with `verify_url` (docs/clinic-staff.md's form, without `{review}`) printed the Spanish-English
    microdosing handout (`build --bilingual en`); the English text then changed (a dose, a warning). The copy's
    QR code opened the desk's /verify page, which said "Sí. Esta hoja informativa está al día" ("current") — the
    QR code of a bilingual edition carried the Spanish fields only, so half of the printed text was never
    compared (`handouts verify` of the file said "outdated (en: content changed …)"). Now the address carries the
    second language's fields too, and the page says the copy is outdated."""
    settings = project / "handouts.yaml"
    settings.write_text(VERIFY_URL + settings.read_text(encoding="utf-8"), encoding="utf-8")
    built = run("build", "-q", "microdosing", "--lang", "es", "--bilingual", "en", "-j", "1", "--project", project)
    assert built.exit_code == 0, built.output + built.stderr
    keywords = str(PdfReader(project / "output/es/microdosing.es-en.pdf").metadata["/Keywords"])
    address = next(part for part in keywords.split(", ") if part.startswith("https://"))
    assert "Sí." in _desk_page(project, address)
    english = project / "content/en/microdosing.yaml"
    text = english.read_text(encoding="utf-8")
    assert "Microdosing means taking" in text
    english.write_text(text.replace("Microdosing means taking", "Microdosing means often taking", 1),
                       encoding="utf-8")
    page = _desk_page(project, address)
    assert "Sí." not in page and "desactualizada" in page, page


def test_a_copy_approved_before_the_same_text_was_approved_again_says_both_dates(tmp_path: Path) -> None:
    """A reviewer approved the tiny handout a month ago and the clinic printed it (`build --release`); at the
    yearly review the same text was approved again (`handouts approve`). `handouts verify` of the old copy said
    "outdated (review state was 'approved', now 'approved' …)": a verdict whose reason contradicts itself, so the
    reviewer could not tell what made the copy outdated. Now it names the two approvals' dates."""
    from tests.hardening.hostile import tiny_copy

    root = tiny_copy(tmp_path / "p")
    for name in ("content/en/tiny.yaml", "content/en/ui.yaml", "content/facts.yaml"):
        assert run("approve", "--reviewer", "Dr. A", "--role", "MD", root / name, "--project", root).exit_code == 0
    handout = root / "content/en/tiny.yaml"
    text = handout.read_text(encoding="utf-8")
    today = re.search(r'  date: "(\d{4}-\d\d-\d\d)"', text)
    assert today
    earlier = (date.fromisoformat(today.group(1)) - timedelta(days=30)).isoformat()
    handout.write_text(text.replace(today.group(0), f'  date: "{earlier}"'), encoding="utf-8")
    assert run("build", "-q", "--release", "--project", root).exit_code == 0
    old = tmp_path / "old.pdf"
    old.write_bytes((root / "output/en/tiny.pdf").read_bytes())
    assert run("approve", "--reviewer", "Dr. A", "--role", "MD", handout, "--project", root).exit_code == 0
    verdict = run("verify", old, "--project", root)
    assert verdict.exit_code == 1
    assert "'approved', now 'approved'" not in verdict.output, verdict.output
    assert f"approved on {earlier}', now 'approved on {today.group(1)}'" in verdict.output, verdict.output


def test_a_copy_printed_with_a_crisis_line_changed_since_is_not_current_on_the_desk_page(tmp_path: Path) -> None:
    """The tiny handout, its page texts and facts approved, printed with `build --release` by a clinic whose
    `verify_url` carries `{review}`; the crisis line then changed ("988" to "911" in facts.yaml) and the reviewer
    approved facts.yaml again. `handouts verify` of the printed file said "outdated", but its QR code opened the
    desk's /verify page saying "Yes. This handout is current" — the address's fingerprint is the handout's own text,
    and the copy in the patient's hand printed a crisis number the clinic no longer gives. Now the address carries a
    digest of the page texts, facts, crisis lines and clinic details it printed, and the page says outdated."""
    from tests.hardening.hostile import tiny_copy

    root = tiny_copy(tmp_path / "p")
    settings = root / "handouts.yaml"
    settings.write_text(VERIFY_URL.replace('}"', '}&review={review}"') + settings.read_text(encoding="utf-8"),
                        encoding="utf-8")
    approve = ("approve", "--reviewer", "Dr. A", "--role", "MD")
    for name in ("content/en/tiny.yaml", "content/en/ui.yaml", "content/facts.yaml"):
        assert run(*approve, root / name, "--project", root).exit_code == 0
    assert run("build", "-q", "--release", "--project", root).exit_code == 0
    keywords = str(PdfReader(root / "output/en/tiny.pdf").metadata["/Keywords"])
    address = next(part for part in keywords.split(", ") if part.startswith("https://"))
    assert "Yes. This handout is current" in _desk_page(root, address)
    facts = root / "content/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('"988"', '"911"'), encoding="utf-8")
    assert run(*approve, facts, "--project", root).exit_code == 0
    page = _desk_page(root, address)
    assert "Yes. This handout is current" not in page and "outdated" in page, page


def test_the_translation_review_sheet_prints_the_fingerprint_approve_binds(project: Path) -> None:
    """A bilingual reviewer read the Spanish microdosing handout in the side-by-side sheet the reviewer's guide
    names (`translate review es microdosing`) and went to approve it as docs/reviewers.md says ("give it the
    fingerprint printed in the footer of the PDF you read"): the sheet printed no fingerprint anywhere, so the
    approval could not be bound to the text read — a translator's edit after the sheet was made would be approved
    unread. Now the sheet's header names the translation's fingerprint, and `approve --fingerprint` takes it."""
    from pypdf import PdfReader as Reader

    assert run("translate", "review", "es", "microdosing", "--project", project).exit_code == 0
    header = Reader(project / "output/review/es/microdosing.review.pdf").pages[0].extract_text()
    found = re.search(r"fingerprint ([0-9a-f]{12})", header)
    assert found, header
    listed = run("list", "--project", project).output
    assert re.search(rf"microdosing +es +1\.1\.0 +{found.group(1)} ", listed), listed
    approved = run("approve", "--reviewer", "Dr. A", "--role", "MD", "--fingerprint", found.group(1),
                   project / "content/es/microdosing.yaml", "--project", project)
    assert approved.exit_code == 0, approved.output + approved.stderr
