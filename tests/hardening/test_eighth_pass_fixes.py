"""Fixes of six findings of the eighth hostile pass (issue 12), each test copied from
tests/hardening/test_eighth_pass.py (branch issue-12-pass8) with its docstring, plus one line on the fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, UI, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")

def test_a_failed_write_never_copies_a_linked_outside_file_into_the_output_folder(project: Path,
                                                                                   tmp_path: Path) -> None:
    """`translate review es` writes output/review/es/tiny.review.pdf and ui.review.pdf together. Someone with
    access to the output folder made the first a link to a file outside it (here `secret.txt`, "TOP SECRET");
    the second cannot be replaced (immutable here; in a shared sticky folder, another user's file). On main
    9506dfa the command said "cannot replace …ui.review.pdf; nothing was changed", exit 1 — but the link was
    gone: in its place a regular file holding the outside file's text, mode 0777 (the link's own mode).
    files._commit read the link's target as "the original" (read_bytes follows links) and, putting things
    back after the failed rename, wrote those bytes where the link was. A command never reads outside the
    project or output folder, never copies an outside file in, and "nothing was changed" must be true."""
    import os
    import subprocess

    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    assert run("translate", "review", "es", "--project", project).exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET outside the project\n", encoding="utf-8")
    folder = project / "output/review/es"
    (folder / "tiny.review.pdf").unlink()
    (folder / "tiny.review.pdf").symlink_to(secret)
    stuck = folder / "ui.review.pdf"
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here (not root, or a file system without it): cannot make a "
                    "rename fail for real")
    try:
        result = run("translate", "review", "es", "--project", project)
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], check=True)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    copied = folder / "tiny.review.pdf"
    assert os.path.islink(copied) or b"TOP SECRET" not in copied.read_bytes(), \
        f"the outside file was copied in, mode {os.stat(copied).st_mode & 0o777:o}"


def test_translate_review_over_large_files_in_the_output_folder_stays_within_memory(project: Path) -> None:
    """A project of 20 handouts with Spanish started; `output/review/es/` holds, where the review PDFs go, files
    of 63 MB each (sparse: no disk used; anyone who can write to the output folder can put them there). On main
    9506dfa `translate review es` took 1.4 GB (max RSS, /usr/bin/time), and under a 1 GiB address-space limit
    ended in a MemoryError traceback: files.write_files → _commit reads every file it is about to replace
    whole (up to 64 MB each, MAX_OUTPUT_BYTES) and keeps them all, to put them back if a later rename fails.
    The output folder is untrusted input; no command may take over 1 GB for what it holds.
    Fix: nothing is read to be put back; the old file is kept as a hard link beside it (a chunked copy where
    no hard link can be made), renamed back if a later rename fails."""
    import resource
    import subprocess
    import sys

    source = (project / HANDOUT).read_text(encoding="utf-8")
    for number in range(19):
        (project / f"content/en/t{number:02d}.yaml").write_text(
            source.replace("handout: tiny", f"handout: t{number:02d}", 1), encoding="utf-8")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    folder = project / "output/review/es"
    folder.mkdir(parents=True)
    for name in [*(f"t{number:02d}" for number in range(19)), "tiny", "ui"]:
        with open(folder / f"{name}.review.pdf", "wb") as handle:
            handle.truncate(63_000_000)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-m", "generator", "translate", "review", "es", "--project",
                             str(project)], capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-800:]
    assert result.returncode in (0, 1), result.stdout + result.stderr


def test_watch_rebuilds_when_the_clinic_s_logo_is_replaced(project: Path) -> None:
    """handouts.yaml names `logo: logo.png` (a PNG at the project's root, as docs suggest for a clinic's
    branding). `build --watch` built tiny.pdf; then the clinic replaced logo.png by its new logo (another
    picture, same name). On main 9506dfa the watch never rebuilt: watch.watched_files polls handouts.yaml,
    content/**/*.yaml and templates/ only, while the logo is an input of every PDF (incremental.inputs_fingerprint
    hashes it, and a plain `build` afterwards says "built 1"). The guarantee: --watch tracks every file a build
    reads, so the PDF on disk (and the one the desk serves from it) is never the old one.
    Fix: watch.watched_files polls incremental.input_files: the settings, content/, the logo the settings name
    and every template-side file the fingerprints hash (incremental.template_inputs), from the same list."""
    import threading
    import time

    from PIL import Image
    from pypdf import PdfReader

    from generator.build import Selection
    from generator.watch import watch

    Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, Selection(jobs=1), lambda m, err=False: lines.append(m),
                                                  stop), kwargs={"interval": 0.05})
    thread.start()

    def built(count: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while sum("built 1, skipped 0" in line for line in lines) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    try:
        assert built(1, 60), "\n".join(lines)
        first = (project / "output/en/tiny.pdf").read_bytes()
        Image.new("RGB", (300, 100), (200, 30, 30)).save(project / ".logo-new.png")
        (project / ".logo-new.png").rename(project / "logo.png")
        rebuilt = built(2, 8)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert rebuilt and (project / "output/en/tiny.pdf").read_bytes() != first, "\n".join(lines)
    assert PdfReader(project / "output/en/tiny.pdf").pages  # whole


def test_sync_never_deletes_a_translator_s_text_without_a_word(project: Path) -> None:
    """A translator kept a second wording beside a list item in content/es/tiny.yaml: `alternative: "Primer
    punto (otra opción, preguntar a la Dra. Ruiz)"` (`check` reports it: "unknown key 'alternative'"). The
    English author then edits another unit, and `translate sync es` runs: on main 9506dfa it said "updated:
    content/es/tiny.yaml", exit 0, and the `alternative:` line — the translator's text and note — was gone,
    named nowhere (sync.reconcile deletes every key the source lacks; its "removed:" report lists only units).
    A translator's words are never deleted without a word: refuse (naming the line), keep it, or say what went.
    Fix: translators/reshape.reconcile collects whatever of the translation it removes or replaces (a key, an
    item, a text where the source has a list), with its line; sync lists each in "removed:" with its text."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    note = 'alternative: "Primer punto (otra opción, preguntar a la Dra. Ruiz)"'
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        '            text: "The first point."', f'            text: "El primer punto."\n            {note}'),
        encoding="utf-8")
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace('"Safety first."', '"Safety first, always."'),
                      encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    kept = note in spanish.read_text(encoding="utf-8")
    said = "Primer punto (otra" in result.output + result.stderr or "alternative" in result.output + result.stderr
    assert kept or said, result.output + result.stderr


