"""Printing through CUPS with its own command-line clients (`lp`, `lpstat`, `lpoptions`): the printer is
checked first, both sides are used when the printer can, and the job ID is reported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from generator.content.problems import Problem

MAX_COPIES = 50
TIMEOUT = 30  # seconds for any CUPS client call; a scheduler that does not answer is an error, not a hang
# CUPS queue names: printable, no space, slash, backslash, hash, quotes or comma; at most 127 bytes. \Z: "$" would
# take a trailing line break.
_QUEUE_NAME = re.compile(r"^[^\s/\\#'\",\x00-\x1f\x7f-]([^\s/\\#'\",\x00-\x1f\x7f]{0,126})\Z")
_JOB_ID = re.compile(r"request id is (\S+)")


class PrintError(Exception):
    """CUPS, its scheduler or the printer is missing, or `lp` refused the job; the message says which."""


class PrintUnconfirmed(PrintError):
    """`lp` was given the PDF but did not answer: the job may have been queued (and print) or not."""


@dataclass(frozen=True)
class PrintJob:
    """A job CUPS accepted."""

    job_id: str
    printer: str
    copies: int
    two_sided: bool

    def describe(self) -> str:
        sides = "two-sided" if self.two_sided else "one-sided (the printer cannot print both sides)"
        return f"job {self.job_id} on {self.printer}: {self.copies} {'copy' if self.copies == 1 else 'copies'}, {sides}"


def valid_printer_name(name: str) -> bool:
    """Whether a name can be a CUPS queue (and so never an option to `lp`)."""
    return bool(_QUEUE_NAME.match(name))


def _tool(name: str) -> str | None:
    """A CUPS program found in PATH's absolute folders only: an empty or relative entry (`PATH=$EXTRA:$PATH` with
    EXTRA unset, `PATH=.:$PATH`) is the folder the command runs in, a project's, whose own `lpstat` then ran
    (twenty-second pass; the twenty-first closed the same door for PYTHONPATH)."""
    folders = [f for f in os.environ.get("PATH", os.defpath).split(os.pathsep) if os.path.isabs(f)]
    return shutil.which(name, path=os.pathsep.join(folders))


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # CUPS translates its messages; they are parsed here
    program = _tool(args[0])
    if program is None:
        raise PrintError(f"CUPS is not installed: no '{args[0]}' command; install the CUPS client (Debian: apt-get "
                         "install cups-client cups-bsd), or download the PDF and print it from a PDF viewer")
    try:
        return subprocess.run([program, *args[1:]], input=data, capture_output=True, timeout=TIMEOUT, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        if args[0] == "lp":  # it had the PDF: CUPS may have queued the job and print it, unsaid
            raise PrintUnconfirmed(f"CUPS did not confirm the job within {TIMEOUT} s (lp), so it may or may not "
                                   f"print; look at the printer's queue (lpstat -o) before printing again, and "
                                   "check that cupsd is running and not stuck") from None
        raise PrintError(f"CUPS did not answer within {TIMEOUT} s ({args[0]}); check that cupsd is running "
                         "and not stuck") from None
    except OSError as exc:
        raise PrintError(f"cannot run {args[0]} ({exc.strerror or exc})") from None


def _text(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace").strip()


def choose_printer(requested: str) -> str:
    """The printer to use: the one asked for, else CUPS's default; each checked to exist and accept jobs."""
    if requested and not valid_printer_name(requested):
        raise PrintError(f"'{requested[:80]}' is not a valid CUPS printer name; list the printers with lpstat -p")
    for tool in ("lp", "lpstat"):
        if _tool(tool) is None:
            raise PrintError(f"CUPS is not installed: no '{tool}' command; install the CUPS client "
                             "(Debian: apt-get install cups-client cups-bsd), or download the PDF and print it "
                             "from a PDF viewer")
    scheduler = _run(["lpstat", "-r"])
    if "not running" in _text(scheduler) or scheduler.returncode != 0:
        raise PrintError("the CUPS scheduler (cupsd) is not running; start it (e.g. service cups start, "
                         "or cupsd as root)")
    name = requested
    if not name:
        found = re.search(r"system default destination: (\S+)", _text(_run(["lpstat", "-d"])))
        if not found:
            raise PrintError("no printer given and CUPS has no default printer; pass --printer NAME, set "
                             "printer: in handouts.yaml, or choose a default with lpoptions -d NAME")
        name = found.group(1)
    state = _run(["lpstat", "-p", name])
    if state.returncode != 0 or not _text(state).startswith(f"printer {name} "):
        names = re.findall(r"^printer (\S+) ", _text(_run(["lpstat", "-p"])), flags=re.MULTILINE)
        shown = ", ".join(names) if names else "none"
        raise PrintError(f"CUPS has no printer named '{name}'; printers: {shown}")
    if "disabled" in _text(state):
        raise PrintError(f"printer '{name}' is disabled in CUPS; enable it with cupsenable {name}")
    return name


