"""Clinic staff's commands: init, build, check, list."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.cli.common import PAPER, echo, main, print_warnings, project_option, reported_errors, table


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

        run_watch(project, selection, echo)
        return
    show = not quiet and sys.stderr.isatty()
    with reported_errors(project), _progress(show) as progress:
        report = run_build(project, selection, progress)
    print_warnings(report.warnings)
    folder = out or project / "output"
    echo(f"{report.summary()} (output: {folder})")


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
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    echo(f"created {folder}: {len(written)} files")
    echo(f"next: edit {folder / 'handouts.yaml'} (replace every value marked '(replace)'), "
               f"then run: cd {folder} && handouts build")


@main.command()
@project_option
def check(project: Path) -> None:
    """Validate content, settings, placeholders and fonts without writing anything."""
    from generator.build import validate

    with reported_errors(project):
        loaded, problems = validate(project)
    print_warnings(problems.warnings)
    count = len(loaded.handouts)
    echo(f"ok: {count} handout file(s) in {len(loaded.settings.languages)} language(s), no errors")


@main.command(name="list")
@project_option
def list_handouts(project: Path) -> None:
    """List handouts × languages with content version and review status."""
    from datetime import date

    from generator.content.project import load_or_raise
    from generator.review.state import handout_state, short

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
    rows = []
    for handout in loaded.handouts:
        if handout.lang in loaded.settings.languages:
            state, _, fingerprint = handout_state(loaded, handout, date.today())
            rows.append((handout.id, handout.lang, handout.version, short(fingerprint), state.status))
    table(["handout", "lang", "version", "fingerprint", "review"], rows, echo)
