"""A translator's work not yet imported: the units of an exchange file that `translate export -o` would replace.

A PO or XLIFF file is where a translator works (Poedit, memoQ, Trados save into it). Exporting again to the same
name — for the new source units, or by a project manager who does not know it is in use — replaced it whole, and
every translation made there since the export was gone, unsaid (twenty-second pass). Such a file is now refused.
"""

from __future__ import annotations

from pathlib import Path

from generator.content.files import FileRefused, read_text
from generator.content.problems import ContentError
from generator.content.translation import source_hash
from generator.translators.incoming import MAX_EXCHANGE_BYTES, detect_format, read_po, read_xliff


def pending_units(path: Path, current: dict[str, str]) -> list[str]:
    """The units ("handout|unit") of the exchange file at `path` whose translation was changed after the export and
    is not what the project holds (`current`, by the same keys): work that replacing the file would lose. Nothing
    when there is no such file, or it is not one `translate export` made (then nothing tells work from export)."""
    try:
        text = read_text(path, MAX_EXCHANGE_BYTES)
        units = (read_po if detect_format(path, text) == "po" else read_xliff)(text, str(path))[2]
    except (FileRefused, ContentError, OSError):
        return []
    return [unit.key for unit in units if unit.target and unit.target != current.get(unit.key)
            and not (unit.target_hash and source_hash(unit.target) == unit.target_hash)]
