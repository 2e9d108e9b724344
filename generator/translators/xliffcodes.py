"""Inline codes of XLIFF text: markup (placeholders, bold, italic, links) split into the pieces written as
<ph>, <bpt> and <ept>, and the id each code gets, the same in a source and its translation."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Markup escapes first, so that `\*` is never taken for the start of italic.
_TOKENS = re.compile(r"(?P<escape>\\[*\[\]{}\\])|(?P<ph>\{[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\})|(?P<bold>\*\*)"
                     r"|(?P<italic>\*)|(?P<link>\[(?=[^\]\n]+\]\((?:[^()\s]|\([^()\s]*\))*\)))"
                     r"|(?P<close>\]\((?:[^()\s]|\([^()\s]*\))*\))")


# A CAT tool's own marks (`x-` types) whose text is the translation's: a comment on it, a tracked insertion, a term,
# a segment. Any other is refused: Trados keeps a reviser's tracked deletions as <mrk mtype="x-sdl-deleted">,
# shown struck through, and "Tome <deleted>10</deleted>5 mg" was imported as "Tome 105 mg" (thirty-fifth pass).
_KEPT_MARK = re.compile(r"x-(?:[a-z0-9]+-)*(?:comment|added|inserted|insertion|term|seg|segment|protected)",
                        re.IGNORECASE)


def mark_kept(mtype: str) -> bool:
    """Whether the text of a <mrk mtype=...> is part of the translation (the standard XLIFF 1.2 types, and a
    tool's own comments, insertions, terms and segments), so that it is imported as text."""
    return not mtype.lower().startswith("x-") or bool(_KEPT_MARK.fullmatch(mtype))


@dataclass(frozen=True)
class Piece:
    """A plain run of text, a placeholder, or one half of a paired code."""

    kind: str  # text, ph, open, close
    text: str
    code: str = ""  # bold, italic, link: what a pair is
    pair: int = -1  # index of the other half of a pair


def pieces(text: str) -> list[Piece] | None:
    """Text split into plain runs, placeholders and paired codes; None when the markup does not pair up."""
    pieces: list[Piece] = []
    stack: list[tuple[str, int]] = []
    pos = 0

    def plain(upto: int) -> None:
        if upto > pos:
            pieces.append(Piece("text", text[pos:upto]))

    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or ""
        if kind == "escape":
            continue
        plain(match.start())
        pos = match.end()
        token = match.group()
        if kind == "ph":
            pieces.append(Piece("ph", token))
        elif kind in ("bold", "italic") and stack and stack[-1][0] == kind:
            _, at = stack.pop()
            pieces[at] = Piece("open", pieces[at].text, kind, len(pieces))
            pieces.append(Piece("close", token, kind, at))
        elif kind in ("bold", "italic", "link"):
            stack.append((kind, len(pieces)))
            pieces.append(Piece("open", token, kind))
        elif kind == "close" and stack and stack[-1][0] == "link":
            _, at = stack.pop()
            pieces[at] = Piece("open", pieces[at].text, "link", len(pieces))
            pieces.append(Piece("close", token, "link", at))
        else:
            return None
    plain(len(text))
    return None if stack else pieces


def _key(pieces: list[Piece], piece: Piece) -> tuple[str, str]:
    """What identifies a code across source and translation: a placeholder's name, a link's address."""
    if piece.kind == "ph":
        return ("ph", piece.text)
    return (piece.code, pieces[piece.pair].text if piece.code == "link" else "")


def _numbering(pieces: list[Piece]) -> dict[tuple[str, str], list[str]]:
    """The source's codes numbered 1, 2, ... in order, grouped by what they are."""
    numbered: dict[tuple[str, str], list[str]] = {}
    count = 0
    for piece in pieces:
        if piece.kind in ("ph", "open"):
            count += 1
            numbered.setdefault(_key(pieces, piece), []).append(str(count))
    return numbered


def code_ids(pieces: list[Piece], source: list[Piece] | None) -> list[str]:
    """An id for each code: the n-th code of a kind gets the id of the source's n-th code of that kind."""
    numbered = _numbering(source if source is not None else pieces)
    ids: list[str] = [""] * len(pieces)
    extra = 0
    for index, piece in enumerate(pieces):
        if piece.kind in ("ph", "open"):
            free = numbered.get(_key(pieces, piece)) or []
            if free:
                ids[index] = free.pop(0)
            else:  # a code the source does not have: an id of its own, and the import check will name it
                extra += 1
                ids[index] = f"x{extra}"
            if piece.kind == "open":
                ids[piece.pair] = ids[index]
    return ids


def code_table(text: str, source: str | None = None) -> dict[tuple[str, str], str]:
    """The markup of each inline code an export writes for `text` (numbered against `source`), by (kind, id)."""
    split = pieces(text)
    if split is None:
        return {}
    ids = code_ids(split, pieces(source) if source is not None else None)
    kinds = {"ph": "ph", "open": "bpt", "close": "ept"}
    return {(kinds[p.kind], ids[i]): p.text for i, p in enumerate(split) if p.kind != "text"}
