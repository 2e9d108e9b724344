"""XLIFF inline codes on import: what a CAT tool shows as a tag must hold exactly the markup the export put in it.

Each file here is exported by `translate export --format xliff`, edited the way a CAT tool (translate-toolkit's
XLIFF store, which reads each code as a tag it keeps as is) or a person with a text editor would, and imported.
A tag holding another address, other placeholder or words is refused at the tag's line and column, nothing
written; a translation made with the tags as exported imports.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff as tt_xliff

from generator.content.translation import source_hash
from tests.conftest import run
from tests.hardening.hostile import set_intro, tiny_copy
from tests.helpers import snapshot
from tests.translators.test_cat_tools import xliff_schema  # noqa: F401 - the OASIS XLIFF 1.2 strict schema

ENGLISH = "Call {clinic.phone} **today**. Read [our page](https://clinic.example.org/ketamine)."
SPANISH_WORDS = {"Call ": "Llame al ", "today": "hoy", ". Read ": ". Lea ", "our page": "nuestra página"}
SPANISH = "Llame al {clinic.phone} **hoy**. Lea [nuestra página](https://clinic.example.org/ketamine)."
ES = "content/es/tiny.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tiny_copy(tmp_path / "project")
    set_intro(root, ENGLISH)
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    return root


def export(root: Path, dest: Path) -> Path:
    out = dest / "es.xlf"
    result = run("translate", "export", "es", "--format", "xliff", "-o", out, "--project", root)
    assert result.exit_code == 0, result.output
    return out


def translated_by_toolkit(xlf: Path, words: dict[str, str], from_target: bool = False) -> None:
    """Translate the intro as a CAT tool does: translate-toolkit's rich text, the tags kept, the words replaced."""
    store = tt_xliff.xlifffile.parsefile(str(xlf))
    unit = next(u for u in store.units if u.source == ENGLISH)
    rich = copy.deepcopy(unit.rich_target if from_target else unit.rich_source)
    for elem in rich[0].sub:
        if type(elem).__name__ == "StringElem" and len(elem.sub) == 1 and elem.sub[0] in words:
            elem.sub[0] = words[elem.sub[0]]
    unit.rich_target = rich
    unit.markfuzzy(False)
    xlf.write_bytes(bytes(store))


def intro_target(xlf: Path) -> str:
    """The intro's <target> element as written in the file."""
    found = re.search(r"<target[^>]*>Llame al .*?</target>", xlf.read_text(encoding="utf-8"))
    assert found, "no translated intro"
    return found.group()


def replace_in_target(xlf: Path, old: str, new: str) -> tuple[int, int]:
    """Edit the intro's target text with a text editor; returns the line and column of where `new` starts."""
    text = xlf.read_text(encoding="utf-8")
    target = intro_target(xlf)
    assert old in target, target
    at = text.index(target)
    text = text[:at] + target.replace(old, new, 1) + text[at + len(target):]
    xlf.write_text(text, encoding="utf-8")
    start = at + target.index(old)
    return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)


def refused(root: Path, xlf: Path) -> str:
    before = snapshot(root / "content")
    result = run("translate", "import", xlf, "--project", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(root / "content") == before
    return result.stderr


def intro(root: Path) -> str:
    return re.search(r'paragraph: intro\n\s+text: "(.*)"', (root / ES).read_text(encoding="utf-8")).group(1)


# -- a translation keeping the tags imports, as a CAT tool writes them ------------------------------------------
def test_a_cat_tool_round_trip_keeping_the_tags_imports(project: Path, tmp_path: Path, xliff_schema) -> None:  # noqa: F811
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, SPANISH_WORDS)
    assert xliff_schema.validate(etree.parse(str(xlf))), xliff_schema.error_log.filter_from_errors()[:5]
    result = run("translate", "import", xlf, "--project", project)
    assert result.exit_code == 0, result.output + result.stderr
    assert intro(project) == SPANISH


def test_empty_codes_as_some_tools_write_them_take_the_source_s_markup(project: Path, tmp_path: Path) -> None:
    """<x/>, <bx/>, <ex/> (and emptied <ph>) carry no markup: they stand for the source's code of their id."""
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, SPANISH_WORDS)
    replace_in_target(xlf, '<ph id="1">{clinic.phone}</ph>', '<x id="1"/>')
    replace_in_target(xlf, '<bpt id="3" ctype="link">[</bpt>', '<bx id="3"/>')
    replace_in_target(xlf, '<ept id="3">](https://clinic.example.org/ketamine)</ept>', '<ex id="3"/>')
    assert run("translate", "import", xlf, "--project", project).exit_code == 0
    assert intro(project) == SPANISH


