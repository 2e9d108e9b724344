"""Turn the template's XML into ReportLab flowables and a finished PDF, with the footer stamped on every page."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, PageTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable, KeepTogether

from generator import __version__, rtl
from generator.fonts import LanguageFonts, register
from generator.localize import View
from generator.markup import Span
from generator.styles import MM, Styles, TextStyle
from generator.textflow import TextFlow

PAGE_SIZES = {"letter": LETTER, "a4": A4}
BULLET_INDENT = 1.5  # in multiples of the item text size
LOGO_HEIGHT_MM = 14
QR_SIZE_MM = 22
WATERMARK_SIZE = 110


class _Table(Table):
    """A Table whose cells split across pages at the width they are drawn at (their padding taken off)."""

    def _splitCell(self, value, style, oldHeight, newHeight, width):  # type: ignore[no-untyped-def]  # noqa: N802
        # ReportLab splits a cell's flowables at the full column width but draws them inside the padding,
        # where a text split for the wider width re-wraps into more lines and runs over the page bottom.
        return super()._splitCell(value, style, oldHeight, newHeight,
                                  width - style.leftPadding - style.rightPadding)


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


class _Builder:
    """Maps each XML element to flowables through a handler table (one small function per tag)."""

    def __init__(self, view: View, fonts: LanguageFonts, styles: Styles, width: float, root: Path) -> None:
        self.view, self.fonts, self.styles, self.width, self.root = view, fonts, styles, width, root
        self.handlers: dict[str, Callable[[ET.Element], list[Flowable]]] = {
            "titleblock": self.titleblock, "section": self.section, "heading": self.heading,
            "p": self.paragraph, "subheading": self.subheading, "list": self.list, "table": self.table,
            "disclaimer": self.disclaimer, "provenance": self.provenance,
        }

    def flow(self, elem: ET.Element, style: str, **kw: object) -> TextFlow:
        return TextFlow(tuple(spans_of(elem)), self.styles.text[style], self.fonts, **kw)  # type: ignore[arg-type]

    def children(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        for child in elem:
            handler = self.handlers.get(child.tag)
            if handler is None:
                raise ValueError(f"template produced an unknown element <{child.tag}>")
            out += handler(child)
        return out

    def titleblock(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        logo = elem.find("logo")
        if logo is not None:
            image = Image(str(self.root / logo.get("src", "")), height=LOGO_HEIGHT_MM * MM,
                          width=LOGO_HEIGHT_MM * MM * 4, kind="proportional")
            image.hAlign = "LEFT" if self.fonts.rtl else "RIGHT"
            out.append(image)
        for tag, style in (("clinic", "clinic"), ("title", "title"), ("summary", "summary")):
            node = elem.find(tag)
            if node is not None:
                out.append(self.flow(node, style, outline=self.view.title.plain if tag == "title" else ""))
        contact = elem.find("contact")
        if contact is not None:
            muted = replace(self.styles.text["summary"], color=self.styles.colors["muted"], space_after=2)
            out.append(TextFlow(tuple(spans_of(contact)), muted, self.fonts))
        out.append(HRFlowable(width="100%", thickness=0.8, color=HexColor(self.styles.colors["rule"]),
                              spaceBefore=2, spaceAfter=2))
        return out

    def heading(self, elem: ET.Element) -> list[Flowable]:
        flow = self.flow(elem, "heading", outline="".join(s.text for s in spans_of(elem)))
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
        items = [TextFlow(tuple(spans_of(item)), style, self.fonts, marker=elem.get("marker", "bullet"),
                          indent=style.size * BULLET_INDENT) for item in elem.findall("item")]
        if items:
            items[-1].style = replace(style, space_after=style.space_after + 2)
        return list(items)

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
            cells = [TextFlow(tuple(spans_of(c)), style, self.fonts) for c in row.findall("cell")]
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
        return [Spacer(1, 3), table, Spacer(1, 5)]

    def disclaimer(self, elem: ET.Element) -> list[Flowable]:
        flows: list[Flowable] = []
        for child in elem:
            if child.tag == "heading":
                flows += self.heading(child)
            else:
                flows.append(self.flow(child, "disclaimer"))
        return [KeepTogether(flows)]

    def provenance(self, elem: ET.Element) -> list[Flowable]:
        """The QR code with the verification payload, and the fingerprint (and approver) in text."""
        from generator.qr import QRCode

        size = QR_SIZE_MM * MM
        code = QRCode(elem.get("payload", ""), size)
        texts = [self.flow(p, "disclaimer") for p in elem.findall("p")]
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


def _footer_canvas(view: View, fonts: LanguageFonts, styles: Styles) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page N of M'."""
    from babel import Locale
    from babel.numbers import format_decimal

    locale = Locale.parse(view.lang.replace("-", "_"))
    size = styles.footer_size
    style = TextStyle(size, size * 1.3, styles.colors["muted"])

    class FooterCanvas(Canvas):
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
                self._draw_footer(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, page: int, pages: int) -> None:
            width, _ = self._pagesize
            left, right, bottom = styles.margins["left"], styles.margins["right"], styles.margins["bottom"]
            label = [replace(s, text=s.text.replace("{page}", format_decimal(page, locale=locale))
                             .replace("{pages}", format_decimal(pages, locale=locale)))
                     for s in view.page_label.spans]
            sep = Span(" · ")
            line1 = (*view.title.spans, sep, *view.version_label.spans, sep, Span(view.fingerprint, value=True),
                     sep, Span(view.lang), sep, *label)
            avail = width - left - right
            self.setStrokeColor(HexColor(styles.colors["rule"]))
            self.setLineWidth(0.5)
            self.line(left, bottom - 4, width - right, bottom - 4)
            y = bottom - 6
            for spans in (line1, view.review_label.spans, view.disclaimer_short.spans):
                # No links here: pages are finished at save(), where a link annotation would be a duplicate.
                flow = TextFlow(tuple(replace(s, href="") for s in spans), style, fonts)
                _, height = flow.wrap(avail, bottom)
                y -= height
                flow.drawOn(self, left, y)

    return FooterCanvas


