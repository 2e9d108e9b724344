"""Bounds on a font file's structure, checked on its raw bytes before fontTools or ReportLab parse it.

Both parsers trust the counts a font declares and loop over them in Python, so a small crafted file can make
them run for hours or fill the memory (a format 4 `cmap` of 8,000 full-range segments: 500 million steps; a
composite glyph whose components run on for megabytes, walked once per glyph used and copied once per
component). Every loop either parser runs is bounded here by what real fonts use: this check is what bounds a
font's parse time and memory in every process and thread (the front desk renders in threads, where no timer
signal can interrupt a parser), and costs a few milliseconds even for a CJK collection.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Mapping, Sequence
from operator import itemgetter

MAX_MAPPED = 0x30000  # code points one cmap subtable may map (or one parser may visit): real fonts map fewer
MAX_SUBTABLES = 64  # cmap encoding records: real fonts have a handful
MAX_FONTS_IN_COLLECTION = 1_000  # a .ttc holds a few dozen faces at most
MAX_COMPONENTS = 1_000  # components of one composite glyph (real ones: a few, rarely dozens)
MAX_COMPOSITE_BYTES = 100_000  # one composite glyph: its components and instructions
# One glyph as it is drawn, every component inside a component unpacked: the outlines it draws, and their bytes.
# The generator's own faces and DejaVu's reach 14 outlines, 4 levels and 2,300 bytes; a 490 KB font whose "a" was
# 1,000 copies of a glyph of 1,000 "o"s unpacked to a million outlines (MemoryError at 3 GB: 33rd pass).
MAX_DRAWN_OUTLINES = 1_000
MAX_DRAWN_BYTES = 100_000
BOUNDED_TABLES = frozenset({"cmap", "head", "maxp", "loca", "glyf"})  # what check_tables reads
_HIGH_BIT = re.compile(rb"[\x80-\xff]")
_MORE_COMPONENTS = 0x20
# A component record's size by its flags' low byte: flags, glyph, arguments (words or bytes), then a scale, an
# x and y scale or a 2 × 2 matrix.
_COMPONENT_SIZE = [4 + (4 if f & 0x01 else 2) + (2 if f & 0x08 else 4 if f & 0x40 else 8 if f & 0x80 else 0)
                   for f in range(256)]


def check_collection(data: bytes, index: int) -> None:
    """Refuse a collection header that declares more faces than any real one, or a face index it lacks."""
    if data[:4] != b"ttcf":
        if index != 0:
            raise ValueError(f"face #{index} was asked for, but the file is a single font, not a collection")
        return
    if len(data) < 12:
        raise ValueError("the collection header is cut short")
    count = struct.unpack_from(">I", data, 8)[0]
    if count > MAX_FONTS_IN_COLLECTION:
        raise ValueError(f"the collection declares {count:,} faces (a real one holds a few dozen)")
    if not 0 <= index < count:
        raise ValueError(f"the collection has {count} face(s); face #{index} does not exist")


def check_tables(tables: Mapping[str, bytes]) -> None:
    """Refuse tables whose declared counts would make a parser loop far beyond any real font."""
    if "cmap" in tables:
        check_cmap(tables["cmap"])
    if {"head", "maxp", "loca", "glyf"} <= tables.keys():
        check_glyphs(tables["head"], tables["maxp"], tables["loca"], tables["glyf"])


def check_cmap(table: bytes) -> None:
    """Every subtable either parser may choose (ReportLab takes the last usable one, fontTools its preferred
    one) maps or visits at most MAX_MAPPED code points."""
    if len(table) < 4:
        raise ValueError("table 'cmap' is cut short")
    version, count = struct.unpack_from(">HH", table, 0)
    if count == 0 and version != 0:
        count = version  # ReportLab reads a swapped header this way
    if count > MAX_SUBTABLES:
        raise ValueError(f"table 'cmap' lists {count:,} subtables (a real font has a few)")
    if 4 + 8 * count > len(table):
        raise ValueError("table 'cmap' lists more subtables than it holds")
    for offset in sorted({struct.unpack_from(">I", table, 8 + 8 * n)[0] for n in range(count)}):
        if offset + 2 > len(table):
            raise ValueError("a 'cmap' subtable starts past the end of its table")
        visited = _visited(table, offset, struct.unpack_from(">H", table, offset)[0])
        if visited > MAX_MAPPED:
            raise ValueError(f"the 'cmap' table maps {visited:,} code points (a real font maps far fewer)")


def _visited(table: bytes, start: int, fmt: int) -> int:
    """How many code points a parser visits reading the subtable at `start` (0 for the bounded formats)."""
    def need(end: int) -> None:
        if end > len(table):
            raise ValueError("a 'cmap' subtable runs past the end of its table")

    if fmt == 2:  # ReportLab reads subheaders 0..max(key) and walks each one's entryCount per high byte
        need(start + 6 + 512)
        keys = struct.unpack_from(">256H", table, start + 6)
        headers = start + 6 + 512
        last = min(max(keys), (len(table) - headers) // 8 - 1)
        counts = [struct.unpack_from(">H", table, headers + 8 * i + 2)[0] for i in range(last + 1)]
        if any(n > 256 for n in counts):  # the low byte has 256 values: more is a crafted subheader
            raise ValueError("a format 2 'cmap' subheader has more than 256 entries")
        return 0
    if fmt == 4:
        need(start + 14)
        segments = struct.unpack_from(">H", table, start + 6)[0] // 2
        need(start + 16 + 8 * segments)
        ends = struct.unpack_from(f">{segments}H", table, start + 14)
        starts = struct.unpack_from(f">{segments}H", table, start + 16 + 2 * segments)
        return sum(end - first + 1 for first, end in zip(starts, ends, strict=True) if end >= first)
    if fmt in (6, 10):  # a first code and a count of entries (32-bit in format 10)
        need(start + (10 if fmt == 6 else 20))
        return struct.unpack_from(">H", table, start + 8)[0] if fmt == 6 else \
            struct.unpack_from(">I", table, start + 16)[0]
    if fmt in (12, 13):
        need(start + 16)
        groups = struct.unpack_from(">I", table, start + 12)[0]
        need(start + 16 + 12 * groups)
        mapped = 0
        for first, last, _ in struct.iter_unpack(">III", table[start + 16:start + 16 + 12 * groups]):
            if last < first or last > 0x10FFFF:
                raise ValueError("the 'cmap' table maps code points outside Unicode")
            mapped += last - first + 1
        return mapped
    return 0  # format 0 (256 entries), 14 (variation sequences: no parser here expands them) and unknown ones


def check_glyphs(head: bytes, maxp: bytes, loca: bytes, glyf: bytes) -> None:
    """Glyph locations stay inside 'glyf' and in order, and every composite glyph's components end inside the
    glyph, few and short enough for ReportLab's subsetter (which walks and copies them once per component)."""
    if len(head) < 54 or len(maxp) < 6:
        raise ValueError("table 'head' or 'maxp' is cut short")
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    glyphs = struct.unpack_from(">H", maxp, 4)[0]
    size = 4 if long_offsets else 2
    if len(loca) < size * (glyphs + 1):
        raise ValueError("table 'loca' is shorter than the glyph count says")
    offsets = struct.unpack_from(f">{glyphs + 1}{'I' if long_offsets else 'H'}", loca)
    scale = 1 if long_offsets else 2
    if list(offsets) != sorted(offsets) or offsets[-1] * scale > len(glyf):
        raise ValueError("glyph locations lie outside table 'glyf' or out of order (table 'loca' is damaged)")
    # A composite glyph starts with a negative contour count: its first byte has the high bit set. The first
    # bytes of all glyphs are gathered at C speed (a CJK font has 50,000 glyphs); only those are walked.
    starts = [offset * scale for offset in offsets[:-1] if offset * scale < len(glyf)]
    firsts = bytes(itemgetter(*starts)(glyf)) if len(starts) > 1 else bytes(glyf[s] for s in starts)
    _check_composites(glyf, offsets, scale, [found.start() for found in _HIGH_BIT.finditer(firsts)])


