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
# companion, the direction of the isolate it is in ('ltr', 'auto'...; '' for none).
Flow = Sequence[tuple[str, str] | tuple[str, str, bool | str]]
Mark = tuple[str, bool | str]  # a character's link, and its value mark (False when a flow does not tell)
Runs = tuple[tuple[int, int, Mark], ...]


_PLAIN: Mark = ("", False)


def normalised(spans: Flow) -> tuple[str, list[Mark]]:
    """The spans' text with its white space collapsed (as `" ".join(text.split())`), and each character's mark
    (its link, and whether it is drawn as a value)."""
    marks_of = [(span[0], (span[1], (len(span) > 2 and span[2]) or False)) for span in spans]  # type: ignore[misc]
    if all(mark == _PLAIN for _, mark in marks_of):  # most flows: no link, no value: no walk character by character
        text = " ".join("".join(piece for piece, _ in marks_of).split())
        return text, [_PLAIN] * len(text)
    chars: list[str] = []
    marks: list[Mark] = []
    for text, mark in marks_of:
        for ch in text:
            if not ch.isspace():
                chars.append(ch)
                marks.append(mark)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                marks.append(_PLAIN)
    if chars and chars[-1] == " ":
        chars.pop()
        marks.pop()
    return "".join(chars), marks


def marked_runs(text: str, marks: Sequence[Mark], values: bool = True) -> Runs:
    """Which words a text's links and values cover: (first, last, mark) over its characters other than spaces (a
    link ending before or after a space covers the same words). `values`: whether the marks tell values."""
    runs: list[tuple[int, int, Mark]] = []
    visible = 0
    for ch, (link, value) in zip(text, marks, strict=True):
        if ch == " ":
            continue
        mark: Mark = (link, value if values else False)
        if mark != _PLAIN and runs and runs[-1][2] == mark and runs[-1][1] == visible - 1:
            runs[-1] = (runs[-1][0], visible, mark)
        elif mark != _PLAIN:
            runs.append((visible, visible, mark))
        visible += 1
    return tuple(runs)


def links_as_their_units(text: str, marks: list[Mark], found: Sequence[tuple[str, int]],
                          units: dict[str, set[Runs]], tells: bool) -> None:
    """In a composed line, each unit carries its own links and values over its own words, and nothing else is
    linked: a unit's link laid over another unit ("In a crisis, call 988." dialling the clinic) was only checked
    to be a link of some unit in the line (ninth pass)."""
    rest = [link for link, _ in marks]
    for piece, offset in found:
        if piece in units:
            if marked_runs(piece, marks[offset:offset + len(piece)], tells) not in units[piece]:
                raise Unfaithful(f"it gives '{piece[:60]}' links that are not its own, or its own links over other "
                                 "words, or prints a value of it as plain text")
            rest[offset:offset + len(piece)] = [""] * len(piece)
    linked = next((link for link in rest if link), "")
    if linked:
        raise Unfaithful(f"it links '{text[:60]}' to {linked[:60]}, which is not a link of the handout's there")
