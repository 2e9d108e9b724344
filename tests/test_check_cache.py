"""The check cache: an unchanged project is answered from it, and any change to any input is seen.

Each change is made the way a person or a tool could make it, including edits that keep a file's size and
restore its modification time; the build after it must not be answered from the cache, and what it writes
must show the change (or the change's error)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

import generator
from generator.batch import checkcache
from generator.batch.many import build_many
from generator.build import Selection, build
from generator.content.problems import ContentError
from generator.render.fonts import FontConfigError
from generator.render.template import default_templates
from generator.review.approve import approve
from tests.conftest import REPO, copy_project, run

HANDOUT = "ketamine-assisted-therapy"
ONE = Selection(handouts=(HANDOUT,), langs=("en",), jobs=1)
PDF = Path("output/en") / f"{HANDOUT}.pdf"
TODAY = date.today()


def text_of(root: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(root / PDF).pages)


def keep_times(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Rewrite a file in place, same size, then put its modification time back: only its bytes differ."""
    before = path.stat()
    data = edit(path.read_bytes())
    assert len(data) == before.st_size and data != path.read_bytes()
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def own_templates(root: Path) -> Path:
    """Give the project its own copy of the shipped templates (fonts included)."""
    shutil.copytree(default_templates(), root / "templates", ignore=shutil.ignore_patterns("init"))
    return root / "templates"


def test_an_unchanged_project_is_answered_from_the_cache(project: Path) -> None:
    first = build(project, ONE)
    assert not first.cached and len(first.built) == 1
    second = build(project, ONE)
    assert second.cached and second.skipped == [f"en/{HANDOUT}.pdf"] and not second.built
    assert [w.format() for w in second.warnings] == [w.format() for w in first.warnings]
    # A no-op and `check` load none of the project, the checks or ReportLab.
    probe = ("import sys; from pathlib import Path; from generator.build import Selection, build; "
             "from generator.incremental import check; "
             f"r = build(Path(sys.argv[1]), Selection(handouts=({HANDOUT!r},), langs=('en',), jobs=1)); "
             "check(Path(sys.argv[1])); "
             "print(r.cached, sorted(m for m in ('generator.project', 'generator.localize', 'reportlab', 'yaml') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True, text=True, check=True,
                          cwd=REPO)
    assert done.stdout.strip() == "True []"


def test_a_deleted_or_damaged_output_is_rebuilt_even_from_the_cache(project: Path) -> None:
    build(project, ONE)
    (project / PDF).write_bytes(b"%PDF-1.4 damaged")
    report = build(project, ONE)
    assert len(report.built) == 1 and "Ketamine-assisted therapy" in text_of(project)
    (project / PDF).unlink()
    assert len(build(project, ONE).built) == 1


def test_force_renders_even_when_the_cache_vouches_and_keeps_every_warning(project: Path) -> None:
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("name: Example Clinic", "name: (replace) Clinic"),
                        encoding="utf-8")
    first = build(project, ONE)
    assert first.warnings and "placeholder" in first.warnings[0].format()
    forced = build(project, Selection(handouts=(HANDOUT,), langs=("en",), jobs=1, force=True))
    assert len(forced.built) == 1 and not forced.cached
    assert [w.format() for w in forced.warnings] == [w.format() for w in first.warnings]


def _edit_text(root: Path) -> str:
    path = root / "content/en" / f"{HANDOUT}.yaml"
    keep_times(path, lambda data: data.replace(b"Ketamine", b"Ketamina", 1))
    return "Ketamina"


def _edit_settings(root: Path) -> str:
    path = root / "handouts.yaml"
    keep_times(path, lambda data: data.replace(b"+1 555 010 0100", b"+1 555 010 0199"))
    return "+1 555 010 0199"


def _edit_facts(root: Path) -> str:
    path = root / "content/facts.yaml"
    keep_times(path, lambda data: data.replace(b'value: "911"', b'value: "912"', 1))
    return ""


