"""What a file a command replaces was, kept beside it to be put back if a later rename of the same write fails.

Nothing is read and no link is followed: the entry itself gets a second name (a hard link, to a link too), so
keeping costs no memory whatever the output folder holds (eighth pass: a link to an outside file was put back
as a copy of that file, and every replaced file was held in memory whole).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

from generator.content.files import OPEN_FLAGS, copy_synced, temp_beside

# What a target was before its rename: a Path (a second name of the very same file, or of the link itself),
# `_Link` (a link's own text, where no second name can be made), None (nothing was there), False (not kept).
Kept = Path | str | None | bool


class _Link(str):
    """The text of a link that was at a target (put back as a link, never as the file it leads to)."""


def keep(target: Path) -> Kept:
    """Keep what is at `target` under a second name beside it, never reading it nor following a link: a hard
    link to the file (or to the link itself), so keeping costs no memory whatever its size."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    for _ in range(10):
        backup = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"  # swept up if a command is killed
        try:
            os.link(target, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError:
            break  # no hard links here (FAT, some network shares), or not allowed for this file
    if stat.S_ISLNK(info.st_mode):
        try:
            return _Link(os.readlink(target))
        except OSError:
            return False
    return copy_aside(target)


def copy_aside(target: Path) -> Kept:
    """Where no second name can be made: a copy of a regular file beside it, in chunks (never whole in memory),
    keeping its mode; False for anything else (a folder, a pipe), which is then not put back."""
    fd = -1
    try:
        fd = os.open(target, OPEN_FLAGS)  # O_NOFOLLOW: a link here is refused, never read through
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return False
        backup = temp_beside(target, b"", stat.S_IMODE(info.st_mode))
        with open(backup, "r+b") as out, open(fd, "rb", closefd=False) as reading:
            copy_synced(reading, out)
        return backup
    except OSError:
        return False
    finally:
        if fd >= 0:
            os.close(fd)


def put_back(replaced: Sequence[tuple[Path, Path]], kept: list[Kept]) -> str:
    """Put back the files already replaced, each exactly as it was (a link stays a link); what to tell. A kept
    file that could not be put back stays where it is, named in the message (and is no longer in `kept`)."""
    lost = []
    for index, ((_, target), backup) in enumerate(zip(replaced, kept, strict=False)):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            elif isinstance(backup, _Link):
                link = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
                try:
                    os.symlink(backup, link)
                    os.replace(link, target)
                finally:
                    link.unlink(missing_ok=True)
            elif isinstance(backup, Path):
                os.replace(backup, target)
            else:
                lost.append(f"{target} (what was there could not be kept)")
        except OSError as exc:
            kept_as = ""
            if isinstance(backup, Path) and os.path.lexists(backup):
                kept_as, kept[index] = f"; what was there is kept as {backup}", False
            lost.append(f"{target} ({exc.strerror or exc}{kept_as})")
    return "nothing was changed" if not lost else "these files could not be put back as they were: " + \
        ", ".join(lost)
