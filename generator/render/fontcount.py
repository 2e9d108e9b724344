"""How much work the faces fonts.yaml names make together, counted from their raw tables before any is parsed.

Each face's parse is bounded (fontbounds, 30 s), and all the files' bytes together (160 MB), but what a check
costs grows with a face's glyphs and mapped characters, not its bytes: one outline copied into 62,000 glyphs, or
196,000 characters mapped to a few thousand glyphs, takes under 4 MB (under 0.5 MB). Sixteen such faces (four
families of four, one for each of four languages: 60 MB, or 7 MB) took 39 s of CPU and 1.0 GB, or 1.25 GB
(thirty-first pass). So the glyphs and mapped characters of all the faces are bounded together, as their bytes are.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

# Glyphs plus mapped characters of every face fonts.yaml names (a collection's face once). The shipped families
# have 133,000 (WenQuanYi Micro Hei: 84,000); four whole CJK faces of 65,535 glyphs and 45,000 characters fit, and
# the check of all of them stays under about 15 s of CPU and 400 MB.
MAX_FONT_ITEMS = 1_000_000


def face_items(data: bytes, index: int) -> int:
    """A face's glyphs (its 'maxp' count) plus the most characters any of its 'cmap' subtables maps; 0 when the
    tables cannot be found (the face's own check reports a damaged file)."""
    from generator.render.fontbounds import MAX_MAPPED, _visited

    try:
        start = struct.unpack_from(">I", data, 12 + 4 * index)[0] if data[:4] == b"ttcf" else 0
        count = struct.unpack_from(">H", data, start + 4)[0]
        tables = {data[at:at + 4]: struct.unpack_from(">II", data, at + 8)
                  for at in range(start + 12, start + 12 + 16 * count, 16)}
        glyphs = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0] if b"maxp" in tables else 0
        mapped = 0
        if b"cmap" in tables:
            offset, length = tables[b"cmap"]
            cmap = data[offset:offset + length]
            subtables = struct.unpack_from(">H", cmap, 2)[0]
            for n in range(min(subtables, 64)):
                at = struct.unpack_from(">I", cmap, 8 + 8 * n)[0]
                mapped = max(mapped, _visited(cmap, at, struct.unpack_from(">H", cmap, at)[0]))
    except (struct.error, ValueError, IndexError):
        return 0
    if mapped > MAX_MAPPED:  # the face's own check refuses it, naming the table: the more precise message
        return 0
    return glyphs + mapped


def check_items(settings: Path, faces: Iterable[tuple[Path, int]], read: object) -> str | None:
    """Why the faces (each file and index once) make too much work together, or None; `read(path)` gives a
    file's bytes (and raises for one that cannot be read, which is then left to the face's own check)."""
    total = 0
    for path, index in faces:
        try:
            data = read(path)  # type: ignore[operator]
        except Exception:  # noqa: BLE001 - missing or refused: reported where the face is used
            continue
        total += face_items(data, index)
    if total <= MAX_FONT_ITEMS:
        return None
    return (f"{settings}: the faces it names hold {total:,} glyphs and mapped characters together (each face's glyph "
            f"count plus the characters its character map maps), more than {MAX_FONT_ITEMS:,} (the shipped fonts: "
            "133,000); each is read and checked in full, so use fewer families or font subsets holding the scripts "
            "the handouts use")
