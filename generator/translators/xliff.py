"""XLIFF 1.2 files with xml.etree: one <file> per handout, one <trans-unit> per unit, placeholders as <ph>."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "urn:oasis:names:tc:xliff:document:1.2"
HX = "urn:x-patient-handouts:xliff"  # our own attributes: the source and translation hashes at export time
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Markup escapes first, so that `\{` is never taken for the start of a placeholder.
_TOKENS = re.compile(r"(\\[*\[\]{}\\])|(\{[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\})")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Unit:
    """One trans-unit as written or read; `line` is its line in the file when known (1-based, else 0)."""

    file: str
    id: str
    source: str
    target: str
    state: str = ""
    approved: bool = False
    source_hash: str = ""
    target_hash: str = ""
    notes: tuple[tuple[str, str], ...] = ()  # (from, text)
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Document:
    source_lang: str
    target_lang: str
    units: tuple[Unit, ...]


class XliffError(Exception):
    """The file is not XLIFF 1.2 as exported here; carries the position when known."""

    def __init__(self, line: int, col: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


MAX_NESTING = 50  # <g>/<mrk> inside each other; CAT tools nest a few levels at most


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def placeholder_ids(text: str) -> dict[str, str]:
    """Each distinct placeholder of a source text and its <ph> id (1, 2, ... in order of appearance)."""
    ids: dict[str, str] = {}
    for match in _TOKENS.finditer(text):
        if match.group(2) and match.group(2) not in ids:
            ids[match.group(2)] = str(len(ids) + 1)
    return ids


def _fill(elem: ET.Element, text: str, ids: dict[str, str]) -> None:
    """Put text into an element, each placeholder as <ph id="n">{name}</ph> so CAT tools protect it."""
    last: ET.Element | None = None
    pos = 0

    def add(piece: str) -> None:
        if last is None:
            elem.text = (elem.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece

    for match in _TOKENS.finditer(text):
        if match.group(2):
            add(text[pos:match.start()])
            last = ET.SubElement(elem, _q("ph"), id=ids.get(match.group(2), f"x{match.start()}"))
            last.text = match.group(2)
            pos = match.end()
    add(text[pos:])


def write(doc: Document) -> str:
    """The whole XLIFF document as text (UTF-8 declaration, two-space indentation outside the texts)."""
    ET.register_namespace("", NS)
    ET.register_namespace("hx", HX)
    root = ET.Element(_q("xliff"), version="1.2")
    files: dict[str, ET.Element] = {}
    for unit in doc.units:
        for value in (unit.source, unit.target):
            if _INVALID_XML.search(value):
                raise XliffError(0, 0, f"{unit.file}: {unit.id}: the text holds a control character XML cannot "
                                       "carry", "remove it from the content file")
        if unit.file not in files:
            file = ET.SubElement(root, _q("file"), {
                "original": unit.file, "source-language": doc.source_lang, "target-language": doc.target_lang,
                "datatype": "plaintext", "product-name": "patient-handouts"})
            files[unit.file] = ET.SubElement(file, _q("body"))
        attrs = {"id": unit.id, "resname": unit.id, XML_SPACE: "preserve", f"{{{HX}}}source-hash": unit.source_hash,
                 f"{{{HX}}}translation-hash": unit.target_hash}
        if unit.approved:
            attrs["approved"] = "yes"
        tu = ET.SubElement(files[unit.file], _q("trans-unit"), attrs)
        ids = placeholder_ids(unit.source)
        _fill(ET.SubElement(tu, _q("source")), unit.source, ids)
        _fill(ET.SubElement(tu, _q("target"), state=unit.state), unit.target, ids)
        for origin, note in unit.notes:
            ET.SubElement(tu, _q("note"), {"from": origin}).text = note
    _indent(root, 0)
    # A carriage return in text must be a character reference, or XML parsers turn it into a line feed.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _indent(elem: ET.Element, level: int) -> None:
    """Indent the structure only: never inside <source>, <target> or <note>, whose text is content."""
    if elem.tag in (_q("source"), _q("target"), _q("note")) or not len(elem):
        return
    pad = "\n" + "  " * (level + 1)
    elem.text = pad
    for child in elem:
        _indent(child, level + 1)
        child.tail = pad
    elem[-1].tail = "\n" + "  " * level


def _text(elem: ET.Element | None, source_ph: dict[str, str], where: tuple[int, str], depth: int = 0) -> str:
    """The plain text of a <source> or <target>, placeholders put back from <ph>/<x> (by id if emptied)."""
    if elem is None:
        return ""
    if depth > MAX_NESTING:
        raise XliffError(where[0], 0, f"{where[1]}: inline elements nested more than {MAX_NESTING} deep",
                         "keep the text plain; export the file again")
    out = [elem.text or ""]
    for child in elem:
        tag = child.tag.split("}")[-1]
        if tag in ("ph", "x"):
            content = "".join(child.itertext())
            if not content:
                content = source_ph.get(child.get("id", ""), "")
            if not content:
                raise XliffError(where[0], 0, f"{where[1]}: placeholder <{tag} id=\"{child.get('id')}\"> is not "
                                              "in the source", "copy the placeholders from the source text")
            out.append(content)
        elif tag in ("g", "mrk"):
            out.append(_text(child, source_ph, where, depth + 1))
        else:
            raise XliffError(where[0], 0, f"{where[1]}: unexpected inline element <{tag}>",
                             "keep the text plain; placeholders are the only tags")
        out.append(child.tail or "")
    return "".join(out)


def _source_ph(elem: ET.Element | None) -> dict[str, str]:
    if elem is None:
        return {}
    return {ph.get("id", ""): "".join(ph.itertext()) for ph in elem.iter(_q("ph"))}


def _unit_lines(text: str) -> list[tuple[int, int]]:
    """Line and column of each <trans-unit> start tag, in document order (for messages only)."""
    found = []
    for match in re.finditer(r"<(?:[\w.-]+:)?trans-unit[\s>]", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        found.append((text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1))
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
            unit_id = tu.get("resname") or tu.get("id") or ""
            where = (line, f"{original}: {unit_id}")
            source = tu.find(_q("source"))
            target = tu.find(_q("target"))
            ph = _source_ph(source)
            units.append(Unit(original, unit_id, _text(source, ph, where), _text(target, ph, where),
                              target.get("state", "") if target is not None else "",
                              tu.get("approved") == "yes", tu.get(f"{{{HX}}}source-hash", ""),
                              tu.get(f"{{{HX}}}translation-hash", ""),
                              tuple((n.get("from", ""), n.text or "") for n in tu.findall(_q("note"))), line, col))
    if len(lang_set := {t for _, t in langs}) != 1 or "" in lang_set:
        raise XliffError(1, 1, "the file must name exactly one target-language",
                         "export one language per file")
    source_lang = next(iter(langs))[0]
    return Document(source_lang, next(iter(lang_set)), tuple(units))
