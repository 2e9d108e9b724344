"""Translators' commands: translate sync/done/new/export/import/review, status, lint."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator.cli.common import (
    document,
    echo,
    main,
    reported_errors,
    shown,
    table,
    warn_unusable_cache,
    warn_unusable_log,
)
from generator.cli.once import OnceGroup
from generator.cli.params import FiniteFloat, OutFile, OutFolder, project_option


@main.group(cls=OnceGroup)
def translate() -> None:
    """Translator tools: keep translations in step with the source, exchange with CAT tools, review side by side."""


@translate.command(name="sync")
@click.argument("lang")
@project_option
def translate_sync(lang: str, project: Path) -> None:
    """Bring LANG's files up to date with the source: new units added untranslated, deleted ones removed.

    Changed source units become stale by themselves (their recorded source hash no longer matches);
    comments and formatting are kept.
    """
    from generator.translators.sync import sync

    with reported_errors(project):
        synced = sync(project, lang)
    for path in synced.files:
        echo(f"updated: {shown(path)}")
    for what in synced.removed:  # each says why it went
        echo(f"removed: {what}")
    echo(f"{len(synced.files)} file(s) updated")


@translate.command(name="done")
@click.argument("lang")
@click.option("--handout", "names", multiple=True, metavar="ID", help="Only this handout (or 'ui'); repeatable.")
@click.option("--unit", "unit_ids", multiple=True, metavar="UNIT_ID", help="A revised unit; repeatable.")
@click.option("--all", "everything", is_flag=True, help="Mark every unit of the selected files as revised.")
@project_option
def translate_done(lang: str, names: tuple[str, ...], unit_ids: tuple[str, ...], everything: bool,
                   project: Path) -> None:
    """Record that units of LANG were revised against the current source text (they stop being stale)."""
    from generator.translators.sync import done

    if bool(unit_ids) == everything:  # neither (a missing argument), or both (--all was silently ignored)
        raise click.UsageError("name the revised units with --unit ID (repeatable), or mark every unit with --all"
                               + (", not both" if everything else ""))
    _check_handouts(project, lang, names)
    with reported_errors(project):
        marked = done(project, lang, list(names), list(unit_ids), everything)
    for line in marked.units:
        echo(f"marked: {line}")
    echo(f"{len(marked.units)} unit(s) marked as translated from the current source")
    _warn_same_as_source(lang, marked.same_as_source)


def _warn_same_as_source(lang: str, units: Sequence[str]) -> None:
    """Say which units marked done still hold the source's own text (they print untranslated)."""
    if units:
        echo(f"warning: {len(units)} of them still hold the source's own text, and will print as it in {lang} "
             "handouts: " + ", ".join(units[:20]) + (" …" if len(units) > 20 else "")
             + "; translate them (a name or a number may rightly stay as it is)", err=True)


@translate.command(name="new")
@click.argument("lang")
@project_option
def translate_new(lang: str, project: Path) -> None:
    """Start a new language: every file copied from the source with every unit untranslated."""
    from generator.translators.sync import new

    with reported_errors(project):
        created = new(project, lang)
    for path in created:
        echo(f"created: {shown(path)}")
    from generator.render.fontfile import declare_hint

    echo(f"next: add '{lang}' to templates/fonts.yaml (a font family that covers its script{declare_hint(lang)}; "
         "`handouts check` names every missing character); translate the texts (or export them: "
         f"`handouts translate export {lang} -o {lang}.po`), run `handouts translate done {lang} --unit ID` as you "
         f"go, and check progress with `handouts status --lang {lang}`; add '{lang}' to `languages:` in "
         "handouts.yaml when it is translated: until then a declared language stops every build and the front "
         "desk (declare it in a copy of the project to have `handouts check` look at it as you go)")


FORMAT_SUFFIXES = {"po": (".po",), "xliff": (".xlf", ".xliff")}


