"""Per-statement sources: which of a handout's sources each clinical or legal statement rests on.

A handout file may hold `claims:`, a map from unit ID to the IDs of its own `sources:` that the unit's
statement rests on (`legal.US.federal: [dea-schedules]`). `check` refuses an unknown unit or source ID;
`lint` lists the claim units that name no source; the reviewer tools print the sources next to each unit.
"""

from __future__ import annotations

from generator.content.model import CrisisService, Handout, Source, Unit

CLAIM_SECTIONS = ("expect", "safety", "legal")  # what a handout states as fact; the rest is advice and actions
CLAIM_KINDS = ("paragraph", "list", "table")  # not subheadings (titles) nor checklists (things to do)
CRISIS_UNIT = "help.crisis"  # the paragraph the crisis line's contact follows (content/crisis.py)


def claim_units(handout: Handout) -> list[Unit]:
    """The units that state a fact: paragraphs, list items and table cells (not headers nor the row-label
    column) of What to expect, Safety and Legal status, every jurisdiction included."""
    found = []
    for section in handout.sections:
        if section.id not in CLAIM_SECTIONS:
            continue
        blocks = list(section.blocks) + [b for _, group in section.jurisdictions for b in group]
        for block in blocks:
            if block.kind not in CLAIM_KINDS:
                continue
            if block.kind == "table":
                label = block.columns[0].id.rsplit(".", 1)[1] if block.columns else ""
                found += [cell for row in block.rows for cell in row.cells if not cell.id.endswith("." + label)]
            else:
                found += [block.text] if block.text else list(block.items)
    return found


def unsourced(handout: Handout) -> list[Unit]:
    """Claim units the handout's `claims:` map does not list (an empty list counts: it names no source)."""
    named = {unit_id for unit_id, ids in handout.claims if ids}
    return [u for u in claim_units(handout) if u.id not in named]


def report(handout: Handout) -> list[str]:
    """For a reviewer: each statement of the handout, then the sources it rests on (title, address, checked)."""
    claims = dict(handout.claims)
    by_id = {s.id: s for s in handout.sources}
    lines = [f"{handout.id} ({handout.lang}), version {handout.version}: {len(claim_units(handout))} statements"]
    for unit in claim_units(handout):
        lines += ["", f"{unit.loc}: {unit.id}", f"  {unit.text}"]
        ids = claims.get(unit.id, ())
        if not ids:
            lines.append("  NO SOURCE listed in claims:")
        for source_id in ids:
            source = by_id[source_id]
            lines.append(f"  - {source.id}: {source.title} <{source.url}> (checked {source.checked})")
    return lines



def printed_sources(handout: Handout, jurisdiction: str, crisis: CrisisService | None) -> tuple[Source, ...]:
    """The sources a build prints: those a printed statement rests on and those no statement names. A source
    named only by the crisis paragraph gives way to the source of the crisis line actually printed (facts.yaml),
    so an Australian handout does not cite the US 988 line, nor a US legal source for a section it leaves out."""
    printed = {handout.title.id, handout.summary.id}
    for section in handout.sections:
        printed.update(u.id for block in section.blocks_for(jurisdiction) or () for u in block.units())
    citing: dict[str, set[str]] = {}
    for unit_id, ids in handout.claims:
        for source_id in ids:
            citing.setdefault(source_id, set()).add(unit_id)
    out: list[Source] = []
    for source in handout.sources:
        shown = citing[source.id] & printed if source.id in citing else None
        if shown is not None and not shown:
            continue
        if shown == {CRISIS_UNIT} and crisis is not None:
            source = Source(f"crisis.{crisis.country}", crisis.service, crisis.source, crisis.checked)
        if source not in out:
            out.append(source)
    return tuple(out)
