"""The thirtieth hostile pass, part C (issue 12): whole workflows of one user at a time — a medical reviewer whose
approvals are recorded on a computer with a wrong clock, and a clinic manager filling in the settings `handouts
init` made. Written against main 544ee59; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy

# A 1 × 1 white PNG: a logo the clinic manager drops into the project.
_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC")


def test_a_facts_approval_dated_after_today_is_refused_like_every_other(tmp_path: Path) -> None:
    """A reviewer approved the tiny handout, its UI strings and content/facts.yaml on a laptop whose clock ran a
    year ahead. The next build refused the handout's and ui.yaml's review dates ("after today … write the date it
    really happened on"); the reviewer corrected those two by hand, and `check` said ok: content/facts.yaml's
    approval, the crisis line's, kept its date a year on, so it ran up to three years, past the rule that an
    approval expires within two (hand-set to 2040, it ran to 2041). The facts file's review date is now checked as
    every other review date is."""
    project = tiny_copy(tmp_path / "p")
    facts = project / "content/facts.yaml"
    text = facts.read_text(encoding="utf-8").replace(
        "review:\n  status: draft\n",
        'review:\n  status: approved\n  reviewer: "Dr. C"\n  role: "MD"\n  date: "2040-01-01"\n'
        '  next_review: "2041-12-01"\n  fingerprint: "sha256:' + "0" * 64 + '"\n', 1)
    assert "2040-01-01" in text
    facts.write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "content/facts.yaml:6:9: review.date: the date 2040-01-01 is after today" in result.output


def test_the_optional_settings_init_offers_work_when_uncommented(tmp_path: Path) -> None:
    """A clinic manager ran `handouts init clinic`, dropped the clinic's logo.png into it and removed the '# ' before
    the `website:` and `logo:` lines the settings file offers ("# logo: logo.png   # optional; a PNG or JPEG inside
    this folder"). `check` refused both ("the text continues after ' #' …; put the whole text in double quotes, or
    move the comment to a line of its own"), and doing the first thing it said made the logo path "logo.png   #
    optional; a PNG or JPEG inside this folder" (a file that does not exist) and the website an address "that does
    not go where it seems to". A web address or a file name never holds ' #' after a space: there the rest of the
    line is a comment, and is read as one (a name, phone or address, which a ' #' could be part of, is still
    refused)."""
    offered = (default_templates() / "init/handouts.yaml").read_text(encoding="utf-8")
    lines = [line.replace("# ", "", 1) for line in offered.splitlines(keepends=True)
             if line.lstrip().startswith(("# website:", "# logo:"))]
    assert len(lines) == 2 and all(" # optional" in line for line in lines)
    project = tiny_copy(tmp_path / "p")  # the tiny project, not init's (a fast check), with init's lines
    (project / "logo.png").write_bytes(_PNG)
    settings = project / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("  website: https://clinic.example.org\n", "".join(lines))
    settings.write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    settings.write_text(text.replace("name: Tiny Test Clinic", "name: Tiny Test Clinic   # our legal name"),
                        encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "clinic.name: the text continues after ' #'" in result.output


def test_format_given_twice_builds_both(tmp_path: Path) -> None:
    """A clinic manager wanting the PDFs and the HTML companions for the clinic's website typed `handouts build
    --format pdf --format html`: "built 1", and only tiny.html was there — the second --format had silently replaced
    the first, so no PDF was built. A repeated --format now adds to the list, as `--format pdf,html` does."""
    project = tiny_copy(tmp_path / "p")
    result = run("build", "--format", "pdf", "--format", "html", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0
    assert (project / "output/en/tiny.pdf").is_file() and (project / "output/en/tiny.html").is_file()


def test_the_pdf_keywords_name_the_review_state_the_pages_print(tmp_path: Path) -> None:
    """A reviewer approved the tiny handout's text, but not yet its language's UI strings, so every page printed
    "Draft - not reviewed" under a DRAFT watermark — while the PDF's Keywords, which a PDF reader's document
    properties, a desktop search (Spotlight, Windows Search) and a document store show and index, said "review
    approved". They said so too of a copy whose approval had expired or whose text changed since ("changed since
    approval", "translation out of date"): the words were the file's recorded `status:`, not its state. They now
    name the state the pages print (and the verification data carries)."""
    project = tiny_copy(tmp_path / "p")
    who = ("--reviewer", "Dr. Jane Doe", "--role", "MD", "--project", project)
    assert run("approve", project / "content/en/tiny.yaml", *who, "--fingerprint", "9a579f191d9f").exit_code == 0
    assert run("build", "--project", project).exit_code == 0
    keywords = _keywords(project / "output/en/tiny.pdf")
    assert "review draft" in keywords and "review approved" not in keywords
    assert run("approve", project / "content/en/ui.yaml", project / "content/facts.yaml", *who).exit_code == 0
    assert run("build", "--project", project).exit_code == 0
    assert "review approved" in _keywords(project / "output/en/tiny.pdf")


def _keywords(pdf: Path) -> str:
    from pypdf import PdfReader

    return str(PdfReader(pdf).metadata.get("/Keywords", ""))


def test_a_copy_approved_before_a_corrected_role_is_outdated_not_altered(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A reviewer approved the tiny handout as "MD", the clinic printed it, and the reviewer, seeing the footer,
    approved the same text again that day as "MD, psychiatrist". On the clinic's other computer (or after the
    cache folder was deleted, which the docs call always safe) `verify` of the first printout said "content current
    but this file was altered … print it again": a genuine copy called tampered, since the verification data
    carried the approval's date only (on the computer that built it: "outdated … other templates, style, fonts or
    settings", a wrong reason). It now carries a digest of the reviewer, role and next review date too."""
    project = tiny_copy(tmp_path / "p")
    files = [project / "content/en/tiny.yaml", project / "content/en/ui.yaml", project / "content/facts.yaml"]
    assert run("approve", *files, "--reviewer", "Dr. Jane Doe", "--role", "MD", "--project", project).exit_code == 0
    assert run("build", "--project", project).exit_code == 0
    printed = tmp_path / "printed.pdf"
    printed.write_bytes((project / "output/en/tiny.pdf").read_bytes())
    assert run("approve", files[0], "--reviewer", "Dr. Jane Doe", "--role", "MD, psychiatrist", "--project",
               project).exit_code == 0
    other = tmp_path / "cache"
    other.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(other))
    result = run("verify", printed, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "this file was altered" not in result.output
    assert "outdated (approval recorded again on" in result.output


def test_a_copy_printed_before_the_clinics_phone_changed_is_outdated_on_another_computer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Months after a patient's copy was printed, the clinic moved the project to a new computer (the cache folder,
    with its log of files built here, stays behind) and changed its phone number; `verify` of the patient's copy
    said "content current but this file was altered … print it again" — a genuine copy called tampered (reported,
    not fixed, by the twenty-ninth pass; the clinic's name alone was covered). The metadata (not the QR code) now
    carries the digest of the page texts, facts, crisis lines and clinic details the desk's addresses carry since
    the twenty-fifth pass, and `verify` says "outdated (… clinic details changed …)"; the HTML companion too."""
    project = tiny_copy(tmp_path / "p")
    assert run("build", "--format", "pdf,html", "--project", project).exit_code == 0
    copies = []
    for name in ("tiny.pdf", "tiny.html"):
        copies.append(tmp_path / name)
        copies[-1].write_bytes((project / "output/en" / name).read_bytes())
    other = tmp_path / "cache"
    other.mkdir(mode=0o700)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(other))
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("+1 555 010 0100", "+1 555 010 0199"),
                        encoding="utf-8")
    result = run("verify", *copies, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "this file was altered" not in result.output
    assert result.output.count("outdated (page texts, facts, crisis lines or clinic details changed") == 2
