"""Editions: large print (sizes measured in the PDFs), bilingual (both languages' units, fonts, directions and
review states), file names, the manifest, incremental builds across editions, and their usage errors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render.styles import LARGE_BODY_MIN, LARGE_HEADING_MIN, LARGE_LINE_SPACING_MIN
from tests.conftest import BILINGUAL, REPO, run
from tests.helpers import (
    PAIRS,
    arabic_found,
    arabic_pages,
    arabic_text,
    arabic_words_present,
    body_chars,
    body_text,
    chars,
    expected_units,
    footer_rules,
    load,
    normalise,
    own_style,
    page_texts,
    replace_line,
    snapshot,
    summary,
    table_units,
)


def manifest(root: Path) -> dict[str, dict]:
    entries = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    return {e["file"]: e for e in entries}


# -- large print ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_large_print_text_is_at_least_16_pt_and_headings_20(editions: Path, handout: str, lang: str) -> None:
    pdf = editions / "output" / lang / f"{handout}.large.pdf"
    body = body_chars(pdf)
    sizes = Counter(round(c.size, 1) for c in body if c.get_text().strip())
    assert sizes and min(sizes) >= LARGE_BODY_MIN - 0.05, sizes
    assert max(sizes, key=sizes.get) >= LARGE_BODY_MIN  # the most common size: running text
    project = load(REPO)
    heading = normalise(project.strings_for(lang).get("section.safety").text, lang)
    heading_sizes = _sizes_of(body, heading)
    assert heading_sizes and min(heading_sizes) >= LARGE_HEADING_MIN, (heading, heading_sizes)


def _sizes_of(chars: list, text: str) -> set[float]:
    """The sizes of the characters that spell `text` in the character stream (first match). Arabic is stored
    in visual order, and one glyph (a ligature) can stand for two letters (given in visual order), so each
    character is remembered for every letter it stands for."""
    import unicodedata

    wanted = text.replace(" ", "")
    for order in (1, -1):  # logical order, then visual
        letters = [(letter, round(char.size, 1)) for char in chars
                   for letter in unicodedata.normalize("NFKC", char.get_text()) if letter.strip()]
        at = "".join(letter for letter, _ in letters).find(wanted[::order])
        if at >= 0:
            return {size for _, size in letters[at:at + len(wanted)]}
    return set()


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans", "vi"])
def test_large_print_line_spacing_is_at_least_1_4(editions: Path, lang: str) -> None:
    """Consecutive baselines of 16 pt text are at least 1.4 × 16 pt apart (table cells side by side share one)."""
    pdf = editions / "output" / lang / "ketamine-or-psilocybin.large.pdf"
    gaps = []
    for page, rule in zip(chars(pdf), footer_rules(pdf), strict=True):
        baselines = sorted({round(c.matrix[5], 1) for c in page
                            if c.y0 > rule and abs(c.size - LARGE_BODY_MIN) < 0.05})
        gaps += [b - a for a, b in zip(baselines, baselines[1:], strict=False)]
    assert len(gaps) > 50
    assert min(gaps) >= LARGE_BODY_MIN * LARGE_LINE_SPACING_MIN - 0.2, sorted(gaps)[:5]


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_large_print_has_every_unit_and_every_stamp(editions: Path, handout: str, lang: str) -> None:
    pdf = editions / "output" / lang / f"{handout}.large.pdf"
    project = load(REPO)
    units = expected_units(project, handout, lang)
    missing = _missing(pdf, lang, units, table_units(project, handout, lang))
    assert not missing
    pages = arabic_pages(pdf) if lang == "ar" else page_texts(pdf)
    strings = project.strings_for(lang)
    for page in pages:
        flat = normalise(page, lang)
        for piece in (strings.get("review.draft").text, strings.get("disclaimer.short").text):
            piece = normalise(piece, lang)
            assert arabic_found(piece, flat) if lang == "ar" else piece in flat


def _missing(pdf: Path, lang: str, units: dict[str, str], cells: set[str], text: str | None = None) -> dict:
    """The units not found in the PDF's body text (each script compared the way it can be extracted)."""
    if text is None:
        top = footer_rules(pdf)[0]  # the footer is taller in large print and in bilingual editions
        text = normalise(arabic_text(pdf, top) if lang == "ar" else body_text(pdf, top), lang)

    def found(uid: str, unit: str) -> bool:
        if lang != "ar":
            return unit in text
        return arabic_words_present(unit, text) if uid in cells else arabic_found(unit, text)

    return {uid: unit for uid, unit in units.items() if not found(uid, unit)}


