"""What a link's words show as a destination, read as a patient reads them, against where the link goes.

A link may not show one number or address and go to another: `[Call 988](tel:+1555…)` (fifth pass). Every pass
since found another way to write a number a patient reads: look-alike digits, invisible characters between them,
dashes, Chinese numerals, words (nine-one-one, nine eighty-eight), a number split across a link's edge, digits
parted by middle dots, slashes or runs of spaces, digits glued to a word (988Lifeline), a crisis line that looks
like a year (Taiwan's 1995).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Protocol

from generator.content import numberwords

_SPACES = re.compile(r"\s+")
# How 120 or 110 is often written in Chinese: the everyday numerals, 幺 (yāo, 1 in phone numbers), 两 (2) and the
# financial numerals 壹…玖 (ninth pass).
_HAN_DIGITS = str.maketrans("〇零一二三四五六七八九幺两壹贰貳叁參肆伍陆陸柒捌玖", "00123456789" "12" "122334566789")
# Digits spelled out in the shipped languages, each a digit wherever it stands ("call nine 8 8"); runs of number
# words (and Vietnamese digit words, everyday words too, which count only in a run) are read by numberwords.
_WORDS = ["zero cero ноль صفر", "one uno один واحد", "two dos два اثنان اثنين", "three tres три ثلاثة",
          "four cuatro четыре أربعة", "five cinco пять خمسة", "six seis шесть ستة", "seven siete семь سبعة",
          "eight ocho восемь ثمانية", "nine nueve девять تسعة"]
_DIGIT_WORDS = {word: str(digit) for digit, words in enumerate(_WORDS) for word in words.split()}
_STRONG = "|".join(sorted(map(re.escape, _DIGIT_WORDS), key=len, reverse=True))
# One digit of a number: written in any script, or spelled out. A number: digits parted by at most three
# characters that are neither letters nor digits nor line breaks ("9 · 8 · 8", "9/8/8", "1-800-662-4357"; a run
# of spaces is one, as it is drawn).
_TOKEN = re.compile(rf"\d|(?<!\w)(?:{_STRONG})(?!\w)", re.IGNORECASE)
_NUMBER = re.compile(rf"(?:{_TOKEN.pattern})(?:[^\w\n]{{0,3}}(?:{_TOKEN.pattern}))*", re.IGNORECASE)
_WEB = re.compile(r"(?<![\w@.-])(?:https?://)?((?:[\w-]+\.)+[^\W\d_]{2,})(?![\w@-])", re.IGNORECASE)
_MAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,})", re.IGNORECASE)
# Words that say a number is to be called: then it is no year naming a page ("call 1995": Taiwan's Lifeline).
_CALL = re.compile(r"(?<!\w)(?:call|dial|phone|text|ring|hotline|line|llame|llamar|marque|tel[eé]fono|l[ií]nea|"
                   r"звоните|позвоните|наберите|телефон|gọi|điện thoại|اتصل|هاتف)(?!\w)|拨打|致电|电话|热线",
                   re.IGNORECASE)


def as_seen(text: str) -> str:
    """Text as a reader sees it: look-alikes as what they look like (NFKC: full-width and superscript digits; a
    one-dot leader, an ideographic full stop; seventh pass), Chinese numerals as digits, every dash as "-",
    nothing for what draws nothing (zero-width spaces and joiners, a soft hyphen, combining marks: "9\u200b88"
    shows 988, eighth pass), a line or paragraph separator as the space it is drawn as (ninth pass), a run of spaces
    as the one space it is drawn as, and Chinese numbers with 十, 百, 千 as their digits (eleventh pass)."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2024", ".").replace("\u3002", ".").translate(_HAN_DIGITS)
    seen = "".join(_seen_as(ch) for ch in folded if unicodedata.category(ch) not in ("Cf", "Mn", "Me"))
    return numberwords.han(_SPACES.sub(" ", seen))


def _seen_as(ch: str) -> str:
    """One character as a reader takes it: a dash as "-", a line break as a space, any digit sign as its digit
    (dingbat and circled digits, ❾❽❽, which NFKC leaves as they are: twelfth pass)."""
    if unicodedata.category(ch) == "Pd" or ch == "\u2212":
        return "-"
    if ch in "\u2028\u2029":
        return " "
    digit = unicodedata.digit(ch, None)
    return str(digit) if digit is not None and not ch.isascii() else ch


