"""Helpers for reading PDFs back: extracted text normalised per script, and expected unit texts."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from pypdf import PdfReader

from generator.content.model import Project
from generator.content.project import load_or_raise
from generator.render.localize import resolve, values
from tests.pdflayout import layouts


def normalise(text: str, lang: str) -> str:
    """NFKC and whitespace folding; Chinese drops all whitespace (line breaks split sentences)."""
    text = unicodedata.normalize("NFKC", text)
    if lang.startswith("zh"):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


FOOTER_TOP = 72.0  # points from the page bottom: the footer (three 8 pt lines) is drawn below the body frame (75 pt)


_LTR_RUN = re.compile(r"[+]?[A-Za-z0-9][A-Za-z0-9 .+/:-]*[A-Za-z0-9]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]+")
_OTHER_TOKEN = re.compile(r"[A-Za-z0-9]+")
_HARAKAT = re.compile(r"[\u064B-\u065F\u0670]")


def arabic_words_present(unit: str, pdf: str) -> bool:
    """Every Arabic word of the unit is in the PDF text (used for table cells, whose wrapped lines share
    baselines with the cells beside them, so no extraction gives a cell's words contiguously)."""
    have = set(_ARABIC_WORD.findall(_HARAKAT.sub("", pdf)))
    return all(w in have for w in _ARABIC_WORD.findall(_HARAKAT.sub("", unit)))


def arabic_found(unit: str, pdf: str) -> bool:
    """Whether an Arabic unit is in the PDF text: its Arabic words in order, and every Latin or digit token.

    Re-ordering extracted visual lines is exact for Arabic words but not for left-to-right runs with
    brackets (a clinic name, a phone number), so those are checked as tokens; vowel marks are compared
    without their order against ligatures, which text extraction does not keep.
    """
    def words(text: str) -> str:
        return " " + " ".join(_ARABIC_WORD.findall(_HARAKAT.sub("", text))) + " "

    others = set(_OTHER_TOKEN.findall(pdf))
    arabic = words(unit)
    return (not arabic.strip() or arabic in words(pdf)) and all(t in others for t in _OTHER_TOKEN.findall(unit))


def rotated(cm: list[float]) -> bool:
    """Text drawn under a rotation: the diagonal DRAFT watermark, not reading text."""
    return abs(cm[1]) > 0.01


def page_texts(pdf: Path) -> list[str]:
    """Each page's whole text (body and footer), as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def body_text(pdf: Path, footer_top: float = FOOTER_TOP) -> str:
    """The text of the body frames only, pages joined, so a paragraph split by a page break reads whole.
    (`footer_top`: where the footer ends; larger in large print, see footer_rules.)"""
    parts: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if rotated(cm):  # the watermark (redrawn inside a box, too): only the line break pypdf gave it
            parts.append("\n" * ("\n" in text))
        elif cm[5] + tm[5] > footer_top:
            parts.append(text)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=keep)
        parts.append("\n")
    return "".join(parts)


def pdf_text(pdf: Path, lang: str, footer_top: float = FOOTER_TOP) -> str:
    """The PDF's body text in reading order, normalised for comparison."""
    if lang == "ar":
        return normalise(arabic_text(pdf, footer_top), lang)
    return normalise(body_text(pdf, footer_top), lang)


BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pdftotext(pdf: Path, crop_bottom: float = 0.0) -> list[str]:
    """Per page, poppler's `pdftotext` output (reading order, its own bidi handling), without the invisible
    direction marks it adds around runs; `crop_bottom`: points at the page bottom left out (the footer)."""
    import subprocess

    width, height = (float(v) for v in PdfReader(pdf).pages[0].mediabox.upper_right)
    crop = ["-x", "0", "-y", "0", "-W", str(int(width)), "-H", str(int(height - crop_bottom))] if crop_bottom else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(pdf), "-"], capture_output=True, check=True)
    return [page.translate(BIDI_MARKS) for page in out.stdout.decode("utf-8").split("\f")[:-1]]


