"""The lead's fixes for the ninth hostile pass's findings on links, the desk and --watch, and `init`: the
mechanisms, each on its own (the pass's own tests, in test_ninth_pass.py, stay as they were written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.markup import parse


@pytest.mark.parametrize("text", [
    "[1](tel:+15550000666)[2](tel:+15550000666)[3](tel:+15550000666)",  # one digit per link
    "Call 9\u200b[88](tel:+15550000666).",  # an invisible character between: still one number as seen
    "Call {clinic.phone}[8](tel:+15550000666).",  # a value glued to a link (unknown here: read as a digit)
    "Write to help@[clinic.example.org](https://evil.example/).",
    "[help](mailto:spy@evil.example)@clinic.example.org",
])
def test_a_number_or_address_across_a_link_s_edge_is_refused(text: str) -> None:
    errors = [error.message for error in parse(text)[1]]
    assert any("runs across the edge of a link's words" in message for message in errors), (text, errors)


@pytest.mark.parametrize("text", [
    "Call [988](tel:988) now, or 911.",
    "[the 2024 report](https://example.org/r), 5 pages",
    "Call {clinic.phone} or [visit us](https://example.org).",
    "[Call us](tel:+15550100100) 24 hours a day.",
])
def test_a_link_beside_a_separate_number_is_not_refused(text: str) -> None:
    assert parse(text)[1] == (), text


def test_a_line_separator_in_a_link_is_read_as_the_space_it_prints() -> None:
    messages = [error.message for error in parse("Call [98\u20298](tel:+15550000666) now.")[1]]
    assert messages == ["the link shows the number '98 8' but goes to 'tel:+15550000666'"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_check_refuses_a_line_or_paragraph_separator_anywhere_in_content(tmp_path: Path, separator: str) -> None:
    from tests.conftest import run
    from tests.hardening.hostile import tiny_copy

    project = tiny_copy(tmp_path / "project")
    path = project / "content/en/tiny.yaml"
    escaped = "\\u2028" if separator == "\u2028" else "\\u2029"
    path.write_text(path.read_text(encoding="utf-8").replace('"An introduction."', f'"An{escaped}introduction."'),
                    encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"line or paragraph separator U+{ord(separator):04X} in text" in result.stderr


def test_watch_and_the_desk_look_at_the_files_the_load_reads_through_a_linked_language_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A language folder linked to another folder of the project is loaded; --watch's file list and the desk's
    signature hold its files (and no file a link outside the project leads to)."""
    import os
    import time

    from generator.incremental import input_files
    from generator.serve import catalog
    from tests.hardening.hostile import tiny_copy

    monkeypatch.setattr(catalog, "RACY_SECONDS", 0)  # files made a moment ago count as settled here

    project = tiny_copy(tmp_path / "project")
    (project / "master").mkdir()
    os.rename(project / "content/en", project / "master/en")
    (project / "content/en").symlink_to("../master/en")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("x: 1\n", encoding="utf-8")
    (project / "content/es").mkdir(exist_ok=True)
    (project / "content/es/away").symlink_to(outside)
    files = {path.name for path in input_files(project)}
    assert "tiny.yaml" in files and "secret.yaml" not in files
    signature = catalog._signature(project, time.monotonic() + 10) or ()
    names = {Path(entry[0]).name for entry in signature}
    assert "tiny.yaml" in names and "secret.yaml" not in names


@pytest.mark.parametrize("target", ["dangling", "empty-folder"])
def test_init_refuses_a_link_and_writes_nothing(tmp_path: Path, target: str) -> None:
    from tests.conftest import run

    outside = tmp_path / "elsewhere"
    if target == "empty-folder":
        outside.mkdir()
    link = tmp_path / "clinic"
    link.symlink_to(outside)
    result = run("init", link)
    assert result.exit_code == 1 and "is a link" in result.stderr and "Traceback" not in result.output
    assert link.is_symlink() and (not outside.exists() or not any(outside.iterdir()))


def test_a_many_clinics_build_refuses_a_dangling_link_in_the_named_output_folder(tmp_path: Path) -> None:
    from tests.conftest import run
    from tests.hardening.hostile import tiny_copy

    roots = [tiny_copy(tmp_path / "clinics" / name) for name in ("A", "B")]
    out = tmp_path / "X"
    out.mkdir()
    (out / "B").symlink_to(tmp_path / "gone" / "B")
    result = run("build", "-j", "1", "--project", roots[0], "--project", roots[1], "--out", out)
    assert result.exit_code == 1 and "is a link, not a folder of its own" in result.stderr, result.output
    assert not (tmp_path / "gone").exists() and sorted(p.name for p in out.iterdir()) == ["B"]


