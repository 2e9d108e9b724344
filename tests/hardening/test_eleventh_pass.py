"""The eleventh hostile pass (issue 12): new inputs, none repeated from the ten earlier passes or their corpus.
Written against main 2bfd4c4; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import (
    no_traceback,
    prints_as_shipped,
    refused_at_intro,
    set_intro,
    tiny_copy,
    use_noto_copy,
)

NOTO = Path(__file__).resolve().parents[2] / "templates/fonts/noto-sans"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")



# -- deceptive links: a run of spaces the page collapses parts a number the check does not join --------------------
@pytest.mark.parametrize("words", [
    "In a crisis, [call 9    8    8](tel:+15550000666) now.",  # four spaces: ReportLab prints one
    "In a crisis, [call 9\u2003\u2003\u2003\u20038\u2003\u2003\u2003\u20038](tel:+15550000666) now.",  # em spaces
    "In a crisis, [call 9 \u2009 \u2009 8 \u2009 8](tel:+15550000666) now.",  # spaces and thin spaces
    "In a crisis, call 9    [8    8](tel:+15550000666) now.",  # the same across the link's edge
])
def test_a_link_cannot_show_a_number_whose_digits_are_parted_by_a_run_of_spaces(project: Path, words: str) -> None:
    """linkwords joins the digits of a number across at most three characters that are not letters or digits
    (`[^\\w\\n]{0,3}`), so that "9 · 8 · 8" is read as 988 (tenth pass). The page does not print what the text
    holds, though: ReportLab collapses every run of white space to one space. `In a crisis, [call 9    8
    8](tel:+15550000666) now.` (four spaces between the digits) prints "In a crisis, call 9 8 8 now." with the
    link over "call 9 8 8" dialling +1 555 000 0666 (page 1 at 70 dpi looked at; pdftotext; the annotation read);
    four em spaces, a mix of spaces and thin spaces, and `9    [8    8](tel:…)` (the ninth pass's edge check reads
    numbers the same way) print the same. On main 2bfd4c4 `check` and `build` passed each, while `[call 9 8
    8](tel:…)` and `[call 9  8  8](tel:…)` are refused. White space must count as what the page prints: one
    space, however many the text holds."""
    set_intro(project, words)
    refused_at_intro(project, words)


# -- deceptive links: a number said in words other than single digits ------------------------------------------------
@pytest.mark.parametrize("words", [
    "In a crisis, [call nine eighty-eight](tel:+15550000666) now.",
    "In a crisis, [call nine hundred eighty-eight](tel:+15550000666) now.",
    "In a crisis, [call nine double eight](tel:+15550000666) now.",  # how phone numbers are read aloud in the UK/India
    "En una crisis, [llame al nueve ochenta y ocho](tel:+15550000666) ahora.",
    "Khi khủng hoảng, [gọi chín, tám, tám](tel:+15550000666) ngay.",  # Vietnamese digit words, commas
    "Khi khủng hoảng, [gọi chín/tám/tám](tel:+15550000666) ngay.",
])
def test_a_link_cannot_say_a_number_in_words_the_check_does_not_read(project: Path, words: str) -> None:
    """The ninth and tenth passes read digits spelled out one by one ("nine-one-one", "nine eight-eight") as the
    number they say. A number said as people say it is not read: `[call nine eighty-eight](tel:+15550000666)`
    prints "In a crisis, call nine eighty-eight now." (pdftotext) — 988 to any reader — and dials +1 555 000 0666
    (annotation read); also "nine hundred eighty-eight", "nine double eight" and Spanish "nueve ochenta y ocho".
    Vietnamese digit words (everyday words too, so read only in a run) make a run only when parted by spaces or
    hyphens: `[gọi chín, tám, tám](tel:…)` and `chín/tám/tám` ("call nine, eight, eight") are not read, while
    "nine, eight, eight" in English is refused. On main 2bfd4c4 `check` passed each. Tens, hundreds, "double" and
    digit words parted by punctuation must be read as the digits they say (or such link words refused on a tel:
    link whose number they are not)."""
    set_intro(project, words)
    refused_at_intro(project, words)


# -- content altered via fonts: only letters, digits, fractions and . , : ; % + - − are compared --------------------
@pytest.mark.parametrize(("pairs", "text"), [
    ((("/", "7"),), "Take 1/2 tablet."),  # printed "Take 172 tablet."
    ((("\u00b5", "m"),), "Take 250 \u00b5g."),  # micrograms printed as milligrams: a thousand times the dose
    ((("<", ">"), (">", "<")), "Call us if your temperature is > 38 C."),
])
def test_a_font_cannot_draw_a_sign_as_a_digit_or_a_unit_as_another(project: Path, pairs: tuple[tuple[str, str], ...],
                                                                  text: str) -> None:
    """The tenth pass refused a face drawing two of a fixed list of characters (ASCII letters, digits, ten
    fractions and `. , : ; % + - −`) as one picture (fontdigits.MEANINGFUL). Every other character may still be
    drawn as one of them: a copy of Noto Sans (regular and bold) whose cmap sends "/" to the glyph of "7" and "µ"
    to the glyph of "m" prints "Take 1/2 tablet, or 250 µg." as "Take 172 tablet, or 250 mg." (page 1 at 90 dpi
    looked at) — a half tablet becomes 172, micrograms become milligrams — while pdftotext, pypdf and every check
    read the true text; "<" and ">" swapped turn "above 38" into "below 38". On main 2bfd4c4 `check` and `build`
    passed. A character a text uses must not be drawn as the picture of another character (a digit or a letter
    above all), whichever list it is on.
    Now the face's numbers and signs are the shipped glyphs (fontguard): the page prints as in Noto Sans."""
    from fontTools.ttLib import TTFont

    set_intro(project, text)
    (project / "templates/fonts/swapped").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        font = TTFont(NOTO / f"NotoSans-{style}.ttf")
        tables = {id(table.cmap): table for table in font["cmap"].tables}.values()  # subtables may share one map
        for table in tables:
            before = dict(table.cmap)
            for char, donor in pairs:
                if ord(char) in before and ord(donor) in before:
                    table.cmap[ord(char)] = before[ord(donor)]
        font.save(project / f"templates/fonts/swapped/NotoSans-{style}.ttf")
    use_noto_copy(project, "swapped")
    prints_as_shipped(project)


