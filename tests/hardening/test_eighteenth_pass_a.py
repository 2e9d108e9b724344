"""The eighteenth hostile pass, part A (issue 12): every command but drawing, with new inputs none of the seventeen
earlier passes or their corpus tried. Written against main 0428e54; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


@contextmanager
def time_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> Iterator[None]:
    """The process's local time zone is `zone` (date.today() follows it) until the block ends."""
    with monkeypatch.context() as patch:
        patch.setenv("TZ", zone)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


def test_an_approval_made_in_a_time_zone_ahead_does_not_stop_every_build(project: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A reviewer approves on a laptop in Kiritimati (UTC+14) — or in Sydney, in the evening of the clinic's
    server in California; the server (UTC-12 here) runs `check` and `build`: "review.date: the date 2026-12-08 is
    after today (2026-12-06)", and every handout of the project, in every language, stops building (and the desk
    serves none) until the server's calendar catches up. `approve` wrote, honestly, a record the project then
    refused. A date is "after today" only when no place on Earth has reached it yet."""
    with time_zone(monkeypatch, "Pacific/Kiritimati"):
        approved = run("approve", "--reviewer", "Dr A", "--role", "MD", "--project", project,
                       project / "content/en/tiny.yaml")
    assert approved.exit_code == 0, approved.stderr
    with time_zone(monkeypatch, "Etc/GMT+12"):
        for command in ("check", "build"):
            result = run(command, "--project", project)
            no_traceback(result)
            assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("where", ["content/es", "output/.cache", "elsewhere-out/.cache"])
def test_the_seal_key_is_never_written_into_a_project_or_an_output_folder(project: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         where: str) -> None:
    """`HANDOUTS_CACHE_DIR` inside the project (a CI job keeping its caches in the checkout, `$PWD/.cache`, or a
    typo naming `content/es`) or inside the output folder: the check cache refused to write there (eleventh pass:
    "a cache there is an input"), but `build` wrote the manifest seals' secret key (`seal.key`) and the built log
    there — into the folder a clinic commits to git or publishes to its web server. Whoever reads the key seals an
    altered PDF's manifest entry, and `build` keeps it and the desk serves it. No cache file is written, or read,
    in a folder inside a handout project or an output folder (the seals then hold within one command)."""
    out = tmp_path / "elsewhere-out"
    out.mkdir()
    (out / ".handouts.lock").touch()  # an output folder a build has written
    folder = tmp_path / where if where.startswith("elsewhere") else project / where
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(folder))
    monkeypatch.setattr("generator.content.seal._secret", None)
    for args in (("check",), ("build",), ("build", "--out", out), ("verify", project / "output/en/tiny.pdf")):
        result = run(*args, "--project", project)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [], "a cache file was written into a project's own folder"


@pytest.mark.parametrize("slip", ["handout: tiny\n", "translation: [units]\n", "title: &a x\n"],
                         ids=["duplicate key", "translation block a list", "an anchor"])
def test_a_translation_file_being_edited_does_not_cost_its_source_history(tmp_path: Path, slip: str) -> None:
    """Spanish is translated, then the English "Safety first." becomes "Safety comes first.": the Spanish unit is
    stale, and its export shows the text it was translated from (`#| msgid "Safety first."`, from
    content/source-history.yaml). While a Spanish translator's file holds a slip `check` refuses (a key typed
    twice, a mangled `translation:` block, an anchor), another translator runs `translate new fr`: the history
    was pruned to the hashes the readable files record, so every text only Spanish needed was deleted, and once
    the slip was fixed the export said "the previous source text was not kept". A file that cannot be read
    keeps every history entry (its hashes are not known)."""
    root = spanish_started(tmp_path / "project")
    spanish = root / "content/es/tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('"Safety first."', '"Seguridad ante todo."'),
                       encoding="utf-8")
    assert run("translate", "done", "es", "--unit", "safety.intro", "--project", root).exit_code == 0
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace('"Safety first."', '"Safety comes first."'),
                       encoding="utf-8")
    history = root / "content/source-history.yaml"
    assert "Safety first." in history.read_text(encoding="utf-8")
    whole = spanish.read_bytes()
    spanish.write_bytes(whole + slip.encode("utf-8"))
    started = run("translate", "new", "fr", "--project", root)
    no_traceback(started)
    assert started.exit_code == 0, started.stderr
    assert "Safety first." in history.read_text(encoding="utf-8"), "the Spanish unit's source text was pruned"
    spanish.write_bytes(whole)
    exported = run("translate", "export", "es", "--project", root, "-o", tmp_path / "es.po")
    assert exported.exit_code == 0, exported.stderr
    assert '#| msgid "Safety first."' in (tmp_path / "es.po").read_text(encoding="utf-8")


def _released(fifo: Path, call: Callable[[], object]) -> tuple[bool, object]:
    """Run `call` in a thread; (whether it was still waiting on `fifo` after 3 s, what it returned or raised).
    A reader stuck on the pipe is released by opening it for writing, so the test never hangs."""
    import os
    import threading

    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(3)
    stuck = thread.is_alive()
    if stuck:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
    return stuck, outcome[0] if outcome else None


def test_the_desk_never_waits_on_a_pipe_put_in_place_of_a_pdf(project: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The desk looks at a listed PDF (`lstat`: a regular file) and then reads it with `path.read_bytes()`: a
    named pipe put in its place between the two (the output folder is untrusted) held the request thread — and
    the build lock every other request waits on — for as long as no one wrote to the pipe. Here the swap is made
    certain by letting the look say "regular file". Every read of an output is a bounded, non-blocking read
    that follows no link (content/files.py)."""
    import os

    from generator.serve.ondemand import NotServable, read_listed

    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    pdf.unlink()
    os.mkfifo(pdf)
    monkeypatch.setattr("generator.serve.ondemand.stat.S_ISREG", lambda mode: True)
    stuck, outcome = _released(pdf, lambda: read_listed(project / "output", "en/tiny.pdf"))
    assert not stuck, "the desk waited on a named pipe"
    assert isinstance(outcome, NotServable), outcome