def _watermark(view: View, fonts: LanguageFonts, styles: Styles) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Draws the diagonal DRAFT watermark (English, plus the handout's language) under each page's text."""
    def draw(canv: Canvas, doc: BaseDocTemplate) -> None:
        if not view.watermark:
            return
        face = fonts.face(bold=True)
        assert face is not None
        width, height = doc.pagesize
        canv.saveState()
        canv.setFillColor(HexColor(styles.colors["watermark"]))
        canv.translate(width / 2, height / 2)
        canv.rotate(45)
        size = WATERMARK_SIZE
        for index, word in enumerate(view.watermark):
            text = rtl.visual(rtl.reshape(word)) if fonts.rtl else word
            canv.setFont(register(face), size if index == 0 else size * 0.55)
            canv.drawCentredString(0, size * 0.1 - index * size * 0.75, text)
        canv.restoreState()

    return draw


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


def render(xml: str, view: View, fonts: LanguageFonts, styles: Styles, paper: str, root: Path) -> Rendered:
    """Lay out one handout and return the PDF bytes (deterministic: invariant mode) and its page count."""
    tree = ET.fromstring(xml)
    pagesize = PAGE_SIZES[paper]
    margins = styles.margins
    width = pagesize[0] - margins["left"] - margins["right"]
    story = _Builder(view, fonts, styles, width, root).children(tree)
    regular = fonts.face()
    assert regular is not None
    buffer = io.BytesIO()
    doc = _Doc(
        buffer, pagesize=pagesize, leftMargin=margins["left"], rightMargin=margins["right"],
        topMargin=margins["top"], bottomMargin=margins["bottom"], invariant=1,
        initialFontName=register(regular), title=view.title.plain, author=view.clinic_name,
        subject=view.summary.plain, creator=f"patient-handouts {__version__}", lang=view.lang,
        keywords=[view.handout, view.lang, f"version {view.version}", f"review {view.review_status}",
                  view.verify_payload],
        displayDocTitle=1,
    )
    frame = Frame(margins["left"], margins["bottom"], width,
                  pagesize[1] - margins["top"] - margins["bottom"], id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_watermark(view, fonts, styles))])
    doc.build(story, canvasmaker=_footer_canvas(view, fonts, styles))
    return Rendered(buffer.getvalue(), doc.page)
