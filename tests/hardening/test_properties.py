"""Property-based tests: any text in any content field renders with its text recovered from the PDF, or
`check` refuses it with `path:line:col`; never a traceback, never a footer pushed off the page.

Each example copies the tiny project (tests/hardening/tiny_project), writes generated text into one field, runs the
CLI in-process (CliRunner, catch_exceptions=False: any exception fails the test) and judges the outcome:

* refused: exit 1, every message line `path:line:col: ...`, one of them at the field's own line, nothing written;
* accepted: `build` succeeds and the field's visible text (markup applied, placeholders filled) is in the PDF's
  text, whitespace aside; for unquoted text, what YAML read is exactly what was typed (nothing dropped).

Two encodings of each text: double-quoted with escapes (the exact text reaches the generator) and unquoted on
one line, as a careless translator types it (then PyYAML, not the generator, says what the value is).

Runs are derandomized with a fixed number of examples so CI is repeatable and bounded; for a deeper search
run `HYPOTHESIS_PROFILE=deep pytest tests/hardening/test_properties.py`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build import render_one
from generator.content.markup import parse
from generator.content.model import Unit
from generator.content.problems import Loc
from generator.content.project import load_or_raise
from generator.render.localize import resolve
from tests.conftest import REPO, run
from tests.hardening.hostile import (
    HANDOUT,
    LOWEST_TEXT,
    SETTINGS,
    UI,
    all_text,
    assert_consistent,
    lowest_text,
    no_traceback,
    positioned_errors,
    set_scalar,
    squeeze,
    text_over_footer,
    tiny_copy,
    yaml_quoted,
)
from tests.helpers import arabic_found, body_text, normalise, pdf_text, snapshot

settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=400, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

VALUES = {"clinic.name": "Tiny Test Clinic", "clinic.phone": "+1 555 010 0100", "clinic.address": "1 Test Street",
          "clinic.website": "https://clinic.example.org", "fact.crisis_line": "988"}


@dataclass(frozen=True)
class Field:
    """Where a field is written in the tiny project, and how its text is printed."""

    file: str
    written: str  # the field as written, key included, so the replacement is unique
    key: str  # what precedes the value in `written`
    path: tuple[str | int, ...]  # where PyYAML finds the value
    markup: bool = True  # content and UI text is markup; clinic settings are printed as they are


FIELDS = {
    "title": Field(HANDOUT, 'title: "A tiny handout"', "title: ", ("title",)),
    "summary": Field(HANDOUT, 'summary: "What this tiny handout is for."', "summary: ", ("summary",)),
    "paragraph": Field(HANDOUT, 'text: "An introduction."', "text: ", ("sections", 0, "blocks", 0, "text")),
    "subheading": Field(HANDOUT, 'text: "More to know"', "text: ", ("sections", 0, "blocks", 1, "text")),
    "list item": Field(HANDOUT, 'text: "The first point."', "text: ",
                       ("sections", 0, "blocks", 2, "items", 0, "text")),
    "checklist item": Field(HANDOUT, 'text: "Arrange a ride home."', "text: ",
                            ("sections", 0, "blocks", 3, "items", 0, "text")),
    "table cell": Field(HANDOUT, 'answer: "Within hours"', "answer: ",
                        ("sections", 0, "blocks", 4, "rows", 0, "cells", "answer")),
    "UI heading": Field(UI, "section.safety: Safety", "section.safety: ", ("strings", "section.safety")),
    "UI footer line": Field(UI, "disclaimer.short: General information only.", "disclaimer.short: ",
                            ("strings", "disclaimer.short")),
    "clinic name": Field(SETTINGS, "name: Tiny Test Clinic", "name: ", ("clinic", "name"), markup=False),
    "clinic phone": Field(SETTINGS, 'phone: "+1 555 010 0100"', "phone: ", ("clinic", "phone"), markup=False),
}

# Characters that break naive generators: markup, YAML indicators, bidi and zero-width controls, combining
# marks, right-to-left letters, emoji, control characters, odd spaces, a byte-order mark, a line separator.
SPECIAL = list("<>&*[](){}\\\"'#:!%@`|-?,/=;.~^$") + [
    "\u200b", "\u200c", "\u200d", "\u2060", "\u202e", "\u2066", "\u200f", "\u0301", "\u0651", "\u064b",
    "\u05d0", "\u0627", "\u4e2d", "\U0001f48a", "\u00a0", "\u3000", "\t", "\n", "\r", "\x07", "\x00",
    "\x1b", "\ufeff", "\u2028", "\u00ad", "\ufffd", "\U000e0001", "\ue000",
]
FRAGMENTS = [
    "**bold**", "*it*", "[link](https://example.org/a?b=1)", "[bad](javascript:alert(1))", "[f](file:///etc/x)",
    "{clinic.phone}", "{clinic.name}", "{fact.crisis_line}", "{clinic.__class__}", "{{ 7*7 }}", "{% if 1 %}",
    "<img src=/etc/hosts>", "<b>", "</para>", "<font name=x>", "&amp;", "&#0;", "\\*", "\\[", "\\{", "\\\\",
    "<onDraw name=x/>", "%s%n", "${HOME}", "../../etc/passwd",
]
characters = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(SPECIAL),
    st.characters(exclude_categories=["Cs"]),  # anything else Unicode has, unpaired surrogates aside
)
texts = st.one_of(
    st.text(characters, min_size=1, max_size=40),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(characters, max_size=8)), min_size=1, max_size=6)
    .map("".join),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=120, max_size=900),  # one very long word
)


def visible(text: str, markup: bool) -> str:
    """What a reader should see: markup applied, placeholders filled (the generator's own documented rules)."""
    if not markup:
        return text
    spans, _ = parse(text)
    return resolve(Unit("x", text, spans, Loc("x")), VALUES).plain


def yaml_value(source: str, path: tuple[str | int, ...]) -> str | None:
    """What PyYAML reads at `path`, if it reads the file at all and finds text there."""
    try:
        node = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for step in path:
            if isinstance(step, int):
                node = node.value[step]
            else:
                node = next(v for k, v in node.value if k.value == step)
    except Exception:  # noqa: BLE001 - the oracle only needs to know whether YAML reads a text here
        return None
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        return None
    return node.value


def recovered(shown: str, pdf: Path) -> bool:
    """Every character of `shown` is in the PDF: in one run, or — for a text taller than a page, or a table cell
    whose lines interleave with its neighbours' in extraction — at least as often as it was written."""
    if squeeze(shown) in squeeze(all_text(pdf)) or squeeze(shown) in squeeze(body_text(pdf)):
        return True
    return not Counter(squeeze(shown)) - Counter(squeeze(all_text(pdf)))


def judge(field: Field, text: str, quoted: bool, check_text: Callable[[Path, str], None] | None = None,
          project: Callable[[Path], Path] = lambda d: tiny_copy(d / "p")) -> None:
    """Write `text` into the field of a fresh project and check the outcome against the property."""
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        root = project(folder)
        encoded = yaml_quoted(text) if quoted else text
        line = set_scalar(root, field.file, field.written, field.key + encoded)
        value = text if quoted else yaml_value((root / field.file).read_text(encoding="utf-8"), field.path)
        checked = run("check", "--project", root)
        no_traceback(checked)
        if checked.exit_code != 0:
            assert checked.exit_code == 1, checked.output
            errors = positioned_errors(checked.stderr)
            lines = {int(m["line"]) for m in errors if m["path"] == field.file}
            # Quoted text is one whole line: its problems are on it. Unquoted text can break the YAML, which
            # the parser may only notice on the next line.
            assert lines & ({line} if quoted else {line, line + 1, line + 2}), (checked.stderr, line)
            assert not (root / "output").exists()
            return
        assert value is not None, "check accepted text that YAML does not read as text"
        typed = text.strip(" \t")  # what YAML itself trims around unquoted text
        if not quoted and typed[:1] not in ("'", '"'):
            assert value == typed, f"YAML changed the text: {value!r}"
        before = snapshot(root / "output")
        built = run("build", "--project", root, "-j", "1")
        no_traceback(built)
        assert built.exit_code == 0, built.output
        assert snapshot(root / "output") != before
        pdf = next((root / "output").rglob("*.pdf")) if check_text is None else root / "output"
        shown = visible(unicodedata.normalize("NFC", value), field.markup)
        if check_text is not None:
            check_text(pdf, shown)
            return
        assert recovered(shown, pdf), (shown, all_text(pdf))
        assert lowest_text(pdf) >= LOWEST_TEXT, "a footer line wrapped towards the paper's edge"
        assert not text_over_footer(pdf), "body text ran over the footer"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", list(FIELDS))
@given(text=texts, quoted=st.booleans())
@example(text="Take it with food #important", quoted=False)  # a comment would cut the text short
@example(text="&home Arrange a ride", quoted=False)  # an anchor would eat the first word
@example(text="! Warning", quoted=False)  # a tag would eat the '!'
@example(text="Tab\vfrom a word processor", quoted=False)  # a raw control character in the file
@example(text="x" * 3000, quoted=True)  # a very long word
@example(text="\u202e12 tablets \U0001f48a <img src=x> {{ 7*7 }}", quoted=True)
def test_any_text_in_any_field_renders_or_is_refused_with_its_position(name: str, text: str, quoted: bool) -> None:
    field = FIELDS[name]
    if not quoted:  # unquoted text is typed on one line; a line break is a different file structure
        text = "".join(ch for ch in text if ch not in "\r\n\x85\u2028\u2029") or "x"
    judge(field, text, quoted)


# -- right-to-left and Chinese ---------------------------------------------------------------------
def with_language(lang: str) -> Callable[[Path], Path]:
    """The tiny project with a second language whose files are copies of the English ones."""
    def make(folder: Path) -> Path:
        root = tiny_copy(folder / "p")
        (root / "content" / lang).mkdir()
        for name in ("tiny.yaml", "ui.yaml"):
            text = (root / "content" / "en" / name).read_text(encoding="utf-8")
            (root / "content" / lang / name).write_text(text.replace("lang: en", f"lang: {lang}"),
                                                      encoding="utf-8")
        settings_file = root / SETTINGS
        settings_file.write_text(settings_file.read_text(encoding="utf-8").replace("  - en\n", f"  - en\n  - {lang}\n"),
                                 encoding="utf-8")
        # Record, as a translator would, that every unit was translated from the current English text.
        result = run("translate", "done", lang, "--all", "--project", root)
        assert result.exit_code == 0, result.output
        return root
    return make


ARABIC = st.lists(st.one_of(st.characters(min_codepoint=0x0621, max_codepoint=0x064A),
                            st.sampled_from(list(" ،؟.0123456789٠١٢٣()[]*{}<>&\u064b\u064e\u0651\u0670ـ") +
                                            ["{clinic.phone}", "\u202e", "\u200f", "abc", "**x**"])),
                  min_size=1, max_size=40).map("".join)
CHINESE = st.lists(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF),
                             st.sampled_from(list("，。、；：！？（）《》“”…—·　 0123456789abcXYZ*[]{}<>&") +
                                             ["{clinic.phone}", "\u202e", "\U0001f48a", "\u3400", "**粗**"])),
                   min_size=1, max_size=40).map("".join)


