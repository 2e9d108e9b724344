"""The `handouts` command line. It only wires commands; the work happens in the pipeline modules."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator import __version__

PAPER = click.Choice(["letter", "a4"])
project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default="current directory", help="The handout project folder (holding handouts.yaml).",
)


@contextmanager
def reported_errors(root: Path | None = None) -> Iterator[None]:
    """Turn expected failures into messages on stderr and exit codes: 1 for content, 2 for usage."""
    from generator.approve import ApproveError
    from generator.build import ReleaseRefused, RenderFailed, UsageProblem
    from generator.fonts import FontConfigError
    from generator.problems import ContentError
    from generator.styles import StyleError
    from generator.template import TemplateError
    from generator.translate import TranslateError
    from generator.write import WriteError

    try:
        yield
    except ContentError as exc:
        from generator.problems import excerpt

        for problem in exc.problems:
            click.echo(problem.format(), err=True)
            for line in excerpt(problem, str(root or ".")):
                click.echo(line, err=True)
        click.echo(f"{len(exc.problems)} error(s); nothing was written.", err=True)
        sys.exit(1)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except ReleaseRefused as exc:
        for reason in exc.reasons:
            click.echo(f"not approved: {reason}", err=True)
        click.echo(f"release refused: {len(exc.reasons)} file(s) not approved; nothing was written.", err=True)
        sys.exit(1)
    except (ApproveError, TranslateError) as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("nothing was changed.", err=True)
        sys.exit(1)
    except (FontConfigError, StyleError, TemplateError, WriteError, RenderFailed) as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("nothing was written.", err=True)
        sys.exit(1)


def _print_warnings(warnings: list) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="patient-handouts")
def main() -> None:
    """Build print-ready patient handouts from reviewed YAML content."""


@main.command()
@click.argument("handout_ids", nargs=-1, metavar="[HANDOUT_ID]...")
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Build only this language (repeatable).")
@click.option("--paper", type=PAPER, default=None, help="Paper size; overrides handouts.yaml.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder.  [default: PROJECT/output]")
@click.option("--release", is_flag=True,
              help="Refuse (exit 1, nothing written) unless every selected handout is approved and current.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes.  [default: the number of CPUs]")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those whose inputs did not change.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--watch", is_flag=True, help="Keep running; rebuild what is affected whenever a file is saved.")
@click.option("--large-print", is_flag=True,
              help="Large-print edition (body at least 16 pt, headings 20 pt): files named <handout>.large.pdf.")
@click.option("--bilingual", metavar="CODE", default="",
              help="Bilingual edition: each unit with its translation in CODE beneath it (<handout>.es-en.pdf).")
@click.option("--format", "formats", metavar="LIST", default="pdf", show_default=True,
              help="Output formats, comma-separated: pdf, html (the accessible HTML companion).")
@project_option
def build(handout_ids: tuple[str, ...], langs: tuple[str, ...], paper: str | None, out: Path | None,
          release: bool, jobs: int | None, force: bool, quiet: bool, watch: bool, large_print: bool,
          bilingual: str, formats: str, project: Path) -> None:
    """Render handouts to PDF or HTML (all handouts in all languages by default); unchanged files are kept."""
    import os

    from generator.build import Selection
    from generator.build import build as run_build

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    if not chosen:
        raise click.BadParameter("give at least one format: pdf, html", param_hint="--format")
    selection = Selection(handout_ids, langs, paper, out, release, jobs or os.cpu_count() or 1, force,
                          large_print, bilingual, chosen)
    if watch:
        from generator.watch import watch as run_watch

        run_watch(project, selection, click.echo)
        return
    show = not quiet and sys.stderr.isatty()
    with reported_errors(project), _progress(show) as progress:
        report = run_build(project, selection, progress)
    _print_warnings(report.warnings)
    folder = out or project / "output"
    click.echo(f"{report.summary()} (output: {folder})")


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[int, int], Callable[[int], None]] | None]:
    """A progress bar on a terminal; nothing when output is redirected or --quiet."""
    if not show:
        yield None
        return
    bars: list = []

    def start(todo: int, total: int) -> Callable[[int], None]:
        bar = click.progressbar(length=todo, label=f"rendering {todo} of {total}", file=sys.stderr)
        bars.append(bar.__enter__())
        return bars[0].update

    try:
        yield start
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Create a new clinic project in FOLDER: settings to fill in, the shipped content, and a README."""
    from generator.scaffold import ScaffoldError, create

    try:
        written = create(folder)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"created {folder}: {len(written)} files")
    click.echo(f"next: edit {folder / 'handouts.yaml'} (replace every value marked '(replace)'), "
               f"then run: cd {folder} && handouts build")


