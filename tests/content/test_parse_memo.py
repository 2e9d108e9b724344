"""Handout files are parsed once per text: two clinics' copies of one content share the parsed model, and any
change to a file's text (even with its size and modification time kept) is parsed afresh."""

from __future__ import annotations

import os
from pathlib import Path

from generator.content import memo
from generator.content.project import PARSED, load
from tests.conftest import copy_project

KAT = "content/en/ketamine-assisted-therapy.yaml"


def test_two_copies_of_one_content_share_the_parsed_handouts(tmp_path: Path) -> None:
    memo.enable(True)
    first, first_problems = load(copy_project(tmp_path / "a"))
    second, second_problems = load(copy_project(tmp_path / "b"))
    assert first is not None and second is not None
    assert all(x is y for x, y in zip(first.handouts, second.handouts, strict=True))
    assert first_problems.warnings == second_problems.warnings  # the remembered parse's problems, reported again
    memo.enable(False)
    try:
        fresh, fresh_problems = load(copy_project(tmp_path / "c"))
    finally:
        memo.enable(True)
    assert fresh is not None and fresh.handouts == first.handouts and fresh.handouts[0] is not first.handouts[0]
    assert fresh_problems.warnings == first_problems.warnings


def test_an_edit_that_keeps_size_and_time_is_parsed_again(tmp_path: Path) -> None:
    memo.enable(True)
    root = copy_project(tmp_path / "a")
    before, _ = load(root)
    assert before is not None and len(PARSED.entries) >= len(before.handouts)
    path = root / KAT
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Ketamine-assisted therapy" in text
    path.write_text(text.replace("Ketamine-assisted therapy", "Ketamine-assisted therapX", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after, _ = load(root)
    assert after is not None
    title = next(h for h in after.handouts if h.id == "ketamine-assisted-therapy" and h.lang == "en").title.text
    assert "therapX" in title


def test_a_problem_in_a_remembered_file_is_reported_every_time(tmp_path: Path) -> None:
    memo.enable(True)
    roots = [copy_project(tmp_path / name) for name in ("a", "b")]
    for root in roots:
        path = root / KAT
        path.write_text(path.read_text(encoding="utf-8").replace("version:", "versio:", 1), encoding="utf-8")
    found = [load(root)[1].errors for root in roots]
    assert found[0] and found[0] == found[1]
    assert any("versio" in p.message for p in found[0])
