"""What type a template prints each unit in: never bolder than its own kind's, nor smaller than its kind's and the
body text's; and the help section in its box.

A unit's words, emphasis and role can all be its own and its type still say something else: a template printed the
Safety paragraph ("You may drive the next day.") as the clinic's name line or as a table's heading row, every word
bold, and the help box's crisis lines at the disclaimer's 10 pt among 12 pt text (seventeenth pass). The PDF's text
styles are style.yaml's; each unit's own is the one the shipped vocabulary prints its kind in (a paragraph the
body's, a table's column names the bold heading row's; style.yaml may not set those kinds bold). The
HTML companion's sizes are bounded by render/htmlsize.py; its bold type (a heading cell, a caption, a class the
shipped style sheet makes bold) is checked here. The help section is "printed as a shaded callout"
(content-format.md): a template that printed it as any other section, or boxed its heading alone, left the crisis
number among the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from generator.render.faithful import units_in
from generator.render.faithmarks import Flow, Unfaithful, normalised
from generator.render.faithroles import HEADING
from generator.render.localize import Text, View
from generator.render.styles import Styles, TextStyle

_SLACK = 0.01  # points


def _plain(text: Text) -> str:
    return " ".join(text.plain.split())


def _kinds(view: View) -> Iterator[tuple[Text, str]]:
    """Each unit of a view with the style name its kind is printed in ("header": a table's bold heading row)."""
    yield from ((view.title, "title"), (view.summary, "summary"), (view.contact, "summary"), (view.current, "summary"),
                (view.contact_heading, "heading"), (view.disclaimer_heading, "heading"),
                (view.sources_heading, "subheading"), (view.disclaimer_full, "disclaimer"),
                (view.provenance, "disclaimer"), (view.editions_label, "body"), (view.large_print_line, "body"))
    yield from ((line, "body") for line in (*view.contact_lines, *([view.web_line] if view.web_line else [])))
    for section in view.sections:
        yield section["heading"], "heading"
        for block in section["blocks"]:
            if block["text"] is not None:
                yield block["text"], "subheading" if block["kind"] == "subheading" else "body"
            yield from ((item, "item") for item in block["items"])
            yield from ((cell, "header") for cell in block["columns"])
            yield from ((cell, "cell") for row in block["rows"] for cell in row)


def _own(views: Sequence[View], styles: Styles) -> list[dict[str, list[TextStyle]]]:
    """Per language (the handout's, the second's): each unit's text and the styles its kinds are printed in."""
    text = {**styles.text, "header": replace(styles.text["cell"], bold=True)}
    sides: list[dict[str, list[TextStyle]]] = []
    for index, view in enumerate(views):
        own: dict[str, list[TextStyle]] = {}
        for unit, kind in _kinds(view):
            if plain := _plain(unit):
                own.setdefault(plain, []).append(styles.second(text[kind]) if index else text[kind])
        sides.append(own)
    return sides


def _wholly_bold(views: Sequence[View]) -> set[str]:
    """The units whose every word the content sets in bold."""
    return {_plain(text) for view in views for text in view.texts()
            if text.spans and all(span.bold for span in text.spans if span.text.strip())}


def _side_and_text(flow: Flow | tuple[bool, Flow]) -> tuple[bool | None, str]:
    """A flow's language (the second's? None: not told, as in the HTML companion) and its collapsed text."""
    if isinstance(flow, tuple) and isinstance(flow[0], bool):
        return flow[0], normalised(flow[1])[0]  # type: ignore[arg-type]
    return None, normalised(flow)[0]  # type: ignore[arg-type]


def check_styles(flows: Sequence[tuple[bool, Flow]], drawn: Sequence[TextStyle], view: View, second: View | None,
                 styles: Styles) -> None:
    """Raise Unfaithful when a laid-out unit (`flows`, each drawn in its `drawn` style) is set bold where its own
    kind's style is not, or smaller than both its own kind's style and the body text."""
    views = [view] if second is None else [view, second]
    own, bold = _own(views, styles), _wholly_bold(views)
    body = [styles.text["body"], styles.second(styles.text["body"])]
    for flow, style in zip(flows, drawn, strict=False):
        second_side, text = _side_and_text(flow)
        side = int(bool(second_side))
        for unit in units_in(text, view, second) if text else ():
            kinds = own[side].get(unit) if side < len(own) else None
            if not kinds:
                continue  # a footer string, "(continued)": no kind of the page's own
            if style.bold and not any(kind.bold for kind in kinds) and unit not in bold:
                raise Unfaithful(f"it prints '{unit[:60]}' in a bold style its own kind is not printed in (the "
                                 "clinic's name, a table's heading row): emphasis nobody wrote; print each unit in "
                                 "the element of its kind (<p>, <item>, <cell>...)")
            floor = min(min(kind.size for kind in kinds), body[side].size)
            if style.size < floor - _SLACK:
                raise Unfaithful(f"it prints '{unit[:60]}' at {style.size:g} pt, smaller than its own kind's and the "
                                 f"body text's {floor:g} pt (the disclaimer's size, beside the QR code): a warning "
                                 "shrunk; print each unit in the element of its kind (<p>, <item>, <cell>...)")


def check_bold(flows: Sequence[Flow], bold: Sequence[bool], roles: Sequence[str], view: View,
               second: View | None) -> None:
    """The HTML companion: raise Unfaithful when a flow drawn in bold type (`bold`: a table's heading cell or
    caption, an element of a class the style sheet makes bold) holds a unit that is no heading, no table's column
    name and not all bold in the content."""
    views = [view] if second is None else [view, second]
    allowed = _wholly_bold(views) | {_plain(unit) for v in views for unit, kind in _kinds(v)
                                     if kind in ("header", "heading", "subheading", "title")}
    for flow, heavy, role in zip(flows, bold, roles, strict=False):
        if not heavy or role == HEADING:
            continue
        _, text = _side_and_text(flow)
        for unit in units_in(text, view, second) if text else ():
            if unit not in allowed:
                raise Unfaithful(f"it prints '{unit[:60]}' in bold type (a table's heading cell or caption, a class "
                                 "the style sheet makes bold, as the clinic's name): emphasis nobody wrote; print "
                                 "each unit in the element of its kind")


def check_boxed(flows: Sequence[Flow | tuple[bool, Flow]], boxed: Sequence[bool], view: View,
                second: View | None) -> None:
    """Raise Unfaithful unless every unit of the help section (its heading, the crisis lines) is printed inside a
    box (`boxed`: each flow's; the PDF's <section style="callout">, the HTML companion's `callout` class)."""
    inside: set[tuple[bool, str]] = set()
    for flow, box in zip(flows, boxed, strict=False):
        side, text = _side_and_text(flow)
        if box and text:
            inside.update((told, unit) for unit in units_in(text, view, second)
                          for told in ((False, True) if side is None else (side,)))
    for side, v in enumerate([view] if second is None else [view, second]):
        for section in v.sections:
            if section["id"] != "help":
                continue
            for unit in (_plain(text) for text in _section_units(section)):
                if unit and (bool(side), unit) not in inside:
                    raise Unfaithful(f"it prints '{unit[:60]}' of the help section outside a box; the help section "
                                     "is printed as a shaded box, all of it (<section style=\"callout\">, "
                                     "class=\"callout\" in the HTML companion)")


def _section_units(section: dict) -> Iterator[Text]:
    yield section["heading"]
    for block in section["blocks"]:
        yield from [block["text"]] if block["text"] is not None else []
        yield from (*block["items"], *block["columns"], *(cell for row in block["rows"] for cell in row))
