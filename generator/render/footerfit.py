"""Whether every footer line fits on one line, in every edition a build makes, measured in points with the fonts
the footer is drawn in (the check before a build, and `approve` before it records a role).

The layout sets a line that does not fit smaller, down to the edition's floor (8 pt; large print: never below
its own footer size, style.yaml's promise); what does not fit at the floor of the narrowest paper would wrap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from generator.content.markup import Span
from generator.content.model import Project, Unit
from generator.content.parse.settings import UI_KEYS
from generator.content.problems import Loc, Problems
from generator.render import styles, template
from generator.render.drawntext import WORD_TOKENS, breaks, drawn
from generator.render.fonts import FontConfig, LanguageFonts
from generator.render.localize import View, resolve, values, view
from generator.render.styles import MIN_TITLE_CHARS
from generator.review.state import APPROVED, State, handout_state

FOOTER_SEPARATOR = " · "
SHORT_CODE = "zh-Hant-TW"  # a long language code in common use: the footer has room for it
PAPER_WIDTHS = {"letter": 612.0, "a4": 210 * 72 / 25.4}  # points; kept here so `check` needs no ReportLab
_WRAPS = "it would wrap and push the short disclaimer off the bottom of every page"


@dataclass(frozen=True)
class Room:
    """One edition's footer: the smallest size its lines are set at, and their width on the narrowest paper."""

    edition: str  # "" for the standard edition, " in large print"
    size: float
    width: float


def room_of(page_styles: styles.Styles) -> Room:
    """The footer room of the edition `page_styles` describe."""
    return Room(" in large print" if page_styles.large_print else "", styles.footer_floor(page_styles),
                min(PAPER_WIDTHS.values()) - page_styles.margins["left"] - page_styles.margins["right"])


def rooms(root: Path) -> list[Room]:
    """The footer room of each edition the project's style.yaml offers (the standard one, and large print)."""
    path = template.find(root, "style.yaml") / "style.yaml"
    found = [room_of(styles.load(path))]
    try:
        found.append(room_of(styles.load(path, True)))
    except styles.StyleError:  # no usable large_print section: `check` says so; a standard build needs none
        pass
    return found


def _tightest(width_at_1pt: float, found: list[Room]) -> tuple[Room, float] | None:
    """The edition a line of this width (at 1 pt) overflows the most, with its width there; None when it fits
    every one."""
    room = max(found, key=lambda r: r.size / r.width)
    width = width_at_1pt * room.size
    return (room, width) if width > room.width else None


