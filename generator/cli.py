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
def reported_errors() -> Iterator[None]:
    """Turn expected failures into messages on stderr and exit codes: 1 for content, 2 for usage."""
    from generator.approve import ApproveError
    from generator.build import ReleaseRefused, RenderFailed, UsageProblem
    from generator.fonts import FontConfigError
    from generator.problems import ContentError
    from generator.styles import StyleError
    from generator.template import TemplateError
    from generator.write import WriteError

    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        click.echo(f"{len(exc.problems)} error(s); nothing was written.", err=True)
        sys.exit(1)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except ReleaseRefused as exc:
        for reason in exc.reasons:
            click.echo(f"not approved: {reason}", err=True)
        click.echo(f"release refused: {len(exc.reasons)} file(s) not approved; nothing was written.", err=True)
        sys.exit(1)
    except ApproveError as exc:
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
    with reported_errors(), _progress(show) as progress:
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

    with reported_errors():
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

    with reported_errors():
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
    with reported_errors():
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

    with reported_errors():
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
