"""Tagged PDF (PDF/UA-1): a structure tree built with the story, marked content emitted while drawing.

Open-source ReportLab has no tagging API, but this project draws every string itself, so tagging is done at
the drawing points: the layout builds a tree of structure elements (`Tags`, `Node`) in reading order while it
makes the flowables; each drawing point wraps what it draws in a marked-content sequence with an MCID (`marked`) or
marks it as an artifact (`artifact`); at save, `finish` writes the StructTreeRoot, the ParentTree, each page's
StructParents and tab order, MarkInfo and the XMP metadata with the PDF/UA identification. A canvas without
a `tags` attribute draws exactly as before, so every hook is a no-op outside a tagged document.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.platypus import Image, Table
from reportlab.platypus.flowables import HRFlowable

PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


@dataclass(eq=False)
class Node:
    """One structure element: its standard role, attributes, and children (elements or marked content)."""

    role: str
    parent: Node | None = None
    lang: str = ""
    alt: str = ""
    title: str = ""
    attributes: dict[str, object] = field(default_factory=dict)
    kids: list[Node | Content] = field(default_factory=list)
    marks: bool = False  # whether any of `kids` is marked content (or an annotation) of its own

    def add(self, role: str, **kw: object) -> Node:
        """A new child element, after the ones already there."""
        child = Node(role, self, **kw)  # type: ignore[arg-type]
        self.kids.append(child)
        return child


@dataclass(frozen=True)
class Content:
    """A marked-content sequence (page, MCID) or an annotation (page, `annotation` key) of an element."""

    page: int
    mcid: int = -1
    annotation: int = -1


class Tags:
    """The structure tree of one document and what the canvas has marked so far, page by page."""

    def __init__(self, lang: str, title: str) -> None:
        self.lang, self.title = lang, title
        self.root = Node("Document", lang=lang)
        self.marked: dict[int, list[Node]] = {}  # page number -> element of each MCID on it
        # Link annotations and their Link elements; their StructParent keys follow the pages' keys.
        self.annotations: list[tuple[PDFObjectReference, Node]] = []
        self.pages = 0  # pages finished
        self.depth = 0  # open marked-content sequences: a nested one would be drawn untagged

    def mark(self, page: int, node: Node) -> int:
        """Give `node` the next MCID of `page`."""
        owners = self.marked.setdefault(page, [])
        owners.append(node)
        node.kids.append(Content(page, len(owners) - 1))
        node.marks = True
        return len(owners) - 1


def tags_of(canv: object) -> Tags | None:
    """The document's tags when the canvas is drawing a tagged document, else None."""
    return getattr(canv, "tags", None)


def text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte-order mark, in hex) for a content stream."""
    return "<" + (codecs.BOM_UTF16_BE + text.encode("utf-16-be")).hex().upper() + ">"


class _Sequence:
    """A marked-content sequence around what is drawn inside `with`: BDC on entry, EMC on exit. (A class, not
    a generator: a handout opens hundreds of these.)"""

    __slots__ = ("canv", "tags", "begin")

    def __init__(self, canv: object, tags: Tags, begin: str) -> None:
        self.canv, self.tags, self.begin = canv, tags, begin

    def __enter__(self) -> None:
        self.canv._code.append(self.begin)  # type: ignore[attr-defined]
        self.tags.depth += 1

    def __exit__(self, *exc: object) -> None:
        self.tags.depth -= 1
        self.canv._code.append("EMC")  # type: ignore[attr-defined]


_UNTAGGED = nullcontext()


def marked(canv: object, node: Node | None, actual_text: str = "") -> AbstractContextManager[None]:
    """Wrap what is drawn inside in a marked-content sequence belonging to `node` (inside another sequence,
    or outside a tagged document, what is drawn simply belongs to the sequence around it)."""
    tags = getattr(canv, "tags", None)
    if tags is None or node is None or tags.depth:
        return _UNTAGGED
    mcid = tags.mark(canv.getPageNumber(), node)  # type: ignore[attr-defined]
    extra = f" /ActualText {text_string(actual_text)}" if actual_text else ""
    return _Sequence(canv, tags, f"/{node.role} <</MCID {mcid}{extra}>> BDC")


def artifact(canv: object, kind: str = "Layout", subtype: str = "") -> AbstractContextManager[None]:
    """Mark what is drawn inside as an artifact (page furniture: footer, watermark, rules, backgrounds)."""
    tags = getattr(canv, "tags", None)
    if tags is None or tags.depth:
        return _UNTAGGED
    extra = f" /Subtype /{subtype}" if subtype else ""
    return _Sequence(canv, tags, f"/Artifact <</Type /{kind}{extra}>> BDC")


class _Key(PDFObject):
    """A ParentTree key written once it is known: annotation keys follow the pages', counted at save."""

    def __init__(self, tags: Tags, index: int) -> None:
        self.tags, self.index = tags, index

    def format(self, document: object) -> bytes:
        return b"%d" % (self.tags.pages + self.index)


