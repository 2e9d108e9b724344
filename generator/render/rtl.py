"""Right-to-left text: Arabic shaping (vowel marks kept), visual line order, and isolating left-to-right values."""

from __future__ import annotations

import re
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


def embedded(text: str, depth: int = 0) -> int:
    """How many left-to-right embeddings (rtl.isolate's) are open after `text`, `depth` being open before it."""
    for ch in text:
        if ch == LRE:
            depth += 1
        elif ch == PDF and depth:
            depth -= 1
    return depth


def line_visual(line: str, depth: int) -> str:
    """One line of a right-to-left paragraph in display order, `depth` embeddings being open where it starts.

    The bidi algorithm runs line by line: a value wrapped over lines held its embedding's start on its first line
    and its end on its last, and the lines between and after read as right-to-left text, "+1 555 010 0100 (desk)"
    printing "(desk) 0100 010 555 1+" and a bracket moving to the line's other end (twenty-seventh pass). Each line
    opens the embeddings open before it and closes those it leaves open."""
    return visual(LRE * depth + line + PDF * embedded(line, depth))


def isolate(value: str) -> str:
    """Keep a left-to-right value (a phone number, an address) in its own order inside right-to-left text.

    Without this, `+1 555 010 0100` in Arabic prints as `0100 010 555 1+`: each digit group is ordered
    right to left, as the bidi algorithm requires for numbers separated by spaces. A value holding right-to-left
    letters (an Arabic address), or only Arabic-Indic digits, keeps its own direction; only the grouped numbers in
    it are kept left to right.
    """
    if value_direction(value) != "ltr":
        return isolate_numbers(value)
    return LRE + value + PDF


def value_direction(value: str) -> str:
    """The direction a value is kept in: "ltr" (a phone number, an address in Latin letters); "rtl" for one of
    Arabic-Indic digits and no letters, which reads as the text around it does (isolated left to right,
    "+٩٧١ ٤ ١٢٣ ٤٥٦٧" printed its "+" beside the last group: twenty-seventh pass); "" (its own) for one holding
    right-to-left letters."""
    classes = {unicodedata.bidirectional(ch) for ch in value}
    if classes & {"R", "AL"}:
        return ""
    return "rtl" if "AN" in classes and "L" not in classes else "ltr"


# A number written in groups, as a phone number or an ISO date is: `+1 555 010 0100`, `(555) 010-0100`,
# `0800 111 0111`, `555-010-0100`, `2026-12-06`, `1 000`. Not inside a word, an address or a longer number.
# (Arabic-Indic digits are left as the bidi algorithm orders them: it reads their groups right to left by design.)
# Groups may be parted by any space (a narrow no-break space, U+202F, is how French and Arabic typesetting part
# them) and any dash (an en dash), as well as a full stop (eleventh pass: only four separators were known, and
# `555\u202f010\u202f0100` printed its groups reversed).
_SPACE = " \u00a0\u2000-\u200a\u202f\u205f\u3000"
_DASH = "\\-\u2010-\u2015\u2212"
_GROUPED = re.compile(rf"(?<![\w@/:.,+{_DASH}])\+?(?:[0-9]+[{_SPACE}])?(?:\([0-9]+\)[{_SPACE}]?)?[0-9]+"
                      rf"(?:[{_SPACE}{_DASH}.][0-9]+)*(?![\w@/]|[.,:{_DASH}][0-9])")
# An e-mail or web address: one left-to-right unit too (`555-0100@clinic.example` printed `clinic.example@0100-555`).
_ADDRESS = re.compile(r"(?<![\w@.+\-])(?:(?:https?://)?(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}(?:[/?#]\S*)?"
                      r"|(?:mailto:)?[A-Za-z0-9.+_\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)", re.ASCII)
_TRAILING = ".,;:!?)]}»\"'،؛؟"  # a sentence's punctuation after an address is not part of it
_YEAR = re.compile(r"(?:19|20)[0-9][0-9]")


def _read_as_one(number: str) -> bool:
    """Whether a grouped number is one left-to-right unit (a phone number, a date) rather than two numbers the
    right-to-left reading orders on purpose (a range `1-2`, `2019-2025`)."""
    if number.startswith("+") or "(" in number:
        return True  # an international number, an area code
    parts = re.split(rf"[{_SPACE}{_DASH}]", number)  # a decimal point stays inside its part
    if len(parts) >= 3:
        return True
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return False
    if not re.match(rf"[{_DASH}]", number[len(parts[0])]):
        return len(parts[1]) >= 3  # `555 0100`, `1 000`: groups of a number, not two numbers side by side
    # A range reads right to left in Arabic (from 1 to 2 is printed 2-1): only a local number is one unit, joined
    # by a hyphen (an en or em dash between two numbers is a range's: "250–1000 mg", twelfth pass).
    return number[len(parts[0])] in "-\u2010\u2011" and len(parts[0]) + len(parts[1]) >= 7 \
        and not all(_YEAR.fullmatch(part) for part in parts)


def number_runs(text: str) -> list[tuple[int, int]]:
    """Where `text` holds what a reader reads as one left-to-right unit (start, end): a grouped number (a phone
    number, a date), an e-mail or web address."""
    runs = []
    for match in _ADDRESS.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            end -= 1
        runs.append((match.start(), end))
    runs += [match.span() for match in _GROUPED.finditer(text) if _read_as_one(match.group())
             and not any(start <= match.start() < end for start, end in runs)]
    return sorted(runs)


def isolate_numbers(text: str) -> str:
    """`text` with each grouped number kept left to right, as a value is: a translator's `+1 555 010 0100`
    inside Arabic text printed `0100 010 555 1+` (tenth pass), and check refuses direction controls in content,
    so the translator cannot isolate it by hand."""
    out, last = [], 0
    for start, end in number_runs(text):
        out += [text[last:start], LRE, text[start:end], PDF]
        last = end
    return "".join(out) + text[last:] if out else text
