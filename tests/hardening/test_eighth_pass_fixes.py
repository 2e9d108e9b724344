"""Fixes of the eighth hostile pass, first part (issue 12): the fixers' own tests of each mechanism. The pass's
findings themselves are tested once, in tests/hardening/test_eighth_pass.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, UI, declare, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


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
    from generator.content.walk import files_under
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
    declare(project, "es")
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
