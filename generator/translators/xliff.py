"""XLIFF 1.2 files with xml.etree, valid against the OASIS XLIFF 1.2 strict schema.

One <file> per handout, one <trans-unit> per unit. Placeholders are <ph>, bold, italic and links are paired
<bpt>/<ept> codes holding the markup itself, so CAT tools protect them and the text reads back byte for byte.
A CAT tool shows a code as a tag, never what it holds: reading a <target>, each code must hold its source's
markup for its id (or nothing), and codes the source lacks are returned for the import to check.
What the import needs (export language, source and translation hashes) goes in the standard `extradata`
attribute; no attribute outside the XLIFF namespace is written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from generator.content.problems import printable
from generator.translators import xliffcodes as inline
from generator.translators.xlifflang import other_language, start_of

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STAMP = "patient-handouts"  # first word of our extradata
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DONE_STATES = frozenset({"translated", "signed-off", "final"})  # XLIFF 1.2 states of a finished translation


@dataclass(frozen=True)
class Code:
    """One inline code of a <target> as read: its element, id, the markup it holds, where it is in the file."""

    tag: str
    id: str
    native: str
    in_source: bool  # the <source> has a code of this kind and id (whose markup this one's equals)
    line: int = 0
    col: int = 0

    @property
    def kind(self) -> str:
        """ph, bpt or ept: what the code stands for, whichever element a CAT tool wrote it as."""
        return _KIND.get(self.tag, self.tag)


@dataclass(frozen=True)
class Unit:
    """One trans-unit as written or read; `line` is its line in the file when known (1-based, else 0)."""

    file: str
    id: str
    source: str
    target: str
    state: str = ""
    approved: bool | None = None  # None: no approved attribute
    extradata: dict[str, str] | None = None
    notes: tuple[tuple[str, str], ...] = ()  # (from, text)
    previous_source: str = ""  # written as <alt-trans alttranstype="previous-version">
    reference: tuple[str, int] = ("", 0)  # source file and line, as a location context group
    max_chars: int = 0  # written as maxwidth with size-unit="char"
    protected: tuple[str, ...] = ()  # terms marked <mrk mtype="protected"> in the source (do not translate)
    codes: tuple[Code, ...] = ()  # the target's inline codes as read (import checks them against the content)
    line: int = 0
    col: int = 0

    @property
    def done(self) -> bool:
        """Whether the unit's translation is finished, as XLIFF 1.2 defines its states."""
        if self.state:
            return self.state in DONE_STATES
        return bool(self.approved)


@dataclass(frozen=True)
class Document:
    source_lang: str
    target_lang: str
    units: tuple[Unit, ...]
    tool_version: str = ""


