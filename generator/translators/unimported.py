"""A translator's work not yet imported: the units of an exchange file that `translate export -o` would replace.

A PO or XLIFF file is where a translator works (Poedit, memoQ, Trados save into it). Exporting again to the same
name — for the new source units, or by a project manager who does not know it is in use — replaced it whole, and
every translation made there since the export was gone, unsaid (twenty-second pass). Such a file is now refused,
and so is one holding a translator's note (a PO `# ` comment, an XLIFF `<note from="translator">`) that `translate
import` would bring into the project and it does not hold yet (twenty-third pass).
"""

from __future__ import annotations

from pathlib import Path

from generator.content.files import FileRefused, read_text
from generator.content.problems import ContentError
from generator.content.translation import source_hash
from generator.translators.incoming import MAX_EXCHANGE_BYTES, detect_format, read_po, read_xliff


def pending_units(path: Path, current: dict[str, str], notes: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The units ("handout|unit") of the exchange file at `path` whose translation was changed after the export and
    is not what the project holds (`current`, by the same keys), or that carry a translator's comment the project
    does not hold (`notes`: each unit's comments in its translation file, as import compares them): work that
    replacing the file would lose. Nothing when there is no such file, or it is not one `translate export` made
    (then nothing tells work from export)."""
    try:
        text = read_text(path, MAX_EXCHANGE_BYTES)
        units = (read_po if detect_format(path, text) == "po" else read_xliff)(text, str(path))[2]
    except (FileRefused, ContentError, OSError):
        return []
    held = {key: {note.strip() for note in kept} for key, kept in (notes or {}).items()}
    return [unit.key for unit in units if (unit.target and unit.target != current.get(unit.key)
                                           and not (unit.target_hash and source_hash(unit.target) == unit.target_hash))
            or any(c.strip() and c.strip() not in held.get(unit.key, set()) for c in unit.comments)]
