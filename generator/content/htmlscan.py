"""A linear first look at HTML before Python's parser reads it.

html.parser is quadratic on some broken markup (`<a ` or `a<` repeated: 50 s for 60 kB; `</` repeated at the
end: 84 s for 900 kB) and raises AssertionError on some more (`<![<![`). Both the HTML companion's checker and
`verify` read pages that anyone may have written, so each first makes sure that every '<' opens a well-formed
tag. The pattern never crosses a '<' and never gives back what it matched, so the scan is linear. A tag holds at
most MAX_ATTRIBUTES attributes: html.parser's start-tag pattern backtracks through every attribute of a tag, and
one `<meta` of 4.8 million (a 9.6 MB page) took `verify` past 1 GB (sixteenth pass); the generator writes a few.
"""

from __future__ import annotations

import re

MAX_ATTRIBUTES = 64
_ATTRIBUTE = r"""\s++[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|[^\s"'=<>`]++))?+"""
_TAG = re.compile(rf"""<(?:[a-zA-Z][a-zA-Z0-9-]*+(?:{_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}}+\s*+/?>"""
                  r"""|/[a-zA-Z][a-zA-Z0-9-]*+\s*+>|!(?i:doctype)\s++html\s*+>)""")


def stray_bracket(page: str) -> int:
    """Where the first '<' that does not open a well-formed tag (of at most MAX_ATTRIBUTES attributes) is, or -1
    (the page may go to html.parser)."""
    at = page.find("<")
    while at != -1:
        tag = _TAG.match(page, at)
        if tag is None:
            return at
        at = page.find("<", tag.end())
    return -1
