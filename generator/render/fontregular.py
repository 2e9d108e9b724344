"""Whether a family's regular face is upright and of regular weight.

fonts.yaml may name any file as the regular face: Noto Sans Bold (with itself as the stroked bold) printed the
whole handout in bold, the effect style.yaml's `text.body: {bold: true}` is refused for; Noto Sans Italic printed
every word italic (thirty-seventh pass). Measured on the faces of this machine (64 px):

- stem width (the ink of the middle rows of l, I, alef, 丨) per em: regular faces at most 0.094 (TrueType: Noto
  Sans, DejaVu Sans/Serif/Mono/Condensed, WenQuanYi) or 0.103 (URW C059 Roman); bold faces at least 0.143
  (DejaVu Sans Mono Bold; Noto Sans Bold 0.150) or 0.108 (URW Nimbus Mono Bold, a light monospace). A regular face
  over MOST_REGULAR_STEM, 0.125, is a bold one (margins: 0.031 over TrueType regulars, 0.018 under TrueType bolds).
- lean (`fontslant`'s median over its sample letters): upright faces within 0.004 of 0; italic and oblique faces
  at least 0.168 (P052 Italic; TrueType: DejaVu Sans Condensed Oblique 0.179). Over MOST_REGULAR_LEAN, 0.08, the
  regular face leans like an italic.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from statistics import median

from generator.render.fonts import Face, coverage, verify

MOST_REGULAR_STEM = 0.125
MOST_REGULAR_LEAN = 0.08
STEMS = "lI\u0627\u4e28"  # one vertical stroke each: Latin l and I, Arabic alef, the CJK stroke 丨
_PIXELS_PER_EM = 64


def not_regular(face: Face) -> str | None:
    """What makes `face` no regular face ("draws stems 0.15 em wide…"), or None when it is upright and regular."""
    return _verdict(face.path, face.index, verify(face)[2])


@lru_cache(maxsize=16)
def _verdict(path: Path, index: int, stamp: tuple[int, ...]) -> str | None:
    from generator.render.fontslant import SAMPLE, face_lean

    face = Face("regular", path, index)
    covered = coverage(path, index)
    stem = _stem(face, [ord(ch) for ch in STEMS if ord(ch) in covered])
    if stem is not None and stem > MOST_REGULAR_STEM:
        return (f"draws its stems {stem:.3f} em wide, as a bold face does (regular faces at most about 0.10, bold "
                "ones 0.14 to 0.18), so every word of the handout would print in bold")
    lean = face_lean(face, [ord(ch) for ch in SAMPLE if ord(ch) in covered]) if covered else None
    if lean is not None and abs(lean) > MOST_REGULAR_LEAN:
        return (f"draws its letters leaning {lean:.2f} of their height, as an italic face does (upright faces 0, "
                "italic ones about 0.2), so every word of the handout would print in italic")
    return None


def _stem(face: Face, codes: list[int]) -> float | None:
    """The median width of the face's vertical strokes, in em (None when it has none of STEMS)."""
    from generator.render.fontslant import glyph_masks

    widths = []
    for pixels, width, height in glyph_masks(face, codes):
        if height < 6:
            continue
        rows = [sum(pixels[y * width:(y + 1) * width]) / 255 for y in range(height // 3, 2 * height // 3 + 1)]
        widths.append(median(rows) / _PIXELS_PER_EM)
    return median(widths) if widths else None
