"""A row of language names, each written in its own script and fonts ("español · العربية · 中文 (简体)")."""

from __future__ import annotations

import copy

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from generator.render import rtl, tagging
from generator.render.fonts import LanguageFonts, drawn_as_shipped, register
from generator.render.numberclip import draw_run
from generator.render.styles import TextStyle

SEPARATOR = " · "


class NameRow(Flowable):
    """Names laid out in lines, in reading order of the handout's direction; a name is never broken."""

    def __init__(self, names: list[tuple[str, LanguageFonts]], style: TextStyle, fonts: LanguageFonts,
                 unit_id: str = "editions.languages", tag: tagging.Node | None = None) -> None:
        super().__init__()
        self.style, self.fonts, self.unit_id, self.tag = style, fonts, unit_id, tag
        # What a screen reader or a search reads: the names as written, in reading order.
        self.written = [name for name, _ in names]
        self.spoken = SEPARATOR.join(self.written)
        self.keep_whole = True
        self.names = [(rtl.visual(rtl.reshape(name)) if lang_fonts.rtl else name, self._face(lang_fonts), lang_fonts)
                      for name, lang_fonts in names]
        self._lines: list[list[int]] = []

    @staticmethod
    def _face(fonts: LanguageFonts) -> str:
        face = fonts.face()
        assert face is not None
        return register(face)

    def _separator_width(self) -> float:
        return stringWidth(SEPARATOR, self._face(self.fonts), self.style.size)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        gap = self._separator_width()
        lines: list[list[int]] = [[]]
        used = 0.0
        for index, (text, face, _) in enumerate(self.names):
            width = stringWidth(text, face, self.style.size)
            if lines[-1] and used + gap + width > availWidth:
                lines.append([])
                used = 0.0
            used += (gap if lines[-1] else 0.0) + width
            lines[-1].append(index)
        self._lines = [line for line in lines if line]
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return self.style.space_after

    def min_head(self, width: float, page_height: float) -> float:
        height = self.wrap(width, page_height)[1]
        return height if height <= page_height else self.style.leading

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        """Whole on the next page when the row fits a page; else split between its lines (twenty-eighth pass: at a
        72 pt body, within style.yaml's bounds, the names were a block taller than a page, and every build failed
        "cannot lay out … report this", blaming the content)."""
        self.wrap(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        page_height = frame._aH if frame is not None else float("inf")
        fit = int((availHeight + 1e-6) // self.style.leading)
        if self.height <= page_height + 1e-6 or fit < 1 or fit >= len(self._lines):
            return []
        cut = self._lines[fit][0]
        return [self._part(0, cut), self._part(cut, len(self.names))]

    def _part(self, start: int, end: int) -> NameRow:
        """The names from `start` to `end` as a row of their own (each starts a line as it did in the whole)."""
        part = copy.copy(self)
        part.__dict__.pop("_postponed", None)  # ReportLab's mark of a flowable already moved to a new page
        part.names = self.names[start:end]
        part.written = self.written[start:end]
        part.spoken = SEPARATOR.join(part.written)
        part._lines = []
        return part

    def draw(self) -> None:
        canv = self.canv
        size, leading = self.style.size, self.style.leading
        canv.setFillColor(HexColor(self.style.color))
        gap = self._separator_width()
        with tagging.marked(canv, self.tag, self.spoken):
            self._draw_lines(canv, size, leading, gap)

    def _draw_lines(self, canv: object, size: float, leading: float, gap: float) -> None:
        for number, line in enumerate(self._lines):
            baseline = self.height - number * leading - leading * 0.78
            pieces: list[tuple[str, str]] = []
            for index in line:
                if pieces:
                    pieces.append((SEPARATOR, self._face(self.fonts)))
                text, face, _ = self.names[index]
                pieces.append((text, face))
            if self.fonts.rtl:  # the first name on the right
                pieces.reverse()
            total = sum(stringWidth(text, face, size) for text, face in pieces)
            x = self.width - total if self.fonts.rtl else 0.0
            box = (-0.1 * size, 0.0, self.width + 0.1 * size, self.height)
            for text, face in pieces:
                if drawn_as_shipped(face):
                    canv.setFont(face, size)
                    canv.drawString(x, baseline, text)
                else:  # a project's face: its numbers the shipped glyphs, its letters off them (fourteenth pass)
                    draw_run(canv, text, x, baseline, face, size, False, box=box)
                x += stringWidth(text, face, size) if text != SEPARATOR else gap


def not_another(lang: str, own: str) -> str:
    """Why a template may not list `lang` among a handout's other editions: the handout's own language (refused as
    one "this project does not build": thirty-third pass), or one the project does not build."""
    if lang == own:  # under "This handout is also available in:", a patient looks for another edition of it
        return (f"the template lists language '{lang}', the handout's own, among its other editions (\"also available "
                "in\"), as if there were another edition in it; list only the codes of doc.other_languages, which "
                "never hold the handout's own")
    return f"the template names language '{lang}', which this project does not build"
