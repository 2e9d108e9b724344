"""Golden extracted text per handout and language, compared as content (normalised), not as bytes.

After an intended content or layout change, regenerate with `pytest tests/render/test_golden.py --update-golden`
and review the diff of tests/render/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PAIRS, arabic_text, body_text, normalise

GOLDEN = Path(__file__).parent / "golden"


def extracted(pdf: Path, lang: str) -> str:
    raw = arabic_text(pdf) if lang == "ar" else body_text(pdf)
    return "\n".join(line for line in (normalise(line, lang) for line in raw.splitlines()) if line) + "\n"


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_extracted_text_matches_golden(built: Path, handout: str, lang: str, request: pytest.FixtureRequest) -> None:
    text = extracted(built / "output" / lang / f"{handout}.pdf", lang)
    golden = GOLDEN / lang / f"{handout}.txt"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden text; run pytest {__file__} --update-golden"
    expected = golden.read_text(encoding="utf-8")
    assert normalise(text, lang) == normalise(expected, lang)