def test_large_print_grows_pages_and_keeps_the_standard_edition(editions: Path) -> None:
    entries = manifest(editions)
    for handout, lang in PAIRS:
        entry = entries[f"{lang}/{handout}.large.pdf"]
        assert entry["edition"] == "large" and entry["format"] == "pdf"
        assert entry["pages"] == len(PdfReader(editions / "output" / entry["file"]).pages)
        assert entry["pages"] >= 3  # a two-page standard handout cannot fit at 16 pt


# -- bilingual -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "second"), BILINGUAL)
@pytest.mark.parametrize("handout", ["ketamine-or-psilocybin", "microdosing", "esketamine-nasal-spray"])
def test_bilingual_pdf_holds_every_unit_of_both_languages(editions: Path, handout: str, first: str,
                                                          second: str) -> None:
    project = load(REPO)
    pdf = editions / "output" / first / f"{handout}.{first}-{second}.pdf"
    total = found = 0
    missing = {}
    for lang in (first, second):
        units = expected_units(project, handout, lang)
        # Right-to-left text is read back by baselines, left-to-right text in drawing order.
        lost = _missing(pdf, lang, units, table_units(project, handout, lang))
        total += len(units)
        found += len(units) - len(lost)
        missing.update({f"{lang}:{k}": v for k, v in lost.items()})
    assert found / total >= 0.99, missing
    assert not missing  # in practice every unit is there; the acceptance threshold above is 99 %


@pytest.mark.parametrize(("first", "second"), BILINGUAL)
def test_bilingual_stamps_both_review_states_on_every_page(editions: Path, first: str, second: str) -> None:
    project = load(REPO)
    pdf = editions / "output" / first / f"microdosing.{first}-{second}.pdf"
    texts = page_texts(pdf)
    rtl_pages = arabic_pages(pdf) if "ar" in (first, second) else texts
    for number in range(len(texts)):
        for lang in (first, second):
            label = normalise(project.strings_for(lang).get("review.draft").text, lang)
            if lang == "ar":
                assert arabic_found(label, normalise(rtl_pages[number], lang)), number
            else:
                assert label in normalise(texts[number], lang), (number, lang)
        assert "DRAFT" in texts[number]


def test_bilingual_manifest_and_metadata(editions: Path) -> None:
    entry = manifest(editions)["es/microdosing.es-en.pdf"]
    assert entry["edition"] == "bilingual" and entry["lang"] == "es" and entry["second_lang"] == "en"
    assert entry["review_status"] == "draft" and entry["second_review_status"] == "draft"
    assert entry["fingerprint"] != entry["second_fingerprint"]
    assert entry["second_disclaimer"] == load(REPO).strings_for("en").get("disclaimer.short").text
    keywords = str(PdfReader(editions / "output" / entry["file"]).metadata["/Keywords"])
    assert f"second=en;second_version=1.1.0;second_fingerprint={entry['second_fingerprint']}" in keywords


