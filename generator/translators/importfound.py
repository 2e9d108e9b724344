"""Which problems of the project as an import would leave it are the imported file's, and where they are in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from generator.content.problems import Problem

if TYPE_CHECKING:
    from generator.translators.importing import _FilePlan


def added_problems(before: Sequence[Problem], after: Sequence[Problem], plans: Mapping[str, _FilePlan]
                   ) -> list[Problem]:
    """The problems `after` the import that are the file's: new ones, and any at a unit the import changes (an
    untranslated copy, English bold in an Arabic file, had "bold inside right-to-left text" there before: the
    twenty-seventh pass); a language being translated has problems of its own, which are not the file's."""
    known = {_signature(found) for found in before}
    return [found for found in after if _signature(found) not in known or _at_change(found, plans)]


def located(found: Problem, plans: Mapping[str, _FilePlan]) -> Problem:
    """A problem in an imported text, moved to its unit's line in the translator's file."""
    plan = plans.get(found.loc.path)
    if plan is None or not found.loc.line:
        return found
    owner = sorted((line, uid) for uid, line in plan.lines.items() if line <= found.loc.line)
    if not owner or owner[-1][1] not in plan.changes:
        return found
    entry = plan.entries[owner[-1][1]]
    return Problem(entry.target_loc, entry.key, f"{found.message} (after import: {found.loc})", found.hint,
                   found.severity)


def _at_change(found: Problem, plans: Mapping[str, _FilePlan]) -> bool:
    """Whether `found` is at a unit whose text the import changes."""
    plan = plans.get(found.loc.path)
    return plan is not None and found.key in plan.changes


def _signature(found: Problem) -> tuple[str, str, str]:
    """A problem without its line: lines move when a file is rewritten."""
    return found.loc.path, found.key, found.message
