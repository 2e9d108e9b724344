"""Fonts named apart: one PostScript name for one file, and each language in its script's direction."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from generator.render import fonts
from generator.render.fontbounds import check_collection


def check_names(config: fonts.FontConfig, langs: Iterable[str]) -> None:
    """Raise FontConfigError when two different font files these languages use give one PostScript name: ReportLab
    and PDF readers tell fonts apart by it, and drew Spanish in an ASCII subset's glyphs (eighth pass)."""
    seen: dict[str, tuple[str, Path]] = {}
    for lang in langs:
        if lang not in config.languages:
            continue
        for _, face in config.languages[lang].faces:
            version = fonts._stamp(face.path)  # noqa: SLF001 - the fonts module's own notion of a file version
            digest = _digest(face.path, version)
            for name in _postscript_names(face.path, face.index, version):
                other = seen.setdefault(name, (digest, face.path))
                if other[0] != digest:
                    raise fonts.FontConfigError(
                        f"{face.path}: this font and {other[1]} are different files that both call themselves "
                        f"'{name}'; PDF readers tell fonts apart by that name, so one would be drawn with the other's "
                        "glyphs; use one file for both, or rename one font (its name table, name ID 6)")


@lru_cache(maxsize=32)
def _digest(path: Path, stamp: tuple[int, ...]) -> str:
    import hashlib

    return hashlib.sha256(fonts.font_bytes(path)).hexdigest()


@lru_cache(maxsize=32)
def _postscript_names(path: Path, index: int, stamp: tuple[int, ...]) -> frozenset[str]:
    """Every PostScript name (name ID 6) the face gives, in any platform's record: ReportLab takes the Macintosh
    one first, fontTools the Windows one (eighth pass: two files differing only in the record the check read)."""
    def read(data: bytes) -> frozenset[str]:
        from fontTools.ttLib import TTFont

        check_collection(data, index)
        table = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)["name"]
        return frozenset(str(record.toUnicode(errors="replace")).strip() for record in table.names
                         if record.nameID == 6) - {""}

    return fonts._guarded(path, read)  # noqa: SLF001 - a damaged font is one FontConfigError, as everywhere


@lru_cache(maxsize=64)
def written_direction(lang: str) -> str | None:
    """"rtl" or "ltr", as CLDR (Babel) says the language is written; None for a language it does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        order = Locale.parse(lang.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return {"right-to-left": "rtl", "left-to-right": "ltr"}.get(order)
