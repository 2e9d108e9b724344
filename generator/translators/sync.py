"""`handouts translate sync|done|new`: keep translation files in step with the source, comments and all.

Files are edited with ruamel.yaml's round-trip mode, which keeps comments, quoting and layout; a file is
rewritten only when its content actually changes.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.endings import in_style_of
from generator.content.files import MAX_TEXT_BYTES, FileRefused, WriteError, inside, replace_texts
from generator.content.files import read_text as read_file_text
from generator.content.folders import not_a_folder
from generator.content.model import Handout, Strings, units_of
from generator.content.names import content_languages, is_handout_id, language, well_formed_language
from generator.content.parse import Parser
from generator.content.problems import ContentError, Loc, Problem, Problems, printable
from generator.content.project import UI_FILE
from generator.content.settingsfile import project_settings
from generator.content.translation import UNTRANSLATED, same_words, source_hash
from generator.content.yamlcomments import follow_entries
from generator.content.yamlread import Doc, read, read_text
from generator.translators.reshape import Dropped, described, reconcile
from generator.translators.startfile import already_started, started_file

KEPT_KEYS = {"lang", "review", "translation", "handout"}  # the translation's own, never taken from the source


class TranslateError(Exception):
    """A translate command cannot proceed; nothing was changed."""


def _yaml():  # type: ignore[no-untyped-def]
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a translator's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class FilePair:
    source: Path
    target: Path
    shown: str
    name: str  # handout ID, or "ui"


def pairs(root: Path, source_lang: str, lang: str) -> list[FilePair]:
    """Each source file with its translation's path (which may not exist yet); a file or folder that is a link
    leading out of the project is refused, so no translator command ever reads or writes outside it."""
    well_formed_language(lang)
    root = root.resolve()
    for lang_code in (source_lang, lang):
        folder = root / "content" / lang_code
        if os.path.lexists(folder) and not inside(root, folder):
            raise TranslateError(f"content/{lang_code}/ leads outside the project (a link?); make it a real folder "
                                 "inside the project")
    result = []
    for path in sorted((root / "content" / source_lang).glob("*.yaml")):
        if path.name.startswith("."):  # editors' locks and backups (.#name.yaml), never content
            continue
        name = "ui" if path.name == UI_FILE else path.stem
        if name != "ui" and not is_handout_id(name):  # it becomes part of paths and of every message
            raise TranslateError(f"content/{source_lang}/{printable(path.name)}: the file name is not a handout ID "
                                 "(lowercase letters, digits and '-'); rename it (`handouts check` refuses it too)")
        pair = FilePair(path, root / "content" / lang / path.name, f"content/{lang}/{path.name}", name)
        for file, shown in ((pair.source, f"content/{source_lang}/{path.name}"), (pair.target, pair.shown)):
            if os.path.lexists(file) and not inside(root, file):
                raise TranslateError(f"{shown}: is a link that leads outside the project; copy the file into "
                                     "the project instead")
        result.append(pair)
    return result


def project_languages(root: Path) -> tuple[str, list[str]]:
    """The source language, and every language a translator command may name (declared, or with a folder)."""
    settings = project_settings(root)
    source = settings.source_language
    return source, content_languages(root, [source, *settings.languages])


def source_language(root: Path) -> str:
    return project_languages(root)[0]


def existing_folder(root: Path, lang: str) -> None:
    """Refuse a translation whose folder is missing or is no folder, naming the command that makes it."""
    folder = root / "content" / lang
    if reason := not_a_folder(folder):
        raise TranslateError(f"content/{lang} " + "; ".join(reason))
    if not folder.is_dir():
        raise TranslateError(f"no content/{lang}/; start a new language with `handouts translate new {lang}`")


def known_language(root: Path, lang: str) -> str:
    """The source language, once `lang` is checked to be one the project has (BadName otherwise)."""
    source, known = project_languages(root)
    language(lang, known)
    return source


def parse_file(path: Path, shown: str, name: str, lang: str) -> Handout | Strings:
    """Parse a handout or UI strings file strictly enough to know its units; content problems stop the command."""
    problems = Problems()
    return _parsed(read(path, shown, problems), problems, name, lang)


def parse_text(text: str, shown: str, name: str, lang: str) -> Handout | Strings:
    """Parse YAML text about to be written to `shown`, exactly as the file would be parsed."""
    problems = Problems()
    return _parsed(read_text(text, shown, problems), problems, name, lang)


def _parsed(doc: Doc, problems: Problems, name: str, lang: str) -> Handout | Strings:
    # Any placeholder is accepted here: placeholder names are checked by `handouts check`, not by these tools.
    names = frozenset(re.findall(r"\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\}", doc.source or ""))
    parsed = Parser(doc, names).strings(lang) if name == "ui" else Parser(doc, names).handout(name, lang)
    if parsed is None or problems.errors:
        raise ContentError(problems.errors)
    return parsed


def _texts(parsed: Handout | Strings) -> dict[str, str]:
    return {u.id: u.text for u in units_of(parsed)}


def _load_round_trip(text: str, shown: str) -> Any:
    """The file as ruamel.yaml's round-trip data, once it is known to parse (YAML problems are content errors)."""
    problems = Problems()
    read_text(text, shown, problems)  # syntax errors, tabs, aliases: with positions, as `check` reports them
    if problems.errors:
        raise ContentError(problems.errors)
    try:
        # Line breaks as LF: ruamel keeps a comment's own break, so a file of lone CRs (an old Mac's) came back as
        # CRs and LFs mixed, which the reader refuses (twentieth pass); each writer puts the file's endings back
        data = _yaml().load(text.replace("\r\n", "\n").replace("\r", "\n"))
    except Exception as exc:  # noqa: BLE001 - whatever ruamel.yaml cannot load is the file's problem, not a crash
        raise ContentError([Problem(Loc(shown), "", f"cannot be read for editing ({type(exc).__name__})",
                                    "compare it with the source language's file")]) from None
    if not hasattr(data, "get"):
        raise ContentError([Problem(Loc(shown), "", "expected a mapping of keys at the top of the file",
                                    "compare it with the source language's file")])
    return data