@contextmanager
def unspoken(canv: object, lang: str) -> Iterator[None]:
    """Text inside an artifact that no text extraction should return: an empty /ActualText on a Span (the only
    marked content poppler's pdftotext applies it to), so a diagonal watermark does not mix its letters into
    the body text; /Lang says which language the word is in."""
    if tags_of(canv) is None:
        yield
        return
    canv._code.append(f"/Span <</Lang {text_string(lang)} /ActualText <FEFF>>> BDC")  # type: ignore[attr-defined]
    try:
        yield
    finally:
        canv._code.append("EMC")  # type: ignore[attr-defined]


def page_finished(canv: object, page: PDFPage, number: int) -> None:
    """Give a finished page its StructParents key (its number, from 0) and structure tab order."""
    tags = tags_of(canv)
    if tags is None:
        return
    tags.pages = max(tags.pages, number)
    page.__NoDefault__ = PAGE_KEYS
    page.StructParents = number - 1
    page.Tabs = PDFName("S")


@contextmanager
def link(canv: object, node: Node | None, description: str) -> Iterator[dict[str, object]]:
    """Entries to pass to `canvas.linkURL` for a link of element `node` (a Link), recorded as its OBJR."""
    tags = tags_of(canv)
    if tags is None or node is None:
        yield {}
        return
    index = len(tags.annotations)
    yield {"StructParent": _Key(tags, index), "Contents": PDFString(description)}
    tags.annotations.append((canv._annotationrefs[-1], node))  # type: ignore[attr-defined]
    node.kids.append(Content(canv.getPageNumber(), annotation=index))  # type: ignore[attr-defined]
    node.marks = True


def _page(number: int) -> PDFObjectReference:
    return PDFObjectReference(f"Page{number}")  # ReportLab's own name for page `number`


def _live(node: Node, live: dict[int, bool]) -> Iterator[Node]:
    """The elements that mark something, in tree order (empty ones would be noise for a screen reader);
    `live` is filled with each element's answer, so the tree is walked once."""
    below = [n for kid in node.kids if kid.__class__ is Node for n in _live(kid, live)]  # type: ignore[arg-type]
    live[id(node)] = node.marks or bool(below)
    if live[id(node)]:
        yield node
        yield from below


class _Raw(PDFObject):
    """An object written from pieces (text, or objects ReportLab formats, such as references): hundreds of
    structure elements through ReportLab's generic dictionaries would cost more than drawing the page."""

    def __init__(self, *pieces: object) -> None:
        self.pieces = pieces

    def format(self, document: object) -> bytes:
        numbers = document.idToObjectNumberAndVersion  # type: ignore[attr-defined]
        out = []
        for piece in self.pieces:
            if piece.__class__ is str:
                out.append(piece)
            elif piece.__class__ is PDFObjectReference:
                out.append("%d %d R" % numbers[piece.name])  # noqa: UP031 - the hot path of the whole tree
            else:
                out.append(piece.format(document).decode("latin-1"))  # type: ignore[attr-defined]
        return "".join(out).encode("latin-1")


