"""The HTML companion holds no blank of a template's own: no empty block, no run of line breaks or rules, no size
set by an attribute.

A project's template moved the Safety section, the help box and the disclaimer out of sight with nothing a text
check reads as words (twentieth pass, part B): `<table height="200000">` (or `<td height>`, an `<img width>` whose
height follows) drew the table 200,000 pixels tall, so a printout ran to 230 pages with the help box on page 228;
three thousand `<br>` (or `<p></p><hr>`, or 400 `<p>.</p>`) before the Safety section pushed it 75 printed pages
down; an empty `<li>` drew a bullet, in a checklist a box to tick, that no reviewer wrote. Each element's size comes
from the shipped style sheet: `height=` and `width=` only on the QR code's SVG shapes (`width=` also on a table's
columns and cells, a judgement call of the nineteenth pass: words wrap, never cut), an `<img>` only as the shipped
template has it (`class="logo"`: at most 3.5 em high), no element without words, and no two line breaks or rules in a
row.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.render.faithrepeat import MAX_LOGOS
from generator.render.htmlcheck import UnsafeHtml
from generator.render.htmlparse import VOID, Event
from generator.render.localize import View

_SVG = frozenset({"svg", "g", "rect", "path"})
_WIDTH_LEFT = frozenset({"col", "colgroup", "table", "td", "th"})  # squeezes a column: words wrap (a judgement call)
_BLANKS = frozenset({"br", "hr"})
# Elements that hold no text of their own (void, the QR code's shapes, a column group, the head's); every other element
# holds words: an empty one is a line (a bullet, a box to tick, a heading read out as "empty") or a box whose padding
# and border keep it apart (3,000 empty `<section class="callout">`: 122 printed pages before the Safety section).
_EMPTY_BY_DESIGN = VOID | {"svg", "g", "colgroup", "head", "title", "style"}  # (the head's are not drawn)


def check_blank(page: Sequence[Event], marks: frozenset[str] = frozenset()) -> None:
    """Raise UnsafeHtml for a size set by an attribute, an `<img>` other than the logo, an element of no words
    (unless a unit of the handout written without a letter or digit, `marks`), or two line breaks or rules in a
    row."""
    blocks: list[tuple[str, int]] = []  # each element open: its tag, how many fillings came before it
    filled = 0  # texts and pictures met so far
    blank_run = 0  # line breaks and rules since the last of them
    images = 0
    for event in page:
        if event.kind == "text":
            if any(ch.isalnum() for ch in event.text) or " ".join(event.text.split()) in marks:
                filled, blank_run = filled + 1, 0
        elif event.kind == "end":
            _close(blocks, event.tag, filled)
        else:
            _sizes(event.tag, dict(event.attrs))
            if event.tag in _BLANKS:
                blank_run += 1
                if blank_run > 1:
                    raise UnsafeHtml(f"<{event.tag}> after another <br> or <hr> is not allowed in the HTML companion: "
                                     "runs of line breaks or rules push the handout's sections out of sight")
            elif event.tag in ("img", "svg"):
                filled, blank_run, images = filled + 1, 0, images + (event.tag == "img")
                if images > MAX_LOGOS:
                    raise UnsafeHtml(f"the page draws the logo more than {MAX_LOGOS} times (the shipped one: once)")
            elif event.tag not in _EMPTY_BY_DESIGN:
                blocks.append((event.tag, filled))
                if event.closed:
                    _close(blocks, event.tag, filled)
    while blocks:
        _close(blocks, blocks[-1][0], filled)


def _close(blocks: list[tuple[str, int]], tag: str, filled: int) -> None:
    """Close the innermost open `tag` (and the elements inside it); an element of no words is refused."""
    for at in range(len(blocks) - 1, -1, -1):
        if blocks[at][0] == tag:
            before = blocks[at][1]
            del blocks[at:]
            if filled == before:
                raise UnsafeHtml(f"a <{tag}> of no words is not allowed in the HTML companion: it draws a line of "
                                 "its own (a bullet, a box to tick, marks, blank space, a heading read out as empty); "
                                 "every element holds the handout's text")
            return


def _sizes(tag: str, attrs: dict[str, str | None]) -> None:
    """Refuse a size set by an attribute where the shipped template sets none, and an image but the logo."""
    for name in ("height", "width"):
        if name in attrs and tag not in _SVG and not (name == "width" and tag in _WIDTH_LEFT):
            raise UnsafeHtml(f'{name}= on <{tag}> is not allowed in the HTML companion: a {name} of the template\'s '
                             "own pushed the handout's sections out of sight (a table 200,000 pixels tall); sizes "
                             "come from the shipped style sheet")
    if tag == "img" and (attrs.get("class") or "").split() != ["logo"]:
        raise UnsafeHtml('an <img> without class="logo" is not allowed in the HTML companion: the logo is drawn at '
                         'the shipped style\'s size, <img class="logo" src="{{ logo }}" alt="{{ doc.clinic_name }}">')


def marks(*views: View | None) -> frozenset[str]:
    """The units of the views written without a letter or digit (a table's "—"): printed as they are."""
    plains = (" ".join(text.plain.split()) for view in views if view is not None for text in view.texts())
    return frozenset(plain for plain in plains if plain and not any(ch.isalnum() for ch in plain))

