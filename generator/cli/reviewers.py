"""Medical reviewers' commands: approve content, verify a printed handout."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from generator.cli.common import echo, main, reported_errors, shown, warn_unusable_log
from generator.cli.params import project_option


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviewer", required=True, help="The reviewer's name, as it should be recorded.")
@click.option("--role", required=True, help="Credentials or role, e.g. \"MD, psychiatrist\".")
@click.option("--next-review", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the next review (YYYY-MM-DD).  [default: in 12 months]")
@click.option("--fingerprint", "read", multiple=True, metavar="HEX",
              help="The fingerprint printed in the footer of the handout you read (repeat for several): a handout "
                   "whose text changed since is refused.")
@project_option
def approve(paths: tuple[Path, ...], reviewer: str, role: str, next_review: object, read: tuple[str, ...],
            project: Path) -> None:
    """Record an approval of content files exactly as they are now (in each file's review: block)."""
    from datetime import datetime

    from generator.review.approve import approve as run_approve

    due = next_review.date() if isinstance(next_review, datetime) else None
    with reported_errors(project):
        unique = list({path.resolve(): path for path in paths}.values())  # one file once, however it is spelt
        done = run_approve(project, unique, reviewer, role, due, date.today(), _drawable(project), _too_wide(project),
                           read)
    for path, fingerprint, stale in done:  # compare with the footer of the pages read
        echo(f"approved: {shown(path)} (fingerprint {fingerprint})")
        if stale:  # recorded, but it does not make the handout current (twenty-fourth pass)
            echo(f"warning: {shown(path)} is a translation out of date (its source changed since it was translated): "
                 "its handouts still print \"translation out of date\" and `build --release` refuses them until a "
                 "translator brings it in step (`handouts translate sync`, then `translate done`)", err=True)


def _drawable(project: Path) -> Callable[[str, str], str]:
    """Whether a language's fonts (templates/fonts.yaml) can draw a text: a reviewer's name is printed."""
    def check(text: str, lang: str) -> str:
        from generator.render import fonts, template
        from generator.render.checks import undrawable

        return undrawable(text, fonts.load_config(template.find(project, "fonts.yaml")).for_lang(lang))

    return check


def _too_wide(project: Path) -> Callable[[dict[Path, str], date], list[str]]:
    """Why a footer could not hold the approval lines of the files approve is about to write (in points)."""
    def check(texts: dict[Path, str], today: date) -> list[str]:
        from generator.render.footerfit import approval_too_wide

        return approval_too_wide(project, texts, today)

    return check


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
def verify(pdfs: tuple[Path, ...], project: Path) -> None:
    """Check PDFs against current content and the files built from it: current (identical), altered, outdated
    or unknown (exit 0 only if all are current)."""
    from datetime import date

    from generator.authentic import checker
    from generator.content.project import load_or_raise
    from generator.review.verify import CURRENT
    from generator.review.verify import verify as run_verify

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
        authentic = checker(loaded, Path(loaded.root), date.today())
        verdicts = [run_verify(loaded, pdf, date.today(), authentic) for pdf in dict.fromkeys(pdfs)]
    for verdict in verdicts:
        echo(verdict.format())
    warn_unusable_log()  # "built here earlier" cannot be told without the log
    if any(v.status != CURRENT for v in verdicts):
        sys.exit(1)


@main.command()
@click.argument("handout_id", metavar="HANDOUT")
@click.option("--lang", default=None, metavar="CODE", help="A translation (default: the source language).")
@project_option
def sources(handout_id: str, lang: str | None, project: Path) -> None:
    """Each statement of HANDOUT with the sources it rests on (title, address, date checked)."""
    from generator.content import names
    from generator.content.claims import report
    from generator.content.project import load_or_raise

    with reported_errors(project):
        loaded, _ = load_or_raise(project)
        lang = loaded.settings.source_language if lang is None else lang  # `--lang=` is no code, not the default
        names.handout(handout_id, loaded.handout_ids())
        names.language(lang, dict.fromkeys([loaded.settings.source_language, *loaded.settings.languages]), "--lang",
                       Path(loaded.root))
    for line in report(loaded.handout(handout_id, lang)):
        echo(line)