def _edit_template(root: Path) -> str:
    # English only: an own template is checked in every language and edition (320 renders for six languages),
    # and this test is about the cache seeing the edit, not about those renders.
    settings = root / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  - es\n  - ar\n  - zh-Hans\n  - vi\n  - ru\n", ""), encoding="utf-8")
    folder = own_templates(root)
    build(root, ONE)  # a templates folder appearing is itself a change; this test is about editing one
    assert build(root, ONE).cached
    path = folder / "handout.xml.j2"
    text = path.read_text(encoding="utf-8")
    assert "<clinic><v>{{ doc.clinic_name }}" in text
    # A template arranges the handout's own words (render/faithful.py): here its version, beside the clinic's name
    # (an ID is no word of the handout's: ninth pass).
    path.write_text(text.replace("<clinic><v>{{ doc.clinic_name }}",
                                 "<clinic><v>{{ doc.version }} {{ doc.clinic_name }}", 1), encoding="utf-8")
    content = (root / "content" / "en" / f"{HANDOUT}.yaml").read_text(encoding="utf-8")
    version = next(line.split(":", 1)[1].strip() for line in content.splitlines() if line.startswith("version:"))
    return f"{version} Example Clinic"  # the version before the clinic's name: only the edited template prints it


def _edit_style(root: Path) -> str:
    folder = own_templates(root)
    build(root, ONE)
    assert build(root, ONE).cached
    keep_times(folder / "style.yaml", lambda data: data.replace(b"title: {size: 22,", b"title: {size: 21,", 1))
    return ""


def _edit_font_settings(root: Path) -> str:
    folder = own_templates(root)
    build(root, ONE)
    assert build(root, ONE).cached
    path = folder / "fonts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("en: {family: noto-sans", "en: {family: dejavu-sans"),
                    encoding="utf-8")
    return "DejaVu"


def _damage_font(root: Path) -> str:
    folder = own_templates(root)
    build(root, ONE)
    assert build(root, ONE).cached
    font = folder / "fonts/noto-sans/NotoSans-Regular.ttf"
    keep_times(font, lambda data: data[:-100] + bytes(b ^ 0xFF for b in data[-100:]))
    return "damaged"


def _add_logo(root: Path) -> str:
    from PIL import Image

    Image.new("RGB", (40, 20), "navy").save(root / "logo.png")
    settings = root / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.lstrip().startswith("# logo:"))
    settings.write_text(text.replace(line, "  logo: logo.png"), encoding="utf-8")
    build(root, ONE)
    assert build(root, ONE).cached
    before = (root / "logo.png").stat()
    Image.new("RGB", (40, 20), "maroon").save(root / "logo.png")
    os.utime(root / "logo.png", ns=(before.st_atime_ns, before.st_mtime_ns))
    return ""


