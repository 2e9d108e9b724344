"""Read a handout PDF back as printed pages with pdfminer, independently of the generator: body lines (size,
weight, text), footer lines, the help box's background and the tables' grid, per page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.pdflayout import layouts

CALLOUT_BACKGROUND = (0xFD / 255, 0xF1 / 255, 0xE6 / 255)  # style.yaml colors.callout_background
TABLE_GRID = (0x8A / 255, 0x9B / 255, 0xB0 / 255)  # style.yaml colors.table_grid (and the footer rule)
SENTENCE_END = ".!?。！？؟…"
_HARAKAT = re.compile(r"[\u064B-\u065F\u0670]")
CLOSERS = "\"'”’»)]）」』】》"


@dataclass
class Line:
    """Characters sharing a baseline, left to right as drawn."""

    y: float
    chars: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.get_text() for c in sorted(self.chars, key=lambda c: c.x0))

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def bold(self) -> bool:
        return all("bold" in c.fontname.lower() for c in self.chars if c.get_text().strip())


@dataclass
class Page:
    body: list[Line]  # top to bottom, above the footer rule
    footer: list[Line]  # below the footer rule
    callout: list[tuple[float, float]]  # the help box's background: (bottom, top) of each on this page
    tables: list[tuple[float, float]]  # (bottom, top) of each table's vertical grid lines
    height: float


def _same(color: object, rgb: tuple[float, float, float]) -> bool:
    if not isinstance(color, tuple | list) or len(color) != 3:
        return False
    return all(abs(a - b) < 0.01 for a, b in zip(color, rgb, strict=True))


@cache
def pages(pdf: Path) -> list[Page]:
    """The printed pages of a PDF (cached: several tests read the same file)."""
    from pdfminer.layout import LTChar, LTCurve, LTLine, LTRect

    out = []
    for layout in layouts(pdf):
        chars, boxes, rules, grid = [], [], [], []
        stack = list(layout)
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                if abs(item.matrix[1]) < 0.01 and item.get_text().strip():  # not the diagonal watermark
                    chars.append(item)
            elif isinstance(item, LTRect) and item.fill and _same(item.non_stroking_color, CALLOUT_BACKGROUND):
                boxes.append((item.y0, item.y1))
            elif isinstance(item, LTLine | LTCurve) and not isinstance(item, LTRect):
                if abs(item.y0 - item.y1) < 0.01 and item.width > layout.width * 0.6:
                    rules.append(item.y0)
                elif abs(item.x0 - item.x1) < 0.01 and _same(item.stroking_color, TABLE_GRID):
                    grid.append((item.y0, item.y1))
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        rule = min(rules) if rules else 0.0
        lines: list[Line] = []
        for char in sorted(chars, key=lambda c: -c.y0):
            if lines and abs(lines[-1].y - char.y0) < 1.0:
                lines[-1].chars.append(char)
            else:
                lines.append(Line(char.y0, [char]))
        tables = _spans(grid)
        out.append(Page([ln for ln in lines if ln.y > rule], [ln for ln in lines if ln.y <= rule], boxes, tables,
                        layout.height))
    return out


def _spans(segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merge vertical grid segments that touch into the vertical extent of each table."""
    merged: list[list[float]] = []
    for low, high in sorted((min(a, b), max(a, b)) for a, b in segments):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def squeeze(text: str, lang: str = "") -> str:
    """Text compared without spaces, in NFKC (Arabic presentation forms folded), logical order for Arabic."""
    if lang == "ar":
        from bidi.algorithm import get_display

        text = get_display(text, base_dir="R")
    text = _HARAKAT.sub("", unicodedata.normalize("NFKC", text))  # Arabic vowel marks: order varies in extraction
    return "".join(text.split())


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END
