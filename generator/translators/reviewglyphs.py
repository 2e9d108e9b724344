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
from generator.render.fonts import FontConfigError, LanguageFonts, coverage

# What `[U+XXXX]` is written with: a face lacking one of these drew the marker's digits as nothing too ("[U+  C]" for
# every Cyrillic letter, a dose's "5" as "[U+  ]", under a Russian face without 0-9: thirty-second pass, part B).
MARKER = frozenset(map(ord, "[]U+0123456789ABCDEF"))


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
        if not MARKER <= have:
            lacking = "".join(sorted(chr(code) for code in MARKER - have))
            missing = next(ch for ch in span.text if not _drawn(ord(ch), have))
            raise FontConfigError(f"templates/fonts.yaml: font {face.name if face else '?'} for {fonts.lang} has no "
                                  f"glyph for '{missing}' (U+{ord(missing):04X}), nor for '{lacking}', with which a "
                                  "review sheet writes such a character as [U+XXXX]; declare a font for "
                                  f"{fonts.lang} that has the text's characters and the digits 0-9")
        text = "".join(ch if _drawn(ord(ch), have) else f"[U+{ord(ch):04X}]" for ch in span.text)
        out.append(replace(span, text=text))
    return tuple(out)
