"""The tiny inline markup of content text: **bold**, *italic*, [links](https://…) and {placeholders}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.content.linktarget import target_problem
from generator.content.linkwords import hidden_recipients, shown_elsewhere, straddling

ALLOWED_SCHEMES = ("https:", "mailto:", "tel:")
KEEP_VALUE_WHOLE = 24  # characters: a substituted value this short (a phone number) is never split over lines
_ESCAPABLE = "*[]{}\\"
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))*)\)")  # one level of () inside an address
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\}")


@dataclass(frozen=True)
class Span:
    """A run of text with one style; `placeholder` names a value to substitute at localization."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    placeholder: str = ""
    value: bool = False  # the text is a substituted setting or fact (kept left-to-right inside RTL text)


@dataclass(frozen=True)
class MarkupError:
    """A problem at a character offset within the text."""

    offset: int
    message: str
    hint: str


@lru_cache(maxsize=16_384)  # the same texts again: several clinics' copies of one content, a watch session
def parse(text: str) -> tuple[tuple[Span, ...], tuple[MarkupError, ...]]:
    """Split text into styled spans; every markup problem is returned, none raised."""
    spans: list[Span] = []
    errors: list[MarkupError] = []
    buf: list[str] = []
    bold = italic = False
    bold_at = italic_at = 0
    link_at: dict[int, int] = {}  # span index of each link -> its offset in the text
    i = 0

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            flush()
            bold, bold_at = not bold, i
            i += 2
        elif ch == "*":
            flush()
            italic, italic_at = not italic, i
            i += 1
        elif ch == "{":
            match = _PLACEHOLDER.match(text, i)
            if match is None:
                errors.append(MarkupError(i, "'{' does not start a valid placeholder such as {clinic.phone}",
                                          "write \\{ for a literal brace"))
                buf.append(ch)
                i += 1
                continue
            flush()
            spans.append(Span("", bold, italic, placeholder=match.group(1)))
            i = match.end()
        elif ch == "[" and (match := _LINK.match(text, i)):
            flush()
            label, href = match.group(1), match.group(2)
            if not href.lower().startswith(ALLOWED_SCHEMES):
                errors.append(MarkupError(i + len(label) + 3, f"link address '{href}' is not allowed",
                                          "links must start with https:, mailto: or tel:"))
            elif (problem := target_problem(href))[0]:
                errors.append(MarkupError(i + len(label) + 3, *problem))
            if "{" in label or "{" in href:  # a link is printed as written: a placeholder would show as {name}
                errors.append(MarkupError(i, "a {placeholder} inside a link is not filled in",
                                          "write the link with the plain text or address, or put the "
                                          "placeholder outside the [text](address)"))
            if href.lower().startswith("mailto:") and (hidden := hidden_recipients(href)):
                errors.append(MarkupError(i, f"the link also sends the mail to '{hidden}', which it does not show",
                                          "link to one address only: [address](mailto:address), with no "
                                          "?cc=, ?bcc= or second address"))
            elif shown := shown_elsewhere(label, href):
                errors.append(MarkupError(i, f"the link shows {shown} but goes to '{href}'", "show the address "
                                          "the link goes to, or words that are no address (e.g. [our booking "
                                          "page](https://...))"))
            link_at[len(spans)] = i
            spans.append(Span(label, bold, italic, href=href))
            i = match.end()
        else:
            buf.append(ch)
            i += 1
    flush()
    if link_at and (across := straddling(spans)):
        index, kind, seen = across
        errors.append(MarkupError(link_at[index], f"the {kind} '{seen}' runs across the edge of a link's words: "
                                  f"the reader sees one {kind}, the link holds only part of it",
                                  f"put the whole {kind} inside the link's words, or a word between them"))
    if bold:
        errors.append(MarkupError(bold_at, "'**' (bold) is opened but never closed",
                                  "close it with '**', or write \\*\\* for literal asterisks"))
    if italic:
        errors.append(MarkupError(italic_at, "'*' (italic) is opened but never closed",
                                  "close it with '*', or write \\* for a literal asterisk"))
    return tuple(spans), tuple(errors)


def placeholders(spans: tuple[Span, ...]) -> list[str]:
    """The placeholder names used, in order."""
    return [s.placeholder for s in spans if s.placeholder]


def plain(spans: tuple[Span, ...]) -> str:
    """The text without markup (placeholders left as {name}); used for searching and readability."""
    return "".join(s.text or "{" + s.placeholder + "}" for s in spans)