def _check_handouts(project: Path, lang: str, handouts: tuple[str, ...], hint: str = "--handout") -> None:
    """Unknown --handout names are usage errors (exit 2), named with the ones that exist."""
    if not handouts:
        return
    from generator.translators.sync import pairs, source_language

    with reported_errors(project):
        source = source_language(project)
        known = [p.name for p in pairs(project, source, lang or source)]
    unknown = [h for h in handouts if h not in known]
    if unknown:
        raise click.BadParameter(f"no handout {', '.join(unknown)}; available: {', '.join(known)}",
                                 param_hint=hint)


@translate.command(name="export")
@click.argument("lang")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default=None,
              help="Exchange format.  [default: from the --output file's extension]")
@click.option("--output", "-o", type=OutFile(), default=None,
              help="Write to this file.  [default: standard output]")
@click.option("--handout", "handouts", multiple=True, metavar="ID",
              help="Only this handout (or 'ui' for the UI strings); repeatable.  [default: every file]")
@project_option
def translate_export(lang: str, fmt: str | None, output: Path | None, handouts: tuple[str, ...],
                     project: Path) -> None:
    """Export LANG's units for a CAT tool as XLIFF 1.2 or PO (stale units fuzzy, untranslated ones empty)."""
    from generator.translators.exchange import export

    suffix = output.suffix.lower() if output else ""
    implied = next((f for f, suffixes in FORMAT_SUFFIXES.items() if suffix in suffixes), None)
    if suffix == ".pot":
        raise click.UsageError("a .pot file is a template of the source texts: use `handouts translate template`")
    if fmt is None:
        fmt = implied
        if fmt is None:
            raise click.UsageError("choose a format: --format xliff or --format po")
    elif output is not None and implied is not None and implied != fmt:
        raise click.UsageError(f"--format {fmt} does not match the file name {output.name}; name it "
                               f"{output.stem}{FORMAT_SUFFIXES[fmt][0]}, or choose --format {implied}")
    if output is not None and implied is None:  # -o output/manifest.json replaced a build's manifest
        raise click.UsageError(f"{shown(output)}: an exchange file is named .po, .xlf or .xliff (CAT tools tell "
                               f"its kind by that, and no other file is replaced by mistake); name it "
                               f"{shown(output.with_suffix(FORMAT_SUFFIXES[fmt][0]))}")
    _check_handouts(project, lang, handouts)
    with reported_errors(project):
        text, collected = export(project, lang, fmt, output, handouts=handouts)
    if output is None:
        document(text)  # the exchange file itself, exactly as written (escaped on a terminal)
    counts = collected.counts()
    echo(f"exported {len(collected.entries)} unit(s) of '{lang}' as {fmt} ({counts['translated']} translated, "
               f"{counts['stale']} stale, {counts['missing']} missing){f' to {shown(output)}' if output else ''}",
               err=True)


@translate.command(name="template")
@click.option("--output", "-o", type=OutFile(), default=None,
              help="Write to this file (e.g. handouts.pot).  [default: standard output]")
@click.option("--handout", "handouts", multiple=True, metavar="ID",
              help="Only this handout (or 'ui'); repeatable.  [default: every file]")
@project_option
def translate_template(output: Path | None, handouts: tuple[str, ...], project: Path) -> None:
    """A POT template of every source text, for CAT tools that start a language from one (msginit, Weblate)."""
    from generator.translators.exchange import template

    if output is not None and output.suffix.lower() != ".pot":
        raise click.UsageError(f"{shown(output)}: a template is named .pot (CAT tools tell its kind by that, and "
                               f"no other file is replaced by mistake); name it {shown(output.with_suffix('.pot'))}")
    _check_handouts(project, "", handouts)
    with reported_errors(project):
        text, collected = template(project, output, handouts)
    if output is None:
        document(text)  # a POT cut at 2,000 characters a line, or with \x09 for a tab, would be broken
    echo(f"template of {len(collected.entries)} unit(s){f' written to {shown(output)}' if output else ''}; a "
               "language made from it imports after `handouts translate new LANG`", err=True)


