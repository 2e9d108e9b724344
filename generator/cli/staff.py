"""Clinic staff's commands: init, build, check, list."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.cli.common import echo, main, print_warnings, reported_errors, shown, table, warn_unusable_cache
from generator.cli.params import PAPER, OutFolder, ProjectFolder, SecondLanguage, project_option


@main.command()
@click.argument("handout_ids", nargs=-1, metavar="[HANDOUT_ID]...")
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Build only this language (repeatable).")
@click.option("--paper", type=PAPER, default=None, help="Paper size; overrides handouts.yaml.")
@click.option("--out", type=OutFolder(), default=None,
              help="Output folder.  [default: PROJECT/output]")
@click.option("--release", is_flag=True,
              help="Refuse (exit 1, nothing written) unless every selected handout is approved and current.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes, at most the number of CPUs (more only cost memory).  [default: the number of "
                   "CPUs]")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those whose inputs did not change.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--watch", is_flag=True, help="Keep running; rebuild what is affected whenever a file is saved.")
@click.option("--large-print", is_flag=True,
              help="Large-print edition (body at least 16 pt, headings 20 pt): files named <handout>.large.pdf.")
@click.option("--bilingual", metavar="CODE", type=SecondLanguage(), default=None,
              help="Bilingual edition: each unit with its translation in CODE beneath it (<handout>.es-en.pdf).")
@click.option("--format", "formats", metavar="LIST", multiple=True, default=("pdf",), show_default=True,
              help="Output formats, comma-separated or repeated: pdf, html (the accessible HTML companion).")
@click.option("--project", "projects", multiple=True, type=ProjectFolder(),
              help="A handout project folder (holding handouts.yaml); repeat it to build several clinics in one "
                   "run.  [default: current directory]")
def build(handout_ids: tuple[str, ...], langs: tuple[str, ...], paper: str | None, out: Path | None,
          release: bool, jobs: int | None, force: bool, quiet: bool, watch: bool, large_print: bool,
          bilingual: str | None, formats: tuple[str, ...], projects: tuple[Path, ...]) -> None:
    """Render handouts to PDF or HTML (all handouts in all languages by default); unchanged files are kept.

    With several --project options, one pool of workers checks and renders them all, and nothing is written
    until every project passed; each project's files go to its own output folder (with --out DIR:
    DIR/<project folder name>)."""
    import os

    from generator.batch.many import build_many, output_folders
    from generator.build import Selection

    # `--format pdf --format html` is both (thirtieth pass: the last one alone was built, the PDF silently not)
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in ",".join(formats).split(",") if f.strip()))
    if not chosen:
        raise click.BadParameter("give at least one format: pdf, html", param_hint="--format")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    selection = Selection(handout_ids, langs, paper, out, release, min(jobs or cpus, cpus), force,
                          large_print, bilingual or "", chosen)
    roots = list(projects) or [Path(".")]
    if watch:
        if len(roots) > 1:
            raise click.UsageError("--watch follows one project; give one --project")
        from generator.build import well_formed
        from generator.watch import watch as run_watch

        with reported_errors(roots[0]):  # an --out or a name the watch could never settle with: refused first
            well_formed(selection)
            output_folders(roots, out)
        run_watch(roots[0], selection, echo)
        return
    show = not quiet and sys.stderr.isatty()
    with reported_errors(roots[0] if len(roots) == 1 else Path(".")), _progress(show, len(roots)) as progress:
        folders = output_folders(roots, out)
        reports = build_many(roots, selection, progress)
    for root, folder, report in zip(roots, folders, reports, strict=True):
        if len(roots) > 1:
            for warning in report.warnings:
                echo(f"{shown(root)}: {warning.format()}", err=True)
        else:
            print_warnings(report.warnings)
        echo(f"{report.summary()} (output: {shown(folder)})")
    if len(roots) > 1:
        built, skipped = sum(len(r.built) for r in reports), sum(len(r.skipped) for r in reports)
        seconds = max(r.seconds for r in reports)
        echo(f"{len(roots)} projects: built {built}, skipped {skipped}, failed 0 in {seconds:.2f} s")
    warn_unusable_cache()


@contextmanager
def _progress(show: bool, projects: int) -> Iterator[Callable[[int, int], Callable[[int], None]] | None]:
    """A progress bar on a terminal; nothing when output is redirected or --quiet."""
    if not show:
        yield None
        return
    bars: list = []

    def start(todo: int, total: int) -> Callable[[int], None]:
        # One project: files to render of all its files; several: projects checked and rendered.
        label = f"rendering {todo} of {total}" if projects == 1 else f"{todo} projects"
        bar = click.progressbar(length=todo, label=label, file=sys.stderr)
        bars.append(bar.__enter__())
        return bars[0].update

    try:
        yield start
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


@main.command()
@click.argument("folder", type=ProjectFolder(file_okay=True))  # a file there: init says so itself
def init(folder: Path) -> None:
    """Create a new clinic project in FOLDER: settings to fill in, the shipped content, and a README."""
    from generator.scaffold import ScaffoldError, create

    try:
        written = create(folder)
    except ScaffoldError as exc:
        echo(f"error: {shown(exc)}", err=True)
        sys.exit(1)
    echo(f"created {shown(folder)}: {len(written)} files")
    echo(f"next: edit {shown(folder / 'handouts.yaml')} (replace every value marked '(replace)'), "
         f"then run: cd {_for_shell(folder)} && handouts build")


def _for_shell(folder: Path) -> str:
    """A folder as a shell command's argument, to paste: quoted, never an option (`cd -` goes back), one line."""
    import shlex

    text = str(folder)
    return shown(shlex.quote(text if not text.startswith("-") else f"./{text}"))


@main.command()
@project_option
def check(project: Path) -> None:
    """Validate content, settings, placeholders and fonts without writing anything."""
    from generator.incremental import check as run_check

    with reported_errors(project):
        checked = run_check(project)  # from the check cache when no input changed today
    print_warnings(checked.warnings)
    note = (" (nothing changed since the last check)" if checked.cached else
            f" (glyphs and footers of {', '.join(checked.unchanged)} unchanged since the last check)"
            if checked.unchanged else "")
    echo(f"ok: {checked.handouts} handout file(s) in {checked.languages} language(s), no errors{note}")


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
