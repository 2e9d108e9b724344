"""Resolve one handout in one language into what will be printed: placeholders filled, headings, footer words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from generator.content import crisis as crisis_help
from generator.content.claims import printed_sources
from generator.content.markup import Span
from generator.content.model import Block, Handout, Project, Source, Unit
from generator.content.names import has_cldr_data
from generator.render.codedigest import build_code
from generator.render.fonts import LanguageFonts
from generator.render.look import look_digest
from generator.review.payload import shared_digest, verify_data, verify_payload
from generator.review.state import APPROVED, CHANGED, OVERDUE, STALE, State, short

REVIEW_KEYS = {CHANGED: "review.changed", OVERDUE: "review.overdue", STALE: "review.stale"}
WATERMARK = "DRAFT"  # always in English too, so any reader of any language recognises an unapproved handout


@dataclass(frozen=True)
class Text:
    """A unit ready to print: its ID and its spans with every placeholder replaced by plain text."""

    id: str
    spans: tuple[Span, ...]

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class View:
    """Everything the template needs for one handout in one language."""

    handout: str
    lang: str
    direction: str
    version: str
    review_status: str
    clinic_name: str
    logo: str
    title: Text
    summary: Text
    contact: Text
    sections: tuple[dict, ...]
    disclaimer_heading: Text
    disclaimer_full: Text
    disclaimer_short: Text
    review_label: Text
    page_label: Text
    version_label: Text
    fingerprint: str
    watermark: tuple[str, ...]
    provenance: Text
    verify_payload: str  # the QR code's text: the clinic's verify_url filled in, or the verification data
    verify_data: str  # what `verify` reads back (PDF keywords, HTML meta tag), with or without a verify_url
    reviewer: str
    language: str = ""  # the language's own name for itself (English, español, العربية, ...)
    watermark_word: str = ""  # the language's word for DRAFT, even when this view is approved
    continued: Text = Text("heading.continued", ())  # "(continued)" after a box's repeated heading
    contact_heading: Text = Text("heading.contact", ())
    contact_lines: tuple[Text, ...] = ()  # phone, and address and website when set
    current_date: str = ""  # ISO date: the approval date, else the day the sources were last checked
    current: Text = Text("current", ())  # "Current as of <date>"
    editions_label: Text = Text("editions.languages", ())  # followed by each other language in its own script
    other_languages: tuple[tuple[str, str], ...] = ()  # (code, own name) of the other languages
    large_print_line: Text = Text("editions.large_print", ())
    web_line: Text | None = None  # where the web page is, when the clinic publishes one
    sources_heading: Text = Text("heading.sources", ())
    sources: tuple[str, ...] = ()  # short names with the year; empty when the clinic turned them off

    def texts(self) -> Iterator[Text]:
        """Every printed unit: title, summary, UI strings and section content."""
        yield from (self.title, self.summary, self.contact, self.disclaimer_heading, self.disclaimer_full,
                    self.provenance, self.continued, self.contact_heading, *self.contact_lines, self.current,
                    self.editions_label, self.large_print_line, self.sources_heading)
        if self.web_line is not None:
            yield self.web_line
        yield from self.section_texts()

    def section_texts(self) -> Iterator[Text]:
        """Every section's heading and units, in order."""
        for section in self.sections:
            yield section["heading"]
            for block in section["blocks"]:
                if block["text"] is not None:
                    yield block["text"]
                yield from block["items"]
                yield from block["columns"]
                for row in block["rows"]:
                    yield from row

    @cached_property
    def _by_id(self) -> dict[str, Text]:
        return {text.id: text for text in self.texts()}

    def unit(self, unit_id: str) -> Text:
        """The unit with this ID: how a bilingual edition pairs a unit with its translation."""
        try:
            return self._by_id[unit_id]
        except KeyError:
            raise MissingPair(f"unit '{unit_id}' has no counterpart in '{self.lang}' for the bilingual edition; "
                              f"check that content/{self.lang}/{self.handout}.yaml has the same unit IDs as "
                              "the source") from None


class MissingPair(LookupError):
    """A bilingual edition found a unit without its translation (parity checks make this a template bug)."""


