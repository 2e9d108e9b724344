"""The lead's fixes for the tenth hostile pass's findings on links, YAML line breaks and `init`: the mechanisms
(the pass's own tests, in test_tenth_pass.py, stay as they were written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.linkwords import as_seen, numbers, shown_elsewhere


@pytest.mark.parametrize(("text", "digits"), [
    ("call 9·8·8", ["988"]), ("9 / 8 / 8", ["988"]), ("call…988", ["988"]), ("988Lifeline", ["988"]),
    ("nine 8 8", ["988"]), ("call nine-one-one", ["911"]), ("1-800-662-4357", ["18006624357"]),
    ("take 1.5 tablets, twice", ["15"]), ("trong năm 2023", ["2023"]), ("one or two", ["1", "2"]),
])
def test_a_number_is_read_as_a_reader_reads_it(text: str, digits: list[str]) -> None:
    assert [said for *_, said in numbers(as_seen(text))] == digits


@pytest.mark.parametrize(("words", "href", "shown"), [
    ("call 1995", "https://evil.example/", "1995"),  # a crisis line (Taiwan), not a year naming a page
    ("the 2024 report", "https://example.org/r", ""),
    ("988 Suicide & Crisis Lifeline", "tel:988", ""),
    ("llame al nueve uno uno", "tel:+15550000666", "nueve uno uno"),
])
def test_a_link_shows_only_the_number_it_dials(words: str, href: str, shown: str) -> None:
    assert shown_elsewhere(words, href) == (f"the number '{shown}'" if shown else "")


def test_init_refuses_a_name_leading_through_a_dangling_link_and_writes_nothing(tmp_path: Path) -> None:
    from tests.conftest import run

    (tmp_path / "gone").symlink_to(tmp_path / "nowhere" / "deep")
    result = run("init", tmp_path / "gone" / "a" / ".." / "clinic")
    assert result.exit_code == 1 and "is a link to a place that does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()
