"""Write output files (PDF, HTML) and the manifest atomically: temp files first, renames once all are on disk."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

MANIFEST = "manifest.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class WriteError(Exception):
    """The output could not be written; nothing was changed."""


class Writable(Protocol):
    file: str
    data: bytes

    def entry(self) -> dict[str, object]: ...


def _temp_beside(target: Path, data: bytes) -> Path:
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


def read_manifest(out: Path) -> list[dict[str, object]]:
    """The existing manifest's entries, or none when there is no readable manifest."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def write_outputs(outputs: Sequence[Writable], out: Path) -> None:
    """Write every file and the updated manifest, or (on any failure) leave the output folder as it was."""
    entries = {str(e.get("file")): e for e in read_manifest(out)}
    for output in outputs:
        entries[output.file] = output.entry()
    manifest = json.dumps(sorted(entries.values(), key=lambda e: str(e["file"])), indent=2,
                          ensure_ascii=False).encode("utf-8") + b"\n"
    staged: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            target = out / output.file
            staged.append((_temp_beside(target, output.data), target))
        staged.append((_temp_beside(out / MANIFEST, manifest), out / MANIFEST))
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise WriteError(f"{out}: cannot write output ({exc.strerror or exc}); nothing was changed; "
                         "check free space and permissions, or choose another folder with --out") from None
    for temp, target in staged:
        os.replace(temp, target)


def write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files all-or-nothing: every temporary file first, then the renames."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            staged.append((_temp_beside(target, data), target))
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise WriteError(f"cannot write {exc.filename or 'output'} ({exc.strerror or exc}); nothing was changed; "
                         "check free space and permissions") from None
    for temp, target in staged:
        os.replace(temp, target)
