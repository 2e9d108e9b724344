"""The template-side files an output is drawn from (templates, styles, font settings, fonts) and the logo, each
by content hash: what the incremental build's fingerprints and a handout's `look=` digest are made of. In the render
layer so that rendering may use it (review.look); `generator.incremental` re-exports it."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from generator.content.files import read_bytes
from generator.content.walk import FONT_SUFFIXES, TooManyFolders, files_under

MAX_INPUT_BYTES = 64_000_000  # the largest input file: a CJK font collection
# The template files each output format is made from (fonts.yaml also gives HTML each language's direction).
TEMPLATE_FILES = {"pdf": ("handout.xml.j2", "style.yaml", "fonts.yaml"),
                  "html": ("handout.html.j2", "style.yaml", "fonts.yaml")}


@cache
def _file_digest(path: Path, size: int, mtime_ns: int, ctime_ns: int, ino: int) -> str:
    """A file's sha256, remembered for as long as its size, times and inode stay the same."""
    return hashlib.sha256(read_bytes(path, MAX_INPUT_BYTES)).hexdigest()  # a regular file, bounded


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)




def template_inputs(root: Path, fmt: str = "pdf") -> dict[str, Path]:
    """Every template-side file one output format is made from (templates, styles, font settings, every file of
    the templates folders, each language's font files), by the name its hash is recorded under."""
    from generator.render import fonts, template

    paths = {name: template.find(root, name) / name for name in TEMPLATE_FILES[fmt]}
    # Any template may include, import or extend another: every template a render could read counts.
    # The shipped folder first, the project's own after it: a name is the file a render reads under it (the
    # project's, when it has one). Never the folder's name: an installed generator's is `_templates`, a
    # checkout's `templates`, and the digest must not tell installations apart.
    for folder in reversed(template.template_dirs(root)):  # any file: a template may include "disc.part" (7th pass)
        try:  # every file: one left out of the fingerprint could change the output unseen (twenty-second pass)
            listed = files_under(folder, complete=True)
        except TooManyFolders as exc:
            raise template.TemplateError(f"{exc}, too many to tell which files a template may read; nothing was "
                                         "written; move what is not a template (node_modules, a copied web site) "
                                         "out of it") from None
        for path in listed:
            if path.suffix.lower() not in FONT_SUFFIXES:  # the faces a language uses are counted below
                paths[f"template:{path.relative_to(folder).as_posix()}"] = path
    if fmt == "pdf":  # every language's faces: the other-languages line names each language in its own
        config = fonts.load_config(template.find(root, "fonts.yaml"))
        for lang_fonts in config.languages.values():
            for key, face in lang_fonts.faces:
                paths[f"font.{lang_fonts.family}.{key}"] = face.path
    return paths


def static_inputs(root: Path, lang: str, fmt: str = "pdf") -> dict[str, str]:
    """Templates, styles, font settings and the font files one language uses, each by content hash."""
    return {name: _any_file_digest(path) if name.startswith("template:") else file_digest(path)
            for name, path in template_inputs(root, fmt).items()}


def _any_file_digest(path: Path) -> str:
    """A file of a templates folder: by content hash, or by its size when it is larger than a template can be: no
    render reads it (the loader refuses it), and hashing it whole stopped every build for a 70 MB zip or .psd kept
    there, which `check` passed (twenty-seventh pass). Font faces and the logo are hashed under their own names."""
    from generator.render.sandbox import MAX_TEMPLATE_BYTES

    size = path.stat().st_size
    return f"size:{size}" if size > MAX_TEMPLATE_BYTES else file_digest(path)


def logo_path(root: Path, logo: str | None) -> Path | None:
    """The logo image the settings name (`clinic.logo`, relative to the project), or None."""
    return Path(root) / logo if logo else None

