"""The twenty-ninth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts and every drawing
path, in all six languages. Written against main 010ae3d; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run
from tests.hardening.hostile import SETTINGS, no_traceback, tiny_copy


def test_a_verify_url_repeating_a_field_is_refused(tmp_path: Path) -> None:
    """verify_url is bounded to 300 characters "so the QR code must scan", but its fields are filled in: an address
    of 292 characters writing `{handout}` 30 times, for a handout whose ID has 64 letters, put 1,962 characters in
    the 22 mm QR code (a version 37 code, modules of 0.13 mm). `check` and `build` said ok, and the printed code
    (looked at, pages rendered at 100, 150 and 200 dpi) could not be read by zbarimg, which reads the shipped
    handout's at 100 dpi: a patient scanning it learns nothing. Each field is written once, so the filled address
    stays near the bound; the error names the field and its place in handouts.yaml."""
    project = tiny_copy(tmp_path / "p")
    settings = project / SETTINGS
    address = "https://clinic.example.org/" + "{handout}" * 3
    settings.write_text(settings.read_text(encoding="utf-8") + f'verify_url: "{address}"\n', encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "handouts.yaml:" in result.output
    assert "{handout} more than once" in result.output
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        address, "https://clinic.example.org/{lang}/{handout}?v={version}&f={fingerprint}&r={review}"),
        encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0
