"""Fonts named apart: one PostScript name for one file, and each language in its script's direction."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from generator.render import fonts
from generator.render.fontbounds import check_collection


def check_names(config: fonts.FontConfig, langs: Iterable[str]) -> None:
    """Raise FontConfigError when two different fonts (files, or faces of one collection) these languages use
    give one PostScript name: ReportLab and PDF readers tell fonts apart by it, and drew Spanish in an ASCII
    subset's glyphs (eighth pass), or failed the build blaming the content (ninth pass: names alike only as
    ReportLab derives them)."""
    seen: dict[str, tuple[tuple[str, int], Path]] = {}
    for lang in langs:
        if lang not in config.languages:
            continue
        for _, face in config.languages[lang].faces:
            version = fonts.file_version(face.path)
            identity = (fonts.file_digest(face.path), face.index)
            for name in _postscript_names(face.path, face.index, version):
                other = seen.setdefault(name, (identity, face.path))
                if other[0] != identity:
                    which = f"and {other[1]} are different files" if other[0][0] != identity[0] else \
                        f"has two faces (#{other[0][1]} and #{identity[1]})"
                    raise fonts.FontConfigError(
                        f"{face.path}: this font {which} that both call themselves '{name}' (as ReportLab reads "
                        "the name table: the PostScript name, name ID 6, else the full name, ID 4, with spaces made "
                        "hyphens); PDF readers tell fonts apart by that name, so one would be drawn with the "
                        "other's glyphs, or the PDF not made at all; use one file for both, or rename one font")


@lru_cache(maxsize=32)
def _postscript_names(path: Path, index: int, stamp: tuple[int, ...]) -> frozenset[str]:
    """The name ReportLab gives the face, by ReportLab's own code (`TTFontFile.extractInfo`, which the build's
    fonts run: it reads the Macintosh and Windows US-English records only, falls back to the full name, and
    makes spaces hyphens), and every PostScript name (name ID 6) the face gives in any record."""
    def read(data: bytes) -> frozenset[str]:
        from fontTools.ttLib import TTFont
        from reportlab.pdfbase.ttfonts import TTFontFile

        check_collection(data, index)
        table = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)["name"]
        written = frozenset(str(record.toUnicode(errors="replace")).strip() for record in table.names
                            if record.nameID == 6) - {""}
        derived = TTFontFile(_Unnamed(data), charInfo=0, validate=0, subfontIndex=index).name
        return written | {derived.decode("latin-1")}

    return fonts._guarded(path, read)  # noqa: SLF001 - a damaged font is one FontConfigError, as everywhere


class _Unnamed:
    """The file object a build hands ReportLab (a BytesIO: no `name`, so the same fallback names), without a
    copy of the bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data


@lru_cache(maxsize=64)
def written_direction(lang: str) -> str | None:
    """"rtl" or "ltr", as CLDR (Babel) says the language is written; None for a language it does not know, in
    the script its code names (`ur-Latn`: Babel knows Urdu only in Arabic letters)."""
    from generator.content.names import cldr_locale

    locale = cldr_locale(lang)
    order = locale.character_order if locale is not None else None
    return {"right-to-left": "rtl", "left-to-right": "ltr"}.get(order or "")


# Where Unicode puts the letters of bidi class R and AL (Hebrew, Arabic, Syriac, Thaana, N'Ko..., their
# presentation forms, and the historic scripts of the 10800-10FFF and 1E800-1EFFF planes' blocks), and U+200F.
_RIGHT_TO_LEFT_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF),
                         (0x1E800, 0x1EFFF), (0x200F, 0x200F))


@lru_cache(maxsize=1)
def right_to_left() -> frozenset[str]:
    """Every character whose bidi class is R or AL (written right to left), as this Python's Unicode database
    says: gathered once from the blocks that hold them (a few thousand look-ups, 2 ms); a text is tested by
    set intersection, at C speed."""
    import unicodedata

    return frozenset(chr(code) for first, last in _RIGHT_TO_LEFT_BLOCKS for code in range(first, last + 1)
                     if unicodedata.bidirectional(chr(code)) in ("R", "AL"))


def left_to_right(text: str) -> bool:
    """Whether `text` holds a letter written left to right (bidi class L)."""
    import unicodedata

    return any(unicodedata.bidirectional(ch) == "L" for ch in text)