def blank_glyphs(head: bytes, maxp: bytes, loca: bytes, glyf: bytes) -> frozenset[int]:
    """The glyphs that draw nothing: no outline data, or no contour (checked by check_glyphs first)."""
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    glyphs = struct.unpack_from(">H", maxp, 4)[0]
    offsets = struct.unpack_from(f">{glyphs + 1}{'I' if long_offsets else 'H'}", loca)
    scale = 1 if long_offsets else 2
    return frozenset(number for number in range(glyphs)
                     if (offsets[number + 1] - offsets[number]) * scale < 2
                     or glyf[offsets[number] * scale:offsets[number] * scale + 2] == b"\0\0")


def _check_composites(glyf: bytes, offsets: tuple[int, ...], scale: int, numbers: list[int]) -> None:
    """Each composite's components end inside it (ReportLab reads on regardless), at most MAX_COMPONENTS of
    them, in at most MAX_COMPOSITE_BYTES (its subsetter copies the glyph once per component); and each glyph,
    its components' components unpacked, draws a bounded outline (check_unpacked)."""
    flags_at = struct.Struct(">HH").unpack_from
    parts: dict[int, list[int]] = {}
    for number in numbers:  # a tight loop: a CJK font has 30,000 composites
        begin, end = offsets[number] * scale, offsets[number + 1] * scale
        if end == begin:  # an empty glyph (the first byte found is the next glyph's); one byte long is read on
            continue
        if end - begin > MAX_COMPOSITE_BYTES:
            raise ValueError(f"composite glyph {number} is {end - begin:,} bytes long (a real one is far shorter)")
        at, components = begin + 10, parts.setdefault(number, [])
        while True:
            if at + 4 > end or len(components) >= MAX_COMPONENTS:
                raise ValueError(f"composite glyph {number} has more components than it holds")
            flags, component = flags_at(glyf, at)
            components.append(component)
            if not flags & _MORE_COMPONENTS:
                break
            at += _COMPONENT_SIZE[flags & 0xFF]
    check_unpacked(parts, offsets, scale)


