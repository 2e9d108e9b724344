"""`handouts status`: per language and handout, how much is translated, missing or stale, and its review state."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from generator.content.folders import not_a_folder
from generator.content.model import Handout, Strings, units_of
from generator.content.problems import ContentError, Loc, Problem
from generator.content.settingsfile import project_settings
from generator.content.translation import TRANSLATED, counts, unit_states
from generator.review.state import STALE, file_state
from generator.translators.sync import pairs, parse_file, project_languages


@dataclass(frozen=True)
class Row:
    handout: str
    lang: str
    total: int
    translated: int
    missing: int
    stale: int
    percent: float
    review: str
    stale_units: tuple[str, ...]
    missing_units: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["stale_units"], data["missing_units"] = list(self.stale_units), list(self.missing_units)
        return data


def languages(root: Path) -> list[str]:
    """Every declared language and every language folder under content/, the source first."""
    source, known = project_languages(root)
    return [source, *sorted(lang for lang in known if lang != source)]



REMOVED = "holds units its source removed: run translate sync"


def status(root: Path, langs: list[str] | None = None, today: date | None = None) -> list[Row]:
    """One row per language and file (handouts, and `ui` for the UI strings)."""
    today = today or date.today()
    settings = project_settings(root)
    source = settings.source_language
    rows = []
    errors: list[Problem] = []
    # Each source file parsed once, not once per language: 1,600 empty language folders beside the shipped
    # content made `status` run past a minute (twenty-seventh pass).
    originals: dict[Path, Handout | Strings | None] = {}
    for lang in langs or languages(root):
        if reason := not_a_folder(root / "content" / lang):  # not "missing": `translate new` would refuse it
            errors.append(Problem(Loc(f"content/{lang}"), "", *reason))
            continue
        for pair in pairs(root, source, lang):
            if (original := _source(pair.source, source, pair.name, originals, errors)) is None:
                continue
            try:
                if not pair.target.exists():
                    units = units_of(original)
                    ids = tuple(u.id for u in units)
                    rows.append(Row(pair.name, lang, len(units), 0, len(units), 0, 0.0, "missing", (), ids))
                    continue
                target = parse_file(pair.target, pair.shown, pair.name, lang)
            except ContentError as exc:
                errors += exc.problems
                continue
            if lang == source:
                states = {u.id: TRANSLATED for u in units_of(target)}
            else:
                states = unit_states(units_of(original), units_of(target), dict(target.translated_from or ()))
            c = counts(states)
            # A file with stale units reads as `list` says it: out of date, whatever its approval record says; one
            # holding units its source removed is refused by check and build (eleventh pass: status said 100 %).
            removed = {u.id for u in units_of(target)} - {u.id for u in units_of(original)} if lang != source else ()
            review = (STALE if c.stale else REMOVED if removed
                      else file_state(target, today, settings.jurisdiction).status)
            rows.append(Row(pair.name, lang, c.total, c.translated, c.missing, c.stale, round(c.percent, 1),
                            review, c.stale_ids, c.missing_ids))
    if errors:
        raise ContentError(sorted(errors))
    return rows


def _source(path: Path, source: str, name: str, originals: dict[Path, Handout | Strings | None],
            errors: list[Problem]) -> Handout | Strings | None:
    """The source file parsed (None when it has errors, which are added to `errors` once)."""
    if path not in originals:
        try:
            originals[path] = parse_file(path, f"content/{source}/{path.name}", name, source)
        except ContentError as exc:
            errors += exc.problems
            originals[path] = None
    return originals[path]


def completeness(rows: list[Row]) -> dict[str, float]:
    """Per language: translated units as a percentage of all units."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        total = totals.setdefault(row.lang, [0, 0])
        total[0] += row.translated
        total[1] += row.total
    return {lang: 100.0 * done / total if total else 100.0 for lang, (done, total) in totals.items()}
