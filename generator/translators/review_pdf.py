"""`handouts translate review`: a side-by-side PDF of source and translation, unit by unit, for bilingual reviewers.

Each row shows a unit's ID, its source text and its translation; stale and missing units are shaded and
labelled. The translation column is laid out with the language's own fonts and direction (Arabic right to
left), through the same TextFlow as the handouts. Placeholders are shown as written, not filled in.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import __version__
from generator.content.files import (
    FileRefused,
    WriteError,
    inside,
    is_regular,
    read_bytes,
    write_files,
)
from generator.content.markup import Span
from generator.content.model import Handout, Strings, Unit, units_of
from generator.content.outputplace import default_output, project_input
from generator.content.parse import Parser
from generator.content.problems import ContentError, Problems, printable
from generator.content.seal import cache_refused, remember_built, was_built
from generator.content.settingsfile import settings_doc
from generator.content.translation import MISSING, STALE, Counts, compare, counts
from generator.render import fonts, styles, tagging, template
from generator.render.keepaside import discard, keep_changed
from generator.review.state import fingerprint_handout, short
from generator.translators.reviewglyphs import shown
from generator.translators.sync import TranslateError, existing_folder, known_language, pairs, parse_file

HEADER_HEIGHT = 50.0  # points above the table on every page: handout, languages, counts, date, columns (at least)
FOOTER_GAP = 8.0  # points between the table's frame and the footer's first line
STATE_COLORS = {STALE: ("#fff0c2", "#7a4f00"), MISSING: ("#fbdcdc", "#9b1c1c")}  # (shading, label), dark enough
GROUP_BACKGROUND = "#eef2f6"  # for greyscale printing too
# The column labels repeat on every page: at style.yaml's body size up to this (eighteenth pass: at a 72 pt body
# they took all but 86 pt of the page, a row's first line did not fit, and the command ended in a traceback)
LABEL_MAX_PT = 16.0


@dataclass(frozen=True)
class Row:
    """One unit: its source, its translation (None when the file lacks it) and its state."""

    unit: str
    group: str
    source: Unit
    target: Unit | None
    state: str
    sources: tuple[str, ...] = ()  # the source IDs the statement rests on (the source file's claims: map)


@dataclass(frozen=True)
class Sheet:
    """Everything one review PDF shows."""

    name: str  # handout ID, or "ui"
    lang: str
    source_lang: str
    title: str
    rows: tuple[Row, ...]
    counts: Counts
    group_titles: tuple[tuple[str, str], ...] = ()
    fingerprint: str = ""  # the translation's, as its handout's footer prints it: what `approve --fingerprint` takes

    @property
    def file(self) -> str:
        return f"review/{self.lang}/{self.name}.review.pdf"



def _group(name: str, unit_id: str) -> str:
    if name == "ui":
        return "strings"
    head, _, rest = unit_id.partition(".")
    if head in ("title", "summary"):
        return "title"
    if head == "legal":
        return "legal." + rest.split(".")[0]
    return head


def sheets(root: Path, lang: str, names: list[str]) -> list[Sheet]:
    """The review sheets of `lang`: every handout and the UI strings, or only those named."""
    source_lang, _ = _settings(root)
    known_language(root, lang)
    if lang == source_lang:
        raise TranslateError(f"'{lang}' is the source language; review a translation of it")
    existing_folder(root, lang)
    every = pairs(root, source_lang, lang)
    unknown = [n for n in names if n not in {p.name for p in every}]
    if unknown:
        raise TranslateError(f"no handout {', '.join(printable(n) for n in unknown)}; available: "
                             f"{', '.join(p.name for p in every)}")
    titles = _section_titles(root, source_lang)
    result, errors = [], []
    for pair in every:
        if names and pair.name not in names:
            continue
        try:
            source = parse_file(pair.source, f"content/{source_lang}/{pair.source.name}", pair.name, source_lang)
            target = parse_file(pair.target, pair.shown, pair.name, lang) if pair.target.exists() else None
        except ContentError as exc:
            errors += exc.problems
            continue
        source_units = units_of(source)
        theirs, states = compare(source_units, target)
        claims = dict(source.claims) if isinstance(source, Handout) else {}
        rows = tuple(Row(u.id, _group(pair.name, u.id), u, theirs.get(u.id), states[u.id], claims.get(u.id, ()))
                     for u in source_units)
        title = source.title.text if isinstance(source, Handout) else "UI strings"
        printed = short(fingerprint_handout(target)) if isinstance(target, Handout) else ""
        result.append(Sheet(pair.name, lang, source_lang, title, rows, counts(states), titles, printed))
    if errors:
        raise ContentError(sorted(errors))
    return result


def _settings(root: Path) -> tuple[str, str]:
    """The source language and paper size from handouts.yaml."""
    problems = Problems()
    settings = Parser(settings_doc(root, problems)).settings()
    if settings is None:
        raise ContentError(problems.errors)
    return settings.source_language, settings.paper


def _section_titles(root: Path, source_lang: str) -> tuple[tuple[str, str], ...]:
    """Section headings in the source language (from its ui.yaml), to label the groups of rows."""
    path = root / "content" / source_lang / "ui.yaml"
    try:
        strings = parse_file(path, f"content/{source_lang}/ui.yaml", "ui", source_lang)
    except (ContentError, OSError):
        return ()
    assert isinstance(strings, Strings)
    return tuple((u.id.split(".", 1)[1], u.text) for u in strings.units if u.id.startswith("section."))


def _display_spans(unit: Unit) -> tuple[Span, ...]:
    """The unit's styled spans, placeholders shown as `{name}` and each link followed by where it goes,
    `<tel:+15550100100>` (both kept left to right inside Arabic): on paper a link shows only its words, and a
    translation's "llame a la clínica" dialled another number than the source's "call the clinic" (tenth pass)."""
    shown: list[Span] = []
    for index, span in enumerate(unit.spans):
        shown.append(replace(span, text="{" + span.placeholder + "}", placeholder="", value=True)
                     if span.placeholder else span)
        following = unit.spans[index + 1].href if index + 1 < len(unit.spans) else ""
        if span.href and following != span.href:  # the end of the link's words
            shown += [Span(" "), Span(f"<{span.href}>", italic=True, value=True)]
    return tuple(shown)


def _height(cell: list[object], width: float) -> float:
    """The height of a cell's flowables laid out in `width`."""
    return sum(f.wrap(width, 1e6)[1] for f in cell)  # type: ignore[attr-defined]


