"""A handout template's output holds the handout, all of it, and no words of the template's own.

A project's templates arrange the page; the words on it are the content's, which a reviewer approved. A
project template that left out the Safety section, or printed "Take ten times the dose." in place of an
approved paragraph, passed `check` and `build --release` stamped it "Reviewed" (fifth hostile pass). So the text
a template produced is compared with its view: every text node must be a piece of the view's own text (a
span, a name, a date) or punctuation between such pieces, and every unit of the handout must be there.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from generator.render.localize import Text, View

_MAX_SHOWN = 80  # characters of an offending text quoted in the error
# Texts that are no whole piece, each compared with every piece: a template printing 100,000 such nodes kept
# `check` busy for 108 s (sixth pass). A real template has a handful (the Sources line).
MAX_COMPOSED = 500
MAX_COMPOSED_CHARS = 20_000  # and each at most this long (a unit is at most 5,000): 1.57 million took 50 s
# A letter or digit of a script that puts spaces between words; Chinese and Japanese runs join without them.
_SPACED = r"[^\W_\u2e80-\u9fff\u3040-\u30ff\uf900-\ufaff\uff00-\uffef]"


class Unfaithful(ValueError):
    """The template's output adds words of its own, or leaves part of the handout out."""


def check(nodes: Iterable[str], view: View, second: View | None = None, links: Iterable[str] = (),
          said: Iterable[str] = ()) -> None:
    """Raise Unfaithful unless every text node, link address and spoken attribute (`said`: alt, title,
    aria-label...) is the views' own, and every unit of theirs is printed (in `nodes`)."""
    views = [view] if second is None else [view, second]
    facts = _facts(view, second, value_links=False)
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
                                 "every section and unit must be printed")


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
    if not any(ch.isalnum() for ch in rest):
        return
    for piece in longest_first:  # whole pieces, apart: no word spelled from the ends of two ("en" "tiny")
        if piece in rest:
            rest, count = _whole(piece).subn("\0", rest)
            if count and not any(ch.isalnum() for ch in rest):
                return
    shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
    raise Unfaithful(f"it prints text that is not the handout's: '{shown}'; a template arranges the content, "
                     "and every word on the page comes from content/ (a fixed label belongs in ui.yaml, where "
                     "it is translated and reviewed)")


def _short_enough(text: str) -> None:
    if len(text) > MAX_COMPOSED_CHARS:
        raise Unfaithful(f"it prints a text of {len(text):,} characters that is not one unit of the handout (at most "
                         f"{MAX_COMPOSED_CHARS:,}); print each unit in an element of its own")


def _required(view: View) -> Iterator[Text]:
    """What every edition of a handout must print: its title, summary, every section and the disclaimer."""
    yield from (view.title, view.summary, view.disclaimer_full)
    yield from view.section_texts()


Flow = Sequence[tuple[str, str]]  # a flow's spans: (text, link)


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
    facts = _facts(view, second, value_links)
    units, by_side, longest_first = facts.units, facts.by_side, facts.pieces_longest_first
    printed: set[str] = set()
    composed = 0
    for given in flows:
        side, flow = given if isinstance(given, tuple) else (None, given)
        text = " ".join("".join(piece for piece, _ in flow).split())
        if not text:
            continue
        links = tuple(link for _, link in flow if link)
        if side is not None and text in by_side[not side] and text not in by_side[side]:
            raise Unfaithful(f"it prints '{text[:60]}' as the {'second' if side else 'first'} language's text, in "
                             "that language's fonts, but it is the other language's")
        if text in units:
            printed.add(text)
            if links not in units[text]:
                raise Unfaithful(f"it gives '{text[:60]}' links that are not its own ({', '.join(links)[:80]})")
            continue
        composed += 1
        if composed > MAX_COMPOSED:
            raise Unfaithful(f"it prints over {MAX_COMPOSED:,} texts that are not each one unit of the handout; "
                             "print each unit in an element of its own")
        found = _pieces_of(text, longest_first)
        own = {link for piece in found if piece in units for choice in units[piece] for link in choice}
        if any(link not in own for link in links):
            raise Unfaithful(f"it links '{text[:60]}' to {links[0][:60]}, which is not a link of the handout's")
        printed.update(found)
    for v, required in zip(views, facts.required, strict=True):
        for text in required:
            plain = " ".join(text.plain.split())
            if plain and plain not in printed:
                raise Unfaithful(f"it leaves out, splits or rearranges part of the handout ({v.lang} {text.id}: "
                                 f"'{plain[:60]}'); every unit is printed whole, its words in order")


