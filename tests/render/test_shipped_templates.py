"""Which templates count as the project's own (checked in every handout, language and edition) and which are the
generator's (render/template.is_shipped)."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.render import template


def test_the_shipped_folder_and_an_exact_copy_of_it_are_the_generator_s(tmp_path: Path) -> None:
    assert template.is_shipped(tmp_path)  # no templates/ of its own
    shutil.copytree(template.default_templates(), tmp_path / "templates")
    assert template.is_shipped(tmp_path)


def test_a_copy_with_one_changed_or_added_file_is_the_project_s_own(tmp_path: Path) -> None:
    shutil.copytree(template.default_templates(), tmp_path / "templates")
    style = tmp_path / "templates" / "style.yaml"
    style.write_text(style.read_text(encoding="utf-8") + "\n# the clinic's\n", encoding="utf-8")
    assert not template.is_shipped(tmp_path)
    style.write_text((template.default_templates() / "style.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert template.is_shipped(tmp_path)
    (tmp_path / "templates" / "footer.part").write_text("{{ doc.title }}", encoding="utf-8")
    assert not template.is_shipped(tmp_path)