def language_name(lang: str) -> str:
    """The language's English name (Babel), e.g. 'Spanish'; the code itself when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name("en") or lang
    except (ValueError, UnknownLocaleError):
        return lang


def render(sheet: Sheet, root: Path, paper: str, today: date) -> bytes:
    """Lay out one review sheet as PDF bytes (deterministic for a given day)."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, LayoutError, PageTemplate, Spacer, TableStyle

    from generator.render.cellsplit import WholeRowsTable
    from generator.render.layout import PAGE_SIZES, HeldPagesCanvas
    from generator.render.styles import MIN_MARGIN_MM, MM, TextStyle
    from generator.render.textflow import TextFlow

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    src_fonts, tgt_fonts = config.for_lang(sheet.source_lang), config.for_lang(sheet.lang)
    page = styles.load(template.find(root, "style.yaml") / "style.yaml")
    colors = page.colors
    body = replace(page.text["body"], space_after=0)
    small = TextStyle(6.5, 8.2, colors["muted"])
    group_style = replace(page.text["subheading"], space_before=0, space_after=0)
    pagesize = PAGE_SIZES[paper]
    margins = page.margins
    width = pagesize[0] - margins["left"] - margins["right"]
    column = width / 2
    src_name, tgt_name = language_name(sheet.source_lang), language_name(sheet.lang)
    c = sheet.counts
    header_lines = [
        (Span(f"Translation review: {sheet.title}", bold=True),),
        (Span(f"{sheet.name} · {src_name} ({sheet.source_lang}) to {tgt_name} ({sheet.lang}) · {c.total} units: "
              f"{c.translated} translated, {c.stale} stale, {c.missing} missing · {today.isoformat()}"
              + (f" · fingerprint {sheet.fingerprint} (for approve --fingerprint)" if sheet.fingerprint else "")),),
    ]
    header_style = TextStyle(9, 11.5, colors["heading"])
    columns = (f"Source: {src_name} ({sheet.source_lang})", f"Translation: {tgt_name} ({sheet.lang})")
    footer_style = TextStyle(page.footer_size, page.footer_size * 1.3, colors["muted"])

    def footer_text(number: int | str, total: int | str) -> str:
        return (f"Translation review for bilingual reviewers, not for patients · {sheet.name} · {sheet.lang} · "
                f"page {number} of {total}")

    def height(spans: tuple[Span, ...], style: TextStyle, avail: float) -> float:
        return TextFlow(spans, style, src_fonts).wrap(avail, pagesize[1])[1]

    # The header and the footer as tall as style.yaml's sizes make them (seventeenth pass: 30 pt column labels ran
    # under the table, a 24 pt footer off the paper), the footer at least the print-safe margin above the edge
    column_style = replace(body, size=min(body.size, LABEL_MAX_PT), leading=body.leading * min(1.0, LABEL_MAX_PT
                                                                                               / body.size))
    header_height = max(HEADER_HEIGHT, sum(height(spans, header_style, width) for spans in header_lines) + 5
                        + max(height((Span(label, bold=True),), column_style, column - 10) for label in columns) + 6)
    bottom = max(margins["bottom"], MIN_MARGIN_MM * MM + FOOTER_GAP + height((Span(footer_text(9999, 9999)),),
                                                                             footer_style, width))
    frame_height = pagesize[1] - margins["top"] - bottom - header_height

    def flow(spans: tuple[Span, ...], style: TextStyle, lang_fonts: fonts.LanguageFonts,
             tag: tagging.Node | None = None) -> TextFlow:
        return TextFlow(shown(spans, lang_fonts, style.bold), style, lang_fonts, tag=tag)

    # The structure tree (in English, the sheet's own words): the header as a heading, a line and the two column
    # labels (on the first page; repeated on the others as page furniture), then one table per group of rows.
    title = f"Translation review: {sheet.title} ({sheet.lang})"
    tags = tagging.Tags("en", title)
    header_tags = [tags.root.add("H1"), tags.root.add("P")]
    column_tags = [tags.root.add("P"), tags.root.add("P")]

    base: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor(colors["table_grid"])),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (1, 0), HexColor(GROUP_BACKGROUND)),
    ]
    titles = dict(sheet.group_titles)
    # One table per group of rows (title, each section, each legal jurisdiction): its heading row repeats
    # on the next page when the group continues there, and is never left alone at the foot of a page.
    story: list[object] = []
    for group in dict.fromkeys(row.group for row in sheet.rows):
        section = group.split(".")[0]
        label = f"{group} · {titles[section]}" if section in titles and sheet.name != "ui" else group
        grid = tags.root.add("Table")
        head = grid.add("TR").add("TH", attributes={"O": "Table", "Scope": "Column", "ColSpan": 2})
        data: list[list[object]] = [[flow((Span(label, bold=True),), group_style, src_fonts, head), ""]]
        tallest = _height(data[0][:1], width - 10) + 7  # the label row too (a long section title: twenty-eighth pass)
        commands = list(base)
        for row in (r for r in sheet.rows if r.group == group):
            line = grid.add("TR")
            source, target = line.add("TD", lang=sheet.source_lang), line.add("TD", lang=sheet.lang)
            # The unit ID, then the sources its statement rests on (the source file's claims: map), then the text.
            source_cell: list[object] = [flow((Span(row.unit),), small, src_fonts, source.add("Span", lang="en"))]
            sources_height = 0.0
            if row.sources:
                listed = flow((Span(f"sources: {', '.join(row.sources)}"),), small, src_fonts,
                              source.add("Span", lang="en"))
                source_cell.append(listed)
                sources_height = _height([listed], column - 10)
            source_cell.append(flow(_display_spans(row.source), body, src_fonts, source.add("P")))
            # The label (or an empty line as tall as the unit ID) keeps both texts on the same baselines.
            target_cell: list[object] = [Spacer(1, small.leading)]
            if row.state in STATE_COLORS:
                shade, ink = STATE_COLORS[row.state]
                label_style = replace(small, color=ink, size=7.5)
                target_cell[0] = flow((Span(row.state.upper(), bold=True),), label_style, tgt_fonts,
                                      target.add("Span", lang="en"))
                commands.append(("BACKGROUND", (0, len(data)), (1, len(data)), HexColor(shade)))
            if sources_height:
                target_cell.append(Spacer(1, sources_height))
            if row.target is not None and row.state == MISSING:
                # Not translated: the file still holds the source text, so it is shown as source text.
                target_cell.append(flow(_display_spans(row.target), replace(body, color=colors["muted"]), src_fonts,
                                        target.add("P", lang=sheet.source_lang)))
            elif row.target is not None:
                target_cell.append(flow(_display_spans(row.target), body, tgt_fonts, target.add("P")))
            else:
                target_cell.append(flow((Span("(not in the translation file)", italic=True),),
                                        replace(body, color=colors["muted"]), src_fonts, target.add("P", lang="en")))
            data.append([source_cell, target_cell])
            tallest = max(tallest, max(_height(source_cell, column - 10), _height(target_cell, column - 10)) + 7)
        # Rows move to the next page whole; only a row taller than a page may be split inside.
        story.append(WholeRowsTable(data, colWidths=[column, column], repeatRows=1,
                                    splitInRow=int(tallest > frame_height * 0.9), style=TableStyle(commands),
                                    spaceAfter=6))

    regular = src_fonts.face()
    assert regular is not None

    def draw_header(canv: Canvas, doc: BaseDocTemplate) -> None:
        first = canv.getPageNumber() == 1
        y = pagesize[1] - margins["top"]
        for spans, tag in zip(header_lines, header_tags, strict=True):
            header = TextFlow(shown(spans, src_fonts, header_style.bold), header_style, src_fonts,
                              tag=tag if first else None)
            y -= header.wrap(width, header_height)[1]
            with tagging.artifact(canv, "Pagination", "Header") if not first else nullcontext():
                header.drawOn(canv, margins["left"], y)
        canv.saveState()
        canv.setStrokeColor(HexColor(colors["rule"]))
        canv.setLineWidth(0.6)
        with tagging.artifact(canv):
            canv.line(margins["left"], y - 3, pagesize[0] - margins["right"], y - 3)
        canv.restoreState()
        y -= 5
        for index, label in enumerate(columns):  # the column labels, on every page
            head = TextFlow((Span(label, bold=True),), column_style, src_fonts,
                            tag=column_tags[index] if first else None)
            tall = head.wrap(column - 10, header_height)[1]
            with tagging.artifact(canv, "Pagination", "Header") if not first else nullcontext():
                head.drawOn(canv, margins["left"] + 5 + index * column, y - tall)

    class NumberedCanvas(HeldPagesCanvas):
        """Each page's footer says 'page N of M'."""

        def draw_furniture(self, number: int, total: int) -> None:
            footer = TextFlow((Span(footer_text(number, total)),), footer_style, src_fonts)
            footer.drawOn(self, margins["left"], bottom - FOOTER_GAP - footer.wrap(width, bottom)[1])

    NumberedCanvas.tags = tags  # type: ignore[attr-defined]  # what the drawing points tag into

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, leftMargin=margins["left"], rightMargin=margins["right"],
        topMargin=margins["top"], bottomMargin=bottom, invariant=1,
        initialFontName=fonts.register(regular), title=title, lang="en", displayDocTitle=1,
        creator=f"patient-handouts {__version__}", subject=f"{sheet.name} {sheet.source_lang} -> {sheet.lang}",
    )
    frame = Frame(margins["left"], bottom, width, frame_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_header)])
    try:
        doc.build(story, canvasmaker=NumberedCanvas)
    except LayoutError:  # a row's first lines taller than the page leaves them: style.yaml's sizes, never a traceback
        raise styles.StyleError(f"{template.find(root, 'style.yaml') / 'style.yaml'}: its sizes and margins leave "
                                f"{frame_height:.0f} pt of a review sheet's page for its rows, too little for a "
                                "row's first lines; lower the text sizes or the margins") from None
    return buffer.getvalue()


