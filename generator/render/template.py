"""Templates: find them (the project's own, else the shipped defaults) and render a View through Jinja2."""

from __future__ import annotations

import os
import re
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content.files import inside
from generator.content.markup import KEEP_VALUE_WHOLE
from generator.render.localize import Text, View
from generator.render.rtl import value_direction

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET


# A document type declaration in a template's XML output: its entities expand as the output is parsed, up to 100
# times the output's size (expat's own bound), and an output of 9 MB (within its 10-million-character bound) whose
# entity held 100 KB and was named 8,900 times in an attribute took 1.9 GB (thirty-fourth pass).
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class TemplateError(Exception):
    """A template could not be loaded or rendered; the message names the file and line."""


@cache  # where the running code's package data sits does not change while it runs (a build asks per file)
def package_folder(package: str, marker: str, checkout: str) -> Path:
    """Package data in an installed wheel; the top-level folder `checkout` of a source checkout otherwise.

    The data folders have no __init__.py, so they import as namespace packages, for which
    importlib.resources.files() returns a MultiplexedPath whose str() is not a path; the import spec's search
    location is.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / marker).exists():
            return Path(location)
    return Path(__file__).resolve().parents[2] / checkout


def default_templates() -> Path:
    """The shipped templates: package data in an installed wheel, the top-level folder in a checkout."""
    return package_folder("generator._templates", "handout.xml.j2", "templates")


def template_dirs(project_root: Path) -> list[Path]:
    """Where to look for a template file, in order: the project's templates/, then the defaults."""
    own = project_root / "templates"
    if os.path.lexists(own) and not inside(project_root, own):
        raise TemplateError(f"{own}: the templates folder leads outside the project (a link?); nothing was read; "
                            "make templates/ a real folder inside the project")
    dirs = [own] if _own_folder(own) else []
    default = default_templates()
    if not dirs or default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


def is_shipped(project_root: Path, name: str = "handout.xml.j2") -> bool:
    """Whether the template `name` comes from the generator's own templates: the shipped folder itself, or a
    folder holding the very same files (a checkout's templates/, used as the project's by `handouts build` in
    it). A clinic's own templates are checked in every handout, language and edition: 140 renders, which the
    shipped project paid at every cold `check` and build because its folder was named by a relative path."""
    folder, default = find(project_root, name), default_templates()
    return folder.resolve() == default.resolve() or _template_files(folder) == _template_files(default)


def renders_as_shipped(project_root: Path, name: str) -> bool:
    """Whether the template `name` a project uses is the shipped file, byte for byte, and the shipped one names
    no other file (include, import, extends): it then makes what the shipped one makes from the same context,
    whatever else its folder holds (the HTML companion beside a clinic's own handout.xml.j2)."""
    import hashlib

    from jinja2 import Environment, meta

    folder, default = find(project_root, name), default_templates()
    shipped = (default / name).read_bytes()
    if list(meta.find_referenced_templates(Environment().parse(shipped.decode("utf-8")))):
        return False
    return _template_files(folder).get(name) == hashlib.sha256(shipped).hexdigest()


def _template_files(folder: Path) -> dict[str, str]:
    """A templates folder's files that a template could include (a font is larger), by path: their sha256."""
    import hashlib

    from generator.content.files import FileRefused, read_bytes
    from generator.content.walk import files_under

    found = {}
    for path in files_under(folder):
        try:
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(read_bytes(path, 1_000_000)).hexdigest()
        except FileRefused:  # larger than any template (a CJK font), or gone: no template includes it
            continue
    return found


def _own_folder(own: Path) -> bool:
    """Whether the project has its own templates folder; one there that is not a readable folder is refused,
    never quietly replaced by the shipped templates (the clinic's layout and sizes would be gone unsaid)."""
    if not os.path.lexists(own):
        return False
    if not own.is_dir():
        raise TemplateError(f"{own}: is not a folder; nothing was read; make templates/ a folder of the project's "
                            "own templates, or remove it to use the shipped ones")
    try:
        with os.scandir(own):
            pass
    except OSError as exc:
        raise TemplateError(f"{own}: cannot be read ({exc.strerror}); nothing was read; make the folder readable "
                            "(chmod u+rx), or remove it to use the shipped templates") from None
    return True


def find(project_root: Path, name: str) -> Path:
    """The first template directory that holds `name` (falls back to the defaults' path)."""
    dirs = template_dirs(project_root)
    for folder in dirs:
        if os.path.lexists(folder / name):
            if not inside(folder, folder / name):
                raise TemplateError(f"{folder / name}: is a link that leads outside its templates folder; "
                                    "nothing was read; copy the file into the folder instead")
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
        if span.href and not span.value:
            # A phone number or web address is a link in the HTML companion; in the PDF it stays plain text
            # (as before tagging): a tagged link per value costs render time, and a printed page cannot be tapped.
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return Markup("".join(out))


def html_inline(text: Text) -> str:
    """Escaped spans as HTML: <strong>, <em>, links (https, mailto, tel only), values isolated in <bdi>."""
    from markupsafe import Markup

    from generator.content.markup import ALLOWED_SCHEMES

    out = []
    for span in text.spans:
        piece = escape(span.text, quote=False)
        if span.value:
            # A phone number or address keeps its own (left-to-right) order inside right-to-left text, and a
            # short one (a phone number) is not broken over two lines.
            attrs = f' dir="{direction}"' if (direction := value_direction(span.text)) else ""
            attrs += ' class="keep"' if len(span.text.strip()) <= KEEP_VALUE_WHOLE else ""
            piece = f"<bdi{attrs}>{piece}</bdi>"
        if span.bold:
            piece = f"<strong>{piece}</strong>"
        if span.italic:
            piece = f"<em>{piece}</em>"
        if span.href and span.href.lower().startswith(ALLOWED_SCHEMES):
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return Markup("".join(out))