CHANGES: dict[str, Callable[[Path], str]] = {
    "content text, same size and time": _edit_text, "clinic settings": _edit_settings, "facts": _edit_facts,
    "template": _edit_template, "style": _edit_style, "font settings": _edit_font_settings,
    "font file, same size and time": _damage_font, "logo": _add_logo,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_kind_of_input_change_is_seen(project: Path, change: str) -> None:
    build(project, ONE)
    before = (project / PDF).read_bytes()
    assert build(project, ONE).cached
    expect = CHANGES[change](project)
    if expect == "damaged":
        with pytest.raises(FontConfigError, match="damaged"):
            build(project, ONE)
        return
    report = build(project, ONE)
    assert not report.cached and len(report.built) == 1
    assert (project / PDF).read_bytes() != before
    if expect == "DejaVu":
        fonts = {str(f.get("/BaseFont")) for page in PdfReader(project / PDF).pages
                 for f in page["/Resources"]["/Font"].get_object().values()}
        assert any("DejaVu" in name for name in fonts), fonts
    elif expect:
        assert expect in text_of(project)
    assert build(project, ONE).cached  # and the new state is cached in turn


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_content_file_added_or_removed_is_seen(project: Path, change: str) -> None:
    build(project, ONE)
    assert build(project, ONE).cached
    if change == "added":
        shutil.copy(project / "content/en" / f"{HANDOUT}.yaml", project / "content/en/another-handout.yaml")
        expected = "another-handout"
    else:
        (project / "content/es" / f"{HANDOUT}.yaml").unlink()
        expected = "missing in language 'es'"
    with pytest.raises(ContentError) as raised:
        build(project, ONE)
    assert any(expected in p.format() for p in raised.value.problems)


def test_a_new_generator_version_is_not_answered_from_an_older_check(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, ONE)
    assert build(project, ONE).cached
    monkeypatch.setattr(generator, "__version__", generator.__version__ + ".post1")
    assert not build(project, ONE, ).cached


def test_a_new_day_is_not_answered_from_yesterdays_check(project: Path) -> None:
    """Approved until day D: built on D it is approved; on D+1 the same unchanged files are overdue."""
    due = TODAY + timedelta(days=30)
    files = [project / "content/en" / f"{HANDOUT}.yaml", project / "content/en/ui.yaml", project / "content/facts.yaml"]
    approve(project, files, "Test Reviewer", "MD", due, TODAY)
    on_due = build(project, ONE, today=due)
    assert on_due.built[0].review_status == "approved"
    assert build(project, ONE, today=due).cached
    after = build(project, ONE, today=due + timedelta(days=1))
    assert not after.cached and after.built[0].review_status == "review overdue"


def test_a_damaged_or_foreign_cache_file_is_ignored(project: Path) -> None:
    build(project, ONE)
    cache = checkcache.cache_file(project)
    for junk in (b"\xff\xfe not json", b"[]", json.dumps({"identity": 1}).encode(), b"{" * 10_000):
        cache.write_bytes(junk)
        report = build(project, ONE)
        assert not report.cached and report.skipped == [f"en/{HANDOUT}.pdf"]
    # A cache claiming a content file is as recorded, with the wrong hash, is not believed.
    data = json.loads(cache.read_text(encoding="utf-8"))
    content = str((project / "content/en" / f"{HANDOUT}.yaml").resolve())
    data["files"][content][4] = "0" * 64
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert not build(project, ONE).cached


def test_an_unwritable_cache_folder_only_costs_speed(project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(blocker / "cache"))
    assert len(build(project, ONE).built) == 1
    report = build(project, ONE)
    assert not report.cached and report.skipped == [f"en/{HANDOUT}.pdf"]


def test_check_reports_from_the_cache_and_sees_a_new_error(project: Path) -> None:
    first = run("check", "--project", project)
    second = run("check", "--project", project)
    assert first.exit_code == second.exit_code == 0
    assert first.stderr == second.stderr
    assert second.stdout == first.stdout.replace("no errors", "no errors (nothing changed since the last check)")
    path = project / "content/en" / f"{HANDOUT}.yaml"
    keep_times(path, lambda data: data.replace(b"title:", b"titel:", 1))
    third = run("check", "--project", project)
    assert third.exit_code == 1 and "content/en/" in third.stderr


def test_an_edited_translation_has_only_its_own_glyphs_checked_again(project: Path) -> None:
    assert run("check", "--project", project).exit_code == 0
    spanish = project / "content/es" / f"{HANDOUT}.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("ketamina", "ketamína", 1), encoding="utf-8")
    again = run("check", "--project", project)
    assert again.exit_code == 0, again.stderr
    assert "(glyphs and footers of ar, en, ru, vi, zh-Hans unchanged since the last check)" in again.stdout
    # A character the Spanish faces lack is found: Spanish was checked again.
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("ketamína", "ketamकna", 1), encoding="utf-8")
    third = run("check", "--project", project)
    assert third.exit_code == 1 and "U+0915" in third.stderr and f"content/es/{HANDOUT}.yaml" in third.stderr


@pytest.mark.parametrize("change", ["source text", "settings", "font settings"])
def test_a_shared_input_has_every_language_checked_again(project: Path, change: str) -> None:
    if change == "font settings":
        own_templates(project)
    assert run("check", "--project", project).exit_code == 0
    if change == "source text":
        path = project / "content/en" / f"{HANDOUT}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Ketamine", "Ketamine", 1) + "\n",
                        encoding="utf-8")
    elif change == "settings":
        path = project / "handouts.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:  # Chinese set in Noto Sans, which has no Chinese: only a real check of zh-Hans finds it
        path = project / "templates/fonts.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("zh-Hans: {family: wqy-microhei",
                                                                 "zh-Hans: {family: noto-sans"), encoding="utf-8")
    again = run("check", "--project", project)
    if change == "font settings":
        assert again.exit_code == 1 and "for zh-Hans" in again.stderr
    else:
        assert again.exit_code == 0 and "unchanged since" not in again.stdout


