"""Fonts whose text extracts in reading order: shaped Arabic glyphs map back to their letters.

Arabic is drawn as contextual presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) in visual order, so that the
printed page is right without a shaping engine. ReportLab's ToUnicode map gives those code points back
unchanged; text extraction then returns presentation forms, which search, copy and paste and screen readers
do not match against ordinary Arabic. Here each presentation form maps to its base letter (NFKC), and a
ligature (lam-alef) to its letters in visual order, so that a reader's own bidi reordering of the visual run
restores the logical order of every letter.
"""

from __future__ import annotations

import copy
import unicodedata
from fnmatch import fnmatch
from functools import cache
from weakref import WeakKeyDictionary

from reportlab.pdfbase.ttfonts import SUBSETN, TTEncoding, TTFont


def is_presentation_form(code: int) -> bool:
    """Arabic presentation forms A and B: contextual glyph forms and ligatures."""
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


@cache
def extracted(code: int) -> str:
    """What text extraction should give for a drawn character: a shaped form's letters, in visual order."""
    char = chr(code)
    if is_presentation_form(code):
        letters = unicodedata.normalize("NFKC", char).strip()
        if letters:
            return letters[::-1]
    return char


def to_unicode_cmap(name: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for one font subset, with `extracted` text for each code."""
    entries = [f"<{code:02X}> <{extracted(char).encode('utf-16-be').hex().upper()}>"
               for code, char in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0", ">> def", f"/CMapName /{name} def",
        "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


class ReadableTTFont(TTFont):
    """A ReportLab TrueType font whose subsets' ToUnicode maps give letters for shaped Arabic forms (and whose
    face is read at C speed: `ttfparse.FastFace`, the same values as ReportLab's own parse)."""

    def __init__(self, name: str, filename, validate: int = 0, subfontIndex: int = 0,  # type: ignore[no-untyped-def]  # noqa: N803
                 asciiReadable: bool | None = None, shapable: bool = True) -> None:  # noqa: N803
        # ReportLab's TTFont.__init__, with the face made by FastFace (tests/render/test_ttfparse.py compares
        # every attribute with a font made by ReportLab's own __init__).
        from reportlab import rl_config
        from reportlab.rl_config import unShapedFontGlob

        from generator.render.ttfparse import FastFace

        self.fontName = name
        self.face = FastFace(filename, validate=validate, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable if asciiReadable is None else asciiReadable
        self.shapable = shapable and not any(fnmatch(name, glob) for glob in unShapedFontGlob)

    def renamed(self, name: str) -> ReadableTTFont:
        """The same parsed face under another name, with subsets of its own: a synthetic bold declared on the
        regular's file is not parsed a second time (the CJK face: about 70 ms)."""
        font = copy.copy(self)  # shares `face`, the parsed file, which ReportLab only reads
        font.fontName = name
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()  # what each document used of it: never shared between two names
        return font

    def addObjects(self, doc) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            if not any(is_presentation_form(c) for c in subset):
                continue  # ReportLab's own map is already right
            name = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + name].content = to_unicode_cmap(name, subset)


def letters(text: str) -> str:
    """Shaped Arabic text back to its letters, in the same (logical) order: what a reader should hear."""
    if not any(is_presentation_form(ord(ch)) for ch in text):
        return text
    return "".join(unicodedata.normalize("NFKC", ch) if is_presentation_form(ord(ch)) else ch for ch in text)