def check_footer(project: Project, config: FontConfig, languages: list[str], found: list[Room],
                 today: date | None = None, as_approved: bool = False) -> Problems:
    """Each footer line must fit on one line of the narrowest paper, at the smallest size each edition sets it.
    `as_approved`: a handout whose own record says approved is measured with its approval line, even while
    another file it draws on (its UI strings, facts.yaml) is not approved yet (approve: the line comes then)."""
    # The footer is drawn downwards from the bottom margin: a line that wraps pushes the short disclaimer
    # towards, and then off, the edge of the paper, on every page. A too-long title or footer string is
    # therefore an error with its position, never a quietly cut-off disclaimer.
    problems = Problems()
    blamed: set[str] = set()  # editions whose style.yaml is already named
    today = today or date.today()
    table = values(project)
    for lang in languages:
        fonts = config.for_lang(lang)
        strings = project.strings_for(lang)

        def measure(unit: Unit, width_at_1pt: float, what: str, lang: str = lang) -> None:
            over = _tightest(width_at_1pt, found)
            if over is not None and _tightest(width_at_1pt, _shipped_rooms()) is None:
                # The shipped margins and sizes hold it: the project's style.yaml is what to change (margins of
                # 45 mm each, within its bounds, blamed the shipped "Version {version}": thirteenth pass)
                (room, width) = over
                if room.edition not in blamed:
                    blamed.add(room.edition)
                    problems.add(Loc("templates/style.yaml"), "style", f"its margins and footer size leave "
                                 f"{room.width:.0f} pt for a footer line at {room.size:g} pt{room.edition}; "
                                 f"{what} needs {width:.0f} pt in {lang}; {_WRAPS}", "narrow the left and right "
                                 "margins, or lower the footer size, towards the shipped style.yaml's")
            elif over is not None:
                (room, width) = over
                problems.add(unit.loc, f"strings.{unit.id}",
                             f"{what} is {width:.0f} pt wide at {room.size:g} pt{room.edition}, more than the "
                             f"{room.width:.0f} pt of the narrowest page; {_WRAPS}",
                             f"shorten it to about {fitting(unit, width, room.width)} characters")

        for key in ("review.draft", "review.changed", "review.overdue", "disclaimer.short"):
            unit = strings.get(key)
            measure(unit, width_of(resolve(unit, table).spans, fonts, 1.0), "this footer line")
        widest_hex = max("0123456789abcdef", key=lambda ch: width_of([Span(ch)], fonts, 1.0))  # fingerprints vary
        for handout in (h for h in project.handouts if h.lang == lang):
            state, _, fingerprint = handout_state(project, handout, today)
            if as_approved and handout.review.status == APPROVED:
                state = State(handout.loc.path, APPROVED, handout.review)
            doc = view(project, handout.id, lang, fonts, state, fingerprint)
            if state.status == APPROVED:
                width = width_of(doc.review_label.spans, fonts, 1.0)
                role = handout.review.role
                unnamed = [replace(s, text=s.text.replace(role, "")) for s in doc.review_label.spans]
                over, rest = _tightest(width, found), width_of(unnamed, fonts, 1.0)
                if over is not None and _tightest(rest, found) is None:
                    (room, wide) = over  # the role makes it too long: its record
                    left = min(r.width / r.size for r in found) - rest  # what the role may take, at 1 pt
                    # At the role's own line, naming style.yaml too: a footer size raised after the approval
                    # was blamed on line 1 of the handout alone (thirty-sixth pass)
                    problems.add(handout.place("review.role"), "review.role", f"the role '{role[:40]}' makes the "
                                 f"approval line {wide:.0f} pt wide at {room.size:g} pt{room.edition} (the footer "
                                 f"size of templates/style.yaml), more than the {room.width:.0f} pt of the narrowest "
                                 f"page; {_WRAPS}", "approve again with a shorter --role: about "
                                 f"{int(len(role) * left / (width - rest))} characters like these fit in {lang}; or "
                                 "lower that footer size in style.yaml")
                else:
                    measure(strings.get("review.approved"), width, "the approval line, with its dates and role,")
            # The layout shortens a long title with an ellipsis (generator/render/layout.py, fit_footer_line):
            # what must fit is the shortest title it keeps, with the footer's own words.
            shortest = replace(doc, title=replace(doc.title, spans=(Span(doc.title.plain[:MIN_TITLE_CHARS].rstrip()
                                                                               + "…"),)))
            title_width, rest_width = first_line(shortest, lang, fonts, 1.0, widest_hex)
            line = title_width + rest_width
            with_short_code = line - width_of([Span(lang)], fonts, 1.0) + width_of([Span(SHORT_CODE)], fonts, 1.0)
            if (over := _tightest(line, found)) and _tightest(with_short_code, found) is None:
                # The code, not the words, is what is long (footer.version was blamed: twenty-ninth pass); said once
                problems.add(project.settings.field_locs.get(f"languages.{lang}", project.settings.loc),
                             "languages", f"the language code '{lang}' ({len(lang)} characters) makes the first "
                             f"footer line of {handout.id} {over[1]:.0f} pt wide at {over[0].size:g} pt"
                             f"{over[0].edition}, more than the {over[0].width:.0f} pt of the narrowest page; "
                             f"{_WRAPS}", f"use a code of at most {len(SHORT_CODE)} characters (it is printed on "
                             "every page)")
                break
            measure(strings.get("footer.version"), line,
                    f"the first footer line of {handout.id} (title shortened to {MIN_TITLE_CHARS} characters, "
                    "version, fingerprint, language, page), mostly footer.version and footer.page,")
    return problems


