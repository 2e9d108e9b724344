"""The twenty-sixth hostile pass, part C (issue 12): whole workflows of one user at a time — a translator's round
trip through a CAT tool, a medical reviewer's, clinic staff's — with careless-but-plausible steps along the way.
Written against main af9f89c; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import run
from tests.hardening.hostile import declare, no_traceback, spanish_started, tiny_copy

SUMMARY_PO = 'msgid "What this tiny handout is for."\nmsgstr ""'
SUMMARY_XLF = "<source>What this tiny handout is for.</source>"


def _exported(tmp_path: Path, suffix: str) -> tuple[Path, Path]:
    """The Spanish started tiny project and its export, as `translate export` wrote it."""
    root = spanish_started(tmp_path / "p")
    exchange = tmp_path / f"es{suffix}"
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    return root, exchange


def _source_edited(text: str, suffix: str) -> str:
    """The summary's source text changed in the file (a slip in a text editor, Trados's or memoQ's "edit source")
    and that changed text translated."""
    if suffix == ".po":
        assert SUMMARY_PO in text
        return text.replace(SUMMARY_PO, 'msgid "What this tiny handout is not for."\nmsgstr "Para qué NO es."')
    return _xlf_target(text.replace(SUMMARY_XLF, "<source>What this tiny handout is not for.</source>"),
                       "<source>What this tiny handout is not for.</source>", "Para qué NO es.")


def _xlf_target(text: str, source: str, target: str) -> str:
    """The XLIFF with the target after `source` (exported empty) holding `target`, state translated."""
    start = text.index(source) + len(source)
    end = text.index("/>", start) + 2
    return text[:start] + f'\n        <target state="translated">{target}</target>' + text[end:]


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_import_refuses_a_translation_of_a_source_text_edited_in_the_file(tmp_path: Path, suffix: str) -> None:
    """A translator's tool lets the source be edited (a PO opened in a text editor; Trados's and memoQ's "edit
    source"); the summary's English was changed in the file by mistake ("… is for" → "… is not for") and the changed
    text translated. `translate import` said "1 unit(s) imported", exit 0, and recorded the translation as made from
    the current English: `status` 100 % current, nothing stale — a Spanish text that says the opposite of the English,
    under the drift guard's word that it is up to date. Now a unit whose source in the file is not the one exported
    (its text's hash differs from the file's own `source-hash`) is refused at its line, nothing written."""
    root, exchange = _exported(tmp_path, suffix)
    exchange.write_text(_source_edited(exchange.read_text(encoding="utf-8"), suffix), encoding="utf-8")
    before = (root / "content/es/tiny.yaml").read_bytes()
    result = run("translate", "import", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "source" in result.stderr and "summary" in result.stderr, result.stderr
    assert f"es{suffix}:" in result.stderr, result.stderr  # named at its place in the file
    assert (root / "content/es/tiny.yaml").read_bytes() == before


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_an_untouched_source_with_a_translation_still_imports(tmp_path: Path, suffix: str) -> None:
    """The guard's other side: the same translation with the source as exported imports as before."""
    root, exchange = _exported(tmp_path, suffix)
    text = exchange.read_text(encoding="utf-8")
    if suffix == ".po":
        text = text.replace(SUMMARY_PO, SUMMARY_PO[:-2] + '"Para qué es este folleto."')
    else:
        text = _xlf_target(text, SUMMARY_XLF, "Para qué es.")
    exchange.write_text(text, encoding="utf-8")
    result = run("translate", "import", exchange, "--project", root)
    assert result.exit_code == 0, result.stderr
    assert "1 unit(s) imported" in result.output, result.output