def review(root: Path, lang: str, names: list[str], out: Path | None = None,
           today: date | None = None, kept: list[str] | None = None) -> list[str]:
    """Render the review PDFs of `lang` and write them all at once; returns the files written (and adds to `kept`
    the copies of sheets kept aside, see `_keep_notes`)."""
    today = today or date.today()
    out = out or default_output(root)
    if project_input(root, out):  # written into templates/ or content/, every build would see new inputs
        raise WriteError(f"{out}: is inside the project's own files (settings, content, templates or docs); "
                         "nothing was written; name an output folder outside them")
    _, paper = _settings(root)
    selected = sheets(root, lang, names)
    for folder in {(out / sheet.file).parent for sheet in selected}:
        if not inside(out, folder):  # OUT/review or OUT/review/LANG is a link: nothing is written through it
            raise WriteError(f"{folder}: a link leads outside the output folder; nothing was changed; remove the "
                             "link")
    rendered = [(out / sheet.file, render(sheet, root, paper, today)) for sheet in selected]
    aside = _keep_notes(out, rendered)
    try:
        write_files(rendered)
    except BaseException:
        discard(out, aside)
        raise
    if kept is not None:
        kept += [str(out / copy) for _, copy in aside]
    remember_built([hashlib.sha256(data).hexdigest() for _, data in rendered])
    return [str(path) for path, _ in rendered]


