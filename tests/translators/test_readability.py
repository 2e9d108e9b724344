"""Every English section reads at Flesch–Kincaid grade 8 or below (the content brief's target)."""

from __future__ import annotations

import re

import pytest
import textstat

from generator.render.localize import resolve, values
from tests.conftest import REPO
from tests.helpers import load

MAX_GRADE = 8.0
PROJECT = load(REPO)
SOURCE = PROJECT.settings.source_language


def section_text(handout_id: str, section_id: str) -> str:
    handout = PROJECT.handout(handout_id, SOURCE)
    section = next(s for s in handout.sections if s.id == section_id)
    table = values(PROJECT)
    sentences = []
    for unit in section.units():
        text = resolve(unit, table).plain.strip()
        # A list item or table cell without final punctuation is still its own sentence.
        sentences.append(text if re.search(r"[.!?:]$", text) else text + ".")
    return " ".join(sentences)


CASES = [(h, s.id) for h in PROJECT.handout_ids() for s in PROJECT.handout(h, SOURCE).sections]


@pytest.mark.parametrize(("handout", "section"), CASES)
def test_english_section_reading_grade(handout: str, section: str) -> None:
    grade = textstat.flesch_kincaid_grade(section_text(handout, section))
    assert grade <= MAX_GRADE, f"{handout} / {section}: grade {grade}"