def _read(root: Path, path: Path, shown: str) -> str:
    try:
        return read_file_text(path, MAX_TEXT_BYTES, root)
    except FileRefused as exc:
        raise ContentError([Problem(Loc(shown, exc.line), "", f"this file {exc.reason}", exc.hint)]) from None


def _write(root: Path, changes: dict[Path, str]) -> None:
    """Every changed file at once or none, each keeping its line endings and mode."""
    try:
        replace_texts(changes, root)
    except WriteError as exc:
        raise TranslateError(str(exc)) from None


@dataclass(frozen=True)
class Synced:
    """What `translate sync` did: the files it changed, each translator's entry it removed or replaced, and why."""

    files: list[str]
    removed: list[str]


def sync(root: Path, lang: str) -> Synced:
    """Bring every file of `lang` up to date with the source; returns the files changed and what was removed."""
    root = root.resolve()
    source_lang = known_language(root, lang)
    if lang == source_lang:
        raise TranslateError(f"'{lang}' is the source language; sync brings translations up to date with it")
    existing_folder(root, lang)
    changes: dict[Path, str] = {}
    sources: list[str] = []
    records: dict[Path, Any] = {}
    bases: dict[Path, str] = {}  # each file as the round trip writes it unchanged
    removed: list[str] = []
    for pair in pairs(root, source_lang, lang):
        source_shown = f"content/{source_lang}/{pair.source.name}"
        source_text = _read(root, pair.source, source_shown)
        source = parse_text(source_text, source_shown, pair.name, source_lang)
        source_data = _load_round_trip(source_text, source_shown)
        dropped: list[Dropped] = []
        in_file: list[Problem] = []  # what is wrong with the translation file as it is, at its positions there
        if not os.path.lexists(pair.target):
            data = started_file(source_data, lang, pair.source.name)
            before, translated = "", {}
        else:
            before = _read(root, pair.target, pair.shown)
            data = _load_round_trip(before, pair.shown)
            bases[pair.target] = _dump(data)
            try:  # the units the translator has, to name any that go
                translated = _texts(parse_text(before, pair.shown, pair.name, lang))
            except ContentError as exc:  # a file sync is about to mend (a required key missing): units unknown
                translated, in_file = {}, exc.problems
            reconcile(source_data, data, kept=frozenset(KEPT_KEYS), dropped=dropped)
        record = _recorded_units(data, pair.shown)
        # Parse what the reconciled file now holds, to learn its unit IDs.
        try:
            theirs = _texts(parse_text(_dump(data), pair.shown, pair.name, lang))
        except ContentError as exc:
            raise ContentError(_as_in_file(exc.problems, in_file)) from None
        wanted = _texts(source)
        # The source no longer has these units, so they go; never without a word (nothing lost silently). A unit
        # whose text the reshaping replaced by the source's is reported too, and is no longer translated.
        removed += [f"{pair.shown}: {uid}" + (f" (its text was: {printable(text[:200])})" if text else "")
                    + "; the source no longer has this unit (renamed or deleted there)"
                    for uid, text in translated.items() if uid not in theirs]
        replaced = {uid for uid, text in translated.items() if uid in theirs and theirs[uid] != text}
        removed += [f"{pair.shown}: {uid} (its text was: {printable(translated[uid][:200])}; it now holds the "
                    "source text, to translate again)" for uid in sorted(replaced)]
        # Anything else of the translator's the source has no place for (a key they added, eighth pass).
        gone = {text for uid, text in translated.items() if uid not in theirs or uid in replaced}
        removed += described(pair.shown, dropped, gone)
        new_record = {uid: UNTRANSLATED if uid in replaced else record.get(uid, UNTRANSLATED)
                      for uid in wanted if uid in theirs}
        _set_record(data, new_record)
        records[pair.target] = new_record.values()
        # Each current translation keeps the source text it was made from, for the day that text changes.
        sources += [wanted[uid] for uid, value in new_record.items() if value == source_hash(wanted[uid])]
        after = follow_entries(before, _dump(data)) if before else _dump(data)
        after = in_style_of(after, before, bases.get(pair.target))
        if after != before:  # compared as written: a CRLF or BOM file in step is left alone (twenty-second pass)
            changes[pair.target] = after
    _write_with_history(root, changes, sources, records)
    return Synced([f"content/{lang}/{path.name}" for path in changes], removed)


