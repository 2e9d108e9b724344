"""The build pipeline: load → validate → localize → template → layout, all in memory; then write atomically."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import __version__
from generator.content import names
from generator.content.model import Project
from generator.content.problems import ContentError, Loc, Problem, Problems
from generator.content.project import load_or_raise, placeholder_problems
from generator.incremental import inputs_fingerprint, is_current
from generator.render import fonts, styles, template
from generator.render.checks import check_footer, check_glyphs
from generator.render.localize import View, view
from generator.render.write import read_manifest, write_outputs
from generator.review.payload import bilingual_payload
from generator.review.state import State, combined, handout_state

FORMATS = ("pdf", "html")


class UsageProblem(Exception):
    """The command line asks for something that does not exist (exit 2)."""


class ReleaseRefused(Exception):
    """--release found content that is not approved; one reason per line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Edition:
    """Which edition of each handout to make: standard, large print, and/or bilingual with a second language."""

    large_print: bool = False
    second: str = ""  # the second language of a bilingual edition; empty for one language

    @property
    def name(self) -> str:
        """standard, large, bilingual or bilingual-large (recorded in the manifest)."""
        if self.second:
            return "bilingual-large" if self.large_print else "bilingual"
        return "large" if self.large_print else "standard"

    def file(self, handout_id: str, lang: str, fmt: str) -> str:
        """The output path, so that every edition can sit beside the others: es/x.pdf, es/x.large.pdf,
        es/x.es-en.pdf, es/x.es-en.large.pdf, es/x.html, ..."""
        stem = handout_id + (f".{lang}-{self.second}" if self.second else "") + (".large" if self.large_print else "")
        return f"{lang}/{stem}.{fmt}"


@dataclass(frozen=True)
class Selection:
    """What to build: handout IDs and languages (empty means all), paper override, output folder, the edition
    and the output formats."""

    handouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    paper: str | None = None
    out: Path | None = None
    release: bool = False
    jobs: int = 1
    force: bool = False
    large_print: bool = False
    bilingual: str = ""
    formats: tuple[str, ...] = ("pdf",)

    @property
    def edition(self) -> Edition:
        return Edition(self.large_print, self.bilingual)


@dataclass(frozen=True)
class Second:
    """What a bilingual output records about its second language."""

    lang: str
    content_version: str
    review_status: str
    fingerprint: str
    disclaimer: str


@dataclass(frozen=True)
class Output:
    """One rendered file (PDF or HTML), held in memory until every file of the build has rendered."""

    handout: str
    lang: str
    file: str
    data: bytes
    pages: int | None  # None for HTML
    content_version: str
    review_status: str  # of everything the file draws on: approved only when both languages are
    disclaimer: str
    fingerprint: str
    inputs: str = ""
    format: str = "pdf"
    edition: str = "standard"
    second: Second | None = None
    warnings: tuple[Problem, ...] = ()  # what the print-quality check found on the pages

    def entry(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "handout": self.handout, "lang": self.lang, "file": self.file, "format": self.format,
            "edition": self.edition, "sha256": hashlib.sha256(self.data).hexdigest(), "pages": self.pages,
            "content_version": self.content_version, "review_status": self.review_status,
            "generator_version": __version__, "disclaimer": self.disclaimer, "fingerprint": self.fingerprint,
            "inputs": self.inputs,
        }
        if self.second is not None:
            entry.update({"second_lang": self.second.lang, "second_content_version": self.second.content_version,
                          "second_review_status": self.second.review_status,
                          "second_fingerprint": self.second.fingerprint, "second_disclaimer": self.second.disclaimer})
        return entry


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
    """Load the project and check everything, glyph coverage and styles included; raise on any error."""
    project, problems = load_or_raise(root)
    styles.load(template.find(root, "style.yaml") / "style.yaml")  # margins, sizes, text contrast
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml")
    template.check(root)  # a template syntax error is found by `check`, not half-way through a build
    wanted = list(dict.fromkeys([project.settings.source_language, *project.settings.languages]))
    glyphs = check_glyphs(project, config, wanted)
    if not glyphs.errors:  # widths are only meaningful once every character is known to the fonts
        glyphs.extend(check_footer(project, config, wanted, page_styles.margins, styles.FOOTER_SIZE_MIN))
    problems.extend(glyphs)
    if glyphs.errors:
        raise ContentError(problems.errors)
    if template.find(root, "handout.xml.j2") != template.default_templates():
        # The project's own template runs once here, within its bounds: `check` finds one that never ends.
        first = next(h for h in project.handouts if h.lang == project.settings.source_language)
        try:
            template.render(root, _view(project, root, first.id, first.lang, date.today())[0], large_print=False)
        except template.TemplateError as exc:
            raise template.TemplateError(f"{first.id} ({first.lang}): {exc}") from None
    return project, problems


