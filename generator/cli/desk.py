"""The front desk's commands: serve (the local web page) and print (through CUPS)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import echo, main, print_warnings, reported_errors, shown
from generator.cli.params import PAPER, OutFolder, SecondLanguage, project_option


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything that is not this computer (127.0.0.1, ::1) prints a warning.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--release", is_flag=True, help="Offer only approved handouts: drafts are not shown at all.")
@click.option("--printer", metavar="NAME", default="",
              help="CUPS printer for the Print button.  [default: printer: in handouts.yaml; "
                   "none: Print opens the PDF]")
@click.option("--out", type=OutFolder(), default=None,
              help="Output folder the PDFs are built into.  [default: PROJECT/output]")
@project_option
def serve(host: str, port: int, release: bool, printer: str, out: Path | None, project: Path) -> None:
    """The front desk: a local web page to find, preview, download and print handouts, and the /verify page
    that a printed QR code opens. Read-only for content; PDFs are built on demand."""
    from generator.serve.printing import PrintError
    from generator.serve.server import serve as run_serve

    with reported_errors(project):
        try:
            run_serve(project, host, port, release, out, printer, echo, lambda text: echo(shown(text), err=True))
        except (PrintError, OSError) as exc:
            echo(f"error: {shown(getattr(exc, 'strerror', None) or exc)}{_listen_fix(exc, host, port)}", err=True)
            sys.exit(1)


def _listen_fix(exc: Exception, host: str, port: int) -> str:
    """How to fix an address the desk cannot listen on (a port in use: thirtieth pass), or nothing."""
    import errno

    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if getattr(exc, "errno", None) == errno.EADDRINUSE:
        return (f" ({shown(where)}); another program listens there (a desk left running in another window?): "
                "stop it, or choose another port with --port")
    if getattr(exc, "errno", None) in (errno.EADDRNOTAVAIL, errno.EACCES):
        return f" ({shown(where)}); give --host 127.0.0.1, or a port of 1024 or more with --port"
    return ""


@main.command(name="print")
@click.argument("handout_id", metavar="HANDOUT")
@click.option("--lang", required=True, metavar="CODE", help="The patient's language.")
@click.option("--copies", type=click.IntRange(1, 50), default=1, show_default=True, help="Number of copies.")
@click.option("--printer", metavar="NAME", default="",
              help="CUPS printer.  [default: printer: in handouts.yaml, else CUPS's default printer]")
@click.option("--large-print", is_flag=True, help="Print the large-print edition.")
@click.option("--bilingual", metavar="CODE", type=SecondLanguage(), default=None,
              help="Print the bilingual edition with CODE beneath.")
@click.option("--paper", type=PAPER, default=None, help="Paper size; overrides handouts.yaml.")
@click.option("--out", type=OutFolder(), default=None,
              help="Output folder.  [default: PROJECT/output]")
@click.option("--release", is_flag=True,
              help="Print only approved content, as build --release: a draft is refused, not printed.")
@project_option
def print_handout(handout_id: str, lang: str, copies: int, printer: str, large_print: bool, bilingual: str | None,
                  paper: str | None, out: Path | None, release: bool, project: Path) -> None:
    """Print a handout through CUPS (built first if missing or out of date); both sides when the printer can."""
    from generator.serve.printing import PrintError, PrintUnconfirmed
    from generator.serve.printing import print_handout as run_print

    with reported_errors(project):
        try:
            printed = run_print(project, handout_id, lang, copies, printer, large_print, bilingual or "", paper,
                                out, release)
        except PrintError as exc:
            echo(f"error: {shown(exc)}", err=True)
            if not isinstance(exc, PrintUnconfirmed):  # lp had the PDF: it may print
                echo("nothing was printed.", err=True)
            sys.exit(1)
    print_warnings(printed.warnings)
    echo(f"printed {shown(printed.file)}: {printed.job.describe()}")
    # The copy says so on every page; staff handing it out should hear it too.
    if (state := printed.review_status) != "approved":
        echo(f"warning: the printed copy is not approved ({shown(state)}): it is marked DRAFT on every page; "
             "print --release prints only approved handouts", err=True)