def test_approve_refuses_a_name_and_role_too_wide_for_the_footer(project: Path) -> None:
    """`approve --reviewer WWW…(80) --role WWW…(80)` of the handout, its ui.yaml and facts.yaml: each is at the
    80-character limit, every character is one the fonts draw, so on main 9506dfa approve said "approved"
    (exit 0) three times. The next `build` fails: "review.role: … makes the approval line 827 pt wide, more than
    the 505 pt of the narrowest page … approve again with a shorter --role" — a clinic cannot print anything
    until the reviewer approves again. The issue: approve must refuse what no build can draw; the limit counts
    characters while the footer is measured in points (a W is four times an i).
    Fix: approve measures the approval line each approved handout would print (render/footerfit.py, the check's
    own measure, on the files as they would be written) in every edition, and refuses a role too wide."""
    wide = "W" * 80
    result = run("approve", "--project", project, "--reviewer", wide, "--role", wide,
                 project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(result)
    if result.exit_code != 0:  # refused at approve, where it belongs, and nothing recorded
        assert result.exit_code in (1, 2) and "review:\n  status: draft" in (project / HANDOUT).read_text()
        return
    build = run("build", "-j", "1", "-q", "--project", project)
    no_traceback(build)
    assert build.exit_code == 0, build.output + build.stderr


def test_the_large_print_review_line_is_never_set_below_the_large_print_footer_size(project: Path) -> None:
    """templates/style.yaml promises: "a line that still does not fit is set smaller, never below 8 pt (large
    print: never below its size)" — 12 pt. Approved with `--role` of 30 × "W" (accepted: the line fits the
    standard edition at 8 pt), `build --large-print` on main 9506dfa printed the review line "Reviewed … ·
    WWW… · next review …" at 9 pt between footer lines of 12 pt (pypdf's text visitor; page 1 at 60 dpi looked
    at), and `check` said ok. layout.fit_footer_line shrinks every edition's lines down to FOOTER_SIZE_MIN.
    A large-print reader needs the review state at large-print size: refuse the role at approve (or at check,
    naming it), or keep the promise.
    Fix: styles.footer_floor: large print's footer lines are never set below its footer size; the check and
    approve measure every edition at its own floor (a 30-W role is refused at approve: 683 pt at 12 pt)."""
    from pypdf import PdfReader

    approved = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "W" * 30,
                   project / UI, project / "content/facts.yaml", project / HANDOUT)
    no_traceback(approved)
    if approved.exit_code != 0:
        return
    result = run("build", "-j", "1", "--large-print", "--project", project)
    no_traceback(result)
    if result.exit_code != 0:  # refused, naming the role's file
        assert result.exit_code == 1 and "tiny.yaml" in result.stderr, result.output + result.stderr
        return
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        if text.strip() and abs(cm[1]) < 0.01 and cm[5] + tm[5] < 80:
            sizes[text.strip()[:20]] = round(size * scale, 2)

    PdfReader(project / "output/en/tiny.large.pdf").pages[0].extract_text(visitor_text=visit)
    review = [size for text, size in sizes.items() if text.startswith("Reviewed")]
    assert review and min(review) >= 12.0, sizes


