"""A project face's characters that its file maps to a glyph drawn blank (a speck, an empty or off-line outline)
are the face's fault, said once with its file, never each use blamed on the content as a character the face lacks
(thirty-seventh pass: n, o and t drawn at 0.35 of their size gave a dozen "character 'n' is not in font
noto-sans-regular; replace the character" at handouts.yaml and facts.yaml, never naming T.ttf)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.render.fonts import Face, coverage, drawn_map, file_version, ink_check

Inkless = Callable[[frozenset[int]], frozenset[int]]


def drawable(face: Face) -> tuple[frozenset[int], Inkless]:
    """The code points the face maps to a glyph, and which of some of them it draws without visible ink: those
    whose glyph the coverage left out as blank (fontink.drawn), and those the drawing check finds blank."""
    covered, inkless = coverage(face.path, face.index), ink_check(face)
    specks = mapped(face.path, face.index, file_version(face.path)) - covered
    if not specks:
        return covered, inkless
    return covered | specks, lambda codes: inkless(codes & covered) | (codes & specks)


def mapped(path: Path, index: int, stamp: tuple[int, ...]) -> frozenset[int]:
    """The code points this version of the face's file maps to a glyph (glyph 0 is the missing-glyph box); not
    kept: asked once per language and check (_faces_now), and a few milliseconds for a CJK face's 30,000."""
    return frozenset(code for code, glyph in drawn_map(path, index, stamp).items() if glyph)
