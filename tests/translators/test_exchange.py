"""CAT-tool exchange: export to XLIFF 1.2 and PO, import back safely (real files, real gettext readers)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.content.translation import source_hash
from generator.translators import po, xliff
from tests.conftest import run
from tests.helpers import edit, snapshot

ES = "content/es/microdosing.yaml"
EN = "content/en/microdosing.yaml"
LANGS = ("es", "ar", "zh-Hans", "vi", "ru")


def units_of_file(path: Path) -> int:
    """How many units a content file holds (its translation record lists each one)."""
    return sum(1 for line in path.read_text(encoding="utf-8").split("\ntranslation:\n")[1].splitlines()
               if line.startswith("    "))


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line holding `text`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# Units of one shipped language, every handout and the UI strings (export counts these; the test project of
# make_stale_and_missing has one more).
UNITS = sum(units_of_file(p) for p in (Path(__file__).resolve().parents[2] / "content" / "es").glob("*.yaml"))
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
SUFFIX = {"po": ".po", "xliff": ".xlf"}
TU = "{urn:oasis:names:tc:xliff:document:1.2}trans-unit"


def export(root: Path, lang: str, fmt: str, dest: Path) -> Path:
    out = dest / f"{lang}{SUFFIX[fmt]}"
    result = run("translate", "export", lang, "--format", fmt, "--output", out, "--project", root)
    assert result.exit_code == 0, result.output
    return out


def import_ok(root: Path, file: Path) -> str:
    result = run("translate", "import", file, "--project", root)
    assert result.exit_code == 0, result.output
    return result.output


def make_stale_and_missing(root: Path) -> None:
    """One stale unit (expect.no-dose) and one new, untranslated unit (expect.new-point) in microdosing.

    The edit and `translate sync es` (1.3 s) run once per process, on a scratch copy of the shipped project; a
    project that is that copy's starting point byte for byte is given the files they changed, the same bytes the
    edit and sync would write in it (tests/translators/test_translate.py tests the sync itself)."""
    before, after = _stale_and_missing_once()
    if snapshot(root) != before:
        _edit_and_sync(root)
        return
    for name, data in after.items():
        if before.get(name) != data:
            (root / name).write_bytes(data)


def _edit_and_sync(root: Path) -> None:
    edit(root, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    edit(root, EN, "      - subheading: research\n",
         '      - paragraph: new-point\n        text: "Call {clinic.name} before you start."\n'
         "      - subheading: research\n")
    assert run("translate", "sync", "es", "--project", root).exit_code == 0


@functools.cache
def _stale_and_missing_once() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every file of a fresh copy of the shipped project, before and after _edit_and_sync (none is removed)."""
    import tempfile

    from tests.conftest import copy_project

    with tempfile.TemporaryDirectory(prefix="stale-") as scratch:
        root = copy_project(Path(scratch) / "project")
        before = snapshot(root)
        _edit_and_sync(root)
        after = snapshot(root)
    assert set(before) <= set(after)
    return before, after


def add_translator_comments(root: Path) -> None:
    edit(root, ES, "          - id: szigeti\n",
         "          # Traductor: «placebo» se deja igual en todo el folleto.\n          - id: szigeti\n")
    edit(root, ES, '        text: "Lo que muestra la investigación"',
         '        text: "Lo que muestra la investigación"   # revisar con la clínica')


# -- the acceptance: a round trip without edits changes nothing ------------------------------------
@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_round_trip_without_edits_changes_nothing(project: Path, tmp_path: Path, fmt: str) -> None:
    make_stale_and_missing(project)
    add_translator_comments(project)
    before = snapshot(project / "content")
    for lang in LANGS:
        out = export(project, lang, fmt, tmp_path)
        output = import_ok(project, out)
        assert output.startswith(f"0 unit(s) imported, 0 confirmed, into 0 file(s) of '{lang}'; {UNITS + 1} "
                                 "unchanged or empty"), output
    assert snapshot(project / "content") == before


