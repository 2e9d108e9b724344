"""A project's own face draws numbers with the generator's own glyphs: no font can change a dose, a phone number or
a date.

Twelve hostile passes drew digits, decimal marks, fractions and dose signs as other ones in ways a comparison of
pictures caught only after the fact ("8" as a wider "1", "0" as two touching zeros, "½" as a narrowed "¼", a decimal
point hidden under the digit before it). So a face that is not, byte for byte, one of the generator's own font files
is drawn from a copy in which every number character (each that Unicode gives a numeric value), the signs doses and
numbers are written with, and the spaces between them are the glyphs of the shipped face of the same weight and
slant, scaled to its em. Only its letters are its own. The generator's own files are drawn as they are, so a
project using them (or copies of them) prints exactly what the shipped project prints.
"""

from __future__ import annotations

import io
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

# Signs that numbers and doses are written with: "<" for ">" turned "above 38" into "below 38", "," for "." made
# "2.5 mg" "2,5 mg" (passes eleven and twelve). Dashes too: "2–3 tablets", "-5 °C".
# The ordinal indicators, the numero and per-ten-thousand signs, the division slash, ratio, tilde operator and
# swung dash ("5∼10 mg") too: a face drawing "º" as a small "0" printed Spanish "38º C" and "2º" (second) as
# "380 C" and "20" (twenty-fourth pass).
# And the signs written around numbers: brackets ("(800) 273-8255"), currency signs ("$50"), the apostrophe grouping
# digits ("1'000"), an asterisk, the dot operators ("2⋅5"): a face drawing "(" as "1" and "$" as "5" printed
# "Call 1800) 273-8255" and "costs 550" (twenty-sixth pass). Their full-width forms fold to them.
NUMBER_SIGNS = frozenset(".,:;%+-/<>=~#\u00b0\u00b1\u00b5\u00b7\u00d7\u00f7\u2010\u2011\u2012\u2013\u2014\u2212"
                         "\u2030\u2044\u2248\u2260\u2264\u2265\u2032\u2033\u060c\u066a\u066b\u066c"
                         "\u00aa\u00ba\u2116\u2031\u2215\u2236\u223c\u2053"
                         "()[]*'\u2019$\u00a2\u00a3\u00a5\u20ac\u20ab\u20b9\u20bd\u22c5\u2219")
# The Greek mu, which Greek keyboards and symbol menus type for micro (NFKC's form of µ): a copy of "m" printed
# "50 μg" as "50 mg" (thirteenth pass). Characters whose compatibility form holds a number sign count too (㎍, ㎎).
# Chinese words for numbers Unicode gives no numeric value: 两 (two, before every measure word: 两片), 半 (half),
# 俩 双 几 兩 (a face drawing 两 as 三 printed "twice a day" as "three times": fourteenth pass).
UNIT_LETTERS = frozenset("\u03bc\u4e24\u534a\u4fe9\u53cc\u51e0\u5169")
# The CJK unit squares (㎎ ㎍ ㎏ ㎖ ㏄…): a face drawing ㎎ as ㎍ printed a thousandth of the dose (thirteenth pass).
UNIT_SQUARES = range(0x3371, 0x33E0)
# The spaces in and around numbers: a space drawn without width printed "1 0" as "10".
NUMBER_SPACES = frozenset(" \u00a0\u2007\u2009\u202f")
# The shipped faces each style borrows from, in order: Latin digits and signs from Noto Sans, Arabic-Indic digits and
# Arabic number signs from DejaVu Sans (which has no italic: its upright is slanted by nothing, as shipped Arabic is).
# A face for Arabic (one that has the letter alef) borrows from DejaVu Sans first, the face shipped for Arabic, so
# its spaces and Latin digits are those the shipped Arabic pages print.
# Han numerals (一 二 十 百, 壹 贰) and full-width digits, which neither has, come from WenQuanYi Micro Hei (thirteenth
# pass: a CJK face swapping 二 and 三, ８ and １ printed "take three tablets" and "call 911").
_CJK = "wqy-microhei/wqy-microhei.ttc"
DONORS = {(False, False): ("noto-sans/NotoSans-Regular.ttf", "dejavu-sans/DejaVuSans.ttf", _CJK),
          (True, False): ("noto-sans/NotoSans-Bold.ttf", "dejavu-sans/DejaVuSans-Bold.ttf", _CJK),
          (False, True): ("noto-sans/NotoSans-Italic.ttf", "dejavu-sans/DejaVuSans.ttf", _CJK),
          (True, True): ("noto-sans/NotoSans-BoldItalic.ttf", "dejavu-sans/DejaVuSans-Bold.ttf", _CJK)}
