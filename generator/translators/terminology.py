"""The terminology table: one agreed term per concept and language, and the terms `lint` flags instead.

The table is the Markdown file docs/terminology.md of the project, so translators and reviewers read and edit
the same page the tool checks against. Each row of its table is

    | concept | lang | use | not |

where `use` is the agreed term and `not` lists other terms for the same concept, separated by `;`. A unit
of that language containing a `not` term is reported with its position; a row that cannot be read is a
problem reported at its line in the table, never skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.content import markup
from generator.content.files import FileRefused, read_text
from generator.content.model import Project
from generator.content.problems import Loc, Problems

TABLE_FILE = "docs/terminology.md"
HEADER = ("concept", "lang", "use", "not")
MAX_TABLE_BYTES = 1_000_000


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

    def line(self) -> str:
        return (f"{self.loc}: {self.unit}: uses '{self.found}' for '{self.term.concept}'; "
                f"{TABLE_FILE} says '{self.term.use}'")


def read_table(root: Path, problems: Problems) -> list[Term]:
    """The rows of the project's terminology table; none when the project has no table."""
    path = root / TABLE_FILE
    if not os.path.lexists(path):
        return []
    try:  # a regular file inside the project, of bounded size: never a link out, a pipe or a device
        text = read_text(path, MAX_TABLE_BYTES, root)
    except FileRefused as exc:
        problems.add(Loc(TABLE_FILE, exc.line), "", f"the terminology table {exc.reason}", exc.hint)
        return []
    terms: list[Term] = []
    in_table = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if tuple(c.lower() for c in cells) == HEADER:
            in_table = True
            continue
        if not in_table or set("".join(cells)) <= set("-: "):
            continue  # another table, or the header's separator row
        loc = Loc(TABLE_FILE, number, 1)
        if len(cells) != len(HEADER) or not all(cells[:3]):
            problems.add(loc, "terminology", f"a row needs {len(HEADER)} cells (concept, lang, use, not), "
                         "the first three filled", "write | session | zh-Hans | 治疗 | 疗程 |")
            continue
        concept, lang, use, avoid = cells
        avoided = tuple(a.strip() for a in avoid.split(";") if a.strip())
        clash = [a for a in avoided if a in use]
        if clash:
            problems.add(loc, "terminology", f"'{clash[0]}' is both the term to use and one to avoid",
                         "an avoided term must not be part of the agreed one")
            continue
        terms.append(Term(concept, lang, use, avoided, loc))
    return terms


def check(project: Project, terms: list[Term], langs: list[str] | None = None) -> list[Finding]:
    """Every unit of the chosen languages that uses an avoided term, in file order."""
    found = []
    for handout in project.handouts:
        if langs and handout.lang not in langs:
            continue
        rows = [t for t in terms if t.lang == handout.lang]
        for unit in handout.units():
            text = markup.plain(unit.spans)
            folded = text.casefold()
            for term in rows:
                hit = next((a for a in term.avoid if a.casefold() in folded), None)
                if hit:
                    found.append(Finding(unit.loc, handout.id, unit.id, hit, term))
    return found
