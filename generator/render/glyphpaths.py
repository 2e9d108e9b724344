"""Text drawn as glyph outlines: page furniture that must look like text but never extract as text.

The diagonal DRAFT watermark is the case: as text, every extraction tool (pdftotext, copy and paste) mixes its
letters into the body text ("D RA" ... "FT"), whatever marking it carries. As filled outlines of the same
glyphs, at the same places, it prints the same and is not text at all. The outlines are read from the font
data ReportLab has already loaded (fontTools parses one glyph at a time), so no font is read twice.
"""

from __future__ import annotations

from functools import lru_cache

from fontTools.pens.basePen import BasePen
from fontTools.ttLib.tables._g_l_y_f import Glyph
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics


class _Glyphs:
    """The glyphs of a loaded ReportLab TrueType face, by glyph ID (as a name), drawn with fontTools."""

    extended = False  # fontTools reads this: the glyphs use no extended (more than 65535) glyph IDs

    def __init__(self, face: object) -> None:
        self.face = face
        self.start = face.get_table_pos("glyf")[0]  # type: ignore[attr-defined]

    def getGlyphName(self, glyph_id: int) -> str:  # noqa: N802 - fontTools' name: components refer by ID
        return str(glyph_id)

    def getGlyphID(self, name: str) -> int:  # noqa: N802 - fontTools' name
        return int(name)

    def __getitem__(self, name: str) -> _Outline:
        return _Outline(self, int(name))


class _Outline:
    def __init__(self, glyphs: _Glyphs, glyph_id: int) -> None:
        self.glyphs, self.glyph_id = glyphs, glyph_id

    def draw(self, pen: BasePen) -> None:
        face, positions = self.glyphs.face, self.glyphs.face.glyphPos  # type: ignore[attr-defined]
        start = self.glyphs.start + positions[self.glyph_id]
        glyph = Glyph(face._ttf_data[start:self.glyphs.start + positions[self.glyph_id + 1]])  # type: ignore[attr-defined]
        glyph.expand(self.glyphs)
        glyph.draw(pen, self.glyphs)


class _PathPen(BasePen):
    """Collects outlines as PDF path operators, scaled and moved."""

    def __init__(self, glyphs: _Glyphs, scale: float, out: list[str]) -> None:
        super().__init__(glyphs)
        self.scale, self.x, self.y, self.out = scale, 0.0, 0.0, out

    def _point(self, pt: tuple[float, float]) -> str:
        return fp_str(self.x + pt[0] * self.scale, self.y + pt[1] * self.scale)

    def _moveTo(self, pt):  # type: ignore[no-untyped-def]  # noqa: N802 - fontTools' names
        self.out.append(f"{self._point(pt)} m")

    def _lineTo(self, pt):  # type: ignore[no-untyped-def]  # noqa: N802
        self.out.append(f"{self._point(pt)} l")

    def _curveToOne(self, p1, p2, p3):  # type: ignore[no-untyped-def]  # noqa: N802
        self.out.append(f"{self._point(p1)} {self._point(p2)} {self._point(p3)} c")

    def _closePath(self):  # type: ignore[no-untyped-def]  # noqa: N802
        self.out.append("h")


@lru_cache(maxsize=64)
def centred(font_name: str, text: str, size: float, y: float) -> str:
    """PDF operators that fill `text`'s glyphs (registered TrueType font `font_name`) centred on x=0 with the
    baseline at `y`: exactly where `canvas.drawCentredString(0, y, text)` at `size` puts them."""
    font = pdfmetrics.getFont(font_name)
    face = font.face
    glyphs = _Glyphs(face)
    out: list[str] = []
    pen = _PathPen(glyphs, size / face.unitsPerEm, out)
    pen.x, pen.y = -pdfmetrics.stringWidth(text, font_name, size) / 2, y
    for char in text:
        glyph_id = face.charToGlyph.get(ord(char), 0)
        glyphs[str(glyph_id)].draw(pen)
        pen.x += pdfmetrics.stringWidth(char, font_name, size)  # the advance drawString uses
    out.append("f")
    return "\n".join(out)
