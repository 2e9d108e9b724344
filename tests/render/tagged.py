"""Reading a tagged PDF back in structure order: each element's text from its marked content, found with
pdfminer (the drawn text through the fonts' ToUnicode maps, or a sequence's /ActualText where it carries one),
and the structure tree walked with pikepdf."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1

INLINE = {"Link"}  # elements read as part of the text of the element around them


class _MarkedText(PDFDevice):
    """The text of every marked-content sequence with an MCID, per page (its lines separated by newlines),
    and the text drawn inside artifacts."""

    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager)
        self.page = -1
        self.texts: dict[tuple[int, int], str] = {}
        self.actual: dict[tuple[int, int], str] = {}
        self.artifacts: list[str] = []
        self.unmarked: list[str] = []
        self._stack: list[tuple[str, int]] = []
        self._baseline: dict[tuple[int, int], float] = {}

    def begin_page(self, page, ctm):  # type: ignore[no-untyped-def]
        self.page += 1

    def begin_tag(self, tag, props=None):  # type: ignore[no-untyped-def]
        props = resolve1(props) if props is not None else {}
        mcid = props.get("MCID", -1) if isinstance(props, dict) else -1
        self._stack.append((tag.name, mcid))
        if mcid >= 0:
            self.texts.setdefault((self.page, mcid), "")
            raw = props.get("ActualText")
            if raw is not None:
                self.actual[(self.page, mcid)] = raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode()

    def end_tag(self):  # type: ignore[no-untyped-def]
        self._stack.pop()

    def render_string(self, textstate, seq, ncs, graphicstate):  # type: ignore[no-untyped-def]
        font = textstate.font
        text = "".join(font.to_unichr(cid) for item in seq if isinstance(item, bytes) for cid in font.decode(item))
        if any(name == "Artifact" for name, _ in self._stack):
            self.artifacts.append(text)
            return
        owner = next((mcid for _, mcid in reversed(self._stack) if mcid >= 0), -1)
        if owner < 0:
            self.unmarked.append(text)
            return
        key = (self.page, owner)
        baseline = textstate.matrix[5] + textstate.linematrix[1]
        if key in self._baseline and abs(self._baseline[key] - baseline) > 0.01:
            text = "\n" + text  # the next line of the same paragraph
        self._baseline[key] = baseline
        self.texts[key] += text


def marked_text(pdf: Path) -> _MarkedText:
    """What every marked-content sequence of the PDF holds, and what is drawn outside them."""
    manager = PDFResourceManager()
    device = _MarkedText(manager)
    interpreter = PDFPageInterpreter(manager, device)
    with open(pdf, "rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
    return device


@dataclass(frozen=True)
class Element:
    role: str
    lang: str  # its own /Lang, or the one it inherits
    text: str  # of its marked content and its inline (Link) children, in order
    alt: str
    attributes: dict[str, str]
    depth: int


def elements(pdf: Path) -> list[Element]:
    """Every structure element in structure (reading) order."""
    marked = marked_text(pdf)
    doc = pikepdf.open(pdf)
    pages = {page.objgen: index for index, page in enumerate(doc.pages)}
    out: list[Element] = []

    def content(page: int, mcid: int) -> str:
        return marked.actual.get((page, mcid), marked.texts.get((page, mcid), ""))

    def kids_of(elem: pikepdf.Dictionary) -> list:
        kids = elem.get("/K")
        return list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])

    def text_of(elem: pikepdf.Dictionary, children: list) -> str:
        page = pages.get(elem.Pg.objgen, -1) if "/Pg" in elem else -1
        parts = []
        for kid in kids_of(elem):
            if not isinstance(kid, pikepdf.Dictionary):
                parts.append(content(page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                parts.append(content(pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                continue
            elif str(kid.get("/S"))[1:] in INLINE:
                parts.append(text_of(kid, children))
            else:
                children.append(kid)
        return "".join(parts)

    def walk(elem: pikepdf.Dictionary, lang: str, depth: int) -> None:
        lang = str(elem.get("/Lang", lang))
        children: list = []
        attributes = {str(k)[1:]: str(v).lstrip("/") for k, v in elem.get("/A", {}).items()}
        out.append(Element(str(elem.S)[1:], lang, text_of(elem, children), str(elem.get("/Alt", "")),
                           attributes, depth))
        for child in children:
            walk(child, lang, depth + 1)

    walk(doc.Root.StructTreeRoot.K, str(doc.Root.get("/Lang", "")), 0)
    return out
