"""Is a file one the generator made? Builds are byte-reproducible, so its sha256 equals a fresh render of the
inputs its verification data records; `handouts verify` uses this to tell an altered file from an authentic one.

No manifest vouches for a file, not even the project's own: the output folder is untrusted input, and whoever
altered a file there can list its new sha256 in the manifest beside it (third hostile pass)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.build import Edition, render_one
from generator.content.model import Project

PAPERS = ("letter", "a4")


def checker(project: Project, root: Path, today: date) -> Callable[[bytes, dict[str, str], Path], bool]:
    """A function telling whether given bytes are exactly a file this project's generator makes."""

    def authentic(data: bytes, fields: dict[str, str], path: Path) -> bool:
        digest = hashlib.sha256(data).hexdigest()
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
