"""Building many outputs, and many projects (clinics), in one run: plan each project (from the check cache
when nothing changed), render every output in one pool of workers, write each project's folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from generator.batch import checkcache, pool
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
    validate_in_stages,
)
from generator.content.files import default_output
from generator.content.problems import ContentError, Problem, Problems

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
_T = TypeVar("_T")
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
    """Jobs grouped by language (a worker's render memos pay within a language), the costliest groups first, so
    that the longest batch starts first; the last few batches cut into single jobs, so that the workers finish
    together. A large build (many clinics) cuts each group into pieces of a few dozen jobs."""
    from generator.render import fonts, template

    groups: dict[str, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job[3], []).append(job)

    def weight(lang: str) -> int:
        # Right-to-left and Chinese text cost about 1.3 times a Latin text to lay out (measured: 50-60 against
        # 35-45 ms). Faces do not count: every worker parses every face the other-languages line draws.
        clinic = _clinics[groups[lang][0][1]]
        try:
            lang_fonts = fonts.load_config(template.find(clinic.root, "fonts.yaml")).for_lang(lang)
        except (OSError, fonts.FontConfigError):
            return 0  # reported by the render itself
        return len(groups[lang]) * (13 if lang_fonts.rtl or lang_fonts.breaking == "cjk" else 10)

    piece = max(BATCH_JOBS, -(-len(jobs) // (workers * BATCHES_PER_WORKER)))
    batches = [group[at:at + piece] for group in (groups[lang] for lang in sorted(groups, key=weight, reverse=True))
               for at in range(0, len(group), piece)]
    if len(batches) > workers:  # the last batches one job at a time: a worker done early takes the next job
        batches[-workers:] = [[job] for batch in batches[-workers:] for job in batch]
    while len(batches) < workers and max(len(b) for b in batches) > 1:
        largest = max(batches, key=len)
        half = len(largest) // 2
        at = batches.index(largest)
        batches[at:at + 1] = [largest[:half], largest[half:]]
    return batches


def _warm_up() -> None:
    """Import ReportLab, load locale data and compile the templates once, before forking, so that the workers
    share them; fonts are left to the workers (each registers the faces its handouts draw)."""
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


def _start_rendering(clinics: list[Clinic], jobs: list[Job], workers: int, progress: Callable[[int], None],
                     ahead: pool.Ahead | None = None) -> pool.Running:
    """Hand every job to one pool of workers for all clinics (or keep them for this process); workers forked
    ahead are sent the clinics, the others inherit them."""
    global _clinics
    _clinics = clinics
    batches = _batches(jobs, workers)
    if ahead is not None and len(batches) > 1:
        return ahead.start(batches, progress, clinics)
    if ahead is not None:
        ahead.close()  # one batch: rendered here, where the next build of a watch session finds it all loaded
    return pool.start(_render_job, batches, workers, progress, _warm_up)


def _adopt(clinics: list[Clinic]) -> None:
    """In a worker forked ahead: the clinics its batches render."""
    global _clinics
    _clinics = clinics


def _warm_up_ahead(root: Path) -> Callable[[], None]:
    """What a worker forked ahead loads while the project is being loaded and checked: ReportLab, the template,
    locale data and the faces of every language fonts.yaml declares (each worker draws the other languages'
    names in their own faces anyway)."""

    def warm_up() -> None:
        from generator.render import fonts, layout, template

        template.prepare(root)
        config = fonts.load_config(template.find(root, "fonts.yaml"))
        for lang_fonts in config.languages.values():
            try:
                layout.prepare([lang_fonts])
            except Exception:  # noqa: BLE001 - only a head start: rendering reports a broken face
                pass

    return warm_up


def _rendered(running: pool.Running) -> list[Output]:
    """Every job's output, in job order; the first failure in job order is raised."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        done = sorted(running.results(), key=lambda pair: pair[0])
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
    # The last checks (glyphs, footers), then recording them in the check cache: run while the outputs render.
    finish: Callable[[], None] = lambda: None


def _plan(root: Path, selection: Selection, out: Path, today: date,
          loading: Callable[[Path], None] = lambda root: None) -> _Plan:
    """Check one project (or let the check cache vouch for it) and find which outputs must be rendered;
    `loading` is told when the project must be loaded (the check cache did not answer)."""
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
    loading(root)
    if snapshot is None:
        project, problems, checks = validate_in_stages(root, today, checked=True)
    else:
        project, problems, checks = validate_in_stages(
            root, today, passed=incremental.PassedLanguages(root, today, snapshot))
    try:
        return _plan_loaded(project, problems, checks, entry, snapshot, root, selection, out, today, key)
    except BaseException:
        checks()  # these came first: their errors are reported before anything found after them
        raise


def _plan_loaded(project: Project, problems: Problems, checks: Callable[[], None],
                 entry: checkcache.Entry | None, snapshot: checkcache.Snapshot | None, root: Path,
                 selection: Selection, out: Path, today: date, key: str) -> _Plan:
    """The rest of _plan, once the project is loaded: what to render, leaving its last checks to the caller."""
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
    clinic = Clinic(project, root, out, paper, today, edition)
    made = _Plan(clinic, None, jobs, skipped, [], len(plan))

    def finish() -> None:
        checks()
        incremental.remember(root, today, entry, snapshot, project, problems.warnings, key, plan)
        # With the check cache vouching, only loading ran: the checks' warnings are the ones it recorded.
        made.warnings = problems.warnings if entry is None else incremental.warnings(entry)

    made.finish = finish
    return made


def _named(root: Path, many: bool, step: Callable[[], _T]) -> _T:
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


def build_many(roots: list[Path], selection: Selection,
               progress: Callable[[int, int], Callable[[int], None]] | None = None, today: date | None = None,
               early: bool = False) -> list[Report]:
    """Build several projects (clinics) in one process: start-up paid once, one pool of workers for every
    project's outputs, each project's files and manifest written to its own output folder.

    Every project is checked before anything is written; a problem in any of them stops the whole build with
    nothing written. With several projects, --out DIR puts each project's outputs in DIR/<project folder name>.
    `early`: a one-shot command (not a watch session, whose later builds render in this warm process): with one
    project, fork the workers as soon as it must be loaded.
    """
    started = time.perf_counter()
    today = today or date.today()
    outs = output_folders(roots, selection.out)
    many = len(roots) > 1
    ahead: list[pool.Ahead] = []

    def fork_ahead(root: Path) -> None:
        """The project must be loaded: fork the workers now, so that they load ReportLab and the fonts
        meanwhile (one project only: the workers of several inherit them all after planning)."""
        if early and not many and selection.jobs > 1 and not ahead and pool.can_fork():
            ahead.append(pool.Ahead(_render_job, selection.jobs, _warm_up_ahead(root), _adopt))

    try:
        return _build_planned(roots, outs, selection, today, many, fork_ahead, ahead, progress, started)
    finally:
        for workers in ahead:
            workers.close()  # handed over, or never used: stopped either way


def _build_planned(roots: list[Path], outs: list[Path], selection: Selection, today: date, many: bool,
                   loading: Callable[[Path], None], ahead: list[pool.Ahead],
                   progress: Callable[[int, int], Callable[[int], None]] | None, started: float) -> list[Report]:
    """build_many, once the output folders are known."""
    from generator.render.write import write_outputs

    plans: list[_Plan] = []
    for root, out in zip(roots, outs, strict=True):
        if plans:  # every project but the last is checked through before the next one is read
            _named(roots[len(plans) - 1], many, plans[-1].finish)
        plans.append(_named(root, many, lambda: _plan(root, selection, out, today, loading)))  # noqa: B023
    clinics: list[Clinic] = []
    jobs: list[Job] = []
    for plan in plans:
        if plan.clinic is None:
            continue
        clinics.append(plan.clinic)
        for handout_id, lang, fmt, inputs in plan.jobs:
            jobs.append((len(jobs), len(clinics) - 1, handout_id, lang, fmt, inputs))
    total = sum(plan.total for plan in plans)
    tick = progress(len(jobs), total) if progress else (lambda n: None)
    # The workers render into memory while the last project's last checks run here: they are stopped, and
    # nothing is written, when a check fails; their outputs are looked at only once every check has passed.
    running = _start_rendering(clinics, jobs, selection.jobs, tick, ahead.pop() if ahead else None) if jobs else None
    try:
        _named(roots[-1], many, plans[-1].finish)
    except BaseException:
        if running is not None:
            running.abort()
        raise
    outputs = _rendered(running) if running is not None else []
    by_clinic: list[list[Output]] = [[] for _ in clinics]
    for job, output in zip(jobs, outputs, strict=True):
        by_clinic[job[1]].append(output)
    reports, index = [], 0
    for plan, out in zip(plans, outs, strict=True):
        if plan.report is not None:
            write_outputs([], out)  # still removes temp files of a killed build
            reports.append(plan.report)
            continue
        write_outputs(by_clinic[index], out)  # with nothing to write, it still removes temp files of a killed build
        found = [w for output in by_clinic[index] for w in output.warnings]  # the print-quality check's
        reports.append(Report(by_clinic[index], plan.skipped, time.perf_counter() - started,
                              [*plan.warnings, *found]))
        index += 1
    return reports


def output_folders(roots: list[Path], out: Path | None) -> list[Path]:
    """Each project's output folder: PROJECT/output, or --out (with several projects, --out/<folder name>)."""
    if len({root.resolve() for root in roots}) < len(roots):
        raise UsageProblem("the same project is given twice; give each project once")
    if out is None:
        return [default_output(root) for root in roots]
    if len(roots) == 1:
        return [out]
    names = [root.resolve().name for root in roots]
    if len(set(names)) < len(names):
        raise UsageProblem("--out with several projects puts each in a subfolder named after its project folder; "
                           "two projects have the same folder name: give them distinct names or build them apart")
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
