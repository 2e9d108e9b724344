"""The in-memory content model: typed, frozen, and free of YAML and ReportLab."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.content.markup import Span
from generator.content.problems import Loc

SECTION_ORDER = ("expect", "safety", "legal", "integration", "help", "questions")
BLOCK_KINDS = ("paragraph", "subheading", "list", "checklist", "table")
REVIEW_STATUSES = ("draft", "approved")
PAPER_SIZES = ("letter", "a4")


@dataclass(frozen=True)
class Unit:
    """One translatable piece of text with a stable ID and where it was written."""

    id: str
    text: str
    spans: tuple[Span, ...]
    loc: Loc  # where the text itself starts (after any opening quote)
    single_line: bool = True  # offsets into `text` map to columns only when the text is on one line


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[Unit, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph, subheading, list, checklist or table inside a section."""

    kind: str
    id: str
    loc: Loc
    text: Unit | None = None
    items: tuple[Unit, ...] = ()
    columns: tuple[Unit, ...] = ()
    rows: tuple[Row, ...] = ()

    def units(self) -> Iterator[Unit]:
        if self.text is not None:
            yield self.text
        yield from self.items
        yield from self.columns
        for row in self.rows:
            yield from row.cells


@dataclass(frozen=True)
class Section:
    """A required section; `legal` holds blocks per jurisdiction instead of plain blocks."""

    id: str
    loc: Loc
    blocks: tuple[Block, ...] = ()
    jurisdictions: tuple[tuple[str, tuple[Block, ...]], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (US-OR, US): the US text is written to apply in US-OR too

    def blocks_for(self, jurisdiction: str) -> tuple[Block, ...] | None:
        """The blocks to print for a jurisdiction: its own text, or the one it is declared the same as."""
        if self.id != "legal":
            return self.blocks
        table = dict(self.jurisdictions)
        code = dict(self.aliases).get(jurisdiction, jurisdiction)
        return table.get(code)

    def jurisdiction_codes(self) -> list[str]:
        return [code for code, _ in self.jurisdictions] + [code for code, _ in self.aliases]

    def units(self) -> Iterator[Unit]:
        for block in self.blocks:
            yield from block.units()
        for _, blocks in self.jurisdictions:
            for block in blocks:
                yield from block.units()


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    checked: str


@dataclass(frozen=True)
class Review:
    """Who reviewed the content and when; shipped content is a draft and names nobody."""

    status: str
    note: str = ""
    reviewer: str = ""
    role: str = ""
    date: str = ""
    next_review: str = ""
    fingerprint: str = ""
    # The jurisdiction whose legal text the reviewer read (a PDF prints only the clinic's); "" before it was recorded
    jurisdiction: str = ""
    # A translation's: which source text it was read against (translated_from_digest); "" before it was recorded
    source_digest: str = ""


@dataclass(frozen=True)
class Handout:
    """One handout in one language."""

    id: str
    lang: str
    version: str
    title: Unit
    summary: Unit
    review: Review
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    loc: Loc
    translated_from: tuple[tuple[str, str], ...] | None = None  # unit ID → source hash; None: no record
    claims: tuple[tuple[str, tuple[str, ...]], ...] = ()  # unit ID → IDs of the sources its statement rests on
    dated: tuple[tuple[Loc, str, str], ...] = ()  # (where, key, date) of its review and source-check dates
    placed: tuple[tuple[str, Loc], ...] = ()  # (key, where) of printed fields that are not units: review.reviewer

    def place(self, key: str) -> Loc:
        """Where a printed field that is not a text unit (`review.reviewer`, `sources.ID`) is written, for messages
        (the file's start when this handout does not hold it: a crisis line's source)."""
        return next((loc for name, loc in self.placed if name == key), self.loc)

    def units(self) -> Iterator[Unit]:
        yield self.title
        yield self.summary
        for section in self.sections:
            yield from section.units()


@dataclass(frozen=True)
class Strings:
    """The UI strings of one language: headings, footer words, disclaimer."""

    lang: str
    review: Review
    units: tuple[Unit, ...]
    loc: Loc
    translated_from: tuple[tuple[str, str], ...] | None = None
    dated: tuple[tuple[Loc, str, str], ...] = ()  # (where, key, date) of its review date

    def get(self, key: str) -> Unit:
        for unit in self.units:
            if unit.id == key:
                return unit
        raise KeyError(key)


def units_of(parsed: Handout | Strings) -> list[Unit]:
    """The translatable units of a handout file or a UI strings file, in file order."""
    return list(parsed.units()) if isinstance(parsed, Handout) else list(parsed.units)


@dataclass(frozen=True)
class Fact:
    key: str
    country: str
    value: str
    source: str
    checked: str
    review_by: str
    loc: Loc
    review_by_loc: Loc | None = None


@dataclass(frozen=True)
class LanguageAccess:
    """A language the crisis service answers in itself, and how to reach it in that language."""

    lang: str
    press: str = ""  # a menu option to press on the call ("2" for Spanish on 988); empty: answered directly
    text_keyword: str = ""  # a word to text to reach this language ("AYUDA"); empty: none


@dataclass(frozen=True)
class CrisisService:
    """A country's crisis line: how to reach it and how a reader of each language gets help in it (facts.yaml)."""

    country: str
    service: str  # its name, printed as written (a proper name, not translated)
    call: str
    source: str
    checked: str
    review_by: str
    loc: Loc
    text: str = ""  # the number to text; empty: no text service is recorded
    chat: str = ""  # the address to chat at; empty: none recorded
    free: bool = False
    languages: tuple[LanguageAccess, ...] = ()
    interpreters_on_call: str = ""  # e.g. "240+": an interpreter joins a call to the line itself
    interpreter_service: str = ""  # a separate interpreting service that connects the caller to the line
    interpreter_call: str = ""
    interpreter_source: str = ""
    review_by_loc: Loc | None = None

    def access(self, lang: str) -> str:
        """How a reader of `lang` gets help in it: direct, option, interpreter, interpreter-service or ''."""
        base = lang.split("-")[0]
        for entry in self.languages:
            if entry.lang.split("-")[0] == base:
                return "option" if entry.press or entry.text_keyword else "direct"
        if self.interpreter_service:
            return "interpreter-service"
        return "interpreter" if self.interpreters_on_call else ""

    def language(self, lang: str) -> LanguageAccess | None:
        base = lang.split("-")[0]
        return next((e for e in self.languages if e.lang.split("-")[0] == base), None)


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    address: str = ""
    website: str = ""
    logo: str = ""


@dataclass(frozen=True)
class Settings:
    """The clinic's `handouts.yaml`."""

    clinic: Clinic
    jurisdiction: str
    paper: str
    source_language: str
    languages: tuple[str, ...]
    loc: Loc
    field_locs: dict[str, Loc] = field(default_factory=dict, compare=False, hash=False)
    verify_url: str = ""  # template with {handout} {lang} {version} {fingerprint} {review}; empty: plain text
    printer: str = ""  # the CUPS queue `handouts print` and the desk's Print button use; empty: CUPS's default
    web_url: str = ""  # where the HTML companions are published: template with {handout} {lang}; empty: nowhere
    print_sources: bool = True  # the Sources list on the last page of every handout


@dataclass(frozen=True)
class Project:
    """Everything a build needs, validated."""

    root: str
    settings: Settings
    handouts: tuple[Handout, ...]
    strings: tuple[Strings, ...]
    facts: tuple[Fact, ...]
    facts_review: Review = Review("draft")
    crisis: tuple[CrisisService, ...] = ()  # each country's crisis line (facts.yaml `crisis:`)

    def crisis_for(self, country: str) -> CrisisService | None:
        return next((c for c in self.crisis if c.country == country), None)

    def handout(self, handout_id: str, lang: str) -> Handout:
        return next(h for h in self.handouts if h.id == handout_id and h.lang == lang)

    def strings_for(self, lang: str) -> Strings:
        return next(s for s in self.strings if s.lang == lang)

    def handout_ids(self) -> list[str]:
        source = self.settings.source_language
        return [h.id for h in self.handouts if h.lang == source]
