"""The faster face parse (render/ttfparse.py) gives exactly what ReportLab's own parse gives: every attribute,
every value and type, in the same order, on the shipped faces and on random character maps and metrics."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont
from reportlab.pdfbase.ttfonts import TTFontFace

from generator.render.tounicode import ReadableTTFont
from generator.render.ttfparse import FastFace

FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
SHIPPED = sorted(FONTS.rglob("*.tt[fc]"))


def same_face(data: bytes, index: int = 0) -> FastFace | None:
    """Parse `data` both ways and assert that every attribute is the same, in value, type and order (or, when
    ReportLab refuses the face, that it is refused with the same error)."""
    try:
        theirs = TTFontFace(io.BytesIO(data), subfontIndex=index)
    except Exception as exc:  # noqa: BLE001 - whatever ReportLab raises, ours must raise too
        with pytest.raises(type(exc)) as failed:
            FastFace(io.BytesIO(data), subfontIndex=index)
        assert str(failed.value) == str(exc)
        return None
    ours = FastFace(io.BytesIO(data), subfontIndex=index)
    mine, reference = vars(ours), vars(theirs)
    assert mine.keys() == reference.keys()
    for key, value in reference.items():
        if key == "_pdfScale":  # a function: compared by what it gives
            assert mine[key](1000) == value(1000) and mine[key](7) == value(7)
            continue
        assert mine[key] == value, key
        assert type(mine[key]) is type(value), key
        if isinstance(value, dict):
            assert list(mine[key].items()) == list(value.items()), key  # the same order too
    assert [type(v) for v in ours.charWidths.values()] == [type(v) for v in theirs.charWidths.values()]
    assert [tuple(map(type, m)) for m in ours.hmetrics] == [tuple(map(type, m)) for m in theirs.hmetrics]
    return ours


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_face_parses_as_reportlab_parses_it(path: Path) -> None:
    ours = same_face(path.read_bytes())
    assert ours is not None and len(ours.charToGlyph) > 200


def test_a_font_parsed_by_us_and_one_by_reportlab_differ_in_nothing_but_the_face_object() -> None:
    path = FONTS / "wqy-microhei" / "wqy-microhei.ttc"
    ours = ReadableTTFont("cjk", io.BytesIO(path.read_bytes()), subfontIndex=0)
    theirs = ReportLabFont("cjk", io.BytesIO(path.read_bytes()), subfontIndex=0)
    mine, reference = vars(ours), vars(theirs)
    assert mine.keys() == reference.keys()
    for key, value in reference.items():
        if key in ("face", "state", "encoding"):
            assert type(mine[key]) is type(value) or key == "face"
            continue
        assert mine[key] == value, key
    assert vars(ours.encoding) == vars(theirs.encoding)
    assert ours.stringWidth("中文 (简体)", 10) == theirs.stringWidth("中文 (简体)", 10)
    assert ours.face.makeSubset([0x4E2D, 0x6587, 0x20]) == theirs.face.makeSubset([0x4E2D, 0x6587, 0x20])


def built_font(mapping: dict[int, int], advances: list[int], units: int, formats: tuple[int, ...]) -> bytes:
    """A small TrueType font: glyph 0 and one square per other glyph, the advances given, and a character map
    of the formats given (the last one is the one ReportLab reads)."""
    names = [".notdef"] + [f"g{n}" for n in range(1, len(advances))]
    builder = FontBuilder(units, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({char: names[glyph] for char, glyph in mapping.items()})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 100))
    pen.lineTo((100, 100))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({name: square for name in names})
    builder.setupHorizontalMetrics({name: (advances[n], 0) for n, name in enumerate(names)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Random", "styleName": "Regular", "psName": "Random-Regular"})
    builder.setupOS2()
    builder.setupPost()
    font = builder.font
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    tables = []
    for fmt in formats:
        table = CmapSubtable.newSubtable(fmt)
        table.platformID, table.platEncID, table.language = 3, 10 if fmt == 12 else 1, 0
        table.cmap = {char: names[glyph] for char, glyph in mapping.items() if fmt == 12 or char <= 0xFFFF}
        tables.append(table)
    font["cmap"].tables = tables
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


characters = st.one_of(st.integers(0x20, 0x7F), st.integers(0xA0, 0x3FF), st.integers(0x4E00, 0x4E40),
                       st.integers(0xFFF0, 0xFFFF))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_character_maps_and_metrics_parse_as_reportlab_parses_them(data: st.DataObject) -> None:
    glyphs = data.draw(st.integers(2, 60))
    advances = data.draw(st.lists(st.sampled_from([0, 250, 500, 600, 1000, 1234]), min_size=glyphs,
                                  max_size=glyphs))
    mapping = data.draw(st.dictionaries(characters, st.integers(0, glyphs - 1), min_size=1, max_size=120))
    units = data.draw(st.sampled_from([1000, 2048, 256]))
    formats = data.draw(st.sampled_from([(4,), (12,), (4, 12), (12, 4), (6,)]))
    if 6 in formats:
        mapping = {char: glyph for char, glyph in mapping.items() if char < 0x100} or {0x41: 1}
    same_face(built_font(mapping, advances, units, formats))


def test_a_glyph_index_array_that_runs_past_its_subtable_gives_glyph_0_as_reportlab_does() -> None:
    # A format 4 segment read through its glyph index array (fontTools writes one for scattered glyphs), with
    # the subtable's declared length cut so that the array's end lies past it: ReportLab's workaround.
    data = bytearray(built_font({0x41 + n: (7 * n) % 19 + 1 for n in range(20)}, [500] * 20, 1000, (4,)))
    font = TTFont(io.BytesIO(bytes(data)))
    cmap = font.reader.tables["cmap"].offset
    offset = struct.unpack_from(">I", data, cmap + 8)[0]
    length = struct.unpack_from(">H", data, cmap + offset + 2)[0]
    struct.pack_into(">H", data, cmap + offset + 2, length - 12)
    ours = same_face(bytes(data))
    assert ours is not None and [ours.charToGlyph[0x41 + n] for n in range(20)].count(0) == 6


def test_a_damaged_face_fails_as_reportlab_fails() -> None:
    data = bytearray(built_font({0x41: 1, 0x42: 2}, [500, 600, 700], 1000, (12,)))
    hhea = TTFont(io.BytesIO(bytes(data))).reader.tables["hhea"].offset
    struct.pack_into(">H", data, hhea + 34, 0xFFFF)  # more metrics than the file holds: the read runs off its end
    errors = []
    for parse in (TTFontFace, FastFace):
        with pytest.raises(struct.error) as failed:
            parse(io.BytesIO(bytes(data)))
        errors.append(str(failed.value))
    assert errors[0] == errors[1]
