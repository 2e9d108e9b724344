"""What a project's HTML template may put into the accessible HTML companion: the elements and attributes of a
document (text, headings, lists, tables, an embedded image and the QR code's SVG), inline styles that fetch
nothing, and links to https:, mailto: and tel: only — never code, a frame, a form or a fetch from elsewhere.

A patient opens the companion in a browser, from the front desk (whose content policy already forbids scripts)
or as a file (where nothing does): the template's output is checked here, as the PDF's links are. The check is
an allowlist, and refuses what browsers and Python's parser read differently (comments, CDATA, processing
instructions, a `<` inside a style sheet), so that what is checked is what a browser runs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({
    "html", "head", "body", "meta", "title", "style", "main", "header", "footer", "section", "article", "nav",
    "aside", "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "strong", "em", "b", "i", "u",
    "small", "sub", "sup", "br", "hr", "wbr", "bdi", "bdo", "a", "img", "figure", "figcaption", "abbr", "time",
    "mark", "blockquote", "q", "cite", "code", "pre", "address", "s",
    "svg", "g", "rect", "path",  # the QR code
})
ALLOWED_ATTRIBUTES = frozenset({
    "class", "id", "lang", "dir", "title", "role", "tabindex", "alt", "scope", "colspan", "rowspan", "headers",
    "width", "height", "datetime", "style", "href", "src", "charset", "name", "content", "focusable",
    "viewbox", "fill", "d", "x", "y", "xmlns", "shape-rendering", "transform", "start", "reversed", "type",
})
LINK_SCHEMES = ("https:", "mailto:", "tel:", "#")
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|svg\+xml)[;,]", re.IGNORECASE)
_STYLE_FETCH = re.compile(r"@import|url\s*\((?!\s*['\"]?\s*data:image/)|expression\s*\(|image-set\s*\(|\\",
                          re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# What could hide, cover or shrink the generator's notice (render/htmlnotice.py) from a style sheet: its inline
# `!important` styles win over every rule for the notice itself, but not over a later layer painted above it,
# a pseudo-element inside it, a first line styled from outside, a downloaded face or a nested rule's selector.
_STYLE_REFUSED = re.compile(r"z-index|@font-face|::?first-(line|letter)|&", re.IGNORECASE)
_PSEUDO_ELEMENT = re.compile(r"::?(before|after)\b|::[a-z-]+", re.IGNORECASE)
_TYPE_LED = re.compile(r"[a-z][a-z0-9]*(?![a-z0-9-])", re.IGNORECASE)
NOTICE_TAGS = ("html", "body")  # the generator adds its notice after <body>, and pins these two
_DOCTYPE = re.compile(r"(?i)doctype html")


class UnsafeHtml(ValueError):
    """The HTML template produced something a patient's browser could run or fetch; the message says what."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_style = self.in_title = False
        self.styles: list[str] = []
        self.ends: dict[str, int] = {}  # where the <html> and <body> start tags end
        self._line_starts = [0]

    def feed(self, data: str) -> None:
        self._line_starts += [at + 1 for at, ch in enumerate(data) if ch == "\n"]
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"<{tag}> is not allowed in the HTML companion (only text, headings, lists, tables, "
                             "embedded images and links: no scripts, frames, forms, media or other documents)")
        if self.in_title:  # a browser reads a title's content as text, this parser as markup
            raise UnsafeHtml(f"<{tag}> inside <title> is not allowed; a title is plain text")
        if tag in NOTICE_TAGS:
            if tag in self.ends or any(name == "style" for name, _ in attrs):
                raise UnsafeHtml(f"one <{tag}> without a style= attribute is allowed (the generator styles it)")
            line, column = self.getpos()
            self.ends[tag] = self._line_starts[line - 1] + column + len(self.get_starttag_text() or "")
        self.in_style, self.in_title = tag == "style", tag == "title"
        for name, value in attrs:
            _check_attribute(tag, name, value or "")
            if name == "style":
                self.styles.append(value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"</{tag[:40]}> is not allowed in the HTML companion")
        self.in_style = self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_style and ("<" in data or _STYLE_FETCH.search(data)):
            raise UnsafeHtml("a <style> block that fetches a file (@import, url(), escapes) or holds a '<' is not "
                             "allowed")
        if self.in_style:
            self.styles.append(data)

    def handle_comment(self, data: str) -> None:
        raise UnsafeHtml("an HTML comment is not allowed in the HTML companion (browsers and checkers end some "
                         "differently); use a Jinja comment {# ... #}")

    def handle_decl(self, decl: str) -> None:
        if not _DOCTYPE.fullmatch(decl.strip()):
            raise UnsafeHtml(f"<!{decl[:40]}> is not allowed; the page starts with <!DOCTYPE html>")

    def unknown_decl(self, data: str) -> None:
        raise UnsafeHtml(f"<![{data[:40]}> (CDATA or another declaration) is not allowed in the HTML companion")

    def handle_pi(self, data: str) -> None:
        raise UnsafeHtml("a processing instruction <?...> is not allowed in the HTML companion")


