"""The /verify page: what a printed handout's QR code opens. The verdict comes from `generator.review.verify`;
this module only says it to the patient, in the handout's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from generator.review.state import handout_state, short
from generator.review.verify import CURRENT, OUTDATED, SHARED_CHANGED, UNKNOWN, verify_link
from generator.serve.catalog import Catalog, language
from generator.serve.messages import messages_for

FIELDS = ("handout", "lang", "version", "fingerprint", "review", "second", "second_version", "second_fingerprint",
          "second_review", "shared", "second_shared")
_VALUE = re.compile(r"^[A-Za-z0-9._\-]{1,80}\Z")  # IDs, codes, versions, hex digits, review words: nothing else


def verify_context(catalog: Catalog, args: Mapping[str, str], today: date) -> dict[str, object]:
    """What verify.html shows: the verdict's sentence and what changed, in the handout's language."""
    fields = {key: args.get(key, "") for key in FIELDS if args.get(key)}
    if any(not _VALUE.match(value) for value in fields.values()):
        fields = {}  # not a link this project printed: unknown, without echoing what was sent
    project = catalog.project
    known = {lang.code for lang in catalog.languages}
    lang = fields.get("lang", "") if fields.get("lang") in known else catalog.source
    verdict = verify_link(project, fields, today)
    page_lang, text = messages_for(lang, catalog.source)
    entry = catalog.entries.get((fields.get("handout", ""), lang))
    changes: list[str] = []
    if verdict.status == OUTDATED and entry is not None:
        second = catalog.entries.get((entry.handout, fields.get("second", "")))
        for prefix, shown in (("", entry), ("second_", second)) if second else (("", entry),):
            current = short(handout_state(project, project.handout(shown.handout, shown.lang), today)[2])
            if fields.get(f"{prefix}fingerprint", "")[:len(current)] != current:
                changes.append(text["changed_content"])
            if fields.get(f"{prefix}version") != shown.version:
                changes.append(text["changed_version"].format(old=fields.get(f"{prefix}version", "?"),
                                                              new=shown.version))
        if SHARED_CHANGED in verdict.detail:
            changes.append(text["changed_content"])
        if "review" in verdict.detail:
            changes.append(text["changed_review"])
        changes = list(dict.fromkeys(changes))
    status = verdict.status if verdict.status in (CURRENT, OUTDATED) else UNKNOWN
    return {
        "page_lang": page_lang, "direction": language(page_lang).direction, "text": text, "status": status,
        "sentence": text[status], "changes": changes, "title": entry.title if entry and status != UNKNOWN else "",
        "not_reviewed": status == CURRENT and entry is not None and not entry.approved,
        "clinic": project.settings.clinic, "detail": verdict.detail,
    }


def unchecked_context(args: Mapping[str, str], clinic: object, source: str) -> dict[str, object]:
    """What verify.html shows while the project cannot be read: the handout could not be checked (unknown), in its
    language, with the clinic of the last good load (`clinic`: None before one); never the staff's problem list."""
    lang = args.get("lang", "")
    page_lang, text = messages_for(lang if _VALUE.match(lang) else "", source)
    return {
        "page_lang": page_lang, "direction": language(page_lang).direction, "text": text, "status": UNKNOWN,
        "sentence": text[UNKNOWN], "changes": [], "title": "", "not_reviewed": False, "clinic": clinic,
        "detail": "the project has errors: see the server's log or run handouts check",
    }


def settings_only(root: Path) -> dict[str, object]:
    """The clinic and source language from handouts.yaml alone ({} when it has an error of its own)."""
    from generator.content.parse import Parser
    from generator.content.problems import Problems
    from generator.content.settingsfile import settings_doc

    problems = Problems()
    settings = Parser(settings_doc(root, problems)).settings()
    if settings is None or problems:
        return {}
    return {"clinic": settings.clinic, "source": settings.source_language}
