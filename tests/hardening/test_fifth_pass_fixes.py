"""Variants of four defects of the fifth hostile pass (issue 12), beyond the cases in
tests/hardening/test_fifth_pass.py: verify exhausted by a huge payload and blind to a clinic's verify_url, a
terminology table lint skipped without a word, a language CLDR does not know.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hardening.hostile import no_traceback, tiny_copy
from tests.hardening.test_fifth_pass import _pdf_with_keywords


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")



# -- the fixes' own variants ------------------------------------------------------------------------------------
VERIFY_URL = 'verify_url: "https://clinic.example.org/verify?h={handout}&l={lang}&f={fingerprint}&r={review}"\n'


def test_verify_tells_an_altered_file_of_a_verify_url_clinic(project: Path) -> None:
    """With a verify_url, a PDF with a line appended and an HTML page with one word changed are "altered", not
    "unknown": the verification data is in the file whatever the QR code holds (and the address stays in the
    PDF's keywords, before the data)."""
    from pypdf import PdfReader

    with (project / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write(VERIFY_URL)
    assert run("build", "--project", project, "-j", "1", "--format", "pdf,html").exit_code == 0
    out = project / "output/en"
    keywords = str(PdfReader(out / "tiny.pdf").metadata["/Keywords"])
    assert "https://clinic.example.org/verify?h=tiny&l=en&f=" in keywords
    assert keywords.index("https://") < keywords.index("patient-handouts:verify:v1;handout=tiny;lang=en;")
    with (out / "tiny.pdf").open("ab") as pdf:
        pdf.write(b"% TAKE TEN TIMES THE DOSE\n")
    _edit(out / "tiny.html", "ride", "taxi")
    result = run("verify", out / "tiny.pdf", out / "tiny.html", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.output.count("content current but this file was altered") == 2, result.output


@pytest.mark.parametrize("fields", [33, 1_000_000], ids=["one-field-too-many", "a-million-fields"])
@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_verification_data_longer_than_any_the_generator_writes_is_unknown(project: Path, tmp_path: Path,
                                                                          fields: int, kind: str) -> None:
    """Verification data of 33 fields (the generator writes at most 14) or of a million (4 MB, within the
    file bound) is "unknown (verification data too large)", in a PDF and in an HTML page alike."""
    payload = b"patient-handouts:verify:v1;" + b"a=b;" * fields
    path = tmp_path / f"fields.{kind}"
    if kind == "pdf":
        _pdf_with_keywords(path, payload)
    else:
        path.write_bytes(b'<!DOCTYPE html><html><head><meta name="patient-handouts-verify" content="' + payload
                         + b'"></head><body><p>x</p></body></html>')
    result = run("verify", path, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "unknown (verification data too large)" in result.output, result.output


def test_a_pdf_larger_than_any_handout_is_not_parsed(project: Path, tmp_path: Path) -> None:
    """A 12 MB PDF (a handout is under 1 MB; pypdf holds a huge string at ~20 bytes a byte) is refused by its
    size before it is parsed: "unknown", saying why."""
    pdf = tmp_path / "big.pdf"
    _pdf_with_keywords(pdf, b"x" * 12_000_000)
    result = run("verify", pdf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and ": unknown (this file " in result.output, result.output


@pytest.mark.parametrize("table", [
    b"| concept | lang | use | not |\n|:--|:-:|--:|---|\n| ride | en | a\\|b | home |\n",  # an escaped pipe in a cell
    b"  concept|lang|use|not  \n  ---|---|---|---\n  ride|en|ride|home\n",  # indented, no spaces, no outer pipes
    b"| concept | lang | use | not |\n|---|---|---|---|\n| other | en | x |\n| ride | en | ride | home |\n",  # short
], ids=["escaped-pipe", "compact", "short-row-filled-in"])
def test_lint_reads_every_form_of_table_github_markdown_shows(project: Path, table: bytes) -> None:
    """Forms GitHub renders as the same table are read as that table: the row about 'home' is checked."""
    (project / "docs").mkdir()
    (project / "docs/terminology.md").write_bytes(table)
    result = run("lint", "--strict", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "uses 'home' for 'ride'" in result.output, result.output + result.stderr


@pytest.mark.parametrize("text, line", [
    (b"# Terminology\n\nNothing agreed yet.\n", 1),
    (b"```\n| concept | lang | use | not |\n|---|---|---|---|\n| ride | en | ride | home |\n```\n", 1),  # an example
    (b"| concept | lang | use | not |\n| ride | en | ride | home |\n", 1),  # no delimiter row: not a table
    (b"| concept | lang | use | not |\n|---|---|---|---|\nride, en, ride, home\n", 3),  # a row of one cell
    (b"\xef\xbb\xbf", 1),
], ids=["no-table", "only-in-a-code-block", "no-delimiter-row", "row-without-pipes", "bom-only"])
def test_a_terminology_file_lint_cannot_read_is_a_reported_problem(project: Path, text: bytes, line: int) -> None:
    """A docs/terminology.md without a table lint can read (or with a row it cannot read) is an error at its
    line, exit 1, never a lint that silently checks no terms."""
    (project / "docs").mkdir()
    (project / "docs/terminology.md").write_bytes(text)
    result = run("lint", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"docs/terminology.md:{line}:1: terminology: " in result.stderr, \
        result.output + result.stderr


def _hmong(project: Path) -> None:
    """Hmong declared with Noto Sans and translated (each text "HMN " + its English) through a PO round trip."""
    import re
    import shutil

    fonts = project / "templates/fonts"
    fonts.mkdir(parents=True)
    for face in ("Regular", "Bold"):
        shutil.copy(REPO / f"templates/fonts/noto-sans/NotoSans-{face}.ttf", fonts)
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto-sans:\n    regular: fonts/NotoSans-Regular.ttf\n    bold: fonts/NotoSans-Bold.ttf\n"
        "languages:\n  en: {family: noto-sans, direction: ltr, breaking: words}\n"
        "  hmn: {family: noto-sans, direction: ltr, breaking: words}\n", encoding="utf-8")
    assert run("translate", "new", "hmn", "--project", project).exit_code == 0
    _edit(project / "handouts.yaml", "  - en\n", "  - en\n  - hmn\n")
    po = project.parent / "hmn.po"
    exported = run("translate", "export", "hmn", "-o", po, "--project", project)
    no_traceback(exported)
    assert exported.exit_code == 0, exported.output + exported.stderr
    po.write_text(re.sub(r'msgid "(.+)"\nmsgstr ""', lambda m: f'msgid "{m[1]}"\nmsgstr "HMN {m[1]}"',
                         po.read_text(encoding="utf-8")), encoding="utf-8")
    imported = run("translate", "import", po, "--project", project)
    assert imported.exit_code == 0, imported.output + imported.stderr


def test_a_language_without_cldr_dates_prints_iso_dates_and_check_says_so(project: Path) -> None:
    """Hmong translated and declared: `check` passes with a warning naming 'hmn' and saying its dates print as
    YYYY-MM-DD; the Hmong PDF and HTML say "Current as of 2026-01-01" (ISO 8601, not an English "January 1,
    2026" passed off as Hmong), their page numbers are plain digits, and the English edition names the other
    language by its code, never by an English name."""
    from tests.hardening.hostile import all_text

    _hmong(project)
    checked = run("check", "--project", project)
    no_traceback(checked)
    assert checked.exit_code == 0, checked.output + checked.stderr
    assert re.search(r"handouts\.yaml:\d+:\d+: languages: warning: .*'hmn'.*YYYY-MM-DD", checked.stderr), \
        checked.stderr
    built = run("build", "--project", project, "-j", "1", "--format", "pdf,html")
    no_traceback(built)
    assert built.exit_code == 0, built.output + built.stderr
    hmong = all_text(project / "output/hmn/tiny.pdf")
    assert "HMN Current as of 2026-01-01" in hmong and "January" not in hmong, hmong
    assert re.search(r"HMN Page 1 of \d", hmong), hmong
    assert '2026-01-01</bdi>' in (project / "output/hmn/tiny.html").read_text(encoding="utf-8")
    english = all_text(project / "output/en/tiny.pdf")
    assert "Current as of January 1, 2026" in english and "hmn" in english, english
    assert "Hmong" not in english and "Hmong" not in hmong


def test_verify_recognises_a_bilingual_pdf_of_a_clinic_with_a_verify_url(project: Path) -> None:
    """A bilingual edition (English with Hmong) of a clinic with a verify_url is "current (identical)" and names
    both languages: its metadata carries both languages' verification data, while the QR code keeps the one
    address of the patient's language."""
    from pypdf import PdfReader

    _hmong(project)
    with (project / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write(VERIFY_URL)
    built = run("build", "--project", project, "-j", "1", "--lang", "en", "--bilingual", "hmn")
    assert built.exit_code == 0, built.output + built.stderr
    pdf = next((project / "output/en").glob("tiny.en-hmn*.pdf"))
    keywords = str(PdfReader(pdf).metadata["/Keywords"])
    assert ";lang=en;" in keywords and ";second=hmn;" in keywords, keywords
    result = run("verify", pdf, "--project", project)
    no_traceback(result)
    assert result.exit_code == 0 and "current (identical)" in result.output and "'en + hmn'" in result.output, \
        result.output