def test_several_projects_build_in_one_run_each_into_its_own_folder(tmp_path: Path) -> None:
    clinics = [copy_project(tmp_path / name) for name in ("north", "south")]
    settings = clinics[1] / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("+1 555 010 0100", "+1 555 010 0177"),
                        encoding="utf-8")
    selection = Selection(handouts=(HANDOUT,), langs=("en", "zh-Hans"), jobs=2)
    reports = build_many(clinics, selection)
    assert [len(r.built) for r in reports] == [2, 2]
    assert "+1 555 010 0100" in text_of(clinics[0]) and "+1 555 010 0177" in text_of(clinics[1])
    for clinic in clinics:
        manifest = json.loads((clinic / "output/manifest.json").read_text(encoding="utf-8"))
        assert sorted(e["file"] for e in manifest) == [f"en/{HANDOUT}.pdf", f"zh-Hans/{HANDOUT}.pdf"]
    result = run("build", "--project", clinics[0], "--project", clinics[1], "--lang", "en", HANDOUT, "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 projects: built 0, skipped 2, failed 0")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_problem_in_one_of_several_projects_writes_nothing_anywhere(tmp_path: Path, jobs: str) -> None:
    """With two workers the good project renders while the bad one is checked: still nothing is written."""
    good, bad = copy_project(tmp_path / "good"), copy_project(tmp_path / "bad")
    (bad / "content/es" / f"{HANDOUT}.yaml").unlink()
    result = run("build", "--project", good, "--project", bad, "-j", jobs, "--lang", "en")
    assert result.exit_code == 1
    assert f"{bad}/content/es/{HANDOUT}.yaml" in result.stderr
    assert not (good / "output").exists() and not (bad / "output").exists()
    same = run("build", "--project", good, "--project", good)
    assert same.exit_code == 2 and "given twice" in same.stderr


def test_the_parent_parses_no_face_and_the_costliest_languages_render_first(tmp_path: Path) -> None:
    """Fonts are parsed only in the workers that draw with them: the building process registers none. A default
    build hands the costliest languages (right-to-left, Chinese) to the workers first, each as one batch, and the
    last jobs one at a time, so that the workers finish together."""
    root = copy_project(tmp_path / "project")
    probe = ("import sys; from pathlib import Path; from generator.build import Selection, build; "
             "from reportlab.pdfbase import pdfmetrics; from generator.batch import many; "
             "r = build(Path(sys.argv[1]), Selection(handouts=('microdosing',), langs=('en', 'zh-Hans'), jobs=2)); "
             "print(len(r.built), sorted(n for n in pdfmetrics.getRegisteredFontNames() "
             "if n.startswith(('noto-sans', 'dejavu-sans', 'wqy-microhei')))); "
             "print([[(job[0], job[3]) for job in batch] for batch in many._batches([(i, 0, 'x', lang, 'pdf', '') "
             "for i, lang in enumerate(['en', 'zh-Hans', 'ar', 'es'] * 5)], 2)])")
    done = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, check=True,
                          cwd=REPO)
    built, listed = done.stdout.strip().splitlines()
    assert built == "2 []"  # two PDFs rendered by workers; no face registered in this process
    batches = ast.literal_eval(listed)
    assert sorted(job for batch in batches for job in batch) == [(i, lang) for i, lang in
                                                                 enumerate(['en', 'zh-Hans', 'ar', 'es'] * 5)]
    assert [{lang for _, lang in batch} for batch in batches[:2]] == [{"zh-Hans"}, {"ar"}]
    assert [len(batch) for batch in batches] == [5, 5] + [1] * 10  # en and es, one job at a time


def test_a_folder_loop_in_the_content_is_never_cached(project: Path) -> None:
    """A link loop makes the inputs impossible to record completely: the check runs every time instead."""
    (project / "content/en/loop").symlink_to(project / "content")
    build(project, ONE)
    assert not checkcache.cache_file(project).exists()
    assert not build(project, ONE).cached


def test_an_input_swapped_while_it_is_checked_is_not_vouched_for(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot is taken before the check reads anything. A file holding an error, swapped for a sound one
    while the check reads it and swapped back before the check records its verdict, was vouched for: the next
    check and build answered "nothing changed" and built the unchecked text (eleventh pass's suspicion)."""
    import generator.build as build_module
    from generator import incremental

    real = build_module.validate
    path = project / "content/en" / f"{HANDOUT}.yaml"
    sound = path.read_text(encoding="utf-8")
    broken = sound.replace("title:", 'title: "[x](javascript:1)"\nold:', 1)
    path.write_text(broken, encoding="utf-8")

    def swapped_meanwhile(*args: object, **kwargs: object) -> object:
        path.write_text(sound, encoding="utf-8")
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            path.write_text(broken, encoding="utf-8")

    monkeypatch.setattr(build_module, "validate", swapped_meanwhile)
    assert not incremental.check(project).cached
    monkeypatch.setattr(build_module, "validate", real)
    again = run("check", "--project", project)
    assert again.exit_code == 1 and "javascript:" in again.stderr, again.output
