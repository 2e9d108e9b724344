"""Safe file primitives for every command.

Reading: only regular files (never a folder, named pipe or device, which could hang or never end), only inside
the project when a root is given (links resolved), and never more than a stated number of bytes.
Writing: beside, then rename, so a file is always whole; a replaced file keeps its line endings and mode.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from generator.content.filemode import set_mode
from generator.content.uninterrupted import uninterrupted

if TYPE_CHECKING:
    from generator.content.backup import Kept

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class WriteError(Exception):
    """The output could not be written; the message says whether anything was changed."""


def temp_beside(target: Path, data: bytes, mode: int | None = None) -> Path:
    """Write data to a new temporary file in target's folder, synced to disk; the caller renames it."""
    from generator.content.makefolder import make_folder

    make_folder(target.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # the folder takes no new file: named, never the temporary name no one saw (23rd pass)
        raise OSError(exc.errno, exc.strerror, str(target.parent)) from None
    try:
        # mkstemp: 0600; a new file is shareable, a replaced one keeps its mode, owner and access list (filemode)
        set_mode(fd, 0o666 & ~_UMASK if mode is None else mode)
        if mode is not None:
            _keep_owner_and_access_list(fd, target)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


_ACL = "system.posix_acl_access"


def _keep_owner_and_access_list(fd: int, target: Path) -> None:
    """Give the new file the owner, group and POSIX access list of the one it replaces, where allowed."""
    try:
        info = os.stat(target)
    except OSError:
        return
    if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:  # only root gives a file away; the group only to one of ours: then as before
            pass
    try:
        acl = os.getxattr(target, _ACL)
    except (OSError, AttributeError):  # none, or no access lists on this system
        return
    try:
        os.setxattr(fd, _ACL, acl)
    except OSError:
        pass


def write_files(files: Sequence[tuple[Path, bytes]], option: str = "--out") -> None:
    """Write several files all-or-nothing: every temporary file first, then the renames; a file replaced keeps
    its mode (a read-only or private one does not become writable or readable by everyone). Only a regular
    file, a link (replaced as the link) or a new name is written: a named pipe, a device, a socket or a folder
    named as the output is refused before anything is written (eighth pass: `-o /dev/null` run as root renamed
    a PO file over the system's /dev/null)."""
    for target, _ in files:
        refuse_unless_file(target, True, "name a new file, or a file to replace", option)
    _commit([(target, data, existing_mode(target)) for target, data in files], "output")


def refuse_unless_file(path: Path, links: bool, fix: str, option: str = "--out") -> None:
    """Refuse an entry that is a named pipe, a device, a socket or a folder (and, unless `links`, a link):
    renaming over it would destroy it (a FIFO another program reads, /dev/null) for a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        from generator.content.makefolder import refuse_in_the_way

        # "Not a directory": the entry in the way is named (thirty-third pass)
        refuse_in_the_way(path.parent, f"move or remove it, or choose another {option}")
        raise WriteError(f"{path}: cannot be examined ({exc.strerror or exc}); nothing was changed") from None
    if not (stat.S_ISREG(mode) or (links and stat.S_ISLNK(mode))):
        kinds = "a folder, a named pipe or a device" if links else "a link, a folder, a named pipe or a device"
        raise WriteError(f"{path}: is not a regular file ({kinds}); nothing was changed; {fix}")
    if stat.S_ISLNK(mode) and _leads_to_a_stream(path):
        raise WriteError(f"{path}: is a link to a pipe, a device or a stream (standard output?), which a file must "
                         f"never replace; nothing was changed; to write to standard output, leave out -o, or {fix}")


def _leads_to_a_stream(link: Path) -> bool:
    """Whether a link is the system's (in /dev or /proc: /dev/stdout, /proc/self/fd/1) or leads to anything but a
    regular file or nothing: replacing it as the link took /dev/stdout from the whole system (fifteenth pass)."""
    current = str(link)
    for _ in range(40):  # each hop of the chain: /proc/self/fd/2 leads to a regular file when stderr is one
        folder = os.path.realpath(os.path.dirname(current) or ".")
        if any(folder == top or folder.startswith(top + os.sep) for top in ("/dev", "/proc")):
            return True
        try:
            current = os.path.join(folder, os.readlink(current))
        except OSError:  # not a link (the end of the chain), or nothing there
            break
    try:
        found = os.stat(link)
    except OSError:  # dangling, a loop, or a target we may not look at: replaced as the link, never followed
        return False
    return not stat.S_ISREG(found.st_mode)


def existing_mode(path: Path) -> int | None:
    """The permission bits of a regular file at `path`, to give its replacement; None when there is none."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(found.st_mode) if stat.S_ISREG(found.st_mode) else None


_STALE_SECONDS = 600  # a temporary file this old beside its target is a killed command's: no write takes so long


def _remove_stale_temps(target: Path) -> None:
    """Remove what a killed command left beside `target` (its temporary files, from temp_beside)."""
    import re
    import time

    name = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp")
    try:
        with os.scandir(target.parent) as entries:
            for entry in entries:
                if name.fullmatch(entry.name) and entry.is_file(follow_symlinks=False) and \
                        time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS:
                    os.unlink(entry.path)
    except OSError:  # only tidying: the write itself reports what is wrong with the folder
        pass


def _commit(planned: Sequence[tuple[Path, bytes, int | None]], what: str, edited: bool = False) -> None:
    """Every temporary file first (a failure there changes nothing and removes them), then the renames.
    `edited`: files people edit, each replaced only if it still holds what this command read there."""
    for target, _, _ in planned:
        _remove_stale_temps(target)
    staged: list[tuple[Path, Path]] = []
    writing: object = what
    try:
        for target, data, mode in planned:
            writing = target  # a write's error names no file (a full disk, EFBIG under `ulimit -f`): this one
            staged.append((temp_beside(target, data, mode), target))
    except (OSError, WriteError) as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        if isinstance(exc, WriteError):  # a file where a folder must be (makefolder): said as it is
            raise
        raise WriteError(f"cannot write {exc.filename or writing} ({exc.strerror or exc}); nothing was changed; "
                         "check free space and permissions") from None
    # What each target was, kept beside it without reading it (a second name for the same file, or the link's
    # own text), to put back if a later rename fails (a folder that lets a file be written but not replaced, an
    # immutable file): then no file is left changed and no temporary file is left behind (eighth pass).
    from generator.content.backup import keep

    with uninterrupted():  # all the renames, or (put back) none: never stopped between two
        _rename_all(staged, [keep(target) for _, target in staged], edited)
    for (_, target), (_, data, _) in zip(staged, planned, strict=True):
        if os.path.realpath(target) in _first_read:  # what this command itself wrote is what it last read
            _first_read[os.path.realpath(target)] = hashlib.sha256(data).digest()
    sync_folders({target.parent for _, target in staged})


def _rename_all(staged: list[tuple[Path, Path]], kept: list[Kept], edited: bool) -> None:
    """Each temporary file renamed over its target; on any failure the ones already renamed are put back."""
    from generator.content.backup import put_back

    try:
        for done, (temp, target) in enumerate(staged):
            if edited and not _unchanged_since_read(target):  # just before its rename: a window of microseconds
                for later, _ in staged[done:]:
                    later.unlink(missing_ok=True)
                changed = put_back(staged[:done], kept)
                raise WriteError(f"{target} changed while this command ran (saved in an editor, or by another "
                                 f"command); {changed}, so that the change is not lost; run the command again")
            try:
                os.replace(temp, target)
            except OSError as exc:
                for later, _ in staged[done:]:
                    later.unlink(missing_ok=True)
                changed = put_back(staged[:done], kept)
                raise WriteError(f"cannot replace {target} ({exc.strerror or exc}); {changed}; check the "
                                 "permissions of the file and its folder") from None
    finally:
        for backup in kept:
            if isinstance(backup, Path):
                backup.unlink(missing_ok=True)  # put back already, or no longer needed


def copy_synced(source: BinaryIO, copy: BinaryIO) -> None:
    """Copy an open file into another in 1 MB pieces (a file is never whole in memory), the copy synced to disk."""
    while chunk := source.read(1 << 20):
        copy.write(chunk)
    copy.flush()
    os.fsync(copy.fileno())


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


# -- reading: regular files only, inside the project, of bounded size ----------------------------------
MAX_TEXT_BYTES = 2_000_000  # a content file, a template, a settings file: a few kilobytes each
OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))


