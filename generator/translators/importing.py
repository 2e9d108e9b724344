"""`handouts translate import`: a translator's PO or XLIFF file back into the content files.

Per unit, three things may have changed since the export: the source text, the translation in the content
files, and the translation in the translator's file. Only a unit changed both in the content files and in
the translator's file is a conflict; everything else merges. Before anything is written, the project as it
would be after the import goes through exactly the checks `handouts check` runs, and each problem in an
imported text is reported at its line in the translator's file. Nothing is ever marked approved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.content.endings import in_style_of, line_ending
from generator.content.files import MAX_TEXT_BYTES, FileRefused, WriteError, read_text, replace_texts
from generator.content.model import Handout, Strings, Unit, units_of
from generator.content.names import is_language_code
from generator.content.problems import ContentError, Loc, Problem, Problems, printable
from generator.content.translation import MISSING, STALE, UNTRANSLATED, same_words, source_hash, unit_states
from generator.content.yamlread import overlaid, yaml_lines
from generator.render.checks import problems_for
from generator.review.state import APPROVED, file_state
from generator.translators import history
from generator.translators.blockcomment import put_text
from generator.translators.comments import entry_start, new_comments, unit_comments
from generator.translators.exchange import BLOCK_KINDS, check_language
from generator.translators.importfound import added_problems, located
from generator.translators.incoming import Incoming, Overrides, edited_source, gone_from_source, read_exchange
from generator.translators.reimport import earlier_imports, remember
from generator.translators.sync import (
    FilePair,
    TranslateError,
    _dump,
    _load_round_trip,
    _set_record,
    keeps_comments,
    pairs,
    parse_file,
    parse_text,
)
from generator.translators.xliffcodes import code_table


@dataclass(frozen=True)
class ImportReport:
    """What an import did, unit by unit, and what the guard's overrides accepted."""

    lang: str
    imported: tuple[str, ...]  # "content/es/x.yaml: unit"
    confirmed: tuple[str, ...]  # stale units marked done without a change: now current
    still_stale: tuple[str, ...]  # imported, but translated from a source text that has changed since
    skipped: tuple[str, ...]  # changed but still fuzzy / needs review
    conflicts: tuple[str, ...]  # changed on both sides; skipped with --skip-conflicts
    comments: tuple[str, ...]  # units that got the translator's new comments
    unchanged: int
    files: tuple[str, ...]
    approvals_voided: tuple[str, ...]  # approved files whose text the import changed
    overridden: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # checks that could not run, said plainly
    same_as_source: tuple[str, ...] = ()  # units imported or confirmed whose text is still the source's own


@dataclass
class _FilePlan:
    pair: FilePair
    changes: dict[str, str] = field(default_factory=dict)
    record: dict[str, str] = field(default_factory=dict)  # the complete new translation record
    comments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit → new comment lines
    entries: dict[str, Incoming] = field(default_factory=dict)  # unit → where it is in the exchange file
    was_approved: str = ""  # "approved by X on D" when the file was approved before the import
    lines: dict[str, int] = field(default_factory=dict)  # unit → its first line (unchanged by the rewrite)


# -- where each unit lives in a round-trip-loaded content file --------------------------------------
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


# -- checks of the exchange format itself (the content checks are `handouts check`'s) -----------------
def _format_problems(entry: Incoming, source: Unit, problems: Problems) -> None:
    """What the file format allows but a unit must not carry: line breaks the source lacks (blank text and
    everything else are `handouts check`'s to report)."""
    if "\n" in entry.target and "\n" not in source.text:
        where = "ends with" if entry.target.endswith("\n") and entry.target.count("\n") == 1 else "holds"
        problems.add(entry.target_loc, entry.key, f"the translation {where} a line break, which the source "
                     "does not have; it would print as a space, and msgfmt -c refuses a trailing one",
                     "remove the line break (\\n); a unit is one paragraph, item or cell")


