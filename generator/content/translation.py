"""Translation state kept in the files: which source text each unit was translated from, computed staleness.

Each translation file ends with a `translation:` record mapping every unit ID to a short hash of the source
text it was translated from (or `untranslated`). Editing a source unit changes its hash, so every
translation of it becomes *stale* — computed at every run, never remembered anywhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from generator.content.model import Handout, Strings, Unit, units_of

UNTRANSLATED = "untranslated"
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
