"""A handout template's output holds the handout, all of it, and no words of the template's own.

A project's templates arrange the page; the words on it are the content's, which a reviewer approved. A
project template that left out the Safety section, or printed "Take ten times the dose." in place of an
approved paragraph, passed `check` and `build --release` stamped it "Reviewed" (fifth hostile pass). So the text
a template produced is compared with its view: every text node must be a piece of the view's own text (a
span, a name, a date) or punctuation between such pieces, and every unit of the handout must be there.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from generator.content.markup import Span
from generator.render.faithmarks import Flow, Runs, Unfaithful, emphasis, links_as_their_units, marked_runs, normalised
from generator.render.faithnumber import check_numbers
from generator.render.localize import MissingPair, Text, View
from generator.render.rtl import value_direction

_EVERY_UNIT = ("every unit is printed (the sections, the clinic's contact lines, \"Current as of\", the provenance "
               "line, the sources and the other editions' line)")
_MAX_SHOWN = 80  # characters of an offending text quoted in the error
# Texts that are no whole piece, each compared with every piece: a template printing 100,000 such nodes kept
# `check` busy for 108 s (sixth pass). A real template has a handful (the Sources line).
MAX_COMPOSED = 500
MAX_COMPOSED_CHARS = 20_000  # and each at most this long (a unit is at most 5,000): 1.57 million took 50 s
# A letter or digit of a script that puts spaces between words; Chinese and Japanese runs join without them.
_SPACED = r"[^\W_\u2e80-\u9fff\u3040-\u30ff\uf900-\ufaff\uff00-\uffef]"


def check(nodes: Iterable[str], view: View, second: View | None = None, links: Iterable[str] = (),
          said: Iterable[str] = ()) -> None:
    """Raise Unfaithful unless every text node, link address and spoken attribute (`said`: alt, title,
    aria-label...) is the views' own, and every unit of theirs is printed (in `nodes`)."""
    views = [view] if second is None else [view, second]
    facts = facts_of(view, second, value_links=False)
    allowed, longest_first = facts.allowed, facts.allowed_longest_first
    for link in links:
        if link not in allowed and not link.startswith("#"):
            raise Unfaithful(f"it links to an address that is not the handout's: '{link[:_MAX_SHOWN]}'; links "
                             "come from content/ and the clinic's settings")
    printed: set[str] = set()
    composed: set[str] = set()
    for value in said:
        _own_words(" ".join(value.split()), allowed, longest_first, composed)
    for node in nodes:
        text = " ".join(node.split())
        if not text:
            continue
        printed.add(text)
        if text not in allowed and text not in composed:
            _own_words(text, allowed, longest_first, composed)
            printed.update(piece for piece in longest_first if piece in text)
    for v, required in zip(views, facts.required, strict=True):
        for text in required:
            missing = [p for p in (" ".join(s.text.split()) for s in text.spans) if p and p not in printed]
            if missing:
                raise Unfaithful(f"it leaves out part of the handout ({v.lang} {text.id}: '{missing[0][:60]}'); "
                                 f"{_EVERY_UNIT}")


def _own_words(text: str, allowed: set[str], longest_first: Sequence[str], composed: set[str]) -> None:
    """Raise Unfaithful when `text` holds a letter or digit that no whole piece of the views' text explains;
    `composed` collects the texts found made of pieces, at most MAX_COMPOSED of them."""
    if not text or text in allowed or text in composed:
        return
    if len(composed) >= MAX_COMPOSED:
        raise Unfaithful(f"it prints over {MAX_COMPOSED:,} texts that are not each one piece of the handout; print "
                         "each unit in an element of its own")
    composed.add(text)
    _short_enough(text)
    rest = text
    if _only_punctuation(rest):
        return
    for piece in longest_first:  # whole pieces, apart: no word spelled from the ends of two ("en" "tiny")
        if piece in rest:
            rest, count = _whole(piece).subn("\0", rest)
            if count and _only_punctuation(rest):
                return
    shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
    raise Unfaithful(f"it prints text that is not the handout's: '{shown}'; a template arranges the content, "
                     "and every word on the page comes from content/ (a fixed label belongs in ui.yaml, where "
                     "it is translated and reviewed)")


