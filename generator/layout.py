"""Turn the template's XML into ReportLab flowables and a finished PDF, with the footer stamped on every page."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, PageTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable, KeepTogether

from generator import __version__, rtl
from generator.fonts import LanguageFonts, register
from generator.localize import WATERMARK, View
from generator.markup import Span
from generator.styles import MIN_MARGIN_MM, MM, Styles, TextStyle
from generator.textflow import TextFlow

if TYPE_CHECKING:
    from babel import Locale

PAGE_SIZES = {"letter": LETTER, "a4": A4}
BULLET_INDENT = 1.5  # in multiples of the item text size
LOGO_HEIGHT_MM = 14
QR_SIZE_MM = 22
WATERMARK_SIZE = 110
FOOTER_RULE = 4  # points below the body: the rule above the footer stamp
FOOTER_GAP = 6  # points below the body: where the footer's first line starts
FOOTER_SLACK = 2  # points: descenders of the footer's last line, which sit a little below its line box


class _Table(Table):
    """A Table whose cells split across pages at the width they are drawn at (their padding taken off)."""

    def _splitCell(self, value, style, oldHeight, newHeight, width):  # type: ignore[no-untyped-def]  # noqa: N802
        # ReportLab splits a cell's flowables at the full column width but draws them inside the padding,
        # where a text split for the wider width re-wraps into more lines and runs over the page bottom.
        return super()._splitCell(value, style, oldHeight, newHeight,
                                  width - style.leftPadding - style.rightPadding)

    keep_rows_whole = False

    def split(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        # A table row is read across: split between rows, and inside a row only when it would not fit even on
        # a fresh page (a frame at its top), rather than leaving one line of a row above the page break.
        frame = getattr(self, "_frame", None)
        if self.keep_rows_whole and self.splitInRow and frame is not None and not getattr(frame, "_atTop", 1):
            self.splitInRow = 0
            try:
                return super().split(availWidth, availHeight)
            finally:
                self.splitInRow = 1
        return super().split(availWidth, availHeight)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def spans_of(elem: ET.Element, bold: bool = False, italic: bool = False, href: str = "",
             value: bool = False) -> list[Span]:
    """Read the inline tags (<b>, <i>, <a href>, <v>) of an element back into styled spans."""
    out = [Span(elem.text, bold, italic, href, value=value)] if elem.text else []
    for child in elem:
        out += spans_of(child, bold or child.tag == "b", italic or child.tag == "i",
                        child.get("href", href) if child.tag == "a" else href, value or child.tag == "v")
        if child.tail:
            out.append(Span(child.tail, bold, italic, href, value=value))
    return out


def is_second(elem: ET.Element) -> bool:
    """Whether an element is the bilingual edition's second-language text of the element before it."""
    return elem.get("second") == "yes"