def test_bilingual_each_language_in_its_own_fonts_and_direction(editions: Path) -> None:
    """Arabic beneath English is drawn in DejaVu and ends at the right margin; English beneath Arabic is drawn
    in Noto Sans and starts at the left margin (plus its indent)."""
    for first, second in (("en", "ar"), ("ar", "en")):
        pdf = editions / "output" / first / f"microdosing.{first}-{second}.pdf"
        page = chars(pdf)[0]
        arabic = [c for c in page if "\u0600" <= c.get_text() <= "\u06ff" or "\ufe70" <= c.get_text() <= "\ufeff"]
        latin = [c for c in page if c.get_text().isascii() and c.get_text().isalpha() and c.y0 > 100]
        assert arabic and latin
        assert all("DejaVu" in c.fontname for c in arabic), {c.fontname for c in arabic}
        assert all("NotoSans" in c.fontname or "DejaVu" in c.fontname for c in latin)
        assert any("NotoSans" in c.fontname for c in latin)
        right = max(c.x1 for c in arabic)
        left = min(c.x0 for c in latin if "NotoSans" in c.fontname)
        width = PdfReader(pdf).pages[0].mediabox.width
        margin = 16 * 72 / 25.4
        # Right-to-left text ends at the right margin, left-to-right text starts at the left one (as the
        # second language, after its indent of 9 pt).
        assert abs(float(width) - margin - right) < 3, right
        assert abs(left - margin - (9 if first == "ar" else 0)) < 3, left


def test_bilingual_second_language_is_visually_distinct(editions: Path) -> None:
    """The translation beneath a unit is smaller, in the `second` colour and indented."""
    pdf = editions / "output" / "es" / "microdosing.es-en.pdf"
    project = load(REPO)
    english = normalise(project.handout("microdosing", "en").sections[0].blocks[0].text.text, "en")[:30]
    spanish = normalise(project.handout("microdosing", "es").sections[0].blocks[0].text.text, "es")[:30]
    page = [c for c in chars(pdf)[0] if c.get_text().strip()]
    stream = "".join(c.get_text() for c in page)
    en_at, es_at = stream.find(english.replace(" ", "")), stream.find(spanish.replace(" ", ""))
    assert en_at >= 0 and es_at >= 0
    en_char, es_char = page[en_at], page[es_at]
    assert en_char.y0 < es_char.y0  # beneath
    assert en_char.size < es_char.size
    assert en_char.graphicstate.ncolor != es_char.graphicstate.ncolor
    assert en_char.x0 > es_char.x0  # indented


# -- builds across editions ----------------------------------------------------------------------------------
def test_editions_do_not_skip_each_other_and_rebuild_on_the_second_language(project: Path) -> None:
    args = ["build", "--project", project, "--lang", "es", "microdosing"]
    assert summary(run(*args).output) == (1, 0)
    assert summary(run(*args, "--large-print").output) == (1, 0)
    assert summary(run(*args, "--bilingual", "en").output) == (1, 0)
    assert summary(run(*args, "--format", "html").output) == (1, 0)
    for extra in ([], ["--large-print"], ["--bilingual", "en"], ["--format", "html"]):
        assert summary(run(*args, *extra).output) == (0, 1), extra
    files = sorted(p.name for p in (project / "output" / "es").iterdir())
    assert files == ["microdosing.es-en.pdf", "microdosing.html", "microdosing.large.pdf", "microdosing.pdf"]
    editions = {e["file"]: e["edition"] for e in manifest(project).values()}
    assert editions == {"es/microdosing.pdf": "standard", "es/microdosing.large.pdf": "large",
                        "es/microdosing.es-en.pdf": "bilingual", "es/microdosing.html": "standard"}
    # A change to the English text changes the Spanish-English edition; the Spanish-only PDF is rebuilt too,
    # because its translation of that unit is now out of date (its stamp says so).
    replace_line(project, "content/en/microdosing.yaml", "title:", 'title: "Microdosing: what to know"')
    assert summary(run(*args, "--bilingual", "en").output) == (1, 0)
    assert summary(run(*args).output) == (1, 0)
    assert summary(run(*args).output) == (0, 1)


def test_large_print_bilingual_combines_both(project: Path) -> None:
    result = run("build", "--project", project, "--lang", "ar", "--bilingual", "en", "--large-print", "microdosing")
    assert result.exit_code == 0, result.output
    entry = manifest(project)["ar/microdosing.ar-en.large.pdf"]
    assert entry["edition"] == "bilingual-large" and entry["second_lang"] == "en"
    sizes = {round(c.size, 1) for c in body_chars(project / "output" / entry["file"]) if c.get_text().strip()}
    assert min(sizes) >= LARGE_BODY_MIN - 0.05


