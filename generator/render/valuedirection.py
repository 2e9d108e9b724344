"""A value printed in a language set left to right holds no right-to-left letters.

`check` refuses right-to-left letters in a left-to-right language's texts ("its words would print reversed and
unjoined": a left-to-right line is drawn as written, neither shaped nor reordered), but not in the values printed
with them: a clinic whose name or address is in Arabic, with English set in a face that has Arabic letters (the
shipped DejaVu Sans), printed "عيادة الاختبار" in every English, Spanish, Vietnamese and Russian handout with each
word's letters reversed and unjoined, while the HTML companion showed it right (twenty-seventh pass).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.crisis import printed_values
from generator.content.model import Project
from generator.content.problems import Loc, Problems
from generator.render import fontnames
from generator.render.fonts import LanguageFonts, coverage
from generator.review.state import APPROVED


def _values(project: Project, lang: str) -> Iterator[tuple[str, Loc, str]]:
    """Each value printed in `lang`'s handouts beside its texts: (value, where it is written, its key)."""
    from generator.render.localize import short_source, sources_of, web_address

    settings = project.settings
    clinic = settings.clinic
    for key, value in (("clinic.name", clinic.name), ("clinic.phone", clinic.phone),
                       ("clinic.address", clinic.address), ("clinic.website", clinic.website)):
        yield value, settings.field_locs.get(key, settings.loc), key
    for fact in project.facts:
        yield fact.value, fact.loc, f"facts.{fact.key}.{fact.country}"
    for service in project.crisis:
        for value in printed_values(service, lang, list(settings.languages)):
            yield value, service.loc, f"crisis.{service.country}"
    for handout in (h for h in project.handouts if h.lang == lang):
        if handout.review.status == APPROVED:
            yield handout.review.reviewer, handout.loc, "review.reviewer"
            yield handout.review.role, handout.loc, "review.role"
        if settings.print_sources:
            for source in sources_of(project, handout):
                yield short_source(source), handout.loc, f"sources.{source.id}"
        if settings.web_url:
            yield web_address(project, handout.id, lang), settings.field_locs.get("web_url", settings.loc), "web_url"


def check_value_directions(project: Project, fonts: LanguageFonts, problems: Problems) -> None:
    """Refuse a value holding right-to-left letters in a language set left to right, once per value."""
    if fonts.rtl:
        return
    face = fonts.face()
    # Letters the face lacks are refused by the glyph check already: said once
    right_to_left = fontnames.right_to_left() & {chr(code) for code in coverage(face.path, face.index)} \
        if face is not None else frozenset()
    told: set[tuple[str, str]] = set()
    for value, loc, key in _values(project, fonts.lang):
        if (found := right_to_left.intersection(value or "")) and (loc.path, key) not in told:
            told.add((loc.path, key))
            ch = min(found, key=value.index)
            problems.add(loc, key, f"'{ch}' (U+{ord(ch):04X}) is written right to left, but this value is printed "
                         f"in '{fonts.lang}', set left to right (templates/fonts.yaml): its words would print "
                         "reversed and unjoined", "write it in a left-to-right script (a transliteration), or leave "
                         f"'{fonts.lang}' out of handouts.yaml's languages")
