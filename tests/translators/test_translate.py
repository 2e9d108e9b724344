"""Translator workflow: YAML traps reported precisely, drift guard in the files, status, sync/done/new."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run
from tests.helpers import replace_line, snapshot

ES = "content/es/microdosing.yaml"
EN = "content/en/microdosing.yaml"


def line_of(root: Path, name: str, prefix: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines) if line.startswith(prefix)) + 1


def check_fails(root: Path, *expected: str) -> str:
    result = run("check", "--project", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for piece in expected:
        assert piece in result.stderr, result.stderr
    return result.stderr


def set_text(root: Path, name: str, old: str, new: str) -> int:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


TRAPS = [
    # (name, line prefix to replace, replacement, expected fragments with {line})
    ("colon-makes-mapping", "title:", "title: Microdosis: lo que debe saber",
     ["{path}:{line}:", "text containing ': ' must be quoted"]),
    ("no-is-boolean", "title:", "title: no", ["{path}:{line}:8: title: 'no' is read as a yes/no value"]),
    ("yes-is-boolean", "title:", "title: yes", ["{path}:{line}:8: title: 'yes' is read as a yes/no value"]),
    ("on-is-boolean", "title:", "title: on", ["{path}:{line}:8: title: 'on' is read as a yes/no value"]),
    ("date", "title:", "title: 2026-01-01", ["{path}:{line}:8: title: '2026-01-01' is read as a date"]),
    ("number", "title:", "title: 42", ["{path}:{line}:8: title: '42' is read as a number"]),
    ("unclosed-quote", "title:", 'title: "Microdosis', ["{path}:{line}:8: YAML syntax error: a quoted text is never"]),
    ("alias", "title:", "title: *Microdosis*", ["{path}:{line}:8: YAML aliases ('*name') are not allowed"]),
    ("tab", "title:", "\ttitle: Microdosis", ["{path}:{line}:1: tab used for indentation; indent with spaces only"]),
    ("duplicate-key", "title:", 'title: "A"\ntitle: "B"', ["{path}:{line1}:1: title: duplicate key 'title'"]),
    ("unknown-key", "title:", 'title: "A"\ntitel: "B"', ["{path}:{line1}:1: titel: unknown key 'titel'"]),
    ("missing-key", "summary:", "# summary removed", ["{path}:", "missing required key 'summary'"]),
]


@pytest.mark.parametrize(("case", "prefix", "new", "expected"), TRAPS, ids=[t[0] for t in TRAPS])
def test_yaml_traps_in_a_translation(project: Path, case: str, prefix: str, new: str, expected: list[str]) -> None:
    line = replace_line(project, ES, prefix, new)
    err = check_fails(project, *[e.format(path=ES, line=line, line1=line + 1) for e in expected])
    assert "^" in err  # the offending line is shown with a caret


def test_list_items_merged_by_indentation(project: Path) -> None:
    text = (project / ES).read_text(encoding="utf-8")
    start = text.index("          - id: ", text.index("items:"))
    end = text.index("\n", text.index("text:", start))
    item = text[start:end]
    merged = item.replace("          - id: ", "            - id: ", 1)
    (project / ES).write_text(text.replace(item, merged, 1), encoding="utf-8")
    check_fails(project, f"{ES}:")


def test_retyped_unit_is_reported(project: Path) -> None:
    text = (project / ES).read_text(encoding="utf-8")
    old = "      - paragraph: intro\n        text:"
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    new = "      - subheading: intro\n        text:"
    (project / ES).write_text(text.replace(old, new, 1), encoding="utf-8")
    check_fails(project, f"{ES}:{line}:", "block is a subheading here but a paragraph in the source language")


def test_extra_unit_is_reported(project: Path) -> None:
    text = (project / ES).read_text(encoding="utf-8")
    old = "      - paragraph: intro\n"
    (project / ES).write_text(text.replace(old, '      - paragraph: extra\n        text: "Otra."\n' + old, 1),
                              encoding="utf-8")
    check_fails(project, "unit 'expect.extra' does not exist in the source language")


def test_placeholder_mismatch_and_unbalanced_markup(project: Path) -> None:
    set_text(project, ES, "{clinic.phone}", "{clinic.name}")
    set_text(project, ES, 'title: "', 'title: "**')
    check_fails(project, "placeholders differ from the source: expected {clinic.phone}, found {clinic.name}",
                "'**' (bold) is opened but never closed")


def status_json(root: Path, *args: str) -> list[dict]:
    result = run("status", "--json", "--project", root, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_shipped_languages_are_complete(project: Path) -> None:
    rows = status_json(project)
    assert {r["lang"] for r in rows} == {"en", "es", "ar", "zh-Hans", "vi", "ru"}
    for row in rows:
        assert {"handout", "lang", "total", "translated", "missing", "stale"} <= row.keys()
        assert row["translated"] == row["total"] and row["missing"] == 0 and row["stale"] == 0, row
    assert run("status", "--project", project, "--fail-under", "100").exit_code == 0


def test_editing_one_english_paragraph_makes_each_translation_one_unit_stale(project: Path) -> None:
    set_text(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    rows = status_json(project)
    for row in rows:
        expected = 1 if row["handout"] == "microdosing" and row["lang"] != "en" else 0
        assert row["stale"] == expected, row
        if expected:
            assert row["stale_units"] == ["expect.no-dose"]
    result = run("status", "--project", project, "--fail-under", "100")
    assert result.exit_code == 1 and "es: " in result.stderr
    # A stale translation builds only with the watermark, and never in release mode.
    assert run("build", "--project", project, "--lang", "es", "microdosing").exit_code == 0
    from tests.helpers import page_texts

    assert "Borrador - traducción desactualizada" in page_texts(project / "output/es/microdosing.pdf")[0]
    result = run("build", "--project", project, "--lang", "es", "microdosing", "--release")
    assert result.exit_code == 1 and f"{ES}: translation out of date" in result.stderr
    # The translator revises it and says so.
    result = run("translate", "done", "es", "--unit", "expect.no-dose", "--project", project)
    assert result.exit_code == 0 and "1 unit(s) marked" in result.output
    assert [r["stale"] for r in status_json(project, "--lang", "es") if r["handout"] == "microdosing"] == [0]


def test_sync_on_shipped_content_changes_nothing(project: Path) -> None:
    before = snapshot(project / "content")
    for lang in ("es", "ar", "zh-Hans", "vi", "ru"):
        result = run("translate", "sync", lang, "--project", project)
        assert result.exit_code == 0 and "0 file(s) updated" in result.output
        assert "removed:" not in result.output + result.stderr, result.output + result.stderr  # nothing is
    assert snapshot(project / "content") == before


def test_sync_adds_new_units_untranslated_and_removes_deleted_ones(project: Path) -> None:
    es_path = project / ES
    text = es_path.read_text(encoding="utf-8")
    es_path.write_text(text.replace("sections:", "# Nota del traductor: revisar la terminología.\nsections:", 1),
                       encoding="utf-8")
    set_text(project, EN, "      - paragraph: intro\n",
             '      - paragraph: new-point\n        text: "A new point."\n      - paragraph: intro\n')
    text = (project / EN).read_text(encoding="utf-8")
    start = text.index("      - paragraph: placebo\n")
    end = text.index("\n      - ", start + 5)
    text = text[:start] + text[end + 1:]
    # A deleted statement goes from the claims: map too (check refuses a claim about a unit that is not there).
    (project / EN).write_text(re.sub(r"(?m)^  expect\.placebo: .*\n", "", text), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    assert result.exit_code == 0 and f"updated: {ES}" in result.output
    synced = es_path.read_text(encoding="utf-8")
    assert "# Nota del traductor: revisar la terminología." in synced
    assert 'text: "A new point."' in synced and "expect.new-point: untranslated" in synced
    assert "paragraph: placebo" not in synced and "expect.placebo:" not in synced
    check_fails(project, f"{ES}:", "unit 'expect.new-point' is not translated into 'es' yet")
    row = next(r for r in status_json(project, "--lang", "es") if r["handout"] == "microdosing")
    assert row["missing"] == 1 and row["missing_units"] == ["expect.new-point"]


def test_new_language_starts_at_zero_and_is_refused_by_build(project: Path) -> None:
    result = run("translate", "new", "fr", "--project", project)
    assert result.exit_code == 0, result.output
    rows = status_json(project, "--lang", "fr")
    assert rows and all(r["translated"] == 0 and r["missing"] == r["total"] for r in rows)
    assert "What to expect" in (project / "content/fr/ui.yaml").read_text(encoding="utf-8")  # source visible
    replace_line(project, "handouts.yaml", "  - ru", "  - ru\n  - fr")
    result = run("build", "--project", project, "--lang", "fr")
    assert result.exit_code == 1 and "is not translated into 'fr' yet" in result.stderr
    assert run("translate", "new", "fr", "--project", project).exit_code == 1


def test_status_unknown_language_is_a_usage_error(project: Path) -> None:
    result = run("status", "--lang", "xx", "--project", project)
    assert result.exit_code == 2 and "available: en, ar, es, ru, vi, zh-Hans" in result.stderr


def test_status_names_a_translation_holding_units_its_source_removed(tmp_path: Path) -> None:
    """check and build refuse such a unit ("does not exist in the source language"); status said 100 %, 0 stale
    (eleventh pass)."""
    import json

    from tests.hardening.hostile import declare, tiny_copy

    root = tiny_copy(tmp_path / "project")
    declare(root, "es")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    english = root / "content/en/tiny.yaml"
    text = english.read_text(encoding="utf-8")
    removed = '      - subheading: more\n        text: "More to know"\n'
    assert removed in text
    english.write_text(text.replace(removed, ""), encoding="utf-8")
    rows = json.loads(run("status", "--json", "--lang", "es", "--project", root).output)
    tiny = next(row for row in rows if row["handout"] == "tiny")
    assert "removed" in tiny["review"] and "translate sync" in tiny["review"], tiny
    assert run("check", "--project", root).exit_code == 1


def test_sync_names_a_source_id_only_the_translation_cites(project: Path) -> None:
    """A claim's list of sources matches by value: the two the English cites stay without a word, a third that
    only the Spanish cites is removed and named."""
    es_path = project / ES
    text = es_path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("  expect.placebo: ["))
    es_path.write_text(text.replace(line, line[:-1] + ", nayak-2021]"), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    assert result.exit_code == 0 and f"updated: {ES}" in result.output, result.output
    removed = [line for line in (result.output + result.stderr).splitlines() if line.startswith("removed:")]
    assert len(removed) == 1 and "claims › expect.placebo › nayak-2021" in removed[0], removed
    assert line in es_path.read_text(encoding="utf-8")
