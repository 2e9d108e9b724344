"""Building many outputs, and many projects (clinics), in one run: plan each project (from the check cache
when nothing changed), render every output in one pool of workers, write each project's folder."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.batch import pool
from generator.batch.loader import HeadStart
from generator.batch.plan import Clinic, Plan, plan_checked
from generator.batch.plan import plan as plan_project
from generator.build import (
    Output,
    ReleaseRefused,
    RenderFailed,
    Report,
    Selection,
    UsageProblem,
    render_one,
)
from generator.content.files import WriteError
from generator.content.outputplace import default_output, project_input
from generator.content.problems import ContentError, Loc, Problem, printable
from generator.content.seal import cache_dir, holds_cache

if TYPE_CHECKING:
    from generator.render.fonts import Face

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
    return replace(output, inputs=inputs, project=clinic.key)


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


LARGE_FONT = 1_000_000  # bytes: a face file this large (a CJK collection) is checked by the loading child


def _head_start(root: Path) -> HeadStart:
    """While a child loads the project (batch/loader.py), import ReportLab, compile the template and load
    locale data here; every face's file is checked (for the workers forked afterwards and the glyph check), the
    large ones by the child once it has loaded the project, which takes it about as long as the rest here.
    Nothing is imported until a load is needed (a no-op build never loads)."""

    def faces(large: bool) -> list[Face]:
        from generator.render import fonts, template

        config = fonts.load_config(template.find(root, "fonts.yaml"))
        found = dict.fromkeys(face for lang in config.languages.values() for _, face in lang.faces)
        return [face for face in found if (_size(face.path) >= LARGE_FONT) == large]

    def verified(chosen: list[Face]) -> list[tuple[str, int, tuple[int, ...]]]:
        from generator.render import fonts

        done = []
        for face in chosen:
            try:
                done.append(fonts.verify(face))
            except fonts.FontConfigError:
                pass  # reported by the glyph check, and by any render that needs the face
        return done

    def here() -> None:
        from generator.render import fonts, layout, template

        template.prepare(root)
        verified(faces(large=False))
        layout.prepare(fonts.load_config(template.find(root, "fonts.yaml")).languages.values(), faces=False)

    def beside() -> object:
        return verified(faces(large=True))

    def take(found: object) -> None:
        from generator.render import fonts

        if isinstance(found, list):  # what the child's `fonts.verify` checked: not checked again here
            fonts.VERIFIED.update((Path(path), int(index), tuple(stamp)) for path, index, stamp in found)

    return HeadStart(here, beside, take)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _start_rendering(clinics: list[Clinic], jobs: list[Job], workers: int,
                     progress: Callable[[int], None]) -> pool.Running:
    """Hand every job to one pool of workers for all clinics (or keep them for this process); the workers
    inherit the clinics."""
    global _clinics
    _clinics = clinics
    return pool.start(_render_job, _batches(jobs, workers), workers, progress, _warm_up)


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


@dataclass(frozen=True)
class _Rendered:
    """One project planned and rendered in a worker: what the parent needs to report and write it."""

    report: Report | None
    skipped: list[str]
    warnings: list[Problem]
    outputs: list[Output]
    failed: RenderFailed | None = None
    withdrawn: tuple[str, ...] = ()  # files to remove: their handout or language is gone


_projects: list[tuple[Path, Path]] = []  # (root, output folder) of a build of several projects; set before forking
_selection: Selection | None = None
_today: date | None = None
_first: Plan | None = None  # the first project's plan, made in the parent


def _plan_and_render(index: int) -> _Rendered | Exception:
    """In a worker: check one project of several, then render its outputs into memory (nothing is written here:
    the parent writes once every project passed). Its problems are returned, to be raised in project order."""
    global _clinics, _memo_lang
    root, out = _projects[index]
    assert _selection is not None and _today is not None
    try:
        plan = _first if index == 0 and _first is not None else plan_checked(root, _selection, out, _today)
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
            return _Rendered(None, plan.skipped, plan.warnings, [], RenderFailed(f"{root}: {result}"),
                             tuple(plan.withdrawn))
        outputs.append(result)
    return _Rendered(None, plan.skipped, plan.warnings, outputs, withdrawn=tuple(plan.withdrawn))


def _build_in_workers(roots: list[Path], outs: list[Path], selection: Selection, today: date,
                      progress: Callable[[int, int], Callable[[int], None]] | None) -> list[_Rendered]:
    """Several projects: each one checked and rendered by one worker, all workers busy from the start (a
    project's checks are paid in parallel with the others' renders); results in project order."""
    from concurrent.futures.process import BrokenProcessPool

    global _projects, _selection, _today, _first
    _projects, _selection, _today = list(zip(roots, outs, strict=True)), selection, today
    _first = plan_checked(roots[0], selection, outs[0], today)  # here: imports and memos, shared by fork
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
               progress: Callable[[int, int], Callable[[int], None]] | None = None,
               today: date | None = None) -> list[Report]:
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
    """One project: loaded here, its outputs rendered by a pool of workers (by language) while its last checks
    run here."""
    plan = plan_project(root, selection, out, today, _head_start(root) if selection.jobs > 1 else None)
    if plan.clinic is None:
        return _Rendered(plan.report, plan.skipped, plan.warnings, [])
    jobs = [(order, 0, *job) for order, job in enumerate(plan.jobs)]
    tick = progress(len(jobs), plan.total) if progress else (lambda n: None)
    # The workers render into memory while the last checks run here: they are stopped, and nothing is
    # written, when a check fails; their outputs are looked at only once every check has passed.
    running = _start_rendering([plan.clinic], jobs, selection.jobs, tick) if jobs else None
    try:
        plan.finish()
    except BaseException:
        if running is not None:
            running.abort()
        raise
    outputs = _rendered(running) if running is not None else []
    return _Rendered(None, plan.skipped, plan.warnings, outputs, withdrawn=tuple(plan.withdrawn))


def _write(result: _Rendered, out: Path, started: float) -> Report:
    """Write one project's outputs and manifest (with nothing to write, still remove a killed build's temp files)."""
    from generator.render.write import write_outputs

    kept = [Problem(Loc(str(out / file)), "", f"changed since it was built ({_how(file)}), so the build "
                    f"{_gone(file, result.withdrawn)}; the changed copy is kept as {out / copy}",
                    "move that copy out of the output folder", severity="warning")
            for file, copy in write_outputs(result.outputs, out, result.withdrawn)]
    if result.report is not None:
        return result.report
    found = [w for output in result.outputs for w in output.warnings]  # the print-quality check's
    return Report(result.outputs, result.skipped, time.perf_counter() - started, [*result.warnings, *kept, *found],
                  removed=list(result.withdrawn))


def _how(file: str) -> str:
    """How a built file usually comes to change: a PDF reader saves notes into a PDF; an HTML page is edited."""
    return "notes saved into it in a PDF reader, or another program" if file.endswith(".pdf") else \
        "edited by hand, or by another program"


def _gone(file: str, withdrawn: tuple[str, ...]) -> str:
    """What the build did to a changed file it kept aside: replaced it, or removed it with its handout."""
    return "removed it (its handout or language is no longer in the project)" if file in withdrawn else \
        "replaced it"


def output_folders(roots: list[Path], out: Path | None) -> list[Path]:
    """Each project's output folder: PROJECT/output, or --out (with several projects, --out/<folder name>)."""
    if len({root.resolve() for root in roots}) < len(roots):
        raise UsageProblem("the same project is given twice; give each project once")
    if out is None:
        return [default_output(root) for root in roots]
    folders = [out] if len(roots) == 1 else [out / root.resolve().name for root in roots]
    for root in roots:  # what a build writes must never be what a build reads (eighth pass: --out in templates/)
        for folder in folders:
            if project_input(root, folder):
                raise UsageProblem(f"--out {printable(str(out))} is inside a handout project's own files "
                                   "(settings, content, templates or docs: this one's or another's), which every "
                                   "build reads: a build would change its inputs; choose a folder outside them")
    # Its lock file would make a usable cache unusable from then on (`--out ~`: twenty-second pass)
    if holds_cache(out):
        raise UsageProblem(f"--out {printable(str(out))} holds the cache folder ({printable(str(cache_dir()))}): the "
                           "lock file a build leaves in its output folder would stop every later command from using "
                           "the cache; choose a folder of its own (e.g. a subfolder, handouts-output)")
    if len(roots) == 1:
        return [out]
    names = [root.resolve().name for root in roots]
    # Compared as a case-insensitive or normalising disk (macOS, Windows) would: "Clinic" and "clinic", or "café"
    # composed and decomposed, are one folder there.
    if len({unicodedata.normalize("NFC", name).casefold() for name in names}) < len(names):
        raise UsageProblem("--out with several projects puts each in a subfolder named after its project folder; "
                           "two projects have the same folder name (letter case and accents aside): give them "
                           "distinct names or build them apart")
    for name in names:  # entries of the named folder are untrusted: a link there would be written through
        if (out / name).is_symlink():
            raise WriteError(f"{printable(str(out / name))}: is a link, not a folder of its own; nothing was "
                             "changed; remove the link (the build makes the folder)")
    return [out / name for name in names]