@pytest.mark.parametrize("lang", LANGS)
def test_an_import_changes_only_the_imported_lines_in_every_file(project: Path, tmp_path: Path, lang: str) -> None:
    path = export(project, lang, "po", tmp_path)
    entries = po.parse(path.read_text(encoding="utf-8"))
    targets = [e for e in entries if e.msgctxt and (e.msgctxt.endswith("|title") or e.msgctxt == "ui|watermark")]
    assert len(targets) == 6
    for entry in targets:
        set_po_translation(path, entry.msgctxt, entry.msgstr + " (2)")
    before = snapshot(project / "content")
    assert "6 unit(s) imported, 0 confirmed, into 6 file(s)" in import_ok(project, path)
    after = snapshot(project / "content")
    for name, old in before.items():
        old_lines, new_lines = old.decode().split("\n"), after[name].decode().split("\n")
        changed = [b for a, b in zip(old_lines, new_lines, strict=True) if a != b]
        if not name.startswith(lang + "/"):
            assert not changed, name
        else:
            key = "watermark" if name.endswith("ui.yaml") else "title"
            # Only the text: the record already says "translated from the current source".
            assert len(changed) == 1 and changed[0].strip().startswith(f"{key}: ") and changed[0].endswith(' (2)"')


def test_export_to_standard_output(project: Path) -> None:
    result = run("translate", "export", "es", "--format", "po", "--project", project)
    assert result.exit_code == 0
    assert 'msgctxt "microdosing|expect.intro"' in result.stdout
    assert f"exported {UNITS} unit(s) of 'es' as po ({UNITS} translated, 0 stale, 0 missing)" in result.stderr
    result = run("translate", "export", "es", "--project", project)
    assert result.exit_code == 2 and "--format xliff or --format po" in result.stderr
    result = run("translate", "export", "en", "--format", "po", "--project", project)
    assert result.exit_code == 1 and "'en' is the source language" in result.stderr


# -- what the files say ----------------------------------------------------------------------------
def test_po_reads_as_gettext_with_states_flags_notes_and_hashes(project: Path, tmp_path: Path) -> None:
    from babel.messages.pofile import read_po

    make_stale_and_missing(project)
    add_translator_comments(project)
    path = export(project, "es", "po", tmp_path)
    with path.open(encoding="utf-8") as handle:
        catalog = read_po(handle)
    assert str(catalog.locale) == "es"
    messages = {m.context: m for m in catalog if m.id}
    assert len(messages) == UNITS + 1
    stale = messages["microdosing|expect.no-dose"]
    assert stale.fuzzy and stale.string.startswith("**No hay una microdosis acordada**")
    assert "source-hash: " + source_hash(stale.id) in stale.auto_comments
    missing = messages["microdosing|expect.new-point"]
    assert missing.string == "" and not missing.fuzzy
    assert "python-brace-format" in missing.flags
    assert any("{clinic.name}" in c for c in missing.auto_comments)
    done = messages["microdosing|expect.intro"]
    assert not done.fuzzy and "python-brace-format" not in done.flags
    assert "handout microdosing, unit expect.intro" in done.auto_comments
    text = (project / EN).read_text(encoding="utf-8")
    assert done.locations == [(EN, text[:text.index('text: "Microdosing means')].count("\n") + 1)]
    # Translator comments written in the YAML travel as translator comments.
    assert messages["microdosing|expect.studies.szigeti"].user_comments == [
        "Traductor: «placebo» se deja igual en todo el folleto."]
    assert messages["microdosing|expect.research"].user_comments == ["revisar con la clínica"]
    # The source text the stale unit was translated from is kept (content/source-history.yaml): `#| msgid`.
    import polib

    previous = polib.pofile(str(path)).find("microdosing|expect.no-dose", by="msgctxt")
    assert previous.previous_msgid == ("There is **no agreed microdose**. Mushrooms also vary a lot in strength, so "
                                       "it is hard to know how much you take. This handout does not give amounts or "
                                       "schedules.")
    assert previous.previous_msgctxt == "microdosing|expect.no-dose"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_po_passes_msgfmt_check(project: Path, tmp_path: Path) -> None:
    make_stale_and_missing(project)
    for lang in LANGS:
        path = export(project, lang, "po", tmp_path)
        checked = subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        assert "warning" not in checked.stderr, checked.stderr


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext's msgcat is not installed")
def test_po_rewritten_by_gettext_tools_imports_as_unchanged(project: Path, tmp_path: Path) -> None:
    """msgcat re-wraps every long string over several lines, as CAT tools do when they save."""
    make_stale_and_missing(project)
    add_translator_comments(project)
    path = export(project, "es", "po", tmp_path)
    rewrapped = tmp_path / "es.cat.po"
    subprocess.run(["msgcat", str(path), "-o", str(rewrapped)], check=True)
    text = rewrapped.read_text(encoding="utf-8")
    assert 'msgstr ""\n"' in text  # really multi-line now
    ours = {(e.msgctxt, e.msgid, e.msgstr, "fuzzy" in e.flags) for e in po.parse(path.read_text(encoding="utf-8"))}
    assert {(e.msgctxt, e.msgid, e.msgstr, "fuzzy" in e.flags) for e in po.parse(text)} == ours
    before = snapshot(project / "content")
    assert f"{UNITS + 1} unchanged or empty" in import_ok(project, rewrapped)
    assert snapshot(project / "content") == before


