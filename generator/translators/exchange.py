"""`handouts translate export|template`: a language's units out to CAT tools as PO, POT or XLIFF 1.2.

Rules (see docs/translators.md): the unit ID is the key (PO msgctxt, XLIFF resname "handout|unit"); stale
units go out fuzzy / needs-review-translation with the source text they were translated from (`#| msgid`,
XLIFF alt-trans); XLIFF `approved="yes"` marks a unit whose translation is final, never a reviewer's approval;
the hashes the import's conflict guard needs travel in `#.` lines / `extradata`. Import: `importing`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

from generator import __version__
from generator.content import markup
from generator.content.files import MAX_TEXT_BYTES, read_text, write_files
from generator.content.model import units_of
from generator.content.outputplace import project_input
from generator.content.problems import ContentError, printable
from generator.content.translation import MISSING, STALE, compare, source_hash
from generator.content.yamlread import yaml_lines
from generator.render.checks import title_limits
from generator.translators import glossary, history, po, xliff
from generator.translators.comments import note_hashes, unit_comments
from generator.translators.incoming import CONTEXT_SEP, MAX_EXCHANGE_BYTES, PO_STAMP, TEMPLATE
from generator.translators.sync import (
    FilePair,
    TranslateError,
    existing_folder,
    known_language,
    pairs,
    parse_file,
    source_language,
)

FORMATS = ("xliff", "po")
BLOCK_KINDS = ("paragraph", "subheading", "list", "checklist", "table")


@dataclass(frozen=True)
class Entry:
    """One unit as exported: the current source and translation, its state, and notes for the translator."""

    file: str  # handout ID, or "ui"
    unit: str
    source: str
    target: str  # "" when the unit is not translated yet
    state: str  # translated / stale / missing
    source_hash: str
    target_hash: str
    source_notes: tuple[str, ...]  # comments next to the unit in the source file
    translator_notes: tuple[str, ...]  # comments next to the unit in the translation file
    reference: str  # "content/en/x.yaml:12"
    placeholders: tuple[str, ...]
    previous_source: str = ""  # for a stale unit: the source text it was translated from, when kept
    notes: tuple[str, ...] = ()  # glossary terms and placeholders explained
    protected: tuple[str, ...] = ()  # do-not-translate terms in the source
    max_chars: int = 0  # a length limit, for texts that must fit (titles in the footer)


@dataclass(frozen=True)
class Export:
    lang: str
    source_lang: str
    entries: tuple[Entry, ...]

    def counts(self) -> dict[str, int]:
        result = {"translated": 0, "stale": 0, "missing": 0}
        for entry in self.entries:
            result[entry.state] += 1
        return result


# -- export ----------------------------------------------------------------------------------------

def check_language(root: Path, lang: str) -> str:
    """The source language, after making sure `lang` is a translation that exists."""
    source_lang = known_language(root, lang)
    if lang == source_lang:
        raise TranslateError(f"'{lang}' is the source language; export and import work on translations")
    existing_folder(root, lang)
    return source_lang


def collect(root: Path, lang: str, today: date | None = None, handouts: tuple[str, ...] = ()) -> Export:
    """Every unit of every file of `lang` (or of the handouts named), with its source, translation and notes."""
    today = today or date.today()
    source_lang = check_language(root, lang)
    return _collect(root, source_lang, lang, handouts)


def _selected(root: Path, source_lang: str, lang: str, handouts: tuple[str, ...]) -> list[FilePair]:
    every = pairs(root, source_lang, lang)
    unknown = [h for h in handouts if h not in {p.name for p in every}]
    if unknown:
        raise TranslateError(f"no handout {', '.join(unknown)}; available: {', '.join(p.name for p in every)}")
    return [p for p in every if not handouts or p.name in handouts]


def _collect(root: Path, source_lang: str, lang: str, handouts: tuple[str, ...]) -> Export:
    """The entries of `lang`; with lang == "" a template: the source texts and nothing translated."""
    entries: list[Entry] = []
    errors = []
    previous = history.load(root)
    terms = glossary.load(root)
    meanings = _placeholder_meanings(root)
    size = 0  # what the entries will write, counted as they are made: refused before memory holds more
    for pair in _selected(root, source_lang, lang or source_lang, handouts):
        if lang and not pair.target.exists():
            raise TranslateError(f"{pair.shown} does not exist; run `handouts translate sync {lang}` first")
        source_shown = f"content/{source_lang}/{pair.source.name}"
        try:
            source = parse_file(pair.source, source_shown, pair.name, source_lang)
            target = parse_file(pair.target, pair.shown, pair.name, lang) if lang else None
        except ContentError as exc:
            errors += exc.problems
            continue
        source_units = units_of(source)
        theirs, states = compare(source_units, target)
        record = dict(target.translated_from or ()) if target else {}  # which source text each was made from
        source_lines = yaml_lines(read_text(pair.source, MAX_TEXT_BYTES, root))[0]
        target_lines = yaml_lines(read_text(pair.target, MAX_TEXT_BYTES, root))[0] if target else []
        for unit in source_units:
            state = states[unit.id]
            own = theirs.get(unit.id)
            text = own.text if own is not None and state != MISSING else ""
            notes = [t.describe(lang) for t in terms if t.found_in(unit.text)]
            names = tuple(dict.fromkeys(markup.placeholders(unit.spans)))
            if names:
                notes.append("placeholders, keep each exactly: " + "; ".join(
                    f"{{{n}}} = {meanings.get(n, 'a value filled in when printed')}" for n in names))
            entries.append(Entry(
                pair.name, unit.id, unit.text, text, state, source_hash(unit.text), source_hash(text),
                unit_comments(source_lines, unit.loc.line),
                unit_comments(target_lines, own.loc.line) if own is not None else (),
                f"{source_shown}:{unit.loc.line}", names,
                previous.get(record.get(unit.id, ""), "") if state == STALE else "", tuple(notes),
                tuple(t.term for t in terms if t.keep and t.found_in(unit.text))))
            size += _entry_bytes(entries[-1])
            if size > MAX_EXCHANGE_BYTES:
                raise TranslateError(_TOO_LARGE)
    if errors:
        raise ContentError(sorted(errors))
    return Export(lang, source_lang, tuple(entries))


_TOO_LARGE = (f"the export would be over {MAX_EXCHANGE_BYTES // 1_000_000} MB, more than `handouts translate import` "
              "reads; nothing was written; content/glossary.yaml's notes are repeated at every unit whose source "
              "uses their term: shorten them, or export fewer handouts with --handout")


def _entry_bytes(entry: Entry) -> int:
    """About what an entry writes (its texts, notes and comments), in bytes."""
    parts = (entry.source, entry.target, entry.previous_source, *entry.notes, *entry.source_notes,
             *entry.translator_notes)
    return 200 + sum(len(part.encode("utf-8", "surrogatepass")) for part in parts)


def _bounded(text: str) -> str:
    """An export text no larger than import reads (XLIFF escapes can make it larger than its entries)."""
    if len(text) > MAX_EXCHANGE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_EXCHANGE_BYTES:
        raise TranslateError(_TOO_LARGE)
    return text


def _placeholder_meanings(root: Path) -> dict[str, str]:
    """What each placeholder stands for, in words a translator can use."""
    from generator.content.yamldata import load_data

    meanings = {"clinic.name": "the clinic's name", "clinic.phone": "the clinic's phone number",
                "clinic.address": "the clinic's address", "clinic.website": "the clinic's website"}
    try:
        facts = load_data(root / "content" / "facts.yaml", root)  # never a link leading out of the project
    except (OSError, ValueError):
        return meanings
    found = facts.get("facts") if isinstance(facts, dict) else None  # `facts: 5`: no notes (check names it)
    for key, countries in found.items() if isinstance(found, dict) else ():
        if isinstance(countries, dict):
            values = [str(c.get("value")) for c in countries.values() if isinstance(c, dict)]
            meanings[f"fact.{key}"] = f"{str(key).replace('_', ' ')} ({', '.join(values)}), from content/facts.yaml"
    return meanings


def _explain(entry: Entry, lang: str) -> list[str]:
    """The notes every exported unit carries, whatever the CAT tool shows of them."""
    notes = [f"handout {entry.file}, unit {entry.unit}" if entry.file != "ui" else f"UI strings, unit {entry.unit}"]
    if entry.state == STALE:
        notes.append("stale: the source text changed after this was translated; revise the translation and mark "
                     "it done (unfuzzy / translated), also when it stays the same" + (
                         "; the previous source text is shown as #| msgid / alt-trans" if entry.previous_source
                         else "; the previous source text was not kept"))
    elif entry.state == MISSING and lang:
        notes.append("not translated yet")
    return notes + list(entry.notes)


def _plural_forms(lang: str) -> str:
    """The gettext Plural-Forms header for a language (CLDR rules via Babel); the handouts use no plurals."""
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return get_plural(lang.replace("-", "_")).plural_forms
    except (UnknownLocaleError, ValueError):
        return "nplurals=2; plural=(n != 1);"


def to_po(export: Export, now: datetime) -> str:
    """The export as a PO file, or as a POT template when it has no language."""
    stamp = now.strftime("%Y-%m-%d %H:%M+0000")
    template = not export.lang
    header = {
        "Project-Id-Version": "patient-handouts content", "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp, "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE" if template else stamp,
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>" if template else "",
        "Language-Team": "LANGUAGE <LL@li.org>" if template else "", "Language": export.lang,
        "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
        **({} if template else {"Plural-Forms": _plural_forms(export.lang)}),
        "X-Source-Language": export.source_lang, PO_STAMP: TEMPLATE if template else export.lang,
        "X-Generator": f"patient-handouts {__version__}",
    }
    comments = ((f"Translation of the patient-handouts content into '{export.lang}'." if export.lang else
                 "Template of the patient-handouts content: start a language with msginit or your CAT tool."),
                "Import with `handouts translate import FILE`. Keep msgctxt and the '#.' hash lines as they are;",
                "fuzzy entries are not imported until the fuzzy flag is removed.")
    entries = []
    for entry in export.entries:
        flags = (["fuzzy"] if entry.state == STALE else []) + (["python-brace-format"] if entry.placeholders else [])
        if entry.max_chars:
            flags.append(f"max-length:{entry.max_chars}")
        extracted = list(entry.source_notes) + _explain(entry, export.lang) + [
            f"source-hash: {entry.source_hash}", f"translation-hash: {entry.target_hash}"] + (
            [f"notes-hash: {' '.join(note_hashes(entry.translator_notes))}"] if entry.translator_notes else [])
        entries.append(po.Entry(entry.source, entry.target, f"{entry.file}{CONTEXT_SEP}{entry.unit}", tuple(flags),
                                entry.translator_notes, tuple(extracted), (entry.reference,),
                                previous_msgid=entry.previous_source))
    return po.write(header, entries, comments, ("fuzzy",) if template else ())


XLIFF_STATES = {"translated": "translated", STALE: "needs-review-translation", MISSING: "needs-translation"}


def to_xliff(export: Export) -> str:
    """The export as XLIFF 1.2: <file original=handout>, resname "handout|unit", inline codes protected."""
    units = []
    for entry in export.entries:
        notes = [("source", n) for n in entry.source_notes] + [("translator", n) for n in entry.translator_notes]
        notes += [("patient-handouts", n) for n in _explain(entry, export.lang)]
        path, _, line = entry.reference.rpartition(":")
        units.append(xliff.Unit(
            entry.file, entry.unit, entry.source, entry.target, XLIFF_STATES[entry.state],
            entry.state == "translated",
            {"lang": export.lang, "source-hash": entry.source_hash, "translation-hash": entry.target_hash,
             **({"notes-hash": ",".join(note_hashes(entry.translator_notes))} if entry.translator_notes else {})},
            tuple(notes), entry.previous_source, (path, int(line)), entry.max_chars, entry.protected))
    try:
        return xliff.write(xliff.Document(export.source_lang, export.lang, tuple(units), __version__))
    except xliff.XliffError as exc:
        raise TranslateError(exc.message + "; " + exc.hint) from None


def export(root: Path, lang: str, fmt: str, output: Path | None = None, today: date | None = None,
           handouts: tuple[str, ...] = ()) -> tuple[str, Export]:
    """Render the export; write it atomically when `output` is given. Returns the text and what it holds."""
    collected = collect(root, lang, today, handouts)
    collected = _with_limits(root, collected)
    text = _bounded(to_po(collected, datetime.now(timezone.utc)) if fmt == "po" else to_xliff(collected))
    if output is not None:
        _unimported_work(output, collected)
        _write_exchange(root, output, text)
    return text, collected


def _unimported_work(output: Path, collected: Export) -> None:
    """Refuse to replace an exchange file holding a translator's work done since its export and not imported."""
    from generator.translators.unimported import Held, Unreadable, pending_units

    held = {f"{e.file}{CONTEXT_SEP}{e.unit}": Held(e.target, e.translator_notes,
                                                   e.source_hash if e.state == STALE else "")
            for e in collected.entries}
    try:
        pending = pending_units(output, held)
    except Unreadable as exc:  # a slip in one unit must not make the others' work replaceable (28th pass)
        raise TranslateError(f"{printable(str(output))}: cannot be read as an exchange file ({printable(str(exc))}), "
                             "so nothing tells whether it holds a translator's work not yet imported; nothing was "
                             "written; fix it and import it (`handouts translate import "
                             f"{printable(str(output))}` names each problem), or move it away and export again"
                             ) from None
    if pending:
        listed = ", ".join(printable(key) for key in pending[:3]) + (f" and {len(pending) - 3} more"
                                                                     if len(pending) > 3 else "")
        raise TranslateError(f"{printable(str(output))}: holds work on {len(pending)} unit(s) (translations, "
                             f"translator's notes or stale units confirmed) done since it was exported and not "
                             f"imported ({listed}); nothing was "
                             "written; import it first "
                             f"(`handouts translate import {printable(str(output))}`; a unit still fuzzy or needing "
                             "review is imported once that mark is removed), or move it away and export again")


