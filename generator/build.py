"""The build pipeline: load → validate → localize → template → layout, all in memory; then write atomically."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import __version__, fonts, styles, template
from generator.incremental import inputs_fingerprint, is_current
from generator.localize import check_footer, check_glyphs, view
from generator.model import Project
from generator.problems import ContentError, Problem, Problems
from generator.project import load_or_raise
from generator.review import handout_state
from generator.write import read_manifest, write_outputs


class UsageProblem(Exception):
    """The command line asks for something that does not exist (exit 2)."""


class ReleaseRefused(Exception):
    """--release found content that is not approved; one reason per line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Selection:
    """What to build: handout IDs and languages (empty means all), paper override, output folder."""

    handouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    paper: str | None = None
    out: Path | None = None
    release: bool = False
    jobs: int = 1
    force: bool = False


@dataclass(frozen=True)
class Output:
    """One rendered PDF, held in memory until every PDF of the build has rendered."""

    handout: str
    lang: str
    file: str
    pdf: bytes
    pages: int
    content_version: str
    review_status: str
    disclaimer: str
    fingerprint: str
    inputs: str = ""

    def entry(self) -> dict[str, object]:
        return {
            "handout": self.handout, "lang": self.lang, "file": self.file,
            "sha256": hashlib.sha256(self.pdf).hexdigest(), "pages": self.pages,
            "content_version": self.content_version, "review_status": self.review_status,
            "generator_version": __version__, "disclaimer": self.disclaimer, "fingerprint": self.fingerprint,
            "inputs": self.inputs,
        }


class RenderFailed(Exception):
    """One handout could not be laid out; names it so the user knows where to look."""


@dataclass(frozen=True)
class Report:
    """What a build did: PDFs written, PDFs kept because nothing they depend on changed, wall time."""

    built: list[Output]
    skipped: list[str]
    seconds: float
    warnings: list[Problem]

    def summary(self) -> str:
        return (f"built {len(self.built)}, skipped {len(self.skipped)}, failed 0 "
                f"in {self.seconds:.2f} s")


def validate(root: Path) -> tuple[Project, Problems]:
    """Load the project and check everything, glyph coverage included; raise ContentError on any error."""
    project, problems = load_or_raise(root)
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml")
    template.check(root)  # a template syntax error is found by `check`, not half-way through a build
    wanted = list(dict.fromkeys([project.settings.source_language, *project.settings.languages]))
    glyphs = check_glyphs(project, config, wanted)
    if not glyphs.errors:  # widths are only meaningful once every character is known to the fonts
        glyphs.extend(check_footer(project, config, wanted, page_styles.margins, page_styles.footer_size))
    problems.extend(glyphs)
    if glyphs.errors:
        raise ContentError(problems.errors)
    return project, problems


def select(project: Project, selection: Selection) -> list[tuple[str, str]]:
    """The (handout, language) pairs to build; unknown names are usage problems."""
    available_langs = list(project.settings.languages)
    available_ids = project.handout_ids()
    for lang in selection.langs:
        if lang not in available_langs:
            raise UsageProblem(f"no content for language '{lang}'; available: {', '.join(available_langs)}")
    for handout_id in selection.handouts:
        if handout_id not in available_ids:
            raise UsageProblem(f"no handout '{handout_id}'; available: {', '.join(available_ids)}")
    langs = list(selection.langs) or available_langs
    ids = list(selection.handouts) or available_ids
    return [(h, lang) for h in ids for lang in langs]


def render_one(project: Project, root: Path, handout_id: str, lang: str, paper: str, today: date) -> Output:
    """Render one handout in one language to PDF bytes."""
    from generator import layout  # ReportLab is imported only when something is rendered

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    lang_fonts = config.for_lang(lang)
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml")
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    doc = view(project, handout_id, lang, lang_fonts, state, fingerprint)
    xml = template.render(root, doc)
    rendered = layout.render(xml, doc, lang_fonts, page_styles, paper, Path(project.root))
    return Output(handout_id, lang, f"{lang}/{handout_id}.pdf", rendered.pdf, rendered.pages, doc.version,
                  state.status, doc.disclaimer_short.plain, fingerprint)


