"""The thirty-second hostile pass, part B (issue 12): project templates, style.yaml, fonts and every drawing path.
Written against main 0cfd679; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import no_traceback, spanish_started, tiny_copy


def _collection_face(project: Path, index: str) -> None:
    """fonts.yaml naming face `index` of the shipped WenQuanYi collection, copied into the project."""
    fonts = project / "templates" / "fonts" / "w"
    fonts.mkdir(parents=True)
    shutil.copy(default_templates() / "fonts" / "wqy-microhei" / "wqy-microhei.ttc", fonts)
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  w:\n"
        f"    regular: \"fonts/w/wqy-microhei.ttc{index}\"\n"
        "    bold: fonts/w/wqy-microhei.ttc#0\n    synthetic_bold: true\n"
        "languages:\n  en: {family: w, direction: ltr, breaking: words}\n", encoding="utf-8")


@pytest.mark.parametrize("index", ["#999999999999999999999", "#\u0661", "#1_0"])
def test_collection_face_number_out_of_range_is_a_clear_error(tmp_path: Path, index: str) -> None:
    """fonts.yaml naming face `#999999999999999999999` of a collection: `check` ended in an OverflowError
    traceback (the number was read with int() and used as a struct offset); `#١` (an Arabic-Indic one) and `#1_0`
    were taken as faces 1 and 10, a face number no one wrote in plain digits. A face number is 0-9 digits, a few."""
    project = tiny_copy(tmp_path / "p")
    _collection_face(project, index)
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "fonts.yaml" in result.output and "face number" in result.output, result.output


def _face_without_digits(fonts: Path) -> None:
    """Regular and bold Noto Sans subsets of printable ASCII without 0-9, as fonts/sub/S-*.ttf."""
    from fontTools import subset

    fonts.mkdir(parents=True)
    for face in ("Regular", "Bold"):
        options = subset.Options()
        font = subset.load_font(str(default_templates() / "fonts" / "noto-sans" / f"NotoSans-{face}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[*range(0x20, 0x30), *range(0x3A, 0x7F)])
        subsetter.subset(font)
        font.save(str(fonts / f"S-{face}.ttf"))


def test_check_of_a_face_without_ascii_digits_says_to_declare_one(tmp_path: Path) -> None:
    """fonts.yaml giving English a face without 0-9: `check` refused every digit (rightly), telling the user to
    "write the number with 0-9" — which is what the phone number and the version already were; the fix is a font."""
    project = tiny_copy(tmp_path / "p")
    _face_without_digits(project / "templates" / "fonts" / "sub")
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  sub:\n    regular: fonts/sub/S-Regular.ttf\n    bold: fonts/sub/S-Bold.ttf\n"
        "languages:\n  en: {family: sub, direction: ltr, breaking: words}\n", encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "'5' (U+0035) is not in font" in result.output, result.output
    assert "write the number with 0-9" not in result.output, result.output


def test_review_sheet_under_a_face_without_digits_is_refused(tmp_path: Path) -> None:
    """fonts.yaml giving Spanish a face without the digits 0-9 (a subset): `translate review es` wrote its sheet,
    exit 0, with every digit of the translation drawn as nothing, and every character the face lacks written as
    `[U+XXXX]` in digits the face lacks too ("[U+  C]", "Tomé 5 mg" as "Tom[U+  E] [U+  ] mg"): a reviewer read a
    dose with no number. The sheet is refused, naming fonts.yaml, when the face cannot write the marker."""
    project = spanish_started(tmp_path / "p")
    fonts = project / "templates" / "fonts" / "sub"
    _face_without_digits(fonts)
    shutil.copytree(default_templates() / "fonts" / "noto-sans", fonts.parent / "noto-sans")
    (project / "templates" / "fonts.yaml").write_text(
        "families:\n  sub:\n    regular: fonts/sub/S-Regular.ttf\n    bold: fonts/sub/S-Bold.ttf\n"
        "  noto:\n    regular: fonts/noto-sans/NotoSans-Regular.ttf\n    bold: fonts/noto-sans/NotoSans-Bold.ttf\n"
        "languages:\n  en: {family: noto, direction: ltr, breaking: words}\n"
        "  es: {family: sub, direction: ltr, breaking: words}\n", encoding="utf-8")
    spanish = project / "content" / "es" / "tiny.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        'title: "A tiny handout"', 'title: "Tomé 5 mg"', 1), encoding="utf-8")
    assert run("translate", "done", "es", "--handout", "tiny", "--unit", "title", "--project", project).exit_code == 0
    result = run("translate", "review", "es", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "fonts.yaml" in result.output and "0-9" in result.output, result.output
    assert not list((project / "output").rglob("*.pdf"))
