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
from tests.hardening.hostile import no_traceback, tiny_copy


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