def _code_problems(entry: Incoming, source: str, current: str, source_shown: str, problems: Problems) -> None:
    """XLIFF: each inline code of the translation must hold markup its source text or its current translation
    holds, under the id the export gave it. A CAT tool shows a code as a tag, never what it holds, so a link's
    address or words in a tag would reach the handout unreviewed (eleventh pass)."""
    own = code_table(current, entry.source)  # the translation's codes as exported (a link to its own page)
    known = {*code_table(source).values(), *own.values()}
    for code in entry.codes:
        loc = Loc(entry.target_loc.path, code.line or entry.target_loc.line, code.col or entry.target_loc.col)
        tag = f"<{code.tag} id=\"{code.id}\">"
        exported = own.get((code.kind, code.id))
        if not code.in_source and exported is None:
            problems.add(loc, entry.key, f"inline code {tag} is not in the source (it holds "
                         f"'{printable(code.native[:200])}', which a CAT tool shows as a tag, not as words)",
                         "copy the tags from the source text; write words outside the tags")
        elif not code.in_source and exported != code.native:
            problems.add(loc, entry.key, f"the tag {tag} holds '{printable(code.native[:200])}', but the "
                         f"translation's tag {code.id} holds '{printable(exported[:200])}'; a CAT tool shows a "
                         "tag, not what it holds", "keep the tag as exported; a link to another page is changed "
                         "in the content file")
        elif code.in_source and code.native not in known:
            problems.add(loc, entry.key, f"the tag {tag} holds '{printable(code.native[:200])}', which neither "
                         f"{source_shown} nor the translation holds: the source text in this file is not the one "
                         "exported, or it changed since", "export again, and keep the tags as exported")
        else:
            continue
        return  # one code per unit is enough to refuse it


def _approval(parsed: Handout | Strings, today: date) -> str:
    """How the file's approval reads (empty unless it is approved and current)."""
    if file_state(parsed, today).status != APPROVED:
        return ""
    return f"approved by {parsed.review.reviewer} on {parsed.review.date}"


@dataclass
class _Outcome:
    plans: list[_FilePlan] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    still_stale: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    format_problems: Problems = field(default_factory=Problems)  # reported with the check's, in one pass
    history: list[str] = field(default_factory=list)  # source texts translations are now recorded against
    unchanged: int = 0
    same_as_source: list[str] = field(default_factory=list)  # a CAT tool's "copy source to target", unchanged


def _plan(root: Path, lang: str, incoming: tuple[Incoming, ...], trust: bool, today: date, exchange: Path) -> _Outcome:
    """Decide unit by unit what changes; raises ContentError (nothing written) on any problem."""
    source_lang = check_language(root, lang)
    by_name = {p.name: p for p in pairs(root, source_lang, lang)}
    problems = Problems()
    imported_before = earlier_imports(exchange)
    grouped: dict[str, list[Incoming]] = {}
    seen: set[str] = set()
    for entry in incoming:
        if entry.key in seen:
            problems.add(entry.loc, entry.key, "this unit appears twice in the file", "keep one entry per unit")
        seen.add(entry.key)
        grouped.setdefault(entry.file, []).append(entry)
    outcome = _Outcome()
    for name, entries in grouped.items():
        pair = by_name.get(name)
        if pair is None:
            gone_from_source(entries, f"there is no file '{name}' in content/{source_lang}/", problems)
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
            for found in exc.problems:
                problems.add(found.loc, found.key, found.message, found.hint)
            continue
        theirs = {u.id: u for u in units_of(target)}
        record = dict(target.translated_from or ())
        states = unit_states(source.values(), theirs.values(), record)
        try:  # bounded and never waiting, as the parse's read: the file may have been replaced since
            lines, _ = yaml_lines(read_text(pair.target, MAX_TEXT_BYTES, root))
        except FileRefused as exc:
            problems.add(Loc(pair.shown, max(exc.line, 1), 1), name, f"this file {exc.reason}", exc.hint)
            continue
        plan = _FilePlan(pair, record={uid: record.get(uid, UNTRANSLATED) for uid in source if uid in theirs},
                         was_approved=_approval(target, today), lines={u: t.loc.line for u, t in theirs.items()})
        for entry in entries:
            unit = source.get(entry.unit)
            if unit is None:
                gone_from_source([entry], f"unit '{entry.unit}' no longer exists in {source_shown}", problems)
                continue
            if entry.unit not in theirs:
                if entry.target:
                    problems.add(entry.loc, entry.key, f"unit '{entry.unit}' is not in {pair.shown}",
                                 f"run `handouts translate sync {lang}` first")
                else:
                    outcome.unchanged += 1
                continue
            shown = f"{pair.shown}: {entry.unit}"
            plan.entries[entry.unit] = entry
            known = unit_comments(lines, theirs[entry.unit].loc.line)
            if added := new_comments(entry.comments, known, entry.exported_notes):
                plan.comments[entry.unit] = added
            current = "" if states[entry.unit] == MISSING else theirs[entry.unit].text
            exported_source = entry.source_hash or source_hash(entry.source)
            source_changed = exported_source != source_hash(unit.text)
            if trust:
                theirs_changed = source_hash(entry.target) != entry.target_hash
                ours_changed = (source_hash(current) != entry.target_hash  # nor what this file's import wrote
                                and not imported_before(entry.key, current))
            else:  # the hashes are gone (accepted explicitly): whatever differs is the translator's change
                theirs_changed, ours_changed = entry.target != current, False
            if not entry.target or not theirs_changed or entry.target == current:
                if (entry.done and entry.target and entry.target == current and states[entry.unit] == STALE
                        and not source_changed):
                    edited_source(entry, unit, source_shown, outcome.format_problems)
                    plan.record[entry.unit] = source_hash(unit.text)  # a stale unit confirmed as it is
                    outcome.confirmed.append(shown)
                    if same_words(entry.target, unit.text):
                        outcome.same_as_source.append(shown)
                    outcome.history.append(unit.text)
                else:
                    outcome.unchanged += 1
                continue
            if not entry.done:
                outcome.skipped.append(shown)
                continue
            if ours_changed:
                outcome.conflicts.append(Problem(
                    entry.loc, entry.key, f"changed on both sides: {pair.shown} has a different translation "
                    "than at export time, and this file changes it too",
                    f"keep one of the two: edit {pair.shown}:{theirs[entry.unit].loc.line}, or export again and "
                    "redo the change; --skip-conflicts imports everything else"))
                continue
            _format_problems(entry, unit, outcome.format_problems)
            edited_source(entry, unit, source_shown, outcome.format_problems)
            _code_problems(entry, unit.text, current, source_shown, outcome.format_problems)
            plan.changes[entry.unit] = entry.target
            if same_words(entry.target, unit.text):
                outcome.same_as_source.append(shown)
            if source_changed:  # translated from the older source: recorded as such, so it stays stale
                plan.record[entry.unit] = exported_source
                outcome.still_stale.append(shown)
                if source_hash(entry.source) == exported_source:
                    outcome.history.append(entry.source)
            else:
                plan.record[entry.unit] = source_hash(unit.text)
                outcome.history.append(unit.text)
        if plan.changes or plan.comments or any(plan.record[u] != record.get(u, UNTRANSLATED) for u in plan.record):
            outcome.plans.append(plan)
    if problems:
        raise ContentError(problems.errors)
    return outcome


