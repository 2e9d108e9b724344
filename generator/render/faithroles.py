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
        # A section's heading is printed as one, never as text; a list's item with its bullet or check box, never
        # as a line of text (seventeenth pass: a list's points printed as one paragraph's lines)
        items = [item for section in view.sections for block in section["blocks"] for item in block["items"]]
        not_text = {id(text) for text in (*heads, *items)}
        for text in view.texts():
            if id(text) not in not_text:
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
    subheading as anything but a heading, a check box that is not a checklist's item, a checklist's item as a
    bulleted one, or a list's item as a line of text (`roles`: each flow's, in order; a flow of several units is not
    checked here)."""
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
        elif not role:
            what = "a line of text, but it is an item of a list (printed with its bullet or check box)"
        elif role == BULLET and BOX in allowed and BULLET not in allowed:
            what = "a bulleted item, but it is an item of a checklist (a check box)"
        else:
            continue
        raise Unfaithful(f"it prints '{text[:60]}' as {what}; print each unit as the handout has it")


def check_levels(flows: Sequence[Flow | tuple[bool, Flow]], levels: Sequence[int], view: View,
                 second: View | None = None) -> None:
    """Raise Unfaithful unless the sections' headings (and the contact and disclaimer headings) are printed at one
    level, the title above them and the subheadings below (`levels`: each flow's, 1 for the title's type or <h1>,
    0 for text). A section's heading printed as a subheading put its units under the section before ("Legal status"
    under Safety), a subheading printed as a section's heading split its section in two (seventeenth pass)."""
    views = [view] if second is None else [view, second]
    kinds: dict[str, set[str]] = {}
    for v in views:
        for kind, texts in (("title", [v.title]), ("section", [s["heading"] for s in v.sections]),
                            ("section", [v.contact_heading, v.disclaimer_heading]),
                            ("sub", [b["text"] for s in v.sections for b in s["blocks"] if b["kind"] == "subheading"]),
                            ("other", [v.sources_heading])):  # at any level: its words may be a section's too
            for text in texts:
                if plain := _plain(text):
                    kinds.setdefault(plain, set()).add(kind)
    found: dict[str, dict[int, str]] = {"title": {}, "section": {}, "sub": {}, "other": {}}
    for flow, level in zip(flows, levels, strict=False):
        spans = flow[1] if isinstance(flow, tuple) and isinstance(flow[0], bool) else flow
        text, _ = normalised(spans)  # type: ignore[arg-type]
        kind = kinds.get(text)
        if level and kind is not None and len(kind) == 1:
            found[next(iter(kind))].setdefault(level, text)
    sections, subs, titles = found["section"], found["sub"], found["title"]
    wrong = [sections[level] for level in sorted(sections)[1:]] if sections else []
    wrong += [subs[level] for level in subs if sections and level <= max(sections)]
    wrong += [titles[level] for level in titles if sections and level >= min(sections)]
    if wrong:
        raise Unfaithful(f"it prints '{wrong[0][:60]}' at another level of heading than the handout gives it: "
                         "every section's heading at one level, the title above them and the subheadings below "
                         "(a section's heading printed as a subheading puts its units under the section before)")
