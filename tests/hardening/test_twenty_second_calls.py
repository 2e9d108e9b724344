"""Judgement calls left open by earlier passes, taken up in the thirteenth session (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, refused_by_check_and_build, tiny_copy


@pytest.mark.parametrize("name", ["style.yaml", "fonts.yaml"])
@pytest.mark.parametrize(("text", "said"), [
    ("", "the file is empty"),
    ("---\n", "the file is empty"),
    ("[]\n", "the file is a list, not settings"),
    ("page: 1\nfamilies: 1\n", "a setting is empty or holds a list or text"),
    ("colors: {}\nlanguages: {}\n", "is missing; add it"),
])
def test_a_settings_file_of_the_wrong_shape_is_named_in_its_reader_s_words(tmp_path: Path, name: str, text: str,
                                                                          said: str) -> None:
    """An empty templates/style.yaml or fonts.yaml (a sync tool's placeholder, a `touch`) was refused as
    "cannot read styles (TypeError(\"'NoneType' object is not subscriptable\"))" — Python's words, no fix named (a
    judgement call of the twenty-first pass)."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"templates/{name}: " in result.stderr and said in result.stderr, result.stderr
    assert f"compare it with the shipped templates/{name}, or delete it" in result.stderr
    assert "Error" not in result.stderr  # no Python exception named


def test_a_build_names_an_empty_style_file_the_same_way(tmp_path: Path) -> None:
    """The build reads style.yaml itself (and the large-print sizes): the same words."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.yaml").write_text("", encoding="utf-8")
    refused_by_check_and_build(project, "templates/style.yaml: the file is empty", "--large-print")