def _write_with_history(root: Path, changes: dict[Path, str], sources: list[str],
                        records: dict[Path, Any]) -> None:
    """Write the translation files and the source history together, all or nothing."""
    from generator.translators import history

    keeps_comments(root, changes)
    kept = history.updated(root, sources, records)
    _write(root, {**changes, kept[0]: kept[1].decode("utf-8")} if kept else changes)


def keeps_comments(root: Path, changes: dict[Path, str]) -> None:
    """Refuse a rewrite that would drop a translator's comment (the YAML round trip loses one inside a flow
    mapping `{ ... }` spread over lines, sixth pass): nothing is written, and the comment's place is named."""
    from generator.content.yamlcomments import lost_comment, outside_document

    for path, new in changes.items():
        try:
            old = read_file_text(path, MAX_TEXT_BYTES, root)
        except FileRefused:  # a new file (translate new), or one the write itself will report
            continue
        lost = lost_comment(old, new)
        if lost is not None:
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            why, fix = outside_document(old.splitlines(), lost.line) or (
                "a comment inside { }, or on an entry this command removes", "to a line of its own above the entry")
            raise TranslateError(f"{printable(shown)}:{lost.line + 1}:{lost.column + 1}: this command would drop "
                                 f"the comment '{printable(lost.text[:60])}' ({why}, cannot be kept); nothing was "
                                 f"written; move the comment {fix}, then run it again")


def _as_in_file(problems: list[Problem], in_file: list[Problem]) -> list[Problem]:
    """Problems found in the text sync would write, each at its position in the file the translator has where
    that file has the same problem (eighth pass: a line of the reshaped text, quoted from the file on disk);
    one only the reshaped text has is named without a line."""
    found = {(p.key, p.message): p for p in in_file}
    return [found.get((p.key, p.message)) or Problem(Loc(p.loc.path), p.key, p.message + " (in the file as sync "
                                                     "would write it)", p.hint) for p in problems]


def _recorded_units(data: Any, shown: str) -> dict[str, Any]:
    """The file's record of which source text each unit was translated from; a record a hand made into another
    shape (`translation: done`, `units: 5`) is refused at its position (eighth pass: a traceback)."""
    from generator.translators.reshape import _line

    block = data.get("translation")
    units = block.get("units") if hasattr(block, "items") else None
    if block is None or units is None:
        return {}
    if hasattr(units, "items"):
        return {str(uid): value for uid, value in units.items()}
    node, key = (block, "units") if hasattr(block, "items") else (data, "translation")
    raise ContentError([Problem(Loc(shown, _line(node, key)), key, "is the record `handouts translate` keeps of "
                                "which source text each unit was translated from, and it is not a mapping of "
                                "unit IDs", "put back the block as it was (version control), or delete the "
                                "`translation:` block and run sync again: every unit is then marked to review")])


def _set_record(data: Any, record: dict[str, str]) -> None:
    from ruamel.yaml.comments import CommentedMap

    block = data.get("translation")
    if block is None:
        block = CommentedMap()
        data["translation"] = block
        data.yaml_set_comment_before_after_key(
            "translation", before="\nWhich source text each unit was translated from (kept by `handouts translate`;"
            " do not edit by hand).")
    units = block.get("units")
    if units is None:
        units = CommentedMap()
        block["units"] = units
    for key in [k for k in units if k not in record]:
        del units[key]
    for key, value in record.items():
        units[key] = value


