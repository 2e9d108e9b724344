"""How small the HTML companion's text is drawn, through the elements and classes around it.

A style sheet under 0.7 em is refused (render/htmlcheck.py), but each <small>, <sub> or <sup>, and each element of
a class the shipped style makes smaller (`second`, `stamp`, `sources`), shrinks its text relative to its parent's:
twelve nested <sub> printed the full disclaimer at a few pixels (fifteenth pass). So the factors of every element
open around a text are multiplied, and a text under 0.7 of the page's size is refused. A `keep` element or a <pre>
(no line breaks, for a phone number) may hold a short value only: a paragraph in one printed as one line, cut at
the paper's edge.

It also tells which language the elements around a text say it is in, whether it is in a box (the `callout`
class), in an italic block (<address>), and whether it is
drawn in bold type without a <strong> or <b>: a table's heading cell (<th> in <thead> or <tfoot>) or caption, or an
element of a class the style sheet makes bold (the shipped `clinic`), unless an element inside it sets the weight
back (`second`, `tbody th`): render/faithstyle.py (seventeenth pass).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.content.markup import KEEP_VALUE_WHOLE

SMALLEST = 0.7  # of the page's text size, as for a style sheet's font-size
# Elements a browser indents on both sides, or on its start side: nine nested <blockquote>s set the disclaimer one word
# a line (fifteenth pass). A text may be inside two (a list in a quotation), no more.
_INDENTING = frozenset({"blockquote", "ul", "dl", "dd", "figure", "menu"})
MAX_INDENTS = 2
# The browsers' own sizes (the HTML standard's rendering section): smaller, and h5, h6.
_ELEMENTS = {"small": 5 / 6, "sub": 5 / 6, "sup": 5 / 6, "h5": 0.83, "h6": 0.67}
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(em|%)", re.IGNORECASE)
_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
_WEIGHT = re.compile(r"font-weight\s*:\s*([\w-]+)", re.IGNORECASE)
_HEAVY = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_ITALIC_BLOCKS = frozenset({"address"})  # a block a browser sets in italics (the inline ones: render/htmlcheck.py)
_TABLE_HEADS = frozenset({"thead", "tfoot"})  # a <th> in them is bold (the browser's own style); in <tbody>, normal


class _Open(NamedTuple):
    """An element open around the text that changes how it is drawn."""

    tag: str
    factor: float  # its size, relative to its parent's
    keep: bool  # whether it keeps its text on one line
    weight: bool | None  # True bold, False normal, None as around it
    box: bool  # whether it is a box (the `callout` class: the help section's shaded box)
    lang: str | None  # the language it says its text is in (lang=), if it says one


SECOND = "\1"  # the language an element of the `second` class says, when it says none of its own
FlowType = tuple[bool, bool, int, str]  # a flow's: bold type? in a box? its heading's level (<h2>: 2)? its language
UNTYPED: FlowType = (False, False, 0, "\0")  # before its first text ("\0": its language not yet known)


class TextSizes:
    """The size-changing elements open in a page, fed its start and end tags and text."""

    def __init__(self, sheets: list[str]) -> None:
        self.sheets = sheets  # the page's style sheets, read when the body starts
        self.classes: dict[str, float] | None = None
        self.weights: dict[str, bool] = {}  # each class the style sheets give a weight: whether it is bold
        self.open: list[_Open] = []
        self.kept = 0  # characters in the innermost open `keep` element

    def _class_factors(self) -> dict[str, float]:
        if self.classes is None:
            self.classes = {}
            for selector, body in _RULE.findall(" ".join(self.sheets)):
                size = _SIZE.search(body)
                if size:
                    factor = float(size.group(1)) / (100 if size.group(2) == "%" else 1)
                    for name in _CLASS.findall(selector):
                        self.classes[name] = min(factor, self.classes.get(name, factor))
                if weight := _WEIGHT.search(body):
                    for name in _CLASS.findall(selector):
                        self.weights[name] = self.weights.get(name, True) and weight.group(1).lower() in _HEAVY
        return self.classes

    def _weight(self, tag: str, names: list[str]) -> bool | None:
        """Whether an element makes its text bold (True), normal (False), or leaves it as around it (None)."""
        self._class_factors()
        given = [self.weights[name] for name in names if name in self.weights]
        if given:
            return all(given)
        if tag == "th":
            return any(element.tag in _TABLE_HEADS for element in self.open)
        return True if tag == "caption" else None

    def boxed(self) -> bool:
        """Whether text here is inside a box (an element of the `callout` class)."""
        return any(element.box for element in self.open)

    def italic(self) -> bool:
        """Whether text here is inside a block a browser sets in italics."""
        return any(element.tag in _ITALIC_BLOCKS for element in self.open)

    def bold(self) -> bool:
        """Whether text here is drawn in bold type by the elements and classes around it."""
        return next((element.weight for element in reversed(self.open) if element.weight is not None), False)

    def lang(self) -> str:
        """The language the elements around the text say it is in ('': none says, the page's)."""
        return next((element.lang for element in reversed(self.open) if element.lang is not None), "")

    def typed(self, before: FlowType, headings: list[str]) -> FlowType:
        """A flow's type, with a text of it here (inside these <h1>-<h6>): its language is its first text's."""
        return (before[0] or self.bold(), before[1] or self.boxed(), before[2] or int((headings or ["h0"])[-1][1]),
                self.lang() if before[3] == UNTYPED[3] else before[3])

    def start(self, tag: str, classes: str, lang: str | None = None) -> None:
        """An element starts, of these classes (and saying this language)."""
        names = classes.split()
        factor = _ELEMENTS.get(tag, 1.0)
        for name in names:
            factor *= min(1.0, self._class_factors().get(name, 1.0))
        keep = "keep" in names or tag == "pre"  # <pre> is never broken over lines either
        weight = self._weight(tag, names)
        box = "callout" in names
        lang = SECOND if lang is None and "second" in names else lang  # the translation's passage, as shipped
        if factor < 1 or keep or box or weight is not None or lang is not None \
                or tag in _INDENTING | _TABLE_HEADS | _ITALIC_BLOCKS:
            self.open.append(_Open(tag, factor, keep, weight, box, lang))
            self.kept = 0 if keep else self.kept

    def end(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def text(self, data: str) -> str | None:
        """Why `data` may not be drawn where it is, or None."""
        if not data.strip():
            return None
        scale = 1.0
        for element in self.open:
            scale *= element.factor
        if sum(element.tag in _INDENTING for element in self.open) > MAX_INDENTS:
            return f"its text '{data.strip()[:40]}' is inside more than {MAX_INDENTS} indenting elements " \
                   "(<blockquote>, <ul>, <dd>, <figure>): each indents it further, until a word no longer fits the line"
        if scale < SMALLEST:
            return f"its text '{data.strip()[:40]}' is drawn at {scale:.2f} of the page's size (nested <small>, " \
                   f"<sub>, <sup> or smaller classes): text under {SMALLEST} em cannot be read"
        if any(element.keep for element in self.open):
            self.kept += len(data.strip())
            if self.kept > KEEP_VALUE_WHOLE:
                return f"a `keep` or <pre> element (never broken over lines) holds '{data.strip()[:40]}': only a " \
                       "short value (a phone number) is kept on one line; a longer text runs off the screen and paper"
        return None