# -- the fixes' own variants: what a failed multi-file write puts back, and what a write never does ---------------
def _entries(folder: Path) -> dict[str, tuple]:
    """Every entry of `folder`: a link's text, or a file's inode, mode and bytes (nothing followed)."""
    import os
    import stat

    found = {}
    for name in sorted(os.listdir(folder)):
        info = os.lstat(folder / name)
        if stat.S_ISLNK(info.st_mode):
            found[name] = ("link", os.readlink(folder / name))
        else:
            found[name] = ("file", info.st_ino, stat.S_IMODE(info.st_mode), (folder / name).read_bytes())
    return found


def test_a_failed_write_puts_back_each_entry_exactly_as_it_was(tmp_path: Path) -> None:
    """write_files over a link to an outside file, a private regular file, a name with nothing there and an
    immutable file (its rename fails for real): afterwards every entry is the very one it was (the link with the
    same text, the file with the same inode, mode and bytes), nothing new is there, no temporary or kept file is
    left, the outside file was never touched, and the message says "nothing was changed"."""
    import os
    import subprocess

    from generator.content.files import WriteError, write_files

    folder, outside = tmp_path / "out", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_bytes(b"outside\n")
    (folder / "a.pdf").symlink_to(outside)
    (folder / "b.pdf").write_bytes(b"old b\n")
    os.chmod(folder / "b.pdf", 0o600)
    (folder / "d.pdf").write_bytes(b"old d\n")
    before = _entries(folder)
    if subprocess.run(["chattr", "+i", str(folder / "d.pdf")], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here (not root, or a file system without it): cannot make a "
                    "rename fail for real")
    try:
        with pytest.raises(WriteError) as raised:
            write_files([(folder / "a.pdf", b"new a"), (folder / "b.pdf", b"new b"), (folder / "c.pdf", b"new c"),
                         (folder / "d.pdf", b"new d")])
    finally:
        subprocess.run(["chattr", "-i", str(folder / "d.pdf")], check=True)
    assert "nothing was changed" in str(raised.value), raised.value
    assert _entries(folder) == before
    assert outside.read_bytes() == b"outside\n"


def test_a_write_over_a_link_replaces_the_link_itself(tmp_path: Path) -> None:
    """A target that is a link is replaced as the link (the outside file it led to is never written nor read),
    and no kept copy is left beside it."""
    import os

    from generator.content.files import write_files

    folder, outside = tmp_path / "out", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_bytes(b"outside\n")
    os.chmod(outside, 0o000)  # never read: even unreadable, the write goes through
    (folder / "a.pdf").symlink_to(outside)
    write_files([(folder / "a.pdf", b"new a")])
    os.chmod(outside, 0o600)
    assert not (folder / "a.pdf").is_symlink() and (folder / "a.pdf").read_bytes() == b"new a"
    assert outside.read_bytes() == b"outside\n" and os.listdir(folder) == ["a.pdf"]