def _keep_notes(out: Path, rendered: list[tuple[Path, bytes]]) -> list[tuple[str, str]]:
    """Refuse to replace a review PDF this generator did not write as it is: a reviewer's notes saved into it in a
    PDF reader (comments, highlights) were lost at the next `translate review` (twenty-second pass). Without a
    usable cache folder nothing tells what was written here: a sheet that is not the one about to be written is
    kept aside (`x.review.changed.pdf`), never replaced unsaid (thirty-first pass); the (file, copy) pairs."""
    if cache_refused() is not None:
        files = {path.relative_to(out).as_posix(): hashlib.sha256(data).hexdigest() for path, data in rendered}
        try:
            return keep_changed(out, list(files), {}, files)
        except OSError as exc:
            raise WriteError(f"{printable(str(exc.filename or out))}: {printable(exc.strerror or str(exc))}; nothing "
                             "was written") from None
    for path in (path for path, _ in rendered):
        if not is_regular(path) or path.is_symlink():
            continue  # nothing there, or an entry write_files refuses itself
        try:
            written = was_built(hashlib.sha256(read_bytes(path, 200_000_000)).hexdigest())
        except FileRefused:
            written = False
        if not written:
            raise WriteError(f"{printable(str(path))}: is not the review PDF `translate review` wrote (notes saved "
                             "into it in a PDF reader?); nothing was written; move it away to keep it, then run the "
                             "command again")
    return []