def select(project: Project, selection: Selection) -> list[tuple[str, str]]:
    """The (handout, language) pairs to build; unknown names are usage problems."""
    available_langs = list(project.settings.languages)
    available_ids = project.handout_ids()
    for lang in selection.langs:
        names.language(lang, available_langs, "--lang")
    for handout_id in selection.handouts:
        names.handout(handout_id, available_ids)
    for fmt in selection.formats:
        if fmt not in FORMATS:
            raise UsageProblem(f"unknown format '{fmt}'; use {' or '.join(FORMATS)} (e.g. --format pdf,html)")
    second = selection.bilingual
    if second:
        names.language(second, available_langs, "--bilingual")
    if second and second in selection.langs:
        raise UsageProblem(f"--lang {second} --bilingual {second}: a bilingual handout needs two different "
                           "languages; choose another --lang or --bilingual")
    langs = [lang for lang in names.unique(selection.langs or available_langs) if lang != second]
    ids = names.unique(selection.handouts or available_ids)
    return [(h, lang) for h in ids for lang in langs]


def _view(project: Project, root: Path, handout_id: str, lang: str, today: date, reader: str = ""
          ) -> tuple[View, fonts.LanguageFonts, State, str]:
    """One language's view of a handout, its fonts, its review state and its content fingerprint."""
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    lang_fonts = config.for_lang(lang)
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    return view(project, handout_id, lang, lang_fonts, state, fingerprint, reader), lang_fonts, state, fingerprint


def render_one(project: Project, root: Path, handout_id: str, lang: str, paper: str, today: date,
               edition: Edition = Edition(), fmt: str = "pdf") -> Output:
    """Render one handout in one language (and edition, and format) to bytes."""
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml", edition.large_print)
    doc, lang_fonts, state, fingerprint = _view(project, root, handout_id, lang, today)
    other: tuple[View, fonts.LanguageFonts] | None = None
    second: Second | None = None
    status = state.status
    if edition.second:
        other_view, other_fonts, other_state, other_fingerprint = _view(project, root, handout_id,
                                                                        edition.second, today, reader=lang)
        other = (other_view, other_fonts)
        doc = replace(doc, verify_payload=bilingual_payload(doc.verify_payload, other_view.verify_payload))
        status = combined([state, other_state]).status
        second = Second(edition.second, other_view.version, other_state.status, other_fingerprint,
                        other_view.disclaimer_short.plain)
    warnings: tuple[Problem, ...] = ()
    if fmt == "html":
        from generator.render import htmlpage

        data = htmlpage.render(Path(project.root), doc, lang_fonts, page_styles, paper, other)
        pages = None
    else:
        from generator.render import layout  # ReportLab is imported only when a PDF is rendered

        config = fonts.load_config(template.find(root, "fonts.yaml"))
        others = {code: config.for_lang(code) for code, _ in doc.other_languages}
        xml = template.render(root, doc, second=other[0] if other else None, large_print=edition.large_print)
        rendered = layout.render(xml, doc, lang_fonts, page_styles, paper, Path(project.root), other, others)
        data, pages = rendered.pdf, rendered.pages
        where = {unit.id: unit.loc for unit in project.handout(handout_id, lang).units()}
        warnings = tuple(Problem(where.get(finding.unit_id, Loc(f"content/{lang}/{handout_id}.yaml")),
                                 finding.unit_id, f"{edition.name} edition ({paper}), page {finding.page}: "
                                 f"{finding.message}", severity="warning") for finding in rendered.findings)
    return Output(handout_id, lang, edition.file(handout_id, lang, fmt), data, pages, doc.version, status,
                  doc.disclaimer_short.plain, fingerprint, format=fmt, edition=edition.name, second=second,
                  warnings=warnings)


def release_reasons(project: Project, pairs: list[tuple[str, str]], today: date, second: str = "") -> list[str]:
    """Why each selected handout may not be released: every file it draws on that is not approved
    (in a bilingual edition, the second language's files too)."""
    reasons: dict[str, str] = {}
    for handout_id, lang in pairs:
        for used in [lang] + ([second] if second else []):
            _, parts, _ = handout_state(project, project.handout(handout_id, used), today)
            for part in parts:
                if not part.approved and part.file not in reasons:
                    reasons[part.file] = f"{part.file}: {part.status}; needed by {handout_id} ({lang})"
    return list(reasons.values())


Job = tuple[str, str, str, str]  # handout ID, language, format, inputs fingerprint
Shared = tuple[Project, Path, str, date, Edition]
_shared: Shared | None = None  # set before forking: workers inherit, nothing is pickled


