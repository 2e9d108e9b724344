"""A seal on each manifest entry: proof that this user's generator wrote the file the entry lists.

The output folder is untrusted (fourth hostile pass): whoever can write there can alter a PDF and put its new
sha256 into `manifest.json`, and a build then kept the altered file and the front desk served it. So each entry
also carries an HMAC of its file name, sha256 and inputs, keyed by a secret kept in the user's cache folder
(never in the project). A build keeps, and the desk serves, only files whose entries are sealed with that
secret; `verify` trusts a seal only to tell "built here, with other templates or style" from "altered". Without
the secret (another user, a new machine, a read-only cache) entries are simply not trusted: files are rebuilt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from generator.content.files import FileRefused, read_bytes

KEY_FILE = "seal.key"
_KEY_BYTES = 32
_secret: bytes | None = None


def cache_dir() -> Path:
    """$HANDOUTS_CACHE_DIR, else $XDG_CACHE_HOME/patient-handouts, else ~/.cache/patient-handouts; a relative
    value is ignored (the XDG rule: it would name a folder inside whichever project the command runs in)."""
    chosen = os.environ.get("HANDOUTS_CACHE_DIR", "")
    if os.path.isabs(chosen):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "patient-handouts"


def _key() -> bytes:
    """The user's secret: read, or made once (0600, created whole by a link, so two builds agree on one)."""
    global _secret
    if _secret is None:
        path = cache_dir() / KEY_FILE
        try:
            _secret = _read(path) or _create(path)
        except OSError:  # no usable cache folder: this process's seals hold for this process only
            _secret = os.urandom(_KEY_BYTES)
    return _secret


def _read(path: Path) -> bytes | None:
    try:
        data = read_bytes(path, _KEY_BYTES)
    except FileRefused:
        return None
    return data if len(data) == _KEY_BYTES else None


def _create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.write(fd, os.urandom(_KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)  # fails if another process made one first: then that one is the key
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
    key = _read(path)
    if key is None:
        raise OSError("the seal key cannot be read back")
    return key


def _mac(entry: dict[str, object]) -> str:
    what = json.dumps([entry.get("file"), entry.get("sha256"), entry.get("inputs")]).encode("utf-8")
    return hmac.new(_key(), what, hashlib.sha256).hexdigest()


def sealed(entry: dict[str, object]) -> dict[str, object]:
    """The manifest entry with its seal."""
    return {**entry, "seal": _mac(entry)}


def is_sealed(entry: dict[str, object]) -> bool:
    """Whether this user's generator wrote the entry (its file name, sha256 and inputs unchanged since)."""
    return hmac.compare_digest(str(entry.get("seal", "")), _mac(entry))
