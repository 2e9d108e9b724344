"""Judgement calls left open by earlier passes, taken up in the fourteenth session (each test failed before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.write import read_manifest
from tests.conftest import run
from tests.hardening.hostile import set_intro, tiny_copy


def test_the_desk_reads_a_file_again_when_a_terminal_build_replaced_it_between_manifest_and_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk read the manifest, then the file: a `handouts build` in a terminal replacing both in between
    made the request fail ("does not match its manifest entry"). Here the desk's first manifest read is the one
    taken before the terminal build; the second is today's."""
    from generator.serve import ondemand

    project = tiny_copy(tmp_path / "tiny")
    out = project / "output"
    assert run("build", "--project", project).exit_code == 0
    before = read_manifest(out)
    set_intro(project, "An introduction, edited at the terminal.")
    assert run("build", "--project", project).exit_code == 0
    reads = iter([before])
    monkeypatch.setattr(ondemand, "read_manifest", lambda folder: next(reads, None) or read_manifest(folder))
    served = ondemand.read_listed(out, "en/tiny.pdf")
    assert served.data == (out / "en/tiny.pdf").read_bytes()
    assert served.entry == next(e for e in read_manifest(out) if e["file"] == "en/tiny.pdf")


def test_the_desk_still_refuses_a_file_altered_after_its_build(tmp_path: Path) -> None:
    from generator.serve.ondemand import NotServable, read_listed

    project = tiny_copy(tmp_path / "tiny")
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/en/tiny.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%altered\n")
    with pytest.raises(NotServable, match="does not match its manifest entry"):
        read_listed(project / "output", "en/tiny.pdf")
