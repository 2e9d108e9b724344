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
    from generator.build import UsageProblem
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
    except (FontConfigError, StyleError, TemplateError, WriteError) as exc:
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
@project_option
def build(handout_ids: tuple[str, ...], langs: tuple[str, ...], paper: str | None, out: Path | None,
          project: Path) -> None:
    """Render handouts to PDF (all handouts in all languages by default)."""
    from generator.build import Selection
    from generator.build import build as run_build

    with reported_errors():
        outputs, warnings = run_build(project, Selection(handout_ids, langs, paper, out))
    _print_warnings(warnings)
    folder = out or project / "output"
    click.echo(f"built {len(outputs)} PDF(s) in {folder} (manifest: {folder / 'manifest.json'})")


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
    from generator.project import load_or_raise

    with reported_errors():
        loaded, _ = load_or_raise(project)
    rows = [(h.id, h.lang, h.version, h.review.status) for h in loaded.handouts
            if h.lang in loaded.settings.languages]
    _table(["handout", "lang", "version", "review"], rows, click.echo)


def _table(header: list[str], rows: list[tuple[str, ...]], echo: Callable[[str], None]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(header), *rows]) for i in range(len(header))]
    for row in [tuple(header), *rows]:
        echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
