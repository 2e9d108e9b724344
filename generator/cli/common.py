"""What every command shares: the `handouts` group, the --project option, errors turned into exit codes."""

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
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - sorted by _report; anything unexpected is raised again
        _report(exc, root)
        raise


def _report(exc: Exception, root: Path | None) -> None:
    """Print an expected failure and exit; return (so that it is raised again) for anything else.

    The exception classes are imported only here: a command that succeeds (a no-op build, a cached check)
    never loads the modules that define them."""
    from generator.build import ReleaseRefused, RenderFailed, UsageProblem
    from generator.content.files import WriteError
    from generator.content.problems import ContentError
    from generator.render.fonts import FontConfigError
    from generator.render.styles import StyleError
    from generator.render.template import TemplateError
    from generator.review.approve import ApproveError
    from generator.translators.sync import TranslateError

    if isinstance(exc, ContentError):
        from generator.content.problems import excerpt

        for problem in exc.problems:
            click.echo(problem.format(), err=True)
            for line in excerpt(problem, str(root or ".")):
                click.echo(line, err=True)
        click.echo(f"{len(exc.problems)} error(s); nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, UsageProblem):
        raise click.UsageError(str(exc)) from None
    if isinstance(exc, ReleaseRefused):
        for reason in exc.reasons:
            click.echo(f"not approved: {reason}", err=True)
        click.echo(f"release refused: {len(exc.reasons)} file(s) not approved; nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, (ApproveError, TranslateError)):
        click.echo(f"error: {exc}", err=True)
        click.echo("nothing was changed.", err=True)
        sys.exit(1)
    if isinstance(exc, (FontConfigError, StyleError, TemplateError, WriteError, RenderFailed)):
        click.echo(f"error: {exc}", err=True)
        click.echo("nothing was written.", err=True)
        sys.exit(1)


def print_warnings(warnings: list) -> None:
    for warning in warnings:
        click.echo(warning.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="patient-handouts")
def main() -> None:
    """Build print-ready patient handouts from reviewed YAML content."""


def table(header: list[str], rows: list[tuple[str, ...]], echo: Callable[[str], None]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(header), *rows]) for i in range(len(header))]
    for row in [tuple(header), *rows]:
        echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
