"""Where a template failed (its file and line) and what went wrong, in words a clinic's template editor reads:
no Python class paths or exception names (thirty-seventh pass)."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2

from generator.content.problems import printable

INCLUDE_ONLY = ("templates can only include files under templates/ (a relative path such as 'parts/box.j2', "
                "without '..')")
MAX_NAME = 200  # characters of a template's path under templates/: the shipped ones have 15 to 20
_OBJECT = re.compile(r"'(?:[\w.]+\.)?(\w+) object'")
_MISSING = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no (attribute|element) (.+)$")
_WHAT = {"View": "the handout (doc, second)", "Text": "a text", "dict": "this value", "tuple": "this list",
         "list": "this list", "str": "this text", "int": "this number", "float": "this number"}


class IncludeRefused(jinja2.TemplateError):
    """An include, import or extends names no file under templates/ (empty, absolute, '..', a folder)."""


def refuse_include(template: str, folders: list[Path]) -> None:
    """Refuse a template name that cannot be a file under templates/, saying why (the loader's own refusal,
    TemplateNotFound, printed only the name: `template error: /etc/hostname`)."""
    if not template.strip():
        raise IncludeRefused(f"{INCLUDE_ONLY}; this one names no file (an empty name); write the file's name")
    if len(template) > MAX_NAME or not template.isprintable():  # no file is so named ("File name too long")
        raise IncludeRefused(f"{INCLUDE_ONLY}; '{_shown_name(template)}' is no file's name (longer than {MAX_NAME} "
                             "characters, or with an invisible character); write the file's name")
    if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
        raise IncludeRefused(f"{INCLUDE_ONLY}; '{_shown_name(template)}' is an absolute path, never read; copy "
                             "the file into templates/ and name it from there")
    if ".." in re.split(r"[/\\]", template):
        raise IncludeRefused(f"{INCLUDE_ONLY}; '{_shown_name(template)}' leads outside it with '..', never read; "
                             "copy the file into templates/ and name it from there")
    if any(_is_folder(folder / template) for folder in folders):  # only now: a relative name inside them
        raise IncludeRefused(f"{INCLUDE_ONLY}; '{_shown_name(template)}' is a folder; name a file in it")


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name no file has: said as not found
        return False


def _shown_name(name: str) -> str:
    return printable(name[:60]) + ("…" if len(name) > 60 else "")


def line_of(exc: BaseException, project_root: Path, name: str) -> str:
    """`templates/handout.xml.j2:12`: the innermost template frame of the exception's traceback (Jinja2 rewrites
    the frames of template code to the template's file and line), its path from the project; `name` if none."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename and exc.lineno:
        return f"{_shown(Path(exc.filename), project_root)}:{exc.lineno}"
    found = ""
    for frame, lineno in traceback.walk_tb(exc.__traceback__):  # walk_tb reads no source lines (no file reads)
        filename = frame.f_code.co_filename
        if filename.endswith(".j2") and Path(filename).is_absolute():
            found = f"{_shown(Path(filename), project_root)}:{lineno}"
    return found or name


def _shown(path: Path, project_root: Path) -> str:
    try:
        return path.relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return path.name  # a shipped template: its name, as before


def in_words(exc: BaseException) -> str:
    """What went wrong, and how to fix it, for a failure inside a template."""
    message = str(exc).rstrip(".")
    if isinstance(exc, IncludeRefused):
        return message
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"{INCLUDE_ONLY}; '{_shown_name(str(exc.name))}' is not a file there (nor among the shipped "
                "templates); create it or correct the name")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}; fix the template"
    if isinstance(exc, jinja2.UndefinedError):
        if missing := _MISSING.match(message):
            kind, what, key = missing.groups()
            field = "field" if what == "attribute" else "item"
            return (f"{_WHAT.get(kind, 'this value')} has no {field} {key}; correct the name (the shipped "
                    "handout.xml.j2 uses every field a handout has)")
        return (f"{_OBJECT.sub(_plain, message)}: the template names something that is not there; correct the "
                "name, or define it first with {% set %}")
    if isinstance(exc, ZeroDivisionError):
        return "the template divides by zero; change the expression on this line"
    if isinstance(exc, RecursionError):
        return ("the template calls itself without end (a macro calling itself, or a file including itself); make "
                "the calls stop")
    if isinstance(exc, jinja2.TemplateError):  # the sandbox's own refusals and bounds say what and why
        return f"template error: {_OBJECT.sub(_plain, message)}; fix the template"
    if isinstance(exc, (TypeError, ValueError, LookupError, ArithmeticError, AttributeError)):
        return (f"an expression on this line cannot be worked out ({_OBJECT.sub(_plain, message)}); change it, "
                "e.g. a number added to a text, or an item a list does not have")
    return f"template error: {_OBJECT.sub(_plain, message)}; fix the template"


def _plain(match: re.Match[str]) -> str:
    return f"'{_WHAT.get(match.group(1), match.group(1))}'"