def _spelled_runs(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Runs of number words as the digits they say ("nine eighty-eight" -> "988"), padded with spaces to their
    length so that positions still match the text; and where each run stands."""
    said, spans, at = [], [], 0
    for start, end, digits in numberwords.runs(text):
        said += [text[at:start], digits.ljust(end - start)]
        spans.append((start, end))
        at = end
    return "".join([*said, text[at:]]), spans


def numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """Each number a reader sees in `text` (as seen): where it stands (a spelled-out run whole) and its digits."""
    said, runs = _spelled_runs(text)
    for found in _NUMBER.finditer(said):
        start, end = found.span()
        for run_start, run_end in runs:
            if run_start < end and start < run_end:
                start, end = min(start, run_start), max(end, run_end)
        digits = "".join(_DIGIT_WORDS.get(token.group().lower()) or str(unicodedata.digit(token.group()))
                         for token in _TOKEN.finditer(found.group()))
        yield start, end, digits


def _international(target: str) -> bool:
    """Whether a tel: link dials its number with a country code: tel:+988 is no call to 988 (a crisis line in the
    US; +98 is Iran's code), and tel:15550100 no call to +1 555 0100."""
    from urllib.parse import unquote

    return unquote(target.strip()[len("tel:"):]).lstrip().startswith("+")


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if unicodedata.digit(ch, None) is not None)


def hidden_recipients(target: str) -> str:
    """The first address a mailto: link sends to besides the one it names (`?bcc=`, `?cc=`, `?to=`, a second
    address), or ""."""
    from urllib.parse import parse_qsl, unquote

    address, _, query = target[len("mailto:"):].partition("?")
    others = [a for a in unquote(address).replace(";", ",").split(",")[1:] if a.strip()]
    others += [value for key, value in parse_qsl(query) if key.lower() in ("to", "cc", "bcc") and value.strip()]
    return others[0].strip() if others else ""


def shown_elsewhere(label: str, href: str) -> str:
    """What a link's words show as a destination (a number, a web or e-mail address, anywhere in them) that the
    link does not go to, or "": any number of three digits or more must be the number a tel: link dials; on
    another link only a year may stand (1900-2099, naming a page), and not beside words that say to call it."""
    seen = as_seen(label)
    target = href.strip()
    scheme = target.split(":", 1)[0].lower()
    host = target[len("https://"):].split("/")[0].split("?")[0].split("#")[0].lower() if scheme == "https" else ""
    # The link's own address shown in its words is no other number: [988lifeline.org](https://988lifeline.org/).
    own = [m.span() for m in _WEB.finditer(seen) if host and m.group(1).lower().removeprefix("www.")
           == host.removeprefix("www.")]
    for start, end, digits in numbers(seen):
        if any(left <= start and end <= right for left, right in own):
            continue
        year = len(digits) == 4 and digits[:2] in ("19", "20") and scheme != "tel" and not _CALL.search(seen)
        if len(digits) >= 3 and not year and (scheme != "tel" or digits != _digits(target)
                                               or (seen[start - 1:start] == "+") != _international(target)):
            return f"the number '{seen[max(start - 1, 0):end].strip()}'"
    mails = {m.group(1).lower() for m in _MAIL.finditer(seen)}
    if mails and (scheme != "mailto" or mails != {target[7:].split("?")[0].lower()}):
        return f"the address '{sorted(mails)[0]}'"
    for web in _WEB.finditer(_MAIL.sub(" ", seen)):
        if web.group(1).lower().removeprefix("www.") != host.removeprefix("www."):
            return f"the address '{web.group()}'"
    return ""


class _Piece(Protocol):
    text: str
    href: str
    placeholder: str


def straddling(pieces: Sequence[_Piece]) -> tuple[int, str, str] | None:
    """A number or address the reader sees running across the edge of a link's words (`[98](tel:X)[8](tel:X)`,
    `9[88](tel:X)`, `nine [eight eight](tel:X)`: ninth and tenth passes), as (the piece index of the first link
    it touches, what kind, what is seen); each link alone shows too little to be checked."""
    chars: list[str] = []
    owners: list[int] = []  # per character seen: the index of the link piece holding it, or -1
    for index, piece in enumerate(pieces):
        # A placeholder's value is unknown here: read as a digit, so a link touching a phone number is refused.
        seen = "0" if piece.placeholder else as_seen(piece.text)
        chars.append(seen)
        owners += [index if piece.href else -1] * len(seen)
    text = "".join(chars)
    found = [("number", start, end) for start, end, digits in numbers(text) if len(digits) >= 2]
    found += [("address", m.start(), m.end()) for pattern in (_MAIL, _WEB) for m in pattern.finditer(text)]
    for kind, start, end in found:
        holders = set(owners[start:end])
        if len(holders) > 1:
            return min(holder for holder in holders if holder >= 0), kind, text[start:end].strip()
    return None
