"""Font choices as data (templates/fonts.yaml): which faces each language uses, glyph coverage, lazy registration."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content.files import FileRefused, read_bytes
from generator.content.limits import deadline
from generator.content.yamldata import SettingsError, load_data, shape_problem
from generator.render.fontbounds import verified_font
from generator.render.fontcount import check_items
from generator.render.fontfile import inside, locate
from generator.render.fontindex import face_number
from generator.render.fontink import UnusableFont, face_numbers
from generator.render.fontsame import bolds, synthetic_flag

if TYPE_CHECKING:
    from generator.render.tounicode import ReadableTTFont

FACES = ("regular", "bold", "italic", "bold_italic")
MAX_FONT_BYTES = 64_000_000  # the largest CJK collections are about 30 MB
# All the font files fonts.yaml names, together (each is held in memory a few times: eight faces of 63 MB took 1.4 GB,
MAX_FONTS_BYTES = 160_000_000  # thirteenth pass). Three CJK collections and a Latin family fit.
FONT_SECONDS = 30.0  # a font is parsed in well under a second


class FontConfigError(SettingsError):
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
            from generator.render.fontfile import declare_hint

            raise FontConfigError(f"templates/fonts.yaml: no fonts declared for language '{lang}'; add it under "
                                  f"'languages:' (declared: {', '.join(sorted(self.languages))}){declare_hint(lang)}"
                                  ) from None


def load_config(templates: Path) -> FontConfig:
    """Read templates/fonts.yaml; raise FontConfigError with a position-free but precise message."""
    path = templates / "fonts.yaml"
    try:
        stat = path.stat()
    except OSError:
        return _load_config(templates)  # reports the unreadable file
    return _load_config_cached(templates, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@lru_cache(maxsize=16)
def _load_config_cached(templates: Path, size: int, mtime_ns: int, ctime_ns: int, ino: int) -> FontConfig:
    # A build asks for the settings once per PDF; parse the file again only when it has changed (watch mode).
    return _load_config(templates)


def _load_config(templates: Path) -> FontConfig:
    from generator.render.fontnames import written_direction
    from generator.render.settingkeys import FONTS, first_unknown

    path = templates / "fonts.yaml"
    try:
        data = load_data(path)
    except (OSError, ValueError) as exc:
        raise FontConfigError(f"{path}: cannot read font settings: {exc}") from None
    if (unknown := first_unknown(path, FONTS)) is not None:  # `italik:` ignored blamed the content (33rd pass)
        raise FontConfigError(unknown)
    try:
        families: dict[str, dict[str, Face]] = {}
        for family, spec in data["families"].items():
            synthetic = synthetic_flag(spec.get("synthetic_bold", False), f"{path}: families.{family}")
            faces = {}
            for face in FACES:
                if face not in spec:
                    continue
                file, _, index = str(spec[face]).partition("#")
                if not inside(templates, file):
                    raise FontConfigError(f"{path}: font file '{file}' of family '{family}' is outside the "
                                          "templates folder; put the font under templates/fonts/ and give a "
                                          "relative path")
                faces[face] = Face(f"{family}-{face}", locate(templates, file), face_number(index, f"{family}.{face}"),
                                   synthetic and face.startswith("bold"))
            if "regular" not in faces or "bold" not in faces:
                raise FontConfigError(f"{path}: family '{family}' needs at least regular and bold faces")
            families[family] = {**faces, **bolds(faces, f"{path}: families.{family}")}  # never the plain face
        languages = {}
        for lang, spec in data["languages"].items():
            family = spec["family"]
            if family not in families:
                raise FontConfigError(f"{path}: language '{lang}' uses unknown family '{family}'")
            direction = spec.get("direction", written_direction(lang))
            if direction is None:  # Dari (prs) defaulted to ltr printed every word reversed (eighth pass)
                raise FontConfigError(f"{path}: language '{lang}': say whether it is written left to right or right "
                                      "to left (`direction: ltr` or `direction: rtl`); CLDR does not know it")
            breaking = spec.get("breaking", "words")
            if direction not in ("ltr", "rtl") or breaking not in ("words", "cjk"):  # not a silent default
                raise FontConfigError(f"{path}: language '{lang}': direction must be ltr or rtl and breaking words "
                                      f"or cjk, not '{direction}' and '{breaking}'")
            if (known := written_direction(lang)) not in (None, direction):
                # Arabic set left to right printed every word's letters in reverse order, unshaped (eighth pass)
                raise FontConfigError(f"{path}: language '{lang}' is written {known}, not {direction}; set "
                                      f"`direction: {known}` (or remove the line)")
            languages[lang] = LanguageFonts(lang, family, direction, breaking, tuple(families[family].items()))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise FontConfigError(f"{path}: {shape_problem(exc, data, 'templates/fonts.yaml')}") from None
    # By face: each face of a collection has copies of its own (one 62 MB file of 8 faces took 2 GB: 13th pass)
    read = {(face.path.resolve(), face.index): _stamp(face.path) for faces in families.values()
            for face in faces.values()}
    if (total := sum(stamp[0] for stamp in read.values() if stamp)) > MAX_FONTS_BYTES:
        raise FontConfigError(f"{path}: the faces it names take {total / 1e6:,.0f} MB together (a collection once per "
                              f"face), more than {MAX_FONTS_BYTES / 1e6:,.0f} MB; use fewer families or font subsets")
    if (problem := check_items(path, (face for face, stamp in read.items() if stamp), font_bytes)) is not None:
        raise FontConfigError(problem)  # by glyphs and characters too: what a check's time and memory grow with
    return FontConfig(families, languages)


def _stamp(path: Path) -> tuple[int, ...]:  # read again when changed (watch, a test), even with its time restored
    try:
        stat = path.stat()
    except OSError:
        return ()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def file_version(path: Path) -> tuple[int, ...]:
    """What identifies a version of a font file (its size, times and inode; empty when it cannot be read)."""
    return _stamp(path)


def file_digest(path: Path) -> str:
    """The SHA-256 of a font file's bytes: what tells two files (or two versions of one) apart."""
    return _digest(path, _stamp(path))


