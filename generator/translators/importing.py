"""`handouts translate import`: a translator's PO or XLIFF file back into the content files.

Import never marks anything approved, refuses a file whose source changed since export, checks every text
before writing anything, and edits the content files with ruamel.yaml's round trip so comments and formatting
stay.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content import markup
from generator.content.files import (
    MAX_TEXT_BYTES,
    FileRefused,
    WriteError,
    in_style_of,
    read_text,
    replace_texts,
)
from generator.content.model import Unit, units_of
from generator.content.problems import ContentError, Loc, Problem, Problems
from generator.content.translation import MISSING, UNTRANSLATED, source_hash, unit_states
from generator.translators import po, xliff
from generator.translators.exchange import BLOCK_KINDS, CONTEXT_SEP, check_language
from generator.translators.sync import (
    TranslateError,
    _dump,
    _set_record,
    _yaml,
    pairs,
    parse_file,
    parse_text,
)

MAX_EXCHANGE_BYTES = 20_000_000  # a PO or XLIFF file of every unit of every handout is well under 1 MB


@dataclass(frozen=True)
class Incoming:
    """One unit read back from an exchange file."""

    file: str
    unit: str
    source: str
    target: str
    source_hash: str  # "" when the CAT tool dropped it: then the source text itself is compared
    target_hash: str
    needs_review: bool  # still fuzzy / needs-review: not imported, as gettext's msgfmt skips fuzzy entries
    loc: Loc  # where the unit is named in the exchange file
    target_loc: Loc  # where its translation is


@dataclass(frozen=True)
class ImportReport:
    lang: str
    imported: tuple[str, ...]  # "content/es/x.yaml: unit"
    skipped: tuple[str, ...]  # changed but still marked fuzzy / needs review
    unchanged: int
    files: tuple[str, ...]


# -- comments next to a unit -----------------------------------------------------------------------
def _shown(path: Path, root: Path) -> str:
    """The exchange file's name as messages show it: relative to the project, so excerpts find it."""
    try:
        return os.path.relpath(path.resolve(), root.resolve())
    except ValueError:
        return str(path.resolve())


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".po", ".pot"):
        return "po"
    if suffix in (".xlf", ".xliff", ".xml"):
        return "xliff"
    return "xliff" if text.lstrip("\ufeff \t\r\n").startswith("<") else "po"


def read_po(text: str, shown: str) -> tuple[str, list[Incoming]]:
    """The language and the entries of a PO file exported by `handouts translate export`."""
    try:
        entries = po.parse(text)
    except po.PoSyntaxError as exc:
        raise ContentError([_problem(Loc(shown, exc.line, exc.col), "", exc.message, exc.hint)]) from None
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    lang = po.header_fields(header).get("Language", "") if header else ""
    if not lang:
        raise ContentError([_problem(Loc(shown, 1, 1), "", "the PO header names no Language",
                                     'export the file again, or add "Language: es\\n" to the header')])
    problems = Problems()
    incoming = []
    for entry in entries:
        if entry is header:
            continue
        loc = Loc(shown, entry.line_of("msgctxt"), 1)
        name, sep, unit = (entry.msgctxt or "").partition(CONTEXT_SEP)
        if not sep or not name or not unit:
            problems.add(loc, entry.msgctxt or "", "msgctxt must be \"handout|unit\" as exported",
                         "keep msgctxt exactly as exported")
            continue
        hashes = dict(_hash_line(c) for c in entry.extracted_comments if _hash_line(c))
        incoming.append(Incoming(name, unit, entry.msgid, entry.msgstr, hashes.get("source-hash", ""),
                                 hashes.get("translation-hash", ""), "fuzzy" in entry.flags, loc,
                                 Loc(shown, entry.line_of("msgstr"), 1)))
    if problems:
        raise ContentError(problems.errors)
    return lang, incoming


def _hash_line(comment: str) -> tuple[str, str] | None:
    match = re.fullmatch(r"(source-hash|translation-hash):\s*([0-9a-f]{12})", comment.strip())
    return (match.group(1), match.group(2)) if match else None


def read_xliff(text: str, shown: str) -> tuple[str, list[Incoming]]:
    """The language and the units of an XLIFF 1.2 file exported by `handouts translate export`."""
    try:
        doc = xliff.parse(text)
    except xliff.XliffError as exc:
        raise ContentError([_problem(Loc(shown, exc.line, exc.col), "", exc.message, exc.hint)]) from None
    return doc.target_lang, [
        Incoming(u.file, u.id, u.source, u.target, u.source_hash, u.target_hash,
                 u.state.startswith("needs-review"), Loc(shown, u.line, u.col), Loc(shown, u.line, u.col))
        for u in doc.units]


