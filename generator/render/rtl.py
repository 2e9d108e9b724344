"""Right-to-left text: Arabic shaping (vowel marks kept), visual line order, and isolating left-to-right values."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

LRE, PDF = "\u202a", "\u202c"  # left-to-right embedding and its end; the bidi algorithm consumes both
BIDI_CONTROLS = str.maketrans("", "", LRE + PDF)


@cache
def _reshaper():  # type: ignore[no-untyped-def]
    from arabic_reshaper import ArabicReshaper

    # The default deletes vowel marks (harakat) silently; DejaVu Sans places them well, so keep them.
    return ArabicReshaper(configuration={"delete_harakat": False})


@lru_cache(maxsize=8192)  # the glyph check and the layout shape the same texts; the reshaper is slow
def reshape(text: str) -> str:
    """Arabic letters in their joined (contextual) forms, still in logical order."""
    return _reshaper().reshape(text)


def visual(line: str) -> str:
    """One line in display order for a right-to-left paragraph (brackets mirrored)."""
    from bidi.algorithm import get_display

    return get_display(line, base_dir="R")


def isolate(value: str) -> str:
    """Keep a left-to-right value (a phone number, an address) in its own order inside right-to-left text.

    Without this, `+1 555 010 0100` in Arabic prints as `0100 010 555 1+`: each digit group is ordered
    right to left, as the bidi algorithm requires for numbers separated by spaces.
    """
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value):
        return value
    return LRE + value + PDF