@lru_cache(maxsize=32)
def _digest(path: Path, stamp: tuple[int, ...]) -> str:
    import hashlib

    return hashlib.sha256(_font_bytes(path, stamp)).hexdigest()


# A file read whole that a bound, fontTools or ReportLab refuses (34th pass: it was called "missing or unreadable").
NOT_A_FONT = "cannot be used as a font ({}); use another font file, or a fresh copy of this one"


def font_bytes(path: Path) -> bytes:
    """A font file's bytes: a regular file of bounded size (never a pipe or device), read once per version."""
    return _font_bytes(path, _stamp(path))


@lru_cache(maxsize=16)
def _font_bytes(path: Path, stamp: tuple[int, ...]) -> bytes:
    try:
        return read_bytes(path, MAX_FONT_BYTES)
    except FileRefused as exc:
        raise FontConfigError(f"{path}: font file is missing or unreadable (it {exc.reason})") from None


def _guarded(path: Path, work):  # type: ignore[no-untyped-def]
    """Run `work(bytes)` on the font's bytes within the time limit; any damage is a FontConfigError."""
    try:
        data = font_bytes(path)
        with deadline(FONT_SECONDS, f"reading the font {path.name}"):
            return work(data)
    except FontConfigError:
        raise
    except UnusableFont as exc:  # read well, but what it draws could not be read on paper
        raise FontConfigError(f"{path}: this font cannot be used: {exc}") from None
    except MemoryError:
        raise FontConfigError(f"{path}: not enough memory to read this font; use a smaller file (a subset)") from None
    except Exception as exc:  # noqa: BLE001 - a damaged font can fail in many ways; each is the same problem
        raise FontConfigError(f"{path}: {NOT_A_FONT.format(exc)}") from None


@lru_cache(maxsize=16)
def _verify(path: Path, index: int, stamp: tuple[int, ...]) -> None:
    if (path, index, stamp) not in VERIFIED:  # the check verified it before the workers were forked
        _guarded(path, lambda data: verified_font(data, index))
        VERIFIED.add((path, index, stamp))


# Faces (by file version) whose bytes passed _verified: kept when the checks' data is dropped before forking,
# so a worker registering a face the check already read does not verify its 30 MB again.
VERIFIED: set[tuple[Path, int, tuple[int, ...]]] = set()


def verify(face: Face) -> tuple[str, int, tuple[int, ...]]:
    """`_verify` a face's file here (and in workers forked later), or raise FontConfigError; its version."""
    stamp = _stamp(face.path)
    _verify(face.path, face.index, stamp)
    return str(face.path), face.index, stamp