def _problem(loc: Loc, key: str, message: str, hint: str) -> Problem:
    problems = Problems()
    problems.add(loc, key, message, hint)
    return problems.errors[0]


# -- import ----------------------------------------------------------------------------------------
def _slots(data: Any, ui: bool) -> Iterator[tuple[str, Any, Any]]:
    """(unit ID, container, key) for every unit of a round-trip-loaded content file, as the parser names them."""
    if ui:
        for key in data["strings"]:
            yield key, data["strings"], key
        return
    yield "title", data, "title"
    yield "summary", data, "summary"
    for section in data["sections"]:
        if "jurisdictions" in section:
            for code, blocks in section["jurisdictions"].items():
                if isinstance(blocks, list):
                    yield from _block_slots(blocks, f"legal.{code}")
        else:
            yield from _block_slots(section.get("blocks") or [], section["id"])


def _block_slots(blocks: Any, prefix: str) -> Iterator[tuple[str, Any, Any]]:
    for block in blocks:
        kind = next(k for k in BLOCK_KINDS if k in block)
        uid = f"{prefix}.{block[kind]}"
        if kind in ("paragraph", "subheading"):
            yield uid, block, "text"
        elif kind in ("list", "checklist"):
            for item in block["items"]:
                yield f"{uid}.{item['id']}", item, "text"
        else:
            for column in block["columns"]:
                yield f"{uid}.{column['id']}", column, "text"
            for row in block["rows"]:
                for column_id in row["cells"]:
                    yield f"{uid}.{row['id']}.{column_id}", row["cells"], column_id


def _scalar(old: Any, text: str) -> Any:
    """The new text in the old one's quoting: single quotes stay single, everything else double-quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(old, SingleQuotedScalarString) and "\n" not in text:
        return SingleQuotedScalarString(text)
    return DoubleQuotedScalarString(text)


def _check_text(entry: Incoming, source: Unit, problems: Problems) -> None:
    """The checks a translator's text must pass before anything is written."""
    key = f"{entry.file}{CONTEXT_SEP}{entry.unit}"
    if not entry.target.strip():
        problems.add(entry.target_loc, key, "the translation is only white space",
                     "write the translation, or leave it empty to keep the current one")
        return
    spans, errors = markup.parse(entry.target)
    for err in errors:
        problems.add(entry.target_loc, key, err.message, err.hint)
    expected, found = sorted(markup.placeholders(source.spans)), sorted(markup.placeholders(spans))
    if expected != found:
        def show(names: list[str]) -> str:
            return ", ".join("{" + n + "}" for n in names) or "none"

        problems.add(entry.target_loc, key, f"placeholders differ from the source: expected {show(expected)}, "
                     f"found {show(found)}", "keep every {placeholder} of the source exactly, and add none")


@dataclass(frozen=True)
class _Plan:
    pair: Any
    changes: dict[str, str]
    record: dict[str, str]  # the new translation record: changed units get the current source hash


def match_language(root: Path, lang: str) -> str:
    """The content folder a file's language names; CAT tools may write zh_Hans for zh-Hans."""
    folders = sorted(p.name for p in (root / "content").iterdir() if p.is_dir())
    for candidate in (lang, lang.replace("_", "-")):
        for folder in folders:
            if folder.lower() == candidate.lower():
                return folder
    raise TranslateError(f"the file is in language '{lang}', which has no folder under content/ "
                         f"(languages: {', '.join(folders)}); export the language again")


