"""The HTML companion's page, read once: the events the checked parse met, replayed to each check that needs them.

`check_html` (render/htmlcheck.py) parses a template's page with Python's parser and refuses what a browser could
read otherwise; the checks that follow it (languages, region names, table headers, `<meta>` tags, the title) read
the same events it met instead of parsing the page again, each with a handler of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.render.htmlsize import FlowType

Attributes = tuple[tuple[str, str | None], ...]
# Elements with no end tag (the QR code's SVG shapes are written self-closed); `link`, `input` and `source` never
# pass check_html, but the checks that replay a page name them too, as a browser reads them.
VOID = frozenset({"br", "wbr", "hr", "img", "col", "meta", "path", "rect", "link", "input", "source"})


@dataclass(frozen=True)
class Event:
    """One thing the parser met: a start tag (`closed` when written `<br/>`), an end tag, or text."""

    kind: str  # "start", "end" or "text"
    tag: str = ""
    attrs: Attributes = ()
    text: str = ""
    closed: bool = False


@dataclass(frozen=True)
class CheckedPage:
    """What the checked parse of a page read: what render/faithful.py and the checks after it compare."""

    ends: dict[str, int]  # where the <html> and <body> start tags end
    events: tuple[Event, ...]  # every tag and text met, for the checks that read the page again (htmlparse)
    texts: list[str]  # the page's text nodes
    links: list[str]  # every <a href>
    said: list[str]  # attribute values read out or shown (alt, title, aria-label...)
    images: list[str]  # every <img src>
    flows: list[list[tuple[str, str, str, str]]]  # the body's blocks: (text, link, isolate, emphasis) spans
    roles: list[str]  # each flow's: a heading, a bulleted item, a check box or text
    types: list[FlowType]  # each flow's: bold? in a box? heading level? language?
    sheets: list[str]  # every <style> block and style= value
    directions: list[tuple[str, str | None, str | None, bool]]  # lang= and dir= of <html>, <body>, blocks
    grids: list[list[list[list[str]]]]  # each table's cells
    classes: set[tuple[str, str]]  # each (element, class) used in the body


class Handler:
    """What a check overrides to read a page's events; the names and defaults are html.parser's."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A start tag and its attributes."""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closed tag: a start and an end, as html.parser has it by default."""
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """An end tag."""

    def handle_data(self, data: str) -> None:
        """Text (a style sheet's too)."""


def replay(events: Iterable[Event], handler: Handler) -> None:
    """Give `handler` the page's events in order, as html.parser gave them to the checked parse."""
    for event in events:
        if event.kind == "text":
            handler.handle_data(event.text)
        elif event.kind == "end":
            handler.handle_endtag(event.tag)
        elif event.closed:
            handler.handle_startendtag(event.tag, list(event.attrs))
        else:
            handler.handle_starttag(event.tag, list(event.attrs))