def finish(canv: object) -> None:
    """Write the structure tree, ParentTree, MarkInfo and XMP metadata into the canvas's document."""
    tags = tags_of(canv)
    if tags is None:
        return
    doc = canv._doc  # type: ignore[attr-defined]
    live: dict[int, bool] = {}
    nodes = list(_live(tags.root, live))
    refs = {id(node): PDFObjectReference(f"StructElem{index}") for index, node in enumerate(nodes)}
    root_ref = PDFObjectReference("StructTreeRoot")
    for index, node in enumerate(nodes):
        doc.Reference(_element(node, refs, live, tags, root_ref), f"StructElem{index}")
    nums: list[object] = []
    for number in range(1, tags.pages + 1):
        nums += [f" {number - 1} [", *(p for n in tags.marked.get(number, []) for p in (" ", refs[id(n)])), "]"]
    for index, (_, owner) in enumerate(tags.annotations):
        nums += [f" {tags.pages + index} ", refs[id(owner)]]
    root = refs[id(tags.root)] if nodes else "[]"
    doc.Reference(_Raw("<< /Type /StructTreeRoot /K ", root, " /ParentTree << /Nums [", *nums, " ] >>",
                       f" /ParentTreeNextKey {tags.pages + len(tags.annotations)} >>"), "StructTreeRoot")
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = _xmp(tags)


def _element(node: Node, refs: dict[int, PDFObjectReference], live: dict[int, bool], tags: Tags,
             root_ref: PDFObjectReference) -> _Raw:
    parent = refs[id(node.parent)] if node.parent is not None else root_ref
    out: list[object] = [f"<< /S /{node.role} /P ", parent]  # /Type /StructElem is optional: 140 x 17 bytes
    page = next((k.page for k in node.kids if isinstance(k, Content)), 0)
    if page:
        out += [" /Pg ", _page(page)]
    kids: list[object] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            if live[id(kid)]:
                kids += [" ", refs[id(kid)]]
        elif kid.mcid >= 0:
            kids += [f" {kid.mcid}"] if kid.page == page else [
                " << /Type /MCR /Pg ", _page(kid.page), f" /MCID {kid.mcid} >>"]
        else:
            kids += [" << /Type /OBJR /Obj ", tags.annotations[kid.annotation][0], " /Pg ", _page(kid.page), " >>"]
    out += [" /K [", *kids, " ]"]
    for key, text in (("Lang", node.lang), ("T", node.title), ("Alt", node.alt)):
        if text:
            out += [f" /{key} ", PDFString(text)]
    if node.attributes:
        out += [" /A << ", *(f"/{k} /{v} " if isinstance(v, str) else f"/{k} {v} " for k, v in node.attributes.items()),
                ">>"]
    return _Raw(*out, " >>")


def _xmp(tags: Tags) -> PDFStream:
    """The XMP packet: title, language and the PDF/UA-1 identification (uncompressed, as readers expect)."""
    title, lang = escape(tags.title), escape(tags.lang)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       packet.encode("utf-8"))
    return stream


class ArtifactTable(Table):
    """A Table whose backgrounds and rules are artifacts (its cells' flowables tag themselves)."""

    def _drawBkgrnd(self) -> None:  # noqa: N802 - ReportLab's name
        with artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self) -> None:  # noqa: N802 - ReportLab's name
        with artifact(self.canv):
            super()._drawLines()


class Rule(HRFlowable):
    """A horizontal rule, drawn as an artifact."""

    def draw(self) -> None:
        with artifact(self.canv):
            super().draw()


class Figure(Image):
    """An image that is a Figure element (`tag`, which carries the alternative text)."""

    tag: Node | None = None

    def draw(self) -> None:
        with marked(self.canv, self.tag):
            super().draw()
