"""Checks run before anything is written: every glyph drawable in its language's fonts, every footer line fits."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.content.crisis import printed_values
from generator.content.markup import Span
from generator.content.memo import Memo
from generator.content.model import Project, Unit
from generator.content.parse.fields import BIDI_FORMATTING
from generator.content.problems import ContentError, Loc, Problems
from generator.content.project import load, load_or_raise
from generator.render import fontnames, fonts, settingkeys, styles, template
from generator.render.fontalike import drawn_alike, inked_blanks
from generator.render.fontfile import declare_hint
from generator.render.fonts import FontConfig, LanguageFonts, coverage, file_version, own_file, spacing_check
from generator.render.fontspeck import drawable
from generator.render.fontweight import check_weight
from generator.render.footerfit import check_footer, first_line, fitting, rooms, strings_complete, width_of
from generator.render.localize import (
    language_name,
    long_date,
    resolve,
    short_source,
    sources_of,
    values,
    view,
    web_address,
)
from generator.render.valuedirection import check_value_directions
from generator.review.state import APPROVED, handout_state

BLANKS = frozenset(map(ord, " \n"))  # never drawn as glyphs, so never checked
CONTROLS = frozenset([*range(0x20), *range(0x7F, 0xA0)])  # exactly Unicode category Cc
SEPARATORS = frozenset({0x2028, 0x2029})  # Unicode categories Zl and Zp: YAML breaks lines there, PDFs print a space
# Explicit embeddings, overrides and isolates: in right-to-left text one of them can silently reverse a phone
# number or a dose ("12" printed as "21"); the generator orders text itself, so content never needs them.
MAX_HANDOUT_CHARS = 50_000  # about 20 pages; the longest shipped handout has 7,000 characters
MAX_HANDOUT_UNITS = 2_000  # paragraphs, items, cells; the shipped handouts have fewer than 70
DRAWABLE: Memo[bool] = Memo(50_000, "content")  # texts found drawable, by text and coverage sets


def validate(root: Path, today: date | None = None,
             passed: Callable[[Project], Collection[str]] = lambda project: ()) -> tuple[Project, Problems]:
    """What `handouts check` runs: load the project and check everything, glyph coverage and styles included;
    raise ContentError on any error. `translate import` runs it on the files it is about to write.

    `passed`: the languages whose glyph and footer checks passed today with the same inputs (the check cache);
    those checks report errors only, so nothing is lost by not running them again."""
    project, problems, glyphs_and_footers = validate_in_stages(root, today, passed)
    glyphs_and_footers()
    return project, problems


def validate_in_stages(root: Path, today: date | None = None,
                       passed: Callable[[Project], Collection[str]] = lambda project: (),
                       load: Callable[[], tuple[Project, Problems]] | None = None
                       ) -> tuple[Project, Problems, Callable[[], None]]:
    """`validate` in two stages: loading and the checks of settings, styles and templates now, then, when the
    returned function is called, the glyph and footer checks, which add to the same Problems and raise
    ContentError with every error found. A build renders into memory while the second stage runs: its errors
    come first, exactly as `validate` reports them, and nothing is written unless it passes. `load`: what loads
    the project, when not `load_or_raise` (a build loads it in a forked child, see batch/loader.py)."""
    project, problems = settingkeys.with_unknown_keys(root, load or (lambda: load_or_raise(root, today)))
    styles.load(template.find(root, "style.yaml") / "style.yaml")  # margins, sizes, contrast: checked now
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    fontnames.check_names(config, [project.settings.source_language, *project.settings.languages])
    template.check(root)  # a template syntax error is found by `check`, not half-way through a build
    if not template.is_shipped(root, "handout.html.j2"):  # the project's own companion
        template.check(root, "handout.html.j2")

    def glyphs_and_footers() -> None:
        unchanged = set(passed(project))
        wanted = [lang for lang in dict.fromkeys([project.settings.source_language, *project.settings.languages])
                  if lang not in unchanged]
        glyphs = check_glyphs(project, config, wanted)
        if not glyphs.errors:  # widths are only meaningful once every character is known to the fonts
            glyphs.extend(check_footer(project, config, wanted, rooms(root), today))
        problems.extend(glyphs)
        if glyphs.errors:
            raise ContentError(problems.errors)

    return project, problems, glyphs_and_footers


def _language_subset(project: Project | None, lang: str) -> Project | None:
    """The source and `lang` files of a partly loaded project, enough to lay out `lang`'s footers (None if not)."""
    if project is None:
        return None
    source = project.settings.source_language
    handouts = [h for h in project.handouts if h.lang in (source, lang)]
    complete = {h.id for h in handouts if h.lang == source}
    strings = [s for s in project.strings if s.lang in (source, lang)]
    if lang not in {s.lang for s in strings} or source not in {s.lang for s in strings}:
        return None
    return replace(project, handouts=tuple(h for h in handouts if h.id in complete), strings=tuple(strings))