# -- the rewritten files ---------------------------------------------------------------------------
def _add_comments(text: str, plan: _FilePlan, lang: str) -> str:
    """The translator's new comments, written above each unit's entry with its indentation."""
    if not plan.comments:
        return text
    parsed = parse_text(text, plan.pair.shown, plan.pair.name, lang)
    starts = {u.id: u.loc.line for u in units_of(parsed)}
    # Lines as YAML counts them (a U+2028 in a comment ends a line too), so the unit's line is the right one.
    lines, breaks = yaml_lines(text)
    ending = line_ending(text)
    for uid in sorted(plan.comments, key=lambda u: starts[u], reverse=True):
        at = entry_start(lines, starts[uid] - 1)
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip(" "))]
        # One line each, invisible characters escaped: a comment must never break the YAML it sits in.
        added = [f"{indent}# {printable(' '.join(c.split()))}" for c in plan.comments[uid]]
        lines[at:at] = added
        breaks[at:at] = [ending] * len(added)
    return "".join(line + brk for line, brk in zip(lines, [*breaks, ""], strict=True))


def _rewrite(root: Path, plan: _FilePlan) -> str:
    """The content file with the new texts and record (ruamel's round trip: one text, one line changed)."""
    data = _load_round_trip(read_text(plan.pair.target, MAX_TEXT_BYTES, root), plan.pair.shown)
    slots = {uid: (container, key) for uid, container, key in _slots(data, plan.pair.name == "ui")}
    for uid, new_text in plan.changes.items():
        container, key = slots[uid]
        put_text(container, key, _scalar(container[key], new_text))  # a comment on a `>-` line is kept
    _set_record(data, plan.record)
    return _dump(data)


def _final(text: str, plan: _FilePlan, lang: str) -> str:
    """The checked text with the translator's comments added; verified to read back exactly as intended."""
    after = _add_comments(text, plan, lang)
    parsed = parse_text(after, plan.pair.shown, plan.pair.name, lang)
    texts = {u.id: u.text for u in units_of(parsed)}
    wrong = [uid for uid, new_text in plan.changes.items() if texts.get(uid) != new_text]
    if plan.comments:  # a comment must change no unit's text, imported or not
        before = {u.id: u.text for u in units_of(parse_text(text, plan.pair.shown, plan.pair.name, lang))}
        wrong += [uid for uid, old in before.items() if uid not in plan.changes and texts.get(uid) != old]
    wrong += [uid for uid, value in plan.record.items() if dict(parsed.translated_from or ()).get(uid) != value]
    if wrong:
        raise TranslateError(f"{plan.pair.shown}: the rewritten file would not hold the imported text of "
                             f"{', '.join(wrong)}; nothing was written; please report this")
    return after


