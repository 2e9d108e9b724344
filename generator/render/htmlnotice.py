"""The review state and disclaimer at the top of the HTML companion, where no project template can hide them.

The PDF draws its stamp itself; the companion's page comes from a project's template, which is untrusted. So the
generator adds its own notice right after `<body>` — DRAFT (in English and each printed language) when a
watermark is due, the review state and the short disclaimer — in elements of its own (`handouts-notice`), with
inline `!important` styles that beat every rule of the template's style sheets (CSS cascade: element-attached
important declarations come before layers and specificity), a stacking layer above everything else on the page,
and `<html>`/`<body>` pinned against what hides a whole page (display, opacity, transforms, clipping, zero
height). What a style sheet could still do from outside (z-index, pseudo-elements inside the notice, a styled
first line, downloaded faces, nested rules) is refused by render/htmlcheck.py.
"""

from __future__ import annotations

from markupsafe import escape

from generator.render.localize import View

LABEL_ID = "handouts-review-state"
_RESET = "all:initial!important;unicode-bidi:isolate!important;"
NOTICE_STYLE = _RESET + (
    "display:block!important;position:relative!important;z-index:2147483647!important;"
    "margin:1em 0!important;padding:0.5em 0.8em!important;box-sizing:border-box!important;"
    # At least 20 em wide (in a squeezed column too), never wider than the screen less the body's pinned padding
    # (1.25 rem a side): `min(20em,90vw)` with its padding and border ran 12 px past a 320 px phone's edge, and in
    # right-to-left pages off its left edge, where no scrolling reaches (twenty-fifth pass).
    "min-width:min(20em,100vw - 2.5rem)!important;"
    "border:3px solid #000!important;background:#fff!important;color:#000!important;"
    "font:medium/1.4 sans-serif!important;overflow-wrap:anywhere!important;text-align:start!important")
LINE_STYLE = _RESET + "display:block!important;color:#000!important;font:inherit!important;margin:0!important"
FIRST_LINE_STYLE = LINE_STYLE + ";font-weight:bold!important"
PAGE_PIN = ("display:block!important;visibility:visible!important;opacity:1!important;filter:none!important;"
            "backdrop-filter:none!important;transform:none!important;translate:none!important;"
            "scale:none!important;rotate:none!important;clip-path:none!important;mask:none!important;"
            "zoom:1!important;content-visibility:visible!important;contain:none!important;"
            "overflow:visible!important;height:auto!important;max-height:none!important;"
            "position:static!important;float:none!important;columns:auto!important;"
            "mix-blend-mode:normal!important;writing-mode:horizontal-tb!important;"
            "border:0!important;margin-top:0!important;padding-top:0!important;"
            "scroll-snap-type:none!important;scroll-padding:0!important;")  # no snapping past the notice
# What may move the notice off the first screen: a page's edges (the body keeps its side padding and centring
# here, as the shipped style has them; a template's own values would be overridden anyway).
PINS = {
    "html": PAGE_PIN + "margin:0!important;padding:0!important",
    "head": "display:none!important",
    "body": PAGE_PIN + "margin-left:auto!important;margin-right:auto!important;"
                       "padding-left:1.25em!important;padding-right:1.25em!important",
}


def notice(views: list[View], watermark: list[tuple[str, str]]) -> str:
    """The notice's HTML: DRAFT words (when due), then each language's review state and short disclaimer."""
    lines = []
    if watermark:
        words = " · ".join(f'<handouts-line lang="{lang}" style="{LINE_STYLE};display:inline!important">'
                           f"{escape(word)}</handouts-line>" for word, lang in watermark)
        lines.append(f'<handouts-line style="{FIRST_LINE_STYLE}">{words}</handouts-line>')
    for view in views:
        for text in (view.review_label, view.disclaimer_short):
            name = f' id="{LABEL_ID}"' if text is views[0].review_label else ""  # names the landmark
            lines.append(f'<handouts-line{name} lang="{view.lang}" dir="{view.direction}" style="{LINE_STYLE}">'
                         f"{escape(text.plain)}</handouts-line>")
    # A landmark of its own (axe: all content in landmarks), named by the review state.
    return (f'\n<handouts-notice role="region" aria-labelledby="{LABEL_ID}" style="{NOTICE_STYLE}">'
            f'{"".join(lines)}</handouts-notice>')


def with_notice(page: str, ends: dict[str, int], block: str) -> str:
    """`page` with `<html>`, `<head>` and `<body>` pinned and `block` right after `<body>` (`ends`: where their
    start tags end)."""
    out, last = [], 0
    for tag in sorted(ends, key=ends.__getitem__):
        end = ends[tag]
        closing = end - 2 if page[end - 2:end] == "/>" else end - 1
        out += [page[last:closing], f' style="{PINS[tag]}"', page[closing:end]]
        if tag == "body":
            out.append(block)
        last = end
    return "".join(out + [page[last:]])