def problems_for(root: Path, lang: str) -> Problems:
    """The problems `validate` finds in the project, without stopping at the first stage: the glyph and footer
    checks of `lang` run even when other files have problems (a language being translated always has some).

    `translate import` compares this before and after the files it would write, and refuses what it adds.
    """
    project, problems = load(root, partial=True, also=(lang,))
    subset = _language_subset(project, lang)
    if subset is None:
        return problems
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    if lang not in config.languages:  # a language being started: `check` measures it once it is listed
        problems.add(Loc("templates/fonts.yaml"), "languages", f"no fonts declared for '{lang}' yet, so its characters "
                     f"and footer lines were not checked", f"add '{lang}' to fonts.yaml{declare_hint(lang)}, and to "
                     "handouts.yaml once translated, then run `handouts check`", severity="warning")
        return problems
    found = rooms(root)
    glyphs = check_glyphs(subset, config, [lang])
    if not glyphs.errors and strings_complete(subset, lang):  # a string the loader refused is its error already
        glyphs.extend(check_footer(subset, config, [lang], found))
    problems.extend(glyphs)
    return problems


def check_glyphs(project: Project, config: FontConfig, languages: list[str]) -> Problems:
    """Every character that will be drawn must be in the face chosen for it; report each one missing."""
    _faces_now.clear()
    _used_now.clear()
    _told_per_font.clear()
    try:
        return _check_glyphs(project, config, languages)
    finally:
        _faces_now.clear()  # the next check looks at the font files again
        _told_per_font.clear()


def _check_glyphs(project: Project, config: FontConfig, languages: list[str]) -> Problems:
    problems = Problems()
    settings = project.settings
    for lang in languages:
        fonts = config.for_lang(lang)
        units: list[Unit] = list(project.strings_for(lang).units)
        units += [u for h in project.handouts if h.lang == lang for u in h.units()]
        _check_direction(project, units, fonts, problems)
        check_value_directions(project, fonts, problems)
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
                    _check_text("", value, handout.place(key), key, fonts, problems, False)
        clinic = settings.clinic
        for key, value in (("clinic.name", clinic.name), ("clinic.phone", clinic.phone),
                           ("clinic.address", clinic.address), ("clinic.website", clinic.website)):
            loc = settings.field_locs.get(key, settings.loc)
            _check_text(value, value, loc, key, fonts, problems, False)
        for fact in project.facts:
            _check_text(fact.value, fact.value, fact.loc, f"facts.{fact.key}.{fact.country}", fonts, problems,
                        False)
        _check_printed_extras(project, lang, fonts, problems)
        for service in project.crisis:
            for value in printed_values(service, lang, list(settings.languages)):
                _check_text(value, value, service.loc, f"crisis.{service.country}", fonts, problems, False)
    return problems