class _Builder:
    """Maps each XML element to flowables through a handler table (one small function per tag)."""

    def __init__(self, view: View, fonts: LanguageFonts, styles: Styles, width: float, root: Path,
                 second: LanguageFonts | None = None) -> None:
        self.view, self.fonts, self.styles, self.width, self.root = view, fonts, styles, width, root
        self.second_fonts = second
        self.handlers: dict[str, Callable[[ET.Element], list[Flowable]]] = {
            "titleblock": self.titleblock, "section": self.section, "heading": self.heading,
            "p": self.paragraph, "subheading": self.subheading, "list": self.list, "table": self.table,
            "disclaimer": self.disclaimer, "provenance": self.provenance,
        }

    def fonts_of(self, elem: ET.Element) -> LanguageFonts:
        """The second language's fonts (and so its direction) for its text; the handout's otherwise."""
        if not is_second(elem):
            return self.fonts
        if self.second_fonts is None or elem.get("lang") != self.second_fonts.lang:
            raise ValueError(f"the template marked <{elem.tag}> as second language '{elem.get('lang')}', "
                             "but this is not that bilingual edition")
        return self.second_fonts

    def style_of(self, elem: ET.Element, style: str | TextStyle) -> TextStyle:
        """The named (or given) style; for second-language text, smaller and in the `second` colour."""
        base = self.styles.text[style] if isinstance(style, str) else style
        return self.styles.second(base) if is_second(elem) else base

    def flow(self, elem: ET.Element, style: str | TextStyle, indent: float | None = None,
             **kw: object) -> TextFlow:
        """A text flowable in the element's language; second-language text is indented on its start side."""
        if indent is None:
            indent = self.styles.second_indent if is_second(elem) else 0.0
        return TextFlow(tuple(spans_of(elem)), self.style_of(elem, style), self.fonts_of(elem),
                        indent=indent, **kw)  # type: ignore[arg-type]

    def children(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        for child in elem:
            handler = self.handlers.get(child.tag)
            if handler is None:
                raise ValueError(f"template produced an unknown element <{child.tag}>")
            out += self.keep_pair(out, child, handler(child))
        return out

    @staticmethod
    def keep_pair(before: list[Flowable], elem: ET.Element, made: list[Flowable]) -> list[Flowable]:
        """A unit is kept on the page of its translation beneath it."""
        if is_second(elem) and before and isinstance(before[-1], TextFlow):
            before[-1].keepWithNext = 1
        return made

    def titleblock(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        muted = replace(self.styles.text["summary"], color=self.styles.colors["muted"], space_after=2)
        for child in elem:
            made: list[Flowable]
            if child.tag == "logo":
                image = Image(str(self.root / child.get("src", "")), height=LOGO_HEIGHT_MM * MM,
                              width=LOGO_HEIGHT_MM * MM * 4, kind="proportional")
                image.hAlign = "LEFT" if self.fonts.rtl else "RIGHT"
                made = [image]
            elif child.tag == "contact":
                made = [self.flow(child, muted)]
            elif child.tag in ("clinic", "title", "summary"):
                outline = self.view.title.plain if child.tag == "title" and not is_second(child) else ""
                made = [self.flow(child, child.tag, outline=outline)]
            else:
                raise ValueError(f"template produced an unknown element <{child.tag}> in <titleblock>")
            out += self.keep_pair(out, child, made)
        out.append(HRFlowable(width="100%", thickness=0.8, color=HexColor(self.styles.colors["rule"]),
                              spaceBefore=2, spaceAfter=2))
        return out

    def heading(self, elem: ET.Element) -> list[Flowable]:
        outline = "" if is_second(elem) else "".join(s.text for s in spans_of(elem))
        flow = self.flow(elem, "heading", outline=outline)
        flow.keepWithNext = 1
        return [flow]

    def subheading(self, elem: ET.Element) -> list[Flowable]:
        flow = self.flow(elem, "subheading")
        flow.keepWithNext = 1
        return [flow]

    def paragraph(self, elem: ET.Element) -> list[Flowable]:
        return [self.flow(elem, "body")]

    def list(self, elem: ET.Element) -> list[Flowable]:
        style = self.styles.text["item"]
        indent = style.size * BULLET_INDENT  # a translation lines up with the item's text, on its own side
        items: list[Flowable] = []
        for item in elem:
            if item.tag != "item":
                raise ValueError(f"template produced <{item.tag}> inside <list>; only <item> is allowed")
            marker = "" if is_second(item) else elem.get("marker", "bullet")
            items += self.keep_pair(items, item, [self.flow(item, "item", indent=indent, marker=marker)])
        if items and isinstance(items[-1], TextFlow):
            items[-1].style = replace(items[-1].style, space_after=style.space_after + 2)
        return items

    def section(self, elem: ET.Element) -> list[Flowable]:
        content = self.children(elem)
        if elem.get("style") != "callout":
            return content
        colors = self.styles.colors
        box = _Table([[content]], colWidths=[self.width], splitInRow=1, style=TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(colors["callout_background"])),
            ("BOX", (0, 0), (-1, -1), 1.2, HexColor(colors["callout_border"])),
            ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("FONTNAME", (0, 0), (-1, -1), self._regular()),
        ]))
        return [Spacer(1, 6), box]

    def table(self, elem: ET.Element) -> list[Flowable]:
        colors = self.styles.colors
        cell, header = self.styles.text["cell"], replace(self.styles.text["cell"], bold=True)
        rows = []
        for row in elem.findall("row"):
            style = header if row.get("header") == "yes" else cell
            cells: list[list[Flowable]] = []
            for node in row.findall("cell"):
                if is_second(node) and cells:  # the translation goes beneath the text, in the same cell
                    cells[-1].append(self.flow(node, style, indent=0.0))
                else:
                    cells.append([self.flow(node, style)])
            rows.append(cells[::-1] if self.fonts.rtl else cells)
        count = len(rows[0]) if rows else 1
        first = self.width * 0.26
        widths = [first] + [(self.width - first) / max(count - 1, 1)] * (count - 1)
        if self.fonts.rtl:
            widths = widths[::-1]
        table = _Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self._regular()),
            ("BACKGROUND", (0, 0), (-1, 0), HexColor(colors["table_header_background"])),
            ("GRID", (0, 0), (-1, -1), 0.5, HexColor(colors["table_grid"])),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        table.keep_rows_whole = True
        return [Spacer(1, 3), table, Spacer(1, 5)]

    def disclaimer(self, elem: ET.Element) -> list[Flowable]:
        flows: list[Flowable] = []
        for child in elem:
            made = self.heading(child) if child.tag == "heading" else [self.flow(child, "disclaimer")]
            flows += self.keep_pair(flows, child, made)
        return [KeepTogether(flows)]

    def provenance(self, elem: ET.Element) -> list[Flowable]:
        """The QR code with the verification payload, and the fingerprint (and approver) in text."""
        from generator.qr import QRCode

        size = QR_SIZE_MM * MM
        code = QRCode(elem.get("payload", ""), size)
        texts = [self.flow(p, "disclaimer", indent=0.0) for p in elem.findall("p")]
        cells = [texts, code] if self.fonts.rtl else [code, texts]
        widths = [self.width - size - 8, size + 8] if self.fonts.rtl else [size + 8, self.width - size - 8]
        table = Table([cells], colWidths=widths, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self._regular()), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        return [Spacer(1, 4), KeepTogether([table])]

    def _regular(self) -> str:
        face = self.fonts.face()
        assert face is not None
        return register(face)


