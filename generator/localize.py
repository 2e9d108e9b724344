"""Resolve one handout in one language into what will be printed: placeholders filled, headings, footer words."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from generator.fonts import FontConfig, LanguageFonts, coverage
from generator.markup import Span
from generator.model import Block, Project, Unit
from generator.problems import Loc, Problems
from generator.review import APPROVED, CHANGED, OVERDUE, STALE, State, short

REVIEW_KEYS = {CHANGED: "review.changed", OVERDUE: "review.overdue", STALE: "review.stale"}
BLANKS = frozenset(map(ord, " \n"))  # never drawn as glyphs, so never checked
CONTROLS = frozenset([*range(0x20), *range(0x7F, 0xA0)])  # exactly Unicode category Cc
# Explicit embeddings, overrides and isolates: in right-to-left text one of them can silently reverse a phone
# number or a dose ("12" printed as "21"); the generator orders text itself, so content never needs them.
BIDI_FORMATTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_HANDOUT_CHARS = 50_000  # about 20 pages; the longest shipped handout has 7,000 characters
MAX_HANDOUT_UNITS = 2_000  # paragraphs, items, cells; the shipped handouts have fewer than 70
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
    verify_payload: str
    reviewer: str
    language: str = ""  # the language's own name for itself (English, español, العربية, ...)
    watermark_word: str = ""  # the language's word for DRAFT, even when this view is approved

    def texts(self) -> Iterator[Text]:
        """Every printed unit: title, summary, UI strings and section content."""
        yield from (self.title, self.summary, self.contact, self.disclaimer_heading, self.disclaimer_full,
                    self.provenance)
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


def resolve(unit: Unit, table: dict[str, str], extra: dict[str, str] | None = None) -> Text:
    """Replace placeholders with their values; values are plain text and keep the placeholder's style."""
    lookup = {**table, **(extra or {})}
    spans = tuple(replace(s, text=lookup[s.placeholder], placeholder="", value=True) if s.placeholder else s
                  for s in unit.spans)
    return Text(unit.id, tuple(s for s in spans if s.text))


def long_date(iso: str, lang: str) -> str:
    """A date written the way the language writes it (Babel's long format)."""
    from datetime import date

    from babel.dates import format_date

    return format_date(date.fromisoformat(iso), format="long", locale=lang.replace("-", "_"))


def verify_payload(project: Project, handout_id: str, lang: str, version: str, fingerprint: str,
                   state: State) -> str:
    """What the QR code and the PDF metadata carry so `handouts verify` can check a printed handout."""
    if project.settings.verify_url:
        return project.settings.verify_url.format(handout=handout_id, lang=lang, version=version,
                                                  fingerprint=short(fingerprint))
    approved = f";approved={state.review.date}" if state.status == APPROVED else ""
    return (f"patient-handouts:verify:v1;handout={handout_id};lang={lang};version={version};"
            f"fingerprint={fingerprint};review={state.status}{approved}")


def view(project: Project, handout_id: str, lang: str, fonts: LanguageFonts, state: State,
         fingerprint: str) -> View:
    """Build the printable view of one handout in one language, stamped with its effective review state."""
    handout = project.handout(handout_id, lang)
    strings = project.strings_for(lang)
    table = values(project)

    def ui(key: str, **extra: str) -> Text:
        return resolve(strings.get(key), table, extra)

    sections = []
    for section in handout.sections:
        blocks = section.blocks_for(project.settings.jurisdiction) or ()
        sections.append({"id": section.id, "heading": ui(f"section.{section.id}"),
                         "blocks": [_block(b, table) for b in blocks]})
    return View(
        handout=handout.id, lang=lang, direction=fonts.direction, version=handout.version,
        review_status=handout.review.status, clinic_name=project.settings.clinic.name,
        logo=project.settings.clinic.logo,
        title=resolve(handout.title, table), summary=resolve(handout.summary, table),
        contact=ui("contact.line"), sections=tuple(sections),
        disclaimer_heading=ui("heading.disclaimer"), disclaimer_full=ui("disclaimer.full"),
        disclaimer_short=ui("disclaimer.short"), review_label=_review_label(ui, state, lang),
        page_label=ui("footer.page", page="{page}", pages="{pages}"),
        version_label=ui("footer.version", version=handout.version),
        fingerprint=short(fingerprint),
        watermark=() if state.status == APPROVED else tuple(dict.fromkeys([WATERMARK, ui("watermark").plain])),
        provenance=ui("provenance", fingerprint=short(fingerprint)),
        verify_payload=verify_payload(project, handout_id, lang, handout.version, fingerprint, state),
        reviewer=f"{state.review.reviewer} ({state.review.role})" if state.status == APPROVED else "",
        language=language_name(lang), watermark_word=ui("watermark").plain,
    )