# Tables that hold an entry per glyph (a count fontTools would have to extend) or sign the file: none is read by
# ReportLab, so the copy goes without them.
MAX_GLYPHS = 65_535  # the most a font can hold ('maxp' counts them in 16 bits)
# The hinting programs go too, with every glyph's instructions: the checks draw the outlines without them, and a
# face FreeType calls "tricky" (named MingLiU…) has them run by every FreeType viewer and Ghostscript whatever is
# asked: instructions moving a's and e's off their line at every size but the one checked printed "Dr f - n r v w d"
# (thirty-fourth pass). Embedded without them, every viewer draws the outline the checks measured.
_DROPPED = ("hdmx", "LTSH", "VDMX", "vhea", "vmtx", "DSIG", "gvar", "fvar", "avar", "cvar", "HVAR", "VVAR", "MVAR",
            "STAT", "kern", "fpgm", "prep", "cvt ", "gasp")


@cache
def guarded(code: int) -> bool:
    """Whether a character is drawn with the shipped faces' glyph in a project's own face."""
    ch = chr(code)
    if ch in NUMBER_SIGNS or ch in NUMBER_SPACES or ch in UNIT_LETTERS or code in UNIT_SQUARES \
            or unicodedata.numeric(ch, None) is not None:
        return True
    folded = unicodedata.normalize("NFKC", ch)
    return folded != ch and any(guarded(ord(part)) and not part.isspace() for part in folded)


def is_shipped(path: Path, data: bytes) -> bool:
    """Whether a font file is one of the generator's own: in its templates, or a byte-for-byte copy of one."""
    import hashlib

    from generator.render.template import default_templates

    try:
        if path.resolve().is_relative_to(default_templates().resolve() / "fonts"):
            return True
    except (OSError, RuntimeError):
        pass
    alike = _shipped_sizes().get(len(data), ())
    return bool(alike) and hashlib.sha256(data).hexdigest() in {_digest(own) for own in alike}


@lru_cache(maxsize=1)
def _shipped_sizes() -> dict[int, tuple[Path, ...]]:
    """The generator's own font files by size (a copy has the size of its original: most files need no hash)."""
    from generator.render.template import default_templates

    found: dict[int, tuple[Path, ...]] = {}
    for path in sorted((default_templates() / "fonts").glob("*/*.tt[fc]")):
        found[path.stat().st_size] = (*found.get(path.stat().st_size, ()), path)
    return found


