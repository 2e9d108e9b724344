"""What a project's HTML template may put into the accessible HTML companion: the elements and attributes of a
document (text, headings, lists, tables, an embedded image and the QR code's SVG), inline styles that fetch
nothing, and links to https:, mailto: and tel: only — never code, a frame, a form or a fetch from elsewhere.

A patient opens the companion from the front desk (whose content policy forbids scripts) or as a file (where
nothing does). The check is an allowlist, and refuses what browsers and Python's parser read differently
(comments, CDATA, processing instructions, a `<` inside a style sheet): what is checked is what a browser runs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from generator.content.htmlscan import MAX_ATTRIBUTES, stray_bracket
from generator.render.faithmarks import emphasis
from generator.render.faithroles import HTML_ROLES, html_role
from generator.render.htmlparse import VOID, CheckedPage, Event
from generator.render.htmlsize import UNTYPED, FlowType, TextSizes
from generator.render.htmltables import Fostered, TableGrids, TableNesting

ALLOWED_TAGS = frozenset({
    "html", "head", "body", "meta", "title", "style", "main", "header", "footer", "section", "article", "nav",
    "aside", "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "dl", "dt", "dd", "table",
    "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "strong", "em", "b", "i", "u",
    "small", "sub", "sup", "br", "hr", "wbr", "bdi", "a", "img", "figure", "figcaption", "abbr", "time",
    "mark", "blockquote", "q", "cite", "code", "pre", "address",  # no <s>: it strikes an instruction through
    "svg", "g", "rect", "path",  # the QR code
})
ALLOWED_ATTRIBUTES = frozenset({
    "class", "id", "lang", "dir", "title", "role", "tabindex", "alt", "scope", "colspan", "rowspan", "headers",
    "width", "height", "datetime", "style", "href", "src", "charset", "name", "content", "focusable",
    "viewbox", "fill", "d", "x", "y", "xmlns", "shape-rendering", "transform",
})
# What makes a browser number a list's items: numbers no reviewer wrote ("10. Take with food", fifteenth pass).
_NUMBERING = frozenset({"ol", "start", "reversed", "type", "value"})
LINK_SCHEMES = ("https:", "mailto:", "tel:", "#")
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|svg\+xml)[;,]", re.IGNORECASE)
_STYLE_FETCH = re.compile(r"@import|url\s*\((?!\s*['\"]?\s*data:image/)|expression\s*\(|image-set\s*\(|\\",
                          re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# What could hide, cover or shrink the generator's notice (render/htmlnotice.py) from a style sheet: its inline
# `!important` styles win over every rule for the notice itself, but not over a later layer painted above it,
# a pseudo-element inside it, a first line styled from outside, a downloaded face, a nested rule's selector, or
# or an element the page opens scrolled to (past the notice).
_STYLE_REFUSED = re.compile(r"z-index|@font-face|::?first-(line|letter)|&|scroll-(initial|start)", re.IGNORECASE)
# Words of a style's own, which no reviewer read (fifth pass): `content:` or a list marker with a letter or digit
# in a string, attr() of anything but a link's (checked) address, counters, a counter style's symbols.
# Punctuation is fine: the checklist's empty box, the print style's " (" attr(href) ")".
_PRINTING = re.compile(r"@counter-style|(?:content|list-style(?:-type)?|quotes)\s*:([^;}]*)", re.IGNORECASE)
# What hides a part of the handout from a reader (sixth pass: `#safety { display: none }` printed the page without
# its Safety section). The notice is pinned against all of it; the content is guarded by refusing it here.
_HIDING = re.compile(r"display\s*:\s*(?:none|contents)|visibility\s*:|opacity\s*:|content-visibility|"
                     r"clip(?:-path)?\s*:|mask|transform\s*:|(?<![-\w])(?:scale|zoom|filter)\s*:|"
                     r"text-indent\s*:|text-shadow|(?:left|top|right|bottom|inset[\w-]*|margin[\w-]*)\s*:[^;}]*-\s*(?:[2-9]|\d{2,})|"
                     r"(?<![-\w])(?:max-)?(?:height|width|block-size|inline-size)\s*:\s*(?:0+\.?0*|\.0+)(?:[a-z%]+)?\s*[;}!]|"
                     r"overflow\s*:\s*(?:hidden|clip)|position\s*:\s*(?:fixed|sticky)|"
                     r"color\s*:\s*(?:transparent|white\b|#fff\b|#ffffff\b)|-webkit-text|"
                     # and what reorders it: a crisis number printed backwards (<bdo> is not allowed either)
                     r"unicode-bidi|(?<![-\w])direction\s*:", re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(em|rem|%|px|pt)?", re.IGNORECASE)
_SMALLEST = {"em": 0.7, "rem": 0.7, "%": 70.0, "px": 9.0, "pt": 7.0, None: 1.0}  # smaller is unreadable
_CSS_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_OWN_WORDS = re.compile(r"\battr\s*\((?!\s*href\s*\))|\bcounters?\s*\(", re.IGNORECASE)
_PSEUDO_ELEMENT = re.compile(r"::?(before|after)\b|::[a-z-]+", re.IGNORECASE)
_TYPE_LED = re.compile(r"[a-z][a-z0-9]*(?![a-z0-9-])", re.IGNORECASE)
# Attributes whose value a browser shows or a screen reader says (sixth pass: aria-label="Take ten times...").
_SPOKEN_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "aria-description", "aria-roledescription",
                                "aria-valuetext", "aria-placeholder", "aria-braillelabel",
                                "aria-brailleroledescription", "placeholder", "label", "summary", "abbr"})
# Emphasis a unit carries (or must not): a browser sets <cite> (and the block <address>) in italics too; an underline,
# a highlight or quotation marks (<u>, <mark>, <q>) no unit carries (seventeenth pass: a unit wrapped in them passed)
_BOLD, _ITALIC, _MARKED = frozenset({"strong", "b"}), frozenset({"em", "i", "cite"}), frozenset({"u", "mark", "q"})
# Elements whose text is read as a block of its own: one unit each (or names and values).
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption",
                     "figcaption", "blockquote", "address", "pre", "div", "section", "article", "header",
                     "footer", "main", "nav", "aside", "ul", "ol", "dl", "table", "tr", "figure", "body"})
NOTICE_TAGS = ("html", "head", "body")  # the generator pins these and adds its notice after <body>
_BEFORE_BODY = frozenset({"html", "head", "title", "meta", "style", "body"})  # nothing else may come before <body>
_PINNED_ATTRIBUTES = frozenset({"lang", "dir", "class", "id"})  # on <html>, <head>, <body>: no aria-hidden, role
_NO_PSEUDO_HOST = frozenset({"html", "head", "body", "title", "meta", "style"})  # boxes around the notice
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # what switches a decoder's state (ESC) or ends text
_DOCTYPE = re.compile(r"(?i)doctype html")


class UnsafeHtml(ValueError):
    """The HTML template produced something a patient's browser could run or fetch; the message says what."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self.in_style = self.in_title = False
        self.styles: list[str] = []
        self.ends: dict[str, int] = {}  # where the <html> and <body> start tags end
        self.texts: list[str] = []  # the page's text (title and body), for render/faithful.py
        self.links: list[str] = []  # every <a href>, for render/faithful.py
        self.said: list[str] = []  # attribute values read out or shown (alt, title, aria-label...)
        self.images: list[str] = []  # every <img src>
        # The body's text as blocks (p, li, headings, cells...), each a list of (text, link) spans: what
        # render/faithful.py checks unit by unit, as it checks the PDF's flows.
        # (text, link, the direction of its innermost isolate, its emphasis: "b", "i", "bi" or "")
        self.flows: list[list[tuple[str, str, str, str]]] = []
        self._flow: list[tuple[str, str, str, str]] = []
        self.roles: list[str] = []  # each flow's: a heading, a bulleted item, a check box or text (faithroles)
        # each flow's: bold type? in a box? heading level (<h2>: 2)? the language it is marked as ('': the page's)
        self.types: list[FlowType] = []
        self._type, self._role = UNTYPED, ""
        self._lists: list[tuple[str, str]] = []  # open <h1>-<h6>, <ul> and <li>, each with its role
        self._links: list[str] = []
        # The inline elements open inside the flows, each with the direction it isolates its text in (a <bdi>,
        # or any element with dir=; '' for none): a value (a phone number) must stay in its own isolate, or the
        # right-to-left text around it reorders its digits (ninth pass).
        self._inline: list[tuple[str, str]] = []
        self._line_starts = [0]
        # <html>, <body> and each block's lang= and dir= (and whether it is a translation's passage): the page
        # must say its language and direction as the handout's are (check_directions).
        self.directions: list[tuple[str, str | None, str | None, bool]] = []
        self.tables = TableNesting()
        self.grids = TableGrids(self.flows, self._end_flow)  # each table's cells, for render/faithgrid.py
        self.sizes = TextSizes(self.styles)  # how small each text is drawn (nested <small>, smaller classes)
        self.classes: set[tuple[str, str]] = set()  # each (element, class) used in the body

    def feed(self, data: str) -> None:
        self._line_starts += [match.end() for match in re.finditer("\n", data)]
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(Event("start", tag, tuple(attrs)))
        if tag in _NUMBERING or any(name in _NUMBERING for name, _ in attrs):
            raise UnsafeHtml(f"<{tag}> numbered (<ol>, start=, type=, value=) is not allowed in the HTML companion: "
                             "a browser prints numbers before the items that no reviewer wrote; use <ul>")
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"<{tag}> is not allowed in the HTML companion (only text, headings, lists, tables, "
                             "embedded images and links: no scripts, frames, forms, media or other documents)")
        try:
            self.tables.start(tag)
            self.grids.start(tag, dict(attrs))
        except Fostered as exc:
            raise UnsafeHtml(str(exc)) from None
        names = [name for name, _ in attrs]
        if len(set(names)) != len(names):  # a browser keeps the first, this parser's dict the last (twelfth pass)
            twice = next(name for name in names if names.count(name) > 1)
            raise UnsafeHtml(f"<{tag}> has the attribute {twice[:40]}= twice; write each attribute once")
        if self.in_title:  # a browser reads a title's content as text, this parser as markup
            raise UnsafeHtml(f"<{tag}> inside <title> is not allowed; a title is plain text")
        if "body" not in self.ends and tag not in _BEFORE_BODY:  # a browser would start the body here, so the
            raise UnsafeHtml(f"<{tag}> before <body> is not allowed (a browser starts the page's body there, "
                             "above the review state); put it inside <body>")  # notice would come after it
        if tag in NOTICE_TAGS:
            if tag in self.ends or any(name not in _PINNED_ATTRIBUTES for name, _ in attrs):
                raise UnsafeHtml(f"one <{tag}>, with no attributes but lang, dir, class and id, is allowed (the "
                                 "generator styles it, and nothing may hide it from a screen reader)")
            line, column = self.getpos()
            self.ends[tag] = self._line_starts[line - 1] + column + len(self.get_starttag_text() or "")
        self.in_style, self.in_title = tag == "style", tag == "title"
        second = "second" in (dict(attrs).get("class") or "").split()
        if "body" in self.ends and tag not in VOID:
            self.sizes.start(tag, dict(attrs).get("class") or "", dict(attrs).get("lang"))
        self.classes.update((tag, name) for name in (dict(attrs).get("class") or "").split())
        named = dict(attrs)
        if tag in NOTICE_TAGS or ((tag in _BLOCKS or second) and ("dir" in named or "lang" in named)):
            self.directions.append((tag, named.get("lang"), named.get("dir"), second))
        if tag in _BLOCKS or second:
            self._end_flow()
        elif tag not in VOID and "body" in self.ends:  # a translation's own direction is its flow's, not an
            # isolate inside it
            direction = dict(attrs).get("dir")
            isolates = not second and (tag == "bdi" or direction is not None)
            self._inline.append((tag, ((direction or "auto").strip().lower() or "auto") if isolates else ""))
        if tag in HTML_ROLES:
            self._lists.append((tag, html_role(tag, named.get("class") or "", self._lists)))
        if tag == "a":
            self._links.append(dict(attrs).get("href") or "")
        for name, value in attrs:
            _check_attribute(tag, name, value or "")
            if tag == "a" and name == "href":
                self.links.append(value or "")
            elif tag == "img" and name == "src":
                self.images.append(value or "")
            elif name in _SPOKEN_ATTRIBUTES:  # read out or shown like text: the handout's words only
                self.said.append(value or "")
            if name == "style":
                self.styles.append(value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.events[-1] = replace(self.events[-1], closed=True)
        self.tables.end(tag)
        self.in_style = False
        if self._inline and self._inline[-1][0] == tag and tag not in _BLOCKS:
            self._inline.pop()  # <bdi/>: closed as it opens

    def handle_endtag(self, tag: str) -> None:
        self.events.append(Event("end", tag))
        if tag not in ALLOWED_TAGS:
            raise UnsafeHtml(f"</{tag[:40]}> is not allowed in the HTML companion")
        self.tables.end(tag)
        self.grids.end(tag)
        self.sizes.end(tag)
        if tag in _BLOCKS or tag == "span":  # a translation's <span class="second"> ends where a span ends
            self._end_flow()
        if tag in HTML_ROLES and any(open_tag == tag for open_tag, _ in self._lists):
            while self._lists.pop()[0] != tag:
                pass
        if tag not in _BLOCKS and any(open_tag == tag for open_tag, _ in self._inline):
            while self._inline.pop()[0] != tag:  # the innermost open element of that name, and any left open
                pass
        if tag == "a" and self._links:
            self._links.pop()
        if tag in ("style", "title"):  # only its own end tag ends a title (`<title><b></b><body>` is text there)
            self.in_style = self.in_style and tag != "style"
            self.in_title = self.in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        self.events.append(Event("text", text=data))
        if self.in_style and ("<" in data or _STYLE_FETCH.search(data)):
            raise UnsafeHtml("a <style> block that fetches a file (@import, url(), escapes) or holds a '<' is not "
                             "allowed")
        if self.in_style:
            self.styles.append(data)
            return
        try:
            self.tables.text(data)
        except Fostered as exc:
            raise UnsafeHtml(str(exc)) from None
        self.texts.append(data)
        if "body" in self.ends and not self.in_title and (unreadable := self.sizes.text(data)):
            raise UnsafeHtml(unreadable)
        if "body" in self.ends and not self.in_title:
            isolate = next((direction for _, direction in reversed(self._inline) if direction), "")
            open_tags = {tag for tag, _ in self._inline}
            if not self._flow:
                self._role = next((role for tag, role in reversed(self._lists) if tag != "ul"), "")
            slanted = bool(open_tags & _ITALIC) or self.sizes.italic()
            marked = open_tags & _MARKED or "a" in open_tags and not self._links[-1]  # an <a> of no address: a
            marks = emphasis(bool(open_tags & _BOLD), slanted) + "u" * bool(marked)  # link's underline, no link
            self._flow.append((data, self._links[-1] if self._links else "", isolate, marks))
            if data.strip():
                self._type = self.sizes.typed(self._type, [tag for tag, _ in self._lists if tag[0] == "h"])
        if "body" not in self.ends and not self.in_title and data.strip(" \t\n\r\f"):  # a browser's spaces:
            # any other (a no-break space) is text, and starts the body above the notice
            raise UnsafeHtml(f"text before <body> is not allowed ('{data.strip()[:40]}'): a browser starts the "
                             "page's body there, above the review state; put it inside <body>")

    def _end_flow(self) -> None:
        if self._flow:
            self.flows.append(self._flow)
            self.roles.append(self._role)
            self.types.append(self._type)
        self._flow, self._type = [], UNTYPED

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


# What a screen reader reads, and in which order, is the page's own text. The shipped template only names its
# regions (a container's aria-labelledby, role="region"); the QR code is hidden from it (aria-hidden on <svg>).
# A project's template hid the disclaimer from screen readers (aria-hidden on its <p>), made one say another
# unit in a cell's place (aria-label, title), reordered what is read (aria-owns, aria-flowto) or paired a
# cell with another row's header (headers=, abbr=): found while fixing the ninth pass.
_NAMED_CONTAINERS = frozenset({"section", "div", "nav", "aside", "main", "header", "footer", "article", "figure",
                               "table", "ul", "ol", "dl"})
_READ_AS_IS = {"role": ("region",), "aria-hidden": ("true",)}


def _spoken_as_shown(tag: str, name: str, value: str) -> None:
    """Refuse an attribute that makes a screen reader say, skip or reorder the page's text."""
    allowed = ((name == "aria-labelledby" and tag in _NAMED_CONTAINERS)
               or (name == "role" and value.strip().lower() in _READ_AS_IS["role"])
               or (name == "aria-hidden" and tag == "svg" and value.strip().lower() in _READ_AS_IS["aria-hidden"])
               or not (name.startswith("aria-") or name in ("role", "title", "abbr", "headers")))
    if not allowed:
        raise UnsafeHtml(f"the attribute {name[:40]}=\"{value[:30]}\" on <{tag}> is not allowed in the HTML "
                         "companion: a screen reader reads the page's own text, all of it and in its order (only "
                         "a region's name, aria-labelledby on a container, and role=\"region\" are allowed)")


def _check_attribute(tag: str, name: str, value: str) -> None:
    if name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
        raise UnsafeHtml(f"the attribute {name[:40]}= on <{tag}> is not allowed in the HTML companion (event "
                         "handlers run code; only document attributes are allowed)")
    _spoken_as_shown(tag, name, value)
    if tag == "meta" and name not in ("charset", "name", "content"):
        raise UnsafeHtml(f"<meta {name}> is not allowed (it can redirect or set policies)")
    if tag == "meta" and name == "charset" and value.strip().lower() != "utf-8":
        raise UnsafeHtml(f"<meta charset=\"{value[:40]}\"> is not allowed: the page is UTF-8, and a browser told "
                         "otherwise reads other markup than the one checked; write <meta charset=\"utf-8\">")
    if name == "style" and _STYLE_FETCH.search(value):
        raise UnsafeHtml(f"a style= on <{tag}> that fetches a file (url(), @import) is not allowed")
    if name in ("href", "src"):
        url = _INVISIBLE.sub("", value).lower()  # browsers drop tabs and line breaks inside a scheme
        if tag == "img" and name == "src" and IMAGE_DATA.match(url):
            return
        if name == "src" or tag != "a" or not url.startswith(LINK_SCHEMES):
            raise UnsafeHtml(f"<{tag} {name}=\"{value[:60]}\"> is not allowed: links are <a href> to https:, "
                             "mailto: or tel:, images are embedded (data:image/png, jpeg or svg+xml)")


def check_html(page: str) -> CheckedPage:
    """Raise UnsafeHtml naming the first element, attribute, fetch, link or style of `page` the companion may not
    hold; else what the parse read (where <html> and <body> end, the text, links, flows and the events)."""
    if control := _CONTROL.search(page):
        raise UnsafeHtml(f"the control character U+{ord(control.group()):04X} (line "
                         f"{page.count(chr(10), 0, control.start()) + 1}) is not allowed in the HTML companion")
    at = stray_bracket(page)
    if at != -1:
        raise UnsafeHtml(f"a '<' that does not open a well-formed tag of at most {MAX_ATTRIBUTES} attributes "
                         f"(line {page.count(chr(10), 0, at) + 1}: "
                         f"'{page[at:at + 30]}') is not allowed; write &lt; for a '<' in text")
    checker = _Checker()
    try:
        checker.feed(page)
        checker.close()
    except UnsafeHtml:
        raise
    except (AssertionError, ValueError) as exc:  # html.parser's own "expected name token" and the like
        raise UnsafeHtml(f"the page cannot be parsed ({exc}); check the template's markup") from None
    if checker.rawdata or checker.in_style:  # unfinished at the end: a browser may read the rest as markup
        raise UnsafeHtml("an unclosed tag, comment or <style> block at the end of the page is not allowed (a "
                         "browser may read the rest as markup); close it, e.g. with </style>")
    if set(checker.ends) != set(NOTICE_TAGS):
        raise UnsafeHtml("the page must have an <html>, a <head> and a <body> start tag (the generator puts the "
                         "review state and disclaimer right after <body>)")
    for sheet in checker.styles:
        check_style(sheet)
    checker._end_flow()
    return CheckedPage(checker.ends, tuple(checker.events), checker.texts, checker.links, checker.said,
                       checker.images, checker.flows, checker.roles, checker.types, checker.styles,
                       checker.directions, checker.grids.done, checker.classes)


def check_directions(directions: list[tuple[str, str | None, str | None, bool]], lang: str, direction: str,
                     second: tuple[str, str] | None = None) -> None:
    """Refuse a page that says another language or direction than the handout's: `<html dir="ltr">` on the Arabic
    page set every paragraph left to right (a list's order, a number's place, punctuation moved; found while fixing
    the ninth pass). <html> must say the page's language and direction; a block may say either language of the
    handout with that language's direction; a translation's passage (class "second") says the second's."""
    written = {lang.lower(): direction, **({second[0].lower(): second[1]} if second else {})}
    for tag, said_lang, said_dir, is_second in directions:
        if tag == "head":
            continue
        if tag == "html" and (said_lang is None or said_dir is None):
            raise UnsafeHtml(f'<html> must say the page\'s language and direction: <html lang="{lang}" '
                             f'dir="{direction}">')
        default = second[0] if is_second and second else lang
        stated = (said_lang if said_lang is not None else default).strip().lower()
        if stated not in written or (tag == "html" and stated != lang.lower()):
            raise UnsafeHtml(f'<{tag} lang="{(said_lang or "")[:20]}"> is not allowed: this page is in '
                             f'{" and ".join(written)}; write lang="{default}" (a screen reader and a browser read '
                             "text in the language said)")
        if said_dir is not None and said_dir.strip().lower() != written[stated]:
            raise UnsafeHtml(f'<{tag} dir="{said_dir[:20]}"> is not allowed: {stated} is written {written[stated]}; '
                             f'write dir="{written[stated]}" (another direction reorders the text)')


def check_style(sheet: str) -> None:
    """Refuse a style sheet (or style= value) that could hide, cover or restyle the generator's notice."""
    found = _STYLE_REFUSED.search(sheet)
    if found:
        raise UnsafeHtml(f"'{found.group()}' is not allowed in the HTML companion's styles (it could hide or "
                         "cover the review state and disclaimer); remove it")
    for match in _PSEUDO_ELEMENT.finditer(sheet):
        compound = _compound_before(sheet, match.start())
        name = _TYPE_LED.match(compound)
        if not name or name.group().lower() not in ALLOWED_TAGS or name.group().lower() in _NO_PSEUDO_HOST:
            raise UnsafeHtml(f"'{(compound + match.group())[-60:]}' is not allowed: a ::before, ::after or other "
                             "pseudo-element must follow an element name inside the body (e.g. li::before), so it "
                             "cannot land in or above the review-state notice")
    if found := _HIDING.search(sheet):
        raise UnsafeHtml(f"'{found.group()[:60]}' is not allowed in the HTML companion's styles: it can hide part "
                         "of the handout from its reader; every section is shown")
    for size in _FONT_SIZE.finditer(sheet):
        unit = size.group(2).lower() if size.group(2) else None
        if float(size.group(1) or 0) < _SMALLEST[unit]:
            raise UnsafeHtml(f"'{size.group()}' is not allowed in the HTML companion's styles: text that small "
                             "cannot be read")
    for found in _PRINTING.finditer(sheet):
        value = found.group(1) or ""
        strings = _CSS_STRING.findall(value)
        if found.group(1) is None or _OWN_WORDS.search(_CSS_STRING.sub("", value)) or \
                any(ch.isalnum() for string in strings for ch in string):
            raise UnsafeHtml(f"'{found.group()[:60]}' is not allowed in the HTML companion's styles: it prints "
                             "words of its own, which no reviewer read; every word comes from content/")


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
