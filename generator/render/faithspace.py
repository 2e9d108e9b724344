"""A template keeps the handout's spaces: it cannot join words with a no-break space.

The text flow never breaks a line at a no-break space, nor at a space other than the plain one between two digits
(render/drawntext.py: a number grouped with them was broken in two, twenty-second pass). The faithfulness checks
read every space as one, so a template writing `text | replace(" ", "\u00a0")` printed the handout's words, and
the flow then cut the paragraph, one long word, between any two characters, digits too. Each such space a flow lays
out must stand between the same two characters somewhere in the handout's own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.render import faithful
from generator.render.drawntext import DIGIT_SPACE, NO_BREAK, drawn
from generator.render.faithmarks import Flow, Unfaithful
from generator.render.localize import View

_KEPT = re.compile(rf"(?<=\S)[{NO_BREAK}]+(?=\S)|(?<=\d)[{DIGIT_SPACE}]+(?=\d)")


def _joins(text: str) -> set[str]:
    """Each space of `text` a line never breaks at, with the character on either side of it."""
    text = drawn(text)
    return {text[m.start() - 1:m.end() + 1] for m in _KEPT.finditer(text)}


def check_spaces(flows: Iterable[Flow | tuple[bool, Flow]], view: View, second: View | None = None) -> None:
    """Raise Unfaithful when a flow joins two characters with a space no line breaks at that the handout does not."""
    own: set[str] = set()
    for v in (view,) if second is None else (view, second):
        for item in faithful.walk(v):
            own |= _joins(item if isinstance(item, str) else item.plain)
    for given in flows:
        flow = given[1] if isinstance(given, tuple) else given
        for joined in _joins("".join(span[0] for span in flow)) - own:
            raise Unfaithful(f"it joins '{joined[0]}' and '{joined[-1]}' with U+{ord(joined[1]):04X}, a space no "
                             "line breaks at, where the handout's text does not: print the text as it is written")
