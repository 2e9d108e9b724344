"""Write output files (PDF, HTML) and the manifest atomically: temp files first, renames once all are written.

One build writes into an output folder at a time: the writing phase holds an exclusive lock on
`<out>/.handouts.lock`, and a second build reaching it waits until the first has finished (rendering, which
takes most of the time, still runs side by side). Under the lock, temp files left by a build that was killed
are removed, and the manifest is re-read, so two builds never drop each other's entries.

At every moment each manifest entry's sha256 matches its file: before the first rename, entries of the files
about to be replaced are taken out of the manifest (an interim manifest); the full manifest is renamed into
place last. A build killed half-way therefore leaves PDFs that are each complete, and a manifest that vouches
only for what it can; the next build rebuilds whatever it does not vouch for.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from generator.content.files import (
    FileRefused,
    WriteError,
    existing_mode,
    read_bytes,
    refuse_unless_file,
    sync_folders,
    temp_beside,
)
from generator.content.makefolder import make_folder, refuse_in_the_way
from generator.content.seal import remember_built, sealed
from generator.content.uninterrupted import uninterrupted
from generator.render.keepaside import discard, keep_changed

MANIFEST = "manifest.json"
LOCK = ".handouts.lock"
MAX_MANIFEST_BYTES = 8_000_000  # a manifest entry is about 600 bytes: room for 13,000 files
# What an output file is called: LANG/ID[.LANG-LANG][.large].pdf|html (see build.Edition.file).
_OUTPUT_NAME = re.compile(r"[A-Za-z0-9-]+/[a-z0-9][a-z0-9-]*(\.[A-Za-z0-9-]+)*\.(pdf|html)")
# What _temp_beside creates for outputs (.NAME.pdf.XXXXXXXX.tmp): nothing else, even in a shared folder, is removed.
_TEMP_NAME = re.compile(r"^\.(.+\.(?:pdf|html)|manifest\.json)\.[a-z0-9_]{8}\.tmp\Z")


class Writable(Protocol):
    file: str
    data: bytes

    def entry(self) -> dict[str, object]: ...


def read_manifest(out: Path) -> list[dict[str, object]]:
    """The existing manifest's entries, or none when there is no manifest; a `manifest.json` this generator did not
    write is refused, never replaced: `build --out site` replaced a clinic's own web-app manifest without a word
    (eleventh pass)."""
    path = out / MANIFEST
    if not os.path.lexists(path):
        return []
    _regular_or_absent(path)
    try:
        data = json.loads(read_bytes(path, MAX_MANIFEST_BYTES).decode("utf-8"))
    except FileRefused as exc:
        if exc.size:  # never read a huge file into memory: no manifest of ours is that large
            raise _not_ours(path, f"it is larger than any manifest this generator writes ({exc})") from None
        raise WriteError(f"{path}: {exc}; nothing was changed") from None
    except (ValueError, RecursionError):
        raise _not_ours(path, "it is not JSON") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in data):
        raise _not_ours(path, "it is not a list of the files a build wrote")
    # Only entries naming an output file of ours, of plain values as ours are: a forged entry cannot point anywhere
    # else, nor hold a list where a name is looked up (`"handout": []` was a traceback: seventeenth pass). A file
    # listed twice (never by us) is listed by neither entry: rebuilt, whichever entry a reader would have taken.
    entries = [e for e in data if _OUTPUT_NAME.fullmatch(e["file"])
               and not any(isinstance(value, (list, dict)) for value in e.values())]
    counts = Counter(str(e["file"]) for e in entries)
    return [e for e in entries if counts[str(e["file"])] == 1]


def _not_ours(path: Path, why: str) -> WriteError:
    return WriteError(f"{path}: this manifest.json was not written by handouts ({why}); nothing was changed; move "
                      "it out of the folder, or build into another folder with --out")


def _regular_or_absent(path: Path) -> None:
    """Refuse an entry of the output folder that is a link, a named pipe, a device or a socket."""
    refuse_unless_file(path, False, "remove it from the output folder")


def _manifest_bytes(entries: dict[str, dict[str, object]]) -> bytes:
    return json.dumps(sorted(entries.values(), key=lambda e: str(e.get("file"))), indent=2,
                      ensure_ascii=False).encode("utf-8") + b"\n"


# How long a build waits for another one to finish writing into the same folder: writing is renames of files
# already rendered (seconds); anyone who can read the lock file can hold it (twentieth pass: builds and the desk
# waited for ever, silently).
LOCK_WAIT_SECONDS = 60.0


class LockHeld(WriteError):
    """Another process held the output folder's lock for longer than a build waits."""


