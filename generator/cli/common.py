"""What every command shares: the `handouts` group, the --project option, errors turned into exit codes."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator import __version__
from generator.cli import crash
from generator.cli.once import OnceCommand
from generator.content import files
from generator.content.problems import printable

MAX_LINE = 2_000  # characters of one printed line


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Print like click.echo, each line with its invisible characters escaped and cut to a sane length:
    nothing read from a project or a file (a name, a PDF's metadata) can drive or flood the terminal."""
    lines = []
    for line in str(message).split("\n"):
        said = printable(line)
        lines.append(said if len(said) <= MAX_LINE else said[:MAX_LINE] + " …")
    click.echo("\n".join(lines), err=err, nl=nl)


def shown(path: object) -> str:
    """A path, name or error's words for a message: one line whatever it holds (a folder named "x\\nok: done" must
    not print a line of its own: an output folder so named printed a verdict line, seventeenth pass), invisible
    characters escaped."""
    return printable(str(path))


def document(text: str) -> None:
    """Print a whole file (an export to standard output): exactly as written when redirected to a file or a
    pipe, which must get every byte; on a terminal like every other message (escaped, lines cut)."""
    if sys.stdout.isatty():
        echo(text, nl=False)
    elif hasattr(sys.stdout, "buffer"):  # UTF-8 whatever the locale says: the file's own header says UTF-8
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@contextmanager
def reported_errors(root: Path | None = None) -> Iterator[None]:
    """Turn expected failures into messages on stderr and exit codes: 1 for content, 2 for usage."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - sorted by _report; anything unexpected is raised again
        _report(exc, root)
        raise


_REPORTED = (("generator.build", "ReleaseRefused"), ("generator.build", "RenderFailed"),
             ("generator.build", "UsageProblem"), ("generator.content.files", "FileRefused"),
             ("generator.content.files", "WriteError"), ("generator.content.names", "BadName"),
             ("generator.content.problems", "ContentError"), ("generator.render.fonts", "FontConfigError"),
             ("generator.render.styles", "StyleError"), ("generator.render.template", "TemplateError"),
             ("generator.review.approve", "ApproveError"), ("generator.translators.sync", "TranslateError"))


class _NeverRaised(Exception):
    """Stands for an exception class whose module was never loaded."""


def _loaded_classes() -> list[type[Exception]]:
    return [getattr(sys.modules[module], name) if module in sys.modules else _NeverRaised
            for module, name in _REPORTED]


def _report(exc: Exception, root: Path | None) -> None:
    """Print an expected failure and exit; return (so that it is raised again) for anything else.

    The exception classes are looked up only here, and only in modules already loaded (an exception of a
    module never imported cannot have been raised): a command that succeeds never loads them, and a command
    that ran out of memory does not need memory to import them before it can say so."""
    (ReleaseRefused, RenderFailed, UsageProblem, FileRefused, WriteError, BadName, ContentError, FontConfigError,
     StyleError, TemplateError, ApproveError, TranslateError) = _loaded_classes()

    if isinstance(exc, ContentError):
        from generator.content.problems import excerpt, listed, new_report

        new_report()
        listing, more = listed(exc.problems)
        for problem in listing:
            echo(problem.format(), err=True)
            for line in excerpt(problem, str(root or ".")):
                echo(line, err=True)
        for line in more:
            echo(line, err=True)
        echo(f"{len(exc.problems)} error(s); nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, (UsageProblem, BadName)):
        raise click.UsageError(str(exc)) from None
    if isinstance(exc, ReleaseRefused):
        for reason in exc.reasons:
            echo(f"not approved: {shown(reason)}", err=True)
        outcome = "nothing was printed" if _command() == "print" else "nothing was written"
        echo(f"release refused: {len(exc.reasons)} file(s) not approved; {outcome}.", err=True)
        sys.exit(1)
    if isinstance(exc, (ApproveError, TranslateError)):
        echo(f"error: {shown(exc)}", err=True)
        echo("nothing was changed.", err=True)
        sys.exit(1)
    if isinstance(exc, FileRefused) and exc.path:  # raised where no caller named the file: name it here
        echo(f"error: {_shown(exc.path, root)}: {shown(exc)}", err=True)
        echo("nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, (FontConfigError, StyleError, TemplateError)):  # one line: they quote settings' values
        echo(f"error: {shown(exc)}", err=True)  # a style name "bo\nok: … no errors" printed a line
        echo("nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, (WriteError, RenderFailed, FileRefused)):
        echo(f"error: {shown(exc)}", err=True)
        echo("nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, OSError) and not exc.filename and exc.errno in (errno.ENOSPC, errno.EPIPE, errno.EIO):
        echo(f"error: the output cannot be written ({shown(exc.strerror or exc)}); free some space, or write "
             "it elsewhere", err=True)
        sys.exit(1)
    if isinstance(exc, OSError) and not exc.filename and not _cwd_exists():  # deleted under the shell (twentieth pass)
        echo("error: the current folder no longer exists (deleted, moved or replaced since this shell entered it); "
             "cd into the project again, or pass --project with a full path", err=True)
        echo("nothing was written.", err=True)
        sys.exit(1)
    if isinstance(exc, OSError):  # a folder or file the system will not let us read (mode 000): no traceback
        where = _shown(str(exc.filename), root) if exc.filename else "a file"
        echo(f"error: {where}: cannot be read ({shown(exc.strerror or exc)}); check its permissions",
             err=True)
        echo("nothing was written.", err=True)
        sys.exit(1)


def _cwd_exists() -> bool:
    """Whether the folder the command runs in still exists."""
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def _shown(path: str, root: Path | None) -> str:
    """A path as the user knows it: relative to the project when inside it, on one line (see `shown`)."""
    try:
        return shown(Path(path).resolve().relative_to(Path(root or ".").resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (nineteenth pass: a traceback)
        return shown(path)


def _pin_reportlab() -> None:
    """ReportLab's `RL_*` environment variables dropped before ReportLab is imported (by this process or the build's
    workers): `RL_pageCompression=0` or `RL_ttfAsciiReadable=0` changed every PDF's bytes, so a fresh render
    elsewhere called an authentic file altered (nineteenth pass). Builds depend on the project alone. So for
    `SOURCE_DATE_EPOCH` (set by Nix, Debian packaging, reproducible CI), which ReportLab reads for every PDF's dates
    over its invariant mode: an authentic file built there was "outdated" elsewhere, and `abc` failed every build
    blaming the content (twentieth pass); and for arabic_reshaper's configuration file, read from outside the
    project, whose settings changed every Arabic PDF (and how its letters print)."""
    for name in [name for name in os.environ if name.startswith("RL_") or name in _DROPPED_SETTINGS]:
        del os.environ[name]
    _no_module_in_no_file()


def _no_project_on_path() -> None:
    """Python's path without the folder the command runs in: PYTHONPATH's empty entry (`export
    PYTHONPATH=$PYTHONPATH:/x` with it unset leaves ":/x") or `.` put that folder — a project's — before every
    library, and ReportLab's start-up imported the project's `reportlab_settings.py`: a project ran code (twenty-first
    pass; `python -m generator` the same, nineteenth: `__main__.py`). That folder is taken off the path; a folder
    inside it that PYTHONPATH names (`./deps` of `pip install --target`, `src`) goes after the libraries, and
    ReportLab's two start-up hooks are never taken from the project. Libraries are imported after this, lazily."""
    import importlib.machinery
    import types

    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the folder is gone: nothing can be imported from it
        return

    def inside(path: str) -> bool:
        real = os.path.realpath(path or ".")
        return real == here or real.startswith(here.rstrip(os.sep) + os.sep)

    named = os.environ.get("PYTHONPATH", "")
    from_env = {os.path.realpath(os.path.abspath(e or ".")) for e in named.split(os.pathsep)} if named else set()
    below = [e for e in sys.path if e and os.path.realpath(e) in from_env and inside(e)]
    kept = [e for e in sys.path if e and e not in below]
    sys.path[:] = kept + [e for e in below if os.path.realpath(e) != here]
    for name in ("reportlab_settings", "reportlab_mods"):
        found = importlib.machinery.PathFinder.find_spec(name)
        if found is not None and found.origin and inside(found.origin):
            sys.modules.setdefault(name, types.ModuleType(name))


