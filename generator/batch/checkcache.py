"""A cache of what a check found, so that a build or `check` whose inputs did not change answers without
parsing, glyph-checking or hashing the outputs' inputs again.

What is recorded, per project (by its resolved path), in the user's cache folder (never in the project):
every input file the check reads or could read (the settings, everything under content/ and under each
templates folder, fonts included, the logo, the generator's own source files and the libraries it checks
with) with its size, modification and change times, inode and sha256; the names in each of those folders (a
file added or removed is a change); the generator and Python versions; and today's date (review and fact
states change with it). A look-up trusts an entry only when every one of these is the same now: a small file
is hashed again every time (its times could have been restored); a large one (a font) when its size or times
changed, or when it was written too close to the moment it was recorded to trust its times.

The cache is an optimisation only: anything unreadable, malformed, too large or from another version is
ignored, and a cache that cannot be written is skipped silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.content.seal import cache_dir, private_cache_dir

SCHEMA = 1
MAX_CACHE_BYTES = 20_000_000  # a project's entry is a few tens of kB; anything bigger is not ours
ALWAYS_HASH_BELOW = 256 * 1024  # content, settings, templates: hashed at every look-up (cheap)
RACY_SECONDS = 3  # a file modified this close to its recording may change again within the same timestamp
MAX_HASHED_BYTES = 64_000_000  # the largest input a check reads (a font); anything larger is never cached
MAX_FOLDERS = 2_000  # folders recorded per project; more (a link loop?) and the project is never cached
MAX_PLANS = 16  # selections remembered per project (each is a list of output files and their inputs)
# Libraries whose behaviour the check depends on (glyph coverage, language names, shaping, YAML): an upgrade
# invalidates the cache. Found without importing them.
LIBRARIES = ("fontTools", "babel", "arabic_reshaper", "bidi", "yaml", "ruamel", "jinja2", "reportlab", "PIL")


def cache_file(root: Path) -> Path:
    """Where the entry of the project at `root` is kept (read and written only in a cache folder of this user's
    alone: a check another user planted there would vouch for a project never checked)."""
    key = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:32]
    return cache_dir() / f"check-{key}.json"


def _sha256(path: str) -> str:
    """A regular file's sha256; OSError for anything else (a pipe is never waited on) and for a file larger
    than any input a check reads (a 100 GB sparse file in content/ is not hashed for minutes)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_HASHED_BYTES:
            raise OSError(f"{path}: not a regular file of an input's size; not hashed")
        digest, remaining = hashlib.sha256(), MAX_HASHED_BYTES + 1
        while remaining > 0 and (chunk := os.read(fd, 1 << 20)):
            digest.update(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise OSError(f"{path}: grew past an input's size while hashed")
    finally:
        os.close(fd)
    return digest.hexdigest()


def _generator_folder() -> Path:
    return Path(__file__).resolve().parent.parent  # the whole generator package


def _library_files() -> list[str]:
    import importlib.util

    found = []
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            found.append(spec.origin)
    return found


def watched(root: Path, template_folders: list[Path]) -> tuple[list[str], list[str]]:
    """The folders (walked, names recorded) and single files a project's check depends on."""
    root = root.resolve()
    folders = [root / "content", *template_folders, _generator_folder()]
    files = [root / "handouts.yaml", root / "templates"]  # a templates folder appearing changes where to look
    return [str(f) for f in folders], [str(f) for f in files]


@dataclass
class Snapshot:
    """The recorded state of every watched file and folder."""

    files: dict[str, list] = field(default_factory=dict)  # path -> [size, mtime_ns, ctime_ns, ino, sha256, racy]
    folders: dict[str, list[str]] = field(default_factory=dict)  # path -> sorted names, [] when missing
    complete: bool = True  # False when a folder tree was too deep or large to record: nothing is then cached


def _file_state(path: str, now_ns: int) -> list | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return [-1, 0, 0, 0, "", False]  # a folder, a device...: recorded as present, never hashed
    try:
        digest = _sha256(path)
    except OSError:
        return None
    racy = now_ns - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_SECONDS * 1_000_000_000
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, digest, racy]


