"""The translators' glossary (`content/glossary.yaml`): terms kept as written, and agreed translations.

Exports name the glossary terms found in each unit's source (PO `#.` notes, XLIFF notes), and XLIFF marks
do-not-translate terms in the source as `<mrk mtype="protected">`, which CAT tools keep as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.content.yamldata import load_data
from generator.translators.sync import TranslateError

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
    if not path.is_file():
        return ()
    shown = f"content/{GLOSSARY_FILE}"
    try:
        data = load_data(path, root)  # never a link leading out of the project
    except (OSError, ValueError) as exc:
        raise TranslateError(f"{shown}: {exc}; fix the glossary or remove the file") from None
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) > MAX_TERMS:
        raise TranslateError(f"{shown}: expected 'terms:' with a list of at most {MAX_TERMS} entries")
    terms = []
    for number, item in enumerate(items, start=1):
        term = item.get("term") if isinstance(item, dict) else None
        translations = item.get("translations", {}) if isinstance(item, dict) else None
        if not isinstance(term, str) or not term.strip() or not isinstance(translations, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in translations.items()):
            raise TranslateError(f"{shown}: term {number}: expected 'term: text' (quoted), optional "
                                 "'do_not_translate: true', 'note: text' and 'translations: {es: text}'")
        terms.append(Term(term.strip(), item.get("do_not_translate") is True, str(item.get("note") or ""),
                          tuple(sorted(translations.items()))))
    return tuple(terms)
