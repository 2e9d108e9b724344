"""The thirty-first hostile pass, part A (issue 12): the output folder, `verify`, `translate import`/`export`,
the cache folder and the build log. Written against main 239f96c; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy


def _translated_template(project: Path, name: str) -> Path:
    """A template written by `translate template`, then filled in as a translator would (msginit, an editor):
    Language set, the title translated, a question for the project manager above the summary."""
    pot = project.parent / name
    assert run("translate", "template", "-o", pot, "--project", project).exit_code == 0
    text = pot.read_text(encoding="utf-8").replace('"Language: \\n"', '"Language: es\\n"', 1)
    text = text.replace('msgid "A tiny handout"\nmsgstr ""', 'msgid "A tiny handout"\nmsgstr "Un folleto"', 1)
    pot.write_text(text, encoding="utf-8")
    return pot


def test_template_over_a_template_holding_translations_is_refused(tmp_path: Path) -> None:
    """`translate template -o work.pot` over a .pot a translator had filled in (msginit in place, an editor, a tool
    that saves the file it opened) and which `translate import` accepts as an exchange file: "template of 46
    unit(s) written", exit 0, the translations gone unsaid. `translate export -o` has refused such a file since the
    twenty-second pass; the template did not look."""
    project = tiny_copy(tmp_path / "p")
    pot = _translated_template(project, "work.pot")
    before = pot.read_bytes()
    result = run("translate", "template", "-o", pot, "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert pot.read_bytes() == before
    assert "tiny|title" in result.stderr and "nothing was written" in result.stderr
    # an untouched template (and one msginit only gave a language) is replaced as before
    fresh = project.parent / "fresh.pot"
    assert run("translate", "template", "-o", fresh, "--project", project).exit_code == 0
    fresh.write_text(fresh.read_text(encoding="utf-8").replace('"Language: \\n"', '"Language: es\\n"', 1),
                     encoding="utf-8")
    assert run("translate", "template", "-o", fresh, "--project", project).exit_code == 0


def test_review_sheet_with_notes_is_kept_aside_without_a_usable_cache(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With the cache folder unusable (one others can write, a read-only home), nothing tells whether a review sheet
    is the one `translate review` wrote, and a reviewer's notes saved into `output/review/es/tiny.review.pdf` were
    replaced at the next `translate review es`: "written: …", exit 0, not a word about the cache or the notes.
    Now the sheet there is kept aside (`tiny.review.changed.pdf`) and said, as a build keeps a changed PDF."""
    from generator.content import seal

    project = tiny_copy(tmp_path / "p")
    assert run("translate", "new", "es", "--project", project).exit_code == 0
    bad = tmp_path / "open-cache"
    bad.mkdir()
    bad.chmod(0o777)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(bad))
    monkeypatch.setattr(seal, "_secret", None)
    assert run("translate", "review", "es", "tiny", "--project", project).exit_code == 0
    sheet = project / "output/review/es/tiny.review.pdf"
    annotated = sheet.read_bytes() + b"% a reviewer's notes\n"
    sheet.write_bytes(annotated)
    result = run("translate", "review", "es", "tiny", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    kept = project / "output/review/es/tiny.review.changed.pdf"
    assert kept.read_bytes() == annotated
    assert "tiny.review.changed.pdf" in result.output + result.stderr


def test_a_copy_built_before_a_style_change_elsewhere_is_not_called_altered(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A handout printed at the front desk, then style.yaml tweaked (the title a point smaller), then `verify` on
    the manager's computer or account (whose build log never saw the file): "content current but this file was
    altered" — a genuine copy called tampered (the twenty-ninth pass fixed this for the clinic's name, and the
    `shared=` digest for page texts and clinic details; templates, style, fonts and the logo were left). The
    payload now carries `look=`, a digest of the template-side files and logo: a copy whose look differs from the
    project's now is "unknown (… drawn with other templates, style, fonts or logo … built before they changed … or
    altered, it cannot be told which …)", as the twenty-ninth pass said for a clinic renamed; one whose look is the
    same as now is still "altered"."""
    from types import SimpleNamespace

    from generator import authentic
    from generator.content.project import load_or_raise
    from generator.render.look import look_digest
    from generator.review.verify import ALTERED, UNKNOWN, read_payload, verify

    project = tiny_copy(tmp_path / "p")
    today = date(2026, 12, 7)
    assert run("build", "--project", project, "-q", "-j", "1").exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    loaded, _ = load_or_raise(project, today)
    fields = read_payload(pdf)
    assert fields is not None and fields.get("look") == look_digest(loaded, "en")
    # Another computer: no log of this file, and (the renders stubbed, for speed) no fresh build is these bytes
    monkeypatch.setattr(authentic, "was_built", lambda digest: False)
    monkeypatch.setattr(authentic, "render_one", lambda *args: SimpleNamespace(data=b"another build"))
    verdict = verify(loaded, pdf, today, authentic.checker(loaded, project, today))
    assert verdict.status == ALTERED, verdict.format()  # drawn as the project draws now: altered, as before
    (project / "templates").mkdir()
    style = Path(__file__).resolve().parents[2] / "templates/style.yaml"
    (project / "templates/style.yaml").write_text(style.read_text(encoding="utf-8").replace(
        "title: {size: 22,", "title: {size: 21,"), encoding="utf-8")
    loaded, _ = load_or_raise(project, today)
    verdict = verify(loaded, pdf, today, authentic.checker(loaded, project, today))
    assert verdict.status == UNKNOWN, verdict.format()
    assert "templates, style, fonts or logo" in verdict.detail