def prepare(languages: Iterable[LanguageFonts]) -> None:
    """Load what laying out these languages needs (faces, number formats, shaping, the QR encoder) now, once:
    worker processes forked afterwards then share it rather than each loading a copy of its own."""
    from babel.numbers import format_decimal

    from generator import qr  # noqa: F401 - imported for the forked workers

    for fonts in languages:
        for _, face in fonts.faces:
            register(face)  # a broken font file is reported from here, before any worker starts
        try:
            format_decimal(1, locale=_locale(fonts.lang))
            if fonts.rtl:
                rtl.visual(rtl.reshape("\u0627"))
        except Exception:  # noqa: BLE001 - only a head start; rendering reports any problem with its handout
            pass


def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang.replace("-", "_"))


Line = tuple[tuple[Span, ...], LanguageFonts]  # one footer paragraph and the fonts it is drawn in


def _footer_lines(view: View, fonts: LanguageFonts, page: str, pages: str,
                  second: tuple[View, LanguageFonts] | None) -> list[Line]:
    """The stamp on every page: title, version, fingerprint, language and page; review state; disclaimer.
    A bilingual edition stamps the second language's title, version, fingerprint, review state and
    disclaimer too, each in its own fonts."""
    sep = Span(" · ")
    label = tuple(replace(s, text=s.text.replace("{page}", page).replace("{pages}", pages))
                  for s in view.page_label.spans)
    first = (*view.title.spans, sep, *view.version_label.spans, sep, Span(view.fingerprint, value=True),
             sep, Span(view.lang), sep, *label)
    lines: list[Line] = [(first, fonts), (view.review_label.spans, fonts), (view.disclaimer_short.spans, fonts)]
    if second is not None:
        other, other_fonts = second
        head = (*other.title.spans, sep, *other.version_label.spans, sep, Span(other.fingerprint, value=True),
                sep, Span(other.lang))
        lines += [(head, other_fonts), (other.review_label.spans, other_fonts),
                  (other.disclaimer_short.spans, other_fonts)]
    return lines


def _footer_style(styles: Styles) -> TextStyle:
    size = styles.footer_size
    return TextStyle(size, size * 1.3, styles.colors["muted"])


def _footer_height(lines: list[Line], style: TextStyle, width: float) -> float:
    return sum(TextFlow(spans, style, fonts).wrap(width, 10_000)[1] for spans, fonts in lines)


def _footer_canvas(view: View, fonts: LanguageFonts, styles: Styles, bottom: float,
                   second: tuple[View, LanguageFonts] | None) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page N of M'."""
    from babel import Locale
    from babel.numbers import format_decimal

    locale = Locale.parse(view.lang.replace("-", "_"))
    style = _footer_style(styles)

    class FooterCanvas(HeldPagesCanvas):
        def draw_furniture(self, page: int, pages: int) -> None:
            width, _ = self._pagesize
            left, right = styles.margins["left"], styles.margins["right"]
            lines = _footer_lines(view, fonts, format_decimal(page, locale=locale),
                                  format_decimal(pages, locale=locale), second)
            avail = width - left - right
            self.setStrokeColor(HexColor(styles.colors["rule"]))
            self.setLineWidth(0.5)
            self.line(left, bottom - FOOTER_RULE, width - right, bottom - FOOTER_RULE)
            y = bottom - FOOTER_GAP
            for spans, line_fonts in lines:
                # No links here: pages are finished at save(), where a link annotation would be a duplicate.
                flow = TextFlow(tuple(replace(s, href="") for s in spans), style, line_fonts)
                _, height = flow.wrap(avail, bottom)
                y -= height
                flow.drawOn(self, left, y)

    return FooterCanvas