def arabic_pages(pdf: Path, body_only: bool = False, footer_top: float = FOOTER_TOP) -> list[str]:
    """Per page, the lines in logical order, top to bottom, read from the drawn glyphs.

    Each glyph's text comes from the font's ToUnicode map (a shaped Arabic form gives its letters); the
    characters of one baseline, in drawing (visual) order, are put in logical order by the bidi algorithm.
    (pypdf keeps a lam-alef ligature's two letters in visual order when it reverses a right-to-left run, and
    `pdftotext` orders the runs of a line by the page's main direction, so neither is used here; the
    acceptance test of plain `pdftotext` is in tests/render/test_tagged.py.)
    """
    from bidi.algorithm import get_display

    pages = []
    for page in chars(pdf):
        lines: dict[float, list] = {}
        for char in page:
            baseline = round(char.matrix[5], 1)
            if not body_only or baseline > footer_top:
                lines.setdefault(baseline, []).append(char)
        texts = []
        for baseline in sorted(lines, reverse=True):
            text, right = "", None
            # Left to right as printed; a zero-width vowel mark before the letter that starts where it sits.
            row = sorted(enumerate(lines[baseline]),
                         key=lambda item: (round(item[1].x0, 1), not unicodedata.combining(item[1].get_text()[:1]),
                                           item[0]))
            for _, char in row:
                if right is not None and char.x0 - right > char.size * 0.3:
                    text += " "  # the next cell
                text, right = text + char.get_text(), char.x1
            if _ARABIC_WORD.search(text):
                # A left-to-right run (a phone number, a Latin name) was drawn in its own order: embedded, it
                # keeps that order when the line is put back in logical order.
                text = _LTR_RUN.sub(lambda run: f"\u202a{run.group(0)}\u202c", text)
                text = get_display(text, base_dir="R").replace("\u202a", "").replace("\u202c", "")
            texts.append(text)
        pages.append("\n".join(texts))
    return pages


def arabic_text(pdf: Path, footer_top: float = FOOTER_TOP) -> str:
    """The body text of an Arabic PDF in logical order."""
    return "\n".join(arabic_pages(pdf, body_only=True, footer_top=footer_top))


def load(root: Path) -> Project:
    project, _ = load_or_raise(root)
    return project


def table_units(project: Project, handout_id: str, lang: str) -> set[str]:
    """IDs of the units that are table cells or column headers."""
    handout = project.handout(handout_id, lang)
    return {u.id for s in handout.sections for b in s.blocks if b.kind == "table" for u in b.units()}


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


@cache
def chars(pdf: Path) -> list[list]:
    """Per page, every upright character pdfminer finds (the diagonal watermark left out), as LTChar (cached:
    several tests read the same file; do not change the lists)."""
    from pdfminer.layout import LTChar

    def walk(item: object) -> list:
        if isinstance(item, LTChar):
            return [item]
        return [c for child in item for c in walk(child)] if hasattr(item, "__iter__") else []

    # No layout analysis: characters in drawing order, as the content stream has them.
    return [[c for c in walk(page) if abs(c.matrix[1]) < 0.01] for page in layouts(pdf)]


def page_size(pdf: Path) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return float(box.width), float(box.height)


@cache
def footer_rules(pdf: Path) -> list[float]:
    """Per page, the height of the footer's rule: the lowest horizontal line across (nearly) the text width.
    Everything above it is the body, everything below it the footer stamp."""
    from pdfminer.layout import LTLine

    rules = []
    for page in layouts(pdf):  # lines only: no text layout analysis
        wide = [item.y0 for item in page if isinstance(item, LTLine) and abs(item.y0 - item.y1) < 0.01
                and item.width > page.width * 0.7]
        assert wide, f"{pdf}: no footer rule on a page"
        rules.append(min(wide))
    return rules


def body_chars(pdf: Path) -> list:
    """The upright characters above the footer rule on every page (the body frame's text)."""
    return [c for page, rule in zip(chars(pdf), footer_rules(pdf), strict=True) for c in page if c.y0 > rule]


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> int:
    """Replace text in a project file; returns the 1-based line where the replacement starts."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def replace_line(root: Path, name: str, prefix: str, new: str) -> int:
    """Replace the first line starting with `prefix`; returns its 1-based number."""
    path = root / name
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def own_style(project: Path, old: str, new: str) -> None:
    """Give the project its own templates/style.yaml: the shipped one with `old` (which must be there) made `new`."""
    from tests.conftest import REPO

    style = (REPO / "templates" / "style.yaml").read_text(encoding="utf-8")
    assert old in style, old
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "style.yaml").write_text(style.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (the lock file included: it is never rewritten)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(result_output: str) -> tuple[int, int]:
    match = re.search(r"built (\d+), skipped (\d+), failed 0 in [\d.]+ s", result_output)
    assert match, result_output
    return int(match.group(1)), int(match.group(2))


def shipped_pairs() -> list[tuple[str, str]]:
    from tests.conftest import REPO

    project = load(REPO)
    return [(h, lang) for h in project.handout_ids() for lang in project.settings.languages]


PAIRS = shipped_pairs()  # every (handout, language) of the shipped content
