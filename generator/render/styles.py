"""Page and text styles as data (templates/style.yaml): the standard edition, large print, the bilingual second
language, and the checks that keep every edition printable (margins, text contrast in colour and greyscale)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from generator.content.yamldata import SettingsError, load_data, shape_problem
from generator.render.settingkeys import STYLE, first_unknown


@dataclass(frozen=True)
class TextStyle:
    """Size, leading and colour of a kind of text; spacing in points."""

    size: float
    leading: float
    color: str
    bold: bool = False
    space_before: float = 0.0
    space_after: float = 0.0

MM = 72 / 25.4
MIN_MARGIN_MM = 12.7  # print-safe: most office printers cannot print closer to the edge
MIN_CONTRAST = 4.5  # WCAG 2 AA for body text; checked in colour and after conversion to grey
MAX_MARGIN_MM = 45.0  # each side: A4 is 210 mm wide; two such margins still leave 120 mm of text
MAX_TEXT_PT = 72.0  # any text style: a 200 pt heading kept with its first lines no longer fits a page
MAX_STAMP_PT = 24.0  # the three-line footer stamp: twice large print's 12 pt still leaves the page its text
# The full disclaimer is one box, never split: at 16 pt (leading 32) the longest shipped one fits a page between 45 mm
# margins; at 72 pt, within the text styles' bound, no build could lay it out (thirteenth pass)
MAX_DISCLAIMER_PT = 16.0
MIN_STAMP_PT = 6.0  # the footer stamp and the disclaimer: smaller is not readable on paper
MIN_WATERMARK_CONTRAST = 1.3  # the DRAFT watermark against white paper, in colour and in greyscale
TEXT_STYLES = ("clinic", "title", "summary", "heading", "subheading", "body", "item", "cell", "disclaimer")
MIN_BORDER_CONTRAST = 3.0  # the help box's border against white paper (WCAG 1.4.11, non-text contrast)
HEADING_STYLES = ("title", "heading", "subheading")
# Styles of text whose units carry the content's own bold words: set all in bold, "Do **not** drive" reads as
# "Do not drive" (a judgement call of the sixteenth pass, taken up in the seventeenth session).
EMPHASIS_STYLES = ("summary", "body", "item", "cell", "disclaimer")
# The colours text is drawn in, and what it may be drawn on (white paper, the callout, the table header, the
# light DRAFT watermark under the text).
TEXT_COLORS = ("text", "heading", "muted", "second")
BACKGROUND_COLORS = ("callout_background", "table_header_background", "watermark")
PAPER_WHITE = "#ffffff"
# What `--large-print` promises (RNIB and NHS clear-print guidance): a style.yaml that asks for less is refused.
LARGE_BODY_MIN = 16.0
LARGE_HEADING_MIN = 20.0
LARGE_LINE_SPACING_MIN = 1.4
# What every edition promises patients (CDC Clear Communication, NHS patient information): the standard edition's
# smallest sizes per text style, in points; style.yaml asking for less is refused.
TYPE_SIZE_MIN = {"clinic": 12.0, "title": 14.0, "summary": 12.0, "heading": 14.0, "subheading": 14.0,
                 "body": 12.0, "item": 12.0, "cell": 11.0, "disclaimer": 10.0}
FOOTER_SIZE_MIN = 8.0  # the stamp on every page: shrunk to fit down to here, never further
LARGE_FOOTER_MIN = 12.0  # large print's stamp (review state, short disclaimer): 8 pt was the standard edition's
HEADING_APART = 1.2  # a heading not set in bold is at least this many times the body size (sixteenth pass)
MIN_TITLE_CHARS = 12  # a title shortened to fit the footer keeps at least this much, before "…"
SECOND_SIZE_MIN = 10.5  # a bilingual handout's second language (or the first's size, where that is smaller)
LINE_SPACING_MIN = 1.3
TABLE_FIRST_COLUMN = 0.26  # of the text width: a table's first column (render/flowables.py, Builder.table)
CELL_PADDING = 6.0  # points on each side of a table cell's text (ReportLab's default, which the tables keep)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}\Z")


class StyleError(SettingsError):
    """style.yaml is unreadable or incomplete."""


@dataclass(frozen=True)
class Styles:
    margins: dict[str, float]  # points
    colors: dict[str, str]
    text: dict[str, TextStyle]
    footer_size: float
    second_ratio: float = 0.9  # the bilingual second language, relative to the first
    second_indent: float = 9.0  # points, on the second language's own start side
    large_print: bool = False
    second_min: float = SECOND_SIZE_MIN  # no second-language text is smaller, unless the first is

    def second(self, style: TextStyle) -> TextStyle:
        """The style of the second language's text beneath a unit printed in `style`."""
        size = max(style.size * self.second_ratio, min(self.second_min, style.size))
        return replace(style, size=size, leading=style.leading * size / style.size,
                       color=self.colors["second"], space_before=0.0)