def _only_punctuation(rest: str) -> bool:
    """Whether what is left between whole pieces is spaces and punctuation only: a symbol of the template's
    own ("× Arrange a ride home.", ✗, ¬) changes an instruction, and a direction control (LRO) reverses a
    language's text (eighth pass); neither is punctuation."""
    return all(ch == "\0" or ch.isspace() or unicodedata.category(ch)[0] == "P" for ch in rest)


def _short_enough(text: str) -> None:
    if len(text) > MAX_COMPOSED_CHARS:
        raise Unfaithful(f"it prints a text of {len(text):,} characters that is not one unit of the handout (at most "
                         f"{MAX_COMPOSED_CHARS:,}); print each unit in an element of its own")


def _required(view: View, first: bool) -> Iterator[Text]:
    """What every edition of a handout must print: its title, summary, every section, the disclaimer, how to
    reach the clinic and how current it is, the provenance line and the reviewer; on the page's own language
    (`first`), also its sources and its other editions. A project template that left out the clinic's phone, the
    "Current as of" date or the sources printed a handout a patient cannot act on or a reviewer cannot trace
    (judgement call taken up in the seventeenth session)."""
    yield from (view.title, view.summary, view.contact, view.current, view.disclaimer_full, view.contact_heading,
                *view.contact_lines, view.provenance)
    names = [view.clinic_name, view.reviewer]
    if first:
        if view.sources:
            yield view.sources_heading
        if view.other_languages:
            yield view.editions_label
        if view.web_line is not None:
            yield view.web_line
        names += [*view.sources, *(name for _, name in view.other_languages)]
    yield from (Text(f"'{name}'", (Span(name),)) for name in names if name.strip())
    yield from view.section_texts()


def check_laid_out(flows: Iterable[Flow | tuple[bool, Flow]], view: View, second: View | None = None,
                   value_links: bool = False) -> None:
    """The stricter check, flow by flow (each a list of (text, link) spans: what the PDF's layout takes, or a
    block of the HTML companion): a flow is one whole unit of the handout, its words in order and its links its
    own, or whole units and names or values (the clinic's name, a source, a language) with punctuation between,
    linked only as those units are. A template that moved the bold "not" of "Do **not** drive" elsewhere, or
    wrapped the crisis number in the clinic's tel: link, passed the piece-by-piece check (sixth pass).
    `value_links`: a value's own link (a phone number's tel:) is drawn (the HTML companion; not the PDF). A flow
    given as (second, spans) is the first or the second language's, drawn in its fonts: a unit of the other
    language there prints as dots (seventh pass: the Arabic disclaimer drawn in Latin fonts)."""
    views = [view] if second is None else [view, second]
    facts = facts_of(view, second, value_links)
    units, by_side, longest_first = facts.units, facts.by_side, facts.pieces_longest_first
    printed: set[str] = set()
    # Where each unit or piece is printed, in reading order: (flow, character) — a composed line's pieces in
    # their order too, and each printing a place of its own, so that a text the handout holds twice must be
    # printed twice, each in its place.
    places: dict[str, list[tuple[int, int]]] = {}
    composed = 0
    whole: Counter[str] = Counter()  # how often each unit is printed as a flow of its own
    for at, given in enumerate(flows):
        side, flow = given if isinstance(given, tuple) else (None, given)
        text, marks = normalised(flow)
        if not text:
            continue
        if text in units:
            _on_its_side(text, side, by_side)
            printed.add(text)
            places.setdefault(text, []).append((at, 0))
            whole[text] += 1
            if marked_runs(text, marks) not in units[text]:
                links = ", ".join(dict.fromkeys(link for _, _, (link, *_) in marks if link))
                raise Unfaithful(f"it gives '{text[:60]}' links that are not its own ({links[:80]}), or emphasis "
                                 "(bold, italic) not its own, or its own over other words, or prints a value (a phone "
                                 "number) of it as plain text, whose characters right-to-left text may reorder: print "
                                 "units with `| inline`, as they are")
            continue
        composed += 1
        if composed > MAX_COMPOSED:
            raise Unfaithful(f"it prints over {MAX_COMPOSED:,} texts that are not each one unit of the handout; "
                             "print each unit in an element of its own")
        found = pieces_of(text, longest_first)
        check_numbers(text, found)
        links_as_their_units(text, marks, found, units)
        for piece, offset in found:  # every piece of a composed line too (ninth pass: "<disclaimer> ·")
            _on_its_side(piece, side, by_side)
            printed.add(piece)
            places.setdefault(piece, []).append((at, offset))
    for v, required in zip(views, facts.required, strict=True):
        for text in required:
            plain = " ".join(text.plain.split())
            if plain and plain not in printed:
                raise Unfaithful(f"it leaves out, splits or rearranges part of the handout ({v.lang} {text.id}: "
                                 f"'{plain[:60]}'); {_EVERY_UNIT}, whole, its words in order")
    for sections in facts.sections:
        _in_place(sections, places)
    for unit in facts.once:  # a section's units are printed in their place, and nowhere else, on a line of their
        # own or in a composed one; but the footer's line names the title, which a heading may repeat word for word
        if (whole[unit] if unit in facts.beyond and unit not in facts.cells else len(places.get(unit, ()))) \
                > facts.held[unit]:
            raise Unfaithful(f"it prints '{unit[:50]}' more often than the handout holds it; a section's units (a "
                             "table's rows) are printed once each, in their place (printed again under another "
                             "heading, or paired with another row's answer, a unit says something else)")


