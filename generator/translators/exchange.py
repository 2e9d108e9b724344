"""`handouts translate export`: a language's units out to CAT tools as PO or XLIFF 1.2 (import: `importing`).

Safe rules (see docs/translators.md): the unit ID is the key, stale units go out fuzzy / needs-review, `approved` only
for units of an approved file, placeholders flagged. Import never marks anything approved, refuses a file
whose source changed since export, checks every text before writing anything, and edits the content files
with ruamel.yaml's round trip so comments and formatting stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator import __version__
from generator.content import markup
from generator.content.files import MAX_TEXT_BYTES, read_text, write_files
from generator.content.model import Handout, Strings, units_of
from generator.content.problems import ContentError
from generator.content.translation import MISSING, STALE, source_hash, unit_states
from generator.review.state import APPROVED, effective, fingerprint_handout, fingerprint_strings
from generator.translators import po, xliff
from generator.translators.sync import (
    TranslateError,
    known_language,
    pairs,
    parse_file,
)

FORMATS = ("xliff", "po")
CONTEXT_SEP = "|"  # PO msgctxt is "handout|unit"; IDs never contain "|" (see docs/content-format.md)
BLOCK_KINDS = ("paragraph", "subheading", "list", "checklist", "table")


@dataclass(frozen=True)
class Entry:
    """One unit as exported: the current source and translation, its state, and notes for the translator."""

    file: str  # handout ID, or "ui"
    unit: str
    source: str
    target: str  # "" when the unit is not translated yet
    state: str  # translated / stale / missing
    approved: bool
    source_hash: str
    target_hash: str
    source_notes: tuple[str, ...]
    translator_notes: tuple[str, ...]
    reference: str
    placeholders: tuple[str, ...]


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


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry_start(lines: list[str], index: int) -> int:
    """The line where the YAML entry holding a unit starts: its `- ` item line, or the unit's own line."""
    line = lines[index]
    if line.lstrip().startswith("- "):
        return index
    indent = _indent(line)
    for j in range(index - 1, -1, -1):
        above = lines[j]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if _indent(above) < indent:
            body = above.lstrip()
            if body.startswith("- ") and _indent(above) + 1 + _indent(body[1:]) == indent:
                return j
            return index
    return index


def _eol_comment(line: str) -> str:
    """The comment at the end of a line, outside any quoted text ("" when none or the quote goes on)."""
    quote = ""
    prev = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = ""
        elif quote == "'":
            if ch == "'" and line[i + 1:i + 2] == "'":
                i += 1
            elif ch == "'":
                quote = ""
        elif ch in "\"'" and prev in ("", ":", "-", "{", "[", ","):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return "" if quote else line[i + 1:].strip()
        if not ch.isspace():
            prev = ch
        i += 1
    return ""


def unit_comments(lines: list[str], line: int) -> tuple[str, ...]:
    """Comments written for the unit whose text starts on `line` (1-based): the comment lines directly
    above its entry, and end-of-line comments on the entry's lines.

    Read from the lines, not from ruamel's tree: ruamel attaches a comment to the key *before* it, so a
    note written above a list item would land on the previous item.
    """
    if not 0 < line <= len(lines):
        return ()
    start = _entry_start(lines, line - 1)
    above = []
    j = start - 1
    while j >= 0 and lines[j].lstrip().startswith("#"):
        above.append(lines[j].strip()[1:].strip())
        j -= 1
    eol = [c for k in range(start, line) if (c := _eol_comment(lines[k]))]
    return tuple(reversed(above)) + tuple(eol)


# -- export ----------------------------------------------------------------------------------------

def _approved(parsed: Handout | Strings, today: date) -> bool:
    fingerprint = fingerprint_handout(parsed) if isinstance(parsed, Handout) else fingerprint_strings(parsed)
    return effective(parsed.loc.path, parsed.review, fingerprint, today).status == APPROVED


def check_language(root: Path, lang: str) -> str:
    """The source language, after making sure `lang` is a translation that exists."""
    source_lang = known_language(root, lang)
    if lang == source_lang:
        raise TranslateError(f"'{lang}' is the source language; export and import work on translations")
    if not (root / "content" / lang).is_dir():
        raise TranslateError(f"no content/{lang}/; start a new language with `handouts translate new {lang}`")
    return source_lang


