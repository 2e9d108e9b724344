"""Which build of the generator draws: a digest of its own code, the interpreter and the drawing libraries. The
version string is the same from commit to commit, so the incremental build rebuilds on this digest (thirteenth
pass), and a file's verification data carries 12 hex digits of it (`code=`): `verify` tells a copy made by other
code — an older or newer installation, or one from before the field — from one this installation's code altered
(thirty-second pass: after an upgrade, every copy printed before it was "altered" on another computer)."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path


@cache
def code_digest() -> str:
    """The generator's own code (every module of the package), the versions of the interpreter and of the libraries
    that lay out and draw, and the shipped fonts a project's faces borrow numbers from: the version string is the
    same from commit to commit, and a PDF drawn by other code must be built again (thirteenth pass: a drawing fix
    never reached it)."""
    import importlib.util

    from generator.render.template import default_templates

    # The installed distributions' folder names hold their versions (reportlab-5.1.0.dist-info): one listing of
    # each folder the drawing libraries live in, where importlib.metadata takes 0.15 s to search every path. Only
    # theirs: every distribution of the folder made a copy built by `pip install .` differ from one built by the
    # same code in a virtual environment that also held pytest (sixteenth session), and any unrelated install
    # made every copy printed before it "unknown" to `verify` and rebuilt every handout.
    found: set[str] = set()
    for module in _DRAWING:
        spec = importlib.util.find_spec(module)
        folder = Path(spec.origin).parent.parent if spec is not None and spec.origin else None
        found.update({name for name in _listing(folder) if name.endswith(".dist-info")
                      and _distribution(name) in _DRAWING.values()} if folder else {module})
    libraries = sorted(found)
    shipped = sorted((default_templates() / "fonts").glob("*/*.tt[fc]"))
    fonts = [f"{path.name} {path.stat().st_size}" for path in shipped]
    # The interpreter too: its unicodedata decides line breaks, letters and which characters are numbers
    parts = [code_digest_of(Path(__file__).resolve().parents[1]), sys.version, *libraries, *fonts]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


# The modules that lay out and draw, and their distributions' names as a .dist-info folder spells them (lower case).
_DRAWING = {"reportlab": "reportlab", "fontTools": "fonttools", "PIL": "pillow", "babel": "babel", "jinja2": "jinja2",
            "markupsafe": "markupsafe", "yaml": "pyyaml", "bidi": "python_bidi", "arabic_reshaper": "arabic_reshaper"}


def _distribution(folder_name: str) -> str:
    """The distribution a .dist-info folder is of, normalized (`PyYAML-6.0.4.dist-info`: "pyyaml")."""
    return folder_name.removesuffix(".dist-info").rpartition("-")[0].lower().replace("-", "_").replace(".", "_")


@cache
def _listing(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def code_digest_of(folder: Path) -> str:
    """The SHA-256 of every Python module under `folder`, with its path."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_code() -> str:
    """12 hex digits of `code_digest`: what a file's verification data says of the generator that made it."""
    return code_digest()[:12]


def other_build(fields: dict[str, str]) -> bool:
    """Whether a file's verification data names other generator code than this installation's (a file without
    `code` was made before the field existed, so by other code too)."""
    return fields.get("code", "") != build_code()
