"""A seal on each manifest entry: proof that this user's generator wrote the file the entry lists.

The output folder is untrusted (fourth hostile pass): whoever can write there can alter a PDF and put its new
sha256 into `manifest.json`, and a build then kept the altered file and the front desk served it. So each entry
also carries an HMAC of all its fields (file, sha256, inputs, review state, pages...), keyed by a secret kept in
the user's cache folder (never in the project). A build keeps, and the desk serves, only files whose entries are
sealed with that secret. Without the secret (another user, a new machine, a read-only cache) entries are simply
not trusted: files are rebuilt.

Beside the secret, a sealed log of the sha256 of every file built lets `verify` tell a copy of a file built
here earlier (outdated: the templates or style changed since) from an altered one, after later builds have
replaced its manifest entry (fifth pass: printed copies were called altered after a style change).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from pathlib import Path

from generator.content.files import FileRefused, read_bytes

KEY_FILE = "seal.key"
BUILT_FILE = "built.log"
_KEY_BYTES = 32
_BUILT_KEPT = 20_000  # sha256s of files built (about 1.9 MB): the last few hundred builds of every handout
_LINE = 64 + 1 + 32 + 1  # "<sha256> <seal>\n"
_secret: bytes | None = None
_no_key: tuple[bytes, str] | None = None  # the stand-in key, and why none could be read or made (a full disk)


def cache_dir() -> Path:
    """$HANDOUTS_CACHE_DIR, else $XDG_CACHE_HOME/patient-handouts, else ~/.cache/patient-handouts; a relative
    value is ignored (the XDG rule: it would name a folder inside whichever project the command runs in)."""
    chosen = os.environ.get("HANDOUTS_CACHE_DIR", "")
    if os.path.isabs(chosen):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(_home(), ".cache")
    return Path(base) / "patient-handouts"


def _home() -> str:
    """$HOME when it is an absolute path, else the user's home from the password database: Python reads an empty
    HOME as the root folder, and a command run as root with `HOME=` made /.cache (seventeenth pass)."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_dir
    except KeyError:  # no such user: a folder of its own in the temporary folder (refused if another user made it)
        return os.path.join(tempfile.gettempdir(), f"patient-handouts-{os.geteuid()}")


def private_cache_dir(make: bool = True) -> Path:
    """The cache folder, made (0700) when missing and `make`; OSError unless it is a folder of this user's that no
    one else may write: in a folder others can write (`HANDOUTS_CACHE_DIR=/tmp`, a shared XDG_CACHE_HOME) another
    user could plant the seal key, a check or the built log, and make their own files "current" (seventeenth
    pass)."""
    folder = cache_dir()
    if (marker := _project_above(folder)) is not None:  # the file that makes it so is named: twenty-second pass
        kind = "a handout project" if marker.name == "handouts.yaml" else "an output folder"
        left = "" if marker.name == "handouts.yaml" else ", left by a `handouts build --out`; remove it if no build " \
            "writes there"
        raise OSError(f"{folder} is inside {kind}: {marker} is in a folder above it{left}")
    if not os.path.lexists(folder):
        _refuse_another_users(folder)
        if make:
            _make_private(folder)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise OSError(f"{folder} {_unusable(folder, info)}")
    return folder


def _make_private(folder: Path) -> None:
    """Make the cache folder (0700); an entry on its path that is no folder is named (an OSError, as every
    unusable cache folder is: thirty-third pass, "Not a directory" named no file)."""
    from generator.content.makefolder import NotAFolder, make_folder

    try:
        make_folder(folder, "move or remove it", 0o700)
    except NotAFolder as exc:
        raise OSError(str(exc)) from None


def _unusable(folder: Path, info: os.stat_result) -> str:
    """What makes the cache folder unusable, said for what it is (twenty-third pass: a link to a private folder was
    "not a folder of this user's that only this user can write")."""
    if stat.S_ISLNK(info.st_mode):
        return (f"is a link to {os.readlink(folder)}: another user could change where it leads; set HANDOUTS_CACHE_DIR "
                "to the folder itself")
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != os.geteuid():
        return f"belongs to another user (uid {info.st_uid}), who could plant files in it"
    return (f"is this user's, but others can write it (mode {stat.S_IMODE(info.st_mode):o}); "
            f"`chmod go-w {folder}`")