def values(project: Project) -> dict[str, str]:
    """Placeholder name → text, for the clinic settings and the facts of the clinic's country."""
    clinic = project.settings.clinic
    result = {"clinic.name": clinic.name, "clinic.phone": clinic.phone, "clinic.address": clinic.address,
              "clinic.website": clinic.website}
    country = project.settings.jurisdiction.split("-")[0]
    result.update({f"fact.{f.key}": f.value for f in project.facts if f.country == country})
    return result


# Values a reader can act on, linked wherever they are printed: phone numbers call, web addresses open.
# (`call`, `text`, `interpreter_call` and `chat` are the crisis line's numbers and chat address in its sentences.)
# Numbers to call (a `text` number takes text messages only: no tel: link to it).
CALLABLE = {"clinic.phone", "fact.crisis_line", "fact.emergency_number", "call", "interpreter_call"}
BROWSABLE = {"clinic.website", "fact.crisis_website", "chat"}
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?:/\S*)?")


_ONE_NUMBER = re.compile(r"\+?(?:\([0-9]+\)[ .\-]?|[0-9]+[ .\-])*[0-9]+")  # +1 (555) 010-0100, 988, 0800 111 0111


def value_link(placeholder: str, value: str) -> str:
    """The tel: or https: address of a phone number or web address setting or fact; '' for anything else."""
    value = value.strip()
    if placeholder in CALLABLE:
        # One number as people write it, nothing else: "988, then press 1", "555-0100 ext. 204" or "555-0100 or
        # 555-0199" joined into one string of digits dialled another number (fifth pass): no link then.
        if not _ONE_NUMBER.fullmatch(value):
            return ""
        digits = re.sub(r"[^0-9]", "", value)
        return f"tel:{'+' if value.startswith('+') else ''}{digits}" if len(digits) >= 3 else ""
    if placeholder in BROWSABLE:
        address = value[len("https://"):] if value.lower().startswith("https://") else value
        return f"https://{address}" if _HOST.fullmatch(address) else ""
    return ""


def resolve(unit: Unit, table: dict[str, str], extra: dict[str, str] | None = None) -> Text:
    """Replace placeholders with their values; values are plain text and keep the placeholder's style (a phone
    number or web address that is not already inside a link becomes a tel: or https: link)."""
    lookup = {**table, **(extra or {})}
    # A placeholder no one defined stays as written: a checked project has none (the loader refuses them), and a
    # partly loaded one (a translation being imported) is measured as it stands, its error reported by the loader.
    spans = tuple(replace(s, text=lookup.get(s.placeholder, f"{{{s.placeholder}}}"), placeholder="", value=True,
                          href=s.href or value_link(s.placeholder, lookup.get(s.placeholder, "")))
                  if s.placeholder else s for s in unit.spans)
    return Text(unit.id, tuple(s for s in spans if s.text))


def long_date(iso: str, lang: str) -> str:
    """A date written the way the language writes it (Babel's long format); for a language CLDR has no data
    for, ISO 8601 (2026-12-06): language-neutral, never English passed off as the language (`check` warns)."""
    from babel.dates import format_date

    if not has_cldr_data(lang):
        return date.fromisoformat(iso).isoformat()
    return format_date(date.fromisoformat(iso), format="long", locale=lang.replace("-", "_"))