def units_in(text: str, view: View, second: View | None = None) -> list[str]:
    """The units a laid-out line (its white space collapsed) is, or is made of, as check_laid_out reads it."""
    facts = facts_of(view, second, False)
    if text in facts.units:
        return [text]
    return [piece for piece, _ in pieces_of(text, facts.pieces_longest_first) if piece in facts.units]


def _on_its_side(text: str, side: bool | None, by_side: tuple[frozenset[str], frozenset[str]]) -> None:
    """A flow of one language is drawn in that language's fonts and direction: a unit or name of the other
    language there prints as dots or boxes, whole (seventh pass) or as a piece of a composed line (ninth pass:
    the Arabic disclaimer and a middle dot, drawn in Latin fonts)."""
    if side is not None and text in by_side[not side] and text not in by_side[side]:
        raise Unfaithful(f"it prints '{text[:60]}' as the {'second' if side else 'first'} language's text, in "
                         "that language's fonts, but it is the other language's; mark it second=\"yes\" (or not) "
                         "as its language is")


def _in_place(sections: Sequence[Sequence[str]], places: dict[str, list[tuple[int, int]]]) -> None:
    """Each section's heading and units are printed in their order, and none among another section's: a
    template that printed a table row's first cell with the next row's answers ("With alcohol | Safe to
    combine"), or a unit under another heading, changed what the reviewer approved (eighth pass). A text the
    handout holds twice (a table's answers repeat: "Never combine", "Never combine") is two units in two places:
    the section's units are matched one by one, in order, each to a printing after the one before (the earliest,
    which finds an order whenever there is one); the ninth pass paired every topic with another row's repeated
    answer while repeated texts were left out. A unit may be printed again (a caption naming the columns): one
    printing in order suffices. Which section a repeated text belongs to cannot be told from its text, so the
    sections' bounds are those of their texts printed once in the handout."""
    counts: dict[str, int] = {}
    for texts in sections:
        for text in texts:
            counts[text] = counts.get(text, 0) + 1
    spans = []
    for texts in sections:
        chosen: list[tuple[tuple[int, int], str]] = []
        for text in (t for t in texts if t in places):
            after = chosen[-1][0] if chosen else (-1, -1)
            at = bisect.bisect_right(places[text], after)  # the first time it is printed after the unit before it
            if at == len(places[text]):
                raise Unfaithful(f"it prints '{text[:50]}' before '{chosen[-1][1][:50]}', out of the handout's "
                                 "order (or fewer times than the handout holds it); a template may arrange "
                                 "sections, but each section's units (and a table's rows and cells) stay in their "
                                 "order")
            chosen.append((places[text][at], text))
        once = [(place, text) for place, text in chosen if counts[text] == 1]
        if once:
            spans.append((once[0][0], once[-1][0], once[0][1]))
    spans.sort()
    for (_, end, name), (start, _, other) in pairwise(spans):
        if start < end:
            raise Unfaithful(f"it prints the section of '{other[:50]}' inside the section of '{name[:50]}'; each "
                             "section's units stay together, under their own heading")