@lru_cache(maxsize=16)
def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def borrowed(data: bytes, index: int, mapping: dict[int, int]) -> bytes:
    """The face as one TrueType file in which every guarded character of `mapping` (the character map ReportLab
    draws from) is a new glyph copied from the shipped face of its style; the file's only character map says so."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    count = font["maxp"].numGlyphs
    font.setGlyphOrder([f"g{n}" for n in range(count)])  # the 'post' names are never decoded
    style = _style(font)
    donors = DONORS[style]
    if mapping.get(0x0627):
        donors = (donors[1], donors[0], *donors[2:])
    glyf, hmtx, maxp = font["glyf"], font["hmtx"], font["maxp"]
    drawn = {code: f"g{glyph}" for code, glyph in mapping.items() if glyph}
    units = font["head"].unitsPerEm
    order = font.getGlyphOrder()
    for code in sorted(code for code in drawn if guarded(code)):
        copied = _donor_glyph(donors, code, units)
        if copied is None:  # no shipped face has it (Devanagari, Thai digits…): not drawn at all, so a text using
            del drawn[code]  # it is refused as one using a character the face lacks (२ printed as 3: 14th pass)
            continue
        glyph, advance = copied
        name = f"guard{code:X}"
        order.append(name)
        glyf.glyphs[name] = glyph
        glyph.recalcBounds(glyf)
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0))
        drawn[code] = name
        font["hhea"].advanceWidthMax = max(font["hhea"].advanceWidthMax, advance)
        if glyph.numberOfContours > 0:
            maxp.maxPoints = max(maxp.maxPoints, len(glyph.coordinates))
            maxp.maxContours = max(maxp.maxContours, glyph.numberOfContours)
    if len(order) > MAX_GLYPHS:  # fontTools' "int too big to convert" said "missing or unreadable" (31st pass)
        from generator.render.fontink import UnusableFont

        raise UnusableFont(f"it has {count:,} glyphs, and with the {len(order) - count} number glyphs copied into it "
                           f"from the generator's own faces it would have more than a font can hold ({MAX_GLYPHS:,}); "
                           "use a subset of it without the glyphs the handouts do not need")
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    maxp.numGlyphs = len(order)
    for name in order:  # on each glyph's bytes, never decoding its points (glyf[name] would: 5 s for a CJK face)
        glyf.glyphs[name].removeHinting()
    maxp.maxSizeOfInstructions = 0
    subtable = CmapSubtable.newSubtable(12)
    subtable.platformID, subtable.platEncID, subtable.language = 3, 10, 0
    subtable.cmap = drawn
    cmap = newTable("cmap")
    cmap.tableVersion, cmap.tables = 0, [subtable]
    font["cmap"] = cmap
    font["post"].formatType = 3.0  # names are dropped with format 2's table
    _rename(font, data)
    for tag in _DROPPED:
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _style(font) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """Bold and italic as the face says of itself (a face that lies borrows glyphs of another weight, no more)."""
    mac = font["head"].macStyle
    bold, italic = bool(mac & 1), bool(mac & 2)
    if "OS/2" in font:
        os2 = font["OS/2"]
        bold = bold or os2.usWeightClass >= 600 or bool(os2.fsSelection & 0x20)
        italic = italic or bool(os2.fsSelection & 1)
    return bold, italic


def _donor_glyph(donors: tuple[str, ...], code: int, units: int):  # type: ignore[no-untyped-def]
    """The first donor face's glyph of `code`, decomposed and scaled to `units` per em, and its advance; or None."""
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    found = _donor_outline(donors, code)
    if found is None:
        return None
    outline, advance, donor_units = found
    scale = units / donor_units
    pen = TTGlyphPen(None)
    outline.replay(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
    return pen.glyph(), round(advance * scale)


@lru_cache(maxsize=2048)
def _donor_outline(donors: tuple[str, ...], code: int):  # type: ignore[no-untyped-def]
    """The outline (recorded, components drawn in), advance and units per em of `code` in its first donor face."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    for donor in donors:
        font, cmap = _donor(donor)
        if code in cmap:
            glyphs = font.getGlyphSet()
            recorded = DecomposingRecordingPen(glyphs)
            glyphs[cmap[code]].draw(recorded)
            return recorded, font["hmtx"][cmap[code]][0], font["head"].unitsPerEm
    return None


@lru_cache(maxsize=8)
def _donor(name: str):  # type: ignore[no-untyped-def]
    """A shipped face (trusted: the generator's own file) as a fontTools font, and its character map."""
    from fontTools.ttLib import TTFont

    from generator.render.template import default_templates

    font = TTFont(Path(default_templates() / "fonts" / name), lazy=True, fontNumber=0)
    return font, font.getBestCmap()


def _rename(font, data: bytes) -> None:  # type: ignore[no-untyped-def]
    """Give the copy a PostScript name of its own: a PDF holding it and the shipped face it copies from (the
    watermark is drawn in the shipped face) may not hold two fonts of one name (ReportLab refuses to write it)."""
    import hashlib
    import re

    old = font["name"].getDebugName(6) or font["name"].getDebugName(4) or "Face"
    new = f"{re.sub(r'[^A-Za-z0-9-]', '', old)[:40]}-N{hashlib.sha256(data).hexdigest()[:8]}"
    for record in [r for r in font["name"].names if r.nameID in (4, 6)]:
        font["name"].setName(new, record.nameID, record.platformID, record.platEncID, record.langID)
