"""A review sheet shows a character its fonts cannot draw as its code point, never as nothing.

`check` refuses a text holding a character the language's fonts lack, but `translate review` draws sheets of
files `check` refuses (they are what a reviewer reads to fix them), and a face draws a character it has no glyph for
as nothing: "Tome 5 mg ✓ ب al día." printed "Tome 5 mg    al día." (nineteenth pass, part B), and a reviewer
approved a text they never saw whole. Each such character is shown as `[U+XXXX]`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from generator.content.markup import Span
from generator.render.fonts import LanguageFonts, coverage


def _drawn(code: int, have: frozenset[int]) -> bool:
    ch = chr(code)
    return code in have or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def shown(spans: tuple[Span, ...], fonts: LanguageFonts, bold: bool = False) -> tuple[Span, ...]:
    """`spans` with each character the face drawing it has no glyph for written as `[U+XXXX]`."""
    out: list[Span] = []
    for span in spans:
        face = fonts.face(span.bold or bold, span.italic) or fonts.face(span.bold or bold, False)
        have = coverage(face.path, face.index) if face is not None else frozenset()
        if all(_drawn(ord(ch), have) for ch in span.text):
            out.append(span)
            continue
        text = "".join(ch if _drawn(ord(ch), have) else f"[U+{ord(ch):04X}]" for ch in span.text)
        out.append(replace(span, text=text))
    return tuple(out)
