"""Making the folders a command writes into, one way for every command: what stands where a folder must be (a
file, a named pipe, a device, a link to no folder) is named, with what to do, before anything is written.
mkdir's own words named the output folder, not the entry in the way, and blamed free space (thirty-third pass)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.content.files import WriteError

OUT_FIX = "move or remove it, or choose another --out"


class NotAFolder(WriteError):
    """Something that is no folder stands where a command must make or use one."""


def in_the_way(folder: Path) -> Path | None:
    """The deepest entry on `folder`'s path that exists and is no folder (links followed), or None: what would
    stop mkdir. A link to nothing is left to `make_folder`, which names where it leads."""
    for path in (folder, *folder.parents):
        if os.path.lexists(path):
            return None if path.is_dir() or (path.is_symlink() and not path.exists()) else path
    return None


def kind(path: Path) -> str:
    """What an entry that is no folder is, in a reader's words ("a file", "a named pipe (FIFO)", ...)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "not a folder"
    if stat.S_ISLNK(mode):
        return f"a link to {'a file' if path.is_file() else 'no folder'}"
    return kind_of(mode)


def kind_of(mode: int) -> str:
    """What an entry of this `st_mode` is, in a reader's words ("a folder", "a named pipe (FIFO)", "a file"...)."""
    return ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "a file")


def not_a_folder(path: Path, fix: str = OUT_FIX) -> NotAFolder:
    """The error for `path`, which stands where a folder must be."""
    from generator.content.problems import printable

    return NotAFolder(f"{printable(str(path))}: is {kind(path)}, not a folder; {fix}")


def refuse_in_the_way(folder: Path, fix: str = OUT_FIX) -> None:
    """Raise NotAFolder, before anything is written, when `folder` cannot be made or used because an entry on its
    path is no folder."""
    if (blocking := in_the_way(folder)) is not None:
        raise not_a_folder(blocking, fix)


def make_folder(folder: Path, fix: str = OUT_FIX, mode: int = 0o777) -> None:
    """`folder` and the folders above it made where missing (each with `mode`); NotAFolder when an entry on the
    way is no folder. A link on the way that leads to nothing (a share or a disk not mounted) is named as such:
    mkdir said only "File exists" (twenty-first pass)."""
    refuse_in_the_way(folder, fix)
    try:  # each missing folder with `mode`, those above too: under a umask of 000 `~/.cache` was made 777
        for missing in [*reversed([above for above in folder.parents if not os.path.lexists(above)]), folder]:
            missing.mkdir(exist_ok=True, mode=mode)
    except (FileExistsError, NotADirectoryError):
        refuse_in_the_way(folder, fix)  # put there meanwhile
        for above in (folder, *folder.parents):
            if os.path.islink(above) and not os.path.exists(above):
                raise FileNotFoundError(errno.ENOENT, f"a link to {os.readlink(above)}, which does not exist (a share "
                                        "or a disk not mounted?)", str(above)) from None
        raise
