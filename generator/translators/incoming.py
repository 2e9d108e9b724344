"""Reading a translator's PO or XLIFF file back: its units, their states, and what the export stamped on them.

The conflict guard needs what the export wrote next to each unit (the hashes of the source and of the
translation at export time, and the language exported). A tool that drops them, or a file whose language
header was changed, is refused here with a clear message, unless the matching override is given.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.content.files import FileRefused, read_text
from generator.content.markup import parse, plain
from generator.content.model import Unit
from generator.content.names import is_language_code, same_language
from generator.content.problems import ContentError, Loc, Problem, Problems, printable
from generator.content.translation import same_words, source_hash
from generator.translators import po, xliff
from generator.translators.sync import TranslateError

CONTEXT_SEP = "|"  # PO msgctxt and XLIFF resname are "handout|unit"; IDs never contain "|"
PO_STAMP = "X-Handouts-Export"  # header: the language exported, or "template" for a POT
TEMPLATE = "template"

MAX_EXCHANGE_BYTES = 20_000_000  # a PO or XLIFF file of every unit of every handout is well under 1 MB


@dataclass(frozen=True)
class Incoming:
    """One unit read back from an exchange file."""

    file: str
    unit: str
    source: str
    target: str
    source_hash: str  # "" when a tool dropped it
    target_hash: str  # "" when a tool dropped it
    done: bool  # a finished translation: PO without `fuzzy`, XLIFF state translated / signed-off / final
    loc: Loc  # where the unit is named in the exchange file
    target_loc: Loc  # where its translation is
    comments: tuple[str, ...] = ()  # the translator's own comments (PO `# `, XLIFF <note from="translator">)
    stamp: str = ""  # the language the export was made for, when the unit carries it (XLIFF extradata)
    codes: tuple[xliff.Code, ...] = ()  # XLIFF: the translation's inline codes as read (PO has none: all is text)
    exported_notes: frozenset[str] = frozenset()  # hashes of the comments the export wrote (none: an older file)

    @property
    def key(self) -> str:
        return f"{self.file}{CONTEXT_SEP}{self.unit}"


@dataclass(frozen=True)
class Overrides:
    """Explicit options that accept a file the guard would refuse; each is named in the report."""

    missing_hashes: bool = False  # --accept-missing-hashes
    language: bool = False  # --accept-language


@dataclass(frozen=True)
class Exchange:
    """An exchange file as read: its language, its units, and what the guard had to override."""

    lang: str
    units: tuple[Incoming, ...]
    hashes_missing: int  # units without their export hashes (only with the override)
    overridden: tuple[str, ...]  # what the overrides accepted, said in the report


def shown_path(path: Path, root: Path) -> str:
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


def problem(loc: Loc, key: str, message: str, hint: str) -> Problem:
    problems = Problems()
    problems.add(loc, key, message, hint)
    return problems.errors[0]


def _hash_line(comment: str) -> tuple[str, str] | None:
    match = re.fullmatch(r"(source-hash|translation-hash):\s*([0-9a-f]{12})", comment.strip())
    return (match.group(1), match.group(2)) if match else None


def read_po(text: str, shown: str, need_language: bool = True) -> tuple[str, str, list[Incoming]]:
    """The Language header, the export stamp and the entries of a PO file exported by `translate export` (or, without
    `need_language`, of a template whose Language is not filled in yet)."""
    try:
        entries = po.parse(text)
    except po.PoSyntaxError as exc:
        raise ContentError([problem(Loc(shown, exc.line, exc.col), "", exc.message, exc.hint)]) from None
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    fields = po.header_fields(header) if header else {}
    charset = re.search(r"charset=([\w.:-]+)", fields.get("Content-Type", ""))
    if charset and charset.group(1).replace("-", "").replace("_", "").lower() not in ("utf8", "charset"):
        # Its bytes were read as UTF-8 (a file that is not is refused); one in another encoding whose bytes happen
        # to be valid UTF-8 would have been read as other letters, unsaid.
        raise ContentError([problem(Loc(shown, header.line_of("msgstr") if header else 1, 1), "Content-Type",
                                    f"the PO header says the file is in {charset.group(1)[:40]}; translations are "
                                    "read as UTF-8", "save it as UTF-8 in your tool (or msgconv --to-code=UTF-8 "
                                    "FILE), with charset=UTF-8 in its header")])
    lang = fields.get("Language", "")
    if not lang and need_language:
        raise ContentError([problem(Loc(shown, 1, 1), "", "the PO header names no Language",
                                    'set the language in your tool, or add "Language: es\\n" to the header')])
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
        found = [h for c in entry.extracted_comments if (h := _hash_line(c))]
        hashes = dict(found)
        if len(set(found)) > len(hashes):  # two different hash lines: which was exported? (36th pass)
            twice = next(kind for kind, _ in found if len({v for k, v in found if k == kind}) > 1)
            problems.add(loc, entry.msgctxt or "", f"the entry has two different '#. {twice}:' lines",
                         "keep the one `translate export` wrote and delete the other, or export the file again")
            continue
        noted = next((c.split(":", 1)[1].split() for c in entry.extracted_comments
                      if c.startswith("notes-hash:")), [])
        incoming.append(Incoming(name, unit, entry.msgid, entry.msgstr, hashes.get("source-hash", ""),
                                 hashes.get("translation-hash", ""), "fuzzy" not in entry.flags, loc,
                                 Loc(shown, entry.line_of("msgstr"), 1), entry.translator_comments,
                                 exported_notes=frozenset(noted[:1000])))
    if problems:
        raise ContentError(problems.errors)
    return lang, fields.get(PO_STAMP, ""), incoming


def read_xliff(text: str, shown: str) -> tuple[str, str, list[Incoming]]:
    """The target language, the export stamp and the units of an XLIFF 1.2 file exported by `translate export`."""
    try:
        doc = xliff.parse(text)
    except xliff.XliffError as exc:
        raise ContentError([problem(Loc(shown, exc.line, exc.col), "", exc.message, exc.hint)]) from None
    units = [Incoming(u.file, u.id, u.source, u.target, u.extradata.get("source-hash", "") if u.extradata else "",
                      u.extradata.get("translation-hash", "") if u.extradata else "", u.done,
                      Loc(shown, u.line, u.col), Loc(shown, u.line, u.col),
                      tuple(n for origin, n in u.notes if origin == "translator"),
                      u.extradata.get("lang", "") if u.extradata else "", u.codes,
                      frozenset((u.extradata or {}).get("notes-hash", "").split(",")[:1000]) - {""})
             for u in doc.units]
    stamps = {u.stamp for u in units if u.stamp}
    return doc.target_lang, stamps.pop() if len(stamps) == 1 else ",".join(sorted(stamps)), units


def edited_source(entry: Incoming, english: Unit, shown: str, problems: Problems) -> None:
    """A unit whose source text in the file is not the one exported (its own `source-hash`): the translation was
    made against words that are not the English's (a text editor's slip, a CAT tool's "edit source"), or its
    inline tags were rewritten (`<g>` for `<bpt>`/`<ept>`), so the translation's markup cannot be read back."""
    if not entry.source_hash or source_hash(entry.source) == entry.source_hash:
        return
    exported = entry.source_hash == source_hash(english.text)  # the English is still the one exported
    if exported and same_words(entry.source, english.text):
        return  # only its spacing or quote marks differ (a tool that pretty-prints or types curly quotes)
    where = f"{shown}:{english.loc.line}"
    if exported and same_words(entry.source, plain(parse(english.text)[0])):
        problems.add(entry.loc, entry.key, f"the inline tags of unit '{entry.unit}' were rewritten in this file "
                     "(its source holds the English's words without the markup its tags stood for), so the bold, "
                     "italics, links and placeholders of its translation cannot be read back", "keep XLIFF inline "
                     f"codes as exported in your tool (or translate in a PO export); the English is at {where}")
        return
    problems.add(entry.loc, entry.key, f"the source text of unit '{entry.unit}' was changed in this file (it "
                 f"reads '{printable(entry.source[:80])}'), so its translation may translate other words than "
                 "the English's", f"put the source text back as exported (or export again) and check the "
                 f"translation against {where}")