def _check_attribute(tag: str, name: str, value: str) -> None:
    if name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
        raise UnsafeHtml(f"the attribute {name[:40]}= on <{tag}> is not allowed in the HTML companion (event "
                         "handlers run code; only document attributes are allowed)")
    if tag == "meta" and name not in ("charset", "name", "content"):
        raise UnsafeHtml(f"<meta {name}> is not allowed (it can redirect or set policies)")
    if name == "style" and _STYLE_FETCH.search(value):
        raise UnsafeHtml(f"a style= on <{tag}> that fetches a file (url(), @import) is not allowed")
    if name in ("href", "src"):
        url = _INVISIBLE.sub("", value).lower()  # browsers drop tabs and line breaks inside a scheme
        if tag == "img" and name == "src" and IMAGE_DATA.match(url):
            return
        if name == "src" or tag != "a" or not url.startswith(LINK_SCHEMES):
            raise UnsafeHtml(f"<{tag} {name}=\"{value[:60]}\"> is not allowed: links are <a href> to https:, "
                             "mailto: or tel:, images are embedded (data:image/png, jpeg or svg+xml)")


def check_html(page: str) -> dict[str, int]:
    """Raise UnsafeHtml naming the first element, attribute, fetch, link or style of `page` the companion may not
    hold; else where its <html> and <body> start tags end."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    if checker.rawdata or checker.in_style:  # unfinished at the end: a browser may read the rest as markup
        raise UnsafeHtml("an unclosed tag, comment or <style> block at the end of the page is not allowed (a "
                         "browser may read the rest as markup); close it, e.g. with </style>")
    if set(checker.ends) != set(NOTICE_TAGS):
        raise UnsafeHtml("the page must have an <html> and a <body> start tag (the generator puts the review "
                         "state and disclaimer right after <body>)")
    for sheet in checker.styles:
        check_style(sheet)
    return checker.ends


def check_style(sheet: str) -> None:
    """Refuse a style sheet (or style= value) that could hide, cover or restyle the generator's notice."""
    found = _STYLE_REFUSED.search(sheet)
    if found:
        raise UnsafeHtml(f"'{found.group()}' is not allowed in the HTML companion's styles (it could hide or "
                         "cover the review state and disclaimer); remove it")
    for match in _PSEUDO_ELEMENT.finditer(sheet):
        compound = _compound_before(sheet, match.start())
        name = _TYPE_LED.match(compound)
        if not name or name.group().lower() not in ALLOWED_TAGS:
            raise UnsafeHtml(f"'{(compound + match.group())[-60:]}' is not allowed: a ::before, ::after or other "
                             "pseudo-element must follow an element name (e.g. li::before), so it cannot land "
                             "inside the review-state notice")


def _compound_before(sheet: str, end: int) -> str:
    """The compound selector that ends at `end`: back to a combinator, a space or a rule's start."""
    depth, at = 0, end
    while at > 0:
        ch = sheet[at - 1]
        if ch in ")]":
            depth += 1
        elif ch in "([":
            depth -= 1
        elif depth == 0 and (ch.isspace() or ch in ">+~,{};"):
            break
        at -= 1
    return sheet[at:end]