def import_file(root: Path, path: Path, lang: str = "", overrides: Overrides | None = None,
                skip_conflicts: bool = False, today: date | None = None) -> ImportReport:
    """Import a PO or XLIFF file made by `export`: guarded, merged, checked like `check`, then written at once."""
    today = today or date.today()
    root = root.resolve()
    exchange = read_exchange(root, path, lang, overrides or Overrides())
    lang = _content_language(root, exchange.lang)
    outcome = _plan(root, lang, exchange.units, not exchange.hashes_missing, today, path)
    if outcome.conflicts and not skip_conflicts:
        raise ContentError(sorted(outcome.conflicts))
    texts = {plan.pair.target: _rewrite(root, plan) for plan in outcome.plans}
    by_shown = {plan.pair.shown: plan for plan in outcome.plans}
    # The checks `handouts check` runs, on the project as it is and as it would be: every problem the import
    # would add refuses it (a language being translated has problems of its own, which are not the file's).
    if texts:
        before = problems_for(root, lang).errors
        with overlaid(texts):
            after = problems_for(root, lang)
        added = added_problems(before, after.errors, by_shown)
    else:  # nothing would change: the project as it would be is the project as it is
        after, added = problems_for(root, lang), []
    if added or outcome.format_problems:
        raise ContentError(sorted({*outcome.format_problems.errors, *(located(p, by_shown) for p in added)}))
    texts = {plan.pair.target: _final(texts[plan.pair.target], plan, lang) for plan in outcome.plans}
    befores = {p: read_text(p, MAX_TEXT_BYTES, root) for p in texts}
    writes = {p: styled for p, text in texts.items() if text != befores[p] and (styled := in_style_of(
        text, befores[p], _dump(_load_round_trip(befores[p], str(p.relative_to(root)))))) != befores[p]}
    keeps_comments(root, writes)
    kept = history.updated(root, outcome.history, {plan.pair.target: plan.record.values() for plan in outcome.plans})
    history_file = {kept[0]: kept[1].decode("utf-8")} if kept and writes else {}
    try:
        replace_texts({**writes, **history_file}, root)  # all or none, each keeping its line endings and mode
    except WriteError as exc:
        raise TranslateError(str(exc)) from None
    remember(path, [(p.entries[u].key, text) for p in outcome.plans for u, text in p.changes.items()])
    written = set(writes)
    return ImportReport(
        lang, tuple(f"{p.pair.shown}: {u}" for p in outcome.plans for u in p.changes), tuple(outcome.confirmed),
        tuple(outcome.still_stale), tuple(outcome.skipped), tuple(c.format() for c in outcome.conflicts),
        tuple(f"{p.pair.shown}: {u}" for p in outcome.plans for u in p.comments), outcome.unchanged,
        tuple(str(p.relative_to(root)) for p in writes),
        tuple(f"{p.pair.shown} was {p.was_approved}; its text changed, so that approval no longer applies: it "
              "needs a new review (`handouts approve`)" for p in outcome.plans
              if p.was_approved and p.pair.target in written and p.changes),
        exchange.overridden, tuple(p.format() for p in after.warnings if p.key == "languages"),
        tuple(outcome.same_as_source))


def _content_language(root: Path, lang: str) -> str:
    """The content folder a language names; CAT tools may write zh_Hans for zh-Hans."""
    folders = sorted(p.name for p in (root / "content").iterdir() if p.is_dir())
    wanted = re.sub("_", "-", lang).lower()
    for folder in folders:
        if folder.lower() == wanted:
            return folder
    code = lang.replace("_", "-")  # a POSIX locale (es_ES) as the language tag `translate new` takes
    base = next((f for f in folders if f.lower() == code.split("-")[0].lower()), "")
    hint = f"import it into '{base}' with --lang {base} --accept-language, or " if base else ""
    start = f"start it with `handouts translate new {code}`" if is_language_code(code) else \
        "name a language of the project with --lang"
    raise TranslateError(f"the file is in language '{lang}', which has no folder under content/ "
                         f"(languages: {', '.join(folders)}); {hint}{start}")