@cache
def _shipped_rooms() -> list[Room]:
    """The footer room of each edition of the shipped style.yaml."""
    path = template.default_templates() / "style.yaml"
    return [room_of(styles.load(path)), room_of(styles.load(path, True))]


def approval_too_wide(root: Path, texts: dict[Path, str], today: date) -> list[str]:
    """Why some edition's footer could not hold the approval line of a handout in `texts` (the files `approve`
    is about to write, read as if written): each such handout's role, too wide, with its width; [] when all fit."""
    from generator.content.project import load_or_raise
    from generator.content.yamlread import overlaid
    from generator.render import fonts

    with overlaid(texts):
        project, _ = load_or_raise(root, today)
    written = {path.resolve() for path in texts}
    approved = [h for h in project.handouts if (Path(project.root) / h.loc.path).resolve() in written]
    if not approved:
        return []
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    languages = list(dict.fromkeys(h.lang for h in approved))
    shown = {h.loc.path for h in approved}
    found = check_footer(project, config, languages, rooms(root), today, as_approved=True)
    return [f"{p.loc.path}: {p.message}; {p.hint}" for p in found.errors
            if p.key == "review.role" and p.loc.path in shown]


def strings_complete(project: Project, lang: str) -> bool:
    """Whether `lang` has every UI string the source language has: a partly loaded project lacks those the loader
    refused (a blank or broken text), and the footers cannot be laid out without them (thirty-fourth pass)."""
    have = {s.lang: {unit.id for unit in s.units} for s in project.strings}
    return {*UI_KEYS, *have.get(project.settings.source_language, ())} <= have.get(lang, set())


def first_line(doc: View, lang: str, fonts: LanguageFonts, size: float, widest_hex: str) -> tuple[float, float]:
    """The widths of the first footer line's title, and of the rest of it (version, fingerprint, language, page)."""
    digits = "99"  # page numbers; digits have one width in these fonts, in every numbering system
    page = [replace(s, text=s.text.replace("{page}", digits).replace("{pages}", digits))
            for s in doc.page_label.spans]
    rest = [Span(FOOTER_SEPARATOR), *doc.version_label.spans, Span(FOOTER_SEPARATOR),
            Span(widest_hex * len(doc.fingerprint), value=True), Span(FOOTER_SEPARATOR), Span(lang),
            Span(FOOTER_SEPARATOR), *page]
    rest_width = width_of(rest, fonts, size)
    return width_of([*doc.title.spans, *rest], fonts, size) - rest_width, rest_width


def fitting(unit: Unit, width: float, avail: float) -> int:
    """About how many characters of `unit` fit `avail` points, when all of it takes `width`."""
    return max(1, int(len(unit.text) * avail / max(width, 1.0)) - 2)


def width_of(spans: tuple[Span, ...] | list[Span], fonts: LanguageFonts, size: float) -> float:
    """The width of spans laid out on one line, measured as TextFlow measures them (a run of spaces as one)."""
    from generator.render.fonts import advances

    regular = fonts.face()
    assert regular is not None
    space_widths, space_units = advances(regular.path, regular.index)
    total, pending = 0.0, False
    for span in spans:
        text = span.text
        if fonts.rtl:
            from generator.render import rtl

            text = rtl.reshape(rtl.isolate(text) if span.value else text)
        text = drawn(text)  # what draws nothing takes no room (twenty-second pass)
        face = fonts.face(span.bold, span.italic) or fonts.face(span.bold, False)
        assert face is not None
        widths, units = advances(face.path, face.index)
        for token in WORD_TOKENS.findall(text):
            if breaks(token):
                pending = True
                continue
            if pending and total:
                total += space_widths.get(32, 0) * size / space_units
            pending = False
            total += sum(widths.get(ord(ch), 0) for ch in token) * size / units
    return total
