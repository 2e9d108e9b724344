"""A template's own punctuation never touches a number of the handout: "-5 mg", ".5 mg", "5%" are other doses.

A composed line is whole pieces of the handout (units, names, values) with punctuation between them
(render/faithful.py). Punctuation is a template's to choose, but a sign or mark written against a number's first or
last digit reads as part of the number: a minus, a decimal point, a percent or per-mille sign, a slash, a colon
(eighteenth pass: `-{{ unit }}` printed "5 mg at night." as "-5 mg at night.", `.{{ unit }}` as ".5 mg"). Brackets
and quotation marks around a number do not change it, and a space keeps any mark apart from it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from generator.render.faithmarks import Unfaithful

# Around a number, these stay marks of their own: brackets and quotation marks (opening, closing, initial, final)
_APART = frozenset({"Ps", "Pe", "Pi", "Pf"})
# After a number, these are part of it (a percentage, a per mille, feet and inches); a comma, a full stop or a colon
# after its last digit ends a sentence or a list's item ("at most 10, then"), unless a digit follows (caught there)
_SUFFIXES = frozenset("%‰‱′″'")


def _number(ch: str) -> bool:
    return unicodedata.numeric(ch, None) is not None


def _touches(ch: str, before: bool) -> bool:
    """Whether the template's character `ch`, written against a number (`before` its first digit, or after its last),
    reads as part of it."""
    return not ch.isspace() and unicodedata.category(ch) not in _APART and (before or ch in _SUFFIXES)


def check_numbers(text: str, found: Sequence[tuple[str, int]]) -> None:
    """Raise Unfaithful when a character of `text` that is none of the pieces `found` (each with where it
    starts) is written before a piece's first character that is a number character, or is a number's suffix (%)
    after its last."""
    covered = [False] * len(text)
    for piece, start in found:
        covered[start:start + len(piece)] = [True] * len(piece)
    for piece, start in found:
        end = start + len(piece)
        for number, neighbour in ((piece[:1], start - 1), (piece[-1:], end)):
            if number and _number(number) and 0 <= neighbour < len(text) and not covered[neighbour] \
                    and _touches(text[neighbour], neighbour < start):
                line = text if len(text) <= 80 else text[:80] + "…"
                raise Unfaithful(f"it writes '{text[neighbour]}' against the number of '{piece[:50]}' ('{line}'): "
                                 "a mark touching a number changes it (-5, .5, 5%); print each unit as it is, and "
                                 "keep any mark of the template's apart with a space")
