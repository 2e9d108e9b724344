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


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def pdf_text(pdf: Path, lang: str) -> str:
    """The PDF's text in reading order, normalised for comparison."""
    if lang == "ar":
        return normalise(arabic_text(pdf), lang)
    return normalise("\n".join(page_texts(pdf)), lang)


def arabic_text(pdf: Path) -> str:
    """pdfminer gives visual order per line; reorder each line back to logical order."""
    from bidi.algorithm import get_display
    from pdfminer.high_level import extract_text

    lines = extract_text(str(pdf)).splitlines()
    return "\n".join(get_display(line, base_dir="R") for line in lines)


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
