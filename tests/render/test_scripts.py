"""World scripts: glyph coverage, Chinese line breaking, right-to-left layout, no silent fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render.textflow import NO_LINE_END, NO_LINE_START
from tests.conftest import run
from tests.content.test_errors import fails_cleanly
from tests.helpers import replace_line, snapshot

ZH = "content/zh-Hans/microdosing.yaml"
AR = "content/ar/ketamine-assisted-therapy.yaml"


def runs_by_page(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, every drawn run of text with its position (x, y), from pypdf's visitor."""
    pages = []
    for page in PdfReader(pdf).pages:
        out: list[tuple[float, float, str]] = []

        def keep(text: str, cm: list[float], tm: list[float], *_: object,
                 out: list[tuple[float, float, str]] = out) -> None:
            if text.strip():
                out.append((cm[4] + tm[4], cm[5] + tm[5], text))
        page.extract_text(visitor_text=keep)
        pages.append(out)
    return pages


def lines_of(pdf: Path) -> list[tuple[float, float, str]]:
    return [run for page in runs_by_page(pdf) for run in page]


@pytest.mark.parametrize("handout", ["microdosing", "ketamine-or-psilocybin", "esketamine-nasal-spray"])
def test_chinese_lines_never_start_with_closing_or_end_with_opening_punctuation(built: Path, handout: str) -> None:
    lines: dict[tuple[int, float], list[tuple[float, str]]] = {}
    for number, runs in enumerate(runs_by_page(built / "output" / "zh-Hans" / f"{handout}.pdf")):
        for x, y, text in runs:  # a line is the runs drawn on one baseline (bold and plain runs alternate)
            lines.setdefault((number, round(y, 1)), []).append((x, text))
    assert len(lines) > 40
    for parts in lines.values():
        line = "".join(text for _, text in parts).strip()  # drawing order is reading order
        assert line[0] not in NO_LINE_START, line
        assert line[-1] not in NO_LINE_END or len(line) == 1, line
    starts = ["".join(t for _, t in parts).strip() for parts in lines.values()]
    assert not any("，" == t.strip()[0] or "。" == t.strip()[0] for t in starts)


def test_chinese_has_no_spaces_between_characters(built: Path) -> None:
    text = "".join(t for _, _, t in lines_of(built / "output" / "zh-Hans" / "microdosing.pdf"))
    import re

    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)


def test_arabic_is_right_aligned_and_tagged(built: Path) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    pdf = built / "output" / "ar" / "ketamine-assisted-therapy.pdf"
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "ar"
    page = next(iter(extract_pages(str(pdf))))
    right_edges = [round(box.x1) for box in page if isinstance(box, LTTextContainer) and box.y0 > 70]
    margin_right = 612 - 16 * 72 / 25.4
    # Most text blocks end at the right margin (list items and the callout sit a little inside it).
    at_margin = [x for x in right_edges if abs(x - margin_right) < 3]
    assert len(at_margin) > len(right_edges) / 2, right_edges


def test_arabic_phone_number_keeps_its_order(built: Path) -> None:
    runs = " ".join(t for _, _, t in lines_of(built / "output" / "ar" / "ketamine-assisted-therapy.pdf"))
    assert "1 555 010 0100" in runs
    assert "0100 010 555" not in runs


def test_character_outside_the_fonts_fails_check_and_build(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    line = replace_line(project, "content/en/ui.yaml", "  section.safety:", "  section.safety: Safety ✓")
    fails_cleanly(project, f"content/en/ui.yaml:{line}:26: section.safety: character '✓' (U+2713) is not in font "
                           "noto-sans-regular for en")


def test_chinese_character_outside_the_fonts(project: Path) -> None:
    line = replace_line(project, ZH, "title:", 'title: "𠀀微剂量"')
    err = fails_cleanly(project, f"{ZH}:{line}:9: title: character '𠀀' (U+20000) is not in font wqy-microhei")
    assert "for zh-Hans" in err


def test_bold_inside_arabic_is_refused(project: Path) -> None:
    line = replace_line(project, AR, "title:", 'title: "**العلاج** بمساعدة الكيتامين"')
    fails_cleanly(project, f"{AR}:{line}:", "bold inside right-to-left text (ar) is not supported")


def test_missing_unit_names_handout_language_and_unit(project: Path) -> None:
    path = project / ZH
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("- id:") and "items" in lines[i - 1])
    del lines[index:index + 2]
    path.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(project)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert "of handout 'microdosing' is missing in language 'zh-Hans'" in result.stderr
    assert snapshot(project) == before


def test_missing_language_file_is_an_error_not_english(project: Path) -> None:
    (project / "content" / "vi" / "microdosing.yaml").unlink()
    fails_cleanly(project, "content/vi/microdosing.yaml: handout 'microdosing' is missing in language 'vi'")
