"""What a template prints each unit as: a heading, text, a bulleted item or a check box.

Every unit's words can be in their place, in order, and still say something else: a section's heading printed
as a line of text puts its units under the heading before it ("Take time to rest." under "Legal status"), an
instruction printed as a heading reads as the name of a section, and a list of things to avoid drawn with check
boxes reads as a list of things to do (sixteenth pass). A unit printed as the handout has it passes; a text the
handout holds in two roles may be printed as either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.render.faithmarks import Flow, Unfaithful, normalised
from generator.render.localize import Text, View

HEADING, BULLET, BOX = "heading", "bullet", "box"  # a flow's role; "" for text (a paragraph, a cell, a line)


HTML_ROLES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "ul", "li"})  # HTML elements that give a text its role


def html_role(tag: str, classes: str, open_elements: Sequence[tuple[str, str]]) -> str:
    """The role an HTML element gives its text: a heading's, a list's (BOX for a checklist) or an item's (its
    list's: BOX, else BULLET); `open_elements`: the (tag, role) of those open around it."""
    if tag == "ul":
        return BOX if "checklist" in classes.split() else ""
    if tag == "li":
        return (open_elements[-1][1] if open_elements and open_elements[-1][0] == "ul" else "") or BULLET
    return HEADING


def _plain(text: Text) -> str:
    return " ".join(text.plain.split())


def _section_heads(view: View) -> list[Text]:
    """A view's section headings and subheadings: printed as headings, and only so."""
    return [section["heading"] for section in view.sections] + [
        block["text"] for section in view.sections for block in section["blocks"] if block["kind"] == "subheading"]


def _roles(views: Iterable[View]) -> dict[str, set[str]]:
    """Each unit's text and the roles the handout gives it."""
    roles: dict[str, set[str]] = {}

    def add(text: Text, role: str) -> None:
        if plain := _plain(text):
            roles.setdefault(plain, set()).add(role)

    for view in views:
        heads = _section_heads(view)
        head_ids = {id(head) for head in heads}  # a section's heading is printed as one, never as text
        for text in view.texts():
            if id(text) not in head_ids:
                add(text, "")
        for text in (view.title, view.contact_heading, view.disclaimer_heading, view.sources_heading, *heads):
            add(text, HEADING)
        for section in view.sections:
            for block in section["blocks"]:
                for item in block["items"]:
                    add(item, BOX if block["kind"] == "checklist" else BULLET)
    return roles


def check_roles(flows: Sequence[Flow | tuple[bool, Flow]], roles: Sequence[str], view: View,
                second: View | None = None) -> None:
    """Raise Unfaithful when a unit is printed as a heading the handout does not make it, a section's heading or
    subheading as anything but a heading, a check box that is not a checklist's item, or a checklist's item as a
    bulleted one (`roles`: each flow's, in order; a flow of several units is not checked here)."""
    views = [view] if second is None else [view, second]
    given = _roles(views)
    headings = {_plain(head) for v in views for head in _section_heads(v)}
    for flow, role in zip(flows, roles, strict=False):
        spans = flow[1] if isinstance(flow, tuple) and isinstance(flow[0], bool) else flow
        text, _ = normalised(spans)  # type: ignore[arg-type]
        allowed = given.get(text)
        if allowed is None or role in allowed:
            continue
        if role == HEADING:
            what = "a heading, but it is text"
        elif text in headings:
            what = "text, but it is a heading: the units after it would read as the section before"
        elif role == BOX:
            what = "a check box, but it is not an item of a checklist"
        elif role == BULLET and BOX in allowed and BULLET not in allowed:
            what = "a bulleted item, but it is an item of a checklist (a check box)"
        else:
            continue
        raise Unfaithful(f"it prints '{text[:60]}' as {what}; print each unit as the handout has it")