class XliffError(Exception):
    """The file is not XLIFF 1.2 as exported here; carries the position when known."""

    def __init__(self, line: int, col: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


_INLINE_START = re.compile(r"<(?:[\w.-]+:)?(ph|bpt|ept|it|x|bx|ex|mrk)[\s/>]")
_TARGET_START = re.compile(r"<(?:[\w.-]+:)?target[\s>/]")


class _Where:
    """A unit being read, for messages: its line, its name, and where in the file each of its target's inline
    codes is (found in document order, as they are read: one pass over the unit, however many codes)."""

    def __init__(self, line: int, col: int, label: str, text: str = "", start: int = 0, end: int = 0) -> None:
        self.line, self.label, self.text, self.end = line, label, text, end
        target = _TARGET_START.search(text, start, end)
        self.pos = target.start() if target else end
        breaks = text.count("\n", start, self.pos)
        self.at_line = line + breaks
        # From the unit's own column, never by searching back: a file may be one long line of units.
        self.line_start = text.rfind("\n", start, self.pos) + 1 if breaks else start - col + 1

    def at(self, tag: str) -> tuple[int, int]:
        """Line and column of the target's next inline element `tag`, the codes being read in document order
        (the unit's line when there is none). Each search starts where the last one ended."""
        first = next((m for m in _INLINE_START.finditer(self.text, self.pos, self.end) if m.group(1) == tag), None)
        if first is None:  # not where the file's layout says: no later search looks again
            self.pos = self.end
            return self.line, 0
        breaks = self.text.count("\n", self.pos, first.start())
        if breaks:
            self.at_line += breaks
            self.line_start = self.text.rfind("\n", self.pos, first.start()) + 1
        self.pos = first.end()
        return self.at_line, first.start() - self.line_start + 1


MAX_NESTING = 50  # <g>/<mrk> inside each other; CAT tools nest a few levels at most


# The code each inline element stands for: <x>, <bx>, <ex> are the empty forms of <ph>, <bpt>, <ept>.
_KIND = {"ph": "ph", "x": "ph", "bpt": "bpt", "bx": "bpt", "ept": "ept", "ex": "ept"}


def _kind(elem: ET.Element) -> str:
    tag = elem.tag.split("}")[-1]
    if tag == "it":  # an isolated code: the opening or closing half of a pair
        return "bpt" if elem.get("pos") == "open" else "ept"
    return _KIND.get(tag, tag)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# -- inline codes ----------------------------------------------------------------------------------
def _fill(elem: ET.Element, text: str, source_text: str | None = None) -> None:
    """Put text into <source> or <target>: placeholders as <ph>, bold, italic and links as <bpt>/<ept>."""
    pieces = inline.pieces(text)
    if pieces is None:  # markup that does not pair up (a draft): plain text, which reads back unchanged
        elem.text = text
        return
    ids = inline.code_ids(pieces, inline.pieces(source_text) if source_text is not None else None)
    last: ET.Element | None = None
    for index, piece in enumerate(pieces):
        if piece.kind == "text":
            if last is None:
                elem.text = (elem.text or "") + piece.text
            else:
                last.tail = (last.tail or "") + piece.text
            continue
        if piece.kind == "ph":
            last = ET.SubElement(elem, _q("ph"), id=ids[index])
        elif piece.kind == "open":
            last = ET.SubElement(elem, _q("bpt"), id=ids[index], ctype=piece.code)
        else:
            last = ET.SubElement(elem, _q("ept"), id=ids[index])
        last.text = piece.text


def _native_codes(elem: ET.Element | None) -> dict[tuple[str, str], str]:
    """The markup each inline code of a <source> stands for, by (ph/bpt/ept, id)."""
    if elem is None:
        return {}
    return {(_kind(child), child.get("id", "")): "".join(child.itertext()) for child in elem.iter()
            if child is not elem}


def _text(elem: ET.Element | None, codes: dict[tuple[str, str], str], where: _Where, depth: int = 0,
          found: list[Code] | None = None) -> str:
    """The plain text of a <source> or <target>: every inline code put back as the markup it holds. For a
    <target> (`found` given), each code must hold the source's markup for its id, or nothing."""
    if elem is None:
        return ""
    if depth > MAX_NESTING:
        raise XliffError(where.line, 0, f"{where.label}: inline elements nested more than {MAX_NESTING} deep",
                         "keep the text plain; export the file again")
    out = [elem.text or ""]
    for child in elem:
        tag = child.tag.split("}")[-1]
        ident = child.get("id", "")
        if tag in ("ph", "bpt", "ept", "it", "x", "bx", "ex"):
            content, native = "".join(child.itertext()), codes.get((_kind(child), ident))
            line, col = where.line, 0
            if found is not None:
                content = _target_code(tag, ident, content, native, where, found)
                line, col = found[-1].line, found[-1].col
            if not (content or native):
                raise XliffError(line, col, f"{where.label}: inline code <{tag} id=\"{ident}\"> is not in the "
                                 "source", "copy the tags from the source text")
            out.append(content or native or "")
        elif tag == "g":
            inner = _text(child, codes, where, depth + 1, found)
            opening, closing = codes.get(("bpt", ident), ""), codes.get(("ept", ident), "")
            out.append(opening + inner + closing if opening else inner)
        elif tag == "mrk":
            if not inline.mark_kept(mtype := child.get("mtype", "")) and "".join(child.itertext()):  # empty: no text
                line, col = where.at(tag) if found is not None else (where.line, 0)
                raise XliffError(line, col, f"{where.label}: <mrk mtype=\"{printable(mtype[:40])}\"> marks text the "
                                 "import cannot tell is part of the translation (a tracked deletion?)",
                                 "accept or reject every tracked change in your CAT tool, then export again")
            out.append(_text(child, codes, where, depth + 1, found))
        else:
            raise XliffError(where.line, 0, f"{where.label}: unexpected inline element <{tag}>",
                             "keep the text and the tags of the source; add no other elements")
        out.append(child.tail or "")
    return "".join(out)


def _target_code(tag: str, ident: str, content: str, native: str | None, where: _Where,
                 found: list[Code]) -> str:
    """A target's inline code checked against the source's of its id: a CAT tool shows it as a tag chip, never
    as words, so markup other than the source's (a link's address, a placeholder, words) would go unseen."""
    line, col = where.at(tag)
    if native is not None and content and content != native:
        raise XliffError(line, col, f"{where.label}: the tag <{tag} id=\"{ident}\"> holds "
                         f"'{printable(content[:200])}', but the source's tag {ident} holds "
                         f"'{printable(native[:200])}'; a CAT tool shows a tag, not what it holds",
                         "keep the tag as exported (copy it from the source); a link to another page is "
                         "changed in the content file")
    found.append(Code(tag, ident, content or native or "", native is not None, line, col))
    return content


# -- writing ---------------------------------------------------------------------------------------
def _extradata(values: dict[str, str]) -> str:
    return " ".join([STAMP, *(f"{k}={v}" for k, v in values.items())])


def read_extradata(value: str) -> dict[str, str]:
    """Our key=value pairs from an extradata attribute ({} when it is not ours)."""
    words = value.split()
    if not words or words[0] != STAMP:
        return {}
    return dict(w.split("=", 1) for w in words[1:] if "=" in w)


def _protect(elem: ET.Element, terms: tuple[str, ...]) -> None:
    """Wrap each do-not-translate term in plain text runs of <source> in <mrk mtype="protected">."""
    if not terms:
        return
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))

    def split(text: str) -> tuple[str, list[ET.Element]]:
        parts = pattern.split(text)
        found = pattern.findall(text)
        marks = []
        for term, after in zip(found, parts[1:], strict=True):
            mark = ET.Element(_q("mrk"), mtype="protected", comment="do not translate")
            mark.text, mark.tail = term, after
            marks.append(mark)
        return parts[0], marks

    head, marks = split(elem.text or "")
    elem.text = head
    children = list(elem)
    for mark_index, mark in enumerate(marks):
        elem.insert(mark_index, mark)
    for child in children:
        tail, marks = split(child.tail or "")
        child.tail = tail
        at = list(elem).index(child) + 1
        for offset, mark in enumerate(marks):
            elem.insert(at + offset, mark)


