"""The language a unit's own <source> or <target> names (xml:lang), held against its <file>'s languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.content.names import same_language
from generator.content.problems import printable

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def other_language(element: ET.Element | None, kind: str, named: str) -> str | None:
    """Why `element` (a <source> or <target>) is refused when its xml:lang names another language than its <file>'s
    `named` one, or None. An import took `<target xml:lang="fr">` into 'es' without a word, while the same change
    on <file target-language> was refused (thirty-seventh pass): a tool or a person changed the language."""
    said = element.get(XML_LANG) if element is not None else None
    if said is None or same_language(said, named):
        return None
    return (f"its <{kind}> says xml:lang=\"{printable(said[:40])}\", but the file's {kind}-language is "
            f"'{printable(named[:40])}': a tool or a person changed the language of this unit")


def start_of(tag: str, text: str, start: int, end: int, line: int, col: int) -> tuple[int, int]:
    """Line and column (1-based) of the first <tag> (any namespace prefix) in text[start:end], a unit that starts at
    `start`, on `line` and `col`; the unit's own when there is none."""
    found = re.compile(rf"<(?:[\w.-]+:)?{tag}[\s>/]").search(text, start, end)
    if found is None:
        return line, col
    breaks = text.count("\n", start, found.start())
    # From the unit's own column on its line, never by searching back: a file may be one long line of units
    return line + breaks, found.start() - text.rfind("\n", start, found.start()) if breaks else \
        col + found.start() - start