def _check_printed_extras(project: Project, lang: str, fonts: LanguageFonts, problems: Problems) -> None:
    """What the layout adds to a handout's text: the Sources list, the footer's ellipsis and separators, the
    language's own name (on the other languages' handouts) and the web address."""
    settings = project.settings
    for handout in (h for h in project.handouts if h.lang == lang):
        if settings.print_sources:
            for source in sources_of(project, handout):
                _check_text("", short_source(source), handout.place(f"sources.{source.id}"), f"sources.{source.id}",
                            fonts, problems, False)
        if settings.web_url:
            _check_text("", web_address(project, handout.id, lang), settings.field_locs.get("web_url", settings.loc),
                        "web_url", fonts, problems, False)
    _check_text("", "… · ", settings.loc, "footer", fonts, problems, False)
    # The content fingerprint (hexadecimal), page numbers and each handout's version, printed in every footer: a
    # font without "7" printed the fingerprint 9a579f… as "9a59f…" (ninth pass).
    _check_text("", "0123456789abcdef", Loc("templates/fonts.yaml"), "fingerprint and page numbers", fonts,
                problems, False)
    for handout in (h for h in project.handouts if h.lang == lang):
        _check_text("", handout.version, handout.loc, "version", fonts, problems, False)
    _check_text("", language_name(lang), settings.field_locs.get(f"languages.{lang}", settings.loc),
                f"languages.{lang}", fonts, problems, False)
    # Dates the generator writes (review, next review, "current as of"): every month's name and the digits, in
    # the language's own form; a font without "J" printed "□anuary" (eighth pass).
    dates = " ".join(long_date(f"2026-{month:02d}-{day}", lang) for month in range(1, 13) for day in (18, 28))
    _check_text("", dates, Loc("templates/fonts.yaml"), "dates", fonts, problems, False)
    faces = {fonts.face(bold, italic) for bold in (False, True) for italic in (False, True)} - {None}
    check_weight(fonts, problems, _told_per_font, frozenset(_used_now.get(lang, ())))
    # Last, when every text (the dates too) has been seen: their letters are compared with the numbers. The
    # generator's own faces (and copies) are proven sound by their tests; a project's own faces are drawn and
    # compared here. Their number characters are the shipped glyphs (fontguard): only letters and blanks are theirs.
    for face in (face for face in faces if face is not None and not own_file(face)):
        used = frozenset(_used_now.get(lang, ()))
        told = [(ch, f"draws '{ch}' (U+{ord(ch):04X}) exactly as '{like}': a text using either would print "
                 "another word or number") for ch, like in drawn_alike(face, used)]  # "Do now drive" (tenth pass)
        told += [(ch, f"draws the blank character U+{ord(ch):04X} with ink: a word space would print as a mark")
                 for ch in inked_blanks(face)]
        for ch, what in told:
            if (face.name, ch) not in _told_per_font:
                _told_per_font.add((face.name, ch))
                problems.add(Loc("templates/fonts.yaml"), f"fonts.{lang}", f"font {face.name} ({face.path.name}) "
                             f"{what}", "use another font for this language in templates/fonts.yaml")


def _check_direction(project: Project, units: list[Unit], fonts: LanguageFonts, problems: Problems) -> None:
    """The letters' own direction against the language's declared one, whatever its code: Dari declared left to
    right (a code CLDR does not know may state any direction) printed every word reversed and unjoined (ninth
    pass). Right-to-left letters in a language set left to right are refused at the first text of each file
    holding them; a language set right to left whose translated texts hold no right-to-left letter, only
    left-to-right ones, is refused at fonts.yaml (its lines would be set from the right, full stops first)."""
    right_to_left = fontnames.right_to_left()
    lang = fonts.lang
    if not fonts.rtl:
        told: set[str] = set()
        for unit in units:
            text = "".join(span.text for span in unit.spans)
            if unit.loc.path in told or not (found := right_to_left.intersection(text)):
                continue
            told.add(unit.loc.path)
            ch = min(found, key=text.index)
            problems.add(_at(unit.loc, unit.text if unit.single_line else "", ch), unit.id,
                         f"'{ch}' (U+{ord(ch):04X}) is written right to left, but '{lang}' is set left to right "
                         "(templates/fonts.yaml): its words would print reversed and unjoined",
                         f"set `direction: rtl` for '{lang}' in templates/fonts.yaml, or remove the right-to-left "
                         "text")
        return
    source = project.settings.source_language
    copies = set() if lang == source else \
        {u.text for s in project.strings if s.lang == source for u in s.units} | \
        {u.text for h in project.handouts if h.lang == source for u in h.units()}  # untranslated, not yet wrong
    translated = ["".join(span.text for span in unit.spans) for unit in units if unit.text not in copies]
    if any(not right_to_left.isdisjoint(text) for text in translated):
        return
    if any(fontnames.left_to_right(text) for text in translated):
        problems.add(Loc("templates/fonts.yaml"), f"languages.{lang}", f"'{lang}' is set right to left, but none "
                     "of its translated text is written right to left: its lines would be set from the right, "
                     "their full stops first", f"set `direction: ltr` for '{lang}' in templates/fonts.yaml")


