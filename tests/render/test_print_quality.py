"""Patient-grade print, measured in the PDFs with pdfminer for every handout, language and edition: type sizes,
the help box on one page, no heading at a page's bottom, no sentence carried over a page break when its
paragraph could have moved, footer lines that never wrap, and golden page counts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.render.localize import language_name
from generator.render.styles import FOOTER_SIZE_MIN, SECOND_SIZE_MIN, TYPE_SIZE_MIN, load
from tests.conftest import REPO, run, shared_build
from tests.helpers import PAIRS, expected_units
from tests.helpers import load as load_project
from tests.render.pages import Page, ends_sentence, pages, squeeze

GOLDEN_PAGES = Path(__file__).parent / "golden" / "pages.json"
OTHERS = ["es", "ar", "zh-Hans", "vi", "ru"]
STANDARD = load(REPO / "templates" / "style.yaml")
LARGE = load(REPO / "templates" / "style.yaml", large_print=True)


EXTRA_EDITIONS = {"a4": ["--paper", "a4"], "bilingual": ["--bilingual", "en"],
                  "bilingual-large": ["--bilingual", "en", "--large-print", "--lang", "ru"]}


@pytest.fixture(scope="session")
def prints(tmp_path_factory: pytest.TempPathFactory, built: Path, editions: Path) -> dict[str, Path]:
    """Output folders by edition: standard (letter, A4), large print (letter), bilingual with English (every
    language) and bilingual large print (Russian, whose help box is taller than a page)."""
    def make(root: Path) -> None:
        for name, args in EXTRA_EDITIONS.items():
            result = run("build", "--project", root, "-j", "1", "--out", root / name, *args)
            assert result.exit_code == 0, result.output
            assert "warning" not in result.output + result.stderr, result.output + result.stderr

    root = shared_build(tmp_path_factory, "prints", make)
    folders = {"standard": built / "output", "large": editions / "output"}
    folders.update({name: root / name for name in EXTRA_EDITIONS})
    return folders


def files(prints: dict[str, Path], edition: str) -> list[tuple[str, Path]]:
    """(language, PDF) of one edition."""
    pattern = {"large": "*.large.pdf", "bilingual-large": "*-en.large.pdf", "bilingual": "*-en.pdf"}.get(
        edition, "*.pdf")
    found = sorted(prints[edition].glob(f"*/{pattern}"))
    if edition in ("standard", "a4"):
        found = [f for f in found if f.name.count(".") == 1]
    return [(f.parent.name, f) for f in found]


EDITIONS = ["standard", "a4", "large", "bilingual", "bilingual-large"]


# -- type sizes ---------------------------------------------------------------------------------------------
def in_table(page: Page, char: object) -> bool:
    return any(low - 1 <= char.y0 <= high + 1 for low, high in page.tables)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_standard_edition_sizes_for_patients(prints: dict[str, Path], handout: str, lang: str) -> None:
    pdf = prints["standard"] / lang / f"{handout}.pdf"
    doc = pages(pdf)
    sizes = Counter(round(c.size, 2) for page in doc for line in page.body for c in line.chars)
    assert sizes.most_common(1)[0][0] >= TYPE_SIZE_MIN["body"]  # the text patients read most
    assert min(sizes) >= TYPE_SIZE_MIN["disclaimer"] - 0.01
    # Under 12 pt only table cells (at least 11) and, from the disclaimer on, the 10 pt small print.
    small_print_from = next(i for i, page in enumerate(doc) if any(
        line.size < TYPE_SIZE_MIN["cell"] - 0.01 for line in page.body))
    for number, page in enumerate(doc):
        for line in page.body:
            for char in line.chars:
                if char.size >= TYPE_SIZE_MIN["body"] - 0.01:
                    continue
                if char.size >= TYPE_SIZE_MIN["cell"] - 0.01:
                    assert in_table(page, char), f"page {number + 1}: {line.text!r} at {char.size:.1f} pt"
                else:
                    assert number >= small_print_from and number >= len(doc) - 2, line.text
    for page in doc:
        assert all(abs(c.size - FOOTER_SIZE_MIN) < 0.01 for line in page.footer for c in line.chars)


def test_bilingual_second_language_is_at_least_10_5_pt(prints: dict[str, Path]) -> None:
    for lang, pdf in files(prints, "bilingual"):
        sizes = {round(c.size, 2) for page in pages(pdf) for line in page.body for c in line.chars}
        allowed_small = {TYPE_SIZE_MIN["disclaimer"]}  # the disclaimer in both languages, and the Sources
        assert {s for s in sizes if s < SECOND_SIZE_MIN - 0.01} <= allowed_small, (lang, sorted(sizes))


# -- the help box, headings, sentences, footer ----------------------------------------------------------------
def frame_height(page: Page, styles: object, lines: int) -> float:
    return page.height - styles.margins["top"] - 36 - lines * 1.3 * styles.footer_size  # type: ignore[attr-defined]


@pytest.mark.parametrize("edition", EDITIONS)
def test_help_box_is_whole_or_split_between_items_with_a_continued_heading(prints: dict[str, Path],
                                                                           edition: str) -> None:
    project = load_project(REPO)
    for lang, pdf in files(prints, edition):
        doc = pages(pdf)
        with_box = [i for i, page in enumerate(doc) if page.callout]
        assert with_box, pdf
        if len(with_box) == 1:
            continue
        # Split only when taller than a page: every part but the last fills its page to the bottom margin,
        # and each continuation starts with the heading marked as continued, in each language printed.
        assert with_box == list(range(with_box[0], with_box[-1] + 1)), pdf
        words = {squeeze(project.strings_for(code).get("heading.continued").text) for code in {lang, "en"}}
        for index in with_box[1:]:
            top = max(high for _, high in doc[index].callout)
            first = squeeze("".join(line.text for line in doc[index].body if line.y < top)[:200])
            assert all(word in first for word in words), (pdf, index + 1, first[:80])


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_heading_is_the_last_line_of_a_page(prints: dict[str, Path], edition: str) -> None:
    styles = LARGE if "large" in edition else STANDARD
    heading = min(min(styles.text[n].size, styles.second(styles.text[n]).size) for n in ("heading", "subheading"))
    other = max(styles.text[n].size for n in ("body", "item", "cell", "clinic", "disclaimer"))
    assert other < heading - 0.05  # so a bold line this large is a heading (the summary is not bold)
    for _, pdf in files(prints, edition):
        for number, page in enumerate(pages(pdf)[:-1], start=1):
            last = page.body[-1]
            assert not (last.bold and last.size >= heading - 0.05), f"{pdf} page {number}: {last.text!r}"


def _unit_starts(project: object, handout: str, langs: list[str]) -> list[str]:
    starts = []
    for lang in langs:
        starts += [squeeze(t) for t in expected_units(project, handout, lang).values()]  # type: ignore[arg-type]
        for unit in project.strings_for(lang).units:  # type: ignore[attr-defined]
            starts.append(squeeze(unit.text.split("{")[0]))
        starts.append(squeeze(language_name(lang)))
    return [s for s in starts if len(s) >= 2]


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_sentence_is_carried_over_a_page_break(prints: dict[str, Path], edition: str) -> None:
    """A page that starts inside a paragraph is allowed only after a sentence's end (the paragraphs here all
    fit on a page, so each could have moved whole)."""
    project = load_project(REPO)
    for lang, pdf in files(prints, edition):
        handout = pdf.name.split(".")[0]
        langs = [lang, "en"] if "bilingual" in edition else [lang]
        starts = _unit_starts(project, handout, langs)
        doc = pages(pdf)
        for number in range(1, len(doc)):
            first = doc[number].body[0]
            text = squeeze(first.text, lang)
            if any(low - 1 <= first.y <= high + 1 for low, high in doc[number].tables):
                continue  # a table row: its cells start units (rows move whole)
            if any(s.startswith(text[:12]) or text.startswith(s[:12]) for s in starts) or len(text) < 4:
                continue  # the page starts a unit
            last = doc[number - 1].body[-1].text
            if lang == "ar" and not last.isascii():
                from bidi.algorithm import get_display

                last = get_display(last, base_dir="R")
            assert ends_sentence(last), f"{pdf} page {number}: ends {last[-40:]!r}, next starts {text[:40]!r}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_footer_lines_never_wrap(prints: dict[str, Path], edition: str) -> None:
    designed = 6 if "bilingual" in edition else 3
    for _, pdf in files(prints, edition):
        counts = [len(page.footer) for page in pages(pdf)]
        assert counts == [designed] * len(counts), (pdf, counts)


# -- golden page counts ---------------------------------------------------------------------------------------
def test_page_counts_match_the_reviewed_golden_counts(prints: dict[str, Path], request: pytest.FixtureRequest
                                                      ) -> None:
    counts = {edition: {f"{lang}/{pdf.name}": len(PdfReader(pdf).pages) for lang, pdf in files(prints, edition)}
              for edition in EDITIONS}
    assert all(n <= 4 for n in counts["standard"].values()), counts["standard"]
    assert all(n <= 4 for n in counts["a4"].values()), counts["a4"]
    if request.config.getoption("--update-golden"):
        GOLDEN_PAGES.write_text(json.dumps(counts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(GOLDEN_PAGES.read_text(encoding="utf-8")) == counts


def test_other_editions_line_names_each_language_in_its_own_script(prints: dict[str, Path]) -> None:
    from tests.helpers import chars

    pdf = prints["standard"] / "en" / "microdosing.pdf"
    text = squeeze("".join(c.get_text() for page in chars(pdf) for c in page))
    for lang in OTHERS:  # Arabic is drawn in visual order: its letters reversed
        name = squeeze(language_name(lang))
        assert (name[::-1] if lang == "ar" else name) in text, lang
