"""What a template's laid-out text carries besides its words: which characters are links, and which are values.

A unit's link covers the very words the content links ("call the clinic"), and a value (a phone number) is drawn
as a value, isolated, so that right-to-left text around it cannot reorder its characters. render/faithful.py
compares each printed unit's marks with the unit's own (ninth pass: a unit's tel: link laid over the crisis
sentence; a contact line printed through `.plain`, its phone number reversed in Arabic).
"""

from __future__ import annotations

from collections.abc import Sequence


class Unfaithful(ValueError):
    """The template's output adds words of its own, or leaves part of the handout out, or changes it."""


# A flow's spans: (text, link), or (text, link, value) where the layout isolates a value (a phone number) so that
# right-to-left text around it cannot reorder its characters: in the PDF, whether it is a value; in the HTML
# companion, the direction of the isolate it is in ('ltr', 'auto'...; '' for none); or (text, link, value,
# emphasis): "b", "i" or "bi" for bold and italic text (sixteenth pass: a template dropped the bold "not").
Flow = Sequence[tuple[str, str] | tuple[str, str, bool | str] | tuple[str, str, bool | str, str]]
Mark = tuple[str, bool | str, str]  # a character's link, value mark (False when a flow does not tell), emphasis
Runs = tuple[tuple[int, int, Mark], ...]


_PLAIN: Mark = ("", False, "")
Segments = tuple[tuple[int, int, Mark], ...]  # (start, end, mark) of each marked span in the collapsed text


def normalised(spans: Flow) -> tuple[str, Segments]:
    """The spans' text with its white space collapsed (as `" ".join(text.split())`), and where each span with a
    link, a value mark or emphasis lies in it (its first word's start to its last word's end)."""
    out: list[str] = []
    size = 0
    segments: list[tuple[int, int, Mark]] = []
    pending = False  # white space seen since the last word
    for span in spans:
        text = span[0]
        mark: Mark = (span[1], (len(span) > 2 and span[2]) or False,  # type: ignore[misc]
                      span[3] if len(span) > 3 else "")  # type: ignore[misc]
        words = text.split()
        if text[:1].isspace():
            pending = True
        start = -1
        for word in words:
            if size and pending:
                out.append(" ")
                size += 1
            if start < 0:
                start = size
            out.append(word)
            size += len(word)
            pending = True
        if words:
            pending = text[-1].isspace()
            if mark != _PLAIN:
                segments.append((start, size, mark))
    return "".join(out), tuple(segments)


def marked_runs(text: str, segments: Segments, lo: int = 0, hi: int | None = None) -> Runs:
    """Which words of `text[lo:hi]` links and value marks cover: (first, last, mark) counted over its characters
    other than spaces (a link ending before or after a space covers the same words; two spans of one mark with
    only a space between are one run)."""
    hi = len(text) if hi is None else hi
    runs: list[tuple[int, int, Mark]] = []
    for start, end, mark in segments:
        a, b = max(start, lo), min(end, hi)
        if a >= b:
            continue
        first = a - lo - text.count(" ", lo, a)
        last = b - 1 - lo - text.count(" ", lo, b - 1)
        if runs and runs[-1][2] == mark and runs[-1][1] == first - 1:
            runs[-1] = (runs[-1][0], last, mark)
        else:
            runs.append((first, last, mark))
    return tuple(runs)


def links_as_their_units(text: str, segments: Segments, found: Sequence[tuple[str, int]],
                         units: dict[str, set[Runs]]) -> None:
    """In a composed line, each unit carries its own links and values over its own words, and nothing else is
    linked: a unit's link laid over another unit ("In a crisis, call 988." dialling the clinic) was only checked
    to be a link of some unit in the line (ninth pass)."""
    covered = [False] * len(text)
    for piece, offset in found:
        if piece in units:
            if marked_runs(text, segments, offset, offset + len(piece)) not in units[piece]:
                raise Unfaithful(f"it gives '{piece[:60]}' links that are not its own, or emphasis (bold, italic) "
                                 "not its own, or its own over other words, or prints a value of it as plain text")
            covered[offset:offset + len(piece)] = [True] * len(piece)
    for start, end, (link, *_) in segments:
        if link and any(not covered[at] and text[at] != " " for at in range(start, end)):
            raise Unfaithful(f"it links '{text[:60]}' to {link[:60]}, which is not a link of the handout's there")


def emphasis(bold: bool, italic: bool) -> str:
    """A span's emphasis as a flow's spans give it: "b", "i", "bi" or ""."""
    return ("b" if bold else "") + ("i" if italic else "")
