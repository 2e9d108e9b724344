"""A new file's mode, where the file system keeps modes: a network share opened through GNOME's gvfs (FUSE)
answers chmod with "Operation not supported", some FUSE and NAS mounts with EPERM on a file this process just
made; there every write failed, "check free space and permissions" (thirty-second pass). Such a file system gives
every file its own mode, whatever is asked: the write goes on."""

from __future__ import annotations

import errno
import os

# What a file system that keeps no modes answers (the file is this process's own, just made, so EPERM is not ours)
NO_MODES = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.ENOSYS}


def set_mode(fd: int, mode: int) -> None:
    """chmod the open file `fd`; a file system that keeps no modes leaves it with its own."""
    try:
        os.fchmod(fd, mode)
    except OSError as exc:
        if exc.errno not in NO_MODES:
            raise

