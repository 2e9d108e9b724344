"""The four defects of the fifth hostile pass (issue 12) fixed on this branch, copied from
tests/hardening/test_fifth_pass.py (branch issue-12-pass5): verify exhausted by a huge payload and blind to a
clinic's verify_url, a terminology table lint skipped without a word, and a traceback for a language CLDR does
not know. Each test says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hardening.hostile import no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")



# -- verify: an authentic file of a clinic that prints its own QR address ---------------------------------
def test_verify_recognises_an_authentic_pdf_of_a_clinic_with_a_verify_url(project: Path) -> None:
    """The clinic sets the documented `verify_url:` in handouts.yaml (its QR codes open its desk's /verify
    page), builds, and runs `handouts verify` on the files it has just built. On main 6681d8b both the PDF and
    the HTML companion were "unknown (no patient-handouts verification data)", exit 1: with a verify_url the
    document's keywords hold only the address, not the verification data, so `verify` can no longer tell an
    authentic file from an altered or forged one for any clinic that uses the QR feature (and an altered file
    is "unknown" too, never "altered"). A file the generator has just made must be "current (identical)"."""
    with (project / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write('verify_url: "https://clinic.example.org/verify?h={handout}&l={lang}&v={version}'
                       '&f={fingerprint}"\n')
    assert run("build", "--project", project, "-j", "1", "--format", "pdf,html").exit_code == 0
    out = project / "output/en"
    result = run("verify", out / "tiny.pdf", out / "tiny.html", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.output.count("current (identical)") == 2, result.output



# -- a language CLDR does not know -------------------------------------------------------------------------
def test_a_language_without_cldr_dates_is_no_traceback(project: Path) -> None:
    """Hmong (`hmn`), one of the languages US clinics most often need, is a well-formed code with fonts
    (Latin script: Noto Sans, declared in the project's `templates/fonts.yaml`), started with `translate new
    hmn` and declared. On main 6681d8b `handouts translate export hmn -o hmn.po` ended in a traceback:
    `babel.core.UnknownLocaleError: unknown locale 'hmn'`, from the long date of "Current as of" (the same for
    Chuukese `chk`, Marshallese `mh`, Samoan `sm`, Dari `prs`, Karen `kar`). Every command that formats that
    date (check, build, export) must say what is wrong (or fall back to a numeric date), never a traceback."""
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
    result = run("translate", "export", "hmn", "-o", project.parent / "hmn.po", "--project", project)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output




# -- verify: a file within the size bound whose verification data is huge -------------------------------------
def _pdf_with_keywords(path: Path, keywords: bytes) -> None:
    """A one-page PDF, written by hand, whose document information holds `keywords`."""
    stream = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Keywords (" + keywords + b") >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_verify_a_pdf_whose_verification_data_is_eleven_million_fields(project: Path, tmp_path: Path) -> None:
    """A 44 MB PDF (under verify's 50 MB bound) whose /Keywords is the verification prefix followed by
    "a=b;" eleven million times. On main 6681d8b `handouts verify` split it into eleven million strings: 1.08 GB
    resident and 8.6 s, and under a 1 GiB address-space limit a MemoryError traceback (verify.read_payload).
    The verification data is a few hundred bytes: anything longer is not ours ("unknown"), read within bounds."""
    import os
    import resource
    import subprocess
    import sys

    pdf = tmp_path / "fields.pdf"
    _pdf_with_keywords(pdf, b"patient-handouts:verify:v1;" + b"a=b;" * 11_000_000)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "generator", "verify", str(pdf), "--project", str(project)],
                          capture_output=True, text=True, env=env, timeout=120, preexec_fn=limit)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-600:]
    assert done.returncode == 1 and ": unknown (" in done.stdout, done.stdout + done.stderr




# -- lint: a terminology table saved by another editor is not skipped without a word ---------------------------
@pytest.mark.parametrize("table", [
    b"\xef\xbb\xbf| concept | lang | use | not |\r\n|---|---|---|---|\r\n| ride | en | ride | home |\r\n",
    b"concept | lang | use | not\n--- | --- | --- | ---\nride | en | ride | home\n",
], ids=["utf8-bom-crlf", "table-without-outer-pipes"])
def test_lint_never_skips_a_terminology_table_silently(project: Path, table: bytes) -> None:
    """`docs/terminology.md` with one row (`ride`, en: avoid "home"; the tiny handout says "Arrange a ride
    home."), saved by Windows Notepad (a UTF-8 byte-order mark, CRLF), or written as a GitHub table without
    the outer pipes (valid Markdown). With the plain file `lint --strict` reports "uses 'home' for 'ride'"; on
    main 6681d8b, with either of these it reported nothing about terminology and gave no sign that it had read
    no table: the BOM hides the header row's first `|`, and rows without outer pipes are not looked at. The
    module promises "a row that cannot be read is a problem reported at its line in the table, never skipped"."""
    (project / "docs").mkdir()
    (project / "docs/terminology.md").write_bytes(table)
    result = run("lint", "--strict", "--project", project)
    no_traceback(result)
    shown = result.output + result.stderr
    assert "uses 'home'" in shown or "docs/terminology.md:" in shown, shown




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
