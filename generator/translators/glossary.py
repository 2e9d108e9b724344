"""The translators' glossary (`content/glossary.yaml`): terms kept as written, and agreed translations.

Exports name the glossary terms found in each unit's source (PO `#.` notes, XLIFF notes), and XLIFF marks
do-not-translate terms in the source as `<mrk mtype="protected">`, which CAT tools keep as they are.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.content.yamldata import load_data
from generator.translators.sync import TranslateError, project_languages

GLOSSARY_FILE = "glossary.yaml"  # in content/
MAX_TERMS = 500


@dataclass(frozen=True)
class Term:
    term: str
    keep: bool  # do not translate: drug brand names, phone numbers
    note: str
    translations: tuple[tuple[str, str], ...]  # (language, agreed translation)

    def found_in(self, text: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(self.term)}(?!\w)", text) is not None

    def describe(self, lang: str) -> str:
        """How a translator's tool shows the term in a unit's notes."""
        agreed = dict(self.translations).get(lang, "")
        what = "keep as written, do not translate" if self.keep else f"use '{agreed}'" if agreed else ""
        if what and self.note:
            return f"glossary: {self.term}: {what} ({self.note})"
        return f"glossary: {self.term}: {what or self.note}"


def load(root: Path) -> tuple[Term, ...]:
    """The glossary's terms (none when the project has no glossary); a malformed glossary stops the export."""
    path = root / "content" / GLOSSARY_FILE
    if not os.path.lexists(path):  # a link to a glossary not there, a folder, a pipe: refused, never skipped
        return ()
    shown = f"content/{GLOSSARY_FILE}"
    try:
        data = load_data(path, root)  # never a link leading out of the project
    except (OSError, ValueError) as exc:
        raise TranslateError(f"{shown}: {exc}; fix the glossary or remove the file") from None
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) > MAX_TERMS:
        raise TranslateError(f"{shown}: expected 'terms:' with a list of at most {MAX_TERMS} entries")
    # An agreed translation under `ES` or `es-MX` was never shown to anyone (a judgement call of the nineteenth pass)
    languages = project_languages(root)[1]
    terms = []
    for number, item in enumerate(items, start=1):
        term = item.get("term") if isinstance(item, dict) else None
        translations = item.get("translations", {}) if isinstance(item, dict) else None
        if not isinstance(term, str) or not term.strip() or not isinstance(translations, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in translations.items()):
            raise TranslateError(f"{shown}: term {number}: expected 'term: text' (quoted), optional "
                                 "'do_not_translate: true', 'note: text' and 'translations: {es: text}'")
        if unknown := next((code for code in translations if code not in languages), None):
            raise TranslateError(f"{shown}: term {number}: translations: {unknown[:20]!r} is not a language of this "
                                 f"project ({', '.join(languages)}); write the code as handouts.yaml does, e.g. "
                                 f"{_closest(unknown, languages)}")
        note = str(item.get("note") or "")
        for text in (term, note, *translations, *translations.values()):
            bad = next((ch for ch in text if _unwritable(ch)), None)
            if bad is not None:
                raise TranslateError(f"{shown}: term {number}: holds the character U+{ord(bad):04X}, which "
                                     "no exchange file may carry (XML refuses it; a terminal runs it); delete it")
        terms.append(Term(term.strip(), item.get("do_not_translate") is True, note,
                          tuple(sorted(translations.items()))))
    return tuple(terms)


def _closest(code: str, languages: list[str]) -> str:
    """The project's spelling of `code` (`ES`, `es_MX` → es), else its first translation's."""
    base = code.replace("_", "-").split("-")[0].lower()
    return next((lang for lang in languages if lang.lower() in (code.lower(), base)), languages[-1])


_LINE_BREAKS = "\t\n\r\x85\u2028\u2029"  # a note may run over lines: each becomes a line of its own


def _unwritable(ch: str) -> bool:
    """A control character (other than a tab or line break), a surrogate, a noncharacter or a direction control:
    what an XLIFF file cannot hold, or what would drive a terminal or reorder a note (eighteenth pass)."""
    code = ord(ch)
    if ch in _LINE_BREAKS:
        return False
    return (unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
            or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069)
