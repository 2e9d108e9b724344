"""The render memos (paragraph layouts, string widths, QR matrices): byte-identical PDFs with and without them,
and a changed text, font, size, weight or width never served from a stale entry."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import memo
from generator.content.markup import Span
from generator.render import fonts, template
from generator.render.styles import TextStyle
from generator.render.textflow import TextFlow
from generator.render.words import LAYOUTS
from tests.conftest import copy_project, run
from tests.helpers import snapshot

STYLE = TextStyle(9.5, 12.6, "#1a1a1a")
TEXT = "Ketamine can raise blood pressure for about an hour; call +1 555 010 0100 if you feel chest pain."


@pytest.fixture
def memos() -> Iterator[None]:
    """Memos on and empty; left on and empty afterwards (as every process starts)."""
    memo.enable(True)
    yield
    memo.enable(True)


def lang_fonts(lang: str) -> fonts.LanguageFonts:
    """A language's fonts; "en-dejavu": English (left to right, words) set in the Arabic family's faces."""
    config = fonts.load_config(template.default_templates())
    if lang == "en-dejavu":
        arabic = config.for_lang("ar")
        return replace(config.for_lang("en"), family=arabic.family, faces=arabic.faces)
    return config.for_lang(lang)


def laid_out(spans: tuple[Span, ...], style: TextStyle, lang: str, width: float) -> list[list[tuple]]:
    """Every line's words: each piece's text, style, link and width."""
    flow = TextFlow(spans, style, lang_fonts(lang))
    flow.wrap(width, 1e6)
    return [[tuple((p.text, p.bold, p.italic, p.href, p.width) for p in word.pieces) for word in line]
            for line in flow._lines]


def fresh(spans: tuple[Span, ...], style: TextStyle, lang: str, width: float) -> list[list[tuple]]:
    """The same, computed with every memo off."""
    memo.enable(False)
    try:
        return laid_out(spans, style, lang, width)
    finally:
        memo.enable(True)


def test_the_same_text_shares_one_layout(memos: None) -> None:
    spans = (Span(TEXT),)
    first = TextFlow(spans, STYLE, lang_fonts("en"))
    second = TextFlow((Span(TEXT),), STYLE, lang_fonts("en"))
    assert first._layout is second._layout and first._words is second._words
    first.wrap(200, 1e6)
    second.wrap(200, 1e6)
    assert first._lines is second._lines  # wrapped once
    assert len(LAYOUTS.entries) == 1


@pytest.mark.parametrize(("change", "spans", "style", "lang", "width"), [
    ("one character of the text", (Span(TEXT.replace("hour", "houR")),), STYLE, "en", 200.0),
    ("a word made bold", (Span(TEXT[:9]), Span(TEXT[9:20], bold=True), Span(TEXT[20:])), STYLE, "en", 200.0),
    ("a word made italic", (Span(TEXT[:9]), Span(TEXT[9:20], italic=True), Span(TEXT[20:])), STYLE, "en", 200.0),
    ("a link", (Span(TEXT[:9]), Span(TEXT[9:20], href="https://example.org"), Span(TEXT[20:])), STYLE, "en",
     200.0),
    ("a substituted value", (Span(TEXT[:60]), Span(TEXT[60:75], value=True), Span(TEXT[75:])), STYLE, "en",
     200.0),
    ("the size", (Span(TEXT),), replace(STYLE, size=12.0), "en", 200.0),
    ("the style's weight", (Span(TEXT),), replace(STYLE, bold=True), "en", 200.0),
    ("the faces (same direction and breaking)", (Span(TEXT),), STYLE, "en-dejavu", 200.0),
    ("the direction (right to left)", (Span(TEXT),), STYLE, "ar", 200.0),
    ("the fonts (Chinese line breaking)", (Span(TEXT),), STYLE, "zh-Hans", 200.0),
    ("the width", (Span(TEXT),), STYLE, "en", 143.5),
])
def test_a_change_is_never_served_from_the_memo(memos: None, change: str, spans: tuple[Span, ...],
                                                 style: TextStyle, lang: str, width: float) -> None:
    before = laid_out((Span(TEXT),), STYLE, "en", 200.0)  # remembered first
    after = laid_out(spans, style, lang, width)
    assert after == fresh(spans, style, lang, width), change
    assert after != before, change  # the change shows (the test could fail)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from("ab cdé,.;:!?-–+0123456789ÿЖ中文"), max_size=40),
                          st.booleans(), st.booleans()), min_size=1, max_size=4),
       st.sampled_from([60.0, 143.5, 200.0, 320.0]), st.sampled_from(["en", "ru", "zh-Hans", "ar"]))
def test_any_text_lays_out_as_without_the_memo(spans: list[tuple[str, bool, bool]], width: float,
                                               lang: str) -> None:
    memo.enable(True)
    made = tuple(Span(text, bold, italic) for text, bold, italic in spans if text)
    laid_out(made, STYLE, lang, width)  # remembered
    assert laid_out(made, STYLE, lang, width) == fresh(made, STYLE, lang, width)


def digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in snapshot(folder).items()
            if name.endswith(".pdf")}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_clinics_in_one_process_are_byte_identical_to_each_built_alone_without_memos(tmp_path: Path,
                                                                                        jobs: str) -> None:
    """Clinic B's shared text is laid out from the memo clinic A filled (in this process with -j 1; with -j 2
    in workers that keep their memos from one clinic to the next); built alone with every memo off, each
    clinic's PDFs have the same SHA-256."""
    roots = []
    for name, phone in (("a", "+1 555 010 0111"), ("b", "+1 555 010 0222")):
        root = copy_project(tmp_path / name)
        settings_file = root / "handouts.yaml"
        text = settings_file.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^  name: .*$", f"  name: Clinic {name.upper()} of the memo test", text)
        settings_file.write_text(re.sub(r"(?m)^  phone: .*$", f'  phone: "{phone}"', text), encoding="utf-8")
        roots.append(root)
    memo.enable(True)
    together = run("build", "-j", jobs, "--lang", "en", "--lang", "ar", "--out", tmp_path / "together",
                   *[part for root in roots for part in ("--project", root)])
    assert together.exit_code == 0, together.output
    assert jobs != "1" or len(LAYOUTS.entries) > 100  # the memo was in use
    memo.enable(False)
    try:
        for root in roots:
            alone = run("build", "-j", "1", "--lang", "en", "--lang", "ar", "--project", root, "--force",
                        "--out", tmp_path / "alone" / root.name)
            assert alone.exit_code == 0, alone.output
    finally:
        memo.enable(True)
    for root in roots:
        with_memo, without = digests(tmp_path / "together" / root.name), digests(tmp_path / "alone" / root.name)
        assert with_memo == without and len(with_memo) >= 10
    assert digests(tmp_path / "together" / "a") != digests(tmp_path / "together" / "b")  # the clinics differ

