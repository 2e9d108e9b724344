"""Turn the template's XML into ReportLab flowables and a finished PDF, with the footer stamped on every page."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfdoc import PDFPage, PDFStream, PDFZCompress
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from generator import __version__
from generator.content.markup import Span
from generator.render import faithful, faithgrid, faithrepeat, faithroles, faithstyle, rtl, tagging, template
from generator.render.drawntext import drawn
from generator.render.faithspace import check_spaces
from generator.render.flowables import Builder
from generator.render.fonts import LanguageFonts, drawn_as_shipped, register
from generator.render.localize import WATERMARK, View, local_number
from generator.render.numberclip import watermark_word
from generator.render.pagination import keep_headings
from generator.render.printcheck import Finding, PageLog, check
from generator.render.styles import FOOTER_SIZE_MIN, MIN_MARGIN_MM, MIN_TITLE_CHARS, MM, Styles, TextStyle, footer_floor
from generator.render.textflow import TextFlow
from generator.render.words import splits_number
from generator.review.payload import PREFIX

PAGE_SIZES = {"letter": LETTER, "a4": A4}
WATERMARK_SIZE = 110
FOOTER_RULE = 4  # points below the body: the rule above the footer stamp
FOOTER_GAP = 6  # points below the body: where the footer's first line starts
FOOTER_SLACK = 2  # points: descenders of the footer's last line, which sit a little below its line box


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # page-break rules that could not hold (warnings)


def prepare(languages: Iterable[LanguageFonts], faces: bool = True) -> None:
    """Load what laying out these languages needs (faces, number formats, shaping, the QR encoder) now, once:
    worker processes forked afterwards then share it rather than each loading a copy of its own. Without
    `faces`, the fonts are left to the processes that render with them."""
    from generator.render import qr  # noqa: F401 - imported for the forked workers

    for fonts in languages:
        for _, face in fonts.faces if faces else ():
            register(face)  # a broken font file is reported from here, before any worker starts
        try:
            local_number(1, fonts.lang)
            if fonts.rtl:
                rtl.visual(rtl.reshape("\u0627"))
        except Exception:  # noqa: BLE001 - only a head start; rendering reports any problem with its handout
            pass


Line = tuple[tuple[Span, ...], LanguageFonts, int]  # one footer line, its fonts, how many spans are the title


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
    lines: list[Line] = [(first, fonts, len(view.title.spans)), (view.review_label.spans, fonts, 0),
                         (view.disclaimer_short.spans, fonts, 0)]
    if second is not None:
        other, other_fonts = second
        head = (*other.title.spans, sep, *other.version_label.spans, sep, Span(other.fingerprint, value=True),
                sep, Span(other.lang))
        lines += [(head, other_fonts, len(other.title.spans)), (other.review_label.spans, other_fonts, 0),
                  (other.disclaimer_short.spans, other_fonts, 0)]
    return lines


MAX_FLOWS = 5_000  # texts one handout may lay out (the longest shipped one: about 150; a bilingual one twice that)
# Elements a template's output may hold (boxes, lists, rows, rules...; inline <b>/<i>/<a>/<v> not counted: they
# are parts of texts), and images among them (the logo, the QR code): the longest shipped bilingual handout has
# 243 elements in all and 2 images. 240,000 empty boxes took 155 s to lay out, 5,000 logos 1.2 GB (eighth pass).
MAX_ELEMENTS = 2 * MAX_FLOWS
MAX_IMAGES = 20
_INLINE = frozenset({"b", "i", "a", "v"})
_IMAGES = frozenset({"logo", "provenance"})
REVIEW_LINES = (1, 4)  # which of _footer_lines say the review state (of the language, of the second language)


def _footer_style(styles: Styles) -> TextStyle:
    size = styles.footer_size
    return TextStyle(size, size * 1.3, styles.colors["muted"])


def fit_footer_line(line: Line, style: TextStyle, width: float, floor: float = FOOTER_SIZE_MIN) -> TextFlow:
    """The footer line set on one line: as it is, else with the title shortened with "…", else smaller (never
    under `floor`, the edition's: styles.footer_floor). What still does not fit comes back wrapped, for the
    check to refuse."""
    spans, fonts, title_count = line
    plain = tuple(replace(s, href="") for s in spans)  # pages are finished at save(): no link annotations here
    flow = TextFlow(plain, style, fonts)
    if flow.line_width() <= width:
        return flow
    title, rest = "".join(s.text for s in plain[:title_count]), plain[title_count:]
    if len(title) > MIN_TITLE_CHARS:
        def kept(cut: int) -> str:  # never inside a number: "…a week, 8400 mg" printed "…a week, 840…"
            while 0 < cut < len(title) and splits_number(title, cut):
                cut -= 1
            return title[:cut].rstrip() + "…"

        def shortened(cut: int) -> TextFlow:
            return TextFlow((Span(kept(cut)), *rest), style, fonts)

        low, high = MIN_TITLE_CHARS, len(title) - 1  # the longest cut that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if shortened(middle).line_width() <= width else (low, middle - 1)
        flow = shortened(low)
        if flow.line_width() <= width:
            return flow
        plain = (Span(kept(low)), *rest)
    size = style.size
    while flow.line_width() > width and size - 0.25 >= floor - 1e-9:
        size -= 0.25
        flow = TextFlow(plain, replace(style, size=size, leading=size * 1.3), fonts)
    return flow


def _footer_canvas(view: View, fonts: LanguageFonts, styles: Styles, bottom: float,
                   second: tuple[View, LanguageFonts] | None, log: PageLog) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page N of M'."""
    style = _footer_style(styles)

    class FooterCanvas(HeldPagesCanvas):
        marks_itself = True  # page 1's review state is content, the rest furniture

        def draw_furniture(self, page: int, pages: int) -> None:
            width, _ = self._pagesize
            left, right = styles.margins["left"], styles.margins["right"]
            lines = _footer_lines(view, fonts, local_number(page, view.lang), local_number(pages, view.lang), second)
            avail = width - left - right
            with tagging.artifact(self, "Pagination", "Footer"):
                self.setStrokeColor(HexColor(styles.colors["rule"]))
                self.setLineWidth(0.5)
                self.line(left, bottom - FOOTER_RULE, width - right, bottom - FOOTER_RULE)
            y = bottom - FOOTER_GAP
            counts = log.footer.setdefault(page, [])
            for index, line in enumerate(lines):
                flow = fit_footer_line(line, style, avail, footer_floor(styles))
                _, height = flow.wrap(avail, bottom)
                counts.append(len(flow._lines))
                y -= max(height, style.leading)
                with self._spoken(index) if page == 1 and index in REVIEW_LINES else \
                        tagging.artifact(self, "Pagination", "Footer"):
                    flow.drawOn(self, left, y)

        def _spoken(self, index: int) -> AbstractContextManager[None]:
            """Page 1's review state, as content a screen reader reads first (every other stamp is page
            furniture): DRAFT and "Draft - not reviewed" were only artifacts, skipped by assistive technology."""
            tags = tagging.tags_of(self)
            if tags is None:
                return nullcontext()
            stated = view if index == REVIEW_LINES[0] or second is None else second[0]
            node = tagging.Node("P", tags.root, lang=stated.lang)
            tags.root.kids.insert(REVIEW_LINES.index(index), node)  # before the title: read first
            # In reading order (a right-to-left line is drawn in visual order). A draft is said to be one in the
            # generator's own word, as the diagonal shows it, whatever the project's review string says (eleventh
            # pass: `review.draft: "Reviewed by the clinic's medical team"` was all a screen reader heard).
            said = stated.review_label.plain
            return tagging.marked(self, node, actual_text=f"{WATERMARK}: {said}" if stated.watermark else said)

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
    """Draws the diagonal DRAFT watermark (English, plus the handout's languages) under each page's text (and,
    clipped, over each box's fill: see pagination.Callout)."""
    def draw(canv: Canvas, doc: BaseDocTemplate) -> None:
        if not words:
            return
        width, height = doc.pagesize
        canv.saveState()
        canv.setFillColor(HexColor(styles.colors["watermark"]))
        canv.translate(width / 2, height / 2)
        canv.rotate(45)
        size = WATERMARK_SIZE
        with tagging.artifact(canv, "Pagination", "Watermark"):
            for index, (word, fonts) in enumerate(words):
                face = fonts.face(bold=True)
                assert face is not None
                text = drawn(rtl.visual(rtl.reshape(word)) if fonts.rtl else word)  # a soft hyphen: 22nd pass
                name, at, y = register(face), size if index == 0 else size * 0.55, size * 0.1 - index * size * 0.75
                room = min(width, height) * 2 ** 0.5 - 2 * abs(y) - 72  # a translator's long word on the paper,
                at = max(min(at, at * room / max(stringWidth(text, name, at), 1)), min(at, 24))  # at 24 pt at least
                canv.setFont(name, at)
                with tagging.unspoken(canv, "en" if word == WATERMARK else fonts.lang):
                    if drawn_as_shipped(name):
                        canv.drawCentredString(0, y, text)
                    else:  # a project's face: the word in a shipped face (a "D" painted a "1" after "988")
                        watermark_word(canv, text, y, name, at, fonts.rtl)
        canv.restoreState()

    return draw


class HeldPagesCanvas(Canvas):
    """A canvas that holds pages back until the end, so what each page carries can say 'page N of M'."""

    marks_itself = False  # whether draw_furniture marks what it draws (else all of it is an artifact)

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
            with nullcontext() if self.marks_itself else tagging.artifact(self, "Pagination", "Footer"):
                self.draw_furniture(number, total)  # the footer stamp and page numbers
            Canvas.showPage(self)
            page = self._doc.Pages.pages[-1]
            tagging.page_finished(self, page, number)
            _deflated(page)
        tagging.finish(self)
        Canvas.save(self)

    def draw_furniture(self, page: int, pages: int) -> None:
        """Draw what every page carries (footer, page number); called once per page, knowing the total."""
        raise NotImplementedError


def _deflated(page: PDFPage) -> None:
    """Give a page its content stream compressed with Flate only. ReportLab also ASCII85-encodes it by default
    (rl_config.useA85, a global): a fifth larger, for 7-bit mail transports, and about a tenth of a render's
    time in pure Python. Set on the page itself, so no global setting changes under another render."""
    if page.compression and not page.Contents and page.stream:
        contents = PDFStream(content=page.stream, filters=[PDFZCompress])
        contents.__Comment__ = "page stream"
        page.Contents = contents


class _Doc(BaseDocTemplate):
    """Adds an outline entry for the title (level 0) and each section heading (level 1); logs what each page
    holds for the print-quality check; dates the file from the content, never from the clock."""

    _outlines = 0
    log: PageLog
    date = ""  # ISO date written as the PDF's creation and modification date
    tags: tagging.Tags | None = None
    watermark: Callable[[Canvas, BaseDocTemplate], None] | None = None  # redrawn over every filled box

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's name
        self.canv.tags = self.tags  # the drawing points tag what they draw into this document's tree
        if self.date:
            stamp = "D:" + self.date.replace("-", "") + "000000+00'00'"
            self.canv.setDateFormatter(lambda *_: stamp)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        self.log.record(self.page, flowable)
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
    # Every footer line is set on one line (fit_footer_line; the print-quality check proves it per page).
    height = len(_footer_lines(view, fonts, "1", "1", second)) * _footer_style(styles).leading
    return max(styles.margins["bottom"], MIN_MARGIN_MM * MM + FOOTER_GAP + height + FOOTER_SLACK)


def _built(builder: Builder, tree: ET.Element) -> list[Flowable]:
    """The template's output as flowables; an element the layout has no place for is the template's error
    (it was reported as the content's: "cannot lay out ... report this with the file")."""
    elements = images = 0
    for elem in tree.iter():  # counted before anything is made: making them is what takes the time and memory
        elements += elem.tag not in _INLINE
        images += elem.tag in _IMAGES
    if elements > MAX_ELEMENTS or images > MAX_IMAGES:
        what = f"{images:,} images (the logo, the QR code)" if images > MAX_IMAGES else f"{elements:,} elements"
        raise template.TemplateError(f"handout.xml.j2: it prints {what}; a handout has a few hundred elements and "
                                     f"one or two images (at most {MAX_ELEMENTS:,} and {MAX_IMAGES}); print "
                                     "each part of the handout once")
    for box in tree.iter("section"):  # boxes in boxes: 30 squeezed a section into a column a few words wide, 35
        if box.get("style") == "callout" and any(inner.get("style") == "callout"  # failed the build blaming
                                                 for inner in box.iter("section") if inner is not box):  # the content
            raise template.TemplateError("handout.xml.j2: it puts a box (<section style=\"callout\">) inside a box; "
                                         "box a section once")
    for marked in tree.iter("list"):  # marker="" drew a list's items as lines of text, no bullets (17th pass)
        if marked.get("marker", "bullet") not in ("bullet", "box"):
            raise template.TemplateError(f"handout.xml.j2: a <list marker=\"{marked.get('marker', '')[:20]}\">; a "
                                         "list's marker is \"bullet\" (a list) or \"box\" (a checklist)")
    for row in tree.iter("row"):  # 300 <row></row> drew eight pages of an empty grid (twenty-first pass)
        if row.find("cell") is None:
            raise template.TemplateError("handout.xml.j2: a table's <row> holds no <cell>: it draws an empty row of "
                                         "its own; write each of the table's rows, one <cell> for each unit")
    try:
        return builder.children(tree)
    except ValueError as exc:
        raise template.TemplateError(f"handout.xml.j2: {exc}; fix the template") from None


def _few_enough(builder: Builder) -> None:
    """A template printing a unit 250,000 times took 87 s and 1.4 GB to lay out (sixth pass): refused first."""
    if len(builder.laid_out) > MAX_FLOWS:
        raise template.TemplateError(f"handout.xml.j2: it prints {len(builder.laid_out):,} texts; a handout has a "
                                     f"few hundred (at most {MAX_FLOWS:,}); print each unit once")


def check_laid_out(xml: str, view: View, fonts: LanguageFonts, styles: Styles, root: Path,
                   others: dict[str, LanguageFonts], second: tuple[View, LanguageFonts] | None = None) -> None:
    """What `render` would lay out of a template's output is the handout, all of it (for `check`: the
    flowables are made, not laid out); `second` as for `render` (a bilingual edition)."""
    builder = Builder(view, fonts, styles, PAGE_SIZES["letter"][0], root, second[1] if second else None, others)
    _built(builder, ET.fromstring(xml))
    _faithful(builder, view, second[0] if second else None)


def _faithful(builder: Builder, view: View, second: View | None) -> None:
    """What the builder laid out is the handout, all of it, in order, and nothing else; its tables are the
    handout's tables, cell under column; a box's repeated heading is its own (render/faithful.py, faithgrid.py)."""
    _few_enough(builder)
    try:
        faithful.check_laid_out(builder.laid_out, view, second)
        faithrepeat.check_names(builder.laid_out, view, second)  # no name padding the page (twentieth pass)
        check_spaces(builder.laid_out, view, second)  # no words joined (twenty-second pass)
        faithgrid.check_tables(builder.tables, view, second)
        faithgrid.check_repeated(builder.repeated, view, second)
        faithroles.check_roles(builder.laid_out, builder.roles, view, second)
        faithroles.check_levels(builder.laid_out, [level for *_, level in builder.drawn], view, second)
        faithstyle.check_styles(builder.laid_out, [style for style, *_ in builder.drawn], view, second, builder.styles)
        faithstyle.check_boxed(builder.laid_out, [box for _, box, _ in builder.drawn], view, second)
    except faithful.Unfaithful as exc:
        raise template.TemplateError(f"handout.xml.j2: {exc}") from None


def render(xml: str, view: View, fonts: LanguageFonts, styles: Styles, paper: str, root: Path,
           second: tuple[View, LanguageFonts] | None = None,
           others: dict[str, LanguageFonts] | None = None) -> Rendered:
    """Lay out one handout and return the PDF bytes (deterministic: dated from the content), its page count
    and what the print-quality check found.

    `second` is the bilingual edition's second language: its view (for the footer and watermark) and fonts;
    `others` the fonts of the languages the other-languages line names.
    """
    tree = ET.fromstring(xml)
    pagesize = PAGE_SIZES[paper]
    margins = styles.margins
    width = pagesize[0] - margins["left"] - margins["right"]
    tags = tagging.Tags(view.lang, view.title.plain)
    builder = Builder(view, fonts, styles, width, root, second[1] if second else None, others, tags)
    story = keep_headings(_built(builder, tree))
    _faithful(builder, view, second[0] if second else None)  # the XML's text was checked already
    bottom = bottom_margin(view, fonts, styles, paper, second)
    regular = fonts.face()
    assert regular is not None
    buffer = io.BytesIO()
    keywords = [view.handout, view.lang, f"version {view.version}", f"review {view.review_status}"]
    if second:
        keywords += [f"second language {second[0].lang}", f"second review {second[0].review_status}"]
    if not view.verify_payload.startswith(PREFIX):  # the clinic's verify address; the data `verify` reads comes last
        keywords.append(view.verify_payload)
    doc = _Doc(
        buffer, pagesize=pagesize, leftMargin=margins["left"], rightMargin=margins["right"],
        topMargin=margins["top"], bottomMargin=bottom, invariant=1,
        initialFontName=register(regular), title=view.title.plain, author=view.clinic_name,
        subject=view.summary.plain, creator=f"patient-handouts {__version__}", lang=view.lang,
        keywords=[*keywords, view.verify_data], displayDocTitle=1,
    )
    frame = Frame(margins["left"], bottom, width, pagesize[1] - margins["top"] - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    watermark = _watermark(_watermark_words(view, fonts, second), styles)
    doc.tags, doc.watermark = tags, watermark
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=watermark)])
    doc.log, doc.date = PageLog(), view.current_date
    doc.build(story, canvasmaker=_footer_canvas(view, fonts, styles, bottom, second, doc.log))
    findings = check(doc.log, doc.page, len(_footer_lines(view, fonts, "1", "1", second)))
    return Rendered(buffer.getvalue(), doc.page, tuple(findings))