def test_an_import_never_waits_on_a_pipe_put_in_place_of_a_translation(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`translate import` parses content/es/tiny.yaml (a bounded, non-blocking read), then reads it again for its
    comments with `Path.read_text()`: a named pipe put in its place between the two (a sync tool replacing the
    file) hung the import for ever. The second read is the same bounded read."""
    import os

    import generator.translators.importing as importing

    root = spanish_started(tmp_path / "project")
    exported = run("translate", "export", "es", "--project", root, "-o", tmp_path / "es.po")
    assert exported.exit_code == 0, exported.stderr
    po = tmp_path / "es.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Safety first."\nmsgstr ""', 'msgid "Safety first."\nmsgstr "Seguridad ante todo."'), encoding="utf-8")
    target = root / "content/es/tiny.yaml"
    parse = importing.parse_file

    def parse_then_swap(path: Path, *args: object) -> object:
        parsed = parse(path, *args)
        if path == target:
            target.unlink()
            os.mkfifo(target)
        return parsed

    monkeypatch.setattr(importing, "parse_file", parse_then_swap)
    stuck, outcome = _released(target, lambda: run("translate", "import", po, "--project", root))
    assert not stuck, "the import waited on a named pipe"
    assert getattr(outcome, "exit_code", None) == 1, outcome


def test_check_never_waits_on_a_pipe_put_in_place_of_the_logo(project: Path, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """`check` looks at the logo (`is_file()`: a regular file), then opens it with `open()` and Pillow's
    `Image.open(path)`: a named pipe put in its place between the look and the reads held `check`, `build` and
    every desk request for as long as no one wrote to it. The logo is read once, bounded and non-blocking, and
    what Pillow decodes is those bytes."""
    import os

    (project / "templates").mkdir()
    logo = project / "templates/logo.png"
    os.mkfifo(logo)
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website:", "  logo: templates/logo.png\n  website:"), encoding="utf-8")
    looked = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda self: self.name == "logo.png" or looked(self))
    stuck, outcome = _released(logo, lambda: run("check", "--project", project))
    assert not stuck, "check waited on a named pipe"
    assert getattr(outcome, "exit_code", None) == 1 and "logo" in getattr(outcome, "stderr", ""), outcome


@pytest.mark.parametrize("host", ["127.1", "0x7f.1", "2130706433", "127.000.000.001"])
def test_a_loopback_address_in_short_form_keeps_the_desks_host_check(project: Path, host: str) -> None:
    """`handouts serve --host 127.1` (a common short form; also `0x7f.1`, `2130706433`) listens on 127.0.0.1 only,
    but the desk took it for a network address: it printed "serving on 127.1, not only on this computer" and turned
    off its Host header check, the DNS-rebinding guard — a web page the desk's browser opens could then read every
    handout (drafts too) and, with the page's token, post print jobs. An address is loopback when every address it
    names is (as the server binds it), whatever its spelling."""
    from generator.serve.app import create_app
    from generator.serve.security import is_loopback

    assert is_loopback(host)
    app = create_app(project, None, False, host, 8000, "", lambda line: None)
    response = app.test_client().get("/", headers={"Host": "rebound.example:8000"})
    assert response.status_code == 421
    assert app.test_client().get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_a_glossary_note_never_writes_a_line_of_its_own_into_an_export(tmp_path: Path) -> None:
    """content/glossary.yaml (a project file, untrusted) with a note, or an agreed translation, holding a line
    break (`\\n`, `\\r`, U+2028, NEL): `translate export` wrote it into the PO file's `#.` comment as it was, so the
    note's next line stood on a line of its own — here a forged entry `msgctxt "tiny|summary"` / `msgstr "EVIL"`
    that a CAT tool shows as the summary's translation —, and the file could be read neither by msgfmt ("keyword
    unknown", "duplicate message definition") nor by `translate import` itself. Every comment line the export
    writes is one line: a note's line breaks start further comment lines."""
    root = spanish_started(tmp_path / "project")
    (root / "content/glossary.yaml").write_text(
        'terms:\n  - term: "Safety"\n    do_not_translate: false\n'
        '    note: "one\\nmsgctxt \\"tiny|summary\\"\\nmsgid \\"x\\"\\nmsgstr \\"EVIL\\"\\n\\n#. y"\n'
        '    translations: {es: "Seg\\ruridad"}\n'
        '  - term: "first"\n    do_not_translate: true\n    note: "a\\u2028b\\u0085c"\n', encoding="utf-8")
    po = tmp_path / "es.po"
    exported = run("translate", "export", "es", "--project", root, "-o", po)
    assert exported.exit_code == 0, exported.stderr
    text = po.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert 'msgstr "EVIL"' not in lines and not any(line.startswith("uridad") for line in lines)
    entry = [line for line in lines if line and not line.startswith(("#", "msg", '"'))]
    assert entry == [], entry
    assert not any(ch in text for ch in "\r\u2028\u0085")
    imported = run("translate", "import", po, "--project", root)
    no_traceback(imported)
    assert imported.exit_code == 0, imported.stderr


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_a_glossary_holding_control_characters_is_refused_not_exported(tmp_path: Path, fmt: str) -> None:
    """A glossary note or agreed translation holding a NUL, an escape or a bell (`"\\0"`, `"\\e"` in a YAML string):
    the XLIFF export wrote them into `<note>` — no XML file may hold them, so the export was a file every CAT tool
    and `translate import` itself refuse ("not well-formed (invalid token)"), and the PO export wrote them raw into
    its comments (an escape sequence runs when the file is shown in a terminal). The glossary is refused, naming the
    term and the character, and nothing is written."""
    root = spanish_started(tmp_path / "project")
    (root / "content/glossary.yaml").write_text(
        'terms:\n  - term: "Safety"\n    do_not_translate: false\n    note: "nul\\0 esc\\e[31m bell\\a"\n'
        '    translations: {es: "Seg\\x01uridad"}\n', encoding="utf-8")
    out = tmp_path / f"es.{fmt}"
    exported = run("translate", "export", "es", "--format", fmt, "--project", root, "-o", out)
    no_traceback(exported)
    assert exported.exit_code == 1 and "glossary" in exported.stderr and "U+0000" in exported.stderr, \
        exported.stderr
    assert not out.exists()


@pytest.mark.parametrize("break_", ["\u2028", "\u2029", "\u0085"], ids=["U+2028", "U+2029", "NEL"])
def test_the_source_history_keeps_a_text_holding_a_yaml_line_break(tmp_path: Path, break_: str) -> None:
    """An English text holding U+2028 (written `\\u2028` or `\\L` in YAML; `check` refuses it, but `translate new`
    and `done` run while the author is still fixing it) is marked done for Spanish; `done` records it in
    content/source-history.yaml with `json.dumps`, the character raw
    inside the double-quoted value — where YAML reads it as a line break and folds it into a space. Read back, the
    text no longer matched its hash and was dropped, silently: once the English changed, the export said "the
    previous source text was not kept". Every character a YAML reader could take as a break is written escaped."""
    root = tiny_copy(tmp_path / "project")
    english = root / "content/en/tiny.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        '"Safety first."', f'"Safety\\u{ord(break_):04x}first."'), encoding="utf-8")
    declare_es = root / "handouts.yaml"
    declare_es.write_text(declare_es.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                          encoding="utf-8")
    assert run("translate", "new", "es", "--project", root).exit_code == 0
    assert run("translate", "done", "es", "--unit", "safety.intro", "--project", root).exit_code == 0
    english.write_text(english.read_text(encoding="utf-8").replace(
        f'"Safety\\u{ord(break_):04x}first."', '"Safety comes first."'), encoding="utf-8")
    po = tmp_path / "es.po"
    exported = run("translate", "export", "es", "--project", root, "-o", po)
    assert exported.exit_code == 0, exported.stderr
    assert f'#| msgid "Safety{break_}first."' in po.read_text(encoding="utf-8")
