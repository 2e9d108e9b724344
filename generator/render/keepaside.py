"""Output files changed since a build wrote them are kept beside the fresh ones, never silently replaced.

A PDF reader that saves a clinician's notes into `output/es/microdosing.pdf`, or a colleague who edits the HTML
companion by hand, changes a file the manifest vouches for; the next build rebuilds it (the file no longer
matches), and the rename replaced the changed copy with nothing said. Now the changed copy is kept first, as
`microdosing.changed.pdf` (`.changed-2.pdf`, … when that name is taken), and the build says where it is. A file
larger than any build writes, or one that cannot be read (another user's), counts as changed; a withdrawn handout's
changed file is kept before it is removed (twenty-seventh pass, parts A and C).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.content.files import OPEN_FLAGS, copy_synced

MAX_KEPT_BYTES = 50_000_000  # as the desk reads: a larger file is not one a build wrote (kept unread)
CHUNK = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
MAX_NAMES = 100  # .changed.pdf … .changed-100.pdf: past that, the folder is a pile someone should clear


def aside_name(file: str, number: int) -> str:
    """The name the changed copy of `file` is kept under: LANG/ID.changed.pdf, LANG/ID.changed-2.pdf, …"""
    stem, dot, ext = file.rpartition(".")
    return f"{stem}.changed{'' if number == 1 else f'-{number}'}{dot}{ext}"


def keep_changed(out: Path, files: Sequence[str], listed: Mapping[str, Mapping[str, object]],
                 fresh: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Keep aside each of `files` whose bytes are no longer those its manifest entry lists; (file, copy) pairs.
    A file the manifest does not list is kept when its bytes are not the sha256 `fresh` gives for what is about
    to replace it (twenty-eighth pass: with the manifest moved away, as a damaged one's error says, or `--out` a
    folder holding the clinic's own PDFs, an annotated file was replaced unsaid). One that is gone, a link, a pipe
    or a device is not looked at (its entry is replaced without being read)."""
    kept: list[tuple[str, str]] = []
    try:
        for file in files:
            entry = listed.get(file) or ({"sha256": fresh[file]} if fresh and file in fresh else None)
            if entry is not None and _changed(out / file, str(entry.get("sha256"))):
                kept.append((file, _keep(out, file)))
    except BaseException:
        discard(out, kept)
        raise
    return kept


def discard(out: Path, kept: Sequence[tuple[str, str]]) -> None:
    """Remove copies kept for a build that then failed (the changed files themselves were not replaced)."""
    for _, copy in kept:
        (out / copy).unlink(missing_ok=True)


def _changed(path: Path, sha256: str) -> bool:
    """Whether `path` is a regular file whose bytes are not `sha256`'s; one larger than any build writes is changed
    without being read (twenty-seventh pass: a PDF with a 60 MB scan saved into it was replaced, not kept)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):  # a device or a pipe is never opened
            return False
        fd = os.open(path, OPEN_FLAGS)  # no link followed, no wait
    except PermissionError:  # another user's file in a shared folder: it cannot be told, so it is kept
        return True
    except OSError:  # gone, or a link (O_NOFOLLOW): its entry is replaced as before
        return False
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return False
        if info.st_size > MAX_KEPT_BYTES:
            return True
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() != sha256


def _keep(out: Path, file: str) -> str:
    """Keep `file` under the first free aside name, never over an existing file or through a link: a hard link to
    it (the build's rename then leaves the changed bytes under that name), else a copy made in pieces."""
    # A USB stick or a network share may take no hard link: a build must not fail there for a copy it keeps. The
    # changed file itself stays until the renames.
    source = out / file
    for number in range(1, MAX_NAMES + 1):
        path = out / aside_name(file, number)
        try:
            os.link(source, path, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:
            try:
                _copy(source, path)
            except FileExistsError:
                continue
            except OSError as exc:
                raise OSError(exc.errno, f"{source} may have changed since it was built and cannot be kept aside "
                              f"({exc.strerror or exc}); move it out of the output folder") from None
        return path.relative_to(out).as_posix()
    raise OSError(errno.EEXIST, f"{MAX_NAMES} changed copies are already kept; move them out of the output folder",
                  str(out / aside_name(file, MAX_NAMES)))


def _copy(source: Path, path: Path) -> None:
    """Copy `source` to the new file `path` (created exclusively, never through a link) in pieces, synced."""
    with open(os.open(source, OPEN_FLAGS), "rb") as reading:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, os.fstat(reading.fileno()).st_mode & 0o777)
        try:
            with os.fdopen(fd, "wb") as handle:
                copy_synced(reading, handle)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