def test_xliff_units_states_placeholders_and_hashes(project: Path, tmp_path: Path) -> None:
    make_stale_and_missing(project)
    add_translator_comments(project)
    root = ET.parse(export(project, "es", "xliff", tmp_path)).getroot()
    assert root.get("version") == "1.2"
    files = root.findall("x:file", NS)
    assert {f.get("original") for f in files} == {"esketamine-nasal-spray", "ketamine-assisted-therapy",
                                                  "ketamine-or-psilocybin", "microdosing",
                                                  "psilocybin-assisted-therapy", "ui"}
    assert {(f.get("source-language"), f.get("target-language")) for f in files} == {("en", "es")}
    micro = next(f for f in files if f.get("original") == "microdosing")
    units = {tu.get("id"): tu for tu in micro.iter(TU)}
    assert all(tu.get("resname") == f"{f.get('original')}|{tu.get('id')}" for f in files for tu in f.iter(TU))
    stale, missing, done = units["expect.no-dose"], units["expect.new-point"], units["help.care-team"]
    assert stale.find("x:target", NS).get("state") == "needs-review-translation"
    assert missing.find("x:target", NS).get("state") == "needs-translation"
    assert "".join(missing.find("x:target", NS).itertext()) == ""
    assert done.find("x:target", NS).get("state") == "translated"
    # Placeholders are protected as <ph>, in the source and in the translation.
    phs = done.findall("x:source/x:ph", NS)
    assert [p.text for p in phs] == ["{clinic.phone}"] and done.findall("x:target/x:ph", NS)[0].get("id") == "1"
    assert f"source-hash={source_hash(''.join(done.find('x:source', NS).itertext()))}" in done.get("extradata")
    assert done.get("extradata").startswith("patient-handouts lang=es ")
    # approved="yes" marks a unit's translation as final (XLIFF 1.2), never a reviewer's approval of the file.
    assert done.get("approved") == "yes" and stale.get("approved") == missing.get("approved") == "no"
    notes = [(n.get("from"), n.text) for n in units["expect.studies.szigeti"].findall("x:note", NS)]
    assert ("translator", "Traductor: «placebo» se deja igual en todo el folleto.") in notes
    assert ("patient-handouts", "handout microdosing, unit expect.studies.szigeti") in notes