def _no_module_in_no_file() -> None:
    """ReportLab's import runs `~/.reportlab_mods` (and reads `~/.reportlab_settings`), passing over only a missing
    file: `HOME=/dev/null` (the usual way to run a tool without a user's configuration), HOME a file, or such a
    name a folder or a pipe failed (or held) every command that draws, `translate review` blaming its output
    (twenty-first pass). What is not a regular file there is no module: ReportLab is given an empty one instead."""
    import stat
    import types

    for name in ("reportlab_mods", "reportlab_settings"):
        try:
            regular = stat.S_ISREG(os.stat(os.path.join(os.path.expanduser("~"), "." + name)).st_mode)
        except FileNotFoundError:  # ReportLab passes over a missing file itself
            continue
        except (OSError, ValueError):  # HOME a file (ENOTDIR), a link loop, a NUL in HOME
            regular = False
        if not regular:
            sys.modules.setdefault(name, types.ModuleType(name))


# Environment variables libraries read that change what a command writes or prints (besides ReportLab's RL_*):
# what a PDF holds; ruamel.yaml's debugging switches, which printed its whole parse to standard output unfiltered
# (24,000 lines for a `translate sync`) or, not a number, ended in a traceback or blamed a content file; and Flask's
# debug mode for the desk.
_DROPPED_SETTINGS = frozenset({"SOURCE_DATE_EPOCH", "PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE", "RUAMEL_DEBUG",
                               "YAMLDEBUG", "FLASK_DEBUG"})


