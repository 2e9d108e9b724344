"""The pieces a text flow is made of: runs of one style (Piece) grouped into words, measured in real faces."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.content.memo import Memo
from generator.render.drawntext import DIGIT_SPACE, NO_BREAK
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


# Inside a number between two digits: "1,000", "2.5", Arabic "١٫٥", "1'000", full-width "１．５", and the spaces
# that group digits, which drawntext never breaks a line at; a fraction, a time or a range ("1/2", "10:30", "2–3",
# "２～３"): a footer title cut to "take 1…" where it says "take 1/2 tablet" (twenty-sixth pass).
_MARKS = ":/\\-\u2013~\uff1a\uff0f\uff0d\uff5e\u301c"  # : / - – ~ and the full-width ： ／ － ～ 〜
_NUMBER_JOINER = re.compile(rf"[.,'\u066b\u066c\uff0e\uff0c{_MARKS}{NO_BREAK}{DIGIT_SPACE}]")


def splits_number(text: str, at: int) -> bool:
    """Whether a cut before text[at] falls inside a number (between two digits, or beside a mark between two)."""
    before, after = text[at - 1], text[at]
    if before.isdigit() and after.isdigit():
        return True
    if before.isdigit() and _NUMBER_JOINER.fullmatch(after):
        return at + 1 < len(text) and text[at + 1].isdigit()
    return bool(_NUMBER_JOINER.fullmatch(before)) and after.isdigit() and at >= 2 and text[at - 2].isdigit()


def cut(word: Word, width: float, measure: Callable[[str, Piece], float]) -> list[Word]:
    """A word longer than the line cut into pieces that each fit, between two characters but never inside a
    number ("1000" cut as "10" / "00" reads as a dose of 10) unless the number alone is longer than the line."""
    chars = [(ch, piece, measure(ch, piece)) for piece in word.pieces for ch in piece.text]
    text = "".join(ch for ch, _, _ in chars)
    starts, used = [0], 0.0
    for at, (_, _, w) in enumerate(chars):
        while at > starts[-1] and used + w > width:  # each pass moves the cut right: it ends
            starts.append(next((i for i in range(at, starts[-1], -1) if not splits_number(text, i)), at))
            used = sum(c[2] for c in chars[starts[-1]:at])
        used += w
    return [Word([Piece(ch, piece.bold, piece.italic, piece.href, w) for ch, piece, w in chars[a:b]],
                 word.space_before and not n) for n, (a, b) in enumerate(pairwise([*starts, len(chars)]))]
