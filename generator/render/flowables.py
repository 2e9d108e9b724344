"""Turn the template's XML vocabulary into ReportLab flowables: title block, sections, lists, tables, callouts."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus.flowables import KeepTogether

from generator.content.markup import Span
from generator.render import tagging
from generator.render.cellsplit import CellSplitTable
from generator.render.faithrepeat import MAX_LOGOS
from generator.render.faithroles import BOX, BULLET, HEADING
from generator.render.fonts import LanguageFonts, register
from generator.render.localize import View
from generator.render.logo import logo_png
from generator.render.namerow import NameRow, not_another
from generator.render.pagination import BOX_SIDES, Callout, KeepWhole, SideBySide
from generator.render.styles import HEADING_STYLES, MM, TABLE_FIRST_COLUMN, Styles, TextStyle
from generator.render.textflow import TextFlow
from generator.render.xmlspans import drawn, is_second, spans_of

BULLET_INDENT = 1.5  # in multiples of the item text size
LOGO_HEIGHT_MM = 14
QR_SIZE_MM = 22
INLINE_TRANSLATION = {"H1", "H2", "H3", "LBody", "TH", "TD"}  # structure roles a translation is a Span of


class _Table(CellSplitTable):
    """A Table whose cells split across pages at the width they are drawn at (render/cellsplit.py), with
    the DRAFT watermark drawn again over its heading row's fill (a template of one-cell heading tables covered
    it, seventh pass)."""

    def _drawBkgrnd(self) -> None:  # noqa: N802 - ReportLab's name
        from generator.render.pagination import watermark_over

        super()._drawBkgrnd()
        if self._rowHeights:
            watermark_over(self.canv, self._width, self._rowHeights[0], self._height - self._rowHeights[0])


class Builder:
    """Maps each XML element to flowables through a handler table (one small function per tag)."""

    def __init__(self, view: View, fonts: LanguageFonts, styles: Styles, width: float, root: Path,
                 second: LanguageFonts | None = None, others: dict[str, LanguageFonts] | None = None,
                 tags: tagging.Tags | None = None) -> None:
        self.view, self.fonts, self.styles, self.width, self.root = view, fonts, styles, width, root
        self.second_fonts = second
        self.others = others or {}  # every language's fonts, for the other-languages line
        # The structure tree, built in reading order alongside the flowables: `parent` is the element new
        # elements go into, `last` the element of the last unit (its translation becomes a Span inside it).
        self.parent = (tags or tagging.Tags(view.lang, "")).root
        self.last: tagging.Node | None = None
        # Every text laid out, as the layout takes it: what render/faithful.py checks, so that text put where
        # the layout skips it (an unknown child of <provenance> or <table>, a tail) counts as left out.
        # per flow: second language?, (text, link, value?)s
        self.laid_out: list[tuple[bool, list[tuple[str, str] | tuple[str, str, bool, str]]]] = []
        self.tables: list[list[list[list[str]]]] = []  # each table's rows of cells, each cell its texts (faithgrid)
        self.repeated: list[tuple[bool, str]] = []  # what each box's repeated heading adds ("(continued)")
        self.roles: list[str] = []  # each laid-out text's: a heading, a bulleted item, a check box or text
        self.drawn: list[tuple[TextStyle, bool, int]] = []  # and its style, in a box?, heading level (faithstyle)
        self.boxes = 0  # how many boxes the elements being made are inside
        self.once: dict[str, int] = {}  # how many of each block the template made
        self._marks: frozenset[str] | None = None
        self.handlers: dict[str, Callable[[ET.Element], list[Flowable]]] = {
            "titleblock": self.titleblock, "section": self.section, "heading": self.heading,
            "p": self.paragraph, "subheading": self.subheading, "list": self.list, "table": self.table,
            "disclaimer": self.disclaimer, "provenance": self.provenance, "editions": self.editions,
            "languages": self.languages, "sources": self.sources,
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

    def flow(self, elem: ET.Element, style: str | TextStyle, indent: float | None = None, role: str = "P",
             **kw: object) -> TextFlow:
        """A text flowable in the element's language; second-language text is indented on its start side."""
        if indent is None:
            indent = self.styles.second_indent if is_second(elem) else 0.0
        spans = tuple(spans_of(elem))
        text = " ".join("".join(span.text for span in spans).split())
        if not text or elem.tag != "cell" and not any(ch.isalnum() for ch in text) and text not in self.marks():
            # twentieth pass: 1,500 <p></p> (or 400 <p>.</p>) before Safety put eight (ten) blank pages there
            raise ValueError(f"the template made an element of no words, <{elem.tag}>{text[:20]}</{elem.tag}>: it "
                             "draws a line of its own (a bullet, a box to tick, marks, blank space); every element "
                             "holds the handout's text")
        tag = kw.pop("tag", None) or self.element(elem, role)
        self.laid_out.append((is_second(elem), drawn(spans)))
        self.roles.append(HEADING if style in HEADING_STYLES else "")
        self.drawn.append((self.style_of(elem, style), self.boxes > 0, HEADING_STYLES.index(style) + 1
                           if style in HEADING_STYLES else 0))
        return TextFlow(spans, self.drawn[-1][0], self.fonts_of(elem),
                        indent=indent, unit_id=elem.get("id", ""), tag=tag, **kw)  # type: ignore[arg-type]

    def marks(self) -> frozenset[str]:
        """The handout's units written without a letter or digit (a table's "—"): printed as they are."""
        if self._marks is None:
            plains = (" ".join(text.plain.split()) for text in self.view.texts())
            self._marks = frozenset(plain for plain in plains if not any(ch.isalnum() for ch in plain))
        return self._marks

    def element(self, elem: ET.Element, role: str) -> tagging.Node:
        """The structure element of a unit; a translation is a Span of its unit's heading, item or cell
        (as in the HTML companion), or an element of its own, in its own language."""
        if is_second(elem):
            lang = elem.get("lang", "")
            if role in INLINE_TRANSLATION and self.last is not None:
                return self.last.add("Span", lang=lang)
            return self.parent.add(role, lang=lang)
        self.last = self.parent.add(role)
        return self.last

    @contextmanager
    def inside(self, node: tagging.Node, box: bool = False) -> Iterator[tagging.Node]:
        """Make the elements of a block's children inside `node` (and inside a box, when `box`)."""
        outer, self.parent = self.parent, node
        self.boxes += box
        self.width -= BOX_SIDES * box  # a table set inside a box is its inside's width (twenty-first pass)
        try:
            yield node
        finally:
            self.parent = outer
            self.boxes -= box
            self.width += BOX_SIDES * box

    def children(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        for child in elem:
            handler = self.handlers.get(child.tag)
            if handler is None:
                raise ValueError(f"template produced an unknown element <{child.tag}>")
            out += self.keep_pair(out, child, self.made(child, handler))
        return out

    def made(self, elem: ET.Element, handler: Callable[[ET.Element], list[Flowable]]) -> list[Flowable]:
        """A block's flowables; one printing none of the handout's text (its space, rule or QR code alone: 1,500
        empty <editions> put nine blank pages before Safety) is refused, but for one editions block (twentieth pass)."""
        before = len(self.laid_out)
        flowables = handler(elem)
        if len(self.laid_out) == before:  # one empty editions block: a one-language large-print edition lists none
            self.once[elem.tag] = self.once.get(elem.tag, 0) + 1
            if elem.tag != "editions" or self.once[elem.tag] > 1:
                raise ValueError(f"the template made an empty <{elem.tag}>: it draws space, a rule or a code of its "
                                 "own; every element holds the handout's text")
        return flowables

    @staticmethod
    def keep_pair(before: list[Flowable], elem: ET.Element, made: list[Flowable]) -> list[Flowable]:
        """A unit is kept on the page of its translation beneath it (a bilingual pair moves as one)."""
        if is_second(elem) and before and isinstance(before[-1], TextFlow | KeepWhole):
            first = before.pop()
            if isinstance(first, KeepWhole):
                return [KeepWhole([*first._content, *made])]
            return [KeepWhole([first, *made])]
        return made

    def titleblock(self, elem: ET.Element) -> list[Flowable]:
        out: list[Flowable] = []
        muted = replace(self.styles.text["summary"], color=self.styles.colors["muted"], space_after=2)
        for child in elem:
            made: list[Flowable]
            if child.tag == "logo":
                if (logos := self.once.get("logo", 0) + 1) > MAX_LOGOS:  # twentieth pass
                    raise ValueError(f"the template draws the logo more than {MAX_LOGOS} times")
                self.once["logo"] = logos
                if not self.view.logo or child.get("src") != self.view.logo:
                    # Only the clinic's logo, checked by `check` to be an image inside the project: a template
                    # cannot embed any other file.
                    raise ValueError("the template's <logo src> must be the clinic's logo, {{ doc.logo }}")
                image = tagging.Figure(io.BytesIO(logo_png(self.root, self.view.logo)), height=LOGO_HEIGHT_MM * MM,
                                       width=LOGO_HEIGHT_MM * MM * 4, kind="proportional")
                image.hAlign = "LEFT" if self.fonts.rtl else "RIGHT"
                image.tag = self.parent.add("Figure", alt=self.view.clinic_name)
                made = [image]
            elif child.tag == "contact":
                made = [self.flow(child, muted)]
            elif child.tag in ("clinic", "title", "summary"):
                outline = self.view.title.plain if child.tag == "title" and not is_second(child) else ""
                role = "H1" if child.tag == "title" else "P"
                made = [self.flow(child, child.tag, outline=outline, role=role)]
            else:
                raise ValueError(f"template produced an unknown element <{child.tag}> in <titleblock>")
            out += self.keep_pair(out, child, made)
        out.append(tagging.Rule(width="100%", thickness=0.8, color=HexColor(self.styles.colors["rule"]),
                                spaceBefore=2, spaceAfter=2))
        return out

    def heading(self, elem: ET.Element) -> list[Flowable]:
        outline = "" if is_second(elem) else "".join(s.text for s in spans_of(elem))
        flow = self.flow(elem, "heading", outline=outline, role="H2")
        flow.keep_next = True
        return [flow]

    def subheading(self, elem: ET.Element) -> list[Flowable]:
        flow = self.flow(elem, "subheading", role="H3")
        flow.keep_next = True
        return [flow]

    def paragraph(self, elem: ET.Element) -> list[Flowable]:
        flow = self.flow(elem, "body")
        flow.keep_next = flow.ends_with(":：")  # "You may be at risk if you:" stays with what it introduces
        return [flow]

    def list(self, elem: ET.Element) -> list[Flowable]:
        style = self.styles.text["item"]
        indent = style.size * BULLET_INDENT  # a translation lines up with the item's text, on its own side
        items: list[Flowable] = []
        numbering = "None" if elem.get("marker") == "box" else "Disc"
        group = self.parent.add("L", attributes={"O": "List", "ListNumbering": numbering})
        for item in elem:
            if item.tag != "item":
                raise ValueError(f"template produced <{item.tag}> inside <list>; only <item> is allowed")
            marker = "" if is_second(item) else elem.get("marker", "bullet")
            label = None
            if is_second(item):
                tag = self.element(item, "LBody")
            else:  # an item is its marker (Lbl) and its text (LBody)
                entry = group.add("LI")
                label, tag = entry.add("Lbl"), entry.add("LBody")
                self.last = tag
            made = self.flow(item, "item", indent=indent, marker=marker, keep_whole=True, tag=tag, label=label)
            self.roles[-1] = BOX if elem.get("marker") == "box" else BULLET
            items += self.keep_pair(items, item, [made])
        last = items[-1] if items else None
        if isinstance(last, KeepWhole):
            last = last._content[-1]
        if isinstance(last, TextFlow):
            last.style = replace(last.style, space_after=style.space_after + 2)
        return items

    def section(self, elem: ET.Element) -> list[Flowable]:
        callout = elem.get("style") == "callout"
        heading = elem.find("heading")
        title = "".join(s.text for s in spans_of(heading)) if callout and heading is not None else ""
        # The help callout is one group with a title, as its box shows; other sections are Sect elements.
        with self.inside(self.parent.add("Div" if callout else "Sect", title=title), callout):
            return self._section(elem, callout)

    def _section(self, elem: ET.Element, callout: bool) -> list[Flowable]:
        if elem.get("id") == "contact":
            return [KeepWhole(self.children(elem))]  # a clinic's contact details are read as one block
        if not callout:
            return self.children(elem)
        # A box: its heading, then units (a paragraph or an item, each with its translation) that it breaks
        # between only when it is taller than a page; its continuation repeats the heading, marked continued.
        continued = [c for c in elem if c.tag == "continued"]
        if len({is_second(c) for c in continued}) < len(continued):  # twentieth pass: 45 of them, pages of headings
            raise ValueError("the template made more than one <continued> in a language of a box; a box repeats its "
                             "heading once on each page it continues on")
        heading: list[Flowable] = []
        units: list[list[Flowable]] = []
        for child in elem:
            if child.tag == "continued":
                continue
            if child.tag == "heading" and not units:  # a heading after units is drawn there, not at the top
                heading += self.keep_pair(heading, child, self.heading(child))
                continue
            handler = self.handlers.get(child.tag)
            if handler is None:
                raise ValueError(f"template produced an unknown element <{child.tag}>")
            for made in self.made(child, handler):
                if is_second(child) and units:
                    units[-1].append(made)
                else:
                    units.append(list(made._content) if isinstance(made, KeepWhole) else [made])
        again: list[Flowable] = []
        for child in continued:
            source = next((h for h in elem.findall("heading") if is_second(h) == is_second(child)), None)
            self.repeated.append((is_second(child), "".join(span.text for span in spans_of(child))))
            spans = [*(spans_of(source) if source is not None else []), Span(" "), *spans_of(child)]
            flow = TextFlow(tuple(spans), self.style_of(child, "heading"), self.fonts_of(child),
                            indent=self.styles.second_indent if is_second(child) else 0.0,
                            unit_id=child.get("id", ""))
            flow.keep_next = True
            again.append(flow)
        colors = self.styles.colors
        box = Callout(heading, units, again or heading, (colors["callout_background"], colors["callout_border"]))
        return [Spacer(1, 6), box]

    def table(self, elem: ET.Element) -> list[Flowable]:
        colors = self.styles.colors
        cell, header = self.styles.text["cell"], replace(self.styles.text["cell"], bold=True)
        rows: list[list[list[Flowable]]] = []
        texts: list[list[list[str]]] = []
        self.tables.append(texts)
        grid = self.parent.add("Table")
        for index, row in enumerate(elem.findall("row")):
            if (head := row.get("header") == "yes") != (index == 0):  # the column names (faithgrid), and no other
                raise ValueError("a table's first row, its column names, is its heading row (header=\"yes\"), and "
                                 "no other")
            style = header if head else cell
            cells: list[list[Flowable]] = []
            texts.append([])
            with self.inside(grid.add("TR")):
                for node in row.findall("cell"):
                    # Column headers, and each row's first cell heads its row (as in the HTML companion).
                    role = "TH" if head or not cells else "TD"
                    if is_second(node) and cells:  # the translation goes beneath the text, in the same cell
                        cells[-1].append(self.flow(node, style, indent=0.0, role=role))
                        texts[-1][-1].append("".join(span.text for span in spans_of(node)))
                        continue
                    cells.append([self.flow(node, style, role=role)])
                    texts[-1].append(["".join(span.text for span in spans_of(node))])
                    if role == "TH" and self.last is not None:
                        self.last.attributes.update(O="Table", Scope="Column" if head else "Row")
            rows.append(cells[::-1] if self.fonts.rtl else cells)
        count = len(rows[0]) if rows else 1
        first = self.width * TABLE_FIRST_COLUMN
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
        with self.inside(self.parent.add("Sect")):
            for child in elem:
                made = self.heading(child) if child.tag == "heading" else [self.flow(child, "disclaimer")]
                flows += self.keep_pair(flows, child, made)
        return [KeepWhole(flows)]

    def editions(self, elem: ET.Element) -> list[Flowable]:
        """The handout in other languages (each named in its own script), in large print, on the web."""
        out = [Spacer(1, 4)]
        for child in elem:
            made = self.languages(child) if child.tag == "languages" else [self.flow(child, "body")]
            if child.get("id") == "editions.languages":
                made[0].keep_next = True  # the label (and its translation) stays with the names it introduces
            out += self.keep_pair(out, child, made)
        return out

    def languages(self, elem: ET.Element) -> list[Flowable]:
        names = []
        for child in elem:
            lang = child.get("lang", "")
            if lang not in self.others:
                raise ValueError(not_another(lang, self.view.lang))
            if " ".join((child.text or "").split()) != dict(self.view.other_languages).get(lang):
                # a name drawn in another language's fonts prints as dots or boxes (eighth pass: codes shifted)
                raise ValueError(f"the template names language '{lang}' with another language's name "
                                 f"('{(child.text or '')[:40]}'); write {{{{ name }}}} for each code")
            names.append((child.text or "", self.others[lang]))
            self.laid_out.append((False, [(child.text or "", "")]))
            self.roles.append("")
            self.drawn.append((self.styles.text["body"], self.boxes > 0, 0))
        if not names:
            return []
        return [NameRow(names, self.styles.text["body"], self.fonts, tag=self.element(elem, "P"))]

    def sources(self, elem: ET.Element) -> list[Flowable]:
        """The short Sources list on the last page, at the disclaimer's size."""
        out: list[Flowable] = []
        for child in elem:
            made = (self.subheading(child) if child.tag == "subheading"
                    else [self.flow(child, "disclaimer", keep_whole=True)])
            out += self.keep_pair(out, child, made)
        return out

    def provenance(self, elem: ET.Element) -> list[Flowable]:
        """The QR code with the verification payload, and the fingerprint (and approver) in text."""
        from generator.render.qr import QRCode

        size = QR_SIZE_MM * MM
        # The view's own payload, whatever the template wrote: a template's address in the code of an approved
        # handout would send a patient's phone anywhere (sixth pass).
        code = QRCode(self.view.verify_payload, size)
        with self.inside(self.parent.add("Div")):
            # What the code is for, and what to do without a phone: both in the handout's own language.
            code.tag = self.parent.add("Figure", alt=f"{self.view.provenance.plain} {self.view.contact.plain}")
            # Beside the code, whose height is otherwise mostly empty: the fingerprint, then the Sources list
            # when the template puts it here (a page of its own at the end, before).
            texts: list[Flowable] = []
            for child in elem:
                if child.tag == "sources":  # plain flows: a table cell is laid out whole, no keep rules
                    texts += [self.flow(part, "subheading" if part.tag == "subheading" else "disclaimer",
                                        indent=0.0, role="H3" if part.tag == "subheading" else "P")
                              for part in child]
                elif child.tag == "p":
                    texts.append(self.flow(child, "disclaimer", indent=0.0))
        cells = [texts, code] if self.fonts.rtl else [code, texts]
        widths = [self.width - size - 8, size + 8] if self.fonts.rtl else [size + 8, self.width - size - 8]
        table = SideBySide(cells, colWidths=widths, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self._regular()), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        return [Spacer(1, 4), KeepTogether([table])]

    def _regular(self) -> str:
        face = self.fonts.face()
        assert face is not None
        return register(face)


