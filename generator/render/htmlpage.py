"""The accessible HTML companion: the same View as the PDF through templates/handout.html.j2, self-contained.

The PDFs are tagged too (render/tagging.py); this page is for readers who prefer the web: real headings, lists
and table headers, `lang` and `dir` on every piece of text, text that reflows, and nothing loaded from anywhere
else (the logo and the QR code are embedded; the reader's own fonts are used, so that a user's font and size
settings apply).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator import __version__
from generator.render import faithful, faithgrid, faithrepeat, faithroles, faithstyle, template
from generator.render.faithspace import check_spaces
from generator.render.fonts import LanguageFonts, own_file
from generator.render.htmlblank import check_blank, marks
from generator.render.htmlcheck import UnsafeHtml, check_directions, check_html
from generator.render.htmlheaders import check_headers
from generator.render.htmllabels import check_labels
from generator.render.htmllang import check_langs
from generator.render.htmlmeta import check_metas, check_title
from generator.render.htmlnotice import notice, with_notice
from generator.render.htmlparse import CheckedPage
from generator.render.htmlsize import SECOND, SMALLEST
from generator.render.localize import WATERMARK, View
from generator.render.styles import MM, Styles

GENERIC = ("system-ui", "sans-serif")
HTML_TEXT_PT, HTML_TEXT_PT_LARGE = 12.0, 16.0  # the page's text: 100 % (16 px) and 133.33 % of the reader's size


def render(root: Path, doc: View, fonts: LanguageFonts, styles: Styles, paper: str,
           second: tuple[View, LanguageFonts] | None = None, own: bool | None = None) -> bytes:
    """The HTML document for one handout (and the second language of a bilingual edition), as UTF-8 bytes.
    `own`: whether the template is the project's own (found out when not given)."""
    page, ends, drafts, watermark = _checked(root, doc, fonts, styles, paper, second, own)
    return with_notice(page, ends, notice(drafts, watermark)).encode("utf-8")


def check_papers(root: Path, doc: View, fonts: LanguageFonts, styles: Styles, papers: Sequence[str],
                 second: tuple[View, LanguageFonts] | None = None) -> None:
    """`check` of a project's own HTML template on every paper, as `build --format html --paper` renders it: the
    template is given the paper for its page's size (`@page { size: ... }`), and may use it anywhere. A page
    is checked in full unless it is a page already checked with only that size changed."""
    checked: set[str] = set()
    for paper in papers:
        size = f"size: {paper};"
        try:
            if checked:
                page = template.render(root, replace(doc, verify_payload=doc.verify_data), "handout.html.j2",
                                       second=second[0] if second else None,
                                       **_context(root, doc, fonts, styles, paper, second)[0])
                if page.count(size) == 1 and page.replace(size, "\0") in checked:
                    continue
            page = _checked(root, doc, fonts, styles, paper, second, True)[0]
        except template.TemplateError as exc:
            raise template.TemplateError(f"{exc} (on {paper} paper)") from None
        if page.count(size) == 1:
            checked.add(page.replace(size, "\0"))


def _context(root: Path, doc: View, fonts: LanguageFonts, styles: Styles, paper: str,
             second: tuple[View, LanguageFonts] | None) -> tuple[dict[str, Any], list[View], list[tuple[str, str]]]:
    """What the HTML template is given besides the views; the views printed; the DRAFT words."""
    other = second[0] if second else None
    families = {doc.lang: css_family(fonts)}
    if second:
        families[second[0].lang] = css_family(second[1])
    drafts = [doc] + ([other] if other else [])
    # DRAFT in English, then in each printed language: (word, its language) for the `lang` attribute.
    words = {WATERMARK: "en"}
    for v in drafts:
        words.setdefault(v.watermark_word, v.lang)
    watermark = list(words.items()) if any(v.watermark for v in drafts) else []
    # The page's QR code (`qr`) holds the clinic's verify address; `doc.verify_payload`, which templates put in
    # the patient-handouts-verify meta tag, is the verification data `handouts verify` reads back.
    logo, qr = logo_uri(Path(root), doc.logo) if doc.logo else "", qr_svg(doc.verify_payload)
    context = {"colors": styles.colors, "large_print": styles.large_print, "families": families, "logo": logo,
               "qr": qr, "watermark": watermark, "paper": paper, "version": __version__,
               "second_ratio": html_second_ratio(styles),
               "margins": {side: f"{points / MM:.1f}mm" for side, points in styles.margins.items()}}
    return context, drafts, watermark


