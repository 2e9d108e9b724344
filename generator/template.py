"""Templates: find them (the project's own, else the shipped defaults) and render a View through Jinja2."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from generator.localize import Text, View


def default_templates() -> Path:
    """The shipped templates: package data in an installed wheel, the top-level folder in a checkout."""
    from importlib import resources

    try:
        installed = Path(str(resources.files("generator._templates")))
    except ModuleNotFoundError:
        installed = None
    if installed is not None and (installed / "handout.xml.j2").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"


def template_dirs(project_root: Path) -> list[Path]:
    """Where to look for a template file, in order: the project's templates/, then the defaults."""
    own = project_root / "templates"
    dirs = [own] if own.is_dir() else []
    default = default_templates()
    if default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


def find(project_root: Path, name: str) -> Path:
    """The first template directory that holds `name` (falls back to the defaults' path)."""
    dirs = template_dirs(project_root)
    for folder in dirs:
        if (folder / name).is_file():
            return folder
    return dirs[-1]


def inline(text: Text) -> str:
    """Escaped spans in the only inline tags the layout understands: <b>, <i>, <a href>, <v> (a value)."""
    from markupsafe import Markup

    out = []
    for span in text.spans:
        piece = escape(span.text, quote=False)
        if span.value:
            piece = f"<v>{piece}</v>"
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.href:
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return Markup("".join(out))


class TemplateError(Exception):
    """A template could not be loaded or rendered; the message names the file and line."""


@cache
def _environment(dirs: tuple[str, ...]):  # type: ignore[no-untyped-def]
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # Sandboxed: a project's own template can shape the page but never reach Python (`__class__`, imports).
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(dirs)), autoescape=True, undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline
    return env


def check(project_root: Path, name: str = "handout.xml.j2") -> None:
    """Compile the handout template, so `check` reports a syntax error before any build."""
    _load(project_root, name)


def _load(project_root: Path, name: str):  # type: ignore[no-untyped-def]
    import jinja2

    env = _environment(tuple(str(d) for d in template_dirs(project_root)))
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}:1: template syntax error: {exc.message}; "
                            "fix the template") from None
    except (jinja2.TemplateError, OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{name}: cannot load the template ({type(exc).__name__}: {exc}); "
                            "fix the template") from None


def render(project_root: Path, view: View, name: str = "handout.xml.j2") -> str:
    """Render the handout template for one view; undefined variables are errors, the output must be XML."""
    import xml.etree.ElementTree as ET

    import jinja2

    template = _load(project_root, name)
    try:
        xml = template.render(doc=view)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{name}: template error: {exc}; fix the template") from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's, never a traceback
        raise TemplateError(f"{name}: template error ({type(exc).__name__}: {exc}); fix the template") from None
    try:
        ET.fromstring(xml)
    except ET.ParseError as exc:
        raise TemplateError(f"{name}: the template produced malformed XML ({exc} of its output); "
                            "fix the template") from None
    return xml