def gone_from_source(entries: list[Incoming], what: str, problems: Problems) -> None:
    """Entries of a unit (or a file) the English no longer has: passed over when the file holds no work on them
    (an untouched entry has nothing to import); a translation or note made on one can go nowhere and is refused,
    saying how to go on (an export over the file is refused while it holds work)."""
    from generator.translators.comments import new_comments

    for entry in entries:
        changed = not entry.target_hash or source_hash(entry.target) != entry.target_hash
        if (entry.target and changed) or new_comments(entry.comments, (), entry.exported_notes):
            problems.add(entry.loc, entry.key, f"{what} (removed or renamed since the export), and this file holds "
                         "a translation or note for it", "copy what you want to keep elsewhere, delete this entry "
                         "from the file, and import it again")


def read_exchange(root: Path, path: Path, target: str, overrides: Overrides) -> Exchange:
    """Read and guard an exchange file: refused when the export's hashes or language stamp are gone or differ."""
    try:
        text = read_text(path, MAX_EXCHANGE_BYTES)  # a regular file of bounded size: never /dev/zero or a pipe
    except FileRefused as exc:
        raise TranslateError(f"{path}: {exc}; give a PO or XLIFF file made by `translate export`") from None
    shown = shown_path(path, root)
    fmt = detect_format(path, text)
    named, stamp, units = read_po(text, shown) if fmt == "po" else read_xliff(text, shown)
    header = "the Language header" if fmt == "po" else "target-language"
    overridden: list[str] = []
    lang = target or named
    if target and not same_language(named, target):
        if not overrides.language:
            raise TranslateError(f"{shown}: {header} says '{named}', but --lang asks for '{target}'; check that this "
                                 f"is the right file, or give --accept-language to import it into '{target}' anyway")
        overridden.append(f"{header} says '{named}'; imported into '{target}' as --lang asked (--accept-language)")
    if stamp and stamp != TEMPLATE and not same_language(stamp, lang):
        if not overrides.language and not is_language_code(stamp):  # advised as --lang, it must be a language
            several = all(map(is_language_code, stamp.split(",")))
            why = f"units exported for different languages ({printable(stamp.replace(',', ', ')[:80])})" if several \
                else f"the export stamp '{printable(stamp[:40])}', not a language code"
            raise TranslateError(f"{shown}: this file holds {why}, and {header} says '{lang}'; a tool or a person "
                                 "changed the language. Export the file again, or give --accept-language to import "
                                 f"it into '{lang}' anyway")
        if not overrides.language:
            # --lang alone is refused while the header names another language: the hint must be a command that works
            flags = f"--lang {stamp}" + ("" if same_language(named, stamp) else " --accept-language")
            raise TranslateError(f"{shown}: this file was exported for '{stamp}', but {header} says '{lang}'; "
                                 f"a tool or a person changed the language. Import it as '{stamp}' ({flags}), "
                                 f"or give --accept-language to import it into '{lang}' anyway")
        overridden.append(f"the file was exported for '{stamp}'; imported into '{lang}' (--accept-language)")
    missing = [u for u in units if not u.source_hash or not u.target_hash]
    if not stamp or missing:
        what = (f"{len(missing)} of {len(units)} unit(s) lost their hash lines" if missing
                else "the export stamp is gone")
        where = "'#. source-hash' / '#. translation-hash' comments and the " + PO_STAMP + " header" \
            if fmt == "po" else "extradata attributes"
        if not overrides.missing_hashes:
            raise TranslateError(
                f"{shown}: {what} (the {where} written by `translate export`); without them an import cannot "
                "tell your changes from edits made to the content files since the export, or notice a file "
                "meant for another language. Keep them in your tool's settings and export again, or give "
                "--accept-missing-hashes to import anyway: every translation that differs from the content "
                "files then replaces it")
        overridden.append(f"{what}: translations that differ from the content files replace them, and the source "
                          "text in the file is compared with the current one (--accept-missing-hashes)")
    return Exchange(lang, tuple(units), len(missing), tuple(overridden))
