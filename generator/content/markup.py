"""The tiny inline markup of content text: **bold**, *italic*, [links](https://…) and {placeholders}."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


# Any script's digits and letters (a full-width ９８８, a Cyrillic і in "nіh.gov" look like the ASCII ones).
_SPACED_WORD = r"[^\W\u2e80-\u9fff\u3040-\u30ff\uac00-\ud7af]"  # a word character, not Chinese or Japanese
_SHOWN_PHONE = re.compile(rf"(?<!\.)(?<!{_SPACED_WORD})\+?\d[\d ().\-\u3000]*\d(?!{_SPACED_WORD})")
_SHOWN_WEB = re.compile(r"(?<![\w@.-])(?:https?://)?((?:[\w-]+\.)+[^\W\d_]{2,})(?![\w@-])", re.IGNORECASE)
_SHOWN_MAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,})", re.IGNORECASE)


def _digits(text: str) -> str:
    """The digits of a text as ASCII, whatever their script."""
    return "".join(str(unicodedata.digit(ch)) for ch in text if unicodedata.digit(ch, None) is not None)


# How 120 or 110 is often written in Chinese: the everyday numerals, 幺 (yāo, 1 in phone numbers), 两 (2) and the
# financial numerals 壹…玖 (ninth pass).
_HAN_DIGITS = str.maketrans("〇零一二三四五六七八九幺两壹贰貳叁參肆伍陆陸柒捌玖", "00123456789" "12" "122334566789")
# Digits spelled out in the shipped languages: a run of them ("nine-one-one", "nine eight eight") is a number.
_DIGIT_WORDS = {word: str(digit) for digit, words in enumerate([
    "zero oh cero ноль không صفر", "one uno один một واحد", "two dos два hai اثنان اثنين", "three tres три ba ثلاثة",
    "four cuatro четыре bốn أربعة", "five cinco пять năm خمسة", "six seis шесть sáu ستة",
    "seven siete семь bảy سبعة", "eight ocho восемь tám ثمانية", "nine nueve девять chín تسعة"])
    for word in words.split()}
_SPELLED = "|".join(sorted(map(re.escape, _DIGIT_WORDS), key=len, reverse=True))
_SPELLED_RUN = re.compile(rf"(?<!\w)(?:{_SPELLED})(?:[\s\-]+(?:{_SPELLED}))+(?!\w)", re.IGNORECASE)


def _spelled_out(label: str) -> str:
    """Runs of spelled-out digits as the number they say: "call nine-one-one" -> "call 911"."""
    return _SPELLED_RUN.sub(lambda run: "".join(_DIGIT_WORDS[word.lower()] for word in re.split(r"[\s\-]+",
                                                                                                run.group())), label)


def _as_seen(label: str) -> str:
    """A link's words as a reader sees them: look-alikes as what they look like (NFKC: full-width and
    superscript digits; a one-dot leader, an ideographic full stop; seventh pass), every dash as "-", and
    nothing for what draws nothing (zero-width spaces and joiners, a soft hyphen, combining marks: "9\u200b88"
    shows 988, eighth pass), a line or paragraph separator as the space it is drawn as (ninth pass)."""
    folded = unicodedata.normalize("NFKC", label).replace("\u2024", ".").replace("\u3002", ".").translate(_HAN_DIGITS)
    return "".join("-" if unicodedata.category(ch) == "Pd" or ch == "\u2212" else " " if ch in "\u2028\u2029" else ch
                   for ch in folded if unicodedata.category(ch) not in ("Cf", "Mn", "Me"))


def hidden_recipients(target: str) -> str:
    """The first address a mailto: link sends to besides the one it names (`?bcc=`, `?cc=`, `?to=`, a second
    address), or ""."""
    from urllib.parse import parse_qsl, unquote

    address, _, query = target[len("mailto:"):].partition("?")
    others = [a for a in unquote(address).replace(";", ",").split(",")[1:] if a.strip()]
    others += [value for key, value in parse_qsl(query) if key.lower() in ("to", "cc", "bcc") and value.strip()]
    return others[0].strip() if others else ""


def shown_elsewhere(label: str, href: str) -> str:
    """What a link's text shows as a destination (a number, a web or e-mail address, anywhere in it) that the
    link does not go to ("" when it shows none, or only the one it goes to): "[988](tel:+15550000666)",
    "[Call 988 now](tel:...)" (fifth pass)."""
    label = _spelled_out(_as_seen(label))
    target = href.strip()
    scheme = target.split(":", 1)[0].lower()
    # A number in the words of a tel: link; or, on another link, text that is nothing but a phone number (a year
    # or a short code may name a page).
    # Any number of three digits or more ("Call 988", a phone number) in the words of a link that does not dial
    # it; a year (1900-2099) may name a page ("[the 2024 report](https://...)").
    for number in _SHOWN_PHONE.finditer(label):
        digits = _digits(number.group())
        year = len(digits) == 4 and digits[:2] in ("19", "20") and scheme != "tel"
        if len(digits) >= 3 and not year and (scheme != "tel" or digits != _digits(target)):
            return f"the number '{number.group()}'"
    mails = {m.group(1).lower() for m in _SHOWN_MAIL.finditer(label)}
    if mails and (scheme != "mailto" or mails != {target[7:].split("?")[0].lower()}):
        return f"the address '{sorted(mails)[0]}'"
    host = target[len("https://"):].split("/")[0].split("?")[0].split("#")[0].lower() if scheme == "https" else ""
    for web in _SHOWN_WEB.finditer(_SHOWN_MAIL.sub(" ", label)):
        if web.group(1).lower().removeprefix("www.") != host.removeprefix("www."):
            return f"the address '{web.group()}'"
    return ""


def _straddling(spans: list[Span], link_at: dict[int, int]) -> MarkupError | None:
    """A number or address the reader sees running across the edge of a link's words: `[98](tel:X)[8](tel:X)`
    and `9[88](tel:X)` both print "988" (ninth pass). Each link alone shows too little to be checked."""
    chars: list[str] = []
    owners: list[int] = []  # per character seen: the index of the link span holding it, or -1
    for index, span in enumerate(spans):
        # A placeholder's value is unknown here: read as a digit, so a link touching a phone number is refused.
        seen = "0" if span.placeholder else _as_seen(span.text)
        chars.append(seen)
        owners += [index if span.href else -1] * len(seen)
    text = "".join(chars)
    for kind, pattern in (("number", _SHOWN_PHONE), ("address", _SHOWN_MAIL), ("address", _SHOWN_WEB)):
        for found in pattern.finditer(text):
            holders = set(owners[found.start():found.end()])
            if len(holders) > 1:
                link = min(holder for holder in holders if holder >= 0)
                return MarkupError(link_at[link], f"the {kind} '{found.group()}' runs across the edge of a link's "
                                   "words: the reader sees one " + kind + ", the link holds only part of it",
                                   "put the whole " + kind + " inside the link's words, or a word between them")
    return None


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
    if link_at and (straddling := _straddling(spans, link_at)):
        errors.append(straddling)
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
