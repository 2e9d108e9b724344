"""A text flowable that wraps, shapes and draws every script the same way: Latin, Cyrillic, Arabic, Chinese.

ReportLab's Paragraph silently ignores right-to-left without the unavailable `rlbidi` package and lets Chinese
lines start with a comma, so lines are laid out here: words (or CJK characters, with line-start and line-end
prohibitions) are measured with the real faces, wrapped greedily, and for right-to-left text each line is
reshaped and reordered on its own, after wrapping, so that lines stay in reading order.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import replace
from itertools import groupby

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from generator.content.markup import KEEP_VALUE_WHOLE, Span
from generator.render import rtl, tagging
from generator.render.drawntext import CJK_TOKENS, SIGN_AFTER, WORD_TOKENS, breaks, drawn, unshaped
from generator.render.fonts import Face, LanguageFonts, drawn_as_shipped, register
from generator.render.keptruns import kept_runs
from generator.render.linkuri import ascii_uri
from generator.render.numberclip import draw_run, line_columns
from generator.render.styles import TextStyle
from generator.render.words import LAYOUTS, WIDTHS, Layout, Piece, Word, cut, face_name, space_width

# Characters that may not start a line (closing punctuation) or end one (opening punctuation) in Chinese.
NO_LINE_START = set("，。、；：！？）》」』】〕〉〗｝］”’…‥·・ー〜～％!),.:;?]}%")
NO_LINE_END = set("（《「『【〔〈〖｛［“‘([{")
SYNTHETIC_BOLD_STROKE = 0.035  # of the font size; thickens one-weight CJK outlines into a visible bold
MIN_LINES = 2  # a paragraph split over pages keeps at least this many lines on each page (no widows, orphans)
SEPARATORS = set("·•")  # between a list's items on one line (the Sources, the other languages)
# A line that ends one of these (before closing quotes or brackets) ends a sentence: a page may break after it.
SENTENCE_END = set(".!?。！？؟…")
_CLOSERS = "\"'”’»)]）」』】》"
MARKER_TEXT = {"bullet": "\u2022", "box": "\u2610"}  # what a list marker is, for a reader of the tags


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)


class TextFlow(Flowable):
    """Styled spans laid out in lines; optionally with a bullet or tick box, and as an outline entry."""

    def __init__(self, spans: tuple[Span, ...], style: TextStyle, fonts: LanguageFonts, marker: str = "",
                 indent: float = 0.0, outline: str = "", words: list[Word] | None = None, unit_id: str = "",
                 keep_whole: bool = False, tag: tagging.Node | None = None,
                 label: tagging.Node | None = None) -> None:
        super().__init__()
        self.tag, self.label = tag, label  # the structure elements of the text and of the marker
        self._drawn = False
        self.continues = False  # the text goes on, after a space, in the part split off after this one
        self.style = style
        self.fonts = fonts
        self.marker = marker
        self.indent = indent
        self.outline = outline
        self.keepWithNext = 0
        self.unit_id = unit_id  # named by the print-quality check
        self.keep_whole = keep_whole  # a list item or table cell: split over pages only when taller than a page
        self.part = ""  # "first" or "rest" once split over pages
        self.whole_lines = 0  # the unsplit paragraph's line count, on its parts
        self.whole_fits_page = True  # on its parts: whether the unsplit paragraph fitted on one page
        self.embedded = 0  # right-to-left text: the left-to-right embeddings open where it starts (a split's rest)
        self._names: dict[tuple[bool, bool], str] = {}  # face names by (bold, italic), looked up once per flow
        self._faces: dict[tuple[bool, bool], Face | None] = {}  # the faces themselves, for drawing
        self._links = (any(span.href for span in spans) if words is None
                       else any(piece.href for word in words for piece in word.pieces))
        self._layout: Layout | None = None
        if words is None:
            key = (tuple(spans), style.size, style.bold, fonts)
            self._layout = LAYOUTS.get(key, lambda: Layout(self._make_words(spans)))
            words = self._layout.words
        self._words = words
        self._lines: list[list[Word]] = []
        self._wrapped_width = -1.0

    # -- building words ----------------------------------------------------------------------------
    def _face(self, bold: bool, italic: bool) -> str:
        key = (bold or self.style.bold, italic)
        name = self._names.get(key)
        if name is None:  # hashing the LanguageFonts key of the shared cache costs more than the rest per word
            name = self._names[key] = face_name(self.fonts, *key)
        return name

    def _make_words(self, spans: tuple[Span, ...]) -> list[Word]:
        tokens = CJK_TOKENS if self.fonts.breaking == "cjk" else WORD_TOKENS
        cjk = tokens is CJK_TOKENS
        words: list[Word] = []
        pending_space = False
        prev = ""
        for span in spans:
            # What draws nothing is dropped (a soft hyphen printed "2-5 mg"), but what shaping reads: 22nd pass
            text = source = unshaped(span.text) if self.fonts.rtl else drawn(span.text)
            if self.fonts.rtl:  # a value, and a number or address written in the text, kept left to right
                source = rtl.isolate(text) if span.value else rtl.isolate_numbers(text)
                text = rtl.reshape(source)
            shown = self._tokens(tokens, text, span.value)
            # Shaping joins letters (and vowel marks move after a lam-alef ligature) but keeps the spaces, so
            # the tokens of the text as written pair with the shaped ones; without them (no shaping), None.
            written = self._tokens(tokens, source, span.value) if self.fonts.rtl else []
            if len(written) != len(shown):
                written = [None] * len(shown)  # type: ignore[list-item]
            for token, origin in zip(shown, written, strict=True):
                if breaks(token):
                    pending_space, prev = True, " "
                    continue
                if pending_space and words and token[0] in SEPARATORS:
                    # "A · B": a list's separator stays at the end of the line of what it follows.
                    token, origin = " " + token, None if origin is None else " " + origin
                    pending_space = False
                first = token[0]
                # A break is allowed at a space, and in Chinese between characters, except before closing
                # or after opening punctuation (the kinsoku rules).
                new_word = (not words or pending_space
                            or (cjk and (_is_cjk(prev) or _is_cjk(first)) and first not in NO_LINE_START
                                and prev not in NO_LINE_END))
                if new_word:
                    words.append(Word([], pending_space and bool(words)))
                word = words[-1]
                last = word.pieces[-1] if word.pieces else None
                if last and (last.bold, last.italic, last.href) == (span.bold, span.italic, span.href):
                    last.text += token
                    last.source = None if last.source is None or origin is None else last.source + origin
                else:
                    word.pieces.append(Piece(token, span.bold, span.italic, span.href, source=origin))
                pending_space, prev = False, token[-1]
        size = self.style.size
        widths = WIDTHS.entries if WIDTHS.enabled else {}
        if len(widths) >= WIDTHS.limit:
            widths.clear()
        for word in words:
            for piece in word.pieces:
                text = drawn(piece.text)  # the joiners and marks shaping and the bidi algorithm read draw nothing
                key = (text, self._face(piece.bold, piece.italic), size)
                width = widths.get(key)
                if width is None:
                    width = widths[key] = stringWidth(text, key[1], size)
                piece.width = width
        return words

    @staticmethod
    def _tokens(tokens: re.Pattern[str], text: str, value: bool) -> list[str]:
        """Words and spaces; a short substituted value (a phone number) stays whole, never split over lines."""
        if value and len(text.strip()) <= KEEP_VALUE_WHOLE and text.strip() and "\n" not in text:
            lead, core, trail = text[:len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()):]
            return [t for t in (lead, core, trail) if t]
        out: list[str] = []
        start = 0
        for begin, finish in kept_runs(text):  # a phone number, a short isolate: one token
            if begin >= start:
                end = sign.end() if (sign := SIGN_AFTER.match(text, finish)) else finish  # "12 500 %"
                out += tokens.findall(text[start:begin]) + [text[begin:end]]
                start = end
        return out + tokens.findall(text[start:])

    # -- layout ----------------------------------------------------------------------------------
    @property
    def _space(self) -> float:
        return space_width(self._face(False, False), self.style.size)

    def _text_width(self, avail: float) -> float:  # an em at least (two ran 72 pt cells over others: 15th pass)
        return max(avail - self.indent, self.style.size)

    def _wrap_lines(self, avail: float) -> list[list[Word]]:
        width = self._text_width(avail)
        if self._layout is None:
            return self._break_lines(width)
        lines = self._layout.lines.get(width)
        if lines is None:
            lines = self._layout.lines[width] = self._break_lines(width)
        return lines

    def _break_lines(self, width: float) -> list[list[Word]]:
        lines: list[list[Word]] = []
        line: list[Word] = []
        used = 0.0
        space = self._space
        for word in self._words:
            gap = space if line and word.space_before else 0.0
            word_width = word.width
            if line and used + gap + word_width > width:
                lines.append(line)
                line, used, gap = [], 0.0, 0.0
            if not line and word_width > width:
                # A word longer than the line (a URL, a run of characters) is cut, never clipped.
                for chunk in self._cut(word, width):
                    lines.append([chunk])
                line = [lines.pop()[0]] if lines else []
                used = line[0].width if line else 0.0
                continue
            line.append(word)
            used += gap + word_width
        if line:
            lines.append(line)
        return lines

    def _cut(self, word: Word, width: float) -> list[Word]:
        def measure(ch: str, piece: Piece) -> float:
            return stringWidth(drawn(ch), self._face(piece.bold, piece.italic), self.style.size)

        return cut(word, width, measure)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_width:
            self._lines = self._wrap_lines(availWidth)
            self._wrapped_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def line_width(self) -> float:
        """The width of all the text set on one line (how the footer knows a line fits without wrapping)."""
        gaps = sum(1 for index, word in enumerate(self._words) if index and word.space_before)
        return sum(word.width for word in self._words) + gaps * self._space + self.indent

    def ends_with(self, chars: str) -> bool:
        """Whether the text's last visible character is one of `chars`."""
        text = self._words[-1].pieces[-1].text.rstrip() if self._words and self._words[-1].pieces else ""
        return bool(text) and text[-1] in chars

    def ends_sentence(self, line: int) -> bool:
        """Whether line number `line` (0-based) ends a sentence, so that a page may break after it."""
        if not self._lines or not self._lines[line]:
            return False
        text = self._lines[line][-1].pieces[-1].text.rstrip().rstrip(_CLOSERS)
        return bool(text) and text[-1] in SENTENCE_END

    def split_points(self, whole_fits_page: bool) -> list[int]:
        """The line counts a first part may have, best first: at least MIN_LINES on each side, and after a
        sentence's end unless the paragraph is taller than a page."""
        count = len(self._lines)
        points = list(range(count - MIN_LINES, MIN_LINES - 1, -1))
        return [n for n in points if self.ends_sentence(n - 1)] if whole_fits_page else points

    def min_head(self, availWidth: float, page_height: float) -> float:
        """The least of this text that may end a page under a heading (two lines, a sentence, or all of it)."""
        self.wrap(availWidth, page_height)
        if self.keep_whole and self.height <= page_height:
            return self.height
        points = self.split_points(self.height <= page_height)
        return min(points) * self.style.leading if points else self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if getattr(self, "taller_than_page", False):  # set by a table whose row is taller than a page
            return self.split_taller_than_page(availWidth, availHeight)
        self.wrap(availWidth, availHeight)
        leading = self.style.leading
        fit = int((availHeight + 1e-6) // leading)
        if fit >= len(self._lines):
            return [self]
        frame = getattr(self, "_frame", None)
        page_height = frame._aH if frame is not None else float("inf")
        at_top = bool(getattr(frame, "_atTop", 0))
        fits_page = self.height <= page_height + 1e-6
        if self.keep_whole and fits_page:
            return []  # moves whole to the next page
        return self._split_within(fit, fits_page, at_top)

    def split_taller_than_page(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split text known to be taller than a page (inside a box): at the best point that fits, whatever it is."""
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + 1e-6) // self.style.leading)  # none: the row waits for the next page (28th pass)
        return self._split_within(fit, False, True) if fit >= 1 else []

    def _split_within(self, fit: int, fits_page: bool, at_top: bool) -> list[Flowable]:
        if fit >= len(self._lines):
            return [self]
        points = [n for n in self.split_points(fits_page) if n <= fit]
        if not points and at_top:  # a page shorter than a few lines: split anyway rather than fail
            points = [max(fit, 1)]
        if not points:
            return []
        return self._parts(points[0], fits_page)

    def _parts(self, count: int, fits_page: bool) -> list[Flowable]:
        head = [w for line in self._lines[:count] for w in line]
        tail = [w for line in self._lines[count:] for w in line]
        continues = bool(tail) and tail[0].space_before
        if tail:
            tail[0] = Word(tail[0].pieces, False)
        first = TextFlow((), replace(self.style, space_after=0.0), self.fonts, self.marker, self.indent,
                         self.outline, head, self.unit_id, self.keep_whole, self.tag, self.label)
        first.continues = continues
        rest = TextFlow((), replace(self.style, space_before=0.0), self.fonts, "", self.indent, "", tail,
                        self.unit_id, self.keep_whole, self.tag)
        first.embedded = self.embedded
        rest.embedded = rtl.embedded("".join(p.text for w in head for p in w.pieces), self.embedded)
        for part, name in ((first, "first"), (rest, "rest")):
            part.part = name
            part.whole_lines = self.whole_lines or len(self._lines)
            part.whole_fits_page = self.whole_fits_page and fits_page
        return [first, rest]

    def getSpaceBefore(self) -> float:
        return self.style.space_before

    def getSpaceAfter(self) -> float:
        return self.style.space_after

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        leading = self.style.leading
        color = HexColor(self.style.color)
        canv.setFillColor(color)
        canv.setStrokeColor(color)
        rtl = self.fonts.rtl
        # Drawn a second time (a table's header row repeated on the next page): page furniture, not new text.
        again, self._drawn = self._drawn, True
        # Left-to-right text without links is one marked-content sequence (fewer, cheaper tags); a right-to-left
        # line carries its own text in reading order, and a link is an element of its own, so those go by line.
        whole = not rtl and not self._links
        self._open = self.embedded
        with tagging.artifact(canv, "Pagination") if again else nullcontext():
            if self.marker and self._lines:
                with tagging.marked(canv, self.label, MARKER_TEXT.get(self.marker, "")):
                    self._draw_marker(self.height - leading * 0.78)
            with tagging.marked(canv, self.tag) if whole else nullcontext():
                for number, line in enumerate(self._lines):
                    baseline = self.height - number * leading - leading * 0.78
                    # Where a line breaks at a space, the space is kept (invisible, at the line's end), so that
                    # text read back from the tags does not run a line's last word into the next line's first.
                    last = number + 1 == len(self._lines)
                    after = self.continues if last else self._lines[number + 1][0].space_before
                    if rtl:
                        self._draw_rtl(line, baseline, " " if after else "")
                    else:
                        self._draw_ltr(line, baseline, " " if after else "")

    def _runs(self, line: list[Word]) -> list[Piece]:
        runs: list[Piece] = []
        space = self._space
        rtl_text = self.fonts.rtl
        for index, word in enumerate(line):
            for k, piece in enumerate(word.pieces):
                text = piece.text
                width = piece.width
                source = piece.logical if rtl_text else ""  # only right-to-left lines are given as words
                if k == 0 and index and word.space_before:
                    text, width, source = " " + text, width + space, " " + source
                last = runs[-1] if runs else None
                if last and (last.bold, last.italic, last.href) == (piece.bold, piece.italic, piece.href):
                    last.text += text
                    last.width += width
                    last.source = (last.source or "") + source
                else:
                    runs.append(Piece(text, piece.bold, piece.italic, piece.href, width, source))
        return runs

    def _draw_ltr(self, line: list[Word], baseline: float, end: str = "") -> None:
        x = self.indent
        canv = self.canv
        runs = self._runs(line)
        if end and runs and tagging.tags_of(canv) is not None:
            runs[-1].text += end  # runs are made afresh for each line
        starts = [x + sum(run.width for run in runs[:n]) for n in range(len(runs))]
        names = [self._face(run.bold, run.italic) for run in runs]
        line = line_columns(list(zip([r.text for r in runs], starts, names, strict=True)), self.style.size) \
            if len(runs) > 1 and not all(map(drawn_as_shipped, names)) else None
        for href, group in groupby(runs, key=lambda run: run.href):
            # Linked words are a Link element of their own, holding their text and their annotation.
            node = self.tag.add("Link") if href and self.tag is not None and tagging.tags_of(canv) else self.tag
            with tagging.marked(canv, node):
                for run in group:
                    self._draw_run(run.text, x, baseline, run.bold, run.italic, line)
                    if href:
                        with tagging.link(canv, node, f"{run.text.strip()} ({href})") as entries:
                            canv.linkURL(ascii_uri(href), (x, baseline - self.style.size * 0.25, x + run.width,
                                                baseline + self.style.size), relative=1, thickness=0, **entries)
                    x += run.width

    def _draw_rtl(self, line: list[Word], baseline: float, end: str = "") -> None:
        runs = self._runs(line)
        text = "".join(r.text for r in runs)
        visual, self._open = drawn(rtl.line_visual(text, self._open)), rtl.embedded(text, self._open)
        width = sum(r.width for r in runs)
        right = self.width - self.indent
        bold = bool(runs) and runs[0].bold
        # The glyphs are shaped and in visual order; a reader of the tags gets the letters in reading order,
        # and a space where the line breaks (the words of two lines are not one word).
        spoken = "".join(r.logical for r in runs).translate(rtl.BIDI_CONTROLS) + end
        with tagging.marked(self.canv, self.tag, spoken):
            self._draw_run(visual, right - width, baseline, bold, False)

    def _draw_run(self, text: str, x: float, y: float, bold: bool, italic: bool,
                  line: list[tuple[float, float]] | None = None) -> None:
        key = (bold or self.style.bold, italic)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = self.fonts.face(*key) or self.fonts.face(key[0], False)
        assert face is not None
        size, name = self.style.size, register(face)
        # Its own box: the space around it is not always laid out (a table cell's first, a page's last paragraph)
        box = (-0.1 * size, 0.0, self.width + 0.1 * size, self.height)
        draw_run(self.canv, text, x, y, name, size, drawn_as_shipped(name),
                 size * SYNTHETIC_BOLD_STROKE if face.synthetic_bold else 0.0, line, box)

    def _draw_marker(self, baseline: float) -> None:
        size = self.style.size
        centre_y = baseline + size * 0.32
        offset = self.indent - size * 0.8
        x = self.width - offset if self.fonts.rtl else offset
        if self.marker == "box":
            side = size * 0.72
            self.canv.setLineWidth(0.7)
            self.canv.rect(x - side / 2, centre_y - side / 2, side, side, stroke=1, fill=0)
        else:
            self.canv.circle(x, centre_y, size * 0.16, stroke=0, fill=1)