@lru_cache(maxsize=32)
def _face_data(path: Path, index: int, stamp: tuple[int, ...]) -> tuple[frozenset[int], dict[int, int], int]:
    """A face's code points, each code point's advance width in font units, and the units per em; kept as plain
    numbers only (fontTools' parsed tables are dropped: for a CJK face they take tens of MB)."""
    known = (path, index, stamp) in VERIFIED
    data, at = _source(path, index, stamp)
    found = _guarded(path, lambda _: face_numbers(data, at, drawn_map(path, index, stamp),
                                                 known or not _own(path, stamp)))
    VERIFIED.add((path, index, stamp))
    return found


@lru_cache(maxsize=16)
def _file_map(path: Path, index: int, stamp: tuple[int, ...]) -> dict[int, int]:
    from generator.render.fontcmap import reportlab_map

    _verify(path, index, stamp)
    return _guarded(path, lambda data: reportlab_map(data, index))


@lru_cache(maxsize=16)
def drawn_map(path: Path, index: int, stamp: tuple[int, ...]) -> dict[int, int]:
    """Each code point of this version of the face and the glyph ReportLab draws for it (fontcmap), in the face
    as drawn (`source`)."""
    from generator.render.fontcmap import reportlab_map

    if _own(path, stamp):
        return _file_map(path, index, stamp)
    data, at = _source(path, index, stamp)
    return _guarded(path, lambda _: reportlab_map(data, at))


def source(face: Face) -> tuple[bytes, int]:
    """The face as ReportLab draws it (a project's own: its numbers the shipped glyphs, fontguard), and its index."""
    return _source(face.path, face.index, _stamp(face.path))


def _source(path: Path, index: int, stamp: tuple[int, ...]) -> tuple[bytes, int]:
    return (font_bytes(path), index) if _own(path, stamp) else (_borrowed(path, index, stamp), 0)


def own_file(face: Face) -> bool:
    """Whether the face's file is one of the generator's own (or a byte-for-byte copy): drawn as shipped."""
    return _own(face.path, _stamp(face.path))


@lru_cache(maxsize=32)
def _own(path: Path, stamp: tuple[int, ...]) -> bool:
    from generator.render.fontguard import is_shipped

    return is_shipped(path, font_bytes(path))


@lru_cache(maxsize=8)  # kept when the checks' data is dropped before forking: every worker draws with it
def _borrowed(path: Path, index: int, stamp: tuple[int, ...]) -> bytes:
    from generator.render.fontguard import borrowed

    mapping = _file_map(path, index, stamp)
    return _guarded(path, lambda data: borrowed(data, index, mapping))


@lru_cache(maxsize=8)
def _drawn_bytes(path: Path, index: int, stamp: tuple[int, ...], as_file: bool = False) -> tuple[bytes, int]:
    from generator.render.fontcmap import with_only_map

    if as_file:
        return _guarded(path, lambda data: with_only_map(data, index, _file_map(path, index, stamp))), index
    data, at = _source(path, index, stamp)
    return _guarded(path, lambda _: with_only_map(data, at, drawn_map(path, index, stamp))), at


def drawn_bytes(face: Face, as_file: bool = False) -> tuple[bytes, int]:
    """The face (`as_file`: before fontguard) as FreeType must read it to draw what ReportLab draws, and its index."""
    return _drawn_bytes(face.path, face.index, _stamp(face.path), as_file)


def face_font(path: Path, index: int):  # type: ignore[no-untyped-def]
    """The face as a fontTools TTFont, read and checked once per version of the file (tables read lazily)."""
    return _face_font(path, index, _stamp(path))


@lru_cache(maxsize=8)
def _face_font(path: Path, index: int, stamp: tuple[int, ...]):  # type: ignore[no-untyped-def]
    return _guarded(path, lambda data: verified_font(data, index))


def coverage(path: Path, index: int) -> frozenset[int]:
    """The code points a face has glyphs for."""
    return _face_data(path, index, _stamp(path))[0]


def ink_check(face: Face) -> Callable[[frozenset[int]], frozenset[int]]:
    """For this version of the face's file: which of some code points (in its coverage) it draws without ink."""
    from generator.render.fontink import invisible

    stamp = _stamp(face.path)
    (data, at), version = _drawn_bytes(face.path, face.index, stamp), (face.path, face.index, stamp)
    return lambda codes: invisible(data, at, version, codes)


