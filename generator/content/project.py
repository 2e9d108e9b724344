"""Load a handout project from disk and check it across files: languages, parity, facts, logo."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from generator.content import markup
from generator.content.crisis import check_crisis
from generator.content.dates import check_dates
from generator.content.folders import folder_unreadable, misnamed_files, misnamed_folders, stray_handouts
from generator.content.logofile import check_logo
from generator.content.memo import Memo
from generator.content.model import CrisisService, Fact, Handout, Project, Review, Settings, Strings, units_of
from generator.content.names import has_cldr_data
from generator.content.parse import CLINIC_PLACEHOLDERS, LEGAL_FACT, Parser
from generator.content.problems import ContentError, Loc, Problem, Problems
from generator.content.settingsfile import SETTINGS_FILE, settings_doc
from generator.content.translation import MISSING, TRANSLATED, other_link_targets, unit_states
from generator.content.yamlread import Doc, parse_source, read, read_source

UI_FILE = "ui.yaml"
FACTS_FILE = "facts.yaml"
FACT_WARNING_DAYS = 30
# Parsed handout files by everything the parse reads: the file's text, its name as shown, the placeholders the
# project declares, the handout ID and language. Several clinics' copies of one content (a batch build) and a
# watch session's unchanged files are parsed once; the file is still read, so an edit is always seen.
PARSED: Memo[tuple[Handout | None, tuple[Problem, ...]]] = Memo(2_000, "content")


def load(root: Path, today: date | None = None, partial: bool = False,
         also: tuple[str, ...] = ()) -> tuple[Project | None, Problems]:
    """Read and validate a whole project; the Project is None when any error was found (unless `partial`:
    then it holds every file that could be read, for checks that go on past the first problems). Languages
    in `also` are read as if handouts.yaml listed them (a language being started)."""
    problems = Problems()
    root = root.resolve()
    settings_path = root / SETTINGS_FILE
    if not settings_path.is_file():
        problems.add(Loc(str(settings_path)), "", *_no_settings(settings_path))
        return None, problems
    settings = Parser(settings_doc(root, problems)).settings()
    if settings is None:
        _never_silent(problems, SETTINGS_FILE, "settings")
    content = root / "content"
    if not _inside(root, content):
        problems.add(Loc("content"), "", "the content folder leads outside the project (a link?)",
                     "make content/ a real folder inside the project")
        return None, problems
    facts, facts_review, crisis, facts_dated = _load_facts(root, content, problems)
    if settings is None:
        return None, problems
    fact_names = frozenset(f"fact.{f.key}" for f in facts)
    placeholders = frozenset(CLINIC_PLACEHOLDERS) | fact_names

    source = settings.source_language
    languages = [source] + [lang for lang in (*settings.languages, *also) if lang != source]
    languages = list(dict.fromkeys(languages))
    unreadable = {lang: folder_unreadable(content / lang) for lang in languages}
    for lang, reason in unreadable.items():
        if reason:
            problems.add(Loc(f"content/{lang}"), "", *reason)
    handout_ids = _handout_ids(content / source) if _inside(root, content / source) else []
    if not handout_ids and not unreadable[source]:
        problems.add(settings.field_locs.get("source_language", settings.loc), "source_language",
                     f"no handouts found in content/{source}/", f"add content/{source}/<handout-id>.yaml files")
    misnamed_folders(content, problems)
    misnamed_files(content, languages, problems)
    stray_handouts(content, languages, problems)
    handouts: list[Handout] = []
    strings: list[Strings] = []
    for lang in languages:
        folder = content / lang
        if unreadable[lang]:
            continue
        if folder.is_dir() and not _inside(root, folder):
            problems.add(Loc(f"content/{lang}"), "", f"the folder content/{lang}/ leads outside the project (a link?)",
                         "make it a real folder inside the project")
            continue
        if not folder.is_dir():
            problems.add(settings.field_locs.get(f"languages.{lang}", settings.loc), "languages",
                         f"language '{lang}' is listed but content/{lang}/ does not exist",
                         f"add its content (handouts translate new {lang}) or remove it from languages")
            continue
        for extra in sorted(set(_handout_ids(folder)) - set(handout_ids)):
            problems.add(Loc(f"content/{lang}/{extra}.yaml"), "handout",
                         f"handout '{extra}' does not exist in the source language '{source}'",
                         f"add content/{source}/{extra}.yaml or remove this file")
        ui_path = folder / UI_FILE
        if ui_path.is_file():
            parsed = Parser(_read(root, ui_path, f"content/{lang}/{UI_FILE}", problems)).strings(lang)
            if parsed:
                strings.append(parsed)
            else:
                _never_silent(problems, f"content/{lang}/{UI_FILE}", "UI strings")
        else:
            problems.add(Loc(f"content/{lang}/{UI_FILE}"), "", f"UI strings for '{lang}' are missing",
                         f"copy content/{source}/{UI_FILE} and translate it")
        for handout_id in handout_ids:
            path = folder / f"{handout_id}.yaml"
            shown = f"content/{lang}/{handout_id}.yaml"
            if not path.is_file():
                if path.is_symlink() or path.exists():
                    problems.add(Loc(shown), "", "this is not a readable file (a broken link, a folder or a device)",
                                 "replace it with the handout's YAML file")
                else:
                    problems.add(Loc(shown), "", f"handout '{handout_id}' is missing in language '{lang}'",
                                 f"translate content/{source}/{handout_id}.yaml into {shown}")
                continue
            handout = _parse_handout(root, path, shown, placeholders, handout_id, lang, problems)
            if handout:
                handouts.append(handout)
            else:
                _never_silent(problems, shown, "a handout")

    _check_parity(handouts, source, problems)
    _declared_incomplete(_check_translations([*handouts, *strings], source, problems), settings, problems)
    _check_legal(handouts, settings, problems)
    _check_facts(handouts, facts, settings, today or date.today(), problems)
    check_dates(handouts, strings, facts, crisis, today or date.today(), problems, facts_dated)
    check_crisis(handouts, strings, crisis, settings, today or date.today(), problems)
    _check_optional_settings(handouts, strings, settings, problems)
    check_logo(root, settings, problems)
    for problem in placeholder_problems(settings):
        problems.add(problem.loc, problem.key, problem.message, problem.hint, severity="warning")
    for lang in (lang for lang in dict.fromkeys([source, *settings.languages]) if not has_cldr_data(lang)):
        problems.add(settings.field_locs.get(f"languages.{lang}", settings.loc), "languages",
                     f"Babel (CLDR) has no data for '{lang}': its dates will print as YYYY-MM-DD (2026-03-31), "
                     f"its name as '{lang}'", f"nothing to fix; have a reader of '{lang}' confirm these are understood",
                     severity="warning")
    if problems and not partial:
        return None, problems
    return Project(str(root), settings, tuple(handouts), tuple(strings), facts, facts_review, crisis), problems


PLACEHOLDER_MARK = "(replace)"  # how `handouts init` marks a value the clinic must fill in


def placeholder_problems(settings: Settings) -> list[Problem]:
    """Clinic settings still holding a placeholder from `handouts init` (a warning; --release refuses them)."""
    clinic = settings.clinic
    found = []
    for key, value in (("clinic.name", clinic.name), ("clinic.phone", clinic.phone),
                       ("clinic.address", clinic.address), ("clinic.website", clinic.website)):
        if PLACEHOLDER_MARK in value:
            found.append(Problem(settings.field_locs.get(key, settings.loc), key,
                                 f"'{value}' is still a placeholder", f"replace it with your clinic's own in "
                                 f"{SETTINGS_FILE}; it is printed on every handout"))
    return found


def load_or_raise(root: Path, today: date | None = None) -> tuple[Project, Problems]:
    """Like `load`, but raise ContentError carrying every problem when the project is not valid."""
    project, problems = load(root, today)
    if project is None:
        raise ContentError(problems.errors)
    return project, problems


def _handout_ids(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    # Hidden files are editors' locks and backups (.#name.yaml), never handouts.
    return sorted(p.stem for p in folder.glob("*.yaml") if p.name != UI_FILE and not p.name.startswith("."))


def _never_silent(problems: Problems, shown: str, what: str) -> None:
    """A file that could not be used always comes with a reason: never a handout quietly left out."""
    if not any(p.loc.path == shown for p in problems.errors):
        problems.add(Loc(shown), "", f"this file could not be read as {what}",
                     "compare it with the same file in the source language, or with docs/content-format.md")


def _inside(root: Path, path: Path) -> bool:
    """Whether `path`, links resolved, is inside the (resolved) project root."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a link loop
        return False