@translate.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", default=None, metavar="CODE",
              help="The language to import into; refused when the file says another.  [default: the file's]")
@click.option("--skip-conflicts", is_flag=True,
              help="Import everything else when units changed both here and in the file; list those units.")
@click.option("--accept-missing-hashes", is_flag=True,
              help="Import a file whose tool dropped the export's hash lines: its texts replace what differs.")
@click.option("--accept-language", is_flag=True,
              help="Import a file whose language header differs from the export's or from --lang.")
@project_option
def translate_import(file: Path, lang: str | None, skip_conflicts: bool, accept_missing_hashes: bool,
                     accept_language: bool, project: Path) -> None:
    """Import a PO or XLIFF file made by `translate export` (its language comes from the file, or --lang).

    Only finished units are imported (PO: not fuzzy; XLIFF: state translated, signed-off or final). A unit
    changed both in the content files and in the file since the export is a conflict; everything else
    merges. The project as it would be after the import must pass `handouts check`, or nothing is written.
    Nothing is ever marked approved.
    """
    from generator.content import names
    from generator.translators.importing import import_file
    from generator.translators.incoming import Overrides

    with reported_errors(project):
        if lang is not None:  # checked as every command's --lang: `ES`, `..`, an empty $CODE (twentieth pass)
            names.well_formed_language(lang, "--lang")
        report = import_file(project, file, lang or "", Overrides(accept_missing_hashes, accept_language),
                             skip_conflicts)
    for line in report.overridden:
        echo(f"overridden: {line}", err=True)
    for line in report.warnings:
        echo(line, err=True)
    for line in report.imported:
        echo(f"imported: {line}")
    for line in report.still_stale:
        echo(f"imported but still stale (the source changed since the export): {line}")
    for line in report.confirmed:
        echo(f"confirmed against the current source: {line}")
    for line in report.comments:
        echo(f"comments added: {line}")
    for line in report.skipped:
        echo(f"skipped (still fuzzy / needs review): {line}")
    if report.skipped:  # else `export` over the file says "import it first", and the import skips it again
        echo("a skipped unit is imported once it is marked done: remove its fuzzy flag (XLIFF: state=\"translated\") "
             "in your tool, then import the file again")
    for line in report.conflicts:
        echo(f"conflict, not imported: {line}", err=True)
    for line in report.approvals_voided:
        echo(f"approval no longer applies: {line}", err=True)
    warn_unusable_log("imported.log")
    echo(f"{len(report.imported)} unit(s) imported, {len(report.confirmed)} confirmed, into "
               f"{len(report.files)} file(s) of '{report.lang}'; {report.unchanged} unchanged or empty, "
               f"{len(report.skipped)} skipped as fuzzy, {len(report.conflicts)} conflict(s) skipped")
    _warn_same_as_source(report.lang, report.same_as_source)


@translate.command(name="review")
@click.argument("lang")
@click.argument("handout_ids", nargs=-1, metavar="[HANDOUT_ID]...")
@click.option("--out", type=OutFolder(), default=None,
              help="Output folder; PDFs go to OUT/review/LANG/.  [default: PROJECT/output]")
@project_option
def translate_review(lang: str, handout_ids: tuple[str, ...], out: Path | None, project: Path) -> None:
    """Side-by-side review PDFs of LANG: source and translation unit by unit, stale and missing units marked.

    Every handout and the UI strings ('ui') by default, or only the HANDOUT_IDs given.
    """
    from generator.translators.review_pdf import review

    _check_handouts(project, lang, handout_ids, "HANDOUT_ID")
    kept: list[str] = []
    with reported_errors(project):
        written = review(project, lang, list(handout_ids), out, kept=kept)
    for path in written:
        echo(f"written: {shown(path)}")
    for path in kept:  # no usable cache folder: a sheet there may hold a reviewer's notes
        echo(f"warning: {shown(path)}: the review PDF that was there is kept under this name (notes saved into it?): "
             "without a usable cache folder nothing tells whether it is the one `translate review` wrote", err=True)
    if kept:
        warn_unusable_cache()


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--fail-under", type=FiniteFloat(0, 100), default=None, metavar="PCT",
              help="Exit 1 when any language is less than PCT percent translated.")
