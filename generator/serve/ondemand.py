"""Files served on demand: a PDF or HTML companion that is missing or out of date is built first, with the same
code as `handouts build` (incremental: an unchanged file is kept), then read back only if the manifest vouches
for it.

One build runs at a time in the server (the build pipeline keeps per-build state in its module, and ReportLab
is not written for threads): concurrent requests for the same file wait for the first one's build, then find
the file current and do not build it again.
"""

from __future__ import annotations

import hashlib
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.build import Edition, Selection, build, is_built
from generator.content.files import FileRefused, read_bytes
from generator.content.model import Project
from generator.content.outputplace import default_output
from generator.content.seal import is_sealed
from generator.render.write import read_manifest

MAX_FILE_BYTES = 50_000_000  # a handout PDF is a few hundred kilobytes


class NotServable(Exception):
    """The built file is not one the manifest vouches for (changed, replaced by a link, missing)."""


@dataclass(frozen=True)
class Served:
    """A built file's bytes and its manifest entry (pages, version, review state, ...)."""

    data: bytes
    entry: dict[str, object]


class Builder:
    """Builds and reads output files for the server, one build at a time."""

    def __init__(self, root: Path, out: Path | None, release: bool, log: Callable[[str], None]) -> None:
        self.root, self.given_out, self.release, self.log = root, out, release, log
        self._lock = threading.Lock()

    def get(self, project: Project, handout: str, lang: str, edition: Edition, paper: str, fmt: str = "pdf"
            ) -> Served:
        """The file's bytes, built first when missing or out of date; build errors propagate as in `build`.
        `project` is the current load of the project, used to tell whether the file is current."""
        if paper != project.settings.paper:
            return self._elsewhere(project, handout, lang, edition, paper, fmt)
        # --out, or PROJECT/output checked at every build: a link put in its place while serving is refused.
        out = self.given_out or default_output(self.root)
        selection = Selection(handouts=(handout,), langs=(lang,), paper=paper, out=out,
                              release=self.release, jobs=1, large_print=edition.large_print,
                              bilingual=edition.second, formats=(fmt,))
        with self._lock:
            if is_built(project, self.root, handout, lang, paper, edition, fmt, out):
                return read_listed(out, edition.file(handout, lang, fmt))
            started = time.perf_counter()
            report = build(self.root, selection)
            for output in report.built:
                self.log(f"built {output.file} ({time.perf_counter() - started:.2f} s)")
            for warning in report.warnings:  # a changed file kept aside, the print-quality check's findings
                self.log(warning.format())
            return read_listed(out, edition.file(handout, lang, fmt))

    def _elsewhere(self, project: Project, handout: str, lang: str, edition: Edition, paper: str, fmt: str
                   ) -> Served:
        """A file on the other paper size: built into a folder of its own, read, and removed. The output folder
        holds the project's paper size only (its files' names do not say the paper): a request for A4 rebuilt
        the Letter PDF there on A4 (fifth pass)."""
        import tempfile

        with self._lock, tempfile.TemporaryDirectory(prefix="handouts-desk-") as folder:
            out = Path(folder)
            started = time.perf_counter()
            build(self.root, Selection(handouts=(handout,), langs=(lang,), paper=paper, out=out,
                                       release=self.release, jobs=1, large_print=edition.large_print,
                                       bilingual=edition.second, formats=(fmt,)))
            file = edition.file(handout, lang, fmt)
            self.log(f"built {file} on {paper}, not kept ({time.perf_counter() - started:.2f} s)")
            return read_listed(out, file)


def read_listed(out: Path, file: str, attempts: int = 3) -> Served:
    """A file's bytes, only if the output folder's manifest lists it and its sha256 matches; never a link,
    a folder or a device, never anything outside the output folder."""
    # A `handouts build` in a terminal may replace the file and the manifest between the two reads (its renames
    # take milliseconds; the desk's lock does not hold it): a mismatch is read again before it is an error.
    for _ in range(attempts - 1):
        try:
            return _read_listed_once(out, file)
        except NotServable:
            time.sleep(0.2)
    return _read_listed_once(out, file)


def _read_listed_once(out: Path, file: str) -> Served:
    entry = next((e for e in read_manifest(out) if e.get("file") == file), None)
    if entry is None:
        raise NotServable(f"{file} is not listed in the manifest")
    base = out.resolve()
    path = out / file
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise NotServable(f"{file} is not a regular file of a plausible size")
        if not path.resolve().is_relative_to(base):
            raise NotServable(f"{file} leads outside the output folder")
        data = read_bytes(path, MAX_FILE_BYTES)  # bounded, no link, no wait: the entry may change after lstat
    except FileRefused as exc:
        raise NotServable(f"{file} {exc.reason}") from None
    except OSError as exc:
        raise NotServable(f"{file} cannot be read ({exc.strerror or exc})") from None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256") or not is_sealed(entry):
        raise NotServable(f"{file} does not match its manifest entry, or the entry is not one this generator "
                          "wrote")
    return Served(data, entry)