@pytest.mark.parametrize("breaks", ["\u2028", "\u2029\u2029", "\x85", "\r"])
def test_a_break_only_yaml_sees_is_refused_where_an_editor_shows_it(tmp_path: Path, breaks: str) -> None:
    """YAML counts NEL, U+2028, U+2029 (and a lone CR in an LF file) as line breaks, editors do not: the file is
    refused at the break, at the line and column an editor shows, with that line quoted."""
    from generator.content.problems import Problems, excerpt
    from generator.content.yamlread import read

    (tmp_path / "a.yaml").write_bytes(f"a: 1\n# x{breaks}b: 2\nc: 3\n".encode())
    problems = Problems()
    read(tmp_path / "a.yaml", "a.yaml", problems)
    [error] = problems.errors
    assert (error.loc.line, error.loc.col) == (2, 4) and "YAML ends a line there" in error.message
    assert excerpt(error, str(tmp_path))[0].startswith("    2 | # x")


@pytest.mark.parametrize(("words", "number"), [
    ("[Llame al nueve uno uno](tel:+15550000666)", "911"), ("[Позвоните один один два](tel:+75550000666)", "112"),
    ("[gọi chín một một](tel:+15550000666)", "911"), ("[拨打壹壹零](tel:+15550000666)", "110"),
])
def test_a_link_s_words_spelling_out_another_number_are_refused(words: str, number: str) -> None:
    from generator.content.linkwords import as_seen, numbers

    [message] = [error.message for error in parse(words)[1]]
    target = words.split("](")[1][:-1]
    assert message.startswith("the link shows the number '") and message.endswith(f"goes to '{target}'")
    assert [digits for *_, digits in numbers(as_seen(words.split("](")[0]))] == [number]


@pytest.mark.parametrize("words", ["[one or two doses](https://example.org)", "[call nine-one-one](tel:911)",
                                   "[两次](https://example.org)"])
def test_a_link_s_words_with_number_words_that_are_no_number_pass(words: str) -> None:
    assert parse(words)[1] == ()


def test_sync_lists_every_value_of_the_translator_s_it_replaces_with_the_source_s() -> None:
    from ruamel.yaml import YAML

    from generator.translators.reshape import Dropped, described, reconcile

    yaml = YAML()
    source = yaml.load("sources:\n  - id: a\n    url: https://example.org/\n    checked: '2026-01-01'\n")
    target = yaml.load("sources:\n  - id: a\n    url: https://example.org/es/\n    checked: '2026-01-01'\n")
    dropped: list[Dropped] = []
    reconcile(source, target, dropped=dropped)
    assert target["sources"][0]["url"] == "https://example.org/"
    lines = described("content/es/x.yaml", dropped, set())
    assert lines == ["content/es/x.yaml:3: sources › a › url (replaced by the source's value "
                     "'https://example.org/'; it held: https://example.org/es/)"]


@pytest.mark.parametrize("line", ['text: "Say \\"no\\" to alcohol.', '- "a \\"b\\" \\"c',
                                  'x: "\\""  # ok\ny: "\\"open'])
def test_an_unclosed_quote_is_found_after_escaped_quotes_at_the_file_s_column(tmp_path: Path, line: str) -> None:
    from generator.content.problems import Problems
    from generator.content.yamlread import read

    path = tmp_path / "a.yaml"
    path.write_text(f"a: 1\n{line}\nb: 2\n", encoding="utf-8")
    problems = Problems()
    read(path, "a.yaml", problems)
    [error] = problems.errors
    last = line.split("\n")[-1]
    assert "a quoted text is never closed" in error.message
    assert (error.loc.line, error.loc.col) == (1 + len(line.split("\n")), last.index('"') + 1), error


def test_a_note_above_an_entry_lost_with_the_entry_before_it_is_put_back_above_its_own() -> None:
    from generator.content.yamlcomments import follow_entries

    old = ("blocks:\n  - paragraph: intro\n    text: a\n  # note on more\n  - subheading: more\n    text: b\n")
    new = "blocks:\n  - subheading: more\n    text: b\n"  # what the round trip wrote: the note went with intro
    assert follow_entries(old, new) == "blocks:\n  # note on more\n  - subheading: more\n    text: b\n"


def test_done_warns_about_units_still_holding_the_source_s_text(tmp_path: Path) -> None:
    from tests.conftest import run
    from tests.hardening.hostile import declare, tiny_copy

    project = tiny_copy(tmp_path / "project")
    declare(project, "es")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"An introduction."', '"Una introducción."'),
                       encoding="utf-8")
    result = run("translate", "done", "es", "--handout", "tiny", "--all", "--project", project)
    assert result.exit_code == 0
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "still hold the source's own text" in warning[0]
    assert "tiny.yaml: title" in warning[0] and "expect.intro" not in warning[0]
