"""What a handout's page looks like besides its words: a digest of the template-side files (templates, style,
font settings and the language's fonts) and the logo it was drawn with. The verification data carries it, so that
`verify` on a computer or account whose build log never saw a copy tells one built before a change of those files
from one whose bytes changed since (thirty-first pass: a genuine copy was "altered" after a style tweak)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.content.model import Project

FORMATS = ("pdf", "html")  # one payload serves both: the digest covers what either is drawn from


def look_digest(project: Project, lang: str) -> str:
    """12 hex digits of the template-side files and logo a handout in `lang` is drawn with ("" when they cannot
    be read: the build or verify then says why, and nothing is told apart by it)."""
    from generator.render.statics import file_digest, logo_path, static_inputs

    root = Path(project.root)
    try:
        logo = logo_path(root, project.settings.clinic.logo)
        parts = [{fmt: static_inputs(root, lang, fmt) for fmt in FORMATS}, file_digest(logo) if logo else ""]
    except Exception:  # noqa: BLE001 - a template folder the build refuses: it says why itself
        return ""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8", "surrogateescape")).hexdigest()[:12]


def drawn_otherwise(project: Project, fields: dict[str, str], languages: list[tuple[str, str]]) -> str:
    """"templates, style, fonts or logo" when a file's verification data says it was drawn with other ones than the
    project has now, in one of its `languages` ((field prefix, code) pairs), else "" (also without a `look`)."""
    for prefix, lang in languages:
        was = fields.get(f"{prefix}look", "")
        if was and (now := look_digest(project, lang)) and was != now:
            return "templates, style, fonts or logo"
    return ""