def test_where_no_second_name_can_be_made_a_file_is_copied_aside_in_chunks_and_a_link_never_read(
        tmp_path: Path) -> None:
    """The fallback of backup.keep (a folder where hard links cannot be made: FAT, some network shares): a
    regular file is copied beside itself with its mode, and a link is never opened (O_NOFOLLOW)."""
    import os

    from generator.content.backup import copy_aside

    target = tmp_path / "big.pdf"
    target.write_bytes(bytes(range(256)) * 20_000)
    os.chmod(target, 0o640)
    kept = copy_aside(target)
    assert isinstance(kept, Path) and kept.parent == tmp_path and kept.read_bytes() == target.read_bytes()
    assert os.stat(kept).st_mode & 0o777 == 0o640 and os.stat(kept).st_ino != os.stat(target).st_ino
    (tmp_path / "link.pdf").symlink_to(target)
    assert copy_aside(tmp_path / "link.pdf") is False


def _with_logo(project: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (300, 100), (20, 60, 120)).save(project / "logo.png")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", "  website: https://clinic.example.org\n  logo: logo.png\n"),
        encoding="utf-8")
    return project / "logo.png"


def test_watch_polls_every_file_the_fingerprints_hash(project: Path) -> None:
    """The watched set holds every file incremental.inputs_fingerprint hashes for either format (templates,
    styles, fonts.yaml, every font face, every file of the templates folders, the shipped ones included), the
    logo, the settings and every content file; a logo named no more is no longer watched."""
    from generator.content.files import files_under
    from generator.incremental import template_inputs
    from generator.watch import watched_files

    logo = _with_logo(project)
    watched = set(watched_files(project))
    hashed = {str(path) for fmt in ("pdf", "html") for path in template_inputs(project, fmt).values()}
    assert any("font." in name for name in template_inputs(project, "pdf"))
    assert hashed <= watched, sorted(hashed - watched)
    assert {str(logo), str(project / "handouts.yaml"), *map(str, files_under(project / "content", ".yaml"))} <= watched
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  logo: logo.png\n", ""), encoding="utf-8")
    assert str(logo) not in watched_files(project)


def test_watch_sees_a_file_replaced_by_one_of_the_same_size_and_time(project: Path) -> None:
    """An edit that keeps a file's size and modification time (`cp -p`, two saves in one timestamp tick) is a
    change: the watch compares change time and inode too."""
    import os

    from generator.watch import watched_files

    path = project / HANDOUT
    before = watched_files(project)
    info = path.stat()
    replacement = project / "content/en/.tiny.new"
    replacement.write_bytes(path.read_bytes().replace(b"An introduction.", b"An intrODuction."))
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    replacement.rename(path)
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size
    assert watched_files(project) != before