@main.command()
@project_option
def check(project: Path) -> None:
    """Validate content, settings, placeholders and fonts without writing anything."""
    from generator.build import validate

    with reported_errors(project):
        loaded, problems = validate(project)
    _print_warnings(problems.warnings)
    count = len(loaded.handouts)
    click.echo(f"ok: {count} handout file(s) in {len(loaded.settings.languages)} language(s), no errors")


@main.command(name="list")
@project_option
def list_handouts(project: Path) -> None:
    """List handouts × languages with content version and review status."""
    from datetime import date

    from generator.project import load_or_raise
    from generator.review import handout_state, short

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
    rows = []
    for handout in loaded.handouts:
        if handout.lang in loaded.settings.languages:
            state, _, fingerprint = handout_state(loaded, handout, date.today())
            rows.append((handout.id, handout.lang, handout.version, short(fingerprint), state.status))
    _table(["handout", "lang", "version", "fingerprint", "review"], rows, click.echo)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviewer", required=True, help="The reviewer's name, as it should be recorded.")
@click.option("--role", required=True, help="Credentials or role, e.g. \"MD, psychiatrist\".")
@click.option("--next-review", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the next review (YYYY-MM-DD).  [default: in 12 months]")
@project_option
def approve(paths: tuple[Path, ...], reviewer: str, role: str, next_review: object, project: Path) -> None:
    """Record an approval of content files exactly as they are now (in each file's review: block)."""
    from datetime import date, datetime

    from generator.approve import approve as run_approve

    due = next_review.date() if isinstance(next_review, datetime) else None
    with reported_errors(project):
        done = run_approve(project, list(paths), reviewer, role, due, date.today())
    for path in done:
        click.echo(f"approved: {path}")


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
def verify(pdfs: tuple[Path, ...], project: Path) -> None:
    """Check PDFs against current content: current, outdated or unknown (exit 0 only if all current)."""
    from datetime import date

    from generator.project import load_or_raise
    from generator.verify import CURRENT
    from generator.verify import verify as run_verify

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
    verdicts = [run_verify(loaded, pdf, date.today()) for pdf in pdfs]
    for verdict in verdicts:
        click.echo(verdict.format())
    if any(v.status != CURRENT for v in verdicts):
        sys.exit(1)


def _table(header: list[str], rows: list[tuple[str, ...]], echo: Callable[[str], None]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(header), *rows]) for i in range(len(header))]
    for row in [tuple(header), *rows]:
        echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@main.group()
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
    from generator.translate import sync

    with reported_errors(project):
        changed = sync(project, lang)
    for path in changed:
        click.echo(f"updated: {path}")
    click.echo(f"{len(changed)} file(s) updated")


@translate.command(name="done")
@click.argument("lang")
@click.option("--handout", "names", multiple=True, metavar="ID", help="Only this handout (or 'ui'); repeatable.")
@click.option("--unit", "unit_ids", multiple=True, metavar="UNIT_ID", help="A revised unit; repeatable.")
@click.option("--all", "everything", is_flag=True, help="Mark every unit of the selected files as revised.")
@project_option
def translate_done(lang: str, names: tuple[str, ...], unit_ids: tuple[str, ...], everything: bool,
                   project: Path) -> None:
    """Record that units of LANG were revised against the current source text (they stop being stale)."""
    from generator.translate import done

    with reported_errors(project):
        marked = done(project, lang, list(names), list(unit_ids), everything)
    for line in marked:
        click.echo(f"marked: {line}")
    click.echo(f"{len(marked)} unit(s) marked as translated from the current source")


@translate.command(name="new")
@click.argument("lang")
@project_option
def translate_new(lang: str, project: Path) -> None:
    """Start a new language: every file copied from the source with every unit untranslated."""
    from generator.translate import new

    with reported_errors(project):
        created = new(project, lang)
    for path in created:
        click.echo(f"created: {path}")
    click.echo(f"translate the texts, run `handouts translate done {lang} --unit ID` as you go, and check "
               f"progress with `handouts status --lang {lang}`")


@translate.command(name="export")
@click.argument("lang")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default=None,
              help="Exchange format.  [default: from the --output file's extension]")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file.  [default: standard output]")
@project_option
def translate_export(lang: str, fmt: str | None, output: Path | None, project: Path) -> None:
    """Export LANG's units for a CAT tool as XLIFF 1.2 or PO (stale units fuzzy, untranslated ones empty)."""
    from generator.exchange import export

    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        fmt = "po" if suffix in (".po", ".pot") else "xliff" if suffix in (".xlf", ".xliff") else None
        if fmt is None:
            raise click.UsageError("choose a format: --format xliff or --format po")
    with reported_errors(project):
        text, collected = export(project, lang, fmt, output)
    if output is None:
        click.echo(text, nl=False)
    counts = collected.counts()
    click.echo(f"exported {len(collected.entries)} unit(s) of '{lang}' as {fmt} ({counts['translated']} translated, "
               f"{counts['stale']} stale, {counts['missing']} missing){f' to {output}' if output else ''}",
               err=True)