def arabic_recovered(out: Path, shown: str) -> None:
    text = pdf_text(out / "ar" / "tiny.pdf", "ar")  # presentation forms folded back (NFKC), logical order
    assert arabic_found(normalise(shown, "ar"), text), (shown, text)


def chinese_recovered(out: Path, shown: str) -> None:
    pdf = out / "zh-Hans" / "tiny.pdf"
    assert recovered(shown, pdf), (shown, all_text(pdf))
    assert lowest_text(pdf) >= LOWEST_TEXT


@given(text=ARABIC)
def test_arabic_text_renders_or_is_refused(text: str) -> None:
    field = Field("content/ar/tiny.yaml", 'text: "An introduction."', "text: ", ())
    judge(field, text, True, arabic_recovered, with_language("ar"))


@given(text=CHINESE)
def test_chinese_text_renders_or_is_refused(text: str) -> None:
    field = Field("content/zh-Hans/tiny.yaml", 'title: "A tiny handout"', "title: ", ())
    judge(field, text, True, chinese_recovered, with_language("zh-Hans"))


@pytest.mark.parametrize(("lang", "word"), [("en", "Wordy "), ("zh-Hans", "标题"), ("ar", "عنوان ")])
def test_a_title_of_any_length_keeps_every_footer_line_on_one_line(lang: str, word: str, tmp_path: Path) -> None:
    """`check` accepts any title length (the footer shortens it with an ellipsis), and the laid-out footer keeps
    its three lines on every page, on the paper, with the title shortened only when it must be."""
    from tests.render.pages import pages

    root = tiny_copy(tmp_path / "p") if lang == "en" else with_language(lang)(tmp_path)
    path = root / "content" / lang / "tiny.yaml"
    original = path.read_text(encoding="utf-8")
    for count in (1, 12, 40, 120):
        title = yaml_quoted((word * count).strip())
        path.write_text(original.replace('title: "A tiny handout"', f"title: {title}", 1), encoding="utf-8")
        result = run("check", "--project", root)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
        project, _ = load_or_raise(root)
        pdf = tmp_path / f"{count}.pdf"
        pdf.write_bytes(render_one(project, root, "tiny", lang, "a4", date.today()).data)
        assert lowest_text(pdf) >= LOWEST_TEXT
        footers = [page.footer for page in pages(pdf)]
        assert all(len(footer) == 3 for footer in footers), (count, [len(f) for f in footers])
        assert ("…" in footers[0][0].text) == (count >= 40), (count, footers[0][0].text)


