"""What the front desk offers: every handout in every language, with its title, summary and review state,
re-read whenever a file of the project changes; and the search over titles and summaries in any language."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.batch.checkcache import RACY_SECONDS
from generator.content.model import Project
from generator.content.project import load_or_raise
from generator.incremental import input_files
from generator.render.localize import language_name, resolve, values
from generator.review.state import APPROVED, handout_state

EDITIONS = ("standard", "large", "bilingual")
MAX_QUERY_CHARS = 200
# Looking for changes may take this long per request (a project of 20,000 files: about 0.1 s); past it the
# project is loaded again instead, so that no edit is ever missed (a file-count cap served a stale PDF to a
# project of 20,001 files, seventh pass).
WATCH_BUDGET_S = 0.5
# Letters that writers use interchangeably in searches and that Unicode does not decompose: Arabic alef forms,
# alef maqsura and ta marbuta; Vietnamese đ typed as d.
_LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "đ": "d"})


@dataclass(frozen=True)
class Language:
    """A language the clinic prints in: its code, its own name (Babel's autonym), its English name, its direction."""

    code: str
    autonym: str
    english: str
    direction: str


@dataclass(frozen=True)
class Entry:
    """One handout in one language, as the desk shows it."""

    handout: str
    lang: str
    title: str
    summary: str
    version: str
    status: str  # the effective review state: approved, draft, changed since approval, ...
    current_as_of: str  # ISO date: the approval's date, or for a draft the latest date its sources were checked
    as_of_reason: str  # "reviewed" or "sources checked"

    @property
    def approved(self) -> bool:
        return self.status == APPROVED


@dataclass(frozen=True)
class Catalog:
    """The loaded project and everything the pages list."""

    project: Project
    languages: tuple[Language, ...]
    entries: dict[tuple[str, str], Entry]

    @property
    def source(self) -> str:
        return self.project.settings.source_language

    def handout_ids(self) -> list[str]:
        return self.project.handout_ids()

    def offered(self, handout: str, lang: str, second: str, release: bool) -> bool:
        """Whether a handout may be offered in a language (and edition): in --release mode only when approved."""
        if (handout, lang) not in self.entries or (second and (handout, second) not in self.entries):
            return False
        if not release:
            return True
        return self.entries[handout, lang].approved and (not second or self.entries[handout, second].approved)

    def search(self, query: str, lang: str, release: bool) -> list[str]:
        """Handout IDs whose title or summary, in any one language, holds every word of the query;
        title matches first, then matches in the chosen language."""
        words = [w for w in re.split(r"[\s,.;:!?،؟。，、]+", fold(query[:MAX_QUERY_CHARS])) if w]
        ranked = []
        for position, handout in enumerate(self.handout_ids()):
            if not self.offered(handout, lang, "", release):
                continue
            best = None
            for (entry_id, entry_lang), entry in self.entries.items():
                if entry_id != handout:
                    continue
                title, text = fold(entry.title), fold(f"{entry.title} {entry.summary}")
                if all(w in text for w in words):
                    score = (0 if all(w in title for w in words) else 1,
                             0 if words and title.startswith(words[0]) else 1, 0 if entry_lang == lang else 1)
                    best = score if best is None else min(best, score)
            if best is not None:
                ranked.append((best, position, handout))
        return [handout for _, _, handout in sorted(ranked)]


def fold(text: str) -> str:
    """Text as the search compares it: case, accents and Arabic diacritics and letter variants ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTER_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_LETTER_FOLD)


def language(code: str) -> Language:
    """A language's names and direction from Babel (its code where Babel does not know it)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("-", "_"))
        english = locale.get_display_name("en") or code
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        english, direction = code, "ltr"
    return Language(code, language_name(code), english, direction)


def build_catalog(project: Project, today: date) -> Catalog:
    """Index every handout in every language of the clinic; the clinic's languages in its own order."""
    settings = project.settings
    order = list(dict.fromkeys([settings.source_language, *settings.languages]))
    table = values(project)
    entries = {}
    for handout in project.handouts:
        if handout.lang not in order:
            continue
        state, _, _ = handout_state(project, handout, today)
        if state.status == APPROVED:
            as_of, reason = state.review.date, "reviewed"
        else:
            checked = [s.checked for s in handout.sources if s.checked]
            as_of, reason = (max(checked), "sources checked") if checked else ("", "")
        entries[handout.id, handout.lang] = Entry(
            handout.id, handout.lang, resolve(handout.title, table).plain, resolve(handout.summary, table).plain,
            handout.version, state.status, as_of, reason)
    return Catalog(project, tuple(language(code) for code in order), entries)


class CatalogCache:
    """The catalog, loaded again only when a file of the project (settings, content, templates) changed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._catalog: Catalog | None = None

    def get(self) -> Catalog:
        """The current catalog; raises ContentError (with every problem) when the project is not valid."""
        today = date.today()
        signature = _signature(self.root, time.monotonic() + WATCH_BUDGET_S)
        key = (today, signature)
        with self._lock:
            if signature is None or key != self._key or self._catalog is None:
                project, _ = load_or_raise(self.root, today)
                self._catalog, self._key = build_catalog(project, today), key
            return self._catalog


def _signature(root: Path, deadline: float) -> tuple | None:
    """Name, size and times of every file the project is read from; None when they could not all be looked at
    before `deadline` (time.monotonic()), or when one changed so recently that a second edit within the same
    clock tick could keep all of them: None means "assume something changed"."""
    found: list[tuple[str, int, int, int, int]] = []
    # Exactly what a build reads (a language folder linked elsewhere in the project, the logo; ninth pass).
    for path in input_files(root):
        found.append(_stat(path))
        if time.monotonic() > deadline:
            return None
    racy = time.time_ns() - RACY_SECONDS * 1_000_000_000
    return None if any(entry[3] > racy for entry in found) else tuple(found)


def _stat(path: Path) -> tuple[str, int, int, int, int]:
    """What tells a file changed: its size and modification time, and its change time and inode, which no copy
    or `touch` can put back (an edit of the same size within one timestamp tick kept size and mtime, eighth
    pass)."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1, -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
