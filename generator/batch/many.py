"""Building many outputs, and many projects (clinics), in one run: plan each project (from the check cache
when nothing changed), render every output in one pool of workers, write each project's folder."""

from __future__ import annotations

import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.batch import checkcache
from generator.build import (
    Edition,
    Output,
    ReleaseRefused,
    RenderFailed,
    Report,
    Selection,
    UsageProblem,
    release_reasons,
    render_one,
    select,
    validate,
)
from generator.content.files import default_output
from generator.content.problems import ContentError, Problem

if TYPE_CHECKING:
    from generator.content.model import Project
    from generator.incremental import Statics


@dataclass(frozen=True)
class Clinic:
    """One project of a build and what all its outputs share."""

    project: Project
    root: Path
    out: Path
    paper: str
    today: date
    edition: Edition


BATCH_JOBS = 5  # the fewest jobs in a batch of a large build: a worker's fonts are loaded once per language anyway
BATCHES_PER_WORKER = 8  # in a large build: enough pieces that no worker waits long for the last one
Job = tuple[int, int, str, str, str, str]  # order, clinic index, handout ID, language, format, inputs fingerprint
_clinics: list[Clinic] = []  # set before forking: workers inherit, nothing is pickled


def _render_job(job: Job) -> tuple[int, Output | RenderFailed]:
    """Render one file (in a worker process or in this one); a failure, naming the handout and language, is
    returned rather than raised, so that the build reports the first failing file in build order whichever
    worker met it first."""
    try:
        return job[0], _render(job)
    except RenderFailed as exc:
        return job[0], exc


_memo_lang = ""  # the language this process rendered last


