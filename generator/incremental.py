"""What each PDF depends on, as one fingerprint, so an unchanged PDF is not rendered again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from pathlib import Path

from generator import __version__
from generator.content.files import FileRefused, read_bytes
from generator.content.model import Project
from generator.render import fonts, template
from generator.review.state import State, fingerprint_facts, fingerprint_strings

MAX_INPUT_BYTES = 64_000_000  # the largest input file: a CJK font collection
# The template files each output format is made from (fonts.yaml also gives HTML each language's direction).
TEMPLATE_FILES = {"pdf": ("handout.xml.j2", "style.yaml", "fonts.yaml"),
                  "html": ("handout.html.j2", "style.yaml", "fonts.yaml")}


@cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """A file's sha256, remembered for as long as its size and modification time stay the same."""
    return hashlib.sha256(read_bytes(path, MAX_INPUT_BYTES)).hexdigest()  # a regular file, bounded


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)


def static_inputs(root: Path, lang: str, fmt: str = "pdf") -> dict[str, str]:
    """Templates, styles, font settings and the font files one language uses, each by content hash."""
    digests = {}
    for name in TEMPLATE_FILES[fmt]:
        path = template.find(root, name) / name
        digests[name] = file_digest(path)
    # Any template may include, import or extend another: every template a render could read counts.
    for folder in template.template_dirs(root):
        for path in sorted(folder.glob("**/*.j2")):
            digests[f"template:{folder.name}/{path.relative_to(folder).as_posix()}"] = file_digest(path)
    if fmt == "pdf":
        config = fonts.load_config(template.find(root, "fonts.yaml"))
        for key, face in config.for_lang(lang).faces:
            digests[f"font.{key}"] = file_digest(face.path)
    return digests


def inputs_fingerprint(project: Project, root: Path, handout_id: str, lang: str, options: dict[str, object],
                       state: State, content_fingerprint: str, fmt: str = "pdf") -> str:
    """Everything an output file depends on: content, review, UI strings, facts, settings, the logo image,
    templates, fonts, generator version and build options (paper, edition, format)."""
    settings = project.settings
    logo = Path(project.root) / settings.clinic.logo if settings.clinic.logo else None
    payload = {
        "generator": __version__, "handout": handout_id, "lang": lang, "options": options,
        "content": content_fingerprint, "review": [state.status, asdict(state.review)],
        "ui": fingerprint_strings(project.strings_for(lang)), "facts": fingerprint_facts(project.facts, project.crisis),
        "settings": [asdict(settings.clinic), settings.jurisdiction, settings.verify_url],
        "logo": file_digest(logo) if logo else "",
        "static": static_inputs(root, lang, fmt),
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def is_current(out: Path, entry: dict[str, object] | None, inputs: str) -> bool:
    """An existing PDF can be kept when its recorded inputs are the same and the file is intact."""
    if not entry or entry.get("inputs") != inputs:
        return False
    path = out / str(entry.get("file"))
    try:
        return hashlib.sha256(read_bytes(path, MAX_INPUT_BYTES)).hexdigest() == entry.get("sha256")
    except FileRefused:  # missing, or not a regular file: rebuilt (and writing says what is in the way)
        return False
