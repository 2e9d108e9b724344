"""Safe file primitives for every command: write beside, then rename, so a file is always whole."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class WriteError(Exception):
    """The output could not be written; the message says whether anything was changed."""


def temp_beside(target: Path, data: bytes) -> Path:
    """Write data to a new temporary file in target's folder, synced to disk; the caller renames it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary shareable files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def replace_files(files: dict[Path, bytes]) -> None:
    """Replace files' bytes: all written beside first (any failure there changes nothing), then renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((temp_beside(path, data), path))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in staged:
        os.replace(temp, path)


def write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files all-or-nothing: every temporary file first, then the renames."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            staged.append((temp_beside(target, data), target))
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise WriteError(f"cannot write {exc.filename or 'output'} ({exc.strerror or exc}); nothing was changed; "
                         "check free space and permissions") from None
    for temp, target in staged:
        os.replace(temp, target)


def sync_folders(folders: set[Path]) -> None:
    """Make the renames durable (a power cut right after a build keeps them)."""
    for folder in folders:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass  # some file systems cannot sync a folder; the renames are still atomic
        finally:
            os.close(fd)