def _render(job: Job) -> Output:
    from generator.content import memo
    from generator.render import fonts, styles, template

    global _memo_lang
    _, index, handout_id, lang, fmt, inputs = job
    if lang != _memo_lang:  # the render memos pay within a language (its texts, many clinics): one at a time
        memo.forget("render")
        _memo_lang = lang
    clinic = _clinics[index]
    where = "" if len(_clinics) == 1 else f"{clinic.root}: "
    try:
        output = render_one(clinic.project, clinic.root, handout_id, lang, clinic.paper, clinic.today,
                            clinic.edition, fmt)
    except (fonts.FontConfigError, styles.StyleError, template.TemplateError) as exc:
        raise RenderFailed(f"{where}{handout_id} ({lang}): {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a layout failure must name its handout, never end in a traceback
        from generator.render.printcheck import FooterWrapped

        if isinstance(exc, FooterWrapped):
            raise RenderFailed(f"{where}content/{lang}/{handout_id}.yaml: the {clinic.edition.name} edition's "
                               "footer does not fit on one line per line even at the smallest footer size: "
                               f"{exc}") from None
        raise RenderFailed(f"{where}content/{lang}/{handout_id}.yaml: cannot lay out the {clinic.edition.name} "
                           f"{fmt} edition of this handout ({type(exc).__name__}: {exc}); report this with the "
                           "file") from None
    return replace(output, inputs=inputs)


def _batches(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Jobs grouped by language, so that each language's faces are parsed by one worker only (the parent parses
    none); the groups with the largest fonts first, so the longest batch starts first. A large build (many
    clinics) cuts each group into pieces of a few dozen jobs, so that the workers finish together; a small one
    splits groups only when there are fewer groups than workers."""
    from generator.render import fonts, template

    groups: dict[str, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job[3], []).append(job)

    def weight(lang: str) -> int:
        clinic = _clinics[groups[lang][0][1]]
        try:
            faces = fonts.load_config(template.find(clinic.root, "fonts.yaml")).for_lang(lang).faces
            # A face costs about its size to parse; a render costs about as much as parsing 50 kB of font.
            return sum(os.stat(face.path).st_size for _, face in faces) + 50_000 * len(groups[lang])
        except (OSError, fonts.FontConfigError):
            return 0  # reported by the render itself

    piece = max(BATCH_JOBS, -(-len(jobs) // (workers * BATCHES_PER_WORKER)))
    batches = [group[at:at + piece] for group in (groups[lang] for lang in sorted(groups, key=weight, reverse=True))
               for at in range(0, len(group), piece)]
    while len(batches) < workers and max(len(b) for b in batches) > 1:
        largest = max(batches, key=len)
        half = len(largest) // 2
        at = batches.index(largest)
        batches[at:at + 1] = [largest[:half], largest[half:]]
    return batches


def _warm_up() -> None:
    """Import ReportLab, load locale data and compile the templates once, before forking, so that the workers
    share them; fonts are left to the workers that render their languages (a batch is one language)."""
    import gc

    from generator.render import checks, fonts, layout, template

    fonts.forget_checked()  # the glyph checks' data: the workers never need it
    checks.DRAWABLE.entries.clear()  # it holds the faces' coverage sets
    gc.collect()
    for clinic in _clinics:
        try:
            template.prepare(clinic.root)
            config = fonts.load_config(template.find(clinic.root, "fonts.yaml"))
            layout.prepare([config.for_lang(lang) for lang in clinic.project.settings.languages], faces=False)
        except Exception:  # noqa: BLE001 - only a head start: rendering reports any problem with its handout
            pass


def _render_all(clinics: list[Clinic], jobs: list[Job], workers: int, progress: Callable[[int], None]
                ) -> list[Output]:
    """Every job's output, in job order, from one pool of workers for all clinics."""
    from generator.batch import pool

    global _clinics
    _clinics = clinics
    from concurrent.futures.process import BrokenProcessPool

    try:
        done = sorted(pool.run(_render_job, _batches(jobs, workers), workers, progress, _warm_up),
                      key=lambda pair: pair[0])
    except BrokenProcessPool:
        raise RenderFailed("a render worker stopped unexpectedly (killed, perhaps for lack of memory); nothing was "
                           "written; build again, with fewer workers (-j 1) if it recurs") from None
    failed = [result for _, result in done if isinstance(result, RenderFailed)]
    if failed:
        raise failed[0]
    return [output for _, output in done]  # type: ignore[misc]


@dataclass
class _Plan:
    """What one project's build will do, worked out before anything renders."""

    clinic: Clinic | None
    report: Report | None  # set when the check cache answered and every output is current
    jobs: list[tuple[str, str, str, str]]  # handout ID, language, format, inputs fingerprint
    skipped: list[str]
    warnings: list[Problem]
    total: int


def _plan(root: Path, selection: Selection, out: Path, today: date) -> _Plan:
    """Check one project (or let the check cache vouch for it) and find which outputs must be rendered."""
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
            return _Plan(None, report, [], skipped, report.warnings, len(plan))
    snapshot = None if entry is not None else incremental.snapshot(root)  # taken before anything is read
    if snapshot is None:
        project, problems = validate(root, today, checked=True)
    else:
        project, problems = validate(root, today, passed=incremental.PassedLanguages(root, today, snapshot))
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
    incremental.remember(root, today, entry, snapshot, project, problems.warnings, key, plan)
    clinic = Clinic(project, root, out, paper, today, edition)
    # With the check cache vouching, only loading ran: the checks' warnings are the ones it recorded.
    warnings = problems.warnings if entry is None else incremental.warnings(entry)
    return _Plan(clinic, None, jobs, skipped, warnings, len(plan))


def _plan_named(root: Path, selection: Selection, out: Path, today: date, many: bool) -> _Plan:
    """_plan, with every problem naming its project when a build has several."""
    if not many:
        return _plan(root, selection, out, today)
    try:
        return _plan(root, selection, out, today)
    except ContentError as exc:
        raise ContentError([replace(p, loc=replace(p.loc, path=str(root / p.loc.path))) for p in exc.problems]
                           ) from None
    except ReleaseRefused as exc:
        raise ReleaseRefused([f"{root}: {reason}" for reason in exc.reasons]) from None
    except UsageProblem as exc:
        raise UsageProblem(f"{root}: {exc}") from None


@dataclass(frozen=True)
class _Rendered:
    """One project planned and rendered in a worker: what the parent needs to report and write it."""

    report: Report | None
    skipped: list[str]
    warnings: list[Problem]
    outputs: list[Output]
    failed: RenderFailed | None = None


_projects: list[tuple[Path, Path]] = []  # (root, output folder) of a build of several projects; set before forking
_selection: Selection | None = None
_today: date | None = None
_first: _Plan | None = None  # the first project's plan, made in the parent


def _plan_and_render(index: int) -> _Rendered | Exception:
    """In a worker: check one project of several, then render its outputs into memory (nothing is written here:
    the parent writes once every project passed). Its problems are returned, to be raised in project order."""
    global _clinics, _memo_lang
    root, out = _projects[index]
    assert _selection is not None and _today is not None
    try:
        plan = _first if index == 0 and _first is not None else _plan_named(root, _selection, out, _today, True)
    except (ContentError, ReleaseRefused, UsageProblem) as exc:
        return exc
    if plan.clinic is None:
        return _Rendered(plan.report, plan.skipped, plan.warnings, [])
    _clinics = [plan.clinic]
    _memo_lang = ""  # a worker keeps its render memos across languages here: the next project has the same texts
    outputs: list[Output] = []
    for order, (handout_id, lang, fmt, inputs) in enumerate(plan.jobs):
        _memo_lang = lang
        _, result = _render_job((order, 0, handout_id, lang, fmt, inputs))
        if isinstance(result, RenderFailed):
            return _Rendered(None, plan.skipped, plan.warnings, [], RenderFailed(f"{root}: {result}"))
        outputs.append(result)
    return _Rendered(None, plan.skipped, plan.warnings, outputs)


def _build_in_workers(roots: list[Path], outs: list[Path], selection: Selection, today: date,
                      progress: Callable[[int, int], Callable[[int], None]] | None) -> list[_Rendered]:
    """Several projects: each one checked and rendered by one worker, all workers busy from the start (a
    project's checks are paid in parallel with the others' renders); results in project order."""
    from concurrent.futures.process import BrokenProcessPool

    from generator.batch import pool

    global _projects, _selection, _today, _first
    _projects, _selection, _today = list(zip(roots, outs, strict=True)), selection, today
    _first = _plan_named(roots[0], selection, outs[0], today, True)  # here: imports and memos, shared by fork
    if _first.clinic is not None:
        _clinics[:] = [_first.clinic]
    tick = progress(len(roots), len(roots)) if progress else (lambda n: None)
    try:
        results = pool.run(_plan_and_render, [[index] for index in range(len(roots))], selection.jobs, tick,
                           _warm_up)
    except BrokenProcessPool:
        raise RenderFailed("a render worker stopped unexpectedly (killed, perhaps for lack of memory); nothing was "
                           "written; build again, with fewer workers (-j 1) if it recurs") from None
    for result in results:  # every project checked: the first problem, in project order, stops the build
        if isinstance(result, Exception):
            raise result
    for result in results:
        if result.failed is not None:
            raise result.failed
    return results


def build_many(roots: list[Path], selection: Selection,
               progress: Callable[[int, int], Callable[[int], None]] | None = None, today: date | None = None
               ) -> list[Report]:
    """Build several projects (clinics) in one process: start-up paid once, one pool of workers for every
    project, each project's files and manifest written to its own output folder.

    Every project is checked before anything is written; a problem in any of them stops the whole build with
    nothing written. With several projects, --out DIR puts each project's outputs in DIR/<project folder name>.
    """
    started = time.perf_counter()
    today = today or date.today()
    outs = output_folders(roots, selection.out)
    if len(roots) > 1:
        results = _build_in_workers(roots, outs, selection, today, progress)
    else:
        results = [_build_one(roots[0], outs[0], selection, today, progress)]
    return [_write(result, out, started) for result, out in zip(results, outs, strict=True)]


def _build_one(root: Path, out: Path, selection: Selection, today: date,
               progress: Callable[[int, int], Callable[[int], None]] | None) -> _Rendered:
    """One project: checked in this process, its outputs rendered by a pool of workers (by language)."""
    plan = _plan(root, selection, out, today)
    if plan.clinic is None:
        return _Rendered(plan.report, plan.skipped, plan.warnings, [])
    jobs = [(order, 0, *job) for order, job in enumerate(plan.jobs)]
    tick = progress(len(jobs), plan.total) if progress else (lambda n: None)
    outputs = _render_all([plan.clinic], jobs, selection.jobs, tick) if jobs else []
    return _Rendered(None, plan.skipped, plan.warnings, outputs)


def _write(result: _Rendered, out: Path, started: float) -> Report:
    """Write one project's outputs and manifest (with nothing to write, still remove a killed build's temp files)."""
    from generator.render.write import write_outputs

    write_outputs(result.outputs, out)
    if result.report is not None:
        return result.report
    found = [w for output in result.outputs for w in output.warnings]  # the print-quality check's
    return Report(result.outputs, result.skipped, time.perf_counter() - started, [*result.warnings, *found])


def output_folders(roots: list[Path], out: Path | None) -> list[Path]:
    """Each project's output folder: PROJECT/output, or --out (with several projects, --out/<folder name>)."""
    if len({root.resolve() for root in roots}) < len(roots):
        raise UsageProblem("the same project is given twice; give each project once")
    if out is None:
        return [default_output(root) for root in roots]
    if len(roots) == 1:
        return [out]
    names = [root.resolve().name for root in roots]
    # Compared as a case-insensitive or normalising disk (macOS, Windows) would: "Clinic" and "clinic", or "café"
    # composed and decomposed, are one folder there.
    if len({unicodedata.normalize("NFC", name).casefold() for name in names}) < len(names):
        raise UsageProblem("--out with several projects puts each in a subfolder named after its project folder; "
                           "two projects have the same folder name (letter case and accents aside): give them "
                           "distinct names or build them apart")
    return [out / name for name in names]


def inputs_of(project: Project, root: Path, handout_id: str, lang: str, today: date, paper: str, edition: Edition,
            fmt: str, statics: Statics | None = None) -> str:
    """The inputs fingerprint of one output file: its language's, the edition and format, and in a bilingual
    edition the second language's own inputs, so that editions and formats never skip each other.
    `statics`: the template and font files' digests found earlier in the same plan."""
    from generator.incremental import inputs_fingerprint
    from generator.review.state import handout_state

    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    options: dict[str, object] = {"paper": paper, "edition": edition.name, "format": fmt, "second": None}
    if edition.second:
        other_state, _, other_fingerprint = handout_state(project, project.handout(handout_id, edition.second),
                                                          today)
        options["second"] = inputs_fingerprint(project, root, handout_id, edition.second, {"format": fmt},
                                               other_state, other_fingerprint, fmt, statics)
    return inputs_fingerprint(project, root, handout_id, lang, options, state, fingerprint, fmt, statics)