# -- a tag holding other markup than the source's tag of its id ---------------------------------------------------
@pytest.mark.parametrize(("old", "new", "held"), [
    ('<ept id="3">](https://clinic.example.org/ketamine)</ept>', '<ept id="3">](https://evil.example/ketamina)</ept>',
     "](https://evil.example/ketamina)"),
    ('<ept id="3">](https://clinic.example.org/ketamine)</ept>',
     '<it id="3" pos="close">](https://evil.example/)</it>', "](https://evil.example/)"),
    ('<ph id="1">{clinic.phone}</ph>', '<ph id="1">{clinic.name}</ph>', "{clinic.name}"),
    ('<ph id="1">{clinic.phone}</ph>', '<ph id="1">555 0100</ph>', "555 0100"),
    ('<ept id="2">**</ept>', '<ept id="2">** ahora mismo</ept>', "** ahora mismo"),
])
def test_a_tag_holding_other_markup_than_the_source_s_is_refused_at_the_tag(
        project: Path, tmp_path: Path, old: str, new: str, held: str) -> None:
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, SPANISH_WORDS)
    line, col = replace_in_target(xlf, old, new)
    # What translate-toolkit's reader (as CAT tools built on it) shows: a tag, with the changed markup inside.
    store = tt_xliff.xlifffile.parsefile(str(xlf))
    shown = str(next(u for u in store.units if u.source == ENGLISH).rich_target)
    assert held in shown and re.search(r"UnknownXML\{(ept|it|ph)\}", repr(next(
        u for u in store.units if u.source == ENGLISH).rich_target)), shown
    said = refused(project, xlf)
    assert f"es.xlf:{line}:{col}: " in said, said
    assert held in said and "keep the tag as exported" in said, said


# -- a tag the source lacks, whatever its element --------------------------------------------------------------------
@pytest.mark.parametrize("tag", [
    '<ph id="7">diez</ph>', '<bpt id="7">diez</bpt>', '<ph id="7">{clinic.name}</ph>', '<x id="7"/>',
    '<it id="7" pos="open">[</it>',
])
def test_a_tag_the_source_lacks_is_refused(project: Path, tmp_path: Path, tag: str) -> None:
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, SPANISH_WORDS)
    line, col = replace_in_target(xlf, " <bpt id=\"2\"", f" {tag} <bpt id=\"2\"")
    said = refused(project, xlf)
    assert f"es.xlf:{line}:{col + 1}: " in said and "is not in the source" in said, said


# -- the translation's own link (a page in its language) ----------------------------------------------------------
def own_page(project: Path) -> None:
    """The Spanish intro links the clinic's Spanish page (a web link may go to a page in the translation's
    language): exported as a tag of the translation's own (id x1)."""
    es = project / ES
    es.write_text(es.read_text(encoding="utf-8").replace(
        f'text: "{ENGLISH}"', f'text: "{SPANISH.replace("/ketamine", "/es/ketamina")}"', 1), encoding="utf-8")
    assert run("translate", "done", "es", "--unit", "expect.intro", "--project", project).exit_code == 0
    assert run("check", "--project", project).exit_code == 0


def test_the_translation_s_own_link_kept_as_exported_imports(project: Path, tmp_path: Path) -> None:
    own_page(project)
    xlf = export(project, tmp_path)
    assert '<ept id="x1">](https://clinic.example.org/es/ketamina)</ept>' in intro_target(xlf)
    translated_by_toolkit(xlf, {"hoy": "hoy mismo"}, from_target=True)
    assert run("translate", "import", xlf, "--project", project).exit_code == 0
    assert intro(project) == SPANISH.replace("/ketamine", "/es/ketamina").replace("**hoy**", "**hoy mismo**")


def test_the_translation_s_own_link_cannot_be_changed_in_its_tag(project: Path, tmp_path: Path) -> None:
    own_page(project)
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, {"hoy": "hoy mismo"}, from_target=True)
    line, col = replace_in_target(xlf, '<ept id="x1">](https://clinic.example.org/es/ketamina)',
                                  '<ept id="x1">](https://evil.example/)')
    said = refused(project, xlf)
    assert f"es.xlf:{line}:{col}: " in said and "https://evil.example/" in said, said
    assert "the translation's tag x1 holds '](https://clinic.example.org/es/ketamina)'" in said, said


# -- the source in the file is no authority: its tags are checked against the content files -------------------------
def test_a_source_edited_with_its_hash_does_not_vouch_for_a_tag(project: Path, tmp_path: Path) -> None:
    """The same address put into the <source>'s tag and the target's, the source-hash recomputed: the target's
    tags match the file's source, but neither the English content nor the translation links there."""
    xlf = export(project, tmp_path)
    translated_by_toolkit(xlf, SPANISH_WORDS)
    text = xlf.read_text(encoding="utf-8")
    evil_english = ENGLISH.replace("clinic.example.org/ketamine", "evil.example/k")
    text = text.replace("https://clinic.example.org/ketamine", "https://evil.example/k")
    assert text.count("https://evil.example/k") == 2
    text = text.replace(f"source-hash={source_hash(ENGLISH)}", f"source-hash={source_hash(evil_english)}", 1)
    xlf.write_text(text, encoding="utf-8")
    said = refused(project, xlf)
    assert "https://evil.example/k" in said and "export again" in said, said


# -- reading stays linear -------------------------------------------------------------------------------------------
def test_the_tags_of_a_long_target_are_placed_in_one_pass() -> None:
    """Each tag's position is searched from where the last one was found: 100,000 tags (ids written as character
    references, which the position search cannot read) would take hours if each search started at the unit."""
    from generator.translators import xliff

    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" '
            'version="1.2"><file original="t" source-language="en" target-language="es"><body>\n'
            '<trans-unit id="u"><source><ph id="1">{a}</ph></source>\n<target>'
            + '<x id="&#49;"/>\n' * 100_000 + '<ph id="2">b</ph></target></trans-unit></body></file></xliff>\n')
    codes = xliff.parse(text).units[0].codes
    assert len(codes) == 100_001 and (codes[-2].line, codes[-2].col) == (100_003, 1)
    assert (codes[-1].tag, codes[-1].in_source, codes[-1].line, codes[-1].col) == ("ph", False, 100_004, 1)