def pieces_of(text: str, longest_first: Sequence[str]) -> list[tuple[str, int]]:
    """The whole pieces `text` is made of, with punctuation between them, each printing with where it starts, in
    reading order; Unfaithful when words remain."""
    _short_enough(text)
    found: list[tuple[str, int]] = []
    rest = text
    if _only_punctuation(rest):
        return found
    for piece in longest_first:
        if piece in rest:
            starts = [match.start() for match in _whole(piece).finditer(rest)]
            if starts:
                for start in starts:  # blanked to its length, so that later pieces keep their offsets
                    rest = rest[:start] + "\0" * len(piece) + rest[start + len(piece):]
                found += [(piece, start) for start in starts]
                if _only_punctuation(rest):
                    return sorted(found, key=lambda pair: pair[1])
    shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
    raise Unfaithful(f"it prints text that is not the handout's as its units are: '{shown}'; a template arranges "
                     "whole units, and every word comes from content/")


@functools.lru_cache(maxsize=4096)
def _whole(piece: str) -> re.Pattern[str]:
    """`piece` as a whole: not the end of a longer word of a spaced script ("en" in "often")."""
    return re.compile(rf"(?<!{_SPACED}){re.escape(piece)}(?!{_SPACED})")


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the checks compare a template's output with, derived from the views once (not once per check:
    a render checks its template's XML and then its laid-out flows against the same views)."""

    allowed: frozenset[str]  # every string the views hold, whitespace-normalised
    allowed_longest_first: tuple[str, ...]
    units: dict[str, set[Runs]]  # each unit's plain text: the links and values it
    # may carry, and over which of its characters (`_runs`)
    by_side: tuple[frozenset[str], frozenset[str]]  # each language's unit texts
    pieces_longest_first: tuple[str, ...]  # units and loose strings (names, values)
    required: tuple[tuple[Text, ...], ...]  # per view: what every edition must print
    sections: tuple[tuple[tuple[str, ...], ...], ...]  # per view, per section: its heading and units, in order
    once: frozenset[str]  # every unit's text (not a table's column names, which a caption may repeat)
    cells: frozenset[str]  # the texts of the tables' rows (not their column names), in every view
    held: dict[str, int]  # how many times the views hold each unit's text
    beyond: frozenset[str]  # section texts the views also hold outside the sections (a title worded as a heading)


_memo: dict[tuple[int, int, bool], tuple[View, View | None, Facts]] = {}


def facts_of(view: View, second: View | None, value_links: bool) -> Facts:
    """The facts of these views, memoised by identity (a View holds dicts, so it is not hashable); the views
    are kept in the memo so that an identity cannot be reused while its entry lives."""
    key = (id(view), id(second), value_links)
    hit = _memo.get(key)
    if hit is not None and hit[0] is view and hit[1] is second:
        return hit[2]
    facts = _derive([view] if second is None else [view, second], value_links)
    if len(_memo) >= 8:
        _memo.pop(next(iter(_memo)))
    _memo[key] = (view, second, facts)
    return facts