def test_a_plural_entry_is_named_where_it_is(tmp_path: Path) -> None:
    """A CAT tool (or a translator following gettext habits) turned the summary into a plural entry (`msgid_plural`,
    `msgstr[0]`, `msgstr[1]`). `translate import` said "msgctxt appears twice in one entry; separate entries with a
    blank line" at the NEXT entry's msgctxt — an error about a blank line that is there, at a line that is right:
    the parser never saw the plural entry end. Now it is named at its own line as a plural entry."""
    root, exchange = _exported(tmp_path, ".po")
    text = exchange.read_text(encoding="utf-8")
    plural = ('msgid "What this tiny handout is for."\nmsgid_plural "What these tiny handouts are for."\n'
              'msgstr[0] "Para qué es."\nmsgstr[1] "Para qué son."')
    exchange.write_text(text.replace(SUMMARY_PO, plural), encoding="utf-8")
    result = run("translate", "import", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "plural" in result.stderr, result.stderr
    assert "appears twice" not in result.stderr, result.stderr
    line = next(n for n, s in enumerate(exchange.read_text(encoding="utf-8").split("\n"), 1) if "msgid_plural" in s)
    assert any(f"es.po:{n}:" in result.stderr for n in range(line - 8, line + 1)), result.stderr


def test_sync_says_truly_why_a_comment_on_a_removed_unit_stops_it(tmp_path: Path) -> None:
    """A translator wrote a note at the end of a text line (`text: "Una introducción."  # revisado con la
    clínica`); the English author then deleted that paragraph. `translate sync es` refused, as it must not drop the
    note, but said "(a comment inside { } cannot be kept) … move the comment above the entry": there is no { }, and
    the note moved above the entry (as a line of its own) is what sync then keeps. The reason names both cases and
    the hint says "a line of its own"; following it brings the file up to date with the note kept."""
    root = spanish_started(tmp_path / "p")
    spanish = root / "content/es/tiny.yaml"
    text = spanish.read_text(encoding="utf-8")
    old = '        text: "An introduction."\n'
    assert old in text
    spanish.write_text(text.replace(old, '        text: "Una introducción."  # revisado con la clínica\n'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--all", "--project", root).exit_code == 0
    source = root / "content/en/tiny.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '      - paragraph: intro\n        text: "An introduction."\n', "", 1), encoding="utf-8")
    refused = run("translate", "sync", "es", "--project", root)
    no_traceback(refused)
    assert refused.exit_code == 1, refused.output
    assert "revisado con la clínica" in refused.stderr
    assert "on an entry this command removes" in refused.stderr and "a line of its own" in refused.stderr
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text.replace('      - paragraph: intro\n        text: "Una introducción."  # revisado con la '
                                    'clínica\n', '      # revisado con la clínica\n      - paragraph: intro\n'
                                    '        text: "Una introducción."\n'), encoding="utf-8")
    synced = run("translate", "sync", "es", "--project", root)
    assert synced.exit_code == 0, synced.stderr
    assert "# revisado con la clínica" in spanish.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_a_second_import_of_the_same_file_takes_the_translators_revision(tmp_path: Path, suffix: str) -> None:
    """A translator imported part of the work ("so the clinic can build a draft"), went on in the same file — as
    Poedit and OmegaT keep it open — revised the summary translated before, and imported again. The import said
    "changed on both sides: content/es/tiny.yaml has a different translation than at export time … export again
    and redo the change": the "other side" was the first import of this very file; and `translate export` over the
    file was refused ("holds work … import it first"). The revision could not come in but with a hand edit of the
    YAML. A unit whose content text is what an earlier import of this same file wrote is the translator's own:
    the revision imports. Anyone else's edit in between is still a conflict."""
    root, exchange = _exported(tmp_path, suffix)
    text = exchange.read_text(encoding="utf-8")
    first = (text.replace(SUMMARY_PO, SUMMARY_PO[:-2] + '"Para qué es."') if suffix == ".po"
             else _xlf_target(text, SUMMARY_XLF, "Para qué es."))
    exchange.write_text(first, encoding="utf-8")
    assert run("translate", "import", exchange, "--project", root).exit_code == 0
    exchange.write_text(first.replace("Para qué es.", "Para qué sirve este folleto."), encoding="utf-8")
    again = run("translate", "import", exchange, "--project", root)
    no_traceback(again)
    assert again.exit_code == 0, again.stderr
    spanish = root / "content/es/tiny.yaml"
    assert "Para qué sirve este folleto." in spanish.read_text(encoding="utf-8")
    # someone else's edit of the unit in between is still a conflict
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("Para qué sirve este folleto.",
                                                                       "Para qué es este folleto."), encoding="utf-8")
    exchange.write_text(first.replace("Para qué es.", "Para qué sirve."), encoding="utf-8")
    conflict = run("translate", "import", exchange, "--project", root)
    assert conflict.exit_code == 1 and "changed on both sides" in conflict.stderr, conflict.output


def test_an_xliff_whose_tool_rewrote_the_inline_tags_as_g_loses_no_bold_unsaid(tmp_path: Path) -> None:
    """A CAT tool that saves XLIFF 1.2 with paired `<g id="1">…</g>` where the export wrote `<bpt id="1">**</bpt>…
    <ept id="1">**</ept>` — in the source and the target alike. `translate import` said "1 unit(s) imported", exit
    0, and wrote the Spanish without its bold: the markup the tags stood for was gone from both, and nothing said
    so. Now the unit is refused at its line, naming the rewritten tags (its words are the English's)."""
    root = tiny_copy(tmp_path / "p")
    declare(root, "es")
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace('"An introduction."',
                                                                   '"An **important** introduction."'),
                       encoding="utf-8")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    exchange = tmp_path / "es.xlf"
    assert run("translate", "export", "es", "-o", exchange, "--project", root).exit_code == 0
    text = exchange.read_text(encoding="utf-8")
    exported = '<source>An <bpt id="1" ctype="bold">**</bpt>important<ept id="1">**</ept> introduction.</source>'
    assert exported in text, text
    rewritten = '<source>An <g id="1" ctype="bold">important</g> introduction.</source>'
    text = _xlf_target(text.replace(exported, rewritten), rewritten, 'Una introducción <g id="1">importante</g>.')
    exchange.write_text(text, encoding="utf-8")
    result = run("translate", "import", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "inline tags" in result.stderr and "expect.intro" in result.stderr, result.stderr
    assert "Una introducción" not in (root / "content/es/tiny.yaml").read_text(encoding="utf-8")


def test_a_source_only_rewrapped_by_a_tool_still_imports(tmp_path: Path) -> None:
    """The edited-source guard's other side: a tool that re-wraps the `<source>` (a line break and indent where a
    space was, as an XML pretty-printer does) or types curly quotes left the English's words as they were; its
    translation imports as before."""
    root, exchange = _exported(tmp_path, ".xlf")
    rewrapped = "<source>What this tiny\n          handout is for.</source>"
    text = exchange.read_text(encoding="utf-8").replace(SUMMARY_XLF, rewrapped)
    exchange.write_text(_xlf_target(text, rewrapped, "Para qué es."), encoding="utf-8")
    result = run("translate", "import", exchange, "--project", root)
    assert result.exit_code == 0, result.stderr
    assert "Para qué es." in (root / "content/es/tiny.yaml").read_text(encoding="utf-8")


def _import_after_the_subheading_is_deleted(root: Path, exchange: Path) -> Result:
    """The English author deletes the tiny handout's subheading, `translate sync es` follows, then the import."""
    source = root / "content/en/tiny.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        '      - subheading: more\n        text: "More to know"\n', "", 1), encoding="utf-8")
    assert run("translate", "sync", "es", "--project", root).exit_code == 0
    result = run("translate", "import", exchange, "--project", root)
    no_traceback(result)
    return result


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_an_english_unit_deleted_during_the_translation_does_not_lock_the_file(tmp_path: Path, suffix: str) -> None:
    """While the translator worked in the export (the summary translated), the English author deleted a subheading
    the translator never touched, and `translate sync es` followed. `translate import` refused the whole file:
    "unit 'expect.more' no longer exists …; export again" — and `translate export` over it was refused ("holds work
    … import it first"). Each pointed at the other; the translator's work came in only by editing the exchange file
    by hand, which no message said. An untouched entry of a deleted unit carries nothing to import: it is passed
    over and the rest imports. One the translator did translate is still refused, saying how to go on."""
    root, exchange = _exported(tmp_path, suffix)
    text = exchange.read_text(encoding="utf-8")
    exchange.write_text(text.replace(SUMMARY_PO, SUMMARY_PO[:-2] + '"Para qué es."') if suffix == ".po"
                        else _xlf_target(text, SUMMARY_XLF, "Para qué es."), encoding="utf-8")
    result = _import_after_the_subheading_is_deleted(root, exchange)
    assert result.exit_code == 0, result.stderr
    assert "Para qué es." in (root / "content/es/tiny.yaml").read_text(encoding="utf-8")


def test_a_translation_of_a_deleted_unit_is_refused_with_a_way_on(tmp_path: Path) -> None:
    """The same, but the translator had translated the deleted subheading: refused (the translation can go nowhere),
    and the hint is one that works — not "export again", which the export refuses over a file holding work."""
    root, exchange = _exported(tmp_path, ".po")
    more = 'msgid "More to know"\nmsgstr ""'
    text = exchange.read_text(encoding="utf-8")
    assert more in text
    exchange.write_text(text.replace(more, more[:-2] + '"Más información"'), encoding="utf-8")
    result = _import_after_the_subheading_is_deleted(root, exchange)
    assert result.exit_code == 1, result.output
    assert "expect.more" in result.stderr and "delete this entry" in result.stderr, result.stderr
