"""Font choices as data (templates/fonts.yaml): which faces each language uses, glyph coverage, lazy registration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from generator.yamlread import SAFE_LOADER

FACES = ("regular", "bold", "italic", "bold_italic")


class FontConfigError(Exception):
    """fonts.yaml is broken or names a file that is missing or unreadable."""


@dataclass(frozen=True)
class Face:
    """One font file (or one font inside a .ttc collection) under a registered name."""

    name: str
    path: Path
    index: int
    synthetic_bold: bool = False


@dataclass(frozen=True)
class LanguageFonts:
    """The faces, text direction and line-breaking rule of one language."""

    lang: str
    family: str
    direction: str
    breaking: str
    faces: tuple[tuple[str, Face], ...]

    def face(self, bold: bool = False, italic: bool = False) -> Face | None:
        """The declared face for a style, or None when the family has none (e.g. no Arabic italic)."""
        key = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
               (True, True): "bold_italic"}[(bold, italic)]
        return dict(self.faces).get(key)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class FontConfig:
    families: dict[str, dict[str, Face]]
    languages: dict[str, LanguageFonts]

    def for_lang(self, lang: str) -> LanguageFonts:
        try:
            return self.languages[lang]
        except KeyError:
            raise FontConfigError(
                f"templates/fonts.yaml: no fonts declared for language '{lang}'; "
                f"add it under 'languages:' (declared: {', '.join(sorted(self.languages))})"
            ) from None


def load_config(templates: Path) -> FontConfig:
    """Read templates/fonts.yaml; raise FontConfigError with a position-free but precise message."""
    path = templates / "fonts.yaml"
    try:
        stat = path.stat()
    except OSError:
        return _load_config(templates)  # reports the unreadable file
    return _load_config_cached(templates, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _load_config_cached(templates: Path, size: int, mtime_ns: int) -> FontConfig:
    # A build asks for the settings once per PDF; parse the file again only when it has changed (watch mode).
    return _load_config(templates)


def _load_config(templates: Path) -> FontConfig:
    path = templates / "fonts.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise FontConfigError(f"{path}: cannot read font settings: {exc}") from None
    try:
        families: dict[str, dict[str, Face]] = {}
        for family, spec in data["families"].items():
            synthetic = bool(spec.get("synthetic_bold", False))
            faces = {}
            for face in FACES:
                if face not in spec:
                    continue
                file, _, index = str(spec[face]).partition("#")
                faces[face] = Face(f"{family}-{face}", templates / file, int(index or 0),
                                   synthetic and face.startswith("bold"))
            if "regular" not in faces or "bold" not in faces:
                raise FontConfigError(f"{path}: family '{family}' needs at least regular and bold faces")
            families[family] = faces
        languages = {}
        for lang, spec in data["languages"].items():
            family = spec["family"]
            if family not in families:
                raise FontConfigError(f"{path}: language '{lang}' uses unknown family '{family}'")
            languages[lang] = LanguageFonts(lang, family, spec.get("direction", "ltr"),
                                            spec.get("breaking", "words"), tuple(families[family].items()))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise FontConfigError(f"{path}: malformed font settings ({exc!r})") from None
    return FontConfig(families, languages)


@cache
def coverage(path: Path, index: int) -> frozenset[int]:
    """The code points a face has glyphs for (read with fontTools: no ReportLab import needed)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
        # Synthetic glyph names: decoding the real ones (the 'post' table) costs more than the whole check.
        font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
        cmap = font["cmap"].getBestCmap() or {}
    except (OSError, TTLibError, AssertionError, KeyError, ValueError) as exc:
        raise FontConfigError(f"{path}: font file is missing or unreadable ({exc})") from None
    return frozenset(cmap)


_registered: set[str] = set()


def register(face: Face) -> str:
    """Register a face with ReportLab once per process and return its name."""
    if face.name in _registered:
        return face.name
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    _registered.add(face.name)
    if face.name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(face.name, str(face.path), subfontIndex=face.index))
        except (OSError, TTFError) as exc:
            _registered.discard(face.name)
            raise FontConfigError(f"{face.path}: font file is missing or unreadable ({exc})") from None
    return face.name