@translate.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
def translate_import(file: Path, project: Path) -> None:
    """Import a PO or XLIFF file made by `translate export` (its language comes from the file).

    Changed translations are checked, then written with comments and formatting kept; nothing is ever
    marked approved. A file whose source texts changed since the export is refused.
    """
    from generator.exchange import import_file

    with reported_errors(project):
        report = import_file(project, file)
    for line in report.imported:
        click.echo(f"imported: {line}")
    for line in report.skipped:
        click.echo(f"skipped (still marked fuzzy / needs review): {line}")
    click.echo(f"{len(report.imported)} unit(s) imported into {len(report.files)} file(s) of '{report.lang}'; "
               f"{report.unchanged} unchanged or empty, {len(report.skipped)} skipped")


@translate.command(name="review")
@click.argument("lang")
@click.argument("handout_ids", nargs=-1, metavar="[HANDOUT_ID]...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder; PDFs go to OUT/review/LANG/.  [default: PROJECT/output]")
@project_option
def translate_review(lang: str, handout_ids: tuple[str, ...], out: Path | None, project: Path) -> None:
    """Side-by-side review PDFs of LANG: source and translation unit by unit, stale and missing units marked.

    Every handout and the UI strings ('ui') by default, or only the HANDOUT_IDs given.
    """
    from generator.review_pdf import review

    with reported_errors(project):
        written = review(project, lang, list(handout_ids), out)
    for path in written:
        click.echo(f"written: {path}")


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 when any language is less than PCT percent translated.")
@project_option
def status(langs: tuple[str, ...], as_json: bool, fail_under: float | None, project: Path) -> None:
    """Translation status per language and handout: total, translated, missing, stale units; review state."""
    import json

    from generator.status import completeness, languages
    from generator.status import status as run_status

    with reported_errors(project):
        known = languages(project)
        for lang in langs:
            if lang not in known:
                from generator.build import UsageProblem

                raise UsageProblem(f"no content for language '{lang}'; available: {', '.join(known)}")
        rows = run_status(project, list(langs) or None)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        _table(["handout", "lang", "total", "translated", "missing", "stale", "%", "review"],
               [(r.handout, r.lang, str(r.total), str(r.translated), str(r.missing), str(r.stale),
                 f"{r.percent:.0f}", r.review) for r in rows], click.echo)
    per_lang = completeness(rows)
    if fail_under is not None:
        below = {lang: pct for lang, pct in per_lang.items() if pct < fail_under}
        for lang, pct in below.items():
            click.echo(f"{lang}: {pct:.1f}% translated, below {fail_under:g}%", err=True)
        if below:
            sys.exit(1)


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--strict", is_flag=True, help="Exit 1 when any section misses a target.")
@click.option("--max-grade", type=float, default=8.0, show_default=True,
              help="Highest Flesch–Kincaid grade for English.")
@click.option("--min-es-score", type=float, default=55.0, show_default=True,
              help="Lowest Szigriszt-Pazos (INFLESZ) score for Spanish.")
@click.option("--max-words", type=float, default=25, show_default=True,
              help="Sentences longer than this many words are listed (Vietnamese: x1.4).")
@click.option("--max-chars", type=float, default=60, show_default=True,
              help="Chinese sentences longer than this many characters are listed.")
@project_option
def lint(langs: tuple[str, ...], strict: bool, max_grade: float, min_es_score: float, max_words: float,
         max_chars: float, project: Path) -> None:
    """Readability per section and language: reading grade (en), Szigriszt-Pazos (es), sentence lengths."""
    from dataclasses import replace

    from generator.lint import Targets, report_lines
    from generator.lint import lint as run_lint
    from generator.project import load_or_raise

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
        known = list(dict.fromkeys([loaded.settings.source_language, *loaded.settings.languages]))
        for lang in langs:
            if lang not in known:
                from generator.build import UsageProblem

                raise UsageProblem(f"no content for language '{lang}'; available: {', '.join(known)}")
    targets = replace(Targets(), max_grade=max_grade, min_es_score=min_es_score, max_words=max_words,
                      max_chars=max_chars)
    reports = run_lint(loaded, list(langs) or None, targets)
    for line in report_lines(reports, targets):
        click.echo(line)
    missed = [r for r in reports if r.missed]
    if strict and missed:
        click.echo(f"lint --strict: {len(missed)} section(s) miss a target", err=True)
        sys.exit(1)