def write(doc: Document) -> str:
    """The whole XLIFF document as text (UTF-8 declaration, two-space indentation outside the texts)."""
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), version="1.2")
    files: dict[str, ET.Element] = {}
    for unit in doc.units:
        for value in (unit.source, unit.target, unit.previous_source):
            if _INVALID_XML.search(value):
                raise XliffError(0, 0, f"{unit.file}: {unit.id}: the text holds a control character XML cannot "
                                       "carry", "remove it from the content file")
        if unit.file not in files:
            file = ET.SubElement(root, _q("file"), {
                "original": unit.file, "source-language": doc.source_lang, "target-language": doc.target_lang,
                "datatype": "plaintext", "product-name": "patient-handouts",
                **({"product-version": doc.tool_version} if doc.tool_version else {})})
            files[unit.file] = ET.SubElement(file, _q("body"))
        attrs = {"id": unit.id, "resname": f"{unit.file}|{unit.id}", XML_SPACE: "preserve"}
        if unit.approved is not None:
            attrs["approved"] = "yes" if unit.approved else "no"
        if unit.extradata:
            attrs["extradata"] = _extradata(unit.extradata)
        if unit.max_chars:
            attrs.update({"maxwidth": str(unit.max_chars), "size-unit": "char"})
        tu = ET.SubElement(files[unit.file], _q("trans-unit"), attrs)
        source = ET.SubElement(tu, _q("source"))
        _fill(source, unit.source)
        _protect(source, unit.protected)
        target_attrs = {"state": unit.state} if unit.state else {}
        _fill(ET.SubElement(tu, _q("target"), target_attrs), unit.target, unit.source)
        if unit.reference[0]:
            group = ET.SubElement(tu, _q("context-group"), purpose="location")
            ET.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = unit.reference[0]
            ET.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = str(unit.reference[1])
        for origin, note in unit.notes:
            ET.SubElement(tu, _q("note"), {"from": origin}).text = note
        if unit.previous_source:
            alt = ET.SubElement(tu, _q("alt-trans"), {"alttranstype": "previous-version", "origin": STAMP})
            _fill(ET.SubElement(alt, _q("source")), unit.previous_source)
            _fill(ET.SubElement(alt, _q("target")), unit.target, unit.previous_source)
    _indent(root, 0)
    # A carriage return in text must be a character reference, or XML parsers turn it into a line feed.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


_CONTENT = {_q("source"), _q("target"), _q("note"), _q("context")}