def _pieces_of(text: str, longest_first: Sequence[str]) -> list[str]:
    """The whole pieces `text` is made of, with punctuation between them; Unfaithful when words remain."""
    _short_enough(text)
    found, rest = [], text
    if not any(ch.isalnum() for ch in rest):
        return found
    for piece in longest_first:
        if piece in rest:
            rest, count = _whole(piece).subn("\0", rest)
            if count:
                found.append(piece)
                if not any(ch.isalnum() for ch in rest):
                    return found
    shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
    raise Unfaithful(f"it prints text that is not the handout's as its units are: '{shown}'; a template arranges "
                     "whole units, and every word comes from content/")


@functools.lru_cache(maxsize=4096)
def _whole(piece: str) -> re.Pattern[str]:
    """`piece` as a whole: not the end of a longer word of a spaced script ("en" in "often")."""
    return re.compile(rf"(?<!{_SPACED}){re.escape(piece)}(?!{_SPACED})")


@dataclasses.dataclass(frozen=True)
class _Facts:
    """What the checks compare a template's output with, derived from the views once (not once per check:
    a render checks its template's XML and then its laid-out flows against the same views)."""

    allowed: frozenset[str]  # every string the views hold, whitespace-normalised
    allowed_longest_first: tuple[str, ...]
    units: dict[str, set[tuple[str, ...]]]  # each unit's plain text: the link tuples it may carry
    by_side: tuple[frozenset[str], frozenset[str]]  # each language's unit texts
    pieces_longest_first: tuple[str, ...]  # units and loose strings (names, values)
    required: tuple[tuple[Text, ...], ...]  # per view: what every edition must print


_memo: dict[tuple[int, int, bool], tuple[View, View | None, _Facts]] = {}


def _facts(view: View, second: View | None, value_links: bool) -> _Facts:
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


def _derive(views: list[View], value_links: bool) -> _Facts:
    allowed: set[str] = set()
    units: dict[str, set[tuple[str, ...]]] = {}
    by_side: list[set[str]] = [set(), set()]
    pieces: set[str] = set()
    for index, v in enumerate(views):
        for item in _walk(v):
            if isinstance(item, str):
                if item.strip():
                    loose = " ".join(item.split())
                    allowed.add(loose)
                    pieces.add(loose)
                continue
            allowed.update(" ".join(t.split()) for s in item.spans for t in (s.text, s.href) if t.strip())
            plain = " ".join(item.plain.split())
            if plain:
                links = tuple(s.href for s in item.spans if s.href and (value_links or not s.value))
                units.setdefault(plain, set()).add(links)
                by_side[index].add(plain)
    pieces.update(units)
    return _Facts(frozenset(allowed), tuple(sorted(allowed, key=len, reverse=True)), units,
                  (frozenset(by_side[0]), frozenset(by_side[1])), tuple(sorted(pieces, key=len, reverse=True)),
                  tuple(tuple(_required(v)) for v in views))


@functools.lru_cache(maxsize=64)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def _walk(value: object) -> Iterator[Text | str]:
    """The Texts and strings of a view, through its dataclasses, dicts, tuples and lists."""
    todo = [value]
    while todo:  # depth first, in order: a stack of the items still to visit, the next on top
        item = todo.pop()
        if isinstance(item, (str, Text)):
            yield item
        elif isinstance(item, dict):
            todo.extend(reversed(list(item.values())))
        elif isinstance(item, (tuple, list)):
            todo.extend(reversed(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            todo.extend(getattr(item, name) for name in reversed(_field_names(type(item))))