def local_number(value: int, lang: str) -> str:
    """A whole number in the language's digits (Babel); in Western digits where CLDR has no data for it."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=lang.replace("-", "_")) if has_cldr_data(lang) else str(value)


def offered(project: Project, handout_id: str, lang: str, today: date, release: bool = False) -> tuple[str, ...]:
    """The other languages a handout names as available: those it exists in; in a release, only the approved
    ones (a released English PDF offered a Spanish draft that release refuses, fifth pass)."""
    from generator.review.state import APPROVED, handout_state

    codes = [h.lang for h in project.handouts if h.id == handout_id and h.lang != lang]
    codes = [code for code in project.settings.languages if code in codes]
    if release:
        codes = [code for code in codes
                 if handout_state(project, project.handout(handout_id, code), today)[0].status == APPROVED]
    return tuple(codes)


def view(project: Project, handout_id: str, lang: str, fonts: LanguageFonts, state: State,
         fingerprint: str, reader: str = "", others: tuple[str, ...] | None = None) -> View:
    """Build the printable view of one handout in one language, stamped with its effective review state.

    `reader` is the patient's language when it differs from `lang` (the second language of a bilingual
    edition): the crisis help then says, in `lang`, how to get help in the patient's language.
    """
    handout = project.handout(handout_id, lang)
    strings = project.strings_for(lang)
    table = values(project)
    finish = keep_left_to_right if fonts.rtl else _as_is

    def ui(key: str, **extra: str) -> Text:
        return finish(resolve(strings.get(key), table, extra))

    sections = []
    for section in handout.sections:
        blocks = section.blocks_for(project.settings.jurisdiction) or ()
        printed = [_block(b, table, finish) for b in blocks]
        if section.id == "help":
            printed = _with_crisis_help(project, printed, lang, reader or lang, ui)
        sections.append({"id": section.id, "heading": ui(f"section.{section.id}"), "blocks": printed})
    return View(
        handout=handout.id, lang=lang, direction=fonts.direction, version=handout.version,
        review_status=state.status, clinic_name=project.settings.clinic.name,  # the state printed, not `status:`
        logo=project.settings.clinic.logo,
        title=finish(resolve(handout.title, table)), summary=finish(resolve(handout.summary, table)),
        contact=ui("contact.line"), sections=tuple(sections),
        disclaimer_heading=ui("heading.disclaimer"), disclaimer_full=ui("disclaimer.full"),
        disclaimer_short=ui("disclaimer.short"), review_label=_review_label(ui, state, lang),
        page_label=ui("footer.page", page="{page}", pages="{pages}"),
        version_label=ui("footer.version", version=handout.version),
        fingerprint=short(fingerprint),
        watermark=() if state.status == APPROVED else tuple(dict.fromkeys([WATERMARK, ui("watermark").plain])),
        provenance=ui("provenance", fingerprint=short(fingerprint)),
        verify_payload=verify_payload(project, handout_id, lang, handout.version, fingerprint, state),
        # The settings and the look it was printed with too (thirtieth and thirty-first passes: a copy printed before
        # the clinic's phone or logo changed was "altered" on a computer whose build log is not this one's).
        verify_data=verify_data(handout_id, lang, handout.version, fingerprint, state,
                                shared_digest(project, lang), look_digest(project, lang), build_code()),
        reviewer=f"{state.review.reviewer} ({state.review.role})" if state.status == APPROVED else "",
        language=language_name(lang), watermark_word=ui("watermark").plain,
        continued=ui("heading.continued"), contact_heading=ui("heading.contact"),
        contact_lines=tuple(ui(f"contact.{key}") for key in ("phone", "address", "website")
                            if table[f"clinic.{key}"]),
        current_date=(current := current_date(handout, state)), current=ui("current", date=long_date(current, lang)),
        editions_label=ui("editions.languages"),
        other_languages=tuple((code, language_name(code)) for code in
                              (others if others is not None else offered(project, handout_id, lang, date.today()))),
        large_print_line=ui("editions.large_print"),
        web_line=ui("editions.web", address=web_address(project, handout_id, lang)) if project.settings.web_url
        else None,
        sources_heading=ui("heading.sources"),
        # Two sources of one body (two TGA pages) print alike: each short name once.
        sources=tuple(dict.fromkeys(short_source(s) for s in sources_of(project, handout)))
        if project.settings.print_sources else (),
    )


def sources_of(project: Project, handout: Handout) -> tuple[Source, ...]:
    """The sources this project's build of the handout prints (its jurisdiction, its crisis line)."""
    jurisdiction = project.settings.jurisdiction
    return printed_sources(handout, jurisdiction, project.crisis_for(jurisdiction.split("-")[0]))


def current_date(handout: Handout, state: State) -> str:
    """The date the handout is current as of: its approval, else the day its sources were last checked."""
    if state.status == APPROVED and state.review.date:
        return state.review.date
    return max((s.checked for s in handout.sources), default="") or "2000-01-01"


def web_address(project: Project, handout_id: str, lang: str) -> str:
    """Where the clinic publishes this handout's web page (its `web_url` filled in)."""
    return project.settings.web_url.format(handout=handout_id, lang=lang)


