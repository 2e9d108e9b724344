"""The verification payload: what a handout's QR code and PDF metadata carry, and how `verify` reads it back."""

from __future__ import annotations

from generator.content.model import Project
from generator.review.state import APPROVED, State, short

PREFIX = "patient-handouts:verify:v1;"


def verify_payload(project: Project, handout_id: str, lang: str, version: str, fingerprint: str,
                   state: State) -> str:
    """What the QR code and the PDF metadata carry so `handouts verify` can check a printed handout."""
    if project.settings.verify_url:
        return project.settings.verify_url.format(handout=handout_id, lang=lang, version=version,
                                                  fingerprint=short(fingerprint))
    approved = f";approved={state.review.date}" if state.status == APPROVED else ""
    return (f"{PREFIX}handout={handout_id};lang={lang};version={version};"
            f"fingerprint={fingerprint};review={state.status}{approved}")


def bilingual_payload(first: str, second: str) -> str:
    """The verification payload of a bilingual edition: the first language's, then the second's fields."""
    if not second.startswith(PREFIX):
        return first  # a clinic verify_url: one address, for the patient's language
    fields = [item.split("=", 1) for item in second[len(PREFIX):].split(";") if "=" in item]
    extra = ";".join(f"second={value}" if key == "lang" else f"second_{key}={value}"
                     for key, value in fields if key != "handout")
    return f"{first};{extra}"