def _read(root: Path, path: Path, shown: str, problems: Problems) -> Doc:
    """Read a project file, refusing one that is a link leading outside the project (nothing else is read)."""
    if not _inside(root, path):
        problems.add(Loc(shown), "", "this file is a link that leads outside the project",
                     "copy the file into the project instead of linking to it")
        return Doc(path, shown, problems)
    return read(path, shown, problems)


def _parse_handout(root: Path, path: Path, shown: str, placeholders: frozenset[str], handout_id: str, lang: str,
                   problems: Problems) -> Handout | None:
    """One handout file parsed into the model (or None, its problems recorded), remembered by its text."""
    if not _inside(root, path):
        return Parser(_read(root, path, shown, problems), placeholders).handout(handout_id, lang)
    source = read_source(path, shown, problems)
    if source is None:
        return Parser(Doc(path, shown, problems), placeholders).handout(handout_id, lang)

    def parse() -> tuple[Handout | None, tuple[Problem, ...]]:
        found = Problems()
        parsed = Parser(parse_source(Doc(path, shown, found), source), placeholders).handout(handout_id, lang)
        return parsed, tuple(found.all)

    handout, found = PARSED.get((source, shown, placeholders, handout_id, lang), parse)
    for problem in found:
        problems.add(problem.loc, problem.key, problem.message, problem.hint, problem.severity)
    return handout


