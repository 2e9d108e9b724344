"""What of a text is drawn, and where its lines may break: characters Unicode calls default-ignorable are drawn as
nothing, whatever a font's glyph for them (twenty-second pass: Noto Sans draws a soft hyphen as a hyphen, "2\u00ad5 mg"
printed "2-5 mg"); no-break spaces are never a break (a number grouped with them, "1\u202f000", was broken in two)."""

from __future__ import annotations

import re

from generator.content.parse.fields import IGNORABLE_CLASS

# What right-to-left text keeps until its letters are shaped and put in display order: the joiners steer shaping,
# the marks the bidi algorithm (and rtl.isolate's embeddings, which the algorithm consumes).
SHAPING = "\u200c\u200d\u200e\u200f\u061c\u202a\u202c"
_IGNORABLE = re.compile(f"[{IGNORABLE_CLASS}]+")
_IGNORABLE_UNSHAPED = re.compile(f"(?:(?![{SHAPING}])[{IGNORABLE_CLASS}])+")

NO_BREAK = "\u00a0\u202f\u2007"  # no-break, narrow no-break and figure space: a line never breaks there
# Nor at a space but the plain one between two digits: a thin space groups a number's digits ("1\u2009000", as SI
# writes numbers), and "1" at a line's end with "000 mg" below it reads as another dose.
DIGIT_SPACE = "\u2000-\u200a\u205f\u3000"
CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
# Nor at the one space between a number and its percent, per-mille or degree sign, as Spanish, Russian and
# Vietnamese write them ("77 %", "37 °C"): "(77" at a line's end with "%)" below it reads as a count of 77
# (twenty-fourth pass).
NUMBER_SIGNS = "%\u2030\u2031\u066a\u00b0\u2103\u2109"  # % ‰ ‱ ٪ ° ℃ ℉
_SIGN_SPACE = rf"(?<=\d)[ {DIGIT_SPACE}](?=[{NUMBER_SIGNS}])"
_IN_NUMBER = rf"(?<=\d)[{DIGIT_SPACE}]+(?=\d)|{_SIGN_SPACE}"
SIGN_AFTER = re.compile(rf"[ {DIGIT_SPACE}]?[{NUMBER_SIGNS}]")  # after a number kept whole (textflow._tokens)
_BREAK = rf"(?:(?!(?<=\d)[{DIGIT_SPACE}]+\d|{_SIGN_SPACE})[^\S{NO_BREAK}])+"  # a run of the spaces a line may break at
WORD_TOKENS = re.compile(rf"{_BREAK}|(?:[\S{NO_BREAK}]|{_IN_NUMBER})+")
_BREAKING = re.compile(_BREAK)
# A number in full-width digits, as a Chinese input method types them ("服用１２５０毫克"), is one token: each
# full-width digit is a CJK character a line may otherwise break after, and "服用１" above "２５０毫克" reads as a
# dose of 1 (twenty-third pass). Its sign, decimal point, digit grouping, time or fraction mark and percent sign
# stay with it, and a full-width hyphen between two groups of digits (a hotline, "４００－８８８－８８８８").
# Digits of either width are one number too, joined by either width's point, comma, colon, slash or hyphen, a
# wave dash (a range, "３～５") or a space but the plain one, with its sign after a space: "请服用1．5毫克" broke as
# "请服用1" above "．5毫克", and "约５０ %" dropped its " %" (twenty-sixth pass).
_ANY_DIGITS = "[0-9\uff10-\uff19]+"
_ANY_JOINER = rf"[.,:/\-\uff0e\uff0c\uff1a\uff0f\uff0d\uff5e\u301c]|[{DIGIT_SPACE}]+"  # ． ， ： ／ － ～ 〜
FULL_WIDTH_NUMBER = (rf"[\uff0b\uff0d\u2212+\-]?{_ANY_DIGITS}(?:(?:{_ANY_JOINER}){_ANY_DIGITS})*"
                     rf"(?:[ {DIGIT_SPACE}]?[{NUMBER_SIGNS}\uff05])?")
CJK_TOKENS = re.compile(rf"{_BREAK}|{FULL_WIDTH_NUMBER}|[{CJK_CLASS}]|(?:[^\s{CJK_CLASS}]|[{NO_BREAK}]|{_IN_NUMBER})+")


def drawn(text: str) -> str:
    """`text` as it is drawn: without its default-ignorable characters."""
    return _IGNORABLE.sub("", text)


def unshaped(text: str) -> str:
    """`text` without the default-ignorable characters that neither shaping nor the bidi algorithm reads."""
    return _IGNORABLE_UNSHAPED.sub("", text)


def breaks(token: str) -> bool:
    """Whether a token of WORD_TOKENS or CJK_TOKENS is the space between two words (a line may break there)."""
    return token[:1].isspace() and _BREAKING.fullmatch(token) is not None  # never a space and what follows it
