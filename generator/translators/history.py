"""Source texts that translations were made from, kept by hash, so a changed source can be shown beside the old.

Each translation file records, per unit, a hash of the source text it was translated from. The hash alone
cannot show a translator *what* changed; this file keeps the texts behind the hashes still in use
(`content/source-history.yaml`), so that exports give stale units their previous source text
(PO `#| msgid`, XLIFF `<alt-trans alttranstype="previous-version">`). It is written by `translate import`,
`done` and `sync` together with the translation files, and pruned to the hashes some translation records.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.content.endings import in_style_of
from generator.content.files import FileRefused, note_absent, read_text
from generator.content.translation import UNTRANSLATED, source_hash
from generator.content.yamldata import load_data
from generator.content.yamlread import MAX_FILE_BYTES
from generator.review.record import quoted

HISTORY_FILE = "source-history.yaml"  # in content/
HEADER = ("# Source texts that translations were made from, by the hash each translation file records in its\n"
          "# `translation:` block. Kept by `handouts translate` so that a changed source text can be shown next\n"
          "# to the old one (PO '#| msgid', XLIFF alt-trans). Do not edit by hand; deleting it loses only that.\n")


def path(root: Path) -> Path:
    return root / "content" / HISTORY_FILE


def load(root: Path) -> dict[str, str]:
    """Hash → source text; entries whose text does not match their hash are ignored (never trusted)."""
    return _read(root) or {}  # a broken history loses only the previous texts shown to translators, never content


def _read(root: Path) -> dict[str, str] | None:
    """The history's entries ({} without a file); None when a file is there but cannot be read as a history (a git
    merge conflict, a folder, a link out): then it is never replaced (nineteenth pass: `translate done` wrote a new
    one over a conflicted file, and the texts of both sides were gone)."""
    file = path(root)
    if not os.path.lexists(file):
        note_absent(file)  # made by another command meanwhile, it is not replaced
        return {}
    try:
        data = load_data(file, root)  # never a link leading out of the project
    except (OSError, ValueError):
        return None
    if data is None:  # an emptied file: nothing kept yet
        return {}
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, dict):
        return {} if isinstance(data, dict) and data.get("texts", {}) is None else None  # `texts:` alone: empty
    return {str(k): v for k, v in texts.items() if isinstance(v, str) and source_hash(v) == str(k)}


def recorded_hashes(root: Path, skip: Iterable[Path] = ()) -> set[str] | None:
    """Every hash some translation file records (files in `skip` are about to be replaced); None when a file's
    record cannot be read (a slip a translator is fixing): its hashes are unknown, so nothing may be pruned."""
    skipped = {os.path.realpath(p) for p in skip}  # realpath: a link loop (loop.yaml -> loop.yaml) raises nothing
    found: set[str] = set()
    content = root / "content"
    for folder in (p for p in content.iterdir() if p.is_dir()):
        for file in folder.glob("*.yaml"):
            if os.path.realpath(file) in skipped or file.name.startswith("."):
                continue
            try:
                data = load_data(file, root)
            except (OSError, ValueError):
                return None
            if not isinstance(data, dict):
                return None
            record = data.get("translation", {})  # any type: a translator's typo
            units = record.get("units", {}) if isinstance(record, dict) else None
            if not isinstance(units, dict):
                return None
            found |= {str(v) for v in units.values() if v != UNTRANSLATED}
    return found


def render(texts: dict[str, str]) -> bytes:
    """The file's content: every entry double-quoted, invisible characters escaped."""
    lines = [HEADER + "texts:"] if texts else [HEADER + "texts: {}"]
    # Escaped as approve writes values: a raw U+2028 or NEL is a line break to YAML, folded into a space when read
    # back, so the text no longer matched its hash and was dropped (eighteenth pass).
    lines += [f"  {key}: {quoted(texts[key])}" for key in sorted(texts)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def updated(root: Path, sources: Iterable[str], new_records: dict[Path, Iterable[str]]) -> tuple[Path, bytes] | None:
    """The history file with `sources` added, pruned to hashes still recorded; None when nothing changes."""
    kept = _read(root)
    if kept is None:  # left for whoever can mend it: the export shows no previous texts meanwhile
        return None
    texts = dict(kept)
    for text in sources:
        texts[source_hash(text)] = text
    recorded = recorded_hashes(root, skip=new_records)
    if recorded is not None:  # pruned only when every file's record is known (eighteenth pass)
        in_use = recorded | {h for hashes in new_records.values() for h in hashes}
        texts = {k: v for k, v in texts.items() if k in in_use}
    if texts == kept and path(root).is_file():
        return None
    rendered = render(texts)
    if os.path.lexists(path(root)):  # the file's own line endings (and byte-order mark) kept: nineteenth pass
        try:
            rendered = in_style_of(rendered.decode("utf-8"), read_text(path(root), MAX_FILE_BYTES, root)).encode()
        except FileRefused:
            pass
    if len(rendered) > MAX_FILE_BYTES:  # it could never be read back; a help to translators, never content: not
        return None  # written, so the write of the translations themselves is not refused for it
    return path(root), rendered