def footer_floor(page_styles: Styles) -> float:
    """The smallest size a footer line that does not fit is set at: 8 pt; in large print never below its own
    footer size (style.yaml's promise: a large-print reader needs the review state at large-print size)."""
    return page_styles.footer_size if page_styles.large_print else FOOTER_SIZE_MIN


def load(path: Path, large_print: bool = False) -> Styles:
    """Read style.yaml; with `large_print`, its `large_print:` section overrides sizes and is checked."""
    try:
        stat = path.stat()
    except OSError:
        return _load(path, large_print)  # reports the unreadable file
    return _load_cached(path, large_print, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@lru_cache(maxsize=16)
def _load_cached(path: Path, large_print: bool, size: int, mtime_ns: int, ctime_ns: int, ino: int) -> Styles:
    # A build asks for the styles once per PDF; parse the file again only when it has changed (watch mode).
    return _load(path, large_print)


def _at(key: str, over: frozenset[str]) -> str:
    """Where the file sets `key` ("text.body", "page.footer_size", "bilingual.indent"): in the `large_print:`
    section when that replaced it (thirty-third pass: named, and so placed, at the standard section's line)."""
    short = key.removeprefix("page.")
    return f"large_print.{short}" if short in over else key


def _bold(path: Path, key: str, spec: dict) -> bool:
    """A style's `bold:`, a YAML true or false: `bold: "false"` (quoted) was a non-empty string, read as bold."""
    value = spec.get("bold", False)
    if not isinstance(value, bool):
        raise StyleError(f"{path}: {key}.bold: {str(value)[:40]!r} is not true or false; write bold: true or "
                         "bold: false, without quotes")
    return value


def _load(path: Path, large_print: bool) -> Styles:
    try:
        data = load_data(path)
    except (OSError, ValueError) as exc:
        raise StyleError(f"{path}: cannot read styles: {exc}") from None
    _check_finite(path, data)
    if (unknown := first_unknown(path, STYLE)) is not None:  # `leadng:` ignored printed the default (33rd pass)
        raise StyleError(unknown)
    try:
        margins = {side: float(mm) * MM for side, mm in data["page"]["margin_mm"].items()}
        colors = {k: str(v) for k, v in data["colors"].items()}
        colors.setdefault("second", colors.get("muted", ""))  # style files older than bilingual editions
        specs = dict(data["text"])
        footer = float(data["page"]["footer_size"])
        bilingual = dict(data.get("bilingual") or {})
        over: frozenset[str] = frozenset()
        if large_print:
            large = data.get("large_print")
            if not isinstance(large, dict):
                raise StyleError(f"{path}: no 'large_print:' section, so --large-print has no sizes; "
                                 "copy the large_print section of the shipped templates/style.yaml")
            for name in large.get("text") or {}:
                if name not in specs:
                    raise StyleError(f"{path}: large_print.text.{name}: unknown text style; "
                                     f"use one of: {', '.join(specs)}")
            specs.update(large.get("text") or {})
            footer = float(large.get("footer_size", footer))
            bilingual.update(large.get("bilingual") or {})
            over = frozenset([*(f"text.{name}" for name in large.get("text") or {}),
                              *(f"bilingual.{key}" for key in large.get("bilingual") or {}),
                              *(["footer_size"] if "footer_size" in large else [])])
        text = {
            name: TextStyle(float(spec["size"]), float(spec["leading"]),
                            colors["heading"] if name in ("title", "heading", "clinic") else colors["text"],
                            _bold(path, _at(f"text.{name}", over), spec), float(spec.get("space_before", 0)),
                            float(spec.get("space_after", 0)))
            for name, spec in specs.items()
        }
        ratio = float(bilingual.get("size_ratio", 0.9))
        indent = float(bilingual.get("indent", 9))
        second_min = float(bilingual.get("min_size", SECOND_SIZE_MIN))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StyleError(f"{path}: {shape_problem(exc, data, 'templates/style.yaml')}") from None
    for name, style in text.items():
        if not (0 < style.size and 0 < style.leading) or footer <= 0:
            raise StyleError(f"{path}: {_at(f'text.{name}', over)}: size and leading must be positive points; fix "
                             "the file")
        if style.size > MAX_TEXT_PT or style.leading > 2 * MAX_TEXT_PT:  # a heading and its next lines fit a page
            raise StyleError(f"{path}: {_at(f'text.{name}', over)}: size {style.size:g} pt (leading "
                             f"{style.leading:g}); at most "
                             f"{MAX_TEXT_PT:g} pt (leading {2 * MAX_TEXT_PT:g}) leaves a page room for it")
    for side in ("top", "bottom", "left", "right"):
        if margins.get(side, 0) < MIN_MARGIN_MM * MM - 0.01:
            raise StyleError(f"{path}: page.margin_mm.{side} must be at least {MIN_MARGIN_MM} mm (print-safe)")
    missing = [name for name in TEXT_STYLES if name not in text]
    if missing:
        raise StyleError(f"{path}: text: missing style(s) {', '.join(missing)}; add them (sizes in points)")
    _check_page(path, margins, text, footer, indent, over)
    _check_cells(path, margins, text["cell"], "large_print." if large_print else "")
    if not 0.5 <= ratio <= 1.0:
        raise StyleError(f"{path}: {_at('bilingual.size_ratio', over)} must be between 0.5 and 1.0, not {ratio}")
    _check_colors(path, colors)
    styles = Styles(margins, colors, text, footer, ratio, indent, large_print, second_min)
    if large_print:
        _check_large_print(path, styles)  # its stricter promise is named first
    _check_type_sizes(path, styles)
    return styles


def _check_type_sizes(path: Path, styles: Styles) -> None:
    """Refuse type patients cannot read: the minimum sizes, line spacing and footer and second-language sizes."""
    where = "large_print." if styles.large_print else ""
    for name, style in styles.text.items():
        minimum = TYPE_SIZE_MIN.get(name, TYPE_SIZE_MIN["body"])
        if not style.size >= minimum:
            raise StyleError(f"{path}: {where}text.{name}: size {style.size:g} pt is below the {minimum:g} pt "
                             f"patients need for {name} text; raise it")
        if not style.leading >= style.size * LINE_SPACING_MIN - 1e-9:
            raise StyleError(f"{path}: {where}text.{name}: leading {style.leading:g} pt is less than "
                             f"{LINE_SPACING_MIN} × the size; raise it to at least {style.size * LINE_SPACING_MIN:g}")
    body = styles.text["body"]
    for name in HEADING_STYLES:
        style = styles.text[name]
        if not style.bold and not style.size >= body.size * HEADING_APART - 1e-9:
            raise StyleError(f"{path}: {where}text.{name}: a heading neither bold nor larger than the body text "
                             f"({style.size:g} pt, body {body.size:g} pt) reads as a line of the text; make it bold "
                             f"or at least {body.size * HEADING_APART:g} pt")
    for name in EMPHASIS_STYLES:
        if styles.text[name].bold:
            raise StyleError(f"{path}: {where}text.{name}: set in bold, the content's own bold words (\"Do **not** "
                             "drive\") print like the rest; remove `bold: true` (headings may be bold)")
    if styles.large_print and not styles.footer_size >= LARGE_FOOTER_MIN:
        raise StyleError(f"{path}: large_print.footer_size {styles.footer_size:g} pt is below the "
                         f"{LARGE_FOOTER_MIN:g} pt a large-print edition's review state and disclaimer need; raise it")
    if not styles.footer_size >= FOOTER_SIZE_MIN:
        raise StyleError(f"{path}: {where}footer_size {styles.footer_size:g} pt is below the {FOOTER_SIZE_MIN:g} pt "
                         "minimum; raise it")
    if not styles.second_min >= SECOND_SIZE_MIN:
        raise StyleError(f"{path}: bilingual.min_size {styles.second_min:g} pt is below the {SECOND_SIZE_MIN:g} pt "
                         "a bilingual handout's second language needs; raise it")


def _check_finite(path: Path, data: object, key: str = "") -> None:
    """Every number in style.yaml is finite: `.inf` and `.nan` pass every comparison and break the layout."""
    if isinstance(data, float) and not math.isfinite(data) or isinstance(data, str) and _non_finite_text(data):
        # A quoted "nan" or an unquoted 1e400 (YAML 1.1 reads it as text) becomes one through float() below.
        raise StyleError(f"{path}: {key}: {data} is not a number of points or millimetres; write a finite number")
    if isinstance(data, dict):
        for name, value in data.items():
            _check_finite(path, value, f"{key}.{name}" if key else str(name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_finite(path, value, f"{key}[{index}]")


def _non_finite_text(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False


def _check_page(path: Path, margins: dict[str, float], text: dict[str, TextStyle], footer: float,
                indent: float, over: frozenset[str] = frozenset()) -> None:
    """The body fits every paper, and what must stay visible (the review state and disclaimer in the footer
    stamp, the disclaimer itself) cannot be made too small to read, whatever the style asks."""
    for side in ("top", "bottom", "left", "right"):
        if margins.get(side, 0) > MAX_MARGIN_MM * MM:
            raise StyleError(f"{path}: page.margin_mm.{side} is {margins[side] / MM:g} mm; at most {MAX_MARGIN_MM} "
                             "mm leaves room for the text on A4 and Letter paper")
    stamp, boxed = _at("page.footer_size", over), _at("text.disclaimer", over)
    if footer > MAX_STAMP_PT:
        raise StyleError(f"{path}: {stamp} is {footer:g} pt; at most {MAX_STAMP_PT:g} pt leaves room on the "
                         "page for the text above the footer stamp")
    if footer < MIN_STAMP_PT:
        raise StyleError(f"{path}: {stamp} is {footer:g} pt; the footer stamp (review state, fingerprint, "
                         f"disclaimer) must be at least {MIN_STAMP_PT:g} pt to stay readable")
    disclaimer = text["disclaimer"]
    if disclaimer.size < MIN_STAMP_PT or disclaimer.leading < disclaimer.size:
        raise StyleError(f"{path}: {boxed} must be at least {MIN_STAMP_PT:g} pt, with a leading of at least "
                         "its size: the disclaimer must stay readable")
    if disclaimer.size > MAX_DISCLAIMER_PT or disclaimer.leading > 2 * disclaimer.size:
        raise StyleError(f"{path}: {boxed} may be at most {MAX_DISCLAIMER_PT:g} pt, with a leading of at most "
                         "twice its size: the full disclaimer is one box on one page")
    for name, style in text.items():
        if not (0 <= style.space_before <= 200 and 0 <= style.space_after <= 200):
            raise StyleError(f"{path}: {_at(f'text.{name}', over)}: space_before and space_after must be between 0 "
                             "and 200 points")
    if not 0 <= indent <= 72:
        raise StyleError(f"{path}: {_at('bilingual.indent', over)} must be between 0 and 72 points, not {indent:g}")


def _check_cells(path: Path, margins: dict[str, float], cell: TextStyle, where: str) -> None:
    """A table cell's text is set at least an em wide (textflow: a word is cut between its letters, never clipped),
    so a cell style too large for the narrowest column ran its words over the next cells and past the right margin
    (fifteenth pass: 72 pt cells in a six-column table). The narrowest: the last of six on A4 between these margins."""
    from reportlab.lib.pagesizes import A4

    from generator.content.parse.tables import MAX_TABLE_COLUMNS

    width = A4[0] - margins["left"] - margins["right"]
    column = width * (1 - TABLE_FIRST_COLUMN) / (MAX_TABLE_COLUMNS - 1) - 2 * CELL_PADDING
    if cell.size > column + 1e-9:
        raise StyleError(f"{path}: {where}text.cell: size {cell.size:g} pt is too large for a table's narrowest "
                         f"column ({column:.0f} pt between these margins, with {MAX_TABLE_COLUMNS} columns on A4): its "
                         f"words would run over the next cells; make it at most {column:.0f} pt, or narrow the margins")


def _check_colors(path: Path, colors: dict[str, str]) -> None:
    for key in (*TEXT_COLORS, *BACKGROUND_COLORS, "rule", "callout_border", "table_grid"):
        if key not in colors:
            raise StyleError(f"{path}: colors.{key} is missing; add it as a hex colour like \"#1a1a1a\"")
    for key, value in colors.items():
        if not _HEX.match(value):
            raise StyleError(f"{path}: colors.{key}: '{value}' is not a colour; write it as \"#rrggbb\"")
    for fg in TEXT_COLORS:
        for bg in ("paper", *BACKGROUND_COLORS):
            back = PAPER_WHITE if bg == "paper" else colors[bg]
            ratio = min(contrast(colors[fg], back), contrast(grey(colors[fg]), grey(back)))
            if ratio < MIN_CONTRAST:
                raise StyleError(f"{path}: colors.{fg} on {bg} has a contrast of {ratio:.2f}:1 (in colour or in "
                                 f"greyscale print); make the text darker or the background lighter to reach "
                                 f"{MIN_CONTRAST}:1")
    # The help box is the one element patients are told to look for: white fill and border made it vanish (a
    # judgement call of the seventeenth pass, taken up). Its border is a graphic object: WCAG 1.4.11's 3:1.
    border = min(contrast(colors["callout_border"], PAPER_WHITE), contrast(grey(colors["callout_border"]),
                                                                          grey(PAPER_WHITE)))
    if border < MIN_BORDER_CONTRAST:
        raise StyleError(f"{path}: colors.callout_border has a contrast of {border:.2f}:1 on white paper (in colour "
                         f"or in greyscale print); the help box must stand out: make it at least "
                         f"{MIN_BORDER_CONTRAST}:1 (the shipped \"#b35900\" is about 5:1)")
    # On the paper and on every fill it is drawn again over: a callout's (any section may be one, fifth pass) and
    # a table heading row's (a template may make every unit one, seventh pass).
    for bg, back in (("white paper", PAPER_WHITE), ("colors.callout_background", colors["callout_background"]),
                     ("colors.table_header_background", colors["table_header_background"])):
        mark = min(contrast(colors["watermark"], back), contrast(grey(colors["watermark"]), grey(back)))
        if mark < MIN_WATERMARK_CONTRAST:
            # Named both ways: a style carried over from an earlier release failed on its table fill, and the
            # example given was the watermark it already had (twenty-seventh pass)
            fix = "a darker colors.watermark" + ("" if bg == "white paper" else f" or a lighter {bg}")
            raise StyleError(f"{path}: colors.watermark has a contrast of {mark:.2f}:1 on {bg} (in colour or in "
                             f"greyscale print); the DRAFT watermark must stay visible: choose {fix} to reach "
                             f"{MIN_WATERMARK_CONTRAST}:1 (the shipped style.yaml has watermark \"#d6d6d6\" on "
                             "white, callout_background \"#fdf1e6\" and table_header_background \"#f0f4f9\")")


def _check_large_print(path: Path, styles: Styles) -> None:
    for name, style in styles.text.items():
        minimum = LARGE_HEADING_MIN if name in HEADING_STYLES else LARGE_BODY_MIN
        second = styles.second(style)
        for label, size, leading in (("", style.size, style.leading),
                                     (" (second language)", second.size, second.leading)):
            if size < minimum - 1e-9:
                raise StyleError(f"{path}: large_print.text.{name}: size {size:g} pt{label} is below the "
                                 f"large-print minimum of {minimum:g} pt; raise it")
            if leading < size * LARGE_LINE_SPACING_MIN - 1e-9:
                raise StyleError(f"{path}: large_print.text.{name}: leading {leading:g} pt{label} is less than "
                                 f"{LARGE_LINE_SPACING_MIN} × the size; raise it to at least "
                                 f"{size * LARGE_LINE_SPACING_MIN:g}")


# -- colour contrast (WCAG 2) -------------------------------------------------------------------------
def _channels(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(color: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def grey(color: str) -> str:
    """The colour as a greyscale printer driver renders it (Rec. 601 luma of the encoded values)."""
    r, g, b = _channels(color)
    level = round((0.299 * r + 0.587 * g + 0.114 * b) * 255)
    return f"#{level:02x}{level:02x}{level:02x}"