def _with_limits(root: Path, export: Export) -> Export:
    """Every title with a length limit: it shares the footer's first line (an estimate; `check` measures)."""
    limits = title_limits(root, export.lang)
    return replace(export, entries=tuple(
        replace(e, max_chars=limits.get(e.file, 0)) if e.unit == "title" and e.file != "ui" else e
        for e in export.entries))


def template(root: Path, output: Path | None = None, handouts: tuple[str, ...] = ()) -> tuple[str, Export]:
    """A POT template of the source texts: what a new language starts from, before `translate new`."""
    collected = _collect(root, source_language(root), "", handouts)
    text = _bounded(to_po(collected, datetime.now(timezone.utc)))
    if output is not None:
        _template_work(output)
        _write_exchange(root, output, text)
    return text, collected


def _template_work(output: Path) -> None:
    """Refuse to replace a template a translator filled in (msginit in place, an editor): `translate import` takes
    it as an exchange file, and a template holds no translation or note of its own (thirty-first pass)."""
    from generator.translators.unimported import Unreadable, pending_units

    try:
        pending = pending_units(output, {}, template=True)
    except Unreadable as exc:
        raise TranslateError(f"{printable(str(output))}: cannot be read as a template ({printable(str(exc))}), so "
                             "nothing tells whether it holds a translator's work; nothing was written; move it "
                             "away and write the template again") from None
    if pending:
        listed = ", ".join(printable(key) for key in pending[:3]) + (f" and {len(pending) - 3} more"
                                                                     if len(pending) > 3 else "")
        raise TranslateError(f"{printable(str(output))}: holds translations or translator's notes on "
                             f"{len(pending)} unit(s) ({listed}), which a template does not; nothing was written; "
                             "import it (`handouts translate import` after `handouts translate new LANG`), or move "
                             "it away and write the template again")


def _write_exchange(root: Path, output: Path, text: str) -> None:
    """Write an exchange file, never over a file the project reads (settings, content, templates, docs)."""
    if project_input(root, output):
        raise TranslateError(f"{printable(str(output))}: is one of the project's own files (settings, content, "
                             "templates or docs); nothing was written; write the exchange file elsewhere, e.g. "
                             f"{'template.pot' if output.suffix.lower() == '.pot' else 'es.po'}")
    write_files([(output, text.encode("utf-8"))], "-o")