def _load_facts(root: Path, content: Path, problems: Problems
                ) -> tuple[tuple[Fact, ...], Review, tuple[CrisisService, ...], tuple[tuple[Loc, str, str], ...]]:
    path = content / FACTS_FILE
    if not path.is_file():
        return (), Review("draft"), (), ()
    parser = Parser(_read(root, path, f"content/{FACTS_FILE}", problems))
    facts = parser.facts()
    # The file's own review date, checked against today as every other one (thirtieth pass: dated a year on, the
    # crisis lines' approval ran three years); the facts' and crisis lines' checked dates come with their objects.
    reviewed = tuple(d for d in parser.dated if d[1].startswith("review."))
    return facts, parser.facts_review or Review("draft"), parser.crisis, reviewed


def _check_parity(handouts: list[Handout], source: str, problems: Problems) -> None:
    """Each translation has exactly the source's units, with the same placeholders."""
    originals = {h.id: h for h in handouts if h.lang == source}
    for handout in handouts:
        original = originals.get(handout.id)
        if handout.lang == source or original is None:
            continue
        theirs = {u.id: u for u in handout.units()}
        ours = {u.id: u for u in original.units()}
        shown = handout.loc.path
        for unit_id in ours.keys() - theirs.keys():
            problems.add(Loc(shown, 1, 1), unit_id,
                         f"unit '{unit_id}' of handout '{handout.id}' is missing in language '{handout.lang}'",
                         f"run `handouts translate sync {handout.lang}` to add it (untranslated), then translate "
                         f"it from {original.loc.path}:{ours[unit_id].loc.line}")
        for unit_id in theirs.keys() - ours.keys():
            problems.add(theirs[unit_id].loc, unit_id, f"unit '{unit_id}' does not exist in the source language",
                         "remove it, or check its ID against the source file")
        for (key, kind), loc in _block_kinds(handout).items():
            want = next((k for (other, k) in _block_kinds(original) if other == key), kind)
            if want != kind:
                problems.add(loc, key, f"block is a {kind} here but a {want} in the source language",
                             f"keep the source's shape: write it as a {want}")
        for section, source_section in zip(handout.sections, original.sections, strict=False):
            if section.aliases != source_section.aliases:
                problems.add(section.loc, "sections.legal", "same_as entries differ from the source language",
                             f"use exactly: {dict(source_section.aliases) or 'none'}")
        for unit_id in theirs.keys() & ours.keys():
            want = sorted(markup.placeholders(ours[unit_id].spans))
            got = sorted(markup.placeholders(theirs[unit_id].spans))
            if want != got:
                problems.add(theirs[unit_id].loc, unit_id,
                             f"placeholders differ from the source: expected {_braces(want)}, found {_braces(got)}",
                             "keep every {placeholder} of the source text, unchanged")


