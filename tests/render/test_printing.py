"""Printing: text colours that survive greyscale printers, print-safe margins for every mark on every page of
every edition, and the paper size from the clinic settings with --paper overriding it."""

from __future__ import annotations

import html as html_text
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from generator.render.styles import BACKGROUND_COLORS, MIN_MARGIN_MM, TEXT_COLORS
from tests.conftest import REPO, run
from tests.helpers import PAIRS, own_style, page_size, replace_line, snapshot

STYLE = REPO / "templates" / "style.yaml"
MM = 72 / 25.4


# An independent WCAG 2 implementation (the loader has its own), checked against published values below.
def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _grey(hex_colour: str) -> str:
    """What a greyscale printer driver makes of a colour (luma of the encoded RGB values, Rec. 601)."""
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    level = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{level:02x}{level:02x}{level:02x}"


def test_contrast_formula_matches_published_values() -> None:
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert _contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # and the lightest passing one
    assert _grey("#ff0000") == "#4c4c4c"


def test_every_text_colour_keeps_4_5_to_1_in_colour_and_in_greyscale() -> None:
    colours = yaml.safe_load(STYLE.read_text(encoding="utf-8"))["colors"]
    # Every colour of style.yaml is either text, a background text sits on, or a line that carries no text:
    # a new colour must be classified here (and so checked) before it can be used.
    lines = {"rule", "callout_border", "table_grid"}
    assert set(colours) == set(TEXT_COLORS) | set(BACKGROUND_COLORS) | lines
    results = {}
    for fg in TEXT_COLORS:
        for bg_name in ("paper", *BACKGROUND_COLORS):
            bg = "#ffffff" if bg_name == "paper" else colours[bg_name]
            results[(fg, bg_name)] = min(_contrast(colours[fg], bg), _contrast(_grey(colours[fg]), _grey(bg)))
    low = {pair: round(ratio, 2) for pair, ratio in results.items() if ratio < 4.5}
    assert not low, low


def test_a_pale_text_colour_is_refused(project: Path) -> None:
    assert run("build", "--project", project, "--lang", "en", "microdosing").exit_code == 0
    before = snapshot(project / "output")
    own_style(project, 'muted: "#444444"', 'muted: "#999999"')
    for command in (["check"], ["build"]):
        result = run(*command, "--project", project)
        assert result.exit_code == 1
        assert "colors.muted on paper has a contrast of 2.85:1" in result.stderr
        assert "make the text darker or the background lighter to reach 4.5:1" in result.stderr
    assert snapshot(project / "output") == before


def test_a_colour_that_fails_only_in_greyscale_is_refused(project: Path) -> None:
    """Dark text on a bright green callout: 9:1 on screen, but the green prints as a mid grey."""
    assert _contrast("#1a1a1a", "#00d800") > 8.5 and _contrast(_grey("#1a1a1a"), _grey("#00d800")) < 4.5
    own_style(project, 'callout_background: "#fdf1e6"', 'callout_background: "#00d800"')
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "colors.text on callout_background has a contrast of 4.35:1 (in colour or in greyscale print)" \
        in result.stderr


@pytest.fixture(scope="session")
def every_edition(editions: Path, built: Path) -> list[Path]:
    """A PDF of each handout and language in the standard and large-print editions, and the bilingual ones."""
    pdfs = [built / "output" / lang / f"{handout}.pdf" for handout, lang in PAIRS]
    pdfs += [editions / "output" / lang / f"{handout}.large.pdf" for handout, lang in PAIRS]
    pdfs += sorted((editions / "output").glob("*/*.*-*.pdf"))
    return pdfs


def word_boxes(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word poppler's `pdftotext -bbox` finds: (text, left, top, right, bottom) in points from
    the page's top left corner (poppler reads the file on its own, in C: fast enough for every edition)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return [[(html_text.unescape(w[4]), *map(float, w[:4])) for w in WORD.findall(page)]
            for page in html.split("<page ")[1:]]


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def test_every_mark_is_inside_the_print_safe_margins(every_edition: list[Path]) -> None:
    """No word of the body or the footer stamp comes within 12.7 mm of the paper's edge."""
    assert len(every_edition) > 60
    outside = {}
    for pdf in every_edition:
        width, height = page_size(pdf)
        limit = MIN_MARGIN_MM * MM - 0.01
        pages = word_boxes(pdf)
        assert len(pages) == len(PdfReader(pdf).pages) and all(pages), pdf
        for number, words in enumerate(pages, start=1):
            for text, left, top, right, bottom in words:
                gap = min(left, top, width - right, height - bottom)
                if gap < limit:
                    outside[f"{pdf.parent.name}/{pdf.name} p{number}"] = (text, round(gap / MM, 1))
    assert not outside, outside


def test_paper_comes_from_the_settings_and_the_option_overrides_it(project: Path) -> None:
    replace_line(project, "handouts.yaml", "paper:", "paper: a4")
    for args, expected in (([], (595, 842)), (["--paper", "letter"], (612, 792))):
        out = project / ("out-" + (args[-1] if args else "settings"))
        result = run("build", "--project", project, "--lang", "en", "microdosing", "--format", "pdf",
                     "--large-print", "--out", out, *args)
        assert result.exit_code == 0, result.output
        for page in PdfReader(out / "en" / "microdosing.large.pdf").pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == expected