def _indent(elem: ET.Element, level: int) -> None:
    """Indent the structure only: never inside <source>, <target>, <note> or <context>, whose text is content."""
    if elem.tag in _CONTENT or not len(elem):
        return
    pad = "\n" + "  " * (level + 1)
    elem.text = pad
    for child in elem:
        _indent(child, level + 1)
        child.tail = pad
    elem[-1].tail = "\n" + "  " * level


# -- reading ---------------------------------------------------------------------------------------
def _unit_lines(text: str) -> list[tuple[int, int]]:
    """Line and column of each <trans-unit> start tag, in document order (for messages only)."""
    return [(line, col) for line, col, _ in _unit_starts(text)]


def _unit_starts(text: str) -> list[tuple[int, int, int]]:
    """Line, column and offset of each <trans-unit> start tag, in document order."""
    found = []
    # Counted from the previous unit on: counting from the start of the file (or of a long line) at every unit
    # is quadratic in a file of many units.
    line, counted, line_start = 1, 0, 0
    for match in re.finditer(r"<(?:[\w.-]+:)?trans-unit[\s>]", text):
        start = match.start()
        breaks = text.count("\n", counted, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", counted, start) + 1
        counted = start
        found.append((line, start - line_start + 1, start))
    return found


def parse(text: str) -> Document:
    """Read an XLIFF 1.2 file; raise XliffError with a position for anything unexpected."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise XliffError(1, 1, "the file declares a DOCTYPE or entities, which are not accepted",
                         "import the file as exported, without a DOCTYPE")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise XliffError(line, col + 1, f"not well-formed XML ({str(exc).split(':')[0]})",
                         "fix the XML, or export the file again") from None
    if root.tag != _q("xliff") or root.get("version") != "1.2":
        raise XliffError(1, 1, "not an XLIFF 1.2 document", "export XLIFF 1.2 from your CAT tool")
    lines = _unit_starts(text)
    ends = [start for _, _, start in lines[1:]]
    index = 0
    units: list[Unit] = []
    langs: set[tuple[str, str]] = set()
    for file in root.iter(_q("file")):
        original = file.get("original", "")
        langs.add((file.get("source-language", ""), file.get("target-language", "")))
        for tu in file.iter(_q("trans-unit")):
            line, col, start = lines[index] if index < len(lines) else (0, 0, len(text))
            end = ends[index] if index < len(ends) else len(text)
            index += 1
            resname = tu.get("resname") or ""
            unit_id = resname.partition("|")[2] if "|" in resname else resname or tu.get("id") or ""
            where = _Where(line, col, f"{original}: {unit_id}", text, start, end)
            for element in ("source", "target"):  # XLIFF 1.2 allows one of each; a tool may show the other
                if len(tu.findall(_q(element))) > 1:
                    raise XliffError(line, col, f"{printable(where.label[:200])}: the trans-unit holds more than one "
                                     f"<{element}>, so a tool may show one text and the import take another",
                                     f"keep one <{element}> per unit, or export the file again")
            source = tu.find(_q("source"))
            target = tu.find(_q("target"))
            for kind, element in (("source", source), ("target", target)):
                if why := other_language(element, kind, file.get(f"{kind}-language", "")):
                    raise XliffError(*start_of(kind, text, start, end, line, col), f"{printable(where.label[:200])}: "
                                     f"{why}", "remove the xml:lang (and translate into the file's language), or "
                                     "export the file again")
            codes = _native_codes(source)
            approved = tu.get("approved")
            found: list[Code] = []
            source_text = _text(source, codes, where)
            if (shown := tu.find(_q("seg-source"))) is not None \
                    and _text(shown, codes, where).split() != source_text.split():  # what Trados shows
                raise XliffError(line, col, f"{printable(where.label[:200])}: its <seg-source> (the text a CAT tool "
                                 "shows the translator) holds other words than its <source>",
                                 "export the file again and translate the source as exported")
            units.append(Unit(
                original, unit_id, source_text, _text(target, codes, where, found=found),
                target.get("state", "") if target is not None else "",
                None if approved is None else approved == "yes", read_extradata(tu.get("extradata", "")),
                tuple((n.get("from", ""), n.text or "") for n in tu.findall(_q("note"))), codes=tuple(found),
                line=line, col=col))
    if len(lang_set := {t for _, t in langs}) != 1 or "" in lang_set:
        raise XliffError(1, 1, "the file must name exactly one target-language",
                         "export one language per file")
    source_lang = next(iter(langs))[0]
    return Document(source_lang, next(iter(lang_set)), tuple(units))
