"""ReportLab's TrueType parse with its per-glyph loops done at C speed: the same face, a fraction of the time.

ReportLab reads a face's character map, horizontal metrics and glyph locations two bytes at a time in Python
(`TTFontFile.extractInfo`): for the CJK face, 35,000 characters and 50,000 glyphs, about 0.15 s in every
process that draws a single Chinese character, and every render worker does (each handout names the other
languages in their own faces). Here the same tables are unpacked whole with `struct`, for the two character
map formats real fonts use (4 and 12), and every attribute ReportLab would set is set to the very same value,
in the same order (`tests/render/test_ttfparse.py` compares them with ReportLab's own parse, on the shipped
faces and on random character maps). Any other format, and anything unexpected, is left to ReportLab's own
code, which then raises its own error: this never accepts a face ReportLab would refuse.
"""

from __future__ import annotations

import gc
import struct

from reportlab.pdfbase.ttfonts import TTFontFace, TTFontFile


class FastFace(TTFontFace):
    """A ReportLab `TTFontFace` whose character information is read at C speed (the same values)."""

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 - ReportLab's names
        TTFontFile.extractInfo(self, 0)  # names, head, OS/2, post, hhea, maxp: a few dozen fields
        if not charInfo:
            return
        collecting = gc.isenabled()
        gc.disable()  # some 100,000 small tuples and lists, none of them garbage: a collection is wasted time
        try:
            done = _char_info(self)
        except Exception:  # noqa: BLE001 - a damaged table: ReportLab's own parse below says what it says
            done = False
        finally:
            if collecting:
                gc.enable()
        if not done:
            TTFontFile.extractInfo(self, charInfo)


def _char_info(face: TTFontFile) -> bool:
    """Set charToGlyph, glyphToChar, charWidths, defaultWidth, hmetrics and glyphPos exactly as
    `TTFontFile.extractInfo` does; False (nothing relied on) when its format is not one handled here."""
    data = face._ttf_data
    head = face.get_table_pos("head")[0]
    index_to_loc, glyph_data_format = struct.unpack_from(">hH", data, head + 50)
    if glyph_data_format != 0 or index_to_loc not in (0, 1) or "loca" not in face.table:
        return False  # ReportLab raises its own errors for these
    hhea = face.get_table_pos("hhea")[0]
    metrics = struct.unpack_from(">H", data, hhea + 34)[0]
    glyphs = face.numGlyphs
    char_to_glyph, glyph_to_char = _cmap(face, data)
    if char_to_glyph is None:
        return False
    scale = face._pdfScale
    hmtx = face.get_table_pos("hmtx")[0]
    pairs = struct.unpack_from(f">{2 * metrics}H", data, hmtx)
    bearings = struct.unpack_from(f">{max(glyphs - metrics, 0)}H", data, hmtx + 4 * metrics)
    scaled = {aw: scale(aw) for aw in set(pairs[0::2])}  # a face has few distinct advances
    last = scaled[pairs[-2]]
    # As ReportLab: glyphs past the last full metric keep its advance, already scaled.
    hmetrics = list(zip(pairs[0::2], pairs[1::2], strict=True)) + [(last, lsb) for lsb in bearings]
    advances = [scaled[aw] for aw in pairs[0::2]]
    walked = max(metrics, glyphs)  # ReportLab walks the full metrics, then the glyphs after them
    widths = {char: advances[glyph] if glyph < metrics else last
              for glyph in sorted(glyph_to_char) if 0 <= glyph < walked for char in glyph_to_char[glyph]}
    loca = face.get_table_pos("loca")[0]
    if index_to_loc == 0:
        positions = [offset << 1 for offset in struct.unpack_from(f">{glyphs + 1}H", data, loca)]
        end = loca + 2 * (glyphs + 1)
    else:
        positions = list(struct.unpack_from(f">{glyphs + 1}L", data, loca))
        end = loca + 4 * (glyphs + 1)
    if 0x20 in char_to_glyph:
        char_to_glyph[0xA0] = char_to_glyph[0x20]
        widths[0xA0] = widths[0x20]
    elif 0xA0 in char_to_glyph:
        char_to_glyph[0x20] = char_to_glyph[0xA0]
        widths[0x20] = widths[0xA0]
    face.charToGlyph, face.glyphToChar, face.charWidths = char_to_glyph, glyph_to_char, widths
    face.defaultWidth, face.hmetrics, face.glyphPos = scaled[pairs[0]], hmetrics, positions
    face._pos = end  # where ReportLab's reader stops
    return True


def _cmap(face: TTFontFile, data: bytes) -> tuple[dict[int, int] | None, dict[int, list[int]]]:
    """The subtable ReportLab chooses (the last usable record), read as it reads it: format 4 or 12 only."""
    start = face.get_table_pos("cmap")[0]
    version, count = struct.unpack_from(">HH", data, start)
    if count == 0 and version != 0:
        count = version
    chosen, enc = None, 0
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, start + 4 + 8 * n)
        if platform == 3:
            enc, chosen = 1, offset
        elif platform == 1 and encoding == 0 and enc != 1:
            enc, chosen = 2, offset
        elif platform == 1 and encoding == 1:
            enc, chosen = 1, offset
        elif platform == 0 and encoding != 5:
            enc, chosen = 1, offset
    if chosen is None:
        return None, {}
    at = start + chosen
    fmt = struct.unpack_from(">H", data, at)[0]
    pairs = _format4(data, at) if fmt == 4 else _format12(data, at) if fmt == 12 else None
    if pairs is None:
        return None, {}
    glyph_to_char: dict[int, list[int]] = {}
    for char, glyph in pairs:
        glyph_to_char.setdefault(glyph, []).append(char)
    return dict(pairs), glyph_to_char


def _format4(data: bytes, at: int) -> list[tuple[int, int]]:
    """Every (character, glyph) of a format 4 subtable, in ReportLab's order, with its workaround for
    glyph indexes past the subtable's end (glyph 0)."""
    length = struct.unpack_from(">H", data, at + 2)[0]
    limit = at + length
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    pairs: list[tuple[int, int]] = []
    for n, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets, strict=True)):
        if last < first:
            continue
        chars = range(first, last + 1)
        if range_offset == 0:
            pairs += [(char, (char + delta) & 0xFFFF) for char in chars]
            continue
        base = ranges_at + 2 * n + range_offset  # the glyph index of `first`; two bytes per character
        inside = max(0, min(len(chars), (limit - base + 1) // 2))  # entries starting before `limit`
        if inside and base + 2 * inside > len(data):
            raise struct.error("glyph index array runs past the end of the file")  # ReportLab fails here too
        indexes = struct.unpack_from(f">{inside}H", data, base) if inside else ()
        pairs += [(char, (glyph + delta) & 0xFFFF if glyph else 0)
                  for char, glyph in zip(chars[:inside], indexes, strict=True)]
        pairs += [(char, 0) for char in chars[inside:]]
    return pairs


def _format12(data: bytes, at: int) -> list[tuple[int, int]]:
    """Every (character, glyph) of a format 12 subtable (groups of consecutive characters and glyphs)."""
    groups = struct.unpack_from(">L", data, at + 12)[0]
    pairs: list[tuple[int, int]] = []
    for first, last, glyph in struct.iter_unpack(">LLL", data[at + 16:at + 16 + 12 * groups]):
        shift = glyph - first
        pairs += [(char, char + shift) for char in range(first, last + 1)]
    if len(data) < at + 16 + 12 * groups:
        raise struct.error("the groups run past the end of the file")  # ReportLab fails reading them too
    return pairs