def _command() -> str:
    """The subcommand running (`print`, `build`, …), or '' outside one."""
    context = click.get_current_context(silent=True)
    return context.info_name or "" if context is not None else ""


def print_warnings(warnings: list) -> None:
    """Each of a check's or build's warnings on stderr, one a line."""
    for warning in warnings:
        echo(warning.format(), err=True)


def warn_unusable_cache() -> None:
    """Say, once a build is done, that the cache folder could not be used: a build in a cache folder others can
    write used no seal key and no check cache, so the next build rendered everything again, unsaid."""
    from generator.content.seal import cache_refused

    if reason := cache_refused():
        echo(f"warning: the cache folder cannot be used ({shown(reason)}): every build renders every handout "
             "again and `handouts verify` cannot tell files built here; set HANDOUTS_CACHE_DIR to a folder of your "
             "own that only you can write (e.g. ~/.cache/patient-handouts)", err=True)
    else:
        warn_unusable_log()


def warn_unusable_log(log: str = "built.log") -> None:
    """One line when a log of the cache folder is no file (a link, a folder, a pipe): never read nor written."""
    from generator.content.seal import unusable_log

    if said := unusable_log(log):
        what = "the files built here: `handouts verify` cannot recognise them later" if log == "built.log" else \
            "what imports wrote: a later import of the same file takes its own earlier import for a change"
        echo(f"warning: {shown(said)}, not the cache's log of {what}; remove it (it is made again)", err=True)


@contextmanager
def _escaped_usage_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException as exc:
        said = printable(exc.message)
        exc.message = said if len(said) <= MAX_LINE else said[:MAX_LINE] + " …"
        raise


class SafeGroup(click.Group):
    """The `handouts` group: a usage error quotes what was typed (an unknown command, option or value), with
    its invisible characters escaped like every other printed line (it could hold escape sequences)."""

    command_class = OnceCommand

    def make_context(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with _escaped_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        files.new_command()  # what an earlier command in this process read is no basis for this one's writes
        with _escaped_usage_errors():
            return super().invoke(ctx)

    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Click's main, with standard output that cannot be written (closed, or a full disk behind `>`) a clear
        error and exit 1, never a traceback (nor Python's own complaint when it flushes at exit)."""
        if sys.stdout is None:
            sys.stderr.write("error: there is no standard output (it is closed); run the command with its output "
                             "going to a terminal or a file, or use --output FILE where the command has it\n")
            sys.exit(1)
        for stream in (sys.stdout, sys.stderr):
            # A terminal or pipe in a narrower encoding (ISO-8859-1) gets \u2014 for what it cannot show, never
            # a UnicodeEncodeError traceback (fifth pass).
            if stream is not None and hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        _no_project_on_path()
        _pin_reportlab()
        code: object = 0
        try:
            super().main(*args, **kwargs)
        except SystemExit as exc:
            code = exc.code
        except OSError as exc:
            code = _output_failed(exc)
        except Exception as exc:  # noqa: BLE001 - a bug: said in plain words, never a traceback (cli/crash.py)
            if crash.wanted():
                raise
            code = crash.crashed(exc)
        try:
            sys.stdout.flush()
        except OSError as exc:
            code = _output_failed(exc)
        sys.exit(code)


def _output_failed(exc: OSError) -> int:
    """Say that the output could not be written; point stdout at nothing, so no later flush fails again. An error
    naming a file, or with the folder the command runs in gone, is said for what it is (twenty-third pass: a watch
    whose project was deleted blamed its output and the disk)."""
    if exc.filename or not _cwd_exists():
        try:
            _report(exc, None)
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 1
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass
    sys.stderr.write(f"error: the output cannot be written ({exc.strerror or exc}); free some space, or write "
                     "it elsewhere\n")
    return 1


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="patient-handouts")
def main() -> None:
    """Build print-ready patient handouts from reviewed YAML content."""


def table(header: list[str], rows: list[tuple[str, ...]], echo: Callable[[str], None]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(header), *rows]) for i in range(len(header))]
    for row in [tuple(header), *rows]:
        echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
