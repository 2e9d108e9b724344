"""Side-by-side review PDFs: real PDFs read back with pypdf and pdfminer (columns, direction, highlights)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer
from pypdf import PdfReader

from generator.translators.review_pdf import render, sheets
from tests.conftest import run
from tests.helpers import arabic_pages, arabic_words_present, load, normalise, snapshot
from tests.translators.test_exchange import make_stale_and_missing

LETTER_WIDTH = 612.0
MARGIN = 16 * 72 / 25.4
MIDDLE = MARGIN + (LETTER_WIDTH - 2 * MARGIN) / 2  # where the translation column starts
ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")  # letters, and the shaped forms drawn
STALE_SHADE, MISSING_SHADE = "1 .941176 .760784 rg", ".984314 .862745 .862745 rg"


def runs(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, every drawn text run: (x, y, font size, text)."""
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[float, float, float, str]] = []

        def keep(text: str, cm: list[float], tm: list[float], font: object, size: float,
                 found: list = found) -> None:
            if text.strip():  # a line that breaks at a space ends with it (kept for readers of the tags)
                found.append((cm[4] + tm[4], cm[5] + tm[5], size, text.strip()))

        page.extract_text(visitor_text=keep)
        pages.append(found)
    return pages


def review(root: Path, *args: str) -> str:
    result = run("translate", "review", *args, "--project", root)
    assert result.exit_code == 0, result.output
    return result.output


def test_review_es_writes_a_two_column_pdf_per_handout(project: Path) -> None:
    output = review(project, "es")
    folder = project / "output/review/es"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*(f"{h}.review.pdf" for h in load(project).handout_ids()), "ui.review.pdf"])
    assert output.count("written: ") == 6
    pdf = folder / "microdosing.review.pdf"
    reader = PdfReader(pdf)
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    rows = json.loads(run("status", "--json", "--lang", "es", "--project", project).output)
    units = next(r["total"] for r in rows if r["handout"] == "microdosing")
    assert "Translation review: Microdosing psilocybin or ketamine" in pages[0]
    assert f"microdosing · English (en) to Spanish (es) · {units} units: {units} translated, 0 stale, 0 missing · " \
           f"{date.today().isoformat()}" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in text
        assert "Source: English (en)" in text and "Translation: Spanish (es)" in text  # on every page
    # Every unit is there, with its ID, its source on the left and its translation on the right.
    everything = "\n".join(pages)
    handout_en, handout_es = load(project).handout("microdosing", "en"), load(project).handout("microdosing", "es")
    for unit in handout_en.units():
        assert unit.id in everything
    drawn = [r for page in runs(pdf) for r in page]
    left = " ".join(t for x, _, _, t in drawn if x < MIDDLE)
    right = " ".join(t for x, _, _, t in drawn if x >= MIDDLE)
    assert "Microdosing means taking a very small" in left and "Tomar microdosis" not in left
    assert "Tomar microdosis significa tomar una" in right and "Microdosing means" not in right
    # Unit IDs are small, the texts at body size; placeholders are shown as written.
    sizes = {t: size for _, _, size, t in drawn}
    first_line = next(t for t in sizes if t.startswith("Microdosing means taking"))
    assert sizes["expect.intro"] < 7 < sizes[first_line]
    assert "{clinic.phone}" in everything
    assert len(list(handout_es.units())) == units
    assert STALE_SHADE not in _streams(pdf) and MISSING_SHADE not in _streams(pdf)


def _streams(pdf: Path) -> str:
    return "\n".join(p.get_contents().get_data().decode("latin-1") for p in PdfReader(pdf).pages)


