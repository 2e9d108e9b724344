"""The translator round trip as localization tools see it: GNU gettext, translate-toolkit, polib, lxml and the
OASIS XLIFF 1.2 strict schema read every export; a translator's edits are made with polib and lxml."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage import xliff as tt_xliff

from generator.content.translation import source_hash
from tests.conftest import run
from tests.helpers import edit, snapshot

LANGS = ("es", "ar", "zh-Hans", "vi", "ru")
EN, ES, AR = "content/en/microdosing.yaml", "content/es/microdosing.yaml", "content/ar/microdosing.yaml"
X = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": X}
SCHEMAS = Path(__file__).parent / "schemas"
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed "
                                   "(.ci/run installs it with apt-get install gettext)")


class _LocalXmlXsd(etree.Resolver):
    """The XLIFF schema imports http://www.w3.org/2001/xml.xsd; the copy next to it is used, never the network."""

    def resolve(self, url: str, pubid: str, context: object) -> object:
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


@pytest.fixture(scope="module")
def xliff_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))


def export(root: Path, lang: str, dest: Path, suffix: str, *extra: str) -> Path:
    out = dest / f"{lang}{suffix}"
    result = run("translate", "export", lang, "--output", out, "--project", root, *extra)
    assert result.exit_code == 0, result.output
    return out


def imported(root: Path, file: Path, *extra: str) -> str:
    result = run("translate", "import", file, "--project", root, *extra)
    assert result.exit_code == 0, result.output
    return result.output


