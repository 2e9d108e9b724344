"""The character map ReportLab draws with, and the font as FreeType must read it for the checks to see the same.

A font may hold several character maps. fontTools' `getBestCmap` prefers (3,10), (0,6), (0,4), (3,1), (0,3);
FreeType prefers the last UCS-4 map and skips any it finds invalid; ReportLab draws from the last map of platform
3 (any encoding), (1,1) or (0, not 5). A font adding a map marked (3,5) that sent "8" to the glyph of "1" passed
every check, which saw the true "8", and printed the crisis line 988 as 911 (tenth pass). Every check now reads
the map ReportLab's own parse (`ttfparse.FastFace`, the very class the build registers) derives, and FreeType is
handed a copy of the face whose only character map is that one.
"""

from __future__ import annotations

import io
import struct

from generator.render.fontbounds import check_collection

# Glyph pictures besides the outlines: embedded bitmaps (Microsoft's and Apple's), colour bitmaps, sbix, SVG and colour
# layers. FreeType draws a bitmap strike of the size asked for in place of the outline; ReportLab embeds only the
# outlines. A face whose vowels were outlines that cancel themselves, with a 64-pixel strike of boxes, passed every
# ink check and printed "Draft - not reviewed" as "Dr f - n r v w d" (thirty-fourth pass).
PICTURE_TABLES = frozenset({b"EBDT", b"EBLC", b"EBSC", b"bdat", b"bloc", b"CBDT", b"CBLC", b"sbix", b"SVG ",
                            b"COLR", b"CPAL"})


def reportlab_map(data: bytes, index: int) -> dict[int, int]:
    """Each code point and the glyph ReportLab draws for it, by ReportLab's own parse of the face."""
    from generator.render.ttfparse import FastFace

    check_collection(data, index)
    return dict(FastFace(io.BytesIO(data), validate=0, subfontIndex=index).charToGlyph)


def with_only_map(data: bytes, index: int, mapping: dict[int, int]) -> bytes:
    """The font file's bytes with face `index`'s character map replaced by `mapping` alone (one (3,10) format 12
    subtable, written here and so valid for FreeType), and without its hinting programs: FreeType runs a face's
    TrueType instructions, which may move any point at the size checked (a letter stretched twice its height was
    pulled back onto its line at 64 pixels per em), while a PDF is drawn at every size. With no font program and
    no instructions declared, FreeType draws the outlines as they are (only its own auto-hinter, from the
    outlines, snaps their heights by under a pixel). Nor its glyph pictures (PICTURE_TABLES), which a PDF never
    holds. The other tables are left where they are."""
    groups: list[list[int]] = []
    for code, glyph in sorted(mapping.items()):
        if groups and code == groups[-1][1] + 1 and glyph == groups[-1][2] + code - groups[-1][0]:
            groups[-1][1] = code
        else:
            groups.append([code, code, glyph])
    body = b"".join(struct.pack(">LLL", first, last, glyph) for first, last, glyph in groups)
    subtable = struct.pack(">HHLLL", 12, 0, 16 + len(body), 0, len(groups)) + body
    table = struct.pack(">HHHHL", 0, 1, 3, 10, 12) + subtable
    start = struct.unpack_from(">L", data, 12 + 4 * index)[0] if data[:4] == b"ttcf" else 0
    count = struct.unpack_from(">H", data, start + 4)[0]
    copy = bytearray(data)
    copy += b"\0" * (-len(copy) % 4)
    mapped = False
    for n in range(count):
        record = start + 12 + 16 * n
        tag = bytes(copy[record:record + 4])
        if tag == b"cmap":
            struct.pack_into(">LL", copy, record + 8, len(copy), len(table))
            mapped = True
        elif tag in (b"fpgm", b"prep") or tag in PICTURE_TABLES:
            copy[record + 3] = ord("_")  # no font program, no pictures: FreeType draws the outlines alone
        elif tag == b"maxp":
            at, length = struct.unpack_from(">LL", copy, record + 8)
            if length >= 28:
                struct.pack_into(">H", copy, at + 26, 0)  # maxSizeOfInstructions
    if not mapped:
        raise ValueError("the font has no character map ('cmap' table)")
    return bytes(copy + table)
