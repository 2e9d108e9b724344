"""`handouts approve`: record an approval in a content file's own `review:` block, bound to its fingerprint."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.content.dates import MAX_REVIEW_YEARS, years_later
from generator.content.files import MAX_TEXT_BYTES, FileRefused, WriteError, read_text, replace_texts
from generator.content.parse.fields import unprintable_person
from generator.content.problems import printable
from generator.content.project import load_or_raise
from generator.content.translation import STARTED_NOTE
from generator.review.record import review_block, rewrite_review
from generator.review.state import (
    FACTS_PATH,
    SHORT,
    fingerprint_facts,
    fingerprint_handout,
    fingerprint_strings,
    short,
    stale_parts,
    translated_from_digest,
)

Drawable = Callable[[str, str], str]  # (text, language) → why the language's fonts cannot draw it, or ""
# (the files about to be written, today) → why some edition's footer could not hold an approval line they print
TooWide = Callable[[dict[Path, str], date], list[str]]


class ApproveError(Exception):
    """The approval cannot be recorded (unknown file, bad name or date); nothing was changed."""


def approve(root: Path, paths: list[Path], reviewer: str, role: str, next_review: date | None,
            today: date, drawable: Drawable | None = None, too_wide: TooWide | None = None,
            read: Sequence[str] = ()) -> list[tuple[str, str, bool]]:
    """Approve each file as it is now; returns the project-relative paths approved, each with its fingerprint as
    a handout's footer prints it and whether it is a translation out of date with its source (recorded, but the
    handout prints "translation out of date" until a translator brings it in step). `drawable` says why a
    language's fonts cannot draw a text, `too_wide` why a footer cannot hold the approval line (measured in points,
    in every edition): a name or role no build could print is refused here, not at every build. `read`: the
    fingerprints printed on the pages the reviewer read; when given, a handout whose text is no longer that text is
    refused (edited between reading and approving)."""
    for name, value in (("--reviewer", reviewer), ("--role", role)):
        if why := unprintable_person(value):  # printed on every page
            hint = ": shorten it" if why.startswith("is ") else f", e.g. {name} \"Dr. Jane Doe\""
            raise ApproveError(f"{name} {why}{hint}")
    due = next_review or years_later(today, 1)
    latest = years_later(today, MAX_REVIEW_YEARS)
    if not today < due <= latest:
        first = (today + timedelta(days=1)).isoformat()
        raise ApproveError(f"--next-review {due.isoformat()} is not after today and within {MAX_REVIEW_YEARS} years "
                           f"(an approval due today is due already); give a date from {first} to {latest.isoformat()}")
    project, _ = load_or_raise(root)  # only valid content can be approved
    root = Path(project.root)
    targets = {h.loc.path: (h.review.note, fingerprint_handout(h)) for h in project.handouts}
    targets.update({s.loc.path: (s.review.note, fingerprint_strings(s)) for s in project.strings})
    if (root / FACTS_PATH).is_file():
        targets[FACTS_PATH] = (project.facts_review.note, fingerprint_facts(project.facts, project.crisis))
    plan = []
    # A content file may be a link that stays inside the project (check and build read it): named as the link or
    # as where it leads, it is that file (thirty-fifth pass: neither name could be approved).
    where = {_resolved(root / relative): relative for relative in targets}
    for path in paths:
        given = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
        absolute = _resolved(given)
        named = given.relative_to(root).as_posix() if given.is_relative_to(root) else ""
        # The name given when it is a content file's (and is that file: `x/..` through a link is not)
        relative = named if named in targets and _resolved(root / named) == absolute else where.get(absolute) or (
            absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path))
        if relative not in targets:
            raise ApproveError(f"{path}: {_why_not(relative, list(project.settings.languages))}")
        plan.append(relative)
    handouts = {h.loc.path for h in project.handouts}
    if read:
        _check_read(plan, handouts, targets, read)
    if drawable is not None:
        _check_drawable(plan, reviewer.strip(), role.strip(), list(project.settings.languages), drawable)
    texts: dict[Path, str] = {}
    # What a translation was read against: `translate done` recording other source text undoes the approval.
    read_against = {t.loc.path: translated_from_digest(t) for t in (*project.handouts, *project.strings)}
    for relative in plan:
        note, fingerprint = targets[relative]
        note = "" if note == STARTED_NOTE else note  # "Not translated yet" is untrue of what is approved
        # A handout's PDF prints only the clinic's legal text: the approval covers that jurisdiction's reading.
        read_for = project.settings.jurisdiction if relative in handouts else ""
        block = review_block("approved", note, reviewer.strip(), role.strip(), today.isoformat(), due.isoformat(),
                             fingerprint, read_for, read_against.get(relative, ""))
        try:
            texts[root / relative] = rewrite_review(read_text(root / relative, MAX_TEXT_BYTES, root), block)
        except FileRefused as exc:
            raise ApproveError(f"{relative}: {exc}") from None
        except (ValueError, yaml.YAMLError) as exc:
            raise ApproveError(f"{relative}: cannot record the approval ({exc})") from None
    wide = too_wide(texts, today) if too_wide is not None else []
    if wide:  # the character limit above is only a first bound: a W is four times as wide as an i
        raise ApproveError(f"--role: {wide[0]} (the role is printed on one footer line of every page, in every "
                           "language and edition); nothing was recorded")
    try:
        replace_texts(texts, root)  # every file or none: a translator's file is never left half-written
    except WriteError as exc:
        raise ApproveError(str(exc)) from None
    stale = {part.file for h in project.handouts for part in stale_parts(project, h, project.strings_for(h.lang))}
    return [(relative, short(targets[relative][1]), relative in stale) for relative in plan]


def _resolved(path: Path) -> Path:
    """`path` with every link resolved; as given when that fails (a link loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _why_not(relative: str, languages: list[str]) -> str:
    """Why a path given to approve is none of the project's content files, and what to approve instead."""
    parts = relative.split("/")
    if len(parts) == 3 and parts[0] == "content" and parts[2].endswith(".yaml") and parts[1] not in languages:
        return (f"'{printable(parts[1])}' is not in languages: in handouts.yaml, so its files are not checked and "
                "cannot be approved; add it there when it is translated (`handouts check` then looks at it), then "
                "approve")
    return (f"not a content file of this project; approve content/<lang>/<handout>.yaml, content/<lang>/ui.yaml or "
            f"{FACTS_PATH}")


def _check_read(plan: list[str], handouts: set[str], targets: dict[str, tuple[str, str]], read: Sequence[str]) -> None:
    """Each handout approved must be the text whose fingerprint the reviewer read in its footer."""
    printed = [f.strip().lower() for f in read]
    # The whole printed fingerprint (48 bits): 8 digits were accepted, a collision of 32 bits (thirteenth pass)
    if any(len(f) < SHORT or not re.fullmatch(r"[0-9a-f]+", f) for f in printed):
        raise ApproveError("--fingerprint takes the fingerprint printed in a handout's footer (12 characters, "
                           "0-9 and a-f, e.g. 9a579f191d9f)")
    if unbound := next((relative for relative in plan if relative not in handouts), None):
        raise ApproveError(f"{unbound}: prints no fingerprint of its own, so --fingerprint cannot bind its approval "
                           "to the text you read; approve it in a command of its own, without --fingerprint; nothing "
                           "was recorded")
    for relative in plan:
        now, whole = short(targets[relative][1]), targets[relative][1].split(":", 1)[-1]
        # The footer's 12 digits, or more of the whole fingerprint (the manifest's and the PDF metadata's 64): the
        # whole one was refused as "not the text you read" for a text that never changed (fifteenth pass).
        if not any(whole.startswith(f) for f in printed):
            raise ApproveError(f"{relative}: its text is not the text you read: its fingerprint is now {now}, the "
                               f"pages you read printed {', '.join(printed)}; build it again (handouts build), read "
                               "what changed, and approve that; nothing was recorded")
    wholes = [targets[relative][1].split(":", 1)[-1] for relative in plan]
    if stray := next((f for f in printed if not any(whole.startswith(f) for whole in wholes)), None):
        raise ApproveError(f"--fingerprint {stray[:SHORT]}: no file named is that text now (each handout approved "
                           "must be one you read, and each fingerprint one of theirs); name the handout whose footer "
                           "printed it, or build again, read what changed, and approve that; nothing was recorded")


def _check_drawable(plan: list[str], reviewer: str, role: str, languages: list[str], drawable: Drawable) -> None:
    """The reviewer's name and role are printed in each approved file's language (facts: in every language)."""
    for relative in plan:
        parts = relative.split("/")
        for lang in [parts[1]] if len(parts) == 3 and parts[1] in languages else languages:
            for name, value in (("--reviewer", reviewer), ("--role", role)):
                problem = drawable(value, lang)
                if problem:
                    raise ApproveError(f"{name}: {problem}; the approval would make every build of {relative} "
                                       "fail: write the name in characters the fonts have")
