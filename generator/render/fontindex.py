"""The face number after a font file's `#` in fonts.yaml: plain ASCII digits, a few of them.

Python's int() also takes `١` (Arabic-Indic one), `1_0` and 21-digit numbers; a number that large ended `check` in
an OverflowError traceback (thirty-second pass). A collection holds at most 65,535 faces (its count is 32-bit, but
no collection has more than a few dozen).
"""

from __future__ import annotations

import re

_FACE_NUMBER = re.compile(r"[0-9]{1,5}")


def face_number(written: str, where: str) -> int:
    """The face number `written` after '#' (0 when empty); ValueError naming `where` if it is not 0-9 digits."""
    written = written.strip()
    if not written:
        return 0
    if not _FACE_NUMBER.fullmatch(written):
        raise ValueError(f"{where}: face number '{written[:8]}' is not 0 to 99999 in 0-9 digits")
    return int(written)
