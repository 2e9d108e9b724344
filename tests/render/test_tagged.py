"""Tagged PDFs (PDF/UA-1): the PyPI `pdfua` checker, the structure tree read back in reading order against the
content, Arabic through plain `pdftotext`, and page furniture kept out of the text."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pdfua import Severity, validate

from tests.conftest import BILINGUAL, run, shared_build
from tests.helpers import (
    PAIRS,
    arabic_found,
    arabic_words_present,
    expected_units,
    footer_rules,
    load,
    normalise,
    pdftotext,
    table_units,
)
from tests.render.tagged import elements, marked_text

LANGS = ["en", "es", "ar", "zh-Hans", "vi", "ru"]
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
TEXT_ROLES = {"P", "H1", "H2", "H3", "LBody", "TH", "TD"}


def pdfua_findings(pdf: Path) -> list[tuple[str, str, str]]:
    """What the `pdfua` checker reports at warning level or above."""
    report = validate(str(pdf))
    return [(f.rule_id, f.severity.name, f.message) for f in report.findings if f.severity >= Severity.WARNING]


@pytest.fixture(scope="session")
def more(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bilingual editions led by the languages the shared `editions` build does not lead with, and a review
    PDF of every translation; returns the project folder (made once for the whole run, read only)."""
    def make(root: Path) -> None:
        for first in ("vi", "ru"):
            result = run("build", "microdosing", "--project", root, "--lang", first, "--bilingual", "en")
            assert result.exit_code == 0, result.output
        for lang in ("ar", "zh-Hans"):
            result = run("translate", "review", lang, "microdosing", "--project", root)
            assert result.exit_code == 0, result.output

    return shared_build(tmp_path_factory, "tagged", make)


# -- the checker ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_default_build_passes_the_pdfua_checker(built: Path, handout: str, lang: str) -> None:
    assert pdfua_findings(built / "output" / lang / f"{handout}.pdf") == []


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_passes_the_pdfua_checker(editions: Path, lang: str) -> None:
    assert pdfua_findings(editions / "output" / lang / "ketamine-or-psilocybin.large.pdf") == []


@pytest.mark.parametrize(("first", "second"), [*BILINGUAL, ("vi", "en"), ("ru", "en")])
def test_bilingual_passes_the_pdfua_checker(editions: Path, more: Path, first: str, second: str) -> None:
    root = more if first in ("vi", "ru") else editions
    assert pdfua_findings(root / "output" / first / f"microdosing.{first}-{second}.pdf") == []


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_review_pdf_passes_the_pdfua_checker(more: Path, lang: str) -> None:
    pdf = more / "output" / "review" / lang / "microdosing.review.pdf"
    assert pdfua_findings(pdf) == []
    roles = [e.role for e in elements(pdf)]
    assert roles[:3] == ["Document", "H1", "P"] and "Table" in roles and "TH" in roles


