"""`handouts approve`: record an approval in a content file's own `review:` block, bound to its fingerprint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.files import replace_files
from generator.content.project import load_or_raise
from generator.review.state import (
    FACTS_PATH,
    fingerprint_facts,
    fingerprint_handout,
    fingerprint_strings,
    review_block,
    rewrite_review,
)


class ApproveError(Exception):
    """The approval cannot be recorded (unknown file, bad name or date); nothing was changed."""


def one_year_later(day: date) -> date:
    """The default next-review date: twelve months on (28 February for a 29 February approval)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def approve(root: Path, paths: list[Path], reviewer: str, role: str, next_review: date | None,
            today: date) -> list[str]:
    """Approve each file as it is now; returns the project-relative paths approved."""
    for name, value in (("--reviewer", reviewer), ("--role", role)):
        if not value.strip() or not value.isprintable():  # it is printed on every page of the handout
            raise ApproveError(f"{name} must be a non-empty single line of visible text, e.g. {name} "
                               "\"Dr. Jane Doe\"")
    due = next_review or one_year_later(today)
    if due <= today:
        raise ApproveError(f"--next-review {due.isoformat()} is not after today ({today.isoformat()})")
    project, _ = load_or_raise(root)  # only valid content can be approved
    root = Path(project.root)
    targets = {h.loc.path: (h.review.note, fingerprint_handout(h)) for h in project.handouts}
    targets.update({s.loc.path: (s.review.note, fingerprint_strings(s)) for s in project.strings})
    if (root / FACTS_PATH).is_file():
        targets[FACTS_PATH] = (project.facts_review.note, fingerprint_facts(project.facts, project.crisis))
    plan = []
    for path in paths:
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        relative = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)
        if relative not in targets:
            raise ApproveError(f"{path}: not a content file of this project; approve content/<lang>/<handout>.yaml, "
                               f"content/<lang>/ui.yaml or {FACTS_PATH}")
        plan.append(relative)
    texts: dict[Path, bytes] = {}
    for relative in plan:
        note, fingerprint = targets[relative]
        block = review_block("approved", note, reviewer.strip(), role.strip(), today.isoformat(), due.isoformat(),
                             fingerprint)
        try:
            texts[root / relative] = rewrite_review(root / relative, block).encode("utf-8")
        except (OSError, ValueError) as exc:
            raise ApproveError(f"{relative}: cannot record the approval "
                               f"({getattr(exc, 'strerror', None) or exc})") from None
    try:
        replace_files(texts)  # every file or none: a translator's file is never left half-written
    except OSError as exc:
        raise ApproveError(f"cannot write the approved files ({exc.strerror or exc}); check permissions") from None
    return plan