def test_approved_yes_marks_final_units_whatever_the_review_says(project: Path, tmp_path: Path) -> None:
    """XLIFF 1.2 approved="yes" is one unit's translation marked final; a file's review changes nothing."""
    result = run("approve", project / ES, "--reviewer", "Test Reviewer", "--role", "MD", "--project", project)
    assert result.exit_code == 0, result.output
    root = ET.parse(export(project, "es", "xliff", tmp_path)).getroot()
    assert all(tu.get("approved") == "yes" for tu in root.iter(TU))
    edit(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    root = ET.parse(export(project, "es", "xliff", tmp_path)).getroot()
    assert [tu.get("resname") for tu in root.iter(TU) if tu.get("approved") != "yes"] == ["microdosing|expect.no-dose"]


# -- importing edits -------------------------------------------------------------------------------
def set_po_translation(path: Path, context: str, text: str, unfuzzy: bool = True) -> None:
    entries = po.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").split("\n")
    entry = next(e for e in entries if e.msgctxt == context)
    start, end = entry.line_of("msgstr") - 1, entry.line_of("msgstr")
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[start:end] = [f'msgstr "{po.escape(text)}"']
    if unfuzzy:
        lines = [line.replace("#, fuzzy, ", "#, ").replace("#, fuzzy", "#") if i < start else line
                 for i, line in enumerate(lines)]
        lines = [line for line in lines if line != "#"]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_import_writes_text_and_source_hash_and_keeps_everything_else(project: Path, tmp_path: Path) -> None:
    make_stale_and_missing(project)
    add_translator_comments(project)
    before = (project / ES).read_text(encoding="utf-8")
    path = export(project, "es", "po", tmp_path)
    set_po_translation(path, "microdosing|expect.no-dose",
                       "**No hay una microdosis acordada**. La potencia de los hongos varía muchísimo.")
    set_po_translation(path, "microdosing|expect.new-point", "Llame a {clinic.name} antes de empezar.")
    set_po_translation(path, "microdosing|expect.studies.szigeti", 'En 2021, 191 personas "escondieron" sus dosis.')
    output = import_ok(project, path)
    assert "3 unit(s) imported, 0 confirmed, into 1 file(s) of 'es'" in output
    after = (project / ES).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=True) if a != b]
    new_hash = source_hash("Call {clinic.name} before you start.")
    stale_hash = source_hash("There is **no agreed microdose**. Mushrooms also vary a great deal in strength, so it "
                             "is hard to know how much you take. This handout does not give amounts or schedules.")
    assert [b.strip() for _, b in changed] == [
        'text: "**No hay una microdosis acordada**. La potencia de los hongos varía muchísimo."',
        'text: "Llame a {clinic.name} antes de empezar."',
        'text: "En 2021, 191 personas \\"escondieron\\" sus dosis."',
        f"expect.no-dose: {stale_hash}",
        f"expect.new-point: {new_hash}",
    ]
    assert "# Traductor: «placebo» se deja igual en todo el folleto." in after
    assert '"Lo que muestra la investigación"   # revisar con la clínica' in after
    assert "status: draft" in after  # never marked approved
    result = run("status", "--json", "--lang", "es", "--project", project)
    row = next(r for r in json.loads(result.output) if r["handout"] == "microdosing")
    assert (row["translated"], row["stale"], row["missing"]) == (row["total"], 0, 0)
    # Other languages still lack the new unit; Spanish itself is now complete and valid.
    assert "content/es/" not in run("check", "--project", project).stderr