def _derive(views: list[View], value_links: bool) -> Facts:
    allowed: set[str] = set()
    units: dict[str, set[Runs]] = {}
    by_side: list[set[str]] = [set(), set()]
    pieces: set[str] = set()
    for index, v in enumerate(views):
        for item in walk(v):
            if isinstance(item, str):
                if item.strip():
                    loose = " ".join(item.split())
                    allowed.add(loose)
                    pieces.add(loose)
                    by_side[index].add(loose)
                continue
            allowed.update(" ".join(t.split()) for s in item.spans for t in (s.text, s.href) if t.strip())
            plain = " ".join(item.plain.split())
            if plain:
                drawn = [(s.text, s.href if value_links or not s.value else "", _isolated(s, value_links),
                          emphasis(s.bold, s.italic)) for s in item.spans]
                units.setdefault(plain, set()).add(marked_runs(*normalised(drawn)))
                by_side[index].add(plain)
    pieces.update(units)
    return Facts(frozenset(allowed), tuple(sorted(allowed, key=len, reverse=True)), units,
                  (frozenset(by_side[0]), frozenset(by_side[1])), tuple(sorted(pieces, key=len, reverse=True)),
                  tuple(tuple(_required(v, i == 0)) for i, v in enumerate(views)),
                  (*(_sections(v) for v in views), *((_paired(*views),) if len(views) == 2 else ())),
                  frozenset({text for v in views for texts in _sections(v) for text in texts}
                            | {_plain(text) for v in views for text in v.texts()})  # the UI's too (eighteenth pass)
                  - {_plain(cell) for v in views for section in v.sections for block in section["blocks"]
                     for cell in block["columns"]} - {""},
                  frozenset(_plain(cell) for v in views for section in v.sections for block in section["blocks"]
                            for row in block["rows"] for cell in row) - {""},
                  Counter(_plain(text) for v in views for text in v.texts()),
                  frozenset(set(Counter(_plain(t) for v in views for t in v.texts())
                                - Counter(_plain(t) for v in views for t in v.section_texts()))
                            | {_plain(t) for v in views for t in (v.disclaimer_short, v.review_label, v.version_label,
                                                                  v.page_label)}))


def _isolated(span: Span, html: bool) -> bool | str:
    """How a span is isolated where it is drawn: a value in the PDF; in the HTML companion, the direction of the
    <bdi> the shipped template puts a value in (`template.html_inline`)."""
    if not html or not span.value:
        return span.value
    return value_direction(span.text) or "auto"


def _plain(text: Text) -> str:
    return " ".join(text.plain.split())


def _units_of(section: dict) -> list[Text]:
    """A section's heading and units, in order."""
    texts = [section["heading"]]
    for block in section["blocks"]:
        texts += [block["text"]] if block["text"] is not None else []
        texts += [*block["items"], *block["columns"], *(cell for row in block["rows"] for cell in row)]
    return texts


def _sections(view: View) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(plain for t in _units_of(section) if (plain := _plain(t))) for section in view.sections)


def _paired(view: View, second: View) -> tuple[tuple[str, ...], ...]:
    """Per section of a bilingual edition, each unit followed by its translation: a template that printed each
    translation under the next unit kept both languages in order, yet set every Spanish line under the wrong
    English one (judgement call taken up in the seventeenth session)."""
    found = []
    for section in view.sections:
        texts: list[Text] = []
        for text in _units_of(section):
            texts.append(text)
            try:
                texts.append(second.unit(text.id))
            except MissingPair:  # said by the template's render, which pairs every unit
                pass
        found.append(tuple(plain for t in texts if (plain := _plain(t))))
    return tuple(found)


@functools.lru_cache(maxsize=64)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def walk(view: View) -> Iterator[Text | str]:
    """A view's words: every Text in it (through its dataclasses, dicts, tuples and lists), and the names and
    values it prints beside them (`printed_names`). Its other strings are the machinery's: section and block IDs,
    kinds, the review status, the direction, the file name, the logo's path. A template printing them as words
    (`{{ section.id }} {{ doc.review_status }}`: "expect draft", ninth pass) printed words nobody approved."""
    yield from printed_names(view)
    todo: list[object] = [view]
    while todo:  # depth first, in order: a stack of the items still to visit, the next on top
        item = todo.pop()
        if isinstance(item, Text):
            yield item
        elif isinstance(item, dict):
            todo.extend(reversed(list(item.values())))
        elif isinstance(item, (tuple, list)):
            todo.extend(reversed(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            todo.extend(getattr(item, name) for name in reversed(_field_names(type(item))))


def printed_names(view: View) -> tuple[str, ...]:
    """The strings of a view that are printed as they are: the clinic's name, the reviewer, the sources, the
    languages' own names, and the footer's version, fingerprint and language code."""
    return (view.clinic_name, view.reviewer, *view.sources, view.language,
            *(name for _, name in view.other_languages), view.version, view.fingerprint, view.lang)