def collect(root: Path, lang: str, today: date | None = None) -> Export:
    """Every unit of every file of `lang`, with its source, translation, state and notes."""
    today = today or date.today()
    source_lang = check_language(root, lang)
    entries: list[Entry] = []
    errors = []
    for pair in pairs(root, source_lang, lang):
        if not pair.target.exists():
            raise TranslateError(f"{pair.shown} does not exist; run `handouts translate sync {lang}` first")
        source_shown = f"content/{source_lang}/{pair.source.name}"
        try:
            source = parse_file(pair.source, source_shown, pair.name, source_lang)
            target = parse_file(pair.target, pair.shown, pair.name, lang)
        except ContentError as exc:
            errors += exc.problems
            continue
        source_units = units_of(source)
        theirs = {u.id: u for u in units_of(target)}
        states = unit_states(source_units, theirs.values(), dict(target.translated_from or ()))
        approved = _approved(target, today)
        source_lines = read_text(pair.source, MAX_TEXT_BYTES, root).split("\n")
        target_lines = read_text(pair.target, MAX_TEXT_BYTES, root).split("\n")
        for unit in source_units:
            state = states[unit.id]
            own = theirs.get(unit.id)
            text = own.text if own is not None and state != MISSING else ""
            entries.append(Entry(
                pair.name, unit.id, unit.text, text, state, approved and state not in (STALE, MISSING),
                source_hash(unit.text), source_hash(text), unit_comments(source_lines, unit.loc.line),
                unit_comments(target_lines, own.loc.line) if own is not None else (),
                f"{source_shown}:{unit.loc.line}", tuple(dict.fromkeys(markup.placeholders(unit.spans)))))
    if errors:
        raise ContentError(sorted(errors))
    return Export(lang, source_lang, tuple(entries))


def _explain(entry: Entry) -> list[str]:
    """The notes every exported unit carries, whatever the CAT tool shows of them."""
    notes = [f"handout {entry.file}, unit {entry.unit}" if entry.file != "ui" else f"UI strings, unit {entry.unit}"]
    if entry.state == STALE:
        notes.append("stale: the source text changed after this was translated (only a hash of the old source "
                     "is kept, so the old text cannot be shown); revise the translation against the source")
    elif entry.state == MISSING:
        notes.append("not translated yet")
    if entry.placeholders:
        notes.append("placeholders, keep each exactly: " + ", ".join("{" + p + "}" for p in entry.placeholders))
    return notes


def to_po(export: Export, today: date) -> str:
    """The export as a PO file (msgctxt "handout|unit", stale units fuzzy, hashes as #. comments)."""
    header = {
        "Project-Id-Version": "patient-handouts content", "Language": export.lang,
        "PO-Revision-Date": f"{today.isoformat()} 00:00+0000", "Last-Translator": "", "Language-Team": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": export.source_lang, "X-Generator": f"patient-handouts {__version__}",
    }
    comments = (f"Translation of the patient-handouts content into '{export.lang}'.",
                "Import with `handouts translate import FILE`. Keep msgctxt and the '#.' hash lines as they are;",
                "fuzzy entries are not imported until the fuzzy flag is removed.")
    entries = []
    for entry in export.entries:
        flags = (["fuzzy"] if entry.state == STALE else []) + (["python-brace-format"] if entry.placeholders else [])
        extracted = list(entry.source_notes) + _explain(entry) + [f"source-hash: {entry.source_hash}",
                                                                   f"translation-hash: {entry.target_hash}"]
        if entry.approved:
            extracted.append("approved: this unit belongs to an approved file")
        entries.append(po.Entry(entry.source, entry.target, f"{entry.file}{CONTEXT_SEP}{entry.unit}", tuple(flags),
                                entry.translator_notes, tuple(extracted), (entry.reference,)))
    return po.write(header, entries, comments)


XLIFF_STATES = {"translated": "translated", STALE: "needs-review-translation", MISSING: "needs-translation"}


def to_xliff(export: Export) -> str:
    """The export as XLIFF 1.2: <file original=handout>, resname = unit ID, placeholders as <ph>."""
    units = []
    for entry in export.entries:
        notes = [("source", n) for n in entry.source_notes] + [("translator", n) for n in entry.translator_notes]
        notes += [("patient-handouts", n) for n in _explain(entry)]
        units.append(xliff.Unit(entry.file, entry.unit, entry.source, entry.target, XLIFF_STATES[entry.state],
                                entry.approved, entry.source_hash, entry.target_hash, tuple(notes)))
    try:
        return xliff.write(xliff.Document(export.source_lang, export.lang, tuple(units)))
    except xliff.XliffError as exc:
        raise TranslateError(exc.message + "; " + exc.hint) from None


def export(root: Path, lang: str, fmt: str, output: Path | None = None,
           today: date | None = None) -> tuple[str, Export]:
    """Render the export; write it atomically when `output` is given. Returns the text and what it holds."""
    today = today or date.today()
    collected = collect(root, lang, today)
    text = to_po(collected, today) if fmt == "po" else to_xliff(collected)
    if output is not None:
        write_files([(output, text.encode("utf-8"))])
    return text, collected


# -- reading an exchange file -----------------------------------------------------------------------
