"""One project's plan: load and check it (or let the check cache vouch for it), find which outputs must be
rendered, and leave its last checks (glyphs, footers) to run while they render."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from generator.batch import checkcache
from generator.build import (
    Edition,
    ReleaseRefused,
    Report,
    Selection,
    UsageProblem,
    project_key,
    release_reasons,
    select,
    validate_in_stages,
)
from generator.content.makefolder import refuse_in_the_way
from generator.content.problems import ContentError, Problem, Problems

if TYPE_CHECKING:
    from generator.batch.loader import HeadStart
    from generator.content.model import Project
    from generator.incremental import Statics

_T = TypeVar("_T")


@dataclass(frozen=True)
class Clinic:
    """One project of a build and what all its outputs share."""

    project: Project
    root: Path
    out: Path
    paper: str
    today: date
    edition: Edition
    key: str = ""  # project_key(root): marks its files in a shared output folder


@dataclass
class Plan:
    """What one project's build will do, worked out before anything renders."""

    clinic: Clinic | None
    report: Report | None  # set when the check cache answered and every output is current
    jobs: list[tuple[str, str, str, str]]  # handout ID, language, format, inputs fingerprint
    skipped: list[str]
    warnings: list[Problem]
    total: int
    # The last checks (glyphs, footers), then recording them in the check cache: run while the outputs render.
    finish: Callable[[], None] = lambda: None
    withdrawn: list[str] = field(default_factory=list)  # files this generator built of handouts now gone


def _withdrawn(project: Project, existing: dict[str, dict], out: Path) -> list[str]:
    """Files in the output folder, built here (sealed), of a handout or language the project no longer has: a
    withdrawn handout's PDF stayed there, listed as current, ready to print (fifth pass). In the project's own
    output folder every such file is the project's, whatever path it was built from: after the project moved (a
    renamed folder, a restored backup) its withdrawn PDFs stayed (thirty-fifth pass)."""
    from generator.content.seal import is_sealed

    current, mine = {(h.id, h.lang) for h in project.handouts}, project_key(Path(project.root))
    try:
        own = out.resolve() == (Path(project.root) / "output").resolve()
    except (OSError, RuntimeError):
        own = False
    return [file for file, entry in existing.items()  # another project's files in a shared --out stay
            if (own or entry.get("project") == mine) and (entry.get("handout"), entry.get("lang")) not in current
            and is_sealed(entry)]


def plan(root: Path, selection: Selection, out: Path, today: date, head_start: HeadStart | None = None) -> Plan:
    """Check one project (or let the check cache vouch for it) and find which outputs must be rendered.
    `head_start`: work this process can do while a forked child loads the project (batch/loader.py)."""
    from generator import incremental
    from generator.render.write import read_manifest

    started = time.perf_counter()
    key = incremental.plan_key(selection)
    entry = checkcache.lookup(root, today)
    if entry is not None and not selection.force and (plan := entry.plans.get(key)) is not None:
        existing = {str(e.get("file")): e for e in read_manifest(out)}
        if all(incremental.is_current(out, existing.get(file), inputs) for file, inputs in plan):
            skipped = [file for file, _ in plan]
            report = Report([], skipped, time.perf_counter() - started, incremental.warnings(entry), cached=True)
            return Plan(None, report, [], skipped, report.warnings, len(plan))
    snapshot = None if entry is not None else incremental.snapshot(root)  # taken before anything is read
    load = None
    if head_start is not None:
        from generator.batch.loader import can_load_beside, load_beside

        if can_load_beside():
            load = lambda: load_beside(root, today, head_start)  # noqa: E731 - called once, inside validate
    if snapshot is None:
        project, problems, checks = validate_in_stages(root, today, checked=True, load=load)
    else:
        project, problems, checks = validate_in_stages(
            root, today, passed=incremental.PassedLanguages(root, today, snapshot), load=load)
    try:
        return _plan_loaded(project, problems, checks, entry, snapshot, root, selection, out, today, key)
    except BaseException:
        checks()  # these came first: their errors are reported before anything found after them
        raise


