"""The one check for language codes and handout IDs given on a command line or read from an exchange file.

A name becomes part of a path (content/<lang>/<id>.yaml, output/<lang>/...), so it must match its grammar
completely (no '/', '..', spaces or line breaks, not even a trailing one) and name something the project has:
a declared language, or a language folder under content/ (a translation not yet declared)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from generator.content.parse.fields import ID_RE, LANG_RE, MAX_NAME
from generator.content.problems import printable


class BadName(ValueError):
    """A language code or handout ID that is malformed or unknown (a usage error: exit 2)."""


def _shown(name: str) -> str:
    return printable(name if len(name) <= MAX_NAME else name[:MAX_NAME] + "…")


def is_language_code(lang: str) -> bool:
    """Whether `lang` is a well-formed language code (es, pt-BR, zh-Hans) and nothing more."""
    return len(lang) <= MAX_NAME and LANG_RE.fullmatch(lang) is not None


def same_language(a: str, b: str) -> bool:
    """Whether two language tags name the same language (CAT tools write zh_Hans for zh-Hans)."""
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


def is_handout_id(handout_id: str) -> bool:
    """Whether `handout_id` is a well-formed handout ID (lowercase letters, digits and '-')."""
    return len(handout_id) <= MAX_NAME and ID_RE.fullmatch(handout_id) is not None


def well_formed_language(lang: str, option: str = "language") -> str:
    """`lang` when it is a well-formed code (for a language about to be created); BadName otherwise."""
    if not is_language_code(lang):
        raise BadName(f"{option}: '{_shown(lang)}' is not a language code; use codes like es, pt-BR, zh-Hans (at "
                      "most 35 characters)")
    return lang


def language(lang: str, known: Iterable[str], option: str = "language", root: Path | None = None) -> str:
    """`lang` when it is a well-formed code of one of the `known` languages; BadName otherwise (`root`: the
    project, whose content folder may hold the language undeclared)."""
    known = list(known)
    well_formed_language(lang, option)
    folder = root / "content" / lang if root is not None else None
    if lang not in known and folder is not None and folder.is_dir() and not folder.is_symlink():
        raise BadName(f"{option}: '{lang}' is not in languages: in handouts.yaml, so content/{lang}/ is not read; "
                      "add it there when it is translated (`handouts check` then looks at it)")
    if lang not in known:
        raise BadName(f"{option}: no content for language '{lang}'; available: {', '.join(known) or 'none'}")
    return lang


def handout(handout_id: str, known: Iterable[str], option: str = "handout") -> str:
    """`handout_id` when it is a well-formed ID of one of the `known` handouts; BadName otherwise."""
    known = list(known)
    if not is_handout_id(handout_id):
        raise BadName(f"{option}: '{_shown(handout_id)}' is not a handout ID; IDs are lowercase letters, "
                      "digits and '-'")
    if handout_id not in known:
        raise BadName(f"{option}: no handout '{handout_id}'; available: {', '.join(known) or 'none'}")
    return handout_id


def content_languages(root: Path, declared: Iterable[str]) -> list[str]:
    """The declared languages, then every folder under content/ named like a language."""
    found = list(dict.fromkeys(declared))
    content = root / "content"
    try:
        folders = sorted(p.name for p in content.iterdir() if p.is_dir())
    except OSError:
        folders = []
    for name in folders:
        if is_language_code(name) and name not in found:  # a folder linking out is refused where it is read
            found.append(name)
    return found


def unique(names: Iterable[str]) -> tuple[str, ...]:
    """Names in their first order, each once (`--lang es --lang es` builds Spanish once)."""
    return tuple(dict.fromkeys(names))


@cache
def has_cldr_data(lang: str) -> bool:
    """Whether Babel (CLDR) knows `lang`, so its dates, numbers and name can be written its own way; Hmong,
    Chuukese, Marshallese, Samoan, Dari and Karen, for instance, it does not."""
    return cldr_locale(lang) is not None


@cache
def cldr_locale(lang: str):  # type: ignore[no-untyped-def]
    """Babel's locale for `lang`, or None when CLDR does not know it, or knows the language only in another
    script than the code's script subtag names: Babel answers `ur-Latn` (Roman Urdu) with Urdu's data, in Arabic
    letters and right to left, and `so-Arab` with Somali's, in Latin letters (ninth pass)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    asked = next((part.title() for part in lang.split("-")[1:2] if len(part) == 4 and part.isalpha()), None)
    if asked is None:
        return locale
    likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
    described = locale.script or next((part for part in likely[1:2] if len(part) == 4), None)
    return locale if described == asked else None
