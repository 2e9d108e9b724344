"""Numbers said in words, as a reader hears them, in the shipped languages: "nine eighty-eight", "nine hundred
eighty-eight", "nine double eight", "nueve ochenta y ocho", "девятьсот восемьдесят восемь", "chín trăm tám mươi
tám", "九百八十八" each say 988 (eleventh pass: only digits spelled one by one were read, so a link could say
"call nine eighty-eight" and dial another number).

A run of number words is read group by group, as people say phone numbers: a group is a unit, a teen, tens
(with a unit after them, or after a connector in Arabic's unit-before-tens order), hundreds and thousands; a new
group starts where the words cannot continue the one before ("nine eighty" is 9 then 80: "980").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UNITS = ["zero cero ноль صفر không linh lẻ oh", "one uno un una один одна واحد một", "two dos два две اثنان اثنين hai",
          "three tres три ثلاثة ba", "four cuatro четыре أربعة bốn", "five cinco пять خمسة năm lăm",
          "six seis шесть ستة sáu", "seven siete семь سبعة bảy", "eight ocho восемь ثمانية tám",
          "nine nueve девять تسعة chín"]
_TEENS = {**dict.fromkeys(["ten", "diez", "десять", "عشرة", "mười"], 10),
          **{w: 11 + i for i, w in enumerate("eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                             "nineteen".split())},
          **{w: 11 + i for i, w in enumerate("once doce trece catorce quince dieciséis diecisiete dieciocho "
                                             "diecinueve".split())},
          "dieciseis": 16,
          **{w: 11 + i for i, w in enumerate("одиннадцать двенадцать тринадцать четырнадцать пятнадцать "
                                             "шестнадцать семнадцать восемнадцать девятнадцать".split())},
          **{w: 21 + i for i, w in enumerate("veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
                                             "veintisiete veintiocho veintinueve".split())}}
_TENS = {**{w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())},
         **{w: 20 + 10 * i for i, w in enumerate("veinte treinta cuarenta cincuenta sesenta setenta ochenta "
                                                 "noventa".split())},
         **{w: 20 + 10 * i for i, w in enumerate("двадцать тридцать сорок пятьдесят шестьдесят семьдесят "
                                                 "восемьдесят девяносто".split())},
         **{w: 20 + 10 * i for i, w in enumerate("عشرون ثلاثون أربعون خمسون ستون سبعون ثمانون تسعون".split())},
         **{w: 20 + 10 * i for i, w in enumerate("عشرين ثلاثين أربعين خمسين ستين سبعين ثمانين تسعين".split())}}
_HUNDREDS = {**dict.fromkeys(["cien", "ciento", "сто", "مائة", "مئة"], 100),
             **{w: 200 + 100 * i for i, w in enumerate("doscientos trescientos cuatrocientos quinientos seiscientos "
                                                       "setecientos ochocientos novecientos".split())},
             **{w: 200 + 100 * i for i, w in enumerate("двести триста четыреста пятьсот шестьсот семьсот восемьсот "
                                                       "девятьсот".split())},
             **{f"{u}{h}": 300 + 100 * i for h in ("مائة", "مئة")
                for i, u in enumerate("ثلاث أربع خمس ست سبع ثمان تسع".split())},
             "مائتان": 200, "مئتان": 200}
_TIMES = {**dict.fromkeys(["hundred", "trăm"], 100), **dict.fromkeys(["thousand", "mil", "тысяча", "тысячи", "тысяч",
                                                                       "nghìn", "ngàn", "ألف"], 1000)}
_TENS_OF = {"mươi"}  # Vietnamese: "tám mươi" is eighty
_REPEAT = {"double": 2, "triple": 3}
_AND = {"and", "y", "и", "و"}

WORDS: dict[str, tuple[str, int]] = {
    **{w: ("unit", digit) for digit, words in enumerate(_UNITS) for w in words.split()},
    **{w: ("teen", n) for w, n in _TEENS.items()}, **{w: ("tens", n) for w, n in _TENS.items()},
    **{w: ("hundreds", n) for w, n in _HUNDREDS.items()}, **{w: ("times", n) for w, n in _TIMES.items()},
    **{w: ("tens-of", 10) for w in _TENS_OF}, **{w: ("repeat", n) for w, n in _REPEAT.items()},
    **{w: ("and", 0) for w in _AND},
}
_ALL = "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
_WORD = rf"(?:و(?=\w))?(?:{_ALL})"  # Arabic writes "and" as a prefix: وثمانون
# A run: number words parted by spaces, hyphens, commas, slashes or dots (a reader's pauses).
RUN = re.compile(rf"(?<!\w){_WORD}(?:[\s\-,/.\u00b7]+{_WORD})*(?!\w)", re.IGNORECASE)
_SPLIT = re.compile(rf"{_WORD}", re.IGNORECASE)
_HAN = re.compile(r"[0-9十百千]*[十百千][0-9十百千]*")
# The financial numerals' ten, hundred and thousand (玖佰捌拾捌 says 988: twelfth pass).
_FINANCIAL = str.maketrans("拾佰仟", "十百千")


def words_of(run: str) -> list[str]:
    """The number words of a run, lower case, an Arabic "and" prefix as a word of its own."""
    found = []
    for match in _SPLIT.finditer(run):
        word = match.group().lower()
        if word.startswith("و") and word not in WORDS:
            found += ["و", word[1:]]
        else:
            found.append(word)
    return found


def said(words: list[str]) -> str:
    """The digits a run of number words says, group by group ("nine eighty-eight" -> "988")."""
    out: list[str] = []
    group: int | None = None
    last = ""  # the kind of the word before, within the group
    repeat = 1
    joined = False  # a connector ("and", "y", "و") came after the group's last word

    def flush() -> None:
        nonlocal group, last
        if group is not None:
            out.append(str(group))
        group, last = None, ""

    for word in words:
        kind, value = WORDS[word]
        if kind == "and":
            joined = True
            continue
        if kind == "repeat":
            flush()
            repeat = value
            continue
        if repeat > 1 and kind == "unit":
            out.append(str(value) * repeat)
            repeat, joined = 1, False
            continue
        if group is not None and _continues(kind, last, group, joined):
            group += value
        elif kind in ("teen", "tens", "unit", "hundreds"):
            flush()
            group = value
        elif kind == "times":
            group = (group if group is not None and last in ("unit", "teen", "tens") else 1) * value
        elif kind == "tens-of" and group is not None and last == "unit":
            group += (group % 10) * 9
            kind = "tens"
        last, joined = kind, False
    flush()
    return "".join(out)


def _continues(kind: str, last: str, group: int, joined: bool) -> bool:
    """Whether a word of `kind` adds to the group before it: a unit after tens or hundreds ("eighty-eight", "nine
    hundred eight"), tens after hundreds, a unit's tens after "and" (Arabic: ثمانية وثمانون, eight and eighty)."""
    if kind == "unit":
        return last in ("tens", "hundreds", "times") and group % 10 == 0 and (last != "times" or group % 100 == 0)
    if kind in ("teen", "tens"):
        return (last in ("hundreds", "times") and group % 100 == 0) or (joined and last == "unit" and group % 100 < 10)
    return kind == "hundreds" and last == "times" and group % 1000 == 0


def runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Each run of two or more number words in `text` (or one word that is more than a digit: "eighty"), with
    where it stands and the digits it says; single digit words are left to the caller."""
    for match in RUN.finditer(text):
        words = words_of(match.group())
        kinds = [WORDS[word][0] for word in words]
        if len([k for k in kinds if k != "and"]) >= 2 or any(k not in ("unit", "and") for k in kinds):
            digits = said(words)
            if digits:
                yield match.start(), match.end(), digits


def han(text: str) -> str:
    """Chinese numbers written with 十, 百, 千 as their digits (Han digits already read as 0-9): 9百8十8 -> 988."""
    def value(match: re.Match[str]) -> str:
        total, unit = 0, None
        for ch in match.group():
            if ch.isdigit():
                unit = int(ch) if unit is None else unit * 10 + int(ch)
                continue
            total += (1 if unit is None else unit) * {"十": 10, "百": 100, "千": 1000}[ch]
            unit = None
        return str(total + (unit or 0))
    return _HAN.sub(value, text.translate(_FINANCIAL))
