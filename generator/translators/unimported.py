"""A translator's work not yet imported: the units of an exchange file that `translate export -o` would replace.

A PO or XLIFF file is where a translator works (Poedit, memoQ, Trados save into it). Exporting again to the same
name — for the new source units, or by a project manager who does not know it is in use — replaced it whole, and
every translation made there since the export was gone, unsaid (twenty-second pass). Such a file is now refused,
and so is one holding a translator's note (a PO `# ` comment, an XLIFF `<note from="translator">`) that `translate
import` would bring into the project and it does not hold yet (twenty-third pass).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from generator.content.files import FileRefused, read_text
from generator.content.problems import ContentError
from generator.content.translation import source_hash
from generator.translators.comments import new_comments
from generator.translators.incoming import MAX_EXCHANGE_BYTES, Incoming, detect_format, read_po, read_xliff

_UNIT_SIGNS = ("msgstr", "<trans-unit", "<target")  # what a file holding translations holds, whatever else is wrong


class Unreadable(Exception):
    """A regular file at the export's name that cannot be read as an exchange file: `str()` says why."""


class Held(NamedTuple):
    """What the project holds for one unit, as a new export would write it."""

    target: str  # its translation ("" when missing)
    notes: tuple[str, ...] = ()  # the comments next to it in its translation file
    stale_source: str = ""  # the hash of its current source text, when its translation is stale


def pending_units(path: Path, held: dict[str, Held], template: bool = False) -> list[str]:
    """The units ("handout|unit") of the exchange file at `path` holding work that replacing the file would lose and
    the project (`held`, by the same keys) does not hold: a translation changed after the export, a translator's
    comment, or a stale translation confirmed as it is (its fuzzy flag removed, its state made translated), each as
    `translate import` would take it. Nothing when there is no file (or a link, a pipe: replaced as an entry, or
    refused, by the write); Unreadable when a regular file holding units (or not UTF-8) cannot be read as an
    exchange file (nothing then tells whether it holds work, and a slip in one unit hid all the others').
    `template`: the file is a template being written again, which may name no language."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return []
    except OSError:
        return []
    try:
        text = read_text(path, MAX_EXCHANGE_BYTES)
        if not text.strip():  # an empty file holds no work
            return []
        if detect_format(path, text) == "po":
            units = read_po(text, str(path), need_language=not template)[2]  # a template names no language yet
        else:
            units = read_xliff(text, str(path))[2]
    except FileRefused as exc:
        raise Unreadable(exc.reason) from None
    except ContentError as exc:
        if not any(sign in text for sign in _UNIT_SIGNS):  # no unit at all: not a translator's file (as before)
            return []
        first = exc.problems[0]
        raise Unreadable(f"{first.loc}: {first.message}" + (f", and {len(exc.problems) - 1} more problem(s)"
                                                             if len(exc.problems) > 1 else "")) from None
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    return [unit.key for unit in units if _pending(unit, held.get(unit.key, Held("")))]


def _pending(unit: Incoming, held: Held) -> bool:
    """Whether one unit of the file holds work the project does not (see `pending_units`)."""
    if unit.target and unit.target != held.target and not (unit.target_hash and
                                                           source_hash(unit.target) == unit.target_hash):
        return True  # translated (or edited) in the file
    # A translator's note (twenty-third pass): one the import would bring in, as it decides (however a tool wrapped
    # it; a comment the export wrote and the team has since removed is not brought back, so it is no work either)
    if new_comments(unit.comments, held.notes, unit.exported_notes):
        return True
    # A stale unit the translator checked against the new source and confirmed as it is (twenty-third pass)
    return bool(held.stale_source and unit.done and unit.target and unit.target == held.target
                and (unit.source_hash or source_hash(unit.source)) == held.stale_source)