def spacing_check(face: Face) -> Callable[[frozenset[int]], dict[int, str]]:
    """For this version of the face's file: which of some code points (drawn with ink) its advance widths would
    print over their neighbours or far from them, each with why (fontink.crowded)."""
    from generator.render.fontink import crowded

    stamp = _stamp(face.path)
    (data, at), version = _drawn_bytes(face.path, face.index, stamp), (face.path, face.index, stamp)
    widths, units = _face_data(face.path, face.index, stamp)[1:]
    return lambda codes: crowded(data, at, version, codes, widths, units)


def advances(path: Path, index: int) -> tuple[dict[int, int], int]:
    """Each code point's advance width in font units, and the units per em (to measure text for checks)."""
    _, widths, units = _face_data(path, index, _stamp(path))
    return widths, units


def forget_checked() -> None:
    """Drop what the checks read (bytes and numbers), before forking workers: they never need it."""
    _face_data.cache_clear()
    _font_bytes.cache_clear()
    _drawn_bytes.cache_clear()
    drawn_map.cache_clear()
    _file_map.cache_clear()


# The ReportLab name each version of each face was registered under in this process. A name never stands for two
# files: another clinic's family of the same name (a many-clinics build), a font file replaced while --watch or
# the front desk runs, each get a name of their own (eighth pass: they were drawn in the first file's glyphs).
_names: dict[tuple[str, Path, int, tuple[int, ...]], str] = {}


def register(face: Face) -> str:
    """Register a face with ReportLab once per process and version of its file, and return its ReportLab name
    (the face's own name, or that name with a suffix when the name is taken by another file)."""
    stamp = _stamp(face.path)
    version = (face.name, face.path, face.index, stamp)
    if (name := _names.get(version)) is not None:
        return name
    from reportlab.pdfbase import pdfmetrics

    from generator.render.tounicode import ReadableTTFont

    taken = set(pdfmetrics.getRegisteredFontNames())
    name = face.name if face.name not in taken else f"{face.name}@{len(_names)}"
    try:
        _verify(face.path, face.index, stamp)  # size, type, tables, cmap: before ReportLab parses it
        # By content: the same face of the same file under another name (a synthetic bold), or of a copy of the
        # file (two families' folders holding one font: two parses gave two fonts of one PostScript name in a PDF,
        # which ReportLab refuses to write, ninth pass), is parsed once and shares one set of subsets.
        identity = (file_digest(face.path), face.index)
        parsed = _parsed.get(identity)
        if parsed is not None:
            font = parsed.renamed(name)
        else:
            data, at = _source(face.path, face.index, stamp)
            with deadline(FONT_SECONDS, f"reading the font {face.path.name}"):
                font = ReadableTTFont(name, io.BytesIO(data), subfontIndex=at)
            _parsed[identity] = font
        known = pdfmetrics._dynFaceNames.get(font.face.name)  # noqa: SLF001 - see below
        if known is not None and known.face is not font.face:
            # ReportLab hands out the first font it registered under a PostScript name for every later font of
            # that name: two files calling themselves "NotoSans-Regular" (a subset and the whole font) drew
            # Spanish in the subset's glyphs, as boxes (eighth pass). This font is registered as itself; a second
            # name of one parse is that parse's font, as ReportLab does (two fonts of one face in a PDF are two
            # subsets of one name, which it refuses to write).
            pdfmetrics._fonts[name] = parsed if parsed is not None else font  # noqa: SLF001
        else:
            pdfmetrics.registerFont(font)
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways (TTFError, struct.error...)
        raise FontConfigError(f"{face.path}: {NOT_A_FONT.format(exc)}") from None
    _names[version] = name
    if _own(face.path, stamp):
        _SHIPPED_NAMES.add(name)
    return name


_SHIPPED_NAMES: set[str] = set()  # registered names of the generator's own faces (and copies)

def drawn_as_shipped(name: str) -> bool:
    """Whether a registered face is one of the generator's own files (or a copy): its letters need no clipping."""
    return name in _SHIPPED_NAMES


_parsed: dict[tuple[str, int], ReadableTTFont] = {}  # by file content and face: each parsed once