def test_stale_and_missing_units_are_shaded_and_labelled(project: Path) -> None:
    make_stale_and_missing(project)
    review(project, "es", "microdosing")
    pdf = project / "output/review/es/microdosing.review.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "1 stale, 1 missing" in text
    streams = _streams(pdf)
    assert STALE_SHADE in streams and MISSING_SHADE in streams
    drawn = [r for page in runs(pdf) for r in page]

    def first(label: str) -> tuple[float, float, float, str]:
        return next(r for r in drawn if r[3] == label)

    for unit, label in (("expect.no-dose", "STALE"), ("expect.new-point", "MISSING")):
        unit_run, label_run = first(unit), first(label)
        assert unit_run[0] < MIDDLE <= label_run[0]  # the ID on the left, the label over the translation
        assert abs(unit_run[1] - label_run[1]) < 2  # on the same line
    assert sum(1 for r in drawn if r[3] in ("STALE", "MISSING")) == 2
    # Only the Spanish file was synced: the new unit shows its source text (still in the file), unshaded elsewhere.
    assert "Call {clinic.name} before you start." in text


def test_arabic_column_is_right_to_left_in_the_arabic_font(project: Path) -> None:
    review(project, "ar", "microdosing")
    pdf = project / "output/review/ar/microdosing.review.pdf"
    right_edge = LETTER_WIDTH - MARGIN - 5  # the cell's right padding
    lines: dict[tuple[int, float], list[LTChar]] = {}
    fonts = set()
    for number, page in enumerate(extract_pages(pdf)):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                for char in line if hasattr(line, "__iter__") else ():
                    if isinstance(char, LTChar) and char.x0 >= MIDDLE and char.get_text().strip():
                        lines.setdefault((number, round(char.y0)), []).append(char)
                    if isinstance(char, LTChar) and ARABIC.match(char.get_text()):
                        assert char.x0 >= MIDDLE  # Arabic only in the translation column
                        fonts.add(char.fontname.split("+")[-1])
    arabic = {k: max(c.x1 for c in chars) for k, chars in lines.items()
              if any(ARABIC.match(c.get_text()) for c in chars)}
    assert fonts and all(f.startswith("DejaVuSans") for f in fonts)
    assert len(arabic) > 80
    # Right-aligned: every Arabic line ends at the column's right edge (the left edge is ragged).
    assert all(abs(x1 - right_edge) < 1.5 for x1 in arabic.values()), sorted(arabic.values())[:5]
    assert len({round(min(c.x0 for c in lines[k])) for k in arabic}) > 20
    text = normalise("\n".join(arabic_pages(pdf)), "ar")
    handout = load(project).handout("microdosing", "ar")
    for unit in handout.units():
        assert arabic_words_present(unit.text, text), unit.id


def test_chinese_review_and_a_selection(project: Path) -> None:
    output = review(project, "zh-Hans", "microdosing", "ui")
    assert output.count("written: ") == 2
    text = "\n".join(p.extract_text() for p in PdfReader(project / "output/review/zh-Hans/ui.review.pdf").pages)
    assert "Translation:Chinese(Simplified)(zh-Hans)" in re.sub(r"\s", "", text)  # the header may wrap
    strings = load(project).strings_for("zh-Hans")
    assert re.sub(r"\s", "", strings.get("disclaimer.short").text) in re.sub(r"\s", "", text)


def test_review_is_deterministic_for_a_day(project: Path) -> None:
    sheet = sheets(project, "es", ["ui"])[0]
    day = date(2026, 3, 12)
    assert render(sheet, project, "letter", day) == render(sheet, project, "letter", day)


def test_review_refusals(project: Path) -> None:
    result = run("translate", "review", "es", "no-such-handout", "--project", project)
    assert result.exit_code == 2 and "no handout no-such-handout; available: " in result.stderr  # usage (pass 19)
    result = run("translate", "review", "en", "--project", project)
    assert result.exit_code == 1 and "'en' is the source language" in result.stderr
    # Nothing is written unless every PDF can be: a file where the folder should be stops it cleanly.
    (project / "output").mkdir()
    (project / "output/review").write_text("in the way", encoding="utf-8")
    before = snapshot(project / "output")
    result = run("translate", "review", "es", "--project", project)
    assert result.exit_code == 1 and "Traceback" not in result.output and "nothing was" in result.stderr
    assert snapshot(project / "output") == before
