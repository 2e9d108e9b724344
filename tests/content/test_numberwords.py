"""Numbers said in words are read as the digits a reader hears (content/numberwords.py)."""

from __future__ import annotations

import pytest

from generator.content.numberwords import han, runs


@pytest.mark.parametrize(("words", "digits"), [
    ("nine eighty-eight", "988"), ("nine hundred eighty-eight", "988"), ("nine double eight", "988"),
    ("one eight hundred", "1800"), ("nine oh eight", "908"), ("twenty four seven", "247"),
    ("nueve ochenta y ocho", "988"), ("mil novecientos noventa y cinco", "1995"),
    ("девятьсот восемьдесят восемь", "988"), ("تسعمائة وثمانية وثمانون", "988"), ("ثمانية وثمانون", "88"),
    ("chín trăm tám mươi tám", "988"), ("chín, tám, tám", "988"), ("chín/tám/tám", "988"),
])
def test_a_run_of_number_words_says_its_digits(words: str, digits: str) -> None:
    assert [said for _, _, said in runs(words)] == [digits]


@pytest.mark.parametrize("text", ["Take one tablet", "one or two", "năm 2023", "Do not drive"])
def test_a_single_digit_word_or_an_everyday_word_is_no_run(text: str) -> None:
    assert list(runs(text)) == []


def test_chinese_tens_hundreds_and_thousands_are_digits() -> None:
    assert [han(text) for text in ("9百8十8", "十8", "1千9百9十5", "十")] == ["988", "18", "1995", "10"]


def test_financial_tens_and_hundreds_are_digits_too() -> None:
    """玖佰捌拾捌 (988 in financial numerals, the digits already read as 9 and 8): twelfth pass."""
    assert han("9佰8拾8") == "988"


def test_dingbat_and_circled_digits_are_seen_as_digits() -> None:
    from generator.content.linkwords import as_seen, shown_elsewhere

    assert as_seen("call ❾❽❽ or ⑨⑧⑧") == "call 988 or 988"
    assert shown_elsewhere("call ❾❽❽", "tel:+15550000666") == "the number '988'"