def plan_import(root: Path, lang: str, incoming: list[Incoming]) -> tuple[list[_Plan], list[str], int]:
    """Check everything and decide what to change; raises ContentError (nothing written) on any problem."""
    source_lang = check_language(root, lang)
    by_name = {p.name: p for p in pairs(root, source_lang, lang)}
    problems = Problems()
    grouped: dict[str, list[Incoming]] = {}
    seen: set[tuple[str, str]] = set()
    for entry in incoming:
        if (entry.file, entry.unit) in seen:
            problems.add(entry.loc, f"{entry.file}{CONTEXT_SEP}{entry.unit}", "this unit appears twice in the file",
                         "keep one entry per unit")
        seen.add((entry.file, entry.unit))
        grouped.setdefault(entry.file, []).append(entry)
    plans, skipped, unchanged = [], [], 0
    for name, entries in grouped.items():
        pair = by_name.get(name)
        if pair is None:
            problems.add(entries[0].loc, name, f"there is no file '{name}' in content/{source_lang}/",
                         f"files are: {', '.join(sorted(by_name))}; export again")
            continue
        if not pair.target.exists():
            problems.add(entries[0].loc, name, f"{pair.shown} does not exist",
                         f"run `handouts translate sync {lang}` first")
            continue
        source_shown = f"content/{source_lang}/{pair.source.name}"
        try:
            source = {u.id: u for u in units_of(parse_file(pair.source, source_shown, pair.name, source_lang))}
            target = parse_file(pair.target, pair.shown, pair.name, lang)
        except ContentError as exc:
            for problem in exc.problems:
                problems.add(problem.loc, problem.key, problem.message, problem.hint)
            continue
        theirs = {u.id: u for u in units_of(target)}
        record = dict(target.translated_from or ())
        states = unit_states(source.values(), theirs.values(), record)
        changes: dict[str, str] = {}
        for entry in entries:
            key = f"{name}{CONTEXT_SEP}{entry.unit}"
            unit = source.get(entry.unit)
            if unit is None:
                problems.add(entry.loc, key, f"unit '{entry.unit}' no longer exists in {source_shown}",
                             "it was removed or renamed since the export; export again")
                continue
            exported_hash = entry.source_hash or source_hash(entry.source)
            if exported_hash != source_hash(unit.text):
                problems.add(entry.loc, key, f"the {source_lang} source text changed since export "
                             f"({source_shown}:{unit.loc.line})",
                             f"export {lang} again and carry your translations over (a CAT tool's translation "
                             "memory does this); nothing was imported")
                continue
            current = "" if states[entry.unit] == MISSING else theirs[entry.unit].text
            if not entry.target or entry.target == current:
                unchanged += 1
                continue
            if entry.needs_review:
                skipped.append(f"{pair.shown}: {entry.unit}")
                continue
            if entry.unit not in theirs:
                problems.add(entry.loc, key, f"unit '{entry.unit}' is not in {pair.shown}",
                             f"run `handouts translate sync {lang}` first")
                continue
            if entry.target_hash and entry.target_hash != source_hash(current):
                problems.add(entry.loc, key, f"the translation in {pair.shown} changed since export, and the "
                             "file changes it too", "keep one of the two: edit the content file, or export again")
                continue
            _check_text(entry, unit, problems)
            changes[entry.unit] = entry.target
        if changes:
            new_record = {uid: record.get(uid, UNTRANSLATED) for uid in source if uid in theirs}
            for uid in changes:
                new_record[uid] = source_hash(source[uid].text)
            plans.append(_Plan(pair, changes, new_record))
    if problems:
        raise ContentError(problems.errors)
    return plans, skipped, unchanged


def _reparse(text: str, pair: Any, lang: str) -> dict[str, str]:
    """Parse the text about to be written, exactly as the build will."""
    parsed = parse_text(text, pair.shown, pair.name, lang)
    return {**{u.id: u.text for u in units_of(parsed)}, **{f"record:{k}": v for k, v in parsed.translated_from or ()}}


def import_file(root: Path, path: Path) -> ImportReport:
    """Import a PO or XLIFF file exported by `export`: checked first, then written all at once."""
    try:
        text = read_text(path, MAX_EXCHANGE_BYTES)  # a regular file of bounded size: never /dev/zero or a pipe
    except FileRefused as exc:
        raise TranslateError(f"{path}: {exc}; give a PO or XLIFF file made by `translate export`") from None
    shown = _shown(path, root)
    fmt = detect_format(path, text)
    named, incoming = read_po(text, shown) if fmt == "po" else read_xliff(text, shown)
    lang = match_language(root, named)
    plans, skipped, unchanged = plan_import(root, lang, incoming)
    writes, imported = [], []
    for plan in plans:
        before = read_text(plan.pair.target, MAX_TEXT_BYTES, root)
        data = _yaml().load(before)
        slots = {uid: (container, key) for uid, container, key in _slots(data, plan.pair.name == "ui")}
        for uid, new_text in plan.changes.items():
            container, key = slots[uid]
            container[key] = _scalar(container[key], new_text)
            imported.append(f"{plan.pair.shown}: {uid}")
        _set_record(data, plan.record)
        after = _dump(data)
        # The file about to be written must read back with exactly the intended texts and record.
        check = _reparse(after, plan.pair, lang)
        wrong = [uid for uid, new_text in plan.changes.items() if check.get(uid) != new_text]
        wrong += [uid for uid, value in plan.record.items() if check.get(f"record:{uid}") != value]
        if wrong:
            raise TranslateError(f"{plan.pair.shown}: the rewritten file would not hold the imported text of "
                                 f"{', '.join(wrong)}; nothing was written; please report this")
        if after != before:
            writes.append((plan.pair.target, in_style_of(after, before)))
    try:
        replace_texts(dict(writes), root)  # all or none, each keeping its line endings and mode
    except WriteError as exc:
        raise TranslateError(str(exc)) from None
    return ImportReport(lang, tuple(imported), tuple(skipped), unchanged,
                        tuple(str(p.relative_to(root)) for p, _ in writes))
