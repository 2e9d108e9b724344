"""The runs of a text a line never breaks inside: a phone number written in it, and a short left-to-right value
(or grouped number) that right-to-left text isolates (rtl.isolate, rtl.isolate_numbers)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.content.markup import KEEP_VALUE_WHOLE
from generator.render import rtl

# A phone number written in the text ("+1 555 010 0100", "1-800-662-4357"), or what right-to-left text keeps left
# to right (rtl.isolate_numbers): one token, never broken over lines (an isolate never cut in two).
PHONE = re.compile(r"\+?\(?\d[\d()\-. \u00a0]{4,}\d")
_KEPT = re.compile(rf"{rtl.LRE}[^{rtl.LRE}{rtl.PDF}]*{rtl.PDF}|{PHONE.pattern}")
_MARKS = rtl.LRE + rtl.PDF


def _kept(run: str) -> bool:
    """Whether a run is short enough to keep whole: an isolate, or a phone number (five digits or more)."""
    return len(run.strip(_MARKS)) <= KEEP_VALUE_WHOLE and (run[0] == rtl.LRE or sum(map(str.isdigit, run)) >= 5)


def kept_runs(text: str) -> Iterator[tuple[int, int]]:
    """Where `text` holds a run kept whole (start, end), in order. An isolate too long to keep whole (a clinic
    setting of more than one part, "Front desk (weekdays) +1 555 010 0100") still keeps each phone number in it
    whole: in Arabic text the number was broken over lines (twenty-seventh pass)."""
    for match in _KEPT.finditer(text):
        if _kept(match.group()):
            yield match.span()
        elif match.group()[0] == rtl.LRE:
            yield from (inner.span() for inner in PHONE.finditer(text, match.start(), match.end())
                        if _kept(inner.group()))