def refused(root: Path, file: Path, *extra: str) -> str:
    before = snapshot(root / "content")
    result = run("translate", "import", file, "--project", root, *extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert snapshot(root / "content") == before  # nothing written
    return result.stderr


def stale_and_missing(root: Path, langs: tuple[str, ...] = ("es",)) -> None:
    """expect.no-dose stale and expect.new-point new in `langs` (the source edited, then synced)."""
    if langs == ("es",):  # test_exchange's, which syncs once per process and gives a fresh copy the same bytes
        from tests.translators.test_exchange import make_stale_and_missing

        make_stale_and_missing(root)
        return
    edit(root, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    edit(root, EN, "      - subheading: research\n",
         '      - paragraph: new-point\n        text: "Call {clinic.name} before you start."\n'
         "      - subheading: research\n")
    for lang in langs:
        assert run("translate", "sync", lang, "--project", root).exit_code == 0


def xml(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def unit(tree: etree._ElementTree, resname: str) -> etree._Element:
    return tree.find(f".//x:trans-unit[@resname='{resname}']", NS)


def set_target(tu: etree._Element, text: str, state: str = "translated") -> None:
    target = tu.find("x:target", NS)
    for child in list(target):
        target.remove(child)
    target.text = text
    target.set("state", state)


# -- every export validates ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every language exported once as PO and XLIFF, with a stale and a new unit in each (read only; made once
    for the whole run, the other xdist worker uses the same files)."""
    from tests.conftest import shared_build

    def make(root: Path) -> None:
        stale_and_missing(root, LANGS)
        for lang in LANGS:
            export(root, lang, root.parent, ".xlf")
            export(root, lang, root.parent, ".po")

    return shared_build(tmp_path_factory, "exports", make).parent


@pytest.mark.parametrize("lang", LANGS)
def test_every_export_passes_gettext_translate_toolkit_and_the_oasis_schema(
        exports: Path, tmp_path: Path, lang: str, xliff_schema: etree.XMLSchema) -> None:
    xlf = exports / f"{lang}.xlf"
    assert xliff_schema.validate(xml(xlf)), xliff_schema.error_log.filter_from_errors()[:5]
    store = tt_xliff.xlifffile.parsefile(str(xlf))
    units = {u.xmlelement.get("resname"): u for u in store.units}
    assert units["microdosing|expect.no-dose"].isfuzzy()  # stale: not approved, has a target
    assert not units["microdosing|expect.new-point"].istranslated()
    special = ("microdosing|expect.no-dose", "microdosing|expect.new-point")
    done = [u for name, u in units.items() if name not in special]
    assert done and all(u.istranslated() and not u.isfuzzy() for u in done)
    assert len(units) == len(store.units)  # resname is unique in the whole document
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed (.ci/run installs it)")
    po_file = exports / f"{lang}.po"
    checked = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po_file)],
                             capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stderr, checked.stderr
    # translate-toolkit's pofilter: no broken escapes, newlines, tabs, placeholders, tags; only the stale unit fuzzy.
    bad = tmp_path / f"{lang}.bad.po"
    subprocess.run(["pofilter", "-t", "escapes", "-t", "newlines", "-t", "tabs", "-t", "printf", "-t",
                    "pythonbraceformat", "-t", "variables", "-t", "xmltags", "-t", "nplurals", str(po_file), str(bad)],
                   check=True, capture_output=True)
    assert not bad.exists() or not [e for e in polib.pofile(str(bad)) if e.msgid]
    subprocess.run(["pofilter", "-t", "isfuzzy", str(po_file), str(bad)], check=True, capture_output=True)
    assert [e.msgctxt for e in polib.pofile(str(bad)) if e.msgid] == ["microdosing|expect.no-dose"]
    catalog = polib.pofile(str(po_file))
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=") and catalog.metadata["POT-Creation-Date"]
    assert catalog.metadata["Language"] == lang
    # translate-toolkit's po2xliff and xliff2po carry every text and every fuzzy flag there and back.
    subprocess.run(["po2xliff", str(po_file), str(tmp_path / "tt.xlf")], check=True, capture_output=True)
    subprocess.run(["xliff2po", str(tmp_path / "tt.xlf"), str(tmp_path / "tt.po")], check=True, capture_output=True)
    back = {(e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(str(tmp_path / "tt.po")) if e.msgid}
    assert back == {(e.msgid, e.msgstr, e.fuzzy) for e in catalog if e.msgid}


# -- defect 1: conflicts only where both sides changed --------------------------------------------------
def test_yaml_edits_after_export_merge_with_the_translators_edits(project: Path, tmp_path: Path) -> None:
    po_file = export(project, "es", tmp_path, ".po")
    edit(project, ES, '"Lo que muestra la investigación"', '"Lo que enseña la investigación"')  # after export
    edit(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    catalog = polib.pofile(str(po_file))
    catalog.find("microdosing|expect.placebo", by="msgctxt").msgstr = "Un placebo es una pastilla sin droga."
    no_dose = catalog.find("microdosing|expect.no-dose", by="msgctxt")
    no_dose.msgstr = "**No hay una microdosis acordada**. La potencia de los hongos varía muchísimo."
    catalog.save()
    output = imported(project, po_file)
    assert f"imported: {ES}: expect.placebo" in output
    # Translated from the source as exported, which has changed since: imported, and still stale.
    assert f"imported but still stale (the source changed since the export): {ES}: expect.no-dose" in output
    text = (project / ES).read_text(encoding="utf-8")
    assert '"Lo que enseña la investigación"' in text and "Un placebo es una pastilla sin droga." in text
    rows = json.loads(run("status", "--json", "--lang", "es", "--project", project).output)
    assert next(r for r in rows if r["handout"] == "microdosing")["stale_units"] == ["expect.no-dose"]


def test_a_unit_changed_on_both_sides_is_a_conflict_and_skip_conflicts_imports_the_rest(
        project: Path, tmp_path: Path) -> None:
    xlf = export(project, "es", tmp_path, ".xlf")
    edit(project, ES, '"Lo que muestra la investigación"', '"Lo que enseña la investigación"')
    tree = xml(xlf)
    set_target(unit(tree, "microdosing|expect.research"), "Lo que dice la investigación")
    set_target(unit(tree, "microdosing|expect.placebo"), "Un placebo es una pastilla sin droga.")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    err = refused(project, xlf)
    assert "microdosing|expect.research: changed on both sides" in err and "--skip-conflicts" in err
    output = imported(project, xlf, "--skip-conflicts")
    assert f"imported: {ES}: expect.placebo" in output
    assert "conflict, not imported:" in output and "microdosing|expect.research" in output
    assert '"Lo que enseña la investigación"' in (project / ES).read_text(encoding="utf-8")


# -- defect 2: import refuses what check would refuse, before writing --------------------------------------
def test_arabic_import_with_bidi_controls_controls_missing_glyphs_and_a_long_title_is_refused(
        project: Path, tmp_path: Path) -> None:
    xlf = export(project, "ar", tmp_path, ".xlf")
    tree = xml(xlf)
    bad = {"microdosing|expect.placebo": "نص \u202bمقلوب\u202c هنا",
           "microdosing|expect.research": "نص\u2067 معزول\u2069",
           "microdosing|safety.intro": "رقم \u202e123\u202c هنا", "microdosing|integration.intro": "علامة \u061c عربية",
           "microdosing|help.crisis": "اتصل 漢 الآن"}  # U+6F22: not in the Arabic font (DejaVu has 😀)
    for resname, text in bad.items():
        set_target(unit(tree, resname), text)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    lines = xlf.read_text(encoding="utf-8").split("\n")
    err = refused(project, xlf)
    for resname in bad:
        line = next(i for i, text in enumerate(lines, 1) if f'resname="{resname}"' in text)
        assert f"ar.xlf:{line}:" in err and resname in err, resname
    assert "\u202b" not in err and "\u2067" not in err  # never printed raw
    assert run("check", "--project", project).exit_code == 0
    # A title longer than the footer line is accepted: the footer shortens it with "…" (the print rules of
    # docs/clinic-staff.md); the exported maxwidth still tells the translator what fits whole. (A new file: the
    # refused one still holds work not imported, which an export never replaces.)
    xlf = export(project, "ar", tmp_path / "again", ".xlf")
    tree = xml(xlf)
    title = unit(tree, "microdosing|title")
    set_target(title, "عنوان طويل جدا " * 12)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert "imported: content/ar/microdosing.yaml: title" in imported(project, xlf)
    assert int(title.get("maxwidth")) < len("عنوان طويل جدا " * 12)
    assert run("build", "--lang", "ar", "microdosing", "-j", "1", "--project", project,
               "--out", tmp_path / "ar-out").exit_code == 0
    assert run("build", "--lang", "es", "-j", "1", "--project", project, "--out", tmp_path / "out").exit_code == 0


def test_tab_vertical_tab_bell_and_line_breaks_are_refused(project: Path, tmp_path: Path) -> None:
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    texts = {"microdosing|expect.placebo": "Un\tplacebo.", "microdosing|expect.research": "Lo que\vdice.",
             "microdosing|safety.intro": "Dos\nlíneas.", "microdosing|integration.intro": "Al final\n",
             "microdosing|help.crisis": "Una campana \a aquí."}
    for context, text in texts.items():
        catalog.find(context, by="msgctxt").msgstr = text
    catalog.save()
    err = refused(project, po_file)
    assert "microdosing|safety.intro: the translation holds a line break" in err
    assert "microdosing|integration.intro: the translation ends with a line break" in err
    for context in ("microdosing|expect.placebo", "microdosing|expect.research", "microdosing|help.crisis"):
        assert "es.po:" in err and f"{context}: " in err, context


# -- defect 3: states as the standards mean them ------------------------------------------------------------
def test_only_finished_xliff_states_import(project: Path, tmp_path: Path) -> None:
    xlf = export(project, "es", tmp_path, ".xlf")
    tree = xml(xlf)
    states = {"new": "expect.placebo", "needs-translation": "expect.research", "needs-adaptation": "safety.intro",
              "needs-l10n": "integration.intro", "needs-review-translation": "help.crisis",
              "translated": "questions.ask.evidence", "signed-off": "questions.ask.history",
              "final": "questions.ask.stopping"}
    for state, uid in states.items():
        set_target(unit(tree, f"microdosing|{uid}"), f"Texto nuevo ({state}).", state)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    output = imported(project, xlf)
    for state, uid in states.items():
        done = state in ("translated", "signed-off", "final")
        assert (f"imported: {ES}: {uid}" in output) is done, state
        assert (f"skipped (still fuzzy / needs review): {ES}: {uid}" in output) is not done, state


def test_translate_toolkit_fuzzy_and_unfuzzy_are_read_as_it_means_them(project: Path, tmp_path: Path) -> None:
    xlf = export(project, "es", tmp_path, ".xlf")
    store = tt_xliff.xlifffile.parsefile(str(xlf))
    units = {u.xmlelement.get("resname"): u for u in store.units}
    units["microdosing|expect.placebo"].target = "Un placebo, aún por revisar."
    units["microdosing|expect.placebo"].markfuzzy(True)  # writes state="needs-translation", approved="no"
    units["microdosing|expect.research"].target = "Lo que dice la investigación"
    units["microdosing|expect.research"].markfuzzy(False)
    xlf.write_bytes(bytes(store))
    output = imported(project, xlf)
    assert f"skipped (still fuzzy / needs review): {ES}: expect.placebo" in output
    assert f"imported: {ES}: expect.research" in output


def test_fuzzy_po_entries_stay_out_and_a_stale_unit_confirmed_unchanged_becomes_current(
        project: Path, tmp_path: Path) -> None:
    stale_and_missing(project)
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    stale = catalog.find("microdosing|expect.no-dose", by="msgctxt")
    assert stale.fuzzy
    assert stale.previous_msgid.startswith("There is **no agreed microdose**. Mushrooms also vary a lot")
    stale.flags.remove("fuzzy")  # confirmed: the translation still fits the new source
    stale.previous_msgid = stale.previous_msgctxt = None
    new = catalog.find("microdosing|expect.new-point", by="msgctxt")
    new.msgstr, new.flags = "Llame a {clinic.name} antes de empezar.", [*new.flags, "fuzzy"]
    catalog.save()
    output = imported(project, po_file)
    assert f"confirmed against the current source: {ES}: expect.no-dose" in output
    assert f"skipped (still fuzzy / needs review): {ES}: expect.new-point" in output
    rows = json.loads(run("status", "--json", "--lang", "es", "--project", project).output)
    row = next(r for r in rows if r["handout"] == "microdosing")
    assert (row["stale_units"], row["missing_units"]) == ([], ["expect.new-point"])


# -- defect 4: the guard never switches off silently ------------------------------------------------------------
def test_po_without_hash_lines_is_refused_unless_accepted(project: Path, tmp_path: Path) -> None:
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    for entry in catalog:
        entry.comment = "\n".join(c for c in entry.comment.split("\n") if "-hash:" not in c)
    catalog.find("microdosing|expect.placebo", by="msgctxt").msgstr = "Un placebo es una pastilla sin droga."
    catalog.save()
    err = refused(project, po_file)
    assert "lost their hash lines" in err and "--accept-missing-hashes" in err
    result = run("translate", "import", po_file, "--project", project, "--accept-missing-hashes")
    assert result.exit_code == 0, result.output
    assert "overridden:" in result.stderr and "(--accept-missing-hashes)" in result.stderr
    assert f"imported: {ES}: expect.placebo" in result.stdout


def test_a_spanish_file_relabelled_arabic_is_refused(project: Path, tmp_path: Path) -> None:
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    catalog.metadata["Language"] = "ar"
    catalog.save()
    err = refused(project, po_file)
    assert "exported for 'es', but the Language header says 'ar'" in err
    xlf = export(project, "es", tmp_path, ".xlf")
    tree = xml(xlf)
    for file in tree.iterfind("x:file", NS):
        file.set("target-language", "ar")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert "exported for 'es', but target-language says 'ar'" in refused(project, xlf)
    assert "--lang asks for 'ar'" in refused(project, export(project, "es", tmp_path, ".po"), "--lang", "ar")
    for tu in tree.iterfind(".//x:trans-unit", NS):
        del tu.attrib["extradata"]
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert "lost their hash lines" in refused(project, xlf)


# -- defect 6: approvals and states said plainly ------------------------------------------------------------
def test_import_says_it_voids_an_approval_and_status_agrees_with_list(project: Path, tmp_path: Path) -> None:
    assert run("approve", project / ES, "--reviewer", "R. Example", "--role", "MD", "--project", project).exit_code == 0
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    catalog.find("microdosing|expect.placebo", by="msgctxt").msgstr = "Un placebo es una pastilla sin droga."
    catalog.save()
    result = run("translate", "import", po_file, "--project", project)
    assert result.exit_code == 0, result.output
    assert f"approval no longer applies: {ES} was approved by R. Example" in result.stderr
    edit(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms also vary a great deal in strength")
    rows = json.loads(run("status", "--json", "--lang", "es", "--project", project).output)
    assert next(r for r in rows if r["handout"] == "microdosing")["review"] == "translation out of date"
    listed = [line for line in run("list", "--project", project).output.split("\n")
              if line.startswith("microdosing") and " es " in line]
    assert listed and listed[0].rstrip().endswith("translation out of date")


# -- defect 7: messages ----------------------------------------------------------------------------------
def test_export_refuses_a_format_that_contradicts_the_file_name(project: Path, tmp_path: Path) -> None:
    result = run("translate", "export", "es", "--format", "po", "-o", tmp_path / "x.xlf", "--project", project)
    assert result.exit_code == 2 and "does not match the file name x.xlf" in result.stderr
    assert not (tmp_path / "x.xlf").exists()


def test_check_shows_bidi_controls_escaped_in_its_excerpt(project: Path) -> None:
    edit(project, AR, "text: \"", "text: \"\u202b", 1)
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "\u202b" not in result.stderr
    line = next(x for x in result.stderr.split("\n") if "\\u202b" in x and " | " in x)
    caret = result.stderr.split("\n")[result.stderr.split("\n").index(line) + 1]
    assert line[caret.index("^")] == "\\"  # the caret points at the escaped control itself


def test_a_missing_unit_names_translate_sync_and_build_names_handouts_yaml(project: Path, tmp_path: Path) -> None:
    result = run("translate", "new", "fr", "--project", project)
    assert result.exit_code == 0 and "add 'fr' to `languages:` in handouts.yaml" in result.output
    assert "fonts.yaml" in result.output
    english = [line.strip() for line in (project / EN).read_text(encoding="utf-8").split("\n")
               if line.strip().startswith("#")]
    french = (project / "content/fr/microdosing.yaml").read_text(encoding="utf-8")
    assert english and not [c for c in english if c in french]  # the source's comments are not copied
    result = run("build", "--lang", "fr", "-j", "1", "--project", project, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "not listed in handouts.yaml" in result.stderr
    edit(project, EN, "      - subheading: research\n",
         '      - paragraph: newer-point\n        text: "Ask first."\n      - subheading: research\n')
    result = run("check", "--project", project)
    assert "run `handouts translate sync es` to add it" in result.stderr


# -- item 8: what Weblate, Crowdin, Pontoon and Phrase users need ---------------------------------------------
@needs_gettext
def test_pot_template_starts_a_new_language_with_msginit(project: Path, tmp_path: Path) -> None:
    pot = tmp_path / "handouts.pot"
    result = run("translate", "template", "-o", pot, "--project", project)
    assert result.exit_code == 0, result.output
    template = polib.pofile(str(pot))
    assert template.metadata["POT-Creation-Date"] and all(e.msgstr == "" for e in template if e.msgid)
    fr = tmp_path / "fr.po"
    subprocess.run(["msginit", "--no-translator", "-l", "fr", "-i", str(pot), "-o", str(fr)], check=True,
                   capture_output=True)
    catalog = polib.pofile(str(fr))
    catalog.find("microdosing|expect.placebo", by="msgctxt").msgstr = "Un placebo est une pilule sans drogue."
    catalog.save()
    checked = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(fr)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    assert run("translate", "new", "fr", "--project", project).exit_code == 0
    output = imported(project, fr)
    assert "imported: content/fr/microdosing.yaml: expect.placebo" in output


def test_xliff_carries_previous_source_limits_inline_tags_location_and_glossary(
        project: Path, tmp_path: Path, xliff_schema: etree.XMLSchema) -> None:
    (project / "content/glossary.yaml").write_text(
        'terms:\n  - term: "Spravato"\n    do_not_translate: true\n    note: "brand name"\n'
        '  - term: "microdose"\n    note: "a very small dose"\n    translations: {es: "microdosis"}\n',
        encoding="utf-8")
    stale_and_missing(project)
    xlf = export(project, "es", tmp_path, ".xlf", "--handout", "microdosing", "--handout", "esketamine-nasal-spray")
    tree = xml(xlf)
    assert xliff_schema.validate(tree), xliff_schema.error_log.filter_from_errors()[:5]
    assert {f.get("original") for f in tree.iterfind("x:file", NS)} == {"microdosing", "esketamine-nasal-spray"}
    stale = unit(tree, "microdosing|expect.no-dose")
    alt = stale.find("x:alt-trans[@alttranstype='previous-version']", NS)
    assert "".join(alt.find("x:source", NS).itertext()).startswith("There is **no agreed microdose**. Mushrooms "
                                                                   "also vary a lot")
    bold = stale.find("x:source/x:bpt[@ctype='bold']", NS)
    assert bold.text == "**" and stale.find(f"x:source/x:ept[@id='{bold.get('id')}']", NS).text == "**"
    notes = [n.text for n in stale.iterfind("x:note", NS)]
    assert "glossary: microdose: use 'microdosis' (a very small dose)" in notes
    title = unit(tree, "microdosing|title")
    assert title.get("size-unit") == "char" and 20 < int(title.get("maxwidth")) < 200
    context = {c.get("context-type"): c.text for c in title.iterfind("x:context-group/x:context", NS)}
    title_line = next(i for i, line in enumerate((project / EN).read_text(encoding="utf-8").split("\n"), 1)
                      if line.startswith("title:"))
    assert context == {"sourcefile": EN, "linenumber": str(title_line)}
    brand = unit(tree, "esketamine-nasal-spray|title").find("x:source/x:mrk[@mtype='protected']", NS)
    assert brand is not None and brand.text == "Spravato"
    # Inline tags read back as the markup they hold: an unchanged export imports as unchanged.
    assert "0 unit(s) imported" in imported(project, xlf)
    po_file = export(project, "es", tmp_path, ".po", "--handout", "microdosing")
    title_entry = polib.pofile(str(po_file)).find("microdosing|title", by="msgctxt")
    assert any(f.startswith("max-length:") for f in title_entry.flags)


def test_shipped_glossary_terms_pass_pofilter_notranslatewords_in_spanish(project: Path, tmp_path: Path) -> None:
    import yaml

    terms = yaml.safe_load((project / "content/glossary.yaml").read_text(encoding="utf-8"))["terms"]
    keep = [t["term"] for t in terms if t.get("do_not_translate")]
    assert {"Spravato", "988", "FDA"} <= set(keep)
    words = tmp_path / "do-not-translate.txt"
    words.write_text("\n".join(keep) + "\n", encoding="utf-8")
    po_file = export(project, "es", tmp_path, ".po")
    notes = polib.pofile(str(po_file)).find("esketamine-nasal-spray|title", by="msgctxt").comment
    assert "glossary: Spravato: keep as written, do not translate" in notes
    bad = tmp_path / "bad.po"
    subprocess.run(["pofilter", "-t", "notranslatewords", f"--notranslatefile={words}", str(po_file), str(bad)],
                   check=True, capture_output=True)
    assert not bad.exists() or not [e for e in polib.pofile(str(bad)) if e.msgid]


def test_translator_comments_are_kept_on_import(project: Path, tmp_path: Path) -> None:
    po_file = export(project, "es", tmp_path, ".po")
    catalog = polib.pofile(str(po_file))
    entry = catalog.find("microdosing|expect.placebo", by="msgctxt")
    entry.tcomment = "Revisado con la clínica el martes."
    entry.msgstr = "Un placebo es una pastilla sin droga."
    catalog.save()
    output = imported(project, po_file)
    assert f"comments added: {ES}: expect.placebo" in output
    text = (project / ES).read_text(encoding="utf-8")
    assert "# Revisado con la clínica el martes.\n" in text
    assert text.index("# Revisado con la clínica") < text.index("Un placebo es una pastilla sin droga.")
    assert run("check", "--project", project).exit_code == 0
    again = export(project, "es", tmp_path, ".po")
    assert "Revisado con la clínica el martes." in polib.pofile(str(again)).find(
        "microdosing|expect.placebo", by="msgctxt").tcomment
    assert "0 unit(s) imported" in imported(project, again)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_yaml_only_line_break_in_a_comment_stops_the_export_where_it_stands(
        project: Path, tmp_path: Path, separator: str) -> None:
    """Third hostile pass: a comment ending in U+2028 (a YAML line break) moved the translator's new comment
    three lines up, into another unit's text; lines were then counted as YAML counts them. Tenth pass: such a
    break can hide a whole entry inside what an editor shows as a comment, so the file is refused at the break,
    at the line an editor shows (here the first), and nothing is written."""
    path = project / ES
    path.write_text(f"# note for translators{separator * 3}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    before = path.read_bytes()
    out = tmp_path / "es.po"
    result = run("translate", "export", "es", "--output", out, "--project", project)
    assert result.exit_code == 1 and f"{ES}:1:23:" in result.output + result.stderr, result.output
    assert "YAML ends a line there" in result.output + result.stderr
    assert path.read_bytes() == before and not out.exists()


def test_done_keeps_the_source_text_so_the_next_change_shows_it(project: Path, tmp_path: Path) -> None:
    edit(project, EN, "Mushrooms also vary a lot in strength", "Mushrooms vary a lot in strength")
    assert run("translate", "done", "es", "--unit", "expect.no-dose", "--project", project).exit_code == 0
    edit(project, EN, "Mushrooms vary a lot in strength", "Mushroom strength varies a lot")
    tree = xml(export(project, "es", tmp_path, ".xlf", "--handout", "microdosing"))
    tu = unit(tree, "microdosing|expect.no-dose")
    previous = "".join(tu.find("x:alt-trans/x:source", NS).itertext())
    assert "Mushrooms vary a lot in strength" in previous  # the text `done` recorded, not the original
    note = etree.SubElement(tu, f"{{{X}}}note", {"from": "translator"})
    note.text = "Pendiente: confirmar con farmacia."
    tree.write(str(tmp_path / "es.xlf"), xml_declaration=True, encoding="UTF-8")
    assert f"comments added: {ES}: expect.no-dose" in imported(project, tmp_path / "es.xlf")
    assert "# Pendiente: confirmar con farmacia." in (project / ES).read_text(encoding="utf-8")


def test_hashes_travel_where_the_schema_allows(project: Path, tmp_path: Path) -> None:
    tree = xml(export(project, "es", tmp_path, ".xlf"))
    tu = unit(tree, "microdosing|expect.research")
    source = "".join(tu.find("x:source", NS).itertext())
    assert tu.get("extradata").split() == ["patient-handouts", "lang=es", f"source-hash={source_hash(source)}",
                                           f"translation-hash={source_hash('Lo que muestra la investigación')}"]
    assert all(k.startswith("{") is False or k.startswith("{http://www.w3.org/XML/1998/namespace}")
               for t in tree.iter() for k in t.attrib)
