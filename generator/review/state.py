"""Review state: canonical content fingerprints, effective states, and recording approvals in place."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from generator.content.model import CrisisService, Fact, Handout, Project, Review, Strings, Unit

APPROVED, CHANGED, OVERDUE, DRAFT = "approved", "changed since approval", "review overdue", "draft"
STALE = "translation out of date"
SHORT = 12  # hex digits of a fingerprint printed on pages
FACTS_PATH = "content/facts.yaml"


def _digest(payload: object) -> str:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def _units(units: Iterable[Unit]) -> list[list[str]]:
    return [[u.id, u.text] for u in units]


def fingerprint_handout(handout: Handout) -> str:
    """A hash of exactly what a reviewer approves: version, every unit's text, the sources; not comments."""
    content: dict[str, object] = {"kind": "handout", "handout": handout.id, "lang": handout.lang,
                                  "version": handout.version, "units": _units(handout.units()),
                                  "sources": [[s.id, s.title, s.url, s.checked] for s in handout.sources]}
    if handout.claims:  # which source each statement rests on is reviewed too (absent: earlier hashes hold)
        content["claims"] = [[unit_id, list(ids)] for unit_id, ids in handout.claims]
    # Which jurisdiction's legal text another one prints (`US-OR: {same_as: US}`): a reviewed statement too
    # (seventh pass: added after approval, it printed US law for Oregon under "Reviewed"); absent: hashes hold.
    aliases = [[code, target] for section in handout.sections for code, target in section.aliases]
    if aliases:
        content["aliases"] = aliases
    return _digest(content)


def fingerprint_strings(strings: Strings) -> str:
    return _digest({"kind": "ui", "lang": strings.lang, "units": _units(strings.units)})


def translated_from_digest(target: Handout | Strings) -> str:
    """12 hex digits of a translation's record of the source text each unit was translated from ("" for a
    source file): what a reviewer reading the translation beside its source approved it against."""
    if target.translated_from is None:
        return ""
    return short(_digest(sorted(target.translated_from)))


def fingerprint_facts(facts: Iterable[Fact], crisis: Iterable[CrisisService] = ()) -> str:
    """A hash of every dated fact, the crisis lines included (an approval of facts.yaml covers them)."""
    content: dict[str, object] = {"kind": "facts", "facts": [[f.key, f.country, f.value, f.source, f.checked,
                                                              f.review_by] for f in facts]}
    lines = [[c.country, c.service, c.call, c.text, c.chat, c.free, [[e.lang, e.press, e.text_keyword]
              for e in c.languages], c.interpreters_on_call, c.interpreter_service, c.interpreter_call,
              c.interpreter_source, c.source, c.checked, c.review_by] for c in crisis]
    if lines:  # absent for a registry without crisis lines, so earlier approvals keep their fingerprint
        content["crisis"] = lines
    return _digest(content)


def short(fingerprint: str) -> str:
    return fingerprint.split(":", 1)[-1][:SHORT]


@dataclass(frozen=True)
class State:
    """The effective review state of one reviewable file, computed at every build."""

    file: str
    status: str
    review: Review

    @property
    def approved(self) -> bool:
        return self.status == APPROVED


def effective(file: str, review: Review, fingerprint: str, today: date, jurisdiction: str = "",
              source: str = "") -> State:
    """approved, changed since approval (fingerprint differs, or approved for another jurisdiction's legal text
    than the clinic's, or a translation now recorded as made from other source text), review overdue, or draft."""
    if review.status != "approved":
        return State(file, DRAFT, review)
    # The fingerprint covers every jurisdiction's text, the reviewer read only the one their PDF printed: a copy
    # of the file in another clinic's project printed "Reviewed" over legal text nobody read.
    if review.fingerprint != fingerprint or (review.jurisdiction and jurisdiction
                                             and review.jurisdiction != jurisdiction):
        return State(file, CHANGED, review)
    # `translate done` on an unchanged translation after the source changed made it "approved" again: a pairing
    # of texts nobody reviewed (twenty-ninth and thirtieth passes, C)
    if review.source_digest and review.source_digest != source:
        return State(file, CHANGED, review)
    if review.next_review and date.fromisoformat(review.next_review) < today:
        return State(file, OVERDUE, review)
    return State(file, APPROVED, review)


def file_state(parsed: Handout | Strings, today: date, jurisdiction: str = "") -> State:
    """The effective state of one handout or UI strings file read on its own (a translator command's view)."""
    fingerprint = fingerprint_handout(parsed) if isinstance(parsed, Handout) else fingerprint_strings(parsed)
    return effective(parsed.loc.path, parsed.review, fingerprint, today, jurisdiction, translated_from_digest(parsed))


def combined(states: list[State]) -> State:
    """A PDF is approved only when every file it draws on is; otherwise the first one that is not."""
    return next((s for s in states if not s.approved), states[0])


def uses_facts(handout: Handout) -> bool:
    """Whether the handout prints a fact: a {fact.*} placeholder, or the crisis line after its `crisis` paragraph."""
    from generator.content.crisis import CRISIS_BLOCK
    from generator.content.markup import placeholders

    crisis = any(b.id == CRISIS_BLOCK for s in handout.sections if s.id == "help" for b in s.blocks)
    return crisis or any(name.startswith("fact.") for unit in handout.units() for name in placeholders(unit.spans))


def handout_state(project: Project, handout: Handout, today: date) -> tuple[State, list[State], str]:
    """The handout's combined state, each part's state (handout, UI strings, facts) and its fingerprint."""
    fingerprint = fingerprint_handout(handout)
    strings = project.strings_for(handout.lang)
    parts = [effective(handout.loc.path, handout.review, fingerprint, today, project.settings.jurisdiction,
                       translated_from_digest(handout)),
             effective(strings.loc.path, strings.review, fingerprint_strings(strings), today,
                       source=translated_from_digest(strings))]
    if uses_facts(handout):
        facts = fingerprint_facts(project.facts, project.crisis)
        parts.append(effective(FACTS_PATH, project.facts_review, facts, today))
    # An out-of-date translation is named first: it is the most specific reason the text is not the reviewed one.
    parts = stale_parts(project, handout, strings) + parts
    return combined(parts), parts, fingerprint


def stale_parts(project: Project, handout: Handout, strings: Strings) -> list[State]:
    """A translation made from an older source text is out of date, whatever its approval says."""
    from generator.content.translation import STALE as STALE_UNIT
    from generator.content.translation import unit_states

    source = project.settings.source_language
    if handout.lang == source:
        return []
    pairs = [(project.handout(handout.id, source).units(), handout.units(), handout),
             (project.strings_for(source).units, strings.units, strings)]
    stale = []
    for source_units, units, target in pairs:
        states = unit_states(source_units, units, dict(target.translated_from or ()))
        if STALE_UNIT in states.values():
            stale.append(State(target.loc.path, STALE, target.review))
    return stale