def _watermark_words(view: View, fonts: LanguageFonts,
                     second: tuple[View, LanguageFonts] | None) -> list[tuple[str, LanguageFonts]]:
    """DRAFT in English and in each printed language, unless every language's content is approved."""
    views = [(view, fonts)] + ([second] if second else [])
    if not any(v.watermark for v, _ in views):
        return []
    words: dict[str, LanguageFonts] = {WATERMARK: fonts}
    for v, f in views:
        words.setdefault(v.watermark_word or WATERMARK, f)
    return list(words.items())


def _watermark(words: list[tuple[str, LanguageFonts]], styles: Styles) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Draws the diagonal DRAFT watermark (English, plus the handout's languages) under each page's text."""
    def draw(canv: Canvas, doc: BaseDocTemplate) -> None:
        if not words:
            return
        width, height = doc.pagesize
        canv.saveState()
        canv.setFillColor(HexColor(styles.colors["watermark"]))
        canv.translate(width / 2, height / 2)
        canv.rotate(45)
        size = WATERMARK_SIZE
        for index, (word, fonts) in enumerate(words):
            face = fonts.face(bold=True)
            assert face is not None
            text = rtl.visual(rtl.reshape(word)) if fonts.rtl else word
            canv.setFont(register(face), size if index == 0 else size * 0.55)
            canv.drawCentredString(0, size * 0.1 - index * size * 0.75, text)
        canv.restoreState()

    return draw


class HeldPagesCanvas(Canvas):
    """A canvas that holds pages back until the end, so what each page carries can say 'page N of M'."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self.draw_furniture(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def draw_furniture(self, page: int, pages: int) -> None:
        """Draw what every page carries (footer, page number); called once per page, knowing the total."""
        raise NotImplementedError


class _Doc(BaseDocTemplate):
    """Adds an outline entry for the title (level 0) and each section heading (level 1)."""

    _outlines = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        title = getattr(flowable, "outline", "")
        if title:
            key = f"outline{self._outlines}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0 if self._outlines == 0 else 1)
            self._outlines += 1


def bottom_margin(view: View, fonts: LanguageFonts, styles: Styles, paper: str,
                  second: tuple[View, LanguageFonts] | None = None) -> float:
    """The body's bottom margin: style.yaml's, or more when the footer needs it, so that the footer's last
    line stays at least the print-safe margin above the paper's edge."""
    width = PAGE_SIZES[paper][0] - styles.margins["left"] - styles.margins["right"]
    widest = "888"  # page numbers are measured at three digits, wider than any real handout needs
    height = _footer_height(_footer_lines(view, fonts, widest, widest, second), _footer_style(styles), width)
    return max(styles.margins["bottom"], MIN_MARGIN_MM * MM + FOOTER_GAP + height + FOOTER_SLACK)


def render(xml: str, view: View, fonts: LanguageFonts, styles: Styles, paper: str, root: Path,
           second: tuple[View, LanguageFonts] | None = None) -> Rendered:
    """Lay out one handout and return the PDF bytes (deterministic: invariant mode) and its page count.

    `second` is the bilingual edition's second language: its view (for the footer and watermark) and fonts.
    """
    tree = ET.fromstring(xml)
    pagesize = PAGE_SIZES[paper]
    margins = styles.margins
    width = pagesize[0] - margins["left"] - margins["right"]
    story = _Builder(view, fonts, styles, width, root, second[1] if second else None).children(tree)
    bottom = bottom_margin(view, fonts, styles, paper, second)
    regular = fonts.face()
    assert regular is not None
    buffer = io.BytesIO()
    keywords = [view.handout, view.lang, f"version {view.version}", f"review {view.review_status}"]
    if second:
        keywords += [f"second language {second[0].lang}", f"second review {second[0].review_status}"]
    doc = _Doc(
        buffer, pagesize=pagesize, leftMargin=margins["left"], rightMargin=margins["right"],
        topMargin=margins["top"], bottomMargin=bottom, invariant=1,
        initialFontName=register(regular), title=view.title.plain, author=view.clinic_name,
        subject=view.summary.plain, creator=f"patient-handouts {__version__}", lang=view.lang,
        keywords=[*keywords, view.verify_payload], displayDocTitle=1,
    )
    frame = Frame(margins["left"], bottom, width, pagesize[1] - margins["top"] - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    watermark = _watermark(_watermark_words(view, fonts, second), styles)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=watermark)])
    doc.build(story, canvasmaker=_footer_canvas(view, fonts, styles, bottom, second))
    return Rendered(buffer.getvalue(), doc.page)
