"""XLIFF 1.2 files with xml.etree, valid against the OASIS XLIFF 1.2 strict schema.

One <file> per handout, one <trans-unit> per unit. Placeholders are <ph>, bold, italic and links are paired
<bpt>/<ept> codes holding the markup itself, so CAT tools protect them and the text reads back byte for byte.
What the import needs (export language, source and translation hashes) goes in the standard `extradata`
attribute; no attribute outside the XLIFF namespace is written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STAMP = "patient-handouts"  # first word of our extradata
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Markup escapes first, so that `\*` is never taken for the start of italic.
_TOKENS = re.compile(r"(?P<escape>\\[*\[\]{}\\])|(?P<ph>\{[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\})|(?P<bold>\*\*)"
                     r"|(?P<italic>\*)|(?P<link>\[(?=[^\]\n]+\]\((?:[^()\s]|\([^()\s]*\))*\)))"
                     r"|(?P<close>\]\((?:[^()\s]|\([^()\s]*\))*\))")
DONE_STATES = frozenset({"translated", "signed-off", "final"})  # XLIFF 1.2 states of a finished translation


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


MAX_NESTING = 50  # <g>/<mrk> inside each other; CAT tools nest a few levels at most


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# -- inline codes ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Piece:
    kind: str  # text, ph, open, close
    text: str
    code: str = ""  # bold, italic, link: what a pair is
    pair: int = -1  # index of the other half of a pair


def _pieces(text: str) -> list[_Piece] | None:
    """Text split into plain runs, placeholders and paired codes; None when the markup does not pair up."""
    pieces: list[_Piece] = []
    stack: list[tuple[str, int]] = []
    pos = 0

    def plain(upto: int) -> None:
        if upto > pos:
            pieces.append(_Piece("text", text[pos:upto]))

    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or ""
        if kind == "escape":
            continue
        plain(match.start())
        pos = match.end()
        token = match.group()
        if kind == "ph":
            pieces.append(_Piece("ph", token))
        elif kind in ("bold", "italic") and stack and stack[-1][0] == kind:
            _, at = stack.pop()
            pieces[at] = _Piece("open", pieces[at].text, kind, len(pieces))
            pieces.append(_Piece("close", token, kind, at))
        elif kind in ("bold", "italic", "link"):
            stack.append((kind, len(pieces)))
            pieces.append(_Piece("open", token, kind))
        elif kind == "close" and stack and stack[-1][0] == "link":
            _, at = stack.pop()
            pieces[at] = _Piece("open", pieces[at].text, "link", len(pieces))
            pieces.append(_Piece("close", token, "link", at))
        else:
            return None
    plain(len(text))
    return None if stack else pieces


def _key(pieces: list[_Piece], piece: _Piece) -> tuple[str, str]:
    """What identifies a code across source and translation: a placeholder's name, a link's address."""
    if piece.kind == "ph":
        return ("ph", piece.text)
    return (piece.code, pieces[piece.pair].text if piece.code == "link" else "")


def _numbering(pieces: list[_Piece]) -> dict[tuple[str, str], list[str]]:
    """The source's codes numbered 1, 2, ... in order, grouped by what they are."""
    numbered: dict[tuple[str, str], list[str]] = {}
    count = 0
    for piece in pieces:
        if piece.kind in ("ph", "open"):
            count += 1
            numbered.setdefault(_key(pieces, piece), []).append(str(count))
    return numbered


def _code_ids(pieces: list[_Piece], source: list[_Piece] | None) -> list[str]:
    """An id for each code: the n-th code of a kind gets the id of the source's n-th code of that kind."""
    numbered = _numbering(source if source is not None else pieces)
    ids: list[str] = [""] * len(pieces)
    extra = 0
    for index, piece in enumerate(pieces):
        if piece.kind in ("ph", "open"):
            free = numbered.get(_key(pieces, piece)) or []
            if free:
                ids[index] = free.pop(0)
            else:  # a code the source does not have: an id of its own, and the import check will name it
                extra += 1
                ids[index] = f"x{extra}"
            if piece.kind == "open":
                ids[piece.pair] = ids[index]
    return ids