def _check_translations(files: list[Handout | Strings], source: str, problems: Problems) -> set[str]:
    """Every translated unit says which source text it was made from; untranslated units stop the build. Returns
    the languages with units not translated yet."""
    untranslated: set[str] = set()
    originals = {(type(f), getattr(f, "id", "ui")): f for f in files if f.lang == source}
    for target in files:
        original = originals.get((type(target), getattr(target, "id", "ui")))
        if target.lang == source or original is None:
            continue
        units = units_of(original)
        theirs = {u.id: u for u in units_of(target)}
        if target.translated_from is None:
            problems.add(Loc(target.loc.path, 1, 1), "translation",
                         "no translation record saying which source text each unit was translated from",
                         f"run `handouts translate sync {target.lang}`, then `handouts translate done {target.lang}`")
            continue
        record = dict(target.translated_from)
        states = unit_states(units, theirs.values(), record)
        # Only a current translation must link what its source links: a source edit (a link added) makes the
        # translations stale (DRAFT, never --release) until translators catch up, not every build fail.
        for unit in (u for u in units if states.get(u.id) == TRANSLATED):
            if wrong := other_link_targets(unit, theirs[unit.id], f"{unit.loc.path}:{unit.loc.line}"):
                problems.add(wrong[0], unit.id, wrong[1], wrong[2])
        for unit_id, state in states.items():
            if state == MISSING and unit_id in theirs:
                untranslated.add(target.lang)
                problems.add(theirs[unit_id].loc, unit_id, f"unit '{unit_id}' is not translated into "
                             f"'{target.lang}' yet (its text is a copy of the source)",
                             f"translate it, then run `handouts translate done {target.lang} --unit {unit_id}`")
        for unit_id in record.keys() - {u.id for u in units}:
            problems.add(Loc(target.loc.path, 1, 1), "translation",
                         f"the translation record names unit '{unit_id}', which the source does not have",
                         f"run `handouts translate sync {target.lang}`")
    return untranslated


def _declared_incomplete(untranslated: set[str], settings: Settings, problems: Problems) -> None:
    """Say once per language, at its line in handouts.yaml, what its untranslated units stop and the way out
    (twenty-seventh pass: a language declared as `translate new` said stopped every build, English too)."""
    for lang in sorted(untranslated):  # no count: an import that translates some units must not seem to change this
        problems.add(settings.field_locs.get(f"languages.{lang}", settings.loc), "languages",
                     f"'{lang}' is declared here but units of it are not translated yet (each is named in its "
                     "file), so no handout in any language can be built, nor shown at the front desk, until they are",
                     f"translate them (`handouts status --lang {lang}`), or take '{lang}' out of `languages:` while "
                     "it is translated (its files stay; translate export, import and status work without it)")


def _block_kinds(handout: Handout) -> dict[tuple[str, str], Loc]:
    """(section.block path, kind) of every block, to catch a unit re-typed in translation."""
    kinds = {}
    for section in handout.sections:
        groups = [(section.id, section.blocks)] + [(f"{section.id}.{code}", b) for code, b in section.jurisdictions]
        for prefix, blocks in groups:
            for block in blocks:
                kinds[(f"{prefix}.{block.id}", block.kind)] = block.loc
    return kinds


def _braces(names: list[str]) -> str:
    return ", ".join("{" + n + "}" for n in names) or "none"