@contextmanager
def _locked(out: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the output folder's write lock; a second build waits here for the first one to finish, at most `wait`
    seconds (LOCK_WAIT_SECONDS by default), then refuses with a WriteError."""
    make_folder(out)
    try:
        import fcntl
    except ImportError:  # no flock (Windows): writes stay atomic, builds are only not serialised
        yield
        return
    _regular_or_absent(out / LOCK)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(out / LOCK, flags, 0o666)  # never through a link
    try:
        _take(fd, out, LOCK_WAIT_SECONDS if wait is None else wait)  # released by the kernel if this process dies
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _take(fd: int, out: Path, wait: float) -> None:
    """Lock `fd` exclusively, trying until `wait` seconds have passed."""
    import fcntl
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockHeld(f"{out / LOCK}: another process has held this output folder's lock for over "
                                 f"{wait:g} s (a build still writing, or a program holding the file); nothing was "
                                 f"changed; wait for it to finish and build again, or find it with `fuser "
                                 f"{out / LOCK}`") from None
            time.sleep(0.05)


def _remove_stale_temps(out: Path) -> None:
    """Temp files of a build that was killed; only ever called under the lock, when no build is writing."""
    for folder in [out, *(p for p in out.iterdir() if p.is_dir() and not p.is_symlink())]:
        for path in folder.iterdir():
            if _TEMP_NAME.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def _remove_withdrawn(out: Path, files: Sequence[str]) -> None:
    """Remove files the manifest no longer lists: only regular files inside the output folder, named as outputs."""
    base = out.resolve()
    for file in files:
        path = out / file
        try:
            if _OUTPUT_NAME.fullmatch(file) and path.is_file() and not path.is_symlink() and \
                    path.parent.resolve().is_relative_to(base):
                path.unlink()
        except OSError:  # unlisted already: a file that stays is not one the manifest vouches for
            pass


def _check_targets(out: Path, files: list[str]) -> None:
    """Refuse, before anything is written, targets that a rename could not replace or that lead elsewhere."""
    base = out.resolve()
    for file in [*files, MANIFEST]:
        target = out / file
        if target.is_dir() and not target.is_symlink():
            raise WriteError(f"{target}: a folder is in the way of this output file; nothing was changed; "
                             "move it away")
        # A PDF or HTML file that is a link or a pipe is never opened: the rename replaces the entry itself with
        # the new file (nothing is written through it). The manifest is read, so it must be a regular file.
        if file == MANIFEST:
            _regular_or_absent(target)
        folder = target.parent
        refuse_in_the_way(folder)  # `output/en` a file or a pipe: named, before anything is written (33rd pass)
        while folder != out:  # a language folder that links to another (en -> es) would merge two outputs
            if folder.is_symlink():
                raise WriteError(f"{folder}: is a link, not a folder of its own; nothing was changed; remove the "
                                 "link (the build makes the folder)")
            folder = folder.parent
        if target.parent.exists() and not target.parent.resolve().is_relative_to(base):
            raise WriteError(f"{target.parent}: a link leads outside the output folder; nothing was changed; "
                             "remove the link")


def write_outputs(outputs: Sequence[Writable], out: Path, withdrawn: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Write every file and the updated manifest, or (on any failure) leave the output folder as it was; then
    remove the `withdrawn` files (unlisted first, so the manifest never lists a file that is gone). Returns the
    (file, copy) pairs of files changed since they were built, kept aside before being replaced."""
    if not outputs and not withdrawn:  # nothing to write; only tidy up after a killed build, where allowed
        if out.is_dir():
            try:
                with _locked(out, wait=0):  # only tidying: never worth waiting for
                    _remove_stale_temps(out)
            except (OSError, LockHeld):  # a lock file that is a link or a pipe is still refused (it passed unsaid
                # for a day: the twenty-first pass)
                pass
        return []
    try:
        with _locked(out):
            _remove_stale_temps(out)
            return _write_locked(outputs, out, withdrawn)
    except OSError as exc:
        raise WriteError(f"{out}: cannot write output ({exc.strerror or exc}); nothing was changed; "
                         "check free space and permissions, or choose another folder with --out") from None


def _write_locked(outputs: Sequence[Writable], out: Path, withdrawn: Sequence[str] = ()) -> list[tuple[str, str]]:
    files = [output.file for output in outputs]
    _check_targets(out, files)
    listed = {str(e.get("file")): e for e in read_manifest(out)}
    before = {file: entry for file, entry in listed.items() if file not in withdrawn}
    interim = {file: entry for file, entry in before.items() if file not in files}
    entries = dict(before)
    for output in outputs:
        entries[output.file] = sealed(output.entry())  # proof, kept outside the folder, that this build wrote it
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[str, str]] = []
    try:
        # A withdrawn file is removed after the renames: one changed since its build is kept aside first, as a
        # replaced one is (twenty-seventh pass: notes saved into a withdrawn handout's PDF were deleted with it).
        kept = keep_changed(out, [*files, *withdrawn], listed,
                            {output.file: hashlib.sha256(output.data).hexdigest() for output in outputs})
        for output in outputs:
            target = out / output.file
            staged.append((temp_beside(target, output.data, existing_mode(target)), target))
        manifest = out / MANIFEST
        staged.append((temp_beside(manifest, _manifest_bytes(entries), existing_mode(manifest)), manifest))
        if len(interim) < len(before):  # the manifest vouches for files about to change: not while they do
            os.replace(temp_beside(manifest, _manifest_bytes(interim), existing_mode(manifest)), manifest)
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        discard(out, kept)
        raise
    done = 0
    try:
        with uninterrupted():  # a Ctrl-C between two renames waits for the last of them
            for temp, target in staged:
                os.replace(temp, target)
                done += 1
    except OSError as exc:
        for temp, _ in staged[done:]:
            temp.unlink(missing_ok=True)
        replaced = min(done, len(outputs))
        actual = dict(before)
        actual.update((output.file, sealed(output.entry())) for output in outputs[:replaced])
        try:  # best effort: list the files as they now are; if this fails too, the interim manifest stays
            os.replace(temp_beside(out / MANIFEST, _manifest_bytes(actual), existing_mode(out / MANIFEST)),
                       out / MANIFEST)
        except OSError:
            pass
        raise WriteError(f"{out}: output only partly written ({exc.strerror or exc}): {replaced} of "
                         f"{len(outputs)} PDF(s) replaced; the manifest lists only files that match it; "
                         "fix the cause and build again") from None
    sync_folders({target.parent for _, target in staged})
    _remove_withdrawn(out, withdrawn)
    remember_built([str(entries[output.file]["sha256"]) for output in outputs])
    return kept