def html_second_ratio(styles: Styles) -> float:
    """The second language's size in the companion, of its text's: the PDF's rule (never under `bilingual.min_size`
    where the text is larger), against the companion's own text size, 12 pt (large print 16 pt), whatever the PDF's
    body size (a 72 pt body made it 0.15, raised to `size_ratio: 0.5`: half the page's size, which the companion's
    own check then refused, twentieth pass); and never under that check's floor, 0.7."""
    page = HTML_TEXT_PT_LARGE if styles.large_print else HTML_TEXT_PT
    return round(max(styles.second_ratio, min(styles.second_min / page, 1.0), SMALLEST), 3)


def _checked(root: Path, doc: View, fonts: LanguageFonts, styles: Styles, paper: str,
             second: tuple[View, LanguageFonts] | None, own: bool | None
             ) -> tuple[str, dict[str, int], list[View], list[tuple[str, str]]]:
    """The template's page, checked; where its <html> and <body> start tags end; the views; the DRAFT words."""
    other = second[0] if second else None
    context, drafts, watermark = _context(root, doc, fonts, styles, paper, second)
    logo, qr = context["logo"], context["qr"]
    page = template.render(root, replace(doc, verify_payload=doc.verify_data), "handout.html.j2", second=other,
                           **context)
    own = not template.is_shipped(root, "handout.html.j2") if own is None else own
    try:  # a project's template is untrusted: no script, frame, form, fetch or link but https:, mailto:, tel:
        read = check_html(page)
        flows, types = read.flows, read.types  # each flow's: bold? in a box? its heading level, language
        # Each flow as the language it is marked (a unit marked as the other language's is refused, as in the PDF)
        sided = [(lang.lower() in (other.lang.lower(), SECOND), flow)
                 for flow, (*_, lang) in zip(flows, types, strict=True)] if other else flows
        check_directions(read.directions, doc.lang, doc.direction, (other.lang, other.direction) if other else None)
        check_langs(read.events, doc, other)  # and every text, inline ones too, in its own language's voice
        check_labels(read.events)  # each region named by its own heading (nineteenth pass)
        check_headers(read.events)  # and each table's header cells the handout's column names
        if own:  # its styles are the shipped template's, set through style.yaml: no CSS of its own
            _shipped_styles(root, replace(doc, verify_payload=doc.verify_data), other, context, read)
        faithful.check(read.texts, doc, other, read.links, read.said)  # the handout's words, all, none of its own
        faithful.check_laid_out(sided, doc, other, value_links=True)  # unit by unit, as the PDF's
        faithrepeat.check_names(sided, doc, other, value_links=True)  # no name padding the page
        check_spaces(sided, doc, other)  # no words joined by a space no line breaks at (twenty-second pass)
        check_blank(read.events, marks(doc, other))  # and no blank of its own: empty blocks, sizes (twentieth pass)
        faithroles.check_roles(sided, read.roles, doc, other)  # each printed as the handout has it: heading, item...
        faithroles.check_levels(sided, [level for _, _, level, _ in types], doc, other)  # a heading at its level
        faithstyle.check_bold(sided, [bold for bold, *_ in types], read.roles, doc, other)  # bold only as its kind
        faithstyle.check_boxed(sided, [box for _, box, *_ in types], doc, other)  # and the help section in its box
        faithgrid.check_tables(read.grids, doc, other)  # and each table's cells under their own columns
        _only_ours(page, read.images, logo, qr)
    except (UnsafeHtml, faithful.Unfaithful) as exc:
        raise template.TemplateError(f"handout.html.j2: {exc}") from None
    return page, read.ends, drafts, watermark