def _check_rtl_markup(unit: Unit, lang: str, problems: Problems) -> None:
    for span in unit.spans:
        what = "bold" if span.bold else "italic" if span.italic else "a link" if span.href else ""
        if what:
            problems.add(unit.loc, unit.id, f"{what} inside right-to-left text ({lang}) is not supported",
                         "remove the ** / * / [](...) markup from this text")
            return


_Inkless = Callable[[frozenset[int]], frozenset[int]]
_Crowded = Callable[[frozenset[int]], dict[int, str]]
_Face = tuple[str, frozenset[int], _Inkless, _Crowded, str, tuple[int, ...]]  # name, ..., file, version
_faces_now: dict[tuple[int, bool], list[_Face]] = {}  # within one check_glyphs
_used_now: dict[str, set[int]] = {}  # within one check_glyphs: the code points each language's texts use
# (face, character) said once per check: without ink, misdrawn, crowded
_told_per_font: set[tuple[str, str]] = set()


def _faces(fonts: LanguageFonts, italic: bool) -> Iterator[_Face]:
    # Any text may be drawn regular or bold (headings, table headers), and italic where marked.
    for bold in (False, True):
        face = fonts.face(bold, italic)
        if face is None:
            continue
        if own_file(face):  # the generator's own faces (and copies): every code point proven by its tests
            yield (face.name, coverage(face.path, face.index), _no_inkless, _none_crowded, face.path.name,
                   file_version(face.path))
            continue
        yield (face.name, *drawable(face), spacing_check(face), face.path.name, file_version(face.path))


def _no_inkless(codes: frozenset[int]) -> frozenset[int]:
    return frozenset()


def _none_crowded(codes: frozenset[int]) -> dict[int, str]:
    return {}