# -- data loss: a folder named with --out loses its own manifest.json --------------------------------------------------
@pytest.mark.parametrize("theirs", [
    '{"name": "Clinic web app", "start_url": "/", "display": "standalone"}\n',  # a web app manifest
    "notes kept here by the front desk, not JSON\n",
])
def test_a_build_never_replaces_a_manifest_json_it_did_not_write(project: Path, tmp_path: Path, theirs: str) -> None:
    """`handouts build --out site` where `site/` is a folder of the clinic's own holding a `manifest.json` (the name
    every web app manifest and browser extension uses): on main 2bfd4c4 the build said "built 1 … (output: site)",
    exit 0, and `site/manifest.json` was the generator's list of entries — the clinic's file gone, without a word
    (the same for a manifest.json that is not JSON at all). A manifest that is not a list of entries is read as
    "no earlier build" and replaced. A file the generator did not write must never be replaced silently: refuse the
    folder (exit 1 or 2, naming the file, nothing written), or keep the file."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "manifest.json").write_text(theirs, encoding="utf-8")
    result = run("build", "--project", project, "--out", site, "-j", "1")
    no_traceback(result)
    assert (site / "manifest.json").read_text(encoding="utf-8") == theirs or result.exit_code != 0, \
        f"the folder's own manifest.json was replaced: {result.output}"
    assert (site / "manifest.json").read_text(encoding="utf-8") == theirs, "a refused build still replaced it"


# -- hang / memory: a folder linked to itself is walked ten thousand times -----------------------------------------
@pytest.mark.parametrize(("folder", "lister"), [("content/notes", "input_files"), ("templates/sub", "template_inputs")])
def test_a_folder_linked_to_itself_is_listed_once(project: Path, folder: str, lister: str) -> None:
    """`files_under` follows a folder link leading inside the walk's bounds (ninth pass) and stops only at 10,000
    folders (MAX_WALKED_FOLDERS); a folder holding two links to itself (`a -> .`, `b -> .`) is walked 10,000 times,
    each time listing its files again. Measured on main 2bfd4c4:

    - content/notes/ with 200 small YAML files and the two links (check and build ignore the folder: "not named
      with a language code"; check 1.1 s, 60 MB): `incremental.input_files`, what `build --watch` polls and what
      the desk stats before every request (its 0.5 s deadline is looked at only after the listing), returned
      1,999,818 paths for 203 real files, in 44.6 s and 1.39 GB; `build --watch` sat at 100 % CPU growing to
      1.8 GB RSS within 45 s of starting (sampled with ps).
    - templates/sub/ with one 1.3 MB text file and the two links: `check` 0.8 s, but every `build` hashes each of
      the 10,000 paths of that file (`template_inputs`: every file of the templates folders is an input, seventh
      pass; the digest cache is keyed by path): 28 s; with a 6 MB file it was still running at 100 s (killed).
      Every build, `--watch` and the desk's on-demand builds pay it.

    Each real file must be listed (and hashed) once, whatever links lead to it. Here 2 small files, so the test
    stays fast on main."""
    from generator import incremental

    linked = project / folder
    linked.mkdir(parents=True)
    for number in range(2):
        (linked / f"n{number}.yaml").write_text("a: 1\n", encoding="utf-8")
    (linked / "a").symlink_to(".")
    (linked / "b").symlink_to(".")
    found = getattr(incremental, lister)(project)
    files = list(found.values()) if isinstance(found, dict) else found
    listed, total = sum(Path(path).name == "n0.yaml" for path in files), len(files)
    assert listed == 1, f"{folder}/n0.yaml listed {listed} times by {lister} (all paths: {total})"


# -- content altered by layout: the tenth pass's Arabic phone-number fix knows one kind of separator -----------------
@pytest.mark.parametrize("phone", [
    "555\u202f010\u202f0100",  # narrow no-break spaces: CLDR's digit-group separator in many locales, CAT tools' too
    "555\u2013010\u20130100",  # en dashes
])
def test_a_phone_number_in_arabic_text_prints_in_order_whatever_its_group_separator(project: Path, phone: str) -> None:
    """The tenth pass isolates a number written in groups inside right-to-left text (`rtl._GROUPED`), so that
    "اتصل على 555 010 0100" no longer prints the groups reversed. The groups may be parted only by a space, a
    no-break space, an ASCII hyphen or a full stop: the Arabic intro "للمواعيد: اتصل على 555 010 0100 الآن."
    written with narrow no-break spaces (U+202F, what many tools put between digit groups) or with en dashes
    between the groups — check ok, build ok — prints the number's groups in reverse: pdftotext -bbox gives, left
    to right, 0100 · 010 · 555 (the same text with plain spaces: 555 · 010 · 0100; page 1 at 150 dpi looked at).
    On main 2bfd4c4. A number in a translator's text must print as written whatever separates its groups, or be
    refused with a way to write it."""
    import subprocess

    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    arabic = project / "content/ar/tiny.yaml"
    text = arabic.read_text(encoding="utf-8")
    at = text.index('text: "نص عربي قصير."', text.index("paragraph: intro"))
    arabic.write_text(text[:at] + f'text: "للمواعيد: اتصل على {phone} الآن."'
                      + text[at + len('text: "نص عربي قصير."'):], encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1:
        return  # refused, with a way to write it
    built = run("build", "--project", project, "--lang", "ar", "-j", "1")
    assert built.exit_code == 0, built.output + built.stderr
    shown = subprocess.run(["pdftotext", project / "output/ar/tiny.pdf", "-"], capture_output=True, text=True,
                           check=True).stdout
    line = next(line for line in shown.splitlines() if "للمواعيد" in line)
    plain = line.replace("\u202f", " ").replace("\u2013", " ")
    assert "0100 010 555" not in plain, f"the Arabic page prints the phone number's groups reversed: {line!r}"


# -- translate import: XLIFF native-code elements the source does not have are imported as words ---------------------
@pytest.mark.parametrize("target", [
    'Tome <ph id="1">diez</ph> tabletas.',
    'Tome <bpt id="1">diez</bpt> tabletas.',
])
def test_an_xliff_target_s_inline_code_the_source_lacks_is_refused_like_x(project: Path, tmp_path: Path,
                                                                          target: str) -> None:
    """`translate import` refuses an XLIFF target holding `<x id="1"/>` that its source lacks ("inline code <x
    id="1"> is not in the source; copy the tags from the source text"). `<ph>` and `<bpt>` — whose content is, in
    XLIFF 1.2, the native code a CAT tool shows as a tag chip, not words for the translator — pass: the source
    "An introduction." exported by `translate export es --format xliff`, its target set to `Tome <ph
    id="1">diez</ph> tabletas.` (state="translated"), imported on main 2bfd4c4: "1 unit(s) imported", the Spanish
    file's text "Tome diez tabletas." — words a CAT tool showed its translator and reviewer as a tag (the same for
    `<bpt>`). An inline code the source does not have must be refused whatever its element, and the content of
    a native-code element never imported as the translation's words."""
    import re

    assert run("translate", "new", "es", "--project", project).exit_code == 0
    exported = tmp_path / "es.xlf"
    assert run("translate", "export", "es", "--format", "xliff", "-o", exported, "--project", project).exit_code == 0
    xliff = exported.read_text(encoding="utf-8")
    xliff, count = re.subn(r'(<source>An introduction\.</source>\s*)<target state="needs-translation" />',
                           lambda m: m.group(1) + f'<target state="translated">{target}</target>', xliff, count=1)
    assert count == 1
    exported.write_text(xliff, encoding="utf-8")
    spanish = project / "content/es/tiny.yaml"
    before = spanish.read_bytes()
    imported = run("translate", "import", exported, "--project", project)
    no_traceback(imported)
    assert imported.exit_code == 1 and spanish.read_bytes() == before, \
        f"an inline code the source lacks was imported as words: {imported.output}"


def test_an_xliff_target_cannot_change_a_link_s_address_hidden_in_a_tag(project: Path, tmp_path: Path) -> None:
    """`translate export --format xliff` writes a link's address as the native code of its closing tag: the source
    "Read **more** on [our site](https://clinic.example.org/ketamine)." is exported as `… <bpt id="2"
    ctype="link">[</bpt>our site<ept id="2">](https://clinic.example.org/ketamine)</ept>.` — what a CAT tool shows
    its translator and reviewer as a tag chip, never as text. A target keeping the tags' ids but with `<ept
    id="2">](https://evil.example/ketamina)</ept>` was imported on main 2bfd4c4 without a word ("1 unit(s)
    imported", exit 0): the Spanish file now reads `Lea **más** en [nuestro sitio](https://evil.example/ketamina).`,
    and `check` accepts it (a translation's web links are not compared with its source's). A tag whose code
    differs from the source's tag of the same id must be refused, or the changed address named in the import's
    report."""
    import re

    set_intro(project, "Read **more** on [our site](https://clinic.example.org/ketamine).")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    exported = tmp_path / "es.xlf"
    assert run("translate", "export", "es", "--format", "xliff", "-o", exported, "--project", project).exit_code == 0
    xliff = exported.read_text(encoding="utf-8")
    source = re.search(r"<source>Read .*?</source>", xliff)
    assert source and "https://clinic.example.org/ketamine" in source.group(), xliff[:2000]
    target = (source.group().replace("<source>", '<target state="translated">').replace("</source>", "</target>")
              .replace("Read ", "Lea ").replace(">more<", ">más<").replace(" on ", " en ")
              .replace(">our site<", ">nuestro sitio<").replace("https://clinic.example.org/ketamine",
                                                                 "https://evil.example/ketamina"))
    at = xliff.index('<target state="needs-translation" />', source.end())
    exported.write_text(xliff[:at] + target + xliff[at + len('<target state="needs-translation" />'):],
                        encoding="utf-8")
    spanish = project / "content/es/tiny.yaml"
    before = spanish.read_bytes()
    imported = run("translate", "import", exported, "--project", project)
    no_traceback(imported)
    said = "evil.example" in imported.output + imported.stderr
    assert said or (imported.exit_code == 1 and spanish.read_bytes() == before), \
        f"the link's address changed inside a tag without a word: {imported.output}"


# -- review state: what a screen reader hears of a draft is the project's own string ---------------------------------
def test_a_screen_reader_hears_draft_whatever_the_project_s_draft_string_says(project: Path) -> None:
    """The fifth pass made page 1's review state tagged content, so that a screen reader hears that a handout is a
    draft (the DRAFT watermark is an artifact). What it hears is the project's own UI string `review.draft`: with
    content/en/ui.yaml `review.draft: "Reviewed by the clinic's medical team"` (and `watermark: "FINAL"`), on
    main 2bfd4c4 `check` said ok, the draft PDF's footer reads "Reviewed by the clinic's medical team", the
    diagonal reads "DRAFT" (the generator's own English word) with "FINAL" beneath it (page 1 at 50 dpi looked
    at), and the tagged text a screen reader reads holds "Reviewed by the clinic's medical team" and no "draft"
    anywhere. The generator's own word must reach assistive technology as it reaches the eye (the HTML companion's
    notice says DRAFT in English and each printed language), or such a string be refused."""
    from tests.hardening.test_fifth_pass import _tagged_text

    ui = project / "content/en/ui.yaml"
    text = ui.read_text(encoding="utf-8")
    assert "  review.draft: Draft - not reviewed\n" in text and '  watermark: "DRAFT"\n' in text
    ui.write_text(text.replace("  review.draft: Draft - not reviewed\n",
                               "  review.draft: \"Reviewed by the clinic's medical team\"\n")
                  .replace('  watermark: "DRAFT"\n', '  watermark: "FINAL"\n'), encoding="utf-8")
    checked = run("check", "--project", project)
    no_traceback(checked)
    if checked.exit_code == 1:
        return  # refused
    built = run("build", "--project", project, "-j", "1")
    assert built.exit_code == 0, built.output + built.stderr
    spoken = _tagged_text(project / "output/en/tiny.pdf")
    assert "general information only" in spoken.lower()  # the probe reads the tagged content
    assert "draft" in spoken.lower(), f"a screen reader hears no draft: {spoken[-300:]!r}"


def test_a_font_cannot_draw_an_arabic_indic_8_as_1(project: Path) -> None:
    """The ninth pass refused a face drawing the ASCII "8" as "1" (fontdigits.py compares the digits 0-9 with the
    shipped faces' digits), and the tenth pass two of a fixed list of characters drawn alike. Arabic text is often
    written with Arabic-Indic digits: the Arabic intro "في حالة الطوارئ اتصل بالرقم ٩٨٨ الآن." ("In an emergency
    call ٩٨٨ now"), the language set to a copy of DejaVu Sans (regular and bold) whose cmap sends ٨ (U+0668) to
    the glyph of ١ (U+0661): on main 2bfd4c4 `check` and `build --lang ar` passed, and the page prints "اتصل
    بالرقم ٩١١" — 911 — (page 1 at 150 dpi looked at) while pdftotext reads ٩٨٨. Every digit a text uses, in any
    script, must be drawn as itself.
    Now the face's numbers are the shipped glyphs (fontguard): the page prints as in DejaVu Sans."""
    import shutil

    from fontTools.ttLib import TTFont

    from tests.hardening.test_ninth_pass import _with_arabic

    _with_arabic(project)
    arabic = project / "content/ar/tiny.yaml"
    text = arabic.read_text(encoding="utf-8")
    at = text.index('text: "نص عربي قصير."', text.index("paragraph: intro"))
    arabic.write_text(text[:at] + 'text: "في حالة الطوارئ اتصل بالرقم ٩٨٨ الآن."'
                      + text[at + len('text: "نص عربي قصير."'):], encoding="utf-8")
    assert run("translate", "done", "ar", "--all", "--project", project).exit_code == 0
    shipped = NOTO.parent
    (project / "templates/fonts/dv").mkdir(parents=True)
    shutil.copytree(NOTO, project / "templates/fonts/noto")
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        font = TTFont(shipped / f"dejavu-sans/{name}.ttf")
        for table in font["cmap"].tables:
            if 0x0668 in table.cmap and 0x0661 in table.cmap:
                table.cmap[0x0668] = table.cmap[0x0661]
        font.save(project / f"templates/fonts/dv/{name}.ttf")
    (project / "templates/fonts.yaml").write_text(
        "families:\n  noto:\n    regular: fonts/noto/NotoSans-Regular.ttf\n    bold: fonts/noto/NotoSans-Bold.ttf\n"
        "  dv:\n    regular: fonts/dv/DejaVuSans.ttf\n    bold: fonts/dv/DejaVuSans-Bold.ttf\n"
        "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
        "  ar: {family: dv, direction: rtl, breaking: words}\n", encoding="utf-8")
    prints_as_shipped(project, "ar", "dejavu-sans")