def _fill(elem: ET.Element, text: str, source_text: str | None = None) -> None:
    """Put text into <source> or <target>: placeholders as <ph>, bold, italic and links as <bpt>/<ept>."""
    pieces = _pieces(text)
    if pieces is None:  # markup that does not pair up (a draft): plain text, which reads back unchanged
        elem.text = text
        return
    ids = _code_ids(pieces, _pieces(source_text) if source_text is not None else None)
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
    """The markup each inline code of a <source> stands for, by (tag, id): used when a tool empties a code."""
    if elem is None:
        return {}
    return {(child.tag.split("}")[-1], child.get("id", "")): "".join(child.itertext()) for child in elem.iter()
            if child is not elem}


def _text(elem: ET.Element | None, codes: dict[tuple[str, str], str], where: tuple[int, str],
          depth: int = 0) -> str:
    """The plain text of a <source> or <target>: every inline code put back as the markup it holds."""
    if elem is None:
        return ""
    if depth > MAX_NESTING:
        raise XliffError(where[0], 0, f"{where[1]}: inline elements nested more than {MAX_NESTING} deep",
                         "keep the text plain; export the file again")
    out = [elem.text or ""]
    for child in elem:
        tag = child.tag.split("}")[-1]
        ident = child.get("id", "")
        if tag in ("ph", "bpt", "ept", "it", "x", "bx", "ex"):
            content = "".join(child.itertext())
            if not content:
                alias = {"x": "ph", "bx": "bpt", "ex": "ept"}.get(tag, tag)
                content = codes.get((alias, ident), "")
            if not content:
                raise XliffError(where[0], 0, f"{where[1]}: inline code <{tag} id=\"{ident}\"> is not in the "
                                              "source", "copy the tags from the source text")
            out.append(content)
        elif tag == "g":
            inner = _text(child, codes, where, depth + 1)
            opening, closing = codes.get(("bpt", ident), ""), codes.get(("ept", ident), "")
            out.append(opening + inner + closing if opening else inner)
        elif tag == "mrk":
            out.append(_text(child, codes, where, depth + 1))
        else:
            raise XliffError(where[0], 0, f"{where[1]}: unexpected inline element <{tag}>",
                             "keep the text and the tags of the source; add no other elements")
        out.append(child.tail or "")
    return "".join(out)


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
        found.append((line, start - line_start + 1))
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
    lines = _unit_lines(text)
    index = 0
    units: list[Unit] = []
    langs: set[tuple[str, str]] = set()
    for file in root.iter(_q("file")):
        original = file.get("original", "")
        langs.add((file.get("source-language", ""), file.get("target-language", "")))
        for tu in file.iter(_q("trans-unit")):
            line, col = lines[index] if index < len(lines) else (0, 0)
            index += 1
            resname = tu.get("resname") or ""
            unit_id = resname.partition("|")[2] if "|" in resname else resname or tu.get("id") or ""
            where = (line, f"{original}: {unit_id}")
            source = tu.find(_q("source"))
            target = tu.find(_q("target"))
            codes = _native_codes(source)
            approved = tu.get("approved")
            units.append(Unit(
                original, unit_id, _text(source, codes, where), _text(target, codes, where),
                target.get("state", "") if target is not None else "",
                None if approved is None else approved == "yes", read_extradata(tu.get("extradata", "")),
                tuple((n.get("from", ""), n.text or "") for n in tu.findall(_q("note"))), line=line, col=col))
    if len(lang_set := {t for _, t in langs}) != 1 or "" in lang_set:
        raise XliffError(1, 1, "the file must name exactly one target-language",
                         "export one language per file")
    source_lang = next(iter(langs))[0]
    return Document(source_lang, next(iter(lang_set)), tuple(units))
