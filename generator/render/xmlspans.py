"""The inline markup of a template's XML (<b>, <i>, <a href>, <v>) read back into spans, and the spans as the
faithfulness checks take them (render/faithful.py, faithmarks.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.content.markup import ALLOWED_SCHEMES, Span
from generator.render.faithmarks import emphasis


def spans_of(elem: ET.Element, bold: bool = False, italic: bool = False, href: str = "",
             value: bool = False) -> list[Span]:
    """Read the inline tags (<b>, <i>, <a href>, <v>) of an element back into styled spans."""
    out = [Span(elem.text, bold, italic, href, value=value)] if elem.text else []
    for child in elem:
        link = child.get("href", href) if child.tag == "a" else href
        if link and not link.lower().startswith(ALLOWED_SCHEMES):  # a template's own link, not content's
            raise ValueError(f"the template made a link that is not https:, mailto: or tel: ({link[:40]!r})")
        out += spans_of(child, bold or child.tag == "b", italic or child.tag == "i", link, value or child.tag == "v")
        if child.tail:
            out.append(Span(child.tail, bold, italic, href, value=value))
    return out


def is_second(elem: ET.Element) -> bool:
    """Whether an element is the bilingual edition's second-language text of the element before it."""
    return elem.get("second") == "yes"


def drawn(spans: tuple[Span, ...]) -> list[tuple[str, str, bool, str]]:
    """Each span's text, link, value mark and emphasis, as render/faithful.py compares them with the unit's."""
    return [(span.text, span.href, span.value, emphasis(span.bold, span.italic)) for span in spans]