# -- a careless translator's edits to the shipped content ---------------------------------------------------
SHIPPED = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.yaml"))
EDITS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "duplicate line", "drop line", "indent", "dedent"]),
                           st.floats(0, 1), st.one_of(st.sampled_from(FRAGMENTS + SPECIAL), st.text(characters,
                                                                                                 max_size=3))),
                 min_size=1, max_size=3)


def edited(text: str, edits: list[tuple[str, float, str]]) -> str:
    """`text` after a few slips: a character or fragment typed, deleted, a line doubled or lost, indentation off."""
    for kind, where, typed in edits:
        at = int(where * len(text))
        lines = text.split("\n")
        line = min(int(where * len(lines)), len(lines) - 1)
        if kind == "insert":
            text = text[:at] + typed + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1 + len(typed) % 4:]
        elif kind == "duplicate line":
            text = "\n".join(lines[: line + 1] + lines[line:])
        elif kind == "drop line":
            text = "\n".join(lines[:line] + lines[line + 1:])
        elif kind == "indent":
            text = "\n".join(lines[:line] + [" " + lines[line]] + lines[line + 1:])
        else:
            text = "\n".join(lines[:line] + [lines[line][1:]] + lines[line + 1:])
    return text


@given(file=st.sampled_from(SHIPPED), edits=EDITS)
def test_a_careless_edit_to_shipped_content_is_caught_or_harmless(file: str, edits: list[tuple[str, float, str]]
                                                                  ) -> None:
    folder = Path(tempfile.mkdtemp(prefix="edit-"))
    try:
        parts = Path(file).parts
        lang = parts[1] if len(parts) == 3 else "en"
        root = folder / "p"  # the edited language and the source language only: enough, and quick
        for name in dict.fromkeys(["en", lang]):
            shutil.copytree(REPO / "content" / name, root / "content" / name)
        shutil.copy(REPO / "content" / "facts.yaml", root / "content" / "facts.yaml")
        text = (REPO / SETTINGS).read_text(encoding="utf-8")
        start = text.index("languages:")
        (root / SETTINGS).write_text(text[:start] + f"languages: [{', '.join(dict.fromkeys(['en', lang]))}]\n",
                                     encoding="utf-8")
        path = root / file
        path.write_text(edited(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
        checked = run("check", "--project", root)
        no_traceback(checked)
        if checked.exit_code != 0:
            assert checked.exit_code == 1, checked.output
            errors = positioned_errors(checked.stderr) if ":" in checked.stderr.split("\n", 1)[0] else []
            assert errors or checked.stderr.startswith("error: "), checked.stderr
            return
        args = ["--lang", lang] + ([parts[2].removesuffix(".yaml")] if len(parts) == 3 and parts[2] != "ui.yaml"
                                   else [])
        built = run("build", "--project", root, "-j", "1", *args)
        no_traceback(built)
        assert built.exit_code == 0, built.output
        assert_consistent(root / "output")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