def release_reasons(project: Project, pairs: list[tuple[str, str]], today: date) -> list[str]:
    """Why each selected handout may not be released: every file it draws on that is not approved."""
    reasons: dict[str, str] = {}
    for handout_id, lang in pairs:
        _, parts, _ = handout_state(project, project.handout(handout_id, lang), today)
        for part in parts:
            if not part.approved and part.file not in reasons:
                reasons[part.file] = f"{part.file}: {part.status}; needed by {handout_id} ({lang})"
    return list(reasons.values())


Job = tuple[str, str, str]  # handout ID, language, inputs fingerprint
_shared: tuple[Project, Path, str, date] | None = None  # set before forking: workers inherit, nothing is pickled


def _render_job(job: Job) -> Output:
    """Render one PDF (in a worker process or in this one); any failure names the handout and language."""
    assert _shared is not None
    project, root, paper, today = _shared
    handout_id, lang, inputs = job
    try:
        output = render_one(project, root, handout_id, lang, paper, today)
    except (fonts.FontConfigError, styles.StyleError, template.TemplateError) as exc:
        raise RenderFailed(f"{handout_id} ({lang}): {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a layout failure must name its handout, never end in a traceback
        raise RenderFailed(f"content/{lang}/{handout_id}.yaml: cannot lay out this handout "
                           f"({type(exc).__name__}: {exc}); report this with the file") from None
    return replace(output, inputs=inputs)


def _render_all(shared: tuple[Project, Path, str, date], jobs: list[Job], workers: int,
                progress: Callable[[int], None]) -> list[Output]:
    global _shared
    _shared = shared
    if workers <= 1 or len(jobs) <= 1 or "fork" not in _start_methods():
        outputs = []
        for job in jobs:
            outputs.append(_render_job(job))
            progress(1)
        return outputs
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm_up(shared[1], {lang for _, lang, _ in jobs})
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork"),
                             initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_render_job, job) for job in jobs]
        outputs = []
        try:
            for future in futures:  # in submission order, so output never depends on scheduling
                outputs.append(future.result())
                progress(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return outputs


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit once the building process is gone (killed), instead of waiting for work forever."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _warm_up(root: Path, langs: set[str]) -> None:
    """Import ReportLab and load the fonts once, before forking, so workers inherit them."""
    from generator import layout  # noqa: F401 - imported for its side effect on the forked workers

    for lang in langs:
        for _, face in fonts.load_config(template.find(root, "fonts.yaml")).for_lang(lang).faces:
            fonts.register(face)


def build(root: Path, selection: Selection, progress: Callable[[int, int], Callable[[int], None]] | None = None
          ) -> Report:
    """Validate, render what changed (in parallel), then write the PDFs and the manifest atomically."""
    started = time.perf_counter()
    project, problems = validate(root)
    pairs = select(project, selection)
    today = date.today()
    if selection.release and (reasons := release_reasons(project, pairs, today)):
        raise ReleaseRefused(reasons)
    paper = selection.paper or project.settings.paper
    out = selection.out or root / "output"
    existing = {str(e.get("file")): e for e in read_manifest(out)}
    jobs, skipped = [], []
    for handout_id, lang in pairs:
        state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
        inputs = inputs_fingerprint(project, root, handout_id, lang, {"paper": paper}, state, fingerprint)
        file = f"{lang}/{handout_id}.pdf"
        if not selection.force and is_current(out, existing.get(file), inputs):
            skipped.append(file)
        else:
            jobs.append((handout_id, lang, inputs))
    tick = progress(len(jobs), len(pairs)) if progress else (lambda n: None)
    outputs = _render_all((project, root, paper, today), jobs, selection.jobs, tick)
    write_outputs(outputs, out)  # with nothing to write, it still removes temp files of a killed build
    return Report(outputs, skipped, time.perf_counter() - started, problems.warnings)