def _refuse_another_users(folder: Path) -> None:
    """OSError when the folder `folder` would be made in belongs to another user (root's aside): run as root with a
    user's HOME (`sudo` on macOS, `sudo -E`, `su` without `-`) the cache made `~/.cache` root's, and every tool of
    that user caching there failed from then on (twenty-second pass)."""
    above = folder
    while not os.path.lexists(above) and above != above.parent:
        above = above.parent
    owner = os.stat(above).st_uid
    if owner not in (os.geteuid(), 0):
        raise OSError(f"{folder} would be made in {above}, which belongs to another user (uid {owner}): run the "
                      "command as that user, or set HANDOUTS_CACHE_DIR to a folder of your own")


def cache_refused() -> str | None:
    """Why the cache folder cannot be used (None: it can): without it every build renders every handout again and
    `verify` cannot tell a file built here, so a build says so (a judgement call of the seventeenth pass)."""
    try:
        folder = private_cache_dir(make=False)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop
        if isinstance(exc, OSError) and exc.strerror and exc.filename:
            return f"{exc.filename}: {exc.strerror}"
        return str(exc)
    if not os.access(folder, os.W_OK):  # a read-only disk, an immutable folder: nothing can be recorded there
        return f"{folder}: cannot be written (a read-only disk?)"
    key = _key()  # a folder that takes no file (a full disk) passed every check above (twenty-sixth pass)
    return _no_key[1] if _no_key is not None and _no_key[0] is key else None


def _project_above(folder: Path) -> Path | None:
    """A project's settings or an output folder's lock file in `folder` or a folder above it (None: none): a cache
    there (`HANDOUTS_CACHE_DIR=$PWD/.cache` in CI) put the seal key where the clinic commits or publishes its files
    (eighteenth pass)."""
    real = Path(os.path.realpath(folder))  # also when named through a link into a project
    for above in dict.fromkeys((folder, *folder.parents, real, *real.parents)):
        for name in ("handouts.yaml", ".handouts.lock"):  # render.write.LOCK
            if os.path.lexists(above / name):
                return above / name
    return None


def holds_cache(folder: Path) -> bool:
    """Whether `folder` is the cache folder or a folder above it: an output folder there (`build --out ~`) would
    leave its lock file above the cache, and the cache would be refused from then on (twenty-second pass). False
    for a cache already refused so (a build's warning names the file that makes it so)."""
    try:
        cache, base = Path(os.path.realpath(cache_dir())), Path(os.path.realpath(folder))
        return cache.is_relative_to(base) and _project_above(cache_dir()) is None
    except (OSError, ValueError):
        return False


def _key() -> bytes:
    """The user's secret: read, or made once (0600, created whole by a link, so two builds agree on one)."""
    global _secret, _no_key
    if _secret is None:
        try:
            path = private_cache_dir() / KEY_FILE
        except OSError:  # no usable cache folder: this process's seals hold for this process only
            _secret = os.urandom(_KEY_BYTES)
            return _secret
        try:
            _secret = _read(path) or _create(path)
        except OSError as exc:  # a folder that takes no file (a full disk) passed the checks: said (26th pass)
            _secret = os.urandom(_KEY_BYTES)
            _no_key = (_secret, _why(path, exc))
    return _secret


