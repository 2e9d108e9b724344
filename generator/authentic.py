"""Is a file one the generator made? Builds are byte-reproducible, so its sha256 either is in the manifest of
the project's own output folder or equals a fresh render of the inputs its verification data records;
`handouts verify` uses this to tell an altered file from an authentic one.

A manifest beside the file handed in vouches for nothing: whoever forged the file can write one next to it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.build import Edition, render_one
from generator.content.files import default_output
from generator.content.model import Project
from generator.render.write import WriteError, read_manifest

PAPERS = ("letter", "a4")


def _known(out: Path) -> set[str]:
    try:
        return {str(e.get("sha256")) for e in read_manifest(out)}
    except WriteError:  # a manifest that is not a regular file vouches for nothing
        return set()


def checker(project: Project, root: Path, today: date) -> Callable[[bytes, dict[str, str], Path], bool]:
    """A function telling whether given bytes are exactly a file this project's generator makes."""
    try:
        known = _known(default_output(root))
    except WriteError:  # PROJECT/output is a link leading out of the project: its manifest is not ours
        known = set()

    def authentic(data: bytes, fields: dict[str, str], path: Path) -> bool:
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            return True
        fmt = "html" if path.suffix.lower() in (".html", ".htm") else "pdf"
        second = fields.get("second", "")
        papers = dict.fromkeys([project.settings.paper, *PAPERS])
        for large in (False, True):  # the payload does not record the paper or print size: try each
            for paper in papers:
                try:
                    output = render_one(project, root, fields["handout"], fields["lang"], paper, today,
                                        Edition(large, second), fmt)
                except Exception:  # noqa: BLE001 - an edition this project cannot render is not the file
                    continue
                if hashlib.sha256(output.data).hexdigest() == digest:
                    return True
        return False

    return authentic
