"""Translation state kept in the files: which source text each unit was translated from, computed staleness.

Each translation file ends with a `translation:` record mapping every unit ID to a short hash of the source
text it was translated from (or `untranslated`). Editing a source unit changes its hash, so every
translation of it becomes *stale* — computed at every run, never remembered anywhere else.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.content.model import Handout, Strings, Unit, units_of
from generator.content.problems import Loc

UNTRANSLATED = "untranslated"
# The review note `translate new` starts a file with: untrue once a reviewer approves the translation.
STARTED_NOTE = "Not translated yet: every unit still holds the source text."
TRANSLATED, STALE, MISSING = "translated", "stale", "missing"


def source_hash(text: str) -> str:
    """The short hash recorded for a source text (12 hex digits of sha256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Counts:
    """How complete one translated file is against its source."""

    total: int
    translated: int
    missing: int
    stale: int
    stale_ids: tuple[str, ...] = ()
    missing_ids: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def unit_states(source: Iterable[Unit], target: Iterable[Unit], record: dict[str, str]) -> dict[str, str]:
    """translated / stale / missing for every source unit."""
    present = {u.id for u in target}
    states = {}
    for unit in source:
        recorded = record.get(unit.id)
        if unit.id not in present or recorded in (None, UNTRANSLATED):
            states[unit.id] = MISSING
        elif recorded != source_hash(unit.text):
            states[unit.id] = STALE
        else:
            states[unit.id] = TRANSLATED
    return states


def counts(states: dict[str, str]) -> Counts:
    stale = tuple(k for k, v in states.items() if v == STALE)
    missing = tuple(k for k, v in states.items() if v == MISSING)
    return Counts(len(states), len(states) - len(stale) - len(missing), len(missing), len(stale), stale, missing)


def compare(source_units: list[Unit], target: Handout | Strings | None) -> tuple[dict[str, Unit], dict[str, str]]:
    """A translation's units by ID and the state of every source unit (all missing when there is no file)."""
    theirs = {u.id: u for u in units_of(target)} if target else {}
    record = dict(target.translated_from or ()) if target else {}
    return theirs, unit_states(source_units, theirs.values(), record)


_FOLLOWED = ("tel:", "mailto:")  # a number to call and an address to write: the same in every language


def _followed(href: str) -> str:
    """A tel: or mailto: target as it is followed (tel:+1-555-010-0100 is tel:+15550100100); '' for others."""
    lowered = href.strip().lower()
    if lowered.startswith("tel:"):
        number = lowered[4:].split(";")[0]
        return "tel:" + ("+" if number.startswith("+") else "") + "".join(ch for ch in number if ch.isdigit())
    return "mailto:" + lowered[7:].split("?")[0] if lowered.startswith("mailto:") else ""


def _followed_targets(unit: Unit) -> dict[str, str]:
    """The numbers and addresses a unit's links dial or write to, each with its first link as written."""
    found: dict[str, str] = {}
    for span in unit.spans:
        if target := _followed(span.href):
            found.setdefault(target, span.href)
    return found


def other_link_targets(source: Unit, translation: Unit, source_at: str) -> tuple[Loc, str, str] | None:
    """Where a translated unit links a phone number or e-mail address its source unit does not link, or leaves
    out one it links, with what is wrong and how to fix it; None when they link the same (tenth pass: a Spanish
    "[llame a la clínica](tel:+15550000666)" dialled another number than the English "[call the clinic](tel:…)",
    and no one could see it on paper). Web links may go to the translation's own page, so they are not compared."""
    ours, theirs = _followed_targets(source), _followed_targets(translation)
    if ours.keys() == theirs.keys():
        return None
    wrong = [href for target, href in theirs.items() if target not in ours]
    loc = translation.loc
    offset = translation.text.find(wrong[0]) if wrong and translation.single_line else -1
    if offset >= 0 and loc.line:
        loc = Loc(loc.path, loc.line, loc.col + offset)
    said = ", ".join(theirs.values()) or "no number or e-mail address"
    meant = ", ".join(ours.values()) or "no number or e-mail address"
    return (loc, f"this translation links {said}, but its source text ({source_at}) links {meant}",
            f"link exactly what the source links ({meant}); a number or address changes in the source first")


def same_words(one: str, other: str) -> bool:
    """Whether two texts are one text but for their spacing, quote marks and dashes: a copy of the source with a
    no-break space for a space (thirteenth pass), or with the curly quotes a CAT tool types, is still an
    untranslated copy."""
    return _folded(one) == _folded(other)


# What CAT tools and word processors change on their own: typographic quotes, apostrophes and dashes
_PLAIN_MARKS = str.maketrans({**dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
                              **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
                              **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")})


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_PLAIN_MARKS).split())