def _render_job(job: Job) -> Output:
    """Render one file (in a worker process or in this one); any failure names the handout and language."""
    assert _shared is not None
    project, root, paper, today, edition = _shared
    handout_id, lang, fmt, inputs = job
    try:
        output = render_one(project, root, handout_id, lang, paper, today, edition, fmt)
    except (fonts.FontConfigError, styles.StyleError, template.TemplateError) as exc:
        raise RenderFailed(f"{handout_id} ({lang}): {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a layout failure must name its handout, never end in a traceback
        from generator.render.printcheck import FooterWrapped

        if isinstance(exc, FooterWrapped):
            raise RenderFailed(f"content/{lang}/{handout_id}.yaml: the {edition.name} edition's footer does not fit "
                               f"on one line per line even at the smallest footer size: {exc}") from None
        raise RenderFailed(f"content/{lang}/{handout_id}.yaml: cannot lay out the {edition.name} {fmt} edition "
                           f"of this handout ({type(exc).__name__}: {exc}); report this with the file") from None
    return replace(output, inputs=inputs)


def _render_all(shared: Shared, jobs: list[Job], workers: int,
                progress: Callable[[int], None]) -> list[Output]:
    global _shared
    _shared = shared
    if workers <= 1 or len(jobs) <= 1 or "fork" not in _start_methods():
        outputs = []
        for job in jobs:
            outputs.append(_render_job(job))
            progress(1)
        return outputs
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _warm_up(shared[1], {lang for _, lang, _, _ in jobs} | ({shared[4].second} - {""}))
    # Keep the collector away from everything the workers inherit: a collection in a worker would write to
    # (and so copy) the pages it shares with this process; frozen, the fonts and project stay shared.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork"),
                                 initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_render_job, job) for job in jobs]
            outputs = []
            try:
                for future in futures:  # in submission order, so output never depends on scheduling
                    outputs.append(future.result())
                    progress(1)
            except BrokenProcessPool:
                for future in futures:
                    future.cancel()
                raise RenderFailed("a render worker stopped unexpectedly (killed, perhaps for lack of memory); "
                                   "nothing was written; build again, with fewer workers (-j 1) if it recurs") from None
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        gc.unfreeze()  # a watch session builds again and again; let this build's garbage be collected
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
    """Import ReportLab, load fonts and locale data and compile the template once, before forking, so that
    the workers share them (less memory, less work) instead of each loading its own."""
    from generator.render import layout

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    layout.prepare(config.for_lang(lang) for lang in sorted(langs))
    template.prepare(root)


def build(root: Path, selection: Selection, progress: Callable[[int, int], Callable[[int], None]] | None = None
          ) -> Report:
    """Validate, render what changed (in parallel), then write the files and the manifest atomically."""
    started = time.perf_counter()
    project, problems = validate(root)
    pairs = select(project, selection)
    if not pairs:
        raise UsageProblem("nothing to build: the only selected language is the --bilingual one")
    today = date.today()
    edition = selection.edition
    if selection.release and (unfilled := placeholder_problems(project.settings)):
        raise ContentError([replace(p, hint=f"{p.hint}; --release refuses placeholders") for p in unfilled])
    if selection.release and (reasons := release_reasons(project, pairs, today, edition.second)):
        raise ReleaseRefused(reasons)
    if edition.large_print:
        styles.load(template.find(root, "style.yaml") / "style.yaml", True)  # refuse a bad large_print early
    paper = selection.paper or project.settings.paper
    out = selection.out or root / "output"
    existing = {str(e.get("file")): e for e in read_manifest(out)}
    jobs, skipped = [], []
    formats = list(dict.fromkeys(selection.formats))
    for handout_id, lang in pairs:
        for fmt in formats:
            inputs = _inputs(project, root, handout_id, lang, today, paper, edition, fmt)
            file = edition.file(handout_id, lang, fmt)
            if not selection.force and is_current(out, existing.get(file), inputs):
                skipped.append(file)
            else:
                jobs.append((handout_id, lang, fmt, inputs))
    tick = progress(len(jobs), len(pairs) * len(formats)) if progress else (lambda n: None)
    outputs = _render_all((project, root, paper, today, edition), jobs, selection.jobs, tick)
    write_outputs(outputs, out)  # with nothing to write, it still removes temp files of a killed build
    return Report(outputs, skipped, time.perf_counter() - started,
                  [*problems.warnings, *(w for output in outputs for w in output.warnings)])


def _inputs(project: Project, root: Path, handout_id: str, lang: str, today: date, paper: str, edition: Edition,
            fmt: str) -> str:
    """The inputs fingerprint of one output file: its language's, the edition and format, and in a bilingual
    edition the second language's own inputs, so that editions and formats never skip each other."""
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    options: dict[str, object] = {"paper": paper, "edition": edition.name, "format": fmt, "second": None}
    if edition.second:
        other_state, _, other_fingerprint = handout_state(project, project.handout(handout_id, edition.second),
                                                          today)
        options["second"] = inputs_fingerprint(project, root, handout_id, edition.second, {"format": fmt},
                                               other_state, other_fingerprint, fmt)
    return inputs_fingerprint(project, root, handout_id, lang, options, state, fingerprint, fmt)


def is_built(project: Project, root: Path, handout_id: str, lang: str, paper: str, edition: Edition, fmt: str,
             out: Path) -> bool:
    """Whether one output file is current, decided exactly as `build` decides to skip it (the front desk asks
    this before building, so that serving a current file costs no validation of the whole project)."""
    existing = {str(e.get("file")): e for e in read_manifest(out)}
    inputs = _inputs(project, root, handout_id, lang, date.today(), paper, edition, fmt)
    return is_current(out, existing.get(edition.file(handout_id, lang, fmt)), inputs)