class FileRefused(Exception):
    """A file that may not be read (or replaced): outside the project, not a regular file, too large, not UTF-8.

    `str()` is `what is wrong; how to fix it`, to follow the file's name."""

    def __init__(self, reason: str, hint: str, line: int = 0, size: int = 0) -> None:
        super().__init__(f"{reason}; {hint}")
        self.reason, self.hint, self.line, self.size = reason, hint, line, size
        self.path = ""  # the refused file, when the reader knew it


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, links resolved, is inside `root` (resolved); False for names that cannot be resolved."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a link loop
        return False


def is_regular(path: Path) -> bool:
    """Whether `path` (links followed) is a regular file: not a folder, named pipe, socket or device."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES, root: Path | None = None) -> bytes:
    """A regular file's bytes, at most `limit` of them; with `root`, only a file inside it (links resolved).

    Never blocks (a named pipe is refused, not waited on) and never reads more than `limit` + 1 bytes. A
    refusal carries the path (`FileRefused.path`), for whoever reports it without a name of its own."""
    try:
        data = _read_bytes(path, limit, root)
    except FileRefused as exc:
        exc.path = exc.path or str(path)
        raise
    if limit <= MAX_TEXT_BYTES:  # a text file a command may rewrite (not a font, a PDF or an output)
        real, digest = os.path.realpath(path), hashlib.sha256(data).digest()
        _first_read.setdefault(real, digest)
        _last_read[real] = digest
    return data


# What each text file held when it was last read, by anything in this process: the check cache vouches only for
# a snapshot whose files are what the check read (one swapped during the check, then back, is not vouched for).
_last_read: dict[str, bytes] = {}


def last_read(path: str) -> str:
    """The sha256 (hex) of what `path` (links resolved) held when this process last read it, or ""."""
    digest = _last_read.get(os.path.realpath(path))
    return digest.hex() if digest is not None else ""


# What each text file held when the running command first read it: a rewrite is computed from that, so a file
# that changed since (an editor's save while `approve` or `translate sync` ran, eighth pass) is not replaced.
# The file is compared just before its rename; a save landing between that look and the rename (microseconds)
# could only be caught with a lock that every editor honours, which editors do not.
_first_read: dict[str, bytes] = {}


def new_command() -> None:
    """Forget what an earlier command in this process read (the CLI calls this as each command starts)."""
    _first_read.clear()


_ABSENT = b""  # no sha256 digest: there was no file when the command looked


def note_absent(path: Path) -> None:
    """Remember that no file was at `path` when this command looked: one there at its rename was made meanwhile
    (two `translate done` making content/source-history.yaml at once: the second replaced the first's)."""
    _first_read.setdefault(os.path.realpath(path), _ABSENT)


def _unchanged_since_read(target: Path) -> bool:
    """Whether `target` still holds what this command first read there (True when it never read it)."""
    basis = _first_read.get(os.path.realpath(target))
    if basis is None:
        return True
    if basis == _ABSENT:
        return not os.path.lexists(target)
    try:
        # What it read was a text file of at most MAX_TEXT_BYTES: a larger file there now is a change.
        return hashlib.sha256(_read_bytes(target, MAX_TEXT_BYTES, None)).digest() == basis
    except FileRefused:
        return False


def _read_bytes(path: Path, limit: int, root: Path | None) -> bytes:
    if root is not None and not inside(root, path):
        raise FileRefused("is a link that leads outside the project", "copy the file into the project instead")
    try:
        target = path.resolve()  # links inside the project are followed; the last step is opened O_NOFOLLOW
        fd = os.open(target, OPEN_FLAGS)
    except OSError as exc:
        if os.path.exists(path) and not is_regular(path):  # /dev/stdin of a pipe resolves to "pipe:[N]", no name
            raise FileRefused("is not a regular file (a folder, a named pipe or a device)",
                              "replace it with an ordinary file") from None
        raise FileRefused(f"cannot be read ({exc.strerror or exc})", unreadable_fix(exc)) from None
    except (ValueError, RuntimeError):
        raise FileRefused("is not a usable file name", "rename the file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("is not a regular file (a folder, a named pipe or a device)",
                              "replace it with an ordinary file")
        if info.st_size > limit:
            raise FileRefused(f"is {info.st_size:,} bytes, larger than {limit:,}", "use a smaller file",
                              size=info.st_size)
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"cannot be read ({exc.strerror or exc})", "check the file") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while being read (/proc files report a size of 0)
        raise FileRefused(f"is larger than {limit:,} bytes", "use a smaller file", size=len(data))
    return data


