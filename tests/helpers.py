"""Helpers for reading PDFs back: extracted text normalised per script, and expected unit texts."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from generator.localize import resolve, values
from generator.model import Project
from generator.project import load_or_raise


def normalise(text: str, lang: str) -> str:
    """NFKC and whitespace folding; Chinese drops all whitespace (line breaks split sentences)."""
    text = unicodedata.normalize("NFKC", text)
    if lang.startswith("zh"):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


FOOTER_TOP = 60.0  # points from the page bottom: the footer is drawn below the body frame (22 mm margin)


def page_texts(pdf: Path) -> list[str]:
    """Each page's whole text (body and footer), as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def body_text(pdf: Path) -> str:
    """The text of the body frames only, pages joined, so a paragraph split by a page break reads whole."""
    parts: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if cm[5] + tm[5] > FOOTER_TOP:
            parts.append(text)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=keep)
        parts.append("\n")
    return "".join(parts)


def pdf_text(pdf: Path, lang: str) -> str:
    """The PDF's body text in reading order, normalised for comparison."""
    if lang == "ar":
        return normalise(arabic_text(pdf), lang)
    return normalise(body_text(pdf), lang)


def arabic_text(pdf: Path) -> str:
    """pdfminer gives visual order per line; reorder each line back to logical order (body only)."""
    from bidi.algorithm import get_display
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    lines = []
    for page in extract_pages(str(pdf)):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine) and line.y0 > FOOTER_TOP - 10:
                    lines.append(get_display(line.get_text().strip(), base_dir="R"))
    return "\n".join(lines)


def load(root: Path) -> Project:
    project, _ = load_or_raise(root)
    return project


def expected_units(project: Project, handout_id: str, lang: str) -> dict[str, str]:
    """Unit ID → the text that must appear in the PDF (placeholders filled, markup removed).

    Every unit of the handout counts, except legal-status text written for other jurisdictions.
    """
    table = values(project)
    handout = project.handout(handout_id, lang)
    units = [handout.title, handout.summary]
    for section in handout.sections:
        for block in section.blocks_for(project.settings.jurisdiction) or ():
            units.extend(block.units())
    return {u.id: normalise(resolve(u, table).plain, lang) for u in units}