def test_import_into_an_approved_file_never_keeps_it_approved(project: Path, tmp_path: Path) -> None:
    assert run("approve", project / ES, "--reviewer", "R", "--role", "MD", "--project", project).exit_code == 0
    review_block = (project / ES).read_text(encoding="utf-8").split("review:")[1].split("sources:")[0]
    path = export(project, "es", "xliff", tmp_path)
    text = path.read_text(encoding="utf-8")
    old = "Lo que muestra la investigación</target>"
    assert old in text
    path.write_text(re.sub(r"<trans-unit (?![^>]*approved)", '<trans-unit approved="yes" ',
                           text.replace(old, "Lo que dice la investigación</target>")), encoding="utf-8")
    import_ok(project, path)
    after = (project / ES).read_text(encoding="utf-8")
    assert after.split("review:")[1].split("sources:")[0] == review_block  # review record untouched
    result = run("status", "--json", "--lang", "es", "--project", project)
    row = next(r for r in json.loads(result.output) if r["handout"] == "microdosing")
    assert row["review"] == "changed since approval"


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_a_source_edit_after_export_merges(project: Path, tmp_path: Path, fmt: str) -> None:
    """Defect 1: an unrelated edit made after the export no longer refuses the whole language."""
    path = export(project, "es", fmt, tmp_path)
    edit(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    edit(project, ES, '"Lo que muestra la investigación"', '"Lo que enseña la investigación"')
    before = snapshot(project / "content")
    output = import_ok(project, path)  # the file leaves both units as exported
    assert "0 unit(s) imported" in output
    assert snapshot(project / "content") == before


def test_import_checks_every_text_before_writing_anything(project: Path, tmp_path: Path) -> None:
    path = export(project, "es", "po", tmp_path)
    set_po_translation(path, "microdosing|expect.research", "Lo que dice la investigación")  # fine on its own
    set_po_translation(path, "microdosing|help.care-team", "Llame a {clinic.name} hoy.")
    set_po_translation(path, "microdosing|expect.intro", "Tomar **microdosis significa poco.")
    set_po_translation(path, "microdosing|expect.placebo", "   ")
    before = snapshot(project / "content")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1
    err = result.stderr
    # The messages are `handouts check`'s own, at the line of the translator's file.
    assert f"{path.name}:" in err and "(after import: content/es/microdosing.yaml:" in err
    assert "microdosing|help.care-team: placeholders differ from the source: expected {clinic.phone}, " \
           "found {clinic.name}" in err
    assert "microdosing|expect.intro: '**' (bold) is opened but never closed" in err
    assert "microdosing|expect.placebo: text is empty" in err
    assert "nothing was written." in err
    assert snapshot(project / "content") == before


def test_fuzzy_entries_are_not_imported(project: Path, tmp_path: Path) -> None:
    make_stale_and_missing(project)
    path = export(project, "es", "po", tmp_path)
    set_po_translation(path, "microdosing|expect.no-dose", "Texto nuevo, aún sin revisar.", unfuzzy=False)
    before = snapshot(project / "content")
    output = import_ok(project, path)
    assert f"skipped (still fuzzy / needs review): {ES}: expect.no-dose" in output
    assert snapshot(project / "content") == before


def test_import_refuses_to_overwrite_a_translation_edited_since_export(project: Path, tmp_path: Path) -> None:
    path = export(project, "es", "po", tmp_path)
    edit(project, ES, '"Lo que muestra la investigación"', '"Lo que enseña la investigación"')
    set_po_translation(path, "microdosing|expect.research", "Lo que dice la investigación")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1
    assert f"microdosing|expect.research: changed on both sides: {ES} has a different translation" in result.stderr


def test_xliff_placeholders_emptied_by_a_cat_tool_are_restored(project: Path, tmp_path: Path) -> None:
    path = export(project, "es", "xliff", tmp_path)
    text = path.read_text(encoding="utf-8")
    old = 'Llame a su equipo médico al <ph id="1">{clinic.phone}</ph> el mismo día'
    assert old in text
    path.write_text(text.replace(old, 'Llame hoy a su equipo médico al <ph id="1"/> el mismo día', 1),
                    encoding="utf-8")
    output = import_ok(project, path)
    assert "1 unit(s) imported" in output
    assert "Llame hoy a su equipo médico al {clinic.phone} el mismo día" in \
        (project / "content/es/esketamine-nasal-spray.yaml").read_text(encoding="utf-8")


def test_language_written_the_gettext_way_is_matched(project: Path, tmp_path: Path) -> None:
    path = export(project, "zh-Hans", "po", tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('"Language: zh-Hans\\n"', '"Language: zh_Hans\\n"'),
                    encoding="utf-8")
    assert "of 'zh-Hans'" in import_ok(project, path)
    path.write_text(path.read_text(encoding="utf-8").replace('"Language: zh_Hans\\n"', '"Language: fr\\n"'),
                    encoding="utf-8")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1 and "exported for 'zh-Hans', but the Language header says 'fr'" in result.stderr


# -- broken files are reported with their position -------------------------------------------------
def test_broken_po_is_reported_with_line_and_column(project: Path, tmp_path: Path) -> None:
    path = export(project, "es", "po", tmp_path)
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "Lo que muestra'))
    lines[number] = 'msgstr "Lo que muestra la investigación'  # the closing quote is lost
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"es.po:{number + 1}:" in result.stderr and "the string is never closed" in result.stderr


def test_xliff_with_a_doctype_or_broken_xml_is_refused(project: Path, tmp_path: Path) -> None:
    path = export(project, "es", "xliff", tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("?>\n", '?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n', 1), encoding="utf-8")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1 and "declares a DOCTYPE or entities" in result.stderr
    path.write_text(text.replace("</source>", "</sourc>", 1), encoding="utf-8")
    result = run("translate", "import", path, "--project", project)
    assert result.exit_code == 1 and "es.xlf:6:" in result.stderr and "not well-formed XML" in result.stderr


# -- the PO writer and reader agree on every text ------------------------------------------------
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(context=TEXTS, msgid=TEXTS, msgstr=TEXTS, comment=st.text(alphabet=st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40))
def test_po_round_trip_of_any_text(context: str, msgid: str, msgstr: str, comment: str) -> None:
    entry = po.Entry(msgid or "x", msgstr, context, ("fuzzy",), (comment.strip(),) if comment.strip() else (),
                     ("source-hash: 0123456789ab",), ("content/en/x.yaml:3",))
    text = po.write({"Language": "es"}, [entry])
    header, back = po.parse(text)
    assert po.header_fields(header) == {"Language": "es"}
    assert (back.msgctxt, back.msgid, back.msgstr, back.flags) == (context, msgid or "x", msgstr, ("fuzzy",))
    assert back.extracted_comments == ("source-hash: 0123456789ab",)
    if comment.strip():
        assert back.translator_comments == (comment.strip(),)


def test_po_multi_line_strings_and_escapes() -> None:
    text = ('msgid ""\nmsgstr "Language: es\\n"\n\n'
            '# a note\n#, fuzzy\nmsgctxt "h|u"\nmsgid ""\n"first line\\n"\n"second \\"quoted\\" \\\\ end"\n'
            'msgstr "tab\\there \\101\\x42"\n')
    _, entry = po.parse(text)
    assert entry.msgid == 'first line\nsecond "quoted" \\ end'
    assert entry.msgstr == "tab\there AB"
    assert entry.translator_comments == ("a note",) and entry.flags == ("fuzzy",)
    assert entry.line_of("msgid") == 7 and entry.line_of("msgstr") == 10
    with pytest.raises(po.PoSyntaxError) as caught:
        po.parse('msgid "a"\nmsgstr "b" extra\n')
    assert (caught.value.line, caught.value.col) == (2, 12)
    with pytest.raises(po.PoSyntaxError, match="plural"):
        po.parse('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n')


XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff",
                                          min_codepoint=9).filter(lambda c: c in "\t\n\r" or ord(c) >= 32),
                   max_size=80)


@settings(max_examples=300, deadline=None)
@given(source=XML_TEXT, target=XML_TEXT, note=XML_TEXT)
@example(source="Call {clinic.phone}, not \\{clinic.phone}, at {fact.crisis_line} {clinic.phone}.",
         target="Llame al {clinic.phone}\r\n<b>&amp;</b> ]]>", note="")
def test_xliff_round_trip_of_any_text(source: str, target: str, note: str) -> None:
    unit = xliff.Unit("microdosing", "expect.intro", source, target, "translated", False,
                      {"source-hash": "0123456789ab", "translation-hash": "ba9876543210"}, (("translator", note),),
                      previous_source=source[::-1])
    back = xliff.parse(xliff.write(xliff.Document("en", "es", (unit,)))).units[0]
    assert (back.file, back.id, back.source, back.target, back.state) == (
        "microdosing", "expect.intro", source, target, "translated")
    assert (back.extradata, back.line) == ({"source-hash": "0123456789ab", "translation-hash": "ba9876543210"}, 5)
