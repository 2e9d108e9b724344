"""`handouts verify`: is a printed or stored PDF still what current, approved content would produce?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.model import Project
from generator.review import handout_state, short

PREFIX = "patient-handouts:verify:v1;"
CURRENT, OUTDATED, UNKNOWN = "current", "outdated", "unknown"


@dataclass(frozen=True)
class Verdict:
    file: str
    status: str
    detail: str = ""

    def format(self) -> str:
        return f"{self.file}: {self.status}" + (f" ({self.detail})" if self.detail else "")


def read_payload(pdf: Path) -> dict[str, str] | None:
    """The verification fields from the PDF's metadata, or None when there are none."""
    import logging

    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # a damaged file is reported as unknown, not with pypdf's warnings
    try:
        reader = PdfReader(pdf)
        keywords = str((reader.metadata or {}).get("/Keywords", ""))
        last_page = reader.pages[-1].extract_text() or ""
    except Exception:  # noqa: BLE001 - any file may be handed in; whatever it does wrong, it is not ours
        return None
    finally:
        pypdf_log.setLevel(level)
    start = keywords.find(PREFIX)
    if start < 0:
        return None
    fields = dict(item.split("=", 1) for item in keywords[start + len(PREFIX):].split(";") if "=" in item)
    fields["_last_page"] = last_page
    return fields


def verify(project: Project, pdf: Path, today: date) -> Verdict:
    """current, outdated (say what changed) or unknown (not ours, or tampered)."""
    fields = read_payload(pdf)
    name = str(pdf)
    if fields is None or not {"handout", "lang", "version", "fingerprint", "review"} <= fields.keys():
        return Verdict(name, UNKNOWN, "no patient-handouts verification data")
    if short(fields["fingerprint"]) not in fields["_last_page"].replace("\n", " "):
        return Verdict(name, UNKNOWN, "the printed fingerprint does not match the metadata; the file was altered")
    try:
        handout = project.handout(fields["handout"], fields["lang"])
    except StopIteration:
        return Verdict(name, UNKNOWN, f"handout '{fields['handout']}' in '{fields['lang']}' is not in this project")
    state, _, fingerprint = handout_state(project, handout, today)
    changes = []
    if fields["fingerprint"] != fingerprint:
        changes.append(f"content changed: built from {short(fields['fingerprint'])}, now {short(fingerprint)}")
    if fields["version"] != handout.version:
        changes.append(f"version {fields['version']} → {handout.version}")
    approved_then = fields.get("approved", "")
    approved_now = state.review.date if state.approved else ""
    if fields["review"] != state.status or approved_then != approved_now:
        changes.append(f"review state was '{fields['review']}', now '{state.status}'")
    if changes:
        return Verdict(name, OUTDATED, "; ".join(changes))
    return Verdict(name, CURRENT)
