"""`handouts print --release` (fourteenth session): the front desk's `serve --release` had a terminal twin only
in `build --release`; `print` sent drafts to the printer with nothing said but the watermark."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import copy_project, run
from tests.review.test_review import APPROVE_EN, approve
from tests.serve.test_print import printed_file, queue  # noqa: F401  (the fixture)


def test_print_release_refuses_a_draft_and_prints_nothing(tmp_path: Path, queue: str) -> None:  # noqa: F811
    root = copy_project(tmp_path / "project")
    result = run("print", "microdosing", "--lang", "en", "--release", "--printer", queue, "--project", root)
    assert result.exit_code == 1, result.output
    assert "content/en/microdosing.yaml" in result.output and "not approved" in result.output.lower()
    assert "nothing was printed." in result.stderr and "printed " not in result.stdout
    assert not (root / "output/en/microdosing.pdf").exists()


def test_print_of_a_draft_warns_and_print_release_of_approved_content_does_not(
        tmp_path: Path, queue: str) -> None:  # noqa: F811
    root = copy_project(tmp_path / "project")
    draft = run("print", "microdosing", "--lang", "en", "--printer", queue, "--project", root)
    assert draft.exit_code == 0, draft.output
    assert "warning: the printed copy is not approved (draft)" in draft.stderr
    approve(root, *APPROVE_EN)
    released = run("print", "microdosing", "--lang", "en", "--release", "--printer", queue, "--project", root)
    assert released.exit_code == 0, released.output
    assert "warning" not in released.stderr
    job_id = re.search(rf"job ({re.escape(queue)}-\d+)", released.output).group(1)
    text = PdfReader(printed_file(job_id)).pages[0].extract_text()
    assert "DRAFT" not in text and "Reviewed" in text