def _shipped_styles(root: Path, doc: View, other: View | None, context: dict[str, object],
                    read: CheckedPage) -> None:
    """A project's HTML template may arrange the page, not restyle it: every style sheet and style= of its page
    must be one the shipped template makes for the same handout. (A blocklist of hiding CSS was passed seven ways,
    sixth pass: `translate: 0 -100000px`, `letter-spacing: -1em`, `color: Canvas`...) Colours, sizes and
    margins come from templates/style.yaml."""
    shipped = check_html(template.render(root, doc, "handout.html.j2", second=other, shipped=True, **context))
    check_metas(read.events, shipped.events)  # and its <meta> tags are the shipped template's (nineteenth pass)
    check_title(read.events, doc.title.plain)  # and its <title> names the handout
    for tag, name in sorted(read.classes - shipped.classes):  # `qr` (a 6 em float) squeezed a paragraph (15th pass)
        raise UnsafeHtml(f"class=\"{name[:40]}\" on <{tag}> is not allowed: the shipped template gives that class to "
                         f"{', '.join(sorted('<' + t + '>' for t, n in shipped.classes if n == name)) or 'nothing'} "
                         "only, and its style restyles another element")
    allowed = {" ".join(sheet.split()) for sheet in shipped.sheets}
    for sheet in read.sheets:
        if " ".join(sheet.split()) not in allowed:
            raise UnsafeHtml(f"the style '{' '.join(sheet.split())[:60]}' is not one of the shipped template's: a "
                             "project's HTML template takes its look from templates/style.yaml (colours, sizes, "
                             "margins), and cannot hide or restyle the handout with CSS of its own; copy the <style> "
                             "of the shipped templates/handout.html.j2 as it is (a template copied from an earlier "
                             "release has that release's, which changes)")


def _only_ours(page: str, images: list[str], logo: str, qr: str) -> None:
    """The page's only picture is the clinic's checked logo, its only drawing the generator's QR code: a
    template's own image of words, or its own QR code of another address, was shown (sixth pass)."""
    if any(image != logo for image in images):
        raise faithful.Unfaithful("it shows an image other than the clinic's logo (an image can hold words no "
                                  "reviewer read); use {{ logo }} only")
    if len(re.findall(r"(?i)<svg\b", page)) > page.count(qr):
        raise faithful.Unfaithful("it draws an <svg> other than the generator's QR code ({{ qr }}); remove it")
    if qr not in page:  # the code by which a reader, or the desk, checks that the page is the approved one
        raise faithful.Unfaithful("it leaves out the QR code that verifies the page; print {{ qr }} once, in the "
                                  "footer as the shipped template does")


def logo_uri(root: Path, relative: str) -> str:
    """The clinic logo as a data: URI (checked to be a PNG or JPEG inside the project, scaled down), or ''."""
    from generator.render.logo import logo_png

    if not (Path(root) / relative).is_file():
        return ""
    return f"data:image/png;base64,{base64.b64encode(logo_png(Path(root), relative)).decode('ascii')}"


@cache
def _family_name(path: Path, index: int) -> str:
    from generator.render.fonts import face_font

    return str(face_font(path, index)["name"].getBestFamilyName() or "")


def css_family(fonts: LanguageFonts) -> Markup:
    """A CSS font-family list: the family the PDF uses (if the reader has it), then the reader's own.

    It goes into a <style> element, where HTML escaping does not apply, so the name is reduced to letters,
    digits, spaces and hyphens. Only a generator's own face is named: the companion embeds no font, so a reader's
    browser draws the page in its own font of the name a project's font file gives itself, and a copy of Noto Sans
    named "Wingdings" or "Symbol" (installed on every Windows or Mac) printed every letter and digit as pictures or
    Greek letters, "Take 10 mg" as "Τακε 10 µγ" (twentieth pass). A project's face is left to the reader's fonts.
    """
    face = fonts.face()
    name = _family_name(face.path, face.index) if face and own_file(face) else ""
    name = re.sub(r"[^A-Za-z0-9 \-]", "", name).strip()
    return Markup(", ".join([*([f'"{name}"'] if name else []), *GENERIC]))


def qr_svg(payload: str) -> Markup:
    """The verification QR code as inline SVG: one path, dark modules as runs, with the quiet zone."""
    from generator.render.qr import QUIET_ZONE, matrix

    modules = matrix(payload)
    size = len(modules) + 2 * QUIET_ZONE
    runs = []
    for row, cells in enumerate(modules):
        col = 0
        while col < len(cells):
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < len(cells) and cells[col]:
                col += 1
            runs.append(f"M{start + QUIET_ZONE} {row + QUIET_ZONE}h{col - start}v1h-{col - start}z")
    return Markup(f'<svg class="qr" viewBox="0 0 {size} {size}" aria-hidden="true" focusable="false">'
                  f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')