def _plan_loaded(project: Project, problems: Problems, checks: Callable[[], None],
                 entry: checkcache.Entry | None, snapshot: checkcache.Snapshot | None, root: Path,
                 selection: Selection, out: Path, today: date, key: str) -> Plan:
    """The rest of plan, once the project is loaded: what to render, leaving its last checks to the caller."""
    from generator import incremental
    from generator.render.write import read_manifest

    pairs = select(project, selection)
    if not pairs:
        raise UsageProblem("nothing to build: the only selected language is the --bilingual one")
    edition = selection.edition
    if selection.release:
        from generator.content.project import placeholder_problems

        if unfilled := placeholder_problems(project.settings):
            raise ContentError([replace(p, hint=f"{p.hint}; --release refuses placeholders") for p in unfilled])
        if reasons := release_reasons(project, pairs, today, edition.second):
            raise ReleaseRefused(reasons)
    if edition.large_print:
        from generator.render import styles, template

        styles.load(template.find(root, "style.yaml") / "style.yaml", True)  # refuse a bad large_print early
    paper = selection.paper or project.settings.paper
    existing = {str(e.get("file")): e for e in read_manifest(out)}
    jobs, skipped, plan = [], [], []
    statics: Statics = {}
    for handout_id, lang in pairs:
        for fmt in dict.fromkeys(selection.formats):
            inputs = inputs_of(project, root, handout_id, lang, today, paper, edition, fmt, statics)
            file = edition.file(handout_id, lang, fmt)
            plan.append([file, inputs])
            if not selection.force and incremental.is_current(out, existing.get(file), inputs):
                skipped.append(file)
            else:
                jobs.append((handout_id, lang, fmt, inputs))
    for folder in {(out / edition.file(handout_id, lang, fmt)).parent for handout_id, lang, fmt, _ in jobs}:
        refuse_in_the_way(folder)  # a file or a pipe where a folder goes: said before anything renders (33rd pass)
    clinic = Clinic(project, root, out, paper, today, edition, project_key(root))
    made = Plan(clinic, None, jobs, skipped, [], len(plan), withdrawn=_withdrawn(project, existing, out))

    def finish() -> None:
        checks()
        incremental.remember(root, today, entry, snapshot, project, problems.warnings, key, plan)
        # With the check cache vouching, only loading ran: the checks' warnings are the ones it recorded.
        made.warnings = problems.warnings if entry is None else incremental.warnings(entry)

    made.finish = finish
    return made


def plan_checked(root: Path, selection: Selection, out: Path, today: date) -> Plan:
    """plan with its last checks run, every problem naming its project (a build of several projects)."""

    def plan_and_check() -> Plan:
        made = plan(root, selection, out, today)
        made.finish()
        return made

    return named(root, True, plan_and_check)


def named(root: Path, many: bool, step: Callable[[], _T]) -> _T:
    """A step of one project's plan, with every problem naming its project when a build has several."""
    if not many:
        return step()
    try:
        return step()
    except ContentError as exc:
        raise ContentError([replace(p, loc=replace(p.loc, path=str(root / p.loc.path))) for p in exc.problems]
                           ) from None
    except ReleaseRefused as exc:
        raise ReleaseRefused([f"{root}: {reason}" for reason in exc.reasons]) from None
    except UsageProblem as exc:
        raise UsageProblem(f"{root}: {exc}") from None


def inputs_of(project: Project, root: Path, handout_id: str, lang: str, today: date, paper: str, edition: Edition,
            fmt: str, statics: Statics | None = None) -> str:
    """The inputs fingerprint of one output file: its language's, the edition and format, and in a bilingual
    edition the second language's own inputs, so that editions and formats never skip each other.
    `statics`: the template and font files' digests found earlier in the same plan."""
    from generator.incremental import inputs_fingerprint
    from generator.review.state import handout_state

    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    from generator.render.localize import offered

    options: dict[str, object] = {"paper": paper, "edition": edition.name, "format": fmt, "second": None,
                                  "offered": offered(project, handout_id, lang, today, edition.release)}
    if edition.second:
        other_state, _, other_fingerprint = handout_state(project, project.handout(handout_id, edition.second),
                                                          today)
        options["second"] = inputs_fingerprint(project, root, handout_id, edition.second, {"format": fmt},
                                               other_state, other_fingerprint, fmt, statics)
    return inputs_fingerprint(project, root, handout_id, lang, options, state, fingerprint, fmt, statics)