@dataclass(frozen=True)
class Marked:
    """The units `translate done` marked, and those still holding the source's text (said: they print as it)."""

    units: list[str]
    same_as_source: list[str]


def _cut(text: str, most: int = 60) -> str:
    """A source text as one printable line of at most about `most` characters."""
    shown = printable(" ".join(text.split()))
    return shown if len(shown) <= most else shown[:most] + "…"


def done(root: Path, lang: str, names: list[str], unit_ids: list[str], everything: bool) -> Marked:
    """Record that units were revised against the current source text; returns the units marked."""
    if not unit_ids and not everything:
        raise TranslateError("name the revised units with --unit ID (repeatable), or mark all with --all")
    root = root.resolve()
    source_lang = known_language(root, lang)
    if lang == source_lang:
        raise TranslateError(f"'{lang}' is the source language; its files are not translations, so there is "
                             "nothing to mark done")
    existing_folder(root, lang)
    marked, same, sources = [], [], []
    selected = [p for p in pairs(root, source_lang, lang) if not names or p.name in names]
    if names and not selected:
        raise TranslateError(f"no file named {', '.join(printable(n) for n in names)} in content/{lang}/")
    plan = []
    for pair in selected:
        if not os.path.lexists(pair.target):
            continue
        source_shown = f"content/{source_lang}/{pair.source.name}"
        source = _texts(parse_text(_read(root, pair.source, source_shown), source_shown, pair.name, source_lang))
        before = _read(root, pair.target, pair.shown)
        theirs = _texts(parse_text(before, pair.shown, pair.name, lang))
        data = _load_round_trip(before, pair.shown)
        record = _recorded_units(data, pair.shown)
        for uid in source:
            if uid in theirs and (everything or uid in unit_ids):
                if (was := record.get(uid)) != source_hash(source[uid]):
                    marked.append(f"{pair.shown}: {uid}")
                    same += marked[-1:] if same_words(theirs[uid], source[uid]) else []
                    if was not in (None, UNTRANSLATED):  # a stale unit: say which English it is now bound to
                        marked[-1] += f', against the English now "{_cut(source[uid])}"'
                record[uid] = source_hash(source[uid])
                sources.append(source[uid])
        plan.append((pair, data, before, _dump(data),
                     {uid: record.get(uid, UNTRANSLATED) for uid in source if uid in theirs}))
    if unknown := set(unit_ids) - {uid for *_, rec in plan for uid in rec}:
        raise TranslateError(f"no unit {', '.join(printable(u) for u in sorted(unknown))} in content/{lang}/; "
                             "check the ID")
    if not names and (shared := sorted(u for u in set(unit_ids) if sum(u in rec for *_, rec in plan) > 1)):
        raise TranslateError(f"unit {', '.join(printable(u) for u in shared)} is in several files of content/{lang}/; "
                             "name the one you revised with --handout ID (repeatable); nothing was marked")
    changes: dict[Path, str] = {}
    records = {}
    for pair, data, before, base, record in plan:
        _set_record(data, record)
        records[pair.target] = record.values()
        if (after := in_style_of(_dump(data), before, base)) != before:  # as written (line endings, BOM)
            changes[pair.target] = after
    _write_with_history(root, changes, sources, records)
    return Marked(marked, same)


def new(root: Path, lang: str) -> list[str]:
    """Scaffold a new language: every file copied from the source, every unit untranslated."""
    root = root.resolve()
    well_formed_language(lang)
    folder = root / "content" / lang
    source, declared = project_languages(root)
    if reason := not_a_folder(folder):
        raise TranslateError(f"content/{lang} " + "; ".join(reason))
    if os.path.lexists(folder):
        raise TranslateError(already_started(lang, source))
    existing = [entry.name for entry in os.scandir(root / "content") if entry.is_dir(follow_symlinks=False)]
    for other in (*declared, *existing):  # language tags ignore case; so do some disks
        if other != lang and other.casefold() == lang.casefold():
            raise TranslateError(f"'{lang}' is the project's '{other}' in other letters (language codes ignore "
                                 f"case, and so do some disks); use `handouts translate sync {other}`")
    source_lang = source_language(root)
    for pair in pairs(root, source_lang, lang):
        source_shown = f"content/{source_lang}/{pair.source.name}"
        parse_text(_read(root, pair.source, source_shown), source_shown, pair.name, source_lang)
    try:
        folder.mkdir(parents=True)
    except FileExistsError:  # made meanwhile (another `translate new`): not "cannot be read" (thirtieth pass)
        raise TranslateError(already_started(lang, source)) from None
    try:
        return sync(root, lang).files
    except BaseException:
        if not any(folder.iterdir()):  # nothing was written: leave no empty language folder behind
            folder.rmdir()
        raise
