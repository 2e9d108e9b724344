"""The shipped project builds into correct, complete, stamped, deterministic PDFs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import copy_project, run
from tests.helpers import (
    PAIRS,
    arabic_found,
    arabic_pages,
    arabic_words_present,
    expected_units,
    load,
    normalise,
    page_texts,
    pdf_text,
    table_units,
)


def manifest(root: Path) -> list[dict]:
    return json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))


def test_default_build_makes_every_pdf_and_the_manifest(built: Path) -> None:
    entries = manifest(built)
    assert sorted((e["handout"], e["lang"]) for e in entries) == sorted(PAIRS)
    for entry in entries:
        pdf = built / "output" / entry["file"]
        assert entry["file"] == f"{entry['lang']}/{entry['handout']}.pdf"
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["pages"] == len(PdfReader(pdf).pages)
        assert entry["review_status"] == "draft"
        assert entry["generator_version"] and entry["content_version"]
        assert entry["disclaimer"]


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_every_unit_is_in_the_pdf(built: Path, handout: str, lang: str) -> None:
    project = load(built)
    text = pdf_text(built / "output" / lang / f"{handout}.pdf", lang)
    units = expected_units(project, handout, lang)
    cells = table_units(project, handout, lang)

    def found(uid: str, unit: str) -> bool:
        if lang != "ar":
            return unit in text
        return arabic_words_present(unit, text) if uid in cells else arabic_found(unit, text)

    missing = {uid: t for uid, t in units.items() if not found(uid, t)}
    assert not missing
    assert "\x00" not in text


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_every_page_is_stamped(built: Path, handout: str, lang: str) -> None:
    project = load(built)
    entry = next(e for e in manifest(built) if (e["handout"], e["lang"]) == (handout, lang))
    strings = project.strings_for(lang)
    pdf = built / "output" / entry["file"]
    pages = arabic_pages(pdf) if lang == "ar" else page_texts(pdf)
    page_word = strings.get("footer.page").text
    for number, text in enumerate(pages, start=1):
        flat = normalise(text, lang)

        def found(piece: str, flat: str = flat) -> bool:
            piece = normalise(piece, lang)
            return arabic_found(piece, flat) if lang == "ar" else piece in flat

        label = page_word.replace("{page}", str(number)).replace("{pages}", str(len(pages)))
        for piece in (entry["disclaimer"], entry["content_version"], label, strings.get("review.draft").text):
            assert found(piece), (number, piece)


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_fits_two_sheets_printed_on_both_sides(built: Path, handout: str, lang: str) -> None:
    assert len(PdfReader(built / "output" / lang / f"{handout}.pdf").pages) <= 4


def _fonts(reader: PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            fonts.append(font.get_object())
    return fonts


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_all_fonts_embedded_no_helvetica(built: Path, handout: str, lang: str) -> None:
    reader = PdfReader(built / "output" / lang / f"{handout}.pdf")
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        assert "Helvetica" not in str(font["/BaseFont"])
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_metadata(built: Path) -> None:
    project = load(built)
    handout = project.handout("ketamine-assisted-therapy", "en")
    reader = PdfReader(built / "output" / "en" / "ketamine-assisted-therapy.pdf")
    meta = reader.metadata
    assert meta.title == handout.title.text
    assert meta.author == project.settings.clinic.name
    assert meta.subject == handout.summary.text
    assert meta["/Creator"].startswith("patient-handouts ")
    assert "ketamine-assisted-therapy" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert handout.title.text in titles


def test_build_is_byte_identical(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert run("build", "--project", root, "--lang", "en").exit_code == 0
    first = {p.name: p.read_bytes() for p in (root / "output" / "en").glob("*.pdf")}
    assert run("build", "--project", root, "--lang", "en", "--out", root / "again").exit_code == 0
    second = {p.name: p.read_bytes() for p in (root / "again" / "en").glob("*.pdf")}
    assert first == second and first


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_paper_sizes(tmp_path: Path, paper: str) -> None:
    root = copy_project(tmp_path / "p")
    assert run("build", "--project", root, "--paper", paper, "--lang", "en", "microdosing").exit_code == 0
    box = PdfReader(root / "output" / "en" / "microdosing.pdf").pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    assert size == {"letter": (612, 792), "a4": (595, 842)}[paper]


def test_a_pdf_is_built_again_when_the_generator_s_code_changes(tmp_path: Path) -> None:
    """The version string stays 0.1.0 from commit to commit: the inputs fingerprint holds the package's code, so a
    drawing fix reaches PDFs built before it (thirteenth pass)."""
    import shutil

    from generator.incremental import code_digest_of

    package = Path(__file__).resolve().parents[1] / "generator"
    copy = tmp_path / "generator"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_digest_of(copy) == code_digest_of(package)
    module = copy / "render" / "numberclip.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert code_digest_of(copy) != code_digest_of(package)


def test_a_pdf_is_built_again_under_another_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another interpreter has another Unicode database (what is a letter, a number, a line break): its PDFs are
    not the same inputs."""
    import sys

    from generator import incremental

    before = incremental.code_digest()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    incremental.code_digest.cache_clear()
    try:
        assert incremental.code_digest() != before
    finally:
        incremental.code_digest.cache_clear()