def _check_legal(handouts: list[Handout], settings: Settings, problems: Problems) -> None:
    for handout in handouts:
        for section in handout.sections:
            if section.id == "legal" and section.blocks_for(settings.jurisdiction) is None:
                have = ", ".join(section.jurisdiction_codes()) or "none"
                problems.add(section.loc, "sections.legal",
                             f"no legal-status text for jurisdiction '{settings.jurisdiction}' (has: {have})",
                             f"add 'jurisdictions: {settings.jurisdiction}:' with reviewed text")


def _check_facts(handouts: list[Handout], facts: tuple[Fact, ...], settings: Settings, today: date,
                 problems: Problems) -> None:
    country = settings.jurisdiction.split("-")[0]
    available = {f.key for f in facts if f.country == country}
    for handout in handouts:
        for unit in handout.units():
            for name in markup.placeholders(unit.spans):
                if name.startswith("fact.") and name[5:] not in available:
                    problems.add(unit.loc, unit.id, f"fact '{name[5:]}' has no entry for country '{country}'",
                                 f"add facts.{name[5:]}.{country} to content/{FACTS_FILE}")
    jurisdiction = settings.jurisdiction
    if not any(f.key == LEGAL_FACT and f.country == jurisdiction for f in facts):
        problems.add(settings.field_locs.get("jurisdiction", settings.loc), "jurisdiction",
                     f"jurisdiction '{jurisdiction}' has no dated legal-status entry in content/{FACTS_FILE}",
                     f"add legal: {jurisdiction}: with source, checked and review_by")
    for fact in facts:
        if fact.country != (jurisdiction if fact.key == LEGAL_FACT else country):
            continue
        due = date.fromisoformat(fact.review_by)
        key = f"facts.{fact.key}.{fact.country}"
        loc = fact.review_by_loc or fact.loc
        if due < today:
            problems.add(loc, key, f"fact is past its review-by date {fact.review_by}",
                         "re-check it against its source, then update 'checked' and 'review_by'")
        elif (due - today).days <= FACT_WARNING_DAYS:
            problems.add(loc, key, f"fact is due for review by {fact.review_by}",
                         "re-check it against its source soon", severity="warning")


CONTACT_WHEN_SET = frozenset({"contact.address", "contact.website"})  # the contact block's optional lines


def _check_optional_settings(handouts: list[Handout], strings: list[Strings], settings: Settings,
                             problems: Problems) -> None:
    """A text using {clinic.address} or {clinic.website} needs it set: an empty value would leave a gap."""
    empty = {f"clinic.{key}" for key in ("address", "website") if not getattr(settings.clinic, key)}
    if not empty:
        return
    units = [u for h in handouts for u in h.units()] + [u for s in strings for u in s.units]
    for unit in units:
        if unit.id in CONTACT_WHEN_SET:  # printed only when the setting is there
            continue
        for name in sorted(set(markup.placeholders(unit.spans)) & empty):
            problems.add(unit.loc, unit.id, f"{{{name}}} is used here but handouts.yaml gives no {name}",
                         f"add {name.split('.')[1]}: under clinic: in handouts.yaml, or remove the placeholder")


def _no_settings(path: Path) -> tuple[str, str]:
    """What stands at handouts.yaml's name when it is no file, and what to do: a pipe, a folder or a link to nothing
    was "no handouts.yaml here; … create one with handouts init", which refuses the folder (thirty-fifth pass)."""
    from generator.content.makefolder import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:  # nothing there, or a link leading nowhere
        if not os.path.islink(path):
            return "no handouts.yaml here", ("run the command inside a handout project, pass --project DIR, or "
                                             "create one with handouts init")
        return (f"is a link to a place that does not exist ({os.readlink(path)})",
                "replace it with the project's settings file, or restore what it leads to")
    what = kind_of(mode)  # not a file: is_file() said so (a regular file's words never reach here)
    link = " (through a link)" if os.path.islink(path) else ""
    return f"is {what}{link}, not the project's settings file", "replace it with an ordinary file"