def language_name(lang: str) -> str:
    """The language's name in itself (Babel's autonym), e.g. español; the code when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
    except (UnknownLocaleError, ValueError):
        return lang


def bilingual_payload(first: View, second: View) -> str:
    """The verification payload of a bilingual edition: the first language's, then the second's fields."""
    prefix = "patient-handouts:verify:v1;"
    if not second.verify_payload.startswith(prefix):
        return first.verify_payload  # a clinic verify_url: one address, for the patient's language
    fields = [item.split("=", 1) for item in second.verify_payload[len(prefix):].split(";") if "=" in item]
    extra = ";".join(f"second={value}" if key == "lang" else f"second_{key}={value}"
                     for key, value in fields if key != "handout")
    return f"{first.verify_payload};{extra}"


def _review_label(ui: Callable[..., Text], state: State, lang: str) -> Text:
    if state.status == APPROVED:
        review = state.review
        return ui("review.approved", date=long_date(review.date, lang), role=review.role,
                  next=long_date(review.next_review, lang))
    return ui(REVIEW_KEYS.get(state.status, "review.draft"))


def _block(block: Block, table: dict[str, str]) -> dict:
    return {
        "kind": block.kind, "id": block.id,
        "text": resolve(block.text, table) if block.text else None,
        "items": [resolve(u, table) for u in block.items],
        "columns": [resolve(u, table) for u in block.columns],
        "rows": [[resolve(u, table) for u in row.cells] for row in block.rows],
    }


# -- glyph coverage ------------------------------------------------------------------------------
def check_glyphs(project: Project, config: FontConfig, languages: list[str]) -> Problems:
    """Every character that will be drawn must be in the face chosen for it; report each one missing."""
    problems = Problems()
    settings = project.settings
    for lang in languages:
        fonts = config.for_lang(lang)
        units: list[Unit] = list(project.strings_for(lang).units)
        units += [u for h in project.handouts if h.lang == lang for u in h.units()]
        for unit in units:
            if fonts.rtl:
                _check_rtl_markup(unit, lang, problems)
            for span in unit.spans:
                if span.text:
                    # Offsets map to columns only on a one-line text; otherwise point at its start.
                    original = unit.text if unit.single_line else ""
                    _check_text(original, span.text, unit.loc, unit.id, fonts, problems, span.italic)
        table = values(project)
        for handout in (h for h in project.handouts if h.lang == lang):
            # Layout time and memory grow with the text and the number of pieces: keep both bounded.
            units = list(handout.units())
            total = sum(len(resolve(unit, table).plain) for unit in units)
            if total > MAX_HANDOUT_CHARS or len(units) > MAX_HANDOUT_UNITS:
                problems.add(handout.loc, "", f"this handout holds {total:,} characters in {len(units):,} texts "
                             f"(placeholders filled in); the most is {MAX_HANDOUT_CHARS:,} characters in "
                             f"{MAX_HANDOUT_UNITS:,} texts", "a patient handout is a few pages; split it")
        for handout in project.handouts:
            review = handout.review
            if handout.lang == lang and review.status == APPROVED:  # printed on the page once approved
                for key, value in (("review.reviewer", review.reviewer), ("review.role", review.role)):
                    _check_text("", value, handout.loc, key, fonts, problems, False)
        clinic = settings.clinic
        for key, value in (("clinic.name", clinic.name), ("clinic.phone", clinic.phone),
                           ("clinic.address", clinic.address), ("clinic.website", clinic.website)):
            loc = settings.field_locs.get(key, settings.loc)
            _check_text(value, value, loc, key, fonts, problems, False)
        for fact in project.facts:
            _check_text(fact.value, fact.value, fact.loc, f"facts.{fact.key}.{fact.country}", fonts, problems,
                        False)
    return problems


def _check_rtl_markup(unit: Unit, lang: str, problems: Problems) -> None:
    for span in unit.spans:
        what = "bold" if span.bold else "italic" if span.italic else "a link" if span.href else ""
        if what:
            problems.add(unit.loc, unit.id, f"{what} inside right-to-left text ({lang}) is not supported",
                         "remove the ** / * / [](...) markup from this text")
            return


def _faces(fonts: LanguageFonts, italic: bool) -> Iterator[tuple[str, frozenset[int]]]:
    # Any text may be drawn regular or bold (headings, table headers), and italic where marked.
    for bold in (False, True):
        face = fonts.face(bold, italic)
        if face is None:
            continue
        yield face.name, coverage(face.path, face.index)


def _check_text(original: str, text: str, loc: Loc, key: str, fonts: LanguageFonts, problems: Problems,
                italic: bool) -> None:
    if italic and fonts.face(False, True) is None:
        problems.add(loc, key, f"italic is not available for {fonts.lang}", "remove the * markup")
        return
    shaped = text
    if fonts.rtl:
        from generator.rtl import reshape

        shaped = text + reshape(text)  # the presentation forms actually drawn
    faces = list(_faces(fonts, italic))
    points = set(map(ord, shaped)) - BLANKS
    if (points.isdisjoint(CONTROLS) and points.isdisjoint(map(ord, BIDI_FORMATTING))
            and all(points.issubset(cmap) for _, cmap in faces)):
        return  # the usual case, decided by set operations; the loop below finds and places each problem
    seen: set[str] = set()
    for ch in shaped:
        if ch in seen or ch in " \n":
            continue
        seen.add(ch)
        if unicodedata.category(ch) == "Cc":
            problems.add(_at(loc, original, ch), key, f"control character U+{ord(ch):04X} in text",
                         "delete it; use plain spaces and line breaks")
            continue
        if ch in BIDI_FORMATTING:
            problems.add(_at(loc, original, ch), key, f"text-direction control character U+{ord(ch):04X} in text",
                         "delete it; the generator sets the direction of every line itself")
            continue
        for name, cmap in faces:
            if ord(ch) not in cmap:
                problems.add(_at(loc, original, ch), key,
                             f"character '{ch}' (U+{ord(ch):04X}) is not in font {name} for {fonts.lang}",
                             "replace the character, or declare a font that has it in templates/fonts.yaml")
                break


def _at(loc: Loc, original: str, ch: str) -> Loc:
    offset = original.find(ch)
    if offset < 0 or not loc.line:
        return loc
    return Loc(loc.path, loc.line, loc.col + offset)


# -- page footer -------------------------------------------------------------------------------
FOOTER_SEPARATOR = " · "
PAPER_WIDTHS = {"letter": 612.0, "a4": 210 * 72 / 25.4}  # points; kept here so `check` needs no ReportLab
_WRAPS = "it would wrap and push the short disclaimer off the bottom of every page"


def check_footer(project: Project, config: FontConfig, languages: list[str], margins: dict[str, float],
                 size: float, today: date | None = None) -> Problems:
    """Each of the three footer lines must fit on one line of the narrowest paper."""
    # The footer is drawn downwards from the bottom margin: a line that wraps pushes the short disclaimer
    # towards, and then off, the edge of the paper, on every page. A too-long title or footer string is
    # therefore an error with its position, never a quietly cut-off disclaimer.
    from generator.review import handout_state

    problems = Problems()
    avail = min(PAPER_WIDTHS.values()) - margins["left"] - margins["right"]
    today = today or date.today()
    table = values(project)
    for lang in languages:
        fonts = config.for_lang(lang)
        strings = project.strings_for(lang)

        def measure(unit: Unit, width: float, what: str) -> None:
            if width > avail:
                problems.add(unit.loc, f"strings.{unit.id}",
                             f"{what} is {width:.0f} pt wide at {size:g} pt, more than the {avail:.0f} pt of "
                             f"the narrowest page; {_WRAPS}",
                             f"shorten it to about {_fitting(unit, width, avail)} characters")

        for key in ("review.draft", "review.changed", "review.overdue", "disclaimer.short"):
            unit = strings.get(key)
            measure(unit, _width(resolve(unit, table).spans, fonts, size), "this footer line")
        digits = "99"  # page numbers; digits have one width in these fonts, in every numbering system
        widest_hex = max("0123456789abcdef", key=lambda ch: _width([Span(ch)], fonts, size))  # fingerprints vary
        for handout in (h for h in project.handouts if h.lang == lang):
            state, _, fingerprint = handout_state(project, handout, today)
            doc = view(project, handout.id, lang, fonts, state, fingerprint)
            if state.status == APPROVED:
                measure(strings.get("review.approved"), _width(doc.review_label.spans, fonts, size),
                        "the approval line, with its dates and role,")
            page = [replace(s, text=s.text.replace("{page}", digits).replace("{pages}", digits))
                    for s in doc.page_label.spans]
            rest = [Span(FOOTER_SEPARATOR), *doc.version_label.spans, Span(FOOTER_SEPARATOR),
                    Span(widest_hex * len(doc.fingerprint), value=True), Span(FOOTER_SEPARATOR), Span(lang),
                    Span(FOOTER_SEPARATOR), *page]
            rest_width = _width(rest, fonts, size)
            title_width = _width([*doc.title.spans, *rest], fonts, size) - rest_width
            if title_width + rest_width <= avail:
                continue
            if title_width < rest_width:  # the footer's own words are the long part, not this title
                measure(strings.get("footer.version"), title_width + rest_width,
                        f"the first footer line of {handout.id}, mostly footer.version and footer.page,")
            else:
                problems.add(handout.title.loc, "title",
                             f"the title is too long for the first footer line (title, version, fingerprint, "
                             f"language, page): {title_width + rest_width:.0f} pt at {size:g} pt, more than the "
                             f"{avail:.0f} pt of the narrowest page; {_WRAPS}",
                             f"shorten the title to about "
                             f"{_fitting(handout.title, title_width, avail - rest_width)} characters")
    return problems


def _fitting(unit: Unit, width: float, avail: float) -> int:
    return max(1, int(len(unit.text) * avail / max(width, 1.0)) - 2)


def _width(spans: tuple[Span, ...] | list[Span], fonts: LanguageFonts, size: float) -> float:
    """The width of spans laid out on one line, measured as TextFlow measures them (a run of spaces as one)."""
    import re

    from generator.fonts import advances

    regular = fonts.face()
    assert regular is not None
    space_widths, space_units = advances(regular.path, regular.index)
    total, pending = 0.0, False
    for span in spans:
        text = span.text
        if fonts.rtl:
            from generator import rtl

            text = rtl.reshape(rtl.isolate(text) if span.value else text).translate(rtl.BIDI_CONTROLS)
        face = fonts.face(span.bold, span.italic) or fonts.face(span.bold, False)
        assert face is not None
        widths, units = advances(face.path, face.index)
        for token in re.findall(r"\s+|\S+", text):
            if token[0].isspace():
                pending = True
                continue
            if pending and total:
                total += space_widths.get(32, 0) * size / space_units
            pending = False
            total += sum(widths.get(ord(ch), 0) for ch in token) * size / units
    return total
