"""Which templates count as the project's own (checked in every handout, language and edition) and which are the
generator's (render/template.is_shipped)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import build
from generator.render import template
from tests.conftest import copy_project


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


def test_only_a_template_that_differs_from_the_shipped_one_is_checked_in_every_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clinic that changed only a size (style.yaml) keeps the shipped templates' output: the every-edition
    check (320 renders for six languages) is for a template that differs, and runs for exactly that one."""
    root = copy_project(tmp_path / "project")
    shutil.copytree(template.default_templates(), root / "templates", ignore=shutil.ignore_patterns("init"))
    style = root / "templates" / "style.yaml"
    style.write_text(style.read_text(encoding="utf-8").replace("title: {size: 22,", "title: {size: 21,", 1),
                     encoding="utf-8")
    checked: list[tuple[str, ...]] = []
    real = build._check_own_template

    def recorded(project: object, folder: Path, today: object, own: tuple[str, ...]) -> None:
        checked.append(tuple(own))
        real(project, folder, today, own)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "_check_own_template", recorded)
    assert not template.is_shipped(root) and template.renders_as_shipped(root, "handout.xml.j2")
    build.validate(root)
    assert checked == []
    settings = root / "handouts.yaml"  # English only: the check below stays short (20 renders)
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - es\n  - ar\n  - zh-Hans\n  - vi\n  - ru\n",
                                                                      ""), encoding="utf-8")
    for lang in ("es", "ar", "zh-Hans", "vi", "ru"):
        shutil.rmtree(root / "content" / lang)
    page = root / "templates" / "handout.xml.j2"
    page.write_text(page.read_text(encoding="utf-8") + "{# the clinic's #}\n", encoding="utf-8")
    build.validate(root)
    assert checked == [("handout.xml.j2",)]