def test_sync_names_every_entry_of_the_translator_s_it_removes_with_its_line_and_text(project: Path) -> None:
    """Beyond the item's extra key: a key the translator added at the top of the file and one in a table row are
    each named with their line and text; a whole block the source dropped, in a file that does not parse (so
    its units are unknown), is named with its translated text; IDs are not listed as texts."""
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n  - es\n"),
                        encoding="utf-8")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    spanish = project / "content/es/tiny.yaml"
    text = spanish.read_text(encoding="utf-8")
    text = text.replace('title: "A tiny handout"', 'title: "Un folleto"\nsubtitle: "Nota de la traductora"', 1)
    text = text.replace('cells: {topic: "How fast", answer: "Within hours"}',
                        'cells: {topic: "Rapidez", answer: "En horas"}\n            note: "Revisar con la Dra. Ruiz"')
    text = text.replace('text: "More to know"', 'text: "Más que saber"')
    spanish.write_text(text, encoding="utf-8")
    source = project / HANDOUT
    source.write_text(source.read_text(encoding="utf-8").replace(
        '      - subheading: more\n        text: "More to know"\n', ""), encoding="utf-8")
    result = run("translate", "sync", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    lines = [line for line in result.output.splitlines() if line.startswith("removed: ")]
    after = spanish.read_text(encoding="utf-8")
    for said in ("Nota de la traductora", "Revisar con la Dra. Ruiz", "Más que saber"):
        assert said not in after
        named = [line for line in lines if said in line]
        assert len(named) == 1 and re.search(r"content/es/tiny\.yaml:\d+: ", named[0]), lines
    assert not any("it held: more" in line for line in lines), lines


def test_approve_refuses_a_role_that_fits_the_standard_footer_but_not_large_print(project: Path) -> None:
    """A role of 20 × "W" fits the standard footer at 8 pt (about 380 pt of 505) but not large print's at 12 pt
    (about 570 pt): approve refuses it, naming --role, the width and large print, exit 1, every file unchanged —
    also when the handout alone is approved (its UI strings still draft: the line is printed once they are);
    "MD, psychiatrist" and a reviewer name of 80 × "W" (printed in the body, where it wraps) are approved."""
    files = [project / UI, project / "content/facts.yaml", project / HANDOUT]
    before = [path.read_bytes() for path in files]
    alone = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "W" * 20, project / HANDOUT)
    assert alone.exit_code == 1 and "--role: content/en/tiny.yaml" in alone.stderr, alone.output + alone.stderr
    refused = run("approve", "--project", project, "--reviewer", "Dr. A. Example", "--role", "W" * 20, *files)
    no_traceback(refused)
    assert refused.exit_code == 1, refused.output
    assert re.search(r"--role: content/en/tiny\.yaml: .* \d+ pt wide at 12 pt in large print", refused.stderr), \
        refused.stderr
    assert "shorter --role" in refused.stderr and [path.read_bytes() for path in files] == before
    approved = run("approve", "--project", project, "--reviewer", "W" * 80, "--role", "MD, psychiatrist", *files)
    assert approved.exit_code == 0, approved.output + approved.stderr
    for edition in ([], ["--large-print"]):
        built = run("build", "-j", "1", *edition, "--project", project)
        assert built.exit_code == 0, built.output + built.stderr


def test_check_refuses_a_footer_line_that_fits_only_the_standard_edition(project: Path) -> None:
    """A short disclaimer of 107 characters fits the standard footer at 8 pt (about 400 pt) but not large
    print's at 12 pt (about 600 pt), which may not shrink it: `check` names the string, the width and large print
    (before, it said ok and `build --large-print` set the line at 8 pt)."""
    ui = project / UI
    ui.write_text(ui.read_text(encoding="utf-8").replace(
        "disclaimer.short: General information only.", "disclaimer.short: General information only. Ask your care "
        "team about anything here that is not clear to you, before you start."), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert re.search(r"content/en/ui\.yaml:\d+:\d+: .* \d+ pt wide at 12 pt in large print", result.stderr), \
        result.stderr


def test_a_large_print_footer_line_is_never_set_below_the_large_print_footer_size() -> None:
    """fit_footer_line with large print's floor keeps a line too wide at 12 pt (and wraps it, for the print check
    to refuse) where the standard edition's floor sets it smaller, never under 8 pt."""
    from generator.content.markup import Span
    from generator.render import fonts, template
    from generator.render.layout import _footer_style, fit_footer_line
    from generator.render.styles import footer_floor, load

    root = Path(__file__).resolve().parent / "tiny_project"
    lang_fonts = fonts.load_config(template.find(root, "fonts.yaml")).for_lang("en")
    path = template.find(root, "style.yaml") / "style.yaml"
    line = ((Span("Reviewed December 6, 2026 · " + "W" * 20 + " · next review December 6, 2027"),), lang_fonts, 0)
    standard, large = load(path), load(path, True)
    assert (footer_floor(standard), footer_floor(large)) == (8.0, 12.0)
    small = fit_footer_line(line, _footer_style(standard), 505.0, footer_floor(standard))
    assert 8.0 <= small.style.size < 12.0 and small.line_width() <= 505.0
    kept = fit_footer_line(line, _footer_style(large), 505.0, footer_floor(large))
    assert kept.style.size == 12.0 and kept.line_width() > 505.0
