"""A name of the handout is printed a few times at most: a template cannot pad the page with it.

Every unit of the handout is printed at most as often as the handout holds it (render/faithful.py); the names and
values a line may be composed of (the clinic's name, the reviewer, a source, a language's name, the fingerprint)
were bounded only by the 500 composed lines a page may hold. A project's template printed the clinic's name on 400
lines of their own before the Safety section (twentieth pass, part B): ten pages of "Tiny Test Clinic" between the
instructions, in the PDF and in the HTML companion. The shipped templates print the clinic's name twice (its line
at the top, the contact section) and every other name once, in each language of an edition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from generator.render import faithful
from generator.render.faithmarks import Flow, Unfaithful, normalised
from generator.render.localize import View

MAX_PRINTINGS = 4  # of one name on lines that are not a unit: twice the shipped templates' most
MAX_LOGOS = 2  # the clinic's logo, drawn once by the shipped templates (16 made a page of them above the title)


def check_names(flows: Iterable[Flow | tuple[bool, Flow]], view: View, second: View | None = None,
                value_links: bool = False) -> None:
    """Raise Unfaithful when a name or value of the handout is printed on more than MAX_PRINTINGS composed lines."""
    facts = faithful.facts_of(view, second, value_links)
    counts: Counter[str] = Counter()
    for given in flows:
        flow = given[1] if isinstance(given, tuple) else given
        text, _ = normalised(flow)
        if not text or text in facts.units:
            continue
        counts.update({piece for piece, _ in faithful.pieces_of(text, facts.pieces_longest_first)
                       if piece not in facts.units and any(ch.isalnum() for ch in piece)})
    for piece, times in counts.most_common(1):
        if times > MAX_PRINTINGS:
            raise Unfaithful(f"it prints '{piece[:50]}' on {times} lines; a name of the handout is printed at most "
                             f"{MAX_PRINTINGS} times (the shipped templates: the clinic's name twice, every other "
                             "name once), not to fill the page")
