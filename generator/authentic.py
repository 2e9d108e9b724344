"""Is a file one the generator made? Builds are byte-reproducible, so its sha256 equals a fresh render of the
inputs its verification data records; `handouts verify` uses this to tell an altered file from an authentic one.

No manifest vouches for a file by itself, not even the project's own: the output folder is untrusted input, and
whoever altered a file there can list its new sha256 in the manifest beside it (third hostile pass). The sealed
log of files this user's generator built (content/seal.py) does tell one thing apart: a file it built earlier,
with other templates, style or fonts than the project has now, is outdated, not altered (fourth and fifth passes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.build import Edition, render_one
from generator.content.model import Project
from generator.content.seal import was_built
from generator.render.codedigest import other_build
from generator.render.look import drawn_otherwise
from generator.review.verify import BUILT_EARLIER, DRAWN_OTHERWISE, OTHER_BUILD

PAPERS = ("letter", "a4")
_FAILED = "\x00"  # before the reason an edition could not be rendered for, where a digest would be
IDENTICAL, BUILT_HERE, DIFFERS = "identical", "built here", "differs"  # or DRAWN_OTHERWISE, "cannot render: <why>"


def checker(project: Project, root: Path, today: date) -> Callable[[bytes, dict[str, str], Path], str]:
    """A function telling whether given bytes are exactly a file this project's generator makes now (IDENTICAL),
    one it made earlier from other inputs (BUILT_HERE), neither (DIFFERS), or that it cannot tell because no
    edition renders ("cannot render: " and the first reason)."""

    made: dict[tuple[object, ...], str] = {}  # each edition's sha256 (or why it cannot render), once per run:
    # `verify` of 100 altered copies rendered the same handout 800 times (thirty-fourth pass)

    def digest_of(handout: str, lang: str, paper: str, edition: Edition, fmt: str) -> str:
        key = (handout, lang, paper, edition, fmt)
        if key not in made:
            try:
                made[key] = hashlib.sha256(render_one(project, root, handout, lang, paper, today, edition,
                                                      fmt).data).hexdigest()
            except Exception as exc:  # noqa: BLE001 - an edition this project cannot render is not the file
                made[key] = _FAILED + _reason(exc)
        return made[key]

    def authentic(data: bytes, fields: dict[str, str], path: Path) -> str:
        digest = hashlib.sha256(data).hexdigest()
        fmt = "html" if path.suffix.lower() in (".html", ".htm") else "pdf"
        second = fields.get("second", "")
        papers = dict.fromkeys([project.settings.paper, *PAPERS])
        failures: list[str] = []
        # The payload does not record the paper, the print size or a release (which names only approved other
        # languages): try each.
        editions = [Edition(large, second, release) for release in (False, True) for large in (False, True)]
        for edition in editions:
            for paper in papers:
                made_now = digest_of(fields["handout"], fields["lang"], paper, edition, fmt)
                if made_now.startswith(_FAILED):
                    failures.append(made_now.removeprefix(_FAILED))
                elif made_now == digest:
                    return IDENTICAL
        if len(failures) == len(editions) * len(papers):  # nothing rendered: no comparison, so no verdict on bytes
            return f"cannot render: {failures[0]}"
        if was_built(digest):  # by this installation, or by the one before an upgrade
            return BUILT_EARLIER if other_build(fields) else BUILT_HERE
        languages = [("", fields["lang"])] + ([("second_", second)] if second else [])
        if drawn_otherwise(project, fields, languages):
            return DRAWN_OTHERWISE
        return OTHER_BUILD if other_build(fields) else DIFFERS  # an upgrade keeps the version string

    return authentic


def _reason(exc: Exception) -> str:
    from generator.content.files import FileRefused

    if isinstance(exc, FileRefused) and exc.path:
        return f"{exc.path}: {exc}"
    return str(exc) or type(exc).__name__