@project_option
def status(langs: tuple[str, ...], as_json: bool, fail_under: float | None, project: Path) -> None:
    """Translation status per language and handout: total, translated, missing, stale units; review state."""
    import json

    from generator.content import names
    from generator.translators.status import completeness, languages
    from generator.translators.status import status as run_status

    with reported_errors(project):
        known = languages(project)
        langs = names.unique(names.language(lang, known, "--lang") for lang in langs)
        rows = run_status(project, list(langs) or None)
    if as_json:
        echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        table(["handout", "lang", "total", "translated", "missing", "stale", "%", "review"],
               [(r.handout, r.lang, str(r.total), str(r.translated), str(r.missing), str(r.stale),
                 f"{r.percent:.0f}", r.review) for r in rows], echo)
    per_lang = completeness(rows)
    if fail_under is not None:
        below = {lang: pct for lang, pct in per_lang.items() if pct < fail_under}
        for lang, pct in below.items():
            echo(f"{lang}: {pct:.1f}% translated, below {fail_under:g}%", err=True)
        if below:
            sys.exit(1)


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--strict", is_flag=True,
              help="Exit 1 when a section misses a target, a term is off the terminology table, or a statement "
                   "names no source.")
@click.option("--max-grade", type=FiniteFloat(0, 30), default=8.0, show_default=True,
              help="Highest Flesch–Kincaid grade for English.")
@click.option("--min-es-score", type=FiniteFloat(0, 100), default=55.0, show_default=True,
              help="Lowest Szigriszt-Pazos (INFLESZ) score for Spanish.")
@click.option("--max-words", type=FiniteFloat(1, 1000), default=25, show_default=True,
              help="Sentences longer than this many words are listed (Vietnamese: x1.4).")
@click.option("--max-chars", type=FiniteFloat(1, 1000), default=60, show_default=True,
              help="Chinese sentences longer than this many characters are listed.")
@project_option
def lint(langs: tuple[str, ...], strict: bool, max_grade: float, min_es_score: float, max_words: float,
         max_chars: float, project: Path) -> None:
    """Readability per section and language (reading grade, Szigriszt-Pazos, sentence lengths), terms off the
    terminology table (docs/terminology.md) and source-language statements that name no source."""
    from dataclasses import replace

    from generator.content import names
    from generator.content.problems import ContentError, Problems
    from generator.content.project import load_or_raise
    from generator.translators.lint import Targets, content_findings, report_lines
    from generator.translators.lint import lint as run_lint
    from generator.translators.terminology import read_table

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
        known = list(dict.fromkeys([loaded.settings.source_language, *loaded.settings.languages]))
        langs = names.unique(names.language(lang, known, "--lang") for lang in langs)
        table_problems = Problems()
        terms = read_table(project, table_problems, known)
        if table_problems:
            raise ContentError(table_problems.errors)
    targets = replace(Targets(), max_grade=max_grade, min_es_score=min_es_score, max_words=max_words,
                      max_chars=max_chars)
    reports = run_lint(loaded, list(langs) or None, targets)
    for line in report_lines(reports, targets):
        echo(line)
    findings = content_findings(loaded, list(langs) or None, terms)
    for line in findings:
        echo(line)
    missed = [r for r in reports if r.missed]
    flagged = [line for line in findings if line.startswith("  ")]
    if strict and (missed or flagged):
        echo(f"lint --strict: {len(missed)} section(s) miss a target, {len(flagged)} terminology or "
             "source finding(s)", err=True)
        sys.exit(1)