def check_unpacked(parts: Mapping[int, list[int]], offsets: Sequence[int], scale: int) -> None:
    """Every composite glyph (`parts`: its components' glyph numbers), drawn with each component's own components
    unpacked, draws at most MAX_DRAWN_OUTLINES outlines of at most MAX_DRAWN_BYTES, and never itself (a loop);
    `offsets` and `scale`: where each glyph's bytes lie ('loca'). Iterative and memoized: a loop or a deep
    chain never recurses in Python."""
    drawn: dict[int, tuple[int, int]] = {}  # glyph: (outlines, bytes) it draws unpacked
    glyphs = len(offsets) - 1
    for root, components in parts.items():
        if root in drawn:
            continue
        if max(components) < glyphs and parts.keys().isdisjoint(components):  # the usual case: simple parts only
            total = sum(offsets[part + 1] - offsets[part] for part in components) * scale
            if total <= MAX_DRAWN_BYTES:  # (and at most MAX_COMPONENTS <= MAX_DRAWN_OUTLINES of them)
                drawn[root] = (len(components), total)
                continue
        stack, path = [(root, iter(parts[root]))], {root}
        while stack:
            number, unseen = stack[-1]
            part = next((part for part in unseen if part in parts and part not in drawn), None)
            if part in path:
                raise ValueError(f"composite glyph {number} contains glyph {part}, which contains it (a loop: it "
                                 "cannot be drawn)")
            if part is not None:  # unpack the component first
                stack.append((part, iter(parts[part])))
                path.add(part)
                continue
            drawn[number] = _unpacked(number, parts[number], drawn, offsets, scale)
            stack.pop()
            path.discard(number)


def _unpacked(number: int, components: list[int], drawn: Mapping[int, tuple[int, int]], offsets: Sequence[int],
              scale: int) -> tuple[int, int]:
    """The outlines and bytes glyph `number` draws, its components (`drawn`: those that are composites) unpacked."""
    outlines = total = 0
    for part in components:
        if part >= len(offsets) - 1:
            raise ValueError(f"composite glyph {number} uses glyph {part}, which the font does not have")
        inner = drawn.get(part) or (1, (offsets[part + 1] - offsets[part]) * scale)
        outlines, total = outlines + inner[0], total + inner[1]
    if outlines > MAX_DRAWN_OUTLINES or total > MAX_DRAWN_BYTES:
        raise ValueError(f"composite glyph {number} draws {outlines:,} outlines of {total:,} bytes with its "
                         "components' components unpacked (a real font's draw at most a few dozen, of a few KB)")
    return outlines, total


def glyph_boxes(head: bytes, maxp: bytes, loca: bytes, glyf: bytes) -> list[tuple[int, int, int, int]]:
    """Each glyph's bounding box (xMin, yMin, xMax, yMax) in font units, from its header ((0, 0, 0, 0) for an
    empty glyph), read at C speed: the header's box is what a renderer scales and places."""
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    glyphs = struct.unpack_from(">H", maxp, 4)[0]
    offsets = struct.unpack_from(f">{glyphs + 1}{'I' if long_offsets else 'H'}", loca)
    scale = 1 if long_offsets else 2
    empty = b"\0" * 8
    boxes = b"".join(glyf[offsets[n] * scale + 2:offsets[n] * scale + 10]
                     if (offsets[n + 1] - offsets[n]) * scale >= 10 else empty for n in range(glyphs))
    if len(boxes) != 8 * glyphs:  # a glyph cut short by the table's end: read as empty
        return [(0, 0, 0, 0)] * glyphs
    values = struct.unpack(f">{4 * glyphs}h", boxes)
    return list(zip(values[0::4], values[1::4], values[2::4], values[3::4], strict=True))


def verified_font(data: bytes, index: int, known: bool = False):  # type: ignore[no-untyped-def]
    """The face as a lazy fontTools TTFont, once every table is checked (bounds, checksums, and the counts
    fontbounds checks, before fontTools or ReportLab loops over them); `known`: checked before, not again."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.sfnt import calcChecksum

    check_collection(data, index)
    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    if known:  # checked before the workers were forked (`verify`): 65 ms for the CJK face
        return font
    raw = {}
    for tag in font.reader.keys():
        entry = font.reader.tables[tag]
        if entry.offset + entry.length > len(data):
            raise ValueError(f"table '{tag}' ends past the end of the file; the file is cut short")
        table = data[entry.offset:entry.offset + entry.length]
        # Tables this check never reads are read by ReportLab only while it writes the PDF: a damaged
        # one must be found here. ('head' is skipped: its checksum is adjusted, and often wrong.)
        if tag != "head" and calcChecksum(table) != entry.checkSum:
            raise ValueError(f"table '{tag}' is damaged (its checksum does not match)")
        if tag in BOUNDED_TABLES:
            raw[tag] = table
    check_tables(raw)
    return font