_AUTHORS = re.compile(r"^([A-Z][^\s.,;]+(?:[ -][A-Z][a-z][^\s.,;]*)?) [A-Z]{1,3}(?: [A-Z]{1,3})?,? et al\.?")
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def short_source(source: Source) -> str:
    """A source's short name with its year, e.g. "Szigeti et al. 2021" or "FDA (fda.gov) 2023"."""
    from urllib.parse import urlsplit

    year = _YEAR.search(source.title)
    authors = _AUTHORS.match(source.title)
    if authors:
        name = f"{authors.group(1)} et al."
    else:
        lead = re.split(r" [–—-] | \(|: |\. ", source.title, maxsplit=1)[0].strip()
        words = lead.split()
        if len(words) > 6:  # a long title: its leading acronym (FDA), else its first words
            lead = words[0] if words[0].isupper() else " ".join(words[:6]) + "…"
        host = (urlsplit(source.url).hostname or "").removeprefix("www.")
        name = f"{lead} ({host})" if host and host.lower() not in lead.lower() else lead
    return f"{name} {year.group()}" if year and year.group() not in name else name


def language_name(lang: str) -> str:
    """The language's name in itself (Babel's autonym), e.g. español; the code (hmn) when Babel does not know
    it, never an English name passed off as the language's own."""
    from generator.content.names import cldr_locale

    locale = cldr_locale(lang)  # None also for a script Babel has no data for (`ur-Latn`: not its Urdu name)
    return (locale.get_display_name(locale) or lang) if locale is not None else lang


def _review_label(ui: Callable[..., Text], state: State, lang: str) -> Text:
    if state.status == APPROVED:
        review = state.review
        return ui("review.approved", date=long_date(review.date, lang), role=review.role,
                  next=long_date(review.next_review, lang))
    return ui(REVIEW_KEYS.get(state.status, "review.draft"))


def _with_crisis_help(project: Project, blocks: list[dict], lang: str, reader: str,
                      ui: Callable[..., Text]) -> list[dict]:
    """The help blocks with the crisis line's contact and language access after the `crisis` paragraph."""
    at = next((i for i, b in enumerate(blocks) if b["id"] == crisis_help.CRISIS_BLOCK), None)
    service = project.crisis_for(project.settings.jurisdiction.split("-")[0])
    if at is None or service is None:
        return blocks  # a project without a crisis paragraph, or one `check` has already refused
    generated = []
    for unit_id, sentences in ((crisis_help.CONTACT_ID, crisis_help.contact(service)),
                               (crisis_help.LANGUAGE_ID, crisis_help.language_access(service, reader, lang))):
        if sentences:
            texts = [ui(key, **values) for key, values in sentences]
            generated.append(_paragraph(unit_id, texts, lang))
    return blocks[:at + 1] + generated + blocks[at + 1:]


def _paragraph(unit_id: str, texts: list[Text], lang: str) -> dict:
    """Sentences from several UI strings as one printed paragraph (Chinese puts no space between sentences)."""
    gap = () if lang.startswith("zh") else (Span(" "),)
    spans: list[Span] = []
    for text in texts:
        spans.extend((*gap, *text.spans) if spans else text.spans)
    return {"kind": "paragraph", "id": unit_id, "text": Text(unit_id, tuple(spans)), "items": [], "columns": [],
            "rows": []}


def _block(block: Block, table: dict[str, str], finish: Callable[[Text], Text]) -> dict:
    return {
        "kind": block.kind, "id": block.id,
        "text": finish(resolve(block.text, table)) if block.text else None,
        "items": [finish(resolve(u, table)) for u in block.items],
        "columns": [finish(resolve(u, table)) for u in block.columns],
        "rows": [[finish(resolve(u, table)) for u in row.cells] for row in block.rows],
    }


def _as_is(text: Text) -> Text:
    return text


def keep_left_to_right(text: Text) -> Text:
    """Right-to-left text with each number or address a reader reads left to right (`+1 555 010 0100`,
    `2026-12-06`, `info@clinic.example`: rtl.number_runs) made a value, as a substituted phone number is: kept
    left to right where it is drawn (an isolate in the PDF, a <bdi dir="ltr"> in the HTML) and checked to stay
    so by render/faithful.py. A translator's own `+1 555 010 0100` printed `0100 010 555 1+` (tenth pass)."""
    from generator.render.rtl import number_runs

    spans: list[Span] = []
    for span in text.spans:
        last = 0
        for start, end in () if span.value else number_runs(span.text):
            spans += [replace(span, text=span.text[last:start]), replace(span, text=span.text[start:end], value=True)]
            last = end
        spans.append(replace(span, text=span.text[last:]) if last else span)
    return Text(text.id, tuple(s for s in spans if s.text))


# -- glyph coverage ------------------------------------------------------------------------------