@pytest.mark.parametrize(("args", "message"), [
    (["--bilingual", "xx"], "--bilingual: no content for language 'xx'; available: en, es"),
    (["--lang", "en", "--bilingual", "en"], "a bilingual handout needs two different languages"),
    (["--format", "docx"], "unknown format 'docx'; use pdf or html"),
    (["--format", ","], "give at least one format"),
])
def test_edition_usage_errors(project: Path, args: list[str], message: str) -> None:
    result = run("build", "--project", project, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (project / "output").exists()


def test_release_of_a_bilingual_edition_needs_both_languages_approved(project: Path) -> None:
    for path in ("content/es/microdosing.yaml", "content/es/ui.yaml", "content/facts.yaml"):
        result = run("approve", project / path, "--reviewer", "Test Reviewer", "--role", "MD", "--project", project)
        assert result.exit_code == 0, result.output
    ok = run("build", "--project", project, "--lang", "es", "microdosing", "--release")
    assert ok.exit_code == 0, ok.output
    refused = run("build", "--project", project, "--lang", "es", "--bilingual", "en", "microdosing", "--release")
    assert refused.exit_code == 1
    assert "not approved: content/en/microdosing.yaml: draft; needed by microdosing (es)" in refused.stderr
    assert "content/en/ui.yaml: draft" in refused.stderr


def test_verify_names_the_language_that_changed(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "es", "--bilingual", "en", "microdosing").exit_code == 0
    pdf = project / "output" / "es" / "microdosing.es-en.pdf"
    result = run("verify", pdf, "--project", project)
    assert result.exit_code == 0 and "microdosing.es-en.pdf: current" in result.output
    old = project / "old.pdf"
    old.write_bytes(pdf.read_bytes())
    replace_line(project, "content/en/microdosing.yaml", "title:", 'title: "Microdosing: what to know"')
    result = run("verify", old, "--project", project)
    assert result.exit_code == 1
    assert "en: content changed: built from" in result.output
    # The Spanish text itself did not change; its translation of the edited unit is now out of date.
    assert "es: review state was 'draft', now 'translation out of date'" in result.output
    assert "es: content changed" not in result.output


@pytest.mark.parametrize(("edit", "message"), [
    (("    body: {size: 16,", "    body: {size: 14,"),
     "large_print.text.body: size 14 pt is below the large-print minimum of 16 pt"),
    (("    heading: {size: 22, leading: 30.8", "    heading: {size: 18, leading: 30.8"),
     "large_print.text.heading: size 18 pt is below the large-print minimum of 20 pt"),
    (("    item: {size: 16, leading: 22.4", "    item: {size: 16, leading: 19"),
     "large_print.text.item: leading 19 pt is less than 1.4 × the size"),
    (("large_print:", "unused:"), "no 'large_print:' section"),
])
def test_a_style_that_breaks_the_large_print_promise_is_refused(project: Path, edit: tuple[str, str],
                                                                 message: str) -> None:
    own_style(project, edit[0], edit[1])
    if edit[1] == "unused:":  # the section cut off: a key no style file knows is an error of its own (33rd pass)
        style = project / "templates/style.yaml"
        style.write_text(style.read_text(encoding="utf-8").split("unused:")[0], encoding="utf-8")
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    before = snapshot(project / "output")
    result = run("build", "--project", project, "--lang", "en", "microdosing", "--large-print")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert snapshot(project / "output") == before


def test_bilingual_without_lang_pairs_every_other_language(project: Path) -> None:
    result = run("build", "--project", project, "--bilingual", "en", "microdosing")
    assert result.exit_code == 0, result.output
    files = sorted(manifest(project))
    assert files == [f"{lang}/microdosing.{lang}-en.pdf" for lang in ("ar", "es", "ru", "vi", "zh-Hans")]