def _why(path: Path, exc: OSError) -> str:
    """Why the key at `path` could not be read or made, naming the key (not the temp file it is made through)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):  # a folder or a pipe: replacing it failed (twenty-ninth pass)
            return f"{path} is not a file (a folder, a link or a pipe?); move it away"
    except OSError:
        pass
    return f"{path}: {exc.strerror}" if exc.strerror else str(exc)


def _read(path: Path) -> bytes | None:
    try:
        data = read_bytes(path, _KEY_BYTES)
        info = path.lstat()
    except (FileRefused, OSError):
        return None
    if info.st_uid != os.geteuid() or info.st_mode & 0o077:  # a key another user could read or have written
        return None
    return data if len(data) == _KEY_BYTES else None


def _create(path: Path) -> bytes:
    _make_private(path.parent)
    # A name of its own, removed if anything fails: one named by the process number, left by a run that failed
    # (a full disk) or was killed, stopped every later run of that number (a container's) from making the key
    # (twentieth pass)
    temp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            if os.write(fd, os.urandom(_KEY_BYTES)) != _KEY_BYTES:
                raise OSError("the seal key was written short")
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    try:
        try:
            os.link(temp, path)  # fails if another process made one first: then that one is the key
        except FileExistsError:
            if _read(path) is None:  # cut short or emptied: replaced (every seal made with it is void anyway),
                os.replace(temp, path)  # or every later command would rebuild everything, unsaid
    finally:
        temp.unlink(missing_ok=True)
    key = _read(path)
    if key is None:
        raise OSError("the seal key cannot be read back")
    return key


def _mac(entry: dict[str, object]) -> str:
    # Every field but the seal: the desk shows the review state and page count an entry records (fifth pass).
    what = json.dumps({k: v for k, v in entry.items() if k != "seal"}, sort_keys=True, default=str).encode("utf-8")
    return hmac.new(_key(), what, hashlib.sha256).hexdigest()


def sealed(entry: dict[str, object]) -> dict[str, object]:
    """The manifest entry with its seal."""
    return {**entry, "seal": _mac(entry)}


def is_sealed(entry: dict[str, object]) -> bool:
    """Whether this user's generator wrote the entry (every field of it unchanged since)."""
    # As bytes: compare_digest refuses a str holding anything but ASCII (a forged "seal": "é" was a traceback)
    return hmac.compare_digest(str(entry.get("seal", "")).encode("utf-8", "backslashreplace"),
                               _mac(entry).encode("ascii"))


def _line_seal(digest: str) -> str:
    return hmac.new(_key(), f"built:{digest}".encode(), hashlib.sha256).hexdigest()[:32]


def remember_built(digests: list[str], log: str = BUILT_FILE) -> None:
    """Log (sealed, in the cache folder) the sha256 of files this generator has just written; best effort: a
    cache that cannot be written costs only verify's "built here earlier" verdict. `log` names another log of the
    cache folder (what imports wrote is kept apart, so thousands of units never push out the files built)."""
    if not digests:
        return
    try:
        path = private_cache_dir() / log
        # Never blocks: a pipe at the log's name is left alone (a write-only open waited for a reader for ever)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return
            os.write(fd, "".join(f"{d} {_line_seal(d)}\n" for d in digests).encode("ascii"))  # one append
            size = os.fstat(fd).st_size
            # keep the newest half; a line appended meanwhile may be lost. Only that half is read: a log grown past
            # what `logged` reads is cut back too, not given up (twenty-ninth pass)
            kept = os.pread(fd, _BUILT_KEPT * _LINE, size - _BUILT_KEPT * _LINE) if size > 2 * _BUILT_KEPT * _LINE \
                else None
        finally:
            os.close(fd)
        if kept is not None:
            _replace(path, kept[kept.index(b"\n") + 1:] if b"\n" in kept else b"")
    except (OSError, FileRefused):
        pass


def _replace(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a new file of its own (never through a link or a pipe left there)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            while data:  # (not os.fdopen, nor os.replace: the fault tests count those for the outputs' writes)
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        os.rename(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def logged(log: str = BUILT_FILE) -> frozenset[bytes]:
    """Every line of the cache folder's `log`, read once for many questions (`is_logged`); none without one."""
    try:
        path = private_cache_dir(make=False) / log
        if path.is_symlink():  # never written through (O_NOFOLLOW), so never read through either
            return frozenset()
        return frozenset(read_bytes(path, 3 * _BUILT_KEPT * _LINE).splitlines())
    except (FileRefused, OSError):
        return frozenset()


def unusable_log(log: str = BUILT_FILE) -> str | None:
    """`path: is a folder` when the cache folder's `log` is there but no regular file (a link, a folder, a pipe, a
    device): it is then neither read nor written, which was unsaid (thirty-seventh pass); None otherwise."""
    from generator.content.makefolder import kind_of

    try:
        path = private_cache_dir(make=False) / log
        mode = os.lstat(path).st_mode
    except (OSError, RuntimeError):  # no cache folder (said apart), or no log yet
        return None
    return None if stat.S_ISREG(mode) else f"{path}: is {'a link' if stat.S_ISLNK(mode) else kind_of(mode)}"


def is_logged(digest: str, lines: frozenset[bytes]) -> bool:
    """Whether `digest` is among `lines` with its seal (a line written by this user's generator)."""
    return f"{digest} {_line_seal(digest)}".encode("ascii") in lines


def was_built(digest: str, log: str = BUILT_FILE) -> bool:
    """Whether this user's generator built a file with this sha256 (among the last logged in `log`)."""
    return is_logged(digest, logged(log))
