"""The terminology table: one agreed term per concept and language, and the terms `lint` flags instead.

The table is the Markdown file docs/terminology.md of the project, so translators and reviewers read and edit
the same page the tool checks against. Each row of its table is

    | concept | lang | use | not |

where `use` is the agreed term and `not` lists other terms for the same concept, separated by `;`. A unit
of that language containing a `not` term is reported with its position; a row that cannot be read is a
problem reported at its line in the table, never skipped.

The table is read as GitHub-flavoured Markdown reads it, so that what an editor shows is what lint checks: outer
pipes are optional, `\\|` is a pipe inside a cell, a byte-order mark and Windows line endings are ignored, and a
table in a fenced code block is an example, not the table. A docs/terminology.md without a readable table is a
problem, never silence (fifth hostile pass: a BOM or a table without outer pipes made lint check nothing).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.content import markup, names
from generator.content.files import FileRefused, read_text
from generator.content.model import Project
from generator.content.problems import Loc, Problems, printable

TABLE_FILE = "docs/terminology.md"
HEADER = ("concept", "lang", "use", "not")
MAX_TABLE_BYTES = 1_000_000
# Terms to avoid, all rows together: lint looks for each in every unit of its language, so 240,000 short ones in a
# 1 MB table took 97 s on five long handouts (sixteenth pass); a real table avoids a few dozen.
MAX_AVOIDED = 2_000
DELIMITER_CELL = re.compile(r":?-+:?")
FENCE = re.compile(r" {0,3}(```|~~~)")
BLOCK_START = re.compile(r"#|>|[-*+] |\d+[.)] ")  # in a table, any other line is a row (of one cell)


@dataclass(frozen=True)
class Term:
    concept: str
    lang: str
    use: str
    avoid: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True)
class Finding:
    loc: Loc
    handout: str
    unit: str
    found: str
    term: Term
    others: int = 0  # further rows avoiding the same term: named by count, not a line each

    def line(self) -> str:
        also = f" (and {self.others:,} other row(s) of the table avoid it too)" if self.others else ""
        return (f"{self.loc}: {self.unit}: uses '{self.found}' for '{self.term.concept}'; "
                f"{TABLE_FILE} says '{self.term.use}'{also}")


def read_table(root: Path, problems: Problems, languages: Iterable[str] = ()) -> list[Term]:
    """The rows of the project's terminology table; none when the project has no table. A row's language must be a
    code, spelt as the project's `languages` spell it (nineteenth pass: `EN` matched nothing, in silence)."""
    languages = tuple(languages)
    path = root / TABLE_FILE
    if not os.path.lexists(path):
        return []
    try:  # a regular file inside the project, of bounded size: never a link out, a pipe or a device
        text = read_text(path, MAX_TABLE_BYTES, root)
    except FileRefused as exc:
        problems.add(Loc(TABLE_FILE, exc.line), "", f"the terminology table {exc.reason}", exc.hint)
        return []
    terms: list[Term] = []
    tables, avoiding = 0, 0
    lines = text.removeprefix("\ufeff").splitlines()
    for number, cells in _table_rows(lines):
        if cells is None:  # the header row of a terminology table
            tables += 1
            continue
        loc = Loc(TABLE_FILE, number, 1)
        if len(cells) == len(HEADER) - 1:
            cells.append("")  # GitHub Markdown fills a short row with empty cells: nothing to avoid
        if len(cells) != len(HEADER) or not all(cells[:3]):
            problems.add(loc, "terminology", f"a row needs {len(HEADER)} cells (concept, lang, use, not), "
                         "the first three filled", "write | session | zh-Hans | 治疗 | 疗程 |")
            continue
        concept, lang, use, avoid = cells
        if not names.is_language_code(lang) or any(lang != code and lang.casefold() == code.casefold()
                                                   for code in languages):
            like = next((code for code in languages if code.casefold() == lang.casefold()), "es")
            problems.add(loc, "terminology", f"'{printable(lang[:40])}' is not a language code of this project, so the "
                         "row would match no text", f"write the code as the project does, e.g. {like}")
            continue
        avoided = tuple(a.strip() for a in avoid.split(";") if a.strip())
        clash = [a for a in avoided if a in use]
        if clash:
            problems.add(loc, "terminology", f"'{clash[0]}' is both the term to use and one to avoid",
                         "an avoided term must not be part of the agreed one")
            continue
        avoiding += len(avoided)
        if avoiding > MAX_AVOIDED:
            problems.add(loc, "terminology", f"the table avoids more than {MAX_AVOIDED:,} terms in all; lint "
                         "looks for each in every text", "keep the terms translators confuse, one row per concept")
            break
        terms.append(Term(concept, lang, use, avoided, loc))
    if not tables:
        problems.add(Loc(TABLE_FILE, 1, 1), "terminology", "no terminology table found, so lint checks no terms",
                     "start the table with the header row | concept | lang | use | not | and the row |---|---|---|---| "
                     "(or remove the file)")
    return terms


def _table_rows(lines: list[str]) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, cells) of each body row of every table headed concept | lang | use | not, and
    (line number, None) for each such header."""
    fenced, in_table, index = "", False, 0
    while index < len(lines):
        raw, index = lines[index], index + 1  # index is now the 1-based number of `raw`, and the next row's
        fence = FENCE.match(raw)
        if fence and (not fenced or fence[1] == fenced):
            fenced, in_table = ("" if fenced else fence[1]), False
            continue
        line = raw.strip()
        if fenced or not line or ("|" not in line and (not in_table or BLOCK_START.match(line))):
            in_table = False  # a blank line, a heading, quote or list, or a code block ends a table
            continue
        cells = _cells(line)
        if in_table:
            yield index, cells
        elif (tuple(c.lower() for c in cells) == HEADER and index < len(lines)
              and _is_delimiter(lines[index])):
            yield index, None
            in_table, index = True, index + 1  # past the delimiter row


def _cells(line: str) -> list[str]:
    """A table row's cells: without the optional outer pipes, split at pipes that are not escaped."""
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)]


def _is_delimiter(line: str) -> bool:
    cells = _cells(line.strip())
    return "|" in line and len(cells) == len(HEADER) and all(DELIMITER_CELL.fullmatch(c) for c in cells)


def check(project: Project, terms: list[Term], langs: list[str] | None = None,
          keep: int = 1_000) -> tuple[list[Finding], int]:
    """The first `keep` uses of an avoided term by the chosen languages' units, in file order, and how many there
    are in all: one per unit and avoided term, however many rows avoid it (eighth pass: 10,000 rows avoiding one
    letter made 2.85 million findings, 52 s and 945 MB), each term looked for once per unit."""
    avoided: dict[str, dict[str, list[Term]]] = {}  # language -> casefolded term -> the rows avoiding it
    for term in terms:
        for word in term.avoid:
            avoided.setdefault(term.lang, {}).setdefault(word.casefold(), []).append(term)
    found, total = [], 0
    for handout in project.handouts:
        if langs and handout.lang not in langs:
            continue
        rows = avoided.get(handout.lang, {})
        for unit in handout.units() if rows else ():
            folded = markup.plain(unit.spans).casefold()
            hits = [(rows[word][0].loc.line, word) for word in rows if word in folded]
            total += len(hits)
            for _, word in sorted(hits)[:max(keep - len(found), 0)]:
                first = rows[word][0]
                shown = next((a for a in first.avoid if a.casefold() == word), word)
                found.append(Finding(unit.loc, handout.id, unit.id, shown, first, len(rows[word]) - 1))
    return found, total
