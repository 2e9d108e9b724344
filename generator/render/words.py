"""The pieces a text flow is made of: runs of one style (Piece) grouped into words, measured in real faces."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.content.memo import Memo
from generator.render.fonts import LanguageFonts, register
from generator.render.tounicode import letters


@dataclass
class Piece:
    text: str
    bold: bool
    italic: bool
    href: str
    width: float = 0.0
    source: str | None = None  # right-to-left text before shaping (None: the same as `text`)

    @property
    def logical(self) -> str:
        """The letters as written, in reading order: what a reader of the tags should get."""
        return letters(self.text) if self.source is None else self.source


@dataclass
class Word:
    pieces: list[Piece]
    space_before: bool

    @property
    def width(self) -> float:
        return sum(p.width for p in self.pieces)


@cache
def face_name(fonts: LanguageFonts, bold: bool, italic: bool) -> str:
    """The registered face for a style; italic falls back to upright only where the check allowed it."""
    face = fonts.face(bold, italic) or fonts.face(bold, False)
    assert face is not None  # fonts.yaml guarantees regular and bold
    return register(face)


@cache
def space_width(face: str, size: float) -> float:
    """The width of a space in a face at a size (looked up once: every line asks)."""
    return stringWidth(" ", face, size)


class Layout:
    """One text's words, and its lines at each width it was wrapped to (shared by the flows of that text)."""

    __slots__ = ("words", "lines")

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.lines: dict[float, list[list[Word]]] = {}


# A text's words, and its lines per width, remembered by everything they depend on: the spans (text, style,
# link, value), the size and weight of the style, and the language's fonts (faces, direction, line breaking).
# Words and lines are never changed once made (splitting makes new ones), so flows can share them.
LAYOUTS: Memo[Layout] = Memo(20_000)
WIDTHS: Memo[float] = Memo(200_000)  # string widths by (text, registered face, size)