@cache
def _environment(dirs: tuple[str, ...]):  # type: ignore[no-untyped-def]
    import jinja2

    from generator.render.sandbox import BoundedSandbox, ProjectLoader

    # Sandboxed and bounded: a project's own template can shape the page but never reach Python (`__class__`,
    # imports), read a file through a link, or run without end (see sandbox.py).
    env = BoundedSandbox(loader=ProjectLoader([Path(d) for d in dirs]), autoescape=True,
                         undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["inline"] = inline
    env.filters["html_inline"] = html_inline
    env.guard_filters()
    return env


def prepare(project_root: Path, name: str = "handout.xml.j2") -> None:
    """Compile the template now, once, for worker processes forked afterwards; a broken template is left for
    `render` to report, with the handout that needed it."""
    try:
        _environment(tuple(str(d) for d in template_dirs(project_root))).get_template(name)
    except Exception:  # noqa: BLE001 - only a head start; rendering reports any problem with its handout
        pass


def check(project_root: Path, name: str = "handout.xml.j2") -> None:
    """Compile the handout template, so `check` reports a syntax error before any build."""
    _load(project_root, name)


def _load(project_root: Path, name: str, shipped: bool = False):  # type: ignore[no-untyped-def]
    import jinja2

    from generator.content.limits import TimeLimit, deadline
    from generator.render.sandbox import SECONDS

    dirs = [default_templates()] if shipped else template_dirs(project_root)
    env = _environment(tuple(str(d) for d in dirs))
    try:
        with deadline(SECONDS, f"compiling the template {name}"):  # Jinja's own parsing; Python's is bounded by size
            return env.get_template(name)
    except TimeLimit as exc:
        raise TemplateError(f"{name}: {exc}; make the template shorter") from None
    except jinja2.TemplateNotFound as exc:
        where = ", ".join(str(d) for d in template_dirs(project_root))
        raise TemplateError(f"{name}: template {exc.name} not found in {where}; restore it") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}:1: template syntax error: {exc.message}; "
                            "fix the template") from None
    except (jinja2.TemplateError, OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{name}: cannot load the template ({type(exc).__name__}: {exc}); "
                            "fix the template") from None
    except (RecursionError, MemoryError):
        raise TemplateError(f"{name}: the template is nested too deeply to compile; simplify it") from None


MAX_NESTING = 40  # elements inside elements in a template's output: the shipped one nests 6 deep


def _shallow_enough(name: str, tree: ET.Element) -> None:
    """Refuse output nested deeper than MAX_NESTING: laying out and tagging walk it recursively, and 1,500
    nested <section>s or <b>s ended in a RecursionError (eighth pass)."""
    todo = [(tree, 1)]
    while todo:
        element, depth = todo.pop()
        if depth > MAX_NESTING:
            raise TemplateError(f"{name}: its output nests elements more than {MAX_NESTING} deep (<{element.tag}>); "
                                "a handout's structure is a few levels deep; fix the template")
        todo.extend((child, depth + 1) for child in element)


def render(project_root: Path, view: View, name: str = "handout.xml.j2", second: View | None = None,
           shipped: bool = False, **context: object) -> str:
    """Render a handout template for one view (and the second language's, in a bilingual edition);
    undefined variables are errors, and the PDF template's output must be well-formed XML."""
    import xml.etree.ElementTree as ET

    from generator.render import faithful, templatefault
    from generator.render.localize import MissingPair
    from generator.render.sandbox import render_bounded

    template = _load(project_root, name, shipped)
    try:
        text = render_bounded(template, doc=view, second=second, **context)
    except MissingPair as exc:
        raise TemplateError(f"{name}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's, never a traceback
        # At the template's line, in words: "(ZeroDivisionError: division by zero)" said neither (37th pass).
        raise TemplateError(f"{templatefault.line_of(exc, project_root, name)}: {templatefault.in_words(exc)}") \
            from None
    if name.endswith(".xml.j2"):
        if _DECLARATION.search(text):
            raise TemplateError(f"{name}: the template's output declares a DOCTYPE or entities (the XML it makes has "
                                "none: an entity repeated inside another one fills the memory as it is read); "
                                "remove them from the template")
        try:
            tree = ET.fromstring(text)
        except ET.ParseError as exc:
            raise TemplateError(f"{name}: the template produced malformed XML ({exc} of its output); "
                                "fix the template") from None
        _shallow_enough(name, tree)
        if tree.find(".//provenance") is None:  # the QR code, by which a reader checks the printed page
            raise TemplateError(f"{name}: it leaves out <provenance>, the QR code that verifies the handout; keep "
                                "<provenance payload=\"{{ doc.verify_payload }}\"> as the shipped template has it")
        try:
            links = [a.get("href", "") for a in tree.iter("a")]  # a scheme refused is the layout's to report
            faithful.check((t for element in tree.iter() for t in (element.text, element.tail) if t), view, second,
                           [link for link in links if link.lower().startswith(("https:", "mailto:", "tel:"))])
        except faithful.Unfaithful as exc:
            raise TemplateError(f"{name}: {exc}") from None
    return text