def _walk(folder: str, snapshot: Snapshot, now_ns: int, top: str = "") -> None:
    """Record every folder and file under `folder`, depth first in name order (a stack, not recursion: a chain
    of a thousand nested folders must not end in a RecursionError)."""
    top = top or os.path.realpath(folder)
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            snapshot.folders[current] = []
            continue
        snapshot.folders[current] = [e.name for e in entries]
        below = []
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if entry.is_symlink() and not _leads_inside(entry.path, top):
                # Never followed or hashed (the check refuses it): a link to /usr would be walked and hashed whole.
                snapshot.complete = False
                continue
            try:
                is_dir = entry.is_dir()  # links followed: a linked folder's contents are inputs too
            except OSError:  # a link loop too deep to follow
                snapshot.complete = False
                return
            if is_dir:
                if len(snapshot.folders) + len(pending) + len(below) >= MAX_FOLDERS:  # a loop, or not a project
                    snapshot.complete = False
                    return
                below.append(entry.path)
            else:
                snapshot.files[entry.path] = _file_state(entry.path, now_ns) or [-2, 0, 0, 0, "", False]
        pending += reversed(below)


def _leads_inside(path: str, top: str) -> bool:
    try:
        resolved = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    return resolved == top or resolved.startswith(top.rstrip(os.sep) + os.sep)


def take(root: Path, template_folders: list[Path]) -> Snapshot:
    """Record every watched file and folder as it is now (to be taken before the check reads them)."""
    import time

    now_ns = time.time_ns()
    snapshot = Snapshot()
    folders, files = watched(root, template_folders)
    for folder in folders:
        _walk(folder, snapshot, now_ns)
    for path in [*files, *_library_files()]:
        snapshot.files[path] = _file_state(path, now_ns) or [-2, 0, 0, 0, "", False]
    return snapshot


def add_file(snapshot: Snapshot, path: Path) -> None:
    """Record one more input file (one named by the settings)."""
    import time

    snapshot.files[str(path)] = _file_state(str(path), time.time_ns()) or [-2, 0, 0, 0, "", False]


def _unchanged(path: str, recorded: list) -> bool:
    """Whether a file is as recorded: same stat (and same hash for a small or racy file), or same hash."""
    try:
        size, mtime_ns, ctime_ns, ino, digest, racy = recorded
    except (TypeError, ValueError):
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return size == -2  # missing then, missing now
    if size == -2:
        return False
    if size == -1:
        return not os.path.isfile(path)
    if not os.path.isfile(path) or stat.st_size != size:
        return False
    same_times = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) == (mtime_ns, ctime_ns, ino)
    if same_times and not racy and size >= ALWAYS_HASH_BELOW:
        return True
    try:
        return _sha256(path) == digest  # touched but identical (a checkout, a copy) still counts as unchanged
    except OSError:
        return False


