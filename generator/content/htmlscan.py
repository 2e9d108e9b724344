"""A linear first look at HTML before Python's parser reads it.

html.parser is quadratic on some broken markup (`<a ` or `a<` repeated: 50 s for 60 kB; `</` repeated at the
end: 84 s for 900 kB) and raises AssertionError on some more (`<![<![`). Both the HTML companion's checker and
`verify` read pages that anyone may have written, so each first makes sure that every '<' opens a well-formed
tag. The pattern never crosses a '<' and never gives back what it matched, so the scan is linear.
"""

from __future__ import annotations

import re

_ATTRIBUTE = r"""\s++[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|[^\s"'=<>`]++))?+"""
_TAG = re.compile(rf"""<(?:[a-zA-Z][a-zA-Z0-9-]*+(?:{_ATTRIBUTE})*+\s*+/?>|/[a-zA-Z][a-zA-Z0-9-]*+\s*+>"""
                  r"""|!(?i:doctype)\s++html\s*+>)""")


def stray_bracket(page: str) -> int:
    """Where the first '<' that does not open a well-formed tag is, or -1 (the page may go to html.parser)."""
    at = page.find("<")
    while at != -1:
        tag = _TAG.match(page, at)
        if tag is None:
            return at
        at = page.find("<", tag.end())
    return -1
