"""What a project's HTML template may put into the accessible HTML companion: markup and inline styles, never
code, a frame, a form, a fetch from elsewhere or a link other than https:, mailto: and tel:.

A patient opens the companion in a browser, from the front desk (whose content policy already forbids scripts)
or as a file (where nothing does): the template's output is checked here, as the PDF's links are.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
                            "form", "input", "button", "textarea", "select", "portal", "noscript", "template",
                            "audio", "video", "source", "track", "svg:script"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "poster", "data", "background",
                            "cite", "xlink:href", "ping", "manifest", "longdesc", "usemap", "lowsrc", "dynsrc"})
LINK_SCHEMES = ("https:", "mailto:", "tel:", "#")
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|svg\+xml)[;,]", re.IGNORECASE)
_STYLE_FETCH = re.compile(r"@import|url\s*\((?!\s*['\"]?\s*data:image/)|expression\s*\(", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class UnsafeHtml(ValueError):
    """The HTML template produced something a patient's browser could run or fetch; the message says what."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            raise UnsafeHtml(f"<{tag}> is not allowed in the HTML companion (no scripts, frames, forms, media or "
                             "links to other files)")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            raise UnsafeHtml("<meta http-equiv> is not allowed (it can redirect or set policies)")
        self.in_style = tag == "style"
        for name, value in attrs:
            _check_attribute(tag, name, value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and _STYLE_FETCH.search(data):
            raise UnsafeHtml("a <style> block that fetches a file (@import, url()) is not allowed")


def _check_attribute(tag: str, name: str, value: str) -> None:
    if name.startswith("on"):
        raise UnsafeHtml(f"the event handler {name}= on <{tag}> is not allowed (it runs code)")
    if name == "style" and _STYLE_FETCH.search(value):
        raise UnsafeHtml(f"a style= on <{tag}> that fetches a file (url(), @import) is not allowed")
    if name in URL_ATTRIBUTES:
        url = _INVISIBLE.sub("", value).lower()  # browsers drop tabs and line breaks inside a scheme
        if tag == "img" and name == "src" and IMAGE_DATA.match(url):
            return
        if not url.startswith(LINK_SCHEMES):
            raise UnsafeHtml(f"<{tag} {name}=\"{value[:60]}\"> is not allowed: links use https:, mailto: or tel:, "
                             "images are embedded (data:image/png, jpeg or svg+xml)")
        if name != "href":
            raise UnsafeHtml(f"<{tag} {name}=\"{value[:60]}\"> would fetch a file; images are embedded")


def check_html(page: str) -> None:
    """Raise UnsafeHtml naming the first script, frame, form, fetch or disallowed link in `page`."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
