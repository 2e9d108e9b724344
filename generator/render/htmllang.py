"""Every text of the HTML companion is marked as its own language's, inline elements too.

A screen reader says a text in the voice of the language its elements say (`lang=`), and a browser picks its
fonts, hyphenation and translation offer by it. Blocks were held to the page's language (or the translation's) since
the seventeenth pass; an inline element was not: `<p><span lang="es">{{ unit }}</span></p>` read an English
instruction in a Spanish voice (eighteenth pass). A text inside an element saying a language is the page's, the
second language's in a bilingual edition, or the name of the language it says (the other editions' line).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from generator.render.faithmarks import Unfaithful
from generator.render.htmlparse import VOID, Event, Handler, replay
from generator.render.localize import View


class _Said(Handler):
    """Each text of a page with the language the elements around it say (None: none says)."""

    def __init__(self) -> None:
        self.open: list[tuple[str, str | None]] = []
        self.said: list[tuple[str | None, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            lang = next((value or "" for name, value in attrs if name == "lang"), None)
            self.open.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.said.append((next((lang for _, lang in reversed(self.open) if lang is not None), None), data))


def check_langs(page: Sequence[Event], doc: View, second: View | None = None) -> None:
    """Raise Unfaithful when a text of the `page` is inside an element saying a language it is not in."""
    own = {doc.lang.lower(), *((second.lang.lower(),) if second else ())}
    names = {(code.lower(), " ".join(name.split())) for code, name in doc.other_languages}
    parser = _Said()
    replay(page, parser)
    for lang, text in parser.said:
        words = " ".join(text.split())
        if lang is None or lang.strip().lower() in own or (lang.strip().lower(), words) in names \
                or all(unicodedata.category(ch)[0] in "PZ" for ch in words):
            continue
        raise Unfaithful(f"it marks '{words[:50]}' as written in lang=\"{lang[:20]}\": a screen reader says it in that "
                         f"language's voice, a browser draws it in that language's fonts; a text is marked as its "
                         f"own language's ({doc.lang}{', ' + second.lang if second else ''}; a language's own name "
                         "as that language)")