def _listing(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


@dataclass
class Entry:
    """A project's cached check: its warnings, counts, the build plans made from it, and for each language
    the digest of the inputs its glyph and footer checks passed with."""

    snapshot: Snapshot
    warnings: list[dict[str, object]]
    counts: dict[str, int]
    plans: dict[str, list[list[str]]]
    languages: dict[str, str] = field(default_factory=dict)


def language_digest(snapshot: Snapshot, root: Path, lang: str, source: str) -> str:
    """What one language's glyph and footer checks depend on: every recorded input (by content, not by time)
    except the content of the other translations; the source language's content counts for every language (a
    translation's review state, printed in the footer, depends on it)."""
    content = os.path.join(str(root.resolve()), "content")
    others = {name for name in snapshot.folders.get(content, []) if name not in (lang, source)}

    def relevant(path: str) -> bool:
        if not path.startswith(content + os.sep):
            return True
        return path[len(content) + 1:].split(os.sep, 1)[0] not in others

    payload = [sorted([path, state[4]] for path, state in snapshot.files.items() if relevant(path)),
               sorted([path, names] for path, names in snapshot.folders.items() if relevant(path))]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogateescape")).hexdigest()


def _identity(today: date) -> dict[str, object]:
    import generator

    return {"schema": SCHEMA, "generator": generator.__version__, "code": str(_generator_folder()),
            "python": sys.version, "date": today.isoformat()}


def recorded(root: Path, today: date) -> Entry | None:
    """The project's recorded check of today, by this generator, whether or not its inputs changed since."""
    from generator.content.files import FileRefused, read_bytes

    try:
        path = cache_file(root)
        private_cache_dir(make=False)
        # A regular file of bounded size only: the cache folder is outside the project, but a pipe or a link
        # to /dev/zero there must not hang or fill the memory of every build.
        data = json.loads(read_bytes(path, MAX_CACHE_BYTES).decode("utf-8", "surrogateescape"))
        if not isinstance(data, dict) or data.get("identity") != _identity(today):
            return None
        snapshot = Snapshot(dict(data["files"]), dict(data["folders"]))
        entry = Entry(snapshot, list(data["warnings"]), dict(data["counts"]), dict(data["plans"]),
                      {str(k): str(v) for k, v in dict(data["languages"]).items()})
        if not _well_formed(entry, root):
            return None
    except (FileRefused, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return entry


MAX_WATCHED = 20_000  # files and folders of a recorded check (a project has a few hundred)
_WARNING_FIELDS = {"path": str, "line": int, "col": int, "key": str, "message": str, "hint": str, "severity": str}


def _well_formed(entry: Entry, root: Path) -> bool:
    """Whether a recorded check is one this generator could have written for this project: every field of the
    right type, and only files of the project, the generator and its libraries watched (a forged entry must
    neither end a command in a traceback nor make it read, or hash again and again, files elsewhere)."""
    files, folders = entry.snapshot.files, entry.snapshot.folders
    if len(files) + len(folders) > MAX_WATCHED:
        return False
    if not all(isinstance(v, list) and len(v) == 6 and all(type(x) is int for x in v[:4])
               and isinstance(v[4], str) and isinstance(v[5], bool) for v in files.values()):
        return False
    if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in folders.values()):
        return False
    if not all(isinstance(w, dict) and all(type(w.get(k)) is t for k, t in _WARNING_FIELDS.items())
               for w in entry.warnings):
        return False
    if not (all(isinstance(k, str) and type(v) is int for k, v in entry.counts.items())
            and {"handouts", "languages"} <= set(entry.counts)):
        return False
    if not all(isinstance(plan, list) and all(isinstance(pair, list) and len(pair) == 2
                                              and all(isinstance(x, str) for x in pair) for pair in plan)
               for plan in entry.plans.values()):
        return False
    tops = [str(root.resolve()), str(_generator_folder()), str(_generator_folder().parent)]
    libraries = set(_library_files())
    for path in [*files, *folders]:
        if path in libraries:
            continue
        if not os.path.isabs(path) or os.path.normpath(path) != path or not any(
                path == top or path.startswith(top.rstrip(os.sep) + os.sep) for top in tops):
            return False
    return True


def lookup(root: Path, today: date) -> Entry | None:
    """The cached check of the project at `root` when nothing it depends on changed; None otherwise."""
    entry = recorded(root, today)
    if entry is None or not still(entry.snapshot):
        return None
    return entry


def _read_as_recorded(snapshot: Snapshot) -> bool:
    from generator.content.files import last_read

    return all(not (read := last_read(path)) or read == state[4] for path, state in snapshot.files.items())


def still(snapshot: Snapshot) -> bool:
    """Whether every recorded file and folder is as the snapshot recorded it."""
    return all(_listing(folder) == names for folder, names in snapshot.folders.items()) and all(
        _unchanged(file, state) for file, state in snapshot.files.items())


def store(root: Path, today: date, entry: Entry) -> None:
    """Record a successful check (and the plans made from it); silently skipped when it cannot be written, or
    when an input changed while it was checked: the snapshot is taken before the check reads anything, so a file
    swapped for a passing one during the check, then back, would be vouched for unchecked (eleventh pass): each
    file must be as recorded, and what the check read of it must be what was recorded."""
    if not entry.snapshot.complete or not still(entry.snapshot) or not _read_as_recorded(entry.snapshot):
        return
    data = {"identity": _identity(today), "files": entry.snapshot.files, "folders": entry.snapshot.folders,
            "warnings": entry.warnings, "counts": entry.counts, "languages": entry.languages,
            "plans": dict(list(entry.plans.items())[-MAX_PLANS:])}
    try:
        path = cache_file(root)
        private_cache_dir()
        if path.resolve().is_relative_to(root.resolve()):  # never a write into the project (a cache there is an input)
            return
        handle, temp = tempfile.mkstemp(prefix=".check-", suffix=".tmp", dir=path.parent)
        try:
            # A file name the file system holds in another encoding (Latin-1 `caf\xe9.txt`) is kept as its bytes:
            # "surrogates not allowed" ended every check in a traceback (fifteenth pass).
            with open(handle, "w", encoding="utf-8", errors="surrogateescape") as out:  # (not os.fdopen: the
                # fault tests count those)
                json.dump(data, out, ensure_ascii=False)
            try:
                os.rename(temp, path)  # atomic, and replaces, on POSIX (not os.replace: see the fault tests)
            except FileExistsError:  # Windows
                os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass  # an optimisation only: a read-only or full cache folder costs speed, never correctness