def read_text(path: Path, limit: int = MAX_TEXT_BYTES, root: Path | None = None) -> str:
    """A regular file's UTF-8 text, bounded like `read_bytes`."""
    data = read_bytes(path, limit, root)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(f"is not valid UTF-8 (line {line})", "save the file as UTF-8", line) from None


# -- replacing a project file: same line endings, same permissions, whole or not at all ----------------
def replace_texts(texts: dict[Path, str], root: Path) -> None:
    """Replace project files' text all at once or not at all, each keeping its line endings and mode.

    A file that is not a regular file inside `root`, or is read-only, is refused before anything is
    written; a write that fails (a full disk) raises WriteError and leaves every file whole."""
    planned: dict[Path, tuple[bytes, int | None]] = {}
    for path, text in texts.items():
        if not inside(root, path.parent) or (os.path.lexists(path) and not inside(root, path)):
            raise WriteError(f"{path}: leads outside the project (a link?); nothing was changed")
        target = path.resolve() if path.is_symlink() else path
        mode = None
        if os.path.lexists(target):
            info = target.stat()
            if not stat.S_ISREG(info.st_mode):
                raise WriteError(f"{path}: is not a regular file; nothing was changed; replace it with a file")
            if not info.st_mode & stat.S_IWUSR:
                raise WriteError(f"{path}: is read-only; nothing was changed; make it writable first "
                                 "(chmod u+w) if it should change")
            mode = stat.S_IMODE(info.st_mode)
        data = text.encode("utf-8")
        if len(data) > MAX_TEXT_BYTES:  # an import once wrote 3 MB of translator's notes (fifteenth pass)
            raise WriteError(f"{path}: would be {len(data):,} bytes, more than the {MAX_TEXT_BYTES:,} every command "
                             "reads of a project file (it could never be read again); nothing was changed; "
                             "shorten what is being added (a translator's comments?)")
        planned[target] = (data, mode)
    _commit([(target, data, mode) for target, (data, mode) in planned.items()], "a file", edited=True)


def unreadable_fix(exc: OSError, fix: str = "check the path and its permissions") -> str:
    """How to fix a file or folder that cannot be opened: `fix`, but for a path longer than the system takes (a
    project moved deep into nested folders), which no permission fixes (thirtieth pass)."""
    if exc.errno == errno.ENAMETOOLONG:
        return "its full path is longer than this system takes: move the project to a folder with a shorter path"
    return fix
