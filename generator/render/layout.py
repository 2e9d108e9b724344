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
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from generator import __version__
from generator.content.markup import Span
from generator.render import rtl
from generator.render.flowables import Builder
from generator.render.fonts import LanguageFonts, register
from generator.render.localize import WATERMARK, View
from generator.render.styles import MIN_MARGIN_MM, MM, Styles, TextStyle
from generator.render.textflow import TextFlow

if TYPE_CHECKING:
    from babel import Locale

PAGE_SIZES = {"letter": LETTER, "a4": A4}
WATERMARK_SIZE = 110
FOOTER_RULE = 4  # points below the body: the rule above the footer stamp
FOOTER_GAP = 6  # points below the body: where the footer's first line starts
FOOTER_SLACK = 2  # points: descenders of the footer's last line, which sit a little below its line box


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def prepare(languages: Iterable[LanguageFonts], faces: bool = True) -> None:
    """Load what laying out these languages needs (faces, number formats, shaping, the QR encoder) now, once:
    worker processes forked afterwards then share it rather than each loading a copy of its own. Without
    `faces`, the fonts are left to the processes that render with them."""
    from babel.numbers import format_decimal

    from generator.render import qr  # noqa: F401 - imported for the forked workers

    for fonts in languages:
        for _, face in fonts.faces if faces else ():
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
    story = Builder(view, fonts, styles, width, root, second[1] if second else None).children(tree)
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