def test_pdfinfo_says_tagged(built: Path) -> None:
    info = subprocess.run(["pdfinfo", str(built / "output" / "ar" / "microdosing.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^Metadata Stream:\s+yes$", info, re.M)


def test_metadata_declares_pdfua_and_the_title(built: Path) -> None:
    import pikepdf

    with pikepdf.open(built / "output" / "zh-Hans" / "microdosing.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo["/Title"])
        assert "zh-Hans" in meta["dc:language"]
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "zh-Hans"
        assert all(page.Tabs == "/S" and "/StructParents" in page for page in pdf.pages)


# -- the structure, in reading order --------------------------------------------------------------------------
def expected_order(root: Path, handout: str, lang: str) -> list[str]:
    """The handout's printed texts in document order (from the view the layout is given: content units, the
    crisis help made from data, the UI's headings and lines), with the content units checked against the
    content files themselves."""
    from datetime import date

    from generator.build import _view

    project = load(root)
    doc = _view(project, root, handout, lang, date.today())[0]
    order = [doc.clinic_name, doc.title.plain, doc.summary.plain, doc.contact.plain]
    for section in doc.sections:
        order.append(section["heading"].plain)
        for block in section["blocks"]:
            texts = [block["text"]] if block["text"] is not None else []
            texts += [*block["items"], *block["columns"], *(cell for row in block["rows"] for cell in row)]
            order += [t.plain for t in texts]
    order = [normalise(t, lang) for t in [*order, doc.disclaimer_heading.plain, doc.disclaimer_full.plain,
                                          doc.provenance.plain]]
    units = list(expected_units(project, handout, lang).values())
    found = iter(order)
    assert all(unit in found for unit in units)  # every content unit, in the content's order
    return order


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("handout", ["ketamine-or-psilocybin", "microdosing"])
def test_structure_order_text_equals_the_content(built: Path, handout: str, lang: str) -> None:
    pdf = built / "output" / lang / f"{handout}.pdf"
    texts = [normalise(e.text, lang) for e in elements(pdf) if e.role in TEXT_ROLES]
    expected = expected_order(built, handout, lang)
    # Between the content units the leaflet prints more (Current as of, the crisis line from facts, the
    # contact block, other languages, Sources): the units must appear in order, none missing or moved.
    found = iter(texts)
    missing = [text for text in expected if not any(text == t for t in found)]
    assert not missing, f"not in structure order: {missing[:3]}"
    assert len(texts) - len(expected) <= 20, texts  # the leaflet's own lines, not a duplicated story


@pytest.mark.parametrize(("first", "second"), [("ar", "en"), ("en", "ar"), ("zh-Hans", "ru")])
def test_bilingual_structure_gives_each_translation_its_language(editions: Path, first: str, second: str) -> None:
    pdf = editions / "output" / first / f"microdosing.{first}-{second}.pdf"
    found = elements(pdf)
    mine = [normalise(e.text, first) for e in found if e.role in TEXT_ROLES and e.lang == first]
    theirs = [normalise(e.text, second) for e in found if e.lang == second and e.text]
    project = load(editions)
    assert list(expected_units(project, "microdosing", first).values())[0] in mine  # the title
    units = expected_units(project, "microdosing", second)
    assert [t for t in theirs if t in units.values()] == [u for u in units.values() if u in theirs]
    assert len([t for t in theirs if t in units.values()]) == len(units)


def test_structure_roles(built: Path) -> None:
    found = elements(built / "output" / "en" / "ketamine-or-psilocybin.pdf")
    roles = [e.role for e in found]
    assert roles[0] == "Document" and roles.count("H1") == 1 and "Sect" in roles
    callout = next(e for e in found if e.role == "Div" and e.depth == 1)
    assert callout.text == "" and roles[found.index(callout) + 1] == "H2"
    assert {"L", "LI", "Lbl", "LBody"} <= set(roles)
    heads = [e for e in found if e.role == "TH"]
    assert {h.attributes.get("Scope") for h in heads} == {"Column", "Row"}
    figures = [e for e in found if e.role == "Figure"]
    assert figures and all(f.alt for f in figures)  # the QR code: what it is for, what to do without a phone
    assert "Scan the code" in figures[-1].alt and "+1 555 010 0100" in figures[-1].alt


# -- Arabic through plain pdftotext ------------------------------------------------------------------------
@pytest.mark.parametrize("handout", sorted({h for h, _ in PAIRS}))
def test_pdftotext_gives_arabic_in_logical_order(built: Path, handout: str) -> None:
    pdf = built / "output" / "ar" / f"{handout}.pdf"
    text = "\n".join(pdftotext(pdf))  # no reordering of ours: poppler's own reading of the glyphs
    assert not PRESENTATION_FORMS.search(text)
    assert "\ufffd" not in text and "\x00" not in text
    project = load(built)
    cells = table_units(project, handout, "ar")
    words = unicodedata.normalize("NFC", text)
    for uid, unit in expected_units(project, handout, "ar").items():
        unit = unicodedata.normalize("NFC", unit)
        assert (arabic_words_present(unit, words) if uid in cells else arabic_found(unit, words)), (uid, unit)


def test_arabic_is_searchable(built: Path) -> None:
    text = "\n".join(pdftotext(built / "output" / "ar" / "microdosing.pdf"))
    assert "الجرعات" in text and "لا تزال" in text  # a lam-alef ligature gives its two letters, in order


# -- furniture stays out of the text ---------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_watermark_and_footer_stay_out_of_the_text(built: Path, lang: str) -> None:
    pdf = built / "output" / lang / "microdosing.pdf"
    project = load(built)
    word = project.strings_for(lang).get("watermark").text
    body = "\n".join(pdftotext(pdf, crop_bottom=footer_rules(pdf)[0]))  # the page above the footer
    assert "DRAFT" not in body and word not in body.replace(normalise(
        project.strings_for(lang).get("review.draft").text, lang), "")
    texts = [e.text for e in elements(pdf)]
    # The review state is content once, read first (a screen reader skips artifacts: it must hear "draft"), said
    # with the generator's own word as the diagonal shows it, whatever the project's string says (eleventh pass).
    state = project.strings_for(lang).get("review.draft").text
    assert texts[1] == f"DRAFT: {state}"
    structure = " ".join(texts[:1] + texts[2:])
    for furniture in ("DRAFT", "patient-handouts", project.strings_for(lang).get("disclaimer.short").text):
        assert furniture not in structure
    assert state not in structure
    drawn = marked_text(pdf)
    assert drawn.unmarked == []  # every piece of text is tagged content or an artifact
    artifacts = "".join(drawn.artifacts)
    assert "DRAFT" in artifacts  # still printed: the watermark and the footer are artifacts


def test_a_link_is_a_tagged_link_with_its_annotation(project: Path) -> None:
    import pikepdf

    content = project / "content" / "en" / "microdosing.yaml"
    text = content.read_text(encoding="utf-8")
    old = "Talk with your care team before you try microdosing."
    assert old in text
    content.write_text(text.replace(old, "Talk with [your care team](https://clinic.example.org/team) first."),
                       encoding="utf-8")
    result = run("build", "microdosing", "--lang", "en", "--project", project)
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "en" / "microdosing.pdf"
    assert pdfua_findings(pdf) == []
    item = next(e for e in elements(pdf) if e.role == "LBody" and "your care team" in e.text)
    assert normalise(item.text, "en") == "Talk with your care team first."  # the link read in its place
    with pikepdf.open(pdf) as doc:
        annots = [a for page in doc.pages for a in page.get("/Annots", [])]
        assert len(annots) == 1 and str(annots[0].A.URI) == "https://clinic.example.org/team"
        assert "your care team" in str(annots[0].Contents)
        owner = doc.Root.StructTreeRoot.ParentTree.Nums[-1]  # the annotation's key comes after the pages'
        assert owner.S == "/Link" and int(annots[0].StructParent) == len(doc.pages)
        assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" for k in owner.K)
        assert owner.P.S == "/LBody"


def test_logo_is_a_figure_named_for_the_clinic(project: Path) -> None:
    from PIL import Image

    from tests.helpers import replace_line

    Image.new("RGB", (40, 10), "#123a5c").save(project / "logo.png")
    replace_line(project, "handouts.yaml", "  # logo:", "  logo: logo.png")
    result = run("build", "--project", project, "--lang", "ar", "microdosing")
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "ar" / "microdosing.pdf"
    assert pdfua_findings(pdf) == []
    found = elements(pdf)
    logo, qr = [e for e in found if e.role == "Figure"]
    assert logo.alt == load(project).settings.clinic.name and found.index(logo) < [e.role for e in found].index("H1")
    assert qr.alt and qr.lang == "ar"  # the QR code's text is the handout's own language