def supports_two_sided(printer: str) -> bool:
    """Whether the printer's driver offers long-edge duplex (its Duplex option has DuplexNoTumble) and, where
    the duplex unit is an installable option, it is marked installed."""
    lines = _text(_run(["lpoptions", "-p", printer, "-l"])).splitlines()
    offered = any(line.startswith("Duplex/") and "DuplexNoTumble" in line for line in lines)
    absent = any("Duplexer" in line.split(":", 1)[0] and "*False" in line for line in lines)
    return offered and not absent


def print_pdf(data: bytes, printer: str, copies: int, title: str) -> PrintJob:
    """Send a PDF to CUPS (`lp`), both sides when the printer can; returns the job CUPS created."""
    if not 1 <= copies <= MAX_COPIES:
        raise PrintError(f"copies must be between 1 and {MAX_COPIES}")
    name = choose_printer(printer)
    two_sided = supports_two_sided(name)
    safe_title = re.sub(r"[^\w .()-]", "", title)[:100] or "handout"
    args = ["lp", "-d", name, "-n", str(copies), "-t", safe_title]
    if two_sided:
        args += ["-o", "sides=two-sided-long-edge"]
    result = _run(args, data)  # the PDF on standard input (lp reads it when no file is named): no temp file
    found = _JOB_ID.search(_text(result))
    if result.returncode != 0 or not found:
        raise PrintError(f"CUPS refused the job on '{name}': {_text(result)[:300] or 'no message'}")
    return PrintJob(found.group(1), name, copies, two_sided)


@dataclass(frozen=True)
class Printed:
    """What `handouts print` sent: the file, the CUPS job, the copy's review state and the build's warnings."""

    file: str
    job: PrintJob
    review_status: str
    warnings: list[Problem]


def print_handout(root: Path, handout: str, lang: str, copies: int, printer: str, large_print: bool = False,
                  bilingual: str = "", paper: str | None = None, out: Path | None = None, release: bool = False
                  ) -> Printed:
    """`handouts print`: check the arguments and the printer, build the PDF if needed (with `handouts build`'s
    code; `release` refuses what is not approved, as `build --release`), then send the file the manifest vouches
    for to CUPS."""
    from generator.build import Selection, build, select
    from generator.content.outputplace import default_output
    from generator.content.project import load_or_raise
    from generator.serve.ondemand import NotServable, read_listed

    if not 1 <= copies <= MAX_COPIES:
        raise PrintError(f"copies must be between 1 and {MAX_COPIES}")
    selection = Selection(handouts=(handout,), langs=(lang,), paper=paper, out=out, jobs=1, release=release,
                          large_print=large_print, bilingual=bilingual, formats=("pdf",))
    project, _ = load_or_raise(root)
    select(project, selection)  # an unknown handout or language is a usage error before anything else
    name = choose_printer(printer or project.settings.printer)
    file = selection.edition.file(handout, lang, "pdf")
    with ExitStack() as stack:
        if (paper or project.settings.paper) != project.settings.paper:
            # The output folder holds the project's paper only (its files' names do not say the paper), as the
            # desk's: a visitor's A4 copy replaced a Letter clinic's output/LANG/ID.pdf (seventeenth pass)
            out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="handouts-print-")))
            selection = replace(selection, out=out)
        report = build(root, selection)
        try:
            served = read_listed(out or default_output(root), file)
        except NotServable as exc:
            raise PrintError(f"not printed: {exc}; build again") from None
    job = print_pdf(served.data, name, copies, f"{handout} ({lang})")
    return Printed(file, job, str(served.entry.get("review_status", "")), report.warnings)