def _check_text(original: str, text: str, loc: Loc, key: str, fonts: LanguageFonts, problems: Problems,
                italic: bool) -> None:
    if italic and fonts.face(False, True) is None:
        problems.add(loc, key, f"italic is not available for {fonts.lang}", "remove the * markup")
        return
    shaped = text
    if fonts.rtl:
        from generator.render.rtl import reshape

        shaped = text + reshape(text)  # the presentation forms actually drawn
    _used_now.setdefault(fonts.lang, set()).update(map(ord, shaped))  # its letters are compared with the numbers
    faces = _faces_now.get((id(fonts), italic))
    if faces is None:  # looked up (a stat of each font file) once per language and check, not once per text
        faces = _faces_now[id(fonts), italic] = list(_faces(fonts, italic))
    # The usual case, decided by set operations and remembered by the text and the very coverage sets it was
    # decided against (a changed font file has new ones); the loop below finds and places each problem.
    # (and by the files' versions: a file replaced under --watch may keep its coverage and change its glyphs)
    seen_before = (shaped, *(cmap for _, cmap, *_ in faces), *(stamp for *_, stamp in faces))
    if seen_before in DRAWABLE.entries:
        return
    points = set(map(ord, shaped)) - BLANKS
    if (points.isdisjoint(CONTROLS) and points.isdisjoint(SEPARATORS) and points.isdisjoint(map(ord, BIDI_FORMATTING))
            and all(points.issubset(cmap) and not inkless(frozenset(points)) and not crowded(frozenset(points))
                    for _, cmap, inkless, crowded, *_ in faces)):
        DRAWABLE.get(seen_before, lambda: True)
        return
    seen: set[str] = set()
    for ch in shaped:
        if ch in seen or ch in " \n":
            continue
        seen.add(ch)
        if unicodedata.category(ch) == "Cc":
            problems.add(_at(loc, original, ch), key, f"control character U+{ord(ch):04X} in text",
                         "delete it; use plain spaces and line breaks")
            continue
        if ord(ch) in SEPARATORS:
            problems.add(_at(loc, original, ch), key, f"line or paragraph separator U+{ord(ch):04X} in text (it is "
                         "printed as a space, and YAML tools break the line there)",
                         "delete it; use a plain space, or start a new paragraph or list item")
            continue
        if ch in BIDI_FORMATTING:
            problems.add(_at(loc, original, ch), key, f"text-direction control character U+{ord(ch):04X} in text",
                         "delete it; the generator sets the direction of every line itself")
            continue
        for name, cmap, inkless, crowded, file, _ in faces:
            if ord(ch) not in cmap:
                problems.add(_at(loc, original, ch), key,
                             f"character '{ch}' (U+{ord(ch):04X}) is not in font {name} for {fonts.lang}",
                             "write the number with 0-9 (a clinic's own font draws numbers with the generator's glyphs,"
                             " which lack this one)" if ch > "9" and unicodedata.numeric(ch, None) is not None else
                             "replace the character, or declare a font that has it in templates/fonts.yaml")
                break
            if inkless(frozenset({ord(ch)})):
                if (name, ch) in _told_per_font:  # a broken font: said once per character, not once per text
                    break
                _told_per_font.add((name, ch))
                problems.add(_at(loc, original, ch), key,
                             f"font {name} ({file}) for {fonts.lang} draws character '{ch}' (U+{ord(ch):04X}) "
                             "without visible ink, or with ink in the lines beside it (its outline is empty, a speck, "
                             "cancels itself, lies off its line or is far too tall)",
                             "declare a font that draws it in templates/fonts.yaml")
                break
            if why := crowded(frozenset({ord(ch)})).get(ord(ch), ""):
                if (name, ch) not in _told_per_font:
                    _told_per_font.add((name, ch))
                    problems.add(_at(loc, original, ch), key, f"font {name} ({file}) for {fonts.lang} {why}",
                                 "declare a font whose letters are spaced as they are wide in templates/fonts.yaml")
                break


def _at(loc: Loc, original: str, ch: str) -> Loc:
    offset = original.find(ch)
    if offset < 0 or not loc.line:
        return loc
    return Loc(loc.path, loc.line, loc.col + offset)


def title_limits(root: Path, lang: str, today: date | None = None) -> dict[str, int]:
    """Per handout, about how many characters of `lang` its title may have and still fit the footer line.

    An estimate from the current title's average character width, for CAT tools' length checks; the exact
    check (in points, with the real fonts) stays `check_footer`'s. Empty when the project does not load.
    """
    try:
        project = _language_subset(load(root, partial=True)[0], lang)
        config = fonts.load_config(template.find(root, "fonts.yaml"))
        room = min(rooms(root), key=lambda r: r.width / r.size)  # the edition with the least room per point
    except (fonts.FontConfigError, styles.StyleError, OSError):
        return {}
    if project is None or lang not in project.settings.languages:
        return {}
    lang_fonts = config.for_lang(lang)
    size, avail = room.size, room.width
    widest_hex = max("0123456789abcdef", key=lambda ch: width_of([Span(ch)], lang_fonts, size))
    limits = {}
    for handout in (h for h in project.handouts if h.lang == lang):
        state, _, fingerprint = handout_state(project, handout, today or date.today())
        try:
            doc = view(project, handout.id, lang, lang_fonts, state, fingerprint)
        except LookupError:  # a partial load lacks a value (facts.yaml refused, say): no estimate, no traceback
            continue
        title_width, rest_width = first_line(doc, lang, lang_fonts, size, widest_hex)
        limits[handout.id] = fitting(handout.title, title_width, avail - rest_width)
    return limits


def undrawable(text: str, fonts: LanguageFonts) -> str:
    """Why the language's fonts cannot draw `text` (a missing character, a control character), or ""."""
    problems = Problems()
    _faces_now.clear()
    _used_now.clear()
    _told_per_font.clear()
    try:
        _check_text("", text, Loc(""), "", fonts, problems, False)
    finally:
        _faces_now.clear()
        _told_per_font.clear()
    return "; ".join(p.message for p in problems.errors)
