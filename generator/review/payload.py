"""The verification payload: what a handout's QR code and PDF metadata carry, and how `verify` reads it back."""

from __future__ import annotations

import hashlib
import json

from generator.content.model import Project
from generator.review.state import APPROVED, State, fingerprint_facts, fingerprint_strings, short

PREFIX = "patient-handouts:verify:v1;"


def verify_payload(project: Project, handout_id: str, lang: str, version: str, fingerprint: str,
                   state: State) -> str:
    """What the QR code carries: the clinic's verify_url filled in, or else the verification data itself."""
    if project.settings.verify_url:
        address = project.settings.verify_url.format(handout=handout_id, lang=lang, version=version,
                                                     fingerprint=short(fingerprint), review=review_token(state))
        return with_query(address, f"shared={shared_digest(project, lang)}")
    return verify_data(handout_id, lang, version, fingerprint, state)


def verify_data(handout_id: str, lang: str, version: str, fingerprint: str, state: State, shared: str = "",
                look: str = "", code: str = "") -> str:
    """What the PDF's metadata and the HTML's meta tag carry so `handouts verify` can check a file, whether or
    not the clinic prints its own verify_url in the QR code (an address holds too little to prove a file).
    `shared`: the `shared_digest` of what the page prints besides the handout's own text; `look`: the digest of
    the templates, style, fonts and logo it is drawn with (render/look.py); both metadata only (the QR code without
    a verify_url holds the data without them); `code`: which build of the generator made it (render/codedigest.py)."""
    approved = f";approved={state.review.date};approval={approval_digest(state)}" if state.status == APPROVED else ""
    return (f"{PREFIX}handout={handout_id};lang={lang};version={version};"
            f"fingerprint={fingerprint};review={state.status}{approved}" + (f";shared={shared}" if shared else "")
            + (f";look={look}" if look else "") + (f";code={code}" if code else ""))


def approval_digest(state: State) -> str:
    """12 hex digits of what an approval prints besides its date: the reviewer, the role, the next review date (an
    approval recorded again the same day with a corrected role made every earlier copy "altered" on another
    computer, thirtieth pass)."""
    review = state.review
    parts = [review.reviewer, review.role, review.next_review]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def bilingual_payload(first: str, second: str, second_query: str = "") -> str:
    """The verification payload of a bilingual edition: the first language's, then the second's fields."""
    if not first.startswith(PREFIX):
        # A clinic verify_url in the QR code: the patient's language's address, and the second language's fields
        # as parameters of its query (the desk's /verify page compares both: twenty-fifth pass).
        return with_query(first, second_query) if second_query else first
    if not second.startswith(PREFIX):
        return first
    fields = [item.split("=", 1) for item in second[len(PREFIX):].split(";") if "=" in item]
    extra = ";".join(f"second={value}" if key == "lang" else f"second_{key}={value}"
                     for key, value in fields if key != "handout")
    return f"{first};{extra}"


def second_query(project: Project, lang: str, version: str, fingerprint: str, state: State) -> str:
    """A bilingual edition's second language as query parameters of a verify_url address."""
    return (f"second={lang}&second_version={version}&second_fingerprint={short(fingerprint)}"
            f"&second_review={review_token(state)}&second_shared={shared_digest(project, lang)}")


def with_query(address: str, query: str) -> str:
    """An address with parameters added to its query (before any fragment)."""
    address, hashmark, fragment = address.partition("#")
    return f"{address}{'&' if '?' in address else '?'}{query}{hashmark}{fragment}"


def shared_digest(project: Project, lang: str) -> str:
    """12 hex digits of what a handout in `lang` prints besides its own text: the language's page texts (ui.yaml),
    the facts and crisis lines, the clinic's details. A scanned address compares it, since its {fingerprint} is
    the handout's own text only (a crisis line changed and approved again was "current" on old copies)."""
    settings = project.settings
    strings = [s for s in project.strings if s.lang == lang]
    parts = [fingerprint_strings(strings[0]) if strings else "", fingerprint_facts(project.facts, project.crisis),
             [settings.clinic.name, settings.clinic.phone, settings.clinic.address, settings.clinic.website],
             settings.jurisdiction, settings.web_url, settings.print_sources]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def review_token(state: State) -> str:
    """The review state as one URL-safe word for a verify_url's {review}: approved-YYYY-MM-DD, draft,
    changed-since-approval, review-overdue, translation-out-of-date."""
    if state.status == APPROVED:
        return f"approved-{state.review.date}"
    return state.status.replace(" ", "-")


def read_review_token(token: str) -> dict[str, str]:
    """The review fields a {review} word stands for, as `verify` compares them (review, approved)."""
    if token.startswith("approved-"):
        return {"review": APPROVED, "approved": token[len("approved-"):]}
    return {"review": token.replace("-", " "), "approved": ""}
