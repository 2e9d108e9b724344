"""A handout template's output holds the handout, all of it, and no words of the template's own.

A project's templates arrange the page; the words on it are the content's, which a reviewer approved. A
project template that left out the Safety section, or printed "Take ten times the dose." in place of an
approved paragraph, passed `check` and `build --release` stamped it "Reviewed" (fifth hostile pass). So the text
a template produced is compared with its view: every text node must be a piece of the view's own text (a
span, a name, a date) or punctuation between such pieces, and every unit of the handout must be there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from generator.render.localize import Text, View

_MAX_SHOWN = 80  # characters of an offending text quoted in the error
# A letter or digit of a script that puts spaces between words; Chinese and Japanese runs join without them.
_SPACED = r"[^\W_\u2e80-\u9fff\u3040-\u30ff\uf900-\ufaff\uff00-\uffef]"


class Unfaithful(ValueError):
    """The template's output adds words of its own, or leaves part of the handout out."""


def check(nodes: Iterable[str], view: View, second: View | None = None, links: Iterable[str] = ()) -> None:
    """Raise Unfaithful unless every text node and link address is the views' own and every unit of theirs is
    printed."""
    views = [view] if second is None else [view, second]
    allowed = {piece for v in views for piece in _strings(v)}
    for link in links:
        if link not in allowed and not link.startswith("#"):
            raise Unfaithful(f"it links to an address that is not the handout's: '{link[:_MAX_SHOWN]}'; links "
                             "come from content/ and the clinic's settings")
    longest_first = sorted(allowed, key=len, reverse=True)
    printed = set()
    for node in nodes:
        text = " ".join(node.split())
        if not text:
            continue
        printed.add(text)
        if text in allowed:
            continue
        rest = text
        for piece in longest_first:  # whole pieces, apart: no word spelled from the ends of two ("en" "tiny")
            if piece in rest:
                rest = re.sub(rf"(?<!{_SPACED}){re.escape(piece)}(?!{_SPACED})", "\0", rest)
            if not any(ch.isalnum() for ch in rest):
                break
        printed.update(piece for piece in longest_first if piece in text)
        if any(ch.isalnum() for ch in rest):
            shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
            raise Unfaithful(f"it prints text that is not the handout's: '{shown}'; a template arranges the "
                             "content, and every word on the page comes from content/ (a fixed label belongs in "
                             "ui.yaml, where it is translated and reviewed)")
    for v in views:
        for text in _required(v):
            missing = [p for p in (" ".join(s.text.split()) for s in text.spans) if p and p not in printed]
            if missing:
                raise Unfaithful(f"it leaves out part of the handout ({v.lang} {text.id}: '{missing[0][:60]}'); "
                                 "every section and unit must be printed")


def _required(view: View) -> Iterator[Text]:
    """What every edition of a handout must print: its title, summary, every section and the disclaimer."""
    yield from (view.title, view.summary, view.disclaimer_full)
    for section in view.sections:
        yield section["heading"]
        for block in section["blocks"]:
            if block["text"] is not None:
                yield block["text"]
            yield from block["items"]
            yield from block["columns"]
            for row in block["rows"]:
                yield from row


def _strings(value: object) -> Iterator[str]:
    """Every string a view holds (span texts, names, dates, codes), whitespace-normalised."""
    if isinstance(value, str):
        text = " ".join(value.split())
        if text:
            yield text
    elif isinstance(value, Text):
        for span in value.spans:
            yield from _strings(span.text)
            yield from _strings(span.href)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
