"""Output files changed since a build wrote them are kept beside the fresh ones, never silently replaced.

A PDF reader that saves a clinician's notes into `output/es/microdosing.pdf`, or a colleague who edits the HTML
companion by hand, changes a file the manifest vouches for; the next build rebuilds it (the file no longer
matches), and the rename replaced the changed copy with nothing said. Now the changed copy is kept first, as
`microdosing.changed.pdf` (`.changed-2.pdf`, … when that name is taken), and the build says where it is. A file
that cannot be read to tell (larger than any build writes, or another user's) is kept by a second name instead,
and a withdrawn handout's changed file is kept before it is removed (twenty-seventh pass).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.content.files import FileRefused, read_bytes

MAX_KEPT_BYTES = 50_000_000  # as the desk reads: a larger file is not one a build wrote
MAX_NAMES = 100  # .changed.pdf … .changed-100.pdf: past that, the folder is a pile someone should clear


def aside_name(file: str, number: int) -> str:
    """The name the changed copy of `file` is kept under: LANG/ID.changed.pdf, LANG/ID.changed-2.pdf, …"""
    stem, dot, ext = file.rpartition(".")
    return f"{stem}.changed{'' if number == 1 else f'-{number}'}{dot}{ext}"


def keep_changed(out: Path, files: Sequence[str], listed: Mapping[str, Mapping[str, object]],
                 fresh: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Copy aside each of `files` whose bytes are no longer those its manifest entry lists; (file, copy) pairs.
    A file the manifest does not list is kept aside when its bytes are not the sha256 `fresh` gives for what is
    about to replace it (twenty-eighth pass: with the manifest moved away, as a damaged one's error says, or `--out`
    a folder holding the clinic's own PDFs, an annotated file was replaced unsaid); one that is gone is not."""
    kept: list[tuple[str, str]] = []
    try:
        for file in files:
            entry = listed.get(file)
            if entry is None and file in (fresh or {}):
                entry = {"sha256": (fresh or {})[file]}
            if entry is None or not os.path.lexists(out / file):
                continue
            try:
                data = read_bytes(out / file, MAX_KEPT_BYTES)
            except FileRefused:
                if _regular(out / file):  # too large to be a build's, or unreadable: kept by a second name
                    kept.append((file, _link_aside(out, file)))
                continue  # a link, a pipe or a device: replaced as an entry, never read
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                kept.append((file, _keep(out, file, data)))
    except BaseException:
        discard(out, kept)
        raise
    return kept


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _link_aside(out: Path, file: str) -> str:
    """Keep a file that cannot be read (over MAX_KEPT_BYTES, no build writes one so large; or another user's) under
    the first free aside name as a second name of the same file: nothing read, nothing copied (twenty-seventh
    pass: such a file was replaced unsaid). Where no second name can be made, the build stops, naming it."""
    for number in range(1, MAX_NAMES + 1):
        path = out / aside_name(file, number)
        try:
            os.link(out / file, path, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OSError(exc.errno, f"{out / file} may have changed since it was built (it cannot be read: too "
                          f"large, or another user's) and cannot be kept aside ({exc.strerror or exc}); move it out "
                          "of the output folder") from None
        return path.relative_to(out).as_posix()
    raise _too_many(out, file)


def discard(out: Path, kept: Sequence[tuple[str, str]]) -> None:
    """Remove copies kept for a build that then failed (the changed files themselves were not replaced)."""
    for _, copy in kept:
        (out / copy).unlink(missing_ok=True)


def _keep(out: Path, file: str, data: bytes) -> str:
    """Write `data` under the first free aside name, never over an existing file or through a link."""
    # Created exclusively rather than linked from a temp file: a USB stick or a network share may take no hard
    # link, and a build must not fail there for a copy it keeps. The changed file itself stays until the renames.
    mode = (out / file).lstat().st_mode & 0o777
    for number in range(1, MAX_NAMES + 1):
        path = out / aside_name(file, number)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path.relative_to(out).as_posix()
    raise _too_many(out, file)


def _too_many(out: Path, file: str) -> OSError:
    return OSError(errno.EEXIST, f"{MAX_NAMES} changed copies are already kept; move them out of the output folder",
                   str(out / aside_name(file, MAX_NAMES)))
