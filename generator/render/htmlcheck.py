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
_DOCTYPE = re.compile(r"(?i)doctype html")


class UnsafeHtml(ValueError):
    """The HTML template produced something a patient's browser could run or fetch; the message says what."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"<{tag}> is not allowed in the HTML companion (only text, headings, lists, tables, "
                             "embedded images and links: no scripts, frames, forms, media or other documents)")
        self.in_style = tag == "style"
        for name, value in attrs:
            _check_attribute(tag, name, value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"</{tag[:40]}> is not allowed in the HTML companion")
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and ("<" in data or _STYLE_FETCH.search(data)):
            raise UnsafeHtml("a <style> block that fetches a file (@import, url(), escapes) or holds a '<' is not "
                             "allowed")

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


def check_html(page: str) -> None:
    """Raise UnsafeHtml naming the first element, attribute, fetch or link of `page` the companion may not hold."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    if checker.rawdata or checker.in_style:  # unfinished at the end: a browser may read the rest as markup
        raise UnsafeHtml("an unclosed tag, comment or <style> block at the end of the page is not allowed (a "
                         "browser may read the rest as markup); close it, e.g. with </style>")
